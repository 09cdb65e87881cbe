import JSONScan
import Testing

@testable import LaketapConvert

@Suite struct PartitionTemplateTests {
    static func path(
        _ template: String,
        _ record: String,
        epochUnit: EpochUnit = .seconds
    ) throws -> Result<String, RecordRejection> {
        let parsed = try PartitionTemplate(parsing: template, epochUnit: epochUnit)
        return Array(record.utf8).withUnsafeBytes { parsed.partitionPath(for: $0) }
    }

    static func success(_ template: String, _ record: String, epochUnit: EpochUnit = .seconds) throws -> String {
        try Self.path(template, record, epochUnit: epochUnit).get()
    }

    @Test func fieldsAndTimeMakeHiveStylePaths() throws {
        let template = "name={name}/date={tstamp:%Y-%m-%d}/hour={tstamp:%H}"
        #expect(
            try Self.success(template, #"{"tstamp":"2023-07-02T22:13:20.5+02:00","x":[1,{"a":2}],"name":"signup"}"#)
                == "name=signup/date=2023-07-02/hour=20"
        )
        #expect(
            try Self.success(template, #"{"name":"a","tstamp":"2023-06-18 00:00:00.397618"}"#)
                == "name=a/date=2023-06-18/hour=00"
        )
    }

    @Test func dottedPathsReachIntoNestedObjects() throws {
        let template = "country={user.country}/city={user.address.city}/plan={plan}"
        let record = #"{"user":{"id":1,"address":{"zip":"x","city":"Paris"},"country":"FR"},"plan":3}"#
        #expect(try Self.success(template, record) == "country=FR/city=Paris/plan=3")
        #expect(
            try Self.success(template, #"{"user":{"country":"DE"}}"#)
                == "country=DE/city=__HIVE_DEFAULT_PARTITION__/plan=__HIVE_DEFAULT_PARTITION__"
        )
        #expect(try Self.success(template, #"{"user":"flat","plan":true}"#).hasSuffix("plan=true"))
        // Escaped keys match their unescaped names.
        #expect(try Self.success("c={user.country}", #"{"us\u0065r":{"country":"IT"}}"#) == "c=IT")
    }

    @Test func missingNullAndEmptyValuesUseTheDefaultPartition() throws {
        let template = "a={a}/b={b}/c={c}/t={t:%Y}"
        #expect(
            try Self.success(template, #"{"b":null,"c":""}"#)
                == "a=__HIVE_DEFAULT_PARTITION__/b=__HIVE_DEFAULT_PARTITION__/c=__HIVE_DEFAULT_PARTITION__/t=__HIVE_DEFAULT_PARTITION__"
        )
    }

    @Test(arguments: [
        ("a/b", "a%2Fb"), ("k=v", "k%3Dv"), ("50%", "50%25"), ("a:b", "a%3Ab"), ("line\nbreak\t", "line%0Abreak%09"),
        (#"q"'#*?\{[]^"#, "q%22%27%23%2A%3F%5C%7B%5B%5D%5E"), ("\u{7F}", "%7F"),
        ("é ü+~!@$&(),;<>|}", "é ü+~!@$&(),;<>|}"),
    ])
    func escapesValuesAsHiveDoes(value: String, escaped: String) throws {
        var record: [UInt8] = []
        JSONShredder.appendQuoted(value, to: &record)
        let json = #"{"v":"# + String(decoding: record, as: UTF8.self) + "}"
        #expect(try Self.success("v={v}", json) == "v=" + escaped)
        #expect(PartitionTemplate.escape(value) == escaped)
    }

    @Test func dotsAndHiddenNamesAreMadeSafe() throws {
        #expect(try Self.success("{v}", #"{"v":"."}"#) == "%2E")
        #expect(try Self.success("{v}", #"{"v":".."}"#) == "%2E%2E")
        #expect(try Self.success("{v}/x", #"{"v":"_tmp"}"#) == "%5Ftmp/x")
        #expect(try Self.success("{v}", #"{"v":".git"}"#) == "%2Egit")
        #expect(try Self.success("v={v}", #"{"v":".."}"#) == "v=..")
        #expect(try Self.success("{a}{b}", #"{"a":".","b":"."}"#) == "%2E%2E")
        #expect(try Self.success("{v}", #"{}"#) == "__HIVE_DEFAULT_PARTITION__")
        #expect(PartitionTemplate.escape("") == "__HIVE_DEFAULT_PARTITION__")
    }

    @Test func timeConversions() throws {
        let template = "{t:%Y|%m|%d|%H|%M|%S|%j|Q%Q|%G-W%V|100%%}"
        #expect(
            try Self.success(template, #"{"t":"2024-12-31T23:59:58.999Z"}"#)
                == "2024|12|31|23|59|58|366|Q4|2025-W01|100%25"
        )
        #expect(
            try Self.success(template, #"{"t":"2023-03-31T00:00:00Z"}"#) == "2023|03|31|00|00|00|090|Q1|2023-W13|100%25"
        )
        // A date alone is midnight UTC; epoch numbers use the template's unit.
        #expect(try Self.success("{t:%Y-%m-%d %H}", #"{"t":"2023-07-02"}"#) == "2023-07-02 00")
        #expect(try Self.success("{t:%Y-%m-%dT%H}", #"{"t":1688300000}"#) == "2023-07-02T12")
        #expect(
            try Self.success("{t:%Y-%m-%dT%H}", #"{"t":1688300000123}"#, epochUnit: .milliseconds) == "2023-07-02T12"
        )
        #expect(try Self.success("{t:%Y-%m-%dT%H%M%S}", #"{"t":1688300000.9}"#) == "2023-07-02T121320")
        #expect(try Self.success("{t:%Y-%m-%d}", #"{"t":-1}"#) == "1969-12-31")
    }

    @Test(arguments: [
        ("2020-12-31", "2020-W53 Q4 366"), ("2021-01-01", "2020-W53 Q1 001"), ("2021-01-03", "2020-W53 Q1 003"),
        ("2021-01-04", "2021-W01 Q1 004"), ("2024-12-29", "2024-W52 Q4 364"), ("2024-12-30", "2025-W01 Q4 365"),
        ("2016-01-03", "2015-W53 Q1 003"), ("2008-12-29", "2009-W01 Q4 364"), ("2026-12-31", "2026-W53 Q4 365"),
        ("2027-01-01", "2026-W53 Q1 001"), ("2023-07-02", "2023-W26 Q3 183"), ("2000-02-29", "2000-W09 Q1 060"),
    ])
    func isoWeeksAndQuartersAcrossYearBoundaries(date: String, expected: String) throws {
        #expect(try Self.success("{t:%G-W%V Q%Q %j}", #"{"t":"\#(date)T12:00:00Z"}"#) == expected)
    }

    @Test func granularitiesAreTemplates() throws {
        let record = #"{"at":"2024-12-30T05:06:07Z"}"#
        let expected: [PartitionTemplate.Granularity: String] = [
            .hourly: "date=2024-12-30/hour=05", .daily: "date=2024-12-30", .weekly: "week=2025-W01",
            .monthly: "month=2024-12", .quarterly: "quarter=2024-Q4",
        ]
        for granularity in PartitionTemplate.Granularity.allCases {
            #expect(try Self.success(granularity.template(timeField: "at"), record) == expected[granularity])
        }
    }

    @Test func arrivalTimeIsTheCallersClock() throws {
        let template = try PartitionTemplate(parsing: "source={s}/arrived={@arrival:%Y-%m-%d}")
        let record = Array(#"{"s":"web"}"#.utf8)
        let path = record.withUnsafeBytes { template.partitionPath(for: $0, arrival: 1_688_300_000_000_000) }
        #expect(try path.get() == "source=web/arrived=2023-07-02")
        #expect(template.fieldPaths == ["s"])
        #expect(template.sources == [.field(["s"]), .arrival])
    }

    @Test func rejectsRecordsThatCannotBeRouted() throws {
        #expect(throws: RecordRejection.self) { try Self.path("v={v}", #"{"v":{"a":1}}"#).get() }
        #expect(throws: RecordRejection.self) { try Self.path("v={v}", #"{"v":[1]}"#).get() }
        #expect(throws: RecordRejection.self) { try Self.path("t={t:%Y}", #"{"t":"yesterday"}"#).get() }
        #expect(throws: RecordRejection.self) { try Self.path("t={t:%Y}", #"{"t":true}"#).get() }
        #expect(throws: RecordRejection.self) { try Self.path("v={v}", String(repeating: "x", count: 3)).get() }
        #expect(throws: RecordRejection.self) {
            try Self.path("v={v}", #"{"v":"\#(String(repeating: "x", count: 260))"}"#).get()
        }
        if case .failure(let rejection) = try Self.path("v={v}", "[1]") { #expect(rejection.code == .notAnObject) }
        if case .failure(let rejection) = try Self.path("v={v}", #"{"v":{"a":1}}"#) {
            #expect(rejection.code == .invalidPartition)
            #expect(rejection.message.contains("'v'"))
        }
        if case .failure(let rejection) = try Self.path("v={v}", #"{"v":1"#) { #expect(rejection.code == .invalidJSON) }
    }

    @Test func stopsScanningOnceEveryFieldIsFound() throws {
        // The broken tail is never reached: the shredder, not the template, rejects such a record.
        #expect(try Self.success("v={v}", #"{"v":"x", "w": nonsense"#) == "v=x")
    }

    @Test(arguments: [
        ("", 1, "empty"), ("a={b", 3, "'{' without"), ("a=b}", 4, "'}' without"), ("a={}", 4, "field name"),
        ("a={b..c}", 6, "empty member"), ("/a={b}", 1, "empty directory"), ("a={b}/", 7, "empty directory"),
        ("a//b={c}", 3, "empty directory"), ("x/../{a}", 3, "'..'"), ("t={t:%Y-%q}", 9, "'%q'"),
        ("t={t:%}", 6, "'%' at the end"), ("t={t:abc}", 5, "no conversion"), ("t={t:%Y/%m}", 8, "'/'"),
        ("a={@now:%Y}", 4, "unknown source"), ("a={@arrival}", 4, "needs a time format"), ("a\\b={c}", 2, "'\\'"),
        ("a={b{c}}", 3, "'{' without"),
    ])
    func validationErrorsNameThePosition(template: String, position: Int, message: String) {
        do {
            _ = try PartitionTemplate(parsing: template)
            Issue.record("'\(template)' parsed")
        } catch {
            #expect(error.code == .options)
            #expect(error.message.contains("position \(position):"), "\(error.message)")
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test func timeFieldsMatchTheCalendar() {
        // Every day from 1900 to 2100 round-trips through the civil conversion.
        for days in Int64(-25_567)...Int64(47_482) {
            let (year, month, day) = TimeFormatter.civil(days: days)
            #expect(TimestampParser.daysFromCivil(year: year, month: month, day: day) == days)
        }
    }
}
