import Testing

@testable import LaketapConvert

@Suite struct SchemaInferrerTests {
    static func infer(_ lines: [String]) -> [StreamField] {
        var inferrer = SchemaInferrer()
        for line in lines { Array(line.utf8).withUnsafeBytes { inferrer.observe($0) } }
        return inferrer.fields
    }

    @Test func infersScalarsInFirstSeenOrder() {
        let fields = Self.infer([#"{"b":true,"i":1,"d":1.5,"s":"x","n":null}"#])
        #expect(fields.map(\.name) == ["b", "i", "d", "s", "n"])
        #expect(fields.map(\.type) == [.boolean, .int64, .double, .string, .string])
        #expect(fields.allSatisfy { $0.isNullable })
    }

    @Test func widensAndFallsBackToJSON() {
        let fields = Self.infer([#"{"a":1,"b":"x","c":[1]}"#, #"{"a":2.5,"b":3,"c":{"k":1},"d":7}"#])
        #expect(fields.map(\.type) == [.double, .json, .json, .int64])
    }

    @Test func recognisesTimestampsAndDates() {
        let fields = Self.infer([
            #"{"t":"2023-07-02T12:13:20.123Z","d":"2023-07-02","s":"2023-07-02T12:13:20Z"}"#,
            #"{"t":"2023-07-02 12:13:21","d":"2023-07-03","s":"later"}"#,
        ])
        #expect(fields.map(\.type) == [.timestamp(.text), .date, .string])
    }

    @Test func nestsObjectsAndArrays() {
        let fields = Self.infer([
            #"{"o":{"x":1},"l":["a"],"e":[]}"#,
            #"{"o":{"y":"z"},"l":[],"e":[[1,2]]}"#,
        ])
        #expect(
            fields.map(\.type) == [
                .object([StreamField("x", .int64), StreamField("y", .string)]), .list(.string), .list(.list(.int64)),
            ]
        )
    }

    @Test func manyDistinctKeysBecomeAMap() {
        var inferrer = SchemaInferrer()
        inferrer.maximumObjectFields = 3
        for line in [#"{"m":{"a":1,"b":2}}"#, #"{"m":{"c":3,"d":4}}"#] {
            Array(line.utf8).withUnsafeBytes { inferrer.observe($0) }
        }
        #expect(inferrer.fields.map(\.type) == [.map(.int64)])
    }

    /// Records whose fields appear, widen and change order as the data goes on.
    /// `records` back to back in one buffer, as a segment holds them, and each one's range in it.
    static func packed(_ records: [[UInt8]]) -> (bytes: [UInt8], ranges: [Range<Int>]) {
        var bytes: [UInt8] = []
        var ranges: [Range<Int>] = []
        for record in records {
            ranges.append(bytes.count..<bytes.count + record.count)
            bytes += record
        }
        return (bytes, ranges)
    }

    static func evolvingRecords(count: Int) -> [String] {
        (0..<count).map { index in
            switch index % 7 {
            case 0: #"{"id":\#(index),"at":"2024-01-02T10:00:00Z","tags":["a"],"o":{"x":1}}"#
            case 1: #"{"at":"2024-01-02 10:00:01","id":\#(index),"o":{"y":"z"},"late\#(index / 3_000)":true}"#
            case 2: #"{"id":\#(Double(index) + 0.5),"tags":[],"m":{"k\#(index % 5)":\#(index)}}"#
            case 3: #"{"id":\#(index),"at":"\#(index > 9_000 ? "not a time" : "2024-01-03T00:00:00Z")"}"#
            case 4: #"{"id":null,"o":null,"esc\u0061ped":"v"}"#
            case 5: "[\(index)]"
            default: #"{"id":\#(index),"mixed":\#(index % 2 == 0 ? "1" : "\"one\"")}"#
            }
        }
    }

    @Test(arguments: [1, 2, 3, 4])
    func inferringInParallelGivesTheSequentialSchema(threads: Int) {
        let records = Self.evolvingRecords(count: 20_000).map { Array($0.utf8) }
        let (bytes, ranges) = Self.packed(records)
        var parallel = SchemaInferrer()
        parallel.maximumObjectFields = 4
        bytes.withUnsafeBytes { bytes in
            parallel.observe(count: ranges.count, threads: threads) { index in
                UnsafeRawBufferPointer(rebasing: bytes[ranges[index]])
            }
        }
        var sequential = SchemaInferrer()
        sequential.maximumObjectFields = 4
        for record in records { record.withUnsafeBytes { sequential.observe($0) } }
        #expect(parallel.fields == sequential.fields)
        #expect(parallel.sampledRecords == sequential.sampledRecords)
        #expect(parallel.fields.map(\.name).starts(with: ["id", "at", "tags", "o", "late0", "m", "escaped", "mixed"]))
        #expect(parallel.fields.first { $0.name == "m" }?.type == .map(.int64))
        #expect(parallel.fields.first { $0.name == "at" }?.type == .string)
    }

    /// `observe` says which records were exactly one object, on one thread or several: `convert`
    /// infers from its sample's lines as they are when every one is, and frames them first otherwise.
    @Test(arguments: [1, 2])
    func observingReportsRecordsThatAreNotExactlyOneObject(threads: Int) {
        var records: [[UInt8]] = []
        var expected: [Int] = []
        for index in 0..<10_000 {
            let line: String
            switch index % 1_000 {
            case 3: line = #"{"a":1}{"b":2}"#
            case 5: line = #"{"a":1,"c":"#
            case 7: line = #"[1,2]"#
            case 9: line = #"{"a":1} x"#
            case 11: line = "  {\"a\":2}\r  "
            default: line = #"{"a":\#(index)}"#
            }
            if [3, 5, 7, 9].contains(index % 1_000) { expected.append(index) }
            records.append(Array(line.utf8))
        }
        let (bytes, ranges) = Self.packed(records)
        var inferrer = SchemaInferrer()
        let others = bytes.withUnsafeBytes { bytes in
            inferrer.observe(count: ranges.count, threads: threads) {
                UnsafeRawBufferPointer(rebasing: bytes[ranges[$0]])
            }
        }
        #expect(others == expected)
        // The first object of a concatenated line was observed, not the second.
        #expect(!inferrer.fields.map(\.name).contains("b"))
        #expect(inferrer.fields.first?.name == "a")
    }

    @Test func aMapInOnePartAndAnObjectInAnotherMergeIntoAMap() {
        var first = SchemaInferrer()
        first.maximumObjectFields = 2
        for line in [#"{"m":{"a":1,"b":2,"c":3}}"#] { Array(line.utf8).withUnsafeBytes { first.observe($0) } }
        var second = SchemaInferrer()
        second.maximumObjectFields = 2
        for line in [#"{"m":{"d":1.5}}"#] { Array(line.utf8).withUnsafeBytes { second.observe($0) } }
        #expect(first.fields.map(\.type) == [.map(.int64)])
        #expect(second.fields.map(\.type) == [.object([StreamField("d", .double)])])
        var merged = second
        merged.merge(first)
        #expect(merged.fields.map(\.type) == [.map(.double)])
        first.merge(second)
        #expect(first.fields.map(\.type) == [.map(.double)])
    }
}
