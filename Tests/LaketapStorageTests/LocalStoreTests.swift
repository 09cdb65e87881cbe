import Foundation
import MetricsTestKit
import Testing

@testable import LaketapStorage

#if canImport(Glibc)
import Glibc
#endif

@Suite struct LocalStoreTests {
    @Test func conformance() async throws {
        let directory = try TemporaryDirectory()
        let scratch = try TemporaryDirectory()
        try await checkObjectStoreConformance(
            makeStore: { LocalStore(root: "\(directory.path)/lake") },
            scratch: scratch
        )
    }

    @Test func putLeavesNoTemporaryFilesAndCreatesDirectories() async throws {
        let directory = try TemporaryDirectory()
        let store = LocalStore(root: directory.path + "/")
        #expect(store.location == "file://\(directory.path)")
        try await store.put("events/date=2026-11-22/a.parquet", body: .bytes([1, 2]), options: PutOptions())
        #expect(
            try await store.put("events/date=2026-11-22/a.parquet", body: .bytes([3]), options: PutOptions())
                == .alreadyExists
        )
        try await store.put("events/date=2026-11-22/a.parquet", body: .bytes([4]), options: PutOptions(ifAbsent: false))
        let names = try FileManager.default.contentsOfDirectory(atPath: "\(directory.path)/events/date=2026-11-22")
        #expect(names == ["a.parquet"])
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: "\(directory.path)/events/date=2026-11-22/a.parquet"))
                == Data([4])
        )
    }

    @Test func deletingTheLastObjectOfADirectoryRemovesTheEmptyDirectories() async throws {
        let directory = try TemporaryDirectory()
        let store = LocalStore(root: directory.path + "/lake")
        try await store.put("events/date=2026-11-22/hour=01/a.parquet", body: .bytes([1]), options: PutOptions())
        try await store.put("events/date=2026-11-22/hour=02/b.parquet", body: .bytes([2]), options: PutOptions())
        try await store.delete("events/date=2026-11-22/hour=01/a.parquet")
        let manager = FileManager.default
        #expect(!manager.fileExists(atPath: "\(directory.path)/lake/events/date=2026-11-22/hour=01"))
        #expect(manager.fileExists(atPath: "\(directory.path)/lake/events/date=2026-11-22/hour=02/b.parquet"))
        try await store.delete("events/date=2026-11-22/hour=02/b.parquet")
        #expect(!manager.fileExists(atPath: "\(directory.path)/lake/events"))
        #expect(manager.fileExists(atPath: "\(directory.path)/lake"))  // the root stays
        // And the directories come back with the next object.
        try await store.put("events/date=2026-11-22/hour=01/a.parquet", body: .bytes([3]), options: PutOptions())
        #expect(try await store.get("events/date=2026-11-22/hour=01/a.parquet") == [3])
    }

    @Test func listSkipsTemporaryFilesOfPutsInProgress() async throws {
        let directory = try TemporaryDirectory()
        let store = LocalStore(root: directory.path)
        try await store.put("s/a", body: .bytes([1]), options: PutOptions())
        _ = FileManager.default.createFile(
            atPath: "\(directory.path)/s/.b.1234\(LocalStore.temporarySuffix)",
            contents: Data([9])
        )
        #expect(try await store.list(prefix: "s/") == [ObjectInfo(key: "s/a", size: 1)])
    }

    @Test func aDirectoryIsNotAnObject() async throws {
        let directory = try TemporaryDirectory()
        let store = LocalStore(root: directory.path)
        try await store.put("dir/inner", body: .bytes([1]), options: PutOptions())
        #expect(try await store.head("dir") == nil)
        await expectStoreError(.notFound) { _ = try await store.get("dir") }
    }

    @Test func errnoMapsToKinds() {
        let full = POSIXFile.error(ENOSPC, key: "k", "cannot write")
        #expect(full.kind == .io)
        #expect(full.isRetryable)
        #expect(full.message.contains("No space left on device"))
        #expect(POSIXFile.error(ENOENT, "x").kind == .notFound)
        #expect(POSIXFile.error(EACCES, "x").kind == .io)
        #expect(POSIXFile.error(ENAMETOOLONG, "x").kind == .invalidRequest)
    }

    @Test func reportsDurationsAndErrors() async throws {
        let directory = try TemporaryDirectory()
        let metrics = TestMetrics()
        let store = LocalStore(root: directory.path, metricsFactory: metrics)
        try await store.put("a", body: .bytes([1]), options: PutOptions())
        await expectStoreError(.notFound) { _ = try await store.get("missing") }

        let put = try metrics.expectTimer(
            StoreMetrics.durationLabel,
            [("store", "local"), ("operation", "put")]
        )
        #expect(put.values.count == 1)
        let errors = try metrics.expectCounter(
            StoreMetrics.errorsLabel,
            [("store", "local"), ("operation", "get"), ("kind", "notFound")]
        )
        #expect(errors.totalValue == 1)
    }
}
