import JSONScan
import LaketapPipeline
import Testing

@testable import LaketapServer

@Suite struct RecordBodyDecoderTests {
    static let limits = RecordBodyDecoder.Limits(ServerConfiguration())

    func decode(_ body: [UInt8], encoding: BodyEncoding = .identity, chunkSize: Int) throws -> RecordBodyDecoder.Result
    {
        var decoder = try RecordBodyDecoder(encoding: encoding, limits: Self.limits)
        var start = 0
        while start < body.count {
            let end = min(start + chunkSize, body.count)
            try body[start..<end].withUnsafeBytes { try decoder.consume($0) }
            start = end
        }
        return try decoder.finish()
    }

    @Test(arguments: [1, 2, 7, 4096])
    func chunkBoundariesDoNotMatter(_ chunkSize: Int) throws {
        let body = Array("\u{FEFF}{\"a\":\"x\\\"y\"}\r\n{\"b\" 1}\n\n[{\"c\":[1,2]},{\"d\":{}}]\n{\"e\":1}".utf8)
        let whole = try self.decode(body, chunkSize: body.count)
        let chunked = try self.decode(body, chunkSize: chunkSize)
        #expect(chunked.batch == whole.batch)
        #expect(chunked.rejections == whole.rejections)
        #expect(whole.batch.count == 4)
        #expect(whole.rejections.map(\.index) == [1])
        #expect(whole.recordCount == 5)
        #expect(whole.decompressedBytes == body.count)
    }

    @Test(arguments: [1, 3, 1000])
    func compressedBodiesDecodeInAnyChunks(_ chunkSize: Int) throws {
        let body = Array((0..<500).map { "{\"n\":\($0)}\n" }.joined().utf8)
        for (encoding, compressed) in [(BodyEncoding.gzip, Compression.gzip(body)), (.zstd, Compression.zstd(body))] {
            let result = try self.decode(compressed, encoding: encoding, chunkSize: chunkSize)
            #expect(result.batch.count == 500)
            #expect(result.decompressedBytes == body.count)
        }
    }

    /// Object lines are framed unchecked and validated once; the records and refusals are those of
    /// framing every record exactly, then validating it: objects concatenated on a line, an object with
    /// junk after it, a malformed line, braces and escapes inside strings, and a line cut by a newline.
    @Test(arguments: [1, 5, 4096])
    func uncheckedLinesGiveTheRecordsOfExactFraming(_ chunkSize: Int) throws {
        let text =
            "{\"a\":1}{\"b\":2}\n{\"c\" 3}\n{\"d\":1} junk\n{\"e\":\"}{\\\"\"}\n {\"f\":[1,\n2]}\n[{\"g\":1}]\n{\"h\":1}"
        let body = Array(text.utf8)
        let got = try self.decode(body, chunkSize: chunkSize)

        var framer = JSONRecordFramer(options: .init(maximumRecordBytes: Self.limits.maxRecordBytes))
        framer.append(body)
        framer.finish()
        var expected = RecordBatch()
        var refusals: [String] = []
        var count = 0
        while let record = framer.nextRecord() {
            framer.withUnsafeBytes { buffer in
                let bytes = UnsafeRawBufferPointer(rebasing: buffer[record.range])
                let options = JSONScanOptions(maximumDepth: Self.limits.maxDepth)
                let refusal: Refusal? =
                    record.error.map { Refusal($0) }
                    ?? RecordBodyDecoder.validate(bytes, record: record, options: options)
                if let refusal {
                    refusals.append("\(count) \(refusal.code): \(refusal.reason)")
                } else {
                    expected.append(bytes)
                }
            }
            count += 1
        }
        #expect(expected.count == 6)  // a, b, d, e, g (an array element), h
        #expect(refusals.count == 4)  // c, junk, and the two halves of f
        #expect(got.batch == expected)
        #expect(got.rejections.map { "\($0.index) \($0.record.code): \($0.record.reason)" } == refusals)
        #expect(got.recordCount == count)
    }

    @Test func refusalCodesAreAFixedSet() {
        let deep = "{\"a\":" + String(repeating: "[", count: 70) + String(repeating: "]", count: 70) + "}"
        let texts = ["{\"a\" 1}", "{\"a\":\"\u{1}\"}", "5", deep, "{\"a\":\"\u{E9}\"}"]
        let codes = texts.map { text in
            let bytes = Array(text.utf8)
            return bytes.withUnsafeBytes { buffer in
                RecordBodyDecoder.validate(
                    buffer,
                    record: .init(range: 0..<bytes.count, line: 1, byteOffset: 0),
                    options: .init(maximumDepth: 64)
                )?.code
            }
        }
        #expect(codes == ["malformed_json", "malformed_json", "not_an_object", "depth_exceeded", nil])
    }
}
