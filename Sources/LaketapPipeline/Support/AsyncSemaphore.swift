import Synchronization

/// Permits handed out in arrival order: bounds concurrent conversions (the memory budget) and
/// serializes the flushes of one stream. Waiting is not cancellable; holders release promptly.
final class AsyncSemaphore: Sendable {
    private struct State {
        var available: Int
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Mutex<State>

    init(permits: Int) {
        precondition(permits > 0, "a semaphore needs at least one permit")
        self.state = Mutex(State(available: permits))
    }

    func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let acquired = self.state.withLock { state in
                if state.available > 0 {
                    state.available -= 1
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if acquired { continuation.resume() }
        }
    }

    func release() {
        let next: CheckedContinuation<Void, Never>? = self.state.withLock { state in
            if state.waiters.isEmpty {
                state.available += 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
