import LaketapPipeline
import Synchronization

/// A ``RecordIngest`` that records what it is given and fails on demand.
final class RecordingIngest: RecordIngest {
    struct State {
        var appended: [(stream: String, batch: RecordBatch)] = []
        var deadLettered: [(stream: String, records: [RejectedRecord])] = []
        var flushed: [String] = []
        var nextOffset: Int64 = 0
        var appendError: IngestError?
        var deadLetterError: IngestError?
        var flushError: IngestError?
        var isReady = true
    }

    let state = Mutex(State())

    var isReady: Bool { self.state.withLock { $0.isReady } }

    func append(_ batch: RecordBatch, to stream: String) async throws(IngestError) -> IngestReceipt {
        try self.state.withLock { state throws(IngestError) in
            if let error = state.appendError { throw error }
            state.appended.append((stream, batch))
            let first = state.nextOffset
            state.nextOffset += Int64(batch.count)
            return IngestReceipt(stream: stream, firstOffset: first, lastOffset: state.nextOffset - 1)
        }
    }

    func deadLetter(_ records: [RejectedRecord], stream: String) async throws(IngestError) {
        try self.state.withLock { state throws(IngestError) in
            if let error = state.deadLetterError { throw error }
            state.deadLettered.append((stream, records))
        }
    }

    func flush(stream: String) async throws(IngestError) -> FlushReport {
        try self.state.withLock { state throws(IngestError) in
            if let error = state.flushError { throw error }
            state.flushed.append(stream)
            var report = FlushReport(stream: stream)
            report.records = Int(state.nextOffset)
            report.files = ["\(stream)/date=2026-11-22/\(stream)-000000-000000000000-000000000001.parquet"]
            report.bytes = 1234
            return report
        }
    }

    /// Every record appended to `stream`, as strings.
    func records(of stream: String) -> [String] {
        self.state.withLock { state in
            state.appended.filter { $0.stream == stream }.flatMap { entry in
                (0..<entry.batch.count).map { String(decoding: entry.batch.record($0), as: UTF8.self) }
            }
        }
    }

    /// Every record dead-lettered for `stream`.
    func deadLettered(of stream: String) -> [RejectedRecord] {
        self.state.withLock { state in state.deadLettered.filter { $0.stream == stream }.flatMap(\.records) }
    }

    var flushed: [String] { self.state.withLock { $0.flushed } }

    func update(_ body: (inout State) -> Void) {
        self.state.withLock { body(&$0) }
    }
}
