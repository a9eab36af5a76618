import Foundation
import StarlingTestSupport
import Testing
@testable import StarlingReport
import StarlingRunFolder

@Suite struct RunReportTests {
    func render(finished: Bool = true, leak: String? = nil) throws -> (html: String, folder: URL) {
        let folder = try TemporaryFolder("run").url
        try SampleRun.write(to: folder, finished: finished, leak: leak)
        let file = try RunReport.write(folder: folder)
        #expect(file.lastPathComponent == "report.html")
        #expect(file.deletingLastPathComponent().lastPathComponent == folder.lastPathComponent)
        return (try String(contentsOf: file, encoding: .utf8), folder)
    }

    /// The part of the page between a section's opening tag and the next section.
    func section(_ id: String, of html: String) throws -> String {
        let start = try #require(html.range(of: "<section id=\"\(id)\">"))
        let rest = html[start.upperBound...]
        let end = rest.range(of: "</section>")?.lowerBound ?? rest.endIndex
        return String(rest[..<end])
    }

    @Test func treeHasOneMarkOfTheRightKindPerNode() throws {
        let tree = try section("tree", of: try render().html)
        #expect(occurrences(of: "<svg", in: tree) == 1)
        #expect(occurrences(of: "<g class=\"node ", in: tree) == 5)
        #expect(occurrences(of: "<g class=\"node failed\" data-id=\"2\"", in: tree) == 1)
        #expect(occurrences(of: "class=\"node failed\"", in: tree) == 1)
        // Node 1 → 3, 3 → 4, 3 → 5: three edges.
        #expect(occurrences(of: "class=\"edge\"", in: tree) == 3)
        // The best node (3) is ringed and has the best score's colour; the worse scored node the worst.
        let best = try #require(tree.range(of: "data-id=\"3\""))
        let bestGroup = try #require(tree[best.lowerBound...].components(separatedBy: "</g>").first)
        #expect(bestGroup.contains("#d4a017"))
        #expect(bestGroup.contains(ScoreColorScale.color(at: 1)))
        let first = try #require(tree.range(of: "data-id=\"1\""))
        #expect(try #require(tree[first.lowerBound...].components(separatedBy: "</g>").first).contains(ScoreColorScale.color(at: 0)))
    }

    @Test func exchangesAreShownAsSentEscapedAndLongOnesCut() throws {
        let exchanges = try section("exchanges", of: try render().html)
        #expect(occurrences(of: "<details><summary>", in: exchanges) == 1, "only the call that kept its exchange")
        #expect(exchanges.contains("You are a Kaggle grandmaster."))
        #expect(exchanges.contains("Predict &lt;b&gt;churn&lt;/b&gt;") && !exchanges.contains("<b>churn</b>"))
        #expect(exchanges.contains("print(&#39;score &lt; 1 &amp; &gt; 0&#39;)"))
        #expect(exchanges.contains("temperature 0.7, seed 3, finish stop"))
        #expect(exchanges.contains("characters left out"), "a 10,000-character message is cut for the page")
        #expect(exchanges.contains("characters in the journal"))
    }

    @Test func textFromTheRunIsEscaped() throws {
        let html = try render().html
        #expect(!html.contains(SampleRun.hostilePlan))
        #expect(html.contains("&lt;script&gt;alert(&#39;plan&#39;)&lt;/script&gt;"))
        #expect(!html.contains("<b>churn</b>"))
        #expect(html.contains("KeyError: &#39;&lt;b&gt;churn&lt;/b&gt;&#39; &amp; more"))
        #expect(html.contains("score &lt; 1 &amp; &gt; 0"))
        #expect(!html.contains("score < 1"))
    }

    @Test func pageIsSelfContained() throws {
        let html = try render().html
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("<link"))
        #expect(!html.contains("@import"))
        #expect(!html.contains("src="))
        let external = html.components(separatedBy: "http").dropFirst().filter { !$0.hasPrefix("://www.w3.org/2000/svg") }
        #expect(external.isEmpty)
    }

    @Test func diffRunsFromTheFirstWorkingScriptToTheFinalOne() throws {
        let diff = try section("diff", of: try render().html)
        #expect(diff.contains("node 1 (candidate, score 0.81) → final/solution.py"))
        #expect(diff.contains("<tr class=\"del\"><td class=\"ln\">3</td><td class=\"ln\"></td><td>-model = LogisticRegression()</td></tr>"))
        #expect(diff.contains("<tr class=\"add\"><td class=\"ln\"></td><td class=\"ln\">3</td><td>+model = LGBMClassifier(n_estimators=300)</td></tr>"))
        #expect(diff.contains("<tr class=\"add\"><td class=\"ln\"></td><td class=\"ln\">6</td><td>+pd.DataFrame(p).to_csv(&quot;submission.csv&quot;)</td></tr>"))
        #expect(occurrences(of: "<tr class=\"add\">", in: diff) == 2)
        #expect(occurrences(of: "<tr class=\"del\">", in: diff) == 1)
    }

    @Test func ablationLLMAndGradeSectionsCarryTheRunsNumbers() throws {
        let html = try render().html
        let ablations = try section("ablations", of: html)
        #expect(ablations.contains("b1/refine/1"))
        #expect(ablations.contains(SampleRun.ablationText.htmlEscaped))
        #expect(ablations.contains("try &lt;gbm&gt;"))
        let llm = try section("llm", of: html)
        #expect(llm.contains("<tr><td>coder</td><td>local:qwen2.5-coder-1.5b</td><td class=\"num\">2</td>"))
        #expect(llm.contains("<tr><td>planner</td><td>local:qwen2.5-coder-1.5b</td><td class=\"num\">1</td>"))
        #expect(llm.contains("<td class=\"num\">1,800</td>"))  // all prompt tokens
        let outcome = try section("outcome", of: html)
        #expect(outcome.contains("<div class=\"value good\">valid</div>"))
        #expect(outcome.contains("<div class=\"value \">0.85</div>"))
        #expect(outcome.contains("50.0%"))
        #expect(outcome.contains("No leak flags"))
        let timeline = try section("timeline", of: html)
        #expect(timeline.contains("class=\"baseline\""))
        #expect(timeline.contains("class=\"best-so-far\""))
        #expect(occurrences(of: "<circle", in: timeline) == 2)  // nodes 1 and 3; not the ablation or final rerun
    }

    @Test func leakFlagsAreShown() throws {
        let outcome = try section("outcome", of: try render(leak: "label-shuffle check: node 3 still scores 0.85 <high>").html)
        #expect(outcome.contains("<div class=\"flag leak\">label-shuffle check: node 3 still scores 0.85 &lt;high&gt;</div>"))
        #expect(!outcome.contains("No leak flags"))
    }

    @Test func anInterruptedRunStillGetsAReport() throws {
        let (html, _) = try render(finished: false)
        #expect(occurrences(of: "<g class=\"node ", in: html) == 5)
        #expect(html.contains("the run did not finish"))
        #expect(html.contains("<div class=\"value \">3m 42s</div>"))  // last node (final/3) ended 200 + 22 s after the start
        // Without final/solution.py the diff ends at the best node.
        #expect(html.contains("node 3 (best; no final/solution.py)"))
    }

    @Test func aFolderWithoutAJournalIsRefused() throws {
        let folder = try TemporaryFolder("empty").url
        #expect(throws: RunFolderError.self) { try RunReport.write(folder: folder) }
    }
}
