import CIntrinsics

/// Open-addressing hash table from byte strings to dictionary indices; entries are stored
/// contiguously in a ``ByteArrayBuffer`` in insertion order.
///
/// A slot holds the upper 32 bits of the value's hash (which also choose the slot) and its index + 1 in
/// one word, so a probe reads one cache line: with the hashes and indices in two arrays, their loads
/// missed the cache separately on every lookup of a large dictionary.
struct ByteArrayDictionary {
    private(set) var entries = ByteArrayBuffer()
    /// `hash >> 32` in the upper half, index + 1 in the lower; 0 marks an empty slot.
    private var slots: [UInt64]
    private var mask: Int

    init(capacity: Int = 1024) {
        let size = max(16, 1 << (Int.bitWidth - (capacity * 2 - 1).leadingZeroBitCount))
        self.slots = Array(repeating: 0, count: size)
        self.mask = size - 1
    }

    var count: Int { self.entries.count }
    /// Size of the PLAIN dictionary page body (4-byte length per entry).
    var plainByteCount: Int { self.entries.bytes.count + 4 * self.entries.count }

    /// The index of `value`, inserting it when new.
    @inline(__always)
    mutating func index(of value: UnsafeRawBufferPointer) -> (index: UInt32, isNew: Bool) {
        self.index(of: value, tag: Self.tag(of: value))
    }

    /// What a slot keeps of `value`'s hash, for ``index(of:tag:)`` and ``prefetch(tag:)``.
    @inline(__always)
    static func tag(of value: UnsafeRawBufferPointer) -> UInt64 { ByteHasher.hash(value) >> 32 }

    /// Starts loading the slot a lookup of `tag` probes first, so that the lookup, some values later, does
    /// not wait for it: a dictionary of tens of thousands of entries misses the caches on most probes.
    @inline(__always)
    func prefetch(tag: UInt64) {
        let slot = Int(truncatingIfNeeded: tag) & self.mask
        self.slots.withUnsafeBufferPointer { laketap_prefetch($0.baseAddress! + slot) }
    }

    /// The index of `value`, whose tag is `tag`, inserting it when new.
    @inline(__always)
    mutating func index(of value: UnsafeRawBufferPointer, tag: UInt64) -> (index: UInt32, isNew: Bool) {
        var slot = Int(truncatingIfNeeded: tag) & self.mask
        while true {
            let stored = self.slots[slot]
            if stored == 0 { break }
            if stored >> 32 == tag {
                let index = UInt32(truncatingIfNeeded: stored) &- 1
                if self.entryEquals(Int(index), value) { return (index, false) }
            }
            slot = (slot &+ 1) & self.mask
        }
        let index = UInt32(self.entries.count)
        self.entries.append(value)
        self.slots[slot] = tag << 32 | UInt64(index &+ 1)
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
        var slots = [UInt64](repeating: 0, count: size)
        let mask = size - 1
        // The tag a slot keeps chooses the new slot: no value is hashed again.
        for stored in self.slots where stored != 0 {
            var slot = Int(truncatingIfNeeded: stored >> 32) & mask
            while slots[slot] != 0 { slot = (slot &+ 1) & mask }
            slots[slot] = stored
        }
        self.slots = slots
        self.mask = mask
    }
}

/// A fast non-cryptographic 64-bit hash for dictionary and field-name lookups (never stored in files),
/// eight bytes a step. The last step loads the final eight bytes (overlapping the step before), and
/// strings under eight bytes load two overlapping halves, so no byte is read on its own; the length
/// is mixed in first, which tells overlapping loads apart.
public enum ByteHasher {
    @inlinable @inline(__always)
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let count = bytes.count
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(truncatingIfNeeded: count)
        if count >= 8 {
            var offset = 0
            while offset &+ 8 < count {
                h = Self.mix(h, bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                offset &+= 8
            }
            h = Self.mix(h, bytes.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self))
        } else if count >= 4 {
            let low = UInt64(bytes.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
            let high = UInt64(bytes.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self))
            h = Self.mix(h, low | high << 32)
        } else if count > 0 {
            let word = UInt64(bytes[0]) | UInt64(bytes[count &>> 1]) << 8 | UInt64(bytes[count &- 1]) << 16
            h = Self.mix(h, word)
        }
        h = (h ^ (h >> 32)) &* 0xD6E8_FEB8_6659_FD93
        return h ^ (h >> 32)
    }

    @inlinable @inline(__always)
    static func mix(_ h: UInt64, _ word: UInt64) -> UInt64 {
        let mixed = (h ^ word) &* 0x9E37_79B9_7F4A_7C15
        return mixed ^ (mixed >> 29)
    }
}
