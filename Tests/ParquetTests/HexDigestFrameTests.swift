import Testing

@testable import Parquet

/// ``HexDigestFrame``: frames written without zstd decode with libzstd to their input, for every shape
/// of page it takes, and it declines every page it cannot code.
@Suite struct HexDigestFrameTests {
    static func hexValues(_ count: Int, length: Int, upper: Bool = false, seed: UInt64) -> [[UInt8]] {
        var random = SplitMix64(seed: seed)
        let digits = Array((upper ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
        return (0..<count).map { _ in (0..<length).map { _ in digits[Int(random.next() & 15)] } }
    }

    /// The frame of `page`, or nil when the writer declines it; a frame must decode to the page.
    static func frame(
        _ page: [UInt8],
        valuesAt: Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [UInt8]? {
        var writer = HexDigestFrame()
        var region = [UInt8](repeating: 0, count: page.count + page.count / 128 + 1024)
        let size = page.withUnsafeBytes { input in
            region.withUnsafeMutableBytes { writer.write(input, valuesAt: valuesAt, into: $0) }
        }
        guard let size else { return nil }
        let frame = Array(region[0..<size])
        let output = try CompressionTests.decompress(frame, codec: .zstd, size: page.count)
        #expect(output == page, sourceLocation: sourceLocation)
        return frame
    }

    /// Lengths even and odd, both cases, one block or many (a block holds 128 KiB of values), levels
    /// before the values or none, and levels over a raw block's 128 KiB.
    @Test(arguments: [
        (16, 3, 0, false), (16, 4, 9, false), (17, 5, 2, false), (31, 1_000, 0, true), (32, 20_000, 9, false),
        (40, 7_777, 3, true), (64, 3_641, 0, false), (4096, 100, 1, false), (33, 40_000, 200_000, false),
    ])
    func framesDecodeToTheirPage(length: Int, count: Int, levels: Int, upper: Bool) throws {
        let values = Self.hexValues(count, length: length, upper: upper, seed: UInt64(length * count))
        let page = ValueLiteralSequencesTests.plainPage(levels: levels, values)
        let frame = try #require(try Self.frame(page, valuesAt: levels))
        // The first two values raw, then half a byte a digit and a few bits a value beyond.
        #expect(frame.count < levels + 2 * length + count * (length / 2 + 2) + 256)
    }

    @Test func declinesWhatItCannotCode() throws {
        let digests = Self.hexValues(1_000, length: 32, seed: 4)
        var mixedCase = digests
        mixedCase[500] = Array("0123456789ABCDEF0123456789abcdef".utf8)
        var notHex = digests
        notHex[999][31] = UInt8(ascii: "g")
        var otherLength = digests
        otherLength[10] = Array(otherLength[10].prefix(31))
        var repeated = digests
        for index in stride(from: 0, to: 1_000, by: 20) { repeated[index] = digests[0] }
        let declined: [[UInt8]] = [
            ValueLiteralSequencesTests.plainPage(levels: 0, mixedCase),
            ValueLiteralSequencesTests.plainPage(levels: 0, notHex),
            ValueLiteralSequencesTests.plainPage(levels: 0, otherLength),
            ValueLiteralSequencesTests.plainPage(levels: 0, repeated),
            ValueLiteralSequencesTests.plainPage(levels: 0, Array(digests.prefix(2))),
            ValueLiteralSequencesTests.plainPage(levels: 0, Self.hexValues(100, length: 15, seed: 5)),
            // A probe's cut last value.
            Array(ValueLiteralSequencesTests.plainPage(levels: 0, digests).dropLast(7)),
            ValueLiteralSequencesTests.plainPage(levels: 0, [Array("not hex at all, not hex at all!!".utf8)] + digests),
        ]
        for page in declined { #expect(try Self.frame(page, valuesAt: 0) == nil) }
        // One repeat in 50 is few enough.
        var few = digests
        for index in stride(from: 0, to: 1_000, by: 50) { few[index] = digests[1] }
        #expect(try Self.frame(ValueLiteralSequencesTests.plainPage(levels: 0, few), valuesAt: 0) != nil)
    }

    /// Through the compressor: the literalValues tier writes the frame for digests, smaller than level
    /// -3, and a page it declines still gets ``ValueLiteralSequences``' frame.
    @Test func literalValuesTierTakesIt() throws {
        let compressor = try PageCompressor(.zstd(level: 3))
        let page = ValueLiteralSequencesTests.plainPage(levels: 9, Self.hexValues(20_000, length: 32, seed: 6))
        let literals = try ValueLiteralSequencesTests.roundTrip(page, valuesAt: 9, compressor: compressor)
        let frame = try #require(try Self.frame(page, valuesAt: 9))
        #expect(literals == frame.count)
        let skimming = try ValueLiteralSequencesTests.roundTrip(
            page,
            valuesAt: 9,
            tier: .skimming,
            compressor: compressor
        )
        #expect(literals < skimming)
        let uuids = ValueLiteralSequencesTests.plainPage(
            levels: 0,
            Self.hexValues(5_000, length: 36, seed: 7).map {
                var uuid = $0
                for dash in [8, 13, 18, 23] { uuid[dash] = UInt8(ascii: "-") }
                return uuid
            }
        )
        #expect(try Self.frame(uuids, valuesAt: 0) == nil)
        _ = try ValueLiteralSequencesTests.roundTrip(uuids, valuesAt: 0, compressor: compressor)
    }
}
