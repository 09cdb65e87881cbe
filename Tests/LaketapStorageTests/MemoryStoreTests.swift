import Testing

@testable import LaketapStorage

/// The in-memory store the pipeline's tests use passes the same conformance suite as the real stores,
/// so what those tests prove about the pipeline holds for them.
@Suite struct MemoryStoreTests {
    @Test func conformance() async throws {
        let scratch = try TemporaryDirectory()
        try await checkObjectStoreConformance(makeStore: { MemoryStore() }, scratch: scratch, largeFileBytes: 6 << 20)
    }
}
