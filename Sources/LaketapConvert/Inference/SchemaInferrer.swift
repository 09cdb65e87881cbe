public import JSONScan
import Parquet

/// Infers a stream schema from sample records, widening types as values disagree.
///
/// The policy (also in the README):
/// - booleans, integers (64-bit) and other numbers map to BOOLEAN, INT64 and DOUBLE; integers and
///   decimals together widen to DOUBLE, and so do integers beyond 64 bits;
/// - strings become STRING, or TIMESTAMP(MICROS, UTC) when every value of the field is an RFC 3339
///   date-time (or `YYYY-MM-DD HH:MM:SS[.f]`), or DATE when every value is `YYYY-MM-DD`;
/// - objects become structs with the union of their fields; an object with more than
///   ``maximumObjectFields`` distinct keys becomes a `map<string, …>` instead;
/// - arrays become lists of their widened element type;
/// - values that disagree in kind (a string here, a number there; an object and an array) make the
///   field JSON text, which keeps every value exactly;
/// - a field seen only as null (or only as empty arrays' elements) becomes a nullable STRING;
/// - every inferred field is nullable, and fields keep the order in which they first appeared.
public struct SchemaInferrer: Sendable {
    public var maximumObjectFields = 1_000
    private var root = ObservedObject()
    public private(set) var sampledRecords = 0

    public init() {}

    /// Observes one record; a record that is not a JSON object is ignored (it will be rejected
    /// when converted). Returns whether the bytes were exactly one JSON object (whitespace around it
    /// aside): false for anything else, such as a line of several concatenated objects, whose first
    /// object was observed.
    @discardableResult
    public mutating func observe(
        _ record: UnsafeRawBufferPointer,
        scanOptions: JSONScanOptions = JSONScanOptions()
    ) -> Bool {
        var scanner = JSONScanner(record, options: scanOptions)
        guard (try? scanner.next()) == .beginObject else { return false }
        // Widened in place: the root is moved out so that its storage is not copied per record. A
        // record that fails to scan part-way keeps what it widened before the error (its values
        // were well-formed).
        var observed = Observed.object(self.root)
        self.root = ObservedObject()
        let scanned =
            (try? Self.observeObject(&observed, &scanner, limit: self.maximumObjectFields, isRoot: true)) != nil
        if case .object(let object) = observed { self.root = object }
        guard scanned else { return false }
        self.sampledRecords += 1
        return (try? scanner.next()) == .endOfInput
    }

    /// Widens this inferrer's schema with everything `other` observed, as if its records had come
    /// after this one's (fields new to this one are added after its own, in `other`'s order).
    public mutating func merge(_ other: SchemaInferrer) {
        for (name, value) in zip(other.root.names, other.root.values) {
            self.root.values[self.root.index(of: name)].merge(value, limit: self.maximumObjectFields)
        }
        self.sampledRecords += other.sampledRecords
    }

    /// The inferred fields.
    public var fields: [StreamField] {
        zip(self.root.names, self.root.values).map { name, value in StreamField(name, value.streamType) }
    }

    private static func observe(
        _ observed: inout Observed,
        _ token: JSONToken,
        _ scanner: inout JSONScanner,
        limit: Int
    ) throws {
        switch token {
        case .null:
            return
        case .bool:
            observed.merge(.boolean, limit: limit)
        case .number(let number):
            observed.merge(number.kind == .integer ? .integer : .double, limit: limit)
        case .string(let string):
            if case .string(false, false) = observed { return }  // already a plain string
            var isTimestamp = false
            var isDate = false
            if !string.hasEscapes {
                let raw = UnsafeRawBufferPointer(rebasing: scanner.bytes[string.range])
                isDate = TimestampParser.date(raw) != nil
                isTimestamp = !isDate && TimestampParser.microseconds(raw) != nil
            }
            observed.merge(.string(allTimestamps: isTimestamp, allDates: isDate), limit: limit)
        case .beginArray:
            var element: Observed = .null
            if case .array(let existing) = observed {
                element = existing
                observed = .null  // release the storage while mutating
            }
            while true {
                let next = try scanner.next()
                if next == .endArray { break }
                try self.observe(&element, next, &scanner, limit: limit)
            }
            observed.merge(.array(element), limit: limit)
        case .beginObject:
            if case .object = observed {
                try self.observeObject(&observed, &scanner, limit: limit)
            } else if case .map(let value) = observed {
                var merged = value
                observed = .null
                while case .key = try scanner.next() {
                    try self.observe(&merged, try scanner.next(), &scanner, limit: limit)
                }
                observed = .map(merged)
            } else if case .null = observed {
                observed = .object(ObservedObject())
                try self.observeObject(&observed, &scanner, limit: limit)
            } else {
                try self.skipContainer(&scanner)
                observed = .json
            }
        default:
            observed = .json
        }
    }

    /// - Parameter isRoot: the record itself, which stays an object however many keys it has.
    private static func observeObject(
        _ observed: inout Observed,
        _ scanner: inout JSONScanner,
        limit: Int,
        isRoot: Bool = false
    ) throws {
        guard case .object(var object) = observed else { return }
        observed = .null  // release the storage while mutating
        defer { observed = !isRoot && object.names.count > limit ? .map(object.widenedValue) : .object(object) }
        // Records mostly repeat their keys in the same order: the key after the last one found is
        // compared first, byte for byte, before the dictionary is asked.
        var expected = 0
        while case .key(let key) = try scanner.next() {
            let index = object.index(of: key, in: scanner.bytes, expected: expected)
            try self.observe(&object.values[index], try scanner.next(), &scanner, limit: limit)
            expected = index + 1
        }
    }

    private static func skipContainer(_ scanner: inout JSONScanner) throws {
        let depth = scanner.depth
        while scanner.depth >= depth { _ = try scanner.next() }
    }
}

struct ObservedObject: Sendable, Hashable {
    /// Field names in first-seen order, their UTF-8, and their widened values.
    private(set) var names: [String] = []
    private var utf8: [[UInt8]] = []
    var values: [Observed] = []
    private var positions: [String: Int] = [:]

    /// The position of `key`'s field, added (as null so far) when new.
    mutating func index(of key: JSONStringToken, in bytes: UnsafeRawBufferPointer, expected: Int) -> Int {
        if !key.hasEscapes && expected < self.utf8.count {
            if ByteEquality.equal(self.utf8[expected], UnsafeRawBufferPointer(rebasing: bytes[key.range])) {
                return expected
            }
        }
        return self.index(of: key.string(from: bytes))
    }

    mutating func index(of name: String) -> Int {
        if let position = self.positions[name] { return position }
        self.positions[name] = self.names.count
        self.names.append(name)
        self.utf8.append(Array(name.utf8))
        self.values.append(.null)
        return self.names.count - 1
    }

    /// Every field's value widened together (for an object that becomes a map).
    var widenedValue: Observed {
        var value: Observed = .null
        for field in self.values { value.merge(field, limit: .max) }
        return value
    }
}

indirect enum Observed: Sendable, Hashable {
    case null
    case boolean
    case integer
    case double
    case string(allTimestamps: Bool, allDates: Bool)
    case object(ObservedObject)
    case array(Observed)
    case map(Observed)
    case json

    /// Widens this value to take `other`'s too; an object past `limit` distinct keys becomes a map.
    mutating func merge(_ other: Observed, limit: Int) {
        switch (self, other) {
        case (_, .null): return
        case (.null, _): self = other
        case (.json, _), (_, .json): self = .json
        case (.boolean, .boolean): return
        case (.integer, .integer): return
        case (.integer, .double), (.double, .integer), (.double, .double): self = .double
        case (.string(let t1, let d1), .string(let t2, let d2)):
            self = .string(allTimestamps: t1 && t2, allDates: d1 && d2)
        case (.array(var element), .array(let other)):
            self = .null
            element.merge(other, limit: limit)
            self = .array(element)
        case (.object(var object), .object(let other)):
            self = .null
            for (name, value) in zip(other.names, other.values) {
                object.values[object.index(of: name)].merge(value, limit: limit)
            }
            self = object.names.count > limit ? .map(object.widenedValue) : .object(object)
        case (.map(var value), .map(let other)):
            value.merge(other, limit: limit)
            self = .map(value)
        case (.map(var value), .object(let other)), (.object(let other), .map(var value)):
            // An object that became a map in one part of the data: the other part's fields widen its values.
            value.merge(other.widenedValue, limit: limit)
            self = .map(value)
        default:
            self = .json
        }
    }

    var streamType: StreamType {
        switch self {
        case .null: .string
        case .boolean: .boolean
        case .integer: .int64
        case .double: .double
        case .string(let timestamps, let dates): timestamps ? .timestamp(.text) : dates ? .date : .string
        case .object(let object):
            .object(zip(object.names, object.values).map { StreamField($0, $1.streamType) })
        case .array(let element): .list(element.streamType)
        case .map(let value): .map(value.streamType)
        case .json: .json
        }
    }
}
