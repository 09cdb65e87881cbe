/// A node of a Parquet schema: a primitive column or a group of fields.
///
/// Build schemas with the static constructors (`.int64("id", .required)`,
/// `.list("tags", element: .string("element"))`, `.map(...)`, `.group(...)`); they choose the
/// physical type and write both the `LogicalType` and the matching `ConvertedType`, as every
/// mainstream reader expects (PARQUET.md §4).
public struct Field: Sendable, Hashable {
    public var name: String
    public var repetition: Repetition
    public var kind: Kind
    public var fieldID: Int32?

    public indirect enum Kind: Sendable, Hashable {
        case primitive(Primitive)
        case group([Field], annotation: GroupAnnotation?)
    }

    public enum GroupAnnotation: Sendable, Hashable {
        case list
        case map
    }

    /// The type of a leaf column.
    public struct Primitive: Sendable, Hashable {
        public var physicalType: PhysicalType
        /// Byte width of FIXED_LEN_BYTE_ARRAY values.
        public var typeLength: Int32?
        public var logicalType: LogicalType?

        public init(_ physicalType: PhysicalType, typeLength: Int32? = nil, logicalType: LogicalType? = nil) {
            self.physicalType = physicalType
            self.typeLength = typeLength
            self.logicalType = logicalType
        }
    }

    public init(name: String, repetition: Repetition, kind: Kind, fieldID: Int32? = nil) {
        self.name = name
        self.repetition = repetition
        self.kind = kind
        self.fieldID = fieldID
    }

    public static func primitive(
        _ name: String,
        _ physicalType: PhysicalType,
        _ repetition: Repetition = .optional,
        typeLength: Int32? = nil,
        logicalType: LogicalType? = nil
    ) -> Field {
        Field(
            name: name,
            repetition: repetition,
            kind: .primitive(Primitive(physicalType, typeLength: typeLength, logicalType: logicalType))
        )
    }

    public var isGroup: Bool {
        if case .group = self.kind { return true }
        return false
    }
}

// MARK: - Primitive constructors

extension Field {
    public static func boolean(_ name: String, _ repetition: Repetition = .optional) -> Field {
        .primitive(name, .boolean, repetition)
    }

    public static func int32(_ name: String, _ repetition: Repetition = .optional) -> Field {
        .primitive(name, .int32, repetition)
    }

    public static func int64(_ name: String, _ repetition: Repetition = .optional) -> Field {
        .primitive(name, .int64, repetition)
    }

    /// An integer of `bitWidth` 8, 16, 32 or 64 bits, signed or not, annotated as INTEGER.
    public static func integer(
        _ name: String,
        bitWidth: Int8,
        isSigned: Bool,
        _ repetition: Repetition = .optional
    ) -> Field {
        .primitive(
            name,
            bitWidth == 64 ? .int64 : .int32,
            repetition,
            logicalType: .integer(bitWidth: bitWidth, isSigned: isSigned)
        )
    }

    public static func float(_ name: String, _ repetition: Repetition = .optional) -> Field {
        .primitive(name, .float, repetition)
    }

    public static func double(_ name: String, _ repetition: Repetition = .optional) -> Field {
        .primitive(name, .double, repetition)
    }

    /// UTF-8 text.
    public static func string(_ name: String, _ repetition: Repetition = .optional) -> Field {
        .primitive(name, .byteArray, repetition, logicalType: .string)
    }

    /// JSON text.
    public static func json(_ name: String, _ repetition: Repetition = .optional) -> Field {
        .primitive(name, .byteArray, repetition, logicalType: .json)
    }

    public static func `enum`(_ name: String, _ repetition: Repetition = .optional) -> Field {
        .primitive(name, .byteArray, repetition, logicalType: .enum)
    }

    /// Raw bytes without annotation.
    public static func binary(_ name: String, _ repetition: Repetition = .optional) -> Field {
        .primitive(name, .byteArray, repetition)
    }

    public static func fixedLengthBinary(
        _ name: String,
        length: Int32,
        _ repetition: Repetition = .optional
    ) -> Field {
        .primitive(name, .fixedLenByteArray, repetition, typeLength: length)
    }

    /// A decimal stored as INT32 (precision ≤ 9), INT64 (≤ 18) or the smallest FIXED_LEN_BYTE_ARRAY.
    public static func decimal(
        _ name: String,
        precision: Int32,
        scale: Int32,
        _ repetition: Repetition = .optional
    ) -> Field {
        let logical = LogicalType.decimal(scale: scale, precision: precision)
        if precision <= 9 { return .primitive(name, .int32, repetition, logicalType: logical) }
        if precision <= 18 { return .primitive(name, .int64, repetition, logicalType: logical) }
        return .primitive(
            name,
            .fixedLenByteArray,
            repetition,
            typeLength: Int32(Field.decimalByteWidth(precision: Int(precision))),
            logicalType: logical
        )
    }

    /// Days since 1970-01-01.
    public static func date(_ name: String, _ repetition: Repetition = .optional) -> Field {
        .primitive(name, .int32, repetition, logicalType: .date)
    }

    /// Time of day: INT32 for milliseconds, INT64 for micro- and nanoseconds.
    public static func time(
        _ name: String,
        unit: TimeUnit = .micros,
        isAdjustedToUTC: Bool = true,
        _ repetition: Repetition = .optional
    ) -> Field {
        .primitive(
            name,
            unit == .millis ? .int32 : .int64,
            repetition,
            logicalType: .time(isAdjustedToUTC: isAdjustedToUTC, unit: unit)
        )
    }

    /// An instant (UTC-adjusted) or a local date-time, as INT64 in `unit` since the epoch.
    public static func timestamp(
        _ name: String,
        unit: TimeUnit = .micros,
        isAdjustedToUTC: Bool = true,
        _ repetition: Repetition = .optional
    ) -> Field {
        .primitive(name, .int64, repetition, logicalType: .timestamp(isAdjustedToUTC: isAdjustedToUTC, unit: unit))
    }

    /// 16-byte big-endian UUID (opt-in: Spark cannot read it; PARQUET.md §4).
    public static func uuid(_ name: String, _ repetition: Repetition = .optional) -> Field {
        .primitive(name, .fixedLenByteArray, repetition, typeLength: 16, logicalType: .uuid)
    }

    /// IEEE half float, 2 little-endian bytes (opt-in).
    public static func float16(_ name: String, _ repetition: Repetition = .optional) -> Field {
        .primitive(name, .fixedLenByteArray, repetition, typeLength: 2, logicalType: .float16)
    }

    /// A column whose values are always null (pyarrow's null type).
    public static func null(_ name: String) -> Field {
        .primitive(name, .int32, .optional, logicalType: .unknown)
    }

    /// Legacy 12-byte timestamps; only for readers that need them.
    public static func int96(_ name: String, _ repetition: Repetition = .optional) -> Field {
        .primitive(name, .int96, repetition)
    }

    /// Bytes of the smallest two's-complement integer that holds `precision` decimal digits.
    public static func decimalByteWidth(precision: Int) -> Int {
        var bytes = 1
        while true {
            // Largest positive value in `bytes` bytes has ⌊log10(2^(8·bytes−1) − 1)⌋ = ⌊(8·bytes−1)·log10 2⌋
            // digits; the fraction slightly under log10 2 is exact for every width Parquet allows.
            let digits = (8 * bytes - 1) * 301_029_995 / 1_000_000_000
            if digits >= precision { return bytes }
            bytes += 1
        }
    }
}

// MARK: - Group constructors

extension Field {
    /// A struct.
    public static func group(_ name: String, _ fields: [Field], _ repetition: Repetition = .optional) -> Field {
        Field(name: name, repetition: repetition, kind: .group(fields, annotation: nil))
    }

    /// A 3-level LIST: `<rep> group name (LIST) { repeated group list { element } }`.
    /// The element is renamed `element`.
    public static func list(_ name: String, element: Field, _ repetition: Repetition = .optional) -> Field {
        var element = element
        element.name = "element"
        let list = Field(name: "list", repetition: .repeated, kind: .group([element], annotation: nil))
        return Field(name: name, repetition: repetition, kind: .group([list], annotation: .list))
    }

    /// A MAP: `<rep> group name (MAP) { repeated group key_value { required key; value } }`.
    /// The key is made required and renamed `key`; the value is renamed `value`.
    public static func map(
        _ name: String,
        key: Field,
        value: Field,
        _ repetition: Repetition = .optional
    ) -> Field {
        var key = key
        key.name = "key"
        key.repetition = .required
        var value = value
        value.name = "value"
        let entries = Field(name: "key_value", repetition: .repeated, kind: .group([key, value], annotation: nil))
        return Field(name: name, repetition: repetition, kind: .group([entries], annotation: .map))
    }
}
