public import LaketapStorage
public import Logging

/// How an ``IngestPipeline`` buffers, flushes and stores. Defaults live in the initializer.
public struct PipelineConfiguration: Sendable {
    /// How conversion threads share the CPU with the threads that acknowledge requests (Linux).
    public enum ConversionPriority: String, Sendable, Hashable, CaseIterable {
        /// `SCHED_IDLE`: only cores nothing else wants; a waking request thread preempts at once.
        /// Conversion waits while the host is saturated (the disk budget then bounds the backlog).
        case idle
        /// Nice 10: a small share of a saturated host, behind normal threads.
        case low
        /// The process's own priority.
        case normal
    }

    /// How a flush that failed (store outage, full disk) is tried again: exponential backoff.
    public struct RetryPolicy: Sendable, Hashable {
        public var initialDelaySeconds: Double
        public var maximumDelaySeconds: Double
        public var multiplier: Double

        public init(initialDelaySeconds: Double = 1, maximumDelaySeconds: Double = 60, multiplier: Double = 2) {
            self.initialDelaySeconds = initialDelaySeconds
            self.maximumDelaySeconds = maximumDelaySeconds
            self.multiplier = multiplier
        }

        /// The wait after `failures` failed flushes in a row (1 or more).
        public func delay(afterFailures failures: Int) -> Double {
            var delay = self.initialDelaySeconds
            for _ in 1..<max(1, failures) where delay < self.maximumDelaySeconds { delay *= self.multiplier }
            return min(delay, self.maximumDelaySeconds)
        }
    }

    /// Holds `wal/<stream>/` (the write-ahead log) and `staging/` (Parquet files before upload).
    public var dataDirectory: String
    /// Where Parquet files and dead-letter files land.
    public var store: any ObjectStore
    /// Streams declared in configuration, by name.
    public var streams: [String: StreamConfiguration]
    /// The configuration of a stream created on first use (or found on disk but not declared).
    public var defaultStream: @Sendable (String) -> StreamConfiguration
    /// Whether appending to an undeclared stream creates it (otherwise ``IngestError/unknownStream(_:)``).
    public var autoCreateStreams: Bool
    /// The bytes all streams' log segments may take on disk; an append beyond gets
    /// ``IngestError/bufferFull(stream:retryAfterSeconds:)``.
    public var diskBudgetBytes: Int
    /// A record larger than this goes to the dead-letter queue (cut to this size) instead of the log.
    public var maxRecordBytes: Int
    /// A segment is sealed when an append would take it past this size (and at every flush).
    public var segmentBytes: Int
    /// Segments converted at once: the memory budget of conversion. Each conversion holds one
    /// segment and one row group in progress.
    public var maximumConcurrentConversions: Int
    /// Threads one conversion may use (shredding, encoding and compressing its row groups); the
    /// files are the same whatever the count.
    public var conversionThreads: Int
    /// The scheduling of conversion threads; set once per thread, so one value per process.
    public var conversionPriority: ConversionPriority
    public var flushRetry: RetryPolicy
    /// How often `run()` checks the age threshold and due retries.
    public var flushCheckIntervalSeconds: Double
    /// What ``IngestError/bufferFull(stream:retryAfterSeconds:)`` and ``IngestError/unavailable(reason:retryAfterSeconds:)`` suggest.
    public var retryAfterSeconds: Int
    public var logger: Logger

    public init(
        dataDirectory: String,
        store: any ObjectStore,
        streams: [String: StreamConfiguration] = [:],
        defaultStream: @escaping @Sendable (String) -> StreamConfiguration = { StreamConfiguration(name: $0) },
        autoCreateStreams: Bool = true,
        diskBudgetBytes: Int = 8 << 30,
        maxRecordBytes: Int = 1 << 20,
        segmentBytes: Int = 64 << 20,
        maximumConcurrentConversions: Int = 1,
        conversionThreads: Int = 1,
        conversionPriority: ConversionPriority = .idle,
        flushRetry: RetryPolicy = RetryPolicy(),
        flushCheckIntervalSeconds: Double = 1,
        retryAfterSeconds: Int = 5,
        logger: Logger
    ) {
        self.dataDirectory = dataDirectory
        self.store = store
        self.streams = streams
        self.defaultStream = defaultStream
        self.autoCreateStreams = autoCreateStreams
        self.diskBudgetBytes = diskBudgetBytes
        self.maxRecordBytes = maxRecordBytes
        self.segmentBytes = segmentBytes
        self.maximumConcurrentConversions = maximumConcurrentConversions
        self.conversionThreads = max(1, conversionThreads)
        self.conversionPriority = conversionPriority
        self.flushRetry = flushRetry
        self.flushCheckIntervalSeconds = flushCheckIntervalSeconds
        self.retryAfterSeconds = retryAfterSeconds
        self.logger = logger
    }
}
