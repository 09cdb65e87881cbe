import Foundation
import LaketapConvert
import LaketapPipeline
import LaketapStorage
import Logging
import Parquet
import ServiceLifecycleTestKit
import Testing

/// A pipeline over a fresh temporary directory and an in-memory store.
struct Harness {
    let directory: String
    let store: MemoryStore
    var configuration: PipelineConfiguration

    init(
        store: MemoryStore = MemoryStore(),
        streams: [String: StreamConfiguration] = [:],
        configure: (inout PipelineConfiguration) -> Void = { _ in }
    ) {
        self.directory = NSTemporaryDirectory() + "laketap-pipeline-" + UUID().uuidString
        self.store = store
        var configuration = PipelineConfiguration(
            dataDirectory: self.directory,
            store: store,
            streams: streams,
            flushRetry: .init(initialDelaySeconds: 0.05, maximumDelaySeconds: 0.2),
            flushCheckIntervalSeconds: 0.02,
            logger: Logger(label: "laketap.test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        configure(&configuration)
        self.configuration = configuration
    }

    /// A new pipeline over the same directory and store, replayed.
    func open() async throws -> IngestPipeline {
        let pipeline = IngestPipeline(configuration: self.configuration)
        try await pipeline.start()
        return pipeline
    }

    /// Runs a new pipeline as a service while `body` runs, then shuts it down gracefully.
    @discardableResult
    func running(_ body: @Sendable (IngestPipeline) async throws -> Void) async throws -> IngestPipeline {
        let pipeline = IngestPipeline(configuration: self.configuration)
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await pipeline.run() }
                #expect(try await eventually { pipeline.isReady })
                try await body(pipeline)
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        return pipeline
    }

    func segmentFiles(_ stream: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: self.directory + "/wal/" + stream)
            .filter { $0.hasSuffix(".wal") }.sorted()
    }

    func segmentPath(_ stream: String, _ name: String) -> String {
        self.directory + "/wal/" + stream + "/" + name
    }

    /// The data directory's identity, which every file name carries (made by the first ``open()``).
    var identity: String {
        (try? String(contentsOfFile: self.directory + "/IDENTITY", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
    }

    func parquetKeys() -> [String] {
        self.store.objects.keys.filter { $0.hasSuffix(".parquet") }.sorted()
    }

    /// Every record of every Parquet object, in key order.
    func parquetRecords(prefix: String = "") throws -> [[String: ParquetValue]] {
        var records: [[String: ParquetValue]] = []
        let objects = self.store.objects
        for key in self.parquetKeys() where key.hasPrefix(prefix) {
            let reader = try ParquetFileReader(source: MemorySource(objects[key] ?? []))
            records += try reader.readAllRecords()
        }
        return records
    }

    /// The dead-letter lines of every DLQ object, parsed.
    func deadLetters() throws -> [[String: Any]] {
        let objects = self.store.objects
        var lines: [[String: Any]] = []
        for key in objects.keys.sorted() where key.hasPrefix("_dlq/") {
            for line in (objects[key] ?? []).split(separator: UInt8(ascii: "\n")) {
                let object = try JSONSerialization.jsonObject(with: Data(line))
                lines.append(try #require(object as? [String: Any]))
            }
        }
        return lines
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: self.directory)
    }
}

func batch(_ records: [String]) -> RecordBatch {
    var batch = RecordBatch()
    for record in records { batch.append(Array(record.utf8)) }
    return batch
}

func records(_ range: Range<Int>) -> [String] {
    range.map { #"{"id":\#($0),"name":"n\#($0)"}"# }
}

/// The `id` column of records, in order.
func ids(_ records: [[String: ParquetValue]]) -> [Int64] {
    records.compactMap { if case .int64(let id) = $0["id"] { id } else { nil } }
}

/// Polls until `condition` holds, for up to `seconds`: a bound against hanging, not a speed target.
///
/// Generous on purpose: the tests share the two cooperative threads of a 2-core machine with CPU-heavy
/// synchronous tests of a debug build, which can hold both threads for over a minute (seen on a fresh
/// machine, where the condition's work could not resume until they let go).
func eventually(seconds: Double = 300, _ condition: () throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1_000))
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return try condition()
}
