import Synchronization

/// A value set once by one task and awaited by another. The group-commit writer completes each
/// appender's result through one; the appender may await before or after it is set.
final class OneShot<Value: Sendable>: Sendable {
    private enum State {
        case empty
        case waiting(CheckedContinuation<Value, Never>)
        case done(Value)
    }

    private let state = Mutex<State>(.empty)

    init() {}

    /// Sets the value and resumes the waiter, if any; a second call is ignored.
    func complete(_ value: Value) {
        let continuation: CheckedContinuation<Value, Never>? = self.state.withLock { state in
            switch state {
            case .empty:
                state = .done(value)
                return nil
            case .waiting(let continuation):
                state = .done(value)
                return continuation
            case .done:
                return nil
            }
        }
        continuation?.resume(returning: value)
    }

    /// The value, once set. Awaited by one task only.
    var value: Value {
        get async {
            await withCheckedContinuation { (continuation: CheckedContinuation<Value, Never>) in
                let ready: Value? = self.state.withLock { state in
                    switch state {
                    case .empty:
                        state = .waiting(continuation)
                        return nil
                    case .done(let value):
                        return value
                    case .waiting:
                        preconditionFailure("a OneShot is awaited by one task only")
                    }
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }
    }
}
