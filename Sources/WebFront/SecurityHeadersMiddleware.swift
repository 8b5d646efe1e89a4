import HTTPTypes
import Hummingbird

/// Headers on every answer that keep the page to its own origin: scripts, styles and connections from
/// Parley only (so an injected script or a stray remote resource cannot run), no framing, no sniffing.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    )
        async throws -> Response
    {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        // 'self' covers wss:// on the same host in CSP Level 3; the explicit source is for older engines.
        let webSocketSource = request.head.authority.map { " wss://\($0)" } ?? ""
        response.headers[.contentSecurityPolicy] =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob:; "
            + "connect-src 'self'\(webSocketSource); object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
            + "form-action 'self'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        response.headers[HTTPField.Name("Permissions-Policy")!] = "camera=(), geolocation=(), microphone=(self)"
        return response
    }
}
