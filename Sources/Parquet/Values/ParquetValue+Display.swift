extension ParquetValue {
    /// A value decoded from its PLAIN statistics bytes (no length prefix) for `column`.
    public init?(statisticsBytes bytes: [UInt8], column: ColumnDescriptor) {
        func load<T: FixedWidthInteger>(_: T.Type) -> T? {
            guard bytes.count == MemoryLayout<T>.size else { return nil }
            var value: T = 0
            for byte in bytes.reversed() { value = value << 8 | T(byte) }
            return value
        }
        switch column.physicalType {
        case .boolean:
            guard bytes.count == 1 else { return nil }
            self = .boolean(bytes[0] != 0)
        case .int32:
            guard let v = load(UInt32.self) else { return nil }
            self = .int32(Int32(bitPattern: v))
        case .int64:
            guard let v = load(UInt64.self) else { return nil }
            self = .int64(Int64(bitPattern: v))
        case .float:
            guard let v = load(UInt32.self) else { return nil }
            self = .float(Float(bitPattern: v))
        case .double:
            guard let v = load(UInt64.self) else { return nil }
            self = .double(Double(bitPattern: v))
        case .byteArray, .fixedLenByteArray, .int96:
            switch column.logicalType {
            case .string, .json, .enum:
                if let text = String(validating: bytes, as: UTF8.self) {
                    self = .string(text)
                } else {
                    self = .bytes(bytes)
                }
            default:
                self = .bytes(bytes)
            }
        }
    }

    /// The value for people: timestamps and dates in ISO 8601 (UTC instants with `Z`), decimals with
    /// their scale, binary as hex, strings unquoted at the top level.
    public func displayText(_ field: Field) -> String {
        if case .primitive(let primitive) = field.kind {
            switch (primitive.logicalType, self) {
            case (.timestamp(let utc, let unit), .int64(let v)):
                return CivilTime.timestamp(v, unit: unit, utc: utc)
            case (.date, .int32(let v)):
                return CivilTime.date(days: Int64(v))
            case (.string, .string(let s)), (.json, .string(let s)), (.enum, .string(let s)), (nil, .string(let s)):
                return s
            case (nil, .bytes(let b)) where primitive.physicalType == .int96 && b.count == 12:
                return CivilTime.timestamp(Self.int96Nanoseconds(b), unit: .nanos, utc: false)
            default:
                break
            }
        }
        let json = self.canonicalJSON(field)
        // Unwrap the canonical tags that read well bare.
        for tag in ["$decimal", "$uuid", "$hex", "$float"] where json.hasPrefix("{\"\(tag)\":\"") {
            return String(json.dropFirst(tag.count + 5).dropLast(2))
        }
        return json
    }
}

/// Proleptic Gregorian calendar arithmetic (Howard Hinnant's `civil_from_days`), without Foundation.
public enum CivilTime {
    /// `YYYY-MM-DD` of a day count since 1970-01-01.
    public static func date(days: Int64) -> String {
        let (year, month, day) = self.civil(days: days)
        return self.pad(year, 4) + "-" + self.pad(month, 2) + "-" + self.pad(day, 2)
    }

    /// RFC 3339 text of an instant in `unit` since the epoch (`2023-07-02T10:00:00.000000Z` with `utc`).
    public static func timestamp(_ value: Int64, unit: TimeUnit, utc: Bool) -> String {
        let perSecond: Int64
        let digits: Int
        switch unit {
        case .millis: (perSecond, digits) = (1_000, 3)
        case .micros: (perSecond, digits) = (1_000_000, 6)
        case .nanos: (perSecond, digits) = (1_000_000_000, 9)
        }
        var seconds = value / perSecond
        var fraction = value % perSecond
        if fraction < 0 {
            fraction += perSecond
            seconds -= 1
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let time =
            self.pad(secondOfDay / 3600, 2) + ":" + self.pad(secondOfDay / 60 % 60, 2) + ":"
            + self.pad(secondOfDay % 60, 2)
        return self.date(days: days) + "T" + time + "." + self.pad(fraction, digits) + (utc ? "Z" : "")
    }

    static func civil(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value.magnitude)
        return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
