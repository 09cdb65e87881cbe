/// A pull scanner over one JSON text held in contiguous bytes.
///
/// Each ``next()`` returns one ``JSONToken`` and validates the structure as it goes (commas, colons,
/// matching brackets, depth), strictly per RFC 8259: one top-level value, then only whitespace.
/// Tokens refer to the input by byte ranges, so scanning allocates nothing. The caller keeps `bytes`
/// alive and unchanged while the scanner and its tokens are in use.
///
/// ```swift
/// var scanner = JSONScanner(bytes, baseOffset: record.byteOffset, line: record.line)
/// while true {
///     switch try scanner.next() {
///     case .key(let name): …
///     case .endOfInput: return
///     default: …
///     }
/// }
/// ```
public struct JSONScanner {
    /// Where the scanner is in the grammar.
    enum State: UInt8 {
        /// Before the top-level value.
        case start
        /// After `[`: a value or `]`.
        case arrayFirst
        /// After `{`: a key or `}`.
        case objectFirst
        /// After a key and its `:`: a value.
        case memberValue
        /// After a value inside a container: `,` or the closing bracket.
        case afterValue
        /// After the top-level value: only whitespace.
        case finished
    }

    /// The input.
    public let bytes: UnsafeRawBufferPointer
    /// The limits in force.
    public let options: JSONScanOptions
    /// The absolute offset of `bytes[0]` in the stream, added to offsets in errors.
    public let baseOffset: Int
    /// The line of `bytes[0]`, the base of line numbers in errors.
    public let line: Int
    /// Index of the first byte not consumed yet.
    var position: Int = 0
    var state: State = .start
    var stack = ContainerStack()

    /// Creates a scanner over `bytes`, which the caller keeps alive while scanning.
    ///
    /// - Parameters:
    ///   - baseOffset: the absolute stream offset of `bytes[0]`, so errors name stream offsets.
    ///   - line: the line number of `bytes[0]`, so errors name stream lines.
    public init(
        _ bytes: UnsafeRawBufferPointer,
        options: JSONScanOptions = .init(),
        baseOffset: Int = 0,
        line: Int = 1
    ) {
        self.bytes = bytes
        self.options = options
        self.baseOffset = baseOffset
        self.line = line
    }

    /// The index in ``bytes`` of the first byte not consumed yet (token ranges use the same indices).
    public var offset: Int { self.position }
    /// ``offset`` as an absolute stream offset.
    public var absoluteOffset: Int { self.baseOffset + self.position }
    /// How many objects and arrays enclose the scanner's position.
    public var depth: Int { self.stack.depth }

    /// Returns the next token, or throws at the first byte that breaks the grammar.
    public mutating func next() throws(JSONScanError) -> JSONToken {
        self.skipWhitespace()
        guard self.position < self.bytes.count else { return try self.endOfInput() }
        let byte = self.bytes[self.position]
        switch self.state {
        case .start, .memberValue:
            return try self.scanValue(byte)
        case .afterValue:
            if self.stack.topIsObject {
                if byte == UInt8(ascii: ",") {
                    self.position += 1
                    self.skipWhitespace()
                    return try self.scanKey(first: false)
                }
                if byte == UInt8(ascii: "}") { return self.closeContainer(.endObject) }
                throw self.failure(.unexpectedCharacter, "expected ',' or '}' after object member", at: self.position)
            }
            if byte == UInt8(ascii: ",") {
                self.position += 1
                self.skipWhitespace()
                guard self.position < self.bytes.count else {
                    throw self.failure(.unexpectedEnd, "expected a value after ','", at: self.position)
                }
                return try self.scanValue(self.bytes[self.position])
            }
            if byte == UInt8(ascii: "]") { return self.closeContainer(.endArray) }
            throw self.failure(.unexpectedCharacter, "expected ',' or ']' after array element", at: self.position)
        case .objectFirst:
            if byte == UInt8(ascii: "}") { return self.closeContainer(.endObject) }
            return try self.scanKey(first: true)
        case .arrayFirst:
            if byte == UInt8(ascii: "]") { return self.closeContainer(.endArray) }
            return try self.scanValue(byte)
        case .finished:
            throw self.failure(.trailingContent, "expected end of input after the top-level value", at: self.position)
        }
    }

    /// Skips the value that starts at the next token (a scalar, or a container and all it holds), validating
    /// it fully. Throws if the next token does not start a value.
    public mutating func skipValue() throws(JSONScanError) {
        let start = self.position
        switch try self.next() {
        case .beginObject, .beginArray:
            let target = self.stack.depth - 1
            while self.stack.depth > target {
                _ = try self.next()
            }
        case .string, .number, .bool, .null:
            return
        case .endObject, .endArray, .key, .endOfInput:
            throw self.failure(.unexpectedCharacter, "skipValue() expected a value", at: start)
        }
    }

    // MARK: - Grammar

    @inline(__always)
    mutating func skipWhitespace() {
        while self.position < self.bytes.count {
            let byte = self.bytes[self.position]
            guard byte <= 0x20,
                byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
            else { return }
            self.position += 1
        }
    }

    mutating func endOfInput() throws(JSONScanError) -> JSONToken {
        switch self.state {
        case .finished: return .endOfInput
        case .start: throw self.failure(.unexpectedEnd, "expected a JSON value", at: self.position)
        case .memberValue: throw self.failure(.unexpectedEnd, "expected a value after ':'", at: self.position)
        case .objectFirst: throw self.failure(.unexpectedEnd, "expected '\"' or '}' after '{'", at: self.position)
        case .arrayFirst: throw self.failure(.unexpectedEnd, "expected a value or ']' after '['", at: self.position)
        case .afterValue:
            if self.stack.topIsObject {
                throw self.failure(.unexpectedEnd, "expected ',' or '}' after object member", at: self.position)
            }
            throw self.failure(.unexpectedEnd, "expected ',' or ']' after array element", at: self.position)
        }
    }

    @inline(__always)
    mutating func valueDone() {
        self.state = self.stack.depth == 0 ? .finished : .afterValue
    }

    @inline(__always)
    mutating func closeContainer(_ token: JSONToken) -> JSONToken {
        self.position += 1
        self.stack.pop()
        self.valueDone()
        return token
    }

    mutating func scanKey(first: Bool) throws(JSONScanError) -> JSONToken {
        guard self.position < self.bytes.count else {
            throw self.failure(.unexpectedEnd, "expected '\"' to begin an object key after ','", at: self.position)
        }
        guard self.bytes[self.position] == UInt8(ascii: "\"") else {
            let expected = first ? "expected '\"' or '}' after '{'" : "expected '\"' to begin an object key after ','"
            throw self.failure(.unexpectedCharacter, expected, at: self.position)
        }
        let name = try self.scanString()
        self.skipWhitespace()
        guard self.position < self.bytes.count else {
            throw self.failure(.unexpectedEnd, "expected ':' after object key", at: self.position)
        }
        guard self.bytes[self.position] == UInt8(ascii: ":") else {
            throw self.failure(.unexpectedCharacter, "expected ':' after object key", at: self.position)
        }
        self.position += 1
        self.state = .memberValue
        return .key(name)
    }

    @inline(__always)
    mutating func scanValue(_ byte: UInt8) throws(JSONScanError) -> JSONToken {
        switch byte {
        case UInt8(ascii: "\""):
            let string = try self.scanString()
            self.valueDone()
            return .string(string)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let number = try self.scanNumber()
            self.valueDone()
            return .number(number)
        case UInt8(ascii: "{"):
            try self.openContainer(isObject: true)
            self.state = .objectFirst
            return .beginObject
        case UInt8(ascii: "["):
            try self.openContainer(isObject: false)
            self.state = .arrayFirst
            return .beginArray
        case UInt8(ascii: "t"):
            try self.scanLiteral(0x6575_7274, length: 4, name: "true")  // "true" little-endian
            self.valueDone()
            return .bool(true)
        case UInt8(ascii: "f"):
            try self.scanLiteral(0x6573_6c61, length: 5, name: "false", skipFirst: true)  // "alse"
            self.valueDone()
            return .bool(false)
        case UInt8(ascii: "n"):
            try self.scanLiteral(0x6c6c_756e, length: 4, name: "null")  // "null"
            self.valueDone()
            return .null
        default:
            let expected =
                switch self.state {
                case .memberValue: "expected a value after ':'"
                case .arrayFirst: "expected a value or ']' after '['"
                case .afterValue: "expected a value after ','"
                default: "expected a JSON value"
                }
            throw self.failure(.unexpectedCharacter, expected, at: self.position)
        }
    }

    @inline(__always)
    mutating func openContainer(isObject: Bool) throws(JSONScanError) {
        guard self.stack.depth < self.options.maximumDepth else {
            throw self.failure(
                .depthExceeded,
                "nesting deeper than the maximum depth of \(self.options.maximumDepth)",
                at: self.position
            )
        }
        self.stack.push(isObject: isObject)
        self.position += 1
    }

    /// Matches `true`, `null` (all four bytes) or `false` (the four bytes after `f`) as one 32-bit compare.
    @inline(__always)
    mutating func scanLiteral(
        _ word: UInt32,
        length: Int,
        name: StaticString,
        skipFirst: Bool = false
    ) throws(JSONScanError) {
        let wordStart = self.position + (skipFirst ? 1 : 0)
        if wordStart + 4 <= self.bytes.count,
            UInt32(littleEndian: self.bytes.loadUnaligned(fromByteOffset: wordStart, as: UInt32.self)) == word
        {
            self.position += length
            return
        }
        // Find the first byte that differs, for the error.
        let expected = UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        var index = 0
        while index < length {
            guard self.position + index < self.bytes.count else {
                throw self.failure(.unexpectedEnd, "expected '\(name)'", at: self.position + index)
            }
            if self.bytes[self.position + index] != expected[index] { break }
            index += 1
        }
        throw self.failure(.invalidLiteral, "expected '\(name)'", at: self.position + index)
    }

    // MARK: - Errors

    /// Builds an error at `index`, naming the byte found there and computing line and column.
    @inline(never)
    func failure(_ code: JSONScanError.Code, _ expected: String, at index: Int) -> JSONScanError {
        var line = self.line
        var lineStart = 0
        var scan = 0
        let limit = min(index, self.bytes.count)
        while scan < limit {
            if self.bytes[scan] == 0x0A {
                line += 1
                lineStart = scan + 1
            }
            scan += 1
        }
        var message = expected
        if index < self.bytes.count {
            message += ", found \(Self.describe(self.bytes[index]))"
        } else if code != .unexpectedEnd {
            message += ", found end of input"
        }
        return JSONScanError(
            code,
            message,
            byteOffset: self.baseOffset + index,
            line: line,
            column: index - lineStart + 1
        )
    }

    /// A byte as it should appear in a message: `'x'` for printable ASCII, `byte 0x0A` otherwise.
    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7F {
            return "'\(Character(Unicode.Scalar(byte)))'"
        }
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x\(hex.count == 1 ? "0" + hex : hex)"
    }
}
