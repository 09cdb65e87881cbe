/// Everything `laketap serve` is configured with, typed and validated, with a working default for
/// every key: no configuration at all serves 127.0.0.1:8080, buffers under `./laketap-data` and writes
/// the lake to `./lake`.
struct ServeSettings: Equatable {
    /// One global key: its dotted name, default (as documented) and the environment variable.
    struct Key: Equatable {
        var name: String
        var defaultValue: String
        var isList = false
        var help: String

        var environmentName: String {
            "LAKETAP_" + self.name.uppercased().map { $0 == "." ? "_" : $0 }.map(String.init).joined()
        }
    }

    struct Stream: Equatable {
        var schema = "infer"
        var partitionBy: String?
        var timeField: String?
        var lateAfterSeconds: Double?
        var compression = "zstd:3"
        var flushRecords = 1_000_000
        var flushBytes = 128 << 20
        var flushAgeSeconds = 300.0
        var durability = "fsync"
        var prefix: String?
        var tokens: [String] = []
    }

    enum Store: Equatable {
        case local(path: String)
        case s3(S3)
    }

    struct S3: Equatable {
        var bucket: String
        var prefix = ""
        var region: String?
        var endpoint: String?
        var addressingStyle: String?
        var serverSideEncryption: String?
        var kmsKeyID: String?
        var partSize: Int?
        var requestTimeoutSeconds: Double?
    }

    var host = "127.0.0.1"
    var port = 8080
    var maxBodyBytes = 16 << 20
    var maxRecordBytes = 1 << 20
    var maxDepth = 64
    var tokens: [String] = []
    var dataDirectory = "./laketap-data"
    var durability = "fsync"
    var diskBudgetBytes = 10 << 30
    var segmentBytes = 64 << 20
    var memoryBudgetBytes = 512 << 20
    /// Threads one conversion may use; nil for every core the process may run on.
    var conversionThreads: Int?
    var conversionPriority = "idle"
    var autoCreateStreams = true
    var store = Store.local(path: "./lake")
    var streamDefaults = Stream()
    var streams: [String: Stream] = [:]
    var logLevel = "info"
    var logFormat = "json"

    static let keys: [Key] = [
        Key(name: "server.host", defaultValue: "127.0.0.1", help: "Address to listen on."),
        Key(name: "server.port", defaultValue: "8080", help: "Port to listen on."),
        Key(
            name: "server.max_body_bytes",
            defaultValue: "16MiB",
            help: "Largest request body, compressed or not (413 above)."
        ),
        Key(
            name: "server.max_record_bytes",
            defaultValue: "1MiB",
            help: "Largest record; larger ones are rejected to the DLQ."
        ),
        Key(name: "server.max_depth", defaultValue: "64", help: "Deepest JSON nesting accepted in a record."),
        Key(
            name: "server.tokens",
            defaultValue: "",
            isList: true,
            help: "Bearer tokens accepted for every stream (none: open)."
        ),
        Key(
            name: "buffer.directory",
            defaultValue: "./laketap-data",
            help: "Where the write-ahead log and staging files live."
        ),
        Key(
            name: "buffer.durability",
            defaultValue: "fsync",
            help: "`fsync` (acknowledge after fsync) or `none` (lossy on a crash)."
        ),
        Key(
            name: "buffer.disk_budget",
            defaultValue: "10GiB",
            help: "Buffered bytes over all streams before requests get 503."
        ),
        Key(name: "buffer.segment_bytes", defaultValue: "64MiB", help: "Size at which a log segment is rotated."),
        Key(
            name: "buffer.memory_budget",
            defaultValue: "512MiB",
            help: "Memory for conversions in flight over all streams."
        ),
        Key(
            name: "buffer.conversion_threads",
            defaultValue: "all cores",
            help: "Threads one segment's conversion to Parquet may use."
        ),
        Key(
            name: "buffer.conversion_priority",
            defaultValue: "idle",
            help: "`idle` (SCHED_IDLE: spare CPU only), `low` (nice 10) or `normal`, for conversion threads."
        ),
        Key(
            name: "auto_create_streams",
            defaultValue: "true",
            help: "Create unknown streams on first use (with schema inference)."
        ),
        Key(name: "lake.store", defaultValue: "local", help: "`local` or `s3`."),
        Key(name: "lake.path", defaultValue: "./lake", help: "Root directory of the local lake."),
        Key(name: "lake.bucket", defaultValue: "", help: "S3 bucket (required for `s3`)."),
        Key(name: "lake.prefix", defaultValue: "", help: "Key prefix inside the bucket."),
        Key(name: "lake.region", defaultValue: "$AWS_REGION or us-east-1", help: "S3 region."),
        Key(name: "lake.endpoint", defaultValue: "AWS", help: "Custom S3 endpoint URL (MinIO, R2, moto …)."),
        Key(
            name: "lake.addressing_style",
            defaultValue: "auto",
            help: "`path` or `virtual` (auto: path with a custom endpoint)."
        ),
        Key(name: "lake.sse", defaultValue: "", help: "Server-side encryption: `AES256` or `aws:kms`."),
        Key(name: "lake.kms_key_id", defaultValue: "", help: "KMS key for `aws:kms`."),
        Key(name: "lake.part_size", defaultValue: "16MiB", help: "Multipart upload part size (at least 5MiB)."),
        Key(
            name: "lake.request_timeout",
            defaultValue: "120s",
            help: "Deadline of one S3 request (an attempt; retried)."
        ),
        Key(
            name: "defaults.schema",
            defaultValue: "infer",
            help: "Schema of streams: `infer`, `preset:log`, a .yaml declaration or a .json JSON Schema."
        ),
        Key(
            name: "defaults.partition_by",
            defaultValue: "",
            help: "Partition template, e.g. `date={ts:%Y-%m-%d}` (none: one directory)."
        ),
        Key(name: "defaults.time_field", defaultValue: "", help: "Event-time field (arrival time when missing)."),
        Key(
            name: "defaults.late_after",
            defaultValue: "",
            help: "Records older than this (e.g. `7d`) go to the `late=true` partition."
        ),
        Key(name: "defaults.compression", defaultValue: "zstd:3", help: "Parquet codec[:level]."),
        Key(name: "defaults.flush_records", defaultValue: "1000000", help: "Flush a stream after this many records."),
        Key(
            name: "defaults.flush_bytes",
            defaultValue: "128MiB",
            help: "Flush a stream after this many buffered bytes."
        ),
        Key(
            name: "defaults.flush_age",
            defaultValue: "300s",
            help: "Flush a stream when its oldest buffered record is this old."
        ),
        Key(name: "log.level", defaultValue: "info", help: "trace, debug, info, notice, warning, error, critical."),
        Key(name: "log.format", defaultValue: "json", help: "`json` (one object per line) or `text`."),
    ]

    /// Keys a stream under `streams.<name>.` may set (YAML or `--set`).
    static let streamKeys: Set<String> = [
        "schema", "partition_by", "time_field", "late_after", "compression", "flush_records", "flush_bytes",
        "flush_age", "durability", "prefix", "tokens",
    ]

    init() {}

    init(_ layers: ConfigurationLayers) throws(ConfigurationError) {
        var reader = LayerReader(layers: layers)
        self.host = try reader.string("server.host") ?? self.host
        self.port = try reader.integer("server.port", in: 1...65535) ?? self.port
        self.maxBodyBytes = try reader.bytes("server.max_body_bytes") ?? self.maxBodyBytes
        self.maxRecordBytes = try reader.bytes("server.max_record_bytes") ?? self.maxRecordBytes
        self.maxDepth = try reader.integer("server.max_depth", in: 1...1000) ?? self.maxDepth
        self.tokens = try reader.list("server.tokens") ?? []
        self.dataDirectory = try reader.string("buffer.directory") ?? self.dataDirectory
        self.durability = try reader.choice("buffer.durability", ["fsync", "none"]) ?? self.durability
        self.diskBudgetBytes = try reader.bytes("buffer.disk_budget") ?? self.diskBudgetBytes
        self.segmentBytes = try reader.bytes("buffer.segment_bytes") ?? self.segmentBytes
        self.memoryBudgetBytes = try reader.bytes("buffer.memory_budget") ?? self.memoryBudgetBytes
        self.conversionThreads = try reader.integer("buffer.conversion_threads", in: 1...256)
        self.conversionPriority =
            try reader.choice("buffer.conversion_priority", ["idle", "low", "normal"]) ?? self.conversionPriority
        self.autoCreateStreams = try reader.boolean("auto_create_streams") ?? self.autoCreateStreams
        switch try reader.choice("lake.store", ["local", "s3"]) ?? "local" {
        case "s3":
            guard let bucket = try reader.string("lake.bucket"), !bucket.isEmpty else {
                throw ConfigurationError("lake.bucket: required when lake.store is s3")
            }
            var s3 = S3(bucket: bucket)
            s3.prefix = try reader.string("lake.prefix") ?? ""
            s3.region = try reader.string("lake.region")
            s3.endpoint = try reader.string("lake.endpoint")
            s3.addressingStyle = try reader.choice("lake.addressing_style", ["path", "virtual", "auto"])
            s3.serverSideEncryption = try reader.choice("lake.sse", ["AES256", "aws:kms"])
            s3.kmsKeyID = try reader.string("lake.kms_key_id")
            s3.partSize = try reader.bytes("lake.part_size")
            s3.requestTimeoutSeconds = try reader.seconds("lake.request_timeout")
            if let partSize = s3.partSize, partSize < 5 << 20 {
                throw ConfigurationError("lake.part_size: S3 parts must be at least 5MiB")
            }
            self.store = .s3(s3)
        default:
            self.store = .local(path: try reader.string("lake.path") ?? "./lake")
        }
        self.streamDefaults = try reader.stream(prefix: "defaults.", base: Stream(), durability: self.durability)
        for name in layers.keys.compactMap(Self.streamName).uniqued() {
            self.streams[name] = try reader.stream(
                prefix: "streams.\(name).",
                base: self.streamDefaults,
                durability: self.durability
            )
        }
        self.logLevel =
            try reader.choice("log.level", ["trace", "debug", "info", "notice", "warning", "error", "critical"])
            ?? self.logLevel
        self.logFormat = try reader.choice("log.format", ["json", "text"]) ?? self.logFormat
        try reader.checkAllUsed()
    }

    private static func streamName(_ key: String) -> String? {
        guard key.hasPrefix("streams.") else { return nil }
        let rest = key.dropFirst("streams.".count)
        guard let dot = rest.firstIndex(of: ".") else { return String(rest) }
        return String(rest[..<dot])
    }
}

/// Reads typed values from the layers and remembers which keys were used, so that a misspelt key is an
/// error instead of a silently ignored setting.
private struct LayerReader {
    let layers: ConfigurationLayers
    var used: Set<String> = []

    init(layers: ConfigurationLayers) {
        self.layers = layers
    }

    mutating func string(_ key: String) throws(ConfigurationError) -> String? {
        guard let value = self.layers[key] else { return nil }
        self.used.insert(key)
        guard case .scalar(let text) = value.content else {
            throw ConfigurationError("\(value.origin): \(key): expected a single value, not a list")
        }
        return text
    }

    mutating func list(_ key: String) throws(ConfigurationError) -> [String]? {
        guard let value = self.layers[key] else { return nil }
        self.used.insert(key)
        switch value.content {
        case .list(let items): return items
        case .scalar(let text): return [text]
        }
    }

    mutating func integer(_ key: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
        guard let text = try self.string(key) else { return nil }
        guard let number = Int(text), range.contains(number) else {
            throw ConfigurationError(
                "\(self.origin(key)): \(key): expected a whole number in \(range.lowerBound)...\(range.upperBound), got '\(text)'"
            )
        }
        return number
    }

    mutating func bytes(_ key: String) throws(ConfigurationError) -> Int? {
        guard let text = try self.string(key) else { return nil }
        guard let bytes = Quantities.bytes(text), bytes > 0 else {
            throw ConfigurationError("\(self.origin(key)): \(key): expected a size such as 64MiB, got '\(text)'")
        }
        return bytes
    }

    mutating func seconds(_ key: String) throws(ConfigurationError) -> Double? {
        guard let text = try self.string(key) else { return nil }
        guard let seconds = Quantities.seconds(text) else {
            throw ConfigurationError(
                "\(self.origin(key)): \(key): expected a duration such as 300s, 5m or 7d, got '\(text)'"
            )
        }
        return seconds
    }

    mutating func boolean(_ key: String) throws(ConfigurationError) -> Bool? {
        guard let text = try self.string(key) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default: throw ConfigurationError("\(self.origin(key)): \(key): expected true or false, got '\(text)'")
        }
    }

    mutating func choice(_ key: String, _ choices: [String]) throws(ConfigurationError) -> String? {
        guard let text = try self.string(key) else { return nil }
        guard let match = choices.first(where: { $0.lowercased() == text.lowercased() }) else {
            throw ConfigurationError(
                "\(self.origin(key)): \(key): expected one of \(choices.joined(separator: ", ")), got '\(text)'"
            )
        }
        return match
    }

    mutating func stream(
        prefix: String,
        base: ServeSettings.Stream,
        durability: String
    ) throws(ConfigurationError) -> ServeSettings.Stream {
        var stream = base
        self.used.insert(String(prefix.dropLast()))
        if prefix == "defaults." { stream.durability = durability }
        stream.schema = try self.string(prefix + "schema") ?? stream.schema
        stream.partitionBy = try self.string(prefix + "partition_by") ?? stream.partitionBy
        stream.timeField = try self.string(prefix + "time_field") ?? stream.timeField
        stream.lateAfterSeconds = try self.seconds(prefix + "late_after") ?? stream.lateAfterSeconds
        stream.compression = try self.string(prefix + "compression") ?? stream.compression
        stream.flushRecords = try self.integer(prefix + "flush_records", in: 1...Int.max) ?? stream.flushRecords
        stream.flushBytes = try self.bytes(prefix + "flush_bytes") ?? stream.flushBytes
        stream.flushAgeSeconds = try self.seconds(prefix + "flush_age") ?? stream.flushAgeSeconds
        stream.durability = try self.choice(prefix + "durability", ["fsync", "none"]) ?? stream.durability
        stream.prefix = try self.string(prefix + "prefix") ?? (prefix == "defaults." ? nil : stream.prefix)
        stream.tokens = try self.list(prefix + "tokens") ?? []
        return stream
    }

    func origin(_ key: String) -> String { self.layers[key]?.origin ?? key }

    func checkAllUsed() throws(ConfigurationError) {
        for key in self.layers.keys where !self.used.contains(key) {
            let origin = self.origin(key)
            if key.hasPrefix("streams.") {
                let known = ServeSettings.streamKeys.sorted().joined(separator: ", ")
                throw ConfigurationError("\(origin): \(key): unknown stream setting (known: \(known))")
            }
            throw ConfigurationError("\(origin): \(key): unknown setting (see `laketap serve --help-config`)")
        }
    }
}

extension Sequence where Element: Hashable {
    fileprivate func uniqued() -> [Element] {
        var seen: Set<Element> = []
        return self.filter { seen.insert($0).inserted }
    }
}
