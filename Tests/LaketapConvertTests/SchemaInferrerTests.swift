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
}
