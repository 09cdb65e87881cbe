/// A binary min-heap of pending session steps, ordered by time and then by sequence number (as the
/// `(time, seq, session)` tuples of `gen_events.py`'s `heapq`).
struct SessionHeap: Sendable {
    struct Entry: Sendable {
        var time: Double
        var sequence: Int
        var slot: Int

        @inline(__always)
        func precedes(_ other: Entry) -> Bool {
            self.time < other.time || (self.time == other.time && self.sequence < other.sequence)
        }
    }

    private var entries: [Entry] = []

    init(capacity: Int) {
        self.entries.reserveCapacity(capacity)
    }

    var isEmpty: Bool { self.entries.isEmpty }

    mutating func push(_ entry: Entry) {
        self.entries.append(entry)
        var child = self.entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard self.entries[child].precedes(self.entries[parent]) else { break }
            self.entries.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest entry; the heap must not be empty.
    mutating func pop() -> Entry {
        let first = self.entries[0]
        let last = self.entries.removeLast()
        if !self.entries.isEmpty {
            self.entries[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                guard left < self.entries.count else { break }
                var smallest = left
                if left + 1 < self.entries.count && self.entries[left + 1].precedes(self.entries[left]) {
                    smallest = left + 1
                }
                guard self.entries[smallest].precedes(self.entries[parent]) else { break }
                self.entries.swapAt(smallest, parent)
                parent = smallest
            }
        }
        return first
    }
}
