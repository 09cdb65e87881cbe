/// Decodes every page of one column chunk into a ``ColumnBatch`` (values with dictionary indices resolved,
/// levels as `UInt8`; definition levels only when `maxDefinitionLevel > 0`, repetition levels only when
/// `maxRepetitionLevel > 0`).
///
/// The reader follows PARQUET.md §11 items 3–5: it parses page headers until the chunk's `valueCount` levels are
/// consumed (never past the bytes it was given), skips index pages and unknown page types, accepts one dictionary
/// page before the first data page, decompresses each page (V2: the values section only, and never a 0-byte one),
/// optionally verifies page CRCs, and checks levels and value counts. Every error names the column's dotted path,
/// the page number (0-based, counting every page header of the chunk) and the defect.
///
/// ```swift
/// let reader = ColumnChunkReader(chunk: chunk, options: ReaderOptions())
/// let (batch, rows) = try bytes.withUnsafeBytes { try reader.read($0) }
/// ```
struct ColumnChunkReader {
    let chunk: ColumnChunkMetadata
    let options: ReaderOptions

    init(chunk: ColumnChunkMetadata, options: ReaderOptions) {
        self.chunk = chunk
        self.options = options
    }

    private var column: ColumnDescriptor { self.chunk.column }

    /// Decodes the chunk.
    ///
    /// `bytes` holds the chunk from `chunk.startOffset`: the caller reads `min(chunk.compressedSize, file size -
    /// startOffset)` bytes. Some old writers understate the size, so pages are parsed until `chunk.valueCount`
    /// levels are consumed rather than until the end, but never past `bytes`.
    ///
    /// - Returns: The batch and the number of rows it holds (the count of repetition level 0, or of slots when the
    ///   column is not repeated).
    /// - Throws: `.corrupt` for malformed pages and inconsistent counts, `.limitExceeded` for pages above
    ///   ``ReaderOptions/maximumPageSize``, `.unsupported` for encodings or codecs this build cannot read,
    ///   `.compression` when a codec rejects a page.
    func read(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) -> (batch: ColumnBatch, rows: Int) {
        guard self.chunk.valueCount >= 0 else {
            throw self.error(.corrupt, "negative value count \(self.chunk.valueCount)")
        }
        var state = try PageReader(chunk: self.chunk, options: self.options)
        let expected = Int(self.chunk.valueCount)
        var offset = 0
        var pageIndex = 0
        while state.levelCount < expected {
            guard offset < bytes.count else {
                throw self.error(
                    .corrupt,
                    "the chunk ends after \(state.levelCount) of \(expected) values "
                        + "(\(pageIndex) pages, \(bytes.count) bytes)"
                )
            }
            do {
                offset += try state.readPage(UnsafeRawBufferPointer(rebasing: bytes[offset...]), index: pageIndex)
            } catch {
                throw ParquetError(
                    error.code,
                    "page \(pageIndex) of column \(self.column.dottedPath): \(error.message)",
                    fileID: error.location.fileID,
                    line: error.location.line
                )
            }
            pageIndex += 1
        }
        guard state.levelCount == expected else {
            throw self.error(.corrupt, "the pages hold \(state.levelCount) values, the chunk metadata \(expected)")
        }
        return state.finish()
    }

    private func error(_ code: ParquetError.Code, _ message: String) -> ParquetError {
        ParquetError(code, "column \(self.column.dottedPath): \(message)")
    }
}
