public import JSONScan
public import Parquet

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Converts JSON records to a directory of Parquet files partitioned by a ``PartitionTemplate``:
/// `<directory>/<partition path>/part-<n>.parquet`.
///
/// Each record goes to the file open for its partition. At most
/// ``Configuration/maximumOpenPartitions`` files are open; a new partition beyond that finishes the
/// least recently used one, and a later record for that partition opens `part-<n+1>.parquet` in the
/// same directory. Existing files are never overwritten: numbering skips names that exist. Files are
/// written to a hidden temporary name (`.part-<n>.parquet.tmp`), optionally fsync'ed, then renamed.
///
/// Memory stays bounded whatever the input: each open file shreds in small batches, and when the
/// row groups in progress together exceed ``Configuration/maximumBufferedBytes``, the largest are
/// written out early (smaller row groups instead of more memory).
public final class PartitionedConverter {
    public struct Configuration: Sendable {
        /// Files open at once (and so file descriptors and row groups in progress).
        public var maximumOpenPartitions: Int
        /// Bytes that the open files may hold in memory together before row groups are cut early.
        public var maximumBufferedBytes: Int
        /// Options of every file.
        public var writerOptions: WriterOptions
        public var scanOptions: JSONScanOptions
        /// Whether files and their directories are fsync'ed before and after the rename.
        public var synchronize: Bool

        public static let defaultMaximumOpenPartitions = 64
        public static let defaultMaximumBufferedBytes = 256 << 20

        public init(
            maximumOpenPartitions: Int = Configuration.defaultMaximumOpenPartitions,
            maximumBufferedBytes: Int = Configuration.defaultMaximumBufferedBytes,
            writerOptions: WriterOptions = WriterOptions(),
            scanOptions: JSONScanOptions = JSONScanOptions(),
            synchronize: Bool = true
        ) {
            self.maximumOpenPartitions = maximumOpenPartitions
            self.maximumBufferedBytes = maximumBufferedBytes
            self.writerOptions = writerOptions
            self.scanOptions = scanOptions
            self.synchronize = synchronize
        }
    }

    public struct Statistics: Sendable, Hashable {
        public var records = RecordConverter<FileSink>.Statistics()
        /// Distinct partitions that received a record.
        public var partitions = 0
        public var filesWritten = 0
        public var rowGroups = 0
        public var bytesWritten: Int64 = 0
        /// Files finished early to stay within ``Configuration/maximumOpenPartitions``.
        public var filesClosedForLimit = 0
        /// Row groups cut early to stay within ``Configuration/maximumBufferedBytes``.
        public var rowGroupsCutForMemory = 0
    }

    /// One file being written.
    private final class OpenFile {
        let partition: String
        let converter: RecordConverter<FileSink>
        let temporaryPath: String
        let finalPath: String
        var rows = 0
        var lastUse: UInt64 = 0

        init(partition: String, converter: RecordConverter<FileSink>, temporaryPath: String, finalPath: String) {
            self.partition = partition
            self.converter = converter
            self.temporaryPath = temporaryPath
            self.finalPath = finalPath
        }
    }

    public let directory: String
    public let template: PartitionTemplate
    public let schema: StreamSchema
    public let configuration: Configuration
    public private(set) var statistics = Statistics()
    private var openFiles: [String: OpenFile] = [:]
    /// The next file number to try per partition seen; its keys are the directories created.
    private var nextFileNumber: [String: Int] = [:]
    private var clock: UInt64 = 0
    private var bytesSinceMemoryCheck = 0
    private let batchBytes: Int

    /// Creates `directory` (and its parents) if missing; checks that the schema can be written.
    public init(
        directory: String,
        template: PartitionTemplate,
        schema: StreamSchema,
        configuration: Configuration = Configuration()
    ) throws(ConvertError) {
        guard configuration.maximumOpenPartitions > 0 else {
            throw ConvertError(.options, "maximumOpenPartitions must be positive")
        }
        self.directory = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        self.template = template
        self.schema = schema
        self.configuration = configuration
        // Small shredding batches per file: their buffers keep their capacity while the file is open.
        self.batchBytes = max(64 << 10, configuration.maximumBufferedBytes / (4 * configuration.maximumOpenPartitions))
        do {
            _ = try schema.parquetSchema()
        } catch {
            throw ConvertError(.schema, "\(error)")
        }
        try Self.makeDirectories(self.directory)
    }

    /// Adds one record to its partition's file; returns why it was rejected, or nil when it was accepted.
    @discardableResult
    public func append(
        _ record: UnsafeRawBufferPointer,
        line: Int = 1,
        byteOffset: Int = 0
    ) throws(ConvertError) -> RecordRejection? {
        let partition: String
        switch self.template.partitionPath(for: record) {
        case .success(let path):
            partition = path
        case .failure(let rejection):
            self.reject(rejection)
            return rejection
        }
        let file = try self.file(for: partition)
        self.clock += 1
        file.lastUse = self.clock
        self.statistics.records.recordsIn += 1
        let rejection: RecordRejection?
        do {
            rejection = try file.converter.append(record, line: line, byteOffset: byteOffset)
        } catch {
            throw ConvertError(.output, "cannot write '\(file.temporaryPath)': \(error)")
        }
        if let rejection {
            self.statistics.records.countRejection(rejection)
            return rejection
        }
        file.rows += 1
        self.statistics.records.recordsWritten += 1
        self.bytesSinceMemoryCheck += record.count
        if self.bytesSinceMemoryCheck >= max(1 << 20, self.configuration.maximumBufferedBytes / 16) {
            self.bytesSinceMemoryCheck = 0
            try self.boundMemory()
        }
        return nil
    }

    /// Counts a record that failed before reaching a partition (for example a framing error).
    public func reject(_ rejection: RecordRejection) {
        self.statistics.records.recordsIn += 1
        self.statistics.records.countRejection(rejection)
    }

    /// Finishes every open file; returns the statistics of the whole conversion.
    @discardableResult
    public func finish() throws(ConvertError) -> Statistics {
        for partition in self.openFiles.keys.sorted() {
            if let file = self.openFiles.removeValue(forKey: partition) { try self.finish(file) }
        }
        return self.statistics
    }

    /// Removes the temporary files of the open files, after an error.
    public func abandon() {
        for file in self.openFiles.values { unlink(file.temporaryPath) }
        self.openFiles.removeAll()
    }

    /// The number of files open now.
    public var openFileCount: Int { self.openFiles.count }

    // MARK: Files

    private func file(for partition: String) throws(ConvertError) -> OpenFile {
        if let file = self.openFiles[partition] { return file }
        if self.openFiles.count >= self.configuration.maximumOpenPartitions,
            let oldest = self.openFiles.values.min(by: { $0.lastUse < $1.lastUse })
        {
            self.openFiles.removeValue(forKey: oldest.partition)
            self.statistics.filesClosedForLimit += 1
            try self.finish(oldest)
        }
        let partitionDirectory = partition.isEmpty ? self.directory : self.directory + "/" + partition
        var number: Int
        if let next = self.nextFileNumber[partition] {
            number = next
        } else {
            try Self.makeDirectories(partitionDirectory)
            self.statistics.partitions += 1
            number = 0
        }
        while access(partitionDirectory + "/part-\(number).parquet", F_OK) == 0 { number += 1 }
        self.nextFileNumber[partition] = number
        let temporaryPath = partitionDirectory + "/.part-\(number).parquet.tmp"
        let converter: RecordConverter<FileSink>
        do {
            converter = try RecordConverter(
                schema: self.schema,
                options: self.configuration.writerOptions,
                sink: try FileSink(path: temporaryPath, synchronize: self.configuration.synchronize),
                scanOptions: self.configuration.scanOptions,
                batchRecords: 16_384,
                batchBytes: self.batchBytes
            )
        } catch {
            throw ConvertError(.output, "cannot create '\(temporaryPath)': \(error)")
        }
        let file = OpenFile(
            partition: partition,
            converter: converter,
            temporaryPath: temporaryPath,
            finalPath: partitionDirectory + "/part-\(number).parquet"
        )
        self.openFiles[partition] = file
        return file
    }

    /// Finishes a file and renames it into place; a file without rows is removed instead.
    private func finish(_ file: OpenFile) throws(ConvertError) {
        let summary: ParquetFileSummary
        do {
            summary = try file.converter.finish()
        } catch {
            unlink(file.temporaryPath)
            throw ConvertError(.output, "cannot finish '\(file.temporaryPath)': \(error)")
        }
        guard file.rows > 0 else {
            unlink(file.temporaryPath)
            return
        }
        guard rename(file.temporaryPath, file.finalPath) == 0 else {
            let reason = Self.lastError()
            unlink(file.temporaryPath)
            throw ConvertError(.output, "cannot rename '\(file.temporaryPath)' to '\(file.finalPath)': \(reason)")
        }
        if self.configuration.synchronize {
            let parent = String(file.finalPath[..<(file.finalPath.lastIndex(of: "/") ?? file.finalPath.endIndex)])
            try Self.synchronizeDirectory(parent.isEmpty ? "/" : parent)
        }
        self.nextFileNumber[file.partition, default: 0] += 1
        self.statistics.filesWritten += 1
        self.statistics.rowGroups += summary.rowGroupCount
        self.statistics.bytesWritten += summary.byteCount
    }

    /// Cuts the largest row groups in progress until the open files hold less than 3/4 of the budget.
    private func boundMemory() throws(ConvertError) {
        var sizes = self.openFiles.values.map { (file: $0, bytes: $0.converter.bufferedBytes) }
        var total = sizes.reduce(0) { $0 + $1.bytes }
        guard total > self.configuration.maximumBufferedBytes else { return }
        sizes.sort { $0.bytes > $1.bytes }
        for (file, bytes) in sizes where total > self.configuration.maximumBufferedBytes / 4 * 3 {
            do {
                try file.converter.flushRowGroup()
            } catch {
                throw ConvertError(.output, "cannot write '\(file.temporaryPath)': \(error)")
            }
            self.statistics.rowGroupsCutForMemory += 1
            total -= bytes
        }
    }

    // MARK: POSIX

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }

    /// `mkdir -p`.
    static func makeDirectories(_ path: String) throws(ConvertError) {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw ConvertError(.output, "cannot create directory '\(current)': \(Self.lastError())")
            }
        }
    }

    private static func synchronizeDirectory(_ path: String) throws(ConvertError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ConvertError(.output, "cannot open directory '\(path)': \(Self.lastError())")
        }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else {
            throw ConvertError(.output, "cannot fsync directory '\(path)': \(Self.lastError())")
        }
    }
}
