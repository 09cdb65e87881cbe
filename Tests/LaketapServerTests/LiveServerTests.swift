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
    /// A ``RecordIngest`` whose `append` waits until the test releases it.
    final class GatedIngest: RecordIngest {
        let entered = AsyncStream.makeStream(of: Void.self)
        let release = AsyncStream.makeStream(of: Void.self)

        var isReady: Bool { true }

        func append(_ batch: RecordBatch, to stream: String) async throws(IngestError) -> IngestReceipt {
            self.entered.continuation.yield()
            for await _ in self.release.stream { break }
            return IngestReceipt(stream: stream, firstOffset: 0, lastOffset: Int64(batch.count - 1))
        }

        func deadLetter(_ records: [RejectedRecord], stream: String) async throws(IngestError) {}

        func flush(stream: String) async throws(IngestError) -> FlushReport { FlushReport(stream: stream) }
    }

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
