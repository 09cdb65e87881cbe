import Foundation
import JSONScan
import Parquet
import Testing

@testable import LaketapConvert

@Suite struct PartitionedConverterTests {
    static let schema = StreamSchema(fields: [StreamField("id", .int64, isNullable: false), StreamField("k", .string)])

    /// A fresh directory per test, since tests run in parallel.
    static func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("laketap-partition-\(UUID().uuidString)").path
    }

    static func append(_ converter: PartitionedConverter, _ line: String) throws -> RecordRejection? {
        try Array(line.utf8).withUnsafeBytes { try converter.append($0) }
    }

    /// Relative path of every Parquet file under `directory` to the ids it holds.
    static func files(in directory: String) throws -> [String: [Int64]] {
        var result: [String: [Int64]] = [:]
        let enumerator = FileManager.default.enumerator(atPath: directory)
        while let relative = enumerator?.nextObject() as? String {
            guard relative.hasSuffix(".parquet") else { continue }
            let bytes = try #require(FileManager.default.contents(atPath: directory + "/" + relative))
            let reader = try ParquetFileReader(source: MemorySource(Array(bytes)))
            result[relative] = try reader.readAllRecords().map { record in
                guard case .int64(let id) = record["id"] else { return -1 }
                return id
            }
        }
        return result
    }

    @Test func leastRecentlyUsedFilesCloseAndReopenWithTheNextNumber() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let converter = try PartitionedConverter(
            directory: directory,
            template: try PartitionTemplate(parsing: "k={k}"),
            schema: Self.schema,
            configuration: .init(maximumOpenPartitions: 2, synchronize: false)
        )
        let keys = ["a", "b", "a", "c", "a", "b", "c", "b", "a"]
        for (id, key) in keys.enumerated() {
            #expect(try Self.append(converter, #"{"id":\#(id),"k":"\#(key)"}"#) == nil)
            #expect(converter.openFileCount <= 2)
        }
        let statistics = try converter.finish()
        let files = try Self.files(in: directory)
        // Two open at once: c evicts b (a was used later), b evicts c, c evicts a, a evicts c.
        #expect(
            files == [
                "k=a/part-0.parquet": [0, 2, 4], "k=a/part-1.parquet": [8],
                "k=b/part-0.parquet": [1], "k=b/part-1.parquet": [5, 7],
                "k=c/part-0.parquet": [3], "k=c/part-1.parquet": [6],
            ]
        )
        #expect(statistics.partitions == 3)
        #expect(statistics.filesWritten == 6)
        #expect(statistics.filesClosedForLimit == 4)
        #expect(statistics.records.recordsWritten == keys.count)
        // No temporary file is left behind.
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: directory).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func neverOverwritesExistingFiles() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for run in 0..<2 {
            let converter = try PartitionedConverter(
                directory: directory,
                template: try PartitionTemplate(parsing: "k={k}"),
                schema: Self.schema,
                configuration: .init(synchronize: run == 0)
            )
            #expect(try Self.append(converter, #"{"id":\#(run),"k":"x"}"#) == nil)
            try converter.finish()
        }
        #expect(try Self.files(in: directory) == ["k=x/part-0.parquet": [0], "k=x/part-1.parquet": [1]])
    }

    @Test func everyRecordLandsInExactlyOneFileOrIsRejected() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let converter = try PartitionedConverter(
            directory: directory,
            template: try PartitionTemplate(parsing: "bucket={k}/day={t:%Y-%m-%d}"),
            schema: StreamSchema(
                fields: Self.schema.fields + [StreamField("t", .timestamp(.text))],
                overflowColumn: nil
            ),
            configuration: .init(maximumOpenPartitions: 3, maximumBufferedBytes: 1 << 16, synchronize: false)
        )
        var expected: [String: [Int64]] = [:]
        var rejected = 0
        for id in 0..<3000 {
            let key = ["x/y", "=", "", "p"][id % 4]
            let day = 1 + (id / 7) % 5
            let line: String
            switch id % 101 {
            case 0: line = #"{"id":\#(id),"k":"p","t":"not a time"}"#  // the template rejects it
            case 1: line = #"{"id":"\#(id)","k":"p","t":"2023-07-0\#(day)T00:00:00Z"}"#  // the shredder rejects it
            default: line = #"{"id":\#(id),"k":"\#(key)","t":"2023-07-0\#(day)T10:00:00Z"}"#
            }
            if try Self.append(converter, line) != nil {
                rejected += 1
                continue
            }
            let partition = "bucket=\(PartitionTemplate.escape(key))/day=2023-07-0\(day)"
            expected[partition, default: []].append(Int64(id))
        }
        let statistics = try converter.finish()
        #expect(rejected == 60)
        #expect(statistics.records.rejectionsByCode == ["invalid_partition": 30, "type_mismatch": 30])
        #expect(statistics.rowGroupsCutForMemory >= 0)
        var found: [String: [Int64]] = [:]
        for (path, ids) in try Self.files(in: directory) {
            let partition = String(path[..<path.lastIndex(of: "/")!])
            found[partition, default: []].append(contentsOf: ids)
        }
        #expect(found.mapValues { $0.sorted() } == expected)
        #expect(found.keys.contains("bucket=x%2Fy/day=2023-07-01"))
        #expect(found.keys.contains("bucket=%3D/day=2023-07-01"))
        #expect(found.keys.contains("bucket=__HIVE_DEFAULT_PARTITION__/day=2023-07-01"))
        #expect(statistics.records.recordsWritten + rejected == 3000)
    }

    @Test func keepsMemoryBoundedByCuttingRowGroups() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let converter = try PartitionedConverter(
            directory: directory,
            template: try PartitionTemplate(parsing: "k={k}"),
            schema: Self.schema,
            configuration: .init(maximumBufferedBytes: 1 << 16, synchronize: false)
        )
        let padding = String(repeating: "z", count: 200)
        for id in 0..<20_000 { _ = try Self.append(converter, #"{"id":\#(id),"k":"\#(id % 2)\#(padding)"}"#) }
        let statistics = try converter.finish()
        #expect(statistics.rowGroupsCutForMemory > 0)
        #expect(statistics.rowGroups > 2)
        #expect(try Self.files(in: directory).values.reduce(0) { $0 + $1.count } == 20_000)
    }
}
