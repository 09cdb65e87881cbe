import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LaketapServer
import Logging
import NIOCore
import Prometheus

/// An application on a ``RecordingIngest`` and a fresh registry, tested through the router.
struct ServerHarness {
    let ingest = RecordingIngest()
    let registry = PrometheusCollectorRegistry()
    var configuration = ServerConfiguration()

    init(_ configure: (inout ServerConfiguration) -> Void = { _ in }) {
        configure(&self.configuration)
    }

    func test<Value>(_ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        let app = makeApplication(
            configuration: self.configuration,
            ingest: self.ingest,
            registry: self.registry,
            logger: Logger(label: "laketap.test") { _ in SwiftLogNoOpLogHandler() }
        )
        return try await app.test(.router, body)
    }
}

/// The JSON body of an ingest response.
struct IngestReply: Decodable, Equatable {
    struct Entry: Decodable, Equatable {
        var index: Int
        var code: String
        var reason: String
    }
    var accepted: Int
    var rejected: Int
    var errors: [Entry]
    var errors_truncated: Bool
    var first_offset: Int64?
    var last_offset: Int64?
}

/// The JSON body of an error response.
struct ErrorReply: Decodable, Equatable {
    var error: String
    var message: String
}

extension TestClientProtocol {
    func post(
        _ uri: String,
        _ body: [UInt8],
        contentType: String? = "application/x-ndjson",
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = extra
        if let contentType { headers[.contentType] = contentType }
        return try await self.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: body))
    }

    func post(
        _ uri: String,
        _ body: String,
        contentType: String? = "application/x-ndjson",
        headers: HTTPFields = [:]
    ) async throws -> TestResponse {
        try await self.post(uri, Array(body.utf8), contentType: contentType, headers: headers)
    }
}

extension TestResponse {
    func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
        try JSONDecoder().decode(type, from: Data(self.body.readableBytesView))
    }

    var text: String { String(buffer: self.body) }
}
