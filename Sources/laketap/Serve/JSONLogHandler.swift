import Foundation
import Logging

/// Writes one JSON object per log line to standard error: `time`, `level`, `label`, `message`, then
/// the metadata. Values of keys that name secrets (token, secret, password, authorization, key id
/// pairs' secrets) are replaced by `[redacted]` whatever the caller passed.
struct JSONLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level
    let label: String

    init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields: [(String, String)] = [
            ("time", Self.timestamp()),
            ("level", event.level.rawValue),
            ("label", self.label),
            ("message", "\(event.message)"),
        ]
        let merged = self.metadata.merging(event.metadata ?? [:]) { $1 }
        for key in merged.keys.sorted() {
            let value = Self.isSecret(key) ? "[redacted]" : Self.render(merged[key]!)
            fields.append((key, value))
        }
        var line = "{"
        for (index, (key, value)) in fields.enumerated() {
            if index > 0 { line += "," }
            line += Self.quote(key) + ":" + Self.quote(value)
        }
        line += "}\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func isSecret(_ key: String) -> Bool {
        let key = key.lowercased()
        return ["token", "secret", "password", "authorization", "credential"].contains { key.contains($0) }
    }

    private static func render(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): "[" + values.map(render).joined(separator: ", ") + "]"
        case .dictionary(let dictionary):
            "{"
                + dictionary.keys.sorted().map { "\($0): \(isSecret($0) ? "[redacted]" : render(dictionary[$0]!))" }
                .joined(separator: ", ") + "}"
        }
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out +=
                    "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = time_t(now.tv_sec)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let millis = Int32(now.tv_nsec / 1_000_000)
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(millis, 3))Z"
    }
}
