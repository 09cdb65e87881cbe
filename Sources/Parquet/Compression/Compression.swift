import CZstd

/// Writer-side choice of codec and level.
///
/// Each case maps to one ``CompressionCodec`` stored in the file. The deprecated Hadoop-framed LZ4
/// (``CompressionCodec/lz4``) and LZO are never written, so they have no case here.
///
/// ```swift
/// let compression = try Compression(parsing: "zstd:9")   // .zstd(level: 9)
/// let fallback: Compression = .zstd                       // .zstd(level: 3)
/// ```
public enum Compression: Sendable, Hashable {
    /// Pages are stored as encoded.
    case uncompressed
    /// Raw Snappy block format.
    case snappy
    /// One gzip member (RFC 1952); `level` in `0...9`.
    case gzip(level: Int)
    /// One zstd frame (RFC 8878); `level` in `ZSTD_minCLevel()...ZSTD_maxCLevel()` (negative levels are faster).
    case zstd(level: Int)
    /// A bare LZ4 block (`LZ4_RAW`).
    case lz4Raw
    /// A raw Brotli stream (RFC 7932); `quality` in `0...11`.
    case brotli(quality: Int)

    /// gzip at zlib's default level, 6.
    public static let gzip: Compression = .gzip(level: 6)
    /// zstd at its default level, 3.
    public static let zstd: Compression = .zstd(level: 3)
    /// Brotli at quality 4, a speed close to gzip's with a better ratio.
    public static let brotli: Compression = .brotli(quality: 4)

    /// The codec recorded in `ColumnMetaData.codec`.
    public var codec: CompressionCodec {
        switch self {
        case .uncompressed: .uncompressed
        case .snappy: .snappy
        case .gzip: .gzip
        case .zstd: .zstd
        case .lz4Raw: .lz4Raw
        case .brotli: .brotli
        }
    }

    /// Parses a codec name with an optional level, as configuration files spell it.
    ///
    /// Accepted: `none` or `uncompressed`, `snappy`, `lz4_raw`, `gzip`, `zstd`, `brotli`, and the last three
    /// with a level after a colon (`zstd:9`, `gzip:6`, `brotli:5`). Names are case-insensitive.
    ///
    /// - Throws: ``ParquetError/Code/invalidArgument`` naming the text when the name is unknown, a level is
    ///   given to a codec without levels, or the level is not an integer in the codec's range.
    public init(parsing text: String) throws(ParquetError) {
        let name: Substring
        let levelText: Substring?
        if let colon = text.firstIndex(of: ":") {
            name = text[..<colon]
            levelText = text[text.index(after: colon)...]
        } else {
            name = text[...]
            levelText = nil
        }

        func level(default defaultLevel: Int, in range: ClosedRange<Int>) throws(ParquetError) -> Int {
            guard let levelText else { return defaultLevel }
            guard let level = Int(levelText), range.contains(level) else {
                throw ParquetError(
                    .invalidArgument,
                    "compression \"\(text)\": level must be an integer in \(range.lowerBound)...\(range.upperBound)"
                )
            }
            return level
        }
        func noLevel(_ value: Compression) throws(ParquetError) -> Compression {
            guard levelText == nil else {
                throw ParquetError(.invalidArgument, "compression \"\(text)\": \(name) takes no level")
            }
            return value
        }

        switch name.lowercased() {
        case "none", "uncompressed":
            self = try noLevel(.uncompressed)
        case "snappy":
            self = try noLevel(.snappy)
        case "lz4_raw", "lz4raw":
            self = try noLevel(.lz4Raw)
        case "gzip":
            self = .gzip(level: try level(default: 6, in: Self.gzipLevels))
        case "zstd":
            self = .zstd(level: try level(default: 3, in: Self.zstdLevels))
        case "brotli":
            self = .brotli(quality: try level(default: 4, in: Self.brotliQualities))
        case "lz4":
            throw ParquetError(
                .invalidArgument,
                "compression \"\(text)\": the Hadoop-framed LZ4 codec is deprecated and never written; use lz4_raw"
            )
        default:
            throw ParquetError(
                .invalidArgument,
                "compression \"\(text)\": expected none, snappy, lz4_raw, gzip[:level], zstd[:level] "
                    + "or brotli[:quality]"
            )
        }
    }

    /// Levels zlib accepts.
    static let gzipLevels: ClosedRange<Int> = 0...9
    /// Levels the linked libzstd accepts (-131072...22 in zstd 1.5).
    static var zstdLevels: ClosedRange<Int> { Int(ZSTD_minCLevel())...Int(ZSTD_maxCLevel()) }
    /// Qualities libbrotli accepts.
    static let brotliQualities: ClosedRange<Int> = 0...11
}

extension Compression: CustomStringConvertible {
    /// The spelling ``init(parsing:)`` accepts, for example `zstd:3`.
    public var description: String {
        switch self {
        case .uncompressed: "uncompressed"
        case .snappy: "snappy"
        case .gzip(let level): "gzip:\(level)"
        case .zstd(let level): "zstd:\(level)"
        case .lz4Raw: "lz4_raw"
        case .brotli(let quality): "brotli:\(quality)"
        }
    }
}
