/// Variable-length byte strings stored contiguously: `offsets[i] ..< offsets[i + 1]` in `bytes`
/// is value `i`. This is the bulk form in which BYTE_ARRAY (and FIXED_LEN_BYTE_ARRAY) values
/// reach the writer, so no value is boxed on the way.
public struct ByteArrayBuffer: Sendable, Hashable {
    public var bytes: [UInt8]
    /// `count + 1` offsets, starting at 0.
    public var offsets: [Int32]

    public init() {
        self.bytes = []
        self.offsets = [0]
    }

    public init(bytes: [UInt8], offsets: [Int32]) {
        precondition(offsets.first == 0, "offsets must start at 0")
        self.bytes = bytes
        self.offsets = offsets
    }

    public init(reservingCapacity count: Int, bytes byteCount: Int) {
        self.init()
        self.offsets.reserveCapacity(count + 1)
        self.bytes.reserveCapacity(byteCount)
    }

    public init<S: Sequence>(_ strings: S) where S.Element == String {
        self.init()
        for s in strings { self.append(s) }
    }

    public init<S: Sequence>(_ values: S) where S.Element == [UInt8] {
        self.init()
        for v in values { self.append(v) }
    }

    @inlinable
    public var count: Int { self.offsets.count - 1 }

    @inlinable
    public var isEmpty: Bool { self.offsets.count == 1 }

    @inlinable
    public mutating func append(_ value: String) {
        var value = value
        value.withUTF8 { self.append(UnsafeRawBufferPointer($0)) }
    }

    @inlinable
    public mutating func append<C: Collection>(_ value: C) where C.Element == UInt8 {
        self.bytes.append(contentsOf: value)
        self.offsets.append(Int32(truncatingIfNeeded: self.bytes.count))
    }

    @inlinable
    public mutating func append(_ value: UnsafeRawBufferPointer) {
        self.bytes.append(contentsOf: value)
        self.offsets.append(Int32(truncatingIfNeeded: self.bytes.count))
    }

    @inlinable
    public func length(at index: Int) -> Int {
        Int(self.offsets[index + 1] &- self.offsets[index])
    }

    /// The bytes of value `index`.
    @inlinable
    public subscript(index: Int) -> ArraySlice<UInt8> {
        self.bytes[Int(self.offsets[index])..<Int(self.offsets[index + 1])]
    }

    public mutating func removeAll(keepingCapacity: Bool = true) {
        self.bytes.removeAll(keepingCapacity: keepingCapacity)
        self.offsets.removeAll(keepingCapacity: keepingCapacity)
        self.offsets.append(0)
    }

    /// Values `range` as a new buffer.
    public func slice(_ range: Range<Int>) -> ByteArrayBuffer {
        let start = Int(self.offsets[range.lowerBound])
        let end = Int(self.offsets[range.upperBound])
        var offsets = [Int32]()
        offsets.reserveCapacity(range.count + 1)
        let base = Int32(start)
        for i in range.lowerBound...range.upperBound { offsets.append(self.offsets[i] &- base) }
        return ByteArrayBuffer(bytes: Array(self.bytes[start..<end]), offsets: offsets)
    }
}
