import Foundation
import Testing

@testable import LaketapTesting

@Suite struct ReplayedLinesTests {
    static func file(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "replayed-lines-" + UUID().uuidString + ".ndjson"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func replaysEveryLineInOrderThenStartsAgain() throws {
        let path = try Self.file("{\"a\":1}\n\n{\"a\":2}\r\n  \n{\"a\":3}")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var stream = WorkloadStream(try ReplayedLines(path: path), limit: .records(7))
        var buffer = JSONBuffer()
        while !stream.isFinished { _ = stream.append(to: &buffer, targetBytes: .max) }
        // Split as bytes: a String would read "\r\n" as one character.
        let lines = buffer.bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        let one = #"{"a":1}"#
        let two = "{\"a\":2}\r"
        let three = #"{"a":3}"#
        #expect(lines == [one, two, three, one, two, three, one, ""])
        #expect(stream.records == 7)
    }

    @Test func refusesMissingAndBlankFiles() throws {
        #expect(throws: ReplayError.self) { try ReplayedLines(path: "/nonexistent/laketap-replay.ndjson") }
        let blank = try Self.file(" \n\r\n")
        defer { try? FileManager.default.removeItem(atPath: blank) }
        #expect(throws: ReplayError.self) { try ReplayedLines(path: blank) }
        let empty = try Self.file("")
        defer { try? FileManager.default.removeItem(atPath: empty) }
        #expect(throws: ReplayError.self) { try ReplayedLines(path: empty) }
    }
}
