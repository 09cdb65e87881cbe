import Synchronization

/// An object store in memory, for tests: thread-safe, with failure injection.
///
/// Set ``failsPuts`` to make every `put` fail with a retryable ``StoreError`` (kind `unavailable`),
/// as during an outage; ``putAttempts`` and ``puts`` count what callers tried and what landed.
public final class MemoryStore: ObjectStore {
    private struct State {
        var objects: [String: [UInt8]] = [:]
        var failsPuts = false
        var putAttempts = 0
        var created = 0
        var alreadyExisted = 0
    }

    /// Guards every field; the class holds nothing else mutable.
    private let state = Mutex(State())

    public init() {}

    public var location: String { "memory://" }

    /// Whether every put fails with a retryable error.
    public var failsPuts: Bool {
        get { self.state.withLock { $0.failsPuts } }
        set { self.state.withLock { $0.failsPuts = newValue } }
    }

    /// Puts tried, whether they failed or not.
    public var putAttempts: Int { self.state.withLock { $0.putAttempts } }
    /// Puts that created an object.
    public var createdCount: Int { self.state.withLock { $0.created } }
    /// Puts with ``PutOptions/ifAbsent`` that found the key taken.
    public var alreadyExistedCount: Int { self.state.withLock { $0.alreadyExisted } }

    /// Every object, by key.
    public var objects: [String: [UInt8]] { self.state.withLock { $0.objects } }

    @discardableResult
    public func put(_ key: String, body: ObjectBody, options: PutOptions) async throws(StoreError) -> PutOutcome {
        let failing = self.state.withLock { state in
            state.putAttempts += 1
            return state.failsPuts
        }
        if failing { throw StoreError(.unavailable, key: key, "injected failure") }
        try ObjectKey.validate(key)
        let bytes: [UInt8]
        switch body {
        case .bytes(let value): bytes = value
        case .file(let path): bytes = try Self.contents(of: path, key: key)
        }
        return self.state.withLock { state in
            if options.ifAbsent, state.objects[key] != nil {
                state.alreadyExisted += 1
                return .alreadyExists
            }
            state.objects[key] = bytes
            state.created += 1
            return .created
        }
    }

    public func get(_ key: String) async throws(StoreError) -> [UInt8] {
        try ObjectKey.validate(key)
        guard let bytes = self.state.withLock({ $0.objects[key] }) else {
            throw StoreError(.notFound, key: key, "no such object")
        }
        return bytes
    }

    public func head(_ key: String) async throws(StoreError) -> ObjectInfo? {
        try ObjectKey.validate(key)
        return self.state.withLock { state in state.objects[key].map { ObjectInfo(key: key, size: Int64($0.count)) } }
    }

    public func list(prefix: String) async throws(StoreError) -> [ObjectInfo] {
        if !prefix.isEmpty { try ObjectKey.validatePrefix(prefix) }
        return self.state.withLock { state in
            state.objects.filter { $0.key.hasPrefix(prefix) }.map {
                ObjectInfo(key: $0.key, size: Int64($0.value.count))
            }
            .sorted { ObjectKey.precedes($0.key, $1.key) }
        }
    }

    public func delete(_ key: String) async throws(StoreError) {
        try ObjectKey.validate(key)
        _ = self.state.withLock { $0.objects.removeValue(forKey: key) }
    }

    /// The whole file of a ``ObjectBody/file(path:)`` body, read as the real stores read it (a missing
    /// file is `.invalidRequest`).
    private static func contents(of path: String, key: String) throws(StoreError) -> [UInt8] {
        let file = try POSIXFile(source: path, key: key)
        return try file.read(count: Int(try file.size()), at: 0)
    }
}
