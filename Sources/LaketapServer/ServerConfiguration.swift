/// What the HTTP front door listens on, the limits it enforces and the tokens it accepts.
///
/// The defaults live in the initializer and nowhere else.
public struct ServerConfiguration: Sendable, Equatable {
    /// The address to bind; `127.0.0.1` by default, `0.0.0.0` to listen on every interface.
    public var host: String
    /// The TCP port; `8080` by default, `0` for any free port.
    public var port: Int
    /// The largest request body accepted as sent (compressed or not); larger bodies get `413`.
    public var maxBodyBytes: Int
    /// The largest request body accepted after decompression; larger bodies get `413`. Bounds what a
    /// small compressed body can expand to.
    public var maxDecompressedBodyBytes: Int
    /// The longest record accepted; a longer one is rejected (`record_too_large`) and the others are taken.
    public var maxRecordBytes: Int
    /// The deepest nesting of objects and arrays accepted in a record; a deeper one is rejected (`depth_exceeded`).
    public var maxDepth: Int
    /// How many ingest requests may be in progress at once; more get `503` with `Retry-After`. With
    /// ``maxDecompressedBodyBytes`` it bounds the memory the front door holds (32 × 16 MiB by default).
    public var maxConcurrentIngestRequests: Int
    /// How many rejected records an ingest response lists; the counts always cover all of them.
    public var maxReportedErrors: Int
    /// Tokens accepted for every stream.
    public var tokens: [String]
    /// Tokens accepted for one stream, in addition to ``tokens``.
    public var streamTokens: [String: [String]]

    /// Creates a configuration; every parameter has the documented default.
    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        maxBodyBytes: Int = 16 << 20,
        maxDecompressedBodyBytes: Int = 16 << 20,
        maxRecordBytes: Int = 1 << 20,
        maxDepth: Int = 64,
        maxConcurrentIngestRequests: Int = 32,
        maxReportedErrors: Int = 100,
        tokens: [String] = [],
        streamTokens: [String: [String]] = [:]
    ) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.maxDecompressedBodyBytes = maxDecompressedBodyBytes
        self.maxRecordBytes = maxRecordBytes
        self.maxDepth = maxDepth
        self.maxConcurrentIngestRequests = maxConcurrentIngestRequests
        self.maxReportedErrors = maxReportedErrors
        self.tokens = tokens
        self.streamTokens = streamTokens
    }

    /// Whether requests must carry a token: true as soon as any token is configured, global or per stream.
    public var requiresAuthentication: Bool {
        !self.tokens.isEmpty || self.streamTokens.values.contains { !$0.isEmpty }
    }
}
