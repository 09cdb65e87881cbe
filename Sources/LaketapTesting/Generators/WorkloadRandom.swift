#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The seeded pseudo-random source of the workload generators: xoshiro256** seeded through SplitMix64.
///
/// The same seed always gives the same sequence, on every platform, so a workload is a pure function of its
/// seed. The distributions mirror the ones `gen_events.py` takes from Python's `random` module (same
/// parameters, not the same numbers).
public struct WorkloadRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64
    /// The second value of the last Box–Muller pair, as Python's `random.gauss` keeps it.
    private var spareGaussian: Double?

    /// Seeds the four state words from SplitMix64, which never yields an all-zero state.
    public init(seed: UInt64) {
        var splitMix = seed
        func nextSplitMix() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        self.s0 = nextSplitMix()
        self.s1 = nextSplitMix()
        self.s2 = nextSplitMix()
        self.s3 = nextSplitMix()
    }

    /// The next 64 random bits (xoshiro256**).
    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = ((self.s1 &* 5) << 7 | (self.s1 &* 5) >> 57) &* 9
        let t = self.s1 << 17
        self.s2 ^= self.s0
        self.s3 ^= self.s1
        self.s1 ^= self.s2
        self.s0 ^= self.s3
        self.s2 ^= t
        self.s3 = self.s3 << 45 | self.s3 >> 19
        return result
    }

    /// A uniform value in `[0, 1)` with 53 random bits (`random.random()`).
    @inline(__always)
    public mutating func unit() -> Double {
        Double(self.next() >> 11) * 0x1p-53
    }

    /// `true` with probability `probability` (`random() < probability`).
    @inline(__always)
    public mutating func chance(_ probability: Double) -> Bool {
        self.unit() < probability
    }

    /// A uniform integer in `0..<count` (Lemire's multiply-high; the bias is below 2⁻³² for these sizes).
    @inline(__always)
    public mutating func below(_ count: Int) -> Int {
        Int(truncatingIfNeeded: self.next().multipliedFullWidth(by: UInt64(count)).high)
    }

    /// A uniform integer in `range`, both ends included (`random.randint`).
    @inline(__always)
    public mutating func integer(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + self.below(range.upperBound - range.lowerBound + 1)
    }

    /// A uniform value in `lower..<upper` (`random.uniform`).
    public mutating func uniform(_ lower: Double, _ upper: Double) -> Double {
        lower + (upper - lower) * self.unit()
    }

    /// An exponential variate with rate `lambda` (`random.expovariate`).
    public mutating func exponential(rate lambda: Double) -> Double {
        -log(1.0 - self.unit()) / lambda
    }

    /// A normal variate (`random.gauss`), Box–Muller with the spare value kept for the next call.
    public mutating func gaussian(mean: Double, deviation: Double) -> Double {
        if let spare = self.spareGaussian {
            self.spareGaussian = nil
            return mean + spare * deviation
        }
        let angle = self.unit() * 2.0 * Double.pi
        let radius = (-2.0 * log(1.0 - self.unit())).squareRoot()
        self.spareGaussian = radius * sin(angle)
        return mean + radius * cos(angle) * deviation
    }

    /// A log-normal variate (`random.lognormvariate`).
    public mutating func logNormal(mean: Double, deviation: Double) -> Double {
        exp(self.gaussian(mean: mean, deviation: deviation))
    }

    /// An index drawn with the given cumulative weights (`random.choices(population, weights)[0]`).
    @inline(__always)
    public mutating func weightedIndex(cumulative: [Double]) -> Int {
        let target = self.unit() * cumulative[cumulative.count - 1]
        var index = 0
        while index < cumulative.count - 1 && cumulative[index] <= target { index += 1 }
        return index
    }

    /// Moves `count` distinct elements of `indices`, chosen uniformly and in random order, to its front
    /// (a partial Fisher–Yates shuffle: `random.sample` without allocating). `indices` stays a permutation.
    @inline(__always)
    public mutating func sampleToFront(_ indices: inout [UInt8], count: Int) {
        for position in 0..<count {
            let other = position + self.below(indices.count - position)
            indices.swapAt(position, other)
        }
    }

    /// Running sums of `weights`, for ``weightedIndex(cumulative:)``.
    public static func cumulative(_ weights: [Double]) -> [Double] {
        var total = 0.0
        return weights.map {
            total += $0
            return total
        }
    }
}
