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

    /// In the background, with `O_DIRECT` where the file system takes it and through the page cache
    /// where told not to: pieces handed over (owned) and copied, of uneven sizes that cross the staging
    /// blocks, land in order, and a length that is no multiple of the alignment is the file's exact
    /// length (the padded last block is truncated).
    @Test(arguments: [true, false])
    func backgroundFileHoldsEveryByteWritten(direct: Bool) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("filesink-\(UUID()).bin").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try BackgroundFileWriter(path: path, synchronize: true, direct: direct)
        var expected: [UInt8] = []
        var state: UInt64 = 11
        var pieces = 0
        while expected.count < 2 * BackgroundFileWriter.blockSize + 4_321 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let count = Int(state >> 44) % (BackgroundFileWriter.blockSize / 3) + 1
            let piece = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ pieces) }
            try writer.enqueue(piece)
            expected += piece
            pieces += 1
        }
        try writer.finish()
        #expect(expected.count % BackgroundFileWriter.alignment != 0)
        let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(written.count == expected.count)
        #expect(written == expected)
    }

    /// `FileSink` in the background, through a Parquet writer: the file reads back.
    @Test func backgroundSinkWritesAReadableFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("filesink-\(UUID()).parquet").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let schema = try ParquetSchema([.int64("id", .required)])
        let values = (0..<300_000).map { Int64($0 &* 2_654_435_761 % 1_000_003) }
        // PLAIN pages, over 100 KB in all.
        var options = WriterOptions()
        options.integerEncodingTrial = false
        let background = try ParquetFileWriter(
            schema: schema,
            options: options,
            sink: try FileSink(path: path, synchronize: true, writesInBackground: true)
        )
        try background.write([ColumnBatch(values: .int64(values))])
        _ = try background.finish()
        let memory = try ParquetFileWriter(schema: schema, options: options, sink: MemorySink())
        try memory.write([ColumnBatch(values: .int64(values))])
        _ = try memory.finish()
        let file = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(file == memory.sink.bytes)
        #expect(file.count > 100_000)
    }

    /// A writer dropped without `finish` (a failed conversion) stops its thread and closes the file.
    @Test func abandonedBackgroundWriterStops() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("filesink-\(UUID()).bin").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var writer: BackgroundFileWriter? = try BackgroundFileWriter(path: path, synchronize: false)
        try writer?.enqueue([UInt8](repeating: 1, count: 100_000))
        writer = nil
        #expect(writer == nil)
        #expect(FileManager.default.fileExists(atPath: path))
    }
}
