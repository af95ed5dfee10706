import Vapor

/// Adds the security headers to every response, errors included (it sits outside the error middleware): a content
/// security policy that allows only our own stylesheet, images, form targets and scripts (one: the template
/// editor's live preview, served from this server; no inline script runs), no framing, no MIME sniffing, no `Referer` (a portal link carries its secret in the URL), HSTS when the
/// request came over TLS (directly or through a trusted proxy), and `Cache-Control: no-store` on every response that
/// does not set its own caching (pages, the portal and API data; the stylesheet keeps its public max-age).
///
/// The values are built once; the work per response is a few header appends, with no hop off the event loop.
struct SecurityHeadersMiddleware: Middleware {
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    static let strictTransportSecurity = "max-age=31536000"

    /// Sent on every response.
    static let always: [(HTTPHeaders.Name, String)] = [
        (.contentSecurityPolicy, contentSecurityPolicy),
        (.xFrameOptions, "DENY"),
        (.xContentTypeOptions, "nosniff"),
        (HTTPHeaders.Name("Referrer-Policy"), "no-referrer"),
    ]

    /// True when this server itself terminates TLS (read once at start).
    let servedOverTLS: Bool

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).map { response in
            for (name, value) in Self.always { response.headers.replaceOrAdd(name: name, value: value) }
            if !response.headers.contains(name: .cacheControl) {
                response.headers.add(name: .cacheControl, value: "no-store")
            }
            if request.isSecure(servedOverTLS: servedOverTLS) {
                response.headers.replaceOrAdd(name: .strictTransportSecurity, value: Self.strictTransportSecurity)
            }
            return response
        }
    }
}
