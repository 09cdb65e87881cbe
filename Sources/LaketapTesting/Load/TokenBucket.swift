/// Paces a load generator to a number of records per second.
///
/// A value: ``reserve(_:at:)`` takes tokens (going into debt if need be) and returns how long the caller
/// must wait before sending, so it can be tested without a clock. The bucket starts full, so a burst of up
/// to `capacity` records goes out at once; over any interval `T`, at most `capacity + rate × T` records pass.
public struct TokenBucket: Sendable {
    /// Tokens (records) added per second.
    public let rate: Double
    /// The most tokens the bucket holds.
    public let capacity: Double
    private var tokens: Double
    private var updated: ContinuousClock.Instant?

    /// A bucket refilled at `rate` tokens per second that holds at most `capacity` tokens; it starts full.
    public init(rate: Double, capacity: Double) {
        precondition(rate > 0 && capacity > 0, "a token bucket needs a positive rate and capacity")
        self.rate = rate
        self.capacity = capacity
        self.tokens = capacity
    }

    /// Takes `count` tokens at `now` and returns how long to wait before using them (zero if they were there).
    public mutating func reserve(_ count: Int, at now: ContinuousClock.Instant) -> Duration {
        if let updated {
            let elapsed = updated.duration(to: now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            self.tokens = min(self.capacity, self.tokens + max(0, seconds) * self.rate)
        }
        self.updated = now
        self.tokens -= Double(count)
        guard self.tokens < 0 else { return .zero }
        return .nanoseconds(Int64((-self.tokens / self.rate * 1e9).rounded(.up)))
    }
}
