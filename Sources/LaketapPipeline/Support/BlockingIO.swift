import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// Runs blocking work off Swift's cooperative pool, on thread pools of the pipeline's own, one per
/// kind of work, so that long work never queues short work behind it:
///
/// - ``Lane/log``: writes and fsyncs of the write-ahead log, on the acknowledgement path. A request
///   waits for these, so they must never wait behind a conversion or an upload.
/// - conversions (``convert(priority:_:)``): reading a sealed segment and encoding it to Parquet
///   (seconds), at a lower priority. The pipeline's conversion semaphore bounds how many run; the
///   pool only gives them threads.
/// - ``Lane/files``: everything else (replay, segment deletion, locks).
///
/// NIO's shared pool has as many threads as cores: on two cores, one conversion and one store copy
/// would hold both, and every acknowledgement would wait for them (measured: p99 400 ms at half load).
enum BlockingIO {
    enum Lane {
        case log
        case files
    }

    private static let logPool = Self.started(threads: 2)
    private static let conversionPool = Self.started(threads: max(1, System.coreCount))
    private static let filesPool = Self.started(threads: 2)

    private static func started(threads: Int) -> NIOThreadPool {
        let pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
        return pool
    }

    static func run<Result: Sendable>(
        _ lane: Lane = .files,
        _ body: @escaping @Sendable () throws -> Result
    ) async throws -> Result {
        let pool =
            switch lane {
            case .log: Self.logPool
            case .files: Self.filesPool
            }
        return try await pool.runIfActive(body)
    }

    /// Runs a conversion on the conversion pool, its thread first lowered to `priority`.
    static func convert<Result: Sendable>(
        priority: PipelineConfiguration.ConversionPriority,
        _ body: @escaping @Sendable () throws -> Result
    ) async throws -> Result {
        try await Self.conversionPool.runIfActive {
            Self.lowerThreadPriority(to: priority)
            return try body()
        }
    }

    /// Conversions are throughput work: on a loaded machine the threads that acknowledge requests
    /// must win every time they wake. On Linux the scheduling policy is per thread (and inherited by
    /// the threads a conversion starts): `SCHED_IDLE` runs the conversion only on a core nothing else
    /// wants and yields it at once when a request's thread wakes (nice 10 alone still let conversions
    /// delay acknowledgements: p99 24-45 ms at 160 MB/s). Should the policy be refused, nice 10. Only
    /// ever lowers: raising a pool thread back needs privileges, and the setting is per process.
    private static func lowerThreadPriority(to priority: PipelineConfiguration.ConversionPriority) {
        #if os(Linux)
        let idlePolicy: Int32 = 5  // SCHED_IDLE (<linux/sched.h>; Glibc exports it only with _GNU_SOURCE)
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        switch priority {
        case .normal:
            return
        case .idle:
            var parameters = sched_param()
            parameters.sched_priority = 0
            if sched_getscheduler(0) == idlePolicy || sched_setscheduler(0, idlePolicy, &parameters) == 0 { return }
            fallthrough
        case .low:
            if getpriority(which, 0) < 10 { _ = setpriority(which, 0, 10) }
        }
        #endif
    }
}
