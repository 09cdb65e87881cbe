import Synchronization

/// One compression of a column's level trial (``ColumnChunkWriter``) started on a ``ColumnTaskRunner``
/// thread while the writer's own thread compresses the same page with another tier; like a
/// ``PendingPage``, whichever thread comes first runs it, so the writer never waits for a task that has
/// not started.
///
/// The frame is the same bytes wherever it is compressed: a zstd frame depends only on the input, the
/// level and the tier's parameters.
final class PendingFrame: Sendable {
    private enum State: Sendable {
        case waiting
        case done(Result<Frame, ParquetError>)
    }

    /// The compressed page at the start of `bytes`; with a measured prefix, the bytes of the frame that
    /// hold it (``PageCompressor/compress(_:intoPrefixOf:tier:measuringPrefix:)``).
    struct Frame: Sendable {
        var bytes: [UInt8]
        var size: Int
        var prefixSize: Int?
    }

    private let input: ArraySlice<UInt8>
    private let compression: Compression
    private let tier: CompressionTier
    private let measuredPrefix: Int?
    private let state = Mutex<State>(.waiting)

    init(_ input: ArraySlice<UInt8>, compression: Compression, tier: CompressionTier, measuringPrefix: Int? = nil) {
        self.input = input
        self.compression = compression
        self.tier = tier
        self.measuredPrefix = measuringPrefix
    }

    /// The frame, compressing the page now unless another thread has; a second caller waits for the
    /// first one's result.
    func resolve() -> Result<Frame, ParquetError> {
        self.state.withLock { self.resolve(&$0) }
    }

    /// Compresses the page now unless another thread is compressing it or has: the runner's task, which
    /// has nothing to wait for when the writer has taken the frame over.
    func compressUnlessStarted() {
        _ = self.state.withLockIfAvailable { self.resolve(&$0) }
    }

    private func resolve(_ state: inout State) -> Result<Frame, ParquetError> {
        if case .done(let result) = state { return result }
        // A context of its own, freed with the frame: a scratch from the pool would stay in the pool
        // with the page-sized buffers it grows later (two-core logs peak RSS up to 240 MiB, from 226).
        let result = Result { () throws(ParquetError) -> Frame in
            var bytes: [UInt8] = []
            let compressor = try PageCompressor(self.compression)
            if let prefix = self.measuredPrefix {
                let sizes = try compressor.compress(
                    self.input,
                    intoPrefixOf: &bytes,
                    tier: self.tier,
                    measuringPrefix: prefix
                )
                return Frame(bytes: bytes, size: sizes.size, prefixSize: sizes.prefixSize)
            }
            let size = try compressor.compress(self.input, intoPrefixOf: &bytes, tier: self.tier)
            return Frame(bytes: bytes, size: size)
        }
        state = .done(result)
        return result
    }
}

extension PageCompressionOffload {
    /// Starts compressing `input` with `tier` on the runner's first free thread (measuring the frame of
    /// its first `measuringPrefix` bytes too, when given); nil without a runner.
    func frameSoon(
        _ input: ArraySlice<UInt8>,
        compression: Compression,
        tier: CompressionTier,
        measuringPrefix: Int? = nil
    ) -> PendingFrame? {
        guard let runner = self.runner else { return nil }
        let frame = PendingFrame(input, compression: compression, tier: tier, measuringPrefix: measuringPrefix)
        runner.submit { frame.compressUnlessStarted() }
        return frame
    }
}
