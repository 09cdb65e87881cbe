import Testing

@testable import Parquet

@Suite struct ByteArrayMinMaxTests {
    /// The running min and max under the unsigned order match a plain lexicographic scan, on strings that
    /// share heads, end inside them, hold zero and 0xFF bytes, and are empty: the head shortcut (values
    /// whose first 8 bytes lie strictly between those of min and max) never skips a new min or max.
    @Test func unsignedMinMaxMatchesLexicographicOrder() {
        var random = SplitMix64(seed: 31)
        for round in 0..<200 {
            let values = (0..<(1 + round % 50)).map { _ in
                (0..<Int(random.next() % 13)).map { _ in Self.alphabet[Int(random.next() % UInt64(Self.alphabet.count))]
                }
            }
            Self.expectLexicographicMinMax(of: values, "round \(round)")
        }
    }

    /// The same on values that mostly begin alike (JSON documents with the same first key): the shortcut
    /// from the bytes min and max share decides each side, and a value that leaves the shared bytes, ends
    /// inside them, or ties with min or max past them, is compared whole.
    @Test func sharedPrefixShortcutMatchesLexicographicOrder() {
        var random = SplitMix64(seed: 47)
        for round in 0..<300 {
            let prefix = (0..<(round % 21)).map { _ in Self.alphabet[Int(random.next() % UInt64(Self.alphabet.count))] }
            let values = (0..<(1 + round % 60)).map { _ in
                var value =
                    prefix + (0..<Int(random.next() % 12)).map { _ in Self.alphabet[Int(random.next() % 3 + 2)] }
                switch random.next() % 10 {
                case 0: value = Array(value.prefix(Int(random.next() % UInt64(value.count + 1))))
                case 1 where !value.isEmpty: value[Int(random.next() % UInt64(value.count))] ^= 0x01
                default: break
                }
                return value
            }
            Self.expectLexicographicMinMax(of: values, "round \(round)")
        }
    }

    @Test func sharedCountMatchesAByteByByteScan() {
        var random = SplitMix64(seed: 53)
        for _ in 0..<2_000 {
            let a = (0..<Int(random.next() % 40)).map { _ in Self.alphabet[Int(random.next() % 2)] }
            var b = a.prefix(Int(random.next() % UInt64(a.count + 1))) + [Self.alphabet[Int(random.next() % 3)]]
            if random.next() % 4 == 0 { b = ArraySlice(a) }
            let expected = zip(a, b).prefix { $0 == $1 }.count
            let shared = a.withUnsafeBytes { x in Array(b).withUnsafeBytes { y in ByteArrayMinMax.sharedCount(x, y) } }
            #expect(shared == expected, "\(a) \(Array(b))")
        }
    }

    static let alphabet: [UInt8] = [0x00, 0x01, 0x61, 0x62, 0xFE, 0xFF]

    static func expectLexicographicMinMax(of values: [[UInt8]], _ comment: Comment) {
        var minMax = ByteArrayMinMax(order: .unsigned)
        for value in values { value.withUnsafeBytes { minMax.update($0) } }
        let sorted = values.sorted { $0.lexicographicallyPrecedes($1) }
        #expect(minMax.min == sorted.first, comment)
        #expect(minMax.max == sorted.last, comment)
    }
}
