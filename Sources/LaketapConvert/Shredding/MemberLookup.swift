import Parquet

/// Finds an object member by its UTF-8 name: open addressing over a small power-of-two table.
///
/// A name is known by its ``Signature``, its length and its first and last eight bytes, read in two
/// loads whatever its length: the signature chooses the slot, and equal signatures are equal names up to
/// 16 bytes (longer ones also compare their middle). A lookup reads no name byte twice and calls nothing.
struct MemberLookup: Sendable {
    /// A name's length and its first and last eight bytes (overlapping, or both halves of a shorter name).
    struct Signature: Equatable, Sendable {
        var count: Int
        var first: UInt64
        var last: UInt64

        @inline(__always)
        init(_ name: UnsafeRawBufferPointer) {
            let count = name.count
            self.count = count
            if count >= 8 {
                self.first = name.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
                self.last = name.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
            } else if count >= 4 {
                let low = UInt64(name.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
                let high = UInt64(name.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self))
                self.first = low | high << 32
                self.last = 0
            } else {
                var word: UInt64 = 0
                for index in 0..<count { word |= UInt64(name[index]) << (8 * UInt64(index)) }
                self.first = word
                self.last = 0
            }
        }

        /// Whether the signature holds every byte of the name (at most 16 of them).
        var coversName: Bool { self.count <= 16 }

        @inline(__always)
        var hash: Int {
            let mixed =
                (self.first &* 0x9E37_79B9_7F4A_7C15) ^ ((self.last ^ UInt64(self.count)) &* 0xC2B2_AE3D_27D4_EB4F)
            return Int(truncatingIfNeeded: mixed ^ (mixed >> 29))
        }
    }

    private var slots: [Int32]
    private var signatures: [Signature]
    private var names: ByteArrayBuffer
    private let mask: Int

    init(_ names: [[UInt8]]) {
        var size = 8
        while size < names.count * 4 { size *= 2 }
        self.slots = Array(repeating: -1, count: size)
        self.names = ByteArrayBuffer(names)
        self.signatures = names.map { name in name.withUnsafeBytes { Signature($0) } }
        self.mask = size - 1
        for index in names.indices {
            var slot = self.signatures[index].hash & self.mask
            while self.slots[slot] >= 0 { slot = (slot + 1) & self.mask }
            self.slots[slot] = Int32(index)
        }
    }

    /// The member index of `name`, or nil. Records mostly list their fields in one order, so member
    /// `expected` (the one after the previous key's) is compared first, before the table.
    @inline(__always)
    func index(of name: UnsafeRawBufferPointer, expected: Int) -> Int? {
        let signature = Signature(name)
        if expected < self.signatures.count && self.matches(expected, signature, name) { return expected }
        return self.index(of: name, signature)
    }

    /// The member index of `name`, or nil.
    @inline(__always)
    func index(of name: UnsafeRawBufferPointer) -> Int? {
        self.index(of: name, Signature(name))
    }

    @inline(__always)
    private func index(of name: UnsafeRawBufferPointer, _ signature: Signature) -> Int? {
        var slot = signature.hash & self.mask
        while true {
            let stored = Int(self.slots[slot])
            if stored < 0 { return nil }
            if self.matches(stored, signature, name) { return stored }
            slot = (slot + 1) & self.mask
        }
    }

    @inline(__always)
    private func matches(_ index: Int, _ signature: Signature, _ name: UnsafeRawBufferPointer) -> Bool {
        guard self.signatures[index] == signature else { return false }
        if signature.coversName { return true }
        let start = Int(self.names.offsets[index])
        return self.names.bytes.withUnsafeBytes {
            ByteEquality.equal(
                UnsafeRawBufferPointer(rebasing: $0[(start + 8)..<(start + name.count - 8)]),
                UnsafeRawBufferPointer(rebasing: name[8..<(name.count - 8)])
            )
        }
    }
}
