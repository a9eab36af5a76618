import Foundation
import Testing
@testable import StarlingBench
import StarlingRuntime

/// GitTaskBench's own layout, in miniature (a made-up task in its exact file formats: a Chinese
/// query.json with `/GitTaskBench/` paths, task_info.yaml with a numeric parameter, a test script
/// that appends a `Process`/`Result` JSON line), imported and judged.
@Suite("GitTaskBench import")
struct GitTaskBenchImporterTests {
    static func checkout() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("starling-gtb-\(UUID().uuidString.prefix(8))")
        let files = [
            "queries/Echo_01/query.json": """
            {
                "task_id": "Echo_01",
                "task_description": "根据仓库内容，把输入文本转为大写并保存为txt文件",
                "prompt_file": "/GitTaskBench/queries/Echo_01/task_meta/openhands_prompt.md",
                "repositories": [{"name": "Echo", "path": "/GitTaskBench/code_base/Echo", "url": "https://example.invalid/echo",
                                  "understanding_guidelines": ["阅读README.md了解项目基本功能和使用方法"]}],
                "working_sub_directory_name": "/Echo_01",
                "file_paths": {"input_files": [{"path": "/GitTaskBench/queries/Echo_01/input/Echo_01_input.txt", "description": "输入文本"}]}
            }
            """,
            "queries/Echo_01/input/Echo_01_input.txt": "hello\n",
            "config/Echo_01/task_info.yaml": """
            taskid: Echo_01
            result: test_results/Echo_01/results.jsonl
            output_dir: output/Echo_01/
            groundtruth: groundtruth/Echo_01/gt.txt
            test_script: test_scripts/Echo_01/test_script.py
            multi_output: false
            parameters:
             threshold: 0.9
            """,
            "groundtruth/Echo_01/gt.txt": "HELLO\n",
            "test_scripts/Echo_01/test_script.py": """
            import argparse, json
            p = argparse.ArgumentParser()
            p.add_argument("--output", required=True); p.add_argument("--groundtruth", required=True)
            p.add_argument("--result", required=True); p.add_argument("--threshold", type=float, default=0.5)
            a = p.parse_args()
            got = open(a.output).read().strip()
            want = open(a.groundtruth).read().strip()
            ok = got == want and a.threshold == 0.9
            with open(a.result, "a") as f:
                f.write(json.dumps({"Process": True, "Result": ok, "TimePoint": "2025-01-01T00:00:00", "comments": got}) + "\\n")
            """,
            "code_base/Echo/README.md": "# Echo\n",
            "code_base/Echo/echo/__init__.py": "def shout(text):\n    return text.upper()\n",
            "code_base/Echo/tests/__init__.py": "",
            "queries/Broken_01/query.json": """
            {"task_id": "Broken_01", "task_description": "x", "repositories": [{"name": "Gone", "path": "/GitTaskBench/code_base/Gone"}],
             "file_paths": {"input_files": [{"path": "", "description": ""}]}}
            """,
            "config/Broken_01/task_info.yaml": "taskid: Broken_01\ntest_script: test_scripts/Broken_01/test_script.py\nmulti_output: false\n",
        ]
        for (path, text) in files {
            let file = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        return root
    }

    @Test func importsWhatItCanAndSaysWhyItSkipsTheRest() throws {
        let source = try Self.checkout()
        let out = source.appendingPathComponent("imported")
        let results = try GitTaskBenchImporter(source: source).importTasks(into: out)
        #expect(results.map(\.id) == ["Broken_01", "Echo_01"])
        #expect(results[0].folder == nil && results[0].skipped?.contains("code_base/Gone is not in the checkout") == true)
        let task = try #require(try RepoTaskStore(roots: [out]).task("Echo_01"))
        #expect(task.source.name == "echo" && task.source.importRoot == ".")
        #expect(task.source.path == source.appendingPathComponent("code_base/Echo").path)
        #expect(task.test.output == "file")
        #expect(task.test.parameters == ["threshold": "0.9"])
        #expect(task.inputs == ["input/Echo_01_input.txt"])
        #expect(task.description.contains("把输入文本转为大写"))
        #expect(task.description.contains("`output.<ext>`"))
        #expect(task.description.contains("import echo"))
    }

    @Test func theImportedTaskIsJudgedByItsOwnTestScript() async throws {
        let source = try Self.checkout()
        let out = source.appendingPathComponent("imported")
        _ = try GitTaskBenchImporter(source: source).importTasks(into: out, only: ["Echo_01"])
        let task = try #require(try RepoTaskStore(roots: [out]).task("Echo_01"))
        let output = source.appendingPathComponent("run-output")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try "HELLO".write(to: output.appendingPathComponent("output.txt"), atomically: true, encoding: .utf8)
        let python = URL(fileURLWithPath: Shell.which("python3") ?? "/usr/bin/python3")
        let check = try await RepoCheck.run(task: task, output: output, scratch: source.appendingPathComponent("check"), sandbox: try await Sandbox.probing(), python: python)
        #expect(check == RepoCheck(process: true, result: true, comments: "HELLO"))
        #expect(throws: RepoTaskError.self) { try GitTaskBenchImporter(source: source).importTasks(into: out, only: ["Nope_01"]) }
    }

    @Test func theImportNameIsWhatTheRepositoryReallyProvidesNeverAnInventedOne() throws {
        let fm = FileManager.default
        func repository(_ files: [String]) throws -> URL {
            let root = fm.temporaryDirectory.appendingPathComponent("gtb-repo-\(UUID().uuidString.prefix(8))")
            for file in files {
                try fm.createDirectory(at: root.appendingPathComponent(file).deletingLastPathComponent(), withIntermediateDirectories: true)
                try "x = 1\n".write(to: root.appendingPathComponent(file), atomically: true, encoding: .utf8)
            }
            return root
        }
        // A src layout package named like the repository.
        #expect(GitTaskBenchImporter.importName(try repository(["src/video_pose/__init__.py", "tests/__init__.py"]), repository: "Video-Pose") == ("video_pose", "src"))
        // No package: the top-level module named like the repository, not setup.py or a test.
        #expect(GitTaskBenchImporter.importName(try repository(["setup.py", "test_run.py", "descratch.py", "util.py"]), repository: "DeScratch") == ("descratch", "."))
        // Neither: no name at all (scripts run by path), not the lower-cased repository name.
        #expect(GitTaskBenchImporter.importName(try repository(["run.py", "common/model.py", "README.md"]), repository: "VideoPose3D") == ("", "."))
    }
}
