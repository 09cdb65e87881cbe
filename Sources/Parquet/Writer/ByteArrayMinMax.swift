/// Running min/max of byte strings under the column's order (PARQUET.md §5.1).
struct ByteArrayMinMax {
    enum Order {
        /// Unsigned lexicographic: strings, binary, UUID.
        case unsigned
        /// Big-endian two's complement of fixed width: FLBA decimals.
        case signedDecimal
        /// IEEE half floats, little-endian; NaN excluded.
        case float16
    }

    let order: Order
    private(set) var min: [UInt8]?
    private(set) var max: [UInt8]?
    private(set) var nanCount = 0
    /// For the unsigned order, the bytes `min` and `max` begin with alike (``sharedCount`` of them, which
    /// every value between the two begins with too), and their next 8 bytes (``head(_:from:)``): a value
    /// that begins with the shared bytes and whose head lies above `minHead` lies above `min`, and below
    /// `max` when below `maxHead`. Each side so decided takes no comparison of the whole value: the JSON
    /// documents of a column mostly begin with the same key, where heads from the first byte decide
    /// nothing.
    private var sharedCount = 0
    private var minHead: UInt64 = 0
    private var maxHead: UInt64 = 0

    init(order: Order) {
        self.order = order
    }

    @inline(__always)
    mutating func update(_ value: UnsafeRawBufferPointer) {
        if self.order == .float16 && Self.isHalfNaN(value) {
            self.nanCount += 1
            return
        }
        guard let min = self.min, let max = self.max else {
            self.min = Array(value)
            self.max = Array(value)
            self.sharePrefix()
            return
        }
        var checksMin = true
        var checksMax = true
        if self.order == .unsigned, value.count >= self.sharedCount,
            min.withUnsafeBytes({
                ByteEquality.equal(
                    UnsafeRawBufferPointer(rebasing: $0[0..<self.sharedCount]),
                    UnsafeRawBufferPointer(rebasing: value[0..<self.sharedCount])
                )
            })
        {
            let head = Self.head(value, from: self.sharedCount)
            checksMin = head <= self.minHead
            checksMax = head >= self.maxHead
            if !checksMin && !checksMax { return }
        }
        var changed = false
        if checksMin && min.withUnsafeBytes({ self.compare(value, $0) }) < 0 {
            self.min = Array(value)
            changed = true
        }
        if checksMax && max.withUnsafeBytes({ self.compare(value, $0) }) > 0 {
            self.max = Array(value)
            changed = true
        }
        if changed { self.sharePrefix() }
    }

    /// Sets ``sharedCount`` and the heads after it for the current `min` and `max`.
    private mutating func sharePrefix() {
        guard self.order == .unsigned, let min = self.min, let max = self.max else { return }
        // Eight bytes at a time: a column of increasing strings takes a new max for every value.
        let shared = min.withUnsafeBytes { low in max.withUnsafeBytes { high in Self.sharedCount(low, high) } }
        self.sharedCount = shared
        self.minHead = min.withUnsafeBytes { Self.head($0, from: shared) }
        self.maxHead = max.withUnsafeBytes { Self.head($0, from: shared) }
    }

    /// How many bytes `a` and `b` begin with alike.
    static func sharedCount(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let limit = Swift.min(a.count, b.count)
        var index = 0
        while index &+ 8 <= limit {
            let difference =
                a.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                ^ b.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            if difference != 0 { return index &+ UInt64(littleEndian: difference).trailingZeroBitCount &>> 3 }
            index &+= 8
        }
        while index < limit && a[index] == b[index] { index &+= 1 }
        return index
    }

    /// The 8 bytes of `value` from `start` as a big-endian number, zero-padded: where two heads from the
    /// same start differ, they order their values as the unsigned lexicographic order does, when the
    /// values are alike before it (a string that ends is padded with zeros, which sort as its end does:
    /// before any byte, or level with a zero byte, and then the heads are equal and decide nothing).
    @inline(__always)
    static func head(_ value: UnsafeRawBufferPointer, from start: Int) -> UInt64 {
        if value.count &- start >= 8 {
            return UInt64(bigEndian: value.loadUnaligned(fromByteOffset: start, as: UInt64.self))
        }
        var head: UInt64 = 0
        for index in start..<value.count { head |= UInt64(value[index]) << (56 &- 8 &* UInt64(index &- start)) }
        return head
    }

    mutating func merge(_ other: ByteArrayMinMax) {
        if let min = other.min { min.withUnsafeBytes { self.update($0) } }
        if let max = other.max { max.withUnsafeBytes { self.update($0) } }
        self.nanCount += other.nanCount
    }

    mutating func reset() {
        self.min = nil
        self.max = nil
        self.nanCount = 0
        (self.sharedCount, self.minHead, self.maxHead) = (0, 0, 0)
    }

    /// Encoded min/max, truncated to `truncateLength` bytes for unsigned orders (UTF-8-safe when `isUTF8`).
    func encoded(truncateLength: Int?, isUTF8: Bool) -> EncodedMinMax? {
        guard var min = self.min, var max = self.max else { return nil }
        if self.order == .float16 {
            if Self.isHalfZero(min) { min = [0x00, 0x80] }
            if Self.isHalfZero(max) { max = [0x00, 0x00] }
        }
        var result = EncodedMinMax(min: min, max: max)
        if self.order == .unsigned, let limit = truncateLength, limit > 0 {
            if min.count > limit {
                result.min = StatisticsTruncation.truncateMin(min, limit: limit, isUTF8: isUTF8)
                result.isMinExact = false
            }
            if max.count > limit, let truncated = StatisticsTruncation.truncateMax(max, limit: limit, isUTF8: isUTF8) {
                result.max = truncated
                result.isMaxExact = false
            }
        }
        return result
    }

    @inline(__always)
    func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        switch self.order {
        case .unsigned:
            return ByteComparison.compare(a, b)
        case .signedDecimal:
            guard !a.isEmpty, !b.isEmpty else { return a.count - b.count }
            let first = Int(Int8(bitPattern: a[0])) - Int(Int8(bitPattern: b[0]))
            if first != 0 { return first }
            return ByteComparison.compare(
                UnsafeRawBufferPointer(rebasing: a[1...]),
                UnsafeRawBufferPointer(rebasing: b[1...])
            )
        case .float16:
            return Int(Self.halfOrderKey(a)) - Int(Self.halfOrderKey(b))
        }
    }

    private static func halfBits(_ value: UnsafeRawBufferPointer) -> UInt16 {
        guard value.count >= 2 else { return 0 }
        return UInt16(value[0]) | UInt16(value[1]) << 8
    }

    static func isHalfNaN(_ value: UnsafeRawBufferPointer) -> Bool {
        let bits = halfBits(value)
        return bits & 0x7C00 == 0x7C00 && bits & 0x03FF != 0
    }

    private static func isHalfZero(_ value: [UInt8]) -> Bool {
        value.withUnsafeBytes { halfBits($0) & 0x7FFF == 0 }
    }

    /// Maps half-float bits to an unsigned key with the same order as the numbers.
    private static func halfOrderKey(_ value: UnsafeRawBufferPointer) -> UInt16 {
        let bits = halfBits(value)
        return bits & 0x8000 != 0 ? ~bits : bits | 0x8000
    }
}

/// Truncation of long binary statistics (arrow-rs `truncate_min_value` / `truncate_max_value`).
enum StatisticsTruncation {
    static func truncateMin(_ value: [UInt8], limit: Int, isUTF8: Bool) -> [UInt8] {
        var end = limit
        if isUTF8 {
            while end > 0 && value[end] & 0xC0 == 0x80 { end -= 1 }
        }
        return Array(value[0..<end])
    }

    /// A value ≥ every value with `value`'s prefix, at most `limit` bytes; nil when none exists.
    static func truncateMax(_ value: [UInt8], limit: Int, isUTF8: Bool) -> [UInt8]? {
        if isUTF8 {
            var end = limit
            while end > 0 && value[end] & 0xC0 == 0x80 { end -= 1 }
            var scalars = Array(String(decoding: value[0..<end], as: UTF8.self).unicodeScalars)
            while let last = scalars.popLast() {
                var next = last.value + 1
                if next >= 0xD800 && next <= 0xDFFF { next = 0xE000 }
                if let scalar = Unicode.Scalar(next) {
                    scalars.append(scalar)
                    var result = [UInt8]()
                    for s in scalars { result.append(contentsOf: String(s).utf8) }
                    if result.count <= limit { return result }
                    scalars.removeLast()
                }
            }
            return nil
        }
        var result = Array(value[0..<limit])
        while let last = result.popLast() {
            if last < 0xFF {
                result.append(last + 1)
                return result
            }
        }
        return nil
    }
}
