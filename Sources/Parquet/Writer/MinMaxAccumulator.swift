/// Running minimum and maximum of fixed-width values under a sort order, skipping NaN.
struct MinMaxAccumulator<Value: FixedWidthValue> {
    private(set) var min: Value?
    private(set) var max: Value?
    private(set) var nanCount = 0
    let unsigned: Bool

    init(unsigned: Bool) {
        self.unsigned = unsigned
    }

    @inline(__always)
    mutating func update(_ value: Value) {
        if value.isNaN {
            self.nanCount += 1
            return
        }
        guard let min = self.min, let max = self.max else {
            self.min = value
            self.max = value
            return
        }
        if Value.precedes(value, min, unsigned: self.unsigned) { self.min = value }
        if Value.precedes(max, value, unsigned: self.unsigned) { self.max = value }
    }

    mutating func merge(_ other: MinMaxAccumulator<Value>) {
        if let min = other.min { self.update(min) }
        if let max = other.max { self.update(max) }
        self.nanCount += other.nanCount
    }

    var encoded: EncodedMinMax? {
        guard let min = self.min, let max = self.max else { return nil }
        return EncodedMinMax(min: min.asMinimum.littleEndianBytes, max: max.asMaximum.littleEndianBytes)
    }

    mutating func reset() {
        self.min = nil
        self.max = nil
        self.nanCount = 0
    }
}
