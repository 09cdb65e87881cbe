/// A number found by the scanner: its raw bytes, its kind and, for integers that fit, its exact value.
///
/// Policy (see the DocC article): integers that fit `Int64` are kept exact (``int64``); larger integers
/// are ``Kind/bigInteger`` and keep their digits in ``range`` for the caller to store as text or decimal;
/// numbers with a fraction or exponent are ``Kind/decimal`` and convert with ``double(from:)``,
/// correctly rounded.
public struct JSONNumberToken: Equatable, Sendable {
    /// The shape of the number.
    public enum Kind: UInt8, Equatable, Sendable {
        /// No fraction and no exponent, and the value fits `Int64` (``JSONNumberToken/int64`` is set).
        case integer
        /// No fraction and no exponent, but the value does not fit `Int64`.
        case bigInteger
        /// A fraction, an exponent or both.
        case decimal
    }

    /// Indices into the scanner's buffer of the number's bytes.
    public var range: Range<Int>
    /// The shape of the number.
    public var kind: Kind
    /// The exact value when ``kind`` is ``Kind/integer``, zero otherwise.
    var value: Int64

    /// Creates a token; the scanner is the only producer of valid tokens.
    init(range: Range<Int>, kind: Kind, value: Int64) {
        self.range = range
        self.kind = kind
        self.value = value
    }

    /// The exact value when the number is an integer that fits `Int64`; `nil` otherwise.
    /// `-0` is the integer `0`.
    public var int64: Int64? { self.kind == .integer ? self.value : nil }

    /// The value as the nearest `Double` (ties to even), for every kind.
    ///
    /// Integers convert exactly when they can and round otherwise; `-0` gives `-0.0`. Decimals with at most
    /// 19 significant digits whose mantissa fits in 53 bits and whose decimal exponent is within ±22 take
    /// an exact fast path (one correctly rounded IEEE multiplication or division); everything else goes to
    /// the standard library's correctly rounded `Double(String)`. Magnitudes beyond `Double` become
    /// ±infinity and tiny ones ±0 or a subnormal.
    ///
    /// - Parameter bytes: the buffer the scanner that produced this token read.
    public func double(from bytes: UnsafeRawBufferPointer) -> Double {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[self.range])
        let negative = raw.first == UInt8(ascii: "-")
        if self.kind == .integer {
            if self.value == 0 && negative { return -0.0 }
            return Double(self.value)
        }
        if let fast = Self.fastDouble(raw, negative: negative) { return fast }
        return Double(String(decoding: raw, as: UTF8.self)) ?? .nan  // the scanner validated the syntax
    }

    /// Exact powers of ten that `Double` represents exactly.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
        1e19, 1e20, 1e21, 1e22,
    ]

    /// Clinger's fast path: `nil` when the result would not be exact before the final rounding.
    private static func fastDouble(_ raw: UnsafeRawBufferPointer, negative: Bool) -> Double? {
        var index = negative ? 1 : 0
        let count = raw.count
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var exponent = 0
        var seenNonZero = false
        // Integer part.
        while index < count, case let digit = raw[index] &- UInt8(ascii: "0"), digit < 10 {
            if digit != 0 || seenNonZero {
                seenNonZero = true
                significantDigits += 1
                mantissa = mantissa &* 10 &+ UInt64(digit)
            }
            index += 1
        }
        // Fraction.
        if index < count && raw[index] == UInt8(ascii: ".") {
            index += 1
            while index < count, case let digit = raw[index] &- UInt8(ascii: "0"), digit < 10 {
                if digit != 0 || seenNonZero {
                    seenNonZero = true
                    significantDigits += 1
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                }
                exponent -= 1
                index += 1
            }
        }
        guard significantDigits <= 19 else { return nil }
        // Exponent.
        if index < count && raw[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < count && (raw[index] == UInt8(ascii: "-") || raw[index] == UInt8(ascii: "+")) {
                exponentNegative = raw[index] == UInt8(ascii: "-")
                index += 1
            }
            var explicit = 0
            while index < count, case let digit = raw[index] &- UInt8(ascii: "0"), digit < 10 {
                if explicit < 100_000 { explicit = explicit * 10 + Int(digit) }
                index += 1
            }
            exponent += exponentNegative ? -explicit : explicit
        }
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        guard mantissa <= 1 << 53, exponent >= -22, exponent <= 22 else { return nil }
        var value = Double(mantissa)
        if exponent >= 0 {
            value *= Self.powersOfTen[exponent]
        } else {
            value /= Self.powersOfTen[-exponent]
        }
        return negative ? -value : value
    }
}
