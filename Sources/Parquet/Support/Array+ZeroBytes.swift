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

extension Array where Element == UInt8 {
    /// Makes the array at least `count` bytes long, keeping its first `kept` bytes; the others are left
    /// as the allocator gave them (their values unspecified). For storage whose bytes are always written
    /// before they are read, past a count tracked beside it (a page's values, a codec's output):
    /// zero-filling them first wrote each new byte twice, 340 MB of page storage per events file on two
    /// cores, where every page handed to another thread to compress leaves the next page to start new
    /// storage.
    ///
    /// Storage grown step by step should ask for twice its length, so that it copies its bytes a
    /// logarithmic number of times.
    ///
    /// A page keeps its values; a codec's output buffer, written from its start every time, keeps none.
    /// Copying the whole array touched every page of the new storage at once, where a frame written into
    /// it later touches only its own bytes: on one-core events a third of the conversion's page faults
    /// (32 of 94 MiB) were output buffers' stale bytes copied into grown ones.
    mutating func growUninitialized(toCount count: Int, keeping kept: Int) {
        guard count > self.count else { return }
        let copied = Swift.min(kept, self.count)
        let grown = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            self.withUnsafeBufferPointer { old in
                if let source = old.baseAddress, copied > 0 {
                    buffer.baseAddress!.update(from: source, count: copied)
                }
            }
            initialized = count
        }
        self = grown
    }
}
