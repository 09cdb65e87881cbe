/// One record found by a ``JSONRecordFramer``: where its bytes are and where it was in the stream.
public struct JSONRecord: Equatable, Sendable {
    /// Indices into the framer's buffer (read with ``JSONRecordFramer/withUnsafeBytes(_:)``), valid until the
    /// next ``JSONRecordFramer/append(_:)``. Empty for a record the framer rejected itself (see ``error``).
    public var range: Range<Int>
    /// The 1-based line of the record's first byte.
    public var line: Int
    /// The absolute stream offset of the record's first byte (a byte order mark counts).
    public var byteOffset: Int
    /// Set when the framer rejected the record without handing out its bytes: a record over
    /// ``JSONRecordFramer/Options/maximumRecordBytes``, a missing `,` between array elements, an unclosed
    /// top-level array. Syntax errors inside a record are the scanner's to find.
    public var error: JSONScanError? {
        get { self.errorBox?.error }
        set { self.errorBox = newValue.map(ErrorBox.init) }
    }
    /// Whether ``error`` is set: a test of one reference, where reading ``error`` copies the error out.
    @inlinable public var hasError: Bool { self.errorBox != nil }
    /// The error behind one reference: a record is then copied with one retain, where the error's own
    /// fields made every copy a call to the record's value witness (1.3% of one-core events samples).
    @usableFromInline var errorBox: ErrorBox?
    /// Set when the framer ended the record at its line's newline without checking that the line holds
    /// exactly one object (``JSONRecordFramer/Options/defersObjectChecks``). When it does not parse as one
    /// object, ``JSONRecordFramer/frameLine(_:line:byteOffset:options:)`` gives the records it holds.
    public var isUnverifiedLine: Bool

    /// Creates a record.
    public init(
        range: Range<Int>,
        line: Int,
        byteOffset: Int,
        error: JSONScanError? = nil,
        isUnverifiedLine: Bool = false
    ) {
        self.range = range
        self.line = line
        self.byteOffset = byteOffset
        self.errorBox = error.map(ErrorBox.init)
        self.isUnverifiedLine = isUnverifiedLine
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.range == rhs.range && lhs.line == rhs.line && lhs.byteOffset == rhs.byteOffset && lhs.error == rhs.error
            && lhs.isUnverifiedLine == rhs.isUnverifiedLine
    }

    @usableFromInline final class ErrorBox: Sendable {
        let error: JSONScanError
        init(_ error: JSONScanError) { self.error = error }
    }
}
