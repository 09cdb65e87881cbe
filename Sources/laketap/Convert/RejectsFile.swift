import Foundation
import LaketapConvert

/// `<output>.rejects.ndjson`: one JSON line per rejected record with where it was and why.
final class RejectsFile {
    let path: String
    private var handle: FileHandle?
    private(set) var count = 0
    private var buffer: [UInt8] = []

    init(path: String) {
        self.path = path
    }

    func write(
        _ record: UnsafeRawBufferPointer,
        source: String,
        line: Int,
        offset: Int,
        rejection: RecordRejection
    ) throws {
        if self.handle == nil {
            guard FileManager.default.createFile(atPath: self.path, contents: nil) else {
                throw ConvertError(.output, "cannot create '\(self.path)'")
            }
            self.handle = FileHandle(forWritingAtPath: self.path)
        }
        self.count += 1
        let object: [String: Any] = [
            "source": source,
            "line": line,
            "offset": offset,
            "reason": "\(rejection.code)",
            "message": rejection.message,
            "record": String(decoding: record, as: UTF8.self),
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        self.buffer.append(contentsOf: data)
        self.buffer.append(UInt8(ascii: "\n"))
        if self.buffer.count > 1 << 20 { try self.flush() }
    }

    func close() throws {
        try self.flush()
        try self.handle?.synchronize()
        try self.handle?.close()
        self.handle = nil
    }

    private func flush() throws {
        guard let handle, !self.buffer.isEmpty else { return }
        try handle.write(contentsOf: self.buffer)
        self.buffer.removeAll(keepingCapacity: true)
    }
}
