import Foundation
import Testing

@testable import Parquet

@Suite struct FileSinkTests {
    /// With `synchronize`, the sink starts the writeback of every ``FileSink/writebackStep`` bytes as it
    /// goes (pieces of uneven sizes, across several steps) and fsyncs at the end: the file holds exactly
    /// what was written, in order.
    @Test func synchronizedFileHoldsEveryByteWritten() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("filesink-\(UUID()).bin").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var sink = try FileSink(path: path, synchronize: true)
        var expected: [UInt8] = []
        var state: UInt64 = 7
        var pieces = 0
        while expected.count < 3 * FileSink.writebackStep + 12_345 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let count = Int(state >> 44) % (3 << 20) + 1
            var piece = [UInt8](repeating: UInt8(truncatingIfNeeded: pieces &* 31 &+ 1), count: count)
            withUnsafeBytes(of: UInt64(pieces).littleEndian) {
                for (i, byte) in $0.enumerated() where i < count { piece[i] = byte }
            }
            try piece.withUnsafeBytes { try sink.write($0) }
            expected += piece
            pieces += 1
        }
        // Writeback was started for all but the bytes written since the last full step.
        #expect(sink.writebackStarted >= 2 * FileSink.writebackStep)
        #expect(expected.count - sink.writebackStarted < FileSink.writebackStep)
        try sink.finish()
        #expect(pieces > 3)
        let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(written.count == expected.count)
        #expect(written == expected)
    }
}
