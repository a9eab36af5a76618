import Foundation
import StarlingRuntime
import Testing

@Suite struct ChecksumTests {
    @Test("FIPS 180-4 test vectors", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func vectors(input: String, digest: String) {
        #expect(Checksum.sha256(of: Data(input.utf8)) == digest)
    }

    @Test func aFileReadInChunksHashesAsItsBytes() throws {
        // Over one 4 MiB chunk, so the streaming path is used.
        let bytes = Data((0..<(5 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("checksum-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        try bytes.write(to: url)
        #expect(try Checksum.sha256(ofFile: url) == Checksum.sha256(of: bytes))
        #expect(Checksum.sha256(of: Data(repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
