import Parquet

/// One file of the interop matrix and what every reader must see in it.
struct InteropCase {
    var name: String
    var fields: [Field]
    var rows: [[String: ParquetValue]]
    var options = WriterOptions()
    /// Readers that must read the file; fastparquet only reads flat schemas.
    var readers: [String] = ["pyarrow", "duckdb", "polars", "spark", "fastparquet"]
    /// Top-level column → ["duckdb_type": …, "arrow_type": …].
    var columnTypes: [String: [String: String]] = [:]
    /// Dotted leaf path → expectations beyond the defaults derived from the options.
    var leaves: [String: [String: Any]] = [:]
    var expectedRowGroups: Int?
    /// Readers verify page CRCs where they can.
    var pageChecksums = false
    /// Rows per write call, to exercise batching.
    var batchRows = 1000

    var isFlat: Bool { self.fields.allSatisfy { !$0.isGroup } }
}

/// Deterministic SplitMix64.
struct SeededRandom {
    var state: UInt64

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: Range<Int>) -> Int {
        range.lowerBound + Int(self.next() % UInt64(range.count))
    }

    mutating func chance(_ percent: Int) -> Bool { self.int(0..<100) < percent }
}
