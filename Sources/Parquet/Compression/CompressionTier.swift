import CZstd

/// How hard zstd works on a column's frames: the configured level, or one of the cheaper settings that the
/// column's level trial (once per file) picks when they compress its data as small
/// (``WriterOptions/compressionLevelTrial``).
///
/// On high-entropy data (random identifiers, hashes, random text) the cheaper settings are faster and often
/// smaller: zstd's longer match search at level 3 keeps short matches that cost more than the literals they
/// replace, and finds few, slowly.
enum CompressionTier: Sendable, CaseIterable {
    /// No match search: a page's PLAIN BYTE_ARRAY values as Huffman-coded literals, and each 4-byte length
    /// prefix that equals the one before it as a match at that distance, which is a repeat offset when the
    /// values have one length (``ValueLiteralSequences``, decision 0013). On hex digests and UUIDs, which
    /// match nothing but their length prefixes, its frames are smaller than ``skimming``'s in about half the
    /// time. A page of hex digits of one length and case gets a frame written without zstd
    /// (``HexDigestFrame``, decision 0015). A page of other values gets ``skimming``'s settings.
    case literalValues
    /// Level -3, Huffman-coded literals like ``fastest``'s; its match search strides further over bytes
    /// that match nothing. On hex digests (32 digits and their length, 36 bytes a value) its frames are
    /// as small as level -1's in two thirds of the time; on UUIDs (40 bytes a value) 2% larger.
    case skimming
    /// Level -1, whose literals are still Huffman-coded (negative levels store them raw by default). Hex
    /// digits and random identifiers are mostly literals, so it keeps their size.
    case fastest
    /// Level 1.
    case fast
    /// zstd's `fast` strategy (level 2's) with a window over the whole page, up to 8 MiB, a hash table of
    /// 2^16 entries (256 KiB, a quarter of the core's L2 here; 2^17 was 0.3% smaller on JSON text and 4.5%
    /// slower) and matches of at least 7 bytes (on JSON text smaller and faster than 6, decision 0012);
    /// tried from level 3 up (``Compression/hasWideTier``).
    /// The levels' own windows are smaller than a page of several MiB (2 MiB at level 3), so on long,
    /// repetitive strings (JSON text in a column) this tier's frames come out smaller than level 3's
    /// `dfast` ones, at 1.2 to 1.5 times the speed.
    case wide
    /// The configured level.
    case configured

    /// The configured level or ``wide``: the tiers a level trial always measures on the whole page, and
    /// measures again in its second trial when the first kept one.
    var isStrong: Bool { self == .configured || self == .wide }

    func zstdLevel(configured: Int32) -> Int32 {
        switch self {
        case .literalValues, .skimming: -3
        case .fastest: -1
        case .fast: 1
        case .wide: 2
        case .configured: configured
        }
    }

    /// Whether a level trial keeps ``skimming``'s frame of `size` bytes over ``fastest``'s of `fastest`:
    /// when it is at most 1% larger, which its saved time pays for.
    static func prefersSkimming(_ size: Int, fastest: Int) -> Bool {
        size * 100 <= fastest * 101
    }

    /// Whether a level trial keeps ``literalValues``'s frame of `size` bytes over the cheap tiers' of
    /// `cheapest`: when it is at most 1% larger, which its saved time pays for.
    static func prefersLiteralValues(_ size: Int, cheapest: Int) -> Bool {
        size * 100 <= cheapest * 101
    }

    /// Whether a level trial tries the configured level after the cheap tiers' smaller frame came to
    /// `cheapest` bytes of `pageBytes`: not when that is over 45% of the page, data that is mostly literals,
    /// which the configured level's longer match search codes no better, only slower.
    static func triesConfigured(pageBytes: Int, cheapest: Int) -> Bool {
        cheapest * 100 <= pageBytes * 45
    }

    /// Whether a level trial keeps the configured level's frame of `size` bytes over the cheap tiers' of
    /// `cheapest`: when it is more than 2% smaller, which pays for its two to four times the time.
    static func keepsConfigured(_ size: Int, cheapest: Int) -> Bool {
        size * 100 < cheapest * 98
    }

    /// Whether a level trial takes the wide tier's frame of `size` bytes in place of the configured
    /// level's of `configured`: only when it is no larger, so the file never grows for the time saved.
    static func prefersWide(_ size: Int, configured: Int) -> Bool {
        size <= configured
    }

    /// ``wide``'s parameters. A window of 8 MiB is the most the zstd format asks every decoder to
    /// support; zstd shrinks it to the page when the page is smaller.
    static let wideStrategy: Int32 = 1
    static let wideWindowLog: Int32 = 23
    static let wideHashLog: Int32 = 16
    static let wideMinMatch: Int32 = 7

    /// `ZSTD_c_literalCompressionMode` (a macro for `ZSTD_c_experimentalParam5`, which Swift does not
    /// import) and its `ZSTD_ps_enable`; 0 is `ZSTD_ps_auto`, the library's choice by level.
    static let literalCompressionMode = ZSTD_c_experimentalParam5
    static let huffmanLiterals = Int32(ZSTD_ps_enable.rawValue)
}
