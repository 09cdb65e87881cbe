import JSONScan
import Testing

/// ``JSONScanner/nextValue(decodingStringInto:)`` validates and unescapes a member's string in one
/// pass: it must give the tokens, text and errors of ``JSONScanner/next()`` followed by a decode.
@Suite struct JSONScannerDecodingTests {
    /// Pieces of string bodies as written in JSON, with the text each stands for.
    static let pieces: [(json: String, text: String)] = [
        (#"\""#, "\""), (#"\\"#, "\\"), (#"\/"#, "/"), (#"\b"#, "\u{8}"), (#"\f"#, "\u{C}"), (#"\n"#, "\n"),
        (#"\r"#, "\r"), (#"\t"#, "\t"), (#"\u00e9"#, "é"), (#"\u20AC"#, "€"), (#"\ud83d\ude00"#, "😀"),
        (#"\u0000"#, "\u{0}"), ("é", "é"), ("€", "€"), ("😀", "😀"), ("{", "{"),
    ]

    typealias Outcome = Result<(token: JSONToken, text: [UInt8]?), JSONScanError>

    /// Scans `{"k":<value>,"n":1}`, the member value with the decoding call (`decoding`) or with
    /// ``JSONScanner/next()`` and a decode; gives the value's token and decoded text (nil for a value
    /// that is not a string). After the decoding call the scanner must still find member "n".
    static func scan(value: String, decoding: Bool = true) -> Outcome {
        let bytes = Array(#"{"k":\#(value),"n":1}"#.utf8)
        return bytes.withUnsafeBytes { raw in
            Result { () throws(JSONScanError) in
                var scanner = JSONScanner(raw)
                _ = try scanner.next()
                _ = try scanner.next()
                guard decoding else {
                    let token = try scanner.next()
                    guard case .string(let string) = token else { return (token, nil) }
                    var decoded: [UInt8] = []
                    string.decode(from: raw, appendingTo: &decoded)
                    return (token, decoded)
                }
                let out = UnsafeMutableRawPointer.allocate(byteCount: scanner.remainingCount + 8, alignment: 8)
                defer { out.deallocate() }
                let (token, count) = try scanner.nextValue(decodingStringInto: out)
                if token == .beginObject || token == .beginArray {
                    while scanner.depth > 1 { _ = try scanner.next() }
                }
                guard case .key(let key) = try scanner.next(), key.string(from: raw) == "n" else {
                    throw JSONScanError(.unexpectedCharacter, "member n not found", byteOffset: 0, line: 1, column: 1)
                }
                return (token, count.map { Array(UnsafeRawBufferPointer(start: out, count: $0)) })
            }
        }
    }

    @Test func randomStringsDecodeAsTheyScan() throws {
        var state: UInt64 = 7
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for _ in 0..<2_000 {
            var json = ""
            var text = ""
            for _ in 0..<next(10) {
                let run = String(repeating: String("abcdefghijklmnop".prefix(1 + next(16))), count: next(3))
                let piece = Self.pieces[next(Self.pieces.count)]
                json += run + piece.json
                text += run + piece.text
            }
            let fused = try Self.scan(value: "\"\(json)\"").get()
            #expect(fused.text.map { String(decoding: $0, as: UTF8.self) } == text, "\(json)")
            #expect(try Self.scan(value: "\"\(json)\"", decoding: false).get().token == fused.token)
        }
    }

    /// JSON embedded in a string (`\"` every few bytes) takes the 64-byte path past its first escape
    /// where the CPU has AVX-512: escapes, other escapes, control characters, non-ASCII bytes and the
    /// closing quote at every offset around the 64-byte steps must decode, and fail, as they scan.
    @Test func embeddedJSONDecodesAsItScansAtEveryOffset() throws {
        let tails: [(json: String, text: String?)] = [
            (#"\""#, "\""), (#"\\"#, "\\"), (#"\\\""#, "\\\""), (#"\n"#, "\n"), (#"\u00e9"#, "é"), ("é", "é"),
            ("😀", "😀"), ("\u{1}", nil), (#"\x"#, nil),
        ]
        for prefix in 0..<140 {
            for tail in tails {
                let lead = String(repeating: "a", count: prefix % 7)
                let run = String(repeating: "b", count: prefix)
                let value = "\"" + lead + #"\"k\":"# + run + tail.json + #"x\"y"# + "\""
                let plain = Self.scan(value: value, decoding: false)
                let fused = Self.scan(value: value)
                switch (plain, fused) {
                case (.success(let expected), .success(let decoded)):
                    let text = lead + "\"k\":" + run + (tail.text ?? "?") + "x\"y"
                    #expect(decoded.text.map { String(decoding: $0, as: UTF8.self) } == text, "\(value)")
                    #expect(expected.token == decoded.token, "\(value)")
                    #expect(tail.text != nil, "\(value) was accepted")
                case (.failure(let expected), .failure(let error)):
                    #expect(error == expected, "\(value)")
                    #expect(tail.text == nil, "\(value) was rejected")
                default:
                    Issue.record("\(value): the scanner gave \(plain), the decoding scan \(fused)")
                }
            }
        }
    }

    @Test func otherValuesComeBackAsTokens() throws {
        for value in ["12", "-1.5e3", "true", "null", "[1,2]", #"{"a":"b"}"#] {
            let fused = try Self.scan(value: value).get()
            #expect(fused.text == nil, "\(value)")
            #expect(try Self.scan(value: value, decoding: false).get().token == fused.token, "\(value)")
        }
    }

    @Test func badStringsFailAsTheyDoWithoutDecoding() {
        let bad = [
            #""\x""#, #""\u12""#, #""\udc00""#, #""\ud800x""#, #""\ud800\u0041""#, "\"a\u{1}b\"",
            #""abcdefgh\"#,
        ]
        for value in bad {
            guard case .failure(let expected) = Self.scan(value: value, decoding: false),
                case .failure(let error) = Self.scan(value: value)
            else {
                Issue.record("\(value) was accepted")
                continue
            }
            #expect(error == expected, "\(value)")
        }
        // Invalid UTF-8 can only be written as bytes; an unterminated string only at the end.
        let inputs: [[UInt8]] = [
            Array(#"{"k":"ab"#.utf8) + [0xC0, 0x80] + Array(#""}"#.utf8),
            Array(#"{"k":"abcdefghijklmnop"#.utf8),
            Array(#"{"k":"ab\"#.utf8),
        ]
        for bytes in inputs {
            let errors = bytes.withUnsafeBytes { raw -> [JSONScanError] in
                var plain = JSONScanner(raw)
                var fused = JSONScanner(raw)
                _ = try? plain.next()
                _ = try? plain.next()
                _ = try? fused.next()
                _ = try? fused.next()
                let out = UnsafeMutableRawPointer.allocate(byteCount: fused.remainingCount + 8, alignment: 8)
                defer { out.deallocate() }
                var errors: [JSONScanError] = []
                do throws(JSONScanError) { _ = try plain.next() } catch { errors.append(error) }
                do throws(JSONScanError) { _ = try fused.nextValue(decodingStringInto: out) } catch {
                    errors.append(error)
                }
                return errors
            }
            #expect(errors.count == 2 && errors.first == errors.last, "\(bytes)")
        }
    }

    @Test func theLengthLimitHolds() {
        let bytes = Array(#"{"k":"abcdefghijkl"}"#.utf8)
        bytes.withUnsafeBytes { raw in
            var scanner = JSONScanner(raw, options: JSONScanOptions(maximumStringLength: 4))
            _ = try? scanner.next()
            _ = try? scanner.next()
            let out = UnsafeMutableRawPointer.allocate(byteCount: scanner.remainingCount + 8, alignment: 8)
            defer { out.deallocate() }
            #expect(throws: JSONScanError.self) { try scanner.nextValue(decodingStringInto: out) }
        }
    }
}
