#if canImport(Glibc)
import Glibc
#endif

/// Splits a stream of JSON records, fed in chunks of any size, into one byte range per record.
///
/// Framing is separate from parsing: the framer only tracks strings, escapes and bracket depth, and each
/// record it finds is then scanned with a ``JSONScanner`` created with the record's ``JSONRecord/byteOffset``
/// and ``JSONRecord/line``, so errors name stream positions. It accepts, in any mix:
///
/// - NDJSON: one value per line, LF or CRLF, blank lines skipped, the last line with or without a newline;
/// - concatenated objects with no delimiter, `{…}{…}`, or with whitespace between them, as Firehose writes;
/// - a top-level JSON array whose elements are the records, `[{…},\n{…}]`; elements may span lines;
/// - a UTF-8 byte order mark at the very start of the stream.
///
/// Outside an array a record never spans a newline: a line whose value is incomplete at the newline ends
/// there, and the scanner reports it, so one malformed line never swallows the next. Memory is bounded: a
/// record longer than ``Options/maximumRecordBytes`` is reported as an error record (``JSONRecord/error``)
/// and its bytes are dropped as they arrive until its end.
///
/// ```swift
/// var framer = JSONRecordFramer()
/// for chunk in chunks {
///     framer.append(chunk)
///     while let record = framer.nextRecord() { try handle(record) }
/// }
/// framer.finish()
/// while let record = framer.nextRecord() { try handle(record) }
/// ```
public struct JSONRecordFramer: Sendable {
    /// Limits and switches of the framer.
    public struct Options: Sendable, Equatable {
        /// The longest record kept; longer ones become error records with ``JSONScanError/Code/recordTooLarge``.
        public var maximumRecordBytes: Int
        /// Whether a `[` where a record could start opens an array whose elements are the records. When
        /// `false`, such an array is one record.
        public var unwrapsArrays: Bool

        /// Whether a record that starts with `{` outside an array ends at its line's newline without the
        /// framer tracking its strings and brackets. Such a record is marked
        /// ``JSONRecord/isUnverifiedLine``: a consumer that parses it and finds it is not exactly one object
        /// frames it again with ``frameLine(_:line:byteOffset:options:)``, which finds what the framer would
        /// have found (objects concatenated on the line, malformed parts). Worth it when every record is
        /// parsed anyway: the bytes are then scanned once instead of twice. A line still without a newline
        /// after 64 KiB is framed exactly from its start.
        public var defersObjectChecks: Bool

        /// Creates options; every parameter has the documented default.
        public init(maximumRecordBytes: Int = 8 << 20, unwrapsArrays: Bool = true, defersObjectChecks: Bool = false) {
            self.maximumRecordBytes = maximumRecordBytes
            self.unwrapsArrays = unwrapsArrays
            self.defersObjectChecks = defersObjectChecks
        }
    }

    /// Where the framer is between records.
    private enum Context: Sendable {
        /// Records are lines or concatenated values.
        case lines
        /// After the `[` of a top-level array: an element or `]`.
        case arrayStart
        /// After a `,` in a top-level array: an element.
        case arrayElement
        /// After an element of a top-level array: `,` or `]`.
        case arraySeparator
    }

    /// How the end of the record in progress is found.
    private enum Shape: Sendable {
        /// `{` or `[`: at the matching close bracket.
        case container
        /// `"` inside an array: at the closing quote.
        case string
        /// A number or literal inside an array: at the next delimiter.
        case bareToken
        /// Anything else outside an array: at the end of the line.
        case bareLine
        /// `{` outside an array with ``Options/defersObjectChecks``: at the end of the line, unverified.
        case objectLine
    }

    /// The record in progress.
    private struct Pending: Sendable {
        var start: Int
        var line: Int
        var byteOffset: Int
        var shape: Shape
        var depth = 0
        var inString = false
        var escaped = false
        /// Over the limit and already reported: bytes are dropped until the record ends.
        var skipping = false
    }

    /// What scanning the record in progress led to.
    private enum Progress {
        case record(JSONRecord)
        case dropped
        case needMore
    }

    /// The limits in force.
    public let options: Options
    /// The bytes appended and not yet dropped are `buffer[0..<count]`; the rest is room for the next
    /// ones (written in place by ``append(upTo:_:)``).
    private var buffer: [UInt8] = []
    private var count = 0
    /// Index of the next byte to examine.
    private var position = 0
    /// Absolute stream offset of `buffer[0]`.
    private var streamOffset = 0
    /// Line of `buffer[position]`.
    private var line = 1
    private var context = Context.lines
    private var pending: Pending?
    private var checkedByteOrderMark = false
    private var isFinished = false

    /// Creates a framer.
    public init(options: Options = .init()) {
        self.options = options
    }

    /// Adds the next chunk of the stream. Ranges of records returned before become invalid.
    public mutating func append(_ chunk: UnsafeRawBufferPointer) {
        self.append(upTo: chunk.count) { room in
            if chunk.count > 0 { room.baseAddress!.copyMemory(from: chunk.baseAddress!, byteCount: chunk.count) }
            return chunk.count
        }
    }

    /// Adds the next bytes of the stream as `fill` writes them straight into the framer's buffer (a
    /// `read(2)` into it saves the copy ``append(_:)`` makes): `fill` gets room for `maximumCount` bytes
    /// and returns how many it wrote (at most that). Ranges of records returned before become invalid.
    @discardableResult
    public mutating func append(
        upTo maximumCount: Int,
        _ fill: (UnsafeMutableRawBufferPointer) throws -> Int
    ) rethrows -> Int {
        var keep = self.position
        if let pending = self.pending, !pending.skipping { keep = pending.start }
        if keep > 0 {
            // What the records handed out no longer need goes; the record in progress moves to the front.
            let kept = self.count - keep
            if kept > 0 {
                self.buffer.withUnsafeMutableBytes { bytes in
                    bytes.baseAddress!.copyMemory(from: bytes.baseAddress! + keep, byteCount: kept)
                }
            }
            self.count = kept
            self.streamOffset += keep
            self.position -= keep
            self.pending?.start -= keep
        }
        let needed = self.count + maximumCount
        if self.buffer.count < needed {
            self.buffer.append(
                contentsOf: repeatElement(0, count: max(needed, 2 * self.buffer.count) - self.buffer.count)
            )
        }
        let start = self.count
        let written = try self.buffer.withUnsafeMutableBytes { bytes in
            try fill(UnsafeMutableRawBufferPointer(rebasing: bytes[start..<(start + maximumCount)]))
        }
        precondition(
            written >= 0 && written <= maximumCount,
            "fill wrote \(written) bytes into room for \(maximumCount)"
        )
        self.count += written
        return written
    }

    /// Adds the next chunk of the stream. Ranges of records returned before become invalid.
    public mutating func append(_ chunk: [UInt8]) {
        chunk.withUnsafeBytes { self.append($0) }
    }

    /// Marks the end of the stream, so ``nextRecord()`` returns the last record even without a final newline.
    public mutating func finish() {
        self.isFinished = true
    }

    /// Calls `body` with the buffer that record ranges index.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try self.buffer.withUnsafeBytes { bytes in
            try body(UnsafeRawBufferPointer(rebasing: bytes[0..<self.count]))
        }
    }

    /// Calls `body` with each complete record in the buffered bytes and its bytes, until there is none or
    /// `body` returns `false`; returns whether it went through all of them. The loop of ``nextRecord()``
    /// and ``withUnsafeBytes(_:)``, in this module so the buffer's access is specialized and inlined: from
    /// another module each record paid a call to `Array.withUnsafeBytes` in its generic form.
    public mutating func forEachRecord(
        _ body: (UnsafeRawBufferPointer, JSONRecord) throws -> Bool
    ) rethrows -> Bool {
        while let record = self.nextRecord() {
            // Record ranges lie within the appended bytes, `buffer[0..<count]`.
            let keepGoing = try self.buffer.withUnsafeBytes { bytes in
                try body(UnsafeRawBufferPointer(rebasing: bytes[record.range]), record)
            }
            if !keepGoing { return false }
        }
        return true
    }

    /// The next complete record, or `nil` when the buffered bytes hold no further complete record (append more,
    /// or call ``finish()``).
    public mutating func nextRecord() -> JSONRecord? {
        while true {
            if !self.checkedByteOrderMark {
                guard self.skipByteOrderMark() else { return nil }
            }
            if self.pending != nil {
                switch self.continuePending() {
                case .record(let record): return record
                case .dropped: continue
                case .needMore: return nil
                }
            }
            self.skipWhitespace()
            guard self.position < self.count else {
                if self.isFinished && self.context != .lines {
                    self.context = .lines
                    return self.errorRecord(
                        .unexpectedEnd,
                        "expected ']' to close the top-level array, found end of input"
                    )
                }
                return nil
            }
            let byte = self.buffer[self.position]
            switch self.context {
            case .lines:
                if byte == UInt8(ascii: "[") && self.options.unwrapsArrays {
                    self.position += 1
                    self.context = .arrayStart
                    continue
                }
                if byte == UInt8(ascii: "{") && self.options.defersObjectChecks {
                    if let record = self.objectLineInBuffer() { return record }
                    self.startPending(.objectLine)
                    continue
                }
                let isContainer = byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[")
                self.startPending(isContainer ? .container : .bareLine)
            case .arrayStart, .arrayElement:
                if byte == UInt8(ascii: "]") || byte == UInt8(ascii: ",") {
                    if byte == UInt8(ascii: "]") && self.context == .arrayStart {
                        self.position += 1
                        self.context = .lines
                        continue
                    }
                    let record = self.errorRecord(
                        .unexpectedCharacter,
                        "expected an array element, found '\(Character(Unicode.Scalar(byte)))'"
                    )
                    self.position += 1
                    self.context = byte == UInt8(ascii: "]") ? .lines : .arrayElement
                    return record
                }
                self.context = .arraySeparator
                switch byte {
                case UInt8(ascii: "{"), UInt8(ascii: "["): self.startPending(.container)
                case UInt8(ascii: "\""): self.startPending(.string)
                default: self.startPending(.bareToken)
                }
            case .arraySeparator:
                if byte == UInt8(ascii: ",") {
                    self.position += 1
                    self.context = .arrayElement
                    continue
                }
                if byte == UInt8(ascii: "]") {
                    self.position += 1
                    self.context = .lines
                    continue
                }
                // Report the missing separator and frame what follows as the next element.
                self.context = .arrayElement
                return self.errorRecord(
                    .unexpectedCharacter,
                    "expected ',' or ']' after array element, found \(JSONScanner.describe(byte))"
                )
            }
        }
    }

    // MARK: - Framing

    /// Skips a byte order mark at the start of the stream; `false` when more bytes are needed to decide.
    private mutating func skipByteOrderMark() -> Bool {
        let mark: [UInt8] = [0xEF, 0xBB, 0xBF]
        let available = self.count - self.position
        var matched = 0
        while matched < min(available, 3) && self.buffer[self.position + matched] == mark[matched] { matched += 1 }
        if matched == 3 {
            self.position += 3
        } else if matched == available && !self.isFinished {
            return false
        }
        self.checkedByteOrderMark = true
        return true
    }

    private mutating func skipWhitespace() {
        while self.position < self.count {
            switch self.buffer[self.position] {
            case 0x0A: self.line += 1
            case 0x20, 0x09, 0x0D: break
            default: return
            }
            self.position += 1
        }
    }

    private mutating func startPending(_ shape: Shape) {
        self.pending = Pending(
            start: self.position,
            line: self.line,
            byteOffset: self.streamOffset + self.position,
            shape: shape,
            inString: shape == .string
        )
        if shape == .string { self.position += 1 }
    }

    /// The object line starting at ``position`` when its newline is already buffered (the common case of
    /// ``Options/defersObjectChecks``): the record ``continuePending()`` would give, without going
    /// through the pending state; nil otherwise.
    @inline(__always)
    private mutating func objectLineInBuffer() -> JSONRecord? {
        let start = self.position
        let end = self.withUnsafeBytes { Self.newline(in: $0, from: start) }
        guard end < self.count else { return nil }
        self.position = end
        let pending = Pending(start: start, line: self.line, byteOffset: self.streamOffset + start, shape: .objectLine)
        // Never `.dropped`: that is for a record already reported as too large (`skipping`).
        guard case .record(let record) = self.complete(pending, end: end) else { return nil }
        return record
    }

    /// An error record at ``position``.
    private func errorRecord(_ code: JSONScanError.Code, _ message: String) -> JSONRecord {
        let offset = self.streamOffset + self.position
        return JSONRecord(
            range: self.position..<self.position,
            line: self.line,
            byteOffset: offset,
            error: JSONScanError(code, message, byteOffset: offset, line: self.line)
        )
    }

    /// Scans the record in progress from ``position`` as far as the buffer goes.
    private mutating func continuePending() -> Progress {
        guard var pending = self.pending else { return .dropped }
        let count = self.count
        let inArray = self.context != .lines
        let end: Int? = self.withUnsafeBytes { bytes in
            var index = self.position
            defer { self.position = index }
            switch pending.shape {
            case .bareLine, .objectLine:
                index = Self.newline(in: bytes, from: index)
                return index < count ? index : nil
            case .bareToken:
                if index == pending.start { index += 1 }
                while index < count {
                    switch bytes[index] {
                    case 0x20, 0x09, 0x0D, 0x0A, UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"),
                        UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: "\""):
                        return index
                    default: index += 1
                    }
                }
                return nil
            case .container, .string:
                // The state lives in locals while the bytes run; `pending` gets it back when the buffer ends.
                var depth = pending.depth
                var inString = pending.inString
                defer {
                    pending.depth = depth
                    pending.inString = inString
                }
                if pending.escaped {
                    // The byte after a backslash that ended the previous chunk.
                    guard index < count else { return nil }
                    pending.escaped = false
                    if bytes[index] == 0x0A { return index }
                    index += 1
                }
                while index < count {
                    if inString {
                        // Runs of plain string bytes, eight at a time, up to a quote, backslash or newline.
                        while index &+ 8 <= count {
                            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                            let mask = Self.stringMask(word)
                            if mask != 0 {
                                index &+= mask.trailingZeroBitCount &>> 3
                                break
                            }
                            index &+= 8
                        }
                        guard index < count else { break }
                        switch bytes[index] {
                        case UInt8(ascii: "\\"):
                            // The escaped byte is skipped with its backslash; a newline still ends the record.
                            guard index &+ 1 < count else {
                                index += 1
                                pending.escaped = true
                                return nil
                            }
                            if bytes[index &+ 1] == 0x0A {
                                index &+= 1
                                return index
                            }
                            index &+= 2
                        case UInt8(ascii: "\""):
                            inString = false
                            index += 1
                            if pending.shape == .string { return index }
                        case 0x0A:
                            return index  // strings cannot hold a raw newline: the record is malformed and ends here
                        default:
                            index += 1
                        }
                    } else {
                        switch bytes[index] {
                        case UInt8(ascii: "\""):
                            inString = true
                        case UInt8(ascii: "{"), UInt8(ascii: "["):
                            depth += 1
                        case UInt8(ascii: "}"), UInt8(ascii: "]"):
                            depth -= 1
                            if depth <= 0 {
                                index += 1
                                return index
                            }
                        case 0x0A:
                            if !inArray { return index }  // a line record ends at its newline, complete or not
                            self.line += 1
                        default:
                            break
                        }
                        index += 1
                    }
                }
                return nil
            }
        }
        self.pending = pending
        if let end {
            return self.complete(pending, end: end)
        }
        if self.isFinished {
            return self.complete(pending, end: count)
        }
        if pending.shape == .objectLine && count - pending.start > min(64 << 10, self.options.maximumRecordBytes) {
            // A long line, or objects concatenated without newlines: frame it exactly from its start.
            self.pending?.shape = .container
            self.position = pending.start
            return self.continuePending()
        }
        if !pending.skipping && count - pending.start > self.options.maximumRecordBytes {
            self.pending?.skipping = true
            return .record(self.tooLarge(pending))
        }
        return .needMore
    }

    /// Ends the record in progress at `end` (exclusive), trimming trailing whitespace.
    private mutating func complete(_ pending: Pending, end: Int) -> Progress {
        self.pending = nil
        if pending.skipping { return .dropped }
        var trimmed = end
        while trimmed > pending.start {
            let byte = self.buffer[trimmed - 1]
            guard byte == 0x20 || byte == 0x09 || byte == 0x0D else { break }
            trimmed -= 1
        }
        if trimmed - pending.start > self.options.maximumRecordBytes {
            return .record(self.tooLarge(pending))
        }
        return .record(
            JSONRecord(
                range: pending.start..<trimmed,
                line: pending.line,
                byteOffset: pending.byteOffset,
                isUnverifiedLine: pending.shape == .objectLine
            )
        )
    }

    private func tooLarge(_ pending: Pending) -> JSONRecord {
        JSONRecord(
            range: pending.start..<pending.start,
            line: pending.line,
            byteOffset: pending.byteOffset,
            error: JSONScanError(
                .recordTooLarge,
                "record is longer than the maximum of \(self.options.maximumRecordBytes) bytes; skipped",
                byteOffset: pending.byteOffset,
                line: pending.line
            )
        )
    }

    /// The index of the first LF at or after `start`, or `bytes.count`: libc's `memchr` (vector code),
    /// eight bytes at a time without it.
    @inline(__always)
    private static func newline(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        let count = bytes.count
        guard start < count, let base = bytes.baseAddress else { return count }
        #if canImport(Glibc)
        guard let found = memchr(base + start, 0x0A, count - start) else { return count }
        return base.distance(to: UnsafeRawPointer(found))
        #else
        var index = start
        let ones: UInt64 = 0x0101_0101_0101_0101
        while index &+ 8 <= count {
            let word =
                UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)) ^ (ones &* 0x0A)
            let zeros = (word &- ones) & ~word & 0x8080_8080_8080_8080
            if zeros != 0 { return index &+ zeros.trailingZeroBitCount &>> 3 }
            index &+= 8
        }
        while index < count && bytes[index] != 0x0A { index += 1 }
        return index
        #endif
    }

    /// The records `bytes` holds, as a framer without ``Options/defersObjectChecks`` finds them: for a record
    /// handed out as ``JSONRecord/isUnverifiedLine`` that did not parse as one object. `line` and
    /// `byteOffset` are those of `bytes[0]`; the records' ranges index `bytes`.
    public static func frameLine(
        _ bytes: UnsafeRawBufferPointer,
        line: Int,
        byteOffset: Int,
        options: Options
    ) -> [JSONRecord] {
        var exact = options
        exact.defersObjectChecks = false
        var framer = JSONRecordFramer(options: exact)
        framer.checkedByteOrderMark = true
        framer.line = line
        framer.streamOffset = byteOffset
        framer.append(bytes)
        framer.finish()
        var records: [JSONRecord] = []
        while let record = framer.nextRecord() { records.append(record) }
        return records
    }

    /// For an unverified line a consumer rejected: the records it holds when they are not just the whole
    /// line (objects concatenated on it, or a malformed part before another record), or `nil` when the
    /// rejection stands.
    public static func splitRejectedLine(
        _ bytes: UnsafeRawBufferPointer,
        line: Int,
        byteOffset: Int,
        options: Options
    ) -> [JSONRecord]? {
        let records = Self.frameLine(bytes, line: line, byteOffset: byteOffset, options: options)
        if records.isEmpty || (records.count == 1 && records[0].range == 0..<bytes.count && records[0].error == nil) {
            return nil
        }
        return records
    }

    /// High bit set in each byte of `word` that is `"`, `\` or LF (only the lowest set bit is exact).
    @inline(__always)
    private static func stringMask(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let newline = word ^ (ones &* 0x0A)
        let zeros = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((newline &- ones) & ~newline)
        return zeros & 0x8080_8080_8080_8080
    }
}
