import Parquet
import Testing

@testable import LaketapConvert

@Suite struct WideObjectTests {
    /// Objects of more than 64 members find their absent members by a loop instead of bit masks: a
    /// member in a list still takes its null level there, and a required one is still missed.
    @Test func wideObjectsLevelTheirAbsentMembers() throws {
        var fields = (0..<70).map { StreamField("f\($0)", .string) }
        fields.append(StreamField("tags", .list(.string)))
        fields.append(StreamField("id", .int64, isNullable: false))
        var shredder = try JSONShredder(schema: StreamSchema(fields: fields, overflowColumn: nil))
        try Array(#"{"f3":"a","id":1}"#.utf8).withUnsafeBytes { try shredder.append($0) }
        try Array(#"{"tags":["x"],"id":2}"#.utf8).withUnsafeBytes { try shredder.append($0) }
        #expect(throws: RecordRejection.self) {
            try Array(#"{"f1":"b"}"#.utf8).withUnsafeBytes { try shredder.append($0) }
        }
        let batches = shredder.makeBatches()
        #expect(batches[3].definitionLevels == [1, 0])
        #expect(batches[70].definitionLevels == [0, 3])
        #expect(batches[70].repetitionLevels == [0, 0])
        guard case .int64(let ids) = batches[71].values else {
            Issue.record("id is not an int64 column")
            return
        }
        #expect(ids == [1, 2])
    }
}
