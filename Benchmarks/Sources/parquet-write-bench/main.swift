// Head-to-head half of `make bench`: builds LogTable (default 1,000,000 rows) once, writes it
// uncompressed to --out for compare_pyarrow.py, then times writing the same in-memory table to a
// MemorySink with each codec and prints one JSON line per codec, then one with peak RSS.
//
//   parquet-write-bench [--rows N] [--runs N] [--out PATH] [--codecs snappy,zstd:1,...]
//                       [--table logs|timestamps|int64-random|doubles|strings-low|strings-high|booleans|tags]
//
// --table picks one of the single-column tables of the encoding suite instead, which is handy
// under a profiler: valgrind --tool=callgrind parquet-write-bench --table doubles --runs 1 ...
import BenchSupport
import Parquet

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

var rows = 1_000_000
var runs = 5
var out: String?
var tableName = "logs"
var codecs = ["snappy", "zstd:1", "zstd:3", "gzip:6", "lz4_raw", "uncompressed"]

var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    guard let value = arguments.popFirst() else { fatalError("\(flag) needs a value") }
    switch flag {
    case "--rows": rows = Int(value)!
    case "--runs": runs = Int(value)!
    case "--out": out = value
    case "--table": tableName = value
    case "--codecs": codecs = value.split(separator: ",").map(String.init)
    default: fatalError("unknown option \(flag); see the comment at the top of main.swift")
    }
}

/// The same file layout as compare_pyarrow.py asks of pyarrow: one row group of up to
/// 1,048,576 rows (no byte limit), dictionary on, default page sizes.
func options(_ compression: Compression) -> WriterOptions {
    var options = WriterOptions()
    options.compression = compression
    options.rowGroupMaxRows = 1_048_576
    options.rowGroupMaxBytes = Int.max
    return options
}

/// Writes one line straight to fd 1 (print buffers whole blocks into a pipe, so the driver
/// would see nothing until the end).
func emit(_ line: String) {
    var line = line + "\n"
    line.withUTF8 { bytes in _ = write(1, bytes.baseAddress, bytes.count) }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

func peakRSSBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
}

let clock = ContinuousClock()
let start = clock.now
let table: BenchTable =
    switch tableName {
    case "logs": LogTable.make(rows: rows)
    case "timestamps": ColumnTables.timestamps(rows: rows)
    case "int64-random": ColumnTables.int64Random(rows: rows)
    case "doubles": ColumnTables.doubles(rows: rows)
    case "strings-low": ColumnTables.stringsLowCardinality(rows: rows)
    case "strings-high": ColumnTables.stringsHighCardinality(rows: rows)
    case "booleans": ColumnTables.booleans(rows: rows)
    case "tags": ColumnTables.stringLists(rows: rows)
    default: fatalError("unknown table \(tableName)")
    }
let generateSeconds = seconds(clock.now - start)
emit(#"{"event":"generated","rows":\#(rows),"in_memory_bytes":\#(table.inMemoryBytes),"seconds":\#(generateSeconds)}"#)

if let out {
    let bytes = try table.writeToFile(out, options: options(.uncompressed))
    emit(#"{"event":"wrote","path":"\#(out)","bytes":\#(bytes)}"#)
}

for name in codecs {
    let compression = try Compression(parsing: name)
    var times: [Double] = []
    var bytes = 0
    for _ in 0..<runs {
        let begin = clock.now
        bytes = try table.writeToMemory(options: options(compression))
        times.append(seconds(clock.now - begin))
    }
    let median = times.sorted()[times.count / 2]
    let list = times.map { String($0) }.joined(separator: ",")
    emit(#"{"codec":"\#(name)","seconds":\#(median),"runs":[\#(list)],"bytes":\#(bytes),"rows":\#(rows)}"#)
}
emit(#"{"event":"done","peak_rss_bytes":\#(peakRSSBytes())}"#)
