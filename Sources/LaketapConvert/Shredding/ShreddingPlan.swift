import Parquet

/// A stream schema compiled for shredding: a tree whose leaves are Parquet leaf column indices.
enum ShreddingPlan: Sendable {
    enum Leaf: Sendable {
        case boolean
        case int64
        case double
        case string
        case timestamp(TimestampFormat)
        case date
        case json
    }

    struct Member: Sendable {
        /// The member's index in the names ``compile(_:nextColumn:names:repetition:)`` collects: the
        /// shredder's path refers to members by it, so walking a record retains no name.
        var id: Int
        var isNullable: Bool
        var plan: ShreddingPlan
    }

    case leaf(Leaf, column: Int)
    /// Members in schema order, their lookup table, and the leaf columns under the object.
    case object([Member], lookup: MemberLookup, columns: Range<Int>)
    /// `repetitionLevel` is the level of the list's repeated group; the element is nullable.
    indirect case list(ShreddingPlan, repetitionLevel: Int, columns: Range<Int>)
    indirect case map(value: ShreddingPlan, keyColumn: Int, repetitionLevel: Int, columns: Range<Int>)

    var columns: Range<Int> {
        switch self {
        case .leaf(_, let column): column..<(column + 1)
        case .object(_, _, let columns), .list(_, _, let columns), .map(_, _, _, let columns): columns
        }
    }

    /// Compiles `fields` with leaf columns numbered from `nextColumn`, as the Parquet schema orders them;
    /// every member's name is appended to `names` at its ``Member/id``.
    static func compile(
        _ fields: [StreamField],
        nextColumn: inout Int,
        names: inout [[UInt8]],
        repetition: Int
    ) -> ShreddingPlan {
        let first = nextColumn
        var members: [Member] = []
        for field in fields {
            let id = names.count
            names.append(Array(field.name.utf8))
            members.append(
                Member(
                    id: id,
                    isNullable: field.isNullable,
                    plan: self.compile(field.type, nextColumn: &nextColumn, names: &names, repetition: repetition)
                )
            )
        }
        return .object(members, lookup: MemberLookup(members.map { names[$0.id] }), columns: first..<nextColumn)
    }

    private static func compile(
        _ type: StreamType,
        nextColumn: inout Int,
        names: inout [[UInt8]],
        repetition: Int
    ) -> ShreddingPlan {
        func leaf(_ kind: Leaf) -> ShreddingPlan {
            defer { nextColumn += 1 }
            return .leaf(kind, column: nextColumn)
        }
        switch type {
        case .boolean: return leaf(.boolean)
        case .int64: return leaf(.int64)
        case .double: return leaf(.double)
        case .string: return leaf(.string)
        case .timestamp(let format): return leaf(.timestamp(format))
        case .date: return leaf(.date)
        case .json: return leaf(.json)
        case .object(let fields):
            return self.compile(fields, nextColumn: &nextColumn, names: &names, repetition: repetition)
        case .list(let element):
            let first = nextColumn
            let plan = self.compile(element, nextColumn: &nextColumn, names: &names, repetition: repetition + 1)
            return .list(plan, repetitionLevel: repetition + 1, columns: first..<nextColumn)
        case .map(let value):
            let first = nextColumn
            nextColumn += 1  // the key column
            let plan = self.compile(value, nextColumn: &nextColumn, names: &names, repetition: repetition + 1)
            return .map(value: plan, keyColumn: first, repetitionLevel: repetition + 1, columns: first..<nextColumn)
        }
    }
}

/// Finds an object member by its UTF-8 name: open addressing over a small power-of-two table. The
/// names are kept end to end in one buffer, so a comparison retains nothing.
struct MemberLookup: Sendable {
    private var slots: [Int32]
    private var names: ByteArrayBuffer
    private var hashes: [UInt64]
    private let mask: Int

    init(_ names: [[UInt8]]) {
        var size = 8
        while size < names.count * 2 { size *= 2 }
        self.slots = Array(repeating: -1, count: size)
        self.names = ByteArrayBuffer(names)
        self.hashes = names.map { name in name.withUnsafeBytes { ByteHasher.hash($0) } }
        self.mask = size - 1
        for index in names.indices {
            var slot = Int(truncatingIfNeeded: self.hashes[index]) & self.mask
            while self.slots[slot] >= 0 { slot = (slot + 1) & self.mask }
            self.slots[slot] = Int32(index)
        }
    }

    /// The member index of `name`, or nil. Records mostly list their fields in one order, so member
    /// `expected` (the one after the previous key's) is compared first, before any hashing.
    @inline(__always)
    func index(of name: UnsafeRawBufferPointer, expected: Int) -> Int? {
        if expected < self.names.count && self.nameEquals(expected, name) { return expected }
        return self.index(of: name)
    }

    /// The member index of `name`, or nil.
    @inline(__always)
    func index(of name: UnsafeRawBufferPointer) -> Int? {
        let hash = ByteHasher.hash(name)
        var slot = Int(truncatingIfNeeded: hash) & self.mask
        while true {
            let stored = Int(self.slots[slot])
            if stored < 0 { return nil }
            if self.hashes[stored] == hash && self.nameEquals(stored, name) { return stored }
            slot = (slot + 1) & self.mask
        }
    }

    @inline(__always)
    private func nameEquals(_ index: Int, _ name: UnsafeRawBufferPointer) -> Bool {
        let start = Int(self.names.offsets[index])
        let end = Int(self.names.offsets[index + 1])
        guard end - start == name.count else { return false }
        return self.names.bytes.withUnsafeBytes {
            ByteEquality.equal(UnsafeRawBufferPointer(rebasing: $0[start..<end]), name)
        }
    }
}
