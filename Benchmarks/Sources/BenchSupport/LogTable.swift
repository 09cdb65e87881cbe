public import Parquet

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A table shaped like the `logs` workload of /work/shared/bench/gen_events.py, cut to 12
/// top-level columns (14 leaves):
///
/// | column | type | shape |
/// |---|---|---|
/// | time | TIMESTAMP(µs, UTC), required | increasing, 0–2 ms apart |
/// | level | string, required | 5 values, INFO 65% |
/// | service | string, required | 66 values |
/// | host | string, required | 2,000 values |
/// | message | string, required | 40–300 bytes of words and numbers, nearly unique |
/// | request_id | string, required | 32 hex digits, unique |
/// | latency_ms | double, required | exponential, mean 50 |
/// | status | int32, required | 17 HTTP codes, 200 60% |
/// | user_id | int64, optional | 30% null, 0..<5M |
/// | error_code | string, optional | present on WARN and above (≈ 20%), 65 values |
/// | tags | list<string>, optional | 20% null, else 0–4 of 30 tags |
/// | cloud | struct{provider string, region string, bytes_out int64?}, optional | 5% null; bytes_out 20% null |
public enum LogTable {
    public static let schema: ParquetSchema = try! ParquetSchema([
        .timestamp("time", unit: .micros, .required),
        .string("level", .required),
        .string("service", .required),
        .string("host", .required),
        .string("message", .required),
        .string("request_id", .required),
        .double("latency_ms", .required),
        .int32("status", .required),
        .int64("user_id"),
        .string("error_code"),
        .list("tags", element: .string("element")),
        .group("cloud", [.string("provider", .required), .string("region", .required), .int64("bytes_out")]),
    ])

    public static func make(rows: Int, seed: UInt64 = 42) -> BenchTable {
        var rng = SplitMix64(seed: seed)
        let hosts: [String] = (0..<2000).map { _ in
            "ip-10-\(rng.below(256))-\(rng.below(256))-\(rng.below(256)).ec2.internal"
        }

        var time = [Int64]()
        time.reserveCapacity(rows)
        var level = ColumnBuilder(rows: rows, valueBytes: 5)
        var service = ColumnBuilder(rows: rows, valueBytes: 14)
        var host = ColumnBuilder(rows: rows, valueBytes: 26)
        var message = ColumnBuilder(rows: rows, valueBytes: 175)
        var requestID = ColumnBuilder(rows: rows, valueBytes: 32)
        var latency = [Double]()
        latency.reserveCapacity(rows)
        var status = [Int32]()
        status.reserveCapacity(rows)
        var userID = [Int64]()
        var userDefs = [UInt8]()
        userDefs.reserveCapacity(rows)
        var errorCode = ColumnBuilder(rows: rows / 4, valueBytes: 8)
        var tags = ColumnBuilder(rows: rows, valueBytes: 16)
        var provider = ColumnBuilder(rows: rows, valueBytes: 4)
        var region = ColumnBuilder(rows: rows, valueBytes: 10)
        var bytesOut = [Int64]()
        var bytesOutDefs = [UInt8]()
        bytesOutDefs.reserveCapacity(rows)

        var t: Int64 = 1_767_225_600_000_000
        for _ in 0..<rows {
            t += Int64(rng.below(2000))
            time.append(t)
            let levelIndex = rng.weighted(Vocabulary.levelWeights)
            level.appendValue(Vocabulary.levels[levelIndex])
            service.appendValue(Vocabulary.services[rng.below(Vocabulary.services.count)])
            host.appendValue(hosts[rng.below(hosts.count)])
            rng.message(into: &message.bytes)
            message.endValue()
            rng.hex(32, into: &requestID.bytes)
            requestID.endValue()
            latency.append(((-50.0 * log1p(-rng.unit())) * 1000).rounded() / 1000)
            status.append(Vocabulary.httpStatus[rng.weighted(Vocabulary.httpWeights)])
            if rng.chance(0.3) {
                userDefs.append(0)
            } else {
                userDefs.append(1)
                userID.append(Int64(rng.below(5_000_000)))
            }
            if levelIndex >= 2 {
                errorCode.definitionLevels.append(1)
                errorCode.appendValue(Vocabulary.errorCodes[rng.below(Vocabulary.errorCodes.count)])
            } else {
                errorCode.definitionLevels.append(0)
            }
            tags.appendTags(&rng)
            if rng.chance(0.05) {
                provider.definitionLevels.append(0)
                region.definitionLevels.append(0)
                bytesOutDefs.append(0)
            } else {
                let cloud = rng.weighted(Vocabulary.cloudWeights)
                provider.definitionLevels.append(1)
                provider.appendValue(Vocabulary.clouds[cloud])
                region.definitionLevels.append(1)
                region.appendValue(Vocabulary.regions[cloud][rng.below(Vocabulary.regions[cloud].count)])
                if rng.chance(0.2) {
                    bytesOutDefs.append(1)
                } else {
                    bytesOutDefs.append(2)
                    bytesOut.append(Int64(rng.below(1 << 20)))
                }
            }
        }
        let batches = [
            ColumnBatch(values: .int64(time)),
            level.batch, service.batch, host.batch, message.batch, requestID.batch,
            ColumnBatch(values: .double(latency)),
            ColumnBatch(values: .int32(status)),
            ColumnBatch(values: .int64(userID), definitionLevels: userDefs),
            errorCode.batch,
            tags.batch,
            provider.batch, region.batch,
            ColumnBatch(values: .int64(bytesOut), definitionLevels: bytesOutDefs),
        ]
        return BenchTable(schema: schema, batches: batches, rows: rows)
    }
}
