import Hummingbird

/// Only the client itself is public: the page, its styles and its modules. The web root also holds the
/// client's tests, README and package.json, and may hold editor files: those answer 404.
struct PublicFilesMiddleware<Context: RequestContext>: RouterMiddleware {
    static var publicPrefixes: [String] { ["/css/", "/js/"] }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    )
        async throws -> Response
    {
        let path = request.uri.path
        if path.hasPrefix("/api/") || path == "/sip" || Self.isPublic(path) {
            return try await next(request, context)
        }
        throw HTTPError(.notFound)
    }

    static func isPublic(_ path: String) -> Bool {
        if path == "/" || path == "/index.html" { return true }
        // No hidden files or folders anywhere below the public folders.
        guard !path.split(separator: "/").contains(where: { $0.hasPrefix(".") }) else { return false }
        return publicPrefixes.contains { path.hasPrefix($0) }
    }
}
