import Testing

@testable import Parquet

@Suite struct ByteComparisonTests {
    /// Lexicographic and unsigned at every length up to 40 (words and the byte tail): a byte raised or
    /// lowered at every position, bytes above 0x7F against bytes below, and prefixes.
    @Test func ordersLikeLexicographicComparison() {
        for count in 0...40 {
            let a = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            for position in 0..<count {
                for delta: UInt8 in [1, 0x80, 0xFF] {
                    var b = a
                    b[position] = b[position] &+ delta
                    #expect(Self.sign(a, b) == Self.reference(a, b), "\(count) @ \(position) + \(delta)")
                    #expect(Self.sign(b, a) == Self.reference(b, a), "\(count) @ \(position) + \(delta)")
                }
            }
            #expect(Self.sign(a, a) == 0)
            #expect(Self.sign(a, a + [0]) < 0 && Self.sign(a + [0], a) > 0)
            if count > 0 { #expect(Self.sign(Array(a.dropLast()), a) < 0) }
        }
    }

    /// Random pairs with long shared prefixes, against Swift's lexicographic order.
    @Test func agreesWithReferenceOnRandomPairs() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let shared = (0..<Int.random(in: 0...24, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
            let a =
                shared
                + (0..<Int.random(in: 0...12, using: &generator)).map { _ in UInt8.random(in: 0...3, using: &generator)
                }
            let b =
                shared
                + (0..<Int.random(in: 0...12, using: &generator)).map { _ in UInt8.random(in: 0...3, using: &generator)
                }
            #expect(Self.sign(a, b) == Self.reference(a, b), "\(a) vs \(b)")
        }
    }

    private static func sign(_ a: [UInt8], _ b: [UInt8]) -> Int { ByteComparison.compare(a, b).signum() }

    private static func reference(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a == b ? 0 : a.lexicographicallyPrecedes(b) ? -1 : 1
    }
}
