/// One value-producing node of the plan that ``RecordAssembler`` follows: a schema field with the
/// legacy list and map shapes already resolved (PARQUET.md §3.2; `LogicalTypes.md`, "Lists" and
/// "Maps", backward-compatibility rules).
///
/// Levels are absolute: `nullDefinition` and `repeatedDefinition` are the definition levels at
/// which the node, or its first element, is present.
struct AssemblyNode: Sendable {
    indirect enum Kind: Sendable {
        /// A leaf column; `leaf` indexes ``RecordAssembler/leafColumns``.
        case leaf(LeafDecoding)
        /// A struct; every child is assembled, null children as `.null`.
        case group(names: [String], children: [AssemblyNode])
        /// Elements of a repeated field, one per slot group starting at `repetitionLevel`.
        case list(element: AssemblyNode, repeatedDefinition: Int, repetitionLevel: Int)
        /// Key/value pairs of a repeated field; a map without a value field maps keys to `.null`.
        case map(key: AssemblyNode, value: AssemblyNode?, repeatedDefinition: Int, repetitionLevel: Int)
    }

    var kind: Kind
    /// The node is null when the definition level is below this; `nil` for required nodes.
    var nullDefinition: Int?
    /// The definition level that the parent guarantees when this node is read.
    var parentDefinition: Int
    /// The leaf columns under this node, as indices into ``RecordAssembler/leafColumns``; contiguous.
    var leaves: Range<Int>
    /// Dotted schema path, for error messages.
    var path: String
}

/// How the values of one leaf column become ``ParquetValue``s.
struct LeafDecoding: Sendable, Hashable {
    /// Index into ``RecordAssembler/leafColumns``.
    var leaf: Int
    /// BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY annotated as text (STRING, JSON, ENUM): `.string` when valid UTF-8.
    var isText: Bool
}

extension AssemblyNode {
    /// Builds the plan for a schema field, walking its leaves in schema order: `columns` are all of
    /// the schema's leaf columns and `nextColumn` starts at the field's first one.
    struct Planner {
        let columns: [ColumnDescriptor]
        /// Index into `columns` of the next leaf.
        var nextColumn: Int
        /// Index into ``RecordAssembler/leafColumns`` of the next leaf.
        var nextLeaf: Int

        /// A field as it sits in its parent: a repeated field becomes a list of its required elements.
        mutating func plan(
            _ field: Field,
            parentDefinition: Int,
            parentRepetition: Int,
            parentPath: String
        ) throws(ParquetError) -> AssemblyNode {
            let path = parentPath.isEmpty ? field.name : parentPath + "." + field.name
            let definition = parentDefinition + (field.repetition == .required ? 0 : 1)
            let repetition = parentRepetition + (field.repetition == .repeated ? 1 : 0)
            let first = self.nextLeaf
            var value = try self.planValue(field, definition: definition, repetition: repetition, path: path)
            if field.repetition == .repeated {
                // Legacy: an un-annotated repeated field is a list of required elements.
                value.parentDefinition = definition
                return AssemblyNode(
                    kind: .list(element: value, repeatedDefinition: definition, repetitionLevel: repetition),
                    nullDefinition: nil,
                    parentDefinition: parentDefinition,
                    leaves: first..<self.nextLeaf,
                    path: path
                )
            }
            value.nullDefinition = field.repetition == .optional ? definition : nil
            value.parentDefinition = parentDefinition
            return value
        }

        /// A present (non-null) instance of `field`, whose own levels are `definition` and `repetition`.
        private mutating func planValue(
            _ field: Field,
            definition: Int,
            repetition: Int,
            path: String
        ) throws(ParquetError) -> AssemblyNode {
            let first = self.nextLeaf
            switch field.kind {
            case .primitive:
                guard self.nextColumn < self.columns.count else {
                    throw ParquetError(.invalidSchema, "field '\(path)' has more leaves than the schema's columns")
                }
                let column = self.columns[self.nextColumn]
                guard column.maxDefinitionLevel == definition, column.maxRepetitionLevel == repetition else {
                    throw ParquetError(
                        .invalidSchema,
                        "column '\(column.dottedPath)' declares levels \(column.maxDefinitionLevel)/\(column.maxRepetitionLevel) but its path implies \(definition)/\(repetition)"
                    )
                }
                self.nextColumn += 1
                self.nextLeaf += 1
                return AssemblyNode(
                    kind: .leaf(LeafDecoding(leaf: first, isText: Self.isText(column))),
                    nullDefinition: nil,
                    parentDefinition: definition,
                    leaves: first..<self.nextLeaf,
                    path: path
                )
            case .group(let children, nil):
                var nodes: [AssemblyNode] = []
                nodes.reserveCapacity(children.count)
                for child in children {
                    nodes.append(
                        try self.plan(
                            child,
                            parentDefinition: definition,
                            parentRepetition: repetition,
                            parentPath: path
                        )
                    )
                }
                guard self.nextLeaf > first else {
                    throw ParquetError(.corrupt, "group '\(path)' has no leaf columns")
                }
                return AssemblyNode(
                    kind: .group(names: children.map(\.name), children: nodes),
                    nullDefinition: nil,
                    parentDefinition: definition,
                    leaves: first..<self.nextLeaf,
                    path: path
                )
            case .group(let children, .list?):
                return try self.planList(
                    field,
                    children: children,
                    definition: definition,
                    repetition: repetition,
                    path: path
                )
            case .group(let children, .map?):
                return try self.planMap(children: children, definition: definition, repetition: repetition, path: path)
            }
        }

        /// A LIST-annotated group, 3-level or legacy 2-level (`LogicalTypes.md`, list rules 1–5).
        private mutating func planList(
            _ field: Field,
            children: [Field],
            definition: Int,
            repetition: Int,
            path: String
        ) throws(ParquetError) -> AssemblyNode {
            guard children.count == 1, children[0].repetition == .repeated else {
                throw ParquetError(.corrupt, "LIST '\(path)' must hold exactly one repeated field")
            }
            let repeated = children[0]
            let repeatedPath = path + "." + repeated.name
            let repeatedDefinition = definition + 1
            let repeatedRepetition = repetition + 1
            let first = self.nextLeaf
            var element: AssemblyNode
            switch repeated.kind {
            case .group(let inner, _) where Self.isThreeLevel(repeated, inner: inner, listName: field.name):
                // Rule 5: the repeated group only wraps the element, which keeps its own repetition.
                element = try self.plan(
                    inner[0],
                    parentDefinition: repeatedDefinition,
                    parentRepetition: repeatedRepetition,
                    parentPath: repeatedPath
                )
            default:
                // Rules 1–4: the repeated field is the element, and elements are required.
                element = try self.planValue(
                    repeated,
                    definition: repeatedDefinition,
                    repetition: repeatedRepetition,
                    path: repeatedPath
                )
                element.parentDefinition = repeatedDefinition
            }
            return AssemblyNode(
                kind: .list(
                    element: element,
                    repeatedDefinition: repeatedDefinition,
                    repetitionLevel: repeatedRepetition
                ),
                nullDefinition: nil,
                parentDefinition: definition,
                leaves: first..<self.nextLeaf,
                path: path
            )
        }

        /// Whether the repeated child of a LIST is the 3-level wrapper rather than the element.
        static func isThreeLevel(_ repeated: Field, inner: [Field], listName: String) -> Bool {
            guard inner.count == 1 else { return false }  // rule 2
            if inner[0].repetition == .repeated { return false }  // rule 3
            if repeated.name == "array" || repeated.name == listName + "_tuple" { return false }  // rule 4
            return true  // rule 5
        }

        /// A MAP (or stray MAP_KEY_VALUE) group: one repeated group of key and, optionally, value,
        /// identified by position.
        private mutating func planMap(
            children: [Field],
            definition: Int,
            repetition: Int,
            path: String
        ) throws(ParquetError) -> AssemblyNode {
            guard children.count == 1, children[0].repetition == .repeated,
                case .group(let pair, _) = children[0].kind, pair.count == 1 || pair.count == 2
            else {
                throw ParquetError(
                    .corrupt,
                    "MAP '\(path)' must hold one repeated group of a key and an optional value"
                )
            }
            let entriesPath = path + "." + children[0].name
            let entryDefinition = definition + 1
            let entryRepetition = repetition + 1
            let first = self.nextLeaf
            let key = try self.plan(
                pair[0],
                parentDefinition: entryDefinition,
                parentRepetition: entryRepetition,
                parentPath: entriesPath
            )
            var value: AssemblyNode? = nil
            if pair.count == 2 {
                value = try self.plan(
                    pair[1],
                    parentDefinition: entryDefinition,
                    parentRepetition: entryRepetition,
                    parentPath: entriesPath
                )
            }
            return AssemblyNode(
                kind: .map(
                    key: key,
                    value: value,
                    repeatedDefinition: entryDefinition,
                    repetitionLevel: entryRepetition
                ),
                nullDefinition: nil,
                parentDefinition: definition,
                leaves: first..<self.nextLeaf,
                path: path
            )
        }

        /// STRING, JSON and ENUM bytes become text (LogicalType first, then ConvertedType).
        static func isText(_ column: ColumnDescriptor) -> Bool {
            guard column.physicalType == .byteArray || column.physicalType == .fixedLenByteArray else { return false }
            switch column.logicalType {
            case .string?, .json?, .enum?: return true
            case nil: break
            default: return false
            }
            switch column.convertedType {
            case .utf8?, .json?, .enum?: return true
            default: return false
            }
        }
    }
}
