public import Hummingbird
public import LaketapPipeline
public import Logging
public import Metrics
public import Prometheus

/// Builds the HTTP front door: a Hummingbird application serving the ingest, flush, health, readiness and
/// metrics routes on `configuration.host:configuration.port`.
///
/// The application is a `Service`: run it in the executable's `ServiceGroup` after the pipeline, so that on
/// SIGTERM it stops accepting connections and lets in-flight requests finish before the pipeline drains.
///
/// ```swift
/// let registry = PrometheusCollectorRegistry()
/// MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
/// let app = makeApplication(configuration: .init(), ingest: pipeline, registry: registry, logger: logger)
/// let group = ServiceGroup(services: [pipeline, app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
/// try await group.run()
/// ```
///
/// - Parameters:
///   - configuration: address, limits and tokens.
///   - ingest: where records go.
///   - registry: the registry `GET /metrics` renders.
///   - logger: the application's logger; requests log at debug level.
///   - metricsFactory: where the front door's own metrics go; `nil` (the default) means a
///     `PrometheusMetricsFactory` on `registry`.
public func makeApplication(
    configuration: ServerConfiguration,
    ingest: any RecordIngest,
    registry: PrometheusCollectorRegistry,
    logger: Logger,
    metricsFactory: (any MetricsFactory)? = nil
) -> some ApplicationProtocol {
    let metrics = ServerMetrics(factory: metricsFactory ?? PrometheusMetricsFactory(registry: registry))
    let authenticator = TokenAuthenticator(tokens: configuration.tokens, streamTokens: configuration.streamTokens)
    if !authenticator.isEnabled {
        logger.warning("no ingest tokens configured: any client can write to and flush every stream")
    }
    let router = Router()
    router.add(middleware: RequestObservationMiddleware(metrics: metrics))
    HealthRoutes(ingest: ingest, registry: registry).register(on: router)
    IngestRoutes(
        ingest: ingest,
        configuration: configuration,
        authenticator: authenticator,
        metrics: metrics,
        limiter: RequestLimiter(limit: configuration.maxConcurrentIngestRequests)
    ).register(on: router)
    return Application(
        router: router,
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port),
            serverName: "laketap"
        ),
        logger: logger
    )
}
