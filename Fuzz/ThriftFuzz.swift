// libFuzzer entry point for the Thrift compact decoder of the footer and page headers.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzThriftDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    var footer = ThriftCompactReader(bytes)
    if let metadata = try? FileMetaData(from: &footer) {
        _ = try? ParquetFileMetadata(metadata, footerLength: size)
    }
    var page = ThriftCompactReader(bytes)
    _ = try? PageHeader(from: &page)
    var index = ThriftCompactReader(bytes)
    _ = try? ColumnIndex(from: &index)
    return 0
}
