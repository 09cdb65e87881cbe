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
/// - ``Lane/conversion``: reading a sealed segment and encoding it to Parquet (seconds). The
///   pipeline's conversion semaphore bounds how many run; the pool only gives them threads.
/// - ``Lane/files``: everything else (replay, segment deletion, locks).
///
/// NIO's shared pool has as many threads as cores: on two cores, one conversion and one store copy
/// would hold both, and every acknowledgement would wait for them (measured: p99 400 ms at half load).
enum BlockingIO {
    enum Lane {
        case log
        case conversion
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
            case .conversion: Self.conversionPool
            case .files: Self.filesPool
            }
        if lane == .conversion {
            return try await pool.runIfActive {
                Self.lowerThreadPriority()
                return try body()
            }
        }
        return try await pool.runIfActive(body)
    }

    /// Conversions are throughput work: on a loaded machine the scheduler should prefer the threads
    /// that acknowledge requests. On Linux the nice value is per thread and `setpriority(PRIO_PROCESS,
    /// 0, …)` sets the calling thread's; nice 10 still runs conversions whenever a core is free.
    private static func lowerThreadPriority() {
        #if os(Linux)
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        if getpriority(which, 0) < 10 { _ = setpriority(which, 0, 10) }
        #endif
    }
}
