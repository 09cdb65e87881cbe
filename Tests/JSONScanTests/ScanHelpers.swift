import JSONScan

/// Scans a whole text and describes each token as a string (`{`, `key:a`, `str:b`, `int:1`, `big:…`,
/// `dec:…`, `true`, `null`, …), so tests compare readable lists.
func describeTokens(_ bytes: [UInt8], options: JSONScanOptions = .init()) -> Result<[String], JSONScanError> {
    bytes.withUnsafeBytes { buffer in
        var scanner = JSONScanner(buffer, options: options)
        var out: [String] = []
        do throws(JSONScanError) {
            while true {
                let token = try scanner.next()
                switch token {
                case .beginObject: out.append("{")
                case .endObject: out.append("}")
                case .beginArray: out.append("[")
                case .endArray: out.append("]")
                case .key(let key): out.append("key:" + key.string(from: buffer))
                case .string(let string): out.append("str:" + string.string(from: buffer))
                case .number(let number):
                    let text = String(decoding: buffer[number.range], as: UTF8.self)
                    switch number.kind {
                    case .integer: out.append("int:\(number.int64 ?? -1)")
                    case .bigInteger: out.append("big:" + text)
                    case .decimal: out.append("dec:" + text)
                    }
                case .bool(let value): out.append(value ? "true" : "false")
                case .null: out.append("null")
                case .endOfInput: return .success(out)
                }
            }
        } catch {
            return .failure(error)
        }
    }
}

func describeTokens(_ text: String, options: JSONScanOptions = .init()) -> Result<[String], JSONScanError> {
    describeTokens(Array(text.utf8), options: options)
}

/// The error scanning `bytes` throws, or `nil` when it scans.
func scanError(_ bytes: [UInt8], options: JSONScanOptions = .init()) -> JSONScanError? {
    if case .failure(let error) = describeTokens(bytes, options: options) { return error }
    return nil
}

func scanError(_ text: String, options: JSONScanOptions = .init()) -> JSONScanError? {
    scanError(Array(text.utf8), options: options)
}

/// The first number token of `text` as a `Double`.
func parseDouble(_ text: String) -> Double? {
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBytes { buffer -> Double? in
        var scanner = JSONScanner(buffer)
        guard case .number(let number) = try? scanner.next() else { return nil }
        guard case .endOfInput = try? scanner.next() else { return nil }
        return number.double(from: buffer)
    }
}
