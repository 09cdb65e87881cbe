import Foundation
import LaketapTesting
import Testing

@Suite struct EventWorkloadTests {
    @Test func sameSeedSameBytes() {
        let first = generateLines(EventWorkload(seed: 7), limit: .records(3000)).bytes
        let second = generateLines(EventWorkload(seed: 7), limit: .records(3000)).bytes
        let other = generateLines(EventWorkload(seed: 8), limit: .records(3000)).bytes
        #expect(first == second)
        #expect(first != other)
    }

    @Test(arguments: EventWorkload.PayloadEncoding.allCases)
    func everyLineIsJSONWithAPayloadAndItsMD5(encoding: EventWorkload.PayloadEncoding) throws {
        for line in generateLines(EventWorkload(seed: 42, payload: encoding), limit: .records(3000)).lines {
            let record = try parseObject(line)
            #expect(Set(record.keys) == ["name", "tstamp", "payload", "payload_md5"])
            let payloadText: String
            switch encoding {
            case .string:
                payloadText = try #require(record["payload"] as? String)
                #expect(try parseObject(Array(payloadText.utf8))["dvce_os"] is String)
            case .object:
                #expect(record["payload"] is [String: Any])
                // The payload's compact text is the bytes between `"payload":` and `,"payload_md5"`.
                let text = String(decoding: line, as: UTF8.self)
                let start = try #require(text.range(of: "\"payload\":")).upperBound
                let end = try #require(text.range(of: ",\"payload_md5\"")).lowerBound
                payloadText = String(text[start..<end])
            }
            #expect(record["payload_md5"] as? String == MD5.hexDigest(Array(payloadText.utf8)))
            let tstamp = try #require(record["tstamp"] as? String)
            #expect(tstamp.count == 26 && tstamp.hasPrefix("2023-06-18 "))
        }
    }

    @Test func aboutTwoPercentOfLinesAreExactDuplicates() {
        let lines = generateLines(EventWorkload(seed: 5), limit: .records(10_000)).lines
        var seen: [[UInt8]: Int] = [:]
        var duplicates = 0
        var maximumDistance = 0
        for (index, line) in lines.enumerated() {
            if let first = seen[line] {
                duplicates += 1
                maximumDistance = max(maximumDistance, index - first)
            } else {
                seen[line] = index
            }
        }
        let rate = Double(duplicates) / Double(lines.count)
        #expect(abs(rate - 0.02) <= 0.01, "duplicate rate \(rate)")
        #expect(maximumDistance <= 120)  // re-emitted "a few lines later" (0–50 new lines)
    }

    @Test func sessionsWalkTheMarkovChain() throws {
        var lastState: [String: String] = [:]
        var accounts: [String: String] = [:]
        var counts: [String: Int] = [:]
        var seen: Set<[UInt8]> = []
        var previous = ""
        for line in generateLines(EventWorkload(seed: 11), limit: .records(20_000)).lines
        where seen.insert(line).inserted {
            let record = try parseObject(line)
            let name = try #require(record["name"] as? String)
            let payload = try parseObject(Array(try #require(record["payload"] as? String).utf8))
            let session = try #require(payload["session_id"] as? String)
            let tstamp = try #require(record["tstamp"] as? String)
            #expect(tstamp >= previous)  // new lines come in time order
            previous = tstamp
            counts[name, default: 0] += 1
            switch (lastState[session], name) {
            case (nil, "anonymous_visited"), ("anonymous_visited", "anonymous_visited"),
                ("anonymous_visited", "account_created"), ("account_created", "measurement_recorded"),
                ("measurement_recorded", "measurement_recorded"):
                break
            default:
                Issue.record("session \(session): \(lastState[session] ?? "start") → \(name)")
            }
            lastState[session] = name
            if let account = payload["account_id"] as? String {
                if let known = accounts[session] { #expect(known == account) }
                accounts[session] = account
            }
            if name == "measurement_recorded" {
                let measurement = try #require(payload["measurement"] as? [String: Any])
                #expect(measurement["heart_rate"] is Int && measurement["weight"] is Double)
                #expect(["kg", "lb"].contains(measurement["unit"] as? String))
            }
        }
        let total = Double(counts.values.reduce(0, +))
        // gen_events.py's mix is 66% measurement, 24% visit, 10% account over long runs; measurements are
        // 15 minutes apart on average, so their share is still growing in the first 20,000 lines.
        #expect(Double(counts["measurement_recorded"] ?? 0) / total > 0.25)
        #expect(Double(counts["account_created"] ?? 0) / total > 0.05)
    }

    @Test func bytesBoundTheOutputWithinOneRecord() {
        let (bytes, lines) = generateLines(EventWorkload(seed: 2), limit: .bytes(100_000))
        #expect(bytes.count >= 100_000)
        #expect(bytes.count - (lines.last?.count ?? 0) - 1 < 100_000)
    }
}
