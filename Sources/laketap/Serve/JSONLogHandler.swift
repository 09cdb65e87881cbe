import Foundation
import JSONScan
import Logging
import Parquet

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
        var line: [UInt8] = [UInt8(ascii: "{")]
        for (index, (key, value)) in fields.enumerated() {
            if index > 0 { line.append(UInt8(ascii: ",")) }
            JSONStringWriter.append(key, to: &line)
            line.append(UInt8(ascii: ":"))
            JSONStringWriter.append(value, to: &line)
        }
        line.append(contentsOf: "}\n".utf8)
        FileHandle.standardError.write(Data(line))
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

    /// Now, as `2026-11-22T18:40:00.123Z`.
    private static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return CivilTime.timestamp(Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000, unit: .millis, utc: true)
    }
}
