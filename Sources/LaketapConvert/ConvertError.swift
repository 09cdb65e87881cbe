/// The one error type of `LaketapConvert` for failures of the conversion itself (not of a record).
public struct ConvertError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable { case input, output, schema, options }
        private var base: Base
        private init(_ base: Base) { self.base = base }

        public static let input = Self(.input)
        public static let output = Self(.output)
        public static let schema = Self(.schema)
        public static let options = Self(.options)

        public var description: String { "\(self.base)" }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(self.code): \(self.message)" }
}
