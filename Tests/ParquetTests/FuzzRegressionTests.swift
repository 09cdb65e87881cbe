import Foundation
import Testing

@testable import Parquet

/// Inputs the fuzzers found; each must fail with a typed error, never trap.
@Suite struct FuzzRegressionTests {
    static let fixtures = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/fuzz")

    @Test(arguments: ["thrift-schema-children-overrun.bin"])
    func footerBytesFailCleanly(_ name: String) throws {
        let bytes = try [UInt8](Data(contentsOf: Self.fixtures.appendingPathComponent(name)))
        let error = bytes.withUnsafeBytes { raw -> ParquetError? in
            var reader = ThriftCompactReader(raw)
            do {
                let metadata = try FileMetaData(from: &reader)
                _ = try ParquetFileMetadata(metadata, footerLength: raw.count)
                return nil
            } catch let error as ParquetError {
                return error
            } catch {
                return nil
            }
        }
        #expect(error?.code == .corrupt)
    }

    @Test func schemaChildrenBeyondTheElementsAreRejected() {
        // The root promises two children, the first a group that takes the only remaining element.
        let elements = [
            SchemaElement(name: "schema", numChildren: 2),
            SchemaElement(repetitionType: .optional, name: "g", numChildren: 1),
            SchemaElement(type: .int32, repetitionType: .optional, name: "x"),
        ]
        #expect(throws: ParquetError.self) { try ParquetSchema(elements: elements) }
    }
}
