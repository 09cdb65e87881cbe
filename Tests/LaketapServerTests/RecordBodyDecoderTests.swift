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
