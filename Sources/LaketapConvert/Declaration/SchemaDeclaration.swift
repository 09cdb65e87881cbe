import Yams

/// A stream schema declared in YAML: field names, types, nullability, nesting and time formats.
///
/// ```yaml
/// fields:
///   - name: time
///     type: timestamp          # boolean | int64 | double | string | timestamp | date | json | object | list | map
///     format: rfc3339          # timestamps only: rfc3339 (default) | epoch_s | epoch_ms | epoch_us | epoch_ns
///     required: true           # default false: the field may be absent or null
///   - name: tags
///     type: list
///     items: { type: string }  # the element type (elements are always nullable)
///   - name: args
///     type: map                # string keys; every value of one type
///     values: { type: string }
///   - name: user
///     type: object
///     fields: [ { name: id, type: int64, required: true }, { name: email, type: string } ]
/// overflow_column: _extra      # the JSON column for what does not fit; null to reject such records
/// ```
///
/// `items` and `values` take a type specification (`type` with `format`, `items`, `values` or
/// `fields` as the type needs) and may nest. `overflow_column` may be omitted, which keeps the
/// caller's default (`_extra`). Unknown keys are errors, so a misspelt option is never ignored.
///
/// Errors are ``ConvertError/Code/schema`` and name the path and the line:
/// `fields[3].type: unknown type 'strng' (expected one of boolean, int64, …) (line 12)`.
public enum SchemaDeclaration {
    /// The type names a declaration accepts, in the order the errors list them.
    public static let typeNames = [
        "boolean", "int64", "double", "string", "timestamp", "date", "json", "object", "list", "map",
    ]
    /// The timestamp formats, `rfc3339` first (the default).
    public static let formatNames = ["rfc3339"] + EpochUnit.allCases.map { "epoch_\($0.rawValue)" }

    /// Parses a YAML declaration.
    ///
    /// - Parameter defaultOverflowColumn: the overflow column when the declaration has no
    ///   `overflow_column` key.
    public static func parse(
        _ yaml: String,
        defaultOverflowColumn: String? = StreamSchema.defaultOverflowColumn
    ) throws(ConvertError) -> StreamSchema {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw ConvertError(.schema, "invalid YAML: \(error)")
        }
        guard let root, case .mapping(let mapping) = root else {
            throw ConvertError(.schema, "the declaration must be a mapping with a 'fields' list")
        }
        try Self.checkKeys(mapping, allowed: ["fields", "overflow_column"], path: "", node: root)
        guard let fieldsNode = mapping["fields"] else {
            throw Self.error("", "missing 'fields' (a list of fields)", root)
        }
        let fields = try Self.fields(fieldsNode, path: "fields")
        var overflowColumn = defaultOverflowColumn
        if let overflowNode = mapping["overflow_column"] {
            if Self.isNull(overflowNode) {
                overflowColumn = nil
            } else if case .scalar(let scalar) = overflowNode, !scalar.string.isEmpty {
                overflowColumn = scalar.string
            } else {
                throw Self.error("overflow_column", "expected a column name or null", overflowNode)
            }
        }
        if let overflowColumn, fields.contains(where: { $0.name == overflowColumn }) {
            throw Self.error("overflow_column", "'\(overflowColumn)' is also the name of a declared field", root)
        }
        return StreamSchema(fields: fields, overflowColumn: overflowColumn)
    }

    private static func fields(_ node: Node, path: String) throws(ConvertError) -> [StreamField] {
        guard case .sequence(let sequence) = node, !sequence.isEmpty else {
            throw Self.error(path, "expected a non-empty list of fields", node)
        }
        var fields: [StreamField] = []
        var seen: Set<String> = []
        for (index, element) in sequence.enumerated() {
            let fieldPath = "\(path)[\(index)]"
            guard case .mapping(let mapping) = element else {
                throw Self.error(fieldPath, "expected a mapping with 'name' and 'type'", element)
            }
            try Self.checkKeys(
                mapping,
                allowed: ["name", "type", "format", "required", "items", "values", "fields"],
                path: fieldPath,
                node: element
            )
            guard let nameNode = mapping["name"], case .scalar(let nameScalar) = nameNode, !nameScalar.string.isEmpty
            else {
                throw Self.error(fieldPath + ".name", "expected a non-empty field name", mapping["name"] ?? element)
            }
            let name = nameScalar.string
            guard seen.insert(name).inserted else {
                throw Self.error(fieldPath + ".name", "duplicate field name '\(name)'", nameNode)
            }
            var isNullable = true
            if let requiredNode = mapping["required"] {
                guard let required = requiredNode.bool else {
                    throw Self.error(fieldPath + ".required", "expected true or false", requiredNode)
                }
                isNullable = !required
            }
            let type = try Self.type(mapping, path: fieldPath, node: element)
            fields.append(StreamField(name, type, isNullable: isNullable))
        }
        return fields
    }

    /// The type of a field or of an `items`/`values` specification.
    private static func type(_ mapping: Node.Mapping, path: String, node: Node) throws(ConvertError) -> StreamType {
        guard let typeNode = mapping["type"] else { throw Self.error(path, "missing 'type'", node) }
        guard case .scalar(let typeScalar) = typeNode else {
            throw Self.error(path + ".type", "expected a type name", typeNode)
        }
        let typeName = typeScalar.string
        guard Self.typeNames.contains(typeName) else {
            throw Self.error(
                path + ".type",
                "unknown type '\(typeName)' (expected one of \(Self.typeNames.joined(separator: ", ")))",
                typeNode
            )
        }
        // Each option belongs to one type.
        let owners = ["format": "timestamp", "items": "list", "values": "map", "fields": "object"]
        for (key, owner) in owners.sorted(by: { $0.key < $1.key }) where mapping[key] != nil && owner != typeName {
            throw Self.error(path + "." + key, "'\(key)' applies to type \(owner), not \(typeName)", mapping[key]!)
        }
        switch typeName {
        case "boolean": return .boolean
        case "int64": return .int64
        case "double": return .double
        case "string": return .string
        case "date": return .date
        case "json": return .json
        case "timestamp":
            guard let formatNode = mapping["format"] else { return .timestamp(.text) }
            guard case .scalar(let formatScalar) = formatNode, Self.formatNames.contains(formatScalar.string) else {
                throw Self.error(
                    path + ".format",
                    "unknown timestamp format '\(formatNode.string ?? "")' (expected one of \(Self.formatNames.joined(separator: ", ")))",
                    formatNode
                )
            }
            if formatScalar.string == "rfc3339" { return .timestamp(.text) }
            return .timestamp(.epoch(EpochUnit(rawValue: String(formatScalar.string.dropFirst("epoch_".count)))!))
        case "object":
            guard let fieldsNode = mapping["fields"] else { throw Self.error(path, "type object needs 'fields'", node) }
            return .object(try Self.fields(fieldsNode, path: path + ".fields"))
        case "list":
            return .list(try Self.specification(mapping["items"], key: "items", owner: "list", path: path, node: node))
        default:  // map
            return .map(try Self.specification(mapping["values"], key: "values", owner: "map", path: path, node: node))
        }
    }

    /// An `items` or `values` type specification: a type without a name or nullability.
    private static func specification(
        _ specification: Node?,
        key: String,
        owner: String,
        path: String,
        node: Node
    ) throws(ConvertError) -> StreamType {
        guard let specification else {
            throw Self.error(path, "type \(owner) needs '\(key)' (for example \(key): { type: string })", node)
        }
        let specificationPath = path + "." + key
        guard case .mapping(let mapping) = specification else {
            throw Self.error(specificationPath, "expected a mapping such as { type: string }", specification)
        }
        try Self.checkKeys(
            mapping,
            allowed: ["type", "format", "items", "values", "fields"],
            path: specificationPath,
            node: specification
        )
        return try Self.type(mapping, path: specificationPath, node: specification)
    }

    private static func checkKeys(
        _ mapping: Node.Mapping,
        allowed: [String],
        path: String,
        node: Node
    ) throws(ConvertError) {
        for key in mapping.keys {
            guard case .scalar(let scalar) = key, allowed.contains(scalar.string) else {
                let keyPath = path.isEmpty ? (key.string ?? "?") : path + "." + (key.string ?? "?")
                throw Self.error(
                    keyPath,
                    "unknown key '\(key.string ?? "?")' (expected one of \(allowed.joined(separator: ", ")))",
                    key
                )
            }
        }
    }

    private static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    private static func error(_ path: String, _ problem: String, _ node: Node) -> ConvertError {
        let location = node.mark.map { " (line \($0.line))" } ?? ""
        return ConvertError(.schema, (path.isEmpty ? "" : path + ": ") + problem + location)
    }
}
