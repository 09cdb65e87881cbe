import JSONScan
import Testing

/// A record as tests compare it: its text (or error code), line and offset.
struct FramedRecord: Equatable, CustomStringConvertible {
    var text: String
    var line: Int
    var byteOffset: Int

    var description: String { "\(self.text)@\(self.line):\(self.byteOffset)" }
}

/// Frames `input` fed in chunks of `chunkSize` bytes (the whole input when `nil`). An unverified line
/// (``JSONRecordFramer/Options/defersObjectChecks``) is framed again with
/// ``JSONRecordFramer/frameLine(_:line:byteOffset:options:)``, as a consumer does when it does not parse.
/// The records of `input`, appended in chunks of `chunkSize`, or with `inPlace` written into the
/// framer's room (``JSONRecordFramer/append(upTo:_:)``), which holds junk past the bytes written.
func frame(
    _ input: [UInt8],
    chunkSize: Int? = nil,
    options: JSONRecordFramer.Options = .init(),
    inPlace: Bool = false
) -> [FramedRecord] {
    var framer = JSONRecordFramer(options: options)
    var records: [FramedRecord] = []
    func add(_ record: JSONRecord, _ bytes: UnsafeRawBufferPointer) {
        let text = record.error.map { "error:\($0.code)" } ?? String(decoding: bytes[record.range], as: UTF8.self)
        records.append(FramedRecord(text: text, line: record.line, byteOffset: record.byteOffset))
    }
    func drain() {
        while let record = framer.nextRecord() {
            framer.withUnsafeBytes { buffer in
                guard record.isUnverifiedLine else { return add(record, buffer) }
                let line = UnsafeRawBufferPointer(rebasing: buffer[record.range])
                for exact in JSONRecordFramer.frameLine(
                    line,
                    line: record.line,
                    byteOffset: record.byteOffset,
                    options: options
                ) {
                    add(exact, line)
                }
            }
        }
    }
    let size = max(1, chunkSize ?? input.count)
    var start = 0
    while start < input.count {
        let part = input[start..<min(input.count, start + size)]
        if inPlace {
            framer.append(upTo: part.count + 7) { room in
                let junk = Array("}\n{\"\\".utf8)
                for index in room.indices { room[index] = junk[index % junk.count] }
                room.copyBytes(from: part)
                return part.count
            }
        } else {
            framer.append(Array(part))
        }
        drain()
        start += size
    }
    framer.finish()
    drain()
    return records
}

func frame(_ text: String, chunkSize: Int? = nil, options: JSONRecordFramer.Options = .init()) -> [FramedRecord] {
    frame(Array(text.utf8), chunkSize: chunkSize, options: options)
}

@Suite struct JSONRecordFramerTests {
    @Test func framesLinesWithLFAndCRLF() {
        #expect(
            frame("{\"a\":1}\n{\"b\":2}\r\n{\"c\":\"x\\\"}\"}\n")
                == [
                    FramedRecord(text: "{\"a\":1}", line: 1, byteOffset: 0),
                    FramedRecord(text: "{\"b\":2}", line: 2, byteOffset: 8),
                    FramedRecord(text: "{\"c\":\"x\\\"}\"}", line: 3, byteOffset: 17),
                ]
        )
    }

    @Test func skipsBlankLinesAndFramesAFinalLineWithoutNewline() {
        #expect(
            frame("\n\r\n  \n{\"a\":1}\n\n\t\n{\"b\":2}")
                == [
                    FramedRecord(text: "{\"a\":1}", line: 4, byteOffset: 6),
                    FramedRecord(text: "{\"b\":2}", line: 7, byteOffset: 17),
                ]
        )
        #expect(frame("") == [])
        #expect(frame("\n\n") == [])
    }

    @Test func skipsAByteOrderMarkAtTheStart() {
        #expect(frame("\u{FEFF}{\"a\":1}\n") == [FramedRecord(text: "{\"a\":1}", line: 1, byteOffset: 3)])
        // Only at the very start: later it is part of a (bad) record.
        #expect(frame("{}\n\u{FEFF}{}").map(\.text) == ["{}", "\u{FEFF}{}"])
    }

    @Test func unwrapsATopLevelArray() {
        #expect(
            frame("[{\"a\":1},\n {\"b\":[2,\n3]}\n,{\"c\":\"]\"}]\n")
                == [
                    FramedRecord(text: "{\"a\":1}", line: 1, byteOffset: 1),
                    FramedRecord(text: "{\"b\":[2,\n3]}", line: 2, byteOffset: 11),
                    FramedRecord(text: "{\"c\":\"]\"}", line: 4, byteOffset: 25),
                ]
        )
        #expect(frame("[1, \"two\", null, [3]]").map(\.text) == ["1", "\"two\"", "null", "[3]"])
        #expect(frame("[]\n[ ]").isEmpty)
        #expect(frame("[{\"a\":1}]", options: .init(unwrapsArrays: false)).map(\.text) == ["[{\"a\":1}]"])
    }

    @Test func reportsArrayFramingErrors() {
        #expect(frame("[{\"a\":1} {\"b\":2}]").map(\.text) == ["{\"a\":1}", "error:unexpectedCharacter", "{\"b\":2}"])
        #expect(frame("[{\"a\":1},]").map(\.text) == ["{\"a\":1}", "error:unexpectedCharacter"])
        #expect(frame("[{\"a\":1}").map(\.text) == ["{\"a\":1}", "error:unexpectedEnd"])
    }

    @Test func framesConcatenatedObjects() {
        #expect(
            frame("{\"a\":1}{\"b\":{\"c\":2}} {\"d\":\"}{\"}\n{\"e\":3}")
                == [
                    FramedRecord(text: "{\"a\":1}", line: 1, byteOffset: 0),
                    FramedRecord(text: "{\"b\":{\"c\":2}}", line: 1, byteOffset: 7),
                    FramedRecord(text: "{\"d\":\"}{\"}", line: 1, byteOffset: 21),
                    FramedRecord(text: "{\"e\":3}", line: 2, byteOffset: 32),
                ]
        )
    }

    @Test func skipsEscapesInsideStrings() {
        let records = frame(Self.chunkingInputs[4]).map(\.text)
        #expect(records.count == 3)
        #expect(records[0].hasSuffix("\\\"ww\\\"}\"}"))
        // The escaped newline still ends its line's record; the next line is framed on its own.
        #expect(records[1] == "{\"bad\":\"x\\")
        #expect(records[2] == "{\"ok\":2}")
    }

    @Test func aMalformedLineDoesNotSwallowTheNext() {
        #expect(
            frame("{\"a\":\"open\n{\"b\":1}\n{\"c\":[1,\n{\"d\":2} trailing\nnot json\n{\"e\":3}")
                .map(\.text) == [
                    "{\"a\":\"open", "{\"b\":1}", "{\"c\":[1,", "{\"d\":2}", "trailing", "not json", "{\"e\":3}",
                ]
        )
    }

    @Test func reportsAndSkipsRecordsOverTheLimit() {
        let big = "{\"s\":\"" + String(repeating: "x", count: 100) + "\"}"
        let input = "{\"a\":1}\n" + big + "\n{\"b\":2}\n" + big
        let options = JSONRecordFramer.Options(maximumRecordBytes: 64)
        for chunkSize in [nil, 1, 7, 50] as [Int?] {
            let records = frame(input, chunkSize: chunkSize, options: options)
            #expect(
                records == [
                    FramedRecord(text: "{\"a\":1}", line: 1, byteOffset: 0),
                    FramedRecord(text: "error:recordTooLarge", line: 2, byteOffset: 8),
                    FramedRecord(text: "{\"b\":2}", line: 3, byteOffset: 117),
                    FramedRecord(text: "error:recordTooLarge", line: 4, byteOffset: 125),
                ],
                "chunk size \(String(describing: chunkSize))"
            )
        }
    }

    @Test func keepsMemoryBoundedWhileSkipping() {
        var framer = JSONRecordFramer(options: .init(maximumRecordBytes: 1024))
        framer.append(Array("{\"s\":\"".utf8))
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 4096)
        var errors = 0
        for _ in 0..<100 {
            framer.append(chunk)
            while let record = framer.nextRecord() {
                if record.error != nil { errors += 1 }
                #expect(record.range.isEmpty)
            }
            #expect(framer.withUnsafeBytes { $0.count } <= 2 * 4096)
        }
        framer.append(Array("\"}\n{\"ok\":1}\n".utf8))
        var texts: [String] = []
        while let record = framer.nextRecord() {
            texts.append(framer.withUnsafeBytes { String(decoding: $0[record.range], as: UTF8.self) })
        }
        #expect(errors == 1)
        #expect(texts == ["{\"ok\":1}"])
    }

    static let chunkingInputs: [String] = [
        "\u{FEFF}{\"a\":1}\r\n\r\n{\"b\":\"x\\\\\\\"y\"}\n{\"c\":[1,2]}{\"d\":null}",
        "[{\"a\":1},\r\n {\"b\":\"\\\"]\"},\n\"s\", 12 ,true]\n{\"after\":1}\n",
        "{\"a\":\"Zürich 東京\"}\n  bad line \n{\"b\":\"open\n[1,2] [3]",
        "\u{FE}{}\n{\"u\":\"\\ud83d\\ude00\"}   ",
        // JSON in a string (escapes every few bytes, runs past eight), and a backslash before a newline.
        "{\"p\":\"{\\\"k\\\":\\\"vvvvvvvvvvvvvvvv\\\",\\\"n\\\":\\\"ww\\\"}\"}\n{\"bad\":\"x\\\n{\"ok\":2}\n",
    ]

    @Test(arguments: chunkingInputs)
    func chunkBoundariesDoNotChangeTheRecords(input: String) {
        let oneShot = frame(input)
        #expect(!oneShot.isEmpty)
        for chunkSize in 1...9 {
            #expect(frame(input, chunkSize: chunkSize) == oneShot, "chunk size \(chunkSize)")
        }
        // Every split point with two chunks.
        let bytes = Array(input.utf8)
        for split in 0...bytes.count {
            var framer = JSONRecordFramer()
            var texts: [String] = []
            for part in [Array(bytes[..<split]), Array(bytes[split...])] {
                framer.append(part)
                while let record = framer.nextRecord() {
                    texts.append(framer.withUnsafeBytes { String(decoding: $0[record.range], as: UTF8.self) })
                }
            }
            framer.finish()
            while let record = framer.nextRecord() {
                texts.append(framer.withUnsafeBytes { String(decoding: $0[record.range], as: UTF8.self) })
            }
            #expect(texts.count == oneShot.count, "split at \(split)")
        }
    }

    /// Bytes a reader writes into the framer's buffer frame as appended ones do, whatever follows them
    /// in the room it was given.
    @Test(arguments: chunkingInputs)
    func bytesWrittenInPlaceFrameAsAppendedOnes(input: String) {
        let bytes = Array(input.utf8)
        let appended = frame(bytes)
        for chunkSize in [1, 2, 3, 7, bytes.count] {
            #expect(frame(bytes, chunkSize: chunkSize, inPlace: true) == appended, "chunk size \(chunkSize)")
            let deferred = JSONRecordFramer.Options(defersObjectChecks: true)
            #expect(
                frame(bytes, chunkSize: chunkSize, options: deferred, inPlace: true) == appended,
                "chunk size \(chunkSize), deferred checks"
            )
        }
    }

    @Test(arguments: chunkingInputs)
    func deferredObjectChecksFrameTheSameRecordsOnceLinesAreFramedAgain(input: String) {
        let exact = frame(input)
        for chunkSize in [1, 2, 3, 5, 8, 13, input.utf8.count] {
            let deferred = frame(input, chunkSize: chunkSize, options: .init(defersObjectChecks: true))
            #expect(deferred == exact, "chunk size \(chunkSize)")
        }
    }

    @Test func deferredObjectChecksEndObjectLinesAtTheirNewline() {
        let input = "{\"a\":\"}{\"}\r\n{\"b\":1}{\"c\":2}\n  {\"d\":\"x\\\"\"}  \n[{\"e\":1}]\n"
        var framer = JSONRecordFramer(options: .init(defersObjectChecks: true))
        framer.append(Array(input.utf8))
        framer.finish()
        var records: [(String, Bool, Int)] = []
        while let record = framer.nextRecord() {
            let text = framer.withUnsafeBytes { String(decoding: $0[record.range], as: UTF8.self) }
            records.append((text, record.isUnverifiedLine, record.line))
        }
        #expect(records.map(\.0) == [#"{"a":"}{"}"#, #"{"b":1}{"c":2}"#, #"{"d":"x\""}"#, #"{"e":1}"#])
        // Object lines are unverified; array elements are framed exactly.
        #expect(records.map(\.1) == [true, true, true, false])
        #expect(records.map(\.2) == [1, 2, 3, 4])
    }

    @Test func deferredObjectChecksFrameLongLinesExactly() {
        // 100 objects concatenated on one line of ~150 KB: past 64 KiB the line is framed exactly.
        let object = "{\"k\":\"" + String(repeating: "v", count: 1_500) + "\"}"
        let input = String(repeating: object, count: 100) + "\n{\"last\":1}\n"
        let deferred = frame(input, chunkSize: 4_096, options: .init(defersObjectChecks: true))
        #expect(deferred == frame(input))
        #expect(deferred.count == 101)
    }

    /// The loop a converter runs: the records and bytes ``JSONRecordFramer/nextRecord()`` gives, and a stop
    /// that leaves the next record for the next call.
    @Test func forEachRecordHandsOutTheRecordsAndStopsWhenAsked() {
        let input = Array("{\"a\":1}\n[1,\n{\"b\":2}\n{\"c\":3}\n".utf8)
        let options = JSONRecordFramer.Options(defersObjectChecks: true)
        var expected = JSONRecordFramer(options: options)
        expected.append(input)
        expected.finish()
        var records: [(JSONRecord, String)] = []
        while let record = expected.nextRecord() {
            expected.withUnsafeBytes { records.append((record, String(decoding: $0[record.range], as: UTF8.self))) }
        }
        #expect(records.count > 2)
        #expect(records.contains { $0.0.error != nil })

        var framer = JSONRecordFramer(options: options)
        framer.append(input)
        framer.finish()
        var seen: [(JSONRecord, String)] = []
        let finished = framer.forEachRecord { bytes, record in
            seen.append((record, String(decoding: bytes, as: UTF8.self)))
            return seen.count < 2
        }
        #expect(!finished)
        #expect(seen.count == 2)
        #expect(
            framer.forEachRecord { bytes, record in
                seen.append((record, String(decoding: bytes, as: UTF8.self)))
                return true
            }
        )
        #expect(seen.map(\.0) == records.map(\.0))
        #expect(seen.map(\.1) == records.map(\.1))
        #expect(seen.map(\.0.hasError) == records.map { $0.0.error != nil })
    }
}
