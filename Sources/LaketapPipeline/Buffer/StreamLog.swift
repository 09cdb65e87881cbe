import Logging
import Synchronization

/// The write-ahead log of one stream: its segment files and the group-commit writer.
///
/// Appenders encode their entries, queue them and wait. The first appender that finds no writer
/// running becomes the writer: it takes everything queued, writes it with one `write`, covers it
/// with one `fsync`, completes every waiter, and loops until the queue is empty. Concurrent
/// appends therefore share one fsync, and no task runs while the stream is idle.
///
/// A stream directory always holds its newest segment: sealing a segment creates the next one at
/// once, so the segment number and next offset survive even when every older segment has been
/// flushed and deleted.
final class StreamLog: Sendable {
    /// A segment file and what it holds; once sealed, it is no longer written and waits for its flush.
    struct SealedSegment: Sendable, Hashable {
        var number: Int64
        var path: String
        var firstOffset: Int64
        var count: Int64
        var bytes: Int
        var oldestArrival: Int64?
    }

    typealias AppendResult = Result<IngestReceipt, IngestError>

    /// What a waiting appender (or sealer) is told: its outcome, or that it writes the next group.
    enum WriterSignal: Sendable {
        case written(AppendResult)
        case sealed
        case lead
    }

    private struct PendingAppend {
        var bytes: [UInt8]
        var entries: Int
        var arrival: Int64
        var ticket: OneShot<WriterSignal>
    }

    /// The segment being written, with its open file; reads and writes its fields as a segment's.
    @dynamicMemberLookup
    private struct OpenSegment {
        var segment: SealedSegment
        var descriptor: Int32

        subscript<Value>(dynamicMember keyPath: WritableKeyPath<SealedSegment, Value>) -> Value {
            get { self.segment[keyPath: keyPath] }
            set { self.segment[keyPath: keyPath] = newValue }
        }
    }

    private struct State {
        var open: OpenSegment?
        var nextNumber: Int64
        var nextOffset: Int64
        var sealed: [SealedSegment]
        var pending: [PendingAppend] = []
        var sealWaiters: [OneShot<WriterSignal>] = []
        var writerActive = false
        /// A background flush is queued and has not started yet.
        var flushQueued = false
        /// After a failed flush: when to try again (wall-clock µs), and how many failed in a row.
        var retryAt: Int64?
        var failures = 0
    }

    let name: String
    let directory: String
    let configuration: StreamConfiguration
    let segmentBytes: Int
    let budget: BufferBudget
    let logger: Logger
    let metrics: StreamMetrics
    /// One flush of this stream at a time.
    let flushPermit = AsyncSemaphore(permits: 1)
    private let state: Mutex<State>

    init(
        name: String,
        directory: String,
        configuration: StreamConfiguration,
        segmentBytes: Int,
        budget: BufferBudget,
        recovered: Recovered,
        logger: Logger,
        metrics: StreamMetrics
    ) {
        self.name = name
        self.directory = directory
        self.configuration = configuration
        self.segmentBytes = segmentBytes
        self.budget = budget
        self.logger = logger
        self.metrics = metrics
        self.state = Mutex(
            State(nextNumber: recovered.nextNumber, nextOffset: recovered.nextOffset, sealed: recovered.sealed)
        )
    }

    /// What replay found of a stream.
    struct Recovered: Sendable {
        var sealed: [SealedSegment] = []
        var nextNumber: Int64 = 0
        var nextOffset: Int64 = 0
    }

    // MARK: Appending

    /// Queues encoded entries and returns once they are durable (or written, for durability `none`).
    func append(_ bytes: [UInt8], entries: Int, arrival: Int64) async -> AppendResult {
        let ticket = OneShot<WriterSignal>()
        let lead = self.state.withLock { state in
            state.pending.append(PendingAppend(bytes: bytes, entries: entries, arrival: arrival, ticket: ticket))
            guard !state.writerActive else { return false }
            state.writerActive = true
            return true
        }
        if !lead, case .written(let result) = await ticket.value { return result }
        return await self.writeGroup(leader: ticket) ?? .failure(.storage("the writer lost an append"))
    }

    /// Seals the open segment (when it holds entries) after every queued append, and opens the next.
    func seal() async {
        let ticket = OneShot<WriterSignal>()
        let lead = self.state.withLock { state in
            state.sealWaiters.append(ticket)
            guard !state.writerActive else { return false }
            state.writerActive = true
            return true
        }
        if !lead, case .sealed = await ticket.value { return }
        _ = await self.writeGroup(leader: ticket)
    }

    /// Creates the first segment after replay, so the counters are on disk before older segments go.
    func openInitialSegment() async throws {
        let segment = try await self.createSegment()
        self.state.withLock { $0.open = segment }
    }

    /// One turn of the writer: takes everything queued (the leader's own request included), writes
    /// it with one fsync, performs the queued seals, tells every waiter its outcome, then hands the
    /// writer role to the oldest request queued meanwhile. Returns the leader's own append result.
    private func writeGroup(leader: OneShot<WriterSignal>) async -> AppendResult? {
        let (appends, seals) = self.state.withLock { state in
            defer {
                state.pending = []
                state.sealWaiters = []
            }
            return (state.pending, state.sealWaiters)
        }
        var own: AppendResult?
        if !appends.isEmpty {
            let results = await self.write(appends)
            for (append, result) in zip(appends, results) {
                if append.ticket === leader { own = result } else { append.ticket.complete(.written(result)) }
            }
        }
        if !seals.isEmpty {
            do {
                try await self.sealOpenSegment()
            } catch {
                self.logger.error(
                    "cannot seal segment",
                    metadata: ["laketap.stream": "\(self.name)", "laketap.error": "\(error)"]
                )
            }
            for ticket in seals where ticket !== leader { ticket.complete(.sealed) }
        }
        let next: OneShot<WriterSignal>? = self.state.withLock { state in
            if let append = state.pending.first { return append.ticket }
            if let ticket = state.sealWaiters.first { return ticket }
            state.writerActive = false
            return nil
        }
        next?.complete(.lead)
        return own
    }

    /// Writes one group of appends and fsyncs once; only the writer calls it.
    private func write(_ appends: [PendingAppend]) async -> [AppendResult] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(appends.reduce(0) { $0 + $1.bytes.count })
        for append in appends { bytes.append(contentsOf: append.bytes) }
        let entries = appends.reduce(0) { $0 + $1.entries }
        let oldest = appends.map(\.arrival).min()
        let synchronize = self.configuration.durability == .fsync
        do {
            var segment = try await self.segmentForWriting(adding: bytes.count)
            let descriptor = segment.descriptor
            let path = segment.path
            let previousBytes = segment.bytes
            do {
                try await BlockingIO.run(.log) { [bytes] in
                    try FileIO.write(descriptor, bytes, path: path)
                    if synchronize { try FileIO.synchronize(descriptor, path: path) }
                }
            } catch {
                // Nothing of this group is acknowledged: cut what may have been written and leave the
                // segment, so a partial write can never sit between acknowledged records.
                try? await BlockingIO.run(.log) { try FileIO.truncate(descriptor, to: previousBytes, path: path) }
                try? await self.sealOpenSegment(evenWhenEmpty: true)
                throw error
            }
            if synchronize { self.budget.countSynchronization() }
            var offset = segment.firstOffset + segment.count
            segment.count += Int64(entries)
            segment.bytes += bytes.count
            segment.oldestArrival = segment.oldestArrival ?? oldest
            self.state.withLock { state in
                state.open = segment
                state.nextOffset = segment.firstOffset + segment.count
            }
            return appends.map { append in
                defer { offset += Int64(append.entries) }
                return .success(
                    IngestReceipt(
                        stream: self.name,
                        firstOffset: offset,
                        lastOffset: offset + Int64(append.entries) - 1
                    )
                )
            }
        } catch {
            self.budget.release(bytes.count)
            self.logger.error(
                "cannot write to the log",
                metadata: ["laketap.stream": "\(self.name)", "laketap.error": "\(error)"]
            )
            return appends.map { _ in .failure(.storage("\(error)")) }
        }
    }

    /// The open segment, rotated first when `bytes` more would take it past the segment size.
    private func segmentForWriting(adding bytes: Int) async throws -> OpenSegment {
        if let open = self.state.withLock({ $0.open }) {
            guard open.count > 0, open.bytes + bytes > self.segmentBytes else { return open }
            try await self.sealOpenSegment()
            if let next = self.state.withLock({ $0.open }) { return next }
        }
        let segment = try await self.createSegment()
        self.state.withLock { $0.open = segment }
        return segment
    }

    /// Closes the open segment (when it holds entries, or always after a failed write), lists it as
    /// sealed and opens the next one; opens one when there is none. An empty sealed segment is
    /// deleted by the next flush, once the newer one exists.
    private func sealOpenSegment(evenWhenEmpty: Bool = false) async throws {
        guard let open = self.state.withLock({ $0.open }) else {
            let segment = try await self.createSegment()
            self.state.withLock { $0.open = segment }
            return
        }
        guard open.count > 0 || evenWhenEmpty else { return }
        let durability = self.configuration.durability
        try await BlockingIO.run(.log) {
            defer { FileIO.close(open.descriptor) }
            if durability == .none { try FileIO.synchronize(open.descriptor, path: open.path) }
        }
        self.state.withLock { state in
            state.open = nil
            state.sealed.append(open.segment)
        }
        self.logger.debug(
            "segment sealed",
            metadata: ["laketap.stream": "\(self.name)", "laketap.segment.id": "\(open.number)"]
        )
        let next = try await self.createSegment()
        self.state.withLock { $0.open = next }
    }

    /// Creates the next segment file with its header, fsync'ed with its directory.
    private func createSegment() async throws -> OpenSegment {
        let (number, firstOffset) = self.state.withLock { state in
            defer { state.nextNumber += 1 }
            return (state.nextNumber, state.nextOffset)
        }
        let directory = self.directory
        let path = directory + "/" + SegmentFormat.fileName(segment: number)
        let header = SegmentFormat.encode(
            SegmentFormat.Header(segment: number, firstOffset: firstOffset, created: FileIO.nowMicroseconds())
        )
        let descriptor = try await BlockingIO.run(.log) {
            if !FileIO.isDirectory(directory) {
                // A new stream: its directory entry must survive a crash too.
                try FileIO.makeDirectories(directory)
                let parent = String(directory[..<(directory.lastIndex(of: "/") ?? directory.startIndex)])
                try FileIO.synchronizeDirectory(parent.isEmpty ? "." : parent)
            }
            let descriptor = try FileIO.create(path)
            do {
                try FileIO.write(descriptor, header, path: path)
                try FileIO.synchronize(descriptor, path: path)
                try FileIO.synchronizeDirectory(directory)
            } catch {
                FileIO.close(descriptor)
                throw error
            }
            return descriptor
        }
        self.budget.force(header.count)
        return OpenSegment(
            segment: SealedSegment(
                number: number,
                path: path,
                firstOffset: firstOffset,
                count: 0,
                bytes: header.count,
                oldestArrival: nil
            ),
            descriptor: descriptor
        )
    }

    /// Closes the open segment's file (at shutdown); it stays on disk as the newest segment.
    func close() {
        let descriptor: Int32? = self.state.withLock { state in
            defer { state.open = nil }
            return state.open?.descriptor
        }
        if let descriptor { FileIO.close(descriptor) }
    }

    // MARK: Flushing

    var sealedSegments: [SealedSegment] { self.state.withLock { $0.sealed } }

    /// Whether a segment newer than every sealed one exists; sealed segments are deleted only then,
    /// since the newest segment file carries the segment number and next offset.
    var hasOpenSegment: Bool { self.state.withLock { $0.open != nil } }

    /// Forgets a segment whose records have landed (its file is already deleted).
    func removeSealed(_ number: Int64) {
        self.state.withLock { state in state.sealed.removeAll { $0.number == number } }
    }

    /// The next offset: the number of entries the stream ever had.
    var nextOffset: Int64 { self.state.withLock { $0.nextOffset } }

    /// Records and bytes not yet flushed, segment files on disk, and the oldest unflushed arrival.
    var backlog: (entries: Int64, bytes: Int, segments: Int, oldestArrival: Int64?) {
        self.state.withLock { state in
            var entries = state.sealed.reduce(0) { $0 + $1.count }
            var bytes = state.sealed.reduce(0) { $0 + $1.bytes }
            var oldest = state.sealed.compactMap(\.oldestArrival).min()
            var segments = state.sealed.count
            if let open = state.open {
                entries += open.count
                bytes += open.bytes
                segments += 1
                if let arrival = open.oldestArrival { oldest = min(oldest ?? arrival, arrival) }
            }
            return (entries, bytes, segments, oldest)
        }
    }

    /// Marks a background flush as queued; false when one already is.
    func queueFlush() -> Bool {
        self.state.withLock { state in
            guard !state.flushQueued else { return false }
            state.flushQueued = true
            return true
        }
    }

    func flushStarted() {
        self.state.withLock { $0.flushQueued = false }
    }

    /// Records the outcome of a flush; after a failure, the next try waits with exponential backoff.
    func flushFinished(succeeded: Bool, retry: PipelineConfiguration.RetryPolicy, now: Int64) {
        self.state.withLock { state in
            if succeeded {
                state.failures = 0
                state.retryAt = nil
            } else {
                state.failures += 1
                state.retryAt = now + Int64(retry.delay(afterFailures: state.failures) * 1_000_000)
            }
        }
    }

    /// Whether the stream should flush now: a threshold is reached, or a failed flush is due again.
    func isFlushDue(now: Int64) -> Bool {
        let (retryAt, sealedCount) = self.state.withLock { ($0.retryAt, $0.sealed.count) }
        if let retryAt {
            return now >= retryAt
        }
        let backlog = self.backlog
        guard backlog.entries > 0 else { return false }
        let thresholds = self.configuration.thresholds
        if sealedCount > 0 || backlog.entries >= thresholds.records || backlog.bytes >= thresholds.bytes {
            return true
        }
        guard let oldest = backlog.oldestArrival else { return false }
        return Double(now - oldest) / 1_000_000 >= thresholds.ageSeconds
    }

    /// Whether the records or bytes threshold is reached (checked after appends).
    var isOverSizeThreshold: Bool {
        let backlog = self.backlog
        let thresholds = self.configuration.thresholds
        return backlog.entries > 0 && (backlog.entries >= thresholds.records || backlog.bytes >= thresholds.bytes)
    }
}
