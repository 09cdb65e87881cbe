/// Definition levels of the optional columns outside lists and maps ("flat" columns), which have
/// exactly one per record: a record's levels are a row with one byte per column, and a batch's rows a
/// matrix that becomes per-column arrays when the batch is taken.
///
/// Appending a level to each column's array cost a uniqueness and a capacity check per column and
/// record, including every column of every absent member (most of a wide schema's columns in most
/// records). Here a record costs one row reset and one append whatever the schema's width: an absent
/// member costs nothing, as an object sets its columns' bytes to its own level when it starts.
struct FlatLevels: ~Copyable {
    /// Whether a column keeps its definition levels here, by column index.
    let isFlat: [Bool]
    private let flatColumns: [Int]
    private let width: Int
    /// The record in progress, one byte per column; written through the pointer, so setting a level
    /// checks nothing.
    private let row: UnsafeMutablePointer<UInt8>
    /// The accepted records' rows, in order: `rowCount` rows of `width` bytes, room for `rowCapacity`.
    private var rows: UnsafeMutablePointer<UInt8>
    private var rowCount = 0
    private var rowCapacity = 0

    init(builders: [ColumnBuilder]) {
        let isFlat = builders.map { $0.maxRepetition == 0 && $0.maxDefinition > 0 }
        self.isFlat = isFlat
        self.flatColumns = isFlat.indices.filter { isFlat[$0] }
        self.width = builders.count
        self.row = .allocate(capacity: max(1, builders.count))
        self.row.initialize(repeating: 0, count: max(1, builders.count))
        self.rows = .allocate(capacity: 1)
    }

    deinit {
        self.row.deallocate()
        self.rows.deallocate()
    }

    /// Bytes of the rows held.
    var byteCount: Int { self.rowCount &* self.width }

    /// Starts a record with every flat column at level 0: the root's members absent.
    func startRecord() {
        self.row.update(repeating: 0, count: self.width)
    }

    @inline(__always)
    func set(_ column: Int, _ level: Int) {
        self.row[column] = UInt8(truncatingIfNeeded: level)
    }

    /// Sets every column of `columns` (its non-flat ones are ignored later).
    func set(_ columns: Range<Int>, _ level: Int) {
        (self.row + columns.lowerBound).update(repeating: UInt8(truncatingIfNeeded: level), count: columns.count)
    }

    /// Keeps the record's row: the record was accepted.
    mutating func commitRecord() {
        if self.rowCount == self.rowCapacity { self.growRows() }
        (self.rows + self.rowCount &* self.width).update(from: self.row, count: self.width)
        self.rowCount &+= 1
    }

    @inline(never)
    private mutating func growRows() {
        let capacity = max(1_024, 2 * self.rowCapacity)
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, capacity * self.width))
        grown.update(from: self.rows, count: self.rowCount * self.width)
        self.rows.deallocate()
        self.rows = grown
        self.rowCapacity = capacity
    }

    /// Appends the rows' levels to the flat columns' builders, in record order, and starts over.
    ///
    /// A block of rows at a time, every column of the block before the next: column by column over the
    /// whole batch, each column read the matrix (a row of one byte per column, 81 on logs) a byte per
    /// cache line, and the batch's matrix (about 1.3 MB on logs) came from beyond the core's caches once
    /// per column (2.3% of one-core logs samples).
    mutating func moveRows(into builders: borrowing FixedBuffer<ColumnBuilder>) {
        let records = self.rowCount
        guard records > 0, self.width > 0 else {
            self.rowCount = 0
            return
        }
        let width = self.width
        for column in self.flatColumns {
            builders[column].definitionLevels.append(contentsOf: repeatElement(0, count: records))
        }
        let base = UnsafePointer(self.rows)
        var first = 0
        while first < records {
            let end = min(records, first &+ Self.blockRows)
            for column in self.flatColumns {
                builders[column].definitionLevels.withUnsafeMutableBufferPointer { levels in
                    // The batch's levels are the last `records` of the column's.
                    let out = levels.baseAddress! + (levels.count &- records)
                    var offset = first &* width &+ column
                    for record in first..<end {
                        out[record] = base[offset]
                        offset &+= width
                    }
                }
            }
            first = end
        }
        self.rowCount = 0
    }

    /// Rows per block of ``moveRows(into:)``: with its columns' levels, a block stays in the first-level
    /// cache for schemas up to about a hundred columns.
    private static var blockRows: Int { 128 }
}
