/// A place where the lake's files land: a local directory, an S3 bucket (or any S3-compatible store).
///
/// Every store gives the same guarantees, checked by the conformance suite every store passes:
/// - ``put(_:body:options:)`` is atomic: readers see the whole object or nothing, never a part.
/// - With ``PutOptions/ifAbsent`` a put never replaces an existing object; it reports
///   ``PutOutcome/alreadyExists`` instead, so retrying a flush with the same deterministic name is
///   idempotent.
/// - When `put` returns, the object is durable (fsync'ed on disk; acknowledged by the object store).
///
/// Keys are `/`-separated relative paths (`events/date=2026-11-22/events-000001-….parquet`); the
/// store adds its own root or prefix.
public protocol ObjectStore: Sendable {
    /// Where the store writes, for logs and errors (`file:///var/lake`, `s3://bucket/prefix`).
    var location: String { get }

    /// Writes an object.
    @discardableResult
    func put(_ key: String, body: ObjectBody, options: PutOptions) async throws(StoreError) -> PutOutcome

    /// Reads a whole object.
    func get(_ key: String) async throws(StoreError) -> [UInt8]

    /// The object's size, or nil when there is none.
    func head(_ key: String) async throws(StoreError) -> ObjectInfo?

    /// Objects whose keys start with `prefix`, in key order.
    func list(prefix: String) async throws(StoreError) -> [ObjectInfo]

    /// Deletes an object; deleting a missing object is not an error.
    func delete(_ key: String) async throws(StoreError)
}

/// What to write.
public enum ObjectBody: Sendable {
    /// Bytes in memory (small objects: DLQ files, table-log entries).
    case bytes([UInt8])
    /// A finished local file (a Parquet file staged on disk). Stores stream it (S3: multipart upload
    /// above the part size) and never hold it whole in memory. The file is left in place.
    case file(path: String)
}

public struct PutOptions: Sendable, Hashable {
    /// Refuse to replace an existing object (S3: `If-None-Match: *`).
    public var ifAbsent: Bool
    public var contentType: String?

    public init(ifAbsent: Bool = true, contentType: String? = nil) {
        self.ifAbsent = ifAbsent
        self.contentType = contentType
    }
}

public enum PutOutcome: Sendable, Hashable {
    case created
    /// ``PutOptions/ifAbsent`` was set and the key already held an object; nothing was written.
    case alreadyExists
}

public struct ObjectInfo: Sendable, Hashable {
    public var key: String
    public var size: Int64

    public init(key: String, size: Int64) {
        self.key = key
        self.size = size
    }
}

/// Why a store operation failed. ``isRetryable`` tells the committer whether to try again later.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The key does not exist.
        case notFound
        /// Credentials missing, wrong or not allowed (S3 401/403).
        case accessDenied
        /// The store asked us to slow down (S3 503 SlowDown, 429).
        case throttled
        /// A network error, timeout or 5xx: worth retrying.
        case unavailable
        /// A local file-system error (ENOSPC, EACCES, …).
        case io
        /// Bad configuration (no bucket, bad endpoint, invalid key).
        case invalidRequest
        /// Anything else the store answered.
        case other
    }

    public var kind: Kind
    public var key: String?
    public var message: String

    public init(_ kind: Kind, key: String? = nil, _ message: String) {
        self.kind = kind
        self.key = key
        self.message = message
    }

    public var isRetryable: Bool {
        switch self.kind {
        case .throttled, .unavailable, .io: true
        case .notFound, .accessDenied, .invalidRequest, .other: false
        }
    }

    public var description: String {
        if let key = self.key { return "\(self.kind.rawValue): \(key): \(self.message)" }
        return "\(self.kind.rawValue): \(self.message)"
    }
}
