#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Writes the file to a path with POSIX calls, optionally fsync'ing it on ``finish()``.
public struct FileSink: ParquetSink {
    public let path: String
    private var descriptor: Int32
    private let synchronize: Bool

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
