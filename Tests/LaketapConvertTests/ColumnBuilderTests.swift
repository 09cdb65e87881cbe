import JSONScan
import Parquet
import Testing

@testable import LaketapConvert

@Suite struct ColumnBuilderTests {
    static func stringColumn() throws -> ColumnDescriptor {
        try StreamSchema(fields: [StreamField("a", .string)], overflowColumn: nil).parquetSchema().columns[0]
    }

    /// Appends member "a"'s value of `record` the way the shredder does.
    static func appendMemberA(of record: String, to builder: inout ColumnBuilder) throws -> JSONToken? {
        try Array(record.utf8).withUnsafeBytes { raw in
            var scanner = JSONScanner(raw)
            _ = try scanner.next()
            _ = try scanner.next()
            return try builder.appendStringValue(&scanner)
        }
    }

    /// Strings are unescaped into slack after the column's bytes, which must hold the rest of the record
    /// while a string is scanned; a long record must not leave every string column that much slack.
    @Test func aLongRecordLeavesNoSlackOfItsSize() throws {
        var builder = ColumnBuilder(column: try Self.stringColumn())
        let long = String(repeating: "x", count: 1 << 20)
        #expect(try Self.appendMemberA(of: #"{"a":"sh\"ort","b":"\#(long)"}"#, to: &builder) == nil)
        #expect(try Self.appendMemberA(of: #"{"a":"second","b":"\#(long)"}"#, to: &builder) == nil)
        #expect(builder.usedBytes == 12)
        #expect(builder.bytes.bytes.count < 256 << 10, "slack \(builder.bytes.bytes.count) bytes")
        guard case .number(let number)? = try Self.appendMemberA(of: #"{"a":12}"#, to: &builder) else {
            Issue.record("a number came back as something else")
            return
        }
        #expect(number.int64 == 12 && builder.usedBytes == 12)

        let batch = builder.takeBatch()
        guard case .byteArray(let values) = batch.values else {
            Issue.record("not a byte array batch")
            return
        }
        #expect(values.bytes.prefix(12) == ArraySlice(#"sh"ortsecond"#.utf8))
        #expect(values.offsets == [0, 6, 12])
    }
}
