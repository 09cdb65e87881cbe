/// UTC calendar fields of a Unix time, as `time.gmtime` gives them (proleptic Gregorian, no leap seconds).
struct CivilTime {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int
    var second: Int

    /// Splits `seconds` since 1970-01-01T00:00:00Z (Howard Hinnant's `civil_from_days`).
    init(unixSeconds seconds: Int) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        self.hour = secondOfDay / 3600
        self.minute = secondOfDay % 3600 / 60
        self.second = secondOfDay % 60
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        self.day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        self.month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        self.year = yearOfEra + era * 400 + (self.month <= 2 ? 1 : 0)
    }

    /// Appends `YYYY-MM-DD<separator>hh:mm:ss`.
    func append(to buffer: inout JSONBuffer, separator: UInt8) {
        buffer.append(decimal: self.year, width: 4)
        buffer.append(UInt8(ascii: "-"))
        buffer.append(decimal: self.month, width: 2)
        buffer.append(UInt8(ascii: "-"))
        buffer.append(decimal: self.day, width: 2)
        buffer.append(separator)
        buffer.append(decimal: self.hour, width: 2)
        buffer.append(UInt8(ascii: ":"))
        buffer.append(decimal: self.minute, width: 2)
        buffer.append(UInt8(ascii: ":"))
        buffer.append(decimal: self.second, width: 2)
    }
}
