import LaketapPipeline

/// A ``RecordIngest`` whose `append` waits until the test releases it, to hold a request in progress.
final class GatedIngest: RecordIngest {
    let entered = AsyncStream.makeStream(of: Void.self)
    let release = AsyncStream.makeStream(of: Void.self)

    var isReady: Bool { true }

    func append(_ batch: RecordBatch, to stream: String) async throws(IngestError) -> IngestReceipt {
        self.entered.continuation.yield()
        for await _ in self.release.stream { break }
        return IngestReceipt(stream: stream, firstOffset: 0, lastOffset: Int64(batch.count - 1))
    }

    func deadLetter(_ records: [RejectedRecord], stream: String) async throws(IngestError) {}

    func flush(stream: String) async throws(IngestError) -> FlushReport { FlushReport(stream: stream) }
}
