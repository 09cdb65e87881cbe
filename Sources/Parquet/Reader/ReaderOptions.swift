/// Options of ``ParquetFileReader``.
public struct ReaderOptions: Sendable, Hashable {
    /// Check each page's CRC-32 when it has one; a mismatch is a `.corrupt` error naming the page.
    public var verifyChecksums = false
    /// Largest page (compressed or not) the reader accepts.
    public var maximumPageSize = 1 << 30
    /// Largest footer the reader accepts.
    public var maximumFooterSize = 256 << 20

    public init() {}
}
