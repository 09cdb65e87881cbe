import CIntrinsics

extension JSONScanner {
    /// Scans the string whose opening quote is at ``position``; leaves ``position`` after the closing quote.
    ///
    /// The body is searched eight bytes at a time for the bytes that need attention (`"`, `\`, control bytes
    /// below 0x20 and non-ASCII bytes); pure ASCII runs are validated by that search alone. Escapes and
    /// multi-byte UTF-8 sequences are checked one at a time.
    @inline(__always)
    mutating func scanString() throws(JSONScanError) -> JSONStringToken {
        let bytes = self.bytes
        let count = bytes.count
        let start = self.position + 1
        var index = start
        var hasEscapes = false
        while true {
            while index &+ 8 <= count {
                let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let mask = Self.attentionMask(word)
                if mask != 0 {
                    index &+= mask.trailingZeroBitCount &>> 3
                    break
                }
                index &+= 8
            }
            guard index < count else { throw self.unterminatedString(at: index) }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { return try self.endString(start..<index, hasEscapes: hasEscapes) }
            if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                // `\"` and `\\` (JSON embedded in a string) inline; the other escapes are checked in full.
                if index &+ 1 < count {
                    let next = bytes[index &+ 1]
                    if next == UInt8(ascii: "\"") || next == UInt8(ascii: "\\") {
                        index &+= 2
                        continue
                    }
                }
                index = try self.scanEscape(at: index)
            } else if byte < 0x20 {
                throw self.failure(.unexpectedCharacter, "control characters must be escaped in strings", at: index)
            } else if byte >= 0x80 {
                index = try self.validateUTF8Sequence(at: index)
            } else {
                index += 1  // an ordinary byte in the last seven bytes of the input
            }
        }
    }

    /// The token of the string whose body is `body`, its closing quote at `body.upperBound`, after
    /// which the scanner goes on.
    @inline(__always)
    mutating func endString(_ body: Range<Int>, hasEscapes: Bool) throws(JSONScanError) -> JSONStringToken {
        if let limit = self.options.maximumStringLength, body.count > limit {
            throw self.failure(
                .stringTooLong,
                "string of \(body.count) bytes is longer than the maximum of \(limit)",
                at: body.lowerBound - 1
            )
        }
        self.position = body.upperBound + 1
        return JSONStringToken(range: body, hasEscapes: hasEscapes)
    }

    @inline(never)
    func unterminatedString(at index: Int) -> JSONScanError {
        self.failure(.unexpectedEnd, "expected '\"' to end the string", at: index)
    }

    /// High bit set in each byte of `word` that is `"`, `\`, below 0x20 or at least 0x80. Bits above the
    /// lowest set one may be spurious (borrows propagate upwards), so callers use only the lowest.
    @inline(__always)
    static func attentionMask(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let quoteZero = (quote &- ones) & ~quote
        let backslashZero = (backslash &- ones) & ~backslash
        let controlOrHigh = (word &- ones &* 0x20) | word
        return (quoteZero | backslashZero | controlOrHigh) & highs
    }

    /// Validates the escape at `index` (a backslash) and returns the index after it.
    mutating func scanEscape(at index: Int) throws(JSONScanError) -> Int {
        let bytes = self.bytes
        guard index + 1 < bytes.count else {
            throw self.failure(.unexpectedEnd, "expected an escape character after '\\'", at: index + 1)
        }
        switch bytes[index + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return index + 2
        case UInt8(ascii: "u"):
            let first = try self.hexEscape(at: index)
            if first >= 0xDC00 && first < 0xE000 {
                throw self.failure(
                    .invalidSurrogate,
                    "low surrogate \\u\(Self.hex(first)) without a high surrogate",
                    at: index
                )
            }
            guard first >= 0xD800 && first < 0xDC00 else { return index + 6 }
            let next = index + 6
            guard next + 1 < bytes.count, bytes[next] == UInt8(ascii: "\\"), bytes[next + 1] == UInt8(ascii: "u") else {
                throw self.failure(
                    .invalidSurrogate,
                    "high surrogate \\u\(Self.hex(first)) must be followed by a \\u low surrogate",
                    at: index
                )
            }
            let second = try self.hexEscape(at: next)
            guard second >= 0xDC00 && second < 0xE000 else {
                throw self.failure(
                    .invalidSurrogate,
                    "high surrogate \\u\(Self.hex(first)) followed by \\u\(Self.hex(second)), not a low surrogate",
                    at: next
                )
            }
            return next + 6
        default:
            throw self.failure(.invalidEscape, "expected one of \" \\ / b f n r t u after '\\'", at: index + 1)
        }
    }

    /// The code unit of the `\uXXXX` escape at `index`.
    private func hexEscape(at index: Int) throws(JSONScanError) -> UInt32 {
        var value: UInt32 = 0
        for offset in 2..<6 {
            guard index + offset < self.bytes.count else {
                throw self.failure(.unexpectedEnd, "expected four hex digits after '\\u'", at: index + offset)
            }
            guard let digit = JSONStringToken.hexValue(self.bytes[index + offset]) else {
                throw self.failure(.invalidEscape, "expected four hex digits after '\\u'", at: index + offset)
            }
            value = value << 4 | digit
        }
        return value
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Validates the multi-byte UTF-8 sequence whose lead byte is at `index` (Unicode Table 3-7: no overlong
    /// forms, no surrogates, nothing above U+10FFFF) and returns the index after it.
    @inline(__always)
    mutating func validateUTF8Sequence(at index: Int) throws(JSONScanError) -> Int {
        let bytes = self.bytes
        let lead = bytes[index]
        let length: Int
        var secondLow: UInt8 = 0x80
        var secondHigh: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            secondLow = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            secondHigh = 0x9F
        case 0xF0:
            length = 4
            secondLow = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            secondHigh = 0x8F
        default:
            throw self.failure(.invalidUTF8, "invalid UTF-8 lead byte in string", at: index)
        }
        guard index + length <= bytes.count else {
            throw self.failure(.invalidUTF8, "truncated UTF-8 sequence in string", at: index)
        }
        let second = bytes[index + 1]
        guard second >= secondLow && second <= secondHigh else {
            throw self.failure(.invalidUTF8, "invalid UTF-8 sequence in string", at: index)
        }
        var offset = 2
        while offset < length {
            guard bytes[index + offset] & 0xC0 == 0x80 else {
                throw self.failure(.invalidUTF8, "invalid UTF-8 sequence in string", at: index)
            }
            offset += 1
        }
        return index + length
    }
}

extension JSONScanner {
    /// The bytes from the scanner's position to the end of its input.
    public var remainingCount: Int { self.bytes.count - self.position }

    /// Like ``next()`` where an object member's value comes next; a string value is also unescaped into
    /// `out` in the same pass that validates it, so its bytes are read once.
    ///
    /// - Parameter out: room for ``remainingCount`` + 8 bytes (runs are moved a word at a time).
    /// - Returns: the token and, for a string value written to `out`, its decoded length.
    public mutating func nextValue(
        decodingStringInto out: UnsafeMutableRawPointer
    ) throws(JSONScanError) -> (token: JSONToken, decodedCount: Int?) {
        self.skipWhitespace()
        guard self.state == .memberValue, self.position < self.bytes.count,
            self.bytes[self.position] == UInt8(ascii: "\"")
        else { return (try self.next(), nil) }
        let (string, count) = try self.scanString(decodingInto: out)
        self.valueDone()
        return (.string(string), count)
    }

    /// Whether ``scanString(decodingInto:)`` copies plain runs with AVX-512 or AVX2 (``laketap_json_string_run``):
    /// a load of a C global set before `main`, not a `static let`, whose once-check is a runtime call
    /// (0.8% of one-core events samples, asked once per escape).
    @inline(__always)
    static var vectorStringRuns: Bool { laketap_json_string_run_step() != 0 }

    /// Copies the plain run at `index` (`\"` escapes unescaped) to `out + written` and moves both past it.
    @inline(__always)
    static func vectorRun(
        _ bytes: UnsafeRawBufferPointer,
        _ index: inout Int,
        _ out: UnsafeMutableRawPointer,
        _ written: inout Int,
        _ hasEscapes: inout Bool
    ) {
        var runWritten = 0
        let run = laketap_json_string_run(
            bytes.baseAddress!.assumingMemoryBound(to: UInt8.self) + index,
            bytes.count &- index,
            (out + written).assumingMemoryBound(to: UInt8.self),
            &runWritten
        )
        if runWritten != run { hasEscapes = true }
        index &+= run
        written &+= runWritten
    }

    /// ``scanString()`` that also writes the unescaped value to `out` (see
    /// ``nextValue(decodingStringInto:)``); returns the token and the decoded length.
    @inline(__always)
    mutating func scanString(decodingInto out: UnsafeMutableRawPointer) throws(JSONScanError) -> (JSONStringToken, Int)
    {
        let bytes = self.bytes
        let count = bytes.count
        let start = self.position + 1
        var index = start
        var written = 0
        var hasEscapes = false
        while true {
            // Past its first escape, a string is likely JSON embedded in a string (an escaped quote every
            // few bytes): the rest goes 64 or 32 bytes a step, `\"` included, where the CPU can. Other strings
            // stay on the words: for the short, plain strings of most records they cost less than the call.
            if hasEscapes && Self.vectorStringRuns { Self.vectorRun(bytes, &index, out, &written, &hasEscapes) }
            // Each word is stored before it is checked: `written` never passes `index - start`, and
            // what a stored word carries past the run is overwritten by what follows.
            while index &+ 8 <= count {
                let raw = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                (out + written).storeBytes(of: raw, as: UInt64.self)
                let mask = Self.attentionMask(UInt64(littleEndian: raw))
                if mask != 0 {
                    let run = mask.trailingZeroBitCount &>> 3
                    index &+= run
                    written &+= run
                    break
                }
                index &+= 8
                written &+= 8
            }
            guard index < count else { throw self.unterminatedString(at: index) }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                return (try self.endString(start..<index, hasEscapes: hasEscapes), written)
            }
            if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                let next = index &+ 1 < count ? bytes[index &+ 1] : 0
                guard let decoded = JSONStringToken.unescaped(next) else {
                    // `\u` escapes (and the errors): validated by the scanner, decoded by the token.
                    let end = try self.scanEscape(at: index)
                    let escape = UnsafeRawBufferPointer(rebasing: bytes[index..<end])
                    written &+= JSONStringToken.decodeEscapes(
                        escape,
                        into: UnsafeMutableRawBufferPointer(start: out + written, count: escape.count + 8)
                    )
                    index = end
                    continue
                }
                out.storeBytes(of: decoded, toByteOffset: written, as: UInt8.self)
                written &+= 1
                index &+= 2
            } else if byte < 0x20 {
                throw self.failure(.unexpectedCharacter, "control characters must be escaped in strings", at: index)
            } else if byte >= 0x80 {
                let end = try self.validateUTF8Sequence(at: index)
                (out + written).copyMemory(from: bytes.baseAddress! + index, byteCount: end &- index)
                written &+= end &- index
                index = end
            } else {
                out.storeBytes(of: byte, toByteOffset: written, as: UInt8.self)  // one of the last seven bytes
                written &+= 1
                index &+= 1
            }
        }
    }
}
