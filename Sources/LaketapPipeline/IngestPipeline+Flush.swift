import CoreMetrics
import LaketapStorage
import Logging

extension IngestPipeline {
    /// Flushes one stream: seals its open segment, then converts and uploads each sealed segment in
    /// order, deleting a segment only after its files and dead letters are in the store.
    func flush(_ log: StreamLog) async throws(IngestError) -> FlushReport {
        await log.flushPermit.acquire()
        defer { log.flushPermit.release() }
        log.flushStarted()
        let started = ContinuousClock.now
        await log.seal()
        var report = FlushReport(stream: log.name)
        do {
            guard log.hasOpenSegment else {
                throw FileIOError(message: "cannot create the next segment of the stream")
            }
            for segment in log.sealedSegments {
                try await self.flush(segment, of: log, into: &report)
            }
        } catch {
            log.flushFinished(succeeded: false, retry: self.configuration.flushRetry, now: FileIO.nowMicroseconds())
            log.metrics.flushesFailed.increment()
            self.updateGauges(log)
            let metadata: Logger.Metadata = ["laketap.stream": "\(log.name)", "laketap.error": "\(error)"]
            if let error = error as? StoreError, !error.isRetryable {
                self.logger.error("flush failed; the segment is kept and the flush retried later", metadata: metadata)
            } else {
                self.logger.warning("flush failed; the segment is kept and the flush retried later", metadata: metadata)
            }
            throw .unavailable(
                reason: "the flush of stream '\(log.name)' failed: \(error)",
                retryAfterSeconds: self.configuration.retryAfterSeconds
            )
        }
        log.flushFinished(succeeded: true, retry: self.configuration.flushRetry, now: FileIO.nowMicroseconds())
        log.metrics.flushesSucceeded.increment()
        log.metrics.flushDuration.recordNanoseconds(
            Int64((ContinuousClock.now - started) / .nanoseconds(1))
        )
        self.updateGauges(log)
        if !report.files.isEmpty || report.recordsRejected > 0 {
            self.logger.debug(
                "stream flushed",
                metadata: [
                    "laketap.stream": "\(log.name)",
                    "laketap.records": "\(report.records)",
                    "laketap.files": "\(report.files.count)",
                ]
            )
        }
        return report
    }

    private func flush(
        _ segment: StreamLog.SealedSegment,
        of log: StreamLog,
        into report: inout FlushReport
    ) async throws {
        let converter = SegmentConverter(
            stream: log.name,
            configuration: log.configuration,
            stagingDirectory: self.stagingDirectory + "/" + log.name,
            identity: self.identity,
            threads: self.configuration.conversionThreads
        )
        await self.conversions.acquire()
        let output: SegmentConverter.Output
        do {
            output = try await BlockingIO.convert(priority: self.configuration.conversionPriority) {
                try converter.convert(segment)
            }
        } catch {
            self.conversions.release()
            throw error
        }
        self.conversions.release()
        let staged = output.files.map(\.path)
        defer { for path in staged { try? FileIO.remove(path) } }

        let store = self.configuration.store
        var created: [SegmentConverter.StagedFile] = []
        for file in output.files {
            let outcome = try await store.put(
                file.key,
                body: .file(path: file.path),
                options: PutOptions(ifAbsent: true, contentType: "application/vnd.apache.parquet")
            )
            // `alreadyExists`: an earlier flush of this segment put it before a crash; same bytes, same name.
            if outcome == .created { created.append(file) }
        }
        if output.deadLetterCount > 0 {
            try await store.put(
                output.deadLetterKey,
                body: .bytes(output.deadLetters),
                options: PutOptions(ifAbsent: true, contentType: "application/x-ndjson")
            )
        }

        let directory = log.directory
        try await BlockingIO.run {
            try FileIO.remove(segment.path)
            try FileIO.synchronizeDirectory(directory)
        }
        self.budget.release(segment.bytes)
        log.removeSealed(segment.number)

        log.metrics.filesWritten.increment(by: created.count)
        log.metrics.bytesWritten.increment(by: Int(created.reduce(0) { $0 + $1.bytes }))
        log.metrics.deadLettered.increment(by: output.deadLetterCount)
        for (code, count) in output.rejections { log.metrics.rejected(reason: code, count: count) }
        report.records += output.recordsWritten
        report.recordsRejected += output.deadLetterCount
        report.files += output.files.map(\.key)
        report.bytes += output.files.reduce(0) { $0 + $1.bytes }
        self.logger.debug(
            "segment flushed",
            metadata: [
                "laketap.stream": "\(log.name)",
                "laketap.segment.id": "\(segment.number)",
                "laketap.records": "\(output.recordsWritten)",
                "laketap.dlq.records": "\(output.deadLetterCount)",
            ]
        )
    }
}
