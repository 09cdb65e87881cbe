extension Array where Element == UInt8 {
    /// Appends `count` zero bytes, growing geometrically, so that a codec can then write into them in place.
    ///
    /// Copies from a small zeroed stack buffer with `memcpy`-speed appends: unlike
    /// `append(contentsOf: repeatElement(0, count:))` this stays fast in unoptimised builds too.
    mutating func appendZeroBytes(_ count: Int) {
        guard count > 0 else { return }
        let needed = self.count + count
        if needed > self.capacity {
            self.reserveCapacity(Swift.max(needed, 2 * self.capacity))
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1024) { zeros in
            zeros.initialize(repeating: 0)
            var remaining = count
            while remaining > 0 {
                let chunk = Swift.min(remaining, zeros.count)
                self.append(contentsOf: UnsafeBufferPointer(rebasing: zeros[0..<chunk]))
                remaining -= chunk
            }
        }
    }
}
