import Foundation
import LaketapConvert
import LaketapPipeline
import LaketapStorage
import MetricsTestKit
import Parquet
import ServiceLifecycleTestKit
import Testing

@Suite struct IngestPipelineTests {
    @Test func appendedRecordsLandAsParquetRecordForRecord() async throws {
        let harness = Harness()
        defer { harness.remove() }
        let pipeline = try await harness.open()
        let first = try await pipeline.append(batch(records(0..<60)), to: "events")
        let second = try await pipeline.append(batch(records(60..<100)), to: "events")
        #expect(first == IngestReceipt(stream: "events", firstOffset: 0, lastOffset: 59))
        #expect(second == IngestReceipt(stream: "events", firstOffset: 60, lastOffset: 99))

        let report = try await pipeline.flush(stream: "events")
        #expect(report.records == 100)
        #expect(report.files == ["events/events-\(harness.identity)-000000-000000000000-000000000099.parquet"])
        let rows = try harness.parquetRecords()
        #expect(ids(rows) == Array(0..<100))
        #expect(rows[3]["name"] == .string("n3"))
        // Only the new, empty segment is left; its header carries the counters.
        #expect(try harness.segmentFiles("events") == ["000001.wal"])

        let third = try await pipeline.append(batch(records(100..<101)), to: "events")
        #expect(third.firstOffset == 100)
        await pipeline.shutdown()
        #expect(
            harness.parquetKeys().last == "events/events-\(harness.identity)-000001-000000000100-000000000100.parquet"
        )
        #expect(!pipeline.isReady)
        await #expect(throws: IngestError.self) { try await pipeline.append(batch(records(0..<1)), to: "events") }
    }

    @Test func concurrentAppendsShareFsyncs() async throws {
        let harness = Harness()
        defer { harness.remove() }
        let pipeline = try await harness.open()
        let receipts = try await withThrowingTaskGroup(of: IngestReceipt.self) { group in
            for index in 0..<200 {
                group.addTask { try await pipeline.append(batch(records(index..<index + 1)), to: "events") }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(receipts.map(\.firstOffset)) == Set(0..<200))
        #expect(pipeline.logSynchronizationCount < 200)
        #expect(pipeline.logSynchronizationCount >= 1)
        _ = try await pipeline.flush(stream: "events")
        #expect(Set(ids(try harness.parquetRecords())) == Set(0..<200))
    }

    @Test func replayAfterCrashFlushesEveryRecordOnce() async throws {
        let harness = Harness()
        defer { harness.remove() }
        do {
            let crashed = try await harness.open()
            for start in stride(from: 0, to: 30, by: 10) {
                _ = try await crashed.append(batch(records(start..<start + 10)), to: "events")
            }
            _ = try await crashed.append(batch(records(30..<35)), to: "other")
            // No shutdown: the pipeline is dropped as if the process died.
        }
        let reopened = try await harness.open()
        let next = try await reopened.append(batch(records(40..<45)), to: "events")
        #expect(next.firstOffset == 30)
        _ = try await reopened.flush(stream: "events")
        _ = try await reopened.flush(stream: "other")
        #expect(ids(try harness.parquetRecords(prefix: "events/")) == Array(0..<30) + Array(40..<45))
        #expect(ids(try harness.parquetRecords(prefix: "other/")) == Array(30..<35))
    }

    @Test func tornTailIsDroppedAndEarlierRecordsRecovered() async throws {
        let harness = Harness()
        defer { harness.remove() }
        do {
            let crashed = try await harness.open()
            _ = try await crashed.append(batch(records(0..<10)), to: "events")
            _ = try await crashed.append(batch(records(10..<11)), to: "events")
        }
        let path = harness.segmentPath("events", "000000.wal")
        let size = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        truncate(path, off_t(size - 5))
        let reopened = try await harness.open()
        let report = try await reopened.flush(stream: "events")
        #expect(report.records == 10)
        #expect(ids(try harness.parquetRecords()) == Array(0..<10))
        // The torn record's offset is reused: it was never acknowledged.
        let next = try await reopened.append(batch(records(20..<21)), to: "events")
        #expect(next.firstOffset == 10)
    }

    @Test func flushRepeatedAfterCrashBeforeSegmentDeleteWritesNoDuplicate() async throws {
        let harness = Harness()
        defer { harness.remove() }
        let backup = harness.directory + "-backup"
        defer { try? FileManager.default.removeItem(atPath: backup) }
        do {
            let first = try await harness.open()
            _ = try await first.append(batch(records(0..<20)), to: "events")
            try await first.deadLetter(
                [RejectedRecord(bytes: Array("{oops".utf8), code: "malformed_json", reason: "bad")],
                stream: "events"
            )
            try FileManager.default.copyItem(atPath: harness.directory + "/wal", toPath: backup)
            _ = try await first.flush(stream: "events")
        }
        let keys = harness.store.objects.keys.sorted()
        #expect(keys.count == 2)
        // As if the process died after the puts and before the segment was deleted.
        try FileManager.default.removeItem(atPath: harness.directory + "/wal")
        try FileManager.default.copyItem(atPath: backup, toPath: harness.directory + "/wal")

        let second = try await harness.open()
        let report = try await second.flush(stream: "events")
        #expect(report.files == keys.filter { $0.hasSuffix(".parquet") })
        #expect(harness.store.objects.keys.sorted() == keys)
        #expect(harness.store.alreadyExistedCount == 2)
        #expect(ids(try harness.parquetRecords()) == Array(0..<20))
        #expect(try harness.deadLetters().count == 1)
    }

    @Test func storeOutageKeepsTheSegmentUntilTheStoreRecovers() async throws {
        let harness = Harness()
        defer { harness.remove() }
        let pipeline = try await harness.open()
        harness.store.failsPuts = true
        _ = try await pipeline.append(batch(records(0..<10)), to: "events")
        await #expect(throws: IngestError.self) { try await pipeline.flush(stream: "events") }
        #expect(try harness.segmentFiles("events") == ["000000.wal", "000001.wal"])
        _ = try await pipeline.append(batch(records(10..<15)), to: "events")
        await #expect(throws: IngestError.self) { try await pipeline.flush(stream: "events") }
        #expect(harness.store.objects.isEmpty)

        harness.store.failsPuts = false
        let report = try await pipeline.flush(stream: "events")
        #expect(report.files.count == 2)
        #expect(ids(try harness.parquetRecords()) == Array(0..<15))
        #expect(try harness.segmentFiles("events") == ["000002.wal"])
    }

    @Test func backgroundFlushRetriesUntilTheStoreRecovers() async throws {
        let harness = Harness(streams: [
            "events": StreamConfiguration(
                name: "events",
                thresholds: .init(records: 5, bytes: 1 << 30, ageSeconds: 3_600)
            )
        ])
        defer { harness.remove() }
        harness.store.failsPuts = true
        try await harness.running { pipeline in
            _ = try await pipeline.append(batch(records(0..<5)), to: "events")
            #expect(try await eventually { harness.store.putAttempts >= 3 })
            #expect(harness.store.objects.isEmpty)
            harness.store.failsPuts = false
            #expect(try await eventually { harness.parquetKeys().count == 1 })
        }
        #expect(ids(try harness.parquetRecords()) == Array(0..<5))
    }

    @Test func diskBudgetGivesBufferFull() async throws {
        let harness = Harness { $0.diskBudgetBytes = 2_048 }
        defer { harness.remove() }
        let pipeline = try await harness.open()
        var accepted = 0
        var full = false
        for index in 0..<100 {
            do {
                _ = try await pipeline.append(batch(records(index..<index + 1)), to: "events")
                accepted += 1
            } catch .bufferFull(let stream, let retryAfter) {
                #expect(stream == "events")
                #expect(retryAfter > 0)
                full = true
                break
            }
        }
        #expect(full)
        #expect(pipeline.bufferedBytes <= 2_048)
        _ = try await pipeline.flush(stream: "events")
        _ = try await pipeline.append(batch(records(accepted..<accepted + 1)), to: "events")
        _ = try await pipeline.flush(stream: "events")
        #expect(ids(try harness.parquetRecords()) == Array(0...Int64(accepted)))
    }

    @Test func rejectedRecordsGoToTheDeadLetterQueue() async throws {
        let schema = StreamSchema(
            fields: [StreamField("id", .int64), StreamField("name", .string)],
            overflowColumn: nil
        )
        let harness = Harness(streams: ["events": StreamConfiguration(name: "events", schema: .declared(schema))]) {
            $0.maxRecordBytes = 64
        }
        defer { harness.remove() }
        let pipeline = try await harness.open()
        let big = #"{"id":9,"name":""# + String(repeating: "x", count: 100) + #""}"#
        _ = try await pipeline.append(
            batch([#"{"id":1,"name":"a"}"#, #"{"id":"two","name":"b"}"#, "[1,2]", big, #"{"id":5}"#]),
            to: "events"
        )
        try await pipeline.deadLetter(
            [RejectedRecord(bytes: [0x7B, 0xFF, 0x7D], code: "invalid_utf8", reason: "byte 1: invalid UTF-8")],
            stream: "events"
        )
        let report = try await pipeline.flush(stream: "events")
        #expect(report.records == 2)
        #expect(report.recordsRejected == 4)
        #expect(ids(try harness.parquetRecords()) == [1, 5])

        let keys = harness.store.objects.keys.filter { $0.hasPrefix("_dlq/") }
        #expect(keys == ["_dlq/events/events-\(harness.identity)-000000-000000000000-000000000005.ndjson"])
        let lines = try harness.deadLetters().sorted { ($0["offset"] as? Int ?? 0) < ($1["offset"] as? Int ?? 0) }
        #expect(lines.map { $0["offset"] as? Int } == [1, 2, 3, 5])
        #expect(
            lines.map { $0["code"] as? String } == [
                "type_mismatch", "not_an_object", "record_too_large", "invalid_utf8",
            ]
        )
        #expect(lines.allSatisfy { $0["stream"] as? String == "events" && $0["segment"] as? Int == 0 })
        #expect(lines.allSatisfy { ($0["arrival_time"] as? String)?.hasSuffix("Z") == true })
        #expect((lines[0]["record"] as? [String: Any])?["id"] as? String == "two")
        #expect(lines[1]["record"] as? [Int] == [1, 2])
        // Cut to the record limit, so no longer valid JSON: kept as Base64.
        #expect(lines[2]["record_base64"] as? String == Data(big.utf8.prefix(64)).base64EncodedString())
        #expect(lines[3]["record_base64"] as? String == "e/99")
        #expect(lines.allSatisfy { !($0["reason"] as? String ?? "").isEmpty })
    }

    /// A segment converted on several threads gives the same Parquet and dead-letter bytes as on one,
    /// with the schema inferred (in parallel too) and some records rejected.
    @Test func conversionThreadsDoNotChangeTheFiles() async throws {
        var lines: [String] = []
        for index in 0..<30_000 {
            switch index % 97 {
            case 0: lines.append(#"{"id":"not a number \#(index)"}"#)  // widens id to JSON text
            case 1: lines.append("[\(index)]")  // not an object: dead-lettered
            default:
                lines.append(
                    #"{"id":\#(index),"name":"n\#(index % 13)","at":"2024-05-0\#(index % 9 + 1)T10:00:00Z","tags":["t\#(index % 5)"]}"#
                )
            }
        }
        var outputs: [[[UInt8]]] = []
        for threads in [1, 3] {
            let harness = Harness { $0.conversionThreads = threads }
            defer { harness.remove() }
            let pipeline = try await harness.open()
            for start in stride(from: 0, to: lines.count, by: 5_000) {
                _ = try await pipeline.append(batch(Array(lines[start..<start + 5_000])), to: "events")
            }
            let report = try await pipeline.flush(stream: "events")
            #expect(report.records == 30_000 - 310)
            #expect(report.recordsRejected == 310)
            outputs.append(harness.store.objects.filter { $0.key.hasSuffix(".parquet") }.map(\.value))
            // Dead letters carry their arrival time, which differs between the two runs.
            let deadLetters = try harness.deadLetters()
            #expect(deadLetters.count == 310)
            #expect(deadLetters.map { $0["offset"] as? Int } == (0..<30_000).filter { $0 % 97 == 1 })
        }
        #expect(outputs[0].count == 1)
        let identical = outputs[0] == outputs[1]  // compared apart: a failure should not print the files
        #expect(identical)
    }

    @Test(arguments: PipelineConfiguration.ConversionPriority.allCases)
    func recordsLandAtEveryConversionPriority(priority: PipelineConfiguration.ConversionPriority) async throws {
        let harness = Harness {
            $0.conversionPriority = priority
            $0.conversionThreads = 2
        }
        defer { harness.remove() }
        let pipeline = try await harness.open()
        _ = try await pipeline.append(batch((0..<5_000).map { #"{"id":\#($0)}"# }), to: "events")
        let report = try await pipeline.flush(stream: "events")
        #expect(report.records == 5_000)
        #expect(ids(try harness.parquetRecords()) == (0..<5_000).map(Int64.init))
    }

    @Test func partitionsByField() async throws {
        let harness = Harness(streams: [
            "events": StreamConfiguration(name: "events", partitionTemplate: "name={name}", prefix: "lake/events")
        ])
        defer { harness.remove() }
        let pipeline = try await harness.open()
        _ = try await pipeline.append(
            batch([#"{"id":1,"name":"a"}"#, #"{"id":2,"name":"b"}"#, #"{"id":3,"name":"a"}"#, #"{"id":4}"#]),
            to: "events"
        )
        let report = try await pipeline.flush(stream: "events")
        let name = "events-\(harness.identity)-000000-000000000000-000000000003.parquet"
        #expect(
            report.files == [
                "lake/events/name=__HIVE_DEFAULT_PARTITION__/\(name)", "lake/events/name=a/\(name)",
                "lake/events/name=b/\(name)",
            ]
        )
        #expect(ids(try harness.parquetRecords(prefix: "lake/events/name=a/")) == [1, 3])
        #expect(ids(try harness.parquetRecords(prefix: "lake/events/name=b/")) == [2])
    }

    @Test func partitionsByEventTimeWithTheLateRule() async throws {
        let harness = Harness(streams: [
            "events": StreamConfiguration(
                name: "events",
                partitionTemplate: "date={ts:%Y-%m-%d}",
                timeField: "ts",
                lateAfterSeconds: 3 * 86_400
            )
        ])
        defer { harness.remove() }
        let formatter = ISO8601DateFormatter()
        let now = Date()
        let today = String(formatter.string(from: now).prefix(10))
        let yesterday = formatter.string(from: now.addingTimeInterval(-86_400))
        let pipeline = try await harness.open()
        _ = try await pipeline.append(
            batch([
                #"{"id":1,"ts":"\#(yesterday)"}"#,
                #"{"id":2,"ts":"2020-01-01T00:00:00Z"}"#,
                #"{"id":3}"#,
                #"{"id":4,"ts":null}"#,
            ]),
            to: "events"
        )
        let report = try await pipeline.flush(stream: "events")
        let name = "events-\(harness.identity)-000000-000000000000-000000000003.parquet"
        #expect(
            Set(report.files) == [
                "events/date=\(yesterday.prefix(10))/\(name)",
                "events/late=true/date=\(today)/\(name)",
                "events/date=\(today)/\(name)",
            ]
        )
        #expect(ids(try harness.parquetRecords(prefix: "events/late=true/")) == [2])
        #expect(ids(try harness.parquetRecords(prefix: "events/date=\(today)/")) == [3, 4])
    }

    @Test(arguments: [
        StreamConfiguration.Thresholds(records: 10, bytes: 1 << 30, ageSeconds: 3_600),
        StreamConfiguration.Thresholds(records: 1_000_000, bytes: 600, ageSeconds: 3_600),
        StreamConfiguration.Thresholds(records: 1_000_000, bytes: 1 << 30, ageSeconds: 0.2),
    ])
    func thresholdsTriggerFlushes(thresholds: StreamConfiguration.Thresholds) async throws {
        let harness = Harness(streams: ["events": StreamConfiguration(name: "events", thresholds: thresholds)])
        defer { harness.remove() }
        try await harness.running { pipeline in
            // 5 records stay below every threshold for a while.
            _ = try await pipeline.append(batch(records(0..<5)), to: "events")
            try await Task.sleep(for: .milliseconds(100))
            if thresholds.ageSeconds > 1 { #expect(harness.parquetKeys().isEmpty) }
            _ = try await pipeline.append(batch(records(5..<20)), to: "events")
            #expect(try await eventually { !harness.parquetKeys().isEmpty })
            #expect(try await eventually { Set(ids(try harness.parquetRecords())) == Set(0..<20) })
        }
    }

    @Test func gracefulShutdownFlushesEverything() async throws {
        let harness = Harness()
        defer { harness.remove() }
        let pipeline = try await harness.running { pipeline in
            _ = try await pipeline.append(batch(records(0..<7)), to: "events")
        }
        #expect(ids(try harness.parquetRecords()) == Array(0..<7))
        await #expect(throws: IngestError.self) { try await pipeline.append(batch(records(0..<1)), to: "events") }
    }

    @Test func streamNamesAndCreation() async throws {
        let harness = Harness(streams: ["declared": StreamConfiguration(name: "declared")]) {
            $0.autoCreateStreams = false
        }
        defer { harness.remove() }
        let pipeline = IngestPipeline(configuration: harness.configuration)
        await #expect(throws: IngestError.self) { try await pipeline.append(batch(records(0..<1)), to: "declared") }
        try await pipeline.start()
        for name in ["", "_hidden", ".dot", "a/b", "sp ace", String(repeating: "a", count: 129)] {
            await #expect(throws: IngestError.self) { try await pipeline.append(batch(records(0..<1)), to: name) }
        }
        await #expect(throws: IngestError.unknownStream("other")) {
            try await pipeline.append(batch(records(0..<1)), to: "other")
        }
        _ = try await pipeline.append(batch(records(0..<1)), to: "declared")
        #expect(try await pipeline.flush(stream: "declared").records == 1)
    }

    @Test func segmentsRotateAtTheSegmentSize() async throws {
        let harness = Harness { $0.segmentBytes = 512 }
        defer { harness.remove() }
        let pipeline = try await harness.open()
        for start in stride(from: 0, to: 100, by: 5) {
            _ = try await pipeline.append(batch(records(start..<start + 5)), to: "events")
        }
        // Every segment holds records: the full ones were sealed, the last one is open.
        let segments = try harness.segmentFiles("events").count
        #expect(segments > 3)
        let report = try await pipeline.flush(stream: "events")
        #expect(report.records == 100)
        #expect(report.files.count == segments)
        #expect(Set(report.files).count == report.files.count)
        #expect(ids(try harness.parquetRecords()) == Array(0..<100))
        #expect(try harness.segmentFiles("events").count == 1)
    }

    @Test func metricsCountRecordsFilesAndDeadLetters() async throws {
        let metrics = TestMetrics()
        let schema = StreamSchema(fields: [StreamField("id", .int64)], overflowColumn: nil)
        let harness = Harness(streams: ["events": StreamConfiguration(name: "events", schema: .declared(schema))])
        defer { harness.remove() }
        let pipeline = IngestPipeline(configuration: harness.configuration, metricsFactory: metrics)
        try await pipeline.start()
        _ = try await pipeline.append(batch([#"{"id":1}"#, #"{"id":"x"}"#, #"{"id":3}"#]), to: "events")
        try await pipeline.deadLetter(
            [RejectedRecord(bytes: Array("{".utf8), code: "malformed_json", reason: "unexpected end")],
            stream: "events"
        )
        _ = try await pipeline.flush(stream: "events")
        let stream = [("stream", "events")]
        #expect(try metrics.expectCounter("laketap_records_accepted_total", stream).totalValue == 3)
        #expect(
            try metrics.expectCounter(
                "laketap_records_rejected_total",
                stream + [("reason", "malformed_json")]
            ).totalValue == 1
        )
        #expect(
            try metrics.expectCounter(
                "laketap_records_rejected_total",
                stream + [("reason", "type_mismatch")]
            ).totalValue == 1
        )
        #expect(try metrics.expectCounter("laketap_dlq_records_total", stream).totalValue == 2)
        #expect(try metrics.expectCounter("laketap_files_written_total", stream).totalValue == 1)
        #expect(try metrics.expectCounter("laketap_bytes_written_total", stream).totalValue > 0)
        #expect(
            try metrics.expectCounter("laketap_flushes_total", stream + [("result", "success")]).totalValue == 1
        )
        #expect(try metrics.expectGauge("laketap_buffer_segments", stream).lastValue == 1)
        #expect(try metrics.expectTimer("laketap_flush_duration_seconds").values.count == 1)
    }

    @Test func oneProcessPerDataDirectory() async throws {
        let harness = Harness()
        defer { harness.remove() }
        do {
            let first = try await harness.open()
            await #expect(throws: IngestError.self) { try await harness.open() }
            _ = try await first.append(batch(records(0..<3)), to: "events")
        }
        // The lock goes with the pipeline that held it.
        let second = try await harness.open()
        #expect(try await second.flush(stream: "events").records == 3)
    }

    @Test func flushesDuringAppendsKeepEveryRecordExactlyOnce() async throws {
        let harness = Harness { $0.segmentBytes = 2_048 }
        defer { harness.remove() }
        let pipeline = try await harness.open()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    for index in 0..<50 {
                        let id = writer * 1_000 + index
                        _ = try await pipeline.append(batch(records(id..<id + 1)), to: "events")
                    }
                }
            }
            group.addTask {
                for _ in 0..<10 {
                    _ = try await pipeline.flush(stream: "events")
                    try await Task.sleep(for: .milliseconds(5))
                }
            }
            try await group.waitForAll()
        }
        _ = try await pipeline.flush(stream: "events")
        let expected = (0..<4).flatMap { writer in (0..<50).map { Int64(writer * 1_000 + $0) } }
        #expect(ids(try harness.parquetRecords()).sorted() == expected.sorted())
    }

    /// Cuts the log at every byte after a crash: replay recovers exactly the appends that ended before the cut.
    @Test func replayAfterTruncationAtEveryByte() async throws {
        let source = Harness()
        defer { source.remove() }
        var ends: [Int] = []
        do {
            let pipeline = try await source.open()
            for index in 0..<4 {
                _ = try await pipeline.append(batch(records(index..<index + 1)), to: "events")
                let path = source.segmentPath("events", "000000.wal")
                ends.append(try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int))
            }
        }
        let segment = try Data(contentsOf: URL(fileURLWithPath: source.segmentPath("events", "000000.wal")))
        for cut in 0...segment.count {
            let harness = Harness()
            defer { harness.remove() }
            try FileManager.default.createDirectory(
                atPath: harness.directory + "/wal/events",
                withIntermediateDirectories: true
            )
            try segment.prefix(cut).write(to: URL(fileURLWithPath: harness.segmentPath("events", "000000.wal")))
            let pipeline = try await harness.open()
            _ = try await pipeline.flush(stream: "events")
            let acknowledged = ends.filter { $0 <= cut }.count
            #expect(ids(try harness.parquetRecords()) == Array(0..<Int64(acknowledged)), "cut at \(cut)")
        }
    }

    /// A segment the Parquet writer refuses does not block the stream: its records go to the DLQ.
    @Test func segmentTheWriterRefusesGoesToTheDeadLetterQueue() async throws {
        let schema = StreamSchema(fields: [StreamField("id", .int64), StreamField("id", .string)])
        let harness = Harness(streams: ["events": StreamConfiguration(name: "events", schema: .declared(schema))])
        defer { harness.remove() }
        let pipeline = try await harness.open()
        _ = try await pipeline.append(batch(records(0..<3)), to: "events")
        let report = try await pipeline.flush(stream: "events")
        #expect(report.records == 0)
        #expect(report.recordsRejected == 3)
        #expect(harness.parquetKeys().isEmpty)
        #expect(
            try harness.deadLetters().map { $0["code"] as? String } == Array(repeating: "conversion_failed", count: 3)
        )
        #expect(try harness.segmentFiles("events") == ["000001.wal"])
    }

    @Test func durabilityNoneSkipsTheFsyncPerAppend() async throws {
        let harness = Harness(streams: ["events": StreamConfiguration(name: "events", durability: .none)])
        defer { harness.remove() }
        let pipeline = try await harness.open()
        for index in 0..<10 { _ = try await pipeline.append(batch(records(index..<index + 1)), to: "events") }
        #expect(pipeline.logSynchronizationCount == 0)
        _ = try await pipeline.flush(stream: "events")
        #expect(ids(try harness.parquetRecords()) == Array(0..<10))
    }
}

@Suite struct BufferIdentityTests {
    @Test func aNewDataDirectoryNeverReusesTheNamesOfAnEarlierOne() async throws {
        let store = MemoryStore()
        var identities: [String] = []
        for _ in 0..<2 {
            // Same store, a fresh data directory each time (a wiped or replaced buffer).
            let harness = Harness(store: store)
            defer { harness.remove() }
            let pipeline = try await harness.open()
            _ = try await pipeline.append(batch(records(0..<10)), to: "events")
            let report = try await pipeline.flush(stream: "events")
            #expect(report.records == 10)
            identities.append(harness.identity)
            await pipeline.shutdown()
        }
        #expect(identities[0] != identities[1])
        #expect(store.objects.keys.filter { $0.hasSuffix(".parquet") }.count == 2)
        #expect(store.alreadyExistedCount == 0)
    }
}
