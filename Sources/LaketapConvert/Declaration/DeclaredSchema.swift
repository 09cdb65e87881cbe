import Foundation

/// A schema given by the user instead of inferred: a YAML declaration, a JSON Schema document or a
/// preset, named as `laketap convert --schema` takes it.
public struct DeclaredSchema: Sendable {
    public var schema: StreamSchema
    /// What an import approximated (JSON Schema constructs kept as JSON), one line each.
    public var notes: [String]

    /// Loads `argument`: `preset:log`, `preset:events`, a `.yaml`/`.yml` declaration
    /// (``SchemaDeclaration``) or a `.json` JSON Schema (``JSONSchemaImporter``).
    ///
    /// - Parameter overflowColumn: the overflow column unless the declaration says otherwise
    ///   (`overflow_column` in YAML, root `additionalProperties: false` in JSON Schema).
    public init(loading argument: String, overflowColumn: String?) throws(ConvertError) {
        self.notes = []
        if argument.hasPrefix("preset:") {
            let name = String(argument.dropFirst("preset:".count))
            guard let preset = SchemaPreset(rawValue: name) else {
                let names = SchemaPreset.allCases.map { "preset:\($0.rawValue)" }.joined(separator: ", ")
                throw ConvertError(.schema, "unknown preset '\(name)' (expected one of \(names))")
            }
            self.schema = preset.schema(overflowColumn: overflowColumn)
            return
        }
        let lowercased = argument.lowercased()
        let isYAML = lowercased.hasSuffix(".yaml") || lowercased.hasSuffix(".yml")
        guard isYAML || lowercased.hasSuffix(".json") else {
            throw ConvertError(
                .schema,
                "\(argument): expected a .yaml/.yml declaration, a .json JSON Schema, or preset:NAME"
            )
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: argument))
        } catch {
            throw ConvertError(.schema, "cannot read the schema \(argument): \(error.localizedDescription)")
        }
        do throws(ConvertError) {
            if isYAML {
                self.schema = try SchemaDeclaration.parse(
                    String(decoding: data, as: UTF8.self),
                    defaultOverflowColumn: overflowColumn
                )
            } else {
                var importer = JSONSchemaImporter()
                importer.defaultOverflowColumn = overflowColumn
                self.schema = try importer.importSchema(Array(data))
                self.notes = importer.notes
            }
        } catch {
            throw ConvertError(.schema, "\(argument): \(error.message)")
        }
    }
}
