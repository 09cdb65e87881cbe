/// A vocabulary of short byte strings stored back to back, so a generator can copy one into a
/// ``JSONBuffer`` without retaining an array per word.
public struct ByteStringTable: Sendable {
    private var storage: [UInt8] = []
    private var ends: [Int] = []

    /// Stores the UTF-8 of `strings`, in order, escaped for a JSON string when `escaped` is `true`.
    public init(_ strings: some Sequence<String>, escaped: Bool = true) {
        var buffer = JSONBuffer()
        for string in strings {
            if escaped {
                buffer.append(escaping: Array(string.utf8))
            } else {
                buffer.append(raw: string.utf8)
            }
            self.ends.append(buffer.count)
        }
        self.storage = buffer.bytes
    }

    /// The number of strings.
    @inline(__always)
    public var count: Int { self.ends.count }

    /// The byte length of string `index`.
    @inline(__always)
    public func length(_ index: Int) -> Int {
        self.ends[index] - (index == 0 ? 0 : self.ends[index - 1])
    }

    /// The bytes of string `index`.
    @inline(__always)
    public subscript(index: Int) -> ArraySlice<UInt8> {
        self.storage[(index == 0 ? 0 : self.ends[index - 1])..<self.ends[index]]
    }

    /// Appends string `index` to `buffer` as it was stored (no quotes).
    @inline(__always)
    public func append(_ index: Int, to buffer: inout JSONBuffer) {
        buffer.bytes.append(contentsOf: self[index])
    }
}
