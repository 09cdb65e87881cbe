public import Parquet

/// The type of a field of a stream: what JSON values become in Parquet.
public indirect enum StreamType: Sendable, Hashable {
    case boolean
    /// 64-bit signed integers, kept exact.
    case int64
    case double
    case string
    /// An instant, stored as TIMESTAMP(MICROS, UTC); `format` says how the JSON value reads.
    case timestamp(TimestampFormat)
    /// A calendar date (`YYYY-MM-DD`), stored as DATE.
    case date
    /// Any JSON value, kept as its JSON text (logical type JSON).
    case json
    /// A struct with known fields.
    case object([StreamField])
    case list(StreamType)
    /// An object with arbitrary string keys, all values of one type.
    case map(StreamType)

    /// How the type reads in schemas and messages (`list<string>`, `object{a: int64}`).
    public var name: String {
        switch self {
        case .boolean: "boolean"
        case .int64: "int64"
        case .double: "double"
        case .string: "string"
        case .timestamp(let format): "timestamp(\(format.name))"
        case .date: "date"
        case .json: "json"
        case .object(let fields): "object{" + fields.map { "\($0.name): \($0.type.name)" }.joined(separator: ", ") + "}"
        case .list(let element): "list<\(element.name)>"
        case .map(let value): "map<string, \(value.name)>"
        }
    }
}

/// One field of an object type or of a stream's records.
public struct StreamField: Sendable, Hashable {
    public var name: String
    public var type: StreamType
    /// Whether the field may be absent or null (required fields reject records without them).
    public var isNullable: Bool

    public init(_ name: String, _ type: StreamType, isNullable: Bool = true) {
        self.name = name
        self.type = type
        self.isNullable = isNullable
    }
}

/// How timestamps are written in the JSON.
public enum TimestampFormat: Sendable, Hashable {
    /// RFC 3339 / ISO 8601 text with up to nanoseconds (`2023-07-02T12:13:20.123456789Z`,
    /// offsets `+02:00`), and `YYYY-MM-DD HH:MM:SS[.ffffff]` (UTC).
    case text
    /// A number of seconds, milliseconds, microseconds or nanoseconds since the epoch.
    case epoch(EpochUnit)

    public var name: String {
        switch self {
        case .text: "rfc3339"
        case .epoch(let unit): "epoch_\(unit.rawValue)"
        }
    }
}

public enum EpochUnit: String, Sendable, Hashable, CaseIterable {
    case seconds = "s"
    case milliseconds = "ms"
    case microseconds = "us"
    case nanoseconds = "ns"
}

extension StreamField {
    /// The Parquet field this stream field is written as.
    public var parquetField: Field {
        let repetition: Repetition = self.isNullable ? .optional : .required
        switch self.type {
        case .boolean: return .boolean(self.name, repetition)
        case .int64: return .int64(self.name, repetition)
        case .double: return .double(self.name, repetition)
        case .string: return .string(self.name, repetition)
        case .timestamp: return .timestamp(self.name, repetition)
        case .date: return .date(self.name, repetition)
        case .json: return .json(self.name, repetition)
        case .object(let fields): return .group(self.name, fields.map(\.parquetField), repetition)
        case .list(let element):
            return .list(self.name, element: StreamField("element", element).parquetField, repetition)
        case .map(let value):
            return .map(
                self.name,
                key: .string("key", .required),
                value: StreamField("value", value).parquetField,
                repetition
            )
        }
    }
}
