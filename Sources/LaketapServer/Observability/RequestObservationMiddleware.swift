import Hummingbird
import Logging

/// Counts and times every routed request by route template and status, and logs it at debug level.
/// Logs carry the method, route, status and duration only: never headers (tokens) or bodies.
struct RequestObservationMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(
        _ request: Request,
        context: Context,
        next: @concurrent (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let status: HTTPResponse.Status
        do {
            let response = try await next(request, context)
            status = response.status
            self.observe(request, context: context, status: status, since: start)
            return response
        } catch let error as any HTTPResponseError {
            self.observe(request, context: context, status: error.status, since: start)
            throw error
        } catch {
            self.observe(request, context: context, status: .internalServerError, since: start)
            throw error
        }
    }

    private func observe(
        _ request: Request,
        context: Context,
        status: HTTPResponse.Status,
        since start: ContinuousClock.Instant
    ) {
        let elapsed = ContinuousClock.now - start
        let nanoseconds = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
        let route = context.endpointPath ?? "unmatched"
        self.metrics.request(route: route, status: status.code, nanoseconds: nanoseconds)
        context.logger.debug(
            "request handled",
            metadata: [
                "laketap.http.method": "\(request.method)",
                "laketap.http.route": "\(route)",
                "laketap.http.status": "\(status.code)",
                "laketap.http.duration_ns": "\(nanoseconds)",
            ]
        )
    }
}
