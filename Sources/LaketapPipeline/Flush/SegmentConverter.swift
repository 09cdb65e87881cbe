import LaketapConvert
import Parquet
import Synchronization

/// Converts one sealed segment into staged Parquet files (one per partition) and the lines of its
/// dead-letter file. Blocking work: run it on the thread pool.
///
/// Everything it produces depends only on the segment's bytes (records, arrival times, offsets)
/// and the stream's configuration, so converting the same segment again after a crash yields the
/// same keys: `<prefix>/<partition>/<stream>-<identity>-<segment:06>-<first:012>-<last:012>.parquet`, and
/// `_dlq/<stream>/<stream>-<identity>-<segment:06>-<first:012>-<last:012>.ndjson`.
struct SegmentConverter: Sendable {
    /// A Parquet file on local disk, and the key it goes to.
    struct StagedFile: Sendable, Hashable {
        var key: String
        var path: String
        var records: Int
        var bytes: Int64
    }

    struct Output: Sendable {
        var files: [StagedFile] = []
        /// NDJSON dead-letter lines, and the key they go to.
        var deadLetters: [UInt8] = []
        var deadLetterKey: String
        var deadLetterCount = 0
        var recordsWritten = 0
        /// Rejections by reason code: the converter's and the front door's.
        var rejections: [String: Int] = [:]
        /// Bytes at the end of the segment file that did not form a valid entry.
        var droppedBytes = 0
    }

    var stream: String
    var configuration: StreamConfiguration
    var stagingDirectory: String
    /// The data directory's ``BufferIdentity``, part of every file name.
    var identity: String
    /// Threads the conversion of one file may use; the file is the same whatever the count.
    var threads = 1

    /// The file name shared by a segment's Parquet and dead-letter files, without extension.
    static func baseName(stream: String, identity: String, segment: Int64, firstOffset: Int64, count: Int64) -> String {
        let last = firstOffset + max(count, 1) - 1
        return "\(stream)-\(identity)-\(SegmentFormat.padded(segment, width: 6))-"
            + "\(SegmentFormat.padded(firstOffset, width: 12))-\(SegmentFormat.padded(last, width: 12))"
    }

    func convert(_ segment: StreamLog.SealedSegment) throws -> Output {
        let bytes = try FileIO.read(segment.path)
        return try bytes.withUnsafeBytes { raw in
            do {
                return try self.convert(segment, raw, failure: nil)
            } catch let error as ParquetError where error.code != .io {
                // A segment the writer refuses (a schema it cannot write, a value past a limit) must not
                // block the stream forever: its records go to the dead-letter queue with the reason.
                return try self.convert(segment, raw, failure: "\(error)")
            }
        }
    }

    /// Converts the segment; with `failure`, sends every record to the dead-letter lines instead.
    private func convert(
        _ segment: StreamLog.SealedSegment,
        _ bytes: UnsafeRawBufferPointer,
        failure: String?
    ) throws -> Output {
        let scan = SegmentFormat.scan(bytes)
        guard let header = scan.header else {
            throw FileIOError(message: "segment '\(segment.path)' has no valid header")
        }
        let base = Self.baseName(
            stream: self.stream,
            identity: self.identity,
            segment: header.segment,
            firstOffset: header.firstOffset,
            count: Int64(scan.entries.count)
        )
        var output = Output(deadLetterKey: "_dlq/\(self.stream)/\(base).ndjson")
        output.droppedBytes = scan.droppedBytes
        func deadLetter(_ index: Int, code: String, reason: String, record: Range<Int>) {
            DeadLetterLine(
                reason: reason,
                code: code,
                stream: self.stream,
                segment: header.segment,
                offset: header.firstOffset + Int64(index),
                arrival: scan.entries[index].arrival
            ).append(record: UnsafeRawBufferPointer(rebasing: bytes[record]), to: &output.deadLetters)
            output.deadLetterCount += 1
        }

        // Partition every record; front-door rejects go straight to the dead-letter lines.
        let partitioner = try RecordPartitioner(configuration: self.configuration)
        var partitions: [String: [Int]] = [:]
        for (index, entry) in scan.entries.enumerated() {
            switch entry.kind {
            case .deadLetter:
                let fields = SegmentFormat.deadLetter(entry.data, in: bytes)
                deadLetter(
                    index,
                    code: fields?.code ?? "corrupt_entry",
                    reason: fields?.reason ?? "the dead-letter entry could not be decoded",
                    record: fields?.record ?? entry.data
                )
            case .record:
                if let failure {
                    deadLetter(index, code: Self.conversionFailed, reason: failure, record: entry.data)
                    output.rejections[Self.conversionFailed, default: 0] += 1
                    continue
                }
                let record = UnsafeRawBufferPointer(rebasing: bytes[entry.data])
                switch partitioner.partition(record, arrival: entry.arrival) {
                case .success(let path):
                    partitions[path, default: []].append(index)
                case .failure(let rejection):
                    deadLetter(index, code: "\(rejection.code)", reason: rejection.message, record: entry.data)
                    output.rejections["\(rejection.code)", default: 0] += 1
                }
            }
        }
        guard !partitions.isEmpty else { return output }

        let schema: StreamSchema
        switch self.configuration.schema {
        case .declared(let declared):
            schema = declared
        case .infer:
            var inferrer = SchemaInferrer()
            let indices = partitions.values.joined().sorted()
            inferrer.observe(count: indices.count, threads: self.threads) { position in
                UnsafeRawBufferPointer(rebasing: bytes[scan.entries[indices[position]].data])
            }
            schema = StreamSchema(fields: inferrer.fields)
        }

        try FileIO.makeDirectories(self.stagingDirectory)
        var rejected: [(index: Int, rejection: RecordRejection)] = []
        for (number, partition) in partitions.keys.sorted().enumerated() {
            let path = "\(self.stagingDirectory)/\(base)-\(number).parquet"
            let written: (records: Int, bytes: Int64)
            do {
                written = try self.writeFile(
                    path,
                    records: partitions[partition] ?? [],
                    schema: schema,
                    scan: scan,
                    bytes: bytes,
                    rejected: &rejected
                )
            } catch {
                try? FileIO.remove(path)
                for file in output.files { try? FileIO.remove(file.path) }
                throw error
            }
            guard written.records > 0 else {
                try FileIO.remove(path)
                continue
            }
            let directory = partition.isEmpty ? self.configuration.prefix : self.configuration.prefix + "/" + partition
            output.files.append(
                StagedFile(
                    key: "\(directory)/\(base).parquet",
                    path: path,
                    records: written.records,
                    bytes: written.bytes
                )
            )
            output.recordsWritten += written.records
        }
        for (index, rejection) in rejected.sorted(by: { $0.index < $1.index }) {
            deadLetter(index, code: "\(rejection.code)", reason: rejection.message, record: scan.entries[index].data)
            output.rejections["\(rejection.code)", default: 0] += 1
        }
        return output
    }

    static let conversionFailed = "conversion_failed"

    /// Writes one staged Parquet file of `records` (entry indices); returns the rows and bytes written.
    private func writeFile(
        _ path: String,
        records: [Int],
        schema: StreamSchema,
        scan: SegmentFormat.Scan,
        bytes: UnsafeRawBufferPointer,
        rejected: inout [(index: Int, rejection: RecordRejection)]
    ) throws -> (records: Int, bytes: Int64) {
        // The converter reports rejections in input order, from whichever of its threads writes the
        // chunk; `line` carries the entry's index.
        let rejections = RejectionList()
        let converter = try ParallelRecordConverter(
            schema: schema,
            options: self.configuration.writerOptions,
            sink: try FileSink(path: path),
            threads: self.threads,
            onRejection: { _, _, index, _, rejection in rejections.append((index, rejection)) }
        )
        let summary: ParquetFileSummary
        do {
            for index in records {
                try converter.append(
                    UnsafeRawBufferPointer(rebasing: bytes[scan.entries[index].data]),
                    source: "",
                    line: index,
                    byteOffset: scan.entries[index].data.lowerBound
                )
            }
            summary = try converter.finish()
        } catch {
            converter.abandon()
            throw error
        }
        let refused = rejections.take()
        rejected += refused
        return (records.count - refused.count, summary.byteCount)
    }
}

/// The rejections of one file, appended by the converter's threads one at a time.
private final class RejectionList: Sendable {
    private let lock = Mutex<[(index: Int, rejection: RecordRejection)]>([])

    func append(_ rejection: (index: Int, rejection: RecordRejection)) {
        self.lock.withLock { $0.append(rejection) }
    }

    func take() -> [(index: Int, rejection: RecordRejection)] {
        self.lock.withLock { list in
            defer { list = [] }
            return list
        }
    }
}
