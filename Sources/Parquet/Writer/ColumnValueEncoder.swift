/// Min and max of a page or chunk in their statistics encoding (PARQUET.md §5.1).
struct EncodedMinMax: Sendable, Hashable {
    var min: [UInt8]
    var max: [UInt8]
    var isMinExact: Bool = true
    var isMaxExact: Bool = true
}

/// What the typed half of a column writer reports for one data page.
struct PageValueSummary {
    var encoding: Encoding
    /// Nil when the page has no non-null, non-NaN value or statistics are off.
    var minMax: EncodedMinMax?
    var nanCount: Int = 0
}

/// What the typed half of a column writer reports for a finished column chunk.
struct ChunkValueSummary {
    /// PLAIN-encoded dictionary and its number of entries, when the chunk used one.
    var dictionary: (bytes: [UInt8], count: Int)?
    var minMax: EncodedMinMax?
    var nanCount: Int = 0
    var bloomFilter: SplitBlockBloomFilter?
}

/// The typed half of a column chunk writer: dictionary, value encoding, statistics and bloom hashes.
/// ``ColumnChunkWriter`` owns levels, pages, compression and the page index.
protocol ColumnValueEncoder {
    associatedtype Values

    init(column: ColumnDescriptor, options: ResolvedColumnOptions, writerOptions: WriterOptions) throws(ParquetError)

    /// The typed values of `values`, or an error naming the column when the case is wrong.
    static func values(of values: ColumnValues, column: ColumnDescriptor) throws(ParquetError) -> Values
    static func count(of values: Values) -> Int

    mutating func append(_ values: Values, range: Range<Int>) throws(ParquetError)
    /// Estimated encoded size of the values buffered for the current page.
    var pageByteEstimate: Int { get }
    /// Bytes held for the values of the current page (dictionary indices count four bytes each).
    var pageMemory: Int { get }
    /// Whether the page in progress holds dictionary indices.
    var encodesWithDictionary: Bool { get }
    /// Drops the capacity kept for the values of the next page (after a flush).
    mutating func releasePageMemory()
    /// Set once the dictionary outgrew its limit: the chunk writer flushes the page, then calls ``fallBack()``.
    var wantsFallback: Bool { get }
    mutating func fallBack()
    /// Encodes the page's values into `output` and starts a new page.
    mutating func flushPage(into output: inout [UInt8]) throws(ParquetError) -> PageValueSummary
    /// The V1 page body `levels` then the page's values, in the buffer the encoder built the values in,
    /// which it lends for the page instead of copying them into the writer's (and starts a new page);
    /// nil when it builds the page in no such form (then ``flushPage(into:)``).
    mutating func lendPage(after levels: [UInt8]) -> LentPage?
    /// Takes back the buffer of a lent page whose body has been compressed, for the next page.
    mutating func takeBack(_ page: LentPage)
    /// Makes the later plain pages of this chunk and the file's next ones DELTA_BINARY_PACKED, which the
    /// chunk writer's ``DeltaEncodingTrial`` chose; false when the encoder has no such encoding.
    mutating func encodePlainPagesAsDelta() -> Bool
    /// Ends the chunk and starts a new one.
    mutating func finishChunk() -> ChunkValueSummary
    /// Orders two encoded statistics values as the column sorts (negative, zero, positive).
    func compareStatistics(_ a: [UInt8], _ b: [UInt8]) -> Int
}

/// Sizing shared by the encoders.
enum DictionaryPolicy {
    /// After the first page, a dictionary that saves less than this fraction of PLAIN bytes is dropped
    /// (parquet-java's `isCompressionSatisfying`).
    static func isWorthKeeping(dictionaryBytes: Int, indexBytes: Int, plainBytes: Int) -> Bool {
        dictionaryBytes + indexBytes < plainBytes
    }

    static func indexBitWidth(entries: Int) -> Int {
        entries <= 1 ? 1 : BitWidth.forMaxValue(UInt64(entries - 1))
    }
}

/// A page body an encoder lends its writer (``ColumnValueEncoder/lendPage(after:)``): `bytes[range]`.
struct LentPage {
    var bytes: [UInt8]
    var range: Range<Int>
    var summary: PageValueSummary

    var body: ArraySlice<UInt8> { self.bytes[self.range] }
}

extension ColumnValueEncoder {
    mutating func lendPage(after levels: [UInt8]) -> LentPage? { nil }
    mutating func takeBack(_ page: LentPage) {}
    mutating func encodePlainPagesAsDelta() -> Bool { false }

    /// Sizes a bloom filter for `hashes` (deduplicated here) and inserts them.
    static func makeBloomFilter(hashes: inout [UInt64], options: BloomFilterOptions) -> SplitBlockBloomFilter {
        hashes.sort()
        var distinct = 0
        var previous: UInt64? = nil
        for hash in hashes where hash != previous {
            distinct += 1
            previous = hash
        }
        let bytes = min(
            SplitBlockBloomFilter.optimalByteCount(
                distinctValues: max(distinct, 1),
                falsePositiveProbability: options.falsePositiveProbability
            ),
            max(SplitBlockBloomFilter.minimumBytes, Self.floorPowerOfTwo(options.maximumBytes))
        )
        var filter = SplitBlockBloomFilter(byteCount: bytes)
        for hash in hashes { filter.insert(hash: hash) }
        hashes.removeAll(keepingCapacity: true)
        return filter
    }

    private static func floorPowerOfTwo(_ value: Int) -> Int {
        guard value > 1 else { return 1 }
        return 1 << (Int.bitWidth - 1 - value.leadingZeroBitCount)
    }
}
