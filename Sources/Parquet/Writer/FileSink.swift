internal import CSyscalls

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Writes the file to a path with POSIX calls, optionally fsync'ing it on ``finish()``.
///
/// When it fsyncs, it also starts the writeback of every ``writebackStep`` bytes as they are written
/// (`sync_file_range`), so the disk works while the file is still being encoded and the final fsync
/// waits for the last step only: for a 66 MB file, 5 ms instead of 41–57 ms at the end of a two-core
/// conversion of under two seconds.
public struct FileSink: ParquetSink {
    public let path: String
    private var descriptor: Int32
    private let synchronize: Bool
    /// Bytes written so far, and how many of them writeback was started for.
    private var written = 0
    private(set) var writebackStarted = 0
    static var writebackStep: Int { 8 << 20 }

    /// Creates (or truncates) the file at `path`.
    public init(path: String, synchronize: Bool = false) throws(ParquetError) {
        self.path = path
        self.synchronize = synchronize
        self.descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard self.descriptor >= 0 else {
            throw ParquetError(.io, "cannot create '\(path)': \(Self.lastError())")
        }
    }

    public mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard var base = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = Glibc.write(self.descriptor, base, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                throw ParquetError(.io, "cannot write '\(self.path)': \(Self.lastError())")
            }
            remaining -= written
            base += written
        }
        self.written += bytes.count
        if self.synchronize && self.written - self.writebackStarted >= Self.writebackStep {
            // A hint: a failure here shows again in the fsync that `finish()` checks.
            _ = laketap_start_writeback(
                self.descriptor,
                Int64(self.writebackStarted),
                Int64(self.written - self.writebackStarted)
            )
            self.writebackStarted = self.written
        }
    }

    public mutating func finish() throws {
        guard self.descriptor >= 0 else { return }
        defer {
            close(self.descriptor)
            self.descriptor = -1
        }
        if self.synchronize && fsync(self.descriptor) != 0 {
            throw ParquetError(.io, "cannot fsync '\(self.path)': \(Self.lastError())")
        }
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}
