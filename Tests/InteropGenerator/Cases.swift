import Parquet

/// The schemas of the matrix. Each is written with every codec, page version and dictionary setting.
enum Cases {
    static func all() -> [InteropCase] {
        [flatPrimitives(), integers(), temporal(), decimals(), strings(), lists(), maps(), structs(), worked()]
    }

    /// Files written once with special options.
    static func special() -> [InteropCase] {
        [
            zeroRows(), manyRowGroups(), optInTypes(), optionalEncodings(), dictionaryFallback(), longStatistics(),
            checksumsAndPageStatistics(.v1), checksumsAndPageStatistics(.v2), enumColumn(), identifiers(),
            integerEncodingTrial(), hexDigests(),
        ]
    }

    static func flatPrimitives() -> InteropCase {
        var random = SeededRandom(state: 1)
        var rows: [[String: ParquetValue]] = []
        let doubles: [Double] = [0, -0.0, 1.5, -2.25, .infinity, -.infinity, .nan, 1e300, .leastNonzeroMagnitude]
        for i in 0..<500 {
            rows.append([
                "id": .int64(Int64(i)),
                "flag": random.chance(20) ? .null : .boolean(random.chance(50)),
                "small": random.chance(10) ? .null : .int32(Int32(random.int(-1000..<1000))),
                "big": .int64(Int64(bitPattern: random.next())),
                "ratio": random.chance(10) ? .null : .float(Float(random.int(-100_000..<100_000)) / 7),
                "score": random.chance(10) ? .null : .double(doubles[i % doubles.count]),
                "name": random.chance(10) ? .null : .string(["alpha", "beta", "gamma", "", "δέλτα"][i % 5]),
                "blob": random.chance(10)
                    ? .null : .bytes((0..<random.int(0..<9)).map { _ in UInt8(random.int(0..<256)) }),
            ])
        }
        return InteropCase(
            name: "flat",
            fields: [
                .int64("id", .required), .boolean("flag"), .int32("small"), .int64("big", .required),
                .float("ratio"), .double("score"), .string("name"), .binary("blob"),
            ],
            rows: rows,
            columnTypes: [
                "id": ["duckdb_type": "BIGINT", "arrow_type": "int64"],
                "flag": ["duckdb_type": "BOOLEAN", "arrow_type": "bool"],
                "small": ["duckdb_type": "INTEGER", "arrow_type": "int32"],
                "ratio": ["duckdb_type": "FLOAT", "arrow_type": "float"],
                "score": ["duckdb_type": "DOUBLE", "arrow_type": "double"],
                "name": ["duckdb_type": "VARCHAR", "arrow_type": "string"],
                "blob": ["duckdb_type": "BLOB", "arrow_type": "binary"],
            ]
        )
    }

    static func integers() -> InteropCase {
        let extremes: [(Int64, Int64)] = [
            (-128, 127), (-32768, 32767), (Int64(Int32.min), Int64(Int32.max)), (Int64.min, Int64.max),
        ]
        var rows: [[String: ParquetValue]] = []
        for i in 0..<64 {
            let pick = i % 3
            func signed(_ k: Int) -> Int64 { pick == 0 ? extremes[k].0 : pick == 1 ? extremes[k].1 : Int64(i - 30) }
            func unsigned(_ bits: Int) -> UInt64 {
                pick == 0 ? 0 : pick == 1 ? (bits == 64 ? UInt64.max : (1 << bits) - 1) : UInt64(i)
            }
            rows.append([
                "i8": .int32(Int32(signed(0))), "i16": .int32(Int32(signed(1))), "i32": .int32(Int32(signed(2))),
                "i64": .int64(signed(3)),
                "u8": .int32(Int32(unsigned(8))), "u16": .int32(Int32(unsigned(16))),
                "u32": .int32(Int32(bitPattern: UInt32(unsigned(32)))), "u64": .int64(Int64(bitPattern: unsigned(64))),
                "maybe": i % 4 == 0 ? .null : .int32(Int32(i)),
            ])
        }
        return InteropCase(
            name: "integers",
            fields: [
                .integer("i8", bitWidth: 8, isSigned: true), .integer("i16", bitWidth: 16, isSigned: true),
                .integer("i32", bitWidth: 32, isSigned: true), .integer("i64", bitWidth: 64, isSigned: true),
                .integer("u8", bitWidth: 8, isSigned: false), .integer("u16", bitWidth: 16, isSigned: false),
                .integer("u32", bitWidth: 32, isSigned: false), .integer("u64", bitWidth: 64, isSigned: false),
                .integer("maybe", bitWidth: 16, isSigned: true),
            ],
            rows: rows,
            columnTypes: [
                "i8": ["duckdb_type": "TINYINT", "arrow_type": "int8"],
                "i16": ["duckdb_type": "SMALLINT", "arrow_type": "int16"],
                "i32": ["duckdb_type": "INTEGER", "arrow_type": "int32"],
                "i64": ["duckdb_type": "BIGINT", "arrow_type": "int64"],
                "u8": ["duckdb_type": "UTINYINT", "arrow_type": "uint8"],
                "u16": ["duckdb_type": "USMALLINT", "arrow_type": "uint16"],
                "u32": ["duckdb_type": "UINTEGER", "arrow_type": "uint32"],
                "u64": ["duckdb_type": "UBIGINT", "arrow_type": "uint64"],
            ]
        )
    }

    static func temporal() -> InteropCase {
        var rows: [[String: ParquetValue]] = []
        let base: Int64 = 1_688_300_000_123_456  // 2023-07-02T12:13:20.123456Z
        for i in 0..<200 {
            let micros = base + Int64(i) * 3_600_000_001 - (i % 7 == 0 ? 1_000_000_000_000_000 : 0)
            rows.append([
                "ts": i % 11 == 0 ? .null : .int64(micros),
                "ts_ms": .int64(micros / 1000),
                "local": .int64(micros),
                "day": i % 13 == 0 ? .null : .int32(Int32(micros / 86_400_000_000)),
            ])
        }
        return InteropCase(
            name: "temporal",
            fields: [
                .timestamp("ts"), .timestamp("ts_ms", unit: .millis, .required),
                .timestamp("local", isAdjustedToUTC: false, .required), .date("day"),
            ],
            rows: rows,
            columnTypes: [
                "ts": ["duckdb_type": "TIMESTAMP WITH TIME ZONE", "arrow_type": "timestamp[us, tz=UTC]"],
                "ts_ms": ["duckdb_type": "TIMESTAMP WITH TIME ZONE", "arrow_type": "timestamp[ms, tz=UTC]"],
                "local": ["duckdb_type": "TIMESTAMP", "arrow_type": "timestamp[us]"],
                "day": ["duckdb_type": "DATE", "arrow_type": "date32[day]"],
            ]
        )
    }

    static func decimals() -> InteropCase {
        var rows: [[String: ParquetValue]] = []
        for i in 0..<120 {
            let sign: Int64 = i % 2 == 0 ? 1 : -1
            let wide = Int128(sign) * (Int128(i) * 1_000_000_000_000_000_007 + 12345)
            var bytes = [UInt8](repeating: 0, count: 16)
            for k in 0..<16 { bytes[15 - k] = UInt8(truncatingIfNeeded: wide >> (8 * k)) }
            rows.append([
                "price": .int32(Int32(sign * Int64(i) * 12345 % 999_999_999)),
                "amount": i % 5 == 0 ? .null : .int64(sign * Int64(i) * 1_234_567_890_123),
                "huge": .bytes(bytes),
            ])
        }
        return InteropCase(
            name: "decimals",
            fields: [
                .decimal("price", precision: 9, scale: 2, .required), .decimal("amount", precision: 18, scale: 4),
                .decimal("huge", precision: 38, scale: 10, .required),
            ],
            rows: rows,
            // fastparquet reads decimals as float64 and loses precision.
            readers: ["pyarrow", "duckdb", "polars", "spark"],
            columnTypes: [
                "price": ["duckdb_type": "DECIMAL(9,2)", "arrow_type": "decimal128(9, 2)"],
                "amount": ["duckdb_type": "DECIMAL(18,4)", "arrow_type": "decimal128(18, 4)"],
                "huge": ["duckdb_type": "DECIMAL(38,10)", "arrow_type": "decimal128(38, 10)"],
            ]
        )
    }

    static func strings() -> InteropCase {
        let samples = [
            "", "a", "plain ascii", "naïve café", "日本語のテキスト", "emoji 🚀🔥👩‍👩‍👧", "e\u{301} combining",
            "quote \" backslash \\ tab \t newline \n", "\u{0}nul inside", String(repeating: "long ", count: 2000),
        ]
        var rows: [[String: ParquetValue]] = []
        for i in 0..<300 {
            rows.append([
                "text": i % 9 == 0 ? .null : .string(samples[i % samples.count]),
                "doc": .string("{\"n\":\(i),\"tags\":[\"x\",\"y\"]}"),
                "required_text": .string(samples[(i * 7) % samples.count]),
            ])
        }
        return InteropCase(
            name: "strings",
            fields: [.string("text"), .json("doc"), .string("required_text", .required)],
            rows: rows,
            columnTypes: [
                "text": ["duckdb_type": "VARCHAR", "arrow_type": "string"],
                "required_text": ["duckdb_type": "VARCHAR", "arrow_type": "string"],
                "doc": ["duckdb_type": "JSON"],
            ]
        )
    }

    static func lists() -> InteropCase {
        var random = SeededRandom(state: 7)
        var rows: [[String: ParquetValue]] = []
        for i in 0..<300 {
            let tags: ParquetValue
            switch i % 5 {
            case 0: tags = .null
            case 1: tags = .list([])
            default:
                tags = .list(
                    (0..<random.int(1..<5)).map { k in random.chance(15) ? .null : .string("tag\(k + i % 3)") }
                )
            }
            let matrix: ParquetValue =
                i % 7 == 0
                ? .null
                : .list(
                    (0..<random.int(0..<4)).map { _ in
                        random.chance(10)
                            ? .null : .list((0..<random.int(0..<3)).map { _ in .int64(Int64(random.int(-50..<50))) })
                    }
                )
            rows.append(["id": .int32(Int32(i)), "tags": tags, "matrix": matrix])
        }
        return InteropCase(
            name: "lists",
            fields: [
                .int32("id", .required), .list("tags", element: .string("element")),
                .list("matrix", element: .list("element", element: .int64("element", .required))),
            ],
            rows: rows,
            readers: ["pyarrow", "duckdb", "polars", "spark"],
            columnTypes: [
                "tags": ["duckdb_type": "VARCHAR[]", "arrow_type": "list<element: string>"],
                "matrix": ["duckdb_type": "BIGINT[][]", "arrow_type": "list<element: list<element: int64 not null>>"],
            ]
        )
    }

    static func maps() -> InteropCase {
        var rows: [[String: ParquetValue]] = []
        for i in 0..<200 {
            let attributes: ParquetValue =
                i % 6 == 0
                ? .null
                : i % 6 == 1
                    ? .map([])
                    : .map(
                        (0..<(i % 4 + 1)).map { k in
                            .init(.string("k\(k)"), (i + k) % 5 == 0 ? .null : .string("v\(i)-\(k)"))
                        }
                    )
            let counts: ParquetValue = .map((0..<(i % 3)).map { k in .init(.string("c\(k)"), .int64(Int64(i * k))) })
            rows.append(["id": .int64(Int64(i)), "attributes": attributes, "counts": counts])
        }
        return InteropCase(
            name: "maps",
            fields: [
                .int64("id", .required), .map("attributes", key: .string("key"), value: .string("value")),
                .map("counts", key: .string("key"), value: .int64("value", .required), .required),
            ],
            rows: rows,
            readers: ["pyarrow", "duckdb", "polars", "spark"],
            columnTypes: [
                "attributes": [
                    "duckdb_type": "MAP(VARCHAR, VARCHAR)", "arrow_type": "map<string, string ('attributes')>",
                ],
                "counts": ["duckdb_type": "MAP(VARCHAR, BIGINT)"],
            ]
        )
    }

    static func structs() -> InteropCase {
        var rows: [[String: ParquetValue]] = []
        for i in 0..<150 {
            var deep: ParquetValue = .group(["leaf": i % 4 == 0 ? .null : .string("depth-\(i)")])
            for level in 0..<5 { deep = i % 9 == level ? .null : .group(["next": deep, "n": .int32(Int32(level))]) }
            let items: ParquetValue = .list(
                (0..<(i % 3)).map { k in
                    .group([
                        "sku": .string("sku-\(k)"), "qty": .int32(Int32(k + 1)),
                        "note": k == 1 ? .null : .string("n\(k)"),
                    ])
                }
            )
            rows.append([
                "user": i % 10 == 0
                    ? .null
                    : .group(["name": .string("user\(i)"), "age": i % 3 == 0 ? .null : .int32(Int32(20 + i % 50))]),
                "deep": deep,
                "items": items,
            ])
        }
        var deepField = Field.group("next", [.string("leaf")])
        for _ in 0..<4 { deepField = .group("next", [deepField, .int32("n")]) }
        deepField.name = "deep"
        return InteropCase(
            name: "structs",
            fields: [
                .group("user", [.string("name"), .int32("age")]), deepField,
                .list(
                    "items",
                    element: .group("element", [.string("sku", .required), .int32("qty"), .string("note")])
                ),
            ],
            rows: rows,
            readers: ["pyarrow", "duckdb", "polars", "spark"],
            columnTypes: ["user": ["duckdb_type": "STRUCT(\"name\" VARCHAR, age INTEGER)"]]
        )
    }

    /// PARQUET.md §3.3.
    static func worked() -> InteropCase {
        let rows: [[String: ParquetValue]] = [
            [
                "id": .int64(1), "tags": .list([.string("a"), .string("b")]),
                "attrs": .map([.init(.string("k1"), .string("v1")), .init(.string("k2"), .null)]),
            ],
            ["id": .int64(2), "tags": .null, "attrs": .null],
            ["id": .int64(3), "tags": .list([]), "attrs": .map([])],
            [
                "id": .int64(4), "tags": .list([.null, .string("c")]),
                "attrs": .map([.init(.string("k3"), .string("v3"))]),
            ],
        ]
        return InteropCase(
            name: "worked_example",
            fields: [
                .int64("id", .required), .list("tags", element: .string("element")),
                .map("attrs", key: .string("key"), value: .string("value")),
            ],
            rows: rows,
            readers: ["pyarrow", "duckdb", "polars", "spark"],
            leaves: [
                "tags.list.element": [
                    "statistics": ["min": "a", "max": "c", "null_count": 3, "min_exact": true, "max_exact": true]
                ]
            ]
        )
    }

    // MARK: Special files

    static func zeroRows() -> InteropCase {
        var c = flatPrimitives()
        c.name = "zero_rows"
        c.rows = []
        c.expectedRowGroups = 0
        return c
    }

    static func manyRowGroups() -> InteropCase {
        var rows: [[String: ParquetValue]] = []
        for i in 0..<2000 {
            rows.append([
                "id": .int64(Int64(i)), "user": .string("user-\(i % 300)"),
                "value": i % 17 == 0 ? .null : .double(Double(i) / 4),
            ])
        }
        var options = WriterOptions()
        options.rowGroupMaxRows = 500
        options.dataPageRowLimit = 37
        options.compression = .zstd
        // Low false-positive rates, so the absent probes below are excluded in every row group.
        options.columns["id"] = ColumnOptions(bloomFilter: BloomFilterOptions(falsePositiveProbability: 0.001))
        options.columns["user"] = ColumnOptions(bloomFilter: BloomFilterOptions(falsePositiveProbability: 0.001))
        options.keyValueMetadata = ["laketap.stream": "interop", "empty": ""]
        return InteropCase(
            name: "many_row_groups",
            fields: [.int64("id", .required), .string("user", .required), .double("value")],
            rows: rows,
            options: options,
            leaves: [
                "id": [
                    "statistics": ["min": 0, "max": 499, "null_count": 0, "min_exact": true, "max_exact": true],
                    "bloom": ["present": [0, 1, 250, 499], "absent": [-1, 5000, 123_456_789]],
                    "has_page_index": true,
                ],
                "user": [
                    "bloom": [
                        "present": ["user-0", "user-299", "user-150"], "absent": ["nobody", "user-300", "USER-1"],
                    ]
                ],
            ],
            expectedRowGroups: 4,
            batchRows: 333
        )
    }

    static func optInTypes() -> InteropCase {
        var rows: [[String: ParquetValue]] = []
        let halves: [UInt16] = [0x3C00, 0xC000, 0x0000, 0x8000, 0x7BFF, 0x3555]
        for i in 0..<60 {
            let uuid = (0..<16).map { UInt8(truncatingIfNeeded: $0 &* 17 &+ i) }
            let half = halves[i % halves.count]
            rows.append([
                "id": i % 5 == 0 ? .null : .bytes(uuid),
                "half": .bytes([UInt8(half & 0xFF), UInt8(half >> 8)]),
                "at": .int64(1_688_300_000_123_456_789 + Int64(i)),
                "clock_ms": .int32(Int32(i * 1000 + 7)),
                "clock_us": .int64(Int64(i) * 1_000_000 + 3),
            ])
        }
        return InteropCase(
            name: "opt_in_types",
            fields: [
                .uuid("id"), .float16("half", .required), .timestamp("at", unit: .nanos, .required),
                .time("clock_ms", unit: .millis, .required), .time("clock_us", unit: .micros, .required),
            ],
            rows: rows,
            readers: ["pyarrow", "duckdb", "polars"],
            columnTypes: [
                "id": ["duckdb_type": "UUID"],
                "at": ["arrow_type": "timestamp[ns, tz=UTC]"],
                "clock_us": ["duckdb_type": "TIME WITH TIME ZONE"],
            ]
        )
    }

    static func optionalEncodings() -> InteropCase {
        var random = SeededRandom(state: 11)
        var rows: [[String: ParquetValue]] = []
        for i in 0..<3000 {
            rows.append([
                "seq32": .int32(Int32(i * 3 - 500)),
                "seq64": i % 10 == 0 ? .null : .int64(Int64(i) * 1_000_003 + Int64(random.int(0..<100))),
                "path": .string("/api/v1/items/\(i / 7)/detail"),
                "label": i % 8 == 0 ? .null : .string("label-\(random.int(0..<100_000))"),
                "x": .float(Float(i) * 0.25),
                "y": i % 6 == 0 ? .null : .double(Double(random.int(-1_000_000..<1_000_000)) / 1000),
            ])
        }
        var options = WriterOptions()
        options.dictionaryEnabled = false
        options.dataPageRowLimit = 1000
        options.columns = [
            "seq32": ColumnOptions(encoding: .deltaBinaryPacked), "seq64": ColumnOptions(encoding: .deltaBinaryPacked),
            "path": ColumnOptions(encoding: .deltaByteArray), "label": ColumnOptions(encoding: .deltaLengthByteArray),
            "x": ColumnOptions(encoding: .byteStreamSplit), "y": ColumnOptions(encoding: .byteStreamSplit),
        ]
        return InteropCase(
            name: "optional_encodings",
            fields: [
                .int32("seq32", .required), .int64("seq64"), .string("path", .required), .string("label"),
                .float("x", .required), .double("y"),
            ],
            rows: rows,
            options: options,
            readers: ["pyarrow", "duckdb", "polars", "spark"],
            leaves: [
                "seq32": ["encodings": ["DELTA_BINARY_PACKED", "RLE"]],
                "path": ["encodings": ["DELTA_BYTE_ARRAY", "RLE"]],
                "label": ["encodings": ["DELTA_LENGTH_BYTE_ARRAY", "RLE"]],
                "y": ["encodings": ["BYTE_STREAM_SPLIT", "RLE"]],
            ]
        )
    }

    static func dictionaryFallback() -> InteropCase {
        var rows: [[String: ParquetValue]] = []
        for i in 0..<5000 {
            // 50 distinct words per 500 rows: the dictionary pays on the first page, then outgrows 4 KiB.
            let word = i % 50 + 50 * (i / 500)
            rows.append([
                "word": .string("w\(word)-\(String(repeating: "x", count: word % 13))"), "n": .int64(Int64(i % 40)),
            ])
        }
        var options = WriterOptions()
        options.dictionaryPageSizeLimit = 4096
        options.dataPageRowLimit = 250
        return InteropCase(
            name: "dictionary_fallback",
            fields: [.string("word", .required), .int64("n", .required)],
            rows: rows,
            options: options,
            // fastparquet 2026.9 returns nulls after a mid-chunk fallback, also for pyarrow's own files.
            readers: ["pyarrow", "duckdb", "polars", "spark"],
            leaves: [
                "word": ["encodings": ["PLAIN", "RLE", "RLE_DICTIONARY"], "has_dictionary_page": true],
                "n": ["encodings": ["PLAIN", "RLE", "RLE_DICTIONARY"], "has_dictionary_page": true],
            ]
        )
    }

    static func longStatistics() -> InteropCase {
        let long = String(repeating: "m", count: 100)
        let rows: [[String: ParquetValue]] = [
            ["s": .string(String(repeating: "a", count: 70))], ["s": .string(long)],
            ["s": .string(String(repeating: "y", count: 100_000))],
            ["s": .null],
        ]
        return InteropCase(
            name: "long_statistics",
            fields: [.string("s")],
            rows: rows,
            leaves: [
                "s": [
                    "statistics": [
                        "min": String(repeating: "a", count: 64), "max": String(repeating: "y", count: 63) + "z",
                        "null_count": 1, "min_exact": false, "max_exact": false,
                    ]
                ]
            ]
        )
    }

    /// Page CRCs and statistics in every page header; pyarrow verifies the CRCs.
    static func checksumsAndPageStatistics(_ version: WriterOptions.DataPageVersion) -> InteropCase {
        var testCase = lists()
        testCase.name = "checksums_page_statistics_\(version == .v1 ? "v1" : "v2")"
        testCase.options.pageChecksums = true
        testCase.options.pageHeaderStatistics = true
        testCase.options.dataPageVersion = version
        testCase.options.dataPageRowLimit = 50
        testCase.options.compression = .gzip
        testCase.pageChecksums = true
        return testCase
    }

    /// Digests and UUIDs in PLAIN pages large enough for the zstd level trial, which compresses them from
    /// their values as literals and their length prefixes as repeat-offset matches
    /// (`CompressionTier.literalValues`): frames built from sequences, read by every reader.
    static func identifiers() -> InteropCase {
        var random = SeededRandom(state: 13)
        let digits = Array("0123456789abcdef".utf8)
        func hex(_ count: Int) -> String {
            String(decoding: (0..<count).map { _ in digits[random.int(0..<16)] }, as: UTF8.self)
        }
        var rows: [[String: ParquetValue]] = []
        for i in 0..<40_000 {
            let uuid = [hex(8), hex(4), "4" + hex(3), hex(4), hex(12)].joined(separator: "-")
            rows.append([
                "digest": i % 11 == 0 ? .null : .string(hex(32)),
                "uuid": .string(uuid),
                "token": .string(hex(random.int(0..<40))),
            ])
        }
        var options = WriterOptions()
        options.compression = .zstd
        options.dictionaryEnabled = false
        return InteropCase(
            name: "identifiers",
            fields: [.string("digest"), .string("uuid", .required), .string("token", .required)],
            rows: rows,
            options: options,
            columnTypes: ["digest": ["duckdb_type": "VARCHAR", "arrow_type": "string"]],
            leaves: [
                "digest": ["encodings": ["PLAIN", "RLE"]],
                "uuid": ["encodings": ["PLAIN", "RLE"]],
            ],
            batchRows: 40_000
        )
    }

    /// Pages of hex digits of one length and case, whose zstd frames Laketap writes itself (decision
    /// 0015): lower and upper case, 16 to 64 digits, several 128 KiB blocks a page, nulls before the
    /// values; every reader's zstd decodes them.
    static func hexDigests() -> InteropCase {
        var random = SeededRandom(state: 31)
        func hex(_ count: Int, _ digits: String) -> String {
            let digits = Array(digits.utf8)
            return String(decoding: (0..<count).map { _ in digits[random.int(0..<16)] }, as: UTF8.self)
        }
        var rows: [[String: ParquetValue]] = []
        for i in 0..<30_000 {
            rows.append([
                "md5": i % 13 == 0 ? .null : .string(hex(32, "0123456789abcdef")),
                "sha1": .string(hex(40, "0123456789ABCDEF")),
                "span": .string(hex(16, "0123456789abcdef")),
                "sha256": .string(hex(64, "0123456789abcdef")),
            ])
        }
        var options = WriterOptions()
        options.compression = .zstd
        options.dictionaryEnabled = false
        return InteropCase(
            name: "hex_digests",
            fields: [
                .string("md5"), .string("sha1", .required), .string("span", .required), .string("sha256", .required),
            ],
            rows: rows,
            options: options,
            leaves: ["md5": ["encodings": ["PLAIN", "RLE"]], "sha256": ["encodings": ["PLAIN", "RLE"]]],
            batchRows: 30_000
        )
    }

    /// The writer's integer encoding trial (decision 0014), on by default: event times with nulls, dates
    /// and a sequence take DELTA_BINARY_PACKED after their dictionaries fall back; a repeating pattern of
    /// unrelated values stays PLAIN. Every reader, fastparquet included, reads both.
    static func integerEncodingTrial() -> InteropCase {
        var random = SeededRandom(state: 29)
        let pattern = (0..<500).map { _ in Int64(random.int(0..<1_000_000_000_000)) - 500_000_000_000 }
        var time: Int64 = 1_687_046_400_000_000
        var sequence: Int32 = -1_000_000
        var rows: [[String: ParquetValue]] = []
        for i in 0..<60_000 {
            time += Int64(random.int(0..<2_000_000))
            sequence += Int32(random.int(0..<50))
            rows.append([
                "time": i % 17 == 0 ? .null : .int64(time),
                "day": .int32(Int32(19_000 + i / 7 + random.int(0..<3))),
                "sequence": .int32(sequence),
                "pattern": .int64(pattern[i % pattern.count]),
            ])
        }
        var options = WriterOptions()
        options.compression = .zstd
        options.dictionaryPageSizeLimit = 16 << 10
        return InteropCase(
            name: "integer_encoding_trial",
            fields: [
                .timestamp("time"), .date("day", .required), .int32("sequence", .required),
                .int64("pattern", .required),
            ],
            rows: rows,
            options: options,
            columnTypes: [
                "time": ["duckdb_type": "TIMESTAMP WITH TIME ZONE", "arrow_type": "timestamp[us, tz=UTC]"],
                "day": ["duckdb_type": "DATE", "arrow_type": "date32[day]"],
            ],
            leaves: [
                // The first page, of the dictionary's 2,048 values, is PLAIN: too small for the trial.
                "time": ["encodings": ["DELTA_BINARY_PACKED", "PLAIN", "RLE"]],
                "day": ["encodings": ["DELTA_BINARY_PACKED", "PLAIN", "RLE", "RLE_DICTIONARY"]],
                "sequence": ["encodings": ["DELTA_BINARY_PACKED", "PLAIN", "RLE"]],
                "pattern": ["encodings": ["PLAIN", "RLE", "RLE_DICTIONARY"]],
            ],
            batchRows: 60_000
        )
    }

    /// ENUM strings: pyarrow and polars read them as binary, so only DuckDB and Spark check values.
    static func enumColumn() -> InteropCase {
        let rows: [[String: ParquetValue]] = (0..<40).map { i in
            ["level": i % 7 == 0 ? .null : .string(["debug", "info", "warn", "error"][i % 4])]
        }
        return InteropCase(
            name: "enum_column",
            fields: [.enum("level")],
            rows: rows,
            readers: ["duckdb", "spark"],
            columnTypes: ["level": ["duckdb_type": "VARCHAR"]]
        )
    }
}
