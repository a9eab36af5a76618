import Foundation
import StarlingBench
import StarlingRuntime
import StarlingTestSupport
import Testing

/// The three bundled tasks that measure the model zoo (an image, a text and an audio task): each
/// is prepared from its downloaded package file, byte-identical to the checksums in its config,
/// and the agent view unpacks its per-row files and moves the dev rows' files to the test side.
@Suite(.serialized) struct ZooTaskTests {
    static let ids = ["solar-cells", "movie-snippets", "mandarin-tones"]

    /// Copies of the tasks and their shared helper, so that preparing them leaves the checkout alone.
    static func copies() throws -> (TemporaryFolder, TaskStore) {
        let folder = try TemporaryFolder("zoo-tasks")
        let lite = try #require(TaskStore.locate().roots.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("solar-cells").path) })
        for name in ids + ["_common.py"] {
            let source = lite.appendingPathComponent(name)
            var copied: [String] = []
            if name.hasSuffix(".py") {
                try FileManager.default.copyItem(at: source, to: folder.file(name))
                continue
            }
            try FileManager.default.createDirectory(at: folder.file(name), withIntermediateDirectories: true)
            for file in try FileManager.default.contentsOfDirectory(atPath: source.path) where file != "prepared" && !file.hasPrefix(".") {
                try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: folder.file("\(name)/\(file)"))
                copied.append(file)
            }
            #expect(copied.contains("prepare.py") && copied.contains("reference.py") && copied.contains("baseline.py"))
        }
        return (folder, TaskStore(roots: [folder.url]))
    }

    @Test func theZooTasksPrepareByteIdenticallyAndTheirFilesReachTheView() async throws {
        let home = StarlingHome.resolve()
        guard FileManager.default.isExecutableFile(atPath: home.dataPython.path) else { return }  // `starling setup --data` not run
        let (folder, store) = try Self.copies()
        for id in Self.ids {
            let task = try store.task(id)
            #expect(task.spec.baseline != nil && task.spec.reference != nil, "\(id) is calibrated")
            let outcome = try await TaskPreparer(python: home.dataPython).prepare(task)
            #expect(outcome.unrecorded.isEmpty, "\(id): every prepared file has a recorded checksum: \(outcome.unrecorded)")
            #expect(try TaskPreparer.verify(task).isEmpty)
            guard !task.inputs.files.isEmpty else { continue }
            let view = try AgentViewBuilder(task: task, seed: 1).build(into: folder.file("views/\(id)"), secretsFolder: folder.file("secrets/\(id)"))
            let testRows = try String(contentsOf: view.folder.appendingPathComponent("test.csv"), encoding: .utf8)
                .split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[0]) }
            let trainRows = try String(contentsOf: view.folder.appendingPathComponent("train.csv"), encoding: .utf8)
                .split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[0]) }
            let pattern = try #require(task.inputs.files.first)
            let missing = testRows.filter { !FileManager.default.fileExists(atPath: view.folder.appendingPathComponent(pattern.test.replacingOccurrences(of: "{id}", with: $0)).path) }
                + trainRows.filter { !FileManager.default.fileExists(atPath: view.folder.appendingPathComponent(pattern.train.replacingOccurrences(of: "{id}", with: $0)).path) }
            #expect(missing.isEmpty, "\(id): rows without their file in the view: \(missing.prefix(5))")
            #expect(!FileManager.default.fileExists(atPath: view.folder.appendingPathComponent("train.zip").path), "\(id): archives are unpacked")
            #expect(testRows.count > 400 && trainRows.count > 1000, "\(id): \(trainRows.count) training and \(testRows.count) test rows")
        }
    }
}
