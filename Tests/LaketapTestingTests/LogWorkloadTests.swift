import Foundation
import LaketapTesting
import Testing

@Suite struct LogWorkloadTests {
    static let required: Set<String> = [
        "time", "level", "message", "business_capability", "business_domain", "business_service",
        "application_service",
    ]
    static let optional: Set<String> = [
        "correlation_id", "session_id", "message_id", "person_id", "user_id", "device_id", "audit", "resource_type",
        "cloud_provider", "source_id", "http_response", "error_code", "stack_trace", "duration", "trace_ip", "region",
        "az", "tags", "args", "transaction_message_reference", "ttl", "auto_index", "logger_name", "thread_name",
        "extra_fields",
    ]

    @Test func sameSeedSameBytes() {
        let first = generateLines(LogWorkload(seed: 7), limit: .records(2000)).bytes
        let second = generateLines(LogWorkload(seed: 7), limit: .records(2000)).bytes
        let other = generateLines(LogWorkload(seed: 8), limit: .records(2000)).bytes
        #expect(first == second)
        #expect(first != other)
    }

    @Test func everyLineIsJSONWithTheExpectedFields() throws {
        let lines = generateLines(LogWorkload(seed: 42), limit: .records(5000)).lines
        #expect(lines.count == 5000)
        var seen: Set<String> = []
        var previousTime = ""
        for line in lines {
            let record = try parseObject(line)
            let keys = Set(record.keys)
            #expect(Self.required.isSubset(of: keys))
            #expect(keys.isSubset(of: Self.required.union(Self.optional)))
            #expect(!record.values.contains { $0 is NSNull })  // omitempty: absent, never null
            seen.formUnion(keys)
            let time = try #require(record["time"] as? String)
            #expect(time.hasPrefix("2024-03-01T") && time.hasSuffix("Z"))
            if let dot = time.firstIndex(of: ".") {
                #expect(!time.dropLast().hasSuffix("0"))  // RFC3339Nano trims trailing zeros
                #expect(time.distance(from: dot, to: time.endIndex) <= 11)
            }
            // Compare with the fraction padded back to nine digits.
            let parts = time.dropLast().split(separator: ".")
            let comparable =
                String(parts[0]) + "."
                + (parts.count > 1 ? parts[1] : "").padding(toLength: 9, withPad: "0", startingAt: 0)
            #expect(comparable >= previousTime)
            previousTime = comparable
            #expect(["DEBUG", "INFO", "WARN", "ERROR", "FATAL"].contains(record["level"] as? String))
            let message = try #require(record["message"] as? String)
            #expect(message.count >= 40 && message.count <= 320)
            if let duration = record["duration"] { #expect(duration is Int) }
            if let tags = record["tags"] { #expect((tags as? [String])?.count ?? 0 >= 1) }
            if let arguments = record["args"] as? [String: Any] {
                #expect(arguments.values.allSatisfy { $0 is String })
            }
            if let extra = record["extra_fields"] as? [String: String] { #expect((1...4).contains(extra.count)) }
            if record["az"] != nil { #expect(record["region"] != nil) }
            if record["stack_trace"] != nil {
                #expect(["WARN", "ERROR", "FATAL"].contains(record["level"] as? String))
            }
        }
        #expect(seen == Self.required.union(Self.optional))  // every optional field shows up in 5,000 records
    }

    @Test func optionalFieldsFollowTheirProbabilities() throws {
        let lines = generateLines(LogWorkload(seed: 3), limit: .records(10_000)).lines
        var counts: [String: Int] = [:]
        var nonASCII = 0
        for line in lines {
            for key in try parseObject(line).keys { counts[key, default: 0] += 1 }
            if line.contains(where: { $0 >= 0x80 }) { nonASCII += 1 }
        }
        for (key, probability) in [("correlation_id", 0.8), ("user_id", 0.55), ("args", 0.3), ("tags", 0.4)] {
            let fraction = Double(counts[key] ?? 0) / 10_000
            #expect(abs(fraction - probability) < 0.03, "\(key): \(fraction)")
        }
        #expect(nonASCII > 100 && nonASCII < 600)  // 3% of messages carry a non-ASCII word
    }

    @Test(arguments: [1, 1000, 65_536, 1_000_000])
    func bytesBoundTheOutputWithinOneRecord(limit: Int) {
        let (bytes, lines) = generateLines(LogWorkload(seed: 1), limit: .bytes(limit))
        #expect(bytes.count >= limit)
        #expect(bytes.count - (lines.last?.count ?? 0) - 1 < limit)
    }
}
