/// Parses timestamps and dates from JSON text without Foundation.
///
/// Accepted: RFC 3339 / ISO 8601 date-times `YYYY-MM-DD(T|t| )HH:MM:SS[.fraction][Z|z|±HH:MM|±HHMM]`
/// with up to nine fraction digits (a missing zone means UTC), and dates `YYYY-MM-DD`. Values become
/// microseconds since the epoch, UTC; digits beyond microseconds are truncated toward the past
/// (as DuckDB does), so `…:00.0000009Z` is `…:00.000000Z`.
public enum TimestampParser {
    /// The date the last ``microseconds(_:recent:)`` parsed: a column's consecutive values mostly fall on
    /// one day, so a date-time whose `YYYY-MM-DD` bytes are the last one's takes its day count as it is,
    /// without parsing the date and checking it against the calendar again.
    public struct RecentDate: Sendable {
        /// The date's first eight bytes (`YYYY-MM-`) and its last two (`DD`), as loaded.
        fileprivate var head: UInt64 = 0
        fileprivate var day: UInt16 = 0
        fileprivate var days: Int64 = 0
        fileprivate var isSet = false

        public init() {}
    }

    /// Microseconds since 1970-01-01T00:00:00Z, or nil when `bytes` is not a date-time.
    public static func microseconds(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard bytes.count >= 19, let (days, hour, minute, second) = self.dateTime(bytes) else { return nil }
        return self.microseconds(bytes, days: days, hour: hour, minute: minute, second: second)
    }

    /// ``microseconds(_:)``, reusing `recent`'s day count when the date is the same, and keeping this
    /// one's date in `recent` for the next call.
    public static func microseconds(_ bytes: UnsafeRawBufferPointer, recent: inout RecentDate) -> Int64? {
        guard bytes.count >= 19 else { return nil }
        let head = self.word(bytes, 0)
        let day = UInt16(truncatingIfNeeded: self.word(bytes, 8))
        if recent.isSet && head == recent.head && day == recent.day {
            guard let (hour, minute, second) = self.timeOfDay(bytes) else { return nil }
            return self.microseconds(bytes, days: recent.days, hour: hour, minute: minute, second: second)
        }
        guard let (days, hour, minute, second) = self.dateTime(bytes) else { return nil }
        (recent.head, recent.day, recent.days, recent.isSet) = (head, day, days, true)
        return self.microseconds(bytes, days: days, hour: hour, minute: minute, second: second)
    }

    /// The microseconds of a date-time whose first 19 bytes gave `days` and the time of day: the
    /// fraction and zone that follow them are read here.
    @inline(__always)
    private static func microseconds(
        _ bytes: UnsafeRawBufferPointer,
        days: Int64,
        hour: Int,
        minute: Int,
        second: Int
    ) -> Int64? {
        let count = bytes.count
        var index = 19
        var micros: Int64 = 0
        if let sixDigits = self.microsecondFraction(bytes) {
            micros = sixDigits
            index = 26
        } else if index < count && (bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",")) {
            index += 1
            // Up to ten digits read (a tenth is an error), then scaled to six.
            let start = index
            let limit = min(count, start &+ 10)
            var fraction: Int64 = 0
            while index < limit {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                fraction = fraction &* 10 &+ Int64(digit)
                index &+= 1
            }
            let digits = index &- start
            guard digits > 0, digits <= 9 else { return nil }
            micros = digits <= 6 ? fraction &* Self.powersOfTen[6 &- digits] : fraction / Self.powersOfTen[digits &- 6]
        }
        var offsetSeconds: Int64 = 0
        if index < count {
            let zone = bytes[index]
            if zone == UInt8(ascii: "Z") || zone == UInt8(ascii: "z") {
                index += 1
            } else if zone == UInt8(ascii: "+") || zone == UInt8(ascii: "-") {
                guard let hours = self.digits(bytes, index + 1, 2), hours < 24 else { return nil }
                var minutesIndex = index + 3
                if minutesIndex < count && bytes[minutesIndex] == UInt8(ascii: ":") { minutesIndex += 1 }
                guard let minutes = self.digits(bytes, minutesIndex, 2), minutes < 60 else { return nil }
                offsetSeconds = Int64(hours * 3600 + minutes * 60) * (zone == UInt8(ascii: "-") ? -1 : 1)
                index = minutesIndex + 2
            } else {
                return nil
            }
        }
        guard index == count else { return nil }
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + min(second, 59)) - offsetSeconds
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000)
        guard !overflow else { return nil }
        return scaled + micros
    }

    /// The fraction of a date-time with exactly six fraction digits, `.ffffff` in bytes 19 to 25 and no
    /// digit after them (the common form of microsecond timestamps), read as one word: nil for any other
    /// form, which the digit loop reads.
    @inline(__always)
    private static func microsecondFraction(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard bytes.count >= 26, bytes.count == 26 || bytes[26] &- UInt8(ascii: "0") >= 10 else { return nil }
        // The second's last digit, '.', then the six digits.
        let word = self.word(bytes, 18) ^ Self.zeroes
        guard self.areDigits(word, 0xFFFF_FFFF_FFFF_0000), word & 0xFF00 == 0x1E00 || word & 0xFF00 == 0x1C00 else {
            return nil
        }
        // An eight-digit number whose first two digits are zero, the most significant digit in the lowest
        // byte: pairs of digits, then fours, then the whole.
        var value = word & 0xFFFF_FFFF_FFFF_0000
        value = (value &* (10 << 8 | 1)) >> 8
        value = ((value & 0x00FF_00FF_00FF_00FF) &* (100 << 16 | 1)) >> 16
        value = ((value & 0x0000_FFFF_0000_FFFF) &* (10_000 << 32 | 1)) >> 32
        return Int64(truncatingIfNeeded: value)
    }

    /// Days since 1970-01-01 of a `YYYY-MM-DD` date, or nil.
    public static func date(_ bytes: UnsafeRawBufferPointer) -> Int32? {
        guard bytes.count == 10, let days = self.days(bytes, 0) else { return nil }
        return Int32(exactly: days)
    }

    /// Converts an epoch number in `unit` to microseconds (truncating toward the past), or nil on overflow.
    public static func microseconds(epoch value: Int64, unit: EpochUnit) -> Int64? {
        switch unit {
        case .seconds:
            let (result, overflow) = value.multipliedReportingOverflow(by: 1_000_000)
            return overflow ? nil : result
        case .milliseconds:
            let (result, overflow) = value.multipliedReportingOverflow(by: 1_000)
            return overflow ? nil : result
        case .microseconds:
            return value
        case .nanoseconds:
            return value >= 0 ? value / 1_000 : (value - 999) / 1_000
        }
    }

    /// The `YYYY-MM-DD(T|t| )HH:MM:SS` that `bytes` (at least 19 of them) starts with: days since the
    /// epoch (validated against the calendar), hour, minute and second, or nil.
    ///
    /// Reads the 19 bytes as three words and checks every digit and separator of a word at once.
    @inline(__always)
    private static func dateTime(_ bytes: UnsafeRawBufferPointer) -> (Int64, Int, Int, Int)? {
        // Digits become 0...9 (the zero-based ASCII offset).
        let date = self.word(bytes, 0) ^ Self.zeroes  // YYYY-MM-
        let time = self.word(bytes, 8) ^ Self.zeroes  // DD?HH:MM
        guard self.areDigits(date, 0x00FF_FF00_FFFF_FFFF), self.areDigits(time, 0x0000_0000_0000_FFFF),
            date & 0xFF00_00FF_0000_0000 == 0x1D00_001D_0000_0000,  // the two '-'
            let (hour, minute, second) = self.timeOfDay(bytes)
        else { return nil }
        let year =
            self.digit(date, 0) * 1000 + self.digit(date, 1) * 100 + self.digit(date, 2) * 10 + self.digit(date, 3)
        let month = self.digit(date, 5) * 10 + self.digit(date, 6)
        let day = self.digit(time, 0) * 10 + self.digit(time, 1)
        guard let days = self.days(year: year, month: month, day: day) else { return nil }
        return (days, hour, minute, second)
    }

    /// The `(T|t| )HH:MM:SS` of the 19 bytes `bytes` starts with (bytes 10 to 18): hour, minute and second,
    /// or nil.
    @inline(__always)
    private static func timeOfDay(_ bytes: UnsafeRawBufferPointer) -> (Int, Int, Int)? {
        let time = self.word(bytes, 8) ^ Self.zeroes  // DD?HH:MM
        let seconds = self.word(bytes, 11) ^ Self.zeroes  // HH:MM:SS
        let separator = bytes[10]
        guard self.areDigits(time, 0xFFFF_00FF_FF00_0000), self.areDigits(seconds, 0xFFFF_0000_0000_0000),
            time & 0x0000_FF00_0000_0000 == 0x0000_0A00_0000_0000,  // ':'
            seconds & 0x0000_FF00_0000_0000 == 0x0000_0A00_0000_0000,  // ':'
            separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " ")
        else { return nil }
        let hour = self.digit(time, 3) * 10 + self.digit(time, 4)
        let minute = self.digit(time, 6) * 10 + self.digit(time, 7)
        let second = self.digit(seconds, 6) * 10 + self.digit(seconds, 7)
        guard hour < 24, minute < 60, second <= 60 else { return nil }
        return (hour, minute, second)
    }

    private static var zeroes: UInt64 { 0x3030_3030_3030_3030 }

    /// 10^0 ... 10^6.
    private static var powersOfTen: InlineArray<7, Int64> { [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000] }

    @inline(__always)
    private static func word(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// Whether the bytes of `word` (ASCII minus '0') under `mask` are all 0...9: a byte of 10 or more
    /// reaches 0x80 when 0x76 is added to its low seven bits (no carry into the next byte), and a byte
    /// of 0x80 or more has that bit already.
    @inline(__always)
    private static func areDigits(_ word: UInt64, _ mask: UInt64) -> Bool {
        (((word & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7676_7676_7676_7676) | word) & 0x8080_8080_8080_8080 & mask == 0
    }

    /// Byte `index` of `word`, a digit already checked.
    @inline(__always)
    private static func digit(_ word: UInt64, _ index: Int) -> Int {
        Int(truncatingIfNeeded: (word >> UInt64(8 * index)) & 0xFF)
    }

    /// Days of the `YYYY-MM-DD` at `offset`, validated against the calendar.
    private static func days(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> Int64? {
        guard bytes.count >= offset + 10, let year = self.digits(bytes, offset, 4),
            bytes[offset + 4] == UInt8(ascii: "-"), let month = self.digits(bytes, offset + 5, 2),
            bytes[offset + 7] == UInt8(ascii: "-"), let day = self.digits(bytes, offset + 8, 2)
        else { return nil }
        return self.days(year: year, month: month, day: day)
    }

    /// Days since the epoch of a calendar date, or nil when the month or day does not exist.
    @inline(__always)
    private static func days(year: Int, month: Int, day: Int) -> Int64? {
        guard (1...12).contains(month), day >= 1, day <= self.daysInMonth(year: year, month: month) else { return nil }
        return self.daysFromCivil(year: Int64(year), month: Int64(month), day: Int64(day))
    }

    private static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Howard Hinnant's `days_from_civil`.
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    @inline(__always)
    private static func digit(_ byte: UInt8) -> Int? {
        byte >= 48 && byte <= 57 ? Int(byte - 48) : nil
    }

    @inline(__always)
    private static func digits(_ bytes: UnsafeRawBufferPointer, _ offset: Int, _ count: Int) -> Int? {
        guard offset + count <= bytes.count else { return nil }
        var value = 0
        for index in offset..<(offset + count) {
            guard let digit = self.digit(bytes[index]) else { return nil }
            value = value * 10 + digit
        }
        return value
    }
}
