import CZstd
import Testing

@testable import Parquet

/// The level trial's comparison within the configured level's window (``PageCompressor/configuredReach(_:pageBytes:)``):
/// the frame that measures its first bytes is the page's frame as it would be anyway, and the bytes it
/// gives for them decode to exactly those bytes.
@Suite struct PageCompressorReachTests {
    @Test func reachIsTheLevelsWindowWhenItDoesNotCoverThePage() {
        #expect(PageCompressor.configuredReach(.zstd(level: 3), pageBytes: 8 << 20) == 2 << 20)
        #expect(PageCompressor.configuredReach(.zstd(level: 3), pageBytes: 2 << 20) == nil)
        #expect(PageCompressor.configuredReach(.zstd(level: 3), pageBytes: 1 << 20) == nil)
        // Level 19's window is 8 MiB: it covers the largest page.
        #expect(PageCompressor.configuredReach(.zstd(level: 19), pageBytes: 8 << 20) == nil)
        #expect(PageCompressor.configuredReach(.snappy, pageBytes: 8 << 20) == nil)
    }

    @Test(arguments: [CompressionTier.wide, .configured])
    func measuredFrameIsThePagesFrameAndItsPrefixDecodes(tier: CompressionTier) throws {
        let values = PageSizingTests.jsonTexts(40_000, sessions: 20_000, seed: 11)
        let page = Array(values.bytes.prefix(5 << 20))
        let prefix = try #require(PageCompressor.configuredReach(.zstd(level: 3), pageBytes: page.count))
        let compressor = try PageCompressor(.zstd(level: 3))
        var measured: [UInt8] = []
        let sizes = try compressor.compress(page[...], intoPrefixOf: &measured, tier: tier, measuringPrefix: prefix)
        var plain: [UInt8] = []
        let plainSize = try compressor.compress(page[...], intoPrefixOf: &plain, tier: tier)
        #expect(Array(measured[0..<sizes.size]) == Array(plain[0..<plainSize]))
        #expect(sizes.prefixSize > 0 && sizes.prefixSize < sizes.size)
        #expect(
            try Self.decodedPrefix(of: Array(measured[0..<sizes.prefixSize]), capacity: page.count)
                == Array(page[0..<prefix])
        )
        // The context makes ordinary frames after it, with the tier's settings.
        let again = try compressor.compress(page[...], intoPrefixOf: &plain, tier: tier)
        #expect(Array(plain[0..<again]) == Array(measured[0..<sizes.size]))
    }

    /// What a streaming decoder gives for the first bytes of a frame.
    static func decodedPrefix(of frame: [UInt8], capacity: Int) throws -> [UInt8] {
        let context = try #require(ZSTD_createDCtx())
        defer { ZSTD_freeDCtx(context) }
        var output = [UInt8](repeating: 0, count: capacity)
        let produced = frame.withUnsafeBytes { source in
            output.withUnsafeMutableBytes { destination in
                var input = ZSTD_inBuffer(src: source.baseAddress, size: source.count, pos: 0)
                var out = ZSTD_outBuffer(dst: destination.baseAddress, size: destination.count, pos: 0)
                while input.pos < input.size {
                    let status = ZSTD_decompressStream(context, &out, &input)
                    if ZSTD_isError(status) != 0 { return -1 }
                }
                return out.pos
            }
        }
        try #require(produced >= 0)
        return Array(output[0..<produced])
    }
}
