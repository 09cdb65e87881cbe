import Foundation

extension ServeSettings {
    /// The effective configuration as YAML, tokens redacted (`laketap serve --print-config`).
    var redactedYAML: String {
        func redacted(_ tokens: [String]) -> String {
            tokens.isEmpty ? "[]" : "[\(tokens.map { _ in "\"[redacted]\"" }.joined(separator: ", "))]"
        }
        func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        func stream(_ stream: Stream, indent: String) -> [String] {
            var lines = [
                "\(indent)schema: \(quoted(stream.schema))",
                "\(indent)compression: \(quoted(stream.compression))",
                "\(indent)flush_records: \(stream.flushRecords)",
                "\(indent)flush_bytes: \(stream.flushBytes)",
                "\(indent)flush_age: \(stream.flushAgeSeconds)s",
                "\(indent)durability: \(stream.durability)",
            ]
            if let partitionBy = stream.partitionBy { lines.append("\(indent)partition_by: \(quoted(partitionBy))") }
            if let timeField = stream.timeField { lines.append("\(indent)time_field: \(quoted(timeField))") }
            if let late = stream.lateAfterSeconds { lines.append("\(indent)late_after: \(late)s") }
            if let prefix = stream.prefix { lines.append("\(indent)prefix: \(quoted(prefix))") }
            if !stream.tokens.isEmpty { lines.append("\(indent)tokens: \(redacted(stream.tokens))") }
            return lines
        }
        var lines = [
            "server:",
            "  host: \(quoted(self.host))",
            "  port: \(self.port)",
            "  max_body_bytes: \(self.maxBodyBytes)",
            "  max_record_bytes: \(self.maxRecordBytes)",
            "  max_depth: \(self.maxDepth)",
            "  tokens: \(redacted(self.tokens))",
            "buffer:",
            "  directory: \(quoted(self.dataDirectory))",
            "  durability: \(self.durability)",
            "  disk_budget: \(self.diskBudgetBytes)",
            "  segment_bytes: \(self.segmentBytes)",
            "  memory_budget: \(self.memoryBudgetBytes)",
            "  conversion_threads: \(self.conversionThreads.map(String.init) ?? "all cores")",
            "  conversion_priority: \(self.conversionPriority)",
            "auto_create_streams: \(self.autoCreateStreams)",
            "lake:",
        ]
        switch self.store {
        case .local(let path):
            lines += ["  store: local", "  path: \(quoted(path))"]
        case .s3(let s3):
            lines += ["  store: s3", "  bucket: \(quoted(s3.bucket))", "  prefix: \(quoted(s3.prefix))"]
            if let region = s3.region { lines.append("  region: \(quoted(region))") }
            if let endpoint = s3.endpoint { lines.append("  endpoint: \(quoted(endpoint))") }
            if let style = s3.addressingStyle { lines.append("  addressing_style: \(style)") }
            if let sse = s3.serverSideEncryption { lines.append("  sse: \(quoted(sse))") }
            if let key = s3.kmsKeyID { lines.append("  kms_key_id: \(quoted(key))") }
            if let part = s3.partSize { lines.append("  part_size: \(part)") }
            if let timeout = s3.requestTimeoutSeconds { lines.append("  request_timeout: \(timeout)s") }
        }
        lines.append("defaults:")
        lines += stream(self.streamDefaults, indent: "  ")
        if !self.streams.isEmpty {
            lines.append("streams:")
            for name in self.streams.keys.sorted() {
                lines.append("  \(quoted(name)):")
                lines += stream(self.streams[name]!, indent: "    ")
            }
        }
        lines += ["log:", "  level: \(self.logLevel)", "  format: \(self.logFormat)"]
        return lines.joined(separator: "\n")
    }
}
