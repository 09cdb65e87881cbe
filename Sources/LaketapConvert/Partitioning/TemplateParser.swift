/// Parses a ``PartitionTemplate``'s text into parts; errors name the 1-based character position.
struct TemplateParser {
    private let characters: [Character]
    private let text: String
    private(set) var parts: [PartitionTemplate.Part] = []
    private(set) var sources: [PartitionTemplate.Source] = []

    init(_ text: String) {
        self.text = text
        self.characters = Array(text)
    }

    private func failure(_ message: String, at index: Int) -> ConvertError {
        ConvertError(.options, "partition template '\(self.text)', position \(index + 1): \(message)")
    }

    mutating func parse() throws(ConvertError) {
        guard !self.characters.isEmpty else { throw self.failure("the template is empty", at: 0) }
        var literal = ""
        var index = 0
        /// The start of the current directory and whether it has a placeholder yet.
        var segmentStart = 0
        var segmentHasPlaceholder = false
        func checkSegment(endingAt end: Int) throws(ConvertError) {
            let segment = String(self.characters[segmentStart..<end])
            if segment.isEmpty {
                throw self.failure("empty directory name (leading, trailing or doubled '/')", at: segmentStart)
            }
            if !segmentHasPlaceholder && (segment == "." || segment == "..") {
                throw self.failure("a directory cannot be '\(segment)'", at: segmentStart)
            }
        }
        while index < self.characters.count {
            let character = self.characters[index]
            switch character {
            case "{":
                guard let close = self.characters[(index + 1)...].firstIndex(where: { $0 == "}" || $0 == "{" }),
                    self.characters[close] == "}"
                else { throw self.failure("'{' without a matching '}'", at: index) }
                if !literal.isEmpty {
                    self.parts.append(.literal(literal))
                    literal = ""
                }
                try self.placeholder(from: index + 1, to: close)
                segmentHasPlaceholder = true
                index = close + 1
                continue
            case "}":
                throw self.failure("'}' without a matching '{'", at: index)
            case "/":
                try checkSegment(endingAt: index)
                segmentStart = index + 1
                segmentHasPlaceholder = false
            case "\\":
                throw self.failure("'\\' is not allowed in a path", at: index)
            default:
                if character.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                    throw self.failure("control characters are not allowed", at: index)
                }
            }
            literal.append(character)
            index += 1
        }
        try checkSegment(endingAt: self.characters.count)
        if !literal.isEmpty { self.parts.append(.literal(literal)) }
    }

    /// Parses `name` or `name:format` between the braces at `start..<end`.
    private mutating func placeholder(from start: Int, to end: Int) throws(ConvertError) {
        let colon = self.characters[start..<end].firstIndex(of: ":")
        let nameEnd = colon ?? end
        let name = String(self.characters[start..<nameEnd])
        let source: PartitionTemplate.Source
        if name == "@arrival" {
            guard colon != nil else {
                throw self.failure("'@arrival' needs a time format, as in {@arrival:%Y}", at: start)
            }
            source = .arrival
        } else {
            guard !name.isEmpty else { throw self.failure("a placeholder needs a field name", at: start) }
            var path: [String] = []
            var segmentStart = start
            for (offset, member) in name.split(separator: ".", omittingEmptySubsequences: false).enumerated() {
                if member.isEmpty {
                    throw self.failure("empty member name in field path '\(name)'", at: segmentStart)
                }
                if offset == 0 && member.first == "@" {
                    throw self.failure("unknown source '\(member)' (only '@arrival')", at: segmentStart)
                }
                path.append(String(member))
                segmentStart += member.count + 1
            }
            source = .field(path)
        }
        let sourceIndex: Int
        if let existing = self.sources.firstIndex(of: source) {
            sourceIndex = existing
        } else {
            sourceIndex = self.sources.count
            self.sources.append(source)
        }
        guard let colon else {
            self.parts.append(.text(source: sourceIndex))
            return
        }
        let format = try self.timeFormat(from: colon + 1, to: end)
        self.parts.append(.time(source: sourceIndex, format: format))
    }

    private func timeFormat(from start: Int, to end: Int) throws(ConvertError) -> [PartitionTemplate.TimeConversion] {
        var conversions: [PartitionTemplate.TimeConversion] = []
        var literal = ""
        var hasConversion = false
        var index = start
        while index < end {
            let character = self.characters[index]
            guard character == "%" else {
                if character == "/" { throw self.failure("'/' is not allowed in a time format", at: index) }
                literal.append(character)
                index += 1
                continue
            }
            guard index + 1 < end else { throw self.failure("'%' at the end of the time format", at: index) }
            let conversion: PartitionTemplate.TimeConversion
            switch self.characters[index + 1] {
            case "Y": conversion = .year
            case "m": conversion = .month
            case "d": conversion = .day
            case "H": conversion = .hour
            case "M": conversion = .minute
            case "S": conversion = .second
            case "j": conversion = .dayOfYear
            case "Q": conversion = .quarter
            case "V": conversion = .isoWeek
            case "G": conversion = .isoYear
            case "%":
                literal.append("%")
                index += 2
                continue
            default:
                throw self.failure(
                    "unknown time conversion '%\(self.characters[index + 1])' (known: %Y %m %d %H %M %S %j %Q %V %G %%)",
                    at: index
                )
            }
            if !literal.isEmpty {
                conversions.append(.literal(literal))
                literal = ""
            }
            conversions.append(conversion)
            hasConversion = true
            index += 2
        }
        guard hasConversion else {
            throw self.failure("the time format has no conversion such as %Y", at: max(start - 1, 0))
        }
        if !literal.isEmpty { conversions.append(.literal(literal)) }
        return conversions
    }
}
