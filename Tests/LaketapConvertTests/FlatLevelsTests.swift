import Parquet
import Testing

@testable import LaketapConvert

@Suite struct FlatLevelsTests {
    /// The flat columns' levels are kept as one row per accepted record, in storage that grows past its
    /// first 1,024 rows: across the growth, around rejected records and over two batches, each column
    /// gets each record's level in order.
    @Test func levelsSurviveGrowthRejectionsAndBatches() throws {
        let schema = StreamSchema(
            fields: [
                StreamField("a", .string), StreamField("b", .int64),
                StreamField("n", .object([StreamField("c", .boolean)])),
            ],
            overflowColumn: nil
        )
        var shredder = try JSONShredder(schema: schema)
        var expectedA: [UInt8] = []
        var expectedC: [UInt8] = []
        for batch in 0..<2 {
            for index in 0..<3_000 {
                let record: String
                switch (index + batch) % 4 {
                case 0: record = #"{"a":"x","n":{"c":true}}"#
                case 1: record = #"{"b":1,"n":{}}"#
                case 2: record = #"{"a":"y"}"#
                default: record = #"{"b":"not a number","a":"z"}"#  // rejected
                }
                let accepted = (try? Array(record.utf8).withUnsafeBytes { try shredder.append($0) }) != nil
                #expect(accepted == ((index + batch) % 4 != 3))
                guard accepted else { continue }
                expectedA.append(record.contains(#""a""#) ? 1 : 0)
                expectedC.append(record.contains(#""c""#) ? 2 : record.contains(#""n""#) ? 1 : 0)
            }
            let batches = shredder.makeBatches()
            #expect(batches[0].definitionLevels == expectedA)
            #expect(batches[2].definitionLevels == expectedC)
            expectedA.removeAll()
            expectedC.removeAll()
        }
    }
}
