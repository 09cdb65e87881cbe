import Parquet
import Testing

@Suite struct ByteEqualityTests {
    /// Every length up to 40 (byte loop, 4-byte and 8-byte words, overlapping tails) with one byte
    /// changed at every position, and lengths that differ.
    @Test func findsEveryDifferenceAtEveryLength() {
        for count in 0...40 {
            let a = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            a.withUnsafeBytes { left in
                #expect(ByteEquality.equal(left, left))
                #expect(ByteEquality.equal(a, left))
                for position in 0..<count {
                    var b = a
                    b[position] ^= 0x40
                    b.withUnsafeBytes { right in #expect(!ByteEquality.equal(left, right), "\(count) @ \(position)") }
                }
                let longer = a + [0]
                longer.withUnsafeBytes { right in #expect(!ByteEquality.equal(left, right)) }
            }
        }
    }
}
