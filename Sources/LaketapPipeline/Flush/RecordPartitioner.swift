import LaketapConvert

/// Chooses the partition path of a record: the stream's template over its fields and event time,
/// arrival time when the record has no usable event time, and the late-data rule.
///
/// - With a ``StreamConfiguration/timeField``, a record whose field is missing, null or not an
///   instant is partitioned by its arrival time instead (the template with `{@arrival:…}` in place
///   of `{<timeField>:…}`).
/// - With ``StreamConfiguration/lateAfterSeconds``, a record whose event time is more than that
///   before its arrival goes to `late=true/<partition by arrival time>`: late data stays together
///   in the partitions being written now instead of reopening old ones, and is never dropped.
struct RecordPartitioner: Sendable {
    static let latePrefix = "late=true"

    private let template: PartitionTemplate?
    private let arrivalTemplate: PartitionTemplate?
    /// Renders the event time as `YYYY-MM-DD.HH.MM.SS`, read back as an instant (second precision).
    private let eventTime: PartitionTemplate?
    private let lateAfter: Int64?

    init(configuration: StreamConfiguration) throws(ConvertError) {
        let text = configuration.partitionTemplate.flatMap { $0.isEmpty ? nil : $0 }
        self.template = try text.map { text throws(ConvertError) in try PartitionTemplate(parsing: text) }
        if let field = configuration.timeField {
            let arrivalText = text?.replacing("{\(field):", with: "{@arrival:")
            self.arrivalTemplate = try arrivalText.map { text throws(ConvertError) in
                try PartitionTemplate(parsing: text)
            }
            self.eventTime = try PartitionTemplate(parsing: "{\(field):%Y-%m-%d.%H.%M.%S}")
        } else {
            self.arrivalTemplate = self.template
            self.eventTime = nil
        }
        self.lateAfter = configuration.lateAfterSeconds.map { Int64($0 * 1_000_000) }
    }

    /// The partition path of `record`, relative and without slashes at either end ("" for none).
    func partition(_ record: UnsafeRawBufferPointer, arrival: Int64) -> Result<String, RecordRejection> {
        let event = self.eventTime.flatMap { Self.instant($0, record) }
        if let lateAfter = self.lateAfter, let event, event < arrival - lateAfter {
            guard let template = self.arrivalTemplate else { return .success(Self.latePrefix) }
            return template.partitionPath(for: record, arrival: arrival).map { path in
                path.isEmpty ? Self.latePrefix : Self.latePrefix + "/" + path
            }
        }
        let template = self.eventTime != nil && event == nil ? self.arrivalTemplate : self.template
        guard let template else { return .success("") }
        return template.partitionPath(for: record, arrival: arrival)
    }

    private static func instant(_ template: PartitionTemplate, _ record: UnsafeRawBufferPointer) -> Int64? {
        guard case .success(let text) = template.partitionPath(for: record) else { return nil }
        var bytes = Array(text.utf8)
        // `YYYY-MM-DD.HH.MM.SS` → `YYYY-MM-DDTHH:MM:SSZ`.
        guard bytes.count == 19, bytes[10] == UInt8(ascii: "."), bytes[13] == UInt8(ascii: "."),
            bytes[16] == UInt8(ascii: ".")
        else { return nil }
        bytes[10] = UInt8(ascii: "T")
        bytes[13] = UInt8(ascii: ":")
        bytes[16] = UInt8(ascii: ":")
        bytes.append(UInt8(ascii: "Z"))
        return bytes.withUnsafeBytes { TimestampParser.microseconds($0) }
    }
}
