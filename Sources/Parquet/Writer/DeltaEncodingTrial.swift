/// The choice, once per file and column, between PLAIN and DELTA_BINARY_PACKED for the plain pages of an
/// INT32 or INT64 column (``WriterOptions/integerEncodingTrial``, decision 0014).
///
/// Event times, sequence numbers and offsets rise by small steps: their deltas pack into a third to a
/// half of their PLAIN bytes, smaller than zstd makes the PLAIN values, and need next to no compression
/// after. Unordered values (durations, amounts) pack into about as many bits as zstd's literals take,
/// and PLAIN stays when it compresses smaller. The trial compares both encodings of the same values,
/// each compressed with the column's configured codec and level.
enum DeltaEncodingTrial {
    /// The head of a page's PLAIN values the trial compares the encodings on: enough values to show
    /// how they step, little time (zstd level 3 on 1 MiB, once per file and column).
    static let probeBytes = 1 << 20

    /// Whether DELTA_BINARY_PACKED codes the PLAIN `values` (INT32 or INT64 by `width`) no larger than
    /// PLAIN does, both compressed by `compressor` at the configured level; then also their DELTA
    /// encoding, else nil.
    static func deltaEncoding(
        ofPlain values: ArraySlice<UInt8>,
        width: Int,
        compressor: PageCompressor
    ) throws(ParquetError) -> [UInt8]? {
        let probeCount = min(values.count, Self.probeBytes) / width * width
        let plainProbe = values.prefix(probeCount)
        var deltaProbe: [UInt8] = []
        try Self.encodeDelta(plain: plainProbe, width: width, into: &deltaProbe)
        var frame: [UInt8] = []
        let plainSize = try compressor.compress(plainProbe, intoPrefixOf: &frame, tier: .configured)
        let deltaSize = try compressor.compress(deltaProbe[...], intoPrefixOf: &frame, tier: .configured)
        guard deltaSize <= plainSize else { return nil }
        if probeCount == values.count { return deltaProbe }
        var delta: [UInt8] = []
        try Self.encodeDelta(plain: values, width: width, into: &delta)
        return delta
    }

    /// Appends the DELTA_BINARY_PACKED encoding of PLAIN INT32 (`width` 4) or INT64 (8) values.
    static func encodeDelta(plain: ArraySlice<UInt8>, width: Int, into output: inout [UInt8]) throws(ParquetError) {
        if width == 4 {
            let values: [Int32] = try Self.decodePlain(plain)
            values.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &output) }
        } else {
            let values: [Int64] = try Self.decodePlain(plain)
            values.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &output) }
        }
    }

    private static func decodePlain<T: FixedWidthInteger>(_ plain: ArraySlice<UInt8>) throws(ParquetError) -> [T] {
        var values: [T] = []
        let result: Result<Int, ParquetError> = plain.withUnsafeBytes { raw in
            Result { () throws(ParquetError) in
                try PlainDecoder.decode(raw, count: raw.count / MemoryLayout<T>.size, into: &values)
            }
        }
        _ = try result.get()
        return values
    }
}
