/// Limits and switches of a ``JSONScanner``. The defaults are the only place the defaults live.
public struct JSONScanOptions: Sendable, Equatable {
    /// The deepest nesting of objects and arrays accepted; deeper input fails with
    /// ``JSONScanError/Code/depthExceeded``. Up to 128 levels the scanner keeps its container stack
    /// inline and never allocates.
    public var maximumDepth: Int
    /// The longest string accepted, counted in raw (still escaped) bytes between the quotes;
    /// `nil` means no limit beyond the input's own length.
    public var maximumStringLength: Int?

    /// Creates options; every parameter has the documented default.
    public init(maximumDepth: Int = 128, maximumStringLength: Int? = nil) {
        self.maximumDepth = maximumDepth
        self.maximumStringLength = maximumStringLength
    }
}
