import Foundation
import LaketapConvert
import LaketapPipeline
import LaketapServer
import LaketapStorage
import Logging
import Metrics
import Parquet
import Prometheus
import ServiceLifecycle
import UnixSignals

extension ServeCommand {
    /// Wires the store, the pipeline and the front door into one `ServiceGroup`. On SIGTERM/SIGINT the
    /// group shuts services down in reverse order: the HTTP server stops accepting and finishes its
    /// requests, then the pipeline flushes every stream and returns; uploads end before exit.
    static func serve(_ settings: ServeSettings) async throws {
        let level = Logger.Level(rawValue: settings.logLevel) ?? .info
        let json = settings.logFormat == "json"
        LoggingSystem.bootstrap { label in
            if json { return JSONLogHandler(label: label, level: level) }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "laketap")
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))

        let streams = try settings.streams.reduce(into: [String: StreamConfiguration]()) { streams, entry in
            streams[entry.key] = try Self.streamConfiguration(name: entry.key, entry.value)
        }
        // Validate the defaults once; streams created on first use reuse the loaded schema.
        let defaults = try Self.streamConfiguration(name: "defaults", settings.streamDefaults)
        let defaultPrefix = settings.streamDefaults.prefix

        let store: any ObjectStore
        var s3Store: S3Store?
        switch settings.store {
        case .local(let path):
            store = LocalStore(root: path)
        case .s3(let s3):
            var configuration = S3Store.Configuration(
                bucket: s3.bucket,
                prefix: s3.prefix,
                region: s3.region,
                endpoint: s3.endpoint,
                addressingStyle: s3.addressingStyle.flatMap {
                    $0 == "path" ? .path : $0 == "virtual" ? .virtualHosted : nil
                },
                partSize: s3.partSize ?? 16 << 20
            )
            switch s3.serverSideEncryption {
            case "AES256": configuration.serverSideEncryption = .aes256
            case "aws:kms": configuration.serverSideEncryption = .kms(keyID: s3.kmsKeyID)
            default: break
            }
            if let seconds = s3.requestTimeoutSeconds {
                configuration.requestTimeout = .milliseconds(Int64(seconds * 1000))
            }
            let created = try S3Store(configuration: configuration, logger: logger)
            store = created
            s3Store = created
        }

        let pipeline = IngestPipeline(
            configuration: PipelineConfiguration(
                dataDirectory: settings.dataDirectory,
                store: store,
                streams: streams,
                defaultStream: { name in
                    var stream = defaults
                    stream.name = name
                    stream.prefix = defaultPrefix ?? name
                    return stream
                },
                autoCreateStreams: settings.autoCreateStreams,
                diskBudgetBytes: settings.diskBudgetBytes,
                maxRecordBytes: settings.maxRecordBytes,
                segmentBytes: settings.segmentBytes,
                // Each conversion holds a segment and a row group (~256 MiB at most); leave one core to
                // the front door so acknowledgement latency stays low while segments convert.
                maximumConcurrentConversions: max(
                    1,
                    min(ProcessInfo.processInfo.activeProcessorCount - 1, settings.memoryBudgetBytes / (256 << 20))
                ),
                conversionThreads: settings.conversionThreads ?? Cores.available(),
                conversionPriority: PipelineConfiguration.ConversionPriority(rawValue: settings.conversionPriority)
                    ?? .idle,
                logger: logger
            )
        )
        let server = ServerConfiguration(
            host: settings.host,
            port: settings.port,
            maxBodyBytes: settings.maxBodyBytes,
            maxDecompressedBodyBytes: settings.maxBodyBytes,
            maxRecordBytes: settings.maxRecordBytes,
            maxDepth: settings.maxDepth,
            tokens: settings.tokens,
            streamTokens: settings.streams.filter { !$0.value.tokens.isEmpty }.mapValues(\.tokens)
        )
        let application = makeApplication(configuration: server, ingest: pipeline, registry: registry, logger: logger)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [
                    .init(service: pipeline),
                    .init(service: application, successTerminationBehavior: .gracefullyShutdownGroup),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        logger.info(
            "laketap serve starting",
            metadata: [
                "address": "\(settings.host):\(settings.port)",
                "buffer": "\(settings.dataDirectory)",
                "lake": "\(store.location)",
                "streams": "\(settings.streams.keys.sorted())",
                "auto_create_streams": "\(settings.autoCreateStreams)",
            ]
        )
        do {
            try await group.run()
        } catch {
            try? await s3Store?.shutdown()
            throw error
        }
        try await s3Store?.shutdown()
        logger.info("laketap serve stopped")
    }

    /// A stream's settings, checked now (schema file, template, codec) so that a mistake stops the start.
    static func streamConfiguration(
        name: String,
        _ settings: ServeSettings.Stream
    ) throws(ConfigurationError) -> StreamConfiguration {
        let key = name == "defaults" ? "defaults" : "streams.\(name)"
        let schema: StreamConfiguration.SchemaSource
        if settings.schema == "infer" {
            schema = .infer
        } else {
            do {
                schema = .declared(
                    try DeclaredSchema(loading: settings.schema, overflowColumn: StreamSchema.defaultOverflowColumn)
                        .schema
                )
            } catch {
                throw ConfigurationError("\(key).schema: \(error)")
            }
        }
        if let template = settings.partitionBy {
            do {
                _ = try PartitionTemplate(parsing: template)
            } catch {
                throw ConfigurationError("\(key).partition_by: \(error)")
            }
        }
        var options = StreamConfiguration.defaultWriterOptions
        do {
            options.compression = try Compression(parsing: settings.compression)
        } catch {
            throw ConfigurationError("\(key).compression: \(error)")
        }
        return StreamConfiguration(
            name: name,
            schema: schema,
            partitionTemplate: settings.partitionBy,
            timeField: settings.timeField,
            lateAfterSeconds: settings.lateAfterSeconds,
            writerOptions: options,
            thresholds: .init(
                records: settings.flushRecords,
                bytes: settings.flushBytes,
                ageSeconds: settings.flushAgeSeconds
            ),
            durability: settings.durability == "none" ? .none : .fsync,
            prefix: settings.prefix
        )
    }
}
