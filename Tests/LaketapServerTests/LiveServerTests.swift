import HTTPTypes
import HummingbirdTesting
import LaketapPipeline
import LaketapServer
import Logging
import NIOCore
import NIOPosix
import Prometheus
import ServiceLifecycle
import Testing

/// The server on a real socket, run in a `ServiceGroup` as the executable runs it.
@Suite struct LiveServerTests {
    static let logger = Logger(label: "laketap.test") { _ in SwiftLogNoOpLogHandler() }

    /// A port that was free a moment ago.
    static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(channel.localAddress?.port)
        try await channel.close()
        return port
    }

    /// Polls `GET /healthz` until the server answers.
    static func waitUntilListening(port: Int) async throws {
        for _ in 0..<100 {
            let answered = try? await TestClient.withClient(host: "127.0.0.1", port: port) { client in
                try await client.get("/healthz").status == .ok
            }
            if answered == true { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("the server did not start listening on port \(port)")
    }

    @Test func gzipOverTCPAndInFlightRequestFinishesOnShutdown() async throws {
        let port = try await Self.freePort()
        let ingest = GatedIngest()
        let app = makeApplication(
            configuration: ServerConfiguration(port: port),
            ingest: ingest,
            registry: PrometheusCollectorRegistry(),
            logger: Self.logger
        )
        let group = ServiceGroup(configuration: .init(services: [app], logger: Self.logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await Self.waitUntilListening(port: port)

            let body = ByteBuffer(bytes: Compression.gzip(Array("{\"a\":1}\n{\"b\":2}\n".utf8)))
            let inFlight = Task {
                try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
                    try await client.post("/v1/streams/events/records", headers: [.contentEncoding: "gzip"], body: body)
                }
            }
            // The request is inside `append` when shutdown starts; it still gets its answer.
            for await _ in ingest.entered.stream { break }
            await group.triggerGracefulShutdown()
            ingest.release.continuation.yield()
            let response = try await inFlight.value
            #expect(response.status == .ok)
            #expect(response.body.map { String(buffer: $0) }?.contains("\"accepted\":2") == true)
            try await tasks.waitForAll()
        }
    }
}

@Suite struct OverloadTests {
    @Test func requestsOverTheConcurrencyLimitGet503() async throws {
        let ingest = GatedIngest()
        let app = makeApplication(
            configuration: ServerConfiguration(maxConcurrentIngestRequests: 1),
            ingest: ingest,
            registry: PrometheusCollectorRegistry(),
            logger: LiveServerTests.logger
        )
        try await app.test(.router) { client in
            let first = Task { try await client.post("/v1/streams/events/records", "{\"a\":1}") }
            for await _ in ingest.entered.stream { break }
            let second = try await client.post("/v1/streams/events/records", "{\"a\":2}")
            #expect(second.status == .serviceUnavailable)
            #expect(second.headers[.retryAfter] == "1")
            #expect(try second.decode(ErrorReply.self).error == "overloaded")
            ingest.release.continuation.yield()
            #expect(try await first.value.status == .ok)
            // The slot is free again.
            let third = Task { try await client.post("/v1/streams/events/records", "{\"a\":3}") }
            ingest.release.continuation.yield()
            let thirdResponse = try await third.value
            #expect(thirdResponse.status == .ok)
        }
    }
}
