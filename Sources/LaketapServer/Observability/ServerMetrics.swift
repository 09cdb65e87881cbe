import Metrics

/// The front door's metrics. Dimensions take bounded values only: route templates, status codes, stream
/// names the pipeline accepted, and the fixed set of refusal codes.
///
/// - `laketap_http_requests_total{route,status}`
/// - `laketap_http_request_duration_seconds{route}` (a timer; a histogram in Prometheus)
/// - `laketap_records_received_total{stream}`: records in accepted request bodies, valid or not
/// - `laketap_records_rejected_total{stream,reason}`: records the front door refused (the pipeline counts
///   what it accepts, `laketap_records_accepted_total`)
/// - `laketap_ingest_bytes_total{stream}`: request body bytes after decompression
struct ServerMetrics: Sendable {
    private let factory: any MetricsFactory

    init(factory: any MetricsFactory) {
        self.factory = factory
    }

    func request(route: String, status: Int, nanoseconds: Int64) {
        Counter(
            label: "laketap_http_requests_total",
            dimensions: [("route", route), ("status", String(status))],
            factory: self.factory
        ).increment()
        Timer(
            label: "laketap_http_request_duration_seconds",
            dimensions: [("route", route)],
            preferredDisplayUnit: .seconds,
            factory: self.factory
        ).recordNanoseconds(nanoseconds)
    }

    /// Counts a body the pipeline took: its records and bytes, and the records refused by reason.
    func ingested(stream: String, records: Int, decompressedBytes: Int, rejectedByReason: [String: Int]) {
        Counter(label: "laketap_records_received_total", dimensions: [("stream", stream)], factory: self.factory)
            .increment(by: records)
        Counter(label: "laketap_ingest_bytes_total", dimensions: [("stream", stream)], factory: self.factory)
            .increment(by: decompressedBytes)
        for (reason, count) in rejectedByReason {
            Counter(
                label: "laketap_records_rejected_total",
                dimensions: [("stream", stream), ("reason", reason)],
                factory: self.factory
            ).increment(by: count)
        }
    }
}
