/// What the front doors hand records to. The durable pipeline (``IngestPipeline``) implements it:
/// `append` returns only after the records are durable in the stream's write-ahead log.
public protocol RecordIngest: Sendable {
    /// Appends well-formed JSON records to a stream's buffer and returns once they are durable
    /// (fsync'ed, unless the stream's durability is `none`). Records are given in order; each is
    /// one JSON value (normally an object) without a trailing newline.
    func append(_ batch: RecordBatch, to stream: String) async throws(IngestError) -> IngestReceipt

    /// Records the front door refused (malformed JSON, invalid UTF-8, too large, too deep): they go to
    /// the stream's dead-letter queue with their reason, and are counted. Returns once durable.
    func deadLetter(_ records: [RejectedRecord], stream: String) async throws(IngestError)

    /// Flushes what the stream has buffered into the lake now and returns when it has landed.
    func flush(stream: String) async throws(IngestError) -> FlushReport

    /// Whether the pipeline takes new records (false while replaying at start or shutting down).
    var isReady: Bool { get }
}

/// Records packed into one buffer: record `i` is `bytes[ends[i-1]..<ends[i]]` (from 0 for the first).
public struct RecordBatch: Sendable, Hashable {
    public var bytes: [UInt8]
    public var ends: [Int]

    public init() {
        self.bytes = []
        self.ends = []
    }

    public init(bytes: [UInt8], ends: [Int]) {
        precondition(ends.last ?? 0 == bytes.count, "RecordBatch ends must cover the bytes")
        self.bytes = bytes
        self.ends = ends
    }

    public var count: Int { self.ends.count }
    public var isEmpty: Bool { self.ends.isEmpty }

    public mutating func append(_ record: some Collection<UInt8>) {
        self.bytes.append(contentsOf: record)
        self.ends.append(self.bytes.count)
    }

    public func record(_ index: Int) -> ArraySlice<UInt8> {
        let start = index == 0 ? 0 : self.ends[index - 1]
        return self.bytes[start..<self.ends[index]]
    }
}

/// A record refused before it reached the log, with its original bytes and why.
public struct RejectedRecord: Sendable, Hashable {
    /// The record's bytes as received (after decompression), possibly cut to a bounded prefix.
    public var bytes: [UInt8]
    /// A short machine-readable code (`malformed_json`, `invalid_utf8`, `record_too_large`, …).
    public var code: String
    /// What was wrong, for people (`line 3, byte 17: expected ':' after an object key`).
    public var reason: String

    public init(bytes: [UInt8], code: String, reason: String) {
        self.bytes = bytes
        self.code = code
        self.reason = reason
    }
}

/// Where appended records landed in the stream's log.
public struct IngestReceipt: Sendable, Hashable {
    public var stream: String
    /// Offsets of the first and last record appended (offsets count records per stream from 0).
    public var firstOffset: Int64
    public var lastOffset: Int64

    public init(stream: String, firstOffset: Int64, lastOffset: Int64) {
        self.stream = stream
        self.firstOffset = firstOffset
        self.lastOffset = lastOffset
    }
}

/// What a flush wrote.
public struct FlushReport: Sendable, Hashable {
    public var stream: String
    public var records = 0
    public var recordsRejected = 0
    public var files: [String] = []
    public var bytes: Int64 = 0

    public init(stream: String) {
        self.stream = stream
    }
}

/// Why records were not taken. The front door maps each case to a status code.
public enum IngestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The buffer's disk budget is used up (503 with `Retry-After`).
    case bufferFull(stream: String, retryAfterSeconds: Int)
    /// The service is shutting down or still replaying its log (503).
    case unavailable(reason: String, retryAfterSeconds: Int)
    /// The stream is not configured and streams are not created on first use (404).
    case unknownStream(String)
    /// The stream name is not a valid name (400).
    case invalidStreamName(String, reason: String)
    /// Writing to the log failed (500; nothing of the request was acknowledged).
    case storage(String)

    public var description: String {
        switch self {
        case .bufferFull(let stream, _): "the buffer of stream '\(stream)' is full; retry later"
        case .unavailable(let reason, _): "unavailable: \(reason)"
        case .unknownStream(let name): "unknown stream '\(name)'"
        case .invalidStreamName(let name, let reason): "invalid stream name '\(name)': \(reason)"
        case .storage(let message): "could not write to the buffer: \(message)"
        }
    }
}
