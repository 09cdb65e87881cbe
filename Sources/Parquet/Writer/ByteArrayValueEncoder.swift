/// Encodes BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY (and INT96) columns: dictionary with fallback,
/// PLAIN, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY or BYTE_STREAM_SPLIT (fixed width only).
struct ByteArrayValueEncoder: ColumnValueEncoder {
    typealias Values = ByteArrayBuffer

    private let column: ColumnDescriptor
    /// Width of FIXED_LEN_BYTE_ARRAY / INT96 values; nil for BYTE_ARRAY.
    private let fixedWidth: Int?
    private let fallbackEncoding: Encoding
    /// Whether non-dictionary values go straight into ``plainPage`` (PLAIN BYTE_ARRAY) rather than
    /// ``plainValues`` (the other encodings, which need the values apart).
    private let buildsPlainPage: Bool
    private let dictionaryEnabled: Bool
    private let dictionaryLimit: Int
    private let statistics: Bool
    private let truncateLength: Int
    private let isUTF8: Bool
    private let bloomFilterOptions: BloomFilterOptions?

    private var useDictionary: Bool
    private var chunkUsedDictionary: Bool
    private var dictionary = ByteArrayDictionary()
    private var indices: [UInt32] = []
    /// For each dictionary entry, the number of the last page whose statistics included it.
    private var seenInPage: [UInt32] = []
    private var pageNumber: UInt32 = 1
    private var plainValues = ByteArrayBuffer()
    private var plainPage = PlainByteArrayPage()
    private var pageStatistics: ByteArrayMinMax
    private var chunkStatistics: ByteArrayMinMax
    private var bloomHashes: [UInt64] = []
    private var pagesWritten = 0
    private(set) var wantsFallback = false

    init(column: ColumnDescriptor, options: ResolvedColumnOptions, writerOptions: WriterOptions) throws(ParquetError) {
        self.column = column
        switch column.physicalType {
        case .int96: self.fixedWidth = 12
        case .fixedLenByteArray: self.fixedWidth = Int(column.typeLength ?? 0)
        default: self.fixedWidth = nil
        }
        switch (options.encoding, self.fixedWidth) {
        case (.plain, _), (.deltaByteArray, _), (.deltaLengthByteArray, nil), (.byteStreamSplit, .some):
            break
        default:
            throw ParquetError(
                .invalidArgument,
                "column '\(column.dottedPath)': encoding \(options.encoding) does not apply to \(column.physicalType)"
            )
        }
        if column.physicalType == .int96 && options.encoding != .plain {
            throw ParquetError(.invalidArgument, "column '\(column.dottedPath)': INT96 is written PLAIN only")
        }
        self.fallbackEncoding = options.encoding
        self.buildsPlainPage = options.encoding == .plain && self.fixedWidth == nil
        self.dictionaryEnabled = options.dictionary
        self.useDictionary = options.dictionary
        self.chunkUsedDictionary = options.dictionary
        self.dictionaryLimit = writerOptions.dictionaryPageSizeLimit
        self.statistics = options.statistics && column.sortOrder != .undefined
        self.truncateLength = writerOptions.statisticsTruncateLength
        switch column.logicalType {
        case .string, .json, .enum: self.isUTF8 = true
        default: self.isUTF8 = false
        }
        self.bloomFilterOptions = options.bloomFilter
        let order: ByteArrayMinMax.Order
        switch column.logicalType {
        case .decimal: order = .signedDecimal
        case .float16: order = .float16
        default: order = .unsigned
        }
        self.pageStatistics = ByteArrayMinMax(order: order)
        self.chunkStatistics = ByteArrayMinMax(order: order)
    }

    static func values(of values: ColumnValues, column: ColumnDescriptor) throws(ParquetError) -> ByteArrayBuffer {
        switch (values, column.physicalType) {
        case (.byteArray(let buffer), .byteArray):
            return buffer
        case (.fixedLenByteArray(let buffer), .fixedLenByteArray), (.fixedLenByteArray(let buffer), .int96):
            let width = column.physicalType == .int96 ? 12 : Int(column.typeLength ?? 0)
            for i in 0..<buffer.count where buffer.length(at: i) != width {
                throw ParquetError(
                    .invalidData,
                    "column '\(column.dottedPath)' holds \(width)-byte values but value \(i) has \(buffer.length(at: i)) bytes"
                )
            }
            return buffer
        default:
            throw ParquetError(
                .invalidData,
                "column '\(column.dottedPath)' is \(column.physicalType) but received \(values.caseName) values"
            )
        }
    }

    static func count(of values: ByteArrayBuffer) -> Int { values.count }

    mutating func append(_ values: ByteArrayBuffer, range: Range<Int>) throws(ParquetError) {
        guard !range.isEmpty else { return }
        values.bytes.withUnsafeBytes { bytes in
            values.offsets.withUnsafeBufferPointer { offsets in
                if self.useDictionary {
                    self.appendDictionary(bytes: bytes, offsets: offsets, range: range)
                } else {
                    self.appendPlain(bytes: bytes, offsets: offsets, range: range)
                }
            }
        }
        if self.useDictionary && self.dictionary.plainByteCount >= self.dictionaryLimit { self.wantsFallback = true }
    }

    private mutating func appendDictionary(
        bytes: UnsafeRawBufferPointer,
        offsets: UnsafeBufferPointer<Int32>,
        range: Range<Int>
    ) {
        // Each value's slot is prefetched `ahead` values before its lookup; the tags wait in a ring.
        var tags = InlineArray<8, UInt64>(repeating: 0)
        let ahead = tags.count
        func value(_ i: Int) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(rebasing: bytes[Int(offsets[i])..<Int(offsets[i &+ 1])])
        }
        func schedule(_ i: Int) {
            let tag = ByteArrayDictionary.tag(of: value(i))
            tags[i & (ahead - 1)] = tag
            self.dictionary.prefetch(tag: tag)
        }
        for i in range.lowerBound..<min(range.upperBound, range.lowerBound + ahead) { schedule(i) }
        for i in range {
            let value = value(i)
            let tag = tags[i & (ahead - 1)]
            // Into the ring place `tag` leaves.
            if i + ahead < range.upperBound { schedule(i + ahead) }
            let (index, isNew) = self.dictionary.index(of: value, tag: tag)
            self.indices.append(index)
            if isNew { self.seenInPage.append(0) }
            if self.statistics && self.seenInPage[Int(index)] != self.pageNumber {
                self.seenInPage[Int(index)] = self.pageNumber
                self.pageStatistics.update(value)
            }
        }
    }

    private mutating func appendPlain(
        bytes: UnsafeRawBufferPointer,
        offsets: UnsafeBufferPointer<Int32>,
        range: Range<Int>
    ) {
        if self.buildsPlainPage {
            let statistics = self.statistics
            let hashes = self.bloomFilterOptions != nil
            guard statistics || hashes else {
                self.plainPage.append(bytes: bytes, offsets: offsets, range: range)
                return
            }
            // The statistics and bloom hashes see each value as it is copied, in the same loop. They are
            // moved out of `self` for it, as the loop also writes `plainPage`.
            var pageStatistics = ByteArrayMinMax(order: self.pageStatistics.order)
            var bloomHashes: [UInt64] = []
            swap(&pageStatistics, &self.pageStatistics)
            swap(&bloomHashes, &self.bloomHashes)
            self.plainPage.append(bytes: bytes, offsets: offsets, range: range) { value in
                if statistics { pageStatistics.update(value) }
                if hashes { bloomHashes.append(XXHash64.hash(value)) }
            }
            swap(&pageStatistics, &self.pageStatistics)
            swap(&bloomHashes, &self.bloomHashes)
            return
        }
        let start = Int(offsets[range.lowerBound])
        let end = Int(offsets[range.upperBound])
        let base = Int32(truncatingIfNeeded: self.plainValues.bytes.count) &- Int32(start)
        self.plainValues.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
        for i in range {
            self.plainValues.offsets.append(offsets[i + 1] &+ base)
            let value = UnsafeRawBufferPointer(rebasing: bytes[Int(offsets[i])..<Int(offsets[i + 1])])
            if self.statistics { self.pageStatistics.update(value) }
            if self.bloomFilterOptions != nil { self.bloomHashes.append(XXHash64.hash(value)) }
        }
    }

    var pageByteEstimate: Int {
        if self.useDictionary {
            return 1 + (self.indices.count * DictionaryPolicy.indexBitWidth(entries: self.dictionary.count) + 7) / 8
        }
        if self.buildsPlainPage { return self.plainPage.byteCount }
        return self.plainValues.bytes.count + (self.fixedWidth == nil ? 4 * self.plainValues.count : 0)
    }

    var encodesWithDictionary: Bool { self.useDictionary }

    var pageMemory: Int {
        4 * self.indices.count + self.plainValues.bytes.count + 4 * self.plainValues.offsets.count
            + self.plainPage.byteCount
    }

    mutating func releasePageMemory() {
        self.indices = []
        self.plainValues = ByteArrayBuffer()
        self.plainPage.release()
    }

    mutating func fallBack() {
        self.useDictionary = false
        self.wantsFallback = false
    }

    mutating func flushPage(into output: inout [UInt8]) throws(ParquetError) -> PageValueSummary {
        defer { self.endPage() }
        if self.useDictionary {
            if self.pagesWritten == 0 && !self.indices.isEmpty
                && !DictionaryPolicy.isWorthKeeping(
                    dictionaryBytes: self.dictionary.plainByteCount,
                    indexBytes: self.pageByteEstimate,
                    plainBytes: self.plainSize(ofIndices: self.indices)
                )
            {
                self.dropDictionary()
                return self.flushPlainPage(into: &output)
            }
            let bitWidth = DictionaryPolicy.indexBitWidth(entries: self.dictionary.count)
            output.append(UInt8(bitWidth))
            self.indices.withUnsafeBufferPointer {
                RLEBitPackedHybridEncoder.encode($0, bitWidth: bitWidth, into: &output)
            }
            self.indices.removeAll(keepingCapacity: true)
            return self.summary(.rleDictionary)
        }
        return self.flushPlainPage(into: &output)
    }

    /// PLAIN pages lend the page they were built in (``PlainByteArrayPage/lend(after:)``).
    mutating func lendPage(after levels: [UInt8]) -> LentPage? {
        guard self.buildsPlainPage && !self.useDictionary, let page = self.plainPage.lend(after: levels) else {
            return nil
        }
        defer { self.endPage() }
        return LentPage(bytes: page.bytes, range: page.range, summary: self.summary(.plain))
    }

    mutating func takeBack(_ page: LentPage) {
        self.plainPage.takeBack(page.bytes)
    }

    private mutating func endPage() {
        self.pagesWritten += 1
        self.pageNumber &+= 1
        self.chunkStatistics.merge(self.pageStatistics)
        self.pageStatistics.reset()
    }

    private func summary(_ encoding: Encoding) -> PageValueSummary {
        PageValueSummary(
            encoding: encoding,
            minMax: self.pageStatistics.encoded(truncateLength: self.truncateLength, isUTF8: self.isUTF8),
            nanCount: self.pageStatistics.nanCount
        )
    }

    private func plainSize(ofIndices indices: [UInt32]) -> Int {
        var total = 0
        for index in indices { total += self.dictionary.entries.length(at: Int(index)) }
        return total + (self.fixedWidth == nil ? 4 * indices.count : 0)
    }

    /// The first page shows the dictionary does not pay: turn its indices back into values.
    private mutating func dropDictionary() {
        var values = ByteArrayBuffer(
            reservingCapacity: self.indices.count,
            bytes: self.plainSize(ofIndices: self.indices)
        )
        for index in self.indices {
            values.append(self.dictionary.entries[Int(index)])
        }
        if self.bloomFilterOptions != nil {
            values.bytes.withUnsafeBytes { bytes in
                for i in 0..<values.count {
                    self.bloomHashes.append(
                        XXHash64.hash(
                            UnsafeRawBufferPointer(rebasing: bytes[Int(values.offsets[i])..<Int(values.offsets[i + 1])])
                        )
                    )
                }
            }
        }
        self.indices.removeAll(keepingCapacity: false)
        self.dictionary = ByteArrayDictionary()
        self.seenInPage.removeAll()
        self.useDictionary = false
        self.chunkUsedDictionary = false
        if self.buildsPlainPage {
            values.bytes.withUnsafeBytes { bytes in
                values.offsets.withUnsafeBufferPointer { offsets in
                    self.plainPage.append(bytes: bytes, offsets: offsets, range: 0..<values.count)
                }
            }
        } else {
            self.plainValues = values
        }
    }

    private mutating func flushPlainPage(into output: inout [UInt8]) -> PageValueSummary {
        defer { self.plainValues.removeAll() }
        let range = 0..<self.plainValues.count
        switch self.fallbackEncoding {
        case .deltaLengthByteArray:
            DeltaLengthByteArrayEncoder.encode(self.plainValues, range: range, into: &output)
            return self.summary(.deltaLengthByteArray)
        case .deltaByteArray:
            DeltaByteArrayEncoder.encode(self.plainValues, range: range, into: &output)
            return self.summary(.deltaByteArray)
        case .byteStreamSplit:
            self.plainValues.bytes.withUnsafeBytes {
                ByteStreamSplit.encode($0, width: self.fixedWidth ?? 1, into: &output)
            }
            return self.summary(.byteStreamSplit)
        default:
            if self.buildsPlainPage {
                self.plainPage.flush(into: &output)
            } else if self.fixedWidth != nil {
                PlainEncoder.encodeFixedLength(self.plainValues, range: range, into: &output)
            } else {
                PlainEncoder.encodeByteArrays(self.plainValues, range: range, into: &output)
            }
            return self.summary(.plain)
        }
    }

    mutating func finishChunk() -> ChunkValueSummary {
        var result = ChunkValueSummary(
            minMax: self.chunkStatistics.encoded(truncateLength: self.truncateLength, isUTF8: self.isUTF8),
            nanCount: self.chunkStatistics.nanCount
        )
        if self.chunkUsedDictionary {
            var bytes = [UInt8]()
            bytes.reserveCapacity(self.dictionary.plainByteCount)
            let entries = self.dictionary.entries
            if self.fixedWidth != nil {
                PlainEncoder.encodeFixedLength(entries, range: 0..<entries.count, into: &bytes)
            } else {
                PlainEncoder.encodeByteArrays(entries, range: 0..<entries.count, into: &bytes)
            }
            result.dictionary = (bytes, entries.count)
            if self.bloomFilterOptions != nil {
                entries.bytes.withUnsafeBytes { raw in
                    for i in 0..<entries.count {
                        self.bloomHashes.append(
                            XXHash64.hash(
                                UnsafeRawBufferPointer(
                                    rebasing: raw[Int(entries.offsets[i])..<Int(entries.offsets[i + 1])]
                                )
                            )
                        )
                    }
                }
            }
        }
        if let options = self.bloomFilterOptions {
            result.bloomFilter = Self.makeBloomFilter(hashes: &self.bloomHashes, options: options)
        }
        self.dictionary = ByteArrayDictionary()
        self.seenInPage.removeAll()
        self.useDictionary = self.dictionaryEnabled
        self.chunkUsedDictionary = self.dictionaryEnabled
        self.chunkStatistics.reset()
        self.pagesWritten = 0
        self.wantsFallback = false
        return result
    }
}

extension ByteArrayValueEncoder {
    func compareStatistics(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.withUnsafeBytes { x in b.withUnsafeBytes { y in self.chunkStatistics.compare(x, y) } }
    }
}
