import Synchronization

/// Bounds how many ingest requests are in progress at once: each holds up to
/// ``ServerConfiguration/maxDecompressedBodyBytes`` of records until the pipeline has taken them, so the
/// limit times that size bounds the front door's memory. Requests beyond it get `503` with `Retry-After`.
final class RequestLimiter: Sendable {
    let limit: Int
    private let inProgress = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes a slot; `false` when every slot is taken. A `true` must be paired with ``release()``.
    func acquire() -> Bool {
        let count = self.inProgress.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue
        guard count <= self.limit else {
            self.inProgress.wrappingSubtract(1, ordering: .acquiringAndReleasing)
            return false
        }
        return true
    }

    func release() {
        self.inProgress.wrappingSubtract(1, ordering: .acquiringAndReleasing)
    }
}
