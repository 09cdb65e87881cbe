import Foundation
import JSONScan
import LaketapConvert
import Parquet

/// Where `convert` writes: one Parquet file (on one thread or several), or a directory partitioned by
/// a template. Rejected records go to the rejects file in input order.
protocol ConvertOutput: AnyObject {
    var statistics: RecordConverter<FileSink>.Statistics { get }
    /// Adds one record, or with `error` a record the framer rejected.
    func append(
        _ record: UnsafeRawBufferPointer,
        source: String,
        line: Int,
        byteOffset: Int,
        error: JSONScanError?
    ) throws
    /// Adds a line the framer ended at its newline unchecked (``JSONRecord/isUnverifiedLine``), framed
    /// again when it does not convert as one record.
    func appendUnverifiedLine(
        _ record: UnsafeRawBufferPointer,
        source: String,
        line: Int,
        byteOffset: Int,
        framing: JSONRecordFramer.Options
    ) throws
    /// Counts a record rejected before the output existed (already in the rejects file).
    func reject(_ rejection: RecordRejection)
    /// Finishes and puts the output in place.
    func finish() throws -> Summary.Written
    /// Removes temporary files after an error.
    func abandon()
}

extension ConvertOutput {
    /// Adds what the framer handed out: an object line it did not check, or a record, with its
    /// framing error if any.
    @inline(__always)
    func append(
        _ bytes: UnsafeRawBufferPointer,
        source: String,
        line: Int,
        byteOffset: Int,
        isUnverifiedLine: Bool,
        error: JSONScanError?,
        framing: JSONRecordFramer.Options
    ) throws {
        if isUnverifiedLine {
            try self.appendUnverifiedLine(bytes, source: source, line: line, byteOffset: byteOffset, framing: framing)
        } else {
            try self.append(bytes, source: source, line: line, byteOffset: byteOffset, error: error)
        }
    }

    /// Frames the line exactly first and adds its records.
    func appendUnverifiedLine(
        _ record: UnsafeRawBufferPointer,
        source: String,
        line: Int,
        byteOffset: Int,
        framing: JSONRecordFramer.Options
    ) throws {
        try self.append(
            JSONRecordFramer.frameLine(record, line: line, byteOffset: byteOffset, options: framing),
            of: record,
            source: source
        )
    }

    /// Adds the records framed in `bytes`.
    func append(_ records: [JSONRecord], of bytes: UnsafeRawBufferPointer, source: String) throws {
        for framed in records {
            try self.append(
                UnsafeRawBufferPointer(rebasing: bytes[framed.range]),
                source: source,
                line: framed.line,
                byteOffset: framed.byteOffset,
                error: framed.error
            )
        }
    }
}

/// An output that converts each record on the caller's thread as it comes.
protocol SequentialConvertOutput: ConvertOutput {
    var rejects: RejectsFile { get }
    /// Converts one record; returns why it was rejected, or nil when it was accepted.
    func convert(_ record: UnsafeRawBufferPointer, line: Int, byteOffset: Int) throws -> RecordRejection?
}

extension SequentialConvertOutput {
    func append(
        _ record: UnsafeRawBufferPointer,
        source: String,
        line: Int,
        byteOffset: Int,
        error: JSONScanError?
    ) throws {
        let rejection: RecordRejection
        if let error {
            rejection = RecordRejection(error)
            self.reject(rejection)
        } else {
            guard let rejected = try self.convert(record, line: line, byteOffset: byteOffset) else { return }
            rejection = rejected
        }
        try self.rejects.write(record, source: source, line: line, offset: byteOffset, rejection: rejection)
    }
}

/// One Parquet file, written to `<path>.tmp-<pid>` and renamed on finish.
final class SingleFileOutput: SequentialConvertOutput {
    let rejects: RejectsFile
    private let converter: RecordConverter<FileSink>
    private let path: String
    private let temporary: String

    init(path: String, schema: StreamSchema, options: WriterOptions, rejects: RejectsFile) throws {
        self.rejects = rejects
        self.path = path
        self.temporary = Self.temporaryPath(for: path)
        self.converter = try RecordConverter(
            schema: schema,
            options: options,
            sink: try FileSink(path: self.temporary, synchronize: true, writesInBackground: true)
        )
    }

    var statistics: RecordConverter<FileSink>.Statistics { self.converter.statistics }

    func convert(_ record: UnsafeRawBufferPointer, line: Int, byteOffset: Int) throws -> RecordRejection? {
        try self.converter.append(record, line: line, byteOffset: byteOffset)
    }

    /// Adds a record the framer ended at its newline unchecked (``JSONRecord/isUnverifiedLine``). Most
    /// lines are one object and convert as they are; a rejected line is framed again, and when it holds
    /// more than that one record (objects concatenated on a line), its records are added one by one.
    func appendUnverifiedLine(
        _ record: UnsafeRawBufferPointer,
        source: String,
        line: Int,
        byteOffset: Int,
        framing: JSONRecordFramer.Options
    ) throws {
        guard let rejection = try self.convert(record, line: line, byteOffset: byteOffset) else { return }
        guard
            let records = JSONRecordFramer.splitRejectedLine(
                record,
                line: line,
                byteOffset: byteOffset,
                options: framing
            )
        else {
            try self.rejects.write(record, source: source, line: line, offset: byteOffset, rejection: rejection)
            return
        }
        self.converter.withdraw(rejection)
        try self.append(records, of: record, source: source)
    }

    func reject(_ rejection: RecordRejection) { self.converter.reject(rejection) }

    func finish() throws -> Summary.Written {
        try Self.place(try self.converter.finish(), temporary: self.temporary, path: self.path)
    }

    func abandon() { unlink(self.temporary) }

    /// The temporary file a single-file output writes first.
    static func temporaryPath(for path: String) -> String { path + ".tmp-\(getpid())" }

    /// Renames the finished temporary file to `path`.
    static func place(_ summary: ParquetFileSummary, temporary: String, path: String) throws -> Summary.Written {
        guard rename(temporary, path) == 0 else {
            throw ConvertError(
                .output,
                "cannot rename \(temporary) to \(path): \(String(cString: strerror(errno)))"
            )
        }
        return Summary.Written(byteCount: summary.byteCount, rowGroups: summary.rowGroupCount)
    }
}

/// One Parquet file like ``SingleFileOutput``, with records shredded on several threads
/// (``ParallelRecordConverter``): the same file and the same rejects.
final class ParallelFileOutput: ConvertOutput {
    private let converter: ParallelRecordConverter<FileSink>
    private let path: String
    private let temporary: String

    init(
        path: String,
        schema: StreamSchema,
        options: WriterOptions,
        rejects: RejectsFile,
        threads: Int,
        framing: JSONRecordFramer.Options
    ) throws {
        self.path = path
        self.temporary = SingleFileOutput.temporaryPath(for: path)
        self.converter = try ParallelRecordConverter(
            schema: schema,
            options: options,
            sink: try FileSink(path: self.temporary, synchronize: true, writesInBackground: true),
            threads: threads,
            framing: framing,
            onRejection: { record, source, line, byteOffset, rejection in
                try rejects.write(record, source: source, line: line, offset: byteOffset, rejection: rejection)
            }
        )
    }

    var statistics: RecordConverter<FileSink>.Statistics { self.converter.statistics }

    func append(
        _ record: UnsafeRawBufferPointer,
        source: String,
        line: Int,
        byteOffset: Int,
        error: JSONScanError?
    ) throws {
        try self.converter.append(record, source: source, line: line, byteOffset: byteOffset, error: error)
    }

    /// Unverified lines go to the shredding threads as they are; a thread frames a rejected one again.
    func appendUnverifiedLine(
        _ record: UnsafeRawBufferPointer,
        source: String,
        line: Int,
        byteOffset: Int,
        framing: JSONRecordFramer.Options
    ) throws {
        try self.converter.appendUnverifiedLine(record, source: source, line: line, byteOffset: byteOffset)
    }

    func reject(_ rejection: RecordRejection) { self.converter.reject(rejection) }

    func finish() throws -> Summary.Written {
        try SingleFileOutput.place(try self.converter.finish(), temporary: self.temporary, path: self.path)
    }

    func abandon() {
        self.converter.abandon()
        unlink(self.temporary)
    }
}

/// A directory of `<partition path>/part-<n>.parquet` files.
final class PartitionedOutput: SequentialConvertOutput {
    let rejects: RejectsFile
    private let converter: PartitionedConverter

    init(
        directory: String,
        template: PartitionTemplate,
        schema: StreamSchema,
        options: WriterOptions,
        maximumOpenPartitions: Int,
        rejects: RejectsFile
    ) throws {
        self.rejects = rejects
        self.converter = try PartitionedConverter(
            directory: directory,
            template: template,
            schema: schema,
            configuration: PartitionedConverter.Configuration(
                maximumOpenPartitions: maximumOpenPartitions,
                writerOptions: options
            )
        )
    }

    /// The rejects file of a partitioned output; `_` keeps Hive, Spark and pyarrow from reading it.
    static func rejectsPath(directory: String) -> String {
        directory + "/_rejects.ndjson"
    }

    var statistics: RecordConverter<FileSink>.Statistics { self.converter.statistics.records }

    func convert(_ record: UnsafeRawBufferPointer, line: Int, byteOffset: Int) throws -> RecordRejection? {
        try self.converter.append(record, line: line, byteOffset: byteOffset)
    }

    func reject(_ rejection: RecordRejection) { self.converter.reject(rejection) }

    func finish() throws -> Summary.Written {
        let statistics = try self.converter.finish()
        return Summary.Written(
            byteCount: statistics.bytesWritten,
            rowGroups: statistics.rowGroups,
            partitions: statistics.partitions,
            files: statistics.filesWritten
        )
    }

    func abandon() { self.converter.abandon() }
}
