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

    /// Random texts mixing runs of every length with characters that need escapes: decoding moves runs
    /// eight bytes at a time and must never overwrite what it has not read.
    @Test func randomEscapedTextsDecodeToThemselves() throws {
        var state: UInt64 = 42
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let specials: [String] = ["\"", "\\", "\n", "\u{1}", "é", "😀", "/"]
        for _ in 0..<500 {
            var text = ""
            for _ in 0..<next(12) {
                text += String(repeating: String("abcdefghij".prefix(1 + next(10))), count: 1 + next(3))
                text += specials[next(specials.count)]
            }
            let bytes = Array(JSONStringWriter.quoted(text).utf8)
            let decoded = try bytes.withUnsafeBytes { raw -> String? in
                var scanner = JSONScanner(raw)
                guard case .string(let token) = try scanner.next() else { return nil }
                var decoded: [UInt8] = [1, 2, 3]
                token.decode(from: raw, appendingTo: &decoded)
                return String(decoding: decoded.dropFirst(3), as: UTF8.self)
            }
            #expect(decoded == text)
        }
    }
}
