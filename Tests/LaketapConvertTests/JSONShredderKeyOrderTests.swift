import Parquet
import Testing

@testable import LaketapConvert

/// The shredder tries the key that followed the previous one last time before it looks a key up; whatever
/// order records list their fields in, each value lands in its own column.
@Suite struct JSONShredderKeyOrderTests {
    static let schema = StreamSchema(
        fields: [
            StreamField("a", .int64),
            StreamField("ab", .string),
            StreamField("inner", .object([StreamField("x", .int64), StreamField("xy", .int64)])),
            StreamField("name", .string),
        ],
        overflowColumn: "_extra"
    )

    static func strings(_ batch: ColumnBatch) -> [String] {
        guard case .byteArray(let buffer) = batch.values else { return [] }
        return (0..<buffer.count).map { index in
            String(decoding: buffer.bytes[Int(buffer.offsets[index])..<Int(buffer.offsets[index + 1])], as: UTF8.self)
        }
    }

    static func ints(_ batch: ColumnBatch) -> [Int64] {
        guard case .int64(let values) = batch.values else { return [] }
        return values
    }

    @Test func everyOrderLandsInItsColumns() throws {
        let records = [
            #"{"a":1,"ab":"p","inner":{"x":10,"xy":11},"name":"n1"}"#,
            #"{"a":2,"ab":"q","inner":{"x":20,"xy":21},"name":"n2"}"#,
            #"{"name":"n3","inner":{"xy":31,"x":30},"ab":"r","a":3}"#,
            #"{"a":4,"name":"n4"}"#,
            #"{"ab":"s","a":5,"zz":true,"inner":{"x":50},"name":"n5"}"#,
            #"{"a" :6,"ab":"t","inner":{"xy":61},"n\u0061me":"n6"}"#,
            #"{"a":7,"ab":"u","inner":{"x":70,"xy":71},"name":"n7"}"#,
        ]
        var shredder = try JSONShredder(schema: Self.schema)
        for record in records { try Array(record.utf8).withUnsafeBytes { try shredder.append($0) } }
        let batches = shredder.makeBatches()
        #expect(Self.ints(batches[0]) == [1, 2, 3, 4, 5, 6, 7])
        #expect(Self.strings(batches[1]) == ["p", "q", "r", "s", "t", "u"])
        #expect(batches[1].definitionLevels == [1, 1, 1, 0, 1, 1, 1])
        #expect(Self.ints(batches[2]) == [10, 20, 30, 50, 70])
        #expect(batches[2].definitionLevels == [2, 2, 2, 0, 2, 1, 2])
        #expect(Self.ints(batches[3]) == [11, 21, 31, 61, 71])
        #expect(batches[3].definitionLevels == [2, 2, 2, 0, 1, 2, 2])
        #expect(Self.strings(batches[4]) == ["n1", "n2", "n3", "n4", "n5", "n6", "n7"])
        #expect(Self.strings(batches[5]) == [#"{"zz":true}"#])
        #expect(batches[5].definitionLevels == [0, 0, 0, 0, 1, 0, 0])
    }

    @Test func aRepeatedKeyIsStillADuplicate() throws {
        var shredder = try JSONShredder(schema: StreamSchema(fields: Self.schema.fields, overflowColumn: nil))
        try Array(#"{"a":1,"ab":"p"}"#.utf8).withUnsafeBytes { try shredder.append($0) }
        // The key after "a" was "ab" last time: predicted and matched, then seen twice.
        #expect(throws: RecordRejection.self) {
            try Array(#"{"a":1,"ab":"p","ab":"q"}"#.utf8).withUnsafeBytes { try shredder.append($0) }
        }
        let batches = shredder.makeBatches()
        #expect(Self.ints(batches[0]) == [1])
        #expect(Self.strings(batches[1]) == ["p"])
    }
}
