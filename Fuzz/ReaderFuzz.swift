// libFuzzer entry point for the Parquet reader: compiled together with Sources/Parquet by
// scripts/fuzz.sh (swiftc -sanitize=fuzzer,address). Any input must either read or fail with a
// ParquetError; a trap, a sanitizer report or a leak is a finding.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParquetReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var options = ReaderOptions()
    options.verifyChecksums = size % 2 == 0
    options.maximumPageSize = 16 << 20
    guard let reader = try? ParquetFileReader(source: MemorySource(bytes), options: options) else { return 0 }
    for group in reader.metadata.rowGroups.indices {
        _ = try? reader.readRecords(rowGroup: group)
    }
    return 0
}
