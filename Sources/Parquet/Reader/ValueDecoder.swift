/// Accumulates the decoded values of one column chunk in the typed array of its physical type.
///
/// Each `decode…` call appends exactly `count` values read from the start of a page's values section, or throws
/// `.corrupt` ("unexpected end of page") when the section is short. Only the array of the column's physical type
/// is ever filled; the others stay empty. A dictionary is a second `ValueDecoder` filled from the dictionary page
/// with ``decodePlain(_:count:)``.
struct ValueDecoder {
    let physicalType: PhysicalType
    /// Bytes per value of FIXED_LEN_BYTE_ARRAY (INT96: 12); 0 for the other types.
    let typeLength: Int

    private(set) var booleans: [Bool] = []
    private(set) var int32s: [Int32] = []
    private(set) var int64s: [Int64] = []
    private(set) var floats: [Float] = []
    private(set) var doubles: [Double] = []
    /// BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY and INT96 values.
    private(set) var byteArrays = ByteArrayBuffer()
    /// Reused for dictionary indices.
    private var indices: [UInt32] = []
    /// Reused for RLE booleans and BYTE_STREAM_SPLIT.
    private var scratch: [UInt8] = []

    /// Creates an empty decoder for `column`.
    ///
    /// - Throws: `.corrupt` when a FIXED_LEN_BYTE_ARRAY column has no positive type length.
    init(column: ColumnDescriptor) throws(ParquetError) {
        self.physicalType = column.physicalType
        switch column.physicalType {
        case .int96:
            self.typeLength = 12
        case .fixedLenByteArray:
            guard let length = column.typeLength, length > 0 else {
                throw ParquetError(
                    .corrupt,
                    "column \(column.dottedPath): FIXED_LEN_BYTE_ARRAY without a positive type_length"
                )
            }
            self.typeLength = Int(length)
        default:
            self.typeLength = 0
        }
    }

    /// The number of values decoded so far.
    var count: Int {
        switch self.physicalType {
        case .boolean: self.booleans.count
        case .int32: self.int32s.count
        case .int64: self.int64s.count
        case .float: self.floats.count
        case .double: self.doubles.count
        case .int96, .byteArray, .fixedLenByteArray: self.byteArrays.count
        }
    }

    /// Reserves room for `count` more values (byte arrays: offsets only).
    mutating func reserveCapacity(_ count: Int) {
        switch self.physicalType {
        case .boolean: self.booleans.reserveCapacity(count)
        case .int32: self.int32s.reserveCapacity(count)
        case .int64: self.int64s.reserveCapacity(count)
        case .float: self.floats.reserveCapacity(count)
        case .double: self.doubles.reserveCapacity(count)
        case .int96, .byteArray, .fixedLenByteArray: self.byteArrays.offsets.reserveCapacity(count + 1)
        }
    }

    /// Hands over the values, leaving the decoder empty.
    mutating func take() -> ColumnValues {
        switch self.physicalType {
        case .boolean: return .boolean(Self.take(&self.booleans))
        case .int32: return .int32(Self.take(&self.int32s))
        case .int64: return .int64(Self.take(&self.int64s))
        case .float: return .float(Self.take(&self.floats))
        case .double: return .double(Self.take(&self.doubles))
        case .byteArray:
            let values = self.byteArrays
            self.byteArrays = ByteArrayBuffer()
            return .byteArray(values)
        case .int96, .fixedLenByteArray:
            let values = self.byteArrays
            self.byteArrays = ByteArrayBuffer()
            return .fixedLenByteArray(values)
        }
    }

    private static func take<T>(_ array: inout [T]) -> [T] {
        let values = array
        array = []
        return values
    }

    // MARK: PLAIN

    /// Appends `count` PLAIN values.
    mutating func decodePlain(_ bytes: UnsafeRawBufferPointer, count: Int) throws(ParquetError) {
        switch self.physicalType {
        case .boolean:
            _ = try PlainDecoder.decodeBooleans(bytes, count: count, into: &self.booleans)
        case .int32:
            try Self.copyFixedWidth(bytes, count: count, into: &self.int32s)
        case .int64:
            try Self.copyFixedWidth(bytes, count: count, into: &self.int64s)
        case .float:
            try Self.copyFixedWidth(bytes, count: count, into: &self.floats)
        case .double:
            try Self.copyFixedWidth(bytes, count: count, into: &self.doubles)
        case .byteArray:
            _ = try PlainDecoder.decodeByteArrays(bytes, count: count, into: &self.byteArrays)
        case .int96, .fixedLenByteArray:
            _ = try PlainDecoder.decodeFixedLength(
                bytes,
                count: count,
                typeLength: self.typeLength,
                into: &self.byteArrays
            )
        }
    }

    /// Bulk-copies `count` little-endian fixed-width values (the in-memory layout on little-endian hosts).
    private static func copyFixedWidth<T: BitwiseCopyable>(
        _ bytes: UnsafeRawBufferPointer,
        count: Int,
        into output: inout [T]
    ) throws(ParquetError) {
        let size = MemoryLayout<T>.size
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: size)
        guard count >= 0, !overflow, byteCount <= bytes.count else {
            throw ParquetError(
                .corrupt,
                "unexpected end of page: \(count) values of \(size) bytes, the values "
                    + "section has \(bytes.count) bytes"
            )
        }
        guard count > 0, let source = bytes.baseAddress else { return }
        let start = output.count
        output.append(contentsOf: repeatElement(Self.zero(T.self), count: count))
        output.withUnsafeMutableBytes { destination in
            guard let target = destination.baseAddress else { return }
            (target + start &* size).copyMemory(from: source, byteCount: byteCount)
            #if _endian(big)
            Self.swapBytes(target + start &* size, count: count, size: size)
            #endif
        }
    }

    /// An all-zero value of a fixed-width numeric type.
    private static func zero<T: BitwiseCopyable>(_ type: T.Type) -> T {
        withUnsafeTemporaryAllocation(of: T.self, capacity: 1) { buffer in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            raw.initializeMemory(as: UInt8.self, repeating: 0)
            return raw.load(as: T.self)
        }
    }

    #if _endian(big)
    private static func swapBytes(_ base: UnsafeMutableRawPointer, count: Int, size: Int) {
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        for index in 0..<count {
            let value = bytes + index &* size
            var low = 0
            var high = size - 1
            while low < high {
                swap(&value[low], &value[high])
                low += 1
                high -= 1
            }
        }
    }
    #endif

    // MARK: RLE booleans

    /// Appends `count` RLE booleans: a 4-byte little-endian length, then RLE / bit-packed runs of width 1.
    mutating func decodeRLEBooleans(_ bytes: UnsafeRawBufferPointer, count: Int) throws(ParquetError) {
        guard self.physicalType == .boolean else {
            throw ParquetError(.unsupported, "RLE value encoding applies only to BOOLEAN, not \(self.physicalType)")
        }
        guard bytes.count >= 4 else {
            throw ParquetError(.corrupt, "unexpected end of page: RLE booleans without their 4-byte length")
        }
        let length = Int(UInt32(littleEndian: bytes.loadUnaligned(as: UInt32.self)))
        guard length <= bytes.count - 4 else {
            throw ParquetError(
                .corrupt,
                "unexpected end of page: RLE booleans of \(length) bytes, "
                    + "\(bytes.count - 4) remain"
            )
        }
        var decoder = try RLEBitPackedHybridDecoder(
            UnsafeRawBufferPointer(rebasing: bytes[4..<4 + length]),
            bitWidth: 1
        )
        self.scratch.removeAll(keepingCapacity: true)
        self.scratch.append(contentsOf: repeatElement(0, count: count))
        let decoded = try self.scratch.withUnsafeMutableBufferPointer { (buffer) throws(ParquetError) in
            try decoder.decode(into: buffer)
        }
        guard decoded == count else {
            throw ParquetError(.corrupt, "unexpected end of page: \(decoded) of \(count) RLE booleans")
        }
        self.booleans.reserveCapacity(self.booleans.count + count)
        for byte in self.scratch { self.booleans.append(byte != 0) }
    }

    // MARK: DELTA_*

    /// Appends `count` DELTA_BINARY_PACKED values (INT32, INT64).
    mutating func decodeDeltaBinaryPacked(_ bytes: UnsafeRawBufferPointer, count: Int) throws(ParquetError) {
        var decoder = try DeltaBinaryPackedDecoder(bytes)
        let decoded: Int
        switch self.physicalType {
        case .int32:
            decoded = try Self.decodeDelta(&decoder, count: count, into: &self.int32s)
        case .int64:
            decoded = try Self.decodeDelta(&decoder, count: count, into: &self.int64s)
        default:
            throw ParquetError(.unsupported, "DELTA_BINARY_PACKED does not apply to \(self.physicalType)")
        }
        guard decoded == count else {
            throw ParquetError(
                .corrupt,
                "unexpected end of page: DELTA_BINARY_PACKED holds \(decoded) of \(count) "
                    + "values"
            )
        }
    }

    private static func decodeDelta(
        _ decoder: inout DeltaBinaryPackedDecoder,
        count: Int,
        into output: inout [Int32]
    ) throws(ParquetError) -> Int {
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: count))
        let decoded = try output.withUnsafeMutableBufferPointer { (buffer) throws(ParquetError) -> Int in
            try decoder.decode(into: UnsafeMutableBufferPointer(rebasing: buffer[start...]))
        }
        if decoded < count { output.removeLast(count - decoded) }
        return decoded
    }

    private static func decodeDelta(
        _ decoder: inout DeltaBinaryPackedDecoder,
        count: Int,
        into output: inout [Int64]
    ) throws(ParquetError) -> Int {
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: count))
        let decoded = try output.withUnsafeMutableBufferPointer { (buffer) throws(ParquetError) -> Int in
            try decoder.decode(into: UnsafeMutableBufferPointer(rebasing: buffer[start...]))
        }
        if decoded < count { output.removeLast(count - decoded) }
        return decoded
    }

    /// Appends `count` DELTA_LENGTH_BYTE_ARRAY values (BYTE_ARRAY).
    mutating func decodeDeltaLengthByteArray(_ bytes: UnsafeRawBufferPointer, count: Int) throws(ParquetError) {
        guard self.physicalType == .byteArray else {
            throw ParquetError(.unsupported, "DELTA_LENGTH_BYTE_ARRAY does not apply to \(self.physicalType)")
        }
        _ = try DeltaLengthByteArrayDecoder.decode(bytes, count: count, into: &self.byteArrays)
    }

    /// Appends `count` DELTA_BYTE_ARRAY values (BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY).
    mutating func decodeDeltaByteArray(_ bytes: UnsafeRawBufferPointer, count: Int) throws(ParquetError) {
        switch self.physicalType {
        case .byteArray:
            _ = try DeltaByteArrayDecoder.decode(bytes, count: count, into: &self.byteArrays)
        case .fixedLenByteArray:
            let first = self.byteArrays.count
            _ = try DeltaByteArrayDecoder.decode(bytes, count: count, into: &self.byteArrays)
            for index in first..<self.byteArrays.count where self.byteArrays.length(at: index) != self.typeLength {
                let length = self.byteArrays.length(at: index)
                self.byteArrays.bytes.removeLast(self.byteArrays.bytes.count - Int(self.byteArrays.offsets[first]))
                self.byteArrays.offsets.removeLast(self.byteArrays.offsets.count - first - 1)
                throw ParquetError(
                    .corrupt,
                    "DELTA_BYTE_ARRAY value of \(length) bytes in a "
                        + "FIXED_LEN_BYTE_ARRAY(\(self.typeLength)) column"
                )
            }
        default:
            throw ParquetError(.unsupported, "DELTA_BYTE_ARRAY does not apply to \(self.physicalType)")
        }
    }

    // MARK: BYTE_STREAM_SPLIT

    /// Appends `count` BYTE_STREAM_SPLIT values (FLOAT, DOUBLE, INT32, INT64, FIXED_LEN_BYTE_ARRAY).
    ///
    /// The streams are `bytes.count / width` bytes long (the values section holds whole values only).
    mutating func decodeByteStreamSplit(_ bytes: UnsafeRawBufferPointer, count: Int) throws(ParquetError) {
        let width: Int
        switch self.physicalType {
        case .int32, .float: width = 4
        case .int64, .double: width = 8
        case .fixedLenByteArray: width = self.typeLength
        default:
            throw ParquetError(.unsupported, "BYTE_STREAM_SPLIT does not apply to \(self.physicalType)")
        }
        let stride = bytes.count / width
        guard stride >= count, bytes.count % width == 0 else {
            throw ParquetError(
                .corrupt,
                "unexpected end of page: BYTE_STREAM_SPLIT section of \(bytes.count) bytes "
                    + "for \(count) values of \(width) bytes"
            )
        }
        self.scratch.removeAll(keepingCapacity: true)
        try ByteStreamSplit.decode(bytes, width: width, count: stride, into: &self.scratch)
        let scratch = self.scratch
        try scratch.withUnsafeBufferPointer { (joined) throws(ParquetError) in
            let values = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: joined[0..<count &* width]))
            switch self.physicalType {
            case .int32: try Self.copyFixedWidth(values, count: count, into: &self.int32s)
            case .int64: try Self.copyFixedWidth(values, count: count, into: &self.int64s)
            case .float: try Self.copyFixedWidth(values, count: count, into: &self.floats)
            case .double: try Self.copyFixedWidth(values, count: count, into: &self.doubles)
            default:
                _ = try PlainDecoder.decodeFixedLength(values, count: count, typeLength: width, into: &self.byteArrays)
            }
        }
    }
}

// MARK: Dictionary indices

extension ValueDecoder {
    /// Appends `count` values of `dictionary` selected by a PLAIN_DICTIONARY / RLE_DICTIONARY values section: one
    /// bit-width byte (0...32; 0 means every index is 0), then RLE / bit-packed indices without a length prefix.
    ///
    /// - Throws: `.corrupt` for a bit width above 32 ("bit width N > 32"), fewer indices than `count` and an index
    ///   outside the dictionary.
    mutating func decodeDictionaryIndices(
        _ bytes: UnsafeRawBufferPointer,
        count: Int,
        dictionary: ValueDecoder
    ) throws(ParquetError) {
        guard count > 0 else { return }
        guard let widthByte = bytes.first else {
            throw ParquetError(.corrupt, "unexpected end of page: no dictionary index bit width for \(count) values")
        }
        let bitWidth = Int(widthByte)
        guard bitWidth <= 32 else { throw ParquetError(.corrupt, "bit width \(bitWidth) > 32") }
        var decoder = try RLEBitPackedHybridDecoder(UnsafeRawBufferPointer(rebasing: bytes[1...]), bitWidth: bitWidth)
        self.indices.removeAll(keepingCapacity: true)
        self.indices.append(contentsOf: repeatElement(0, count: count))
        let decoded = try self.indices.withUnsafeMutableBufferPointer { (buffer) throws(ParquetError) in
            try decoder.decode(into: buffer)
        }
        guard decoded == count else {
            throw ParquetError(.corrupt, "unexpected end of page: \(decoded) of \(count) dictionary indices")
        }
        let largest = self.indices.withUnsafeBufferPointer { indices in
            var largest: UInt32 = 0
            for index in indices { largest = Swift.max(largest, index) }
            return largest
        }
        guard Int(largest) < dictionary.count else {
            throw ParquetError(
                .corrupt,
                "dictionary index \(largest) out of range (the dictionary has \(dictionary.count) values)"
            )
        }
        switch self.physicalType {
        case .boolean: Self.gather(dictionary.booleans, self.indices, into: &self.booleans)
        case .int32: Self.gather(dictionary.int32s, self.indices, into: &self.int32s)
        case .int64: Self.gather(dictionary.int64s, self.indices, into: &self.int64s)
        case .float: Self.gather(dictionary.floats, self.indices, into: &self.floats)
        case .double: Self.gather(dictionary.doubles, self.indices, into: &self.doubles)
        case .int96, .byteArray, .fixedLenByteArray:
            try Self.gather(dictionary.byteArrays, self.indices, into: &self.byteArrays)
        }
    }

    /// Appends `dictionary[index]` for every index; the indices are known to be in range.
    private static func gather<T>(_ dictionary: [T], _ indices: [UInt32], into output: inout [T]) {
        guard let filler = dictionary.first, !indices.isEmpty else { return }
        let start = output.count
        output.append(contentsOf: repeatElement(filler, count: indices.count))
        output.withUnsafeMutableBufferPointer { target in
            dictionary.withUnsafeBufferPointer { values in
                indices.withUnsafeBufferPointer { indices in
                    for position in 0..<indices.count {
                        target[start &+ position] = values[Int(indices[position])]
                    }
                }
            }
        }
    }

    /// Appends the byte strings `dictionary[index]`; the indices are known to be in range.
    private static func gather(
        _ dictionary: ByteArrayBuffer,
        _ indices: [UInt32],
        into output: inout ByteArrayBuffer
    ) throws(ParquetError) {
        let total = dictionary.offsets.withUnsafeBufferPointer { offsets in
            indices.withUnsafeBufferPointer { indices in
                var total = 0
                for index in indices {
                    let value = Int(index)
                    total &+= Int(offsets[value &+ 1] &- offsets[value])
                }
                return total
            }
        }
        try PlainDecoder.checkCapacity(output, adding: total)
        let base = output.bytes.count
        output.bytes.append(contentsOf: repeatElement(0, count: total))
        output.offsets.reserveCapacity(output.offsets.count + indices.count)
        var end = base
        output.bytes.withUnsafeMutableBytes { target in
            dictionary.bytes.withUnsafeBytes { source in
                dictionary.offsets.withUnsafeBufferPointer { offsets in
                    indices.withUnsafeBufferPointer { indices in
                        for index in indices {
                            let start = Int(offsets[Int(index)])
                            let length = Int(offsets[Int(index) &+ 1]) &- start
                            if length > 0, let to = target.baseAddress, let from = source.baseAddress {
                                (to + end).copyMemory(from: from + start, byteCount: length)
                            }
                            end &+= length
                            output.offsets.append(Int32(truncatingIfNeeded: end))
                        }
                    }
                }
            }
        }
    }
}
