import ArgumentParser

/// A size given on the command line: a number with an optional `K`, `M` or `G` suffix, optionally followed
/// by `B`, in powers of 1024 as `gen_events.py` reads them: `1G`, `500M`, `1.5K`, `4096`, `100B`.
struct ByteCount: ExpressibleByArgument, Equatable {
    var value: Int

    init(value: Int) {
        self.value = value
    }

    init?(argument: String) {
        var text = Substring(argument.uppercased()).drop { $0 == " " }
        while text.last == " " { text.removeLast() }
        if text.last == "B" { text.removeLast() }
        var multiplier = 1.0
        switch text.last {
        case "K": multiplier = 1024
        case "M": multiplier = 1024 * 1024
        case "G": multiplier = 1024 * 1024 * 1024
        default: break
        }
        if multiplier > 1 { text.removeLast() }
        guard let number = Double(text), number.isFinite, number >= 0, number * multiplier < 1e18 else { return nil }
        self.value = Int(number * multiplier)
    }
}
