/// Reads the pages of one column chunk, one at a time, into levels and values (the state of a
/// ``ColumnChunkReader``).
///
/// Errors thrown here describe the defect only; ``ColumnChunkReader`` adds the column and page number.
struct PageReader {
    private let column: ColumnDescriptor
    private let options: ReaderOptions
    private let codec: CompressionCodec
    /// `ColumnMetaData.num_values`: the levels the chunk must hold in total.
    private let expectedLevels: Int
    private let decompressor: PageDecompressor
    private let maxDefinition: UInt8
    private let maxRepetition: UInt8
    private let definitionBitWidth: Int
    private let repetitionBitWidth: Int

    private var values: ValueDecoder
    private var dictionary: ValueDecoder?
    private var definitionLevels: [UInt8] = []
    private var repetitionLevels: [UInt8] = []
    /// Levels (slots) decoded so far.
    private(set) var levelCount = 0
    private var rowCount = 0
    private var sawDataPage = false
    /// Decompressed page bytes, reused across pages.
    private var pageBuffer: [UInt8] = []

    /// Prepares to read `chunk`.
    ///
    /// - Throws: `.corrupt` for level maxima above 255 or an FLBA column without a length, `.unsupported` for LZO.
    init(chunk: ColumnChunkMetadata, options: ReaderOptions) throws(ParquetError) {
        let column = chunk.column
        guard column.maxDefinitionLevel >= 0, column.maxDefinitionLevel <= Int(UInt8.max),
            column.maxRepetitionLevel >= 0, column.maxRepetitionLevel <= Int(UInt8.max)
        else {
            throw ParquetError(.unsupported, "column \(column.dottedPath): level maxima above 255")
        }
        self.column = column
        self.options = options
        self.codec = chunk.codec
        self.expectedLevels = Int(chunk.valueCount)
        do {
            self.decompressor = try PageDecompressor(chunk.codec)
        } catch {
            throw ParquetError(error.code, "column \(column.dottedPath): \(error.message)")
        }
        self.maxDefinition = UInt8(column.maxDefinitionLevel)
        self.maxRepetition = UInt8(column.maxRepetitionLevel)
        self.definitionBitWidth = BitWidth.forMaxValue(UInt64(column.maxDefinitionLevel))
        self.repetitionBitWidth = BitWidth.forMaxValue(UInt64(column.maxRepetitionLevel))
        self.values = try ValueDecoder(column: column)
        // Reserve up front, bounded so that a lying footer cannot make us allocate much.
        let reserved = min(self.expectedLevels, 1 << 22)
        self.values.reserveCapacity(reserved)
        if column.maxDefinitionLevel > 0 { self.definitionLevels.reserveCapacity(reserved) }
        if column.maxRepetitionLevel > 0 { self.repetitionLevels.reserveCapacity(reserved) }
    }

    /// The batch and its row count; call once every page has been read.
    mutating func finish() -> (batch: ColumnBatch, rows: Int) {
        let rows = self.maxRepetition > 0 ? self.rowCount : self.levelCount
        let batch = ColumnBatch(
            values: self.values.take(),
            definitionLevels: self.definitionLevels,
            repetitionLevels: self.repetitionLevels
        )
        return (batch, rows)
    }

    /// Reads the page whose header starts `bytes`; returns the bytes it took (header and body).
    mutating func readPage(_ bytes: UnsafeRawBufferPointer, index: Int) throws(ParquetError) -> Int {
        var reader = ThriftCompactReader(bytes)
        let header = try PageHeader(from: &reader)
        let headerLength = reader.offset
        let compressed = Int(header.compressedPageSize)
        let uncompressed = Int(header.uncompressedPageSize)
        guard compressed <= self.options.maximumPageSize, uncompressed <= self.options.maximumPageSize else {
            throw ParquetError(
                .limitExceeded,
                "page sizes (\(compressed) compressed, \(uncompressed) uncompressed) "
                    + "exceed the limit of \(self.options.maximumPageSize) bytes"
            )
        }
        guard compressed >= 0, uncompressed >= 0 else {
            throw ParquetError(.corrupt, "negative page sizes (\(compressed), \(uncompressed))")
        }
        guard compressed <= bytes.count - headerLength else {
            throw ParquetError(
                .corrupt,
                "page body of \(compressed) bytes runs past the end of the column chunk "
                    + "(\(bytes.count - headerLength) bytes remain)"
            )
        }
        let body = UnsafeRawBufferPointer(rebasing: bytes[headerLength..<headerLength + compressed])
        if self.options.verifyChecksums, let crc = header.crc {
            let actual = CRC32.checksum(body)
            guard actual == UInt32(bitPattern: crc) else {
                throw ParquetError(.corrupt, "CRC mismatch (header \(UInt32(bitPattern: crc)), body \(actual))")
            }
        }
        switch header.type {
        case .dictionaryPage:
            try self.readDictionaryPage(header, body: body)
        case .dataPage:
            try self.readDataPageV1(header, body: body)
        case .dataPageV2:
            try self.readDataPageV2(header, body: body)
        case .indexPage:
            break
        }
        return headerLength + compressed
    }

    // MARK: Page kinds

    private mutating func readDictionaryPage(_ header: PageHeader, body: UnsafeRawBufferPointer) throws(ParquetError) {
        guard !self.sawDataPage else { throw ParquetError(.corrupt, "dictionary page after a data page") }
        guard self.dictionary == nil else { throw ParquetError(.corrupt, "second dictionary page") }
        guard let dictionaryHeader = header.dictionaryPageHeader else {
            throw ParquetError(.corrupt, "dictionary page without a dictionary_page_header")
        }
        guard dictionaryHeader.numValues >= 0 else {
            throw ParquetError(.corrupt, "dictionary page with negative num_values \(dictionaryHeader.numValues)")
        }
        guard dictionaryHeader.encoding == .plain || dictionaryHeader.encoding == .plainDictionary else {
            throw ParquetError(.unsupported, "dictionary page encoding \(dictionaryHeader.encoding)")
        }
        var dictionary = try ValueDecoder(column: self.column)
        try self.withPageData(body, uncompressedSize: Int(header.uncompressedPageSize)) {
            (_, data) throws(ParquetError) in
            try dictionary.decodePlain(data, count: Int(dictionaryHeader.numValues))
        }
        self.dictionary = dictionary
    }

    private mutating func readDataPageV1(_ header: PageHeader, body: UnsafeRawBufferPointer) throws(ParquetError) {
        guard let dataHeader = header.dataPageHeader else {
            throw ParquetError(.corrupt, "data page without a data_page_header")
        }
        let count = try self.beginDataPage(numValues: dataHeader.numValues)
        try self.withPageData(body, uncompressedSize: Int(header.uncompressedPageSize)) {
            (page, data) throws(ParquetError) in
            var position = 0
            if page.maxRepetition > 0 {
                position += try Self.appendV1Levels(
                    UnsafeRawBufferPointer(rebasing: data[position...]),
                    encoding: dataHeader.repetitionLevelEncoding,
                    count: count,
                    bitWidth: page.repetitionBitWidth,
                    maximum: page.maxRepetition,
                    kind: "repetition",
                    into: &page.repetitionLevels
                )
            }
            if page.maxDefinition > 0 {
                position += try Self.appendV1Levels(
                    UnsafeRawBufferPointer(rebasing: data[position...]),
                    encoding: dataHeader.definitionLevelEncoding,
                    count: count,
                    bitWidth: page.definitionBitWidth,
                    maximum: page.maxDefinition,
                    kind: "definition",
                    into: &page.definitionLevels
                )
            }
            try page.finishLevels(count: count)
            try page.decodeValues(
                UnsafeRawBufferPointer(rebasing: data[position...]),
                encoding: dataHeader.encoding,
                count: page.storedValueCount(levels: count)
            )
        }
        self.levelCount += count
    }

    private mutating func readDataPageV2(_ header: PageHeader, body: UnsafeRawBufferPointer) throws(ParquetError) {
        guard let dataHeader = header.dataPageHeaderV2 else {
            throw ParquetError(.corrupt, "data page V2 without a data_page_header_v2")
        }
        let count = try self.beginDataPage(numValues: dataHeader.numValues)
        let repetitionLength = Int(dataHeader.repetitionLevelsByteLength)
        let definitionLength = Int(dataHeader.definitionLevelsByteLength)
        let levelsLength = repetitionLength + definitionLength
        guard repetitionLength >= 0, definitionLength >= 0, levelsLength <= body.count else {
            throw ParquetError(
                .corrupt,
                "level sections of \(repetitionLength) + \(definitionLength) bytes exceed "
                    + "the page body of \(body.count) bytes"
            )
        }
        if self.maxRepetition > 0 {
            try Self.appendLevels(
                UnsafeRawBufferPointer(rebasing: body[0..<repetitionLength]),
                count: count,
                bitWidth: self.repetitionBitWidth,
                maximum: self.maxRepetition,
                kind: "repetition",
                into: &self.repetitionLevels
            )
        }
        if self.maxDefinition > 0 {
            try Self.appendLevels(
                UnsafeRawBufferPointer(rebasing: body[repetitionLength..<levelsLength]),
                count: count,
                bitWidth: self.definitionBitWidth,
                maximum: self.maxDefinition,
                kind: "definition",
                into: &self.definitionLevels
            )
        }
        try self.finishLevels(count: count)
        let valueCount = self.storedValueCount(levels: count)
        let section = UnsafeRawBufferPointer(rebasing: body[levelsLength...])
        let uncompressedValues = Int(header.uncompressedPageSize) - levelsLength
        guard uncompressedValues >= 0 else {
            throw ParquetError(
                .corrupt,
                "uncompressed_page_size \(header.uncompressedPageSize) is smaller than the "
                    + "level sections (\(levelsLength) bytes)"
            )
        }
        let encoding = dataHeader.encoding
        if dataHeader.isCompressed ?? true, !section.isEmpty {
            try self.withPageData(section, uncompressedSize: uncompressedValues) { (page, data) throws(ParquetError) in
                try page.decodeValues(data, encoding: encoding, count: valueCount)
            }
        } else {
            try self.decodeValues(section, encoding: encoding, count: valueCount)
        }
        self.levelCount += count
    }

    // MARK: Steps

    /// Checks a data page's level count against the chunk's; returns it as `Int`.
    private mutating func beginDataPage(numValues: Int32) throws(ParquetError) -> Int {
        self.sawDataPage = true
        let count = Int(numValues)
        guard count >= 0 else { throw ParquetError(.corrupt, "negative num_values \(numValues)") }
        // A page may not take the chunk past its level count. Small overruns are caught after the levels are
        // decoded, so that a page whose levels are also short reports that; large ones are refused before the
        // levels are allocated.
        guard count <= self.expectedLevels - self.levelCount || count <= Self.levelOverrunAllowance else {
            throw ParquetError(
                .corrupt,
                "num_values \(count) takes the chunk past its \(self.expectedLevels) values "
                    + "(\(self.levelCount) read)"
            )
        }
        return count
    }

    /// Levels a page may claim beyond the chunk's count before its levels are decoded (then it is an error).
    private static let levelOverrunAllowance = 1 << 16

    /// Checks the page's level count against the chunk's, its first repetition level, and counts its rows, once
    /// its levels are appended.
    private mutating func finishLevels(count: Int) throws(ParquetError) {
        guard count <= self.expectedLevels - self.levelCount else {
            throw ParquetError(
                .corrupt,
                "num_values \(count) takes the chunk past its \(self.expectedLevels) values "
                    + "(\(self.levelCount) read)"
            )
        }
        guard self.maxRepetition > 0, count > 0 else { return }
        let start = self.levelCount
        if start == 0, self.repetitionLevels[0] != 0 {
            throw ParquetError(.corrupt, "first repetition level of the chunk is \(self.repetitionLevels[0]), not 0")
        }
        self.rowCount += self.repetitionLevels.withUnsafeBufferPointer { levels in
            var rows = 0
            for index in start..<start + count where levels[index] == 0 { rows &+= 1 }
            return rows
        }
    }

    /// The number of values stored for the page's last `levels` slots: those with the maximum definition level.
    private func storedValueCount(levels: Int) -> Int {
        guard self.maxDefinition > 0 else { return levels }
        let maximum = self.maxDefinition
        let start = self.levelCount
        return self.definitionLevels.withUnsafeBufferPointer { definitions in
            var stored = 0
            for index in start..<start + levels { stored &+= definitions[index] == maximum ? 1 : 0 }
            return stored
        }
    }

    private mutating func decodeValues(
        _ data: UnsafeRawBufferPointer,
        encoding: Encoding,
        count: Int
    ) throws(ParquetError) {
        switch encoding {
        case .plain:
            try self.values.decodePlain(data, count: count)
        case .plainDictionary, .rleDictionary:
            guard let dictionary = self.dictionary else {
                throw ParquetError(.corrupt, "\(encoding) data page without a dictionary page")
            }
            try self.values.decodeDictionaryIndices(data, count: count, dictionary: dictionary)
        case .rle:
            try self.values.decodeRLEBooleans(data, count: count)
        case .deltaBinaryPacked:
            try self.values.decodeDeltaBinaryPacked(data, count: count)
        case .deltaLengthByteArray:
            try self.values.decodeDeltaLengthByteArray(data, count: count)
        case .deltaByteArray:
            try self.values.decodeDeltaByteArray(data, count: count)
        case .byteStreamSplit:
            try self.values.decodeByteStreamSplit(data, count: count)
        case .bitPacked:
            throw ParquetError(.unsupported, "BIT_PACKED is a level encoding, not a value encoding")
        }
    }

    /// Runs `body` on the page's decoded bytes: `input` itself when the chunk is uncompressed, otherwise the
    /// decompressed data (exactly `uncompressedSize` bytes, at most ``ReaderOptions/maximumPageSize``).
    private mutating func withPageData(
        _ input: UnsafeRawBufferPointer,
        uncompressedSize: Int,
        _ body: (inout Self, UnsafeRawBufferPointer) throws(ParquetError) -> Void
    ) throws(ParquetError) {
        guard self.codec != .uncompressed else {
            try body(&self, input)
            return
        }
        var buffer: [UInt8] = []
        swap(&buffer, &self.pageBuffer)
        defer { swap(&buffer, &self.pageBuffer) }
        buffer.removeAll(keepingCapacity: true)
        try self.decompressor.decompress(
            input,
            uncompressedSize: uncompressedSize,
            appendingTo: &buffer,
            maxUncompressedSize: self.options.maximumPageSize
        )
        try buffer.withUnsafeBufferPointer { (data) throws(ParquetError) in
            try body(&self, UnsafeRawBufferPointer(data))
        }
    }

    // MARK: Levels

    /// Appends `count` levels of a V1 page; returns the bytes they took (length prefix included).
    private static func appendV1Levels(
        _ bytes: UnsafeRawBufferPointer,
        encoding: Encoding,
        count: Int,
        bitWidth: Int,
        maximum: UInt8,
        kind: String,
        into levels: inout [UInt8]
    ) throws(ParquetError) -> Int {
        switch encoding {
        case .rle:
            break
        case .bitPacked:
            throw ParquetError(.unsupported, "BIT_PACKED \(kind) levels with a maximum level above 0")
        default:
            throw ParquetError(.corrupt, "\(kind) levels in encoding \(encoding)")
        }
        guard bytes.count >= 4 else {
            throw ParquetError(.corrupt, "unexpected end of page: no length prefix for \(kind) levels")
        }
        let length = Int(UInt32(littleEndian: bytes.loadUnaligned(as: UInt32.self)))
        guard length <= bytes.count - 4 else {
            throw ParquetError(
                .corrupt,
                "unexpected end of page: \(kind) levels of \(length) bytes, "
                    + "\(bytes.count - 4) remain"
            )
        }
        try self.appendLevels(
            UnsafeRawBufferPointer(rebasing: bytes[4..<4 + length]),
            count: count,
            bitWidth: bitWidth,
            maximum: maximum,
            kind: kind,
            into: &levels
        )
        return 4 + length
    }

    /// Appends `count` RLE / bit-packed levels read from all of `bytes`.
    private static func appendLevels(
        _ bytes: UnsafeRawBufferPointer,
        count: Int,
        bitWidth: Int,
        maximum: UInt8,
        kind: String,
        into levels: inout [UInt8]
    ) throws(ParquetError) {
        guard count > 0 else { return }
        var decoder = try RLEBitPackedHybridDecoder(bytes, bitWidth: bitWidth)
        let start = levels.count
        levels.append(contentsOf: repeatElement(0, count: count))
        // On error the levels are left partly filled: the caller abandons the whole chunk.
        let (decoded, largest) = try levels.withUnsafeMutableBufferPointer {
            (buffer) throws(ParquetError) -> (Int, UInt8) in
            let tail = UnsafeMutableBufferPointer(rebasing: buffer[start...])
            let decoded: Int
            do throws(ParquetError) {
                decoded = try decoder.decode(into: tail)
            } catch {
                throw ParquetError(
                    .corrupt,
                    "fewer levels than num_values: the \(kind) levels end early "
                        + "(\(error.message))"
                )
            }
            var largest: UInt8 = 0
            for level in tail { largest = max(largest, level) }
            return (decoded, largest)
        }
        guard decoded == count else {
            throw ParquetError(.corrupt, "fewer levels than num_values: \(decoded) of \(count) \(kind) levels")
        }
        guard largest <= maximum else {
            throw ParquetError(.corrupt, "\(kind) level \(largest) above the maximum \(maximum)")
        }
    }
}
