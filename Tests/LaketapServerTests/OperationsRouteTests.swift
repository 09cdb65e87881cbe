import Foundation
import HTTPTypes
import HummingbirdTesting
import LaketapPipeline
import LaketapServer
import NIOCore
import Testing

@Suite struct OperationsRouteTests {
    @Test func healthzIsAlwaysOK() async throws {
        let harness = ServerHarness()
        harness.ingest.update { $0.isReady = false }
        try await harness.test { client in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .ok)
            #expect(response.text == "ok\n")
        }
    }

    @Test func readyzFollowsThePipeline() async throws {
        let harness = ServerHarness()
        try await harness.test { client in
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .ok)
            harness.ingest.update { $0.isReady = false }
            let notReady = try await client.execute(uri: "/readyz", method: .get)
            #expect(notReady.status == .serviceUnavailable)
        }
    }

    @Test func metricsExposeTheCounters() async throws {
        let harness = ServerHarness()
        try await harness.test { client in
            _ = try await client.post("/v1/streams/events/records", "{\"a\":1}\n{bad}\n[{}]\n")
            _ = try await client.post("/v1/streams/events/records", "{}", contentType: "image/png")
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = response.text
            let expected = [
                #"laketap_http_requests_total{route="/v1/streams/{stream}/records",status="200"} 1"#,
                #"laketap_http_requests_total{route="/v1/streams/{stream}/records",status="415"} 1"#,
                #"laketap_records_received_total{stream="events"} 3"#,
                #"laketap_records_rejected_total{stream="events",reason="malformed_json"} 1"#,
                #"laketap_ingest_bytes_total{stream="events"} 19"#,
                "laketap_http_request_duration_seconds_count",
            ]
            for line in expected {
                #expect(text.contains(line), "missing \(line) in\n\(text)")
            }
        }
    }

    @Test func flushReturnsTheReport() async throws {
        let harness = ServerHarness()
        try await harness.test { client in
            _ = try await client.post("/v1/streams/events/records", "{}\n{}\n")
            let response = try await client.execute(uri: "/v1/streams/events/flush", method: .post)
            #expect(response.status == .ok)
            let object = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
            #expect(object?["stream"] as? String == "events")
            #expect(object?["records"] as? Int == 2)
            #expect(object?["records_rejected"] as? Int == 0)
            #expect((object?["files"] as? [String])?.count == 1)
            #expect(object?["bytes"] as? Int == 1234)
        }
    }

    @Test func flushMapsPipelineErrors() async throws {
        let harness = ServerHarness()
        harness.ingest.update { $0.flushError = .unavailable(reason: "replaying", retryAfterSeconds: 3) }
        try await harness.test { client in
            let response = try await client.execute(uri: "/v1/streams/events/flush", method: .post)
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] == "3")
        }
    }
}
