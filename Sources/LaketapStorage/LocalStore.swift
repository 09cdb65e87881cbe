public import Metrics

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Objects as files under a root directory: key `a/b/c.parquet` is the file `<root>/a/b/c.parquet`.
///
/// A put writes a hidden temporary file in the target directory (`.<name>.<random>.laketap-tmp`),
/// fsyncs it, moves it into place and fsyncs the directory, so readers see the whole file or none
/// and the file survives a power loss once `put` returns. With ``PutOptions/ifAbsent`` the move is
/// `link(2)`, which fails atomically when the name exists: there is no check-then-rename race.
/// Directories are created as needed. Blocking calls run on NIO's thread pool.
public struct LocalStore: ObjectStore {
    /// Size of the chunks a ``ObjectBody/file(path:)`` body is copied in.
    static let copyChunkBytes = 1 << 20
    static let temporarySuffix = ".laketap-tmp"

    public let root: String
    private let metrics: StoreMetrics

    /// - Parameters:
    ///   - root: the directory that holds the objects; created on the first put.
    ///   - metricsFactory: where `laketap_store_*` metrics go (dimension `store=local`).
    public init(root: String, metricsFactory: any MetricsFactory = MetricsSystem.factory) {
        var root = root
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        self.root = root.isEmpty ? "." : root
        self.metrics = StoreMetrics(store: "local", factory: metricsFactory)
    }

    public var location: String {
        self.root.hasPrefix("/") ? "file://\(self.root)" : "file:\(self.root)"
    }

    @discardableResult
    public func put(_ key: String, body: ObjectBody, options: PutOptions) async throws(StoreError) -> PutOutcome {
        let path = try self.path(for: key)
        return try await self.metrics.measure(.put) { () async throws(StoreError) -> PutOutcome in
            try await POSIXFile.offload { () throws(StoreError) -> PutOutcome in
                try Self.write(body, to: path, key: key, ifAbsent: options.ifAbsent)
            }
        }
    }

    public func get(_ key: String) async throws(StoreError) -> [UInt8] {
        let path = try self.path(for: key)
        return try await self.metrics.measure(.get) { () async throws(StoreError) -> [UInt8] in
            try await POSIXFile.offload { () throws(StoreError) -> [UInt8] in
                let file = try POSIXFile(path: path, flags: O_RDONLY, key: key)
                let size = try file.size()
                do throws(StoreError) {
                    return try file.read(count: Int(size), at: 0)
                } catch {
                    throw StoreError(error.kind == .invalidRequest ? .notFound : error.kind, key: key, error.message)
                }
            }
        }
    }

    public func head(_ key: String) async throws(StoreError) -> ObjectInfo? {
        let path = try self.path(for: key)
        return try await self.metrics.measure(.head) { () async throws(StoreError) -> ObjectInfo? in
            try await POSIXFile.offload { () throws(StoreError) -> ObjectInfo? in
                var status = stat()
                guard stat(path, &status) == 0 else {
                    if errno == ENOENT || errno == ENOTDIR { return nil }
                    throw POSIXFile.error(errno, key: key, "cannot stat '\(path)'")
                }
                guard (status.st_mode & S_IFMT) == S_IFREG else { return nil }
                return ObjectInfo(key: key, size: Int64(status.st_size))
            }
        }
    }

    public func list(prefix: String) async throws(StoreError) -> [ObjectInfo] {
        try ObjectKey.validatePrefix(prefix)
        let root = self.root
        return try await self.metrics.measure(.list) { () async throws(StoreError) -> [ObjectInfo] in
            try await POSIXFile.offload { () throws(StoreError) -> [ObjectInfo] in
                // Start at the deepest directory the prefix names; it need not exist.
                let directoryKey = prefix.utf8.lastIndex(of: UInt8(ascii: "/")).map { String(prefix[..<$0]) } ?? ""
                var objects: [ObjectInfo] = []
                try Self.walk(root: root, directoryKey: directoryKey, into: &objects)
                objects.removeAll { !$0.key.utf8.starts(with: prefix.utf8) }
                objects.sort { ObjectKey.precedes($0.key, $1.key) }
                return objects
            }
        }
    }

    public func delete(_ key: String) async throws(StoreError) {
        let path = try self.path(for: key)
        try await self.metrics.measure(.delete) { () async throws(StoreError) in
            let root = self.root
            try await POSIXFile.offload { () throws(StoreError) in
                guard unlink(path) == 0 || errno == ENOENT || errno == ENOTDIR else {
                    throw POSIXFile.error(errno, key: key, "cannot delete '\(path)'")
                }
                Self.removeEmptyParents(of: path, below: root)
            }
        }
    }

    private func path(for key: String) throws(StoreError) -> String {
        try ObjectKey.validate(key)
        return "\(self.root)/\(key)"
    }
}

// MARK: Blocking work (runs on the thread pool)

extension LocalStore {
    private static func write(
        _ body: ObjectBody,
        to path: String,
        key: String,
        ifAbsent: Bool
    ) throws(StoreError) -> PutOutcome {
        let slash = path.utf8.lastIndex(of: UInt8(ascii: "/"))!
        let directory = String(path[..<slash])
        let name = String(path[path.utf8.index(after: slash)...])
        // A cheap early answer that saves copying a large file; link(2) below is what makes it atomic.
        if ifAbsent && access(path, F_OK) == 0 {
            return .alreadyExists
        }
        var created: [String] = []
        let random = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let temporary = "\(directory)/.\(name).\(random)\(Self.temporarySuffix)"
        do throws(StoreError) {
            // A delete of the directory's last object removes the directory: should that happen between
            // creating it and creating the temporary file, create it again.
            for attempt in 1...3 {
                created += try Self.makeDirectories(directory, key: key)
                do throws(StoreError) {
                    try Self.writeSynchronized(body, to: temporary, key: key)
                    break
                } catch {
                    guard attempt < 3, access(directory, F_OK) != 0 else { throw error }
                }
            }
            if ifAbsent {
                guard link(temporary, path) == 0 else {
                    let code = errno
                    if code == EEXIST {
                        unlink(temporary)
                        return .alreadyExists
                    }
                    throw POSIXFile.error(code, key: key, "cannot link '\(temporary)' to '\(path)'")
                }
                unlink(temporary)
            } else {
                guard rename(temporary, path) == 0 else {
                    throw POSIXFile.error(errno, key: key, "cannot rename '\(temporary)' to '\(path)'")
                }
            }
        } catch {
            unlink(temporary)
            throw error
        }
        try Self.synchronizeDirectory(directory, key: key)
        // A new directory's own entry lives in its parent.
        for createdDirectory in created {
            let parent = createdDirectory.utf8.lastIndex(of: UInt8(ascii: "/")).map { String(createdDirectory[..<$0]) }
            try Self.synchronizeDirectory(parent.map { $0.isEmpty ? "/" : $0 } ?? ".", key: key)
        }
        return .created
    }

    /// Writes the body to a new file and fsyncs it.
    private static func writeSynchronized(_ body: ObjectBody, to path: String, key: String) throws(StoreError) {
        let file = try POSIXFile(path: path, flags: O_WRONLY | O_CREAT | O_EXCL, key: key)
        switch body {
        case .bytes(let bytes):
            try file.write(bytes)
        case .file(let sourcePath):
            let source = try POSIXFile(source: sourcePath, key: key)
            var offset: Int64 = 0
            while true {
                let chunk = try source.read(count: Self.copyChunkBytes, at: offset)
                try file.write(chunk)
                // Start writing this chunk back now: the final fsync then has little left to do, and
                // the file's dirty pages never pile up into one burst that stalls other files' fsyncs
                // (the write-ahead log's acknowledgements) behind the same journal commit.
                file.startWriteback(offset: offset, count: chunk.count)
                offset += Int64(chunk.count)
                if chunk.count < Self.copyChunkBytes { break }
            }
        }
        try file.synchronize()
    }

    /// Removes the directories between `path` and `root` that are empty now, innermost first, so that
    /// a deleted partition's last file takes its directory with it (object stores have none). Stops at
    /// the first directory that is not empty (or cannot be removed); never removes `root`.
    private static func removeEmptyParents(of path: String, below root: String) {
        var directory = path
        while let slash = directory.utf8.lastIndex(of: UInt8(ascii: "/")) {
            directory = String(directory[..<slash])
            guard directory.count > root.count, directory.hasPrefix(root + "/"), rmdir(directory) == 0 else { return }
        }
    }

    /// `mkdir -p`; returns the directories it created, outermost first.
    private static func makeDirectories(_ path: String, key: String) throws(StoreError) -> [String] {
        var created: [String] = []
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/\(component)"
            if mkdir(current, 0o755) == 0 {
                created.append(current)
            } else if errno != EEXIST {
                throw POSIXFile.error(errno, key: key, "cannot create directory '\(current)'")
            }
        }
        return created
    }

    private static func synchronizeDirectory(_ path: String, key: String) throws(StoreError) {
        let directory = try POSIXFile(path: path, flags: O_RDONLY | O_DIRECTORY, key: key)
        try directory.synchronize()
    }

    /// Adds every regular file below `<root>/<directoryKey>` (recursively) to `objects`, skipping
    /// temporary files of puts in progress.
    private static func walk(root: String, directoryKey: String, into objects: inout [ObjectInfo]) throws(StoreError) {
        let path = directoryKey.isEmpty ? root : "\(root)/\(directoryKey)"
        guard let directory = opendir(path) else {
            if errno == ENOENT || errno == ENOTDIR { return }
            throw POSIXFile.error(errno, "cannot list '\(path)'")
        }
        defer { closedir(directory) }
        var subdirectories: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                String(cString: UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
            }
            if name == "." || name == ".." || name.hasSuffix(Self.temporarySuffix) { continue }
            let key = directoryKey.isEmpty ? name : "\(directoryKey)/\(name)"
            var status = stat()
            guard lstat("\(root)/\(key)", &status) == 0 else { continue }  // removed meanwhile
            switch status.st_mode & S_IFMT {
            case S_IFDIR: subdirectories.append(key)
            case S_IFREG: objects.append(ObjectInfo(key: key, size: Int64(status.st_size)))
            default: continue
            }
        }
        for subdirectory in subdirectories {
            try Self.walk(root: root, directoryKey: subdirectory, into: &objects)
        }
    }
}
