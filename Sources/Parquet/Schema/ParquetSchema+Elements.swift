extension ParquetSchema {
    /// The schema of a file, rebuilt from its flattened elements without the writer's rules, so legacy
    /// shapes (un-annotated repeated fields, 2-level lists, MAP_KEY_VALUE) are kept as they are.
    init(elements: [SchemaElement]) throws(ParquetError) {
        guard let root = elements.first else { throw ParquetError(.corrupt, "the file's schema is empty") }
        guard root.type == nil else {
            throw ParquetError(.corrupt, "the root of the file's schema is a primitive column")
        }
        var index = 1
        var columns: [ColumnDescriptor] = []
        let children = try Self.readChildren(
            count: Int(root.numChildren ?? 0),
            elements: elements,
            index: &index,
            path: [],
            definition: 0,
            repetition: 0,
            depth: 1,
            columns: &columns
        )
        guard index == elements.count else {
            throw ParquetError(
                .corrupt,
                "the file's schema has \(elements.count) elements but its tree covers \(index)"
            )
        }
        self.init(validatedFields: children, columns: columns, elements: elements)
    }

    private static func readChildren(
        count: Int,
        elements: [SchemaElement],
        index: inout Int,
        path: [String],
        definition: Int,
        repetition: Int,
        depth: Int,
        columns: inout [ColumnDescriptor]
    ) throws(ParquetError) -> [Field] {
        guard count >= 0, count <= elements.count - index else {
            throw ParquetError(
                .corrupt,
                "schema element '\(path.joined(separator: "."))' claims \(count) children, more than remain"
            )
        }
        guard depth <= ParquetSchema.maximumDepth else {
            throw ParquetError(.limitExceeded, "the file's schema is nested deeper than \(ParquetSchema.maximumDepth)")
        }
        var fields: [Field] = []
        for _ in 0..<count {
            // Earlier siblings' subtrees may have used up the elements this count promised.
            guard index < elements.count else {
                throw ParquetError(
                    .corrupt,
                    "schema element '\(path.joined(separator: "."))' claims more children than the schema holds"
                )
            }
            let element = elements[index]
            index += 1
            let repetitionType = element.repetitionType ?? .optional
            let fieldPath = path + [element.name]
            let definitionLevel = definition + (repetitionType == .required ? 0 : 1)
            let repetitionLevel = repetition + (repetitionType == .repeated ? 1 : 0)
            if let physical = element.type, (element.numChildren ?? 0) == 0 {
                var logical = element.logicalType
                if logical == nil { logical = Self.logicalType(fromConverted: element) }
                if physical == .fixedLenByteArray && (element.typeLength ?? 0) <= 0 {
                    throw ParquetError(
                        .corrupt,
                        "FIXED_LEN_BYTE_ARRAY column '\(fieldPath.joined(separator: "."))' has no positive length"
                    )
                }
                columns.append(
                    ColumnDescriptor(
                        path: fieldPath,
                        physicalType: physical,
                        typeLength: element.typeLength,
                        logicalType: logical,
                        convertedType: element.convertedType,
                        repetition: repetitionType,
                        maxDefinitionLevel: definitionLevel,
                        maxRepetitionLevel: repetitionLevel
                    )
                )
                fields.append(
                    Field(
                        name: element.name,
                        repetition: repetitionType,
                        kind: .primitive(
                            Field.Primitive(physical, typeLength: element.typeLength, logicalType: logical)
                        ),
                        fieldID: element.fieldID
                    )
                )
            } else {
                let children = try Self.readChildren(
                    count: Int(element.numChildren ?? 0),
                    elements: elements,
                    index: &index,
                    path: fieldPath,
                    definition: definitionLevel,
                    repetition: repetitionLevel,
                    depth: depth + 1,
                    columns: &columns
                )
                var annotation: Field.GroupAnnotation? = nil
                switch (element.logicalType, element.convertedType) {
                case (.list?, _), (nil, .list?): annotation = .list
                case (.map?, _), (nil, .map?), (nil, .mapKeyValue?): annotation = .map
                default: annotation = nil
                }
                fields.append(
                    Field(
                        name: element.name,
                        repetition: repetitionType,
                        kind: .group(children, annotation: annotation),
                        fieldID: element.fieldID
                    )
                )
            }
        }
        return fields
    }

    /// The logical type implied by a legacy ConvertedType (LogicalTypes.md, "Compatibility").
    private static func logicalType(fromConverted element: SchemaElement) -> LogicalType? {
        switch element.convertedType {
        case .utf8: return .string
        case .enum: return .enum
        case .json: return .json
        case .bson: return .bson
        case .date: return .date
        case .decimal: return .decimal(scale: element.scale ?? 0, precision: element.precision ?? 0)
        case .timeMillis: return .time(isAdjustedToUTC: true, unit: .millis)
        case .timeMicros: return .time(isAdjustedToUTC: true, unit: .micros)
        case .timestampMillis: return .timestamp(isAdjustedToUTC: true, unit: .millis)
        case .timestampMicros: return .timestamp(isAdjustedToUTC: true, unit: .micros)
        case .int8: return .integer(bitWidth: 8, isSigned: true)
        case .int16: return .integer(bitWidth: 16, isSigned: true)
        case .int32: return .integer(bitWidth: 32, isSigned: true)
        case .int64: return .integer(bitWidth: 64, isSigned: true)
        case .uint8: return .integer(bitWidth: 8, isSigned: false)
        case .uint16: return .integer(bitWidth: 16, isSigned: false)
        case .uint32: return .integer(bitWidth: 32, isSigned: false)
        case .uint64: return .integer(bitWidth: 64, isSigned: false)
        default: return nil
        }
    }
}
