public import LaketapConvert
public import Parquet

/// How one stream is buffered, converted, partitioned and stored. Built by the configuration loader
/// (YAML, environment, flags) or with defaults for streams created on first use.
public struct StreamConfiguration: Sendable {
    public enum Durability: String, Sendable, Hashable {
        /// Acknowledge after fsync (default).
        case fsync
        /// Acknowledge after write(2) only: a machine crash can lose acknowledged records.
        case none
    }

    /// Where the stream's schema comes from.
    public enum SchemaSource: Sendable {
        /// Inferred from each flush's records (and widened as data arrives).
        case infer
        /// Declared (YAML declaration, JSON Schema or preset), already loaded.
        case declared(StreamSchema)
    }

    /// Firehose-style buffering hints: a flush starts when any is reached.
    public struct Thresholds: Sendable, Hashable {
        public var records: Int
        public var bytes: Int
        public var ageSeconds: Double

        public static let `default` = Thresholds(records: 1_000_000, bytes: 128 << 20, ageSeconds: 300)

        public init(records: Int, bytes: Int, ageSeconds: Double) {
            self.records = records
            self.bytes = bytes
            self.ageSeconds = ageSeconds
        }
    }

    public var name: String
    public var schema: SchemaSource
    /// Hive-style partition template over fields and time (`date={ts:%Y-%m-%d}`); nil for none.
    public var partitionTemplate: String?
    /// The event-time field and whether records without a usable event time use arrival time.
    public var timeField: String?
    /// Records whose event time is older than this many seconds before arrival go to the late
    /// partition (`late=true/…`) instead of a partition of their own time; nil keeps them in place.
    public var lateAfterSeconds: Double?
    public var writerOptions: WriterOptions
    public var thresholds: Thresholds
    public var durability: Durability
    /// Key prefix in the store (default: the stream name).
    public var prefix: String

    public init(
        name: String,
        schema: SchemaSource = .infer,
        partitionTemplate: String? = nil,
        timeField: String? = nil,
        lateAfterSeconds: Double? = nil,
        writerOptions: WriterOptions = StreamConfiguration.defaultWriterOptions,
        thresholds: Thresholds = .default,
        durability: Durability = .fsync,
        prefix: String? = nil
    ) {
        self.name = name
        self.schema = schema
        self.partitionTemplate = partitionTemplate
        self.timeField = timeField
        self.lateAfterSeconds = lateAfterSeconds
        self.writerOptions = writerOptions
        self.thresholds = thresholds
        self.durability = durability
        self.prefix = prefix ?? name
    }

    public static var defaultWriterOptions: WriterOptions {
        var options = WriterOptions()
        options.compression = .zstd(level: 3)
        return options
    }
}
