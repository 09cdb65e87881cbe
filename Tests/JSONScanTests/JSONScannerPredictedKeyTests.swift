import JSONScan
import Testing

/// `next(predicting:)` returns what `next()` returns, token for token and error for error, whatever the
/// prediction; it only skips scanning a key that is exactly the predicted one.
@Suite struct JSONScannerPredictedKeyTests {
    /// Names predicted in turn: some in the texts below, some prefixes or extensions of them, one empty,
    /// one that cannot be predicted (its JSON form differs from its bytes).
    static let names: [[UInt8]] = ["a", "ab", "name", "names", "nam", "", "payload_md5", "a\"b", "tstamp", "x"]
        .map { Array($0.utf8) }

    /// Scans `bytes` predicting `names[(step + shift) % count]` at each step (one step in `names.count + 1`
    /// predicts nothing; with `shift` nil, `next()` scans); describes each token as
    /// ``describeTokens(_:options:)`` does, and checks that a matched key is the predicted one.
    static func describePredicting(
        _ bytes: [UInt8],
        shift: Int?,
        options: JSONScanOptions = .init()
    ) -> Result<[String], JSONScanError> {
        let storage = UnsafeMutableRawPointer.allocate(byteCount: 64 * Self.names.count, alignment: 8)
        defer { storage.deallocate() }
        let predictions = Self.names.enumerated().map { PredictedKey.make($1, storage: storage + 64 * $0) }
        return bytes.withUnsafeBytes { buffer in
            var scanner = JSONScanner(buffer, options: options)
            var out: [String] = []
            var step = shift ?? 0
            do throws(JSONScanError) {
                while true {
                    step += 1
                    let slot = shift == nil ? predictions.count : step % (predictions.count + 1)
                    let prediction = slot < predictions.count ? predictions[slot] : .none
                    // Without a shift, plain `next()`: the baseline the predictions are held to.
                    let (token, matched) =
                        shift == nil ? (try scanner.next(), false) : try scanner.next(predicting: prediction)
                    if matched {
                        guard case .key(let key) = token, Array(buffer[key.range]) == Self.names[slot] else {
                            Issue.record("matched \(token) for prediction \(slot)")
                            return .success(out)
                        }
                    }
                    switch token {
                    case .beginObject: out.append("{")
                    case .endObject: out.append("}")
                    case .beginArray: out.append("[")
                    case .endArray: out.append("]")
                    case .key(let key): out.append("key:" + key.string(from: buffer) + (key.hasEscapes ? "\\" : ""))
                    case .string(let string): out.append("str:" + string.string(from: buffer))
                    case .number(let number): out.append("num:" + String(decoding: buffer[number.range], as: UTF8.self))
                    case .bool(let value): out.append(value ? "true" : "false")
                    case .null: out.append("null")
                    case .endOfInput: return .success(out)
                    }
                }
            } catch {
                return .failure(error)
            }
        }
    }

    /// What plain `next()` gives, described the same way.
    static func describePlain(_ bytes: [UInt8], options: JSONScanOptions = .init()) -> Result<[String], JSONScanError> {
        Self.describePredicting(bytes, shift: nil, options: options)
    }

    static let texts = [
        #"{"name":"click","tstamp":"2023-06-18 00:00:00","payload":"{\"a\":1}","payload_md5":"b0ee"}"#,
        #"{"a":1,"ab":2,"names":3,"nam":4,"":5,"x":{"a":[1,{"ab":null}],"name":{}},"y":[]}"#,
        "{ \"a\" : 1 , \"ab\":2,\"name\" :3,\t\"names\":4 }",
        #"{"n\u0061me":1,"a\"b":2,"a\\":3,"\u0061":4}"#,
        #"[{"a":1},{"ab":2},["name",{"name":"name"}],"a",{}]"#,
        #"{"a":1 "ab":2}"#,
        #"{"a":1,}"#,
        #"{"a":1,,"ab":2}"#,
        #"{"a"1}"#,
        #"{,"a":1}"#,
        #"{"a":1}}"#,
        #"{"a":1]"#,
        #"{"payload_md5":"x","payload_md5":"y"}"#,
        "{\"a\u{1}\":1}",
        #"{"é":1,"name":"é"}"#,
        "",
        "   ",
        "{}",
        #"{"":{"":{"":[]}}}"#,
    ]

    @Test func everyPredictionGivesWhatNextGives() {
        for text in Self.texts {
            let bytes = Array(text.utf8)
            // Every prefix too: a prediction read near the end must stop where the input does.
            for end in 0...bytes.count {
                let prefix = Array(bytes[0..<end])
                let plain = Self.describePlain(prefix)
                for shift in 0...Self.names.count {
                    #expect(Self.describePredicting(prefix, shift: shift) == plain, "\(text) up to \(end), \(shift)")
                }
            }
        }
    }

    @Test func randomMutationsGiveWhatNextGives() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let alphabet = Array(#"{}[]:,"\ anmex1é"#.utf8)
        for _ in 0..<3000 {
            var bytes = Array(Self.texts[next(5)].utf8)
            for _ in 0..<(1 + next(3)) {
                let at = next(bytes.count)
                switch next(3) {
                case 0: bytes[at] = alphabet[next(alphabet.count)]
                case 1: bytes.remove(at: at)
                default: bytes.insert(alphabet[next(alphabet.count)], at: at)
                }
            }
            let plain = Self.describePlain(bytes)
            let shift = next(Self.names.count + 1)
            #expect(Self.describePredicting(bytes, shift: shift) == plain, "\(String(decoding: bytes, as: UTF8.self))")
        }
    }

    @Test func aMatchedKeyIsConsumedWithItsColon() throws {
        // `try` fails the test on a scan error; a token of the wrong kind is recorded as an issue.
        let bytes = Array(#"{"payload_md5":"b0ee","name" :1}"#.utf8)
        let storage = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 8)
        defer { storage.deallocate() }
        let md5 = PredictedKey.make(Array("payload_md5".utf8), storage: storage)
        let name = PredictedKey.make(Array("name".utf8), storage: storage + 32)
        try bytes.withUnsafeBytes { buffer in
            var scanner = JSONScanner(buffer)
            #expect(try scanner.next() == .beginObject)
            let (key, matched) = try scanner.next(predicting: md5)
            #expect(matched)
            guard case .key(let token) = key else {
                Issue.record("expected a key, got \(key)")
                return
            }
            #expect(token.string(from: buffer) == "payload_md5" && !token.hasEscapes)
            #expect(scanner.offset == 15)
            guard case .string(let value) = try scanner.next() else {
                Issue.record("expected the member's string value")
                return
            }
            #expect(value.string(from: buffer) == "b0ee")
            // Whitespace before the colon: scanned, not matched.
            let (other, otherMatched) = try scanner.next(predicting: name)
            #expect(!otherMatched)
            guard case .key(let otherToken) = other else {
                Issue.record("expected a key, got \(other)")
                return
            }
            #expect(otherToken.string(from: buffer) == "name")
        }
    }

    @Test func aNameTooLongForTheLimitFailsAsWithoutPrediction() {
        let options = JSONScanOptions(maximumStringLength: 3)
        for shift in 0...Self.names.count {
            let text = Array(#"{"names":1}"#.utf8)
            let plain = Self.describePlain(text, options: options)
            guard case .failure(let error) = plain else {
                Issue.record("expected the limit to reject the key")
                return
            }
            #expect(error.code == .stringTooLong)
            #expect(Self.describePredicting(text, shift: shift, options: options) == plain)
        }
    }
}
