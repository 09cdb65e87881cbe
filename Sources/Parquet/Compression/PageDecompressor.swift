import CBrotli
import CLZ4
import CSnappy
import CZlib
import CZstd

/// Decompresses page bodies of one ``CompressionCodec``, reusing its C contexts across pages.
///
/// One decompressor belongs to one column reader (it holds a `ZSTD_DCtx` or an inflate stream, freed in `deinit`)
/// and is not `Sendable`. Each call checks the size the page header promises against a limit before it
/// allocates, decompresses straight into `output` and checks that the data inflates to exactly that size.
final class PageDecompressor {
    private enum Backend {
        case uncompressed
        case snappy
        case gzip(UnsafeMutablePointer<z_stream>)
        case zstd(OpaquePointer)
        case lz4Hadoop
        case lz4Raw
        case brotli
    }

    /// The codec this decompressor reads.
    let codec: CompressionCodec
    private let backend: Backend

    /// Creates the codec contexts for `codec`.
    ///
    /// - Throws: ``ParquetError/Code/unsupported`` for LZO, ``ParquetError/Code/compression`` when the C library
    ///   cannot create its context.
    init(_ codec: CompressionCodec) throws(ParquetError) {
        self.codec = codec
        switch codec {
        case .uncompressed:
            self.backend = .uncompressed
        case .snappy:
            self.backend = .snappy
        case .gzip:
            let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            stream.initialize(to: z_stream())
            // windowBits 15 + 32 detects a gzip or a zlib header by itself.
            let status = inflateInit2_(stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
            guard status == Z_OK else {
                stream.deinitialize(count: 1)
                stream.deallocate()
                throw ParquetError(.compression, "inflateInit2 failed with zlib status \(status)")
            }
            self.backend = .gzip(stream)
        case .zstd:
            guard let context = ZSTD_createDCtx() else {
                throw ParquetError(.compression, "ZSTD_createDCtx failed")
            }
            self.backend = .zstd(context)
        case .lz4:
            self.backend = .lz4Hadoop
        case .lz4Raw:
            self.backend = .lz4Raw
        case .brotli:
            self.backend = .brotli
        case .lzo:
            throw ParquetError(.unsupported, "the LZO codec is not supported")
        }
    }

    deinit {
        switch self.backend {
        case .uncompressed, .snappy, .lz4Hadoop, .lz4Raw, .brotli:
            break
        case .gzip(let stream):
            inflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        case .zstd(let context):
            ZSTD_freeDCtx(context)
        }
    }

    /// Appends exactly `uncompressedSize` decompressed bytes of `input` to `output`.
    ///
    /// Reads gzip with several concatenated members (and zlib-wrapped data), zstd with several frames, and the
    /// deprecated LZ4 codec both with Hadoop framing (`[u32 BE uncompressed][u32 BE compressed][block]…`) and as
    /// one bare block. On error `output` is left as it was.
    ///
    /// - Parameters:
    ///   - uncompressedSize: The size the page header promises.
    ///   - maxUncompressedSize: The largest page this call will allocate for; a guard against decompression bombs.
    /// - Throws: ``ParquetError/Code/limitExceeded`` when `uncompressedSize` exceeds `maxUncompressedSize` (checked
    ///   before allocating), ``ParquetError/Code/corrupt`` when the data inflates to a different size or ends
    ///   early, ``ParquetError/Code/compression`` when the codec rejects the data.
    func decompress(
        _ input: UnsafeRawBufferPointer,
        uncompressedSize: Int,
        appendingTo output: inout [UInt8],
        maxUncompressedSize: Int = 1 << 30
    ) throws(ParquetError) {
        guard uncompressedSize >= 0 else {
            throw ParquetError(.corrupt, "\(self.codec) page: negative uncompressed size \(uncompressedSize)")
        }
        guard uncompressedSize <= maxUncompressedSize else {
            throw ParquetError(
                .limitExceeded,
                "\(self.codec) page: uncompressed size \(uncompressedSize) exceeds the limit of \(maxUncompressedSize)"
            )
        }
        if case .uncompressed = self.backend {
            guard input.count == uncompressedSize else {
                throw ParquetError(
                    .corrupt,
                    "uncompressed page: \(input.count) bytes where the header promises \(uncompressedSize)"
                )
            }
            output.append(contentsOf: input)
            return
        }
        if input.isEmpty {
            // No codec sees zero input bytes: an empty page is fine, anything else is truncated.
            guard uncompressedSize == 0 else {
                throw ParquetError(
                    .corrupt,
                    "\(self.codec) page: no compressed bytes where the header promises \(uncompressedSize)"
                )
            }
            return
        }

        // One slack byte past the promised size gives every codec a real pointer and lets it overrun detectably.
        let capacity = uncompressedSize + 1
        let start = output.count
        output.appendZeroBytes(capacity)
        let result: Result<Int, ParquetError> = output.withUnsafeMutableBytes { all in
            let region = UnsafeMutableRawBufferPointer(rebasing: all[start...])
            return self.decompress(input, expected: uncompressedSize, into: region)
        }
        switch result {
        case .success(let written) where written == uncompressedSize:
            output.removeLast(1)
        case .success(let written):
            output.removeLast(capacity)
            let actual = written > uncompressedSize ? "more than \(uncompressedSize)" : "\(written)"
            throw ParquetError(
                .corrupt,
                "\(self.codec) page inflates to \(actual) bytes where the header promises \(uncompressedSize)"
            )
        case .failure(let error):
            output.removeLast(capacity)
            throw error
        }
    }

    /// Decompresses non-empty `input` into `region` (`expected` + 1 bytes); returns the bytes written, which is
    /// more than `expected` when the data is larger than promised.
    private func decompress(
        _ input: UnsafeRawBufferPointer,
        expected: Int,
        into region: UnsafeMutableRawBufferPointer
    ) -> Result<Int, ParquetError> {
        guard let source = input.baseAddress, let destination = region.baseAddress else {
            return .failure(ParquetError(.compression, "\(self.codec) got a buffer without storage"))
        }
        switch self.backend {
        case .uncompressed:
            let count = min(input.count, region.count)
            destination.copyMemory(from: source, byteCount: count)
            return .success(count)

        case .snappy:
            return Self.snappy(input, expected: expected, into: region)

        case .gzip(let stream):
            return Self.inflate(stream, input: input, region: region)

        case .zstd(let context):
            // Decompresses every concatenated frame; fails with dstSize_tooSmall when the data is larger.
            let written = ZSTD_decompressDCtx(context, destination, region.count, source, input.count)
            guard ZSTD_isError(written) == 0 else {
                let name = String(cString: ZSTD_getErrorName(written))
                if written == Self.zstdDestinationTooSmall {
                    return .success(region.count)
                }
                return .failure(ParquetError(.compression, "zstd page: \(name)"))
            }
            return .success(written)

        case .lz4Hadoop:
            if let written = Self.lz4Hadoop(input, expected: expected, source: source, destination: destination) {
                return .success(written)
            }
            // Some old parquet-cpp files wrote a bare block under this codec.
            return Self.lz4Block(input, into: region)

        case .lz4Raw:
            return Self.lz4Block(input, into: region)

        case .brotli:
            return Self.brotli(input, into: region)
        }
    }

    /// `ZSTD_error_dstSize_tooSmall` (70, fixed by `zstd_errors.h`) as `ZSTD_decompressDCtx` returns it: the
    /// negated code in a `size_t`, which Swift imports as `Int`.
    private static let zstdDestinationTooSmall = -70

    /// Raw Snappy block: the varint length prefix must match before anything is written.
    private static func snappy(
        _ input: UnsafeRawBufferPointer,
        expected: Int,
        into region: UnsafeMutableRawBufferPointer
    ) -> Result<Int, ParquetError> {
        let source = input.baseAddress.map { $0.assumingMemoryBound(to: CChar.self) }
        var length = 0
        guard snappy_uncompressed_length(source, input.count, &length) == SNAPPY_OK else {
            return .failure(ParquetError(.compression, "snappy page: invalid length prefix"))
        }
        guard length == expected else {
            return .success(length > expected ? region.count : length)
        }
        var written = region.count
        let status = snappy_uncompress(
            source,
            input.count,
            region.baseAddress.map { $0.assumingMemoryBound(to: CChar.self) },
            &written
        )
        guard status == SNAPPY_OK else {
            return .failure(ParquetError(.compression, "snappy page: invalid data (status \(status.rawValue))"))
        }
        return .success(written)
    }

    /// gzip members (or zlib streams) one after another until the input is consumed.
    private static func inflate(
        _ stream: UnsafeMutablePointer<z_stream>,
        input: UnsafeRawBufferPointer,
        region: UnsafeMutableRawBufferPointer
    ) -> Result<Int, ParquetError> {
        // zlib counts in 32-bit `uInt`; feed larger pages in slices.
        let chunk = Int(UInt32.max)
        var consumed = 0
        var produced = 0
        defer { inflateReset(stream) }
        while true {
            let inputSlice = min(input.count - consumed, chunk)
            let outputSlice = min(region.count - produced, chunk)
            stream.pointee.next_in = UnsafeMutablePointer(
                mutating: input.baseAddress.map { ($0 + consumed).assumingMemoryBound(to: Bytef.self) }
            )
            stream.pointee.avail_in = UInt32(inputSlice)
            stream.pointee.next_out = region.baseAddress.map { ($0 + produced).assumingMemoryBound(to: Bytef.self) }
            stream.pointee.avail_out = UInt32(outputSlice)
            let status = CZlib.inflate(stream, Z_NO_FLUSH)
            consumed += inputSlice - Int(stream.pointee.avail_in)
            produced += outputSlice - Int(stream.pointee.avail_out)
            switch status {
            case Z_STREAM_END:
                guard consumed < input.count else { return .success(produced) }
                // Another member follows.
                inflateReset(stream)
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                // No progress: either the output is full (the data is larger than promised) or the input ended
                // inside a member.
                if produced == region.count {
                    return .success(produced)
                }
                return .failure(ParquetError(.corrupt, "gzip page: the data ends inside a gzip member"))
            default:
                let reason = stream.pointee.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                return .failure(ParquetError(.compression, "gzip page: \(reason)"))
            }
        }
    }

    /// Hadoop framing, `[u32 BE uncompressed][u32 BE compressed][LZ4 block]` repeated; `nil` when the input does
    /// not fit that framing exactly.
    private static func lz4Hadoop(
        _ input: UnsafeRawBufferPointer,
        expected: Int,
        source: UnsafeRawPointer,
        destination: UnsafeMutableRawPointer
    ) -> Int? {
        var offset = 0
        var produced = 0
        while offset < input.count {
            guard input.count - offset >= 8 else { return nil }
            let blockUncompressed = Int(UInt32(bigEndian: input.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            let blockCompressed = Int(
                UInt32(bigEndian: input.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
            )
            offset += 8
            guard
                blockCompressed <= input.count - offset,
                blockUncompressed <= expected - produced,
                blockCompressed <= Int(Int32.max),
                blockUncompressed <= Int(Int32.max)
            else { return nil }
            let written = LZ4_decompress_safe(
                (source + offset).assumingMemoryBound(to: CChar.self),
                (destination + produced).assumingMemoryBound(to: CChar.self),
                Int32(blockCompressed),
                Int32(blockUncompressed)
            )
            guard written == Int32(blockUncompressed) else { return nil }
            offset += blockCompressed
            produced += blockUncompressed
        }
        return produced == expected ? produced : nil
    }

    /// One bare LZ4 block.
    private static func lz4Block(
        _ input: UnsafeRawBufferPointer,
        into region: UnsafeMutableRawBufferPointer
    ) -> Result<Int, ParquetError> {
        guard input.count <= Int(Int32.max) else {
            return .failure(ParquetError(.limitExceeded, "LZ4 page: \(input.count) compressed bytes exceed 2 GiB"))
        }
        let written = LZ4_decompress_safe(
            input.baseAddress.map { $0.assumingMemoryBound(to: CChar.self) },
            region.baseAddress.map { $0.assumingMemoryBound(to: CChar.self) },
            Int32(input.count),
            Int32(clamping: region.count)
        )
        guard written >= 0 else {
            return .failure(ParquetError(.compression, "LZ4 page: invalid block or larger than promised"))
        }
        return .success(Int(written))
    }

    /// A raw Brotli stream, which must end exactly at the end of the input.
    private static func brotli(
        _ input: UnsafeRawBufferPointer,
        into region: UnsafeMutableRawBufferPointer
    ) -> Result<Int, ParquetError> {
        guard let decoder = BrotliDecoderCreateInstance(nil, nil, nil) else {
            return .failure(ParquetError(.compression, "BrotliDecoderCreateInstance failed"))
        }
        defer { BrotliDecoderDestroyInstance(decoder) }
        var availableIn = input.count
        var nextIn = input.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) }
        var availableOut = region.count
        var nextOut = region.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) }
        let status = BrotliDecoderDecompressStream(decoder, &availableIn, &nextIn, &availableOut, &nextOut, nil)
        let produced = region.count - availableOut
        switch status {
        case BROTLI_DECODER_RESULT_SUCCESS:
            guard availableIn == 0 else {
                return .failure(ParquetError(.corrupt, "brotli page: \(availableIn) bytes after the stream"))
            }
            return .success(produced)
        case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT:
            return .success(region.count)
        case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT:
            return .failure(ParquetError(.corrupt, "brotli page: the data ends inside the stream"))
        default:
            let code = BrotliDecoderGetErrorCode(decoder)
            let name = BrotliDecoderErrorString(code).map { String(cString: $0) } ?? "error \(code.rawValue)"
            return .failure(ParquetError(.compression, "brotli page: \(name)"))
        }
    }
}
