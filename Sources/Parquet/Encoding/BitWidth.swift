/// Bit widths of packed integers (levels, dictionary indices, delta residuals).
enum BitWidth {
    /// The number of bits needed to store `value`: 0 for 0, otherwise the position of the highest set bit plus one.
    @inlinable
    static func forMaxValue(_ value: UInt64) -> Int {
        UInt64.bitWidth - value.leadingZeroBitCount
    }
}
