import Foundation
import HTTPTypes
import HummingbirdTesting
import LaketapPipeline
import LaketapServer
import NIOCore
import Prometheus
import Testing

@Suite struct IngestRouteTests {
    @Test func acceptsNDJSONWithCRLFAndBlankLines() async throws {
        let harness = ServerHarness()
        let reply = try await harness.test { client in
            let response = try await client.post(
                "/v1/streams/events/records",
                "{\"a\":1}\r\n\n{\"b\":2}\n  \n{\"c\":3}"
            )
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            return try response.decode(IngestReply.self)
        }
        #expect(
            reply
                == IngestReply(
                    accepted: 3,
                    rejected: 0,
                    errors: [],
                    errors_truncated: false,
                    first_offset: 0,
                    last_offset: 2
                )
        )
        #expect(harness.ingest.records(of: "events") == ["{\"a\":1}", "{\"b\":2}", "{\"c\":3}"])
    }

    @Test func acceptsAnArrayOfObjectsAndOneObject() async throws {
        let harness = ServerHarness()
        try await harness.test { client in
            let array = try await client.post(
                "/v1/streams/events/records",
                "[{\"a\":1},\n {\"b\":[2]}]",
                contentType: "application/json"
            )
            #expect(try array.decode(IngestReply.self).accepted == 2)
            let single = try await client.post("/v1/streams/events/records", "{\"c\":{\"d\":null}}", contentType: nil)
            let reply = try single.decode(IngestReply.self)
            #expect(reply.accepted == 1)
            #expect(reply.first_offset == 2 && reply.last_offset == 2)
        }
        #expect(harness.ingest.records(of: "events") == ["{\"a\":1}", "{\"b\":[2]}", "{\"c\":{\"d\":null}}"])
    }

    @Test func shortAliasTakesRecordsToo() async throws {
        let harness = ServerHarness()
        try await harness.test { client in
            let response = try await client.post("/ingest/clicks", "{\"a\":1}\n", contentType: "application/jsonl")
            #expect(response.status == .ok)
        }
        #expect(harness.ingest.records(of: "clicks") == ["{\"a\":1}"])
    }

    @Test func rejectsMalformedLinesOneByOne() async throws {
        let harness = ServerHarness()
        let body = "{\"a\":1}\n{\"b\" 2}\n{\"c\":3}\n[1]\n{\"d\":tru}\n"
        let reply = try await harness.test { client in
            let response = try await client.post("/v1/streams/events/records", body)
            #expect(response.status == .ok)
            return try response.decode(IngestReply.self)
        }
        #expect(reply.accepted == 2)
        #expect(reply.rejected == 3)
        #expect(
            reply.errors == [
                .init(
                    index: 1,
                    code: "malformed_json",
                    reason: "line 2, byte 13: expected ':' after object key, found '2'"
                ),
                .init(index: 3, code: "not_an_object", reason: "line 4, byte 25: a record must be a JSON object"),
                .init(index: 4, code: "malformed_json", reason: "line 5, byte 36: expected 'true', found '}'"),
            ]
        )
        #expect(harness.ingest.records(of: "events") == ["{\"a\":1}", "{\"c\":3}"])
        let dead = harness.ingest.deadLettered(of: "events")
        #expect(dead.map(\.code) == ["malformed_json", "not_an_object", "malformed_json"])
        #expect(dead.map { String(decoding: $0.bytes, as: UTF8.self) } == ["{\"b\" 2}", "1", "{\"d\":tru}"])
    }

    @Test func rejectsInvalidUTF8() async throws {
        let harness = ServerHarness()
        let body: [UInt8] = Array("{\"ok\":1}\n{\"s\":\"".utf8) + [0xC3, 0x28] + Array("\"}\n".utf8)
        let reply = try await harness.test { client in
            try await client.post("/v1/streams/events/records", body).decode(IngestReply.self)
        }
        #expect(reply.accepted == 1)
        #expect(reply.errors.map(\.code) == ["invalid_utf8"])
        #expect(reply.errors.first?.reason.hasPrefix("line 2, byte ") == true)
    }

    @Test func rejectsAHugeLineAndKeepsTheRest() async throws {
        let harness = ServerHarness { $0.maxRecordBytes = 64 }
        let huge = "{\"s\":\"" + String(repeating: "x", count: 500) + "\"}"
        let reply = try await harness.test { client in
            try await client.post("/v1/streams/events/records", "{\"a\":1}\n\(huge)\n{\"b\":2}\n").decode(
                IngestReply.self
            )
        }
        #expect(reply.accepted == 2)
        #expect(reply.errors.map(\.code) == ["record_too_large"])
        #expect(reply.errors.first?.index == 1)
        #expect(harness.ingest.records(of: "events") == ["{\"a\":1}", "{\"b\":2}"])
    }

    @Test func rejectsDeepNesting() async throws {
        let harness = ServerHarness { $0.maxDepth = 8 }
        let deep = "{\"a\":" + String(repeating: "[", count: 20) + String(repeating: "]", count: 20) + "}"
        let reply = try await harness.test { client in
            try await client.post("/v1/streams/events/records", "\(deep)\n{\"a\":[[1]]}\n").decode(IngestReply.self)
        }
        #expect(reply.accepted == 1)
        #expect(reply.errors.map(\.code) == ["depth_exceeded"])
    }

    @Test func listsTheFirstErrorsOnly() async throws {
        let harness = ServerHarness { $0.maxReportedErrors = 2 }
        let reply = try await harness.test { client in
            try await client.post("/v1/streams/events/records", String(repeating: "{x}\n", count: 5)).decode(
                IngestReply.self
            )
        }
        #expect(reply.rejected == 5)
        #expect(reply.errors.map(\.index) == [0, 1])
        #expect(reply.errors_truncated)
        #expect(reply.first_offset == nil && reply.last_offset == nil)
        #expect(harness.ingest.records(of: "events").isEmpty)
        #expect(harness.ingest.deadLettered(of: "events").count == 5)
    }

    @Test(arguments: [
        "application/x-ndjson", "application/jsonl", "application/json", "text/plain",
        "Application/JSON; charset=utf-8",
    ])
    func acceptsContentType(_ contentType: String) async throws {
        try await ServerHarness().test { client in
            let response = try await client.post("/v1/streams/events/records", "{}", contentType: contentType)
            #expect(response.status == .ok)
        }
    }

    @Test func refusesOtherContentTypesAndEncodings() async throws {
        let harness = ServerHarness()
        try await harness.test { client in
            let xml = try await client.post("/v1/streams/events/records", "{}", contentType: "application/xml")
            #expect(xml.status == .unsupportedMediaType)
            #expect(try xml.decode(ErrorReply.self).error == "unsupported_media_type")
            let brotli = try await client.post("/v1/streams/events/records", "{}", headers: [.contentEncoding: "br"])
            #expect(brotli.status == .unsupportedMediaType)
            #expect(try brotli.decode(ErrorReply.self).error == "unsupported_encoding")
        }
        #expect(harness.ingest.records(of: "events").isEmpty)
    }

    @Test func decompressesGzipAndZstd() async throws {
        let harness = ServerHarness()
        let body = Array((0..<1000).map { "{\"n\":\($0)}\n" }.joined().utf8)
        try await harness.test { client in
            for (name, compressed) in [("gzip", Compression.gzip(body)), ("zstd", Compression.zstd(body))] {
                let response = try await client.post(
                    "/v1/streams/\(name)/records",
                    compressed,
                    headers: [.contentEncoding: name.uppercased()]
                )
                #expect(response.status == .ok)
                #expect(try response.decode(IngestReply.self).accepted == 1000)
            }
        }
        #expect(harness.ingest.records(of: "gzip").count == 1000)
        #expect(harness.ingest.records(of: "zstd").last == "{\"n\":999}")
        #expect(harness.registry.emitToString().contains(#"laketap_ingest_bytes_total{stream="zstd"} \#(body.count)"#))
    }

    @Test(arguments: ["gzip", "zstd"])
    func refusesDamagedCompression(_ encoding: String) async throws {
        let harness = ServerHarness()
        let plain = Array(String(repeating: "{\"k\":\"value\"}\n", count: 100).utf8)
        var damaged = encoding == "gzip" ? Compression.gzip(plain) : Compression.zstd(plain)
        for index in 10..<damaged.count - 4 { damaged[index] ^= 0x5A }
        let body = damaged
        try await harness.test { client in
            let response = try await client.post(
                "/v1/streams/events/records",
                body,
                headers: [.contentEncoding: encoding]
            )
            #expect(response.status == .badRequest)
            let reply = try response.decode(ErrorReply.self)
            #expect(reply.error == "damaged_compression")
            #expect(reply.message.contains(encoding))
        }
        #expect(harness.ingest.records(of: "events").isEmpty)
    }

    /// A compressed body cut exactly between two records decompresses to whole records, so only the
    /// missing end of the member/frame shows it: it must be refused, not half-accepted.
    @Test(arguments: ["gzip", "zstd"])
    func refusesTruncatedCompression(_ encoding: String) async throws {
        let harness = ServerHarness()
        let plain = Array((0..<2000).map { "{\"n\":\($0)}\n" }.joined().utf8)
        let compressed = encoding == "gzip" ? Compression.gzip(plain) : Compression.zstd(plain)
        let body = Array(compressed.prefix(compressed.count - 6))
        try await harness.test { client in
            let response = try await client.post(
                "/v1/streams/events/records",
                body,
                headers: [.contentEncoding: encoding]
            )
            #expect(response.status == .badRequest)
            let reply = try response.decode(ErrorReply.self)
            #expect(reply.error == "damaged_compression")
            #expect(reply.message.contains("truncated"))
        }
        #expect(harness.ingest.records(of: "events").isEmpty)
    }

    @Test func refusesBodiesOverTheLimits() async throws {
        let harness = ServerHarness {
            $0.maxBodyBytes = 100
            $0.maxDecompressedBodyBytes = 1000
        }
        try await harness.test { client in
            let large = try await client.post("/v1/streams/events/records", String(repeating: "{}\n", count: 40))
            #expect(large.status == .contentTooLarge)
            #expect(try large.decode(ErrorReply.self).error == "body_too_large")
            let bomb = Compression.gzip(Array(String(repeating: "{}\n", count: 1000).utf8))
            #expect(bomb.count <= 100)
            let expanded = try await client.post(
                "/v1/streams/events/records",
                bomb,
                headers: [.contentEncoding: "gzip"]
            )
            #expect(expanded.status == .contentTooLarge)
            #expect(try expanded.decode(ErrorReply.self).message.contains("decompressed"))
        }
        #expect(harness.ingest.records(of: "events").isEmpty)
    }

    @Test func refusesUnreadableBodies() async throws {
        let harness = ServerHarness()
        try await harness.test { client in
            for body in ["", "  \r\n\n"] {
                let response = try await client.post("/v1/streams/events/records", body)
                #expect(response.status == .badRequest)
                #expect(try response.decode(ErrorReply.self).error == "empty_body")
            }
            let none = try await client.post("/v1/streams/events/records", " []\n", contentType: "application/json")
            #expect(none.status == .ok)
            #expect(try none.decode(IngestReply.self).accepted == 0)
            let text = try await client.post("/v1/streams/events/records", "hello world\n")
            #expect(text.status == .badRequest)
            #expect(try text.decode(ErrorReply.self).error == "not_json")
            let gzipped = try await client.post("/v1/streams/events/records", Compression.gzip(Array("{}".utf8)))
            #expect(gzipped.status == .badRequest)
            #expect(try gzipped.decode(ErrorReply.self).message.contains("Content-Encoding"))
        }
    }

    @Test func mapsPipelineErrorsToStatuses() async throws {
        let cases: [(IngestError, HTTPResponse.Status, String, String?)] = [
            (.unknownStream("events"), .notFound, "unknown_stream", nil),
            (.invalidStreamName("events", reason: "no"), .badRequest, "invalid_stream_name", nil),
            (.bufferFull(stream: "events", retryAfterSeconds: 7), .serviceUnavailable, "buffer_full", "7"),
            (.unavailable(reason: "shutting down", retryAfterSeconds: 2), .serviceUnavailable, "unavailable", "2"),
            (.storage("disk on fire at /var/secret"), .internalServerError, "storage", nil),
        ]
        for (error, status, code, retryAfter) in cases {
            let harness = ServerHarness()
            harness.ingest.update { $0.appendError = error }
            try await harness.test { client in
                let response = try await client.post("/v1/streams/events/records", "{\"a\":1}\n")
                #expect(response.status == status)
                #expect(response.headers[.retryAfter] == retryAfter)
                let reply = try response.decode(ErrorReply.self)
                #expect(reply.error == code)
                #expect(!reply.message.contains("/var/secret"))
            }
        }
    }

    @Test func deadLetterFailureFailsTheRequestBeforeAppending() async throws {
        let harness = ServerHarness()
        harness.ingest.update { $0.deadLetterError = .unknownStream("events") }
        try await harness.test { client in
            let response = try await client.post("/v1/streams/events/records", "{\"a\":1}\n{oops}\n")
            #expect(response.status == .notFound)
        }
        #expect(harness.ingest.records(of: "events").isEmpty)
    }

    @Test func recordsSplitAcrossChunksAreFramedWhole() async throws {
        let harness = ServerHarness()
        // The router test client sends bodies in 32 KiB chunks, so these records straddle chunk boundaries.
        let records = (0..<3000).map { "{\"n\":\($0),\"pad\":\"\(String(repeating: "p", count: $0 % 50))\"}" }
        try await harness.test { client in
            let response = try await client.post("/v1/streams/events/records", records.joined(separator: "\n"))
            #expect(try response.decode(IngestReply.self).accepted == 3000)
        }
        #expect(harness.ingest.records(of: "events") == records)
    }
}
