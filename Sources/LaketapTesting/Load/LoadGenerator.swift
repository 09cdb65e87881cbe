import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Posts a workload to a running Laketap in NDJSON batches, paced by a ``TokenBucket``, with a bounded number
/// of requests in flight.
///
/// A batch answered with 503 or 429 is retried after its `Retry-After` (delta-seconds; one second if absent
/// or a date), and a request without a response after a short backoff, up to
/// ``Configuration/maximumAttempts`` attempts. The ``LoadReport`` counts a batch as failed when its last
/// attempt did not get a 2xx.
public struct LoadGenerator: Sendable {
    /// Where and how fast to post.
    public struct Configuration: Sendable {
        /// The ingest endpoint, an `http` or `https` URL such as `http://127.0.0.1:8080/v1/streams/logs/records`.
        public var url: String
        /// Records per request.
        public var batchRecords: Int
        /// Records per second; `nil` sends as fast as the server answers.
        public var recordsPerSecond: Double?
        /// Requests in flight at once.
        public var maximumInFlight: Int
        /// Attempts per batch, the first included.
        public var maximumAttempts: Int
        /// The longest `Retry-After` honoured.
        public var maximumRetryDelay: Duration
        /// Per-request timeout.
        public var timeout: Duration

        public init(
            url: String,
            batchRecords: Int = 500,
            recordsPerSecond: Double? = nil,
            maximumInFlight: Int = 4,
            maximumAttempts: Int = 5,
            maximumRetryDelay: Duration = .seconds(30),
            timeout: Duration = .seconds(60)
        ) {
            self.url = url
            self.batchRecords = batchRecords
            self.recordsPerSecond = recordsPerSecond
            self.maximumInFlight = maximumInFlight
            self.maximumAttempts = maximumAttempts
            self.maximumRetryDelay = maximumRetryDelay
            self.timeout = timeout
        }
    }

    public let configuration: Configuration
    private let url: URL

    /// Returns `nil` when `configuration.url` is not an absolute `http` or `https` URL with a host.
    public init?(configuration: Configuration) {
        guard let url = URL(string: configuration.url), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", url.host != nil
        else { return nil }
        self.configuration = configuration
        self.url = url
    }

    /// Sends `stream` until it is finished and every request has been answered, then reports.
    public func run<Generator: Workload>(_ stream: inout WorkloadStream<Generator>) async -> LoadReport {
        let configuration = self.configuration
        // AsyncHTTPClient on NIO: one write per body and no per-request thread hops, so that the load
        // generator takes little of the CPU it shares with the server it measures.
        var clientConfiguration = HTTPClient.Configuration(
            timeout: HTTPClient.Configuration.Timeout(
                connect: .seconds(10),
                read: .nanoseconds(Self.nanoseconds(configuration.timeout))
            )
        )
        clientConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = configuration.maximumInFlight
        clientConfiguration.decompression = .disabled
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: clientConfiguration)

        var bucket = configuration.recordsPerSecond.map {
            TokenBucket(rate: $0, capacity: Double(max(configuration.batchRecords, 1)))
        }
        var report = LoadReport()
        let clock = ContinuousClock()
        let start = clock.now
        let url = self.url.absoluteString
        await withTaskGroup(of: BatchOutcome.self) { group in
            var inFlight = 0
            var buffer = JSONBuffer(capacity: configuration.batchRecords * 1024)
            while !stream.isFinished {
                buffer.removeAll()
                let records = stream.append(
                    to: &buffer,
                    targetBytes: .max,
                    maximumRecords: configuration.batchRecords
                )
                if var current = bucket {
                    let delay = current.reserve(records, at: clock.now)
                    bucket = current
                    if delay > .zero { try? await Task.sleep(for: delay) }
                }
                if inFlight == configuration.maximumInFlight, let outcome = await group.next() {
                    report.add(outcome)
                    inFlight -= 1
                }
                var request = HTTPClientRequest(url: url)
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/x-ndjson")
                request.body = .bytes(ByteBuffer(bytes: buffer.bytes))
                let bytes = buffer.count
                group.addTask { [request] in
                    await Self.send(request, records: records, bytes: bytes, client: client, configuration)
                }
                inFlight += 1
            }
            for await outcome in group { report.add(outcome) }
        }
        report.elapsed = start.duration(to: clock.now)
        try? await client.shutdown()
        return report
    }

    /// Posts one batch, retrying as the type's documentation says.
    private static func send(
        _ request: HTTPClientRequest,
        records: Int,
        bytes: Int,
        client: HTTPClient,
        _ configuration: Configuration
    ) async -> BatchOutcome {
        var outcome = BatchOutcome(records: records, bytes: bytes)
        let clock = ContinuousClock()
        while outcome.attempts < configuration.maximumAttempts {
            outcome.attempts += 1
            let isLast = outcome.attempts == configuration.maximumAttempts
            let begin = clock.now
            let delay: Duration
            do {
                let response = try await client.execute(
                    request,
                    timeout: .nanoseconds(Self.nanoseconds(configuration.timeout))
                )
                _ = try await response.body.collect(upTo: 16 << 20)
                outcome.latencies.append(begin.duration(to: clock.now))
                let status = Int(response.status.code)
                outcome.statuses.append(status)
                if (200..<300).contains(status) {
                    outcome.succeeded = true
                    return outcome
                }
                guard status == 503 || status == 429, !isLast else { return outcome }
                delay = min(
                    Self.retryDelay(response.headers.first(name: "Retry-After")),
                    configuration.maximumRetryDelay
                )
            } catch {
                outcome.transportErrors += 1
                guard !isLast else { return outcome }
                delay = .milliseconds(100 << min(outcome.attempts, 6))
            }
            if delay > .zero { try? await Task.sleep(for: delay) }
        }
        return outcome
    }

    /// The wait a `Retry-After` value asks for: delta-seconds, or one second for a date or no header.
    public static func retryDelay(_ header: String?) -> Duration {
        guard let header, let seconds = Double(header.trimmingCharacters(in: .whitespaces)), seconds >= 0 else {
            return .seconds(1)
        }
        return .milliseconds(Int64(seconds * 1000))
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }
}
