/// What a ``LoadGenerator`` run achieved: records and batches, HTTP statuses, latencies and throughput.
public struct LoadReport: Sendable, CustomStringConvertible {
    /// Records in batches the server acknowledged (2xx).
    public var recordsSent = 0
    /// Records in batches that finally failed.
    public var recordsFailed = 0
    /// Bytes of the acknowledged batches.
    public var bytesSent = 0
    /// Batches acknowledged.
    public var batchesSent = 0
    /// Batches that finally failed (non-retryable status, or retries exhausted).
    public var batchesFailed = 0
    /// Attempts repeated after a 503/429 or a transport error.
    public var retries = 0
    /// Responses by HTTP status code.
    public var statusCounts: [Int: Int] = [:]
    /// Requests that got no HTTP response (connection refused, reset, timeout).
    public var transportErrors = 0
    /// The duration of every request that got a response.
    public var latencies: [Duration] = []
    /// From the first batch to the last response.
    public var elapsed: Duration = .zero

    public init() {}

    /// Adds the outcome of one batch.
    mutating func add(_ outcome: BatchOutcome) {
        if outcome.succeeded {
            self.recordsSent += outcome.records
            self.bytesSent += outcome.bytes
            self.batchesSent += 1
        } else {
            self.recordsFailed += outcome.records
            self.batchesFailed += 1
        }
        self.retries += outcome.attempts - 1
        self.transportErrors += outcome.transportErrors
        for status in outcome.statuses { self.statusCounts[status, default: 0] += 1 }
        self.latencies.append(contentsOf: outcome.latencies)
    }

    /// The latency below which `fraction` of requests fall (nearest rank), or `nil` without requests.
    public func latency(percentile fraction: Double) -> Duration? {
        guard !self.latencies.isEmpty else { return nil }
        let sorted = self.latencies.sorted()
        let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(sorted.count - 1, max(0, rank))]
    }

    /// Seconds from the first batch to the last response.
    public var elapsedSeconds: Double {
        Double(self.elapsed.components.seconds) + Double(self.elapsed.components.attoseconds) * 1e-18
    }

    /// A few lines for a terminal.
    public var description: String {
        func milliseconds(_ duration: Duration?) -> String {
            guard let duration else { return "-" }
            let value = Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) * 1e-15
            return "\((value * 10).rounded() / 10) ms"
        }
        let seconds = max(self.elapsedSeconds, 1e-9)
        let statuses = self.statusCounts.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }
        let megabytesPerSecond = (Double(self.bytesSent) / 1e6 / seconds * 10).rounded() / 10
        return """
            records sent: \(self.recordsSent) (failed: \(self.recordsFailed)), \
            batches: \(self.batchesSent) ok, \(self.batchesFailed) failed, \(self.retries) retries
            HTTP statuses: \(statuses.isEmpty ? "none" : statuses.joined(separator: " ")), \
            transport errors: \(self.transportErrors)
            latency p50 \(milliseconds(self.latency(percentile: 0.5))), p99 \(milliseconds(self.latency(percentile: 0.99)))
            \(Int(Double(self.recordsSent) / seconds)) records/s, \(megabytesPerSecond) MB/s \
            over \((seconds * 100).rounded() / 100) s
            """
    }
}

/// The fate of one batch over all its attempts.
struct BatchOutcome: Sendable {
    var records: Int
    var bytes: Int
    var succeeded = false
    var attempts = 0
    var transportErrors = 0
    var statuses: [Int] = []
    var latencies: [Duration] = []
}
