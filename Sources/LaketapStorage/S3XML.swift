/// Just enough XML for S3's answers: the text of named elements, found by name at any depth.
///
/// S3 responses are flat and small (ListObjectsV2 pages, errors, multipart answers), so a scan for
/// `<Name>` … `</Name>` is enough; attributes, namespaces on the root, comments and the XML
/// declaration are skipped over, entities and character references are decoded.
struct S3XML: Sendable {
    let text: String

    init(_ bytes: [UInt8]) {
        self.text = String(decoding: bytes, as: UTF8.self)
    }

    init(text: String) {
        self.text = text
    }

    /// The raw (undecoded) contents of every `<name …>…</name>` element, in document order; an
    /// empty element (`<name/>`) gives an empty string.
    func elements(_ name: String) -> [Substring] {
        var results: [Substring] = []
        var rest = self.text[...]
        let open = "<\(name)"
        let close = "</\(name)>"
        while let start = rest.firstRange(of: open) {
            // The name must end here: `<Key>` but not `<KeyCount>`.
            guard let tagEnd = rest[start.upperBound...].firstIndex(of: ">") else { break }
            let between = rest[start.upperBound..<tagEnd]
            guard between.isEmpty || between == "/" || between.first?.isWhitespace == true else {
                rest = rest[tagEnd...]
                continue
            }
            if between.last == "/" {
                results.append(rest[tagEnd..<tagEnd])
                rest = rest[rest.index(after: tagEnd)...]
                continue
            }
            let contentStart = rest.index(after: tagEnd)
            guard let end = rest[contentStart...].firstRange(of: close) else { break }
            results.append(rest[contentStart..<end.lowerBound])
            rest = rest[end.upperBound...]
        }
        return results
    }

    /// The decoded text of the first `<name>` element.
    func value(_ name: String) -> String? {
        self.elements(name).first.map { Self.decode($0) }
    }

    /// Decodes `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&#NN;` `&#xNN;`; unknown entities stay as written.
    static func decode(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            guard character == "&", let semicolon = text[index...].firstIndex(of: ";"),
                text.distance(from: index, to: semicolon) <= 10
            else {
                result.append(character)
                index = text.index(after: index)
                continue
            }
            let entity = text[text.index(after: index)..<semicolon]
            var decoded: String?
            switch entity {
            case "amp": decoded = "&"
            case "lt": decoded = "<"
            case "gt": decoded = ">"
            case "quot": decoded = "\""
            case "apos": decoded = "'"
            default:
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    decoded = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String($0) }
                } else if entity.hasPrefix("#") {
                    decoded = UInt32(entity.dropFirst(1)).flatMap(Unicode.Scalar.init).map { String($0) }
                }
            }
            if let decoded {
                result += decoded
                index = text.index(after: semicolon)
            } else {
                result.append(character)
                index = text.index(after: index)
            }
        }
        return result
    }

    /// Escapes text for an element's content.
    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default: result.append(character)
            }
        }
        return result
    }
}
