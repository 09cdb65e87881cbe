public import JSONScan

/// Why a record was not written: it lands in the rejects (dead-letter) output with this reason.
public struct RecordRejection: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case invalidJSON, notAnObject, missingField, typeMismatch, unknownField, duplicateKey, invalidPartition
        }
        private var base: Base
        private init(_ base: Base) { self.base = base }

        /// The record is not valid JSON.
        public static let invalidJSON = Self(.invalidJSON)
        /// The record is valid JSON but not an object.
        public static let notAnObject = Self(.notAnObject)
        /// A required field is absent or null.
        public static let missingField = Self(.missingField)
        /// A value does not fit its field's type and there is no overflow column.
        public static let typeMismatch = Self(.typeMismatch)
        /// A field the schema does not have, and there is no overflow column.
        public static let unknownField = Self(.unknownField)
        /// The same key twice in one object, and there is no overflow column.
        public static let duplicateKey = Self(.duplicateKey)
        /// The record's partition path cannot be built: a partition field holds a container, a time
        /// placeholder's field is not an instant, or a directory would be too long.
        public static let invalidPartition = Self(.invalidPartition)

        public var description: String {
            switch self.base {
            case .invalidJSON: "invalid_json"
            case .notAnObject: "not_an_object"
            case .missingField: "missing_field"
            case .typeMismatch: "type_mismatch"
            case .unknownField: "unknown_field"
            case .duplicateKey: "duplicate_key"
            case .invalidPartition: "invalid_partition"
            }
        }
    }

    public var code: Code
    /// What is wrong, naming the field path and the expected type.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// A record the scanner or the framer found to be invalid JSON.
    public init(_ error: JSONScanError) {
        self.init(.invalidJSON, error.description)
    }

    public var description: String { "\(self.code): \(self.message)" }
}
