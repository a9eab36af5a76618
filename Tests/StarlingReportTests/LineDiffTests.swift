import Testing
@testable import StarlingReport

@Suite struct LineDiffTests {
    @Test func findsAddedRemovedAndKeptLines() {
        let diff = LineDiff(old: "a\nb\nc\nd\n", new: "a\nc\nd\ne\n")
        #expect(diff.lines == [
            .same(old: 1, new: 1, text: "a"), .removed(old: 2, text: "b"), .same(old: 3, new: 2, text: "c"),
            .same(old: 4, new: 3, text: "d"), .added(new: 4, text: "e"),
        ])
        #expect(diff.addedCount == 1 && diff.removedCount == 1)
    }

    @Test func groupsChangesIntoHunksWithContext() {
        let old = (1...20).map { "line \($0)" }.joined(separator: "\n")
        var lines = (1...20).map { "line \($0)" }
        lines[1] = "changed 2"
        lines[17] = "changed 18"
        let diff = LineDiff(old: old, new: lines.joined(separator: "\n"))
        let hunks = diff.hunks(context: 2)
        #expect(hunks.count == 2)
        #expect(hunks[0].header == "@@ -1,4 +1,4 @@")
        #expect(hunks[1].header == "@@ -16,5 +16,5 @@")
        #expect(diff.hunks(context: 10).count == 1)
        #expect(diff.unified(context: 0) == "@@ -2,1 +2,1 @@\n-line 2\n+changed 2\n@@ -18,1 +18,1 @@\n-line 18\n+changed 18")
    }

    @Test func equalTextsHaveNoHunksAndEmptyOldIsAllAdded() {
        #expect(LineDiff(old: "x\ny", new: "x\ny\n").hunks().isEmpty)
        let diff = LineDiff(old: "", new: "p\nq")
        #expect(diff.lines == [.added(new: 1, text: "p"), .added(new: 2, text: "q")])
        #expect(diff.hunks().first?.header == "@@ -0,0 +1,2 @@")
    }

    @Test func escapesEveryHTMLSpecialCharacter() {
        #expect("<a href=\"x\">'&'</a>".htmlEscaped == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
    }
}
