import JSONScan

/// Every member's ``PredictedKey`` (by index in ``ShreddingPlan/members``), and the bytes they point to.
///
/// Immutable once made and freed with the plan: the shredder reads a member's prediction with one load.
final class KeyPredictions: @unchecked Sendable {
    private let keys: UnsafeMutablePointer<PredictedKey>
    private let storage: UnsafeMutableRawPointer
    let count: Int

    /// Predictions of `names`, in order.
    init(_ names: [[UInt8]]) {
        self.count = names.count
        self.keys = .allocate(capacity: max(1, names.count))
        self.storage = .allocate(byteCount: max(1, names.reduce(0) { $0 + $1.count + 3 }), alignment: 8)
        var offset = 0
        for (index, name) in names.enumerated() {
            (self.keys + index).initialize(to: PredictedKey.make(name, storage: self.storage + offset))
            offset += name.count + 3
        }
    }

    deinit {
        self.keys.deinitialize(count: self.count)
        self.keys.deallocate()
        self.storage.deallocate()
    }

    @inline(__always)
    subscript(index: Int) -> PredictedKey {
        precondition(index >= 0 && index < self.count, "member \(index) out of range")
        return self.keys[index]
    }
}
