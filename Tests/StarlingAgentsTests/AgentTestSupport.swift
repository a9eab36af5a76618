import Foundation
import Synchronization
@testable import StarlingAgents
import StarlingCore
@testable import StarlingLLM
import StarlingRuntime
import StarlingStore
import StarlingRunFolder

/// An LLM that answers by step key (``CurrentStep/key``), never by prompt wording, so editing a
/// prompt breaks no test: the first rule whose pattern matches the step answers. A pattern is a
/// step key whose parts may be `*` (any one part, or any text inside a part: `branch*`) or `**`
/// (any number of parts). Records every prompt with its step so tests can count what was asked.
final class ScriptedLLM: LLMClient, Sendable {
    struct Rule: Sendable {
        var step: String
        var replies: [String]
        var delaySeconds: Double = 0
    }

    let model = ModelRef(provider: .local, name: "scripted")
    private let rules: [Rule]
    private let state = Mutex<(asked: [(step: String, prompt: String)], uses: [Int: Int], sampling: [(Double?, Int?)])>(([], [:], []))

    init(_ rules: [Rule]) { self.rules = rules }

    /// Every prompt, in order.
    var prompts: [String] { state.withLock { $0.asked.map(\.prompt) } }
    /// The prompts of the steps `pattern` matches, in order.
    func prompts(step pattern: String) -> [String] {
        state.withLock { $0.asked.filter { Self.matches(pattern, $0.step) }.map(\.prompt) }
    }
    /// The temperature and seed of every request, in order.
    var temperatures: [Double?] { state.withLock { $0.sampling.map(\.0) } }
    var seeds: [Int?] { state.withLock { $0.sampling.map(\.1) } }

    /// How many requests the steps `pattern` matches made.
    func count(step pattern: String) -> Int { prompts(step: pattern).count }

    /// Whether `key` matches `pattern` (see the type's description).
    static func matches(_ pattern: String, _ key: String) -> Bool {
        func glob(_ p: Substring, _ t: Substring) -> Bool {
            guard let first = p.first else { return t.isEmpty }
            if first == "*" { return glob(p.dropFirst(), t) || (!t.isEmpty && glob(p, t.dropFirst())) }
            return t.first == first && glob(p.dropFirst(), t.dropFirst())
        }
        func parts(_ p: ArraySlice<Substring>, _ k: ArraySlice<Substring>) -> Bool {
            guard let first = p.first else { return k.isEmpty }
            if first == "**" { return parts(p.dropFirst(), k) || (!k.isEmpty && parts(p, k.dropFirst())) }
            guard let part = k.first else { return false }
            return glob(first, part) && parts(p.dropFirst(), k.dropFirst())
        }
        return parts(ArraySlice(pattern.split(separator: "/")), ArraySlice(key.split(separator: "/")))
    }

    func complete(_ request: ChatRequest) async throws -> ChatResponse {
        let prompt = request.messages.map(\.content).joined(separator: "\n")
        let step = CurrentStep.key.description
        guard let index = rules.firstIndex(where: { Self.matches($0.step, step) }) else {
            throw AgentError("scripted LLM has no rule for step \(step)")
        }
        let rule = rules[index]
        let use = state.withLock { state -> Int in
            state.asked.append((step, prompt))
            state.sampling.append((request.temperature, request.seed))
            state.uses[index, default: 0] += 1
            return state.uses[index]! - 1
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
    /// The final fallback; off unless a test sets it.
    var fallbackSample: URL?
    var sampleSubmission: URL? { fallbackSample }

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

    func gradeDev(submission: URL) throws -> Double? {
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

/// Runs `script` (written to `folder/name.py`) with the tests' Python in `folder`: its exit status,
/// its output (stdout and stderr), and its `validation_score:` line if it printed one.
func runTestScript(_ script: String, in folder: URL, name: String) throws -> (status: Int32, text: String, score: String?) {
    let file = folder.appendingPathComponent("\(name).py")
    try script.write(to: file, atomically: true, encoding: .utf8)
    let finished = try ChildProcess.runToEnd(agentTestPython(), [file.path], directory: folder, joiningErrors: true)
    let text = String(decoding: finished.output, as: UTF8.self)
    return (finished.status, text, text.components(separatedBy: "\n").last { $0.hasPrefix("validation_score:") })
}

/// A fresh folder for one test.
func agentScratch(_ name: String = #function) throws -> URL {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("starling-agent-\(name.filter(\.isLetter))-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

/// A runner over the toy task with a scripted LLM.
func toyRunner(llm: ScriptedLLM, cards: [ModelCard], settings: AgentSettings, budget: Budget = Budget(), root: URL,
               fallbackSample: Bool = false) async throws -> AgentRunner {
    var harness = try ToyHarness(root: root)
    if fallbackSample { harness.fallbackSample = harness.publicFolder.appendingPathComponent("sample_submission.csv") }
    return AgentRunner(
        task: harness, strategy: MLESTARStrategy(), settings: settings, budget: budget,
        clients: [.coder: llm], runFolder: root.appendingPathComponent("run"), sandbox: try await Sandbox.probing(),
        python: agentTestPython(), libraries: "numpy", retriever: KnowledgeBase(cards: cards), progress: .silent, prices: nil)
}
