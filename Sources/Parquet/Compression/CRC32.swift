import CZlib

/// Standard CRC-32 (zlib's reflected polynomial 0x04C11DB7), as Parquet page checksums use.
///
/// `PageHeader.crc` holds this value over the on-disk page body (after compression, without the header),
/// stored as `Int32(bitPattern:)`. zlib's implementation is table-driven and processes several bytes per step.
public enum CRC32 {
    /// The CRC-32 of `bytes`; `0` for an empty buffer.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return 0 }
        return UInt32(truncatingIfNeeded: crc32_z(0, base.assumingMemoryBound(to: Bytef.self), bytes.count))
    }
}
