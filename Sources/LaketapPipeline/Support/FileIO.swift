#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed file-system call, naming the path and the system's reason.
struct FileIOError: Error, CustomStringConvertible {
    var message: String
    var description: String { self.message }

    static func last(_ what: String, _ path: String) -> FileIOError {
        FileIOError(message: "\(what) '\(path)': \(String(cString: strerror(errno)))")
    }
}

/// The POSIX calls of the write-ahead log and the flusher. They block: callers run them on the
/// NIO thread pool (``BlockingIO``), never on the cooperative pool.
enum FileIO {
    /// `mkdir -p`.
    static func makeDirectories(_ path: String) throws(FileIOError) {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) != 0 && errno != EEXIST { throw .last("cannot create directory", current) }
        }
    }

    /// The names in a directory (without `.` and `..`); empty when it does not exist.
    static func listDirectory(_ path: String) throws(FileIOError) -> [String] {
        guard let directory = opendir(path) else {
            if errno == ENOENT { return [] }
            throw .last("cannot list directory", path)
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    static func isDirectory(_ path: String) -> Bool {
        var information = stat()
        return stat(path, &information) == 0 && (information.st_mode & S_IFMT) == S_IFDIR
    }

    /// Creates a file that must not exist yet, for appending.
    static func create(_ path: String) throws(FileIOError) -> Int32 {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .last("cannot create", path) }
        return descriptor
    }

    static func write(_ descriptor: Int32, _ bytes: [UInt8], path: String) throws(FileIOError) {
        let failed = bytes.withUnsafeBytes { raw -> Bool in
            guard var base = raw.baseAddress else { return false }
            var remaining = raw.count
            while remaining > 0 {
                let written = Glibc.write(descriptor, base, remaining)
                if written < 0 {
                    if errno == EINTR { continue }
                    return true
                }
                remaining -= written
                base += written
            }
            return false
        }
        if failed { throw .last("cannot write", path) }
    }

    static func synchronize(_ descriptor: Int32, path: String) throws(FileIOError) {
        guard fsync(descriptor) == 0 else { throw .last("cannot fsync", path) }
    }

    static func truncate(_ descriptor: Int32, to size: Int, path: String) throws(FileIOError) {
        guard ftruncate(descriptor, off_t(size)) == 0 else { throw .last("cannot truncate", path) }
    }

    static func truncate(_ path: String, to size: Int) throws(FileIOError) {
        guard Glibc.truncate(path, off_t(size)) == 0 else { throw .last("cannot truncate", path) }
    }

    static func close(_ descriptor: Int32) {
        _ = Glibc.close(descriptor)
    }

    /// Reads a whole file.
    static func read(_ path: String) throws(FileIOError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .last("cannot open", path) }
        defer { _ = Glibc.close(descriptor) }
        var information = stat()
        guard fstat(descriptor, &information) == 0 else { throw .last("cannot stat", path) }
        let size = Int(information.st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        var filled = 0
        while filled < size {
            // `filled < size`, so the buffer is not empty and has a base address.
            let count = bytes.withUnsafeMutableBytes { raw in
                Glibc.read(descriptor, raw.baseAddress! + filled, size - filled)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw .last("cannot read", path)
            }
            if count == 0 { break }
            filled += count
        }
        if filled < size { bytes.removeLast(size - filled) }
        return bytes
    }

    /// Removes a file; a missing file is not an error.
    static func remove(_ path: String) throws(FileIOError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw .last("cannot remove", path) }
    }

    /// fsyncs a directory, so that files created, renamed or removed in it stay so after a crash.
    static func synchronizeDirectory(_ path: String) throws(FileIOError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .last("cannot open directory", path) }
        defer { _ = Glibc.close(descriptor) }
        guard fsync(descriptor) == 0 else { throw .last("cannot fsync directory", path) }
    }

    /// Takes an exclusive `flock` on `path` (created if missing) without waiting; returns the open
    /// descriptor that holds it, or nil when another process (or pipeline) holds it.
    static func lock(_ path: String) throws(FileIOError) -> Int32? {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .last("cannot open", path) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let failure = errno
            _ = Glibc.close(descriptor)
            if failure == EWOULDBLOCK { return nil }
            errno = failure
            throw .last("cannot lock", path)
        }
        return descriptor
    }

    /// Microseconds since the Unix epoch, from the wall clock.
    static func nowMicroseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1_000_000 + Int64(time.tv_nsec) / 1_000
    }
}
