import Synchronization

/// The buffers a column writer needs only while it encodes and compresses a page.
///
/// `@unchecked Sendable`: a scratch belongs to one column writer between ``PageScratchPool/take()`` and
/// ``PageScratchPool/give(_:)``, so one thread at a time touches it.
final class PageScratch: @unchecked Sendable {
    var body: [UInt8] = []
    var valuesSection: [UInt8] = []
    var compressed: [UInt8] = []
    /// Codec contexts by compression: a zstd context keeps a workspace sized for the largest page it
    /// compressed (a few MiB at level 3), so one per thread rather than one per column.
    private var compressors: [Compression: PageCompressor] = [:]

    func compressor(for compression: Compression) throws(ParquetError) -> PageCompressor {
        if let compressor = self.compressors[compression] { return compressor }
        let compressor = try PageCompressor(compression)
        self.compressors[compression] = compressor
        return compressor
    }
}

/// Page scratch buffers shared by column writers: as many exist as pages are flushed at once (one per
/// thread), not one per column or file, so the memory they keep grows neither with the schema's width
/// nor with the files open at once (a partitioned conversion writes up to 64).
final class PageScratchPool: Sendable {
    /// The pool every ``ParquetFileWriter`` of the process uses.
    static let shared = PageScratchPool()

    private let free = Mutex<[PageScratch]>([])

    func take() -> PageScratch {
        self.free.withLock { $0.popLast() } ?? PageScratch()
    }

    func give(_ scratch: PageScratch) {
        self.free.withLock { $0.append(scratch) }
    }
}
