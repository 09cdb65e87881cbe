/// Decodes Thrift compact protocol with strict bounds (PARQUET.md §1.2): every length and count is
/// checked against the remaining bytes and the limits before anything is allocated, nesting depth is
/// capped, and unknown fields of any type are skipped.
struct ThriftCompactReader: ~Copyable {
    struct Limits {
        /// Longest binary/string field.
        var maximumStringLength = 100 << 20
        /// Most elements in one list.
        var maximumContainerCount = 10_000_000
        /// Deepest struct nesting.
        var maximumDepth = 64
    }

    private let bytes: UnsafeRawBufferPointer
    private(set) var offset: Int
    private let limits: Limits
    private var lastFieldID: Int16 = 0
    private var enclosingFieldIDs: [Int16] = []
    /// Pending value of a bool field: compact protocol stores it in the field header.
    private var pendingBool: Bool?

    init(_ bytes: UnsafeRawBufferPointer, limits: Limits = Limits()) {
        self.bytes = bytes
        self.offset = 0
        self.limits = limits
    }

    var remaining: Int { self.bytes.count - self.offset }

    // MARK: Primitives

    mutating func readByte() throws(ParquetError) -> UInt8 {
        guard self.offset < self.bytes.count else { throw Self.truncated(self.offset) }
        let byte = self.bytes[self.offset]
        self.offset += 1
        return byte
    }

    mutating func readVarint() throws(ParquetError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try self.readByte()
            if shift == 63 && byte > 1 {
                throw ParquetError(.corrupt, "Thrift varint at byte \(self.offset - 1) overflows 64 bits")
            }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw ParquetError(.corrupt, "Thrift varint at byte \(self.offset - 1) is too long") }
        }
    }

    mutating func readZigZag() throws(ParquetError) -> Int64 {
        let value = try self.readVarint()
        return Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }

    mutating func readI16() throws(ParquetError) -> Int16 {
        let value = try self.readZigZag()
        guard let narrowed = Int16(exactly: value) else {
            throw ParquetError(.corrupt, "Thrift i16 value \(value) out of range at byte \(self.offset)")
        }
        return narrowed
    }

    mutating func readI32() throws(ParquetError) -> Int32 {
        let value = try self.readZigZag()
        guard let narrowed = Int32(exactly: value) else {
            throw ParquetError(.corrupt, "Thrift i32 value \(value) out of range at byte \(self.offset)")
        }
        return narrowed
    }

    mutating func readI64() throws(ParquetError) -> Int64 {
        try self.readZigZag()
    }

    mutating func readI8() throws(ParquetError) -> Int8 {
        Int8(bitPattern: try self.readByte())
    }

    mutating func readDouble() throws(ParquetError) -> Double {
        guard self.remaining >= 8 else { throw Self.truncated(self.offset) }
        let bits = self.bytes.loadUnaligned(fromByteOffset: self.offset, as: UInt64.self)
        self.offset += 8
        return Double(bitPattern: UInt64(littleEndian: bits))
    }

    mutating func readBinary() throws(ParquetError) -> [UInt8] {
        let length = try self.readVarint()
        guard length <= UInt64(self.limits.maximumStringLength) else {
            throw ParquetError(
                .limitExceeded,
                "Thrift binary of \(length) bytes at byte \(self.offset) exceeds the limit of \(self.limits.maximumStringLength)"
            )
        }
        guard length <= UInt64(self.remaining) else {
            throw ParquetError(.corrupt, "Thrift binary of \(length) bytes at byte \(self.offset) runs past the end")
        }
        let start = self.offset
        self.offset += Int(length)
        return Array(self.bytes[start..<self.offset])
    }

    mutating func readString() throws(ParquetError) -> String {
        String(decoding: try self.readBinary(), as: UTF8.self)
    }

    // MARK: Structs

    mutating func beginStruct() throws(ParquetError) {
        guard self.enclosingFieldIDs.count < self.limits.maximumDepth else {
            throw ParquetError(.limitExceeded, "Thrift structs nested deeper than \(self.limits.maximumDepth)")
        }
        self.enclosingFieldIDs.append(self.lastFieldID)
        self.lastFieldID = 0
    }

    mutating func endStruct() {
        self.lastFieldID = self.enclosingFieldIDs.popLast() ?? 0
    }

    /// The next field's type and id, or nil at the struct's stop byte.
    mutating func readFieldHeader() throws(ParquetError) -> (type: ThriftCompactType, id: Int16)? {
        let byte = try self.readByte()
        if byte == 0 { return nil }
        guard let type = ThriftCompactType(rawValue: byte & 0x0F) else {
            throw ParquetError(.corrupt, "invalid Thrift field type \(byte & 0x0F) at byte \(self.offset - 1)")
        }
        let delta = Int16(byte >> 4)
        let id = delta == 0 ? try self.readI16() : self.lastFieldID &+ delta
        self.lastFieldID = id
        switch type {
        case .booleanTrue: self.pendingBool = true
        case .booleanFalse: self.pendingBool = false
        default: self.pendingBool = nil
        }
        return (type, id)
    }

    /// The value of a bool field whose header was just read.
    mutating func readBoolField(_ type: ThriftCompactType) throws(ParquetError) -> Bool {
        guard let value = self.pendingBool, type == .booleanTrue || type == .booleanFalse else {
            throw ParquetError(.corrupt, "Thrift field at byte \(self.offset) should be a bool but is \(type)")
        }
        self.pendingBool = nil
        return value
    }

    /// Element type and count of a list or set.
    mutating func readListHeader() throws(ParquetError) -> (elementType: ThriftCompactType, count: Int) {
        let byte = try self.readByte()
        let shortCount = Int(byte >> 4)
        let elementNibble = byte & 0x0F
        // Some writers emit an empty list as a lone 0x00.
        if byte == 0 { return (.byte, 0) }
        guard let elementType = ThriftCompactType(rawValue: elementNibble), elementType != .stop else {
            throw ParquetError(.corrupt, "invalid Thrift list element type \(elementNibble) at byte \(self.offset - 1)")
        }
        let count: UInt64 = shortCount == 15 ? try self.readVarint() : UInt64(shortCount)
        guard count <= UInt64(self.limits.maximumContainerCount) else {
            throw ParquetError(
                .limitExceeded,
                "Thrift list of \(count) elements at byte \(self.offset) exceeds the limit of \(self.limits.maximumContainerCount)"
            )
        }
        // Every element takes at least one byte (except bools in lists, which also take one).
        guard count <= UInt64(self.remaining) else {
            throw ParquetError(.corrupt, "Thrift list of \(count) elements at byte \(self.offset) runs past the end")
        }
        return (elementType, Int(count))
    }

    /// A bool element of a list: 1 is true; 0 and 2 are false.
    mutating func readListBool() throws(ParquetError) -> Bool {
        let byte = try self.readByte()
        switch byte {
        case 1: return true
        case 0, 2: return false
        default: throw ParquetError(.corrupt, "invalid Thrift bool \(byte) at byte \(self.offset - 1)")
        }
    }

    /// Skips a value of `type`, whatever it holds.
    mutating func skip(_ type: ThriftCompactType, depth: Int = 0) throws(ParquetError) {
        guard depth < self.limits.maximumDepth else {
            throw ParquetError(.limitExceeded, "Thrift values nested deeper than \(self.limits.maximumDepth)")
        }
        switch type {
        case .stop:
            throw ParquetError(.corrupt, "unexpected Thrift stop at byte \(self.offset)")
        case .booleanTrue, .booleanFalse:
            self.pendingBool = nil
        case .byte:
            _ = try self.readByte()
        case .i16, .i32, .i64:
            _ = try self.readVarint()
        case .double:
            _ = try self.readDouble()
        case .binary:
            let length = try self.readVarint()
            guard length <= UInt64(self.remaining) else {
                throw ParquetError(
                    .corrupt,
                    "Thrift binary of \(length) bytes at byte \(self.offset) runs past the end"
                )
            }
            self.offset += Int(length)
        case .list, .set:
            let (elementType, count) = try self.readListHeader()
            for _ in 0..<count {
                if elementType == .booleanTrue || elementType == .booleanFalse {
                    _ = try self.readByte()
                } else {
                    try self.skip(elementType, depth: depth + 1)
                }
            }
        case .map:
            let count = try self.readVarint()
            guard count <= UInt64(self.remaining) else {
                throw ParquetError(.corrupt, "Thrift map of \(count) entries at byte \(self.offset) runs past the end")
            }
            if count == 0 { return }
            let types = try self.readByte()
            guard let keyType = ThriftCompactType(rawValue: types >> 4),
                let valueType = ThriftCompactType(rawValue: types & 0x0F)
            else {
                throw ParquetError(.corrupt, "invalid Thrift map types \(types) at byte \(self.offset - 1)")
            }
            for _ in 0..<count {
                try self.skipElement(keyType, depth: depth + 1)
                try self.skipElement(valueType, depth: depth + 1)
            }
        case .struct:
            try self.beginStruct()
            while let (fieldType, _) = try self.readFieldHeader() {
                try self.skip(fieldType, depth: depth + 1)
            }
            self.endStruct()
        }
    }

    private mutating func skipElement(_ type: ThriftCompactType, depth: Int) throws(ParquetError) {
        if type == .booleanTrue || type == .booleanFalse {
            _ = try self.readByte()
        } else {
            try self.skip(type, depth: depth)
        }
    }

    // MARK: Helpers for struct decoders

    /// Reads a struct: `body` is called for each field and must consume it (or call `skip`).
    mutating func readStruct(
        _ body: (inout ThriftCompactReader, ThriftCompactType, Int16) throws(ParquetError) -> Void
    ) throws(ParquetError) {
        try self.beginStruct()
        while let (type, id) = try self.readFieldHeader() {
            try body(&self, type, id)
        }
        self.endStruct()
    }

    /// Reads a list whose elements `element` decodes.
    mutating func readList<T>(
        _ element: (inout ThriftCompactReader, ThriftCompactType) throws(ParquetError) -> T
    ) throws(ParquetError) -> [T] {
        let (elementType, count) = try self.readListHeader()
        var result: [T] = []
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(try element(&self, elementType)) }
        return result
    }

    mutating func expect(_ type: ThriftCompactType, _ expected: ThriftCompactType, field: String) throws(ParquetError) {
        guard type == expected else {
            throw ParquetError(
                .corrupt,
                "Thrift field \(field) at byte \(self.offset) has type \(type), expected \(expected)"
            )
        }
    }

    private static func truncated(_ offset: Int) -> ParquetError {
        ParquetError(.corrupt, "Thrift data ends unexpectedly at byte \(offset)")
    }
}
