import Foundation
import Parquet

/// Canonical JSON of a value, as Tests/Interop/test_readers.py compares readers' output.
enum Canonical {
    static func value(_ value: ParquetValue, _ field: Field) -> Any {
        if value.isNull { return NSNull() }
        switch field.kind {
        case .primitive(let primitive):
            return self.primitive(value, primitive)
        case .group(let children, nil):
            guard case .group(let fields) = value else { return NSNull() }
            var object: [String: Any] = [:]
            for child in children { object[child.name] = self.value(fields[child.name] ?? .null, child) }
            return object
        case .group(let children, .list):
            guard case .list(let elements) = value, case .group(let inner, _) = children[0].kind else { return NSNull() }
            return elements.map { self.value($0, inner[0]) }
        case .group(let children, .map):
            guard case .map(let entries) = value, case .group(let inner, _) = children[0].kind else { return NSNull() }
            return ["$map": entries.map { [self.value($0.key, inner[0]), self.value($0.value, inner[1])] }]
        }
    }

    static func primitive(_ value: ParquetValue, _ primitive: Field.Primitive) -> Any {
        switch (primitive.logicalType, value) {
        case (.timestamp(let utc, let unit), .int64(let v)):
            return ["$ts": v, "unit": self.unit(unit), "utc": utc]
        case (.date, .int32(let v)):
            return ["$date": v]
        case (.time(_, let unit), .int32(let v)):
            return ["$time": Int64(v), "unit": self.unit(unit)]
        case (.time(_, let unit), .int64(let v)):
            return ["$time": v, "unit": self.unit(unit)]
        case (.decimal(let scale, _), .int32(let v)):
            return ["$decimal": self.decimal(Int128(v), scale: Int(scale))]
        case (.decimal(let scale, _), .int64(let v)):
            return ["$decimal": self.decimal(Int128(v), scale: Int(scale))]
        case (.decimal(let scale, _), .bytes(let b)):
            var unscaled = Int128(Int8(bitPattern: b[0]))
            for byte in b.dropFirst() { unscaled = unscaled << 8 | Int128(byte) }
            return ["$decimal": self.decimal(unscaled, scale: Int(scale))]
        case (.uuid, .bytes(let b)):
            let hex = b.map { String(format: "%02x", $0) }.joined()
            let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
            return ["$uuid": parts.joined(separator: "-")]
        case (.float16, .bytes(let b)):
            return self.float(Double(Float16(bitPattern: UInt16(b[0]) | UInt16(b[1]) << 8)))
        case (.integer(_, false), .int32(let v)):
            return UInt32(bitPattern: v)
        case (.integer(_, false), .int64(let v)):
            return UInt64(bitPattern: v)
        case (_, .boolean(let v)): return v
        case (_, .int32(let v)): return v
        case (_, .int64(let v)): return v
        case (_, .float(let v)): return self.float(Double(v))
        case (_, .double(let v)): return self.float(v)
        case (.string, .string(let s)), (.json, .string(let s)), (.enum, .string(let s)): return s
        case (_, .string(let s)): return ["$hex": Array(s.utf8).map { String(format: "%02x", $0) }.joined()]
        case (.string, .bytes(let b)), (.json, .bytes(let b)), (.enum, .bytes(let b)):
            return String(decoding: b, as: UTF8.self)
        case (_, .bytes(let b)): return ["$hex": b.map { String(format: "%02x", $0) }.joined()]
        default: return NSNull()
        }
    }

    static func float(_ v: Double) -> Any {
        if v.isNaN { return ["$float": "nan"] }
        if v.isInfinite { return ["$float": v > 0 ? "inf" : "-inf"] }
        // JSON numbers lose the sign of zero.
        if v == 0 && v.sign == .minus { return ["$float": "-0"] }
        return v
    }

    static func unit(_ unit: TimeUnit) -> String {
        switch unit {
        case .millis: "ms"
        case .micros: "us"
        case .nanos: "ns"
        }
    }

    static func decimal(_ unscaled: Int128, scale: Int) -> String {
        let negative = unscaled < 0
        var digits = String(negative ? (0 - unscaled).magnitude : unscaled.magnitude)
        if scale > 0 {
            while digits.count <= scale { digits = "0" + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return (negative ? "-" : "") + digits
    }
}
