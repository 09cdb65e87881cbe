extension JSONScanner {
    /// The next token, where the caller expects an object key and predicts which: when the bytes at the
    /// key are exactly `prediction` (the key's quoted name and its colon), the key is consumed without
    /// being scanned as a string and `matched` is true. Otherwise the result is ``next()``'s.
    ///
    /// A match needs no checks of its own: a ``PredictedKey`` has no quote, backslash or control byte in
    /// its name, so the quote after the name closes the key, and its bytes come from a Swift string, valid
    /// UTF-8. Keys with escapes or with whitespace before their colon are not matched, only scanned.
    @inline(__always)
    public mutating func next(
        predicting prediction: PredictedKey
    ) throws(JSONScanError) -> (
        token: JSONToken, matched: Bool
    ) {
        self.skipWhitespace()
        guard self.position < self.bytes.count else { return (try self.next(), false) }
        let first: Bool
        switch self.state {
        case .objectFirst:
            first = true
        case .afterValue where self.stack.topIsObject && self.bytes[self.position] == UInt8(ascii: ","):
            self.position += 1
            self.skipWhitespace()
            first = false
        default:
            return (try self.next(), false)
        }
        if self.startsWith(prediction), self.options.maximumStringLength.map({ prediction.nameCount <= $0 }) ?? true {
            let nameStart = self.position &+ 1
            self.position &+= prediction.count
            self.state = .memberValue
            return (
                .key(JSONStringToken(range: nameStart..<(nameStart &+ prediction.nameCount), hasEscapes: false)), true
            )
        }
        if first && self.bytes[self.position] == UInt8(ascii: "}") { return (self.closeContainer(.endObject), false) }
        return (try self.scanKey(first: first), false)
    }

    /// Whether the bytes at the scanner are `prediction`'s.
    @inline(__always)
    private func startsWith(_ prediction: PredictedKey) -> Bool {
        let count = prediction.count
        guard count > 0, self.position &+ count <= self.bytes.count,
            let base = self.bytes.baseAddress.map({ $0 + self.position })
        else { return false }
        let expected = prediction.bytes
        guard count >= 8 else {
            for index in 0..<count
            where base.load(fromByteOffset: index, as: UInt8.self)
                != expected.load(fromByteOffset: index, as: UInt8.self)
            {
                return false
            }
            return true
        }
        var offset = 0
        while offset &+ 8 < count {
            guard Self.word(base, offset) == Self.word(expected, offset) else { return false }
            offset &+= 8
        }
        return Self.word(base, count &- 8) == Self.word(expected, count &- 8)
    }

    @inline(__always)
    private static func word(_ base: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
    }
}

/// An object key as its bytes at a key position in JSON text: `"name":`. Made with ``make(_:storage:)``
/// into storage its owner keeps alive as long as the prediction is used. Names longer than the scanner's
/// ``JSONScanOptions/maximumStringLength`` are never matched, so they fail as ``JSONScanner/next()`` fails.
public struct PredictedKey: @unchecked Sendable {
    /// `"name":`.
    let bytes: UnsafeRawPointer
    /// The bytes of `"name":`; 0 for a name that cannot be predicted (it is never matched).
    let count: Int
    /// The bytes of the name.
    let nameCount: Int

    /// A prediction that never matches.
    public static let none = PredictedKey(bytes: UnsafeRawPointer(bitPattern: 1)!, count: 0, nameCount: 0)

    private init(bytes: UnsafeRawPointer, count: Int, nameCount: Int) {
        self.bytes = bytes
        self.count = count
        self.nameCount = nameCount
    }

    /// The prediction of key `name`, written into `storage` (which must hold `name.count + 3` bytes), or
    /// ``none`` when the name has a quote, backslash or control byte (their JSON forms differ from the
    /// bytes).
    public static func make(_ name: [UInt8], storage: UnsafeMutableRawPointer) -> PredictedKey {
        guard name.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) else {
            return .none
        }
        storage.storeBytes(of: UInt8(ascii: "\""), as: UInt8.self)
        for (offset, byte) in name.enumerated() {
            storage.storeBytes(of: byte, toByteOffset: offset + 1, as: UInt8.self)
        }
        storage.storeBytes(of: UInt8(ascii: "\""), toByteOffset: name.count + 1, as: UInt8.self)
        storage.storeBytes(of: UInt8(ascii: ":"), toByteOffset: name.count + 2, as: UInt8.self)
        return PredictedKey(bytes: UnsafeRawPointer(storage), count: name.count + 3, nameCount: name.count)
    }
}
