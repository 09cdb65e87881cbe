/// Formats instants (microseconds since the epoch) in UTC for partition templates, without Foundation.
enum TimeFormatter {
    struct Fields: Equatable {
        var year: Int64
        var month: Int64
        var day: Int64
        var hour: Int64
        var minute: Int64
        var second: Int64
        /// 1 for 1 January.
        var dayOfYear: Int64
        var isoYear: Int64
        var isoWeek: Int64
    }

    static func fields(_ micros: Int64) -> Fields {
        let seconds = floorDivide(micros, 1_000_000)
        let days = floorDivide(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = self.civil(days: days)
        let dayOfYear = days - TimestampParser.daysFromCivil(year: year, month: 1, day: 1) + 1
        // ISO 8601: Monday is 1; 1970-01-01 was a Thursday.
        let weekday = floorModulo(days + 3, 7) + 1
        var isoYear = year
        var isoWeek = (dayOfYear - weekday + 10) / 7
        if isoWeek < 1 {
            isoYear = year - 1
            isoWeek = self.weeks(inISOYear: isoYear)
        } else if isoWeek > self.weeks(inISOYear: year) {
            isoYear = year + 1
            isoWeek = 1
        }
        return Fields(
            year: year,
            month: month,
            day: day,
            hour: secondOfDay / 3600,
            minute: secondOfDay / 60 % 60,
            second: secondOfDay % 60,
            dayOfYear: dayOfYear,
            isoYear: isoYear,
            isoWeek: isoWeek
        )
    }

    static func format(_ micros: Int64, _ format: [PartitionTemplate.TimeConversion], into output: inout [UInt8]) {
        let fields = self.fields(micros)
        for conversion in format {
            switch conversion {
            case .literal(let text): output.append(contentsOf: text.utf8)
            case .year: self.append(fields.year, width: 4, to: &output)
            case .month: self.append(fields.month, width: 2, to: &output)
            case .day: self.append(fields.day, width: 2, to: &output)
            case .hour: self.append(fields.hour, width: 2, to: &output)
            case .minute: self.append(fields.minute, width: 2, to: &output)
            case .second: self.append(fields.second, width: 2, to: &output)
            case .dayOfYear: self.append(fields.dayOfYear, width: 3, to: &output)
            case .quarter: self.append((fields.month - 1) / 3 + 1, width: 1, to: &output)
            case .isoWeek: self.append(fields.isoWeek, width: 2, to: &output)
            case .isoYear: self.append(fields.isoYear, width: 4, to: &output)
            }
        }
    }

    /// 53 when the ISO year has 53 weeks (it starts on a Thursday, or a leap year starts on a Wednesday).
    static func weeks(inISOYear year: Int64) -> Int64 {
        func p(_ y: Int64) -> Int64 {
            floorModulo(y + floorDivide(y, 4) - floorDivide(y, 100) + floorDivide(y, 400), 7)
        }
        return p(year) == 4 || p(year - 1) == 3 ? 53 : 52
    }

    /// Howard Hinnant's `civil_from_days`.
    static func civil(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func append(_ value: Int64, width: Int, to output: inout [UInt8]) {
        if value < 0 { output.append(UInt8(ascii: "-")) }
        let digits = String(value.magnitude)
        for _ in digits.utf8.count..<max(width, digits.utf8.count) { output.append(UInt8(ascii: "0")) }
        output.append(contentsOf: digits.utf8)
    }
}

@inline(__always)
func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
    let quotient = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
}

@inline(__always)
func floorModulo(_ a: Int64, _ b: Int64) -> Int64 {
    a - floorDivide(a, b) * b
}
