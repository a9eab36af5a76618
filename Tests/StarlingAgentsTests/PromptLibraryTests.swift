import Foundation
import Testing
@testable import StarlingAgents

@Suite struct PromptLibraryTests {
    @Test func everyPromptAndFragmentLoadsWithItsPlaceholdersFilled() throws {
        let prompts = try PromptLibrary(overrideFolder: nil)
        for prompt in PromptLibrary.Prompt.allCases { #expect(!prompts.render(prompt).isEmpty, "\(prompt.rawValue).md") }
        for fragment in PromptLibrary.Fragment.allCases { #expect(!prompts.fragment(fragment).isEmpty, "## \(fragment.rawValue)") }
        let focus = prompts.fragment(.focusLines, ["lines": "x = 1"])
        #expect(focus.contains("```python\nx = 1\n```") && !focus.hasSuffix("\n"), "the code adds the line breaks around a fragment")
        #expect(!prompts.fragment(.mainCodeFailure, ["function": "fit_predict"]).contains("{{"))
    }

    @Test func aFolderOverridesFragmentsAndAMissingSectionIsNamed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("prompts-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let bundled = try PromptLibrary(overrideFolder: nil)
        var text = PromptLibrary.Fragment.allCases.map { "## \($0.rawValue)\n\(bundled.fragment($0))\n" }.joined(separator: "\n")
        text = text.replacingOccurrences(of: "## format_diff\nSEARCH/REPLACE blocks only.", with: "## format_diff\nOnly SEARCH/REPLACE blocks, please.")
        try text.write(to: folder.appendingPathComponent("fragments.md"), atomically: true, encoding: .utf8)
        #expect(try PromptLibrary(overrideFolder: folder).fragment(.formatDiff) == "Only SEARCH/REPLACE blocks, please.")
        try text.replacingOccurrences(of: "## aide_memory", with: "## aide_memories").write(to: folder.appendingPathComponent("fragments.md"), atomically: true, encoding: .utf8)
        let error = #expect(throws: AgentError.self) { try PromptLibrary(overrideFolder: folder) }
        #expect(error?.message.contains("aide_memory") == true)
    }
}
