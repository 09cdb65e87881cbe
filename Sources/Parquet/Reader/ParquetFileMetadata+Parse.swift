extension ParquetFileMetadata {
    /// Parses the footer of a whole Parquet file held in memory (PARQUET.md §11 item 1).
    ///
    /// Checks `PAR1` at both ends (`PARE` at the end is an encrypted footer, which is unsupported), reads the 4-byte
    /// little-endian footer length, bounds it by the file and `maximumFooterSize`, then decodes `FileMetaData`.
    ///
    /// - Throws: `.corrupt` for a missing magic or a footer length that does not fit the file, `.unsupported` for
    ///   an encrypted footer, `.limitExceeded` for a footer above `maximumFooterSize`, and whatever decoding the
    ///   footer and its schema throws.
    static func parse(
        fileBytes: [UInt8],
        maximumFooterSize: Int = ReaderOptions().maximumFooterSize
    ) throws(ParquetError) -> ParquetFileMetadata {
        let size = fileBytes.count
        guard size >= 12 else {
            throw ParquetError(.corrupt, "file of \(size) bytes is too small to be Parquet")
        }
        let tail = Array(fileBytes[(size - 4)...])
        if tail == Self.encryptedMagic {
            throw ParquetError(.unsupported, "encrypted footer (PARE): encrypted files are not supported")
        }
        guard tail == Self.magic else {
            throw ParquetError(.corrupt, "file does not end with the PAR1 magic")
        }
        guard Array(fileBytes[0..<4]) == Self.magic else {
            throw ParquetError(.corrupt, "file does not start with the PAR1 magic")
        }
        let footerLength = Int(fileBytes[size - 8]) | Int(fileBytes[size - 7]) << 8 | Int(fileBytes[size - 6]) << 16
            | Int(fileBytes[size - 5]) << 24
        guard footerLength <= size - 12 else {
            throw ParquetError(.corrupt, "footer length \(footerLength) does not fit a file of \(size) bytes")
        }
        guard footerLength <= maximumFooterSize else {
            throw ParquetError(.limitExceeded, "footer of \(footerLength) bytes exceeds the limit of \(maximumFooterSize)")
        }
        let footerStart = size - 8 - footerLength
        let raw = try fileBytes.withUnsafeBufferPointer { (buffer) throws(ParquetError) -> FileMetaData in
            let footer = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: buffer[footerStart..<(size - 8)]))
            var reader = ThriftCompactReader(footer)
            return try FileMetaData(from: &reader)
        }
        return try ParquetFileMetadata(raw, footerLength: footerLength)
    }

    private static let magic: [UInt8] = [0x50, 0x41, 0x52, 0x31]
    private static let encryptedMagic: [UInt8] = [0x50, 0x41, 0x52, 0x45]
}
