/// A column chunk ready to be placed in the file: pages serialized, offsets relative to the chunk.
struct FinishedColumnChunk {
    var column: ColumnDescriptor
    /// Dictionary page (header + body), written first.
    var dictionaryPage: [UInt8]?
    /// Data pages (header + body each), in order: one array per page, so a row group's pages are not
    /// copied into ever larger buffers as it grows.
    var dataPages: [[UInt8]]
    var dataPagesByteCount: Int
    /// Offsets relative to the start of `dataPages`.
    var pageLocations: [PageLocation]
    var columnIndex: ColumnIndex?
    /// `dataPageOffset`/`dictionaryPageOffset` are filled in when the chunk is placed.
    var metaData: ColumnMetaData
    var bloomFilter: SplitBlockBloomFilter?

    var byteCount: Int { (self.dictionaryPage?.count ?? 0) + self.dataPagesByteCount }
}

/// Writes one column chunk: cuts pages at row boundaries, encodes levels, compresses, and keeps the
/// page index; ``ColumnValueEncoder`` does the typed work.
final class ColumnChunkWriter<Encoder: ColumnValueEncoder> {
    let column: ColumnDescriptor
    private let options: WriterOptions
    private let columnOptions: ResolvedColumnOptions
    private var encoder: Encoder
    private let definitionBitWidth: Int
    private let repetitionBitWidth: Int
    /// Values are added in slices of at most this many rows between page-size checks.
    private let writeBatchRows = 1024

    // Current page.
    private var definitionLevels: [UInt8] = []
    private var repetitionLevels: [UInt8] = []
    private var pageRows = 0
    private var pageValues = 0

    // Current chunk.
    private var pages: [ChunkPage] = []
    /// The first row of each page, for its ``PageLocation`` (placed when the chunk is finished, once
    /// every page's compressed size is known).
    private var pageFirstRows: [Int64] = []
    private var nullPages: [Bool] = []
    private var pageMins: [[UInt8]] = []
    private var pageMaxes: [[UInt8]] = []
    private var pageNullCounts: [Int64] = []
    private var columnIndexPossible = true
    private var chunkRows: Int64 = 0
    private var chunkSlots: Int64 = 0
    private var chunkNulls: Int64 = 0
    /// The data pages' bodies before compression. ``bufferedBytes`` adds ``pageHeaderAllowance`` per
    /// page rather than the headers' exact sizes, which depend on the compressed sizes: row groups end at
    /// the same rows whether pages are compressed at once or later, on another thread.
    private var pageBodyBytes = 0
    private static var pageHeaderAllowance: Int { 24 }
    private var encodingsUsed: [Encoding] = []
    private var encodingStats: [PageEncodingStats] = []

    // Scratch buffers, from ``PageScratchPool/shared`` while a page is flushed (empty otherwise).
    private var body: [UInt8] = []
    private var valuesSection: [UInt8] = []
    private var compressed: [UInt8] = []
    /// The compressor of the scratch in use.
    private var compressor: PageCompressor?
    /// The compression tier of the column's pages, chosen by its level trial.
    private var tier = CompressionTier.configured

    /// Whether the column tries the compressor's cheaper tiers (``WriterOptions/compressionLevelTrial``).
    private let triesCheaperLevel: Bool
    /// Whether the column's next page of at least ``levelTrialMinimumBytes`` still has to try them: the
    /// first such page of the file decides for the column's later pages and chunks (unless it held
    /// dictionary indices, ``fallBack()``).
    private var levelTrialPending: Bool
    /// Whether the level trial has run, and whether on a page of dictionary indices (then it runs again
    /// after a dictionary fallback, ``fallBack()``).
    private var levelTrialRan = false
    private var levelTrialOnIndices = false
    /// Smaller pages say little about the data (and cost little either way).
    private static var levelTrialMinimumBytes: Int { 64 << 10 }
    /// The head of a page of at least twice this size on which a level trial measures its cheap tiers.
    private static var levelTrialProbeBytes: Int { 1 << 20 }
    /// Whether the column's next plain page with at least ``levelTrialMinimumBytes`` of values still has
    /// to try DELTA_BINARY_PACKED (``DeltaEncodingTrial``), before its level trial; once per file.
    private var deltaTrialPending: Bool
    /// Compresses large pages on other threads, when the file writer has a task runner.
    var offload: PageCompressionOffload?

    init(column: ColumnDescriptor, options: WriterOptions) throws(ParquetError) {
        self.column = column
        self.options = options
        self.columnOptions = options.resolved(for: column)
        self.encoder = try Encoder(column: column, options: self.columnOptions, writerOptions: options)
        // Checks the codec and level now; pages are compressed with the scratch pool's contexts.
        _ = try PageCompressor(self.columnOptions.compression)
        self.triesCheaperLevel = options.compressionLevelTrial && self.columnOptions.compression.hasCheaperTiers
        self.levelTrialPending = self.triesCheaperLevel
        self.deltaTrialPending = self.columnOptions.triesDelta
        self.definitionBitWidth = BitWidth.forMaxValue(UInt64(column.maxDefinitionLevel))
        self.repetitionBitWidth = BitWidth.forMaxValue(UInt64(column.maxRepetitionLevel))
    }

    /// Encoded, uncompressed bytes of the chunk so far (finished pages plus the page in progress):
    /// what ``WriterOptions/rowGroupMaxBytes`` limits. The memory held is the compressed share of it.
    var bufferedBytes: Int {
        self.pageBodyBytes + self.pages.count * Self.pageHeaderAllowance + self.encoder.pageByteEstimate
            + (self.definitionLevels.count + self.repetitionLevels.count) / 4
    }

    /// The most rows of the page in progress: dictionary indices are small once encoded, so their pages
    /// gain little from more rows, but are held at four bytes each until then.
    private var pageRowLimit: Int {
        self.encoder.encodesWithDictionary
            ? min(self.options.dataPageRowLimit, self.options.dictionaryIndexPageRowLimit)
            : self.options.dataPageRowLimit
    }

    /// Bytes held for the page in progress: its levels, and its values as the encoder keeps them.
    var pageMemory: Int {
        self.definitionLevels.count + self.repetitionLevels.count + self.encoder.pageMemory
    }

    /// Ends the page in progress here and lets its buffers go (``WriterOptions/pageMemoryBudget``).
    func cutPage() throws(ParquetError) {
        try self.flushPage()
        if self.encoder.wantsFallback { self.fallBack() }
        self.encoder.releasePageMemory()
        self.definitionLevels = []
        self.repetitionLevels = []
    }

    /// Leaves dictionary encoding for the rest of the chunk. When the level trial ran on dictionary indices,
    /// it runs again on the first large plain page: a tier chosen on indices says little about the values.
    private func fallBack() {
        self.encoder.fallBack()
        if self.levelTrialOnIndices { self.levelTrialPending = true }
        self.levelTrialOnIndices = false
    }

    /// Runs `body` with the scratch buffers of a page flush.
    private func withScratch<Result>(
        _ body: () throws(ParquetError) -> Result
    ) throws(ParquetError) -> Result {
        let scratch = PageScratchPool.shared.take()
        swap(&self.body, &scratch.body)
        swap(&self.valuesSection, &scratch.valuesSection)
        swap(&self.compressed, &scratch.compressed)
        self.compressor = try scratch.compressor(for: self.columnOptions.compression)
        defer {
            self.compressor = nil
            swap(&self.body, &scratch.body)
            swap(&self.valuesSection, &scratch.valuesSection)
            swap(&self.compressed, &scratch.compressed)
            PageScratchPool.shared.give(scratch)
        }
        return try body()
    }

    /// Writes the rows of `batch` in `slots`, whose values start at `firstValue`; returns how many values
    /// their definition levels took.
    func write(_ batch: ColumnBatch, slots: Range<Int>, firstValue: Int) throws(ParquetError) -> Int {
        let typed = try Encoder.values(of: batch.values, column: self.column)
        let valueLimit = Encoder.count(of: typed)
        let maxDefinition = UInt8(self.column.maxDefinitionLevel)
        let maxRepetition = UInt8(self.column.maxRepetitionLevel)
        var slot = slots.lowerBound
        var value = firstValue
        while slot < slots.upperBound {
            // Slices end at multiples of `writeBatchRows` within the page, and the page is checked only
            // there: where pages are cut depends on the rows alone, not on how they were split into batches.
            let rowBudget = max(
                1,
                min(
                    self.writeBatchRows - self.pageRows % self.writeBatchRows,
                    self.pageRowLimit - self.pageRows
                )
            )
            // Find the end of the next `rowBudget` rows.
            var end = slot
            var rows = 0
            if maxRepetition == 0 {
                end = min(slots.upperBound, slot + rowBudget)
                rows = end - slot
            } else {
                try batch.repetitionLevels.withUnsafeBufferPointer { (levels) throws(ParquetError) in
                    while end < slots.upperBound {
                        let level = levels[end]
                        if level == 0 {
                            if rows == rowBudget { break }
                            rows += 1
                        } else if level > maxRepetition {
                            throw ParquetError(
                                .invalidData,
                                "column '\(self.column.dottedPath)': repetition level \(level) at slot \(end) exceeds \(maxRepetition)"
                            )
                        }
                        end += 1
                    }
                }
                self.repetitionLevels.append(contentsOf: batch.repetitionLevels[slot..<end])
            }
            // Count the values among these slots.
            var valueCount = end - slot
            if maxDefinition > 0 {
                var present = 0
                var highest: UInt8 = 0
                batch.definitionLevels.withUnsafeBufferPointer { levels in
                    // No branch in the loop, so it vectorizes: levels are a byte per slot of every column.
                    for level in UnsafeBufferPointer(rebasing: levels[slot..<end]) {
                        present &+= Int(truncatingIfNeeded: (level == maxDefinition).byte)
                        highest = max(highest, level)
                    }
                }
                if highest > maxDefinition {
                    throw ParquetError(
                        .invalidData,
                        "column '\(self.column.dottedPath)': a definition level exceeds \(maxDefinition)"
                    )
                }
                valueCount = present
                self.definitionLevels.append(contentsOf: batch.definitionLevels[slot..<end])
            }
            guard value + valueCount <= valueLimit else {
                throw ParquetError(
                    .invalidData,
                    "column '\(self.column.dottedPath)': definition levels call for more values than the batch's \(valueLimit)"
                )
            }
            try self.encoder.append(typed, range: value..<(value + valueCount))
            self.chunkSlots += Int64(end - slot)
            self.chunkNulls += Int64(end - slot - valueCount)
            self.pageRows += rows
            self.pageValues += end - slot
            slot = end
            value += valueCount

            guard self.pageRows % self.writeBatchRows == 0 || self.pageRows >= self.pageRowLimit else {
                continue
            }
            if self.encoder.wantsFallback {
                try self.flushPage()
                self.fallBack()
            } else if self.pageRows >= self.pageRowLimit
                || max(self.encoder.pageByteEstimate + self.pageValues / 4, self.pageMemory)
                    >= self.options.dataPageSize
            {
                try self.flushPage()
            }
        }
        return value - firstValue
    }

    private func flushPage() throws(ParquetError) {
        guard self.pageValues > 0 else { return }
        try self.withScratch { () throws(ParquetError) in try self.flushPageWithScratch() }
    }

    private func flushPageWithScratch() throws(ParquetError) {
        let slots = self.pageValues
        self.body.removeAll(keepingCapacity: true)
        self.valuesSection.removeAll(keepingCapacity: true)

        var summary: PageValueSummary
        var header: PageHeader
        let nullCount =
            self.definitionLevels.isEmpty
            ? 0 : Self.countNulls(self.definitionLevels, max: UInt8(self.column.maxDefinitionLevel))
        switch self.options.dataPageVersion {
        case .v1:
            if !self.repetitionLevels.isEmpty {
                Self.appendLevels(
                    self.repetitionLevels,
                    bitWidth: self.repetitionBitWidth,
                    lengthPrefixed: true,
                    into: &self.body
                )
            }
            if !self.definitionLevels.isEmpty {
                Self.appendLevels(
                    self.definitionLevels,
                    bitWidth: self.definitionBitWidth,
                    lengthPrefixed: true,
                    into: &self.body
                )
            }
            let levelBytes = self.body.count
            // PLAIN byte arrays come as the encoder built them, the levels put before them there.
            let lent = self.encoder.lendPage(after: self.body)
            if let lent {
                summary = lent.summary
            } else {
                summary = try self.encoder.flushPage(into: &self.body)
                if self.deltaTrialPending && summary.encoding == .plain {
                    summary.encoding = try self.runDeltaTrial(on: &self.body, valuesAt: levelBytes)
                }
            }
            header = PageHeader(
                type: .dataPage,
                uncompressedPageSize: 0,
                compressedPageSize: 0,
                dataPageHeader: DataPageHeader(numValues: Int32(slots), encoding: summary.encoding)
            )
            let size = lent?.range.count ?? self.body.count
            try self.recordPage(&header, uncompressedSize: size, summary: summary, nullCount: nullCount)
            try self.appendPage(
                &header,
                lent: lent,
                plainByteArraysAt: self.plainByteArrays(summary) ? levelBytes : nil
            )
        case .v2:
            if !self.repetitionLevels.isEmpty {
                Self.appendLevels(
                    self.repetitionLevels,
                    bitWidth: self.repetitionBitWidth,
                    lengthPrefixed: false,
                    into: &self.body
                )
            }
            let repetitionBytes = self.body.count
            if !self.definitionLevels.isEmpty {
                Self.appendLevels(
                    self.definitionLevels,
                    bitWidth: self.definitionBitWidth,
                    lengthPrefixed: false,
                    into: &self.body
                )
            }
            let definitionBytes = self.body.count - repetitionBytes
            summary = try self.encoder.flushPage(into: &self.valuesSection)
            if self.deltaTrialPending && summary.encoding == .plain {
                summary.encoding = try self.runDeltaTrial(on: &self.valuesSection, valuesAt: 0)
            }
            let isCompressed = self.columnOptions.compression != .uncompressed && !self.valuesSection.isEmpty
            let uncompressedSize = self.body.count + self.valuesSection.count
            if isCompressed {
                let values = try self.compress(
                    self.valuesSection[...],
                    plainByteArraysAt: self.plainByteArrays(summary) ? 0 : nil
                )
                self.body.append(contentsOf: values)
            } else {
                self.body.append(contentsOf: self.valuesSection)
            }
            header = PageHeader(
                type: .dataPageV2,
                uncompressedPageSize: 0,
                compressedPageSize: 0,
                dataPageHeaderV2: DataPageHeaderV2(
                    numValues: Int32(slots),
                    numNulls: Int32(nullCount),
                    numRows: Int32(self.pageRows),
                    encoding: summary.encoding,
                    definitionLevelsByteLength: Int32(definitionBytes),
                    repetitionLevelsByteLength: Int32(repetitionBytes),
                    isCompressed: isCompressed
                )
            )
            try self.recordPage(&header, uncompressedSize: uncompressedSize, summary: summary, nullCount: nullCount)
            self.pages.append(
                .framed(try FramedPage(header: &header, body: self.body[...], checksum: self.options.pageChecksums))
            )
        }
        self.definitionLevels.removeAll(keepingCapacity: true)
        self.repetitionLevels.removeAll(keepingCapacity: true)
        self.pageRows = 0
        self.pageValues = 0
    }

    /// ``DeltaEncodingTrial`` on the PLAIN integers `page[valuesAt...]`: when DELTA_BINARY_PACKED wins they
    /// are replaced by their DELTA encoding, which the encoder keeps for its later plain pages. A page with
    /// fewer values than ``levelTrialMinimumBytes`` leaves the trial to a later one.
    private func runDeltaTrial(on page: inout [UInt8], valuesAt: Int) throws(ParquetError) -> Encoding {
        guard page.count - valuesAt >= Self.levelTrialMinimumBytes, let compressor = self.compressor else {
            return .plain
        }
        self.deltaTrialPending = false
        guard
            let delta = try DeltaEncodingTrial.deltaEncoding(
                ofPlain: page[valuesAt...],
                width: self.column.physicalType == .int32 ? 4 : 8,
                compressor: compressor
            ),
            self.encoder.encodePlainPagesAsDelta()
        else { return .plain }
        page.removeSubrange(valuesAt...)
        page.append(contentsOf: delta)
        return .deltaBinaryPacked
    }

    /// Whether a page's values are PLAIN byte arrays, which ``CompressionTier/literalValues`` compresses.
    private func plainByteArrays(_ summary: PageValueSummary) -> Bool {
        summary.encoding == .plain && self.column.physicalType == .byteArray
    }

    /// The compressed `input`: the start of the `compressed` scratch, which keeps its size from page to
    /// page (see ``PageCompressor/compress(_:intoPrefixOf:)``); used before the next compression.
    /// `plainByteArraysAt` is where the body's values start when they are PLAIN byte arrays.
    private func compress(
        _ input: ArraySlice<UInt8>,
        plainByteArraysAt: Int? = nil
    ) throws(ParquetError) -> ArraySlice<UInt8> {
        if self.columnOptions.compression == .uncompressed { return input[...] }
        if self.levelTrialPending && input.count >= Self.levelTrialMinimumBytes {
            return self.compressed[0..<(try self.runLevelTrial(input, plainByteArraysAt: plainByteArraysAt))]
        }
        let written = try self.compress(input, plainByteArraysAt: plainByteArraysAt, intoPrefixOf: &self.compressed)
        return self.compressed[0..<written]
    }

    /// Compresses the column's first large page with each tier and keeps the tier for the column's later
    /// pages, in this chunk and the file's next ones (``CompressionTier/triesConfigured(pageBytes:cheapest:)``,
    /// ``CompressionTier/keepsConfigured(_:cheapest:)``); returns the length of the kept frame, which
    /// `compressed` starts with. The wide tier stands in for the configured level when its frame is no
    /// larger (``CompressionTier/prefersWide(_:configured:)``), and `skimming` for `fastest` when at most 1%
    /// larger (``CompressionTier/prefersSkimming(_:fastest:)``). The trial compresses its page three to five
    /// times, once per file, or twice when the first ran on dictionary indices (``fallBack()``); on a
    /// page of 2 MiB or more the three cheap tiers compress only its first MiB (``levelTrialProbeBytes``),
    /// their sizes scaled to the page, and the one kept then compresses the page. With a
    /// task runner the tiers go in pairs, `fast` and `wide` on another thread (``PendingFrame``) while
    /// this one compresses with `skimming`, `fastest` and the configured level: the first batch's write, which
    /// holds the other threads up, no longer pays all four.
    private func runLevelTrial(_ input: ArraySlice<UInt8>, plainByteArraysAt: Int?) throws(ParquetError) -> Int {
        // A strong tier an earlier trial kept is measured again, not judged by the cheap frame's size.
        let keptStrong = self.levelTrialRan && self.tier.isStrong
        self.levelTrialPending = false
        self.levelTrialRan = true
        self.levelTrialOnIndices = self.encoder.encodesWithDictionary
        let compression = self.columnOptions.compression
        // The cheap tiers look back 512 KiB at most: on a large page, their frames of its first MiB
        // tell their sizes on the whole page (scaled), for a fraction of the time.
        let probe = input.count >= 2 * Self.levelTrialProbeBytes ? input.prefix(Self.levelTrialProbeBytes) : input
        let fast = self.offload?.frameSoon(probe, compression: compression, tier: .fast)
        // The first frame goes into `compressed`'s buffer, which is moved out rather than copied.
        var first: [UInt8] = []
        swap(&first, &self.compressed)
        self.tier = .fastest
        let firstSize = try self.compress(probe, intoPrefixOf: &first)
        var best = (tier: CompressionTier.fastest, bytes: first, size: firstSize)
        let skimming = try self.frame(probe, .skimming)
        if CompressionTier.prefersSkimming(skimming.size, fastest: best.size) { best = skimming }
        let fastFrame = try self.frame(probe, .fast, pending: fast)
        if fastFrame.size < best.size { best = fastFrame }
        if let valuesAt = plainByteArraysAt, valuesAt < probe.count {
            let literals = try self.frame(probe, .literalValues, plainByteArraysAt: valuesAt)
            if CompressionTier.prefersLiteralValues(literals.size, cheapest: best.size) { best = literals }
        }
        let cheapest = best.size * input.count / probe.count
        if keptStrong || CompressionTier.triesConfigured(pageBytes: input.count, cheapest: cheapest) {
            let strong = try self.strongFrame(input)
            if CompressionTier.keepsConfigured(strong.size, cheapest: cheapest) { best = strong }
        }
        self.tier = best.tier
        self.compressed = best.bytes
        // A cheap tier chosen on the probe compresses the page.
        if probe.count == input.count || best.tier.isStrong { return best.size }
        return try self.compress(input, plainByteArraysAt: plainByteArraysAt, intoPrefixOf: &self.compressed)
    }

    /// The level trial's frame of `input` with the configured level or ``CompressionTier/wide``, whichever
    /// is smaller (the wide one when no larger, ``CompressionTier/prefersWide(_:configured:)``). When the
    /// level's window does not cover the page, the two are first compared on the page's first window of
    /// bytes (``PageCompressor/configuredReach(_:pageBytes:)``): where the wide tier's frame of them is no
    /// larger, its frame of the page is kept without compressing the whole page at the level too (JSON
    /// text: 8 MiB at level 3 took 14 ms, its first 2 MiB 4 ms); otherwise both whole frames decide.
    private func strongFrame(
        _ input: ArraySlice<UInt8>
    ) throws(ParquetError) -> (tier: CompressionTier, bytes: [UInt8], size: Int) {
        let compression = self.columnOptions.compression
        guard compression.hasWideTier else { return try self.frame(input, .configured) }
        let reach = PageCompressor.configuredReach(compression, pageBytes: input.count)
        let pending = self.offload?.frameSoon(input, compression: compression, tier: .wide, measuringPrefix: reach)
        if let reach {
            let head = try self.frame(input.prefix(reach), .configured)
            let wide = try self.frame(input, .wide, pending: pending, measuringPrefix: reach)
            if let wideHead = wide.prefixSize, CompressionTier.prefersWide(wideHead, configured: head.size) {
                return (wide.tier, wide.bytes, wide.size)
            }
            let configured = try self.frame(input, .configured)
            return CompressionTier.prefersWide(wide.size, configured: configured.size)
                ? (wide.tier, wide.bytes, wide.size) : configured
        }
        let configured = try self.frame(input, .configured)
        let wide = try self.frame(input, .wide, pending: pending)
        return CompressionTier.prefersWide(wide.size, configured: configured.size) ? wide : configured
    }

    /// `input` compressed with `tier` and the bytes of its frame that hold its first `measuringPrefix`
    /// bytes, when asked (``PageCompressor/compress(_:intoPrefixOf:tier:measuringPrefix:)``): `pending`'s
    /// frame when another thread was asked for it, else compressed here.
    private func frame(
        _ input: ArraySlice<UInt8>,
        _ tier: CompressionTier,
        pending: PendingFrame? = nil,
        measuringPrefix prefix: Int
    ) throws(ParquetError) -> (tier: CompressionTier, bytes: [UInt8], size: Int, prefixSize: Int?) {
        if let pending {
            let frame = try pending.resolve().get()
            return (tier, frame.bytes, frame.size, frame.prefixSize)
        }
        self.tier = tier
        var bytes: [UInt8] = []
        let sizes = try self.pageCompressor().compress(input, intoPrefixOf: &bytes, tier: tier, measuringPrefix: prefix)
        return (tier, bytes, sizes.size, sizes.prefixSize)
    }

    /// `input` compressed with `tier`: `pending`'s frame when another thread was asked for it, else
    /// compressed here.
    private func frame(
        _ input: ArraySlice<UInt8>,
        _ tier: CompressionTier,
        pending: PendingFrame? = nil,
        plainByteArraysAt: Int? = nil
    ) throws(ParquetError) -> (tier: CompressionTier, bytes: [UInt8], size: Int) {
        if let pending {
            let frame = try pending.resolve().get()
            return (tier, frame.bytes, frame.size)
        }
        self.tier = tier
        var bytes: [UInt8] = []
        let size = try self.compress(input, plainByteArraysAt: plainByteArraysAt, intoPrefixOf: &bytes)
        return (tier, bytes, size)
    }

    private func compress(
        _ input: ArraySlice<UInt8>,
        plainByteArraysAt: Int? = nil,
        intoPrefixOf output: inout [UInt8]
    ) throws(ParquetError) -> Int {
        try self.pageCompressor().compress(
            input,
            intoPrefixOf: &output,
            tier: self.tier,
            plainByteArraysAt: plainByteArraysAt
        )
    }

    /// The compressor of the scratch in use, which a page flush sets.
    private func pageCompressor() throws(ParquetError) -> PageCompressor {
        guard let compressor = self.compressor else {
            throw ParquetError(.compression, "column '\(self.column.dottedPath)': no compressor outside a page flush")
        }
        return compressor
    }

    /// Adds a data page whose whole body is `body`: compressed now, or by a detached task when the
    /// file writer has a task runner, the page is large enough and the column's level trial is over.
    /// The body is the scratch's, or `lent` by the encoder, which takes it back once it is compressed here.
    private func appendPage(
        _ header: inout PageHeader,
        lent: LentPage? = nil,
        plainByteArraysAt: Int? = nil
    ) throws(ParquetError) {
        let body = lent?.body ?? self.body[...]
        if let offload = self.offload, !self.levelTrialPending, self.columnOptions.compression != .uncompressed,
            let pending = offload.submit(
                PendingPage.Job(
                    header: header,
                    body: body,
                    compression: self.columnOptions.compression,
                    tier: self.tier,
                    plainByteArraysAt: plainByteArraysAt,
                    pageChecksums: self.options.pageChecksums
                )
            )
        {
            // The task holds the body now: its buffer goes with it rather than being copied.
            if lent == nil { self.body = [] }
            self.pages.append(.pending(pending))
        } else {
            let compressed = try self.compress(body, plainByteArraysAt: plainByteArraysAt)
            let page = try FramedPage(header: &header, body: compressed, checksum: self.options.pageChecksums)
            self.pages.append(.framed(page))
            if let lent { self.encoder.takeBack(lent) }
        }
    }

    /// Records a data page in the chunk's page index and statistics, before its body is compressed:
    /// fills in `header`'s uncompressed size and page statistics.
    private func recordPage(
        _ header: inout PageHeader,
        uncompressedSize: Int,
        summary: PageValueSummary,
        nullCount: Int
    ) throws(ParquetError) {
        guard uncompressedSize <= Int32.max else {
            throw ParquetError(.limitExceeded, "column '\(self.column.dottedPath)': a page exceeds 2 GiB")
        }
        header.uncompressedPageSize = Int32(uncompressedSize)
        let pageStatistics = self.columnOptions.statistics ? summary.minMax : nil
        if self.options.pageHeaderStatistics && self.columnOptions.statistics {
            let statistics = self.makeStatistics(
                pageStatistics,
                nullCount: Int64(nullCount),
                nanCount: summary.nanCount
            )
            header.dataPageHeader?.statistics = statistics
            header.dataPageHeaderV2?.statistics = statistics
        }
        self.pageFirstRows.append(self.chunkRows)
        self.pageBodyBytes += uncompressedSize
        self.chunkRows += Int64(self.pageRows)

        let isNullPage = nullCount == self.pageValues
        self.nullPages.append(isNullPage)
        self.pageNullCounts.append(Int64(nullCount))
        if let minMax = pageStatistics {
            self.pageMins.append(minMax.min)
            self.pageMaxes.append(minMax.max)
        } else {
            self.pageMins.append([])
            self.pageMaxes.append([])
            // A page with values but no min/max (all NaN, or statistics off) cannot be indexed.
            if !isNullPage { self.columnIndexPossible = false }
        }
        self.recordEncoding(summary.encoding, pageType: header.type)
    }

    /// The chunk's data pages in order, waiting for (or compressing) those still pending, with their
    /// locations relative to the first and the bytes their headers take.
    private func collectPages() throws(ParquetError) -> (pages: [[UInt8]], locations: [PageLocation], headerBytes: Int)
    {
        var pages: [[UInt8]] = []
        var locations: [PageLocation] = []
        pages.reserveCapacity(self.pages.count)
        locations.reserveCapacity(self.pages.count)
        var offset = 0
        var headerBytes = 0
        var failure: ParquetError? = nil
        for case .pending(let pending) in self.pages.reversed() { pending.compressUnlessStarted() }
        for (index, page) in self.pages.enumerated() {
            let framed: FramedPage
            switch page {
            case .framed(let ready):
                framed = ready
            case .pending(let pending):
                switch pending.resolve() {
                case .success(let ready): framed = ready
                case .failure(let error):
                    // Every pending page is still resolved, so none is left holding its budget.
                    failure = failure ?? error
                    continue
                }
            }
            locations.append(
                PageLocation(
                    offset: Int64(offset),
                    compressedPageSize: Int32(framed.bytes.count),
                    firstRowIndex: self.pageFirstRows[index]
                )
            )
            pages.append(framed.bytes)
            offset += framed.bytes.count
            headerBytes += framed.headerCount
        }
        if let failure { throw failure }
        return (pages, locations, headerBytes)
    }

    private func recordEncoding(_ encoding: Encoding, pageType: PageType) {
        if !self.encodingsUsed.contains(encoding) { self.encodingsUsed.append(encoding) }
        if let index = self.encodingStats.firstIndex(where: { $0.pageType == pageType && $0.encoding == encoding }) {
            self.encodingStats[index].count += 1
        } else {
            self.encodingStats.append(PageEncodingStats(pageType: pageType, encoding: encoding, count: 1))
        }
    }

    private func makeStatistics(_ minMax: EncodedMinMax?, nullCount: Int64, nanCount: Int) -> Statistics {
        var statistics = Statistics(nullCount: nullCount)
        if let minMax {
            statistics.minValue = minMax.min
            statistics.maxValue = minMax.max
            statistics.isMinValueExact = minMax.isMinExact
            statistics.isMaxValueExact = minMax.isMaxExact
            if self.column.sortOrder == .signed && minMax.isMinExact && minMax.isMaxExact {
                statistics.legacyMin = minMax.min
                statistics.legacyMax = minMax.max
            }
        }
        if self.isFloatingPoint { statistics.nanCount = Int64(nanCount) }
        return statistics
    }

    private var isFloatingPoint: Bool {
        self.column.physicalType == .float || self.column.physicalType == .double || self.column.logicalType == .float16
    }

    func finish() throws(ParquetError) -> FinishedColumnChunk {
        try self.flushPage()
        let (dataPages, pageLocations, dataPageHeaderBytes) = try self.collectPages()
        let dataPagesByteCount = pageLocations.last.map { Int($0.offset) + Int($0.compressedPageSize) } ?? 0
        var uncompressedBytes = Int64(self.pageBodyBytes + dataPageHeaderBytes)
        let summary = self.encoder.finishChunk()
        // The dictionary page uses the configured level; the file's next chunks keep the trial's tier (or
        // still try, when no page was large enough yet).
        let (chosen, trialPending) = (self.tier, self.levelTrialPending)
        (self.tier, self.levelTrialPending) = (.configured, false)
        defer { (self.tier, self.levelTrialPending) = (chosen, trialPending) }
        var dictionaryPage: [UInt8]? = nil
        var encodings: [Encoding] = [.rle]
        if let dictionary = summary.dictionary {
            var header = PageHeader(
                type: .dictionaryPage,
                uncompressedPageSize: Int32(dictionary.bytes.count),
                compressedPageSize: 0,
                dictionaryPageHeader: DictionaryPageHeader(numValues: Int32(dictionary.count))
            )
            // Framed while the scratch is held: the page is the copy that outlives it.
            let page = try self.withScratch { () throws(ParquetError) in
                try FramedPage(
                    header: &header,
                    body: try self.compress(dictionary.bytes[...]),
                    checksum: self.options.pageChecksums
                )
            }
            uncompressedBytes += Int64(page.headerCount + dictionary.bytes.count)
            dictionaryPage = page.bytes
            encodings.append(.plain)
            self.encodingStats.insert(PageEncodingStats(pageType: .dictionaryPage, encoding: .plain, count: 1), at: 0)
        }
        for encoding in self.encodingsUsed where !encodings.contains(encoding) { encodings.append(encoding) }

        let chunkStatistics =
            self.columnOptions.statistics
            ? self.makeStatistics(summary.minMax, nullCount: self.chunkNulls, nanCount: summary.nanCount)
            : nil
        var columnIndex: ColumnIndex? = nil
        if self.options.pageIndexEnabled && self.columnOptions.statistics && self.columnIndexPossible
            && !pageLocations.isEmpty
        {
            columnIndex = ColumnIndex(
                nullPages: self.nullPages,
                minValues: self.pageMins,
                maxValues: self.pageMaxes,
                boundaryOrder: self.boundaryOrder(),
                nullCounts: self.pageNullCounts
            )
        }
        let finished = FinishedColumnChunk(
            column: self.column,
            dictionaryPage: dictionaryPage,
            dataPages: dataPages,
            dataPagesByteCount: dataPagesByteCount,
            pageLocations: pageLocations,
            columnIndex: columnIndex,
            metaData: ColumnMetaData(
                type: self.column.physicalType,
                encodings: encodings,
                pathInSchema: self.column.path,
                codec: self.columnOptions.compression.codec,
                numValues: self.chunkSlots,
                totalUncompressedSize: uncompressedBytes,
                totalCompressedSize: Int64((dictionaryPage?.count ?? 0) + dataPagesByteCount),
                dataPageOffset: 0,
                statistics: chunkStatistics,
                encodingStats: self.encodingStats
            ),
            bloomFilter: summary.bloomFilter
        )
        self.resetChunk()
        return finished
    }

    private func resetChunk() {
        self.pages = []
        self.pageFirstRows.removeAll()
        self.nullPages.removeAll()
        self.pageMins.removeAll()
        self.pageMaxes.removeAll()
        self.pageNullCounts.removeAll()
        self.columnIndexPossible = true
        self.chunkRows = 0
        self.chunkSlots = 0
        self.chunkNulls = 0
        self.pageBodyBytes = 0
        self.encodingsUsed.removeAll()
        self.encodingStats.removeAll()
    }

    /// ASCENDING or DESCENDING when both the mins and the maxes of the non-null pages are ordered.
    private func boundaryOrder() -> ColumnIndex.BoundaryOrder {
        var ascending = true
        var descending = true
        var previous: Int? = nil
        for page in 0..<self.nullPages.count where !self.nullPages[page] {
            if let p = previous {
                let minOrder = self.encoder.compareStatistics(self.pageMins[p], self.pageMins[page])
                let maxOrder = self.encoder.compareStatistics(self.pageMaxes[p], self.pageMaxes[page])
                if minOrder > 0 || maxOrder > 0 { ascending = false }
                if minOrder < 0 || maxOrder < 0 { descending = false }
            }
            previous = page
        }
        if ascending { return .ascending }
        if descending { return .descending }
        return .unordered
    }

    private static func appendLevels(_ levels: [UInt8], bitWidth: Int, lengthPrefixed: Bool, into output: inout [UInt8])
    {
        let lengthOffset = output.count
        if lengthPrefixed { output.append(contentsOf: [0, 0, 0, 0]) }
        levels.withUnsafeBufferPointer { RLEBitPackedHybridEncoder.encode($0, bitWidth: bitWidth, into: &output) }
        if lengthPrefixed {
            output.storeLittleEndian(UInt32(output.count - lengthOffset - 4), at: lengthOffset)
        }
    }

    private static func countNulls(_ levels: [UInt8], max: UInt8) -> Int {
        var present = 0
        levels.withUnsafeBufferPointer { levels in
            for level in levels { present &+= Int(truncatingIfNeeded: (level == max).byte) }  // vectorizes
        }
        return levels.count - present
    }
}

extension Bool {
    /// 1 for `true`, 0 for `false`.
    @inline(__always) fileprivate var byte: UInt8 { self ? 1 : 0 }
}
