/// One column's chunk writer, by physical type.
///
/// An enum of concrete writers rather than a protocol existential: calls through an existential
/// reach the *unspecialized* generic code of `ColumnChunkWriter`, which looks up type metadata for
/// every value (about half the writer's time in callgrind). Switching here keeps every call
/// specialized.
enum ColumnWriterSlot {
    case boolean(ColumnChunkWriter<BooleanValueEncoder>)
    case int32(ColumnChunkWriter<FixedWidthValueEncoder<Int32>>)
    case int64(ColumnChunkWriter<FixedWidthValueEncoder<Int64>>)
    case float(ColumnChunkWriter<FixedWidthValueEncoder<Float>>)
    case double(ColumnChunkWriter<FixedWidthValueEncoder<Double>>)
    case bytes(ColumnChunkWriter<ByteArrayValueEncoder>)

    init(column: ColumnDescriptor, options: WriterOptions) throws(ParquetError) {
        switch column.physicalType {
        case .boolean:
            self = .boolean(try ColumnChunkWriter(column: column, options: options))
        case .int32:
            self = .int32(try ColumnChunkWriter(column: column, options: options))
        case .int64:
            self = .int64(try ColumnChunkWriter(column: column, options: options))
        case .float:
            self = .float(try ColumnChunkWriter(column: column, options: options))
        case .double:
            self = .double(try ColumnChunkWriter(column: column, options: options))
        case .byteArray, .fixedLenByteArray, .int96:
            self = .bytes(try ColumnChunkWriter(column: column, options: options))
        }
    }

    func write(_ batch: ColumnBatch, slots: Range<Int>, firstValue: Int) throws(ParquetError) -> Int {
        switch self {
        case .boolean(let writer): try writer.write(batch, slots: slots, firstValue: firstValue)
        case .int32(let writer): try writer.write(batch, slots: slots, firstValue: firstValue)
        case .int64(let writer): try writer.write(batch, slots: slots, firstValue: firstValue)
        case .float(let writer): try writer.write(batch, slots: slots, firstValue: firstValue)
        case .double(let writer): try writer.write(batch, slots: slots, firstValue: firstValue)
        case .bytes(let writer): try writer.write(batch, slots: slots, firstValue: firstValue)
        }
    }

    var bufferedBytes: Int {
        switch self {
        case .boolean(let writer): writer.bufferedBytes
        case .int32(let writer): writer.bufferedBytes
        case .int64(let writer): writer.bufferedBytes
        case .float(let writer): writer.bufferedBytes
        case .double(let writer): writer.bufferedBytes
        case .bytes(let writer): writer.bufferedBytes
        }
    }

    var pageMemory: Int {
        switch self {
        case .boolean(let writer): writer.pageMemory
        case .int32(let writer): writer.pageMemory
        case .int64(let writer): writer.pageMemory
        case .float(let writer): writer.pageMemory
        case .double(let writer): writer.pageMemory
        case .bytes(let writer): writer.pageMemory
        }
    }

    func cutPage() throws(ParquetError) {
        switch self {
        case .boolean(let writer): try writer.cutPage()
        case .int32(let writer): try writer.cutPage()
        case .int64(let writer): try writer.cutPage()
        case .float(let writer): try writer.cutPage()
        case .double(let writer): try writer.cutPage()
        case .bytes(let writer): try writer.cutPage()
        }
    }

    /// Compresses the column's large pages on other threads with `offload`, or in place with nil.
    func compressPages(with offload: PageCompressionOffload?) {
        switch self {
        case .boolean(let writer): writer.offload = offload
        case .int32(let writer): writer.offload = offload
        case .int64(let writer): writer.offload = offload
        case .float(let writer): writer.offload = offload
        case .double(let writer): writer.offload = offload
        case .bytes(let writer): writer.offload = offload
        }
    }

    func finish() throws(ParquetError) -> FinishedColumnChunk {
        switch self {
        case .boolean(let writer): try writer.finish()
        case .int32(let writer): try writer.finish()
        case .int64(let writer): try writer.finish()
        case .float(let writer): try writer.finish()
        case .double(let writer): try writer.finish()
        case .bytes(let writer): try writer.finish()
        }
    }
}
