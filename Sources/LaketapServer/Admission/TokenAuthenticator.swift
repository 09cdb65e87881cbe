/// Checks the static bearer tokens of ``ServerConfiguration`` against the token a request presents.
///
/// A stream accepts the global tokens and its own. Every accepted token of the stream is compared, in
/// constant time for its length and without stopping at the first match, so the time taken does not
/// tell which token or how many of its leading bytes matched. It does tell the lengths of the
/// configured tokens, as any comparison over differing lengths does; use tokens of one length (for
/// example 32 random bytes, hex-encoded) to hide that too. Tokens are never logged.
struct TokenAuthenticator: Sendable {
    /// What the request's credentials amount to.
    enum Outcome: Equatable, Sendable {
        /// The request may proceed (a token matched, or no token is configured anywhere).
        case allowed
        /// No credentials (`401`).
        case missing
        /// Credentials that are not a bearer token (`401`).
        case malformed
        /// A well-formed token that this stream does not accept (`403`).
        case forbidden
    }

    private let globalTokens: [[UInt8]]
    private let streamTokens: [String: [[UInt8]]]
    /// Whether any token is configured; when not, every request is allowed.
    let isEnabled: Bool

    init(tokens: [String], streamTokens: [String: [String]]) {
        self.globalTokens = tokens.map { Array($0.utf8) }
        self.streamTokens = streamTokens.mapValues { $0.map { Array($0.utf8) } }
        self.isEnabled = !tokens.isEmpty || streamTokens.values.contains { !$0.isEmpty }
    }

    /// Decides on a presented token for `stream`. `presented` is `nil` when the request had no credentials,
    /// and ``Credential/malformed`` when it had some that are not a bearer token.
    func authenticate(_ presented: Credential, stream: String) -> Outcome {
        guard self.isEnabled else { return .allowed }
        let token: [UInt8]
        switch presented {
        case .none: return .missing
        case .malformed: return .malformed
        case .token(let value): token = value
        }
        var matched: UInt8 = 0
        for candidate in self.globalTokens {
            matched |= Self.constantTimeEqual(candidate, token)
        }
        for candidate in self.streamTokens[stream] ?? [] {
            matched |= Self.constantTimeEqual(candidate, token)
        }
        return matched == 1 ? .allowed : .forbidden
    }

    /// `1` when `expected` and `presented` hold the same bytes, else `0`. The time depends on the lengths only.
    static func constantTimeEqual(_ expected: [UInt8], _ presented: [UInt8]) -> UInt8 {
        var difference: UInt64 = expected.count == presented.count ? 0 : 1
        let count = max(expected.count, presented.count)
        var index = 0
        while index < count {
            let left = index < expected.count ? expected[index] : 0
            let right = index < presented.count ? presented[index] : 0
            difference |= UInt64(left ^ right)
            index += 1
        }
        // difference is below 256, so (difference - 1) has its top bit set exactly when difference is 0.
        let isZero = (difference &- 1) >> 63
        return UInt8(truncatingIfNeeded: isZero)
    }
}

/// The credentials a request presents.
enum Credential: Equatable, Sendable {
    /// No `Authorization` or `X-Laketap-Token` header.
    case none
    /// An `Authorization` header that is not `Bearer <token>`, or an empty token.
    case malformed
    /// The token's bytes.
    case token([UInt8])

    /// Reads `Authorization: Bearer <token>` (the scheme in any case) or else `X-Laketap-Token: <token>`.
    init(authorization: String?, tokenHeader: String?) {
        if let authorization {
            let trimmed = authorization.utf8.drop(while: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
            let scheme = Array("bearer ".utf8)
            guard trimmed.count > scheme.count,
                zip(trimmed.prefix(scheme.count), scheme).allSatisfy({ Self.lowercased($0) == $1 })
            else {
                self = .malformed
                return
            }
            self = Self.parse(trimmed.dropFirst(scheme.count))
        } else if let tokenHeader {
            self = Self.parse(tokenHeader.utf8[...])
        } else {
            self = .none
        }
    }

    private static func parse(_ bytes: Substring.UTF8View) -> Self {
        let isBlank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        let value = Array(bytes.drop(while: isBlank).reversed().drop(while: isBlank).reversed())
        guard !value.isEmpty, !value.contains(where: isBlank) else { return .malformed }
        return .token(value)
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }
}
