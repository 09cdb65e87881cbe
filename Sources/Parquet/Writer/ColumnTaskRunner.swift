/// Runs the independent per-column work of a ``ParquetFileWriter`` (encoding a batch, compressing
/// and finishing column chunks) on several threads.
///
/// The writer calls ``forEach(_:_:)`` from one thread at a time; the columns never share state, so
/// any interleaving gives the same file.
public protocol ColumnTaskRunner: AnyObject {
    /// Calls `body` once for each index in `0..<count`, possibly concurrently, and returns when every
    /// call has returned.
    func forEach(_ count: Int, _ body: @escaping @Sendable (Int) -> Void)

    /// Runs `task` once, soon, on one of the runner's threads, without waiting for it: the writer
    /// compresses large pages this way while it goes on encoding (``PageCompressionOffload``). A task
    /// that has not started when the runner stops may be dropped; the writer then runs its work itself.
    func submit(_ task: @escaping @Sendable () -> Void)
}

/// What the writer hands to a ``ColumnTaskRunner``: its per-column closure and one error slot per
/// column.
///
/// `@unchecked Sendable`: each call of the runner's body touches only its own column's writer and its
/// own error slot, and the writer reads the slots only after ``ColumnTaskRunner/forEach(_:_:)`` returns.
final class ColumnTasks: @unchecked Sendable {
    let body: (Int) throws(ParquetError) -> Void
    var errors: UnsafeMutableBufferPointer<ParquetError?>

    init(count: Int, body: @escaping (Int) throws(ParquetError) -> Void) {
        self.body = body
        self.errors = .allocate(capacity: count)
        self.errors.initialize(repeating: nil)
    }

    deinit {
        self.errors.deinitialize()
        self.errors.deallocate()
    }

    func run(_ index: Int) {
        do {
            try self.body(index)
        } catch {
            self.errors[index] = error
        }
    }

    /// The error of the lowest-numbered column that failed.
    var firstError: ParquetError? {
        self.errors.lazy.compactMap { $0 }.first
    }
}
