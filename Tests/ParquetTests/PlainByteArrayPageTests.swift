import Testing

@testable import Parquet

/// A PLAIN byte-array page lent as a V1 page body: the levels before the values in the page's own
/// buffer, which comes back for the next page.
@Suite struct PlainByteArrayPageTests {
    static func values(_ strings: [String]) -> ByteArrayBuffer {
        var buffer = ByteArrayBuffer()
        for string in strings { buffer.append(Array(string.utf8)) }
        return buffer
    }

    static func append(_ strings: [String], to page: inout PlainByteArrayPage) {
        let buffer = Self.values(strings)
        buffer.bytes.withUnsafeBytes { bytes in
            buffer.offsets.withUnsafeBufferPointer { page.append(bytes: bytes, offsets: $0, range: 0..<buffer.count) }
        }
    }

    static func plain(_ strings: [String]) -> [UInt8] {
        var bytes: [UInt8] = []
        PlainEncoder.encodeByteArrays(Self.values(strings), range: 0..<strings.count, into: &bytes)
        return bytes
    }

    static func address(_ bytes: [UInt8]) -> UnsafeRawPointer? {
        bytes.withUnsafeBytes { $0.baseAddress }
    }

    @Test func aLentPageIsItsLevelsThenItsValuesInItsOwnBuffer() throws {
        var page = PlainByteArrayPage()
        Self.append(["a", "", "payload"], to: &page)
        Self.append(["{\"k\":1}"], to: &page)
        let levels: [UInt8] = [6, 0, 0, 0, 8, 1]
        var lentFirst = page.lend(after: levels)
        var first = try #require(lentFirst)
        #expect(Array(first.bytes[first.range]) == levels + Self.plain(["a", "", "payload", "{\"k\":1}"]))
        #expect(page.byteCount == 0)

        // Taken back, the buffer holds the next page: no new storage, no copy (once the page's body,
        // here the test's two references, has gone).
        let firstAddress = Self.address(first.bytes)
        page.takeBack(first.bytes)
        first.bytes = []
        lentFirst = nil
        Self.append(["second"], to: &page)
        let lentSecond = page.lend(after: [])
        let second = try #require(lentSecond)
        #expect(Array(second.bytes[second.range]) == Self.plain(["second"]))
        #expect(Self.address(second.bytes) == firstAddress)
        #expect(lentFirst == nil)
    }

    /// A lent buffer not taken back (its page compressed on another thread) is left alone: the next page
    /// is built in storage of its own.
    @Test func aPageNotTakenBackLeavesTheLentBufferAlone() throws {
        var page = PlainByteArrayPage()
        Self.append((0..<1000).map { "value \($0)" }, to: &page)
        let lentPage = page.lend(after: [1, 2, 3])
        let lent = try #require(lentPage)
        let body = Array(lent.bytes[lent.range])
        Self.append(["next"], to: &page)
        #expect(Array(lent.bytes[lent.range]) == body)
        let lentNext = page.lend(after: [9])
        let next = try #require(lentNext)
        #expect(Array(next.bytes[next.range]) == [9] + Self.plain(["next"]))
    }

    /// Levels longer than the headroom (a page with nulls here and there) are not lent: the page is
    /// copied after them as before, and the page starts empty after that too.
    @Test func levelsBeyondTheHeadroomFlushInstead() {
        var page = PlainByteArrayPage()
        Self.append(["x", "yz"], to: &page)
        let refused = page.lend(after: [UInt8](repeating: 7, count: PlainByteArrayPage.headroom + 1))
        #expect(refused == nil)
        var output: [UInt8] = [1, 2]
        page.flush(into: &output)
        #expect(output == [1, 2] + Self.plain(["x", "yz"]))
        #expect(page.byteCount == 0)
    }

    /// Through the writer: an optional column without nulls (its levels fit the headroom) and one with
    /// nulls (they do not), PLAIN and compressed, read back as written.
    @Test func optionalColumnsReadBackWhetherLentOrCopied() throws {
        var options = WriterOptions()
        options.compression = .zstd(level: 3)
        options.dictionaryEnabled = false
        options.dataPageSize = 64 << 10
        let rows = 20_000
        let full = PageSizingTests.sentences(rows, seed: 8)
        let sparse = PageSizingTests.sentences(rows / 2, seed: 9)
        let sparseLevels = (0..<rows).map { UInt8($0 % 2) }
        let schema = try ParquetSchema([.string("full", .optional), .string("sparse", .optional)])
        let writer = try ParquetFileWriter(schema: schema, options: options, sink: MemorySink())
        try writer.write([
            ColumnBatch(values: .byteArray(full), definitionLevels: [UInt8](repeating: 1, count: rows)),
            ColumnBatch(values: .byteArray(sparse), definitionLevels: sparseLevels),
        ])
        _ = try writer.finish()
        let reader = try ParquetFileReader(source: MemorySource(writer.sink.bytes))
        #expect(reader.metadata.rowCount == Int64(rows))
        let fullColumn = try reader.readColumn(rowGroup: 0, column: 0)
        let sparseColumn = try reader.readColumn(rowGroup: 0, column: 1)
        #expect(sameValues(fullColumn.values, .byteArray(full)))
        #expect(sameValues(sparseColumn.values, .byteArray(sparse)))
        #expect(sparseColumn.definitionLevels == sparseLevels)
    }
}
