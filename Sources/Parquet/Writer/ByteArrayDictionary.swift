/// Open-addressing hash table from byte strings to dictionary indices; entries are stored
/// contiguously in a ``ByteArrayBuffer`` in insertion order.
struct ByteArrayDictionary {
    private(set) var entries = ByteArrayBuffer()
    private var hashes: [UInt64]
    /// Index + 1 per slot; 0 marks an empty slot.
    private var slots: [UInt32]
    private var mask: Int

    init(capacity: Int = 1024) {
        let size = max(16, 1 << (Int.bitWidth - (capacity * 2 - 1).leadingZeroBitCount))
        self.hashes = Array(repeating: 0, count: size)
        self.slots = Array(repeating: 0, count: size)
        self.mask = size - 1
    }

    var count: Int { self.entries.count }
    /// Size of the PLAIN dictionary page body (4-byte length per entry).
    var plainByteCount: Int { self.entries.bytes.count + 4 * self.entries.count }

    /// The index of `value`, inserting it when new.
    @inline(__always)
    mutating func index(of value: UnsafeRawBufferPointer) -> (index: UInt32, isNew: Bool) {
        let hash = ByteHasher.hash(value)
        var slot = Int(truncatingIfNeeded: hash >> 32) & self.mask
        while true {
            let stored = self.slots[slot]
            if stored == 0 { break }
            if self.hashes[slot] == hash && self.entryEquals(Int(stored &- 1), value) {
                return (stored &- 1, false)
            }
            slot = (slot &+ 1) & self.mask
        }
        let index = UInt32(self.entries.count)
        self.entries.append(value)
        self.hashes[slot] = hash
        self.slots[slot] = index &+ 1
        if self.entries.count * 2 > self.slots.count { self.grow() }
        return (index, true)
    }

    @inline(__always)
    private func entryEquals(_ index: Int, _ value: UnsafeRawBufferPointer) -> Bool {
        let start = Int(self.entries.offsets[index])
        let end = Int(self.entries.offsets[index + 1])
        guard end - start == value.count else { return false }
        return self.entries.bytes.withUnsafeBytes { bytes in
            ByteEquality.equal(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), value)
        }
    }

    private mutating func grow() {
        let size = self.slots.count * 2
        var hashes = [UInt64](repeating: 0, count: size)
        var slots = [UInt32](repeating: 0, count: size)
        let mask = size - 1
        // Each value is hashed once, on lookup: moving an entry reuses the hash its slot keeps.
        for oldSlot in self.slots.indices where self.slots[oldSlot] != 0 {
            let hash = self.hashes[oldSlot]
            var slot = Int(truncatingIfNeeded: hash >> 32) & mask
            while slots[slot] != 0 { slot = (slot &+ 1) & mask }
            hashes[slot] = hash
            slots[slot] = self.slots[oldSlot]
        }
        self.hashes = hashes
        self.slots = slots
        self.mask = mask
    }
}

/// A fast non-cryptographic 64-bit hash for dictionary lookups (not stored in files).
enum ByteHasher {
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(bytes.count)
        var offset = 0
        let count = bytes.count
        while offset + 8 <= count {
            let word = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            h = (h ^ word) &* multiplier
            h ^= h >> 29
            offset += 8
        }
        if offset < count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while offset < count {
                tail |= UInt64(bytes[offset]) << shift
                shift += 8
                offset += 1
            }
            h = (h ^ tail) &* multiplier
            h ^= h >> 29
        }
        h = (h ^ (h >> 32)) &* 0xD6E8_FEB8_6659_FD93
        return h ^ (h >> 32)
    }
}
