import Foundation
import Parquet

/// The `--json` form of `laketap inspect`.
enum InspectJSON {
    static func document(path: String, reader: ParquetFileReader<FileSource>) throws -> String {
        let metadata = reader.metadata
        var keyValue: [String: Any] = [:]
        for (key, value) in metadata.keyValueMetadata { keyValue[key] = value ?? NSNull() }
        let object: [String: Any] = [
            "file": path,
            "size": reader.source.size,
            "format_version": metadata.version,
            "created_by": metadata.createdBy ?? NSNull(),
            "num_rows": metadata.rowCount,
            "footer_length": metadata.footerLength,
            "key_value_metadata": keyValue,
            "schema": metadata.schema.fields.map(Self.field),
            "row_groups": metadata.rowGroups.map(Self.rowGroup),
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    static func field(_ field: Field) -> [String: Any] {
        var object: [String: Any] = [
            "name": field.name,
            "repetition": InspectReport.repetitionName(field.repetition),
        ]
        switch field.kind {
        case .primitive(let primitive):
            object["physical_type"] = "\(primitive.physicalType)"
            if let length = primitive.typeLength { object["type_length"] = length }
            if let logical = primitive.logicalType { object["logical_type"] = InspectReport.logicalName(logical) }
        case .group(let children, let annotation):
            if let annotation { object["logical_type"] = annotation == .list ? "LIST" : "MAP" }
            object["fields"] = children.map(Self.field)
        }
        return object
    }

    static func rowGroup(_ group: RowGroupMetadata) -> [String: Any] {
        [
            "num_rows": group.rowCount,
            "total_byte_size": group.totalByteSize,
            "total_compressed_size": group.totalCompressedSize ?? NSNull(),
            "columns": group.columns.map(Self.column),
        ]
    }

    static func column(_ chunk: ColumnChunkMetadata) -> [String: Any] {
        let column = chunk.column
        var object: [String: Any] = [
            "path": column.dottedPath,
            "physical_type": "\(column.physicalType)",
            "codec": "\(chunk.codec)",
            "encodings": chunk.encodings.map(\.description),
            "num_values": chunk.valueCount,
            "compressed_size": chunk.compressedSize,
            "uncompressed_size": chunk.uncompressedSize,
            "data_page_offset": chunk.dataPageOffset,
            "dictionary_page_offset": chunk.dictionaryPageOffset ?? NSNull(),
            "has_dictionary_page": chunk.dictionaryPageOffset != nil,
            "has_column_index": chunk.columnIndexRange != nil,
            "has_offset_index": chunk.offsetIndexRange != nil,
            "bloom_filter_offset": chunk.bloomFilterOffset ?? NSNull(),
            "bloom_filter_length": chunk.bloomFilterLength ?? NSNull(),
            "max_definition_level": column.maxDefinitionLevel,
            "max_repetition_level": column.maxRepetitionLevel,
        ]
        if let logical = column.logicalType { object["logical_type"] = InspectReport.logicalName(logical) }
        if let statistics = chunk.statistics {
            let field = Field(
                name: column.path.last ?? "",
                repetition: .required,
                kind: .primitive(
                    Field.Primitive(column.physicalType, typeLength: column.typeLength, logicalType: column.logicalType)
                )
            )
            var stats: [String: Any] = [:]
            if let nulls = statistics.nullCount { stats["null_count"] = nulls }
            if let distinct = statistics.distinctCount { stats["distinct_count"] = distinct }
            if let nans = statistics.nanCount { stats["nan_count"] = nans }
            if let exact = statistics.isMinExact { stats["min_is_exact"] = exact }
            if let exact = statistics.isMaxExact { stats["max_is_exact"] = exact }
            if let min = statistics.min, let value = ParquetValue(statisticsBytes: min, column: column) {
                stats["min"] = value.displayText(field)
            }
            if let max = statistics.max, let value = ParquetValue(statisticsBytes: max, column: column) {
                stats["max"] = value.displayText(field)
            }
            object["statistics"] = stats
        }
        return object
    }
}
