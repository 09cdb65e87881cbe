import Foundation
import LaketapConvert
import Parquet

/// Where `convert` writes: one Parquet file, or a directory partitioned by a template.
protocol ConvertOutput: AnyObject {
    var statistics: RecordConverter<FileSink>.Statistics { get }
    /// Adds one record; returns why it was rejected, or nil when it was accepted.
    func append(_ record: UnsafeRawBufferPointer, line: Int, byteOffset: Int) throws -> RecordRejection?
    /// Counts a record that failed before conversion (a framing error).
    func reject(_ rejection: RecordRejection)
    /// Finishes and puts the output in place.
    func finish() throws -> Summary.Written
    /// Removes temporary files after an error.
    func abandon()
}

/// One Parquet file, written to `<path>.tmp-<pid>` and renamed on finish.
final class SingleFileOutput: ConvertOutput {
    private let converter: RecordConverter<FileSink>
    private let path: String
    private let temporary: String

    init(path: String, schema: StreamSchema, options: WriterOptions) throws {
        self.path = path
        self.temporary = path + ".tmp-\(getpid())"
        self.converter = try RecordConverter(
            schema: schema,
            options: options,
            sink: try FileSink(path: self.temporary, synchronize: true)
        )
    }

    var statistics: RecordConverter<FileSink>.Statistics { self.converter.statistics }

    func append(_ record: UnsafeRawBufferPointer, line: Int, byteOffset: Int) throws -> RecordRejection? {
        try self.converter.append(record, line: line, byteOffset: byteOffset)
    }

    func reject(_ rejection: RecordRejection) { self.converter.reject(rejection) }

    func finish() throws -> Summary.Written {
        let summary = try self.converter.finish()
        guard rename(self.temporary, self.path) == 0 else {
            throw ConvertError(
                .output,
                "cannot rename \(self.temporary) to \(self.path): \(String(cString: strerror(errno)))"
            )
        }
        return Summary.Written(byteCount: summary.byteCount, rowGroups: summary.rowGroupCount)
    }

    func abandon() { unlink(self.temporary) }
}

/// A directory of `<partition path>/part-<n>.parquet` files.
final class PartitionedOutput: ConvertOutput {
    private let converter: PartitionedConverter

    init(
        directory: String,
        template: PartitionTemplate,
        schema: StreamSchema,
        options: WriterOptions,
        maximumOpenPartitions: Int
    ) throws {
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

    func append(_ record: UnsafeRawBufferPointer, line: Int, byteOffset: Int) throws -> RecordRejection? {
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
