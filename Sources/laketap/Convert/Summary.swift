import Foundation
import LaketapConvert
import Parquet

/// The end-of-run report of `convert`, for people and (with --json) for scripts.
struct Summary {
    var output: String
    var rejects: String?
    var statistics: RecordConverter<FileSink>.Statistics
    var written: Written
    var inputBytes: Int
    var seconds: Double

    /// What was written: one file, or (with partitions and files set) a partitioned directory.
    struct Written {
        var byteCount: Int64
        var rowGroups: Int
        var partitions: Int? = nil
        var files: Int? = nil
    }

    var megabytesPerSecond: Double { self.seconds > 0 ? Double(self.inputBytes) / 1e6 / self.seconds : 0 }
    var compressionRatio: Double {
        self.written.byteCount > 0 ? Double(self.inputBytes) / Double(self.written.byteCount) : 0
    }

    var json: String {
        var object: [String: Any] = [
            "output": self.output,
            "rejects": self.rejects ?? NSNull(),
            "records_in": self.statistics.recordsIn,
            "records_written": self.statistics.recordsWritten,
            "records_rejected": self.statistics.recordsRejected,
            "rejections": self.statistics.rejectionsByCode,
            "row_groups": self.written.rowGroups,
            "input_bytes": self.inputBytes,
            "output_bytes": self.written.byteCount,
            "compression_ratio": (self.compressionRatio * 100).rounded() / 100,
            "seconds": (self.seconds * 1000).rounded() / 1000,
            "mb_per_second": (self.megabytesPerSecond * 10).rounded() / 10,
        ]
        if let partitions = self.written.partitions { object["partitions"] = partitions }
        if let files = self.written.files { object["files"] = files }
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    var text: String {
        var lines = [
            "laketap convert: \(self.output)",
            "  records: \(self.statistics.recordsIn) in, \(self.statistics.recordsWritten) written, \(self.statistics.recordsRejected) rejected",
            "  bytes: \(self.inputBytes) in, \(self.written.byteCount) out (\(String(format: "%.1f", self.compressionRatio))×), \(self.written.rowGroups) row groups",
            "  time: \(String(format: "%.2f", self.seconds)) s, \(String(format: "%.1f", self.megabytesPerSecond)) MB/s",
        ]
        if let partitions = self.written.partitions, let files = self.written.files {
            lines.insert("  partitions: \(partitions), files: \(files)", at: 2)
        }
        if let rejects {
            let reasons = self.statistics.rejectionsByCode.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            lines.append("  rejected records: \(rejects) (\(reasons.joined(separator: ", ")))")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// A one-line progress bar on standard error, redrawn at most four times a second.
final class Progress {
    private let enabled: Bool
    private let totalBytes: Int?
    private let start = ContinuousClock.now
    private var last = ContinuousClock.now - .seconds(1)

    init(enabled: Bool, totalBytes: Int?) {
        self.enabled = enabled
        self.totalBytes = totalBytes
    }

    func update(bytes: Int, records: Int) {
        guard self.enabled else { return }
        let now = ContinuousClock.now
        guard now - self.last >= .milliseconds(250) else { return }
        self.last = now
        let seconds = max((now - self.start).seconds, 0.001)
        let rate = Double(bytes) / 1e6 / seconds
        var line = String(
            format: "\r%8.1f MB  %10d records  %9.0f rec/s  %7.1f MB/s",
            Double(bytes) / 1e6,
            records,
            Double(records) / seconds,
            rate
        )
        if let total = self.totalBytes, total > 0 {
            let fraction = min(1, Double(bytes) / Double(total))
            let width = 24
            let filled = Int(fraction * Double(width))
            let remaining = rate > 0 ? (Double(total - bytes) / 1e6) / rate : 0
            line += "  [" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
            line += String(format: " %3.0f%%  ETA %d:%02d", fraction * 100, Int(remaining) / 60, Int(remaining) % 60)
        }
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        guard self.enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
