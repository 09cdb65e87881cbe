import Synchronization

/// Lets the column writers of one file compress their large data pages on a ``ColumnTaskRunner``'s
/// threads while they go on encoding, within a budget of uncompressed bytes held for it.
///
/// A page is an independent frame, so where it is compressed changes nothing in the file; what it
/// changes is that the thread writing a batch no longer holds everyone up while it compresses a page
/// of the one column that fills pages fastest (the JSON payloads of the events workload).
///
/// `@unchecked Sendable`: `runner` is set once and only asked to run tasks, and the held bytes are
/// atomic.
final class PageCompressionOffload: @unchecked Sendable {
    /// Pages smaller than this compress in place: a task costs more than it saves.
    static var minimumPageBytes: Int { 256 << 10 }

    /// Weak: a page still waiting when a conversion is abandoned holds this offload, and the runner
    /// (a converter's queue) holds the file writer, which holds the page.
    private(set) weak var runner: (any ColumnTaskRunner)?
    /// Uncompressed bytes that pages waiting for their task may hold together.
    private let budget: Int
    private let held = Atomic<Int>(0)

    init(runner: any ColumnTaskRunner, budget: Int) {
        self.runner = runner
        self.budget = budget
    }

    /// Hands `job` to the runner when its page is large enough and fits the budget, and returns the
    /// page to resolve later; nil means compress it in place.
    func submit(_ job: PendingPage.Job) -> PendingPage? {
        let bytes = job.body.count
        guard bytes >= Self.minimumPageBytes, let runner = self.runner, self.reserve(bytes) else { return nil }
        let page = PendingPage(job, onCompressed: { [self] in self.held.subtract(bytes, ordering: .relaxed) })
        runner.submit { page.compressUnlessStarted() }
        return page
    }

    private func reserve(_ bytes: Int) -> Bool {
        var current = self.held.load(ordering: .relaxed)
        while current + bytes <= self.budget {
            let (exchanged, original) = self.held.compareExchange(
                expected: current,
                desired: current + bytes,
                ordering: .relaxed
            )
            if exchanged { return true }
            current = original
        }
        return false
    }
}

/// A data page whose body is compressed by whichever thread comes first: the runner's task, or the
/// column writer when it needs the page (at the end of the chunk) before the task has run.
final class PendingPage: Sendable {
    /// What compressing the page needs: everything but the compressed body is known already.
    struct Job: Sendable {
        var header: PageHeader
        /// The uncompressed body: the column writer's scratch, or the buffer its encoder built the page
        /// in (``ColumnValueEncoder/lendPage(after:)``), handed over.
        var body: ArraySlice<UInt8>
        var compression: Compression
        var tier: CompressionTier
        /// Where the body's values start when they are PLAIN byte arrays (``CompressionTier/literalValues``).
        var plainByteArraysAt: Int?
        var pageChecksums: Bool

        /// The page's bytes (header and compressed body) and the header's length.
        func run() -> Result<FramedPage, ParquetError> {
            let scratch = PageScratchPool.shared.take()
            defer { PageScratchPool.shared.give(scratch) }
            do throws(ParquetError) {
                let written = try scratch.compressor(for: self.compression).compress(
                    self.body,
                    intoPrefixOf: &scratch.compressed,
                    tier: self.tier,
                    plainByteArraysAt: self.plainByteArraysAt
                )
                var header = self.header
                return .success(
                    try FramedPage(header: &header, body: scratch.compressed[0..<written], checksum: self.pageChecksums)
                )
            } catch {
                return .failure(error)
            }
        }
    }

    private enum State: Sendable {
        case waiting(Job, onCompressed: @Sendable () -> Void)
        case done(Result<FramedPage, ParquetError>)
    }

    /// Held while the page is compressed, so a second caller waits for the first one's result.
    private let state: Mutex<State>

    init(_ job: Job, onCompressed: @escaping @Sendable () -> Void) {
        self.state = Mutex(.waiting(job, onCompressed: onCompressed))
    }

    /// The framed page, compressing it now unless another thread has.
    func resolve() -> Result<FramedPage, ParquetError> {
        self.state.withLock { Self.resolve(&$0) }
    }

    /// Compresses the page now unless another thread is compressing it or has: returns at once then,
    /// without waiting. Lets a column writer compress its chunk's pending pages from the last while a
    /// runner's thread takes them from the first (``ColumnTaskRunner`` tasks run oldest first), so the
    /// writer waits at most for the one page that thread is in.
    func compressUnlessStarted() {
        _ = self.state.withLockIfAvailable { Self.resolve(&$0) }
    }

    private static func resolve(_ state: inout State) -> Result<FramedPage, ParquetError> {
        switch state {
        case .done(let result):
            return result
        case .waiting(let job, let onCompressed):
            let result = job.run()
            state = .done(result)
            onCompressed()
            return result
        }
    }
}

/// A page of a column chunk: framed, or waiting for its body to be compressed.
enum ChunkPage {
    case framed(FramedPage)
    case pending(PendingPage)
}

/// A data page as it goes into the file: its header, with the compressed size and checksum, then its
/// compressed body.
struct FramedPage: Sendable {
    var bytes: [UInt8]
    var headerCount: Int

    /// Frames `body` under `header`, filling in the header's compressed size and, with `checksum`,
    /// its CRC-32.
    init(header: inout PageHeader, body: ArraySlice<UInt8>, checksum: Bool) throws(ParquetError) {
        guard body.count <= Int32.max else {
            throw ParquetError(.limitExceeded, "a compressed page exceeds 2 GiB")
        }
        header.compressedPageSize = Int32(body.count)
        if checksum {
            header.crc = Int32(bitPattern: body.withUnsafeBytes { CRC32.checksum($0) })
        }
        let headerBytes = header.thriftBytes(reservingCapacity: 64)
        var bytes = [UInt8]()
        bytes.reserveCapacity(headerBytes.count + body.count)
        bytes.append(contentsOf: headerBytes)
        bytes.append(contentsOf: body)
        self.bytes = bytes
        self.headerCount = headerBytes.count
    }
}
