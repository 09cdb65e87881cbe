/// Writes JSON string literals: the one place outside the Parquet codec (which keeps its own, having no
/// dependencies) where Laketap escapes text for JSON (dead-letter lines, JSON logs).
public enum JSONStringWriter {
    /// Appends `text` as a JSON string literal. Swift strings are valid UTF-8, so only quotes,
    /// backslashes and control characters need escapes: `\n`, `\r`, `\t` by name, the others as `\u00XX`.
    public static func append(_ text: String, to output: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                output.append(UInt8(ascii: "\\"))
                output.append(byte)
            case UInt8(ascii: "\n"): output.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): output.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): output.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20:
                output.append(contentsOf: #"\u00"#.utf8)
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0xF)])
            default:
                output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// `text` as a JSON string literal.
    public static func quoted(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + 2)
        Self.append(text, to: &output)
        return String(decoding: output, as: UTF8.self)
    }
}
