import Testing

@testable import Parquet

/// Where pages end (page memory budget, dictionary index rows) and the zstd level trial.
@Suite struct PageSizingTests {
    /// `count` random lowercase hex strings of 32 characters: no repeats for zstd to find.
    static func hexStrings(_ count: Int, seed: UInt64) -> ByteArrayBuffer {
        var random = SplitMix64(seed: seed)
        let digits = Array("0123456789abcdef".utf8)
        var buffer = ByteArrayBuffer()
        for _ in 0..<count {
            var value = [UInt8]()
            for _ in 0..<4 {
                var word = random.next()
                for _ in 0..<8 {
                    value.append(digits[Int(word & 15)])
                    word >>= 4
                }
            }
            buffer.append(value)
        }
        return buffer
    }

    /// Sentences from a small vocabulary, as log messages are.
    static func sentences(_ count: Int, seed: UInt64) -> ByteArrayBuffer {
        var random = SplitMix64(seed: seed)
        let words = ["payment", "accepted", "for", "order", "retry", "queue", "timeout", "user", "session", "closed"]
        var buffer = ByteArrayBuffer()
        for _ in 0..<count {
            var sentence: [String] = []
            for _ in 0..<(4 + Int(random.next() % 6)) { sentence.append(words[Int(random.next() % 10)]) }
            buffer.append(Array(sentence.joined(separator: " ").utf8))
        }
        return buffer
    }

    /// JSON objects as strings, as an analytics event's payload is: the same keys and a few values
    /// repeated across rows, and the identifier of one of `sessions` user sessions, each seen again
    /// thousands of rows later (megabytes back, beyond level 3's 2 MiB window when `sessions` is large).
    static func jsonTexts(_ count: Int, sessions: Int, seed: UInt64) -> ByteArrayBuffer {
        var random = SplitMix64(seed: seed)
        let systems = ["iOS 16.5", "Android 14", "Android 9", "Chrome OS 114", "Windows 11", "macOS 13.4"]
        let pages = ["/", "/about", "/pricing", "/signup", "/compare", "/blog/launch", "/docs/start"]
        let referrers = ["https://t.co/", "https://www.google.com/", "https://news.ycombinator.com/", ""]
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
        let identifiers = (0..<sessions).map { _ in
            String(decoding: (0..<20).map { _ in letters[Int(random.next() % 52)] }, as: UTF8.self)
        }
        var buffer = ByteArrayBuffer()
        for _ in 0..<count {
            let session = Int(random.next() % UInt64(sessions))
            let text =
                "{\"dvce_os\":\"\(systems[session % 6])\",\"session_id\":\"\(identifiers[session])\","
                + "\"page_url\":\"\(pages[Int(random.next() % 7)])\",\"referrer\":\"\(referrers[session % 4])\","
                + "\"geo_country\":\"\(["FR", "DE", "BR", "JP", "US"][session % 5])\"}"
            buffer.append(Array(text.utf8))
        }
        return buffer
    }

    static func write(
        _ schema: ParquetSchema,
        _ columns: [ByteArrayBuffer],
        options: WriterOptions,
        batchRows: Int? = nil
    ) throws -> [UInt8] {
        let writer = try ParquetFileWriter(schema: schema, options: options, sink: MemorySink())
        let rows = columns[0].count
        let step = batchRows ?? rows
        var start = 0
        while start < rows {
            let end = min(rows, start + step)
            try writer.write(columns.map { ColumnBatch(values: .byteArray($0.slice(start..<end))) })
            start = end
        }
        try writer.finish()
        return writer.sink.bytes
    }

    static func dataPages(_ file: [UInt8], column: Int) throws -> Int {
        let metadata = try ParquetFileReader(source: MemorySource(file)).metadata
        var pages = 0
        for group in metadata.rowGroups {
            for entry in group.columns[column].encodingStatistics where entry.pageType == .dataPage {
                pages += Int(entry.count)
            }
        }
        return pages
    }

    @Test func levelTrialKeepsACheapTierUnlessTheConfiguredLevelIsClearlySmaller() throws {
        let schema = try ParquetSchema([.string("hex", .required), .string("text", .required)])
        let columns = [Self.hexStrings(60_000, seed: 1), Self.sentences(60_000, seed: 2)]
        var options = WriterOptions()
        options.compression = .zstd(level: 3)
        options.dictionaryEnabled = false
        // Two row groups: the trial of each column's first large page decides for the second one too.
        options.rowGroupMaxRows = 30_000
        let tried = try Self.write(schema, columns, options: options)
        options.compressionLevelTrial = false
        let fixed = try Self.write(schema, columns, options: options)

        let triedGroups = try ParquetFileReader(source: MemorySource(tried)).metadata.rowGroups
        let fixedGroups = try ParquetFileReader(source: MemorySource(fixed)).metadata.rowGroups
        #expect(triedGroups.count == 2)
        for (triedGroup, fixedGroup) in zip(triedGroups, fixedGroups) {
            // Random hex: the cheap tiers keep no short matches that cost more than the literals.
            #expect(triedGroup.columns[0].compressedSize < fixedGroup.columns[0].compressedSize)
            // Text: level 3 is clearly smaller, so the column keeps it and comes out the same.
            #expect(triedGroup.columns[1].compressedSize == fixedGroup.columns[1].compressedSize)
        }
        let reader = try ParquetFileReader(source: MemorySource(tried))
        for (index, values) in columns.enumerated() {
            let halves = [values.slice(0..<30_000), values.slice(30_000..<60_000)]
            for group in 0..<2 {
                #expect(
                    sameValues(try reader.readColumn(rowGroup: group, column: index).values, .byteArray(halves[group]))
                )
            }
        }
    }

    /// On pages of several MiB of JSON text, the wide tier (a window over the whole page) comes out no larger
    /// than level 3, whose window is 2 MiB, so the trial keeps it: its frame wins within that window.
    @Test func levelTrialTakesTheWideTierOnLargePagesOfText() throws {
        let (tried, fixed) = try Self.largePageChunks(Self.jsonTexts(40_000, sessions: 20_000, seed: 3))
        #expect(tried.compressedSize < fixed.compressedSize)
    }

    /// On pages of several MiB of text where level 3 is smaller within its 2 MiB window, the trial
    /// compares the whole frames too, and keeps the level: the chunk is the one written without a trial.
    @Test func levelTrialKeepsTheLevelOnLargePagesWhereItIsSmaller() throws {
        let (tried, fixed) = try Self.largePageChunks(Self.sentences(200_000, seed: 9))
        #expect(tried.compressedSize == fixed.compressedSize)
    }

    /// On a page of several MiB, the cheap tiers are measured on its first MiB and the one chosen then
    /// compresses the whole page: random hex takes a cheap tier, smaller than level 3, and reads back.
    @Test func levelTrialMeasuresCheapTiersOnTheHeadOfALargePage() throws {
        let (tried, fixed) = try Self.largePageChunks(Self.hexStrings(200_000, seed: 7))
        #expect(tried.compressedSize < fixed.compressedSize)
    }

    /// The first chunks of `column` written without a dictionary in pages of over twice level 3's window,
    /// with and without the trial (``firstChunksWithAndWithoutTrial(_:_:options:)``).
    static func largePageChunks(
        _ column: ByteArrayBuffer,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> (tried: ColumnChunkMetadata, fixed: ColumnChunkMetadata) {
        var options = Self.largePageOptions()
        options.dictionaryEnabled = false
        let chunks = try Self.firstChunksWithAndWithoutTrial(
            try ParquetSchema([.string("values", .required)]),
            column,
            options: options
        )
        #expect(chunks.tried.uncompressedSize > 4 << 20, sourceLocation: sourceLocation)
        return chunks
    }

    /// A trial on dictionary indices says nothing about the values: after the column falls back to plain
    /// pages, the trial runs again on them. Here the indices (random 4-bit numbers) take the fastest tier,
    /// with which the chunk would come out 10% larger than at level 3 throughout.
    @Test func levelTrialRunsAgainAfterADictionaryFallback() throws {
        let schema = try ParquetSchema([.string("payload", .required)])
        let few = Self.jsonTexts(16, sessions: 16, seed: 4)
        let unique = Self.jsonTexts(24_000, sessions: 12_000, seed: 5)
        var column = ByteArrayBuffer()
        var random = SplitMix64(seed: 6)
        for _ in 0..<140_000 { column.append(Array(few[Int(random.next() % 16)])) }
        for index in 0..<unique.count { column.append(Array(unique[index])) }
        var options = Self.largePageOptions()
        // Index pages of 140,000 four-bit indices: 70 KB, large enough for a trial.
        options.dictionaryIndexPageRowLimit = 140_000
        let (tried, fixed) = try Self.firstChunksWithAndWithoutTrial(schema, column, options: options)
        #expect(tried.encodings.contains(.plain) && tried.encodings.contains(.rleDictionary))
        #expect(tried.compressedSize <= fixed.compressedSize)
    }

    /// zstd level 3 and pages of up to 8 MiB, as `laketap convert` writes them.
    static func largePageOptions() -> WriterOptions {
        var options = WriterOptions()
        options.compression = .zstd(level: 3)
        options.dataPageSize = 8 << 20
        options.dataPageRowLimit = 1 << 20
        return options
    }

    /// Writes the one column with the level trial and without it, checks that the tried file reads back
    /// the column, and returns the first chunk of each file.
    static func firstChunksWithAndWithoutTrial(
        _ schema: ParquetSchema,
        _ column: ByteArrayBuffer,
        options: WriterOptions
    ) throws -> (tried: ColumnChunkMetadata, fixed: ColumnChunkMetadata) {
        var options = options
        let tried = try Self.write(schema, [column], options: options)
        options.compressionLevelTrial = false
        let fixed = try Self.write(schema, [column], options: options)
        let reader = try ParquetFileReader(source: MemorySource(tried))
        #expect(sameValues(try reader.readColumn(rowGroup: 0, column: 0).values, .byteArray(column)))
        let fixedReader = try ParquetFileReader(source: MemorySource(fixed))
        return (reader.metadata.rowGroups[0].columns[0], fixedReader.metadata.rowGroups[0].columns[0])
    }

    @Test func levelTrialRule() {
        // The configured level is tried on pages the cheap tiers compress to 45% or less.
        #expect(CompressionTier.triesConfigured(pageBytes: 1_000, cheapest: 450))
        #expect(!CompressionTier.triesConfigured(pageBytes: 1_000, cheapest: 451))
        // And kept when it saves more than 2% of the cheap frame.
        #expect(CompressionTier.keepsConfigured(979, cheapest: 1_000))
        #expect(!CompressionTier.keepsConfigured(980, cheapest: 1_000))
        // The wide tier stands in for the configured level when it is no larger.
        #expect(CompressionTier.prefersWide(1_000, configured: 1_000))
        #expect(!CompressionTier.prefersWide(1_001, configured: 1_000))
        // Level -3 stands in for level -1 when its frame is at most 1% larger.
        #expect(CompressionTier.prefersSkimming(1_010, fastest: 1_000))
        #expect(!CompressionTier.prefersSkimming(1_011, fastest: 1_000))
        // The values as literals stand in for the cheap tiers' frame when at most 1% larger.
        #expect(CompressionTier.prefersLiteralValues(1_010, cheapest: 1_000))
        #expect(!CompressionTier.prefersLiteralValues(1_011, cheapest: 1_000))
        #expect(CompressionTier.allCases == [.literalValues, .skimming, .fastest, .fast, .wide, .configured])
        #expect(Compression.zstd(level: 3).hasWideTier && !Compression.zstd(level: 2).hasWideTier)
    }

    @Test func pageMemoryBudgetEndsTheLargestPagesWhateverTheBatches() throws {
        let widths = [8, 16, 64, 256]
        let rows = 24_000
        let schema = try ParquetSchema(widths.map { .string("w\($0)", .required) })
        var random = SplitMix64(seed: 7)
        let columns: [ByteArrayBuffer] = widths.map { width in
            var buffer = ByteArrayBuffer()
            for _ in 0..<rows {
                buffer.append((0..<width).map { _ in UInt8(ascii: "a") + UInt8(random.next() % 26) })
            }
            return buffer
        }
        var options = WriterOptions()
        options.compression = .uncompressed
        options.dictionaryEnabled = false
        options.dataPageSize = 64 << 20
        options.dataPageRowLimit = 1 << 20
        options.pageMemoryBudget = 2 << 20

        let whole = try Self.write(schema, columns, options: options)
        // Pages end at rows that depend on the rows only, not on how they arrive.
        #expect(try Self.write(schema, columns, options: options, batchRows: 777) == whole)
        let pages = try widths.indices.map { try Self.dataPages(whole, column: $0) }
        // The widest column holds the most and ends its pages most often; the narrowest never has to.
        #expect(pages[3] > pages[2])
        #expect(pages[2] >= pages[1])
        #expect(pages[0] == 1)
        // ~8.3 MB of values under a 2 MiB budget: the widest column's pages hold at most the budget.
        #expect(pages[3] >= rows * 260 / (2 << 20))

        options.pageMemoryBudget = 64 << 20
        let unbounded = try Self.write(schema, columns, options: options)
        #expect(try widths.indices.map { try Self.dataPages(unbounded, column: $0) } == [1, 1, 1, 1])

        let reader = try ParquetFileReader(source: MemorySource(whole))
        for (index, values) in columns.enumerated() {
            #expect(sameValues(try reader.readColumn(rowGroup: 0, column: index).values, .byteArray(values)))
        }
    }

    @Test func dictionaryEncodedPagesEndAtTheirRowLimit() throws {
        let schema = try ParquetSchema([.string("level", .required), .string("id", .required)])
        let levels = ByteArrayBuffer((0..<20_000).map { ["INFO", "WARN", "ERROR"][$0 % 3] })
        let columns = [levels, Self.hexStrings(20_000, seed: 3)]
        var options = WriterOptions()
        options.dataPageSize = 64 << 20
        options.dataPageRowLimit = 1 << 20
        options.dictionaryIndexPageRowLimit = 5_000
        let file = try Self.write(schema, columns, options: options)
        // Dictionary indices: 20,000 rows in pages of 5,000.
        #expect(try Self.dataPages(file, column: 0) == 4)
        // Unique ids fall back to PLAIN after the first page, whose rows the dictionary limit does not bind.
        #expect(try Self.dataPages(file, column: 1) <= 2)
        let reader = try ParquetFileReader(source: MemorySource(file))
        #expect(sameValues(try reader.readColumn(rowGroup: 0, column: 0).values, .byteArray(columns[0])))
        #expect(sameValues(try reader.readColumn(rowGroup: 0, column: 1).values, .byteArray(columns[1])))
    }
}
