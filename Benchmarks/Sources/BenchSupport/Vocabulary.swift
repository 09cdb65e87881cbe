/// Vocabularies shaped after the `logs` workload of /work/shared/bench/gen_events.py.
enum Vocabulary {
    static let words: [String] = (
        "request user order payment account session token cache database query timeout retry "
        + "connection upstream downstream service handler processed received completed failed "
        + "started stopped invalid missing expired created updated deleted fetched stored queued "
        + "dequeued published consumed batch record message event customer invoice ledger balance "
        + "transfer refund shipment inventory item price discount coupon cart checkout login logout "
        + "password reset verification email sms notification webhook callback latency threshold "
        + "exceeded limit quota throttled rejected accepted validated parsed serialized encrypted "
        + "for with from to in on at by after before during while because of the a an and or not "
        + "was is has been will could should id status code"
    ).split(separator: " ").map(String.init)

    static let levels = ["DEBUG", "INFO", "WARN", "ERROR", "FATAL"]
    static let levelWeights = cumulativeWeights([15, 65, 12, 7.5, 0.5])

    static let services: [String] = {
        let base = [
            "authorizer", "capture", "settlement", "risk-scorer", "rules-engine", "login", "signup", "mfa",
            "profile-api", "preferences", "search", "pricing", "inventory", "cart", "checkout", "fulfilment",
            "notifier", "email-gateway", "sms-gateway", "ingest", "etl", "reporting",
        ]
        return base.flatMap { [$0 + "-api", $0 + "-worker", $0 + "-consumer"] }
    }()

    static let httpStatus: [Int32] = [200, 201, 202, 204, 301, 304, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 504]
    static let httpWeights = cumulativeWeights([60, 6, 2, 5, 1, 2, 5, 3, 2, 5, 1, 1, 2, 2, 1, 1, 1])

    static let errorCodes: [String] =
        (1000..<1060).map { "E\($0)" } + ["DB_TIMEOUT", "UPSTREAM_5XX", "VALIDATION_FAILED", "AUTH_EXPIRED", "RATE_LIMITED"]

    static let tags = [
        "pci", "gdpr", "hot-path", "batch", "beta", "canary", "internal", "external", "retry", "slow",
        "cache-miss", "cache-hit", "migrated", "legacy", "v2", "v3", "mobile", "web", "partner", "admin",
        "cron", "bulk", "realtime", "degraded", "sampled", "debug", "synthetic", "load-test", "blue", "green",
    ]

    static let clouds = ["aws", "gcp", "azure"]
    static let cloudWeights = cumulativeWeights([60, 25, 15])
    static let regions: [[String]] = [
        ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"],
        ["us-central1", "europe-west1", "asia-east1"],
        ["eastus", "westeurope", "australiaeast"],
    ]

    static let hexDigits = Array("0123456789abcdef".utf8)
}

extension SplitMix64 {
    /// A log message of 40–300 characters: words with an occasional number, so nearly every
    /// message is distinct (high cardinality) but compresses like text.
    mutating func message(into out: inout [UInt8]) {
        let target = 40 + self.below(261)
        let start = out.count
        while out.count - start < target {
            if out.count > start { out.append(UInt8(ascii: " ")) }
            if self.below(8) == 0 {
                out.append(contentsOf: String(self.below(1_000_000)).utf8)
            } else {
                out.append(contentsOf: Vocabulary.words[self.below(Vocabulary.words.count)].utf8)
            }
        }
    }

    /// `count` random lowercase hex digits (a request or trace id).
    mutating func hex(_ count: Int, into out: inout [UInt8]) {
        var bits = self.next()
        for i in 0..<count {
            if i % 16 == 0 && i > 0 { bits = self.next() }
            out.append(Vocabulary.hexDigits[Int(bits & 15)])
            bits >>= 4
        }
    }
}
