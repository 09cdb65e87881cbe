internal import CCRC32C
import Parquet

/// The bytes of a write-ahead-log segment file (`<dataDirectory>/wal/<stream>/<segment:06>.wal`).
///
/// ```
/// header (32 bytes, little-endian):
///   magic "LKTW" | version u16 = 2 | header length u16 = 32 | segment u64 | first offset u64 | created µs i64
/// entries, one per record, back to back:
///   body length u32 | CRC-32C of the body u32 | body
///   body: kind u8 (0 record, 1 dead letter) | arrival time µs i64 | data
///   record data:      the JSON record as received
///   dead-letter data: code length u16 | code | reason length u32 | reason | the original bytes
/// ```
///
/// Offsets are implicit: entry `i` of a segment has offset `first offset + i`. A reader accepts
/// entries while their length fits and their checksum matches; the first one that does not ends
/// the segment (a torn tail: the write that made it was never acknowledged).
enum SegmentFormat {
    static let magic: [UInt8] = Array("LKTW".utf8)
    /// 2: entries carry CRC-32C (hardware SSE4.2; version 1 had zlib's CRC-32, 14% of the server's
    /// CPU at full load on small records).
    static let version: UInt16 = 2
    static let headerBytes = 32
    /// Body length and checksum.
    static let entryHeaderBytes = 8
    /// Kind and arrival time, at the start of every body.
    static let bodyPrefixBytes = 9
    static let fileExtension = ".wal"

    /// CRC-32C of an entry's body.
    static func checksum(_ body: UnsafeRawBufferPointer) -> UInt32 {
        laketap_crc32c(0, body.baseAddress, body.count)
    }

    enum Kind: UInt8, Sendable {
        case record = 0
        case deadLetter = 1
    }

    struct Header: Sendable, Hashable {
        var segment: Int64
        var firstOffset: Int64
        var created: Int64
    }

    /// One entry found by ``scan(_:)``; ranges index the scanned bytes.
    struct Entry: Sendable {
        var kind: Kind
        var arrival: Int64
        var data: Range<Int>
    }

    struct Scan: Sendable {
        var header: Header?
        var entries: [Entry] = []
        /// Bytes from the start of the file to the end of the last valid entry.
        var validBytes = 0
        /// Bytes after that: a torn tail, or the whole file when the header is unreadable.
        var droppedBytes = 0
    }

    /// The file name of a segment.
    static func fileName(segment: Int64) -> String {
        Self.padded(segment, width: 6) + Self.fileExtension
    }

    /// The segment number of a file name, or nil for other files.
    static func segment(fileName: String) -> Int64? {
        guard fileName.hasSuffix(Self.fileExtension) else { return nil }
        let digits = fileName.dropLast(Self.fileExtension.count)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        return Int64(digits)
    }

    static func padded(_ value: Int64, width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    // MARK: Encoding

    static func encode(_ header: Header) -> [UInt8] {
        var bytes = Self.magic
        bytes.reserveCapacity(Self.headerBytes)
        Self.append(Self.version, to: &bytes)
        Self.append(UInt16(Self.headerBytes), to: &bytes)
        Self.append(UInt64(bitPattern: header.segment), to: &bytes)
        Self.append(UInt64(bitPattern: header.firstOffset), to: &bytes)
        Self.append(UInt64(bitPattern: header.created), to: &bytes)
        return bytes
    }

    /// Appends a record entry.
    static func appendRecord(_ record: some Collection<UInt8>, arrival: Int64, to bytes: inout [UInt8]) {
        Self.appendEntry(kind: .record, arrival: arrival, to: &bytes) { $0.append(contentsOf: record) }
    }

    /// Appends a dead-letter entry: a record refused before the log, with its code and reason.
    static func appendDeadLetter(
        _ record: some Collection<UInt8>,
        code: String,
        reason: String,
        arrival: Int64,
        to bytes: inout [UInt8]
    ) {
        Self.appendEntry(kind: .deadLetter, arrival: arrival, to: &bytes) { body in
            let code = Array(code.utf8.prefix(Int(UInt16.max)))
            Self.append(UInt16(code.count), to: &body)
            body.append(contentsOf: code)
            let reason = Array(reason.utf8.prefix(1 << 16))
            Self.append(UInt32(reason.count), to: &body)
            body.append(contentsOf: reason)
            body.append(contentsOf: record)
        }
    }

    private static func appendEntry(
        kind: Kind,
        arrival: Int64,
        to bytes: inout [UInt8],
        data: (inout [UInt8]) -> Void
    ) {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: Self.entryHeaderBytes))
        bytes.append(kind.rawValue)
        Self.append(UInt64(bitPattern: arrival), to: &bytes)
        data(&bytes)
        let bodyStart = start + Self.entryHeaderBytes
        let length = UInt32(bytes.count - bodyStart)
        let checksum = bytes.withUnsafeBytes { Self.checksum(UnsafeRawBufferPointer(rebasing: $0[bodyStart...])) }
        Self.store(length, at: start, in: &bytes)
        Self.store(checksum, at: start + 4, in: &bytes)
    }

    private static func append<Integer: FixedWidthInteger>(_ value: Integer, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private static func store(_ value: UInt32, at index: Int, in bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { raw in
            for (position, byte) in raw.enumerated() { bytes[index + position] = byte }
        }
    }

    // MARK: Decoding

    private static func load<Integer: FixedWidthInteger>(
        _: Integer.Type,
        _ bytes: UnsafeRawBufferPointer,
        at index: Int
    ) -> Integer {
        Integer(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: Integer.self))
    }

    static func decodeHeader(_ bytes: UnsafeRawBufferPointer) -> Header? {
        guard bytes.count >= Self.headerBytes, bytes.prefix(4).elementsEqual(Self.magic),
            Self.load(UInt16.self, bytes, at: 4) == Self.version,
            Self.load(UInt16.self, bytes, at: 6) == UInt16(Self.headerBytes)
        else { return nil }
        return Header(
            segment: Int64(bitPattern: Self.load(UInt64.self, bytes, at: 8)),
            firstOffset: Int64(bitPattern: Self.load(UInt64.self, bytes, at: 16)),
            created: Int64(bitPattern: Self.load(UInt64.self, bytes, at: 24))
        )
    }

    /// Reads every complete entry with a valid checksum, stopping at the first that is not.
    static func scan(_ bytes: UnsafeRawBufferPointer) -> Scan {
        var scan = Scan()
        guard let header = Self.decodeHeader(bytes) else {
            scan.droppedBytes = bytes.count
            return scan
        }
        scan.header = header
        var position = Self.headerBytes
        while bytes.count - position >= Self.entryHeaderBytes {
            let length = Int(Self.load(UInt32.self, bytes, at: position))
            let checksum = Self.load(UInt32.self, bytes, at: position + 4)
            let bodyStart = position + Self.entryHeaderBytes
            guard length >= Self.bodyPrefixBytes, length <= bytes.count - bodyStart else { break }
            let body = UnsafeRawBufferPointer(rebasing: bytes[bodyStart..<bodyStart + length])
            guard Self.checksum(body) == checksum, let kind = Kind(rawValue: body[0]) else { break }
            let arrival = Int64(bitPattern: Self.load(UInt64.self, bytes, at: bodyStart + 1))
            scan.entries.append(
                Entry(kind: kind, arrival: arrival, data: bodyStart + Self.bodyPrefixBytes..<bodyStart + length)
            )
            position = bodyStart + length
        }
        scan.validBytes = position
        scan.droppedBytes = bytes.count - position
        return scan
    }

    /// The fields of a dead-letter entry's data, or nil when they do not fit.
    static func deadLetter(
        _ data: Range<Int>,
        in bytes: UnsafeRawBufferPointer
    ) -> (code: String, reason: String, record: Range<Int>)? {
        var position = data.lowerBound
        guard data.upperBound - position >= 2 else { return nil }
        let codeLength = Int(Self.load(UInt16.self, bytes, at: position))
        position += 2
        guard data.upperBound - position >= codeLength + 4 else { return nil }
        let code = String(decoding: bytes[position..<position + codeLength], as: UTF8.self)
        position += codeLength
        let reasonLength = Int(Self.load(UInt32.self, bytes, at: position))
        position += 4
        guard data.upperBound - position >= reasonLength else { return nil }
        let reason = String(decoding: bytes[position..<position + reasonLength], as: UTF8.self)
        position += reasonLength
        return (code, reason, position..<data.upperBound)
    }
}
