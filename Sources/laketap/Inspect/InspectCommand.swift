import ArgumentParser
import Foundation
import Parquet

/// `laketap inspect FILE…`: what parquet-tools and DuckDB's `parquet_metadata` show, in one screen.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show the schema, row groups, column chunks and statistics of Parquet files.",
        discussion: """
            Prints a readable report per file. With --json, one JSON document per file (one per line).
            With --rows N, prints the first N records of each file as JSON lines instead of the report.
            Exits 1 if any file cannot be read, after reporting the others.
            """
    )

    @Argument(help: "Parquet files to inspect.", completion: .file(extensions: ["parquet"]))
    var files: [String]

    @Flag(help: "Print the report as JSON (one document per file, one per line).")
    var json = false

    @Option(help: "Print the first N records of each file as JSON lines instead of the report.")
    var rows: Int?

    @Flag(help: "Verify page CRCs while reading records (with --rows).")
    var verifyChecksums = false

    func validate() throws {
        if let rows, rows < 0 { throw ValidationError("--rows must be zero or more") }
        if self.json && self.rows != nil { throw ValidationError("--json and --rows cannot be combined") }
    }

    func run() throws {
        var failed = false
        for path in self.files {
            do {
                var options = ReaderOptions()
                options.verifyChecksums = self.verifyChecksums
                let reader = try ParquetFileReader(source: try FileSource(path: path), options: options)
                if let rows {
                    try Self.printRows(reader, limit: rows)
                } else if self.json {
                    print(try InspectJSON.document(path: path, reader: reader))
                } else {
                    print(InspectReport.text(path: path, reader: reader), terminator: "")
                }
            } catch {
                failed = true
                FileHandle.standardError.write(Data("laketap inspect: \(path): \(error)\n".utf8))
            }
        }
        if failed { throw ExitCode(1) }
    }

    private static func printRows(_ reader: ParquetFileReader<FileSource>, limit: Int) throws {
        let root = Field.group("row", reader.metadata.schema.fields)
        var printed = 0
        for group in reader.metadata.rowGroups.indices where printed < limit {
            for record in try reader.readRecords(rowGroup: group) where printed < limit {
                print(ParquetValue.group(record).canonicalJSON(root))
                printed += 1
            }
        }
    }
}
