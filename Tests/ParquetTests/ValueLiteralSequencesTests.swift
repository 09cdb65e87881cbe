import Testing

@testable import Parquet

/// ``CompressionTier/literalValues``: frames built from ``ValueLiteralSequences`` decode to their input
/// whatever the bytes, and on values of one length they are smaller than level -3's.
@Suite struct ValueLiteralSequencesTests {
    /// `levels` bytes, then `values` in PLAIN form (a 4-byte little-endian length, then the bytes).
    static func plainPage(levels: Int, _ values: [[UInt8]]) -> [UInt8] {
        var page = (0..<levels).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        for value in values {
            page += (0..<4).map { UInt8(truncatingIfNeeded: value.count >> (8 * $0)) }
            page += value
        }
        return page
    }

    static func hexDigests(_ count: Int, seed: UInt64) -> [[UInt8]] {
        let buffer = PageSizingTests.hexStrings(count, seed: seed)
        return (0..<count).map { Array(buffer[$0]) }
    }

    /// Compresses `input` with the tier, checks that the frame decodes to it, and returns the frame's size.
    static func roundTrip(
        _ input: [UInt8],
        valuesAt: Int?,
        tier: CompressionTier = .literalValues,
        compressor: PageCompressor,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Int {
        var scratch: [UInt8] = []
        let size = try compressor.compress(input[...], intoPrefixOf: &scratch, tier: tier, plainByteArraysAt: valuesAt)
        let output = try CompressionTests.decompress(Array(scratch[0..<size]), codec: .zstd, size: input.count)
        #expect(output == input, sourceLocation: sourceLocation)
        return size
    }

    /// Hex digests match nothing but their length prefixes: one repeat-offset match a value, and the digits
    /// as 4-bit literals, against level -3 that searches every position in vain.
    @Test func digestsComeOutSmallerThanLevelMinusThree() throws {
        let compressor = try PageCompressor(.zstd(level: 3))
        let page = Self.plainPage(levels: 9, Self.hexDigests(20_000, seed: 3))
        let literals = try Self.roundTrip(page, valuesAt: 9, compressor: compressor)
        let skimming = try Self.roundTrip(page, valuesAt: 9, tier: .skimming, compressor: compressor)
        #expect(literals < skimming)
        // 16 bytes of entropy a value, and next to nothing for the prefixes.
        #expect(literals < 20_000 * 33 / 2)
    }

    /// Whatever the bytes after `valuesAt` hold, the frame decodes to the input: empty values (a match
    /// and no literals, 32,768 of them in a block), values of many lengths, a value longer than
    /// ``ValueLiteralSequences/maximumOffset``, a last value cut short (a trial's probe), random bytes read
    /// as lengths, and values that start at the end of the input.
    @Test func everyInputRoundTrips() throws {
        let compressor = try PageCompressor(.zstd(level: 3))
        var random = SplitMix64(seed: 11)
        let mixed = (0..<5_000).map { i in
            (0..<(i % 7 == 0 ? 0 : Int(random.next() % 90))).map { _ in UInt8(random.next() & 0x7F) }
        }
        let empty = [[UInt8]](repeating: [], count: 100_000)
        let long = [
            Array(repeating: UInt8(0x61), count: 300_000), [0x62], Array(repeating: UInt8(0x63), count: 200_000),
            [0x64],
        ]
        let digests = Self.plainPage(levels: 0, Self.hexDigests(3_000, seed: 5))
        let noise = CompressionTests.randomBytes(count: 400_000, seed: 12)
        let cases: [(String, [UInt8], Int)] = [
            ("mixed", Self.plainPage(levels: 3, mixed), 3),
            ("empty values", Self.plainPage(levels: 0, empty), 0),
            ("long values", Self.plainPage(levels: 31, long), 31),
            ("cut short", Array(digests[0..<(digests.count - 17)]), 0),
            ("noise", noise, 5),
            ("values at the end", Self.plainPage(levels: 12, []), 12),
            ("a lone prefix", [0, 0, 0, 0], 0),
        ]
        for (name, input, valuesAt) in cases {
            let size = try Self.roundTrip(input, valuesAt: valuesAt, compressor: compressor)
            #expect(size > 0, "\(name)")
        }
        // 100,000 equal prefixes: a few bytes per thousand values.
        #expect(try Self.roundTrip(Self.plainPage(levels: 0, empty), valuesAt: 0, compressor: compressor) < 2_000)
    }

    /// A page that is not PLAIN byte arrays gets level -3's frame, and so does any codec without tiers.
    @Test func otherPagesTakeLevelMinusThree() throws {
        let compressor = try PageCompressor(.zstd(level: 3))
        let page = Self.plainPage(levels: 9, Self.hexDigests(2_000, seed: 8))
        var literals: [UInt8] = []
        let size = try compressor.compress(page[...], intoPrefixOf: &literals, tier: .literalValues)
        var skimming: [UInt8] = []
        let skimmingSize = try compressor.compress(page[...], intoPrefixOf: &skimming, tier: .skimming)
        #expect(literals[0..<size] == skimming[0..<skimmingSize])
        // zstd level 1 has no cheaper tiers: its own frame, decodable.
        _ = try Self.roundTrip(page, valuesAt: 9, compressor: try PageCompressor(.zstd(level: 1)))
    }

    /// In a file: the level trial takes the tier for a column of digests, which comes out smaller than
    /// level -3 makes its values, and reads back.
    @Test func levelTrialTakesItForDigests() throws {
        let schema = try ParquetSchema([.string("digest", .required)])
        let digests = PageSizingTests.hexStrings(60_000, seed: 9)
        var options = WriterOptions()
        options.compression = .zstd(level: 3)
        options.dictionaryEnabled = false
        let file = try PageSizingTests.write(schema, [digests], options: options)
        let reader = try ParquetFileReader(source: MemorySource(file))
        #expect(sameValues(try reader.readColumn(rowGroup: 0, column: 0).values, .byteArray(digests)))
        let values = Self.plainPage(levels: 0, (0..<digests.count).map { Array(digests[$0]) })
        var skimming: [UInt8] = []
        let skimmingSize = try PageCompressor(.zstd(level: 3)).compress(
            values[...],
            intoPrefixOf: &skimming,
            tier: .skimming
        )
        #expect(reader.metadata.rowGroups[0].columns[0].compressedSize < skimmingSize)
    }

    /// A value equal to one shortly before it is one match for its prefix and bytes: identifiers that
    /// come in batches cost a byte or so each, not their 16 bytes of entropy.
    @Test func repeatedValuesAreWholeMatches() throws {
        let compressor = try PageCompressor(.zstd(level: 3))
        let few = Self.hexDigests(50, seed: 22)
        let batched = (0..<40_000).map { few[($0 * 7 + $0 / 13) % 50] }
        let page = Self.plainPage(levels: 9, batched)
        let literals = try Self.roundTrip(page, valuesAt: 9, compressor: compressor)
        // Under a byte a value (level -3 about a fifth of that here, whose matches span several values);
        // without whole-value matches, 16.
        #expect(literals < 40_000)
        // Short values (under 8 bytes) and values further back than the table reaches still round-trip.
        var random = SplitMix64(seed: 23)
        let mixed = (0..<30_000).map { i -> [UInt8] in
            i % 3 == 0
                ? Array(few[Int(random.next() % 50)].prefix(Int(random.next() % 12))) : few[Int(random.next() % 50)]
        }
        _ = try Self.roundTrip(Self.plainPage(levels: 0, mixed), valuesAt: 0, compressor: compressor)
    }
}
