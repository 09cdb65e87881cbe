/// Open-addressing hash table from a value's 64-bit pattern to its dictionary index.
struct FixedWidthDictionary<Value: FixedWidthValue> {
    private(set) var entries: [Value] = []
    private var keys: [UInt64]
    /// Index + 1 per slot; 0 marks an empty slot.
    private var slots: [UInt32]
    private var mask: Int

    init(capacity: Int = 1024) {
        let size = max(16, 1 << (Int.bitWidth - (capacity * 2 - 1).leadingZeroBitCount))
        self.keys = Array(repeating: 0, count: size)
        self.slots = Array(repeating: 0, count: size)
        self.mask = size - 1
    }

    var count: Int { self.entries.count }
    var plainByteCount: Int { self.entries.count * Value.byteWidth }

    /// The index of `value`, inserting it when new; `isNew` tells which.
    @inline(__always)
    mutating func index(of value: Value) -> (index: UInt32, isNew: Bool) {
        let key = value.dictionaryKey
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & self.mask
        while true {
            let stored = self.slots[slot]
            if stored == 0 { break }
            if self.keys[slot] == key { return (stored &- 1, false) }
            slot = (slot &+ 1) & self.mask
        }
        let index = UInt32(self.entries.count)
        self.entries.append(value)
        self.keys[slot] = key
        self.slots[slot] = index &+ 1
        if self.entries.count * 2 > self.slots.count { self.grow() }
        return (index, true)
    }

    private mutating func grow() {
        let size = self.slots.count * 2
        self.keys = Array(repeating: 0, count: size)
        self.slots = Array(repeating: 0, count: size)
        self.mask = size - 1
        for index in self.entries.indices {
            let key = self.entries[index].dictionaryKey
            var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & self.mask
            while self.slots[slot] != 0 { slot = (slot &+ 1) & self.mask }
            self.keys[slot] = key
            self.slots[slot] = UInt32(index + 1)
        }
    }
}
