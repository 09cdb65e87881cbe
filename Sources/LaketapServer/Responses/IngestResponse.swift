import Hummingbird

/// The answer to an ingest request: how many records were taken and why the others were refused.
///
/// ```json
/// {"accepted": 2, "rejected": 1, "errors": [{"index": 1, "code": "malformed_json",
///  "reason": "line 2, byte 17: expected ':' after object key"}], "errors_truncated": false,
///  "first_offset": 40, "last_offset": 41}
/// ```
struct IngestResponse: ResponseEncodable, Equatable {
    struct RecordError: Encodable, Equatable {
        var index: Int
        var code: String
        var reason: String
    }

    var accepted: Int
    var rejected: Int
    /// The first refused records, at most ``ServerConfiguration/maxReportedErrors``.
    var errors: [RecordError]
    /// Whether ``errors`` lists fewer records than ``rejected`` counts.
    var errorsTruncated: Bool
    /// The log offsets of the first and last accepted record; `null` when none was accepted.
    var firstOffset: Int64?
    var lastOffset: Int64?

    enum CodingKeys: String, CodingKey {
        case accepted
        case rejected
        case errors
        case errorsTruncated = "errors_truncated"
        case firstOffset = "first_offset"
        case lastOffset = "last_offset"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.accepted, forKey: .accepted)
        try container.encode(self.rejected, forKey: .rejected)
        try container.encode(self.errors, forKey: .errors)
        try container.encode(self.errorsTruncated, forKey: .errorsTruncated)
        try container.encode(self.firstOffset, forKey: .firstOffset)
        try container.encode(self.lastOffset, forKey: .lastOffset)
    }
}
