import Foundation
import JSONScan
import Testing

/// Every record of the two benchmark workloads (`gen_events.py logs|events --records 2000`) frames, scans
/// and decodes to what Python's `json` module gives; Fixtures/make_expectations.py wrote the expectations.
@Suite struct WorkloadRoundTripTests {
    @Test(arguments: ["logs-2000", "events-2000"])
    func matchesPython(fixture: String) throws {
        let inputURL = try #require(Bundle.module.url(forResource: "Fixtures/\(fixture)", withExtension: "ndjson"))
        let expectedURL = try #require(Bundle.module.url(forResource: "Fixtures/\(fixture)", withExtension: "expected"))
        let input = try [UInt8](Data(contentsOf: inputURL))
        let expected = try String(contentsOf: expectedURL, encoding: .utf8).split(separator: "\n").map(String.init)

        // Frame in awkward chunks to cross record boundaries.
        var framer = JSONRecordFramer()
        var digests: [String] = []
        var lines: [Int] = []
        func drain() throws {
            while let record = framer.nextRecord() {
                #expect(record.error == nil)
                lines.append(record.line)
                digests.append(try framer.withUnsafeBytes { bytes in try Self.digest(bytes, record: record) })
            }
        }
        var start = 0
        while start < input.count {
            framer.append(Array(input[start..<min(input.count, start + 4093)]))
            try drain()
            start += 4093
        }
        framer.finish()
        try drain()
        #expect(digests.count == 2000)
        #expect(lines == Array(1...2000))
        for (index, (actual, wanted)) in zip(digests, expected).enumerated() where actual != wanted {
            Issue.record("record \(index + 1): \(actual) != \(wanted)")
        }
    }

    /// The digest of make_expectations.py: FNV-1a 64 over the record's items in document order.
    static func digest(_ bytes: UnsafeRawBufferPointer, record: JSONRecord) throws(JSONScanError) -> String {
        let recordBytes = UnsafeRawBufferPointer(rebasing: bytes[record.range])
        var scanner = JSONScanner(recordBytes, baseOffset: record.byteOffset, line: record.line)
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        var items = 0
        var scratch: [UInt8] = []
        func add(_ item: [UInt8]) {
            items += 1
            for byte in item + [0xFF] {
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3
            }
        }
        while true {
            switch try scanner.next() {
            case .key(let string), .string(let string):
                scratch = Array("s:".utf8)
                string.decode(from: recordBytes, appendingTo: &scratch)
                add(scratch)
            case .number(let number):
                if let value = number.int64 {
                    add(Array("i:\(value)".utf8))
                } else if number.kind == .bigInteger {
                    add(Array("i:".utf8) + Array(recordBytes[number.range]))
                } else {
                    let bits = String(number.double(from: recordBytes).bitPattern, radix: 16)
                    add(Array(("f:" + String(repeating: "0", count: 16 - bits.count) + bits).utf8))
                }
            case .bool(let value): add(Array((value ? "b:true" : "b:false").utf8))
            case .null: add(Array("n".utf8))
            case .beginObject, .endObject, .beginArray, .endArray: break
            case .endOfInput:
                let hex = String(hash, radix: 16)
                return "\(items) " + String(repeating: "0", count: 16 - hex.count) + hex
            }
        }
    }
}
