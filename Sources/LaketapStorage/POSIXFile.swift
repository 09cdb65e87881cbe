import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An open file descriptor with the few blocking calls the stores need. Callers run it on the
/// thread pool (``POSIXFile/offload(_:)``), never on the cooperative pool.
struct POSIXFile: ~Copyable {
    let descriptor: CInt
    let path: String

    /// Opens `path`; `O_CLOEXEC` is always added.
    init(path: String, flags: CInt, mode: mode_t = 0o644, key: String? = nil) throws(StoreError) {
        let descriptor = open(path, flags | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            throw POSIXFile.error(errno, key: key, "cannot open '\(path)'")
        }
        self.descriptor = descriptor
        self.path = path
    }

    /// Opens the source file of a ``ObjectBody/file(path:)`` body. A missing source is the
    /// caller's mistake (`.invalidRequest`), not a missing key (`.notFound`).
    init(source path: String, key: String) throws(StoreError) {
        do throws(StoreError) {
            try self.init(path: path, flags: O_RDONLY, key: key)
        } catch {
            guard error.kind == .notFound else { throw error }
            throw StoreError(.invalidRequest, key: key, "the body's file is missing: \(error.message)")
        }
    }

    deinit {
        close(self.descriptor)
    }

    /// Size in bytes (`fstat`).
    func size() throws(StoreError) -> Int64 {
        var status = stat()
        guard fstat(self.descriptor, &status) == 0 else {
            throw POSIXFile.error(errno, "cannot stat '\(self.path)'")
        }
        return Int64(status.st_size)
    }

    /// Reads up to `count` bytes at `offset`; fewer only at the end of the file.
    func read(count: Int, at offset: Int64) throws(StoreError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let result = bytes.withUnsafeMutableBytes { buffer in
                pread(self.descriptor, buffer.baseAddress! + filled, count - filled, off_t(offset) + off_t(filled))
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw POSIXFile.error(errno, "cannot read '\(self.path)'")
            }
            if result == 0 { break }
            filled += result
        }
        bytes.removeSubrange(filled...)
        return bytes
    }

    /// Writes all of `bytes`.
    func write(_ bytes: [UInt8]) throws(StoreError) {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                systemWrite(self.descriptor, buffer.baseAddress! + written, buffer.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw POSIXFile.error(errno, "cannot write '\(self.path)'")
            }
            written += result
        }
    }

    /// Asks the kernel to start writing a range back without waiting (on Linux,
    /// `POSIX_FADV_DONTNEED` starts writeback of the range's dirty pages); durability still comes from
    /// ``synchronize()``.
    func startWriteback(offset: Int64, count: Int) {
        _ = posix_fadvise(self.descriptor, off_t(offset), off_t(count), POSIX_FADV_DONTNEED)
    }

    func synchronize() throws(StoreError) {
        guard fsync(self.descriptor) == 0 else {
            throw POSIXFile.error(errno, "cannot fsync '\(self.path)'")
        }
    }

    // MARK: Errors and the thread pool

    /// Maps an `errno` to a ``StoreError``: a missing file is `.notFound`, a path that cannot be a
    /// key is `.invalidRequest`, everything else (ENOSPC, EIO, EACCES, …) is `.io`.
    static func error(_ code: CInt, key: String? = nil, _ what: String) -> StoreError {
        let reason = String(cString: strerror(code))
        let kind: StoreError.Kind =
            switch code {
            case ENOENT: .notFound
            case ENAMETOOLONG, ENOTDIR, EISDIR, EINVAL: .invalidRequest
            default: .io
            }
        return StoreError(kind, key: key, "\(what): \(reason)")
    }

    /// Runs blocking file-system work on NIO's thread pool.
    static func offload<Result: Sendable>(
        _ body: @escaping @Sendable () throws(StoreError) -> Result
    ) async throws(StoreError) -> Result {
        do {
            return try await NIOThreadPool.singleton.runIfActive { () throws -> Result in try body() }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.io, "file-system work failed: \(error)")
        }
    }
}

/// `write(2)`, named apart from ``POSIXFile/write(_:)``.
private func systemWrite(_ descriptor: CInt, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
