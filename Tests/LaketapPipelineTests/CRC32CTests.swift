import CCRC32C
import Testing

/// The log's entry checksum: CRC-32C (Castagnoli), hardware or table, against the standard check
/// value and a bitwise reference at every length and alignment around the 8-byte steps.
@Suite struct CRC32CTests {
    static func reference(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return ~crc
    }

    static func crc(_ bytes: ArraySlice<UInt8>, seed: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { laketap_crc32c(seed, $0.baseAddress, $0.count) }
    }

    @Test func checkValue() {
        #expect(Self.crc(ArraySlice("123456789".utf8)) == 0xE306_9283)
        #expect(Self.crc([]) == 0)
    }

    @Test func matchesTheBitwiseReferenceAtEveryLengthAndAlignment() {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<300).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for start in 0..<9 {
            for end in stride(from: start, through: bytes.count, by: 7) {
                let slice = bytes[start..<end]
                #expect(Self.crc(slice) == Self.reference(Array(slice)))
            }
        }
    }

    @Test func continuesARunningValue() {
        let bytes = Array("the write-ahead log's entries".utf8)
        let whole = Self.crc(bytes[...])
        for split in 0...bytes.count {
            #expect(Self.crc(bytes[split...], seed: Self.crc(bytes[..<split])) == whole)
        }
    }
}
