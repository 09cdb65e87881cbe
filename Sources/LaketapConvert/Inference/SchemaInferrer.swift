public import JSONScan

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
    /// when converted).
    public mutating func observe(_ record: UnsafeRawBufferPointer, scanOptions: JSONScanOptions = JSONScanOptions()) {
        var scanner = JSONScanner(record, options: scanOptions)
        guard (try? scanner.next()) == .beginObject else { return }
        var observed = Observed.object(self.root)
        guard (try? Self.observeObject(&observed, &scanner, limit: self.maximumObjectFields)) != nil,
            case .object(let object) = observed
        else { return }
        self.root = object
        self.sampledRecords += 1
    }

    /// The inferred fields.
    public var fields: [StreamField] {
        self.root.names.map { name in StreamField(name, self.root.fields[name]!.streamType) }
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
            observed.merge(.boolean)
        case .number(let number):
            observed.merge(number.kind == .integer ? .integer : .double)
        case .string(let string):
            var isTimestamp = false
            var isDate = false
            if !string.hasEscapes {
                let raw = UnsafeRawBufferPointer(rebasing: scanner.bytes[string.range])
                isDate = TimestampParser.date(raw) != nil
                isTimestamp = !isDate && TimestampParser.microseconds(raw) != nil
            }
            observed.merge(.string(allTimestamps: isTimestamp, allDates: isDate))
        case .beginArray:
            var element: Observed = .null
            if case .array(let existing) = observed { element = existing }
            while true {
                let next = try scanner.next()
                if next == .endArray { break }
                try self.observe(&element, next, &scanner, limit: limit)
            }
            observed.merge(.array(element))
        case .beginObject:
            if case .object = observed {
                try self.observeObject(&observed, &scanner, limit: limit)
            } else if case .map(let value) = observed {
                var merged = value
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

    private static func observeObject(_ observed: inout Observed, _ scanner: inout JSONScanner, limit: Int) throws {
        guard case .object(var object) = observed else { return }
        observed = .null  // release the storage while mutating
        while case .key(let key) = try scanner.next() {
            let name = key.string(from: scanner.bytes)
            var field = object.fields[name] ?? .null
            if object.fields[name] == nil { object.names.append(name) }
            try self.observe(&field, try scanner.next(), &scanner, limit: limit)
            object.fields[name] = field
        }
        if object.names.count > limit {
            // Too many distinct keys for a struct: a map of the widened values.
            var value: Observed = .null
            for field in object.fields.values { value.merge(field) }
            observed = .map(value)
        } else {
            observed = .object(object)
        }
    }

    private static func skipContainer(_ scanner: inout JSONScanner) throws {
        let depth = scanner.depth
        while scanner.depth >= depth { _ = try scanner.next() }
    }
}

struct ObservedObject: Sendable, Hashable {
    var names: [String] = []
    var fields: [String: Observed] = [:]
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

    mutating func merge(_ other: Observed) {
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
            element.merge(other)
            self = .array(element)
        case (.object(var object), .object(let other)):
            for name in other.names {
                if let existing = object.fields[name] {
                    var merged = existing
                    merged.merge(other.fields[name]!)
                    object.fields[name] = merged
                } else {
                    object.names.append(name)
                    object.fields[name] = other.fields[name]
                }
            }
            self = .object(object)
        case (.map(var value), .map(let other)):
            value.merge(other)
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
            .object(object.names.map { StreamField($0, object.fields[$0]!.streamType) })
        case .array(let element): .list(element.streamType)
        case .map(let value): .map(value.streamType)
        case .json: .json
        }
    }
}
