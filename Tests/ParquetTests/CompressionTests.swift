import Testing

@testable import Parquet

@Suite struct CompressionTests {
    /// Every codec the writer can produce, at default and non-default levels.
    static let writable: [Compression] = [
        .uncompressed, .snappy, .gzip, .gzip(level: 1), .gzip(level: 9), .zstd, .zstd(level: -5),
        .zstd(level: 19), .lz4Raw, .brotli, .brotli(quality: 0), .brotli(quality: 11),
    ]

    /// Named inputs: empty, one byte, random, highly repetitive, 3 MB of mixed text.
    static let inputs: [(name: String, bytes: [UInt8])] = [
        ("empty", []),
        ("one byte", [0x2a]),
        ("random 64 KiB", randomBytes(count: 65_536, seed: 1)),
        ("repetitive 1 MiB", [UInt8](repeating: 0x61, count: 1 << 20)),
        ("mixed 3 MB", mixedBytes(count: 3_000_000)),
    ]

    @Test(arguments: writable)
    func roundTripsEveryInput(_ compression: Compression) throws {
        let compressor = try PageCompressor(compression)
        let decompressor = try PageDecompressor(compression.codec)
        for (name, input) in Self.inputs {
            // The slowest levels take seconds on megabytes and exercise nothing new there.
            if compression == .brotli(quality: 11) || compression == .zstd(level: 19), input.count > 100_000 {
                continue
            }
            var compressed: [UInt8] = [0xEE]  // output is appended to, never overwritten
            try input.withUnsafeBytes { try compressor.compress($0, appendingTo: &compressed) }
            #expect(compressed.first == 0xEE, "\(compression) \(name)")
            var output: [UInt8] = [0xDD]
            try compressed.dropFirst().withUnsafeBytes {
                try decompressor.decompress($0, uncompressedSize: input.count, appendingTo: &output)
            }
            #expect(output.first == 0xDD, "\(compression) \(name)")
            #expect(output.dropFirst().elementsEqual(input), "\(compression) \(name)")
            if name.hasPrefix("repetitive"), compression != .uncompressed {
                #expect(compressed.count < input.count / 20, "\(compression) \(name): \(compressed.count) bytes")
            }
        }
    }

    @Test func compressorAndDecompressorAreReusable() throws {
        let compressor = try PageCompressor(.zstd)
        let decompressor = try PageDecompressor(.zstd)
        for seed in 1...5 {
            let input = Self.randomBytes(count: 1000 * seed, seed: UInt64(seed))
            var compressed: [UInt8] = []
            try input.withUnsafeBytes { try compressor.compress($0, appendingTo: &compressed) }
            var output: [UInt8] = []
            try compressed.withUnsafeBytes {
                try decompressor.decompress($0, uncompressedSize: input.count, appendingTo: &output)
            }
            #expect(output == input)
        }
    }

    /// Frames of every zstd tier decode to their input, and switching tiers on one compressor back and forth
    /// changes the frames: the fastest tier's literals stay Huffman-coded (random hex is not stored raw).
    @Test func zstdTiersRoundTripAndDiffer() throws {
        let compressor = try PageCompressor(.zstd(level: 3))
        let decompressor = try PageDecompressor(.zstd)
        let digits = Array("0123456789abcdef".utf8)
        let hex = Self.randomBytes(count: 200_000, seed: 9).map { digits[Int($0 & 15)] }
        var sizes: [CompressionTier: [Int]] = [:]
        for input in [hex, Self.mixedBytes(count: 300_000)] {
            for tier in CompressionTier.allCases + CompressionTier.allCases.reversed() {
                var scratch: [UInt8] = []
                let size = try compressor.compress(input[...], intoPrefixOf: &scratch, tier: tier)
                #expect(compressor.tier == tier)
                var output: [UInt8] = []
                try scratch[0..<size].withUnsafeBytes {
                    try decompressor.decompress($0, uncompressedSize: input.count, appendingTo: &output)
                }
                #expect(output == input, "\(tier)")
                sizes[tier, default: []].append(size)
            }
        }
        // The same tier gives the same frame whatever the tier before it.
        for (tier, each) in sizes { #expect(each[0] == each[1] && each[2] == each[3], "\(tier): \(each)") }
        // Four bits of entropy per byte: Huffman-coded literals take little more than half the input.
        #expect(sizes[.fastest]![0] < hex.count * 6 / 10 && sizes[.skimming]![0] < hex.count * 6 / 10)
        // Each tier is its own setting; without PLAIN byte arrays to take apart, `literalValues` is level -3.
        let settings = CompressionTier.allCases.filter { $0 != .literalValues }
        #expect(Set(settings.map { sizes[$0]![2] }).count == settings.count)
        #expect(sizes[.literalValues] == sizes[.skimming])
    }

    /// The column writer keeps one scratch per page flush: a small page after a large one is written
    /// over the start of the large one's bytes, and only its own length counts.
    @Test(arguments: writable)
    func compressesIntoAReusedScratch(_ compression: Compression) throws {
        let compressor = try PageCompressor(compression)
        let decompressor = try PageDecompressor(compression.codec)
        var scratch: [UInt8] = []
        for count in [50_000, 1_000, 0, 20_000] {
            let input = Self.randomBytes(count: count, seed: UInt64(count + 1)).map { $0 & 0x0F }
            let written = try input.withUnsafeBytes { try compressor.compress($0, intoPrefixOf: &scratch) }
            #expect(scratch.count >= written, "\(compression) \(count)")
            var output: [UInt8] = []
            try scratch[0..<written].withUnsafeBytes {
                try decompressor.decompress($0, uncompressedSize: input.count, appendingTo: &output)
            }
            #expect(output == input, "\(compression) \(count)")
        }
    }

    @Test func gzipWritesAGzipMember() throws {
        let compressed = try Self.compress(Array("hello".utf8), with: .gzip)
        #expect(Array(compressed.prefix(3)) == [0x1f, 0x8b, 0x08])
    }

    @Test func gzipReadsConcatenatedMembers() throws {
        let first = Array("first member, ".utf8)
        let second = Self.mixedBytes(count: 10_000)
        let compressed = try Self.compress(first, with: .gzip) + Self.compress(second, with: .gzip(level: 1))
        #expect(try Self.decompress(compressed, codec: .gzip, size: first.count + second.count) == first + second)
    }

    @Test func gzipReadsZlibWrappedData() throws {
        // A zlib stream with one stored deflate block, built by hand.
        let payload = Array("zlib wrapped".utf8)
        let length = UInt16(payload.count)
        var stream: [UInt8] = [0x78, 0x01, 0x01]
        stream += [UInt8(length & 0xff), UInt8(length >> 8), UInt8(~length & 0xff), UInt8(~length >> 8)]
        stream += payload
        let adler = Self.adler32(payload)
        stream += [UInt8(adler >> 24), UInt8((adler >> 16) & 0xff), UInt8((adler >> 8) & 0xff), UInt8(adler & 0xff)]
        #expect(try Self.decompress(stream, codec: .gzip, size: payload.count) == payload)
    }

    @Test func gzipRejectsATruncatedMember() throws {
        let input = Self.mixedBytes(count: 5000)
        let compressed = try Self.compress(input, with: .gzip)
        let error = #expect(throws: ParquetError.self) {
            try Self.decompress(Array(compressed.dropLast(4)), codec: .gzip, size: input.count)
        }
        #expect(error?.code == .corrupt)
    }

    @Test func zstdReadsSeveralFrames() throws {
        let first = Self.randomBytes(count: 3000, seed: 7)
        let second = [UInt8](repeating: 9, count: 5000)
        let compressed = try Self.compress(first, with: .zstd) + Self.compress(second, with: .zstd(level: 1))
        #expect(try Self.decompress(compressed, codec: .zstd, size: 8000) == first + second)
    }

    @Test func lz4ReadsHadoopFraming() throws {
        let chunks = [
            Self.mixedBytes(count: 70_000), [UInt8](repeating: 1, count: 100), Self.randomBytes(count: 9, seed: 3),
        ]
        var framed: [UInt8] = []
        for chunk in chunks {
            let block = try Self.compress(chunk, with: .lz4Raw)
            framed += Self.bigEndian(UInt32(chunk.count)) + Self.bigEndian(UInt32(block.count)) + block
        }
        let expected = chunks.flatMap { $0 }
        #expect(try Self.decompress(framed, codec: .lz4, size: expected.count) == expected)
    }

    @Test func lz4FallsBackToABareBlock() throws {
        let input = Self.mixedBytes(count: 20_000)
        let block = try Self.compress(input, with: .lz4Raw)
        #expect(try Self.decompress(block, codec: .lz4, size: input.count) == input)
    }

    @Test(arguments: [CompressionCodec.snappy, .gzip, .zstd, .lz4Raw, .lz4, .brotli, .uncompressed])
    func sizeMismatchThrowsCorrupt(_ codec: CompressionCodec) throws {
        let input = Self.mixedBytes(count: 4096)
        let compression: Compression =
            switch codec {
            case .snappy: .snappy
            case .gzip: .gzip
            case .zstd: .zstd
            case .brotli: .brotli
            case .uncompressed: .uncompressed
            default: .lz4Raw
            }
        let compressed = try Self.compress(input, with: compression)
        for size in [input.count - 1, input.count + 1, 0] {
            var output: [UInt8] = [1, 2, 3]
            let error = #expect(throws: ParquetError.self, "\(codec) size \(size)") {
                try compressed.withUnsafeBytes {
                    try PageDecompressor(codec).decompress($0, uncompressedSize: size, appendingTo: &output)
                }
            }
            #expect(error?.code == .corrupt || error?.code == .compression, "\(codec) size \(size)")
            #expect(output == [1, 2, 3], "\(codec): output is left as it was")
        }
    }

    @Test func emptyInputWithZeroSizeNeverReachesTheCodec() throws {
        for codec in CompressionCodec.allCases where codec != .lzo {
            #expect(try Self.decompress([], codec: codec, size: 0) == [])
        }
        let error = #expect(throws: ParquetError.self) { try Self.decompress([], codec: .zstd, size: 10) }
        #expect(error?.code == .corrupt)
    }

    @Test func decompressionBombIsRefusedBeforeAllocating() throws {
        let compressed = try Self.compress([UInt8](repeating: 0, count: 1000), with: .brotli)
        let tooLarge = #expect(throws: ParquetError.self) {
            try Self.decompress(compressed, codec: .brotli, size: (1 << 30) + 1)
        }
        #expect(tooLarge?.code == .limitExceeded)
        let overCustomLimit = #expect(throws: ParquetError.self) {
            var output: [UInt8] = []
            try compressed.withUnsafeBytes {
                try PageDecompressor(.brotli).decompress(
                    $0,
                    uncompressedSize: 1000,
                    appendingTo: &output,
                    maxUncompressedSize: 999
                )
            }
        }
        #expect(overCustomLimit?.code == .limitExceeded)
        let negative = #expect(throws: ParquetError.self) {
            try Self.decompress(compressed, codec: .brotli, size: -1)
        }
        #expect(negative?.code == .corrupt)
    }

    @Test func garbageThrowsATypedError() throws {
        let garbage = Self.randomBytes(count: 200, seed: 11)
        for codec in [CompressionCodec.snappy, .gzip, .zstd, .lz4Raw, .lz4, .brotli] {
            let error = #expect(throws: ParquetError.self, "\(codec)") {
                try Self.decompress(garbage, codec: codec, size: 1000)
            }
            #expect(error?.code == .compression || error?.code == .corrupt, "\(codec)")
        }
    }

    @Test func lzoIsUnsupported() {
        let error = #expect(throws: ParquetError.self) { try PageDecompressor(.lzo) }
        #expect(error?.code == .unsupported)
    }

    @Test func levelsOutOfRangeAreRejected() {
        for compression in [Compression.gzip(level: 10), .zstd(level: 23), .brotli(quality: 12)] {
            let error = #expect(throws: ParquetError.self, "\(compression)") { try PageCompressor(compression) }
            #expect(error?.code == .invalidArgument)
        }
    }

    @Test func codecsMatchTheThriftValues() {
        #expect(Compression.uncompressed.codec == .uncompressed)
        #expect(Compression.snappy.codec.rawValue == 1)
        #expect(Compression.gzip.codec.rawValue == 2)
        #expect(Compression.brotli.codec.rawValue == 4)
        #expect(Compression.zstd.codec.rawValue == 6)
        #expect(Compression.lz4Raw.codec.rawValue == 7)
    }

    @Test(arguments: [
        ("zstd", Compression.zstd(level: 3)),
        ("zstd:9", .zstd(level: 9)),
        ("ZSTD:-1", .zstd(level: -1)),
        ("gzip", .gzip(level: 6)),
        ("gzip:6", .gzip(level: 6)),
        ("gzip:0", .gzip(level: 0)),
        ("snappy", .snappy),
        ("lz4_raw", .lz4Raw),
        ("brotli", .brotli(quality: 4)),
        ("brotli:5", .brotli(quality: 5)),
        ("none", .uncompressed),
        ("uncompressed", .uncompressed),
    ])
    func parsesCompression(_ text: String, _ expected: Compression) throws {
        #expect(try Compression(parsing: text) == expected)
        #expect(try Compression(parsing: expected.description) == expected)
    }

    @Test(arguments: [
        "", "zip", "zstd:", "zstd:x", "zstd:99", "gzip:10", "gzip:-1", "snappy:1", "brotli:12", "lz4", "zstd:3:1",
    ])
    func rejectsBadCompressionText(_ text: String) {
        let error = #expect(throws: ParquetError.self) { try Compression(parsing: text) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("\"\(text)\"") == true)
    }

    // MARK: - Helpers

    static func compress(_ input: [UInt8], with compression: Compression) throws -> [UInt8] {
        var output: [UInt8] = []
        try input.withUnsafeBytes { try PageCompressor(compression).compress($0, appendingTo: &output) }
        return output
    }

    static func decompress(_ input: [UInt8], codec: CompressionCodec, size: Int) throws -> [UInt8] {
        var output: [UInt8] = []
        try input.withUnsafeBytes {
            try PageDecompressor(codec).decompress($0, uncompressedSize: size, appendingTo: &output)
        }
        return output
    }

    /// Deterministic pseudo-random bytes (SplitMix64).
    static func randomBytes(count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 8)
        while bytes.count < count {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            withUnsafeBytes(of: z) { bytes.append(contentsOf: $0) }
        }
        return Array(bytes.prefix(count))
    }

    /// Compressible, log-like text with varying numbers.
    static func mixedBytes(count: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 100)
        var line = 0
        while bytes.count < count {
            bytes += Array("{\"event\":\"page_view\",\"user\":\(line &* 7919 % 10_007),\"seq\":\(line)}\n".utf8)
            line += 1
        }
        return Array(bytes.prefix(count))
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xff), UInt8((value >> 8) & 0xff), UInt8(value & 0xff)]
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return b << 16 | a
    }
}
