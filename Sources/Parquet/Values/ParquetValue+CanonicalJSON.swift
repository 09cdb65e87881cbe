extension ParquetValue {
    /// The value as canonical JSON, interpreting it with `field`'s logical types:
    ///
    /// - null, booleans, integers (unsigned annotations as unsigned), strings as themselves;
    /// - floats as numbers, or `{"$float":"nan"|"inf"|"-inf"|"-0"}`;
    /// - binary `{"$hex":"…"}`; timestamps `{"$ts":n,"unit":"ms"|"us"|"ns","utc":bool}` (INT96 as
    ///   nanoseconds, not UTC-adjusted); dates `{"$date":days}`; times `{"$time":n,"unit":…}`;
    ///   decimals `{"$decimal":"-1.20"}`; UUIDs `{"$uuid":"…"}`; half floats as numbers;
    /// - lists as arrays, structs as objects with every field, maps as `{"$map":[[k,v],…]}`.
    ///
    /// The interop tests compare every reader's output in this form, and `laketap inspect --rows`
    /// prints it.
    public func canonicalJSON(_ field: Field) -> String {
        if self.isNull { return "null" }
        if case .list(let elements) = self {
            let element: Field
            if case .group(_, .list) = field.kind {
                element = Self.elementField(of: field)
            } else {
                // A repeated field outside a LIST annotation is a list of required elements.
                element = Self.required(field)
            }
            return JSONText.array(elements.map { $0.canonicalJSON(element) })
        }
        switch field.kind {
        case .primitive(let primitive):
            return self.canonicalPrimitive(primitive)
        case .group(let children, let annotation):
            switch (annotation, self) {
            case (_, .group(let members)):
                return JSONText.object(children.map { ($0.name, (members[$0.name] ?? .null).canonicalJSON($0)) })
            case (_, .map(let entries)):
                let (key, value) = Self.keyValueFields(of: field)
                let pairs = entries.map { JSONText.array([$0.key.canonicalJSON(key), $0.value.canonicalJSON(value)]) }
                return JSONText.object([("$map", JSONText.array(pairs))])
            default:
                return "null"
            }
        }
    }

    /// The field describing the elements of a LIST, by the backward-compatibility rules the record
    /// assembler applies (3-level wrapper or 2-level repeated element).
    static func elementField(of field: Field) -> Field {
        guard case .group(let children, _) = field.kind, children.count == 1 else { return field }
        let repeated = children[0]
        if case .group(let inner, _) = repeated.kind,
            AssemblyNode.Planner.isThreeLevel(repeated, inner: inner, listName: field.name)
        {
            return inner[0]
        }
        return Self.required(repeated)
    }

    private static func required(_ field: Field) -> Field {
        var element = field
        element.repetition = .required
        return element
    }

    static func keyValueFields(of field: Field) -> (Field, Field) {
        guard case .group(let children, _) = field.kind, let entries = children.first,
            case .group(let inner, _) = entries.kind, let key = inner.first
        else { return (field, field) }
        return (key, inner.count > 1 ? inner[1] : .null("value"))
    }

    private func canonicalPrimitive(_ primitive: Field.Primitive) -> String {
        switch (primitive.logicalType, self) {
        case (.timestamp(let utc, let unit), .int64(let v)):
            return JSONText.object([("$ts", "\(v)"), ("unit", Self.unitName(unit)), ("utc", "\(utc)")])
        case (.date, .int32(let v)):
            return JSONText.object([("$date", "\(v)")])
        case (.time(_, let unit), .int32(let v)):
            return JSONText.object([("$time", "\(v)"), ("unit", Self.unitName(unit))])
        case (.time(_, let unit), .int64(let v)):
            return JSONText.object([("$time", "\(v)"), ("unit", Self.unitName(unit))])
        case (.decimal(let scale, _), .int32(let v)):
            return JSONText.object([("$decimal", JSONText.quoted(Self.decimalText(Int128(v), scale: Int(scale))))])
        case (.decimal(let scale, _), .int64(let v)):
            return JSONText.object([("$decimal", JSONText.quoted(Self.decimalText(Int128(v), scale: Int(scale))))])
        case (.decimal(let scale, _), .bytes(let b)) where !b.isEmpty && b.count <= 16:
            var unscaled = Int128(Int8(bitPattern: b[0]))
            for byte in b.dropFirst() { unscaled = unscaled << 8 | Int128(byte) }
            return JSONText.object([("$decimal", JSONText.quoted(Self.decimalText(unscaled, scale: Int(scale))))])
        case (.uuid, .bytes(let b)) where b.count == 16:
            let hex = JSONText.hex(b)
            let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
                String(hex.utf8.dropFirst(range.lowerBound).prefix(range.count)) ?? ""
            }
            return JSONText.object([("$uuid", JSONText.quoted(groups.joined(separator: "-")))])
        case (.float16, .bytes(let b)) where b.count == 2:
            return Self.float(Self.halfToDouble(UInt16(b[0]) | UInt16(b[1]) << 8))
        case (.integer(_, false), .int32(let v)):
            return "\(UInt32(bitPattern: v))"
        case (.integer(_, false), .int64(let v)):
            return "\(UInt64(bitPattern: v))"
        case (nil, .bytes(let b)) where primitive.physicalType == .int96 && b.count == 12:
            return JSONText.object([("$ts", "\(Self.int96Nanoseconds(b))"), ("unit", "\"ns\""), ("utc", "false")])
        case (_, .boolean(let v)): return "\(v)"
        case (_, .int32(let v)): return "\(v)"
        case (_, .int64(let v)): return "\(v)"
        case (_, .float(let v)): return Self.float(Double(v))
        case (_, .double(let v)): return Self.float(v)
        case (.string, .string(let s)), (.json, .string(let s)), (.enum, .string(let s)): return JSONText.quoted(s)
        case (_, .string(let s)): return JSONText.object([("$hex", JSONText.quoted(JSONText.hex(s.utf8)))])
        case (.string, .bytes(let b)), (.json, .bytes(let b)), (.enum, .bytes(let b)):
            return JSONText.quoted(String(decoding: b, as: UTF8.self))
        case (_, .bytes(let b)): return JSONText.object([("$hex", JSONText.quoted(JSONText.hex(b)))])
        default: return "null"
        }
    }

    static func float(_ v: Double) -> String {
        if v.isNaN { return #"{"$float":"nan"}"# }
        if v.isInfinite { return v > 0 ? #"{"$float":"inf"}"# : #"{"$float":"-inf"}"# }
        if v == 0 && v.sign == .minus { return #"{"$float":"-0"}"# }
        return JSONText.number(v)
    }

    static func unitName(_ unit: TimeUnit) -> String {
        switch unit {
        case .millis: "\"ms\""
        case .micros: "\"us\""
        case .nanos: "\"ns\""
        }
    }

    static func decimalText(_ unscaled: Int128, scale: Int) -> String {
        var digits = String(unscaled.magnitude)
        if scale > 0 {
            while digits.count <= scale { digits = "0" + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return (unscaled < 0 ? "-" : "") + digits
    }

    /// Nanoseconds since the epoch of an INT96 timestamp (nanoseconds of day, then Julian day).
    static func int96Nanoseconds(_ bytes: [UInt8]) -> Int64 {
        var nanos: UInt64 = 0
        for i in (0..<8).reversed() { nanos = nanos << 8 | UInt64(bytes[i]) }
        var day: UInt32 = 0
        for i in (8..<12).reversed() { day = day << 8 | UInt32(bytes[i]) }
        // The Julian day is unsigned, as arrow reads it; out-of-range values wrap as there.
        let days = Int64(day) - 2_440_588
        return days &* 86_400_000_000_000 &+ Int64(bitPattern: nanos)
    }

    static func halfToDouble(_ bits: UInt16) -> Double {
        let sign: Double = bits & 0x8000 != 0 ? -1 : 1
        let exponent = Int((bits >> 10) & 0x1F)
        let mantissa = Double(bits & 0x3FF)
        switch exponent {
        case 0: return sign * mantissa * 0x1p-24
        case 31: return mantissa == 0 ? sign * .infinity : .nan
        default: return sign * (1 + mantissa / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }
}
