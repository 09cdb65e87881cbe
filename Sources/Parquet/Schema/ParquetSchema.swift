/// A validated schema: the top-level fields, their flattened Thrift form and the leaf columns.
public struct ParquetSchema: Sendable, Hashable {
    /// Nesting deeper than this is refused (levels are stored in one byte each).
    public static let maximumDepth = 100

    public let fields: [Field]
    /// Leaf columns in schema order.
    public let columns: [ColumnDescriptor]
    /// Depth-first flattened schema, root first (`FileMetaData.schema`).
    let elements: [SchemaElement]

    public init(_ fields: [Field], rootName: String = "schema") throws(ParquetError) {
        var builder = Builder()
        builder.elements.append(
            SchemaElement(name: rootName, numChildren: Int32(fields.count))
        )
        try builder.checkNames(fields, parent: [])
        for field in fields {
            try builder.add(field, parentPath: [], definition: 0, repetition: 0, depth: 1, repeatedAllowed: false)
        }
        self.fields = fields
        self.columns = builder.columns
        self.elements = builder.elements
    }

    init(validatedFields fields: [Field], columns: [ColumnDescriptor], elements: [SchemaElement]) {
        self.fields = fields
        self.columns = columns
        self.elements = elements
    }

    /// The leaf whose dotted path is `dottedPath`.
    public func column(named dottedPath: String) -> ColumnDescriptor? {
        self.columns.first { $0.dottedPath == dottedPath }
    }

    private struct Builder {
        var elements: [SchemaElement] = []
        var columns: [ColumnDescriptor] = []

        func checkNames(_ fields: [Field], parent: [String]) throws(ParquetError) {
            var seen = Set<String>()
            for field in fields {
                let path = (parent + [field.name]).joined(separator: ".")
                guard !field.name.isEmpty else {
                    throw ParquetError(
                        .invalidSchema,
                        "a field under '\(parent.joined(separator: "."))' has an empty name"
                    )
                }
                guard seen.insert(field.name).inserted else {
                    throw ParquetError(.invalidSchema, "field '\(path)' is declared twice")
                }
            }
        }

        mutating func add(
            _ field: Field,
            parentPath: [String],
            definition: Int,
            repetition: Int,
            depth: Int,
            repeatedAllowed: Bool
        ) throws(ParquetError) {
            let path = parentPath + [field.name]
            let dotted = path.joined(separator: ".")
            if field.repetition == .repeated && !repeatedAllowed {
                throw ParquetError(
                    .invalidSchema,
                    "field '\(dotted)' is repeated outside a LIST or MAP; declare it with Field.list(...) instead"
                )
            }
            guard depth <= ParquetSchema.maximumDepth else {
                throw ParquetError(
                    .invalidSchema,
                    "field '\(dotted)' is nested deeper than \(ParquetSchema.maximumDepth)"
                )
            }
            let definition = definition + (field.repetition == .required ? 0 : 1)
            let repetition = repetition + (field.repetition == .repeated ? 1 : 0)
            switch field.kind {
            case .primitive(let primitive):
                try Self.validate(primitive, path: dotted)
                let converted = Self.convertedType(for: primitive.logicalType)
                var element = SchemaElement(
                    type: primitive.physicalType,
                    typeLength: primitive.physicalType == .fixedLenByteArray ? primitive.typeLength : nil,
                    repetitionType: field.repetition,
                    name: field.name,
                    convertedType: converted,
                    fieldID: field.fieldID,
                    logicalType: primitive.logicalType
                )
                if case .decimal(let scale, let precision) = primitive.logicalType {
                    element.scale = scale
                    element.precision = precision
                }
                self.elements.append(element)
                self.columns.append(
                    ColumnDescriptor(
                        path: path,
                        physicalType: primitive.physicalType,
                        typeLength: element.typeLength,
                        logicalType: primitive.logicalType,
                        convertedType: converted,
                        repetition: field.repetition,
                        maxDefinitionLevel: definition,
                        maxRepetitionLevel: repetition
                    )
                )
            case .group(let children, let annotation):
                guard !children.isEmpty else {
                    throw ParquetError(.invalidSchema, "group '\(dotted)' has no fields")
                }
                try self.checkNames(children, parent: path)
                try Self.validate(annotation, children: children, path: dotted)
                self.elements.append(
                    SchemaElement(
                        repetitionType: field.repetition,
                        name: field.name,
                        numChildren: Int32(children.count),
                        convertedType: annotation.map { $0 == .list ? .list : .map },
                        fieldID: field.fieldID,
                        logicalType: annotation.map { $0 == .list ? .list : .map }
                    )
                )
                for child in children {
                    try self.add(
                        child,
                        parentPath: path,
                        definition: definition,
                        repetition: repetition,
                        depth: depth + 1,
                        repeatedAllowed: annotation != nil
                    )
                }
            }
        }

        static func validate(_ annotation: Field.GroupAnnotation?, children: [Field], path: String) throws(ParquetError)
        {
            guard let annotation else { return }
            guard children.count == 1, children[0].repetition == .repeated, case .group(let inner, _) = children[0].kind
            else {
                throw ParquetError(
                    .invalidSchema,
                    "\(annotation) '\(path)' must contain exactly one repeated group (use Field.\(annotation)(...))"
                )
            }
            if annotation == .map {
                guard inner.count == 2, inner[0].repetition == .required else {
                    throw ParquetError(.invalidSchema, "map '\(path)' needs a required key and a value")
                }
                guard !inner[0].isGroup else {
                    throw ParquetError(.invalidSchema, "map '\(path)' has a group as key; keys must be primitive")
                }
            } else if inner.count != 1 {
                throw ParquetError(.invalidSchema, "list '\(path)' must have exactly one element field")
            }
        }

        static func validate(_ primitive: Field.Primitive, path: String) throws(ParquetError) {
            let physical = primitive.physicalType
            if physical == .fixedLenByteArray {
                guard let length = primitive.typeLength, length > 0 else {
                    throw ParquetError(.invalidSchema, "FIXED_LEN_BYTE_ARRAY column '\(path)' needs a positive length")
                }
            }
            func mismatch() -> ParquetError {
                ParquetError(
                    .invalidSchema,
                    "column '\(path)': logical type \(String(describing: primitive.logicalType)) cannot annotate \(physical)"
                )
            }
            switch primitive.logicalType {
            case nil:
                break
            case .string, .json, .bson, .enum:
                guard physical == .byteArray else { throw mismatch() }
            case .map, .list:
                throw mismatch()
            case .decimal(let scale, let precision):
                guard precision >= 1, scale >= 0, scale <= precision else {
                    throw ParquetError(
                        .invalidSchema,
                        "column '\(path)': decimal(precision \(precision), scale \(scale)) needs 1 ≤ precision and 0 ≤ scale ≤ precision"
                    )
                }
                switch physical {
                case .int32 where precision <= 9: break
                case .int64 where precision <= 18: break
                case .fixedLenByteArray:
                    let width = Int(primitive.typeLength ?? 0)
                    guard Field.decimalByteWidth(precision: Int(precision)) <= width else {
                        throw ParquetError(
                            .invalidSchema,
                            "column '\(path)': \(width) bytes cannot hold decimal precision \(precision)"
                        )
                    }
                case .byteArray: break
                default: throw mismatch()
                }
            case .date:
                guard physical == .int32 else { throw mismatch() }
            case .time(_, let unit):
                guard physical == (unit == .millis ? .int32 : .int64) else { throw mismatch() }
            case .timestamp:
                guard physical == .int64 else { throw mismatch() }
            case .integer(let bitWidth, _):
                guard [8, 16, 32, 64].contains(bitWidth), physical == (bitWidth == 64 ? .int64 : .int32) else {
                    throw mismatch()
                }
            case .unknown:
                break
            case .uuid:
                guard physical == .fixedLenByteArray, primitive.typeLength == 16 else { throw mismatch() }
            case .float16:
                guard physical == .fixedLenByteArray, primitive.typeLength == 2 else { throw mismatch() }
            }
        }

        /// The legacy annotation written beside `logicalType` (PARQUET.md §4).
        static func convertedType(for logicalType: LogicalType?) -> ConvertedType? {
            switch logicalType {
            case nil, .unknown, .uuid, .float16: return nil
            case .string: return .utf8
            case .map: return .map
            case .list: return .list
            case .enum: return .enum
            case .decimal: return .decimal
            case .date: return .date
            case .json: return .json
            case .bson: return .bson
            case .time(let utc, let unit):
                guard utc else { return nil }
                switch unit {
                case .millis: return .timeMillis
                case .micros: return .timeMicros
                case .nanos: return nil
                }
            case .timestamp(_, let unit):
                switch unit {
                case .millis: return .timestampMillis
                case .micros: return .timestampMicros
                case .nanos: return nil
                }
            case .integer(let bitWidth, let isSigned):
                switch (bitWidth, isSigned) {
                case (8, true): return .int8
                case (16, true): return .int16
                case (32, true): return .int32
                case (64, true): return .int64
                case (8, false): return .uint8
                case (16, false): return .uint16
                case (32, false): return .uint32
                default: return .uint64
                }
            }
        }
    }
}
