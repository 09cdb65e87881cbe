public import JSONScan
import Parquet

/// A partition path template: the directories, Hive-style `key=value`, that a record goes to, built
/// from its fields and time.
///
/// ```
/// name={name}/date={tstamp:%Y-%m-%d}/hour={tstamp:%H}
/// country={user.country}/quarter={tstamp:%Y-Q%Q}
/// ```
///
/// - Literal text is copied as it is; `/` separates directories.
/// - `{path}` is the text of a scalar field; a dotted path reaches into nested objects
///   (`{user.country}`). Strings are unescaped, numbers keep their JSON text, booleans are
///   `true`/`false`.
/// - `{path:format}` formats the instant in the field in UTC: an RFC 3339 string (or `YYYY-MM-DD`,
///   midnight UTC) read with ``TimestampParser``, or an epoch number in ``epochUnit``. Conversions:
///   `%Y` year, `%m` month, `%d` day, `%H` hour, `%M` minute, `%S` second (all zero-padded),
///   `%j` day of the year (001–366), `%Q` quarter (1–4), `%V` ISO 8601 week (01–53), `%G` its
///   ISO week-numbering year, `%%` a percent sign.
/// - `{@arrival:format}` formats the arrival time the caller passes instead of a field.
///
/// Values are escaped as Hive's `FileUtils.escapePathName` does: bytes 0x00–0x1F and 0x7F, and
/// `"` `#` `%` `'` `*` `/` `:` `=` `?` `\` `{` `[` `]` `^`, become `%XX` (uppercase hex); other
/// bytes, UTF-8 included, stay. A missing, null or empty value becomes ``defaultPartitionName``.
/// A directory that would be `.` or `..`, or start with `.` or `_` (hidden to Hive, Spark and
/// pyarrow) because of a value, gets those characters escaped (`%2E`, `%5F`). A directory longer
/// than 255 bytes, a container where a scalar is expected, or a value that is not an instant in a
/// time placeholder rejects the record.
public struct PartitionTemplate: Sendable, Equatable, CustomStringConvertible {
    /// What Hive calls a partition whose value is null or empty.
    public static let defaultPartitionName = "__HIVE_DEFAULT_PARTITION__"
    /// The longest directory name most file systems accept, in bytes.
    public static let maximumDirectoryBytes = 255

    /// How often time-partitioned directories change, as a template over one time field.
    public enum Granularity: String, Sendable, Hashable, CaseIterable {
        case hourly, daily, weekly, monthly, quarterly

        /// The template fragment for `field` (`date={field:%Y-%m-%d}/hour={field:%H}` for hourly).
        public func template(timeField field: String) -> String {
            switch self {
            case .hourly: "date={\(field):%Y-%m-%d}/hour={\(field):%H}"
            case .daily: "date={\(field):%Y-%m-%d}"
            case .weekly: "week={\(field):%G-W%V}"
            case .monthly: "month={\(field):%Y-%m}"
            case .quarterly: "quarter={\(field):%Y-Q%Q}"
            }
        }
    }

    /// Where a placeholder's value comes from.
    public enum Source: Sendable, Hashable, CustomStringConvertible {
        /// A field, by its path of member names.
        case field([String])
        /// The arrival time passed to ``partitionPath(for:arrival:)``.
        case arrival

        public var description: String {
            switch self {
            case .field(let path): path.joined(separator: ".")
            case .arrival: "@arrival"
            }
        }
    }

    enum TimeConversion: Sendable, Hashable {
        case literal(String)
        case year, month, day, hour, minute, second, dayOfYear, quarter, isoWeek, isoYear
    }

    enum Part: Sendable, Hashable {
        case literal(String)
        case text(source: Int)
        case time(source: Int, format: [TimeConversion])
    }

    /// The template as written.
    public let text: String
    /// The distinct sources of the placeholders, in order of first use.
    public let sources: [Source]
    /// The unit of epoch numbers in time placeholders.
    public var epochUnit: EpochUnit
    /// Limits of the scanner that extracts the fields.
    public var scanOptions: JSONScanOptions
    let parts: [Part]
    /// The field paths as a tree of member names, for one pass over a record.
    let tree: PathNode

    public var description: String { self.text }

    /// The field paths that feed placeholders, dotted.
    public var fieldPaths: [String] {
        self.sources.compactMap { if case .field(let path) = $0 { path.joined(separator: ".") } else { nil } }
    }

    /// Parses `text`; errors (code ``ConvertError/Code/options``) name the character position.
    public init(
        parsing text: String,
        epochUnit: EpochUnit = .seconds,
        scanOptions: JSONScanOptions = JSONScanOptions()
    ) throws(ConvertError) {
        self.text = text
        self.epochUnit = epochUnit
        self.scanOptions = scanOptions
        var parser = TemplateParser(text)
        try parser.parse()
        self.parts = parser.parts
        self.sources = parser.sources
        var tree = PathNode(name: [])
        for (index, source) in parser.sources.enumerated() {
            if case .field(let path) = source { tree.insert(path.map { Array($0.utf8) }[...], source: index) }
        }
        self.tree = tree
    }

    // MARK: Evaluation

    /// The partition path of `record` (a JSON object), relative, without leading or trailing `/`.
    ///
    /// Scans only as far as the last needed field, skipping other values; `arrival` (microseconds since
    /// the epoch) feeds `{@arrival:…}` placeholders.
    public func partitionPath(
        for record: UnsafeRawBufferPointer,
        arrival: Int64? = nil
    ) -> Result<String, RecordRejection> {
        var values = [CapturedValue](repeating: .missing, count: self.sources.count)
        var scanner = JSONScanner(record, options: self.scanOptions)
        do throws(JSONScanError) {
            let first = try scanner.next()
            guard first == .beginObject else {
                return .failure(
                    RecordRejection(.notAnObject, "the record is \(JSONShredder.describe(first)), not a JSON object")
                )
            }
            var remaining = self.tree.leafCount
            if remaining > 0 { _ = try Self.scanObject(self.tree, &scanner, &values, remaining: &remaining) }
        } catch {
            return .failure(RecordRejection(error))
        }
        if let arrival, let index = self.sources.firstIndex(of: .arrival) { values[index] = .instant(arrival) }
        return self.render(values, bytes: record)
    }

    enum CapturedValue {
        case missing
        case null
        case string(JSONStringToken)
        case number(JSONNumberToken)
        case bool(Bool)
        case container(String)
        case instant(Int64)
    }

    /// Scans the members of the object just opened; true when every wanted field has been found.
    private static func scanObject(
        _ node: PathNode,
        _ scanner: inout JSONScanner,
        _ values: inout [CapturedValue],
        remaining: inout Int
    ) throws(JSONScanError) -> Bool {
        var decoded: [UInt8] = []
        while true {
            guard case .key(let key) = try scanner.next() else { return false }
            let child: PathNode?
            if key.hasEscapes {
                decoded.removeAll(keepingCapacity: true)
                key.decode(from: scanner.bytes, appendingTo: &decoded)
                child = decoded.withUnsafeBytes { node.child(named: $0) }
            } else {
                child = node.child(named: UnsafeRawBufferPointer(rebasing: scanner.bytes[key.range]))
            }
            guard let child else {
                try scanner.skipValue()
                continue
            }
            let token = try scanner.next()
            if let source = child.source, case .missing = values[source] {
                switch token {
                case .null: values[source] = .null
                case .string(let string): values[source] = .string(string)
                case .number(let number): values[source] = .number(number)
                case .bool(let value): values[source] = .bool(value)
                case .beginObject: values[source] = .container("an object")
                case .beginArray: values[source] = .container("an array")
                default: break
                }
                remaining -= 1
                if remaining == 0 { return true }
            }
            switch token {
            case .beginObject where !child.children.isEmpty:
                if try Self.scanObject(child, &scanner, &values, remaining: &remaining) { return true }
            case .beginObject, .beginArray:
                let depth = scanner.depth
                while scanner.depth >= depth { _ = try scanner.next() }
            default:
                break
            }
        }
    }

    private func render(_ values: [CapturedValue], bytes: UnsafeRawBufferPointer) -> Result<String, RecordRejection> {
        var path: [UInt8] = []
        path.reserveCapacity(64)
        var segmentStart = 0
        /// Whether the first byte of the current directory came from a value.
        var firstByteFromValue = false
        var raw: [UInt8] = []
        for part in self.parts {
            switch part {
            case .literal(let literal):
                for byte in literal.utf8 {
                    if byte == UInt8(ascii: "/") {
                        if let rejection = Self.finishSegment(
                            &path,
                            from: segmentStart,
                            firstByteFromValue: firstByteFromValue
                        ) {
                            return .failure(rejection)
                        }
                        path.append(byte)
                        segmentStart = path.count
                    } else {
                        if path.count == segmentStart { firstByteFromValue = false }
                        path.append(byte)
                    }
                }
            case .text(let source), .time(let source, _):
                raw.removeAll(keepingCapacity: true)
                switch values[source] {
                case .missing, .null:
                    break
                case .container(let kind):
                    return .failure(
                        RecordRejection(
                            .invalidPartition,
                            "partition field '\(self.sources[source])' is \(kind), not a scalar"
                        )
                    )
                case .string(let string):
                    string.decode(from: bytes, appendingTo: &raw)
                case .number(let number):
                    raw.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[number.range]))
                case .bool(let value):
                    raw.append(contentsOf: (value ? "true" : "false").utf8)
                case .instant(let micros):
                    raw.append(contentsOf: String(micros).utf8)
                }
                if case .time(_, let format) = part, !raw.isEmpty || Self.isInstant(values[source]) {
                    guard let micros = self.instant(values[source], raw: raw) else {
                        return .failure(
                            RecordRejection(
                                .invalidPartition,
                                "partition field '\(self.sources[source])' is not a timestamp (RFC 3339 text or epoch \(self.epochUnit.rawValue))"
                            )
                        )
                    }
                    raw.removeAll(keepingCapacity: true)
                    TimeFormatter.format(micros, format, into: &raw)
                }
                if raw.isEmpty {
                    if path.count == segmentStart { firstByteFromValue = false }
                    path.append(contentsOf: Self.defaultPartitionName.utf8)
                } else {
                    if path.count == segmentStart { firstByteFromValue = true }
                    Self.escape(raw, into: &path)
                }
            }
        }
        if let rejection = Self.finishSegment(&path, from: segmentStart, firstByteFromValue: firstByteFromValue) {
            return .failure(rejection)
        }
        return .success(String(decoding: path, as: UTF8.self))
    }

    private static func isInstant(_ value: CapturedValue) -> Bool {
        if case .instant = value { return true }
        return false
    }

    /// Microseconds since the epoch of a time placeholder's value, or nil when it is not an instant.
    private func instant(_ value: CapturedValue, raw: [UInt8]) -> Int64? {
        switch value {
        case .instant(let micros):
            return micros
        case .string:
            return raw.withUnsafeBytes { bytes in
                if let micros = TimestampParser.microseconds(bytes) { return micros }
                if let days = TimestampParser.date(bytes) { return Int64(days) * 86_400_000_000 }
                return nil
            }
        case .number(let number):
            if let integer = number.int64 { return TimestampParser.microseconds(epoch: integer, unit: self.epochUnit) }
            let value = raw.withUnsafeBytes { Double(String(decoding: $0, as: UTF8.self)) } ?? .nan
            let perUnit: Double =
                switch self.epochUnit {
                case .seconds: 1e6
                case .milliseconds: 1e3
                case .microseconds: 1
                case .nanoseconds: 1e-3
                }
            let micros = (value * perUnit).rounded(.down)
            guard micros.isFinite, micros >= -9.2e18, micros <= 9.2e18 else { return nil }
            return Int64(micros)
        default:
            return nil
        }
    }

    /// Makes the directory that ends the path safe; a rejection when it cannot be.
    ///
    /// Literal-only directories cannot be `.` or `..` (the parser rejects them), so such a directory
    /// comes from a value and its dots are escaped; a value's leading `.` or `_` is escaped too.
    private static func finishSegment(
        _ path: inout [UInt8],
        from start: Int,
        firstByteFromValue: Bool
    ) -> RecordRejection? {
        let count = path.count - start
        if count > 0 && count <= 2 && path[start...].allSatisfy({ $0 == UInt8(ascii: ".") }) {
            path.removeSubrange(start...)
            for _ in 0..<count { path.append(contentsOf: "%2E".utf8) }
        } else if firstByteFromValue, count > 0, path[start] == UInt8(ascii: ".") || path[start] == UInt8(ascii: "_") {
            path.replaceSubrange(start..<(start + 1), with: Self.percent(path[start]))
        }
        let length = path.count - start
        if length > Self.maximumDirectoryBytes {
            let prefix = String(decoding: path[start..<(start + 40)], as: UTF8.self)
            return RecordRejection(
                .invalidPartition,
                "partition directory '\(prefix)…' is \(length) bytes; the limit is \(Self.maximumDirectoryBytes)"
            )
        }
        return nil
    }

    /// Whether Hive's `FileUtils.escapePathName` escapes `byte`.
    @inline(__always)
    static func needsEscaping(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x00...0x1F, 0x7F: true
        case UInt8(ascii: "\""), UInt8(ascii: "#"), UInt8(ascii: "%"), UInt8(ascii: "'"), UInt8(ascii: "*"),
            UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: "\\"),
            UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "^"):
            true
        default: false
        }
    }

    private static func percent(_ byte: UInt8) -> [UInt8] {
        let hex = Array("0123456789ABCDEF".utf8)
        return [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
    }

    /// Appends `value` escaped as Hive escapes partition values.
    static func escape(_ value: [UInt8], into output: inout [UInt8]) {
        for byte in value {
            if Self.needsEscaping(byte) {
                output.append(contentsOf: Self.percent(byte))
            } else {
                output.append(byte)
            }
        }
    }

    /// `value` escaped as Hive escapes partition values; empty becomes ``defaultPartitionName``.
    public static func escape(_ value: String) -> String {
        guard !value.isEmpty else { return Self.defaultPartitionName }
        var output: [UInt8] = []
        Self.escape(Array(value.utf8), into: &output)
        return String(decoding: output, as: UTF8.self)
    }
}

/// The member names of the fields a template needs, as a tree.
struct PathNode: Sendable, Hashable {
    var name: [UInt8]
    /// The index in ``PartitionTemplate/sources`` when this path itself is a placeholder's field.
    var source: Int?
    var children: [PathNode] = []

    init(name: [UInt8]) {
        self.name = name
    }

    mutating func insert(_ path: ArraySlice<[UInt8]>, source: Int) {
        guard let first = path.first else {
            self.source = source
            return
        }
        if let index = self.children.firstIndex(where: { $0.name == first }) {
            self.children[index].insert(path.dropFirst(), source: source)
        } else {
            var child = PathNode(name: first)
            child.insert(path.dropFirst(), source: source)
            self.children.append(child)
        }
    }

    /// Fields in this subtree.
    var leafCount: Int {
        self.children.reduce(self.source == nil ? 0 : 1) { $0 + $1.leafCount }
    }

    @inline(__always)
    func child(named name: UnsafeRawBufferPointer) -> PathNode? {
        self.children.first { ByteEquality.equal($0.name, name) }
    }
}
