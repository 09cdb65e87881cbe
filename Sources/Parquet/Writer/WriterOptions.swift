/// Options of ``ParquetFileWriter``. The defaults are the interoperable profile of PARQUET.md §0
/// and the sizing of §8; every other choice is opt-in.
public struct WriterOptions: Sendable, Hashable {
    public enum DataPageVersion: Sendable, Hashable {
        case v1
        case v2
    }

    /// Default codec of every column.
    public var compression: Compression = WriterOptions.defaultCompression
    public var dataPageVersion: DataPageVersion = .v1
    /// Start with dictionary encoding and fall back to the column's ``ColumnOptions/encoding``.
    public var dictionaryEnabled: Bool = true
    /// The PLAIN size of a dictionary at which a column chunk falls back.
    public var dictionaryPageSizeLimit: Int = WriterOptions.defaultDictionaryPageSizeLimit
    /// zstd above level 1: each column's first data page of 64 KiB or more in the file is compressed at
    /// levels -3 and -1 with Huffman-coded literals, at level 1 and at the configured level, and the column
    /// keeps the cheaper tiers' smaller frame (level -3's when at most 1% larger than level -1's) unless
    /// the configured level's is more than 2% smaller
    /// (``CompressionTier``). The configured level is not tried when the cheap frame is over 45% of the
    /// page: mostly literals, which its longer match search codes no better. On high-entropy columns (random
    /// identifiers, hashes, random text) the cheap tiers are two to four times faster and as small or
    /// smaller. From level 3 up the page is also compressed with ``CompressionTier/wide`` (the `fast`
    /// strategy over a page-wide window), which replaces the configured level when its frame is no larger.
    /// A trial that ran on dictionary indices runs again after the column's dictionary fallback. `false`
    /// uses the configured level for every page.
    public var compressionLevelTrial: Bool = true
    /// INT32 and INT64 columns (timestamps, dates) without an encoding of their own: the first plain page of
    /// at least 64 KiB of values in the file is encoded PLAIN and DELTA_BINARY_PACKED, both compressed with
    /// the configured codec, and DELTA_BINARY_PACKED stays for the column's plain pages when its frame is no
    /// larger (``DeltaEncodingTrial``). Every reader in PARQUET.md §2.4's table reads it except Spark's
    /// vectorized reader before 3.3; `false` keeps PLAIN.
    public var integerEncodingTrial: Bool = true
    /// Target encoded size of a data page before compression.
    public var dataPageSize: Int = WriterOptions.defaultDataPageSize
    public var dataPageRowLimit: Int = WriterOptions.defaultDataPageRowLimit
    /// Most rows of a dictionary-encoded data page. Its indices are held at four bytes each until the page
    /// is encoded, and encode to little, so larger pages cost memory and gain little.
    public var dictionaryIndexPageRowLimit: Int = WriterOptions.defaultDataPageRowLimit
    /// Bytes the pages in progress may hold together (levels and values as buffered, before encoding). Every
    /// 4,096 rows of a row group, when they hold more, the columns with the largest pages end them until at
    /// most half the budget stays held. With a large ``dataPageRowLimit``, this is what keeps memory bounded
    /// for wide schemas while narrow ones get pages of ``dataPageSize``.
    public var pageMemoryBudget: Int = WriterOptions.defaultPageMemoryBudget
    public var rowGroupMaxRows: Int = WriterOptions.defaultRowGroupMaxRows
    /// Estimated encoded (uncompressed) bytes at which a row group is cut.
    public var rowGroupMaxBytes: Int = WriterOptions.defaultRowGroupMaxBytes
    /// Column chunk statistics and the page index (ColumnIndex + OffsetIndex).
    public var statisticsEnabled: Bool = true
    public var pageIndexEnabled: Bool = true
    /// Statistics in data page headers too (superseded by the page index; off by default).
    public var pageHeaderStatistics: Bool = false
    /// Binary min/max longer than this are truncated and marked inexact.
    public var statisticsTruncateLength: Int = 64
    /// CRC-32 of every page body.
    public var pageChecksums: Bool = false
    public var keyValueMetadata: [String: String] = [:]
    public var createdBy: String = WriterOptions.defaultCreatedBy
    /// Per leaf column, keyed by dotted path (`tags.list.element`).
    public var columns: [String: ColumnOptions] = [:]

    public static let defaultCompression: Compression = .snappy
    public static let defaultDictionaryPageSizeLimit = 1 << 20
    public static let defaultDataPageSize = 1 << 20
    public static let defaultDataPageRowLimit = 20_000
    public static let defaultPageMemoryBudget = 32 << 20
    public static let defaultRowGroupMaxRows = 1_048_576
    public static let defaultRowGroupMaxBytes = 128 << 20
    public static let defaultCreatedBy = "laketap version 0.1.0"

    public init() {}

    /// The options in force for `column`.
    func resolved(for column: ColumnDescriptor) -> ResolvedColumnOptions {
        let overrides = self.columns[column.dottedPath] ?? ColumnOptions()
        return ResolvedColumnOptions(
            compression: overrides.compression ?? self.compression,
            dictionary: (overrides.dictionaryEnabled ?? self.dictionaryEnabled) && column.physicalType != .boolean,
            encoding: overrides.encoding ?? .plain,
            triesDelta: self.integerEncodingTrial && overrides.encoding == nil
                && (column.physicalType == .int32 || column.physicalType == .int64),
            statistics: overrides.statisticsEnabled ?? self.statisticsEnabled,
            bloomFilter: overrides.bloomFilter
        )
    }
}

/// Per-column overrides of ``WriterOptions``.
public struct ColumnOptions: Sendable, Hashable {
    public var compression: Compression?
    public var dictionaryEnabled: Bool?
    /// The encoding of non-dictionary pages: `.plain` (default), `.deltaBinaryPacked` (INT32/INT64),
    /// `.deltaLengthByteArray` (BYTE_ARRAY), `.deltaByteArray` (BYTE_ARRAY, FLBA),
    /// `.byteStreamSplit` (FLOAT, DOUBLE, INT32, INT64, FLBA), `.rle` (BOOLEAN, V2 pages).
    public var encoding: Encoding?
    public var statisticsEnabled: Bool?
    public var bloomFilter: BloomFilterOptions?

    public init(
        compression: Compression? = nil,
        dictionaryEnabled: Bool? = nil,
        encoding: Encoding? = nil,
        statisticsEnabled: Bool? = nil,
        bloomFilter: BloomFilterOptions? = nil
    ) {
        self.compression = compression
        self.dictionaryEnabled = dictionaryEnabled
        self.encoding = encoding
        self.statisticsEnabled = statisticsEnabled
        self.bloomFilter = bloomFilter
    }
}

/// A split-block bloom filter per column chunk, sized from the chunk's distinct values.
public struct BloomFilterOptions: Sendable, Hashable {
    public var falsePositiveProbability: Double
    /// Upper bound of the filter size in bytes.
    public var maximumBytes: Int

    public init(falsePositiveProbability: Double = 0.05, maximumBytes: Int = 1 << 20) {
        self.falsePositiveProbability = falsePositiveProbability
        self.maximumBytes = maximumBytes
    }
}

struct ResolvedColumnOptions: Sendable, Hashable {
    var compression: Compression
    var dictionary: Bool
    var encoding: Encoding
    /// Whether plain pages try DELTA_BINARY_PACKED (``WriterOptions/integerEncodingTrial``).
    var triesDelta: Bool
    var statistics: Bool
    var bloomFilter: BloomFilterOptions?
}
