/// The one error type of the `JSONScan` module.
///
/// Callers switch on ``code``; ``message`` says what the scanner or framer expected and what it found.
/// ``byteOffset`` is absolute (the scanner's `baseOffset` plus the position in its buffer), and
/// ``line`` and ``column`` are 1-based, so a rejected record can be reported as
/// `line 12, column 40 (byte 1187): expected ',' or '}' after object member, found 'x'`.
public struct JSONScanError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of input was rejected. New codes may be added; switch with a `default` case.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case unexpectedCharacter
            case unexpectedEnd
            case invalidUTF8
            case invalidEscape
            case invalidSurrogate
            case invalidNumber
            case invalidLiteral
            case depthExceeded
            case stringTooLong
            case trailingContent
            case recordTooLarge
        }
        private var base: Base
        private init(_ base: Base) { self.base = base }

        /// A byte that cannot start or continue the construct the grammar expects here.
        public static let unexpectedCharacter = Self(.unexpectedCharacter)
        /// The input ended inside a value, or before any value.
        public static let unexpectedEnd = Self(.unexpectedEnd)
        /// A string holds bytes that are not well-formed UTF-8 (overlong, surrogate, truncated, > U+10FFFF).
        public static let invalidUTF8 = Self(.invalidUTF8)
        /// A backslash escape other than `\" \\ \/ \b \f \n \r \t \uXXXX`.
        public static let invalidEscape = Self(.invalidEscape)
        /// A `\u` escape names a lone or reversed UTF-16 surrogate.
        public static let invalidSurrogate = Self(.invalidSurrogate)
        /// A number that does not follow RFC 8259 (leading zero, missing digits).
        public static let invalidNumber = Self(.invalidNumber)
        /// A misspelled `true`, `false` or `null`.
        public static let invalidLiteral = Self(.invalidLiteral)
        /// Containers nest deeper than ``JSONScanOptions/maximumDepth``.
        public static let depthExceeded = Self(.depthExceeded)
        /// A string is longer than ``JSONScanOptions/maximumStringLength``.
        public static let stringTooLong = Self(.stringTooLong)
        /// Something other than whitespace follows the top-level value.
        public static let trailingContent = Self(.trailingContent)
        /// A record is longer than ``JSONRecordFramer/Options/maximumRecordBytes``; it was skipped.
        public static let recordTooLarge = Self(.recordTooLarge)

        public var description: String { "\(self.base)" }
    }

    /// What kind of input was rejected.
    public var code: Code
    /// What was expected and what was found, for example `expected ':' after object key, found '}'`.
    public var message: String
    /// Absolute byte offset of the offending byte.
    public var byteOffset: Int
    /// 1-based line of the offending byte.
    public var line: Int
    /// 1-based byte column of the offending byte within its line, when known.
    public var column: Int?

    /// Creates an error; the scanner and framer fill in the position.
    public init(_ code: Code, _ message: String, byteOffset: Int, line: Int, column: Int? = nil) {
        self.code = code
        self.message = message
        self.byteOffset = byteOffset
        self.line = line
        self.column = column
    }

    public var description: String {
        let position: String
        if let column = self.column {
            position = "line \(self.line), column \(column) (byte \(self.byteOffset))"
        } else {
            position = "line \(self.line) (byte \(self.byteOffset))"
        }
        return "\(self.code) at \(position): \(self.message)"
    }
}
