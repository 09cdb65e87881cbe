import CoreMetrics
import Synchronization

/// The pipeline's metrics for one stream, created once per stream from the injected factory.
final class StreamMetrics: Sendable {
    let accepted: Counter
    let deadLettered: Counter
    let filesWritten: Counter
    let bytesWritten: Counter
    let flushesSucceeded: Counter
    let flushesFailed: Counter
    let bufferBytes: Gauge
    let bufferSegments: Gauge
    let flushDuration: Timer
    private let stream: String
    private let factory: any MetricsFactory
    /// Rejection counters by reason code, created on first use (codes are a small, fixed set).
    private let rejected = Mutex<[String: Counter]>([:])

    init(stream: String, factory: any MetricsFactory) {
        let dimensions = [("stream", stream)]
        self.stream = stream
        self.factory = factory
        self.accepted = Counter(label: "laketap_records_accepted_total", dimensions: dimensions, factory: factory)
        self.deadLettered = Counter(label: "laketap_dlq_records_total", dimensions: dimensions, factory: factory)
        self.filesWritten = Counter(label: "laketap_files_written_total", dimensions: dimensions, factory: factory)
        self.bytesWritten = Counter(label: "laketap_bytes_written_total", dimensions: dimensions, factory: factory)
        self.flushesSucceeded = Counter(
            label: "laketap_flushes_total",
            dimensions: dimensions + [("result", "success")],
            factory: factory
        )
        self.flushesFailed = Counter(
            label: "laketap_flushes_total",
            dimensions: dimensions + [("result", "failure")],
            factory: factory
        )
        self.bufferBytes = Gauge(label: "laketap_buffer_bytes", dimensions: dimensions, factory: factory)
        self.bufferSegments = Gauge(label: "laketap_buffer_segments", dimensions: dimensions, factory: factory)
        self.flushDuration = Timer(
            label: "laketap_flush_duration_seconds",
            dimensions: [],
            preferredDisplayUnit: .seconds,
            factory: factory
        )
    }

    func rejected(reason: String, count: Int = 1) {
        guard count > 0 else { return }
        let counter = self.rejected.withLock { counters in
            if let counter = counters[reason] { return counter }
            let counter = Counter(
                label: "laketap_records_rejected_total",
                dimensions: [("stream", self.stream), ("reason", reason)],
                factory: self.factory
            )
            counters[reason] = counter
            return counter
        }
        counter.increment(by: count)
    }
}
