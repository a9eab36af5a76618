import Foundation
import Testing
@testable import StarlingRuntime

/// The model zoo: the bundled manifest, weight files refused when their hash differs, sources
/// tried in order, and (where `starling setup --zoo` has run) the installed model's features.
@Suite(.serialized) struct ZooTests {
    static func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("zoo-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func theBundledManifestNamesAVerifiableImageModel() throws {
        let manifest = try ZooManifest.bundled()
        let mobilenet = try #require(manifest.models.first { $0.name == "mobilenet_v2" })
        #expect(mobilenet.modality == "image" && mobilenet.outputDimension == 1280 && mobilenet.inputSize == 224)
        #expect(mobilenet.weights.sha256.count == 64 && mobilenet.weights.sha256.hasPrefix("b0353104"), "torchvision names its files by their hash")
        #expect(mobilenet.sources.first?.url != nil && mobilenet.sources.last?.package?.contains("==") == true)
        #expect(!mobilenet.licence.isEmpty)
        #expect(ZooManifest.scripts.map { FileManager.default.fileExists(atPath: $0.appendingPathComponent("starling_zoo.py").path) } == true)
    }

    @Test func aWeightFileWhoseHashDiffersIsRefusedAndNotKept() async throws {
        let folder = try Self.scratch()
        let good = Data("weights that are right".utf8)
        let bad = Data("weights that are wrong".utf8)  // the same size
        try bad.write(to: folder.appendingPathComponent("bad.pth"))
        try good.write(to: folder.appendingPathComponent("good.pth"))
        let weights = ZooManifest.Weights(file: "model.pth", sha256: Checksum.sha256(of: good), sizeBytes: good.count)
        let error = try #require(throws: ZooError.self) { try ZooInstaller.verify(folder.appendingPathComponent("bad.pth"), against: weights) }
        #expect(error.description.contains("SHA-256 \(Checksum.sha256(of: bad))") && error.description.contains("records \(weights.sha256)"))
        try ZooInstaller.verify(folder.appendingPathComponent("good.pth"), against: weights)

        // Sources in order: the first gives the wrong file and is refused, the second is used.
        let entry = ZooManifest.Entry(name: "toy", modality: "image", outputDimension: 4, inputSize: 8, licence: "none", weights: weights, sources: [
            ZooManifest.Source(url: folder.appendingPathComponent("bad.pth").absoluteString),
            ZooManifest.Source(url: folder.appendingPathComponent("good.pth").absoluteString),
        ])
        let home = StarlingHome(root: folder.appendingPathComponent("home"))
        let installer = ZooInstaller(home: home, manifest: ZooManifest(models: [entry]), converter: URL(fileURLWithPath: "/nonexistent"), scripts: folder)
        let lines = LogLines()
        let fetched = try await installer.fetchWeights(entry, log: lines.add)
        #expect(try Data(contentsOf: fetched) == good)
        #expect(lines.all.contains { $0.contains("bad.pth failed") && $0.contains("SHA-256") })
        // Only a wrong file on offer: an error that lists each source's reason, and nothing kept.
        try FileManager.default.removeItem(at: fetched)
        let onlyBad = ZooManifest.Entry(name: "toy", modality: "image", outputDimension: 4, inputSize: 8, licence: "none", weights: weights,
                                        sources: [entry.sources[0]])
        let refused = await #expect(throws: ZooError.self) { try await installer.fetchWeights(onlyBad, log: { _ in }) }
        #expect(refused?.description.contains("no source gave model.pth") == true)
        #expect(!FileManager.default.fileExists(atPath: fetched.path))
        #expect(installer.installed(entry) == nil)
    }

    /// Runs where `starling setup --zoo` has installed the zoo (as `make test` does).
    @Test func theInstalledModelGivesCachedFeaturesAndASecondSetupDoesNothing() async throws {
        let home = StarlingHome.resolve()
        let manifest = try ZooManifest.bundled()
        let scripts = try #require(ZooManifest.scripts)
        let installer = ZooInstaller(home: home, manifest: manifest, converter: home.solutionPython, scripts: scripts)
        guard let entry = manifest.models.first(where: { $0.name == "mobilenet_v2" }), installer.installed(entry) != nil else { return }
        let lines = LogLines()
        _ = try await installer.install(entry, log: lines.add)
        #expect(lines.all.count == 1 && lines.all[0].contains("already installed"))

        let folder = try Self.scratch()
        let script = """
        import sys, time, numpy as np
        from sklearn.datasets import load_sample_image
        from PIL import Image
        sys.path.insert(0, sys.argv[1])
        import starling_zoo
        paths = []
        for name in ("china.jpg", "flower.jpg"):
            Image.fromarray(load_sample_image(name)).save(name)
            paths.append(name)
        started = time.time(); first = starling_zoo.image_features(paths); cold = time.time() - started
        started = time.time(); second = starling_zoo.image_features(paths); warm = time.time() - started
        top = [int(np.argmax(row)) for row in starling_zoo.image_logits(paths)]
        print(first.shape[0], first.shape[1], str(first.dtype), bool(np.allclose(first, second)), warm < cold, top[0])
        """
        let run = try await Shell.capture(home.solutionPython.path, ["-c", script, scripts.path], environment: [
            "STARLING_ZOO_DIR": home.zoo.path, "STARLING_ZOO_CACHE": folder.appendingPathComponent("cache").path,
        ], workingDirectory: folder)
        try #require(run.succeeded, "\(run.standardError)")
        let fields = run.standardOutput.split(separator: "\n").last?.split(separator: " ").map(String.init) ?? []
        #expect(fields.prefix(5) == ["2", "1280", "float32", "True", "True"], "\(run.standardOutput)")
        // scikit-learn's china.jpg is a Chinese palace: ImageNet's class 698 is "palace" (and
        // torchvision's own MobileNetV2 gives it 0.69 there, as the converted model does).
        #expect(fields.last == "698", "china.jpg's top ImageNet class: \(fields.last ?? "?")")
    }
}

extension ZooTests {
    /// Two sandboxed scripts of one run (read-only inputs, their own folders) use the zoo: the
    /// second reads the first one's features from the run's shared cache.
    @Test func sandboxedScriptsOfARunShareTheFeatureCache() async throws {
        let home = StarlingHome.resolve()
        let run = try Self.scratch()
        guard let zoo = ZooAccess.forRun(home: home, runFolder: run) else { return }  // no zoo installed here
        let input = run.appendingPathComponent("input")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        let make = try await Shell.capture(home.solutionPython.path, ["-c", """
            import sys, numpy as np
            from PIL import Image
            for i in range(3):
                Image.fromarray((np.random.default_rng(i).random((64, 48, 3)) * 255).astype(np.uint8)).save(f"{sys.argv[1]}/{i}.png")
            """, input.path])
        try #require(make.succeeded, "\(make.standardError)")
        let script = run.appendingPathComponent("features.py")
        try """
        import glob, os, time
        import starling_zoo
        started = time.time()
        features = starling_zoo.image_features(sorted(glob.glob(os.environ["INPUT"] + "/*.png")))
        print("shape", features.shape, "seconds", round(time.time() - started, 3), "sum", round(float(features.sum()), 3))
        """.write(to: script, atomically: true, encoding: .utf8)
        let sandbox = try await Sandbox.probing()
        var outputs: [String] = []
        for node in ["1", "2"] {
            let folder = run.appendingPathComponent("nodes/\(node)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let request = zoo.apply(to: ExecutionRequest(script: script, workDir: folder, readOnlyPaths: [input], python: home.solutionPython,
                                                         environment: ["INPUT": input.path]))
            #expect(request.readOnlyPaths.contains(home.zoo) && request.environment["PYTHONPATH"]?.hasPrefix(zoo.scripts.path) == true)
            let result = try await sandbox.run(request)
            try #require(result.succeeded, "\(result.output.text)")
            outputs.append(result.output.text)
        }
        #expect(outputs.allSatisfy { $0.contains("shape (3, 1280)") }, "\(outputs)")
        let sums = outputs.map { $0.components(separatedBy: "sum ").last ?? "" }
        #expect(sums[0] == sums[1])
        let cached = try FileManager.default.subpathsOfDirectory(atPath: zoo.cache.path).filter { $0.hasSuffix(".npy") }
        #expect(cached.count >= 3, "the run's cache holds each image's features: \(cached)")
    }
}

/// The text and audio models (installed as they come, with extra files) and what scripts get from them.
extension ZooTests {
    /// Runs `script` with the solution interpreter (the helper's folder as `sys.argv[1]`, a scratch
    /// folder as working directory, its `cache/` as the zoo cache) where `starling setup --zoo` has
    /// installed every model; `nil` elsewhere.
    static func runWithWholeZoo(_ script: String) async throws -> (lines: [String], folder: URL)? {
        let home = StarlingHome.resolve()
        let manifest = try ZooManifest.bundled()
        let scripts = try #require(ZooManifest.scripts)
        let installer = ZooInstaller(home: home, manifest: manifest, converter: home.solutionPython, scripts: scripts)
        guard manifest.models.allSatisfy({ installer.installed($0) != nil }) else { return nil }
        let folder = try scratch()
        let run = try await Shell.capture(home.solutionPython.path, ["-c", script, scripts.path], environment: [
            "STARLING_ZOO_DIR": home.zoo.path, "STARLING_ZOO_CACHE": folder.appendingPathComponent("cache").path,
        ], workingDirectory: folder)
        try #require(run.succeeded, "\(run.standardError)")
        return (run.standardOutput.split(separator: "\n").map(String.init), folder)
    }

    @Test func theManifestCoversImagesTextAndSoundsWithEveryFileHashed() throws {
        let manifest = try ZooManifest.bundled()
        #expect(Set(manifest.models.map(\.modality)) == ["image", "text", "audio"])
        let text = try #require(manifest.models.first { $0.modality == "text" })
        let audio = try #require(manifest.models.first { $0.modality == "audio" })
        #expect(text.conversion == .copy && text.installedPath == "minilm_l6.onnx" && text.outputDimension == 384)
        #expect(audio.runtime == .ctranslate2 && audio.installedPath == "whisper_tiny_en/model.bin" && audio.outputDimension == 1536)
        for entry in manifest.models {
            for file in [entry.weights] + (entry.extras ?? []).map(\.weights) {
                #expect(file.sha256.count == 64 && file.sizeBytes > 0, "\(entry.name) \(file.file)")
            }
            #expect((entry.extras ?? []).allSatisfy { !$0.sources.isEmpty && !$0.installAs.contains("..") })
        }
    }

    /// An installed model whose extra file the manifest now hashes differently counts as not installed.
    @Test func anExtraFileWithAnotherHashMakesTheModelUninstalled() throws {
        let home = StarlingHome.resolve()
        let manifest = try ZooManifest.bundled()
        let installer = ZooInstaller(home: home, manifest: manifest, converter: home.solutionPython, scripts: try #require(ZooManifest.scripts))
        guard var text = manifest.models.first(where: { $0.modality == "text" }), installer.installed(text) != nil else { return }
        text.extras?[0].weights.sha256 = String(repeating: "0", count: 64)
        #expect(installer.installed(text) == nil)
    }

    /// Where `starling setup --zoo` has run: similar texts are closer than unrelated ones, sounds of
    /// any format give one row each, a second call reads the cache, and bad input says what is wrong.
    @Test func textEmbeddingsAndSoundFeaturesFromTheInstalledModels() async throws {
        let script = """
        import sys, numpy as np, soundfile
        sys.path.insert(0, sys.argv[1])
        import starling_zoo
        texts = ["A warm and hugely enjoyable film.", "A delightful, very entertaining movie.", "The quarterly tax form is due in April.", None]
        e = starling_zoo.text_embeddings(texts)
        again = starling_zoo.text_embeddings(texts)
        print("text", e.shape[0], e.shape[1], bool(np.allclose(np.linalg.norm(e[:3], axis=1), 1, atol=1e-4)),
              bool(e[0] @ e[1] > e[0] @ e[2] + 0.2), bool(np.array_equal(e, again)))
        t = np.arange(8000) / 8000
        for name, hz in (("low.wav", 150), ("high.ogg", 300), ("rise.flac", None)):
            wave = np.sin(2 * np.pi * (hz * t if hz else (100 * t + 150 * t * t)))
            soundfile.write(name, 0.3 * wave, 8000)
        a = starling_zoo.audio_features(["low.wav", "high.ogg", "rise.flac"])
        print("audio", a.shape[0], a.shape[1], bool(np.isfinite(a).all()), bool(np.abs(a[0] - a[1]).max() > 0.01))
        for bad in (["missing.wav"], ["notes.txt"]):
            open("notes.txt", "w").write("not a sound")
            try:
                starling_zoo.audio_features(bad)
            except (FileNotFoundError, ValueError) as error:
                print("refused", type(error).__name__, str(error)[:60].replace(" ", "_"))
        """
        guard let (lines, folder) = try await Self.runWithWholeZoo(script) else { return }
        #expect(lines.contains("text 4 384 True True True"), "\(lines)")
        #expect(lines.contains("audio 3 1536 True True"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("refused FileNotFoundError sound_missing.wav_does_not_exist") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("refused ValueError sound_notes.txt_cannot_be_read") }, "\(lines)")
        let cached = try FileManager.default.subpathsOfDirectory(atPath: folder.appendingPathComponent("cache").path)
        #expect(cached.filter { $0.hasPrefix("minilm_l6/") && $0.hasSuffix(".npy") }.count == 4)
        #expect(cached.filter { $0.hasPrefix("whisper_tiny_en/") && $0.hasSuffix(".npy") }.count == 3)
    }
}

extension ZooTests {
    /// `prefetch` fills the cache with what a run's scripts will ask for: a text folder's longest
    /// text column, an image folder's row files; the scripts' own calls, through another path to
    /// the same files (a node's input link), then compute nothing.
    @Test func prefetchFillsTheCacheThatScriptsThenRead() async throws {
        let script = """
        import os, sys, numpy as np, pandas as pd
        from PIL import Image
        sys.path.insert(0, sys.argv[1])
        import starling_zoo
        os.makedirs("texts"); os.makedirs("images/train"); os.makedirs("images/test")
        words = ["a fine film", "dull and long", "warm, funny and wise", "nothing works here"]
        pd.DataFrame({"id": range(40), "kind": ["x"] * 40, "review": [f"{words[i % 4]} number {i}" for i in range(40)], "y": [i % 2 for i in range(40)]}).to_csv("texts/train.csv", index=False)
        pd.DataFrame({"id": range(40, 50), "kind": ["x"] * 10, "review": [None] + [f"late review {i}" for i in range(9)]}).to_csv("texts/test.csv", index=False)
        pd.DataFrame({"id": range(40, 50), "y": 0.5}).to_csv("texts/sample_submission.csv", index=False)
        print("text", starling_zoo.prefetch("texts"))
        cache = os.environ["STARLING_ZOO_CACHE"]
        count = lambda model: len([f for f in os.listdir(os.path.join(cache, model)) if f.endswith(".npy")])
        before = count("minilm_l6")
        train, test = pd.read_csv("texts/train.csv"), pd.read_csv("texts/test.csv")
        starling_zoo.text_embeddings(pd.concat([train["review"], test["review"]]).fillna("").astype(str).tolist())
        print("text cache", before, count("minilm_l6"))
        for i in range(6):
            part = "train" if i < 4 else "test"
            Image.fromarray((np.random.default_rng(i).random((40, 30, 3)) * 255).astype(np.uint8)).save(f"images/{part}/{i}.png")
        pd.DataFrame({"id": range(4), "y": [0, 1, 0, 1]}).to_csv("images/train.csv", index=False)
        pd.DataFrame({"id": [4, 5]}).to_csv("images/test.csv", index=False)
        pd.DataFrame({"id": [4, 5], "y": [0, 0]}).to_csv("images/sample_submission.csv", index=False)
        open("images/layout.json", "w").write('{"id_column": "id", "train": "train.csv", "test": "test.csv", "files": [{"train": "train/{id}.png", "test": "test/{id}.png"}]}')
        print("image", starling_zoo.prefetch("images"))
        os.symlink(os.path.abspath("images"), "input")
        before = count("mobilenet_v2")
        starling_zoo.image_features([f"input/train/{i}.png" for i in range(4)] + [f"input/test/{i}.png" for i in (4, 5)])
        print("image cache", before, count("mobilenet_v2"))
        """
        guard let (lines, _) = try await Self.runWithWholeZoo(script) else { return }
        #expect(lines.contains("text 50 texts of column 'review'"), "\(lines)")
        #expect(lines.contains("text cache 50 50"), "the scripts' texts were all cached: \(lines)")
        #expect(lines.contains("image 6 images"), "\(lines)")
        #expect(lines.contains("image cache 12 12"), "features and logits of 6 images, found again through input/: \(lines)")
    }
}

/// Log lines gathered from a `@Sendable` callback.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var all: [String] { lock.withLock { lines } }
    func add(_ line: String) { lock.withLock { lines.append(line) } }
}
