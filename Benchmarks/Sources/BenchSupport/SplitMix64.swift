/// SplitMix64 (Steele, Lea, Flood 2014): a tiny seeded generator whose output is the same on
/// every platform and Swift version, so every benchmark table is byte-for-byte reproducible.
///
/// The helpers below draw with plain modulo and 53-bit fractions instead of the standard
/// library's `random(in:using:)`, whose algorithm is not promised to stay fixed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { self.state = seed }

    public mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<bound` (modulo bias is irrelevant here).
    public mutating func below(_ bound: Int) -> Int { Int(self.next() % UInt64(bound)) }

    /// A value in `[0, 1)`.
    public mutating func unit() -> Double { Double(self.next() >> 11) * 0x1p-53 }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { self.unit() < p }

    /// An index drawn with the given weights.
    public mutating func weighted(_ cumulative: [Double]) -> Int {
        let x = self.unit() * cumulative[cumulative.count - 1]
        var i = 0
        while i < cumulative.count - 1 && x >= cumulative[i] { i += 1 }
        return i
    }
}

/// Running sums of `weights`, for ``SplitMix64/weighted(_:)``.
public func cumulativeWeights(_ weights: [Double]) -> [Double] {
    var sum = 0.0
    return weights.map { sum += $0; return sum }
}
