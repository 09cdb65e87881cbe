/// Type nibbles of the Thrift compact protocol.
enum ThriftCompactType: UInt8 {
    case stop = 0
    case booleanTrue = 1
    case booleanFalse = 2
    case byte = 3
    case i16 = 4
    case i32 = 5
    case i64 = 6
    case double = 7
    case binary = 8
    case list = 9
    case set = 10
    case map = 11
    case `struct` = 12
}

/// Encodes Thrift compact protocol (PARQUET.md §1.2) into a byte array.
///
/// Fields must be written in ascending id order within a struct; a stack keeps the last id of
/// every enclosing struct.
struct ThriftCompactWriter {
    var bytes: [UInt8]
    private var lastFieldID: Int16 = 0
    private var enclosingFieldIDs: [Int16] = []

    init(reservingCapacity capacity: Int = 256) {
        self.bytes = []
        self.bytes.reserveCapacity(capacity)
    }

    // MARK: Structs

    mutating func beginStruct() {
        self.enclosingFieldIDs.append(self.lastFieldID)
        self.lastFieldID = 0
    }

    mutating func endStruct() {
        self.bytes.append(ThriftCompactType.stop.rawValue)
        self.lastFieldID = self.enclosingFieldIDs.popLast() ?? 0
    }

    mutating func fieldHeader(_ type: ThriftCompactType, id: Int16) {
        let delta = Int(id) - Int(self.lastFieldID)
        if delta > 0 && delta <= 15 {
            self.bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            self.bytes.append(type.rawValue)
            self.bytes.appendZigZagVarint(Int64(id))
        }
        self.lastFieldID = id
    }

    /// Writes the header of a struct field and opens the struct; close it with ``endStruct()``.
    mutating func beginStructField(_ id: Int16) {
        self.fieldHeader(.struct, id: id)
        self.beginStruct()
    }

    /// A union member or marker struct with no fields, such as `StringType{}`.
    mutating func emptyStructField(_ id: Int16) {
        self.fieldHeader(.struct, id: id)
        self.bytes.append(ThriftCompactType.stop.rawValue)
    }

    // MARK: Scalar fields

    mutating func field(_ id: Int16, bool value: Bool) {
        self.fieldHeader(value ? .booleanTrue : .booleanFalse, id: id)
    }

    mutating func field(_ id: Int16, i8 value: Int8) {
        self.fieldHeader(.byte, id: id)
        self.bytes.append(UInt8(bitPattern: value))
    }

    mutating func field(_ id: Int16, i16 value: Int16) {
        self.fieldHeader(.i16, id: id)
        self.bytes.appendZigZagVarint(Int64(value))
    }

    mutating func field(_ id: Int16, i32 value: Int32) {
        self.fieldHeader(.i32, id: id)
        self.bytes.appendZigZagVarint(Int64(value))
    }

    mutating func field(_ id: Int16, i64 value: Int64) {
        self.fieldHeader(.i64, id: id)
        self.bytes.appendZigZagVarint(value)
    }

    mutating func field(_ id: Int16, binary value: [UInt8]) {
        self.fieldHeader(.binary, id: id)
        self.binary(value)
    }

    mutating func field(_ id: Int16, string value: String) {
        self.fieldHeader(.binary, id: id)
        self.binary(Array(value.utf8))
    }

    // MARK: Lists

    mutating func listHeader(_ elementType: ThriftCompactType, count: Int) {
        if count < 15 {
            self.bytes.append(UInt8(count) << 4 | elementType.rawValue)
        } else {
            self.bytes.append(0xF0 | elementType.rawValue)
            self.bytes.appendVarint(UInt64(count))
        }
    }

    mutating func listField(_ id: Int16, _ elementType: ThriftCompactType, count: Int) {
        self.fieldHeader(.list, id: id)
        self.listHeader(elementType, count: count)
    }

    mutating func field(_ id: Int16, i32List values: [Int32]) {
        self.listField(id, .i32, count: values.count)
        for value in values { self.bytes.appendZigZagVarint(Int64(value)) }
    }

    mutating func field(_ id: Int16, i64List values: [Int64]) {
        self.listField(id, .i64, count: values.count)
        for value in values { self.bytes.appendZigZagVarint(value) }
    }

    mutating func field(_ id: Int16, binaryList values: [[UInt8]]) {
        self.listField(id, .binary, count: values.count)
        for value in values { self.binary(value) }
    }

    mutating func field(_ id: Int16, stringList values: [String]) {
        self.listField(id, .binary, count: values.count)
        for value in values { self.binary(Array(value.utf8)) }
    }

    /// `list<bool>` as Java and C++ write it: element nibble 1, elements 1 (true) / 2 (false).
    mutating func field(_ id: Int16, boolList values: [Bool]) {
        self.listField(id, .booleanTrue, count: values.count)
        for value in values { self.bytes.append(value ? 1 : 2) }
    }

    /// A list of structs; `body` writes the fields of one element (without begin/end).
    mutating func field<S: Sequence>(
        _ id: Int16,
        structList values: S,
        count: Int,
        _ body: (inout Self, S.Element) -> Void
    ) {
        self.listField(id, .struct, count: count)
        for value in values {
            self.beginStruct()
            body(&self, value)
            self.endStruct()
        }
    }

    private mutating func binary(_ value: [UInt8]) {
        self.bytes.appendVarint(UInt64(value.count))
        self.bytes.append(contentsOf: value)
    }
}

/// A Thrift struct of the Parquet format that the writer emits.
protocol ThriftEncodable {
    /// Writes the fields (not the struct's begin/stop).
    func encodeFields(to writer: inout ThriftCompactWriter)
}

extension ThriftEncodable {
    /// The struct as a top-level Thrift message (fields then stop byte).
    func thriftBytes(reservingCapacity capacity: Int = 256) -> [UInt8] {
        var writer = ThriftCompactWriter(reservingCapacity: capacity)
        self.encode(to: &writer)
        return writer.bytes
    }

    func encode(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        self.encodeFields(to: &writer)
        writer.endStruct()
    }
}

extension ThriftCompactWriter {
    mutating func field(_ id: Int16, struct value: some ThriftEncodable) {
        self.fieldHeader(.struct, id: id)
        value.encode(to: &self)
    }

    mutating func field(_ id: Int16, structs values: [some ThriftEncodable]) {
        self.listField(id, .struct, count: values.count)
        for value in values { value.encode(to: &self) }
    }
}
