import JSONScan
import Testing

@Suite struct JSONScannerTests {
    @Test func scansEveryTokenKind() throws {
        let tokens = try describeTokens(
            #" {"a": [1, -2.5, "x", true, false, null, {}, []], "b": 12345678901234567890} "#
        ).get()
        #expect(
            tokens == [
                "{", "key:a", "[", "int:1", "dec:-2.5", "str:x", "true", "false", "null", "{", "}", "[", "]", "]",
                "key:b", "big:12345678901234567890", "}",
            ]
        )
    }

    @Test func scansTopLevelScalars() throws {
        #expect(try describeTokens("42").get() == ["int:42"])
        #expect(try describeTokens(" \"s\" ").get() == ["str:s"])
        #expect(try describeTokens("null").get() == ["null"])
        #expect(try describeTokens("false\r\n").get() == ["false"])
    }

    @Test func endOfInputRepeats() throws {
        let bytes = Array("{}".utf8)
        try bytes.withUnsafeBytes { buffer throws in
            var scanner = JSONScanner(buffer)
            #expect(try scanner.next() == .beginObject)
            #expect(try scanner.next() == .endObject)
            #expect(try scanner.next() == .endOfInput)
            #expect(try scanner.next() == .endOfInput)
            #expect(scanner.offset == 2)
        }
    }

    @Test func nests() throws {
        let tokens = try describeTokens(#"[[[{"a":{"b":[{"c":[]}]}}]]]"#).get()
        #expect(tokens.count == 19)
        #expect(tokens.first == "[" && tokens.last == "]")
    }

    @Test func skipsValues() throws {
        let bytes = Array(#"{"skip": {"x": [1, {"y": "}"}], "z": "]"}, "keep": 7, "s": "v"}"#.utf8)
        try bytes.withUnsafeBytes { buffer throws in
            var scanner = JSONScanner(buffer)
            #expect(try scanner.next() == .beginObject)
            guard case .key = try scanner.next() else {
                Issue.record("expected a key")
                return
            }
            try scanner.skipValue()
            guard case .key(let keep) = try scanner.next() else {
                Issue.record("expected a key")
                return
            }
            #expect(keep.string(from: buffer) == "keep")
            guard case .number(let seven) = try scanner.next() else {
                Issue.record("expected a number")
                return
            }
            #expect(seven.int64 == 7)
            _ = try scanner.next()
            try scanner.skipValue()
            #expect(try scanner.next() == .endObject)
            #expect(try scanner.next() == .endOfInput)
        }
        #expect(throws: JSONScanError.self) {
            try Array(#"{"a": [1, }"#.utf8).withUnsafeBytes { buffer throws in
                var scanner = JSONScanner(buffer)
                _ = try scanner.next()
                _ = try scanner.next()
                try scanner.skipValue()
            }
        }
    }

    // MARK: - Strings

    @Test func decodesAllEscapes() throws {
        let tokens = try describeTokens(#"["\"\\\/\b\f\n\r\t", "\u0041\u00e9\u20AC", "\ud83d\ude00", "a\u0000b"]"#)
            .get()
        #expect(tokens == ["[", "str:\"\\/\u{08}\u{0C}\n\r\t", "str:Aé€", "str:😀", "str:a\u{0}b", "]"])
    }

    @Test func keepsRawBytesWhenThereAreNoEscapes() throws {
        let bytes = Array(#""Zürich 東京 — plain""#.utf8)
        bytes.withUnsafeBytes { buffer in
            var scanner = JSONScanner(buffer)
            guard case .string(let token) = try? scanner.next() else {
                Issue.record("expected a string")
                return
            }
            #expect(!token.hasEscapes)
            #expect(token.range == 1..<(bytes.count - 1))
            #expect(token.string(from: buffer) == "Zürich 東京 — plain")
        }
    }

    @Test func scansLongStringsAcrossWordBoundaries() throws {
        for length in 0..<40 {
            for escapeAt in [-1] + Array(0..<length) {
                var body = String(repeating: "a", count: length)
                var expected = body
                if escapeAt >= 0 {
                    let index = body.index(body.startIndex, offsetBy: escapeAt)
                    body.replaceSubrange(index...index, with: "\\n")
                    expected.replaceSubrange(index...index, with: "\n")
                }
                #expect(try describeTokens("\"\(body)\"").get() == ["str:" + expected])
            }
        }
    }

    @Test(arguments: [
        (#""\ud800""#, JSONScanError.Code.invalidSurrogate),
        (#""\udc00""#, .invalidSurrogate),
        (#""\ud800\u0041""#, .invalidSurrogate),
        (#""\ud800x""#, .invalidSurrogate),
        (#""\ude00\ud83d""#, .invalidSurrogate),
        (#""\x""#, .invalidEscape),
        (#""\u12G4""#, .invalidEscape),
        (#""\'""#, .invalidEscape),
        (#""\u12"#, .unexpectedEnd),
        (#""abc"#, .unexpectedEnd),
        ("\"tab\there\"", .unexpectedCharacter),
        ("\"new\nline\"", .unexpectedCharacter),
    ])
    func rejectsBadStrings(text: String, code: JSONScanError.Code) {
        #expect(scanError(text)?.code == code)
    }

    @Test(
        arguments: [
            ([0x22, 0xC0, 0xAF, 0x22], 1),  // overlong '/'
            ([0x22, 0xE0, 0x80, 0xAF, 0x22], 1),  // overlong, three bytes
            ([0x22, 0xF0, 0x80, 0x80, 0xAF, 0x22], 1),  // overlong, four bytes
            ([0x22, 0x61, 0xED, 0xA0, 0x80, 0x22], 2),  // U+D800 encoded in UTF-8
            ([0x22, 0xED, 0xBF, 0xBF, 0x22], 1),  // U+DFFF encoded in UTF-8
            ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 1),  // U+110000
            ([0x22, 0xF5, 0x80, 0x80, 0x80, 0x22], 1),  // lead byte above F4
            ([0x22, 0x61, 0x62, 0xC3, 0x22], 3),  // truncated two-byte sequence
            ([0x22, 0xE2, 0x82, 0x22], 1),  // truncated three-byte sequence
            ([0x22, 0xE2, 0x82], 1),  // truncated by the end of input
            ([0x22, 0x80, 0x22], 1),  // lone continuation byte
            ([0x22, 0xFF, 0x22], 1),
            ([0x22] + Array(repeating: 0x61, count: 13) + [0xC3, 0x28, 0x22], 14),  // after a SWAR run
        ] as [([UInt8], Int)]
    )
    func rejectsInvalidUTF8WithItsOffset(bytes: [UInt8], offset: Int) {
        let error = scanError(bytes)
        #expect(error?.code == .invalidUTF8)
        #expect(error?.byteOffset == offset)
    }

    @Test func acceptsEveryUTF8Length() throws {
        let text = "\"$ ¢ € 𐍈 \u{10FFFF} \u{E000} \u{FFFD}\""
        #expect(try describeTokens(text).get() == ["str:$ ¢ € 𐍈 \u{10FFFF} \u{E000} \u{FFFD}"])
    }

    @Test func limitsStringLength() {
        let options = JSONScanOptions(maximumStringLength: 4)
        #expect((try? describeTokens(#"["abcd"]"#, options: options).get()) != nil)
        #expect(scanError(#"["abcde"]"#, options: options)?.code == .stringTooLong)
    }

    // MARK: - Numbers

    @Test func scansNumbers() throws {
        let tokens = try describeTokens("[0, -0, 0.5, 1e5, 1E-5, -1.25e+3, 9223372036854775807, -9223372036854775808]")
            .get()
        #expect(
            tokens == [
                "[", "int:0", "int:0", "dec:0.5", "dec:1e5", "dec:1E-5", "dec:-1.25e+3", "int:9223372036854775807",
                "int:-9223372036854775808", "]",
            ]
        )
        #expect(try describeTokens("9223372036854775808").get() == ["big:9223372036854775808"])
        #expect(try describeTokens("-9223372036854775809").get() == ["big:-9223372036854775809"])
        #expect(try describeTokens("18446744073709551616").get() == ["big:18446744073709551616"])
        #expect(try describeTokens("99999999999999999999").get() == ["big:99999999999999999999"])
        #expect(try describeTokens("1000000000000000000").get() == ["int:1000000000000000000"])
    }

    @Test(arguments: [
        ("01", JSONScanError.Code.invalidNumber), ("-01", .invalidNumber), ("00", .invalidNumber),
        ("1.", .unexpectedEnd), ("1.e5", .invalidNumber), ("1e", .unexpectedEnd), ("1e+", .unexpectedEnd),
        ("[1e]", .invalidNumber), ("-", .unexpectedEnd), ("-a", .invalidNumber), ("+1", .unexpectedCharacter),
        (".5", .unexpectedCharacter), ("NaN", .unexpectedCharacter), ("Infinity", .unexpectedCharacter),
        ("-Infinity", .invalidNumber), ("0x10", .trailingContent), ("1 2", .trailingContent),
    ])
    func rejectsBadNumbers(text: String, code: JSONScanError.Code) {
        #expect(scanError(text)?.code == code)
    }

    @Test func convertsNumbersToDouble() {
        #expect(parseDouble("-0")?.sign == .minus)
        #expect(parseDouble("-0.0")?.sign == .minus)
        #expect(parseDouble("0") == 0)
        #expect(parseDouble("0.5") == 0.5)
        #expect(parseDouble("1e5") == 100_000)
        #expect(parseDouble("1E-5") == 1e-5)
        #expect(parseDouble("9223372036854775807") == 9_223_372_036_854_775_807.0)
        #expect(parseDouble("12345678901234567890123") == 1.2345678901234568e22)
        #expect(parseDouble("1e400") == .infinity)
        #expect(parseDouble("-1e400") == -.infinity)
        #expect(parseDouble("1e-400") == 0)
    }

    /// Cases where naive digit-by-digit conversion rounds wrongly; expectations are Swift literals, which the
    /// compiler rounds correctly.
    @Test(
        arguments: [
            ("0.1", 0.1), ("0.3", 0.3), ("2.2250738585072011e-308", Double(bitPattern: 0x000F_FFFF_FFFF_FFFF)),
            ("2.2250738585072014e-308", 2.2250738585072014e-308), ("4.9e-324", .leastNonzeroMagnitude),
            ("1.7976931348623157e308", 1.7976931348623157e308), ("9007199254740993", 9007199254740992.0),
            ("9007199254740993.0", 9007199254740992.0), ("9007199254740995.0", 9007199254740996.0),
            ("0.1000000000000000055511151231257827", 0.1), ("3.141592653589793238462643383279", 3.141592653589793),
            ("1.00000000000000011102230246251565404236316680908203125", 1.0),
            ("1.00000000000000011102230246251565404236316680908203126", 1.0000000000000002),
            ("7.038531e-26", 7.038531e-26), ("123456789012345678e-20", 1.2345678901234568e-3),
            ("1e22", 1e22), ("1e23", 1e23), ("8.589973e9", 8.589973e9), ("78.3", 78.3), ("-172.6", -172.6),
        ] as [(String, Double)]
    )
    func roundsDoublesCorrectly(text: String, expected: Double) {
        #expect(parseDouble(text) == expected)
    }

    // MARK: - Structure and errors

    @Test func errorsNameLineOffsetAndExpectation() throws {
        let text = "{\n  \"a\": 1,\n  \"b\" 2\n}"
        let error = try #require(scanError(text))
        #expect(error.code == .unexpectedCharacter)
        #expect(error.line == 3)
        #expect(error.column == 7)
        #expect(error.byteOffset == 18)
        #expect(error.message == "expected ':' after object key, found '2'")
        #expect(
            error.description
                == "unexpectedCharacter at line 3, column 7 (byte 18): expected ':' after object key, found '2'"
        )
    }

    @Test func errorsUseTheBaseOffsetAndLine() throws {
        let bytes = Array(#"{"a":1 "b":2}"#.utf8)
        let error = bytes.withUnsafeBytes { buffer -> JSONScanError? in
            var scanner = JSONScanner(buffer, baseOffset: 1000, line: 41)
            do throws(JSONScanError) {
                while try scanner.next() != .endOfInput {}
            } catch {
                return error
            }
            return nil
        }
        #expect(error?.byteOffset == 1007)
        #expect(error?.line == 41)
        #expect(error?.message == "expected ',' or '}' after object member, found '\"'")
    }

    @Test(arguments: [
        ("", JSONScanError.Code.unexpectedEnd, "expected a JSON value"),
        ("{", .unexpectedEnd, "expected '\"' or '}' after '{'"),
        ("[", .unexpectedEnd, "expected a value or ']' after '['"),
        ("[1", .unexpectedEnd, "expected ',' or ']' after array element"),
        (#"{"a""#, .unexpectedEnd, "expected ':' after object key"),
        (#"{"a":"#, .unexpectedEnd, "expected a value after ':'"),
        (#"{"a":1"#, .unexpectedEnd, "expected ',' or '}' after object member"),
        (#"{"a":1,"#, .unexpectedEnd, "expected '\"' to begin an object key after ','"),
        ("[1,", .unexpectedEnd, "expected a value after ','"),
        ("[1,]", .unexpectedCharacter, "expected a value after ',', found ']'"),
        (#"{"a":1,}"#, .unexpectedCharacter, "expected '\"' to begin an object key after ',', found '}'"),
        ("{1:2}", .unexpectedCharacter, "expected '\"' or '}' after '{', found '1'"),
        ("[1}", .unexpectedCharacter, "expected ',' or ']' after array element, found '}'"),
        (#"{"a":1]"#, .unexpectedCharacter, "expected ',' or '}' after object member, found ']'"),
        ("[1 2]", .unexpectedCharacter, "expected ',' or ']' after array element, found '2'"),
        ("{} {}", .trailingContent, "expected end of input after the top-level value, found '{'"),
        ("tru", .unexpectedEnd, "expected 'true'"),
        ("trUe", .invalidLiteral, "expected 'true', found 'U'"),
        ("nul", .unexpectedEnd, "expected 'null'"),
        ("fals", .unexpectedEnd, "expected 'false'"),
        ("[\u{0C}]", .unexpectedCharacter, "expected a value or ']' after '[', found byte 0x0C"),
        ("'a'", .unexpectedCharacter, "expected a JSON value, found '''"),
    ])
    func reportsStructuralErrors(text: String, code: JSONScanError.Code, message: String) {
        let error = scanError(text)
        #expect(error?.code == code)
        #expect(error?.message == message)
    }

    @Test func limitsDepth() throws {
        let deep = String(repeating: "[", count: 128) + String(repeating: "]", count: 128)
        #expect((try? describeTokens(deep).get())?.count == 256)
        let tooDeep = String(repeating: "[", count: 129) + String(repeating: "]", count: 129)
        let error = try #require(scanError(tooDeep))
        #expect(error.code == .depthExceeded)
        #expect(error.byteOffset == 128)
        let options = JSONScanOptions(maximumDepth: 300)
        let mixed = String(repeating: #"{"a":["#, count: 150) + String(repeating: "]}", count: 150)
        #expect((try? describeTokens(mixed, options: options).get())?.count == 750)
        #expect(scanError(String(repeating: #"{"a":["#, count: 150) + "]}", options: options)?.code == .unexpectedEnd)
        #expect(scanError(String(repeating: "[", count: 150) + "}", options: options)?.code == .unexpectedCharacter)
    }
}
