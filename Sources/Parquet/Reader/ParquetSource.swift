#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Random-access bytes of a Parquet file.
public protocol ParquetSource {
    var size: Int64 { get }
    /// Exactly `count` bytes at `offset`, or an error.
    func read(offset: Int64, count: Int) throws(ParquetError) -> [UInt8]
}

/// A file in memory.
public struct MemorySource: ParquetSource, Sendable {
    public let bytes: [UInt8]

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public var size: Int64 { Int64(self.bytes.count) }

    public func read(offset: Int64, count: Int) throws(ParquetError) -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= self.size, Int64(count) <= self.size - offset else {
            throw ParquetError(
                .corrupt,
                "a read of \(count) bytes at offset \(offset) runs past the end of the \(self.size)-byte file"
            )
        }
        return Array(self.bytes[Int(offset)..<(Int(offset) + count)])
    }
}

/// A file on disk, read with `pread`; the descriptor is closed on deinit.
public final class FileSource: ParquetSource {
    public let path: String
    public let size: Int64
    private let descriptor: Int32

    public init(path: String) throws(ParquetError) {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ParquetError(.io, "cannot open '\(path)': \(String(cString: strerror(errno)))")
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            close(descriptor)
            throw ParquetError(.io, "cannot stat '\(path)': \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            throw ParquetError(.io, "'\(path)' is not a regular file")
        }
        self.descriptor = descriptor
        self.size = Int64(status.st_size)
    }

    deinit {
        close(self.descriptor)
    }

    public func read(offset: Int64, count: Int) throws(ParquetError) -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= self.size, Int64(count) <= self.size - offset else {
            throw ParquetError(
                .corrupt,
                "a read of \(count) bytes at offset \(offset) runs past the end of '\(self.path)' (\(self.size) bytes)"
            )
        }
        var result = [UInt8](repeating: 0, count: count)
        var done = 0
        var failure: ParquetError?
        result.withUnsafeMutableBytes { buffer in
            while done < count {
                let n = pread(self.descriptor, buffer.baseAddress! + done, count - done, off_t(offset) + off_t(done))
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = ParquetError(.io, "cannot read '\(self.path)': \(String(cString: strerror(errno)))")
                    return
                }
                if n == 0 {
                    failure = ParquetError(.io, "'\(self.path)' ended early (it changed while being read?)")
                    return
                }
                done += n
            }
        }
        if let failure { throw failure }
        return result
    }
}
