/// INT32, INT64, FLOAT and DOUBLE values as the writer handles them.
protocol FixedWidthValue: Sendable, BitwiseCopyable {
    static var physicalType: PhysicalType { get }
    static var byteWidth: Int { get }
    static func typedValues(_ values: ColumnValues) -> [Self]?
    /// Distinct bit patterns are distinct dictionary entries.
    var dictionaryKey: UInt64 { get }
    var isNaN: Bool { get }
    /// Statistics order; `unsigned` for UINT annotations.
    static func precedes(_ a: Self, _ b: Self, unsigned: Bool) -> Bool
    /// -0.0 for a zero minimum, +0.0 for a zero maximum (floats); the value itself otherwise.
    var asMinimum: Self { get }
    var asMaximum: Self { get }
    var littleEndianBytes: [UInt8] { get }
    var bloomHash: UInt64 { get }
    static func encodePlain(_ values: UnsafeBufferPointer<Self>, into output: inout [UInt8])
    /// DELTA_BINARY_PACKED, for integer types only.
    static func encodeDelta(_ values: UnsafeBufferPointer<Self>, into output: inout [UInt8]) -> Bool
}

extension FixedWidthValue {
    var isNaN: Bool { false }
    var asMinimum: Self { self }
    var asMaximum: Self { self }
    static func encodeDelta(_ values: UnsafeBufferPointer<Self>, into output: inout [UInt8]) -> Bool { false }
}

extension Int32: FixedWidthValue {
    static var physicalType: PhysicalType { .int32 }
    static var byteWidth: Int { 4 }
    static func typedValues(_ values: ColumnValues) -> [Int32]? {
        if case .int32(let v) = values { return v }
        return nil
    }
    var dictionaryKey: UInt64 { UInt64(UInt32(bitPattern: self)) }
    static func precedes(_ a: Int32, _ b: Int32, unsigned: Bool) -> Bool {
        unsigned ? UInt32(bitPattern: a) < UInt32(bitPattern: b) : a < b
    }
    var littleEndianBytes: [UInt8] {
        var bytes = [UInt8]()
        bytes.appendLittleEndian(self)
        return bytes
    }
    var bloomHash: UInt64 { XXHash64.hash(UInt32(bitPattern: self)) }
    static func encodePlain(_ values: UnsafeBufferPointer<Int32>, into output: inout [UInt8]) {
        PlainEncoder.encode(values, into: &output)
    }
    static func encodeDelta(_ values: UnsafeBufferPointer<Int32>, into output: inout [UInt8]) -> Bool {
        DeltaBinaryPackedEncoder.encode(values, into: &output)
        return true
    }
}

extension Int64: FixedWidthValue {
    static var physicalType: PhysicalType { .int64 }
    static var byteWidth: Int { 8 }
    static func typedValues(_ values: ColumnValues) -> [Int64]? {
        if case .int64(let v) = values { return v }
        return nil
    }
    var dictionaryKey: UInt64 { UInt64(bitPattern: self) }
    static func precedes(_ a: Int64, _ b: Int64, unsigned: Bool) -> Bool {
        unsigned ? UInt64(bitPattern: a) < UInt64(bitPattern: b) : a < b
    }
    var littleEndianBytes: [UInt8] {
        var bytes = [UInt8]()
        bytes.appendLittleEndian(self)
        return bytes
    }
    var bloomHash: UInt64 { XXHash64.hash(UInt64(bitPattern: self)) }
    static func encodePlain(_ values: UnsafeBufferPointer<Int64>, into output: inout [UInt8]) {
        PlainEncoder.encode(values, into: &output)
    }
    static func encodeDelta(_ values: UnsafeBufferPointer<Int64>, into output: inout [UInt8]) -> Bool {
        DeltaBinaryPackedEncoder.encode(values, into: &output)
        return true
    }
}

extension Float: FixedWidthValue {
    static var physicalType: PhysicalType { .float }
    static var byteWidth: Int { 4 }
    static func typedValues(_ values: ColumnValues) -> [Float]? {
        if case .float(let v) = values { return v }
        return nil
    }
    var dictionaryKey: UInt64 { UInt64(self.bitPattern) }
    static func precedes(_ a: Float, _ b: Float, unsigned: Bool) -> Bool { a < b }
    var asMinimum: Float { self == 0 ? -0.0 : self }
    var asMaximum: Float { self == 0 ? 0.0 : self }
    var littleEndianBytes: [UInt8] {
        var bytes = [UInt8]()
        bytes.appendLittleEndian(self.bitPattern)
        return bytes
    }
    var bloomHash: UInt64 { XXHash64.hash(self.bitPattern) }
    static func encodePlain(_ values: UnsafeBufferPointer<Float>, into output: inout [UInt8]) {
        PlainEncoder.encode(values, into: &output)
    }
}

extension Double: FixedWidthValue {
    static var physicalType: PhysicalType { .double }
    static var byteWidth: Int { 8 }
    static func typedValues(_ values: ColumnValues) -> [Double]? {
        if case .double(let v) = values { return v }
        return nil
    }
    var dictionaryKey: UInt64 { self.bitPattern }
    static func precedes(_ a: Double, _ b: Double, unsigned: Bool) -> Bool { a < b }
    var asMinimum: Double { self == 0 ? -0.0 : self }
    var asMaximum: Double { self == 0 ? 0.0 : self }
    var littleEndianBytes: [UInt8] {
        var bytes = [UInt8]()
        bytes.appendLittleEndian(self.bitPattern)
        return bytes
    }
    var bloomHash: UInt64 { XXHash64.hash(self.bitPattern) }
    static func encodePlain(_ values: UnsafeBufferPointer<Double>, into output: inout [UInt8]) {
        PlainEncoder.encode(values, into: &output)
    }
}
