import LaketapTesting
import Testing

@Suite struct LoadGeneratorTests {
    @Test func postsEveryRecordInBatches() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let generator = try #require(LoadGenerator(configuration: .init(url: server.url, batchRecords: 100)))
        var stream = WorkloadStream(EventWorkload(seed: 1), limit: .records(1050))
        let report = await generator.run(&stream)
        #expect(report.recordsSent == 1050)
        #expect(report.batchesSent == 11 && report.batchesFailed == 0)
        #expect(report.statusCounts == [200: 11])
        #expect(server.snapshot.records == 1050)
        #expect(server.snapshot.contentTypes == ["application/x-ndjson"])
        #expect(report.latency(percentile: 0.99) != nil)
    }

    @Test func retriesServiceUnavailable() async throws {
        let server = try TestHTTPServer(rejectFirst: 3)
        defer { server.stop() }
        let generator = try #require(
            LoadGenerator(configuration: .init(url: server.url, batchRecords: 50, maximumInFlight: 1))
        )
        var stream = WorkloadStream(LogWorkload(seed: 1), limit: .records(200))
        let report = await generator.run(&stream)
        #expect(report.recordsSent == 200 && report.batchesFailed == 0)
        #expect(report.retries == 3)
        #expect(report.statusCounts == [200: 4, 503: 3])
        #expect(server.snapshot.records == 200)
    }

    @Test func reportsBatchesThatFinallyFail() async throws {
        let server = try TestHTTPServer(rejectFirst: 100)
        defer { server.stop() }
        let generator = try #require(
            LoadGenerator(
                configuration: .init(url: server.url, batchRecords: 10, maximumInFlight: 2, maximumAttempts: 2)
            )
        )
        var stream = WorkloadStream(LogWorkload(seed: 1), limit: .records(30))
        let report = await generator.run(&stream)
        #expect(report.batchesFailed == 3 && report.recordsFailed == 30 && report.recordsSent == 0)
        #expect(report.statusCounts == [503: 6])
    }

    @Test func rejectsURLsThatAreNotHTTP() {
        #expect(LoadGenerator(configuration: .init(url: "ftp://example.org/x")) == nil)
        #expect(LoadGenerator(configuration: .init(url: "not a url")) == nil)
    }

    @Test func retryAfterIsDeltaSeconds() {
        #expect(LoadGenerator.retryDelay("2") == .seconds(2))
        #expect(LoadGenerator.retryDelay("0") == .zero)
        #expect(LoadGenerator.retryDelay("Wed, 21 Oct 2015 07:28:00 GMT") == .seconds(1))
        #expect(LoadGenerator.retryDelay(nil) == .seconds(1))
    }

    @Test func tokenBucketPacesToTheRate() {
        var bucket = TokenBucket(rate: 1000, capacity: 500)
        let start = ContinuousClock.now
        #expect(bucket.reserve(500, at: start) == .zero)  // starts full
        #expect(bucket.reserve(500, at: start) == .milliseconds(500))  // in debt: wait for 500 tokens
        #expect(bucket.reserve(500, at: start + .milliseconds(500)) == .milliseconds(500))
        #expect(bucket.reserve(100, at: start + .seconds(10)) == .zero)  // refilled, capped at capacity
    }
}
