/// Sizes and durations as written in configuration.
enum Quantities {
    /// `4096`, `64KiB`, `128MiB`, `10GiB`, `1.5G`, `512MB`: suffixes K, M, G, T with optional `i` and
    /// `B` are powers of 1024.
    static func bytes(_ text: String) -> Int? {
        var text = Substring(text.trimmingCharactersInSpaces())
        if text.last == "B" || text.last == "b" { text.removeLast() }
        if text.last == "i" { text.removeLast() }
        var multiplier = 1.0
        switch text.last.map({ Character($0.uppercased()) }) {
        case "K": multiplier = 1024
        case "M": multiplier = 1024 * 1024
        case "G": multiplier = 1024 * 1024 * 1024
        case "T": multiplier = 1024 * 1024 * 1024 * 1024
        default: break
        }
        if multiplier > 1 { text.removeLast() }
        guard let number = Double(text.trimmingCharactersInSpaces()), number.isFinite, number >= 0 else { return nil }
        let value = number * multiplier
        guard value < 9e18 else { return nil }
        return Int(value)
    }

    /// Seconds from `300`, `300s`, `250ms`, `5m`, `2h`, `7d`.
    static func seconds(_ text: String) -> Double? {
        var text = Substring(text.trimmingCharactersInSpaces())
        var multiplier = 1.0
        if text.hasSuffix("ms") {
            multiplier = 0.001
            text.removeLast(2)
        } else if let last = text.last, last.isLetter {
            switch last {
            case "s": multiplier = 1
            case "m": multiplier = 60
            case "h": multiplier = 3600
            case "d": multiplier = 86400
            default: return nil
            }
            text.removeLast()
        }
        guard let number = Double(text), number.isFinite, number >= 0 else { return nil }
        return number * multiplier
    }
}

extension StringProtocol {
    func trimmingCharactersInSpaces() -> String {
        String(self.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
