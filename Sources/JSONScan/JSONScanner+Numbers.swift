extension JSONScanner {
    /// Scans the number at ``position`` (a `-` or a digit) per RFC 8259 and leaves ``position`` after it.
    ///
    /// Integer digits accumulate with wrapping arithmetic; up to 19 digits cannot wrap a `UInt64`, so the
    /// only checks are the digit count and the final `Int64` range.
    @inline(__always)
    mutating func scanNumber() throws(JSONScanError) -> JSONNumberToken {
        let bytes = self.bytes
        let count = bytes.count
        let start = self.position
        var index = start
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < count else {
            throw self.failure(.unexpectedEnd, "expected a digit after '-'", at: index)
        }
        let integerStart = index
        var magnitude: UInt64
        let first = bytes[index] &- UInt8(ascii: "0")
        if first == 0 {
            index += 1
            magnitude = 0
            if index < count && bytes[index] &- UInt8(ascii: "0") < 10 {
                throw self.failure(.invalidNumber, "leading zeros are not allowed in numbers", at: start)
            }
        } else if first < 10 {
            magnitude = UInt64(first)
            index += 1
            while index < count {
                let digit = bytes[index] &- UInt8(ascii: "0")
                if digit >= 10 { break }
                magnitude = magnitude &* 10 &+ UInt64(digit)
                index += 1
            }
        } else {
            throw self.failure(.invalidNumber, "expected a digit after '-'", at: index)
        }
        let integerDigits = index - integerStart
        if index < count {
            let next = bytes[index]
            if next == UInt8(ascii: ".") || next | 0x20 == UInt8(ascii: "e") {
                index = try self.scanFractionAndExponent(at: index)
                self.position = index
                return JSONNumberToken(range: start..<index, kind: .decimal, value: 0)
            }
        }
        self.position = index
        if integerDigits <= 19 {
            if negative {
                if magnitude <= UInt64(Int64.max) + 1 {
                    return JSONNumberToken(
                        range: start..<index,
                        kind: .integer,
                        value: Int64(bitPattern: 0 &- magnitude)
                    )
                }
            } else if magnitude <= UInt64(Int64.max) {
                return JSONNumberToken(range: start..<index, kind: .integer, value: Int64(magnitude))
            }
        }
        return JSONNumberToken(range: start..<index, kind: .bigInteger, value: 0)
    }

    /// Scans `.digits` and/or `e[+-]digits` starting at `index`; returns the index after the number.
    private mutating func scanFractionAndExponent(at start: Int) throws(JSONScanError) -> Int {
        let bytes = self.bytes
        let count = bytes.count
        var index = start
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            let digitsStart = index
            while index < count && bytes[index] &- UInt8(ascii: "0") < 10 { index += 1 }
            guard index > digitsStart else {
                let code: JSONScanError.Code = index < count ? .invalidNumber : .unexpectedEnd
                throw self.failure(code, "expected a digit after '.'", at: index)
            }
        }
        if index < count && bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) {
                index += 1
            }
            let digitsStart = index
            while index < count && bytes[index] &- UInt8(ascii: "0") < 10 { index += 1 }
            guard index > digitsStart else {
                let code: JSONScanError.Code = index < count ? .invalidNumber : .unexpectedEnd
                throw self.failure(code, "expected a digit in the exponent", at: index)
            }
        }
        return index
    }
}
