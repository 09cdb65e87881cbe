import Testing

@testable import Parquet

/// The writer's dictionary of byte strings, and the encoder that looks its values up ahead of time.
@Suite struct ByteArrayDictionaryTests {
    /// `count` values cycling through `distinct` strings of different lengths.
    static func cycling(_ count: Int, distinct: Int) -> ByteArrayBuffer {
        var buffer = ByteArrayBuffer()
        for index in 0..<count {
            buffer.append(Array("value-\(index % distinct)-\(String(repeating: "x", count: index % 7))".utf8))
        }
        return buffer
    }

    @Test func aDictionaryHoldsEachValueOnceAndGrows() {
        var dictionary = ByteArrayDictionary(capacity: 4)
        let values = Self.cycling(5_000, distinct: 700 * 7)
        var seen: [String: UInt32] = [:]
        values.bytes.withUnsafeBytes { bytes in
            for index in 0..<values.count {
                let value = UnsafeRawBufferPointer(
                    rebasing: bytes[Int(values.offsets[index])..<Int(values.offsets[index + 1])]
                )
                let text = String(decoding: value, as: UTF8.self)
                let (entry, isNew) = dictionary.index(of: value)
                #expect(isNew == (seen[text] == nil))
                #expect(entry == seen[text, default: entry])
                seen[text] = entry
            }
        }
        #expect(dictionary.count == seen.count)
    }

    /// Values are looked up a few ahead of where they are indexed (their slots prefetched); every batch
    /// size around that distance must still find each value's one entry.
    @Test(arguments: [1, 7, 8, 9, 16, 1_000])
    func theEncoderFindsEachValueOnceWhateverTheBatches(batch: Int) throws {
        let schema = try ParquetSchema([.string("s", .required)])
        let column = schema.columns[0]
        let options = WriterOptions()
        var encoder = try ByteArrayValueEncoder(
            column: column,
            options: options.resolved(for: column),
            writerOptions: options
        )
        let distinct = 37
        let values = Self.cycling(2_000, distinct: distinct)
        var start = 0
        while start < values.count {
            let end = min(values.count, start + batch)
            try encoder.append(values, range: start..<end)
            start = end
        }
        // 37 × 7 strings: the index and the x's repeat with periods 37 and 7.
        #expect(encoder.finishChunk().dictionary?.count == distinct * 7)
    }
}
