import HTTPTypes
import Hummingbird
import LaketapPipeline

/// An error the HTTP API answers with: a status, extra headers, and a JSON body
/// `{"error": "<code>", "message": "…"}` whose code is stable for clients to switch on.
struct HTTPAPIError: HTTPResponseError, CustomStringConvertible {
    var status: HTTPResponse.Status
    /// A short, stable, machine-readable code (`body_too_large`, `unknown_stream`, …).
    var code: String
    /// What was wrong and what to do, for people. Never holds a token or record bytes.
    var message: String
    var headers: HTTPFields = [:]

    var description: String { "\(self.status.code) \(self.code): \(self.message)" }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try context.responseEncoder.encode(
            ErrorBody(error: self.code, message: self.message),
            from: request,
            context: context
        )
        response.status = self.status
        response.headers.append(contentsOf: self.headers)
        return response
    }

    private struct ErrorBody: Encodable {
        var error: String
        var message: String
    }
}

extension HTTPAPIError {
    /// `401` with `WWW-Authenticate: Bearer`.
    static func unauthorized(_ message: String) -> Self {
        Self(
            status: .unauthorized,
            code: "unauthorized",
            message: message,
            headers: [.wwwAuthenticate: "Bearer realm=\"laketap\""]
        )
    }

    /// The status and code for an error of the pipeline. A storage failure's details stay in the log.
    init(_ error: IngestError) {
        switch error {
        case .bufferFull(_, let retryAfter), .unavailable(_, let retryAfter):
            let isFull = if case .bufferFull = error { true } else { false }
            self.init(
                status: .serviceUnavailable,
                code: isFull ? "buffer_full" : "unavailable",
                message: "\(error)",
                headers: [.retryAfter: "\(max(retryAfter, 1))"]
            )
        case .unknownStream:
            self.init(status: .notFound, code: "unknown_stream", message: "\(error)")
        case .invalidStreamName:
            self.init(status: .badRequest, code: "invalid_stream_name", message: "\(error)")
        case .storage:
            self.init(
                status: .internalServerError,
                code: "storage",
                message: "could not write to the buffer; nothing of this request was acknowledged, retry it"
            )
        }
    }

    /// The status and code for a body the decoder refused as a whole.
    init(_ failure: RecordBodyDecoder.Failure) {
        switch failure {
        case .bodyTooLarge(let limit):
            self.init(
                status: .contentTooLarge,
                code: "body_too_large",
                message: "the request body is larger than the limit of \(limit) bytes; send smaller batches"
            )
        case .decompressedBodyTooLarge(let limit):
            self.init(
                status: .contentTooLarge,
                code: "body_too_large",
                message:
                    "the decompressed request body is larger than the limit of \(limit) bytes; send smaller batches"
            )
        case .damagedCompression(let message):
            self.init(status: .badRequest, code: "damaged_compression", message: message)
        case .notJSON(let message):
            self.init(status: .badRequest, code: "not_json", message: message)
        case .empty:
            self.init(status: .badRequest, code: "empty_body", message: "the request body is empty")
        }
    }
}
