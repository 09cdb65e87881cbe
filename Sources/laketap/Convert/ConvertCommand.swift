import ArgumentParser
import Foundation
import JSONScan
import LaketapConvert
import Parquet

/// `laketap convert`: NDJSON (files, globs, stdin; plain, gzip or zstd) to one Parquet file, or to a
/// directory partitioned Hive-style (`--partition-by`).
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert newline-delimited JSON to Parquet.",
        discussion: """
            Reads NDJSON, a JSON array of objects, or concatenated objects from files, globs or '-' (stdin),
            plain or gzip/zstd-compressed (detected from the data). The schema is inferred from the first
            records (--sample) unless --infer full reads every input twice first. Values the schema cannot
            represent are kept in the JSON column --overflow-column (default _extra) or, with
            --no-overflow, their record is rejected. Rejected records go to OUTPUT.rejects.ndjson with line,
            byte offset and reason.

            With --partition-by TEMPLATE, OUTPUT is a directory (created if missing) of
            <partition path>/part-<n>.parquet files, for example
            --partition-by 'name={name}/date={tstamp:%Y-%m-%d}'; rejects go to OUTPUT/_rejects.ndjson.

            Exit status: 0 when every record was written, 2 when some were rejected, 1 on an error.
            """
    )

    @Argument(help: "Input files or globs; '-' reads standard input.")
    var inputs: [String]

    @Option(name: [.short, .long], help: "The Parquet file to write (with --partition-by, the directory).")
    var output: String

    @Option(help: "Partition path template, e.g. 'name={name}/date={tstamp:%Y-%m-%d}' (see the README).")
    var partitionBy: String?

    @Option(help: "With --partition-by, files open at once; the least recently used is finished beyond it.")
    var maxOpenPartitions = PartitionedConverter.Configuration.defaultMaximumOpenPartitions

    @Option(help: "Codec and level: zstd[:level], snappy, gzip[:level], lz4_raw, brotli[:quality], none.")
    var compression = "zstd:3"

    @Option(
        help:
            "Declared schema (no inference): a YAML declaration (.yaml/.yml), a JSON Schema (.json), preset:log or preset:events."
    )
    var schema: String?

    @Option(
        help: "Schema inference: 'sample' (from the first --sample records) or 'full' (a first pass over every input)."
    )
    var infer = "sample"

    @Option(help: "Records to infer the schema from.")
    var sample = 20_000

    @Option(help: "Name of the JSON column that keeps values the schema cannot represent.")
    var overflowColumn = StreamSchema.defaultOverflowColumn

    @Flag(
        help: "Reject records with values the schema cannot represent instead of keeping them in the overflow column."
    )
    var noOverflow = false

    @Option(help: "Rows per row group.")
    var rowGroupRows = WriterOptions.defaultRowGroupMaxRows

    @Option(help: "Estimated encoded bytes per row group.")
    var rowGroupBytes = WriterOptions.defaultRowGroupMaxBytes

    /// Larger than the writer's 1 MiB, and with no row limit of their own: zstd compresses big pages
    /// better, as each page starts without history (events: 67.3 MB instead of 70.4 MB from 500 MB). The
    /// writer's page memory budget keeps wide schemas bounded: their largest pages end early.
    static let defaultPageBytes = 8 << 20

    @Option(help: "Target encoded bytes per data page.")
    var pageBytes = ConvertCommand.defaultPageBytes

    @Option(help: "Most rows per data page (default: no limit below the row group's).")
    var pageRows = WriterOptions.defaultRowGroupMaxRows

    @Option(help: "Bytes the pages in progress may hold together; beyond it the largest pages end early.")
    var pageMemory = WriterOptions.defaultPageMemoryBudget

    @Flag(inversion: .prefixedNo, help: "Dictionary-encode columns (falling back to PLAIN when it does not pay).")
    var dictionary = true

    @Flag(
        inversion: .prefixedNo,
        help: """
            Let integer and timestamp columns take DELTA_BINARY_PACKED where it codes them smaller than PLAIN \
            (--no-delta-integers: PLAIN, for readers without it, such as Spark before 3.3).
            """
    )
    var deltaIntegers = true

    @Flag(inversion: .prefixedNo, help: "Write column statistics and the page index.")
    var statistics = true

    @Option(parsing: .upToNextOption, help: "Columns (dotted leaf paths) to give a bloom filter.")
    var bloomFilter: [String] = []

    @Option(
        help: ArgumentHelp(
            "Threads that shred records (default: the cores this process may run on); 1 converts on one thread.",
            valueName: "n"
        )
    )
    var threads: Int?

    @Flag(help: "Print the summary as JSON on standard output.")
    var json = false

    @Flag(name: .shortAndLong, help: "No progress or summary on standard error.")
    var quiet = false

    func validate() throws {
        guard ["sample", "full"].contains(self.infer) else {
            throw ValidationError("--infer must be 'sample' or 'full'")
        }
        if self.infer == "full" && self.schema == nil && self.inputs.contains("-") {
            throw ValidationError("--infer full reads the inputs twice and cannot read standard input")
        }
        guard self.sample > 0 else { throw ValidationError("--sample must be positive") }
        if let threads, threads < 1 { throw ValidationError("--threads must be positive") }
        guard self.pageRows > 0 && self.pageBytes > 0 && self.pageMemory > 0 else {
            throw ValidationError("--page-rows, --page-bytes and --page-memory must be positive")
        }
        do {
            _ = try Compression(parsing: self.compression)
        } catch {
            throw ValidationError("\(error.message)")
        }
        if let partitionBy {
            do {
                _ = try PartitionTemplate(parsing: partitionBy)
            } catch {
                throw ValidationError(error.message)
            }
            guard self.maxOpenPartitions > 0 else { throw ValidationError("--max-open-partitions must be positive") }
        }
    }

    func run() throws {
        let start = ContinuousClock.now
        let paths = try InputFiles.expand(self.inputs)
        var options = WriterOptions()
        options.compression = try Compression(parsing: self.compression)
        options.rowGroupMaxRows = self.rowGroupRows
        options.rowGroupMaxBytes = self.rowGroupBytes
        options.dataPageSize = self.pageBytes
        options.dataPageRowLimit = self.pageRows
        options.pageMemoryBudget = self.pageMemory
        options.dictionaryEnabled = self.dictionary
        options.integerEncodingTrial = self.deltaIntegers
        options.statisticsEnabled = self.statistics
        options.pageIndexEnabled = self.statistics
        options.createdBy = WriterOptions.defaultCreatedBy
        for column in self.bloomFilter { options.columns[column] = ColumnOptions(bloomFilter: BloomFilterOptions()) }

        let progress = Progress(enabled: !self.quiet && isatty(2) == 1, totalBytes: InputFiles.totalSize(paths))
        var inferrer = SchemaInferrer()
        let overflow = self.noOverflow ? nil : self.overflowColumn
        let threads = self.threads ?? Cores.available()
        let declared = try self.schema.map { try DeclaredSchema(loading: $0, overflowColumn: overflow) }
        for note in declared?.notes ?? [] where !self.quiet {
            FileHandle.standardError.write(Data("laketap convert: note: \(note)\n".utf8))
        }
        if self.infer == "full" && declared == nil {
            try InputFiles.read(paths) { record, _, _ in
                inferrer.observe(record)
                return true
            }
        }

        // The sample: what the framer hands out until the schema is known (bounded by --sample and
        // 64 MiB), back to back in `sampleBytes`, in input order: records, with the framer's error if
        // any, and object lines it handed out unverified. None is framed again or rejected here: the
        // output takes them in order once it exists, as it takes the records after them.
        var sample: [HeldRecord] = []
        var sampleBytes: [UInt8] = []
        // What --sample counts: records and lines without a framing error.
        var sampleCount = 0
        let slot = OutputSlot()
        if self.partitionBy != nil {
            try FileManager.default.createDirectory(atPath: self.output, withIntermediateDirectories: true)
        }
        let rejects = RejectsFile(
            path: self.partitionBy == nil
                ? self.output + ".rejects.ndjson" : PartitionedOutput.rejectsPath(directory: self.output)
        )
        var inputBytes = 0

        // Into one file, each record is parsed once, by the shredder: the framer ends object lines at
        // their newline unchecked, and a line the shredder rejects is framed again.
        let framingOptions = JSONRecordFramer.Options(defersObjectChecks: self.partitionBy == nil)

        func makeConverter() throws -> any ConvertOutput {
            var fields = inferrer.fields
            if fields.isEmpty && self.infer == "sample" && declared == nil {
                // On the conversion's threads, the shares merged in order: the schema one thread infers.
                // The lines are observed as they are, in the pass that also checks each is one object;
                // framing every line first cost a pass over the sample on one thread (30-50 ms before
                // the conversion starts). Should any not be (objects concatenated on a line, a broken
                // line), the sample is framed and observed again from the start, as records.
                var lines = inferrer
                let others = sampleBytes.withUnsafeBytes { all in
                    lines.observe(count: sample.count, threads: threads) {
                        sample[$0].error == nil
                            ? UnsafeRawBufferPointer(rebasing: all[sample[$0].range])
                            : UnsafeRawBufferPointer(start: nil, count: 0)
                    }
                }
                if others.contains(where: { sample[$0].isUnverifiedLine }) {
                    let records = sampleBytes.withUnsafeBytes { Self.framedRecords(sample, $0, framingOptions) }
                    // Records that are not one object are not needed here: the output rejects them as it takes them.
                    _ = sampleBytes.withUnsafeBytes { all in
                        inferrer.observe(count: records.count, threads: threads) {
                            UnsafeRawBufferPointer(rebasing: all[records[$0]])
                        }
                    }
                } else {
                    inferrer = lines
                }
                fields = inferrer.fields
            }
            let schema = declared?.schema ?? StreamSchema(fields: fields, overflowColumn: overflow)
            let made: any ConvertOutput =
                if let partitionBy {
                    try PartitionedOutput(
                        directory: self.output,
                        template: try PartitionTemplate(parsing: partitionBy),
                        schema: schema,
                        options: options,
                        maximumOpenPartitions: self.maxOpenPartitions,
                        rejects: rejects
                    )
                } else if threads > 1 {
                    try ParallelFileOutput(
                        path: self.output,
                        schema: schema,
                        options: options,
                        rejects: rejects,
                        threads: threads,
                        framing: framingOptions
                    )
                } else {
                    try SingleFileOutput(path: self.output, schema: schema, options: options, rejects: rejects)
                }
            try sampleBytes.withUnsafeBytes { all in
                for held in sample {
                    try made.append(
                        UnsafeRawBufferPointer(rebasing: all[held.range]),
                        source: held.source,
                        line: held.line,
                        byteOffset: held.byteOffset,
                        isUnverifiedLine: held.isUnverifiedLine,
                        error: held.error,
                        framing: framingOptions
                    )
                }
            }
            sample.removeAll()
            sampleBytes = []
            return made
        }

        do {
            if declared != nil { slot.output = try makeConverter() }  // no sample to hold
            func handle(_ record: UnsafeRawBufferPointer, _ source: String, _ framing: JSONRecord) throws {
                func appendLine(to output: some ConvertOutput) throws {
                    try output.appendUnverifiedLine(
                        record,
                        source: source,
                        line: framing.line,
                        byteOffset: framing.byteOffset,
                        framing: framingOptions
                    )
                }
                if framing.isUnverifiedLine, let single = slot.single {
                    try single._withUnsafeGuaranteedRef { try appendLine(to: $0) }
                    return
                }
                if let converter = slot.output {
                    // Most records are object lines the framer did not check: their error is never read
                    // (reading it copies the error out, and drops the copy, per record).
                    if framing.isUnverifiedLine {
                        try appendLine(to: converter)
                    } else {
                        try converter.append(
                            record,
                            source: source,
                            line: framing.line,
                            byteOffset: framing.byteOffset,
                            error: framing.hasError ? framing.error : nil
                        )
                    }
                    return
                }
                let start = sampleBytes.count
                sampleBytes.append(contentsOf: record)
                sample.append(
                    HeldRecord(
                        range: start..<sampleBytes.count,
                        source: source,
                        line: framing.line,
                        byteOffset: framing.byteOffset,
                        isUnverifiedLine: framing.isUnverifiedLine,
                        error: framing.error
                    )
                )
                if framing.error == nil { sampleCount += 1 }
                if sampleCount >= self.sample || sampleBytes.count >= 64 << 20 { slot.output = try makeConverter() }
            }
            try InputFiles.read(
                paths,
                framing: framingOptions,
                onBytes: { count in
                    inputBytes += count
                    progress.update(bytes: inputBytes, records: slot.output?.statistics.recordsIn ?? sample.count)
                },
                onRecord: { record, source, framing in
                    try handle(record, source, framing)
                    return true
                }
            )
            if slot.output == nil { slot.output = try makeConverter() }
            guard let converter = slot.output else { return }
            let written = try converter.finish()
            try rejects.close()
            progress.finish()
            let report = Summary(
                output: self.output,
                rejects: rejects.count > 0 ? rejects.path : nil,
                statistics: converter.statistics,
                written: written,
                inputBytes: inputBytes,
                seconds: (ContinuousClock.now - start).seconds
            )
            if self.json {
                print(report.json)
            } else if !self.quiet {
                FileHandle.standardError.write(Data(report.text.utf8))
            }
            if converter.statistics.recordsRejected > 0 { throw ExitCode(2) }
        } catch let error as ExitCode {
            throw error
        } catch {
            slot.output?.abandon()
            progress.finish()
            FileHandle.standardError.write(Data("laketap convert: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

extension ConvertCommand {
    /// The ranges in `bytes` of the sample's records without a framing error, its unverified lines
    /// framed exactly.
    fileprivate static func framedRecords(
        _ sample: [HeldRecord],
        _ bytes: UnsafeRawBufferPointer,
        _ options: JSONRecordFramer.Options
    ) -> [Range<Int>] {
        var records: [Range<Int>] = []
        for held in sample where held.error == nil {
            guard held.isUnverifiedLine else {
                records.append(held.range)
                continue
            }
            let base = held.range.lowerBound
            let framed = JSONRecordFramer.frameLine(
                UnsafeRawBufferPointer(rebasing: bytes[held.range]),
                line: held.line,
                byteOffset: held.byteOffset,
                options: options
            )
            for record in framed where record.error == nil {
                records.append((base + record.range.lowerBound)..<(base + record.range.upperBound))
            }
        }
        return records
    }
}

/// What the framer handed out while the sample is held: a record (with its framing error, if any) or
/// an object line it did not check (``JSONRecord/isUnverifiedLine``), in `bytes[range]` of the sample.
private struct HeldRecord {
    var range: Range<Int>
    var source: String
    var line: Int
    var byteOffset: Int
    var isUnverifiedLine: Bool
    var error: JSONScanError?
}

/// The output of a conversion once its schema is known; read for every record. A class property
/// without dynamic exclusivity checks rather than a captured `var`, whose every read would pay one
/// (about 1.5% of a one-core conversion of the events workload): one thread reads and sets it, and
/// no access to it overlaps another.
private final class OutputSlot {
    @exclusivity(unchecked) var output: (any ConvertOutput)? {
        didSet { self.single = (self.output as? SingleFileOutput).map { Unmanaged.passUnretained($0) } }
    }
    /// ``output`` when it is one file on this thread, called without the retain and release a call through
    /// ``output`` pays per record (a load from a mutable property must keep its object alive across the call;
    /// here ``output`` does).
    @exclusivity(unchecked) private(set) var single: Unmanaged<SingleFileOutput>?
}

extension Duration {
    var seconds: Double {
        Double(self.components.seconds) + Double(self.components.attoseconds) * 1e-18
    }
}
