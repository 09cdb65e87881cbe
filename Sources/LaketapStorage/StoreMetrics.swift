import Metrics

/// The metrics every store reports, created once per store:
/// - `laketap_store_request_duration_seconds` (Timer), dimensions `store`, `operation`;
/// - `laketap_store_errors_total` (Counter), dimensions `store`, `operation`, `kind`.
struct StoreMetrics: Sendable {
    enum Operation: String, Sendable, CaseIterable {
        case put, get, head, list, delete
    }

    static let durationLabel = "laketap_store_request_duration_seconds"
    static let errorsLabel = "laketap_store_errors_total"

    private let durations: [Operation: Timer]
    private let errors: [Operation: [StoreError.Kind: Counter]]

    init(store: String, factory: any MetricsFactory) {
        var durations: [Operation: Timer] = [:]
        var errors: [Operation: [StoreError.Kind: Counter]] = [:]
        for operation in Operation.allCases {
            let dimensions = [("store", store), ("operation", operation.rawValue)]
            durations[operation] = Timer(
                label: Self.durationLabel,
                dimensions: dimensions,
                preferredDisplayUnit: .seconds,
                factory: factory
            )
            for kind in StoreError.Kind.allCases {
                errors[operation, default: [:]][kind] = Counter(
                    label: Self.errorsLabel,
                    dimensions: dimensions + [("kind", kind.rawValue)],
                    factory: factory
                )
            }
        }
        self.durations = durations
        self.errors = errors
    }

    /// Runs `body`, recording its duration and, when it throws, its error kind.
    func measure<Result>(
        _ operation: Operation,
        _ body: () async throws(StoreError) -> Result
    ) async throws(StoreError) -> Result {
        let start = ContinuousClock.now
        defer { self.durations[operation]?.recordElapsed(since: start) }
        do {
            return try await body()
        } catch {
            self.errors[operation]?[error.kind]?.increment()
            throw error
        }
    }
}

extension Timer {
    fileprivate func recordElapsed(since start: ContinuousClock.Instant) {
        self.recordNanoseconds((ContinuousClock.now - start).nanoseconds)
    }
}

extension Duration {
    /// The whole nanoseconds of the duration (timers, timeouts, backoff).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = self.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
