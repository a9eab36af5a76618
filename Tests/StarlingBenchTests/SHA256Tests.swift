import Foundation
import StarlingBench
import Testing

@Suite struct SHA256Tests {
    @Test("FIPS 180-4 test vectors", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func vectors(input: String, digest: String) {
        #expect(SHA256.hex(of: Data(input.utf8)) == digest)
    }

    @Test func incrementalUpdatesAndFilesMatchOneShot() throws {
        let bytes = Data((0..<200_003).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        var hash = SHA256()
        for start in stride(from: 0, to: bytes.count, by: 1001) { hash.update(bytes[start..<min(start + 1001, bytes.count)]) }
        let folder = try TemporaryFolder()
        let url = folder.file("blob")
        try bytes.write(to: url)
        let expected = SHA256.hex(of: bytes)
        #expect(hash.finalizeHex() == expected)
        #expect(try SHA256.hex(ofFile: url) == expected)
        #expect(SHA256.hex(of: Data(repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
