import JSONScan

/// Imports a JSON Schema document (the draft 2020-12 / draft-07 subset that describes records) as a
/// stream schema.
///
/// The mapping:
/// - `type: object` with `properties` → an object whose fields keep the document's order;
///   properties listed in `required` are non-nullable (unless their type also allows `null`);
/// - `type: object` with `additionalProperties: {schema}` and no `properties` → `map<string, …>`;
/// - `type: array` with `items: {schema}` → a list;
/// - `type: string` → string; with `format: date-time` a timestamp (RFC 3339), `format: date` a
///   date; `format: uuid` stays a string (the 36-character text every engine reads), and so does
///   an `enum` of strings;
/// - `integer` → int64, `number` → double (both together: double), `boolean` → boolean;
/// - `type: [X, "null"]`, and `anyOf`/`oneOf` of X and `{type: null}` → a nullable X;
/// - local references (`$ref: "#/$defs/Name"`, `#/definitions/…`) are followed;
/// - anything else (other `oneOf`/`anyOf`/`allOf`, several types, an object without `properties`
///   or `additionalProperties`, an array without `items`, a recursive reference) → json (the
///   value's JSON text, lossless), with a note in ``notes``.
///
/// The root must be an object with `properties`. `additionalProperties: false` at the root removes
/// the overflow column, so records with unknown fields are rejected. Errors are
/// ``ConvertError/Code/schema`` and name the JSON pointer of the offending schema
/// (`/properties/user/type: unknown type 'strng'`).
public struct JSONSchemaImporter: Sendable {
    /// What was approximated, one line each with its JSON pointer (`/properties/x: oneOf kept as JSON`).
    public private(set) var notes: [String] = []
    /// The overflow column unless the root has `additionalProperties: false`.
    public var defaultOverflowColumn: String? = StreamSchema.defaultOverflowColumn

    private var root: JSONValue = .null
    private var resolving: [String] = []

    public init() {}

    /// Imports the JSON Schema document in `document` (UTF-8 JSON).
    public mutating func importSchema(_ document: [UInt8]) throws(ConvertError) -> StreamSchema {
        self.notes = []
        self.root = try JSONValue.parse(document)
        guard case .object(let members) = self.root else {
            throw ConvertError(.schema, "JSON Schema: the document must be a schema object")
        }
        let (type, _) = try self.type(of: self.root, pointer: "")
        guard case .object(let fields) = type else {
            throw ConvertError(.schema, "JSON Schema: the root must be an object schema with 'properties'")
        }
        let closed = members.first { $0.key == "additionalProperties" }?.value == .bool(false)
        return StreamSchema(fields: fields, overflowColumn: closed ? nil : self.defaultOverflowColumn)
    }

    /// The stream type of the schema at `pointer`, and whether it allows null.
    private mutating func type(of schema: JSONValue, pointer: String) throws(ConvertError) -> (StreamType, Bool) {
        if case .bool = schema {
            self.note(pointer, "a boolean schema is kept as JSON")
            return (.json, true)
        }
        guard case .object(let members) = schema else {
            throw Self.error(pointer, "expected a schema object")
        }
        func member(_ name: String) -> JSONValue? { members.first { $0.key == name }?.value }

        if let reference = member("$ref") {
            return try self.resolve(reference, pointer: pointer + "/$ref")
        }
        for combinator in ["anyOf", "oneOf"] {
            guard let alternatives = member(combinator) else { continue }
            guard case .array(let schemas) = alternatives else {
                throw Self.error(pointer + "/" + combinator, "expected an array of schemas")
            }
            let nonNull = schemas.enumerated().filter { !Self.isNullSchema($0.element) }
            if nonNull.count == 1 && schemas.count == 2 {
                let (type, _) = try self.type(
                    of: nonNull[0].element,
                    pointer: "\(pointer)/\(combinator)/\(nonNull[0].offset)"
                )
                return (type, true)
            }
            self.note(pointer, "\(combinator) of several types is kept as JSON")
            return (.json, true)
        }
        if member("allOf") != nil {
            self.note(pointer, "allOf is kept as JSON")
            return (.json, true)
        }

        // The type names, without "null".
        var names: [String] = []
        var allowsNull = false
        switch member("type") {
        case .string(let name)?:
            names = [name]
        case .array(let values)?:
            for (index, value) in values.enumerated() {
                guard case .string(let name) = value else {
                    throw Self.error("\(pointer)/type/\(index)", "expected a type name")
                }
                names.append(name)
            }
        case nil:
            if member("properties") != nil || member("additionalProperties") != nil {
                names = ["object"]
            } else if member("items") != nil {
                names = ["array"]
            } else if case .array(let values)? = member("enum") ?? member("const").map({ .array([$0]) }) {
                names = Self.typeNames(of: values)
            }
        default:
            throw Self.error(pointer + "/type", "expected a type name or an array of type names")
        }
        let known = ["object", "array", "string", "integer", "number", "boolean", "null"]
        for (index, name) in names.enumerated() where !known.contains(name) {
            let at = member("type") == .string(name) ? "/type" : "/type/\(index)"
            throw Self.error(pointer + at, "unknown type '\(name)' (expected one of \(known.joined(separator: ", ")))")
        }
        if names.contains("null") {
            allowsNull = true
            names.removeAll { $0 == "null" }
        }
        if Set(names) == ["integer", "number"] { names = ["number"] }
        guard names.count == 1 else {
            self.note(
                pointer,
                names.isEmpty
                    ? "a schema without a type is kept as JSON"
                    : "several types (\(names.joined(separator: ", "))) are kept as JSON"
            )
            return (.json, true)
        }

        switch names[0] {
        case "boolean": return (.boolean, allowsNull)
        case "integer": return (.int64, allowsNull)
        case "number": return (.double, allowsNull)
        case "string":
            switch member("format") {
            case .string("date-time")?: return (.timestamp(.text), allowsNull)
            case .string("date")?: return (.date, allowsNull)
            default: return (.string, allowsNull)  // uuid, email, enums …: the text itself
            }
        case "array":
            guard let items = member("items") else {
                self.note(pointer, "an array without 'items' is kept as JSON")
                return (.json, allowsNull)
            }
            if case .array = items {
                self.note(pointer, "a tuple ('items' as an array) is kept as JSON")
                return (.json, allowsNull)
            }
            let (element, _) = try self.type(of: items, pointer: pointer + "/items")
            return (.list(element), allowsNull)
        default:  // object
            if let properties = member("properties") {
                guard case .object(let entries) = properties else {
                    throw Self.error(pointer + "/properties", "expected an object of property schemas")
                }
                var required: Set<String> = []
                if let list = member("required") {
                    guard case .array(let values) = list else {
                        throw Self.error(pointer + "/required", "expected an array of property names")
                    }
                    for (index, value) in values.enumerated() {
                        guard case .string(let name) = value else {
                            throw Self.error("\(pointer)/required/\(index)", "expected a property name")
                        }
                        required.insert(name)
                    }
                }
                var fields: [StreamField] = []
                for entry in entries {
                    let (type, nullable) = try self.type(
                        of: entry.value,
                        pointer: pointer + "/properties/" + Self.escape(entry.key)
                    )
                    fields.append(StreamField(entry.key, type, isNullable: nullable || !required.contains(entry.key)))
                }
                if fields.isEmpty {
                    self.note(pointer, "an object without properties is kept as JSON")
                    return (.json, allowsNull)
                }
                return (.object(fields), allowsNull)
            }
            if let additional = member("additionalProperties"), case .object = additional {
                let (value, _) = try self.type(of: additional, pointer: pointer + "/additionalProperties")
                return (.map(value), allowsNull)
            }
            self.note(pointer, "an object without 'properties' or 'additionalProperties' is kept as JSON")
            return (.json, allowsNull)
        }
    }

    /// Follows a local `$ref` (`#/$defs/Name`); a reference to itself (recursion) becomes json.
    private mutating func resolve(_ reference: JSONValue, pointer: String) throws(ConvertError) -> (StreamType, Bool) {
        guard case .string(let target) = reference, target.hasPrefix("#") else {
            throw Self.error(pointer, "only local references ('#/$defs/Name') are supported")
        }
        let path = String(target.dropFirst())
        if self.resolving.contains(path) {
            self.note(pointer, "the recursive reference '\(target)' is kept as JSON")
            return (.json, true)
        }
        var schema = self.root
        for token in path.split(separator: "/", omittingEmptySubsequences: true) {
            let name = String(token).replacing("~1", with: "/").replacing("~0", with: "~")
            switch schema {
            case .object(let members):
                guard let next = members.first(where: { $0.key == name })?.value else {
                    throw Self.error(pointer, "the reference '\(target)' points to nothing")
                }
                schema = next
            case .array(let values):
                guard let index = Int(name), values.indices.contains(index) else {
                    throw Self.error(pointer, "the reference '\(target)' points to nothing")
                }
                schema = values[index]
            default:
                throw Self.error(pointer, "the reference '\(target)' points to nothing")
            }
        }
        self.resolving.append(path)
        defer { self.resolving.removeLast() }
        return try self.type(of: schema, pointer: path)
    }

    private static func isNullSchema(_ schema: JSONValue) -> Bool {
        guard case .object(let members) = schema else { return false }
        return members.first { $0.key == "type" }?.value == .string("null")
    }

    /// The JSON Schema type names of `enum` or `const` values.
    private static func typeNames(of values: [JSONValue]) -> [String] {
        var names: [String] = []
        for value in values {
            let name: String
            switch value {
            case .null: name = "null"
            case .bool: name = "boolean"
            case .integer: name = "integer"
            case .number: name = "number"
            case .string: name = "string"
            case .array: name = "array"
            case .object: name = "object"
            }
            if !names.contains(name) { names.append(name) }
        }
        return names
    }

    private static func escape(_ name: String) -> String {
        name.replacing("~", with: "~0").replacing("/", with: "~1")
    }

    private mutating func note(_ pointer: String, _ text: String) {
        self.notes.append((pointer.isEmpty ? "/" : pointer) + ": " + text)
    }

    private static func error(_ pointer: String, _ problem: String) -> ConvertError {
        ConvertError(.schema, "JSON Schema \(pointer.isEmpty ? "/" : pointer): \(problem)")
    }
}

/// A JSON document as a tree whose objects keep their members' order (JSON Schema `properties`
/// order is the column order). Cold path only: schema documents, not records.
enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([Member])

    struct Member: Sendable, Hashable {
        var key: String
        var value: JSONValue
    }

    static func parse(_ document: [UInt8]) throws(ConvertError) -> JSONValue {
        do {
            return try document.withUnsafeBytes { bytes in
                var scanner = JSONScanner(bytes)
                let value = try Self.value(try scanner.next(), &scanner)
                _ = try scanner.next()  // endOfInput, or an error for trailing content
                return value
            }
        } catch {
            throw ConvertError(.schema, "JSON Schema: invalid JSON: \(error)")
        }
    }

    private static func value(_ token: JSONToken, _ scanner: inout JSONScanner) throws(JSONScanError) -> JSONValue {
        switch token {
        case .null: return .null
        case .bool(let value): return .bool(value)
        case .number(let number):
            if let value = number.int64 { return .integer(value) }
            return .number(number.double(from: scanner.bytes))
        case .string(let string): return .string(string.string(from: scanner.bytes))
        case .beginArray:
            var values: [JSONValue] = []
            while true {
                let next = try scanner.next()
                if next == .endArray { break }
                values.append(try Self.value(next, &scanner))
            }
            return .array(values)
        case .beginObject:
            var members: [Member] = []
            while case .key(let key) = try scanner.next() {
                let name = key.string(from: scanner.bytes)
                members.append(Member(key: name, value: try Self.value(try scanner.next(), &scanner)))
            }
            return .object(members)
        default:
            return .null  // unreachable: the scanner hands out only well-formed values
        }
    }
}
