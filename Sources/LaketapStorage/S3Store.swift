public import AsyncHTTPClient
public import Logging
public import Metrics
import NIOCore
import NIOHTTP1

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Objects in an S3 bucket, or in any S3-compatible store (MinIO, R2, moto), signed with SigV4.
///
/// - A put with ``PutOptions/ifAbsent`` sends `If-None-Match: *`; the store's `412` becomes
///   ``PutOutcome/alreadyExists``. A retried put whose first attempt landed also reports
///   `alreadyExists`, which is what an idempotent flush wants.
/// - A ``ObjectBody/file(path:)`` body larger than ``Configuration/multipartThreshold`` goes up as a
///   multipart upload, one part at a time read from the file (one part in memory), completed with
///   `If-None-Match` when `ifAbsent`, and aborted when anything fails.
/// - Requests are retried with exponential backoff and full jitter (``RetryPolicy``) on throttling,
///   408, 5xx, connection errors and timeouts.
///
/// The store uses one `HTTPClient`: pass one in, or let the store create one and call
/// ``shutdown()`` when done.
public struct S3Store: ObjectStore {
    /// The configuration, with the environment's values filled in.
    public let configuration: Configuration
    private let httpClient: HTTPClient
    private let ownsHTTPClient: Bool
    private let signer: SigV4Signer
    private let endpoint: Endpoint
    private let style: AddressingStyle
    private let keyPrefix: String
    let logger: Logger
    private let metrics: StoreMetrics

    /// - Parameters:
    ///   - configuration: where and how to write; `nil` values come from `environment`.
    ///   - httpClient: a client to share; when `nil` the store creates one with the configured
    ///     timeouts, and ``shutdown()`` shuts it down.
    ///   - logger: receives retries (debug).
    ///   - metricsFactory: where `laketap_store_*` metrics go (dimension `store=s3`).
    /// - Throws: `.invalidRequest` for a missing bucket or credentials, a bad endpoint or part size.
    public init(
        configuration: Configuration,
        httpClient: HTTPClient? = nil,
        environment: [String: String] = ProcessEnvironment.current(),
        logger: Logger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) throws(StoreError) {
        let configuration = configuration.resolved(environment: environment)
        guard !configuration.bucket.isEmpty else {
            throw StoreError(.invalidRequest, "S3: no bucket configured")
        }
        guard let credentials = configuration.credentials else {
            throw StoreError(
                .invalidRequest,
                "S3: no credentials: configure them or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
            )
        }
        guard configuration.partSize >= Configuration.minimumPartSize else {
            throw StoreError(.invalidRequest, "S3: part size \(configuration.partSize) is below 5 MiB")
        }
        guard (1...1000).contains(configuration.listPageSize) else {
            throw StoreError(.invalidRequest, "S3: list page size must be 1…1000")
        }
        let region = configuration.region ?? "us-east-1"
        if let text = configuration.endpoint {
            self.endpoint = try Endpoint(parsing: text)
            self.style = configuration.addressingStyle ?? .path
        } else {
            self.endpoint = Endpoint(scheme: "https", host: "s3.\(region).amazonaws.com", port: nil, basePath: "")
            // A bucket name with dots does not match the TLS certificate of `*.s3.<region>.amazonaws.com`.
            self.style = configuration.addressingStyle ?? (configuration.bucket.contains(".") ? .path : .virtualHosted)
        }
        self.configuration = configuration
        self.signer = SigV4Signer(
            accessKeyID: credentials.accessKeyID,
            secretAccessKey: credentials.secretAccessKey,
            region: region,
            service: "s3"
        )
        self.keyPrefix = configuration.prefix.split(separator: "/").joined(separator: "/")
        if let httpClient {
            self.httpClient = httpClient
            self.ownsHTTPClient = false
        } else {
            let timeout = HTTPClient.Configuration.Timeout(
                connect: .nanoseconds(configuration.connectTimeout.nanoseconds),
                read: .nanoseconds(configuration.requestTimeout.nanoseconds)
            )
            var clientConfiguration = HTTPClient.Configuration(timeout: timeout)
            // A refused or timed-out connection fails the attempt at once; the store's own retry
            // policy (bounded attempts, jittered backoff) decides what happens next.
            clientConfiguration.connectionPool.retryConnectionEstablishment = false
            // A redirect (S3's 301/307 for another region) cannot reuse the signature; report it instead.
            clientConfiguration.redirectConfiguration = .disallow
            self.httpClient = HTTPClient(
                eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                configuration: clientConfiguration
            )
            self.ownsHTTPClient = true
        }
        self.logger = logger
        self.metrics = StoreMetrics(store: "s3", factory: metricsFactory)
    }

    /// Shuts down the HTTP client the store created (a client passed in is left alone).
    public func shutdown() async throws {
        if self.ownsHTTPClient {
            try await self.httpClient.shutdown()
        }
    }

    public var location: String {
        self.keyPrefix.isEmpty
            ? "s3://\(self.configuration.bucket)" : "s3://\(self.configuration.bucket)/\(self.keyPrefix)"
    }

    // MARK: ObjectStore

    @discardableResult
    public func put(_ key: String, body: ObjectBody, options: PutOptions) async throws(StoreError) -> PutOutcome {
        let objectKey = try self.objectKey(key)
        return try await self.metrics.measure(.put) { () async throws(StoreError) -> PutOutcome in
            switch body {
            case .bytes(let bytes):
                return try await self.putObject(objectKey, key: key, bytes: bytes, options: options)
            case .file(let path):
                let size = try await POSIXFile.offload { () throws(StoreError) -> Int64 in
                    try POSIXFile(source: path, key: key).size()
                }
                if size <= Int64(self.configuration.multipartThreshold) {
                    let bytes = try await Self.read(path, count: Int(size), at: 0, key: key)
                    return try await self.putObject(objectKey, key: key, bytes: bytes, options: options)
                }
                // A cheap early answer that saves the upload; the conditional complete is what makes it atomic.
                if options.ifAbsent, try await self.headObject(objectKey, key: key) != nil {
                    return .alreadyExists
                }
                return try await self.multipartUpload(objectKey, key: key, path: path, size: size, options: options)
            }
        }
    }

    public func get(_ key: String) async throws(StoreError) -> [UInt8] {
        let objectKey = try self.objectKey(key)
        return try await self.metrics.measure(.get) { () async throws(StoreError) -> [UInt8] in
            let response = try await self.send(S3Request(method: .GET, objectKey: objectKey), key: key)
            guard response.status == 200 else { throw self.error(for: response, key: key, action: "GetObject") }
            return response.body
        }
    }

    public func head(_ key: String) async throws(StoreError) -> ObjectInfo? {
        let objectKey = try self.objectKey(key)
        return try await self.metrics.measure(.head) { () async throws(StoreError) -> ObjectInfo? in
            guard let size = try await self.headObject(objectKey, key: key) else { return nil }
            return ObjectInfo(key: key, size: size)
        }
    }

    public func list(prefix: String) async throws(StoreError) -> [ObjectInfo] {
        try ObjectKey.validatePrefix(prefix)
        return try await self.metrics.measure(.list) { () async throws(StoreError) -> [ObjectInfo] in
            let fullPrefix = self.keyPrefix.isEmpty ? prefix : "\(self.keyPrefix)/\(prefix)"
            let strip = self.keyPrefix.isEmpty ? 0 : self.keyPrefix.utf8.count + 1
            var objects: [ObjectInfo] = []
            var continuationToken: String?
            repeat {
                var query = [
                    ("list-type", "2"), ("prefix", fullPrefix), ("max-keys", String(self.configuration.listPageSize)),
                ]
                if let continuationToken { query.append(("continuation-token", continuationToken)) }
                let response = try await self.send(S3Request(method: .GET, objectKey: nil, query: query), key: prefix)
                guard response.status == 200 else {
                    throw self.error(for: response, key: prefix, action: "ListObjectsV2")
                }
                let page = S3XML(response.body)
                for contents in page.elements("Contents") {
                    let entry = S3XML(text: String(contents))
                    guard let fullKey = entry.value("Key"), let size = entry.value("Size").flatMap({ Int64($0) })
                    else {
                        throw StoreError(.other, key: prefix, "ListObjectsV2: an entry without Key or Size")
                    }
                    // The store's own prefix as an object (a console's "folder" marker) is no key.
                    guard fullKey.utf8.count > strip, let key = String(fullKey.utf8.dropFirst(strip)) else { continue }
                    objects.append(ObjectInfo(key: key, size: size))
                }
                continuationToken = page.value("IsTruncated") == "true" ? page.value("NextContinuationToken") : nil
            } while continuationToken != nil
            objects.sort { ObjectKey.precedes($0.key, $1.key) }
            return objects
        }
    }

    public func delete(_ key: String) async throws(StoreError) {
        let objectKey = try self.objectKey(key)
        try await self.metrics.measure(.delete) { () async throws(StoreError) in
            let response = try await self.send(S3Request(method: .DELETE, objectKey: objectKey), key: key)
            guard (200..<300).contains(response.status) || response.status == 404 else {
                throw self.error(for: response, key: key, action: "DeleteObject")
            }
        }
    }

    // MARK: Operations

    private func putObject(
        _ objectKey: String,
        key: String,
        bytes: [UInt8],
        options: PutOptions
    ) async throws(StoreError) -> PutOutcome {
        var headers = self.writeHeaders(options)
        if options.ifAbsent { headers.append(("if-none-match", "*")) }
        let request = S3Request(method: .PUT, objectKey: objectKey, headers: headers, body: bytes)
        let response = try await self.send(request, key: key)
        switch response.status {
        case 200..<300: return .created
        case 412 where options.ifAbsent: return .alreadyExists
        default: throw self.error(for: response, key: key, action: "PutObject")
        }
    }

    func headObject(_ objectKey: String, key: String) async throws(StoreError) -> Int64? {
        let response = try await self.send(S3Request(method: .HEAD, objectKey: objectKey), key: key)
        switch response.status {
        case 200:
            guard let length = response.headers.first(name: "content-length").flatMap({ Int64($0) }) else {
                throw StoreError(.other, key: key, "HeadObject: no Content-Length in the answer")
            }
            return length
        case 404: return nil
        default: throw self.error(for: response, key: key, action: "HeadObject")
        }
    }

    /// Headers of PutObject and CreateMultipartUpload: content type and server-side encryption.
    func writeHeaders(_ options: PutOptions) -> [(String, String)] {
        var headers = [("content-type", options.contentType ?? "application/octet-stream")]
        switch self.configuration.serverSideEncryption {
        case nil: break
        case .aes256: headers.append(("x-amz-server-side-encryption", "AES256"))
        case .kms(let keyID):
            headers.append(("x-amz-server-side-encryption", "aws:kms"))
            if let keyID { headers.append(("x-amz-server-side-encryption-aws-kms-key-id", keyID)) }
        }
        return headers
    }

    func objectKey(_ key: String) throws(StoreError) -> String {
        try ObjectKey.validate(key)
        return self.keyPrefix.isEmpty ? key : "\(self.keyPrefix)/\(key)"
    }

    static func read(_ path: String, count: Int, at offset: Int64, key: String) async throws(StoreError) -> [UInt8] {
        let bytes = try await POSIXFile.offload { () throws(StoreError) -> [UInt8] in
            try POSIXFile(source: path, key: key).read(count: count, at: offset)
        }
        guard bytes.count == count else {
            throw StoreError(.io, key: key, "'\(path)' changed while it was uploaded: short read at \(offset)")
        }
        return bytes
    }
}

// MARK: HTTP

extension S3Store {
    struct S3Request: Sendable {
        var method: HTTPMethod
        /// The object's full key (prefix applied), or `nil` for a bucket request.
        var objectKey: String?
        var query: [(String, String)] = []
        var headers: [(String, String)] = []
        var body: [UInt8]? = nil
        /// Whether a `200` can carry an `<Error>` (CompleteMultipartUpload).
        var errorMayComeWithSuccess = false
    }

    struct S3Response: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: [UInt8]
    }

    /// Biggest answer read for anything but GetObject (error documents, list pages).
    static let maximumResponseBytes = 16 << 20

    /// Sends `request`, retrying per ``RetryPolicy``; returns the first answer that is not worth
    /// retrying (which may be an error status for the caller to map) or throws once attempts run out.
    func send(_ request: S3Request, key: String?) async throws(StoreError) -> S3Response {
        var generator = SystemRandomNumberGenerator()
        let retry = self.configuration.retry
        var attempt = 1
        while true {
            let failure: StoreError
            do {
                let response = try await self.sendOnce(request)
                if let retryable = self.retryableError(response, request: request, key: key) {
                    failure = retryable
                } else {
                    return response
                }
            } catch {
                if Task.isCancelled || error is CancellationError {
                    throw StoreError(.unavailable, key: key, "\(request.action): cancelled")
                }
                failure = StoreError(
                    .unavailable,
                    key: key,
                    "\(request.action): no answer from \(self.endpoint.host): \(Self.describe(error))"
                )
            }
            guard attempt < retry.maximumAttempts else {
                throw StoreError(
                    failure.kind,
                    key: failure.key,
                    "\(failure.message) (after \(attempt) attempt\(attempt == 1 ? "" : "s"))"
                )
            }
            let delay = retry.delay(after: attempt, using: &generator)
            self.logger.debug(
                "retrying S3 request",
                metadata: [
                    "laketap.store.action": "\(request.action)",
                    "laketap.store.attempt": "\(attempt)",
                    "laketap.store.delay": "\(delay)",
                    "laketap.store.error": "\(failure)",
                ]
            )
            do {
                try await Task.sleep(for: delay)
            } catch {
                throw StoreError(.unavailable, key: key, "\(request.action): cancelled")
            }
            attempt += 1
        }
    }

    /// The error to retry for, or `nil` when the answer goes back to the caller.
    private func retryableError(_ response: S3Response, request: S3Request, key: String?) -> StoreError? {
        switch response.status {
        case 408, 429, 500...599:
            return self.error(for: response, key: key, action: request.action)
        case 409 where S3XML(response.body).value("Code") == "ConditionalRequestConflict":
            return self.error(for: response, key: key, action: request.action)
        case 200 where request.errorMayComeWithSuccess && !S3XML(response.body).elements("Error").isEmpty:
            return self.error(
                for: S3Response(status: 500, headers: response.headers, body: response.body),
                key: key,
                action: request.action
            )
        default:
            return nil
        }
    }

    /// The Host header and the encoded path of a request; the path is encoded once and is both
    /// what goes on the wire and the canonical URI.
    func target(objectKey: String?) -> (host: String, path: String) {
        let bucket = self.configuration.bucket
        let encodedKey = objectKey.map { SigV4Signer.encode($0, keepSlash: true) }
        switch self.style {
        case .path:
            var path = "\(self.endpoint.basePath)/\(SigV4Signer.encode(bucket, keepSlash: false))"
            if let encodedKey { path += "/\(encodedKey)" }
            return (self.endpoint.authority, path)
        case .virtualHosted:
            return ("\(bucket).\(self.endpoint.authority)", "\(self.endpoint.basePath)/\(encodedKey ?? "")")
        }
    }

    /// One signed attempt.
    private func sendOnce(_ request: S3Request) async throws -> S3Response {
        let httpRequest = self.signedRequest(request, timestamp: .now())
        self.logger.trace(
            "sending S3 request",
            metadata: [
                "laketap.store.action": "\(request.action)",
                "laketap.store.url": "\(httpRequest.url)",
                "laketap.store.headers": "\(Self.redacted(httpRequest.headers))",
            ]
        )
        let response = try await self.httpClient.execute(
            httpRequest,
            timeout: .nanoseconds(self.configuration.requestTimeout.nanoseconds)
        )
        let limit =
            request.method == .GET && request.objectKey != nil
            ? response.headers.first(name: "content-length").flatMap { Int($0) } ?? Int.max : Self.maximumResponseBytes
        var buffer = try await response.body.collect(upTo: limit)
        return S3Response(
            status: Int(response.status.code),
            headers: response.headers,
            body: buffer.readBytes(length: buffer.readableBytes) ?? []
        )
    }

    /// The request as it goes on the wire: URL, headers, `x-amz-date`, `x-amz-content-sha256`, the
    /// session token when there is one, and the SigV4 `Authorization` over all of them.
    func signedRequest(_ request: S3Request, timestamp: SigV4Signer.Timestamp) -> HTTPClientRequest {
        let (host, path) = self.target(objectKey: request.objectKey)
        let query = SigV4Signer.canonicalQuery(request.query)
        let payloadHash = request.body.map { SigV4Signer.hexSHA256($0) } ?? SigV4Signer.emptyPayloadHash
        var headers = request.headers
        headers.append(("host", host))
        headers.append(("x-amz-date", timestamp.dateTime))
        headers.append(("x-amz-content-sha256", payloadHash))
        if let token = self.configuration.credentials?.sessionToken { headers.append(("x-amz-security-token", token)) }
        let signature = self.signer.sign(
            method: request.method.rawValue,
            canonicalURI: path,
            query: request.query,
            headers: headers,
            payloadHash: payloadHash,
            timestamp: timestamp
        )
        headers.append(("authorization", signature.authorization))

        var httpRequest = HTTPClientRequest(
            url: "\(self.endpoint.scheme)://\(host)\(path)\(query.isEmpty ? "" : "?\(query)")"
        )
        httpRequest.method = request.method
        httpRequest.headers = HTTPHeaders(headers)
        if let body = request.body {
            httpRequest.body = .bytes(body)
        } else if request.method == .PUT || request.method == .POST {
            httpRequest.body = .bytes([UInt8]())
        }
        return httpRequest
    }

    /// Headers for logs: the signature and the session token replaced by `<redacted>`.
    static func redacted(_ headers: HTTPHeaders) -> String {
        headers.map { name, value in
            switch name.lowercased() {
            case "authorization", "x-amz-security-token": "\(name): <redacted>"
            default: "\(name): \(value)"
            }
        }.joined(separator: ", ")
    }

    /// Maps an answer to a ``StoreError``, with S3's `<Code>`, `<Message>` and request id.
    func error(for response: S3Response, key: String?, action: String) -> StoreError {
        let document = S3XML(response.body)
        let code = document.value("Code") ?? response.headers.first(name: "x-amz-error-code")
        let message = document.value("Message") ?? response.headers.first(name: "x-amz-error-message")
        let kind: StoreError.Kind =
            switch response.status {
            case 401, 403: .accessDenied
            case 404 where code == "NoSuchBucket": .invalidRequest
            case 404: .notFound
            case 429: .throttled
            case 503 where code == nil || code == "SlowDown" || code == "SlowDownWrite" || code == "SlowDownRead":
                .throttled
            case 408, 409, 500...599: .unavailable
            case 400, 405, 411, 413, 414: .invalidRequest
            default: .other
            }
        var text = "\(action): HTTP \(response.status)"
        if let code { text += " \(code)" }
        if let message { text += ": \(message)" }
        if let requestID = response.headers.first(name: "x-amz-request-id") { text += " (request id \(requestID))" }
        return StoreError(kind, key: key, text)
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError, error == .deadlineExceeded || error == .readTimeout {
            return "timed out (\(error))"
        }
        return "\(error)"
    }
}

extension S3Store.S3Request {
    /// The S3 action, for errors and logs.
    var action: String {
        let names = Set(self.query.map(\.0))
        switch self.method {
        case .GET where self.objectKey == nil: return "ListObjectsV2"
        case .GET: return "GetObject"
        case .HEAD: return "HeadObject"
        case .PUT where names.contains("partNumber"): return "UploadPart"
        case .PUT: return "PutObject"
        case .POST where names.contains("uploads"): return "CreateMultipartUpload"
        case .POST: return "CompleteMultipartUpload"
        case .DELETE where names.contains("uploadId"): return "AbortMultipartUpload"
        case .DELETE: return "DeleteObject"
        default: return self.method.rawValue
        }
    }
}

// MARK: Endpoint

extension S3Store {
    /// `scheme://host[:port][/base]`, parsed without Foundation.
    struct Endpoint: Sendable, Hashable {
        var scheme: String
        var host: String
        var port: Int?
        var basePath: String

        init(scheme: String, host: String, port: Int?, basePath: String) {
            self.scheme = scheme
            self.host = host
            self.port = port
            self.basePath = basePath
        }

        init(parsing text: String) throws(StoreError) {
            let parts = text.split(separator: "://", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == "http" || parts[0] == "https", !parts[1].isEmpty else {
                throw StoreError(.invalidRequest, "S3: endpoint '\(text)' is not http(s)://host[:port][/path]")
            }
            self.scheme = String(parts[0])
            let rest = parts[1]
            let slash = rest.firstIndex(of: "/") ?? rest.endIndex
            var authority = rest[..<slash]
            var base = String(rest[slash...])
            while base.hasSuffix("/") { base.removeLast() }
            self.basePath = base
            self.port = nil
            // A port follows the last ':' unless that ':' is inside an IPv6 literal.
            if let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") {
                guard let port = Int(authority[authority.index(after: colon)...]), (1...65535).contains(port) else {
                    throw StoreError(.invalidRequest, "S3: endpoint '\(text)' has a bad port")
                }
                self.port = port
                authority = authority[..<colon]
            }
            guard !authority.isEmpty else {
                throw StoreError(.invalidRequest, "S3: endpoint '\(text)' has no host")
            }
            self.host = String(authority)
        }

        /// `host` or `host:port` as the Host header carries it (default ports left out).
        var authority: String {
            guard let port, port != (self.scheme == "https" ? 443 : 80) else { return self.host }
            return "\(self.host):\(port)"
        }
    }
}
