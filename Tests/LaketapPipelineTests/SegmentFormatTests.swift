import Testing

@testable import LaketapPipeline

@Suite struct SegmentFormatTests {
    private func segment(records: [String]) -> (bytes: [UInt8], ends: [Int]) {
        var bytes = SegmentFormat.encode(SegmentFormat.Header(segment: 7, firstOffset: 100, created: 1))
        var ends: [Int] = []
        for (index, record) in records.enumerated() {
            if index == 1 {
                SegmentFormat.appendDeadLetter(
                    Array(record.utf8),
                    code: "malformed_json",
                    reason: "bad",
                    arrival: 42,
                    to: &bytes
                )
            } else {
                SegmentFormat.appendRecord(Array(record.utf8), arrival: 42, to: &bytes)
            }
            ends.append(bytes.count)
        }
        return (bytes, ends)
    }

    @Test func entriesRoundTrip() throws {
        let (bytes, _) = self.segment(records: [#"{"a":1}"#, "{oops", #"{"b":2}"#])
        let scan = bytes.withUnsafeBytes { SegmentFormat.scan($0) }
        #expect(scan.header == SegmentFormat.Header(segment: 7, firstOffset: 100, created: 1))
        #expect(scan.entries.map(\.kind) == [.record, .deadLetter, .record])
        #expect(scan.entries.allSatisfy { $0.arrival == 42 })
        #expect(scan.droppedBytes == 0)
        #expect(Array(bytes[scan.entries[2].data]) == Array(#"{"b":2}"#.utf8))
        let fields = try #require(bytes.withUnsafeBytes { SegmentFormat.deadLetter(scan.entries[1].data, in: $0) })
        #expect(fields.code == "malformed_json")
        #expect(fields.reason == "bad")
        #expect(Array(bytes[fields.record]) == Array("{oops".utf8))
    }

    /// A segment cut at any byte recovers exactly the entries that end before the cut.
    @Test func truncationAtEveryByteRecoversCompleteEntries() {
        let (bytes, ends) = self.segment(records: [#"{"a":1}"#, "{oops", #"{"b":2}"#, #"{"c":[1,2,3]}"#])
        for cut in 0...bytes.count {
            let scan = bytes[0..<cut].withUnsafeBytes { SegmentFormat.scan($0) }
            if cut < SegmentFormat.headerBytes {
                #expect(scan.header == nil)
                continue
            }
            let complete = ends.filter { $0 <= cut }.count
            #expect(scan.entries.count == complete, "cut at \(cut)")
            #expect(scan.validBytes == (ends.last { $0 <= cut } ?? SegmentFormat.headerBytes))
        }
    }

    @Test func corruptedByteEndsTheSegment() {
        var (bytes, ends) = self.segment(records: [#"{"a":1}"#, "{oops", #"{"b":2}"#])
        bytes[ends[1] + 12] ^= 0xFF
        let scan = bytes.withUnsafeBytes { SegmentFormat.scan($0) }
        #expect(scan.entries.count == 2)
        #expect(scan.droppedBytes == bytes.count - ends[1])
    }

    @Test func fileNames() {
        #expect(SegmentFormat.fileName(segment: 12) == "000012.wal")
        #expect(SegmentFormat.segment(fileName: "000012.wal") == 12)
        #expect(SegmentFormat.segment(fileName: "1234567.wal") == 1_234_567)
        #expect(SegmentFormat.segment(fileName: "x.wal") == nil)
        #expect(SegmentFormat.segment(fileName: "000012.tmp") == nil)
    }
}

@Suite struct DeadLetterLineTests {
    @Test(arguments: [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foobar", "Zm9vYmFy")])
    func base64(input: String, expected: String) {
        var output: [UInt8] = []
        Array(input.utf8).withUnsafeBytes { DeadLetterLine.appendBase64($0, to: &output) }
        #expect(String(decoding: output, as: UTF8.self) == expected)
    }

    @Test func validJSONCheck() {
        #expect(Array(#"{"a": [1, 2]}"#.utf8).withUnsafeBytes { DeadLetterLine.isValidJSON($0) })
        #expect(!Array("{oops".utf8).withUnsafeBytes { DeadLetterLine.isValidJSON($0) })
        #expect(![UInt8]([0x22, 0xFF, 0x22]).withUnsafeBytes { DeadLetterLine.isValidJSON($0) })
    }
}
