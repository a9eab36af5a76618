import ArgumentParser
import Foundation
import StarlingAgents
import StarlingRuntime

/// `starling lessons`: what each kind of change gained over the runs on this machine.
struct LessonsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lessons",
        abstract: "List the lessons kept across runs: each kind of change, how often it was tried, what it gained (paired, cross-validated).",
        discussion: """
            Runs keep a lesson for every cross-validated change (a candidate's edit idea, a merge, a refinement, a stack) \
            in <home>/lessons/lessons.jsonl, and later runs take their edit ideas best expected gain first on similar tasks. \
            `starling run --no-memory` (or `memory: false` in starling.yaml) neither uses nor keeps them.
            """
    )

    @Option(help: "Only lessons of this task.") var task: String?
    @Flag(help: "Every lesson, one per line, instead of the table by change.") var all = false

    func run() throws {
        let store = LessonStore(file: StarlingHome.resolve().lessons)
        let lessons = store.all().filter { task == nil || $0.taskID == task }
        guard !lessons.isEmpty else {
            print("no lessons yet in \(store.file.path): runs with cross-validation keep one per tried change")
            return
        }
        if all {
            for lesson in lessons {
                print("\(ISO8601DateFormatter().string(from: lesson.at))  \(lesson.taskID)  \(lesson.change)  \(lesson.gain.text)\(lesson.gain.beatsNoise ? "  (beats noise)" : "")  [\(lesson.run)]")
            }
            return
        }
        print("change | tried | beat noise | mean gain | tasks")
        print("--- | --- | --- | --- | ---")
        for (change, group) in Dictionary(grouping: lessons, by: \.change).sorted(by: { $0.key < $1.key }) {
            let mean = group.map(\.gain.mean).reduce(0, +) / Double(group.count)
            let tasks = Set(group.map(\.taskID)).sorted().joined(separator: ", ")
            print("\(change) | \(group.count) | \(group.filter(\.gain.beatsNoise).count) | \(String(format: "%+.4g", mean)) | \(tasks)")
        }
        print("\n\(lessons.count) lessons in \(store.file.path)")
    }
}
