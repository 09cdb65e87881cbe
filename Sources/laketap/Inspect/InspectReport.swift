import Foundation
import Parquet

/// The human-readable report of `laketap inspect`.
enum InspectReport {
    static func text(path: String, reader: ParquetFileReader<FileSource>) -> String {
        let metadata = reader.metadata
        var out = ""
        out += "\(path)  \(Self.bytes(reader.source.size)), format version \(metadata.version)"
        out += metadata.createdBy.map { ", created by \($0)" } ?? ""
        out += "\n"
        out += "rows: \(Self.count(metadata.rowCount)) in \(metadata.rowGroups.count) row group"
        out += metadata.rowGroups.count == 1 ? "" : "s"
        out += " · footer \(Self.bytes(Int64(metadata.footerLength)))\n"
        for (key, value) in metadata.keyValueMetadata {
            let shown = value.map { $0.count > 80 ? String($0.prefix(77)) + "…" : $0 } ?? "(no value)"
            out += "key/value: \(key) = \(shown)\n"
        }
        out += "\nschema\n"
        for field in metadata.schema.fields { Self.describe(field, depth: 1, into: &out) }
        for (index, group) in metadata.rowGroups.enumerated() {
            let compressed = group.columns.reduce(0) { $0 + $1.compressedSize }
            let uncompressed = group.columns.reduce(0) { $0 + $1.uncompressedSize }
            out += "\nrow group \(index): \(Self.count(group.rowCount)) rows, "
            out += "\(Self.bytes(compressed)) compressed / \(Self.bytes(uncompressed)) uncompressed"
            out += " (\(Self.ratio(uncompressed, compressed)))\n"
            for chunk in group.columns { Self.describe(chunk, into: &out) }
        }
        return out
    }

    static func describe(_ field: Field, depth: Int, into out: inout String) {
        out += String(repeating: "  ", count: depth) + field.name + ": "
        switch field.kind {
        case .primitive(let primitive):
            out += Self.typeName(primitive)
        case .group(_, let annotation):
            out += annotation.map { $0 == .list ? "LIST" : "MAP" } ?? "group"
        }
        out += " " + Self.repetitionName(field.repetition) + "\n"
        if case .group(let children, _) = field.kind {
            for child in children { Self.describe(child, depth: depth + 1, into: &out) }
        }
    }

    static func describe(_ chunk: ColumnChunkMetadata, into out: inout String) {
        let column = chunk.column
        out += "  \(column.dottedPath)  \("\(column.physicalType)")"
        out += " · \("\(chunk.codec)")"
        out += " · \(chunk.encodings.map(\.description).joined(separator: ", "))"
        out += " · \(Self.bytes(chunk.compressedSize)) of \(Self.bytes(chunk.uncompressedSize))"
        out += " (\(Self.ratio(chunk.uncompressedSize, chunk.compressedSize)))"
        out += " · \(Self.count(chunk.valueCount)) values\n"
        var details: [String] = []
        if let statistics = chunk.statistics {
            if let nulls = statistics.nullCount { details.append("nulls \(Self.count(nulls))") }
            let field = Field(
                name: column.path.last ?? "",
                repetition: .required,
                kind: .primitive(
                    Field.Primitive(column.physicalType, typeLength: column.typeLength, logicalType: column.logicalType)
                )
            )
            if let min = statistics.min, let value = ParquetValue(statisticsBytes: min, column: column) {
                details.append(
                    "min \(Self.shorten(value.displayText(field)))\(statistics.isMinExact == false ? " (truncated)" : "")"
                )
            }
            if let max = statistics.max, let value = ParquetValue(statisticsBytes: max, column: column) {
                details.append(
                    "max \(Self.shorten(value.displayText(field)))\(statistics.isMaxExact == false ? " (truncated)" : "")"
                )
            }
            if let nans = statistics.nanCount, nans > 0 { details.append("NaN \(Self.count(nans))") }
            if let distinct = statistics.distinctCount { details.append("distinct \(Self.count(distinct))") }
        } else {
            details.append("no statistics")
        }
        details.append("dictionary " + (chunk.dictionaryPageOffset != nil ? "✓" : "–"))
        details.append("page index " + (chunk.columnIndexRange != nil || chunk.offsetIndexRange != nil ? "✓" : "–"))
        details.append(
            "bloom "
                + (chunk.bloomFilterOffset.map { _ in chunk.bloomFilterLength.map { Self.bytes(Int64($0)) } ?? "✓" }
                    ?? "–")
        )
        out += "      " + details.joined(separator: " · ") + "\n"
    }

    static func typeName(_ primitive: Field.Primitive) -> String {
        var name = "\(primitive.physicalType)"
        if primitive.physicalType == .fixedLenByteArray, let length = primitive.typeLength { name += "(\(length))" }
        if let logical = primitive.logicalType { name += " " + Self.logicalName(logical) }
        return name
    }

    static func logicalName(_ logical: LogicalType) -> String {
        switch logical {
        case .string: "STRING"
        case .map: "MAP"
        case .list: "LIST"
        case .enum: "ENUM"
        case .decimal(let scale, let precision): "DECIMAL(\(precision), \(scale))"
        case .date: "DATE"
        case .time(let utc, let unit): "TIME(\(Self.unitName(unit)), \(utc ? "UTC" : "local"))"
        case .timestamp(let utc, let unit): "TIMESTAMP(\(Self.unitName(unit)), \(utc ? "UTC" : "local"))"
        case .integer(let bits, let signed): "\(signed ? "INT" : "UINT")(\(bits))"
        case .unknown: "UNKNOWN"
        case .json: "JSON"
        case .bson: "BSON"
        case .uuid: "UUID"
        case .float16: "FLOAT16"
        }
    }

    static func unitName(_ unit: TimeUnit) -> String {
        switch unit {
        case .millis: "MILLIS"
        case .micros: "MICROS"
        case .nanos: "NANOS"
        }
    }

    static func repetitionName(_ repetition: Repetition) -> String {
        switch repetition {
        case .required: "required"
        case .optional: "optional"
        case .repeated: "repeated"
        }
    }

    static func bytes(_ count: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(count) B" }
        return "\(Double(Int(value * 10)) / 10) \(units[unit])"
    }

    static func count(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped += "," }
            grouped.append(character)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    static func ratio(_ uncompressed: Int64, _ compressed: Int64) -> String {
        guard compressed > 0 else { return "–" }
        return "\(Double(Int(Double(uncompressed) / Double(compressed) * 10)) / 10)×"
    }

    static func shorten(_ text: String) -> String {
        let single = text.replacingOccurrences(of: "\n", with: "\\n")
        return single.count > 40 ? String(single.prefix(37)) + "…" : single
    }
}
