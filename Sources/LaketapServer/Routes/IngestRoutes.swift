import HTTPTypes
import Hummingbird
import LaketapPipeline
import Logging
import NIOCore

/// `POST /v1/streams/{stream}/records` (alias `POST /ingest/{stream}`) and `POST /v1/streams/{stream}/flush`.
struct IngestRoutes: Sendable {
    let ingest: any RecordIngest
    let configuration: ServerConfiguration
    let authenticator: TokenAuthenticator
    let metrics: ServerMetrics
    let limiter: RequestLimiter

    /// The custom header that may carry the token instead of `Authorization: Bearer`.
    static let tokenHeader = HTTPField.Name("X-Laketap-Token")!

    func register(on router: Router<some RequestContext>) {
        router.post("/v1/streams/{stream}/records") { request, context in
            try await self.records(request, context: context)
        }
        router.post("/ingest/{stream}") { request, context in
            try await self.records(request, context: context)
        }
        router.post("/v1/streams/{stream}/flush") { request, context in
            try await self.flush(request, context: context)
        }
    }

    /// Decodes, validates and appends the records of one request.
    func records(_ request: Request, context: some RequestContext) async throws -> IngestResponse {
        let stream = try self.authorize(request, context: context)
        guard BodyFormat.acceptsContentType(request.headers[.contentType]) else {
            throw HTTPAPIError(
                status: .unsupportedMediaType,
                code: "unsupported_media_type",
                message: "send records as application/x-ndjson, application/jsonl, application/json or text/plain"
            )
        }
        guard let encoding = BodyFormat.encoding(request.headers[.contentEncoding]) else {
            throw HTTPAPIError(
                status: .unsupportedMediaType,
                code: "unsupported_encoding",
                message: "Content-Encoding must be gzip, zstd or identity"
            )
        }
        let limits = RecordBodyDecoder.Limits(self.configuration)
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limits.maxBodyBytes {
            throw HTTPAPIError(.bodyTooLarge(limit: limits.maxBodyBytes))
        }
        guard self.limiter.acquire() else {
            throw HTTPAPIError(
                status: .serviceUnavailable,
                code: "overloaded",
                message: "\(self.limiter.limit) ingest requests are in progress already; retry later",
                headers: [.retryAfter: "1"]
            )
        }
        defer { self.limiter.release() }
        let result = try await Self.decode(request.body, encoding: encoding, limits: limits)

        var receipt: IngestReceipt?
        do throws(IngestError) {
            // Refused records first: if appending then fails, the client retries the whole request and the
            // dead-letter queue may hold a refused record twice, but the lake never holds a record twice.
            if !result.rejections.isEmpty {
                try await self.ingest.deadLetter(result.rejections.map(\.record), stream: stream)
            }
            if !result.batch.isEmpty {
                receipt = try await self.ingest.append(result.batch, to: stream)
            }
        } catch {
            throw self.report(error, stream: stream, context: context)
        }

        var rejectedByReason: [String: Int] = [:]
        for rejection in result.rejections {
            rejectedByReason[rejection.record.code, default: 0] += 1
        }
        self.metrics.ingested(
            stream: stream,
            records: result.recordCount,
            decompressedBytes: result.decompressedBytes,
            rejectedByReason: rejectedByReason
        )
        let reported = result.rejections.prefix(self.configuration.maxReportedErrors)
        return IngestResponse(
            accepted: result.batch.count,
            rejected: result.rejections.count,
            errors: reported.map { .init(index: $0.index, code: $0.record.code, reason: $0.record.reason) },
            errorsTruncated: reported.count < result.rejections.count,
            firstOffset: receipt?.firstOffset,
            lastOffset: receipt?.lastOffset
        )
    }

    /// Flushes the stream's buffer into the lake now.
    func flush(_ request: Request, context: some RequestContext) async throws -> FlushResponse {
        let stream = try self.authorize(request, context: context)
        do throws(IngestError) {
            return FlushResponse(try await self.ingest.flush(stream: stream))
        } catch {
            throw self.report(error, stream: stream, context: context)
        }
    }

    /// Reads the body through a ``RecordBodyDecoder`` as it arrives.
    static func decode(
        _ body: RequestBody,
        encoding: BodyEncoding,
        limits: RecordBodyDecoder.Limits
    ) async throws -> RecordBodyDecoder.Result {
        do {
            var decoder = try RecordBodyDecoder(encoding: encoding, limits: limits)
            for try await chunk in body {
                try chunk.withUnsafeReadableBytes { bytes throws(RecordBodyDecoder.Failure) in
                    try decoder.consume(bytes)
                }
            }
            return try decoder.finish()
        } catch let failure as RecordBodyDecoder.Failure {
            throw HTTPAPIError(failure)
        }
    }

    /// The stream named in the path, once the request's token is accepted for it.
    private func authorize(_ request: Request, context: some RequestContext) throws -> String {
        let stream = try context.parameters.require("stream")
        let credential = Credential(
            authorization: request.headers[.authorization],
            tokenHeader: request.headers[Self.tokenHeader]
        )
        switch self.authenticator.authenticate(credential, stream: stream) {
        case .allowed:
            return stream
        case .missing:
            throw HTTPAPIError.unauthorized("this stream needs a token: send Authorization: Bearer <token>")
        case .malformed:
            throw HTTPAPIError.unauthorized("the Authorization header must be Bearer <token>")
        case .forbidden:
            throw HTTPAPIError(
                status: .forbidden,
                code: "forbidden",
                message: "the token is not accepted for this stream"
            )
        }
    }

    /// The HTTP error for a pipeline error; storage failures are logged, as only the log keeps their details.
    private func report(_ error: IngestError, stream: String, context: some RequestContext) -> HTTPAPIError {
        if case .storage = error {
            context.logger.error(
                "ingest failed in the buffer",
                metadata: ["laketap.stream": "\(stream)", "laketap.error": "\(error)"]
            )
        }
        return HTTPAPIError(error)
    }
}
