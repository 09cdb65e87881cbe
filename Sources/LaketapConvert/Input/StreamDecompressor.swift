internal import CZlib
internal import CZstd

/// Streaming decompression of gzip (and zlib) or zstd input, detected from the first bytes.
public final class StreamDecompressor {
    public enum Format: Sendable {
        case none
        case gzip
        case zstd
    }

    public let format: Format
    private var zlib = z_stream()
    private var zstd: OpaquePointer?
    /// Whether input ended inside a gzip member / zstd frame so far (see ``finish()``).
    private var inGzipMember = false
    private var zstdFrameOpen = false
    private var output = [UInt8](repeating: 0, count: 1 << 20)

    /// The format of input that starts with `prefix` (at least 4 bytes when available).
    public static func detect(_ prefix: [UInt8]) -> Format {
        if prefix.count >= 2 && prefix[0] == 0x1F && prefix[1] == 0x8B { return .gzip }
        if prefix.count >= 4 && prefix[0] == 0x28 && prefix[1] == 0xB5 && prefix[2] == 0x2F && prefix[3] == 0xFD {
            return .zstd
        }
        return .none
    }

    public init(format: Format) throws(ConvertError) {
        self.format = format
        switch format {
        case .none:
            break
        case .gzip:
            // 15 + 32: gzip or zlib header, detected; concatenated members are handled in `decompress`.
            guard inflateInit2_(&self.zlib, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                throw ConvertError(.input, "cannot start a gzip decompressor")
            }
        case .zstd:
            guard let context = ZSTD_createDStream() else {
                throw ConvertError(.input, "cannot start a zstd decompressor")
            }
            ZSTD_initDStream(context)
            self.zstd = context
        }
    }

    deinit {
        if self.format == .gzip { inflateEnd(&self.zlib) }
        if let zstd { ZSTD_freeDStream(zstd) }
    }

    /// Decompresses `input`, calling `body` with each piece of output.
    public func decompress(_ input: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        switch self.format {
        case .none:
            try body(input)
        case .gzip:
            guard let base = input.baseAddress, input.count > 0 else { return }
            self.zlib.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
            self.zlib.avail_in = uInt(input.count)
            // Also go on while the output filled up: zlib may hold more output for the same input.
            var outputFull = false
            while self.zlib.avail_in > 0 || outputFull {
                let before = self.zlib.avail_in
                let produced: Int = try self.output.withUnsafeMutableBytes { out in
                    self.zlib.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    self.zlib.avail_out = uInt(out.count)
                    let status = inflate(&self.zlib, Z_NO_FLUSH)
                    let produced = out.count - Int(self.zlib.avail_out)
                    if status == Z_STREAM_END {
                        // Another gzip member may follow (concatenated .gz files).
                        inflateReset(&self.zlib)
                        self.inGzipMember = false
                    } else if status != Z_OK && status != Z_BUF_ERROR {
                        throw ConvertError(.input, "gzip input is damaged (zlib status \(status))")
                    } else if self.zlib.avail_in < before || produced > 0 {
                        self.inGzipMember = true
                    }
                    outputFull = self.zlib.avail_out == 0
                    return produced
                }
                if produced > 0 {
                    try self.output.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<produced])) }
                }
                if produced == 0 && self.zlib.avail_in == before { break }
            }
        case .zstd:
            guard let context = self.zstd else { return }
            var inBuffer = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
            try self.decompressZstd(context, &inBuffer, body)
        }
    }

    /// Decompresses until the input is consumed and zstd has no more output for it.
    private func decompressZstd(
        _ context: OpaquePointer,
        _ inBuffer: inout ZSTD_inBuffer,
        _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        while true {
            var outputFull = false
            let produced: Int = try self.output.withUnsafeMutableBytes { out in
                var outBuffer = ZSTD_outBuffer(dst: out.baseAddress, size: out.count, pos: 0)
                let result = ZSTD_decompressStream(context, &outBuffer, &inBuffer)
                if ZSTD_isError(result) != 0 {
                    throw ConvertError(
                        .input,
                        "zstd input is damaged: \(String(cString: ZSTD_getErrorName(result)))"
                    )
                }
                // 0: a frame is complete and flushed; otherwise more input is expected.
                self.zstdFrameOpen = result != 0
                outputFull = outBuffer.pos == out.count
                return outBuffer.pos
            }
            if produced > 0 {
                try self.output.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<produced])) }
            }
            if inBuffer.pos >= inBuffer.size && !outputFull { return }
        }
    }

    /// Checks that the input ended where a gzip member or zstd frame ends: a body or file cut short
    /// is an error, not a silently shorter input.
    public func finish() throws(ConvertError) {
        switch self.format {
        case .none:
            return
        case .gzip:
            if self.inGzipMember { throw ConvertError(.input, "gzip input ends in the middle of a member (truncated)") }
        case .zstd:
            if self.zstdFrameOpen { throw ConvertError(.input, "zstd input ends in the middle of a frame (truncated)") }
        }
    }
}
