import Foundation
import Synchronization
import Testing

@testable import Parquet

/// Large pages compressed as detached tasks (``PageCompressionOffload``) give the file of pages
/// compressed in place, whenever and wherever the tasks run, or if they never do.
@Suite struct PageCompressionOffloadTests {
    /// Runs column tasks in place; detached tasks on a new thread each, or never (`holds`), so the
    /// writer has to compress those pages itself when it finishes the chunk.
    final class Runner: ColumnTaskRunner, @unchecked Sendable {
        let holds: Bool
        let submitted = Atomic<Int>(0)
        let held = Mutex<[@Sendable () -> Void]>([])

        init(holds: Bool) { self.holds = holds }

        func forEach(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
            for index in 0..<count { body(index) }
        }

        func submit(_ task: @escaping @Sendable () -> Void) {
            self.submitted.add(1, ordering: .relaxed)
            if self.holds {
                self.held.withLock { $0.append(task) }
            } else {
                Thread.detachNewThread { task() }
            }
        }
    }

    static func options(pageMemoryBudget: Int = WriterOptions.defaultPageMemoryBudget) -> WriterOptions {
        var options = WriterOptions()
        options.compression = .zstd(level: 3)
        options.dictionaryEnabled = false
        options.dataPageSize = 300 << 10
        options.dataPageRowLimit = 1 << 20
        options.rowGroupMaxRows = 25_000
        options.pageChecksums = true
        options.pageMemoryBudget = pageMemoryBudget
        return options
    }

    static func write(_ options: WriterOptions, runner: Runner?) throws -> [UInt8] {
        let schema = try ParquetSchema([.string("hex", .required), .string("text", .required)])
        let columns = [PageSizingTests.hexStrings(60_000, seed: 3), PageSizingTests.sentences(60_000, seed: 4)]
        let writer = try ParquetFileWriter(schema: schema, options: options, sink: MemorySink())
        writer.columnTaskRunner = runner
        var start = 0
        while start < 60_000 {
            let end = min(60_000, start + 7_000)
            try writer.write(columns.map { ColumnBatch(values: .byteArray($0.slice(start..<end))) })
            start = end
        }
        try writer.finish()
        writer.columnTaskRunner = nil
        return writer.sink.bytes
    }

    @Test(arguments: [false, true])
    func givesTheFileOfPagesCompressedInPlace(holds: Bool) throws {
        let options = Self.options()
        let inPlace = try Self.write(options, runner: nil)
        let runner = Runner(holds: holds)
        let offloaded = try Self.write(options, runner: runner)
        // 60,000 rows of 32 hex digits in pages of 300 KiB: pages after each chunk's first (which
        // decides the zstd level in place) go to tasks.
        #expect(runner.submitted.load(ordering: .relaxed) >= 6)
        #expect(offloaded == inPlace)

        let reader = try ParquetFileReader(source: MemorySource(offloaded))
        #expect(reader.metadata.rowCount == 60_000)
        let hex = try reader.readColumn(rowGroup: 1, column: 0).values
        #expect(sameValues(hex, .byteArray(PageSizingTests.hexStrings(60_000, seed: 3).slice(25_000..<50_000))))
    }

    /// Holds the writer, as a converter's queue does, and drops its tasks when it stops.
    final class OwningRunner: ColumnTaskRunner, @unchecked Sendable {
        var owner: AnyObject?
        var held: [@Sendable () -> Void] = []

        func forEach(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
            for index in 0..<count { body(index) }
        }

        func submit(_ task: @escaping @Sendable () -> Void) { self.held.append(task) }
    }

    /// A writer abandoned with pages still waiting for their tasks is freed although its runner holds
    /// it: the waiting pages must not hold the runner (a server converts file after file).
    @Test func anAbandonedWriterWithWaitingPagesIsFreed() throws {
        weak var released: ParquetFileWriter<MemorySink>?
        do {
            let schema = try ParquetSchema([.string("hex", .required), .string("text", .required)])
            let columns = [PageSizingTests.hexStrings(20_000, seed: 5), PageSizingTests.sentences(20_000, seed: 6)]
            let runner = OwningRunner()
            let writer = try ParquetFileWriter(schema: schema, options: Self.options(), sink: MemorySink())
            released = writer
            writer.columnTaskRunner = runner
            runner.owner = writer
            // Fewer rows than a row group: the pages handed off are still waiting in the open chunk.
            try writer.write(columns.map { ColumnBatch(values: .byteArray($0)) })
            #expect(!runner.held.isEmpty)
            // Stopped without finishing: the tasks are dropped and the runner let go of, not the owner.
            runner.held.removeAll()
            writer.columnTaskRunner = nil
        }
        #expect(released == nil)
    }

    @Test func pagesWaitingForTheirTaskStayWithinTheBudget() throws {
        // Half of a 1.2 MiB page budget: as pages of 256 KiB or more are offloaded, at most two of a
        // row group wait when no task runs before the chunk ends (3 row groups).
        let options = Self.options(pageMemoryBudget: 1_200 << 10)
        let held = Runner(holds: true)
        let offloaded = try Self.write(options, runner: held)
        let waited = held.submitted.load(ordering: .relaxed)
        #expect(waited >= 1 && waited <= 2 * 3)
        #expect(offloaded == (try Self.write(options, runner: nil)))
        // With the default budget, every page after the level trial goes.
        let unbounded = Runner(holds: true)
        _ = try Self.write(Self.options(), runner: unbounded)
        #expect(unbounded.submitted.load(ordering: .relaxed) > waited)
    }

    /// A page is compressed once, by whichever call comes first: `compressUnlessStarted` (a runner's
    /// task, or the writer taking its chunk's pages from the last) or `resolve`, racing on four threads.
    @Test func aPageIsCompressedOnceWhoeverStartsIt() throws {
        let body = Array(PageSizingTests.sentences(4_000, seed: 7).bytes)
        let job = PendingPage.Job(
            header: PageHeader(
                type: .dataPage,
                uncompressedPageSize: Int32(body.count),
                compressedPageSize: 0,
                dataPageHeader: DataPageHeader(numValues: 4_000, encoding: .plain)
            ),
            body: body[...],
            compression: .zstd(level: 3),
            tier: .configured,
            plainByteArraysAt: nil,
            pageChecksums: true
        )
        let expected = try job.run().get().bytes
        for round in 0..<20 {
            let compressions = Atomic<Int>(0)
            let page = PendingPage(job, onCompressed: { compressions.add(1, ordering: .relaxed) })
            let frames = Mutex<[[UInt8]]>([])
            let group = DispatchGroup()
            for thread in 0..<4 {
                DispatchQueue.global().async(group: group) {
                    if (thread + round) % 2 == 0 { page.compressUnlessStarted() }
                    let bytes = try? page.resolve().get().bytes
                    frames.withLock { $0.append(bytes ?? []) }
                }
            }
            group.wait()
            #expect(compressions.load(ordering: .relaxed) == 1)
            #expect(frames.withLock { $0 } == [[UInt8]](repeating: expected, count: 4))
            // Done: neither call compresses it again.
            page.compressUnlessStarted()
            #expect(try page.resolve().get().bytes == expected)
            #expect(compressions.load(ordering: .relaxed) == 1)
        }
    }
}
