/// Built-in schemas for well-known record shapes, selected with `--schema preset:NAME`.
public enum SchemaPreset: String, Sendable, Hashable, CaseIterable {
    /// The structured application log record of Data2Parquet-go (and of `gen_events.py logs` /
    /// `laketap gen logs`): the same column names, in the same order, with the same types.
    ///
    /// Only `time` (RFC 3339 with up to nanoseconds, stored as TIMESTAMP(MICROS, UTC)) is required;
    /// the other fields are Go `omitempty` fields, absent when unset. `duration` is a Go
    /// `time.Duration` (int64 nanoseconds); `args` and `extra_fields` are high-cardinality key
    /// sets, declared as `map<string, string>`.
    case log
    /// The analytics event of `gen_events.py events` / `laketap gen events`: `name`, `tstamp`
    /// (`YYYY-MM-DD HH:MM:SS.ffffff`, UTC), `payload` (a JSON document encoded as a string, kept
    /// as that text) and `payload_md5` (its MD5 in hex). For `--payload object` input, declare
    /// `payload` as `json` in a YAML declaration instead.
    case events

    /// The preset's fields.
    public var fields: [StreamField] {
        switch self {
        case .log:
            [
                StreamField("time", .timestamp(.text), isNullable: false),
                StreamField("level", .string),
                StreamField("correlation_id", .string),
                StreamField("session_id", .string),
                StreamField("message_id", .string),
                StreamField("person_id", .string),
                StreamField("user_id", .string),
                StreamField("device_id", .string),
                StreamField("message", .string),
                StreamField("business_capability", .string),
                StreamField("business_domain", .string),
                StreamField("business_service", .string),
                StreamField("application_service", .string),
                StreamField("audit", .boolean),
                StreamField("resource_type", .string),
                StreamField("cloud_provider", .string),
                StreamField("source_id", .string),
                StreamField("http_response", .int64),
                StreamField("error_code", .string),
                StreamField("stack_trace", .string),
                StreamField("duration", .int64),
                StreamField("trace_ip", .list(.string)),
                StreamField("region", .string),
                StreamField("az", .string),
                StreamField("tags", .list(.string)),
                StreamField("args", .map(.string)),
                StreamField("transaction_message_reference", .string),
                StreamField("ttl", .int64),
                StreamField("auto_index", .boolean),
                StreamField("logger_name", .string),
                StreamField("thread_name", .string),
                StreamField("extra_fields", .map(.string)),
            ]
        case .events:
            [
                StreamField("name", .string),
                StreamField("tstamp", .timestamp(.text)),
                StreamField("payload", .string),
                StreamField("payload_md5", .string),
            ]
        }
    }

    /// The preset's schema with the given overflow column.
    public func schema(overflowColumn: String? = StreamSchema.defaultOverflowColumn) -> StreamSchema {
        StreamSchema(fields: self.fields, overflowColumn: overflowColumn)
    }
}
