import CoreMetrics
import LaketapStorage
import Logging
public import Metrics
public import ServiceLifecycle
import Synchronization

/// The durable buffer and flusher: a write-ahead log per stream, flushed into partitioned Parquet
/// files (and dead-letter files) in an ``ObjectStore``.
///
/// - ``append(_:to:)`` returns once the records are in the stream's log and fsync'ed (group commit:
///   concurrent appends share one fsync).
/// - Flushes run per stream when a threshold is reached, on ``flush(stream:)``, and at shutdown. A
///   segment file is deleted only after every record in it is in the store, as Parquet or in the
///   dead-letter queue. Keys are deterministic, so a flush repeated after a crash never duplicates.
/// - As a `Service`, ``run()`` replays the log, runs the flush timer until graceful shutdown, then
///   stops accepting records, flushes every stream and returns.
///
/// Without `run()`, call ``start()`` (replay) before appending and ``shutdown()`` at the end.
public final class IngestPipeline: RecordIngest, Service, Sendable {
    private enum Phase: Sendable, Equatable {
        case created, starting, ready, shuttingDown, stopped
    }

    private struct State {
        var phase = Phase.created
        var logs: [String: StreamLog] = [:]
        /// The descriptor holding the data directory's lock, from ``start()`` until deinit.
        var lock: Int32?
        /// The data directory's ``BufferIdentity``, read at ``start()``.
        var identity = ""
    }

    let configuration: PipelineConfiguration
    let logger: Logger
    let budget: BufferBudget
    /// Bounds the conversions in progress (the memory budget).
    let conversions: AsyncSemaphore
    private let metricsFactory: any MetricsFactory
    private let state = Mutex(State())
    private let flushRequests: AsyncStream<String>
    private let flushRequestContinuation: AsyncStream<String>.Continuation

    public init(configuration: PipelineConfiguration, metricsFactory: any MetricsFactory = MetricsSystem.factory) {
        self.configuration = configuration
        self.logger = configuration.logger
        self.budget = BufferBudget(limit: configuration.diskBudgetBytes)
        self.conversions = AsyncSemaphore(permits: max(1, configuration.maximumConcurrentConversions))
        self.metricsFactory = metricsFactory
        let (requests, continuation) = AsyncStream<String>.makeStream()
        self.flushRequests = requests
        self.flushRequestContinuation = continuation
    }

    deinit {
        if let lock = self.state.withLock({ $0.lock }) { FileIO.close(lock) }
    }

    var walDirectory: String { self.configuration.dataDirectory + "/wal" }
    var stagingDirectory: String { self.configuration.dataDirectory + "/staging" }
    /// The data directory's ``BufferIdentity`` (empty before ``start()``).
    var identity: String { self.state.withLock { $0.identity } }

    // MARK: Lifecycle

    public var isReady: Bool { self.state.withLock { $0.phase == .ready } }

    /// fsyncs of log segments so far, over all streams (group commit makes it smaller than the
    /// number of appends).
    public var logSynchronizationCount: Int { self.budget.synchronizationCount }

    /// Bytes of log segments on disk, over all streams (what the disk budget bounds).
    public var bufferedBytes: Int { self.budget.usedBytes }

    /// Replays the log: recovers every stream's complete records, drops torn tails, and queues a flush
    /// of what was recovered. Returns at once when already started.
    public func start() async throws(IngestError) {
        let proceed = self.state.withLock { state in
            guard state.phase == .created else { return false }
            state.phase = .starting
            return true
        }
        guard proceed else { return }
        let logs: [StreamLog]
        do {
            let dataDirectory = self.configuration.dataDirectory
            let locked = try await BlockingIO.run { () throws -> (Int32, String)? in
                try FileIO.makeDirectories(dataDirectory)
                guard let lock = try FileIO.lock(dataDirectory + "/LOCK") else { return nil }
                return (lock, try BufferIdentity.loadOrCreate(dataDirectory: dataDirectory))
            }
            guard let (lock, identity) = locked else {
                self.state.withLock { $0.phase = .created }
                throw IngestError.storage(
                    "the data directory '\(dataDirectory)' is in use by another process; one pipeline per directory"
                )
            }
            self.state.withLock {
                $0.lock = lock
                $0.identity = identity
            }
            logs = try await self.replay()
        } catch let error as IngestError {
            throw error
        } catch {
            self.logger.error("cannot replay the log", metadata: ["laketap.error": "\(error)"])
            self.state.withLock { $0.phase = .created }
            throw .storage("cannot replay the log under '\(self.walDirectory)': \(error)")
        }
        self.state.withLock { state in
            for log in logs { state.logs[log.name] = log }
            state.phase = .ready
        }
        for log in logs {
            self.updateGauges(log)
            if !log.sealedSegments.isEmpty { self.requestFlush(log) }
        }
        self.logger.info("log replayed", metadata: ["laketap.streams": "\(logs.count)"])
    }

    /// Replays, flushes on thresholds until graceful shutdown, then stops accepting records and
    /// flushes every stream. Cancellation stops at once without the final flush (the log keeps
    /// everything acknowledged).
    public func run() async throws {
        try await self.start()
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.runFlushTimer() }
                for await name in self.flushRequests {
                    guard let log = self.state.withLock({ $0.logs[name] }) else { continue }
                    group.addTask { _ = try? await self.flush(log) }
                }
            }
        } onGracefulShutdown: {
            self.stopAccepting()
        }
        guard !Task.isCancelled else { return }
        await self.shutdown()
    }

    /// Stops accepting records, flushes every stream (a stream whose flush fails keeps its log for
    /// the next start) and closes the logs.
    public func shutdown() async {
        self.stopAccepting()
        let logs = self.state.withLock { state in state.logs.values.sorted { $0.name < $1.name } }
        self.logger.info("draining", metadata: ["laketap.streams": "\(logs.count)"])
        for log in logs {
            do {
                _ = try await self.flush(log)
            } catch {
                self.logger.warning(
                    "stream not drained; its log is kept for the next start",
                    metadata: ["laketap.stream": "\(log.name)", "laketap.error": "\(error)"]
                )
            }
            log.close()
        }
        self.state.withLock { $0.phase = .stopped }
        self.logger.info("drained")
    }

    private func stopAccepting() {
        self.state.withLock { state in
            if state.phase == .ready || state.phase == .created || state.phase == .starting {
                state.phase = .shuttingDown
            }
        }
        self.flushRequestContinuation.finish()
    }

    private func runFlushTimer() async {
        let interval = Duration.milliseconds(Int64(max(0.01, self.configuration.flushCheckIntervalSeconds) * 1_000))
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            let logs: [StreamLog]? = self.state.withLock { state in
                state.phase == .ready ? Array(state.logs.values) : nil
            }
            guard let logs else { return }
            let now = FileIO.nowMicroseconds()
            for log in logs where log.isFlushDue(now: now) { self.requestFlush(log) }
        }
    }

    /// Asks `run()` to flush a stream, unless a flush is already queued.
    func requestFlush(_ log: StreamLog) {
        if log.queueFlush() { self.flushRequestContinuation.yield(log.name) }
    }

    // MARK: RecordIngest

    public func append(_ batch: RecordBatch, to stream: String) async throws(IngestError) -> IngestReceipt {
        let log = try self.streamLog(for: stream)
        guard !batch.isEmpty else {
            let next = log.nextOffset
            return IngestReceipt(stream: stream, firstOffset: next, lastOffset: next - 1)
        }
        let arrival = FileIO.nowMicroseconds()
        let limit = self.configuration.maxRecordBytes
        var bytes: [UInt8] = []
        bytes.reserveCapacity(batch.bytes.count + batch.count * (SegmentFormat.entryHeaderBytes + 9))
        var tooLarge = 0
        for index in 0..<batch.count {
            let record = batch.record(index)
            if record.count > limit {
                tooLarge += 1
                SegmentFormat.appendDeadLetter(
                    record.prefix(limit),
                    code: "record_too_large",
                    reason: "the record has \(record.count) bytes, more than the limit of \(limit)",
                    arrival: arrival,
                    to: &bytes
                )
            } else {
                SegmentFormat.appendRecord(record, arrival: arrival, to: &bytes)
            }
        }
        let receipt = try await self.write(bytes, entries: batch.count, arrival: arrival, to: log)
        log.metrics.accepted.increment(by: batch.count - tooLarge)
        log.metrics.rejected(reason: "record_too_large", count: tooLarge)
        return receipt
    }

    /// Writes front-door rejects to the stream's log as dead-letter entries: they are durable when
    /// this returns, and land in the stream's dead-letter file with the segment they are in.
    public func deadLetter(_ records: [RejectedRecord], stream: String) async throws(IngestError) {
        guard !records.isEmpty else { return }
        let log = try self.streamLog(for: stream)
        let arrival = FileIO.nowMicroseconds()
        var bytes: [UInt8] = []
        for record in records {
            SegmentFormat.appendDeadLetter(
                record.bytes.prefix(self.configuration.maxRecordBytes),
                code: record.code,
                reason: record.reason,
                arrival: arrival,
                to: &bytes
            )
        }
        _ = try await self.write(bytes, entries: records.count, arrival: arrival, to: log)
        for record in records { log.metrics.rejected(reason: record.code) }
    }

    public func flush(stream: String) async throws(IngestError) -> FlushReport {
        guard let log = try self.log(for: stream, creating: false) else { return FlushReport(stream: stream) }
        return try await self.flush(log)
    }

    private func write(
        _ bytes: [UInt8],
        entries: Int,
        arrival: Int64,
        to log: StreamLog
    ) async throws(IngestError) -> IngestReceipt {
        guard self.budget.reserve(bytes.count) else {
            log.metrics.rejected(reason: "buffer_full", count: entries)
            throw .bufferFull(stream: log.name, retryAfterSeconds: self.configuration.retryAfterSeconds)
        }
        let result = await log.append(bytes, entries: entries, arrival: arrival)
        self.updateGauges(log)
        if log.isOverSizeThreshold { self.requestFlush(log) }
        return try result.get()
    }

    // MARK: Streams

    /// The log of a stream, created on first use when allowed; nil for a valid stream that has none
    /// yet when `creating` is false.
    private func log(for name: String, creating: Bool) throws(IngestError) -> StreamLog? {
        if let problem = Self.problem(streamName: name) { throw .invalidStreamName(name, reason: problem) }
        let configuration = self.configuration
        return try self.state.withLock { state throws(IngestError) -> StreamLog? in
            switch state.phase {
            case .ready: break
            case .created, .starting:
                throw .unavailable(reason: "replaying the log", retryAfterSeconds: configuration.retryAfterSeconds)
            case .shuttingDown, .stopped:
                throw .unavailable(reason: "shutting down", retryAfterSeconds: configuration.retryAfterSeconds)
            }
            if let log = state.logs[name] { return log }
            let declared = configuration.streams[name]
            guard declared != nil || configuration.autoCreateStreams else { throw .unknownStream(name) }
            guard creating else { return nil }
            let log = self.makeLog(name: name, configuration: declared, recovered: StreamLog.Recovered())
            state.logs[name] = log
            return log
        }
    }

    /// The log of a stream, created on first use when allowed.
    private func streamLog(for name: String) throws(IngestError) -> StreamLog {
        guard let log = try self.log(for: name, creating: true) else { throw .unknownStream(name) }
        return log
    }

    func makeLog(
        name: String,
        configuration declared: StreamConfiguration?,
        recovered: StreamLog.Recovered
    ) -> StreamLog {
        var stream = declared ?? self.configuration.defaultStream(name)
        stream.name = name
        return StreamLog(
            name: name,
            directory: self.walDirectory + "/" + name,
            configuration: stream,
            segmentBytes: self.configuration.segmentBytes,
            budget: self.budget,
            recovered: recovered,
            logger: self.logger,
            metrics: StreamMetrics(stream: name, factory: self.metricsFactory)
        )
    }

    /// Why `name` is not a valid stream name: `[A-Za-z0-9_.-]{1,128}`, not starting with `_` or `.`.
    static func problem(streamName name: String) -> String? {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= 128 else { return "a stream name has 1 to 128 characters" }
        guard bytes[0] != UInt8(ascii: "_"), bytes[0] != UInt8(ascii: ".") else {
            return "a stream name does not start with '_' or '.'"
        }
        let valid = bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"):
                true
            default:
                false
            }
        }
        return valid ? nil : "a stream name has only letters, digits, '_', '.' and '-'"
    }

    func updateGauges(_ log: StreamLog) {
        let backlog = log.backlog
        log.metrics.bufferBytes.record(backlog.bytes)
        log.metrics.bufferSegments.record(backlog.segments)
    }
}
