import Synchronization

/// The disk budget shared by every stream's log, and counters of the log's work.
///
/// Appends reserve their bytes before they are written and give them back when the write fails;
/// a segment's bytes come back when the segment is deleted after its flush landed.
final class BufferBudget: Sendable {
    let limit: Int
    private let used = Mutex(0)
    private let synchronizations = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes `bytes` from the budget; false (and nothing taken) when they do not fit.
    func reserve(_ bytes: Int) -> Bool {
        self.used.withLock { used in
            guard used + bytes <= self.limit else { return false }
            used += bytes
            return true
        }
    }

    /// Takes `bytes` whether they fit or not (segment headers, segments found at replay).
    func force(_ bytes: Int) {
        self.used.withLock { $0 += bytes }
    }

    func release(_ bytes: Int) {
        self.used.withLock { $0 = max(0, $0 - bytes) }
    }

    var usedBytes: Int { self.used.withLock { $0 } }

    /// fsyncs of segment files by the group-commit writers.
    var synchronizationCount: Int { self.synchronizations.load(ordering: .relaxed) }

    func countSynchronization() {
        self.synchronizations.add(1, ordering: .relaxed)
    }
}
