import Testing

@testable import Parquet

@Suite struct ByteArrayMinMaxTests {
    /// The running min and max under the unsigned order match a plain lexicographic scan, on strings that
    /// share heads, end inside them, hold zero and 0xFF bytes, and are empty: the head shortcut (values
    /// whose first 8 bytes lie strictly between those of min and max) never skips a new min or max.
    @Test func unsignedMinMaxMatchesLexicographicOrder() {
        var random = SplitMix64(seed: 31)
        let alphabet: [UInt8] = [0x00, 0x01, 0x61, 0x62, 0xFE, 0xFF]
        for round in 0..<200 {
            var minMax = ByteArrayMinMax(order: .unsigned)
            var expected: (min: [UInt8], max: [UInt8])? = nil
            for _ in 0..<(1 + round % 50) {
                let count = Int(random.next() % 13)
                let value = (0..<count).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
                value.withUnsafeBytes { minMax.update($0) }
                if let current = expected {
                    expected = (
                        value.lexicographicallyPrecedes(current.min) ? value : current.min,
                        current.max.lexicographicallyPrecedes(value) ? value : current.max
                    )
                } else {
                    expected = (value, value)
                }
            }
            #expect(minMax.min == expected?.min, "round \(round)")
            #expect(minMax.max == expected?.max, "round \(round)")
        }
    }
}
