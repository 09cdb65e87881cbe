import Testing

@testable import LaketapConvert

@Suite struct SchemaDeclarationTests {
    @Test func parsesEveryTypeAndOption() throws {
        let schema = try SchemaDeclaration.parse(
            """
            fields:
              - name: time
                type: timestamp
                required: true
              - { name: at_s, type: timestamp, format: epoch_s }
              - { name: at_ms, type: timestamp, format: epoch_ms }
              - { name: at_us, type: timestamp, format: epoch_us }
              - { name: at_ns, type: timestamp, format: epoch_ns }
              - { name: at_text, type: timestamp, format: rfc3339, required: false }
              - { name: ok, type: boolean }
              - { name: count, type: int64, required: true }
              - { name: ratio, type: double }
              - { name: text, type: string }
              - { name: day, type: date }
              - { name: raw, type: json }
              - name: tags
                type: list
                items: { type: string }
              - name: matrix
                type: list
                items: { type: list, items: { type: double } }
              - name: args
                type: map
                values: { type: string }
              - name: spans
                type: map
                values: { type: timestamp, format: epoch_ms }
              - name: user
                type: object
                fields:
                  - { name: id, type: int64, required: true }
                  - { name: roles, type: list, items: { type: object, fields: [ { name: name, type: string } ] } }
            overflow_column: _rest
            """
        )
        #expect(
            schema.fields == [
                StreamField("time", .timestamp(.text), isNullable: false),
                StreamField("at_s", .timestamp(.epoch(.seconds))),
                StreamField("at_ms", .timestamp(.epoch(.milliseconds))),
                StreamField("at_us", .timestamp(.epoch(.microseconds))),
                StreamField("at_ns", .timestamp(.epoch(.nanoseconds))),
                StreamField("at_text", .timestamp(.text)),
                StreamField("ok", .boolean),
                StreamField("count", .int64, isNullable: false),
                StreamField("ratio", .double),
                StreamField("text", .string),
                StreamField("day", .date),
                StreamField("raw", .json),
                StreamField("tags", .list(.string)),
                StreamField("matrix", .list(.list(.double))),
                StreamField("args", .map(.string)),
                StreamField("spans", .map(.timestamp(.epoch(.milliseconds)))),
                StreamField(
                    "user",
                    .object([
                        StreamField("id", .int64, isNullable: false),
                        StreamField("roles", .list(.object([StreamField("name", .string)]))),
                    ])
                ),
            ]
        )
        #expect(schema.overflowColumn == "_rest")
        _ = try schema.parquetSchema()
    }

    @Test func overflowColumnDefaultsToTheCallersAndNullRejects() throws {
        let fields = "fields: [ { name: a, type: string } ]\n"
        #expect(try SchemaDeclaration.parse(fields).overflowColumn == "_extra")
        #expect(try SchemaDeclaration.parse(fields, defaultOverflowColumn: nil).overflowColumn == nil)
        #expect(try SchemaDeclaration.parse(fields + "overflow_column: null\n").overflowColumn == nil)
        #expect(try SchemaDeclaration.parse(fields + "overflow_column: ~\n").overflowColumn == nil)
        #expect(try SchemaDeclaration.parse(fields + "overflow_column: spill\n").overflowColumn == "spill")
    }

    @Test(arguments: [
        (
            "fields:\n  - { name: a, type: string }\n  - { name: b, type: strng }\n",
            "fields[1].type: unknown type 'strng' (expected one of boolean, int64, double, string, timestamp, date, json, object, list, map) (line 3)"
        ),
        ("fields:\n  - { name: a, type: string, reqired: true }\n", "fields[0].reqired: unknown key 'reqired'"),
        (
            "fields:\n  - { name: a, type: timestamp, format: epoch_days }\n",
            "fields[0].format: unknown timestamp format 'epoch_days'"
        ),
        (
            "fields:\n  - { name: a, type: string, format: epoch_s }\n",
            "fields[0].format: 'format' applies to type timestamp, not string"
        ),
        ("fields:\n  - { name: a, type: list }\n", "fields[0]: type list needs 'items'"),
        ("fields:\n  - { name: a, type: map, values: { type: nope } }\n", "fields[0].values.type: unknown type 'nope'"),
        ("fields:\n  - { name: a, type: object }\n", "fields[0]: type object needs 'fields'"),
        (
            "fields:\n  - name: u\n    type: object\n    fields:\n      - { name: x, type: int64, required: maybe }\n",
            "fields[0].fields[0].required: expected true or false (line 5)"
        ),
        (
            "fields:\n  - { name: a, type: string }\n  - { name: a, type: int64 }\n",
            "fields[1].name: duplicate field name 'a'"
        ),
        ("fields:\n  - { type: string }\n", "fields[0].name: expected a non-empty field name"),
        ("fields:\n  - { name: a }\n", "fields[0]: missing 'type'"),
        ("fields: []\n", "fields: expected a non-empty list of fields"),
        ("field: []\n", "field: unknown key 'field'"),
        ("overflow_column: x\n", "missing 'fields'"),
        (
            "fields:\n  - { name: a, type: string }\noverflow_column: a\n",
            "overflow_column: 'a' is also the name of a declared field"
        ),
        ("fields: [ { name: a, type: string\n", "invalid YAML"),
        ("- a\n- b\n", "the declaration must be a mapping"),
    ])
    func errorsNameThePathAndTheProblem(yaml: String, expected: String) {
        do {
            _ = try SchemaDeclaration.parse(yaml)
            Issue.record("expected an error for \(yaml)")
        } catch {
            #expect(error.code == .schema)
            #expect(error.message.contains(expected), "\(error.message)")
        }
    }
}
