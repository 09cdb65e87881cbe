import JSONScan
import Testing

@Suite struct JSONStringWriterTests {
    @Test func escapesQuotesBackslashesAndControlCharacters() {
        var output: [UInt8] = []
        JSONStringWriter.append("a\"b\\c\nd\u{1}", to: &output)
        #expect(String(decoding: output, as: UTF8.self) == #""a\"b\\c\nd\u0001""#)
        #expect(JSONStringWriter.quoted("\r\t\u{1F}é€😀") == #""\r\t\u001fé€😀""#)
        #expect(JSONStringWriter.quoted("") == #""""#)
    }

    @Test func whatItWritesScansBackToTheSameText() throws {
        for text in ["plain", "quote \" and \\", "line\nbreak", "\u{0}\u{7}\u{1B}", "Unicode ✓ 😀"] {
            let bytes = Array(JSONStringWriter.quoted(text).utf8)
            let decoded = try bytes.withUnsafeBytes { raw -> [UInt8]? in
                var scanner = JSONScanner(raw)
                guard case .string(let token) = try scanner.next() else { return nil }
                var decoded: [UInt8] = []
                token.decode(from: raw, appendingTo: &decoded)
                return decoded
            }
            #expect(decoded.map { String(decoding: $0, as: UTF8.self) } == text)
        }
    }
}
