import Testing

@testable import LaketapConvert

@Suite struct TimestampParserTests {
    static func micros(_ text: String) -> Int64? {
        Array(text.utf8).withUnsafeBytes { TimestampParser.microseconds($0) }
    }

    @Test(arguments: [
        ("1970-01-01T00:00:00Z", Int64(0)),
        ("2023-07-02T12:13:20Z", 1_688_300_000_000_000),
        ("2023-07-02T12:13:20.123456Z", 1_688_300_000_123_456),
        ("2023-07-02T12:13:20.123456789Z", 1_688_300_000_123_456),
        ("2023-07-02T12:13:20.1Z", 1_688_300_000_100_000),
        ("2023-07-02T14:13:20+02:00", 1_688_300_000_000_000),
        ("2023-07-02T10:13:20-0200", 1_688_300_000_000_000),
        ("2023-07-02 12:13:20", 1_688_300_000_000_000),
        ("2023-07-02t12:13:20.5z", 1_688_300_000_500_000),
        ("1969-12-31T23:59:59.999999Z", -1),
        ("2024-02-29T00:00:00Z", 1_709_164_800_000_000),
    ])
    func parsesDateTimes(_ text: String, _ expected: Int64) {
        #expect(Self.micros(text) == expected)
    }

    @Test(arguments: [
        "", "2023-07-02", "2023-07-02T12:13", "2023-02-30T00:00:00Z", "2023-13-01T00:00:00Z",
        "2023-07-02T24:00:00Z", "2023-07-02T12:13:20.Z", "2023-07-02T12:13:20.1234567891Z",
        "2023-07-02T12:13:20+2", "2023-07-02T12:13:20Zjunk", "2023/07/02T12:13:20Z", "not a date at all!!",
        // Each digit and separator of the three words read at once (the bytes next to '0' and '9' too).
        "2023-07-0aT12:13:20Z", "2023-07-02T12:13:2:Z", "2023-07-02T12:1/:20Z", "/023-07-02T12:13:20Z",
        "2023-07-02T12-13:20Z", "2023-07-02T12:13-20Z", "2023-07-02X12:13:20Z", "2023-07:02T12:13:20Z",
        "20\u{E9}3-07-02T12:13:20Z", "2023-0\u{7F}-02T12:13:20Z", "2023-07-02T12:13:\u{FF10}Z",
    ])
    func rejectsOtherText(_ text: String) {
        #expect(Self.micros(text) == nil)
    }

    /// With a recent date, every text parses as without one, in any order: the same day's time of day
    /// is still checked, and a rejected text leaves the recent date as it was.
    @Test func aRecentDateChangesNoResult() {
        let texts = [
            "2023-07-02T12:13:20Z", "2023-07-02T23:59:59.999999Z", "2023-07-02T24:00:00Z", "2023-07-02X12:13:20Z",
            "2023-07-02T12:1/:20Z", "2023-07-02T12:13:2:Z", "2023-07-02 00:00:00.5", "2023-07-03T00:00:00Z",
            "2023-07-02T12:13:20+02:00", "2023-02-30T00:00:00Z", "2023-02-30T00:00:00Z", "2024-02-29T01:02:03Z",
            "2023-07-02T12:13:20Zjunk", "2023-07-02T12:13", "", "1969-12-31T23:59:59.999999Z",
        ]
        for rotation in texts.indices {
            var recent = TimestampParser.RecentDate()
            for text in texts[rotation...] + texts[..<rotation] + texts.reversed() {
                let cached = Array(text.utf8).withUnsafeBytes { TimestampParser.microseconds($0, recent: &recent) }
                #expect(cached == Self.micros(text), "\(text)")
            }
        }
    }

    /// Six fraction digits are read as one word: every digit in every place, with a comma, a zone or
    /// more digits after them, and a byte next to the digits in their place.
    @Test func parsesSixFractionDigits() {
        let base: Int64 = 1_688_300_000_000_000
        let places = [100_000, 10_000, 1_000, 100, 10, 1]
        for fraction in [0, 1, 9, 10, 99, 100_000, 123_456, 654_321, 900_009, 999_999] + places.map({ 7 * $0 }) {
            let digits = String(String(fraction + 1_000_000).dropFirst())
            #expect(Self.micros("2023-07-02 12:13:20.\(digits)") == base + Int64(fraction), "\(digits)")
            #expect(Self.micros("2023-07-02T12:13:20,\(digits)Z") == base + Int64(fraction), "\(digits)")
            #expect(Self.micros("2023-07-02T14:13:20.\(digits)+02:00") == base + Int64(fraction), "\(digits)")
            #expect(Self.micros("2023-07-02T12:13:20.\(digits)9Z") == base + Int64(fraction), "\(digits)")
        }
        for text in [
            "2023-07-02 12:13:20.12345a", "2023-07-02 12:13:20.1234/6", "2023-07-02 12:13:20.:23456",
            "2023-07-02 12:13:20;123456", "2023-07-02 12:13:20.123456 ", "2023-07-02 12:13:20.1234567890",
            "2023-07-02 12:13:20.12\u{FF10}56",
        ] {
            #expect(Self.micros(text) == nil, "\(text)")
        }
    }

    @Test func parsesDates() {
        #expect(Array("1970-01-01".utf8).withUnsafeBytes { TimestampParser.date($0) } == 0)
        #expect(Array("2000-03-01".utf8).withUnsafeBytes { TimestampParser.date($0) } == 11_017)
        #expect(Array("1900-02-29".utf8).withUnsafeBytes { TimestampParser.date($0) } == nil)
    }

    @Test func convertsEpochUnits() {
        #expect(TimestampParser.microseconds(epoch: 2, unit: .seconds) == 2_000_000)
        #expect(TimestampParser.microseconds(epoch: 2, unit: .milliseconds) == 2_000)
        #expect(TimestampParser.microseconds(epoch: -1, unit: .nanoseconds) == -1)
        #expect(TimestampParser.microseconds(epoch: Int64.max, unit: .seconds) == nil)
    }
}
