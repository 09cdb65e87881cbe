/// MD5 (RFC 1321), for the `payload_md5` field of the events workload.
///
/// MD5 is broken as a cryptographic hash; the workload uses it only because the record format does.
public enum MD5 {
    /// The 16-byte digest of `message`.
    public static func digest(_ message: some Collection<UInt8>) -> [UInt8] {
        let state = Self.state(message)
        var digest: [UInt8] = []
        digest.reserveCapacity(16)
        for word in [state.0, state.1, state.2, state.3] {
            for index in 0..<4 { digest.append(UInt8(truncatingIfNeeded: word >> UInt32(8 * index))) }
        }
        return digest
    }

    /// The four state words after hashing `message`; the digest is their little-endian bytes.
    private static func state(_ message: some Collection<UInt8>) -> (UInt32, UInt32, UInt32, UInt32) {
        // The message, 0x80, zeros up to 56 mod 64, then the bit length, little-endian.
        let bitLength = UInt64(message.count) &* 8
        var padded = [UInt8]()
        padded.reserveCapacity((message.count + 8) / 64 * 64 + 64)
        padded.append(contentsOf: message)
        padded.append(0x80)
        while padded.count % 64 != 56 { padded.append(0) }
        for index in 0..<8 { padded.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(8 * index))) }

        var state: (UInt32, UInt32, UInt32, UInt32) = (0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476)
        padded.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                Self.compress(&state, UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + 64)]))
                offset += 64
            }
        }
        return state
    }

    /// The digest of `message` as 32 lowercase hexadecimal digits (Python's `hexdigest()`).
    public static func hexDigest(_ message: some Collection<UInt8>) -> String {
        var buffer = JSONBuffer(capacity: 32)
        for byte in Self.digest(message) { buffer.append(hex: UInt64(byte), digits: 2) }
        return String(decoding: buffer.bytes, as: UTF8.self)
    }

    /// Appends the hexadecimal digest of `message` to `buffer`.
    public static func appendHexDigest(of message: some Collection<UInt8>, to buffer: inout JSONBuffer) {
        let state = Self.state(message)
        for word in [state.0, state.1, state.2, state.3] {
            // Little-endian bytes, each as two hex digits: byte-swap, then print the word as 8 digits.
            buffer.append(hex: UInt64(word.byteSwapped), digits: 8)
        }
    }

    private static func compress(_ state: inout (UInt32, UInt32, UInt32, UInt32), _ block: UnsafeRawBufferPointer) {
        var m = (
            UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0),
            UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0)
        )
        withUnsafeMutableBytes(of: &m) { words in
            words.copyMemory(from: block)
        }
        var a = state.0
        var b = state.1
        var c = state.2
        var d = state.3
        withUnsafeBytes(of: &m) { raw in
            let words = raw.bindMemory(to: UInt32.self)
            Self.shifts.withUnsafeBufferPointer { shifts in
                Self.constants.withUnsafeBufferPointer { constants in
                    @inline(__always) func step(_ f: UInt32, _ round: Int, _ g: Int) {
                        let sum = f &+ a &+ constants[round] &+ UInt32(littleEndian: words[g])
                        a = d
                        d = c
                        c = b
                        let shift = shifts[round]
                        b = b &+ (sum &<< shift | sum &>> (32 &- shift))
                    }
                    for round in 0..<16 { step((b & c) | (~b & d), round, round) }
                    for round in 16..<32 { step((d & b) | (~d & c), round, (5 &* round &+ 1) & 15) }
                    for round in 32..<48 { step(b ^ c ^ d, round, (3 &* round &+ 5) & 15) }
                    for round in 48..<64 { step(c ^ (b | ~d), round, (7 &* round) & 15) }
                }
            }
        }
        state.0 &+= a
        state.1 &+= b
        state.2 &+= c
        state.3 &+= d
    }

    /// Per-round left rotations.
    private static let shifts: [UInt32] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
        5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ]

    /// `floor(abs(sin(i + 1)) * 2^32)`.
    private static let constants: [UInt32] = [
        0xd76a_a478, 0xe8c7_b756, 0x2420_70db, 0xc1bd_ceee, 0xf57c_0faf, 0x4787_c62a, 0xa830_4613, 0xfd46_9501,
        0x6980_98d8, 0x8b44_f7af, 0xffff_5bb1, 0x895c_d7be, 0x6b90_1122, 0xfd98_7193, 0xa679_438e, 0x49b4_0821,
        0xf61e_2562, 0xc040_b340, 0x265e_5a51, 0xe9b6_c7aa, 0xd62f_105d, 0x0244_1453, 0xd8a1_e681, 0xe7d3_fbc8,
        0x21e1_cde6, 0xc337_07d6, 0xf4d5_0d87, 0x455a_14ed, 0xa9e3_e905, 0xfcef_a3f8, 0x676f_02d9, 0x8d2a_4c8a,
        0xfffa_3942, 0x8771_f681, 0x6d9d_6122, 0xfde5_380c, 0xa4be_ea44, 0x4bde_cfa9, 0xf6bb_4b60, 0xbebf_bc70,
        0x289b_7ec6, 0xeaa1_27fa, 0xd4ef_3085, 0x0488_1d05, 0xd9d4_d039, 0xe6db_99e5, 0x1fa2_7cf8, 0xc4ac_5665,
        0xf429_2244, 0x432a_ff97, 0xab94_23a7, 0xfc93_a039, 0x655b_59c3, 0x8f0c_cc92, 0xffef_f47d, 0x8584_5dd1,
        0x6fa8_7e4f, 0xfe2c_e6e0, 0xa301_4314, 0x4e08_11a1, 0xf753_7e82, 0xbd3a_f235, 0x2ad7_d2bb, 0xeb86_d391,
    ]
}
