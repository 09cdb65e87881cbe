/// The vocabularies and weights of the `logs` workload, copied from `bench/gen_events.py`.
enum LogVocabulary {
    static let words: [String] = """
        request user order payment account session token cache database query \
        timeout retry connection upstream downstream service handler processed \
        received completed failed started stopped invalid missing expired created \
        updated deleted fetched stored queued dequeued published consumed batch \
        record message event customer invoice ledger balance transfer refund \
        shipment inventory item price discount coupon cart checkout login logout \
        password reset verification email sms notification webhook callback \
        latency threshold exceeded limit quota throttled rejected accepted \
        validated parsed serialized deserialized encrypted decrypted signed \
        certificate renewed rotated key secret vault config loaded reloaded \
        feature flag enabled disabled rollout canary deployment pod node cluster \
        partition offset lag rebalance leader follower replica snapshot \
        checkpoint compaction index shard segment merge flush commit rollback \
        transaction lock acquired released deadlock detected conflict resolved \
        for with from to in on at by after before during while because of the a \
        an and or not was is has been will could should id status code
        """.split(separator: " ").map(String.init)

    static let nonASCIIWords = ["Zürich", "café", "São Paulo", "Łódź", "naïve", "Ωmega", "東京", "€"]

    static let levels = ["DEBUG", "INFO", "WARN", "ERROR", "FATAL"]
    static let levelWeights: [Double] = [15, 65, 12, 7.5, 0.5]

    /// Domain → capability → services.
    static let business: [(domain: String, capabilities: [(capability: String, services: [String])])] = [
        (
            "payments",
            [
                ("card-processing", ["authorizer", "capture", "settlement"]),
                ("fraud", ["risk-scorer", "rules-engine"]),
            ]
        ),
        ("customer", [("identity", ["login", "signup", "mfa"]), ("profile", ["profile-api", "preferences"])]),
        (
            "commerce",
            [("catalog", ["search", "pricing", "inventory"]), ("ordering", ["cart", "checkout", "fulfilment"])]
        ),
        (
            "platform",
            [("messaging", ["notifier", "email-gateway", "sms-gateway"]), ("data", ["ingest", "etl", "reporting"])]
        ),
    ]

    static let resourceTypes = [
        "lambda", "ecs-task", "k8s-pod", "vm", "cloud-run", "app-engine", "batch-job", "api-gateway",
    ]
    static let clouds = ["aws", "gcp", "azure"]
    static let cloudWeights: [Double] = [60, 25, 15]
    static let regions: [[String]] = [
        ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"],
        ["us-central1", "europe-west1", "asia-east1"],
        ["eastus", "westeurope", "australiaeast"],
    ]
    static let httpStatuses = [200, 201, 202, 204, 301, 304, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 504]
    static let httpWeights: [Double] = [60, 6, 2, 5, 1, 2, 5, 3, 2, 5, 1, 1, 2, 2, 1, 1, 1]
    static let errorStatuses = [500, 502, 503, 504, 400, 409]
    static let errorCodes: [String] =
        (1000..<1060).map { "E\($0)" } + [
            "DB_TIMEOUT", "UPSTREAM_5XX", "VALIDATION_FAILED", "AUTH_EXPIRED", "RATE_LIMITED",
        ]
    static let tags = [
        "pci", "gdpr", "hot-path", "batch", "beta", "canary", "internal", "external", "retry", "slow", "cache-miss",
        "cache-hit", "migrated", "legacy", "v2", "v3", "mobile", "web", "partner", "admin", "cron", "bulk", "realtime",
        "degraded", "sampled", "debug", "synthetic", "load-test", "blue", "green",
    ]
    static let argumentKeys = [
        "order_id", "sku", "amount", "currency", "attempt", "queue", "topic", "partition", "offset", "table", "rows",
        "bytes", "endpoint", "method", "status", "country", "plan", "campaign", "feature", "variant", "shard", "tenant",
        "locale", "channel", "reason", "job", "batch_size", "cursor", "page", "limit",
    ]
    static let extraKeys = [
        "git_sha", "build", "host", "pod", "container", "image", "k8s_namespace", "node", "zone", "runtime", "lang",
        "sdk_version", "env", "team", "oncall", "cost_center", "release", "span_kind", "sampler", "owner",
    ]
    static let loggerPackages = [
        "com.acme.payments", "com.acme.identity", "com.acme.catalog", "com.acme.orders",
        "com.acme.platform.messaging", "com.acme.data",
    ]
    static let loggerClasses = [
        "Controller", "Service", "Repository", "Client", "Consumer", "Scheduler", "Handler", "Gateway", "Validator",
        "Mapper",
    ]
    static let loggers: [String] = loggerPackages.flatMap { package in loggerClasses.map { "\(package).\($0)" } }
    static let threads: [String] =
        (1...40).map { "http-nio-8080-exec-\($0)" } + (0..<16).map { "worker-\($0)" }
        + (0..<8).map { "kafka-consumer-\($0)" }
        + ["scheduler-1", "main", "grpc-default-executor-0", "ForkJoinPool.commonPool-worker-3"]
    /// Stack frames without the line number: `com.acme.data.Mapper.invoke(Mapper.java:`.
    static let framePrefixes: [String] = loggers.flatMap { logger in
        let className = logger.split(separator: ".").last.map(String.init) ?? logger
        return ["handle", "process", "apply", "call", "execute", "invoke"].map { "\(logger).\($0)(\(className).java:" }
    }
    static let exceptions = [
        "java.lang.NullPointerException", "java.lang.IllegalStateException",
        "java.net.SocketTimeoutException: Read timed out",
        "java.sql.SQLTransientConnectionException: pool exhausted",
        "org.springframework.dao.DataIntegrityViolationException",
        "io.grpc.StatusRuntimeException: UNAVAILABLE: io exception",
    ]
    static let ttls = [60, 300, 900, 3600, 86400, 604_800, 2_592_000]
    static let addressFirstOctets = [10, 172, 192, 34, 52]
    static let alphanumerics: [UInt8] = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)
}
