import Foundation
import LaketapTesting

/// Lines of a workload, generated through ``WorkloadStream`` as the CLI does.
func generateLines<W: Workload>(_ workload: W, limit: WorkloadLimit) -> (bytes: [UInt8], lines: [[UInt8]]) {
    var stream = WorkloadStream(workload, limit: limit)
    var buffer = JSONBuffer()
    while !stream.isFinished { stream.append(to: &buffer, targetBytes: buffer.count + 100_000) }
    let lines = buffer.bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast().map {
        Array($0)
    }
    return (buffer.bytes, lines)
}

/// One line parsed by Foundation's JSON parser, as a dictionary.
func parseObject(_ line: [UInt8]) throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
        throw CocoaError(.coderInvalidValue)
    }
    return object
}
