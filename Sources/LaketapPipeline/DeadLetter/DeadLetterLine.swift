import JSONScan
import Parquet

/// One line of a dead-letter file (NDJSON):
///
/// ```
/// {"reason":"…","code":"type_mismatch","stream":"events","segment":12,"offset":4100,
///  "arrival_time":"2026-11-22T18:40:00.123456Z","record":{…}}
/// ```
///
/// `record` holds the original record when it is valid JSON (line breaks between tokens become
/// spaces); otherwise `record_base64` holds its bytes in standard Base64.
struct DeadLetterLine {
    var reason: String
    var code: String
    var stream: String
    var segment: Int64
    var offset: Int64
    /// Microseconds since the epoch.
    var arrival: Int64

    /// Appends the line, with its `\n`.
    func append(record: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        output.append(contentsOf: #"{"reason":"#.utf8)
        JSONStringWriter.append(self.reason, to: &output)
        output.append(contentsOf: #","code":"#.utf8)
        JSONStringWriter.append(self.code, to: &output)
        output.append(contentsOf: #","stream":"#.utf8)
        JSONStringWriter.append(self.stream, to: &output)
        output.append(contentsOf: #","segment":\#(self.segment),"offset":\#(self.offset),"arrival_time":"#.utf8)
        JSONStringWriter.append(CivilTime.timestamp(self.arrival, unit: .micros, utc: true), to: &output)
        if Self.isValidJSON(record) {
            output.append(contentsOf: #","record":"#.utf8)
            for byte in record {
                output.append(byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") ? UInt8(ascii: " ") : byte)
            }
        } else {
            output.append(contentsOf: #","record_base64":""#.utf8)
            Self.appendBase64(record, to: &output)
            output.append(UInt8(ascii: "\""))
        }
        output.append(contentsOf: "}\n".utf8)
    }

    /// Whether `bytes` hold exactly one valid JSON value (valid UTF-8 included).
    static func isValidJSON(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var scanner = JSONScanner(bytes)
        do {
            try scanner.skipValue()
            return try scanner.next() == .endOfInput
        } catch {
            return false
        }
    }

    static func appendBase64(_ bytes: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var index = 0
        while index < bytes.count {
            let remaining = bytes.count - index
            let first = UInt32(bytes[index])
            let second = remaining > 1 ? UInt32(bytes[index + 1]) : 0
            let third = remaining > 2 ? UInt32(bytes[index + 2]) : 0
            let value = first << 16 | second << 8 | third
            output.append(alphabet[Int(value >> 18 & 63)])
            output.append(alphabet[Int(value >> 12 & 63)])
            output.append(remaining > 1 ? alphabet[Int(value >> 6 & 63)] : UInt8(ascii: "="))
            output.append(remaining > 2 ? alphabet[Int(value & 63)] : UInt8(ascii: "="))
            index += 3
        }
    }
}
