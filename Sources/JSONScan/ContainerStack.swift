/// The kinds of the open containers, one bit per level (1 = object), inline for the first 128 levels.
struct ContainerStack {
    private(set) var depth = 0
    private var low: UInt64 = 0
    private var high: UInt64 = 0
    /// Levels beyond 128; stays empty (no allocation) unless the depth limit is raised past 128.
    private var overflow: [UInt64] = []

    @inline(__always)
    mutating func push(isObject: Bool) {
        let level = self.depth
        let bit: UInt64 = isObject ? 1 : 0
        if level < 64 {
            self.low = self.low & ~(1 << level) | bit << level
        } else if level < 128 {
            self.high = self.high & ~(1 << (level - 64)) | bit << (level - 64)
        } else {
            let word = (level - 128) >> 6
            let shift = UInt64((level - 128) & 63)
            while self.overflow.count <= word { self.overflow.append(0) }
            self.overflow[word] = self.overflow[word] & ~(1 << shift) | bit << shift
        }
        self.depth = level + 1
    }

    @inline(__always)
    mutating func pop() {
        self.depth -= 1
    }

    /// Whether the innermost open container is an object; `false` when none is open.
    @inline(__always)
    var topIsObject: Bool {
        let level = self.depth - 1
        if level < 0 { return false }
        if level < 64 { return self.low >> level & 1 == 1 }
        if level < 128 { return self.high >> (level - 64) & 1 == 1 }
        let word = (level - 128) >> 6
        return self.overflow[word] >> UInt64((level - 128) & 63) & 1 == 1
    }
}
