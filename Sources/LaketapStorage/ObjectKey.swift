/// The rules every store applies to keys, so that a key accepted by one store is accepted by all.
enum ObjectKey {
    /// Longest key S3 accepts (bytes of UTF-8).
    static let maximumLength = 1024

    /// Checks that `key` is a relative `/`-separated path without `.` or `..` components, empty
    /// components, NUL bytes or a leading `/`.
    static func validate(_ key: String) throws(StoreError) {
        guard !key.isEmpty else {
            throw StoreError(.invalidRequest, key: key, "a key must not be empty")
        }
        guard key.utf8.count <= Self.maximumLength else {
            throw StoreError(.invalidRequest, key: key, "a key must not exceed \(Self.maximumLength) bytes")
        }
        guard !key.utf8.contains(0) else {
            throw StoreError(.invalidRequest, key: key, "a key must not contain NUL")
        }
        guard key.utf8.first != UInt8(ascii: "/") else {
            throw StoreError(.invalidRequest, key: key, "a key must be relative, not start with '/'")
        }
        for component in key.split(separator: "/", omittingEmptySubsequences: false) {
            switch component {
            case "":
                throw StoreError(
                    .invalidRequest,
                    key: key,
                    "a key must not have empty components ('//' or a trailing '/')"
                )
            case ".", "..":
                throw StoreError(.invalidRequest, key: key, "a key must not contain '.' or '..' components")
            default:
                continue
            }
        }
    }

    /// A list prefix may be empty or end in `/`; otherwise it follows the key rules.
    static func validatePrefix(_ prefix: String) throws(StoreError) {
        guard !prefix.isEmpty else { return }
        try Self.validate(prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix)
    }

    /// Key order of every store: bytewise UTF-8, as S3 lists.
    static func precedes(_ left: String, _ right: String) -> Bool {
        left.utf8.lexicographicallyPrecedes(right.utf8)
    }
}
