import Foundation
import LaketapStorage
import Testing

/// The contract every ``ObjectStore`` keeps, run against a fresh, empty store from `makeStore`.
///
/// `scratch` is a directory for source files of `.file` bodies; `largeFileBytes` sizes the file
/// that S3 stores upload in several parts. `serverSerializesConditionalPuts` is false for a test server
/// whose conditional puts are not atomic (moto checks `If-None-Match` and then writes, with no lock
/// between: two concurrent puts can both pass the check); the store cannot make them one-winner there,
/// so the race check then asks only what a store can keep (see ``ConformanceChecks/concurrentIfAbsentPuts()``).
func checkObjectStoreConformance<Store: ObjectStore>(
    makeStore: () async throws -> Store,
    shutdown: (Store) async throws -> Void = { _ in },
    scratch: TemporaryDirectory,
    largeFileBytes: Int = 12 << 20,
    serverSerializesConditionalPuts: Bool = true
) async throws {
    let store = try await makeStore()
    do {
        try await ConformanceChecks(
            store: store,
            scratch: scratch,
            serverSerializesConditionalPuts: serverSerializesConditionalPuts
        ).runAll(largeFileBytes: largeFileBytes)
    } catch {
        try await shutdown(store)
        throw error
    }
    try await shutdown(store)
}

struct ConformanceChecks<Store: ObjectStore> {
    let store: Store
    let scratch: TemporaryDirectory
    var serverSerializesConditionalPuts = true

    func runAll(largeFileBytes: Int) async throws {
        try await self.emptyStore()
        try await self.putGetHeadDelete()
        try await self.ifAbsentKeepsTheFirstObject()
        try await self.concurrentIfAbsentPuts()
        try await self.keysWithSpacesEqualsAndUnicode()
        try await self.listByPrefixInKeyOrder()
        try await self.fileBodies(largeFileBytes: largeFileBytes)
        try await self.invalidKeysAreRefused()
    }

    func emptyStore() async throws {
        #expect(try await self.store.list(prefix: "") == [])
        #expect(try await self.store.head("missing/object") == nil)
        await expectStoreError(.notFound) { _ = try await self.store.get("missing/object") }
        try await self.store.delete("missing/object")
    }

    func putGetHeadDelete() async throws {
        let key = "basic/object.bin"
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        #expect(try await self.store.put(key, body: .bytes(bytes), options: PutOptions()) == .created)
        #expect(try await self.store.get(key) == bytes)
        #expect(try await self.store.head(key) == ObjectInfo(key: key, size: 1000))

        #expect(try await self.store.put("basic/empty", body: .bytes([]), options: PutOptions()) == .created)
        #expect(try await self.store.get("basic/empty") == [])
        #expect(try await self.store.head("basic/empty")?.size == 0)

        // Without ifAbsent a put replaces.
        #expect(
            try await self.store.put(key, body: .bytes([1, 2, 3]), options: PutOptions(ifAbsent: false)) == .created
        )
        #expect(try await self.store.get(key) == [1, 2, 3])

        try await self.store.delete(key)
        try await self.store.delete("basic/empty")
        #expect(try await self.store.head(key) == nil)
        #expect(try await self.store.list(prefix: "basic/") == [])
        await expectStoreError(.notFound) { _ = try await self.store.get(key) }
    }

    func ifAbsentKeepsTheFirstObject() async throws {
        let key = "idempotent/events-000001-000000000000-000000000099.parquet"
        #expect(try await self.store.put(key, body: .bytes([1]), options: PutOptions(ifAbsent: true)) == .created)
        #expect(
            try await self.store.put(key, body: .bytes([2, 2]), options: PutOptions(ifAbsent: true)) == .alreadyExists
        )
        #expect(try await self.store.get(key) == [1])
        let file = try self.scratch.write("second.bin", bytes: [3, 3, 3])
        #expect(try await self.store.put(key, body: .file(path: file), options: PutOptions()) == .alreadyExists)
        #expect(try await self.store.get(key) == [1])
        try await self.store.delete(key)
    }

    /// Eight concurrent if-absent puts of one key: one creates the object, the others are told it exists,
    /// and the object is the winner's. Against a server that does not serialize conditional puts, at
    /// least one creates it, every other outcome is `alreadyExists`, and the object is one winner's whole.
    func concurrentIfAbsentPuts() async throws {
        let key = "race/object"
        let outcomes = try await withThrowingTaskGroup(of: (UInt8, PutOutcome).self) { group in
            for writer in UInt8(0)..<8 {
                group.addTask {
                    (
                        writer,
                        try await self.store.put(
                            key,
                            body: .bytes([UInt8](repeating: writer, count: 64)),
                            options: PutOptions()
                        )
                    )
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let winners = outcomes.filter { $0.1 == .created }
        #expect(outcomes.count == 8 && outcomes.allSatisfy { $0.1 == .created || $0.1 == .alreadyExists })
        if self.serverSerializesConditionalPuts {
            #expect(winners.count == 1)
        } else {
            #expect(!winners.isEmpty)
        }
        let stored = try await self.store.get(key)
        #expect(winners.contains { stored == [UInt8](repeating: $0.0, count: 64) })
        try await self.store.delete(key)
    }

    func keysWithSpacesEqualsAndUnicode() async throws {
        let keys = [
            "hive/date=2026-11-22/name=a b/events-000001.parquet",
            "hive/date=2026-11-22/name=café ü ß/événement.parquet",
            "hive/odd/plus+and&amp;%20percent ~tilde(1)'q'.bin",
            "hive/odd/日本語/キー.bin",
        ]
        for (index, key) in keys.enumerated() {
            #expect(try await self.store.put(key, body: .bytes([UInt8(index)]), options: PutOptions()) == .created)
        }
        for (index, key) in keys.enumerated() {
            #expect(try await self.store.get(key) == [UInt8(index)])
            #expect(try await self.store.head(key)?.size == 1)
        }
        let listed = try await self.store.list(prefix: "hive/").map(\.key)
        #expect(Set(listed) == Set(keys))
        #expect(try await self.store.list(prefix: "hive/date=2026-11-22/name=a b/").map(\.key) == [keys[0]])
        for key in keys { try await self.store.delete(key) }
    }

    func listByPrefixInKeyOrder() async throws {
        let keys = ["p/b/1", "p/a/2", "p/ab", "p/a/1", "p/a/10", "q/1"]
        for key in keys {
            try await self.store.put(key, body: .bytes(Array(key.utf8)), options: PutOptions())
        }
        #expect(try await self.store.list(prefix: "p/a/").map(\.key) == ["p/a/1", "p/a/10", "p/a/2"])
        #expect(try await self.store.list(prefix: "p/a").map(\.key) == ["p/a/1", "p/a/10", "p/a/2", "p/ab"])
        #expect(try await self.store.list(prefix: "p/").count == 5)
        #expect(
            try await self.store.list(prefix: "").map(\.key)
                == keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        )
        #expect(try await self.store.list(prefix: "p/b/").first == ObjectInfo(key: "p/b/1", size: 5))
        #expect(try await self.store.list(prefix: "none/") == [])
        for key in keys { try await self.store.delete(key) }
        #expect(try await self.store.list(prefix: "") == [])
    }

    func fileBodies(largeFileBytes: Int) async throws {
        let small = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let smallPath = try self.scratch.write("small.bin", bytes: small)
        #expect(
            try await self.store.put("files/small.bin", body: .file(path: smallPath), options: PutOptions()) == .created
        )
        #expect(try await self.store.get("files/small.bin") == small)
        #expect(FileManager.default.fileExists(atPath: smallPath), "the source file is left in place")

        var generator = SystemRandomNumberGenerator()
        let large = (0..<largeFileBytes).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let largePath = try self.scratch.write("large.bin", bytes: large)
        #expect(
            try await self.store.put("files/large.bin", body: .file(path: largePath), options: PutOptions()) == .created
        )
        #expect(try await self.store.head("files/large.bin")?.size == Int64(largeFileBytes))
        #expect(try await self.store.get("files/large.bin") == large)
        #expect(
            try await self.store.put("files/large.bin", body: .file(path: largePath), options: PutOptions())
                == .alreadyExists
        )

        await expectStoreError(.invalidRequest) {
            _ = try await self.store.put(
                "files/x",
                body: .file(path: self.scratch.path + "/missing"),
                options: PutOptions()
            )
        }
        #expect(try await self.store.head("files/x") == nil)
        try await self.store.delete("files/small.bin")
        try await self.store.delete("files/large.bin")
    }

    func invalidKeysAreRefused() async throws {
        for key in ["", "/absolute", "a/../b", "..", "a/./b", "a//b", "trailing/"] {
            await expectStoreError(.invalidRequest, "key '\(key)'") {
                _ = try await self.store.put(key, body: .bytes([1]), options: PutOptions())
            }
            await expectStoreError(.invalidRequest, "key '\(key)'") { _ = try await self.store.get(key) }
        }
        await expectStoreError(.invalidRequest) { _ = try await self.store.list(prefix: "../") }
    }
}

/// Expects `body` to throw a ``StoreError`` of `kind`.
func expectStoreError(
    _ kind: StoreError.Kind,
    _ comment: Comment? = nil,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("expected a \(kind) error, nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as StoreError {
        #expect(error.kind == kind, comment, sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected a StoreError, got \(error)", sourceLocation: sourceLocation)
    }
}

/// A directory of its own for one test, removed at the end.
final class TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.path
        self.path = "\(base)/laketap-storage-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: self.path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: self.path)
    }

    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let path = "\(self.path)/\(name)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}
