/// Encodes INT32, INT64, FLOAT and DOUBLE columns: dictionary with fallback, PLAIN,
/// DELTA_BINARY_PACKED or BYTE_STREAM_SPLIT.
struct FixedWidthValueEncoder<Value: FixedWidthValue>: ColumnValueEncoder {
    typealias Values = [Value]

    private let column: ColumnDescriptor
    private var fallbackEncoding: Encoding
    private let dictionaryLimit: Int
    private let statistics: Bool
    private let bloomFilterOptions: BloomFilterOptions?
    private let dictionaryEnabled: Bool

    private var useDictionary: Bool
    private var dictionary = FixedWidthDictionary<Value>()
    private var indices: [UInt32] = []
    private var plainValues: [Value] = []
    private var pageStatistics: MinMaxAccumulator<Value>
    private var chunkStatistics: MinMaxAccumulator<Value>
    private var bloomHashes: [UInt64] = []
    private var pagesWritten = 0
    private var chunkUsedDictionary = false
    private(set) var wantsFallback = false

    init(column: ColumnDescriptor, options: ResolvedColumnOptions, writerOptions: WriterOptions) throws(ParquetError) {
        switch options.encoding {
        case .plain, .byteStreamSplit:
            break
        case .deltaBinaryPacked where Value.self == Int32.self || Value.self == Int64.self:
            break
        default:
            throw ParquetError(
                .invalidArgument,
                "column '\(column.dottedPath)': encoding \(options.encoding) does not apply to \(Value.physicalType)"
            )
        }
        self.column = column
        self.fallbackEncoding = options.encoding
        self.dictionaryLimit = writerOptions.dictionaryPageSizeLimit
        self.statistics = options.statistics && column.sortOrder != .undefined
        self.bloomFilterOptions = options.bloomFilter
        self.dictionaryEnabled = options.dictionary
        self.useDictionary = options.dictionary
        self.chunkUsedDictionary = options.dictionary
        self.pageStatistics = MinMaxAccumulator(unsigned: column.sortOrder == .unsigned)
        self.chunkStatistics = MinMaxAccumulator(unsigned: column.sortOrder == .unsigned)
    }

    static func values(of values: ColumnValues, column: ColumnDescriptor) throws(ParquetError) -> [Value] {
        guard let typed = Value.typedValues(values) else {
            throw ParquetError(
                .invalidData,
                "column '\(column.dottedPath)' is \(Value.physicalType) but received \(values.caseName) values"
            )
        }
        return typed
    }

    static func count(of values: [Value]) -> Int { values.count }

    mutating func append(_ values: [Value], range: Range<Int>) throws(ParquetError) {
        if self.statistics {
            for i in range { self.pageStatistics.update(values[i]) }
        }
        if self.useDictionary {
            for i in range {
                self.indices.append(self.dictionary.index(of: values[i]).index)
            }
            if self.dictionary.plainByteCount >= self.dictionaryLimit { self.wantsFallback = true }
        } else {
            self.plainValues.append(contentsOf: values[range])
            if self.bloomFilterOptions != nil {
                for i in range { self.bloomHashes.append(values[i].bloomHash) }
            }
        }
    }

    var pageByteEstimate: Int {
        if self.useDictionary {
            return 1 + (self.indices.count * DictionaryPolicy.indexBitWidth(entries: self.dictionary.count) + 7) / 8
        }
        return self.plainValues.count * Value.byteWidth
    }

    var encodesWithDictionary: Bool { self.useDictionary }

    var pageMemory: Int { 4 * self.indices.count + self.plainValues.count * MemoryLayout<Value>.stride }

    mutating func releasePageMemory() {
        self.indices = []
        self.plainValues = []
    }

    mutating func fallBack() {
        self.useDictionary = false
        self.wantsFallback = false
    }

    mutating func flushPage(into output: inout [UInt8]) throws(ParquetError) -> PageValueSummary {
        defer {
            self.pagesWritten += 1
            self.chunkStatistics.merge(self.pageStatistics)
            self.pageStatistics.reset()
        }
        if self.useDictionary {
            if self.pagesWritten == 0 && !self.indices.isEmpty
                && !DictionaryPolicy.isWorthKeeping(
                    dictionaryBytes: self.dictionary.plainByteCount,
                    indexBytes: self.pageByteEstimate,
                    plainBytes: self.indices.count * Value.byteWidth
                )
            {
                // The first page shows the dictionary does not pay: write it PLAIN and stop using one.
                let values = self.indices.map { self.dictionary.entries[Int($0)] }
                self.indices.removeAll(keepingCapacity: false)
                self.dictionary = FixedWidthDictionary()
                self.useDictionary = false
                self.chunkUsedDictionary = false
                self.plainValues = values
                if self.bloomFilterOptions != nil {
                    for value in values { self.bloomHashes.append(value.bloomHash) }
                }
                return self.flushPlainPage(into: &output)
            }
            output.append(UInt8(DictionaryPolicy.indexBitWidth(entries: self.dictionary.count)))
            self.indices.withUnsafeBufferPointer {
                RLEBitPackedHybridEncoder.encode(
                    $0,
                    bitWidth: DictionaryPolicy.indexBitWidth(entries: self.dictionary.count),
                    into: &output
                )
            }
            self.indices.removeAll(keepingCapacity: true)
            return self.summary(.rleDictionary)
        }
        return self.flushPlainPage(into: &output)
    }

    mutating func encodePlainPagesAsDelta() -> Bool {
        guard Value.self == Int32.self || Value.self == Int64.self else { return false }
        self.fallbackEncoding = .deltaBinaryPacked
        return true
    }

    private func summary(_ encoding: Encoding) -> PageValueSummary {
        PageValueSummary(
            encoding: encoding,
            minMax: self.pageStatistics.encoded,
            nanCount: self.pageStatistics.nanCount
        )
    }

    private mutating func flushPlainPage(into output: inout [UInt8]) -> PageValueSummary {
        defer { self.plainValues.removeAll(keepingCapacity: true) }
        switch self.fallbackEncoding {
        case .deltaBinaryPacked:
            _ = self.plainValues.withUnsafeBufferPointer { Value.encodeDelta($0, into: &output) }
            return self.summary(.deltaBinaryPacked)
        case .byteStreamSplit:
            self.plainValues.withUnsafeBytes { ByteStreamSplit.encode($0, width: Value.byteWidth, into: &output) }
            return self.summary(.byteStreamSplit)
        default:
            self.plainValues.withUnsafeBufferPointer { Value.encodePlain($0, into: &output) }
            return self.summary(.plain)
        }
    }

    mutating func finishChunk() -> ChunkValueSummary {
        var result = ChunkValueSummary(
            minMax: self.chunkStatistics.encoded,
            nanCount: self.chunkStatistics.nanCount
        )
        if self.chunkUsedDictionary {
            var bytes = [UInt8]()
            bytes.reserveCapacity(self.dictionary.plainByteCount)
            self.dictionary.entries.withUnsafeBufferPointer { Value.encodePlain($0, into: &bytes) }
            result.dictionary = (bytes, self.dictionary.count)
            if self.bloomFilterOptions != nil {
                for value in self.dictionary.entries { self.bloomHashes.append(value.bloomHash) }
            }
        }
        if let options = self.bloomFilterOptions {
            result.bloomFilter = Self.makeBloomFilter(hashes: &self.bloomHashes, options: options)
        }
        self.dictionary = FixedWidthDictionary()
        self.useDictionary = self.dictionaryEnabled
        self.chunkUsedDictionary = self.dictionaryEnabled
        self.chunkStatistics.reset()
        self.pagesWritten = 0
        self.wantsFallback = false
        return result
    }
}

extension FixedWidthValueEncoder {
    func compareStatistics(_ a: [UInt8], _ b: [UInt8]) -> Int {
        guard a.count == Value.byteWidth, b.count == Value.byteWidth else { return 0 }
        let x = a.withUnsafeBytes { $0.loadUnaligned(as: Value.self) }
        let y = b.withUnsafeBytes { $0.loadUnaligned(as: Value.self) }
        let unsigned = self.column.sortOrder == .unsigned
        if Value.precedes(x, y, unsigned: unsigned) { return -1 }
        if Value.precedes(y, x, unsigned: unsigned) { return 1 }
        return 0
    }
}

extension ColumnValues {
    var caseName: String {
        switch self {
        case .boolean: "BOOLEAN"
        case .int32: "INT32"
        case .int64: "INT64"
        case .float: "FLOAT"
        case .double: "DOUBLE"
        case .byteArray: "BYTE_ARRAY"
        case .fixedLenByteArray: "FIXED_LEN_BYTE_ARRAY"
        }
    }
}
