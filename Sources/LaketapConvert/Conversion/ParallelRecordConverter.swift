public import JSONScan
public import Parquet
import Synchronization

/// Converts JSON records to one Parquet file on several threads, with the same output as
/// ``RecordConverter``: the same rows in the same order, the same rejections in the same order.
///
/// Records are packed into ``RecordChunk``s of a few MiB. Each chunk is shredded on one of the
/// threads, each with its own ``JSONShredder``; the shredded chunks go to the Parquet writer strictly
/// in input order, one at a time, on whichever thread is free (so the caller's thread can go on
/// reading), and their rejections to the handler in the same order. The writer cuts
/// pages and row groups at the same rows however the records are split into batches, so the file is
/// the one ``RecordConverter`` writes.
///
/// Memory stays bounded: at most ``maximumChunksInFlight`` chunks are submitted and not yet written;
/// past that, ``append(_:source:line:byteOffset:error:)`` waits, meanwhile running the writer's
/// column tasks (encoding and compressing a batch's columns) or shredding a queued chunk itself.
public final class ParallelRecordConverter<Sink: ParquetSink> {
    public typealias Statistics = RecordConverter<Sink>.Statistics
    /// Called for each rejected record with its bytes, in input order, one call at a time, on whichever
    /// of the converter's threads writes that chunk.
    public typealias RejectionHandler = (
        _ record: UnsafeRawBufferPointer, _ source: String, _ line: Int, _ byteOffset: Int,
        _ rejection: RecordRejection
    ) throws -> Void

    public let schema: StreamSchema
    public let parquetSchema: ParquetSchema
    /// Chunks submitted and not yet written, at most.
    public let maximumChunksInFlight: Int
    private let writing: OrderedWriting<Sink>
    private let queue: ShreddingQueue
    private var workers: [WorkerThread] = []
    /// The caller's own shredder, for chunks it shreds while it waits.
    private var shredder: JSONShredder
    /// Touched for every record, on the caller's thread only, by accesses that never overlap: without
    /// dynamic exclusivity checks.
    @exclusivity(unchecked) private var chunk: RecordChunk
    private let chunkBytes: Int
    private let chunkRecords: Int
    private var submitted = 0

    /// - Parameters:
    ///   - threads: threads that shred and write, counting the caller's; 1 does everything on the
    ///     caller's thread.
    ///   - chunkBytes, chunkRecords: a chunk is submitted when it holds this many bytes or records.
    ///   - framing: the framer's options, for lines it handed out unverified
    ///     (``JSONRecord/isUnverifiedLine``) and that are framed again when rejected.
    ///   - onRejection: receives every rejected record, in input order.
    public init(
        schema: StreamSchema,
        options: WriterOptions = WriterOptions(),
        sink: Sink,
        scanOptions: JSONScanOptions = JSONScanOptions(),
        threads: Int,
        chunkBytes: Int = 2 << 20,
        chunkRecords: Int = 16_384,
        framing: JSONRecordFramer.Options = .init(),
        onRejection: @escaping RejectionHandler
    ) throws(ParquetError) {
        self.schema = schema
        self.shredder = try JSONShredder(schema: schema, scanOptions: scanOptions)
        self.parquetSchema = self.shredder.parquetSchema
        let writer = try ParquetFileWriter(schema: self.parquetSchema, options: options, sink: sink)
        let writing = OrderedWriting(writer: writer, onRejection: onRejection)
        self.writing = writing
        self.chunkBytes = max(1, chunkBytes)
        self.chunkRecords = max(1, chunkRecords)
        self.chunk = RecordChunk(source: "", capacity: self.chunkBytes + (64 << 10))
        let threads = max(1, threads)
        self.maximumChunksInFlight = 2 * threads
        self.queue = ShreddingQueue(spareLimit: self.maximumChunksInFlight, writing: writing, framing: framing)
        for _ in 1..<threads {
            let owned = OwnedShredder(try JSONShredder(schema: schema, scanOptions: scanOptions))
            let queue = self.queue
            guard let worker = WorkerThread({ queue.work(owned) }) else { break }
            self.workers.append(worker)
        }
        // The threads also encode and compress the columns of each batch and row group.
        if !self.workers.isEmpty { writer.columnTaskRunner = self.queue }
    }

    deinit {
        self.stopWorkers()
    }

    /// Records in, written and rejected so far.
    public var statistics: Statistics { self.writing.statistics.withLock { $0 } }

    /// Adds one record, or with `error` a record the framer rejected. Rejections reach the handler
    /// later, in input order; ``finish()`` reports the last ones.
    public func append(
        _ record: UnsafeRawBufferPointer,
        source: String,
        line: Int,
        byteOffset: Int,
        error: JSONScanError? = nil
    ) throws {
        try self.startChunk(for: source)
        if let error {
            self.chunk.append(record, line: line, byteOffset: byteOffset, error: error)
        } else {
            self.chunk.append(record, line: line, byteOffset: byteOffset)
        }
        try self.submitChunkWhenFull()
    }

    /// Adds a line the framer ended at its newline unchecked (``JSONRecord/isUnverifiedLine``): framed
    /// again on its shredding thread when it does not convert as one record.
    public func appendUnverifiedLine(
        _ record: UnsafeRawBufferPointer,
        source: String,
        line: Int,
        byteOffset: Int
    ) throws {
        try self.startChunk(for: source)
        self.chunk.append(record, line: line, byteOffset: byteOffset, isUnverifiedLine: true)
        try self.submitChunkWhenFull()
    }

    /// Submits the chunk in progress when `source` is another input's.
    @inline(__always)
    private func startChunk(for source: String) throws {
        guard self.chunk.source != source else { return }
        try self.submitChunk()
        self.chunk.source = source
    }

    @inline(__always)
    private func submitChunkWhenFull() throws {
        if self.chunk.bytes.count >= self.chunkBytes || self.chunk.records.count >= self.chunkRecords {
            try self.submitChunk()
        }
    }

    /// Counts a record rejected before it reached the converter (already reported by the caller).
    public func reject(_ rejection: RecordRejection) {
        self.writing.statistics.withLock { statistics in
            statistics.recordsIn += 1
            statistics.countRejection(rejection)
        }
    }

    /// Shreds and writes every record, writes the footer and finishes the sink.
    @discardableResult
    public func finish() throws -> ParquetFileSummary {
        try self.submitChunk()
        try self.queue.waitUntilWritten(self.submitted, helping: &self.shredder)
        let summary = try self.writing.writer.finish()  // the threads still help with the last row group
        self.stopWorkers()
        return summary
    }

    /// Stops the threads without writing what is in flight (after an error).
    public func abandon() {
        self.stopWorkers()
    }

    /// The sink, for a MemorySink's bytes after ``finish()``.
    public var sink: Sink { self.writing.writer.sink }

    // MARK: Pipeline

    private func submitChunk() throws {
        guard !self.chunk.isEmpty else { return }
        try self.queue.waitUntilWritten(self.submitted - self.maximumChunksInFlight + 1, helping: &self.shredder)
        let full = self.chunk
        self.chunk = self.queue.spareChunk() ?? RecordChunk(source: "", capacity: self.chunkBytes + (64 << 10))
        self.chunk.reset(source: full.source)
        if self.workers.isEmpty {
            self.queue.complete(self.queue.shred(full, sequence: self.submitted, with: &self.shredder))
            self.submitted += 1
            try self.queue.waitUntilWritten(self.submitted, helping: &self.shredder)
        } else {
            self.queue.submit(ShreddingQueue.Job(sequence: self.submitted, chunk: full))
            self.submitted += 1
        }
    }

    private func stopWorkers() {
        self.queue.close()
        for worker in self.workers { worker.join() }
        self.workers.removeAll()
        // The writer holds the queue as its column task runner and the queue holds the writer: break
        // the cycle, or every converter's buffers would outlive it (a long-running server converts
        // thousands of files).
        self.writing.writer.columnTaskRunner = nil
    }
}

/// Writes shredded chunks, in order (non-generic, so the queue needs no type of sink).
private protocol ChunkWriting: AnyObject, Sendable {
    func write(_ shredded: inout ShreddingQueue.Shredded) throws
}

/// The writing end: hands shredded chunks to the Parquet writer and their rejections to the handler.
///
/// `@unchecked Sendable`: ``write(_:)`` runs on one thread at a time, in sequence order (the queue's
/// write token), and the converter touches `writer` only before the first and after the last write;
/// `statistics` is behind its own mutex.
private final class OrderedWriting<Sink: ParquetSink>: ChunkWriting, @unchecked Sendable {
    let writer: ParquetFileWriter<Sink>
    let onRejection: ParallelRecordConverter<Sink>.RejectionHandler
    let statistics = Mutex(RecordConverter<Sink>.Statistics())

    init(writer: ParquetFileWriter<Sink>, onRejection: @escaping ParallelRecordConverter<Sink>.RejectionHandler) {
        self.writer = writer
        self.onRejection = onRejection
    }

    func write(_ shredded: inout ShreddingQueue.Shredded) throws {
        self.statistics.withLock { statistics in
            statistics.recordsIn += shredded.chunk.records.count
            statistics.recordsWritten += shredded.accepted
            for (_, rejection) in shredded.rejections { statistics.countRejection(rejection) }
        }
        for (index, rejection) in shredded.rejections {
            let record = shredded.chunk.records[index]
            let source = shredded.chunk.source
            try shredded.chunk.withRecord(at: index) { bytes in
                try self.onRejection(bytes, source, record.line, record.byteOffset, rejection)
            }
        }
        if !shredded.batches.isEmpty { try self.writer.write(shredded.batches) }
    }
}

/// A shredder handed to one worker thread at its start and used only there.
private final class OwnedShredder: @unchecked Sendable {
    var shredder: JSONShredder
    init(_ shredder: consuming JSONShredder) { self.shredder = shredder }
}

/// The chunks waiting to be shredded, the shredded chunks waiting to be written, spare column
/// buffers, and the writer's column tasks, shared by the converter and its threads. Column tasks go
/// first: the writer waits for them.
///
/// `@unchecked Sendable`: every stored `var` is read and written only inside `lock.withLock`.
private final class ShreddingQueue: ColumnTaskRunner, @unchecked Sendable {
    struct Job: Sendable {
        var sequence: Int
        var chunk: RecordChunk
    }

    struct Shredded: Sendable {
        var sequence: Int
        var chunk: RecordChunk
        var batches: [ColumnBatch]
        var accepted: Int
        var rejections: [(index: Int, rejection: RecordRejection)]
    }

    private let lock = ConditionLock()
    private let spareLimit: Int
    /// The framer's options, to frame a rejected unverified line again.
    private let framing: JSONRecordFramer.Options
    /// Writes the shredded chunks; called by one thread at a time, in sequence order.
    private let writing: any ChunkWriting
    private var jobs: [Job] = []
    private var done: [Int: Shredded] = [:]
    private var spareBatches: [[ColumnBatch]] = []
    private var spareChunks: [RecordChunk] = []
    /// Chunks written; the next to write is `written`.
    private var written = 0
    /// Whether a thread is writing chunk `written` (the write token is taken).
    private var isWriting = false
    /// The first error of a write; nothing more is written after it.
    private var failure: (any Error)?
    private var isClosed = false
    /// The writer's column tasks in progress: the body, the next index to run, and how many are done.
    private var columnBody: (@Sendable (Int) -> Void)?
    private var columnCount = 0
    private var nextColumn = 0
    private var columnsDone = 0
    /// The writer's detached tasks (compressing a large page), oldest first.
    private var detached: [@Sendable () -> Void] = []
    private var nextDetached = 0

    init(spareLimit: Int, writing: any ChunkWriting, framing: JSONRecordFramer.Options) {
        self.spareLimit = spareLimit
        self.writing = writing
        self.framing = framing
    }

    func submit(_ job: Job) {
        self.lock.withLock {
            self.jobs.append(job)
            self.lock.broadcast()
        }
    }

    func complete(_ shredded: Shredded) {
        self.lock.withLock {
            self.done[shredded.sequence] = shredded
            self.lock.broadcast()
        }
    }

    /// Ends the workers' loops; queued jobs and detached tasks are dropped (the writer has resolved
    /// the pages of its detached tasks by the time it finishes).
    func close() {
        self.lock.withLock {
            self.isClosed = true
            self.jobs.removeAll()
            self.detached.removeAll()
            self.nextDetached = 0
            self.lock.broadcast()
        }
    }

    /// Returns once `count` chunks are written, writing or shredding queued chunks with `shredder`
    /// meanwhile; throws the error of a failed write.
    func waitUntilWritten(_ count: Int, helping shredder: inout JSONShredder) throws {
        while true {
            let next: WorkItem? = try self.lock.withLock {
                while true {
                    if let failure = self.failure { throw failure }
                    if self.written >= count { return nil }
                    // The writer's column tasks first: the thread writing waits for them, and no chunk
                    // can be submitted before it has written. Then a queued chunk before a page to
                    // compress: the caller goes back to reading sooner (a chunk takes ~5 ms, an 8 MiB
                    // page 20-50 ms), and the workers, which take pages first, do not run out of chunks
                    // meanwhile. Two-core idle time, logs 1.00 -> 0.62 core-seconds, events 0.33 -> 0.29.
                    if let item = self.takeColumn() ?? self.takeWrite() { return item }
                    if !self.jobs.isEmpty { return .shred(self.jobs.removeFirst()) }
                    if let item = self.takeDetached() { return item }
                    self.lock.wait()
                }
            }
            switch next {
            case .column(let body, let index): self.runColumn(body, index)
            case .write(let shredded): self.runWrite(shredded)
            case .detached(let task): task()
            case .shred(let job): self.complete(self.shred(job.chunk, sequence: job.sequence, with: &shredder))
            case .stop, nil: return
            }
        }
    }

    /// The next of the writer's column tasks in progress, if any. Call with the lock held.
    private func takeColumn() -> WorkItem? {
        guard let body = self.columnBody, self.nextColumn < self.columnCount else { return nil }
        self.nextColumn += 1
        return .column(body, self.nextColumn - 1)
    }

    /// The oldest of the writer's detached tasks, if any. Call with the lock held.
    private func takeDetached() -> WorkItem? {
        guard self.nextDetached < self.detached.count else { return nil }
        let task = self.detached[self.nextDetached]
        self.nextDetached += 1
        if self.nextDetached == self.detached.count {
            self.detached.removeAll(keepingCapacity: true)
            self.nextDetached = 0
        }
        return .detached(task)
    }

    /// Queues one of the writer's detached tasks, for the first thread free.
    func submit(_ task: @escaping @Sendable () -> Void) {
        self.lock.withLock {
            self.detached.append(task)
            self.lock.broadcast()
        }
    }

    /// The next chunk to write when it is shredded and no thread is writing; takes the write token.
    /// Call with the lock held.
    private func takeWrite() -> WorkItem? {
        guard !self.isWriting, self.failure == nil, let shredded = self.done.removeValue(forKey: self.written) else {
            return nil
        }
        self.isWriting = true
        return .write(shredded)
    }

    private func runWrite(_ shredded: Shredded) {
        var shredded = shredded
        var error: (any Error)?
        do {
            try self.writing.write(&shredded)
        } catch let caught {
            error = caught
        }
        self.lock.withLock {
            if let error, self.failure == nil { self.failure = error }
            self.written += 1
            self.isWriting = false
            if self.spareBatches.count < self.spareLimit && !shredded.batches.isEmpty {
                self.spareBatches.append(shredded.batches)
            }
            if self.spareChunks.count < 2 { self.spareChunks.append(shredded.chunk) }
            self.lock.broadcast()
        }
    }

    /// A written chunk's buffers, for the next chunk.
    func spareChunk() -> RecordChunk? {
        self.lock.withLock { self.spareChunks.popLast() }
    }

    /// What a worker does next.
    private enum WorkItem {
        case column(@Sendable (Int) -> Void, Int)
        case write(Shredded)
        case detached(@Sendable () -> Void)
        case shred(Job)
        case stop
    }

    /// A worker's loop: runs column tasks and shreds jobs until ``close()``.
    func work(_ owned: OwnedShredder) {
        while true {
            switch self.nextTask() {
            case .column(let body, let index): self.runColumn(body, index)
            case .write(let shredded): self.runWrite(shredded)
            case .detached(let task): task()
            case .shred(let job): self.complete(self.shred(job.chunk, sequence: job.sequence, with: &owned.shredder))
            case .stop: return
            }
        }
    }

    private func nextTask() -> WorkItem {
        self.lock.withLock {
            while true {
                if let item = self.takeColumn() ?? self.takeWrite() ?? self.takeDetached() { return item }
                if !self.jobs.isEmpty { return .shred(self.jobs.removeFirst()) }
                if self.isClosed { return .stop }
                self.lock.wait()
            }
        }
    }

    private func runColumn(_ body: @Sendable (Int) -> Void, _ index: Int) {
        body(index)
        self.lock.withLock {
            self.columnsDone += 1
            if self.columnsDone == self.columnCount { self.lock.broadcast() }
        }
    }

    /// Runs the writer's column tasks on the workers and the caller's thread.
    func forEach(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        self.lock.withLock {
            self.columnBody = body
            self.columnCount = count
            self.nextColumn = 0
            self.columnsDone = 0
            self.lock.broadcast()
        }
        while true {
            let index: Int? = self.lock.withLock {
                guard self.nextColumn < self.columnCount else { return nil }
                self.nextColumn += 1
                return self.nextColumn - 1
            }
            guard let index else { break }
            self.runColumn(body, index)
        }
        // Waiting for the other threads' columns, this one compresses pages meanwhile.
        while let task = self.lock.withLock({ () -> (@Sendable () -> Void)? in
            while self.columnsDone < self.columnCount {
                if case .detached(let task) = self.takeDetached() { return task }
                self.lock.wait()
            }
            return nil
        }) {
            task()
        }
        self.lock.withLock {
            self.columnBody = nil
            self.columnCount = 0
        }
    }

    /// Shreds every record of `chunk`: the accepted ones into batches (reusing spare buffers), the
    /// others into rejections.
    func shred(_ chunk: RecordChunk, sequence: Int, with shredder: inout JSONShredder) -> Shredded {
        if var spare = self.lock.withLock({ self.spareBatches.popLast() }) { shredder.recycle(&spare) }
        var chunk = chunk
        var rejections: [(index: Int, rejection: RecordRejection)] = []
        var index = 0
        while index < chunk.records.count {
            let record = chunk.records[index]
            if let error = chunk.error(of: record) {
                rejections.append((index, RecordRejection(error)))
                index += 1
                continue
            }
            let rejection: RecordRejection? = chunk.bytes.withUnsafeBytes { bytes in
                do throws(RecordRejection) {
                    try shredder.append(
                        UnsafeRawBufferPointer(rebasing: bytes[record.range]),
                        line: record.line,
                        byteOffset: record.byteOffset
                    )
                    return nil
                } catch {
                    return error
                }
            }
            if let rejection {
                // A rejected unverified line may hold several records: framed again, they take its place.
                if record.isUnverifiedLine,
                    let framed = chunk.withRecord(
                        at: index,
                        {
                            JSONRecordFramer.splitRejectedLine(
                                $0,
                                line: record.line,
                                byteOffset: record.byteOffset,
                                options: self.framing
                            )
                        }
                    )
                {
                    chunk.replaceLine(at: index, with: framed)
                    continue
                }
                rejections.append((index, rejection))
            }
            index += 1
        }
        let accepted = shredder.recordCount
        return Shredded(
            sequence: sequence,
            chunk: chunk,
            batches: accepted > 0 ? shredder.makeBatches() : [],
            accepted: accepted,
            rejections: rejections
        )
    }
}
