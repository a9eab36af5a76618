import Crypto
import Foundation

/// SHA-256 digests as lowercase hex (swift-crypto): prepared task files against the digests in a
/// task's config, downloaded models against their published digests.
package enum Checksum {
    /// The SHA-256 of `data`.
    ///
    /// - Returns: 64 lowercase hex digits.
    package static func sha256(of data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    /// The SHA-256 of a file, read in 4 MiB chunks so large files never sit in memory whole.
    ///
    /// - Parameter file: The file.
    /// - Returns: 64 lowercase hex digits.
    /// - Throws: When the file cannot be read.
    package static func sha256(ofFile file: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 4 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
        return hex(hasher.finalize())
    }

    private static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
