import Testing

@testable import Parquet

/// Byte-for-byte Thrift compact encodings of the structures pyarrow 26 writes (PARQUET.md §10).
@Suite struct ThriftGoldenTests {
    @Test func dataPageHeaderWithEmptyStatistics() {
        let header = PageHeader(
            type: .dataPage,
            uncompressedPageSize: 12,
            compressedPageSize: 12,
            dataPageHeader: DataPageHeader(numValues: 3, encoding: .plain, statistics: Statistics())
        )
        #expect(hexString(header.thriftBytes()) == "15 00 15 18 15 18 2c 15 06 15 00 15 06 15 06 1c 00 00 00")
    }

    @Test func statisticsWithExactnessFlags() {
        var max = [UInt8]()
        max.appendLittleEndian(Int64(4))
        var min = [UInt8]()
        min.appendLittleEndian(Int64(1))
        let header = PageHeader(
            type: .dataPage,
            uncompressedPageSize: 32,
            compressedPageSize: 32,
            dataPageHeader: DataPageHeader(
                numValues: 4,
                encoding: .plain,
                statistics: Statistics(
                    legacyMax: max,
                    legacyMin: min,
                    nullCount: 0,
                    maxValue: max,
                    minValue: min,
                    isMaxValueExact: true,
                    isMinValueExact: true
                )
            )
        )
        let expected =
            "15 00 15 40 15 40 2c 15 08 15 00 15 06 15 06 1c 18 08 04 00 00 00 00 00 00 00 18 08 01 00 00 00 00 00 00 00"
            + " 16 00 28 08 04 00 00 00 00 00 00 00 18 08 01 00 00 00 00 00 00 00 11 11 00 00 00"
        #expect(hexString(header.thriftBytes()) == expected)
    }

    @Test func dictionaryPageHeader() {
        let header = PageHeader(
            type: .dictionaryPage,
            uncompressedPageSize: 10,
            compressedPageSize: 10,
            dictionaryPageHeader: DictionaryPageHeader(numValues: 2, encoding: .plain, isSorted: false)
        )
        #expect(hexString(header.thriftBytes()) == "15 04 15 14 15 14 4c 15 04 15 00 12 00 00")
    }

    @Test func dataPageHeaderV2() {
        let header = PageHeader(
            type: .dataPageV2,
            uncompressedPageSize: 5,
            compressedPageSize: 5,
            dataPageHeaderV2: DataPageHeaderV2(
                numValues: 5,
                numNulls: 1,
                numRows: 5,
                encoding: .rleDictionary,
                definitionLevelsByteLength: 2,
                repetitionLevelsByteLength: 0,
                isCompressed: false,
                statistics: Statistics()
            )
        )
        #expect(
            hexString(header.thriftBytes()) == "15 06 15 0a 15 0a 5c 15 0a 15 02 15 0a 15 10 15 04 15 00 12 1c 00 00 00"
        )
    }

    @Test func bloomFilterHeader() {
        #expect(
            hexString(BloomFilterHeader(numBytes: 1024).thriftBytes())
                == "15 80 10 1c 1c 00 00 1c 1c 00 00 1c 1c 00 00 00"
        )
    }

    /// The footer of pyarrow's 157-byte file: one REQUIRED INT32 column `a` = [1, 2, 3].
    @Test func pyarrowFooter() {
        let footer = FileMetaData(
            version: 2,
            schema: [
                SchemaElement(repetitionType: .required, name: "schema", numChildren: 1),
                SchemaElement(type: .int32, repetitionType: .required, name: "a"),
            ],
            numRows: 3,
            rowGroups: [
                RowGroup(
                    columns: [
                        ColumnChunk(
                            metaData: ColumnMetaData(
                                type: .int32,
                                encodings: [.rle, .plain],
                                pathInSchema: ["a"],
                                codec: .uncompressed,
                                numValues: 3,
                                totalUncompressedSize: 31,
                                totalCompressedSize: 31,
                                dataPageOffset: 4,
                                encodingStats: [PageEncodingStats(pageType: .dataPage, encoding: .plain, count: 1)]
                            )
                        )
                    ],
                    totalByteSize: 31,
                    numRows: 3,
                    fileOffset: 4,
                    totalCompressedSize: 31
                )
            ],
            createdBy: "parquet-cpp-arrow version 26.0.1",
            columnOrders: [.typeDefinedOrder]
        )
        let expected =
            "15 04 19 2c 35 00 18 06 73 63 68 65 6d 61 15 02 00 15 02 25 00 18 01 61 00 16 06 19 1c 19 1c 26 00 1c"
            + " 15 02 19 25 06 00 19 18 01 61 15 00 16 06 16 3e 16 3e 26 08 49 1c 15 00 15 00 15 02 00 00 00"
            + " 16 3e 16 06 26 08 16 3e 00 28 20 70 61 72 71 75 65 74 2d 63 70 70 2d 61 72 72 6f 77 20 76 65 72"
            + " 73 69 6f 6e 20 32 36 2e 30 2e 31 19 1c 1c 00 00 00"
        let bytes = footer.thriftBytes()
        #expect(hexString(bytes) == expected)
        #expect(bytes.count == 114)
    }

    @Test func longFormFieldHeaderForLargeDeltas() {
        var writer = ThriftCompactWriter()
        writer.beginStruct()
        writer.field(1, i32: 1)
        writer.field(32767, binary: [])
        writer.endStruct()
        #expect(hexString(writer.bytes) == "15 02 08 fe ff 03 00 00")
    }

    @Test func listHeaders() {
        var writer = ThriftCompactWriter()
        writer.listHeader(.i32, count: 14)
        writer.listHeader(.i32, count: 15)
        writer.listHeader(.struct, count: 300)
        #expect(hexString(writer.bytes) == "e5 f5 0f fc ac 02")
    }
}
