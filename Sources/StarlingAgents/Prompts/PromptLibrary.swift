import Foundation
import StarlingRuntime

/// The prompts, read from Markdown files with `{{name}}` placeholders. The bundled files live in
/// `Sources/StarlingAgents/Resources/prompts/`; a folder named by `STARLING_PROMPTS` overrides
/// any of them by file name, so a user can edit a prompt without rebuilding.
package struct PromptLibrary: Sendable {
    /// Every prompt Starling sends, one per pipeline step. The stage → prompt map lives here.
    package enum Prompt: String, Sendable, CaseIterable {
        case system, rules
        case taskContext = "task_context"
        case candidate, debug, merge, ablation
        case ablationSummary = "ablation_summary"
        case extractBlock = "extract_block"
        case implementPlan = "implement_plan"
        case nextPlan = "next_plan"
        case ensemblePlan = "ensemble_plan"
        case ensembleImplement = "ensemble_implement"
        case leakageCheck = "leakage_check"
        case leakageCheckChanged = "leakage_check_changed"
        case leakageFix = "leakage_fix"
        case dataUsage = "data_usage"
        case aideDraft = "aide_draft"
        case aideImprove = "aide_improve"
        case editFunction = "edit_function"
        case editDiff = "edit_diff"
        case editWhole = "edit_whole"
        case editRetry = "edit_retry"
        case editEcho = "edit_echo"
        case instructCandidate = "instruct_candidate"
        case instructDebug = "instruct_debug"
        case instructMerge = "instruct_merge"
        case instructMergeBlend = "instruct_merge_blend"
        case instructImprove = "instruct_improve"
        case instructRefine = "instruct_refine"
        case instructDataUsage = "instruct_data_usage"
        case instructLeakageFix = "instruct_leakage_fix"
        case chooseFunction = "choose_function"
        case proposeSpace = "propose_space"
        case editIdeas = "edit_ideas"
        case repoSystem = "repo_system"
        case repoExplore = "repo_explore"
        case repoSolve = "repo_solve"
        case repoDebug = "repo_debug"
    }

    /// Short pieces of prompts (`fragments.md`, one `## name` section each) that code puts
    /// together: a line of rules, a note added on a retry, a heading before a list.
    package enum Fragment: String, Sendable, CaseIterable {
        case predictionProbabilities = "prediction_probabilities"
        case predictionLabels = "prediction_labels"
        case predictionValues = "prediction_values"
        case focusLines = "focus_lines"
        case editNotApplied = "edit_not_applied"
        case formatFunction = "format_function"
        case formatDiff = "format_diff"
        case formatWhole = "format_whole"
        case scriptFunctions = "script_functions"
        case focusFunction = "focus_function"
        case errorFacts = "error_facts"
        case mainCodeFailure = "main_code_failure"
        case earlierFunctions = "earlier_functions"
        case earlierBlocks = "earlier_blocks"
        case blockNotFound = "block_not_found"
        case ensembleHistory = "ensemble_history"
        case ensemblePlan = "ensemble_plan"
        case aideMemory = "aide_memory"
        case noAblationFindings = "no_ablation_findings"
        case pastLessons = "past_lessons"
    }

    private let texts: [Prompt: String]
    private let fragments: [Fragment: String]

    /// Loads the bundled prompts, overridden by files in `overrideFolder` when given (see ``PromptFiles``).
    ///
    /// - Parameter overrideFolder: A folder of `NAME.md` files; `STARLING_PROMPTS` by default.
    /// - Throws: ``AgentError`` naming a missing prompt file or fragment section.
    package init(overrideFolder: URL? = ProcessInfo.processInfo.environment["STARLING_PROMPTS"].map { URL(fileURLWithPath: $0) }) throws {
        let files = PromptFiles(bundled: PromptFiles.folder(in: Bundle.module, "Resources/prompts"), overrides: overrideFolder)
        do {
            var texts: [Prompt: String] = [:]
            for prompt in Prompt.allCases { texts[prompt] = try files.text(prompt.rawValue) }
            self.texts = texts
            let sections = try files.sections("fragments", required: Fragment.allCases.map(\.rawValue))
            self.fragments = Dictionary(uniqueKeysWithValues: Fragment.allCases.map { ($0, sections[$0.rawValue]!) })
        } catch {
            throw AgentError("\(error)")
        }
    }

    /// A fragment with its placeholders filled (see ``render(_:_:)``).
    package func fragment(_ fragment: Fragment, _ values: [String: String] = [:]) -> String {
        PromptFiles.fill(fragments[fragment] ?? "", values)
    }

    /// The concrete changes that edits take in turn (`edit_ideas.md`: `- FUNCTION: idea` lines),
    /// with `{{rows}}` filled.
    ///
    /// - Parameter values: Placeholder name → text.
    /// - Returns: (function, idea) pairs; never empty.
    package func editIdeas(_ values: [String: String] = [:]) -> [(function: String, idea: String)] {
        let ideas = render(.editIdeas, values).split(separator: "\n").compactMap { line -> (String, String)? in
            guard line.hasPrefix("- "), let colon = line.firstIndex(of: ":") else { return nil }
            let function = line[line.index(line.startIndex, offsetBy: 2)..<colon].trimmingCharacters(in: .whitespaces)
            let idea = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            return function.isEmpty || idea.isEmpty ? nil : (function, idea)
        }
        return ideas.isEmpty ? [("fit_predict", "Tune the model's settings for this data.")] : ideas
    }

    /// A prompt with its placeholders filled. Unknown placeholders are left visible, so a typo in
    /// an edited prompt shows up in the journal rather than silently vanishing.
    ///
    /// - Parameters:
    ///   - prompt: Which prompt.
    ///   - values: Placeholder name → text.
    /// - Returns: The filled prompt.
    package func render(_ prompt: Prompt, _ values: [String: String] = [:]) -> String {
        PromptFiles.fill(texts[prompt] ?? "", values).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
