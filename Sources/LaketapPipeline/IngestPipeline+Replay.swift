import Logging

extension IngestPipeline {
    /// What replay found in one stream's directory.
    struct StreamReplay: Sendable {
        var name: String
        var recovered = StreamLog.Recovered()
        /// Segments without entries, removed once the new segment exists.
        var emptySegments: [String] = []
        /// Files and bytes dropped: torn tails, unreadable headers.
        var dropped: [(path: String, bytes: Int)] = []
        var bytes = 0
    }

    /// Scans every stream's segments, keeps every complete entry with a valid checksum, truncates
    /// torn tails, then opens a new segment per stream so all recovered ones are sealed.
    func replay() async throws -> [StreamLog] {
        let walDirectory = self.walDirectory
        let stagingDirectory = self.stagingDirectory
        let names = try await BlockingIO.run { () throws -> [String] in
            try FileIO.makeDirectories(walDirectory)
            try Self.clearStaging(stagingDirectory)
            return try FileIO.listDirectory(walDirectory).filter { FileIO.isDirectory(walDirectory + "/" + $0) }
        }
        var logs: [StreamLog] = []
        for name in names {
            if let problem = Self.problem(streamName: name) {
                self.logger.warning(
                    "ignoring a log directory that is not a stream",
                    metadata: ["laketap.stream": "\(name)", "laketap.reason": "\(problem)"]
                )
                continue
            }
            let directory = walDirectory + "/" + name
            let replay = try await BlockingIO.run { try Self.replayStream(name: name, directory: directory) }
            for (path, bytes) in replay.dropped {
                self.logger.warning(
                    "dropped a torn tail of the log (never acknowledged)",
                    metadata: [
                        "laketap.stream": "\(name)", "laketap.segment.path": "\(path)", "laketap.bytes": "\(bytes)",
                    ]
                )
            }
            self.budget.force(replay.bytes)
            let log = self.makeLog(
                name: name,
                configuration: self.configuration.streams[name],
                recovered: replay.recovered
            )
            try await log.openInitialSegment()
            let empty = replay.emptySegments
            if !empty.isEmpty {
                try await BlockingIO.run {
                    for path in empty { try FileIO.remove(path) }
                    try FileIO.synchronizeDirectory(directory)
                }
                self.budget.release(empty.count * SegmentFormat.headerBytes)
            }
            let sealed = log.sealedSegments
            self.logger.debug(
                "stream replayed",
                metadata: [
                    "laketap.stream": "\(name)",
                    "laketap.segments": "\(sealed.count)",
                    "laketap.records": "\(sealed.reduce(0) { $0 + $1.count })",
                    "laketap.offset.next": "\(log.nextOffset)",
                ]
            )
            logs.append(log)
        }
        return logs
    }

    static func replayStream(name: String, directory: String) throws -> StreamReplay {
        var replay = StreamReplay(name: name)
        let files = try FileIO.listDirectory(directory).compactMap { file in
            SegmentFormat.segment(fileName: file).map { (number: $0, path: directory + "/" + file) }
        }.sorted { $0.number < $1.number }
        for file in files {
            replay.recovered.nextNumber = max(replay.recovered.nextNumber, file.number + 1)
            let bytes = try FileIO.read(file.path)
            let scan = bytes.withUnsafeBytes { SegmentFormat.scan($0) }
            guard let header = scan.header, header.segment == file.number else {
                // Created but its header never completed: nothing in it was acknowledged.
                replay.dropped.append((file.path, bytes.count))
                try FileIO.remove(file.path)
                continue
            }
            if scan.droppedBytes > 0 {
                replay.dropped.append((file.path, scan.droppedBytes))
                try FileIO.truncate(file.path, to: scan.validBytes)
            }
            let count = Int64(scan.entries.count)
            replay.recovered.nextOffset = max(replay.recovered.nextOffset, header.firstOffset + count)
            replay.bytes += scan.validBytes
            guard count > 0 else {
                replay.emptySegments.append(file.path)
                continue
            }
            replay.recovered.sealed.append(
                StreamLog.SealedSegment(
                    number: file.number,
                    path: file.path,
                    firstOffset: header.firstOffset,
                    count: count,
                    bytes: scan.validBytes,
                    oldestArrival: scan.entries.map(\.arrival).min()
                )
            )
        }
        return replay
    }

    /// Removes files left in the staging directory by a conversion that did not finish.
    static func clearStaging(_ directory: String) throws {
        try FileIO.makeDirectories(directory)
        for name in try FileIO.listDirectory(directory) {
            let path = directory + "/" + name
            if FileIO.isDirectory(path) {
                for file in try FileIO.listDirectory(path) { try FileIO.remove(path + "/" + file) }
            } else {
                try FileIO.remove(path)
            }
        }
    }
}
