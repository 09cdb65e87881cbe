import Testing

@testable import LaketapConvert

@Suite struct JSONSchemaImporterTests {
    static let document = #"""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "$id": "https://example.com/order.schema.json",
          "title": "Order",
          "type": "object",
          "properties": {
            "order_id": { "type": "string", "format": "uuid" },
            "placed_at": { "type": "string", "format": "date-time" },
            "delivery_day": { "type": ["string", "null"], "format": "date" },
            "status": { "enum": ["new", "paid", "shipped"] },
            "quantity": { "type": "integer" },
            "total": { "type": "number" },
            "gift": { "type": "boolean" },
            "customer": {
              "type": "object",
              "properties": {
                "id": { "type": "integer" },
                "email": { "type": "string", "format": "email" },
                "address": { "$ref": "#/$defs/address" }
              },
              "required": ["id"]
            },
            "lines": {
              "type": "array",
              "items": {
                "type": "object",
                "properties": {
                  "sku": { "type": "string" },
                  "price": { "type": ["number", "integer"] }
                },
                "required": ["sku", "price"]
              }
            },
            "attributes": { "type": "object", "additionalProperties": { "type": "string" } },
            "coupon": { "anyOf": [{ "type": "string" }, { "type": "null" }] },
            "note": { "type": ["string", "null"] },
            "extra": { "oneOf": [{ "type": "string" }, { "type": "integer" }] },
            "blob": { "type": "object" },
            "z_last": { "type": "integer" }
          },
          "required": ["order_id", "placed_at", "note", "lines"],
          "$defs": {
            "address": {
              "type": "object",
              "properties": { "city": { "type": "string" }, "zip": { "type": "string" } }
            }
          }
        }
        """#

    @Test func importsARealisticDocumentInDocumentOrder() throws {
        var importer = JSONSchemaImporter()
        let schema = try importer.importSchema(Array(Self.document.utf8))
        #expect(
            schema.fields == [
                StreamField("order_id", .string, isNullable: false),
                StreamField("placed_at", .timestamp(.text), isNullable: false),
                StreamField("delivery_day", .date),
                StreamField("status", .string),
                StreamField("quantity", .int64),
                StreamField("total", .double),
                StreamField("gift", .boolean),
                StreamField(
                    "customer",
                    .object([
                        StreamField("id", .int64, isNullable: false),
                        StreamField("email", .string),
                        StreamField("address", .object([StreamField("city", .string), StreamField("zip", .string)])),
                    ])
                ),
                StreamField(
                    "lines",
                    .list(
                        .object([
                            StreamField("sku", .string, isNullable: false),
                            StreamField("price", .double, isNullable: false),
                        ])
                    ),
                    isNullable: false
                ),
                StreamField("attributes", .map(.string)),
                StreamField("coupon", .string),
                StreamField("note", .string),  // required, but null is allowed
                StreamField("extra", .json),
                StreamField("blob", .json),
                StreamField("z_last", .int64),
            ]
        )
        #expect(schema.overflowColumn == "_extra")
        #expect(
            importer.notes == [
                "/properties/extra: oneOf of several types is kept as JSON",
                "/properties/blob: an object without 'properties' or 'additionalProperties' is kept as JSON",
            ]
        )
        _ = try schema.parquetSchema()
    }

    @Test func closedRootRejectsUnknownFieldsAndRecursionIsJSON() throws {
        var importer = JSONSchemaImporter()
        let schema = try importer.importSchema(
            Array(
                #"""
                {"type": "object", "additionalProperties": false,
                 "properties": {"node": {"$ref": "#/definitions/node"}},
                 "definitions": {"node": {"type": "object", "properties": {
                    "value": {"type": "integer"}, "next": {"$ref": "#/definitions/node"}}}}}
                """#.utf8
            )
        )
        #expect(schema.overflowColumn == nil)
        #expect(
            schema.fields == [
                StreamField("node", .object([StreamField("value", .int64), StreamField("next", .json)]))
            ]
        )
        #expect(
            importer.notes == [
                "/definitions/node/properties/next/$ref: the recursive reference '#/definitions/node' is kept as JSON"
            ]
        )
    }

    @Test(arguments: [
        (
            #"{"type": "object", "properties": {"a": {"type": "strng"}}}"#,
            "JSON Schema /properties/a/type: unknown type 'strng'"
        ),
        (
            #"{"type": "object", "properties": {"a~b/c": {"type": 5}}}"#,
            "JSON Schema /properties/a~0b~1c/type: expected a type name"
        ),
        (
            #"{"type": "object", "properties": {"a": {"type": ["integer", 7]}}}"#,
            "JSON Schema /properties/a/type/1: expected a type name"
        ),
        (
            ##"{"type": "object", "properties": {"a": {"$ref": "#/$defs/missing"}}}"##,
            "JSON Schema /properties/a/$ref: the reference '#/$defs/missing' points to nothing"
        ),
        (
            #"{"type": "object", "properties": {"a": {"$ref": "other.json#/x"}}}"#,
            "JSON Schema /properties/a/$ref: only local references"
        ),
        (
            #"{"type": "object", "properties": {"a": {"type": "array", "items": 3}}}"#,
            "JSON Schema /properties/a/items: expected a schema object"
        ),
        (
            #"{"type": "object", "properties": {"a": {"type": "string"}}, "required": "a"}"#,
            "JSON Schema /required: expected an array"
        ),
        (#"{"type": "array", "items": {"type": "string"}}"#, "the root must be an object schema"),
        (#"{"type": "object", "properties": {"a": }"#, "JSON Schema: invalid JSON"),
    ])
    func errorsNameTheJSONPointer(document: String, expected: String) {
        var importer = JSONSchemaImporter()
        do {
            _ = try importer.importSchema(Array(document.utf8))
            Issue.record("expected an error for \(document)")
        } catch {
            #expect(error.code == .schema)
            #expect(error.message.contains(expected), "\(error.message)")
        }
    }
}
