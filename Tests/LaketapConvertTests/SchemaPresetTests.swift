import Foundation
import JSONScan
import Testing

@testable import LaketapConvert

@Suite struct SchemaPresetTests {
    /// `python3 bench/gen_events.py logs --records 200` (seed 42).
    static func logRecords() throws -> [[UInt8]] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/logs-200", withExtension: "ndjson"))
        let bytes = try Data(contentsOf: url)
        return bytes.split(separator: UInt8(ascii: "\n")).map { Array($0) }
    }

    @Test func logPresetCoversEveryFieldTheGeneratorEmits() throws {
        let records = try Self.logRecords()
        #expect(records.count == 200)
        var shredder = try JSONShredder(schema: SchemaPreset.log.schema(overflowColumn: nil))
        for (index, record) in records.enumerated() {
            record.withUnsafeBytes { raw in
                do {
                    try shredder.append(raw, line: index + 1)
                } catch {
                    Issue.record("record \(index + 1) rejected: \(error)")
                }
            }
        }
        #expect(shredder.recordCount == 200)
    }

    @Test func logPresetKeepsTheGeneratorsFieldOrder() throws {
        // gen_events.py (like the Go struct of Data2Parquet-go) writes the fields in one fixed order,
        // omitting unset ones: each record's keys must be a subsequence of the preset's names.
        let names = SchemaPreset.log.fields.map(\.name)
        var seen: Set<String> = []
        for (index, record) in try Self.logRecords().enumerated() {
            let keys = record.withUnsafeBytes { raw in
                var keys: [String] = []
                var scanner = JSONScanner(raw)
                _ = try? scanner.next()
                while case .key(let key)? = try? scanner.next() {
                    keys.append(key.string(from: scanner.bytes))
                    try? scanner.skipValue()
                }
                return keys
            }
            let positions = keys.map { names.firstIndex(of: $0) ?? -1 }
            #expect(!positions.contains(-1) && positions == positions.sorted(), "record \(index + 1): \(keys)")
            seen.formUnion(keys)
        }
        #expect(seen == Set(names), "fields the fixture never has: \(Set(names).subtracting(seen))")
        #expect(names.first == "time" && SchemaPreset.log.fields.first?.isNullable == false)
        #expect(SchemaPreset.log.fields.first { $0.name == "args" }?.type == .map(.string))
        #expect(SchemaPreset.log.fields.first { $0.name == "extra_fields" }?.type == .map(.string))
    }

    @Test func eventsPresetShredsGeneratedEvents() throws {
        var shredder = try JSONShredder(schema: SchemaPreset.events.schema(overflowColumn: nil))
        let record =
            #"{"name":"anonymous_visited","tstamp":"2023-06-18 00:00:01.318472","payload":"{\"dvce_os\":\"iOS 17.1\"}","payload_md5":"0cc175b9c0f1b6a831c399e269772661"}"#
        try Array(record.utf8).withUnsafeBytes { try shredder.append($0) }
        #expect(shredder.recordCount == 1)
    }

    @Test func declaredSchemaLoadsPresetsAndRejectsUnknownOnes() throws {
        #expect(
            try DeclaredSchema(loading: "preset:log", overflowColumn: nil).schema
                == SchemaPreset.log.schema(overflowColumn: nil)
        )
        #expect(throws: ConvertError.self) { try DeclaredSchema(loading: "preset:nope", overflowColumn: "_extra") }
        #expect(throws: ConvertError.self) { try DeclaredSchema(loading: "schema.txt", overflowColumn: "_extra") }
    }
}
