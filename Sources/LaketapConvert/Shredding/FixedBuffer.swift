/// A fixed number of elements behind one pointer, owned by one value: reading or writing an element,
/// in place, checks its index and nothing else. An `Array`'s element write first asks the runtime
/// whether another copy shares the storage (a call per write); the shredder's state per column is
/// written several times per value, and not copyable, so it keeps it here.
struct FixedBuffer<Element>: ~Copyable {
    private let base: UnsafeMutablePointer<Element>
    let count: Int

    init(repeating value: Element, count: Int) {
        self.count = count
        self.base = .allocate(capacity: max(1, count))
        self.base.initialize(repeating: value, count: count)
    }

    init(_ elements: [Element]) {
        self.count = elements.count
        self.base = .allocate(capacity: max(1, elements.count))
        elements.withUnsafeBufferPointer {
            _ = UnsafeMutableBufferPointer(start: self.base, count: $0.count).initialize(from: $0)
        }
    }

    deinit {
        self.base.deinitialize(count: self.count)
        self.base.deallocate()
    }

    var indices: Range<Int> { 0..<self.count }

    subscript(index: Int) -> Element {
        @inline(__always) unsafeAddress {
            precondition(index >= 0 && index < self.count, "index \(index) out of range")
            return UnsafePointer(self.base + index)
        }
        @inline(__always) nonmutating unsafeMutableAddress {
            precondition(index >= 0 && index < self.count, "index \(index) out of range")
            return self.base + index
        }
    }
}
