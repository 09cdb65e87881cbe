/// The `logs` workload of `bench/gen_events.py`: structured application log records shaped like a Go struct
/// marshalled by `encoding/json` with `omitempty`.
///
/// Optional fields are absent (never `null`) when unset; `time` is RFC 3339 with nanoseconds and trailing
/// zeros trimmed (Go's `RFC3339Nano`), starting at 2024-03-01T00:00:00Z about 0.67 ms apart; `duration` is
/// int64 nanoseconds; `stack_trace` appears on about 4% of records and is sometimes 1–8 KB long; `args` and
/// `extra_fields` are string-to-string objects whose keys come from fixed lists. Field order, vocabularies,
/// probabilities and distributions follow the Python generator; the random numbers differ, so the output
/// has the same shape but not the same bytes.
public struct LogWorkload: Workload, Sendable {
    private var random: WorkloadRandom
    private var timeNanoseconds = 1_709_251_200 * 1_000_000_000

    private let words = ByteStringTable(LogVocabulary.words)
    private let nonASCIIWords = ByteStringTable(LogVocabulary.nonASCIIWords)
    /// Characters (not bytes) per non-ASCII word: Python measures the message in characters.
    private let nonASCIIWordLengths = LogVocabulary.nonASCIIWords.map(\.count)
    private let levels = ByteStringTable(LogVocabulary.levels)
    private let levelWeights = WorkloadRandom.cumulative(LogVocabulary.levelWeights)
    private let domains: ByteStringTable
    private let capabilities: ByteStringTable
    private let services: ByteStringTable
    /// For each service: the index of its domain and capability.
    private let serviceOwners: [(domain: Int, capability: Int)]
    /// Three per service: `-api`, `-worker`, `-consumer`.
    private let applications: ByteStringTable
    private let resourceTypes = ByteStringTable(LogVocabulary.resourceTypes)
    private let clouds = ByteStringTable(LogVocabulary.clouds)
    private let cloudWeights = WorkloadRandom.cumulative(LogVocabulary.cloudWeights)
    private let regions = ByteStringTable(LogVocabulary.regions.joined())
    private let regionStarts: [Int]
    private let httpWeights = WorkloadRandom.cumulative(LogVocabulary.httpWeights)
    private let errorCodes = ByteStringTable(LogVocabulary.errorCodes)
    private let tags = ByteStringTable(LogVocabulary.tags)
    private let argumentKeys = ByteStringTable(LogVocabulary.argumentKeys)
    private let extraKeys = ByteStringTable(LogVocabulary.extraKeys)
    private let loggers = ByteStringTable(LogVocabulary.loggers)
    private let threads = ByteStringTable(LogVocabulary.threads)
    private let framePrefixes = ByteStringTable(LogVocabulary.framePrefixes)
    private let exceptions = ByteStringTable(LogVocabulary.exceptions)
    private let users: ByteStringTable
    private let persons: ByteStringTable
    private let devices: ByteStringTable
    private let sources: ByteStringTable
    private let sessions: ByteStringTable
    private var tagOrder = [UInt8](0..<UInt8(LogVocabulary.tags.count))
    private var argumentOrder = [UInt8](0..<UInt8(LogVocabulary.argumentKeys.count))
    private var extraOrder = [UInt8](0..<UInt8(LogVocabulary.extraKeys.count))

    /// Creates the workload for `seed`; the per-seed pools (5,000 users, 3,000 persons, 4,000 devices,
    /// 2,000 sessions) are drawn here.
    public init(seed: UInt64) {
        var random = WorkloadRandom(seed: seed)
        var domains: [String] = []
        var capabilities: [String] = []
        var services: [String] = []
        var owners: [(domain: Int, capability: Int)] = []
        for (domain, domainCapabilities) in LogVocabulary.business {
            domains.append(domain)
            for (capability, capabilityServices) in domainCapabilities {
                capabilities.append(capability)
                for service in capabilityServices {
                    services.append(service)
                    owners.append((domains.count - 1, capabilities.count - 1))
                }
            }
        }
        self.domains = ByteStringTable(domains)
        self.capabilities = ByteStringTable(capabilities)
        self.services = ByteStringTable(services)
        self.serviceOwners = owners
        self.applications = ByteStringTable(services.flatMap { ["\($0)-api", "\($0)-worker", "\($0)-consumer"] })
        var regionStarts: [Int] = [0]
        for cloud in LogVocabulary.regions { regionStarts.append(regionStarts[regionStarts.count - 1] + cloud.count) }
        self.regionStarts = regionStarts

        func pool(_ count: Int, _ make: (inout WorkloadRandom, inout JSONBuffer) -> Void) -> ByteStringTable {
            var strings: [String] = []
            for _ in 0..<count {
                var buffer = JSONBuffer(capacity: 24)
                make(&random, &buffer)
                strings.append(String(decoding: buffer.bytes, as: UTF8.self))
            }
            return ByteStringTable(strings)
        }
        self.users = pool(5000) { random, buffer in
            buffer.append("u-")
            buffer.append(decimal: random.below(10_000_000), width: 7)
        }
        self.persons = pool(3000) { random, buffer in
            buffer.append("p-")
            buffer.append(decimal: random.below(100_000_000), width: 8)
        }
        self.devices = pool(4000) { random, buffer in buffer.append(hex: random.next(), digits: 16) }
        self.sessions = pool(2000) { random, buffer in Self.appendAlphanumerics(20, to: &buffer, random: &random) }
        self.sources = ByteStringTable(
            (0..<120).map { index in
                var buffer = JSONBuffer()
                buffer.append("src-")
                buffer.append(decimal: index, width: 3)
                return String(decoding: buffer.bytes, as: UTF8.self)
            }
        )
        self.random = random
    }

    public mutating func appendLine(to buffer: inout JSONBuffer) {
        self.timeNanoseconds += Int(self.random.exponential(rate: 1.0) * 666_667)
        let level = self.random.weightedIndex(cumulative: self.levelWeights)
        let isError = level >= 3
        let service = self.random.below(self.services.count)

        buffer.append("{\"time\":\"")
        self.appendTime(to: &buffer)
        buffer.append("\",\"level\":")
        self.appendString(self.levels, level, to: &buffer)
        if self.random.chance(0.80) {
            buffer.append(",\"correlation_id\":")
            self.appendUUID(to: &buffer)
        }
        if self.random.chance(0.60) {
            buffer.append(",\"session_id\":")
            self.appendString(self.sessions, self.random.below(self.sessions.count), to: &buffer)
        }
        if self.random.chance(0.50) {
            buffer.append(",\"message_id\":")
            self.appendUUID(to: &buffer)
        }
        if self.random.chance(0.30) {
            buffer.append(",\"person_id\":")
            self.appendString(self.persons, self.random.below(self.persons.count), to: &buffer)
        }
        if self.random.chance(0.55) {
            buffer.append(",\"user_id\":")
            self.appendString(self.users, self.random.below(self.users.count), to: &buffer)
        }
        if self.random.chance(0.35) {
            buffer.append(",\"device_id\":")
            self.appendString(self.devices, self.random.below(self.devices.count), to: &buffer)
        }
        buffer.append(",\"message\":\"")
        self.appendMessage(to: &buffer)
        buffer.append("\",\"business_capability\":")
        self.appendString(self.capabilities, self.serviceOwners[service].capability, to: &buffer)
        buffer.append(",\"business_domain\":")
        self.appendString(self.domains, self.serviceOwners[service].domain, to: &buffer)
        buffer.append(",\"business_service\":")
        self.appendString(self.services, service, to: &buffer)
        buffer.append(",\"application_service\":")
        self.appendString(self.applications, service * 3 + self.random.below(3), to: &buffer)
        if self.random.chance(0.20) {
            buffer.append(",\"audit\":")
            buffer.append(bool: self.random.chance(0.5))
        }
        if self.random.chance(0.40) {
            buffer.append(",\"resource_type\":")
            self.appendString(self.resourceTypes, self.random.below(self.resourceTypes.count), to: &buffer)
        }
        var cloud: Int?
        if self.random.chance(0.70) {
            let chosen = self.random.weightedIndex(cumulative: self.cloudWeights)
            cloud = chosen
            buffer.append(",\"cloud_provider\":")
            self.appendString(self.clouds, chosen, to: &buffer)
        }
        if self.random.chance(0.50) {
            buffer.append(",\"source_id\":")
            self.appendString(self.sources, self.random.below(self.sources.count), to: &buffer)
        }
        if self.random.chance(0.45) {
            buffer.append(",\"http_response\":")
            if isError {
                buffer.append(
                    decimal: LogVocabulary.errorStatuses[self.random.below(LogVocabulary.errorStatuses.count)]
                )
            } else {
                buffer.append(
                    decimal: LogVocabulary.httpStatuses[self.random.weightedIndex(cumulative: self.httpWeights)]
                )
            }
        }
        if level >= 2 && self.random.chance(0.70) {
            buffer.append(",\"error_code\":")
            self.appendString(self.errorCodes, self.random.below(self.errorCodes.count), to: &buffer)
        }
        if isError && self.random.chance(0.45) {
            buffer.append(",\"stack_trace\":\"")
            self.appendStackTrace(long: self.random.chance(0.35), to: &buffer)
            buffer.append(UInt8(ascii: "\""))
        } else if level == 2 && self.random.chance(0.05) {
            buffer.append(",\"stack_trace\":\"")
            self.appendStackTrace(long: false, to: &buffer)
            buffer.append(UInt8(ascii: "\""))
        }
        if self.random.chance(0.50) {
            buffer.append(",\"duration\":")
            buffer.append(decimal: Int(self.random.logNormal(mean: 16.0, deviation: 1.5)))
        }
        if self.random.chance(0.25) {
            buffer.append(",\"trace_ip\":[")
            for index in 0..<self.random.integer(in: 1...4) {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                buffer.append(UInt8(ascii: "\""))
                buffer.append(decimal: LogVocabulary.addressFirstOctets[self.random.below(5)])
                buffer.append(UInt8(ascii: "."))
                buffer.append(decimal: self.random.below(256))
                buffer.append(UInt8(ascii: "."))
                buffer.append(decimal: self.random.below(256))
                buffer.append(UInt8(ascii: "."))
                buffer.append(decimal: 1 + self.random.below(254))
                buffer.append(UInt8(ascii: "\""))
            }
            buffer.append(UInt8(ascii: "]"))
        }
        if self.random.chance(0.70) {
            let regionCloud = cloud ?? self.random.weightedIndex(cumulative: self.cloudWeights)
            let start = self.regionStarts[regionCloud]
            let region = start + self.random.below(self.regionStarts[regionCloud + 1] - start)
            buffer.append(",\"region\":")
            self.appendString(self.regions, region, to: &buffer)
            if self.random.chance(0.85) {
                buffer.append(",\"az\":\"")
                self.regions.append(region, to: &buffer)
                buffer.append(UInt8(ascii: "a") + UInt8(self.random.below(3)))
                buffer.append(UInt8(ascii: "\""))
            }
        }
        if self.random.chance(0.40) {
            let count = self.random.integer(in: 1...5)
            self.random.sampleToFront(&self.tagOrder, count: count)
            buffer.append(",\"tags\":[")
            for index in 0..<count {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                self.appendString(self.tags, Int(self.tagOrder[index]), to: &buffer)
            }
            buffer.append(UInt8(ascii: "]"))
        }
        if self.random.chance(0.30) {
            let count = self.random.integer(in: 1...6)
            self.random.sampleToFront(&self.argumentOrder, count: count)
            buffer.append(",\"args\":{")
            for index in 0..<count {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                self.appendString(self.argumentKeys, Int(self.argumentOrder[index]), to: &buffer)
                buffer.append(":\"")
                if self.random.chance(0.5) {
                    buffer.append(decimal: self.random.below(100_000))
                } else {
                    Self.appendAlphanumerics(self.random.integer(in: 3...16), to: &buffer, random: &self.random)
                }
                buffer.append(UInt8(ascii: "\""))
            }
            buffer.append(UInt8(ascii: "}"))
        }
        if self.random.chance(0.15) {
            buffer.append(",\"transaction_message_reference\":\"TMR-")
            buffer.append(decimal: self.timeNanoseconds / 1_000_000_000)
            buffer.append(UInt8(ascii: "-"))
            buffer.append(decimal: self.random.below(1_000_000), width: 6)
            buffer.append(UInt8(ascii: "\""))
        }
        if self.random.chance(0.20) {
            buffer.append(",\"ttl\":")
            buffer.append(decimal: LogVocabulary.ttls[self.random.below(LogVocabulary.ttls.count)])
        }
        if self.random.chance(0.25) {
            buffer.append(",\"auto_index\":")
            buffer.append(bool: self.random.chance(0.7))
        }
        if self.random.chance(0.80) {
            buffer.append(",\"logger_name\":")
            self.appendString(self.loggers, self.random.below(self.loggers.count), to: &buffer)
        }
        if self.random.chance(0.60) {
            buffer.append(",\"thread_name\":")
            self.appendString(self.threads, self.random.below(self.threads.count), to: &buffer)
        }
        if self.random.chance(0.20) {
            let count = self.random.integer(in: 1...4)
            self.random.sampleToFront(&self.extraOrder, count: count)
            buffer.append(",\"extra_fields\":{")
            for index in 0..<count {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                self.appendString(self.extraKeys, Int(self.extraOrder[index]), to: &buffer)
                buffer.append(":\"")
                Self.appendAlphanumerics(self.random.integer(in: 4...24), to: &buffer, random: &self.random)
                buffer.append(UInt8(ascii: "\""))
            }
            buffer.append(UInt8(ascii: "}"))
        }
        buffer.append("}\n")
    }

    /// `"…"`: entry `index` of `table`, quoted.
    @inline(__always)
    private func appendString(_ table: ByteStringTable, _ index: Int, to buffer: inout JSONBuffer) {
        buffer.append(UInt8(ascii: "\""))
        table.append(index, to: &buffer)
        buffer.append(UInt8(ascii: "\""))
    }

    /// RFC 3339 with nanoseconds, trailing zeros of the fraction trimmed (Go's `RFC3339Nano`).
    private func appendTime(to buffer: inout JSONBuffer) {
        let seconds = self.timeNanoseconds / 1_000_000_000
        var nanoseconds = self.timeNanoseconds % 1_000_000_000
        CivilTime(unixSeconds: seconds).append(to: &buffer, separator: UInt8(ascii: "T"))
        if nanoseconds != 0 {
            var digits = 9
            while nanoseconds % 10 == 0 {
                nanoseconds /= 10
                digits -= 1
            }
            buffer.append(UInt8(ascii: "."))
            buffer.append(decimal: nanoseconds, width: digits)
        }
        buffer.append(UInt8(ascii: "Z"))
    }

    /// A random version-4 UUID, quoted, as `gen_events.py` formats one.
    private mutating func appendUUID(to buffer: inout JSONBuffer) {
        let high = self.random.next()
        let low = self.random.next()
        buffer.append(UInt8(ascii: "\""))
        buffer.append(hex: high >> 32, digits: 8)
        buffer.append(UInt8(ascii: "-"))
        buffer.append(hex: high >> 16, digits: 4)
        buffer.append("-4")
        buffer.append(hex: high, digits: 3)
        buffer.append(UInt8(ascii: "-"))
        buffer.append(hex: 8 + ((low >> 60) & 3), digits: 1)
        buffer.append(hex: low >> 48, digits: 3)
        buffer.append(UInt8(ascii: "-"))
        buffer.append(hex: low, digits: 12)
        buffer.append(UInt8(ascii: "\""))
    }

    /// 40–300 characters of words, cut at a word boundary; 3% carry one non-ASCII word, 30% end in `id=N`.
    private mutating func appendMessage(to buffer: inout JSONBuffer) {
        let target = self.random.integer(in: 40...300)
        let wordCount = target / 5 + 2
        let nonASCIIPosition = self.random.chance(0.03) ? self.random.below(wordCount) : -1
        var length = 0
        for position in 0..<wordCount {
            let isNonASCII = position == nonASCIIPosition
            let table = isNonASCII ? self.nonASCIIWords : self.words
            let word = self.random.below(table.count)
            let wordLength = isNonASCII ? self.nonASCIIWordLengths[word] : table.length(word)
            let newLength = length + (position > 0 ? 1 : 0) + wordLength
            // Python joins all the words, cuts at `target` and drops the last (partial or whole) word.
            if position > 0 && (newLength > target || (newLength == target && position < wordCount - 1)) { break }
            if position > 0 { buffer.append(UInt8(ascii: " ")) }
            table.append(word, to: &buffer)
            length = newLength
        }
        while length < 40 {
            let word = self.random.below(self.words.count)
            buffer.append(UInt8(ascii: " "))
            self.words.append(word, to: &buffer)
            length += 1 + self.words.length(word)
        }
        if self.random.chance(0.3) {
            buffer.append(" id=")
            buffer.append(decimal: self.random.below(1_000_000_000))
        }
    }

    /// A Java stack trace, escaped: 3–12 frames, or 40–110 (and half the time a `Caused by:` section) if long.
    private mutating func appendStackTrace(long: Bool, to buffer: inout JSONBuffer) {
        self.exceptions.append(self.random.below(self.exceptions.count), to: &buffer)
        self.appendFrames(long ? self.random.integer(in: 40...110) : self.random.integer(in: 3...12), to: &buffer)
        if long && self.random.chance(0.5) {
            buffer.append("\\nCaused by: ")
            self.exceptions.append(self.random.below(self.exceptions.count), to: &buffer)
            self.appendFrames(self.random.integer(in: 5...30), to: &buffer)
        }
    }

    private mutating func appendFrames(_ count: Int, to buffer: inout JSONBuffer) {
        for _ in 0..<count {
            buffer.append("\\n\\tat ")
            self.framePrefixes.append(self.random.below(self.framePrefixes.count), to: &buffer)
            buffer.append(decimal: self.random.integer(in: 20...900))
            buffer.append(UInt8(ascii: ")"))
        }
    }

    private static func appendAlphanumerics(_ count: Int, to buffer: inout JSONBuffer, random: inout WorkloadRandom) {
        for _ in 0..<count {
            buffer.append(LogVocabulary.alphanumerics[random.below(LogVocabulary.alphanumerics.count)])
        }
    }
}
