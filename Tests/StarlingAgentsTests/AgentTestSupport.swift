import Foundation
import Synchronization
@testable import StarlingAgents
import StarlingCore
import StarlingLLM
import StarlingRuntime
import StarlingStore

/// An LLM that answers from rules: the first rule whose trigger appears in the prompt answers.
/// Records every prompt so tests can count what was asked.
final class ScriptedLLM: LLMClient, Sendable {
    struct Rule: Sendable {
        var trigger: String
        var replies: [String]
        var delaySeconds: Double = 0
    }

    let model = ModelRef(provider: .local, name: "scripted")
    private let rules: [Rule]
    private let state = Mutex<(prompts: [String], uses: [String: Int], sampling: [(Double?, Int?)])>(([], [:], []))

    init(_ rules: [Rule]) { self.rules = rules }

    var prompts: [String] { state.withLock { $0.prompts } }
    /// The temperature and seed of every request, in order.
    var temperatures: [Double?] { state.withLock { $0.sampling.map(\.0) } }
    var seeds: [Int?] { state.withLock { $0.sampling.map(\.1) } }

    func count(_ trigger: String) -> Int { prompts.filter { $0.contains(trigger) }.count }

    func complete(_ request: ChatRequest) async throws -> ChatResponse {
        let prompt = request.messages.map(\.content).joined(separator: "\n")
        guard let rule = rules.first(where: { prompt.contains($0.trigger) }) else {
            throw AgentError("scripted LLM has no rule for prompt: \(prompt.suffix(300))")
        }
        let use = state.withLock { state -> Int in
            state.prompts.append(prompt)
            state.sampling.append((request.temperature, request.seed))
            state.uses[rule.trigger, default: 0] += 1
            return state.uses[rule.trigger]! - 1
        }
        if rule.delaySeconds > 0 { try await Task.sleep(for: .milliseconds(Int64(rule.delaySeconds * 1000))) }
        let text = rule.replies[min(use, rule.replies.count - 1)]
        return ChatResponse(text: text, model: "scripted", usage: TokenUsage(promptTokens: prompt.count / 4, completionTokens: text.count / 4))
    }
}

/// A script that writes a submission whose single prediction is the score the toy harness reads.
func scoring(_ score: Double, marker: String = "") -> String {
    """
    ```python
    import os
    # \(marker)
    model_strength = \(score)
    os.makedirs("submission", exist_ok=True)
    with open("submission/submission.csv", "w") as handle:
        handle.write("id,y\\n1," + str(model_strength) + "\\n")
    print("validation_score:", model_strength)
    ```
    """
}

/// A reply holding a script that crashes.
let crashing = """
```python
import os
raise RuntimeError("boom: the model exploded")
os.makedirs("submission", exist_ok=True)
open("submission/submission.csv", "w").write("id,y\\n1,0\\n")
```
"""

/// A toy task whose harness score is the prediction in the submission's first row, so the
/// scripted LLM decides every score exactly.
struct ToyHarness: TaskHarness {
    let spec = TaskSpec(id: "toy", name: "Toy", metric: .accuracy, direction: .higher, taskType: .binaryClassification,
                        idColumn: "id", targetColumns: ["y"], baseline: RecordedScore(value: 0.5, source: "test"),
                        reference: RecordedScore(value: 0.9, source: "test"))
    let taskDescription = "Predict y."
    let viewFolder: URL
    let publicFolder: URL
    var hiddenPaths: [URL] { [] }

    init(root: URL) throws {
        viewFolder = root.appendingPathComponent("view")
        publicFolder = root.appendingPathComponent("public")
        for folder in [viewFolder, publicFolder] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try "id,x,y\n1,0.5,1\n2,0.1,0\n".write(to: folder.appendingPathComponent("train.csv"), atomically: true, encoding: .utf8)
            try "id,x\n3,0.3\n".write(to: folder.appendingPathComponent("test.csv"), atomically: true, encoding: .utf8)
            try "id,y\n3,0\n".write(to: folder.appendingPathComponent("sample_submission.csv"), atomically: true, encoding: .utf8)
        }
    }

    func gradeDev(submission: URL) throws -> Double {
        let lines = try String(contentsOf: submission, encoding: .utf8).split(separator: "\n")
        guard lines.count >= 2, let value = Double(lines[1].split(separator: ",").last ?? "") else {
            throw AgentError("submission has no prediction row")
        }
        return value
    }

    func gradeFinal(submission: URL, reportFile: URL) throws -> Double? {
        let score = try gradeDev(submission: submission)
        try "{\"score\": \(score)}".write(to: reportFile, atomically: true, encoding: .utf8)
        return score
    }
}

/// A binary-classification model card for the toy task with `example` (a fenced code block).
func toyCard(_ id: String, example: String) throws -> ModelCard {
    let text = """
    ---
    id: \(id)
    name: \(id) model
    task_types: [binary_classification]
    keywords: [toy]
    ---
    ## When to use
    Always.
    ## Example
    \(example)
    """
    return try ModelCard(parsing: text, file: "\(id).md")
}

/// A model card whose example scores `score` on the toy task.
func toyCard(_ id: String, score: Double) throws -> ModelCard {
    try toyCard(id, example: scoring(score, marker: "card \(id)"))
}

/// Settings that keep control-flow tests small; whole-script replies (the scripted model counts as
/// local, which would otherwise mean function edits).
func smallSettings(candidates: Int = 2, branches: Int = 1, refine: Int = 0, inner: Int = 1, ensemble: Int = 0) -> AgentSettings {
    var settings = AgentSettings()
    settings.candidates = candidates
    settings.branches = branches
    settings.refineRounds = refine
    settings.innerSteps = inner
    settings.ensembleRounds = ensemble
    settings.debugRounds = 2
    settings.scriptTimeoutSeconds = 60
    settings.scriptMemoryMB = 2048
    settings.labelShuffleCheck = false
    settings.dataUsageCheck = false
    settings.editFormat = .whole
    return settings
}

/// A Python interpreter for the tests.
func agentTestPython() -> URL {
    let venv = StarlingHome.resolve().solutionPython
    if FileManager.default.isExecutableFile(atPath: venv.path) { return venv }
    return URL(fileURLWithPath: Shell.which("python3") ?? "/usr/bin/python3")
}

/// A fresh folder for one test.
func agentScratch(_ name: String = #function) throws -> URL {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("starling-agent-\(name.filter(\.isLetter))-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

/// A runner over the toy task with a scripted LLM.
func toyRunner(llm: ScriptedLLM, cards: [ModelCard], settings: AgentSettings, budget: Budget = Budget(), root: URL) async throws -> AgentRunner {
    AgentRunner(
        task: try ToyHarness(root: root), strategy: MLESTARStrategy(), settings: settings, budget: budget,
        clients: [.coder: llm], runFolder: root.appendingPathComponent("run"), sandbox: try await Sandbox.probing(),
        python: agentTestPython(), libraries: "numpy", retriever: KnowledgeBase(cards: cards), progress: .silent, prices: nil)
}
