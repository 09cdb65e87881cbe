/// The one error type of the `Parquet` module.
///
/// Callers switch on ``code``; ``message`` says what failed and names the column, page or
/// value involved.
public struct ParquetError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case invalidSchema
            case invalidArgument
            case invalidData
            case unsupported
            case compression
            case corrupt
            case io
            case limitExceeded
        }
        private var base: Base
        private init(_ base: Base) { self.base = base }

        /// The schema is not valid Parquet (for example a required map key missing).
        public static let invalidSchema = Self(.invalidSchema)
        /// An argument is out of range or inconsistent with the schema.
        public static let invalidArgument = Self(.invalidArgument)
        /// Values or levels handed to the writer are inconsistent.
        public static let invalidData = Self(.invalidData)
        /// A feature, encoding or codec that this build does not support.
        public static let unsupported = Self(.unsupported)
        /// A codec failed to compress or decompress.
        public static let compression = Self(.compression)
        /// Bytes that do not decode as Parquet.
        public static let corrupt = Self(.corrupt)
        /// The sink or source failed.
        public static let io = Self(.io)
        /// A size or count limit was exceeded.
        public static let limitExceeded = Self(.limitExceeded)

        public var description: String { "\(self.base)" }
    }

    public var code: Code
    public var message: String
    public var location: (fileID: String, line: Int)

    public init(_ code: Code, _ message: String, fileID: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.location = (fileID, line)
    }

    public var description: String { "\(self.code): \(self.message)" }
}
