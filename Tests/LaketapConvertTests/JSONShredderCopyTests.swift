import Parquet
import Testing

@testable import LaketapConvert

@Suite struct JSONShredderCopyTests {
    static let schema = StreamSchema(
        fields: [
            StreamField("id", .int64, isNullable: false),
            StreamField("tags", .list(.string)),
        ],
        overflowColumn: nil
    )

    static func append(_ text: String, to shredder: inout JSONShredder) throws {
        try Array(text.utf8).withUnsafeBytes { try shredder.append($0) }
    }

    static func ids(_ batches: [ColumnBatch]) -> [Int64] {
        guard case .int64(let values) = batches[0].values else { return [] }
        return values
    }

    static func tags(_ batches: [ColumnBatch]) -> [String] {
        guard case .byteArray(let buffer) = batches[1].values else { return [] }
        return (0..<buffer.count).map { index in
            String(decoding: buffer.bytes[Int(buffer.offsets[index])..<Int(buffer.offsets[index + 1])], as: UTF8.self)
        }
    }

    /// The shredder keeps its buffers behind references (builders, path, level row) for speed; a copy
    /// must still behave as a value: records appended to one never show in the other.
    @Test func aCopiedShredderIsIndependent() throws {
        var original = try JSONShredder(schema: Self.schema)
        try Self.append(#"{"id":1,"tags":["a"]}"#, to: &original)
        var copy = original
        try Self.append(#"{"id":2,"tags":["b","c"]}"#, to: &original)
        try Self.append(#"{"id":3}"#, to: &copy)
        #expect(throws: RecordRejection.self) { try Self.append(#"{"tags":["lost"]}"#, to: &copy) }

        let first = original.makeBatches()
        let second = copy.makeBatches()
        #expect(Self.ids(first) == [1, 2])
        #expect(Self.tags(first) == ["a", "b", "c"])
        #expect(first[1].repetitionLevels == [0, 0, 1])
        #expect(Self.ids(second) == [1, 3])
        #expect(Self.tags(second) == ["a"])
        #expect(second[1].definitionLevels == [3, 0])
    }
}
