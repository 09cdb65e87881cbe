/// Encodes BOOLEAN columns: PLAIN bit-packed, or RLE (with its 4-byte length) when asked for.
struct BooleanValueEncoder: ColumnValueEncoder {
    typealias Values = [Bool]

    private let useRLE: Bool
    private let statistics: Bool
    private var values: [Bool] = []
    private var pageHasFalse = false
    private var pageHasTrue = false
    private var chunkHasFalse = false
    private var chunkHasTrue = false
    var wantsFallback: Bool { false }

    init(column: ColumnDescriptor, options: ResolvedColumnOptions, writerOptions: WriterOptions) throws(ParquetError) {
        switch options.encoding {
        case .plain: self.useRLE = false
        case .rle: self.useRLE = true
        default:
            throw ParquetError(
                .invalidArgument,
                "column '\(column.dottedPath)': encoding \(options.encoding) does not apply to BOOLEAN"
            )
        }
        if options.bloomFilter != nil {
            throw ParquetError(.invalidArgument, "column '\(column.dottedPath)': bloom filters do not apply to BOOLEAN")
        }
        self.statistics = options.statistics
    }

    static func values(of values: ColumnValues, column: ColumnDescriptor) throws(ParquetError) -> [Bool] {
        guard case .boolean(let typed) = values else {
            throw ParquetError(
                .invalidData,
                "column '\(column.dottedPath)' is BOOLEAN but received \(values.caseName) values"
            )
        }
        return typed
    }

    static func count(of values: [Bool]) -> Int { values.count }

    mutating func append(_ values: [Bool], range: Range<Int>) throws(ParquetError) {
        self.values.append(contentsOf: values[range])
        if self.statistics && !(self.pageHasTrue && self.pageHasFalse) {
            for value in values[range] {
                if value { self.pageHasTrue = true } else { self.pageHasFalse = true }
            }
        }
    }

    var pageByteEstimate: Int { (self.values.count + 7) / 8 }

    var encodesWithDictionary: Bool { false }

    var pageMemory: Int { self.values.count }

    mutating func releasePageMemory() { self.values = [] }

    mutating func fallBack() {}

    mutating func flushPage(into output: inout [UInt8]) throws(ParquetError) -> PageValueSummary {
        defer {
            self.values.removeAll(keepingCapacity: true)
            self.chunkHasTrue = self.chunkHasTrue || self.pageHasTrue
            self.chunkHasFalse = self.chunkHasFalse || self.pageHasFalse
            self.pageHasTrue = false
            self.pageHasFalse = false
        }
        let summary = PageValueSummary(
            encoding: self.useRLE ? .rle : .plain,
            minMax: Self.minMax(hasFalse: self.pageHasFalse, hasTrue: self.pageHasTrue)
        )
        if self.useRLE {
            let lengthOffset = output.count
            output.append(contentsOf: [0, 0, 0, 0])
            let levels = self.values.map { UInt8($0 ? 1 : 0) }
            levels.withUnsafeBufferPointer { RLEBitPackedHybridEncoder.encode($0, bitWidth: 1, into: &output) }
            output.storeLittleEndian(UInt32(output.count - lengthOffset - 4), at: lengthOffset)
        } else {
            self.values.withUnsafeBufferPointer { PlainEncoder.encodeBooleans($0, into: &output) }
        }
        return summary
    }

    mutating func finishChunk() -> ChunkValueSummary {
        defer {
            self.chunkHasTrue = false
            self.chunkHasFalse = false
        }
        return ChunkValueSummary(minMax: Self.minMax(hasFalse: self.chunkHasFalse, hasTrue: self.chunkHasTrue))
    }

    private static func minMax(hasFalse: Bool, hasTrue: Bool) -> EncodedMinMax? {
        guard hasFalse || hasTrue else { return nil }
        return EncodedMinMax(min: [hasFalse ? 0 : 1], max: [hasTrue ? 1 : 0])
    }
}

extension BooleanValueEncoder {
    func compareStatistics(_ a: [UInt8], _ b: [UInt8]) -> Int {
        ByteComparison.compare(a, b)
    }
}
