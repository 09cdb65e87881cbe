import Hummingbird
import LaketapPipeline

/// The answer to a flush request: what the flush wrote.
///
/// ```json
/// {"stream": "events", "records": 1200, "records_rejected": 3, "files": ["events/date=…/….parquet"], "bytes": 48213}
/// ```
struct FlushResponse: ResponseEncodable, Equatable {
    var stream: String
    var records: Int
    var recordsRejected: Int
    var files: [String]
    var bytes: Int64

    enum CodingKeys: String, CodingKey {
        case stream
        case records
        case recordsRejected = "records_rejected"
        case files
        case bytes
    }

    init(_ report: FlushReport) {
        self.stream = report.stream
        self.records = report.records
        self.recordsRejected = report.recordsRejected
        self.files = report.files
        self.bytes = report.bytes
    }
}
