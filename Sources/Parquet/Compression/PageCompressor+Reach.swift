import CZstd

extension PageCompressor {
    /// How far back the configured zstd level's matches reach on a page of `pageBytes`: its window (2 MiB
    /// at level 3), or nil when that covers the page. Within it, the configured level and
    /// ``CompressionTier/wide`` differ only in how they search for matches; past it, the wide tier alone
    /// still finds them, so where its frame of the page's first `reach` bytes is no larger than the
    /// level's, its frame of the whole page is not either (``ColumnChunkWriter``'s level trial).
    static func configuredReach(_ compression: Compression, pageBytes: Int) -> Int? {
        guard case .zstd(let level) = compression else { return nil }
        let parameters = ZSTD_getCParams(Int32(level), UInt64(pageBytes), 0)
        let reach = 1 << Int(parameters.windowLog)
        return reach < pageBytes ? reach : nil
    }

    /// ``compress(_:intoPrefixOf:tier:plainByteArraysAt:)`` for zstd, which also tells how many bytes of
    /// the frame hold its input's first `prefix` bytes: the frame ends a block there, and blocks end
    /// there anyway when `prefix` is a multiple of zstd's 128 KiB blocks (a power of two from 128 KiB
    /// up, as a window is), so the frame is the one the page gets without it.
    func compress(
        _ input: ArraySlice<UInt8>,
        intoPrefixOf scratch: inout [UInt8],
        tier: CompressionTier,
        measuringPrefix prefix: Int
    ) throws(ParquetError) -> (size: Int, prefixSize: Int) {
        try self.use(tier)
        guard let context = self.zstdContext, prefix > 0, prefix < input.count else {
            throw ParquetError(.compression, "\(self.compression): no prefix of \(prefix) bytes in \(input.count)")
        }
        let bound = try self.compressBound(input.count)
        scratch.growUninitialized(toCount: bound, keeping: 0)
        let result: Result<(Int, Int), ParquetError> = input.withUnsafeBytes { source in
            scratch.withUnsafeMutableBytes { output in
                Self.streamFrame(
                    context,
                    source,
                    prefix: prefix,
                    into: UnsafeMutableRawBufferPointer(rebasing: output[0..<bound])
                )
            }
        }
        return try result.get()
    }

    /// One frame of `source` with the context's parameters, flushed after `prefix` bytes; the context
    /// reads the input and writes the output in place (zstd's stable buffers), as `ZSTD_compress2` does.
    private static func streamFrame(
        _ context: OpaquePointer,
        _ source: UnsafeRawBufferPointer,
        prefix: Int,
        into output: UnsafeMutableRawBufferPointer
    ) -> Result<(Int, Int), ParquetError> {
        func failed(_ code: Int) -> Bool { ZSTD_isError(code) != 0 }
        func failure(_ code: Int) -> Result<(Int, Int), ParquetError> {
            .failure(
                ParquetError(.compression, "ZSTD_compressStream2 failed: \(String(cString: ZSTD_getErrorName(code)))")
            )
        }
        // `ZSTD_c_stableInBuffer` and `ZSTD_c_stableOutBuffer` (macros Swift does not import); back to the
        // defaults after the frame, which `ZSTD_compress2` and `ZSTD_compressSequences` expect.
        let stableIn = ZSTD_c_experimentalParam9
        let stableOut = ZSTD_c_experimentalParam10
        defer {
            ZSTD_CCtx_reset(context, ZSTD_reset_session_only)
            ZSTD_CCtx_setParameter(context, stableIn, 0)
            ZSTD_CCtx_setParameter(context, stableOut, 0)
        }
        for status in [
            ZSTD_CCtx_reset(context, ZSTD_reset_session_only),
            ZSTD_CCtx_setPledgedSrcSize(context, UInt64(source.count)),
            ZSTD_CCtx_setParameter(context, stableIn, 1),
            ZSTD_CCtx_setParameter(context, stableOut, 1),
        ] where failed(status) {
            return failure(status)
        }
        var input = ZSTD_inBuffer(src: source.baseAddress, size: prefix, pos: 0)
        var frame = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
        var prefixSize = 0
        for directive in [ZSTD_e_flush, ZSTD_e_end] {
            while true {
                let remaining = ZSTD_compressStream2(context, &frame, &input, directive)
                if failed(remaining) { return failure(remaining) }
                if remaining == 0 { break }
            }
            if directive == ZSTD_e_flush {
                prefixSize = frame.pos
                input.size = source.count
            }
        }
        return .success((frame.pos, prefixSize))
    }
}
