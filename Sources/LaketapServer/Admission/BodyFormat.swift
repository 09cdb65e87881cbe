/// The content types and encodings the ingest routes take, decided from request headers.
enum BodyFormat {
    /// Media types accepted for records; the body's shape (NDJSON, array, one object) is decided by its content.
    static let acceptedMediaTypes: Set<String> = [
        "application/x-ndjson", "application/jsonl", "application/json", "text/plain",
    ]

    /// Whether a `Content-Type` value is accepted; no header is accepted too. Parameters such as
    /// `charset=utf-8` are ignored.
    static func acceptsContentType(_ value: String?) -> Bool {
        guard let value else { return true }
        let mediaType = value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let trimmed = mediaType.trimmingWhitespace().lowercased()
        return trimmed.isEmpty || Self.acceptedMediaTypes.contains(trimmed)
    }

    /// The compression named by `Content-Encoding` (none, `identity`, `gzip`, `x-gzip` or `zstd`), or `nil`
    /// for any other value, a list of codings included.
    static func encoding(_ value: String?) -> BodyEncoding? {
        guard let value else { return .identity }
        switch value.trimmingWhitespace().lowercased() {
        case "", "identity": return .identity
        case "gzip", "x-gzip": return .gzip
        case "zstd": return .zstd
        default: return nil
        }
    }
}

/// How a request body is compressed.
enum BodyEncoding: String, Sendable {
    case identity
    case gzip
    case zstd
}

extension StringProtocol {
    /// The string without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> Substring {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = self.firstIndex(where: { !isBlank($0) }),
            let last = self.lastIndex(where: { !isBlank($0) })
        else { return "" }
        return Substring(self[first...last])
    }
}
