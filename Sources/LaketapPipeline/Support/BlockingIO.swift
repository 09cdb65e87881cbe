import NIOPosix

/// Runs blocking file-system work (write, fsync, whole-segment reads, Parquet encoding) on NIO's
/// thread pool, keeping it off Swift's cooperative pool.
enum BlockingIO {
    static func run<Result: Sendable>(
        _ body: @escaping @Sendable () throws -> Result
    ) async throws -> Result {
        try await NIOThreadPool.singleton.runIfActive(body)
    }
}
