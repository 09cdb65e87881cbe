import Testing

@testable import Parquet

@Suite struct CRC32Tests {
    @Test(arguments: [
        ("", 0x0000_0000 as UInt32),
        ("a", 0xE8B7_BE43),
        ("abc", 0x3524_41C2),
        ("123456789", 0xCBF4_3926),
        ("The quick brown fox jumps over the lazy dog", 0x414F_A339),
    ])
    func matchesKnownVectors(_ text: String, _ expected: UInt32) {
        let bytes = Array(text.utf8)
        #expect(bytes.withUnsafeBytes { CRC32.checksum($0) } == expected)
    }

    @Test func matchesABitwiseReference() {
        var bytes: [UInt8] = []
        for index in 0..<1000 {
            bytes.append(UInt8(truncatingIfNeeded: index &* 31 &+ 7))
        }
        for length in [1, 3, 7, 8, 15, 16, 63, 64, 255, 1000] {
            let prefix = Array(bytes.prefix(length))
            #expect(prefix.withUnsafeBytes { CRC32.checksum($0) } == Self.bitwiseCRC32(prefix), "length \(length)")
        }
    }

    @Test func storedAsSignedInt32InPageHeaders() {
        let bytes = Array("123456789".utf8)
        let crc = bytes.withUnsafeBytes { CRC32.checksum($0) }
        #expect(Int32(bitPattern: crc) == -873_187_034)
    }

    /// The reflected polynomial 0xEDB88320, one bit at a time.
    static func bitwiseCRC32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 {
                crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1
            }
        }
        return ~crc
    }
}
