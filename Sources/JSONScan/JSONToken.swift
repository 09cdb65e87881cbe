/// One token pulled from a ``JSONScanner``.
///
/// Tokens carry byte ranges into the scanner's input, never copies, so pulling a token allocates nothing.
public enum JSONToken: Equatable, Sendable {
    /// `{`
    case beginObject
    /// `}`
    case endObject
    /// `[`
    case beginArray
    /// `]`
    case endArray
    /// An object member's name; the scanner has already consumed the `:` that follows it.
    case key(JSONStringToken)
    /// A string value.
    case string(JSONStringToken)
    /// A number value.
    case number(JSONNumberToken)
    /// `true` or `false`.
    case bool(Bool)
    /// `null`
    case null
    /// The top-level value is complete and only whitespace followed it. Pulling again returns this again.
    case endOfInput
}
