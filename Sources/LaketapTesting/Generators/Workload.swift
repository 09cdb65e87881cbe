/// A deterministic source of NDJSON lines: the same seed and options always give the same bytes.
///
/// ``LogWorkload`` and ``EventWorkload`` reproduce the two workloads of `bench/gen_events.py`.
public protocol Workload {
    /// Appends the next line to `buffer`: one JSON object followed by `\n`.
    mutating func appendLine(to buffer: inout JSONBuffer)
}

/// How much a ``WorkloadStream`` produces.
public enum WorkloadLimit: Sendable, Hashable {
    /// Exactly this many lines.
    case records(Int)
    /// Lines until the total reaches this many bytes; the line that reaches it is included, so the total
    /// exceeds the limit by less than one line (as `gen_events.py --bytes`).
    case bytes(Int)
}

/// A workload cut to a ``WorkloadLimit`` and handed out in chunks of whole lines.
public struct WorkloadStream<Generator: Workload> {
    /// The underlying generator.
    public private(set) var workload: Generator
    /// The bound on the output.
    public let limit: WorkloadLimit
    /// Lines produced so far.
    public private(set) var records = 0
    /// Bytes produced so far.
    public private(set) var bytes = 0

    /// Wraps `workload`, which produces at most `limit`.
    public init(_ workload: Generator, limit: WorkloadLimit) {
        self.workload = workload
        self.limit = limit
    }

    /// Whether the limit is reached.
    public var isFinished: Bool {
        switch self.limit {
        case .records(let count): self.records >= count
        case .bytes(let count): self.bytes >= count
        }
    }

    /// Appends whole lines to `buffer` until it holds `targetBytes` bytes or more, `maximumRecords` lines were
    /// appended, or the limit is reached. Returns the number of lines appended.
    @discardableResult
    public mutating func append(to buffer: inout JSONBuffer, targetBytes: Int, maximumRecords: Int = .max) -> Int {
        var appended = 0
        while appended < maximumRecords && buffer.count < targetBytes && !self.isFinished {
            let before = buffer.count
            self.workload.appendLine(to: &buffer)
            self.bytes += buffer.count - before
            self.records += 1
            appended += 1
        }
        return appended
    }
}
