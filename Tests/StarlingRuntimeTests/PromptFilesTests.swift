import Foundation
import Testing
@testable import StarlingRuntime

@Suite struct PromptFilesTests {
    @Test func anOverrideReplacesTheBundledFileAndAMissingOneIsNamed() throws {
        let root = try scratchFolder()
        let bundled = root.appendingPathComponent("bundled"), overrides = root.appendingPathComponent("mine")
        for folder in [bundled, overrides] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        try "Fit {{model}} on {{rows}} rows.".write(to: bundled.appendingPathComponent("fit.md"), atomically: true, encoding: .utf8)
        try "Bundled plan.".write(to: bundled.appendingPathComponent("plan.md"), atomically: true, encoding: .utf8)
        try "My plan for {{task}}.".write(to: overrides.appendingPathComponent("plan.md"), atomically: true, encoding: .utf8)

        let files = PromptFiles(bundled: bundled, overrides: overrides)
        #expect(try files.text("plan") == "My plan for {{task}}.")
        #expect(try files.text("fit") == "Fit {{model}} on {{rows}} rows.", "no override: the bundled file")
        // An unknown placeholder stays visible.
        #expect(PromptFiles.fill(try files.text("fit"), ["model": "LightGBM", "colour": "red"]) == "Fit LightGBM on {{rows}} rows.")
        let missing = #expect(throws: PromptFileError.self) { try files.text("ensemble") }
        #expect(missing?.description.contains("ensemble.md") == true)
    }

    @Test func sectionsAreSplitAtTheirHeadingsAndARequiredOneMustBeThere() throws {
        let root = try scratchFolder()
        try "intro, ignored\n\n## first\nline one\n\n## second\n\nline two\nline three\n\n"
            .write(to: root.appendingPathComponent("pieces.md"), atomically: true, encoding: .utf8)
        let files = PromptFiles(bundled: root, overrides: nil)
        let sections = try files.sections("pieces", required: ["first", "second"])
        #expect(sections["first"] == "line one")
        #expect(sections["second"] == "line two\nline three")
        let error = #expect(throws: PromptFileError.self) { try files.sections("pieces", required: ["third"]) }
        #expect(error?.description.contains("## third") == true)
    }
}
