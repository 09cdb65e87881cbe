/// A growable byte buffer that workload generators write JSON into, one record after another.
///
/// Strings are escaped as Python's `json` module with `ensure_ascii=False` does: `"`, `\` and control
/// characters are escaped, everything else (UTF-8 included) is copied as is.
public struct JSONBuffer: Sendable {
    /// The bytes written so far.
    public var bytes: [UInt8]

    /// Creates an empty buffer with room for `capacity` bytes.
    public init(capacity: Int = 0) {
        self.bytes = []
        self.bytes.reserveCapacity(capacity)
    }

    /// The number of bytes written.
    @inline(__always)
    public var count: Int { self.bytes.count }

    /// Forgets the contents and keeps the capacity.
    public mutating func removeAll() {
        self.bytes.removeAll(keepingCapacity: true)
    }

    /// Appends one byte.
    @inline(__always)
    public mutating func append(_ byte: UInt8) {
        self.bytes.append(byte)
    }

    /// Appends the UTF-8 of a literal without escaping it (keys, punctuation).
    @inline(__always)
    public mutating func append(_ literal: StaticString) {
        literal.withUTF8Buffer { self.bytes.append(contentsOf: $0) }
    }

    /// Appends raw bytes without escaping them.
    @inline(__always)
    public mutating func append(raw: some Sequence<UInt8>) {
        self.bytes.append(contentsOf: raw)
    }

    /// Appends `value` in decimal.
    public mutating func append(decimal value: Int) {
        if value < 0 {
            self.bytes.append(UInt8(ascii: "-"))
            self.append(unsignedDecimal: value.magnitude)
        } else {
            self.append(unsignedDecimal: UInt(value))
        }
    }

    /// Appends `value` in decimal.
    public mutating func append(unsignedDecimal value: UInt) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch, enough for 20 digits
        var remaining = value
        var length = 0
        withUnsafeMutableBytes(of: &digits) { scratch in
            repeat {
                length += 1
                scratch[24 - length] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
                remaining /= 10
            } while remaining != 0
            self.bytes.append(contentsOf: scratch[(24 - length)...])
        }
    }

    /// Appends `value` in decimal, left-padded with zeros to `width` digits (`%0Nd`).
    public mutating func append(decimal value: Int, width: Int) {
        var divisor = 1
        var digits = 1
        while digits < width || divisor * 10 <= value {
            divisor *= 10
            digits += 1
        }
        var remaining = value
        while divisor > 0 {
            self.bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining / divisor))
            remaining %= divisor
            divisor /= 10
        }
    }

    /// Appends the low `digits` hexadecimal digits of `value`, lowercase (`%0Nx`).
    @inline(__always)
    public mutating func append(hex value: UInt64, digits: Int) {
        var shift = (digits - 1) * 4
        while shift >= 0 {
            self.bytes.append(Self.hexDigits[Int(truncatingIfNeeded: (value >> UInt64(shift)) & 0xF)])
            shift -= 4
        }
    }

    /// Appends `value` rounded to one decimal as Python prints `round(value, 1)` (`78.0`, `-0.4`).
    public mutating func append(oneDecimal value: Double) {
        let tenths = Int((value * 10).rounded(.toNearestOrEven))
        if tenths < 0 { self.bytes.append(UInt8(ascii: "-")) }
        self.append(unsignedDecimal: tenths.magnitude / 10)
        self.bytes.append(UInt8(ascii: "."))
        self.bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: tenths.magnitude % 10))
    }

    /// Appends `true` or `false`.
    @inline(__always)
    public mutating func append(bool value: Bool) {
        self.append(value ? "true" : "false")
    }

    /// Appends `string` as a quoted, escaped JSON string.
    public mutating func append(string: String) {
        var string = string
        string.withUTF8 { self.append(quoting: $0) }
    }

    /// Appends UTF-8 `text` as a quoted, escaped JSON string.
    public mutating func append(quoting text: some Collection<UInt8>) {
        self.bytes.append(UInt8(ascii: "\""))
        self.append(escaping: text)
        self.bytes.append(UInt8(ascii: "\""))
    }

    /// Appends the escaped body of a JSON string holding UTF-8 `text`, without the quotes.
    public mutating func append(escaping text: some Collection<UInt8>) {
        let done: Void? = text.withContiguousStorageIfAvailable { self.append(escaping: $0) }
        if done == nil {
            let copy = Array(text)
            copy.withUnsafeBufferPointer { self.append(escaping: $0) }
        }
    }

    /// Copies runs that need no escaping in one piece; escapes the bytes between them.
    private mutating func append(escaping text: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        var index = 0
        while index < text.count {
            let byte = text[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            if runStart < index { self.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart..<index])) }
            switch byte {
            case UInt8(ascii: "\""): self.append("\\\"")
            case UInt8(ascii: "\\"): self.append("\\\\")
            case 0x0A: self.append("\\n")
            case 0x0D: self.append("\\r")
            case 0x09: self.append("\\t")
            case 0x08: self.append("\\b")
            case 0x0C: self.append("\\f")
            default:
                self.append("\\u00")
                self.append(hex: UInt64(byte), digits: 2)
            }
            index += 1
            runStart = index
        }
        if runStart < index { self.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart..<index])) }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
