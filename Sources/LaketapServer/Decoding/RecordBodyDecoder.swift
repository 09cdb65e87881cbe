import JSONScan
import LaketapConvert
import LaketapPipeline

/// Turns an ingest request body, fed in chunks as it arrives, into records: decompresses it, frames it
/// (NDJSON, a JSON array, or one object, decided by content) and validates each record strictly.
///
/// Valid records are packed into one ``RecordBatch`` in order; refused ones are kept with their index in the
/// request, a code and a reason naming the line and byte. Memory is bounded by the body limits: the
/// compressed and decompressed sizes are counted as bytes arrive, and the first byte over either limit stops
/// decoding.
struct RecordBodyDecoder {
    /// Limits the decoder enforces.
    struct Limits: Sendable, Equatable {
        /// The largest body as sent.
        var maxBodyBytes: Int
        /// The largest body after decompression.
        var maxDecompressedBodyBytes: Int
        /// The longest record; longer ones are refused with `record_too_large`.
        var maxRecordBytes: Int
        /// The deepest nesting in a record; deeper ones are refused with `depth_exceeded`.
        var maxDepth: Int

        /// Takes the limits from a server configuration.
        init(_ configuration: ServerConfiguration) {
            self.maxBodyBytes = configuration.maxBodyBytes
            self.maxDecompressedBodyBytes = configuration.maxDecompressedBodyBytes
            self.maxRecordBytes = configuration.maxRecordBytes
            self.maxDepth = configuration.maxDepth
        }
    }

    /// A record the decoder refused, with its position in the request.
    struct Rejection: Sendable, Hashable {
        /// The 0-based index of the record among all records of the request, accepted or not.
        var index: Int
        /// The record's bytes (empty when the framer dropped them, as for a record over the size limit), code
        /// and reason.
        var record: RejectedRecord
    }

    /// Why a whole body was refused.
    enum Failure: Error, Sendable, Equatable {
        /// The body as sent is larger than the limit.
        case bodyTooLarge(limit: Int)
        /// The body expands to more than the limit.
        case decompressedBodyTooLarge(limit: Int)
        /// The body cannot be decompressed with the coding it names.
        case damagedCompression(String)
        /// The body does not start with `{` or `[`: it is not JSON at all.
        case notJSON(String)
        /// The body is empty or only whitespace. (An empty array, `[]`, is a body with no record, not an error.)
        case empty
    }

    /// What a complete body held.
    struct Result: Sendable {
        /// The valid records, in request order.
        var batch: RecordBatch
        /// The refused records, in request order.
        var rejections: [Rejection]
        /// How many records the body held, valid or not.
        var recordCount: Int
        /// The size of the body after decompression.
        var decompressedBytes: Int
    }

    private let limits: Limits
    private let encoding: BodyEncoding
    private let decompressor: StreamDecompressor?
    private let scanOptions: JSONScanOptions
    private var framer: JSONRecordFramer
    private var batch = RecordBatch()
    private var rejections: [Rejection] = []
    private var recordCount = 0
    private var receivedBytes = 0
    private var decompressedBytes = 0
    /// Whether the first byte other than whitespace or a byte order mark has been checked.
    private var sawContent = false

    init(encoding: BodyEncoding, limits: Limits) throws(Failure) {
        self.limits = limits
        self.encoding = encoding
        self.scanOptions = JSONScanOptions(maximumDepth: limits.maxDepth)
        // Object lines end at their newline unchecked and are scanned once, by the validation: framing
        // each record exactly first scanned every byte twice (a tenth of the front door's CPU).
        self.framer = JSONRecordFramer(
            options: .init(maximumRecordBytes: limits.maxRecordBytes, defersObjectChecks: true)
        )
        do {
            switch encoding {
            case .identity: self.decompressor = nil
            case .gzip: self.decompressor = try StreamDecompressor(format: .gzip)
            case .zstd: self.decompressor = try StreamDecompressor(format: .zstd)
            }
        } catch {
            throw .damagedCompression(error.message)
        }
    }

    /// Feeds the next chunk of the body as sent.
    mutating func consume(_ chunk: UnsafeRawBufferPointer) throws(Failure) {
        self.receivedBytes += chunk.count
        guard self.receivedBytes <= self.limits.maxBodyBytes else {
            throw .bodyTooLarge(limit: self.limits.maxBodyBytes)
        }
        guard let decompressor = self.decompressor else {
            try self.feed(chunk)
            return
        }
        do {
            try decompressor.decompress(chunk) { piece in try self.feed(piece) }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw .damagedCompression("the \(self.encoding.rawValue) body cannot be decompressed: \(error)")
        }
    }

    /// Ends the body and returns what it held.
    mutating func finish() throws(Failure) -> Result {
        do {
            try self.decompressor?.finish()
        } catch {
            throw .damagedCompression("the \(self.encoding.rawValue) body is cut short: \(error.message)")
        }
        self.framer.finish()
        self.drain()
        guard self.sawContent else { throw .empty }
        return Result(
            batch: self.batch,
            rejections: self.rejections,
            recordCount: self.recordCount,
            decompressedBytes: self.decompressedBytes
        )
    }

    /// Takes decompressed bytes.
    private mutating func feed(_ piece: UnsafeRawBufferPointer) throws(Failure) {
        self.decompressedBytes += piece.count
        guard self.decompressedBytes <= self.limits.maxDecompressedBodyBytes else {
            throw .decompressedBodyTooLarge(limit: self.limits.maxDecompressedBodyBytes)
        }
        if !self.sawContent {
            try self.checkFirstByte(piece)
        }
        self.framer.append(piece)
        self.drain()
    }

    /// Refuses a body whose first significant byte cannot start a JSON object or array.
    private mutating func checkFirstByte(_ piece: UnsafeRawBufferPointer) throws(Failure) {
        let skipped: Set<UInt8> = [0x20, 0x09, 0x0D, 0x0A, 0xEF, 0xBB, 0xBF]
        guard let first = piece.first(where: { !skipped.contains($0) }) else { return }
        self.sawContent = true
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") { return }
        let prefix = Array(piece.prefix(4))
        if self.encoding == .identity && StreamDecompressor.detect(prefix) != StreamDecompressor.Format.none {
            throw .notJSON("the body looks compressed; name its coding in Content-Encoding (gzip or zstd)")
        }
        throw .notJSON(
            "the body is not JSON: it must hold objects, one per line, a JSON array of objects, or one object"
        )
    }

    /// Takes every complete record the framer holds.
    private mutating func drain() {
        while let record = self.framer.nextRecord() {
            let framer = self.framer
            framer.withUnsafeBytes { bytes in self.take(record, in: bytes) }
        }
    }

    private mutating func take(_ record: JSONRecord, in buffer: UnsafeRawBufferPointer) {
        let bytes = UnsafeRawBufferPointer(rebasing: buffer[record.range])
        let refusal = record.error.map(Refusal.init) ?? Self.validate(bytes, record: record, options: self.scanOptions)
        // A refused line the framer did not check (``JSONRecord/isUnverifiedLine``) is framed exactly
        // now, so objects concatenated on it and its malformed parts come out as the exact framer finds
        // them.
        if refusal != nil, record.isUnverifiedLine,
            let records = JSONRecordFramer.splitRejectedLine(
                bytes,
                line: record.line,
                byteOffset: record.byteOffset,
                options: self.framer.options
            )
        {
            for exact in records { self.take(exact, in: bytes) }
            return
        }
        let index = self.recordCount
        self.recordCount += 1
        guard let refusal else {
            self.batch.append(bytes)
            return
        }
        let rejected = RejectedRecord(bytes: Array(bytes), code: refusal.code, reason: refusal.reason)
        self.rejections.append(Rejection(index: index, record: rejected))
    }

    /// Why `bytes`, scanned as one JSON object, is refused; `nil` when it is a valid object.
    static func validate(_ bytes: UnsafeRawBufferPointer, record: JSONRecord, options: JSONScanOptions) -> Refusal? {
        var scanner = JSONScanner(bytes, options: options, baseOffset: record.byteOffset, line: record.line)
        do {
            guard try scanner.next() == .beginObject else {
                return Refusal(
                    code: "not_an_object",
                    reason: "line \(record.line), byte \(record.byteOffset): a record must be a JSON object"
                )
            }
            while try scanner.next() != .endOfInput {}
            return nil
        } catch {
            return Refusal(error)
        }
    }
}

/// Why one record was refused: a code from a small fixed set (it labels a metric) and a reason for people.
struct Refusal: Sendable, Equatable {
    var code: String
    var reason: String

    init(code: String, reason: String) {
        self.code = code
        self.reason = reason
    }

    /// The refusal for a scanner or framer error: `line 3, byte 17: expected ':' after object key`.
    init(_ error: JSONScanError) {
        switch error.code {
        case .invalidUTF8: self.code = "invalid_utf8"
        case .recordTooLarge: self.code = "record_too_large"
        case .depthExceeded: self.code = "depth_exceeded"
        default: self.code = "malformed_json"
        }
        self.reason = "line \(error.line), byte \(error.byteOffset): \(error.message)"
    }
}
