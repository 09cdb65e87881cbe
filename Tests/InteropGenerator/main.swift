import Foundation
import Parquet

// Writes the interop matrix: every schema of `Cases.all()` × codec × page version × dictionary,
// plus `Cases.special()`, each as `<name>.parquet` with `<name>.expect.json` for
// Tests/Interop/test_readers.py.

let arguments = CommandLine.arguments
guard arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: parquet-interop-gen OUTPUT_DIRECTORY\n".utf8))
    exit(2)
}
let output = URL(fileURLWithPath: arguments[1], isDirectory: true)
try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)

let codecs: [(Compression, String)] = [
    (.uncompressed, "UNCOMPRESSED"), (.snappy, "SNAPPY"), (.gzip, "GZIP"), (.zstd, "ZSTD"),
    (.lz4Raw, "LZ4_RAW"), (.brotli, "BROTLI"),
]

func write(_ testCase: InteropCase) throws {
    let schema = try ParquetSchema(testCase.fields)
    let path = output.appendingPathComponent(testCase.name + ".parquet").path
    let writer = try ParquetFileWriter(schema: schema, options: testCase.options, sink: try FileSink(path: path))
    var shredder = RecordShredder(schema: schema)
    for row in testCase.rows {
        try shredder.append(row)
        if shredder.rowCount == testCase.batchRows { try writer.write(shredder.makeBatches()) }
    }
    try writer.write(shredder.makeBatches())
    try writer.finish()

    var readers = testCase.readers
    if !testCase.isFlat { readers.removeAll { $0 == "fastparquet" } }
    var leaves: [String: Any] = [:]
    for column in schema.columns {
        var leaf: [String: Any] = ["physical_type": "\(column.physicalType)"]
        if !testCase.rows.isEmpty && testCase.options.pageIndexEnabled { leaf["has_page_index"] = true }
        for (key, value) in testCase.leaves[column.dottedPath] ?? [:] { leaf[key] = value }
        leaves[column.dottedPath] = leaf
    }
    var metadata: [String: Any] = [
        "num_rows": testCase.rows.count,
        "created_by_prefix": "laketap",
    ]
    // A file without rows has no row groups, so no column chunks to describe.
    if !testCase.rows.isEmpty {
        metadata["leaves"] = leaves
        metadata["codec"] = "\(testCase.options.compression.codec)"
    }
    if let groups = testCase.expectedRowGroups { metadata["num_row_groups"] = groups }
    if testCase.pageChecksums { metadata["page_checksums"] = true }
    if !testCase.options.keyValueMetadata.isEmpty { metadata["key_value"] = testCase.options.keyValueMetadata }
    let expectation: [String: Any] = [
        "file": testCase.name + ".parquet",
        "rows": try testCase.rows.map { row in
            try JSONSerialization.jsonObject(
                with: Data(ParquetValue.group(row).canonicalJSON(.group("row", testCase.fields)).utf8)
            )
        },
        "readers": readers,
        "columns": testCase.columnTypes,
        "metadata": metadata,
    ]
    let json = try JSONSerialization.data(withJSONObject: expectation, options: [.sortedKeys, .prettyPrinted])
    try json.write(to: output.appendingPathComponent(testCase.name + ".expect.json"))
}

var written = 0
for base in Cases.all() {
    for (compression, codec) in codecs {
        for version in [WriterOptions.DataPageVersion.v1, .v2] {
            for dictionary in [true, false] {
                var testCase = base
                testCase.name =
                    "\(base.name)-\(codec.lowercased())-\(version == .v1 ? "v1" : "v2")-\(dictionary ? "dict" : "plain")"
                testCase.options.compression = compression
                testCase.options.dataPageVersion = version
                testCase.options.dictionaryEnabled = dictionary
                testCase.options.dataPageRowLimit = 64  // several pages per chunk
                // Spark 4.3 ships no Brotli codec (ClassNotFoundException BrotliCodec).
                if compression.codec == .brotli { testCase.readers.removeAll { $0 == "spark" } }
                // fastparquet 2026.9 mis-assigns nullable V2 pages, also pyarrow's (PARQUET.md §2.4).
                if version == .v2 { testCase.readers.removeAll { $0 == "fastparquet" } }
                try write(testCase)
                written += 1
            }
        }
    }
}
for special in Cases.special() {
    try write(special)
    written += 1
}
print("parquet-interop-gen: wrote \(written) files to \(output.path)")
