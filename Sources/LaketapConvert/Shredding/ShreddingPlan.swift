import Parquet

/// A stream schema compiled for shredding: a table of nodes, where objects list their members and
/// leaves name their Parquet leaf column.
///
/// Every node and member is a plain value (no references), so walking a record copies, retains and
/// releases nothing; nodes and members refer to each other by index. Node 0 is the root object.
struct ShreddingPlan: Sendable {
    enum Leaf: Sendable {
        case boolean
        case int64
        case double
        case string
        case timestamp(TimestampFormat)
        case date
        case json
    }

    enum Kind: Sendable {
        case leaf(Leaf)
        case object
        /// A list; its element, itself nullable, is node ``Node/child``.
        case list
        /// A map with string keys in column ``Node/column``; its value, itself nullable, is node
        /// ``Node/child``.
        case map
    }

    struct Node: Sendable {
        var kind: Kind
        /// The leaf columns under the node, as the Parquet schema orders them.
        var columns: Range<Int>
        /// A leaf's column, or a map's key column.
        var column: Int = 0
        /// An object's members: a range of ``ShreddingPlan/members``, in schema order.
        var members: Range<Int> = 0..<0
        /// An object's member lookup, in ``ShreddingPlan/lookups``.
        var lookup: Int = 0
        /// A list's element or a map's value node.
        var child: Int = 0
        /// The level of a list's or map's repeated group.
        var repetitionLevel: Int = 0
        /// An object's members that must be present (bit `i` for member `i`), for objects of at most 64
        /// members.
        var requiredMembers: UInt64 = 0
        /// An object's members with ``Member/hasRepeatedColumns`` (bit `i` for member `i`), for objects
        /// of at most 64 members.
        var repeatedMembers: UInt64 = 0
    }

    struct Member: Sendable {
        /// The member's index in ``names``: the shredder's path refers to members by it, so walking a
        /// record retains no name.
        var id: Int
        var isNullable: Bool
        var node: Int
        /// Whether a column of the member sits in a list or map: such columns take a level when the
        /// member is absent, while flat columns keep the level their object set when it started.
        var hasRepeatedColumns = false
        /// The column of a member whose value is a string leaf, or -1: the shredder's commonest case,
        /// told without reading the member's node.
        var stringColumn = -1
        /// The column of a member whose value is any other leaf, or -1, and the leaf's kind: appended
        /// without a step into the member's node.
        var leafColumn = -1
        var leaf = Leaf.boolean
    }

    static let root = 0

    private(set) var nodes: [Node] = []
    private(set) var members: [Member] = []
    private(set) var lookups: [MemberLookup] = []
    /// Every member's name, by ``Member/id``.
    private(set) var names: [[UInt8]] = []
    /// Every member's key as it appears in JSON text, by index in ``members``.
    private(set) var predictions = KeyPredictions([])
    /// The most path components a value can be under: one per member, list element or map value.
    private(set) var depth = 0
    /// Columns numbered from 0 as the Parquet schema orders them; the overflow column, when there is
    /// one, comes after them.
    private(set) var columnCount = 0
    /// Whether each column sits in a list or map, by column (while compiling).
    private var isRepeatedColumn: [Bool] = []

    init(_ fields: [StreamField]) {
        var nextColumn = 0
        _ = self.addObject(fields, nextColumn: &nextColumn, repetition: 0, depth: 0)
        self.columnCount = nextColumn
        self.predictions = KeyPredictions(self.members.map { self.names[$0.id] })
    }

    /// Appends the object node of `fields` (and its descendants after it); returns its index.
    private mutating func addObject(
        _ fields: [StreamField],
        nextColumn: inout Int,
        repetition: Int,
        depth: Int
    ) -> Int {
        let index = self.nodes.count
        let first = nextColumn
        self.nodes.append(Node(kind: .object, columns: first..<first))
        // Members sit side by side, so they are reserved before any nested object's members.
        let firstMember = self.members.count
        for field in fields {
            self.names.append(Array(field.name.utf8))
            self.members.append(Member(id: self.names.count - 1, isNullable: field.isNullable, node: 0))
        }
        let memberRange = firstMember..<self.members.count
        for (offset, field) in fields.enumerated() {
            let columnsBefore = nextColumn
            self.members[firstMember + offset].node = self.add(
                field.type,
                nextColumn: &nextColumn,
                repetition: repetition,
                depth: depth + 1
            )
            self.members[firstMember + offset].hasRepeatedColumns = self.isRepeatedColumn[columnsBefore..<nextColumn]
                .contains(true)
            let node = self.nodes[self.members[firstMember + offset].node]
            switch node.kind {
            case .leaf(.string): self.members[firstMember + offset].stringColumn = node.column
            case .leaf(let leaf):
                self.members[firstMember + offset].leafColumn = node.column
                self.members[firstMember + offset].leaf = leaf
            default: break
            }
        }
        self.lookups.append(MemberLookup(memberRange.map { self.names[self.members[$0].id] }))
        self.nodes[index].columns = first..<nextColumn
        self.nodes[index].members = memberRange
        self.nodes[index].lookup = self.lookups.count - 1
        if fields.count <= 64 {
            for offset in fields.indices {
                let member = self.members[firstMember + offset]
                if !member.isNullable { self.nodes[index].requiredMembers |= 1 << UInt64(offset) }
                if member.hasRepeatedColumns { self.nodes[index].repeatedMembers |= 1 << UInt64(offset) }
            }
        }
        self.depth = max(self.depth, depth)
        return index
    }

    private mutating func add(_ type: StreamType, nextColumn: inout Int, repetition: Int, depth: Int) -> Int {
        self.depth = max(self.depth, depth)
        func leaf(_ kind: Leaf) -> Int {
            self.nodes.append(Node(kind: .leaf(kind), columns: nextColumn..<(nextColumn + 1), column: nextColumn))
            self.isRepeatedColumn.append(repetition > 0)
            nextColumn += 1
            return self.nodes.count - 1
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
            return self.addObject(fields, nextColumn: &nextColumn, repetition: repetition, depth: depth)
        case .list(let element):
            let index = self.nodes.count
            let first = nextColumn
            self.nodes.append(Node(kind: .list, columns: first..<first, repetitionLevel: repetition + 1))
            let child = self.add(element, nextColumn: &nextColumn, repetition: repetition + 1, depth: depth + 1)
            self.nodes[index].columns = first..<nextColumn
            self.nodes[index].child = child
            return index
        case .map(let value):
            let index = self.nodes.count
            let first = nextColumn
            nextColumn += 1  // the key column
            self.isRepeatedColumn.append(true)
            self.nodes.append(Node(kind: .map, columns: first..<first, column: first, repetitionLevel: repetition + 1))
            let child = self.add(value, nextColumn: &nextColumn, repetition: repetition + 1, depth: depth + 1)
            self.nodes[index].columns = first..<nextColumn
            self.nodes[index].child = child
            return index
        }
    }
}
