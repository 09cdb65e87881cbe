/// A string or key found by the scanner: the raw bytes between the quotes.
///
/// The scanner has validated the bytes (UTF-8, escapes, surrogate pairs) before handing out the token,
/// so ``decode(from:appendingTo:)`` cannot fail.
public struct JSONStringToken: Equatable, Sendable {
    /// Indices into the scanner's buffer of the bytes between the quotes, still escaped.
    public var range: Range<Int>
    /// Whether the raw bytes contain at least one backslash escape. When `false`, the raw bytes are the
    /// value and can be copied (or compared) as they are.
    public var hasEscapes: Bool

    /// Creates a token; the scanner is the only producer of valid tokens.
    public init(range: Range<Int>, hasEscapes: Bool) {
        self.range = range
        self.hasEscapes = hasEscapes
    }

    /// Appends the unescaped UTF-8 value to `output`: a copy of the raw bytes when there are no escapes,
    /// otherwise escapes resolved and surrogate pairs combined into one scalar.
    ///
    /// - Parameter bytes: the buffer the scanner that produced this token read.
    public func decode(from bytes: UnsafeRawBufferPointer, appendingTo output: inout [UInt8]) {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[self.range])
        guard self.hasEscapes else {
            output.append(contentsOf: raw)
            return
        }
        // Decoded into scratch space with eight bytes of slack (on the stack for the usual sizes), so runs
        // between escapes move a word at a time even where the word reaches past the run; then appended
        // in one copy. The decoded text is never longer than the raw text.
        withUnsafeTemporaryAllocation(byteCount: raw.count + 8, alignment: 8) { scratch in
            let written = Self.decodeEscapes(raw, into: scratch)
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<written]))
        }
    }

    /// Writes the unescaped UTF-8 value to `out`, which holds at least `range.count + 8` bytes (runs
    /// between escapes move a word at a time); returns its length.
    ///
    /// - Parameter bytes: the buffer the scanner that produced this token read.
    public func decode(from bytes: UnsafeRawBufferPointer, into out: UnsafeMutableRawPointer) -> Int {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[self.range])
        guard self.hasEscapes else {
            if let base = raw.baseAddress { out.copyMemory(from: base, byteCount: raw.count) }
            return raw.count
        }
        return Self.decodeEscapes(raw, into: UnsafeMutableRawBufferPointer(start: out, count: raw.count + 8))
    }

    /// Decodes `raw`, a string's raw text with escapes, into `out`, which holds at least `raw.count + 8`
    /// bytes; returns the length of the decoded text.
    static func decodeEscapes(_ raw: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) -> Int {
        var written = 0
        var index = 0
        let count = raw.count
        guard let base = out.baseAddress else { return 0 }
        while index < count {
            // Words up to the next backslash; the last one may carry bytes past the run, which what
            // follows overwrites (`written` never passes `index`, and `out` has eight bytes of slack).
            while index &+ 8 <= count {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                (base + written).storeBytes(of: word, as: UInt64.self)
                let backslash = UInt64(littleEndian: word) ^ 0x5C5C_5C5C_5C5C_5C5C
                let zeros = (backslash &- 0x0101_0101_0101_0101) & ~backslash & 0x8080_8080_8080_8080
                if zeros != 0 {
                    let run = zeros.trailingZeroBitCount &>> 3
                    written &+= run
                    index &+= run
                    break
                }
                written &+= 8
                index &+= 8
            }
            while index < count && raw[index] != UInt8(ascii: "\\") {
                out[written] = raw[index]
                written &+= 1
                index &+= 1
            }
            guard index + 1 < count else { break }
            let escaped = raw[index + 1]
            index += 2
            guard escaped == UInt8(ascii: "u") else {
                // Scanned tokens hold only valid escapes: `escaped` itself is a fallback never taken.
                out[written] = Self.unescaped(escaped) ?? escaped
                written += 1
                continue
            }
            var scalar = Self.hex4(raw, at: index) ?? 0xFFFD
            index += 4
            if scalar >= 0xD800 && scalar < 0xDC00, index + 6 <= count, raw[index] == UInt8(ascii: "\\"),
                raw[index + 1] == UInt8(ascii: "u"), let low = Self.hex4(raw, at: index + 2),
                low >= 0xDC00 && low < 0xE000
            {
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                index += 6
            } else if scalar >= 0xD800 && scalar < 0xE000 {
                scalar = 0xFFFD  // unreachable for scanned tokens: the scanner rejects lone surrogates
            }
            // At most 3 bytes for 6 escaped ones, 4 for a pair's 12: never past `out`.
            written += Self.storeUTF8(scalar, into: out, at: written)
        }
        return written
    }

    /// The byte a one-character escape stands for (`n` for `\n`, `"` for `\"`), or nil (`u` and
    /// invalid escapes).
    @inline(__always)
    static func unescaped(_ escaped: UInt8) -> UInt8? {
        switch escaped {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): escaped
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
    }

    /// The value of four hex digits at `index`, or `nil`.
    static func hex4(_ raw: UnsafeRawBufferPointer, at index: Int) -> UInt32? {
        guard index + 4 <= raw.count else { return nil }
        var value: UInt32 = 0
        for offset in 0..<4 {
            guard let digit = hexValue(raw[index + offset]) else { return nil }
            value = value << 4 | digit
        }
        return value
    }

    /// The value of one hex digit, or `nil`.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte &- UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte &- UInt8(ascii: "a") &+ 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte &- UInt8(ascii: "A") &+ 10)
        default: nil
        }
    }

    /// Stores the UTF-8 encoding of a scalar value at `offset`; returns its length.
    static func storeUTF8(_ scalar: UInt32, into out: UnsafeMutableRawBufferPointer, at offset: Int) -> Int {
        switch scalar {
        case ..<0x80:
            out[offset] = UInt8(truncatingIfNeeded: scalar)
            return 1
        case ..<0x800:
            out[offset] = UInt8(truncatingIfNeeded: 0xC0 | scalar >> 6)
            out[offset + 1] = UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F)
            return 2
        case ..<0x10000:
            out[offset] = UInt8(truncatingIfNeeded: 0xE0 | scalar >> 12)
            out[offset + 1] = UInt8(truncatingIfNeeded: 0x80 | scalar >> 6 & 0x3F)
            out[offset + 2] = UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F)
            return 3
        default:
            out[offset] = UInt8(truncatingIfNeeded: 0xF0 | scalar >> 18)
            out[offset + 1] = UInt8(truncatingIfNeeded: 0x80 | scalar >> 12 & 0x3F)
            out[offset + 2] = UInt8(truncatingIfNeeded: 0x80 | scalar >> 6 & 0x3F)
            out[offset + 3] = UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F)
            return 4
        }
    }
}

extension JSONStringToken {
    /// The unescaped value as a `String`; allocates, so meant for tests, errors and cold paths.
    public func string(from bytes: UnsafeRawBufferPointer) -> String {
        var output: [UInt8] = []
        self.decode(from: bytes, appendingTo: &output)
        return String(decoding: output, as: UTF8.self)
    }
}
