extension ParquetFileMetadata {
    /// Parses the footer of a whole Parquet file held in memory, with the checks of
    /// ``ParquetFileReader/init(source:options:)``.
    static func parse(
        fileBytes: [UInt8],
        maximumFooterSize: Int = ReaderOptions().maximumFooterSize
    ) throws(ParquetError) -> ParquetFileMetadata {
        var options = ReaderOptions()
        options.maximumFooterSize = maximumFooterSize
        return try ParquetFileReader(source: MemorySource(fileBytes), options: options).metadata
    }
}
