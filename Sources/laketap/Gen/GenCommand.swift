import ArgumentParser
import LaketapTesting

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `laketap gen logs|events`: the benchmark workloads of `bench/gen_events.py`, as NDJSON on stdout, in a file,
/// or posted in batches to a running Laketap.
struct GenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gen",
        abstract: "Generate a deterministic NDJSON workload, or post it to a running Laketap as a load generator.",
        discussion: """
            logs:   structured application log records (Go-style, omitempty, RFC 3339 nanosecond times).
            events: analytics events from Markov user sessions, ~2% exact duplicates, payload + payload_md5.

            The same arguments always give the same bytes. Without --count or --bytes, 1000 records.
            --bytes stops at the first record that reaches the size (so it overshoots by less than a record).
            With --url, records are POSTed in batches of --batch as application/x-ndjson, paced by --rate,
            with at most --in-flight requests outstanding; 503 and 429 are retried after Retry-After.
            A summary goes to stderr, and the exit status is 1 if any batch finally failed.
            """
    )

    enum WorkloadName: String, ExpressibleByArgument, CaseIterable {
        case logs, events
    }

    enum PayloadOption: String, ExpressibleByArgument, CaseIterable {
        case string, object
    }

    @Argument(help: "The workload: logs or events.")
    var workload: WorkloadName

    @Option(help: "Seed of the pseudo-random generator.")
    var seed: UInt64 = 42

    @Option(help: "Number of records to generate.")
    var count: Int?

    @Option(help: "Stop at the first record that brings the output to this size (e.g. 1G, 500M, 64K).")
    var bytes: ByteCount?

    @Option(name: [.short, .long], help: "Write to this file instead of stdout.")
    var output: String?

    @Option(help: "events: the payload as a JSON-encoded string (default) or a nested object.")
    var payload: PayloadOption?

    @Option(help: "With --url: records per second (token bucket); 0 or absent sends as fast as possible.")
    var rate: Double?

    @Option(help: "POST the records to this URL instead of writing them.")
    var url: String?

    @Option(help: "With --url: records per request (default 500).")
    var batch: Int?

    @Option(help: "With --url: requests in flight at once (default 4).")
    var inFlight: Int?

    @Option(help: "With --url: attempts per batch, the first included (default 5).")
    var attempts: Int?

    @Option(
        help: """
            With --url: post the lines of this NDJSON file (from its start again after the last) instead of \
            generating records, so that the client spends its CPU on HTTP alone (--count/--bytes still bound it).
            """
    )
    var replay: String?

    @Flag(help: "Print records, bytes and MB/s to stderr when done.")
    var stats = false

    func validate() throws {
        if self.count != nil && self.bytes != nil {
            throw ValidationError("--count and --bytes cannot be combined: give one bound")
        }
        if let count, count < 0 { throw ValidationError("--count must be zero or more") }
        if let bytes, bytes.value <= 0 { throw ValidationError("--bytes must be more than zero (e.g. 1G, 500M)") }
        if self.payload != nil && self.workload != .events {
            throw ValidationError("--payload applies to the events workload only")
        }
        if let url {
            if self.output != nil { throw ValidationError("--url and --output cannot be combined") }
            if LoadGenerator(configuration: .init(url: url)) == nil {
                throw ValidationError("--url must be an http or https URL with a host, e.g. http://127.0.0.1:8080/…")
            }
        } else {
            for (name, isSet) in [
                ("--rate", self.rate != nil), ("--batch", self.batch != nil), ("--in-flight", self.inFlight != nil),
                ("--attempts", self.attempts != nil), ("--replay", self.replay != nil),
            ] where isSet {
                throw ValidationError("\(name) needs --url (it paces or shapes HTTP requests)")
            }
        }
        if let rate, !(rate >= 0 && rate.isFinite) { throw ValidationError("--rate must be zero or more") }
        if let batch, batch < 1 { throw ValidationError("--batch must be at least 1") }
        if let inFlight, inFlight < 1 { throw ValidationError("--in-flight must be at least 1") }
        if let attempts, attempts < 1 { throw ValidationError("--attempts must be at least 1") }
    }

    func run() async throws {
        let limit: WorkloadLimit = self.bytes.map { .bytes($0.value) } ?? .records(self.count ?? 1000)
        if let replay {
            do {
                try await self.run(WorkloadStream(try ReplayedLines(path: replay), limit: limit))
            } catch let error as ReplayError {
                throw ValidationError("--replay: \(error)")
            }
            return
        }
        switch self.workload {
        case .logs:
            try await self.run(WorkloadStream(LogWorkload(seed: self.seed), limit: limit))
        case .events:
            let encoding: EventWorkload.PayloadEncoding = self.payload == .object ? .object : .string
            try await self.run(WorkloadStream(EventWorkload(seed: self.seed, payload: encoding), limit: limit))
        }
    }

    private func run<Generator: Workload>(_ stream: WorkloadStream<Generator>) async throws {
        var stream = stream
        if let url {
            let configuration = LoadGenerator.Configuration(
                url: url,
                batchRecords: self.batch ?? 500,
                recordsPerSecond: self.rate.flatMap { $0 > 0 ? $0 : nil },
                maximumInFlight: self.inFlight ?? 4,
                maximumAttempts: self.attempts ?? 5
            )
            // validate() checked the URL.
            guard let generator = LoadGenerator(configuration: configuration) else { throw ExitCode.validationFailure }
            let report = await generator.run(&stream)
            Self.printError("laketap gen: \(url)\n\(report)\n")
            if report.batchesFailed > 0 { throw ExitCode(1) }
        } else {
            let clock = ContinuousClock()
            let start = clock.now
            let bytes = try Self.writeAll(&stream, to: self.output)
            if self.stats {
                let elapsed = start.duration(to: clock.now)
                let seconds = max(
                    1e-9,
                    Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
                )
                let rate = (Double(bytes) / 1e6 / seconds * 10).rounded() / 10
                Self.printError(
                    "laketap gen \(self.workload.rawValue): seed=\(self.seed) records=\(stream.records) bytes=\(bytes) "
                        + "seconds=\((seconds * 100).rounded() / 100) (\(rate) MB/s)\n"
                )
            }
        }
    }

    /// Writes the stream to `path` (stdout if `nil`) in chunks of about 4 MiB; returns the bytes written.
    private static func writeAll<Generator: Workload>(
        _ stream: inout WorkloadStream<Generator>,
        to path: String?
    ) throws -> Int {
        let descriptor: Int32
        if let path {
            descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard descriptor >= 0 else {
                throw GenError("cannot open \(path) for writing: \(String(cString: strerror(errno)))")
            }
        } else {
            descriptor = STDOUT_FILENO
        }
        defer { if path != nil { close(descriptor) } }
        let chunkBytes = 4 << 20
        var buffer = JSONBuffer(capacity: chunkBytes + 64 << 10)
        var written = 0
        while !stream.isFinished {
            buffer.removeAll()
            stream.append(to: &buffer, targetBytes: chunkBytes)
            try buffer.bytes.withUnsafeBytes { chunk in
                var offset = 0
                while offset < chunk.count {
                    // The chunk is not empty here, so it has a base address.
                    let result = write(descriptor, chunk.baseAddress! + offset, chunk.count - offset)
                    if result < 0 {
                        if errno == EINTR { continue }
                        throw GenError("write to \(path ?? "stdout") failed: \(String(cString: strerror(errno)))")
                    }
                    offset += result
                }
            }
            written += buffer.count
        }
        return written
    }

    private static func printError(_ text: String) {
        var text = text
        text.withUTF8 { bytes in _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
    }
}
