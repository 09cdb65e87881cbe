import CBrotli
import CLZ4
import CSnappy
import CZlib
import CZstd

/// Compresses page bodies with one ``Compression``, reusing its C contexts across pages.
///
/// One compressor belongs to one column writer: it holds a `ZSTD_CCtx`, a deflate stream or an LZ4 state,
/// freed in `deinit`, and is not `Sendable`. Each call reserves the codec's worst-case bound at the end of
/// `output`, compresses straight into it and trims the rest, so a warm call allocates nothing (Brotli, which
/// has no reusable encoder, allocates inside libbrotli).
final class PageCompressor {
    private enum Backend {
        case uncompressed
        case snappy
        case gzip(UnsafeMutablePointer<z_stream>)
        case zstd(OpaquePointer)
        case lz4Raw(UnsafeMutableRawPointer)
        case brotli(quality: Int32)
    }

    /// The compression this compressor applies.
    let compression: Compression
    private let backend: Backend
    /// The zstd settings the next frames are made with (see ``use(_:)``).
    private(set) var tier = CompressionTier.configured
    /// The sequences buffer of ``CompressionTier/literalValues``.
    private var valueSequences = ValueLiteralSequences()
    /// The frame writer of ``CompressionTier/literalValues`` for pages of hex digits.
    private var hexDigestFrame = HexDigestFrame()

    /// Creates the codec contexts for `compression`.
    ///
    /// - Throws: ``ParquetError/Code/invalidArgument`` for a level out of range, ``ParquetError/Code/compression``
    ///   when the C library cannot create its context.
    init(_ compression: Compression) throws(ParquetError) {
        self.compression = compression
        switch compression {
        case .uncompressed:
            self.backend = .uncompressed
        case .snappy:
            self.backend = .snappy
        case .gzip(let level):
            guard Compression.gzipLevels.contains(level) else {
                throw ParquetError(.invalidArgument, "gzip level \(level) is outside \(Compression.gzipLevels)")
            }
            let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            stream.initialize(to: z_stream())
            // windowBits 15 + 16 asks zlib for a gzip (RFC 1952) wrapper instead of a zlib one.
            let status = deflateInit2_(
                stream,
                Int32(level),
                Z_DEFLATED,
                15 + 16,
                8,
                Z_DEFAULT_STRATEGY,
                zlibVersion(),
                Int32(MemoryLayout<z_stream>.size)
            )
            guard status == Z_OK else {
                stream.deinitialize(count: 1)
                stream.deallocate()
                throw ParquetError(.compression, "deflateInit2 failed with zlib status \(status)")
            }
            self.backend = .gzip(stream)
        case .zstd(let level):
            guard Compression.zstdLevels.contains(level) else {
                throw ParquetError(.invalidArgument, "zstd level \(level) is outside \(Compression.zstdLevels)")
            }
            guard let context = ZSTD_createCCtx() else {
                throw ParquetError(.compression, "ZSTD_createCCtx failed")
            }
            var status = ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, Int32(level))
            // `ZSTD_c_validateSequences` (a macro Swift does not import): sequences given to
            // `ZSTD_compressSequences` (``CompressionTier/literalValues``) are checked, and
            // one out of bounds fails the page instead of making a frame that cannot be decoded.
            if ZSTD_isError(status) == 0 {
                status = ZSTD_CCtx_setParameter(context, ZSTD_c_experimentalParam12, 1)
            }
            guard ZSTD_isError(status) == 0 else {
                ZSTD_freeCCtx(context)
                throw ParquetError(.compression, "zstd level \(level): \(String(cString: ZSTD_getErrorName(status)))")
            }
            self.backend = .zstd(context)
        case .lz4Raw:
            let state = UnsafeMutableRawPointer.allocate(
                byteCount: Int(LZ4_sizeofState()),
                alignment: MemoryLayout<UInt64>.alignment
            )
            self.backend = .lz4Raw(state)
        case .brotli(let quality):
            guard Compression.brotliQualities.contains(quality) else {
                throw ParquetError(
                    .invalidArgument,
                    "brotli quality \(quality) is outside \(Compression.brotliQualities)"
                )
            }
            self.backend = .brotli(quality: Int32(quality))
        }
    }

    deinit {
        switch self.backend {
        case .uncompressed, .snappy, .brotli:
            break
        case .gzip(let stream):
            deflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        case .zstd(let context):
            ZSTD_freeCCtx(context)
        case .lz4Raw(let state):
            state.deallocate()
        }
    }

    /// The zstd context, for zstd.
    var zstdContext: OpaquePointer? {
        if case .zstd(let context) = self.backend { return context }
        return nil
    }

    /// Makes the following frames with `tier`'s settings; no effect without ``Compression/hasCheaperTiers``.
    func use(_ tier: CompressionTier) throws(ParquetError) {
        guard tier != self.tier, self.compression.hasCheaperTiers,
            case .zstd(let context) = self.backend, case .zstd(let level) = self.compression
        else { return }
        try Self.set(context, ZSTD_c_compressionLevel, tier.zstdLevel(configured: Int32(level)))
        try Self.set(
            context,
            CompressionTier.literalCompressionMode,
            tier.zstdLevel(configured: Int32(level)) < 0 ? CompressionTier.huffmanLiterals : 0
        )
        // Parameters set one by one stay over later level changes: 0 gives them back to the level.
        let wide = tier == .wide
        try Self.set(context, ZSTD_c_strategy, wide ? CompressionTier.wideStrategy : 0)
        try Self.set(context, ZSTD_c_windowLog, wide ? CompressionTier.wideWindowLog : 0)
        try Self.set(context, ZSTD_c_hashLog, wide ? CompressionTier.wideHashLog : 0)
        try Self.set(context, ZSTD_c_minMatch, wide ? CompressionTier.wideMinMatch : 0)
        self.tier = tier
    }

    private static func set(_ context: OpaquePointer, _ parameter: ZSTD_cParameter, _ value: Int32) throws(ParquetError)
    {
        let status = ZSTD_CCtx_setParameter(context, parameter, value)
        guard ZSTD_isError(status) == 0 else {
            throw ParquetError(.compression, "zstd parameter: \(String(cString: ZSTD_getErrorName(status)))")
        }
    }

    /// Appends the compressed form of `input` to `output`.
    ///
    /// Produces a raw Snappy block, one gzip member, one zstd frame (with its content size), a bare LZ4 block
    /// or a raw Brotli stream; ``Compression/uncompressed`` appends `input` as is. On error `output` is left as
    /// it was.
    ///
    /// - Throws: ``ParquetError/Code/limitExceeded`` when `input` is larger than the codec accepts (2 GB for
    ///   LZ4), ``ParquetError/Code/compression`` when the codec fails.
    func compress(_ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8]) throws(ParquetError) {
        var scratch: [UInt8] = []
        let written = try self.compress(input, intoPrefixOf: &scratch)
        output.append(contentsOf: scratch[0..<written])
    }

    /// ``compress(_:intoPrefixOf:)`` of a page body with `tier`'s settings (``use(_:)``); with
    /// ``CompressionTier/literalValues``, a body whose PLAIN BYTE_ARRAY values start at `plainByteArraysAt`
    /// is compressed from its ``ValueLiteralSequences``.
    func compress(
        _ input: ArraySlice<UInt8>,
        intoPrefixOf scratch: inout [UInt8],
        tier: CompressionTier,
        plainByteArraysAt: Int? = nil
    ) throws(ParquetError) -> Int {
        try self.use(tier)
        let result: Result<Int, ParquetError> = input.withUnsafeBytes { raw in
            Result { () throws(ParquetError) in
                // `use` took the tier (zstd with cheaper tiers): its level -3 settings are the context's.
                if self.tier == .literalValues, let valuesAt = plainByteArraysAt, valuesAt < raw.count,
                    case .zstd(let context) = self.backend
                {
                    return try self.compressValueLiterals(raw, valuesAt: valuesAt, context: context, into: &scratch)
                }
                return try self.compress(raw, intoPrefixOf: &scratch)
            }
        }
        return try result.get()
    }

    private func compressValueLiterals(
        _ input: UnsafeRawBufferPointer,
        valuesAt: Int,
        context: OpaquePointer,
        into scratch: inout [UInt8]
    ) throws(ParquetError) -> Int {
        let bound = try self.compressBound(input.count)
        scratch.growUninitialized(toCount: bound, keeping: 0)
        let written = scratch.withUnsafeMutableBytes { all in
            let region = UnsafeMutableRawBufferPointer(rebasing: all[0..<bound])
            if let written = self.hexDigestFrame.write(input, valuesAt: valuesAt, into: region) { return written }
            return self.valueSequences.compress(
                input,
                valuesAt: valuesAt,
                context: context,
                into: region
            )
        }
        guard ZSTD_isError(written) == 0 else {
            let name = String(cString: ZSTD_getErrorName(written))
            throw ParquetError(.compression, "ZSTD_compressSequences failed: \(name)")
        }
        return written
    }

    /// Compresses `input` into the start of `scratch` and returns the compressed length; the bytes after
    /// it are left as they are. `scratch` only ever grows (to the codec's bound), so a reused scratch is
    /// written in place instead of being emptied and filled with zeroes for every page.
    func compress(_ input: UnsafeRawBufferPointer, intoPrefixOf scratch: inout [UInt8]) throws(ParquetError) -> Int {
        if case .uncompressed = self.backend {
            scratch.growUninitialized(toCount: input.count, keeping: 0)
            scratch.withUnsafeMutableBytes { $0.copyMemory(from: input) }
            return input.count
        }
        let bound = try self.compressBound(input.count)
        scratch.growUninitialized(toCount: bound, keeping: 0)
        let result: Result<Int, ParquetError> = scratch.withUnsafeMutableBytes { all in
            let region = UnsafeMutableRawBufferPointer(rebasing: all[0..<bound])
            guard input.isEmpty else { return self.compress(input, into: region) }
            // Codecs get a real pointer even for empty input; some reject NULL.
            var byte: UInt8 = 0
            return withUnsafeBytes(of: &byte) { bytes in
                self.compress(UnsafeRawBufferPointer(rebasing: bytes[0..<0]), into: region)
            }
        }
        return try result.get()
    }

    /// The largest output the codec can produce for `count` input bytes.
    func compressBound(_ count: Int) throws(ParquetError) -> Int {
        let bound: Int
        switch self.backend {
        case .uncompressed:
            bound = count
        case .snappy:
            bound = snappy_max_compressed_length(count)
        case .gzip(let stream):
            // deflateBound covers the gzip header and trailer once the stream was initialised with them.
            bound = Int(deflateBound(stream, UInt(count)))
        case .zstd:
            let value = ZSTD_compressBound(count)
            bound = ZSTD_isError(value) == 0 ? value : 0
        case .lz4Raw:
            bound = count <= Int(LZ4_MAX_INPUT_SIZE) ? Int(LZ4_compressBound(Int32(count))) : 0
        case .brotli:
            bound = BrotliEncoderMaxCompressedSize(count)
        }
        guard bound > 0 else {
            throw ParquetError(.limitExceeded, "\(self.compression) cannot compress a page of \(count) bytes")
        }
        return bound
    }

    /// Compresses `input` into `region`, which holds at least the codec's bound; returns the bytes written.
    private func compress(
        _ input: UnsafeRawBufferPointer,
        into region: UnsafeMutableRawBufferPointer
    ) -> Result<Int, ParquetError> {
        guard let source = input.baseAddress, let destination = region.baseAddress else {
            return .failure(ParquetError(.compression, "\(self.compression) got a buffer without storage"))
        }
        switch self.backend {
        case .uncompressed:
            destination.copyMemory(from: source, byteCount: input.count)
            return .success(input.count)

        case .snappy:
            var written = region.count
            let status = snappy_compress(
                source.assumingMemoryBound(to: CChar.self),
                input.count,
                destination.assumingMemoryBound(to: CChar.self),
                &written
            )
            guard status == SNAPPY_OK else {
                return .failure(ParquetError(.compression, "snappy_compress failed with status \(status.rawValue)"))
            }
            return .success(written)

        case .gzip(let stream):
            return Self.deflate(stream, input: input, region: region)

        case .zstd(let context):
            let written = ZSTD_compress2(context, destination, region.count, source, input.count)
            guard ZSTD_isError(written) == 0 else {
                let name = String(cString: ZSTD_getErrorName(written))
                return .failure(ParquetError(.compression, "ZSTD_compress2 failed: \(name)"))
            }
            return .success(written)

        case .lz4Raw(let state):
            let written = LZ4_compress_fast_extState(
                state,
                source.assumingMemoryBound(to: CChar.self),
                destination.assumingMemoryBound(to: CChar.self),
                Int32(input.count),
                Int32(clamping: region.count),
                1
            )
            guard written > 0 else {
                return .failure(ParquetError(.compression, "LZ4_compress_fast_extState failed"))
            }
            return .success(Int(written))

        case .brotli(let quality):
            var written = region.count
            let status = BrotliEncoderCompress(
                quality,
                BROTLI_DEFAULT_WINDOW,
                BROTLI_MODE_GENERIC,
                input.count,
                source.assumingMemoryBound(to: UInt8.self),
                &written,
                destination.assumingMemoryBound(to: UInt8.self)
            )
            guard status == BROTLI_TRUE else {
                return .failure(ParquetError(.compression, "BrotliEncoderCompress failed"))
            }
            return .success(written)
        }
    }

    /// Runs one gzip member through the reusable deflate stream; `region` holds at least `deflateBound`.
    private static func deflate(
        _ stream: UnsafeMutablePointer<z_stream>,
        input: UnsafeRawBufferPointer,
        region: UnsafeMutableRawBufferPointer
    ) -> Result<Int, ParquetError> {
        // zlib counts in 32-bit `uInt`; feed larger pages in slices.
        let chunk = Int(UInt32.max)
        var consumed = 0
        var produced = 0
        defer { CZlib.deflateReset(stream) }
        while true {
            let inputSlice = min(input.count - consumed, chunk)
            let outputSlice = min(region.count - produced, chunk)
            stream.pointee.next_in = UnsafeMutablePointer(
                mutating: input.baseAddress.map { ($0 + consumed).assumingMemoryBound(to: Bytef.self) }
            )
            stream.pointee.avail_in = UInt32(inputSlice)
            stream.pointee.next_out = region.baseAddress.map { ($0 + produced).assumingMemoryBound(to: Bytef.self) }
            stream.pointee.avail_out = UInt32(outputSlice)
            let isLast = consumed + inputSlice == input.count
            let status = CZlib.deflate(stream, isLast ? Z_FINISH : Z_NO_FLUSH)
            consumed += inputSlice - Int(stream.pointee.avail_in)
            produced += outputSlice - Int(stream.pointee.avail_out)
            if status == Z_STREAM_END {
                return .success(produced)
            }
            guard status == Z_OK, produced < region.count else {
                return .failure(ParquetError(.compression, "deflate failed with zlib status \(status)"))
            }
        }
    }
}

extension Compression {
    /// zstd above level 1 has cheaper tiers to try (``CompressionTier``).
    var hasCheaperTiers: Bool {
        if case .zstd(let level) = self { return level > 1 }
        return false
    }

    /// zstd from level 3 up also has ``CompressionTier/wide``, whose `fast` strategy is cheaper than the
    /// level's own.
    var hasWideTier: Bool {
        if case .zstd(let level) = self { return level > 2 }
        return false
    }
}
