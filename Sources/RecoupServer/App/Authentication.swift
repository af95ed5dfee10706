import Foundation
import NIOConcurrencyHelpers
import RecoupCore
import RecoupStore
import Vapor

extension Request {
    private struct UserKey: StorageKey { typealias Value = User }
    private struct CSRFKey: StorageKey { typealias Value = String }

    /// The signed-in user (set by the API or page authentication), if any.
    var recoupUser: User? {
        get { storage[UserKey.self] }
        set { storage[UserKey.self] = newValue }
    }

    /// The session's CSRF token, for forms.
    var csrfToken: String? {
        get { storage[CSRFKey.self] }
        set { storage[CSRFKey.self] = newValue }
    }

    /// The signed-in user; 401 without one (the authentication middleware normally answers first).
    func requireUser() throws -> User {
        guard let user = recoupUser else { throw UserFacingError.unauthorized() }
        return user
    }

    /// Whose debts this request may see.
    var scope: ClientScope { recoupUser?.scope ?? .client(id: -1, ref: "") }

    /// Refuses a client the user may not see exactly as a missing one: 404, the same sentence.
    func requireClient(_ ref: String) throws {
        guard scope.allows(clientRef: ref) else { throw StoreError.unknownClient(ref) }
    }

    /// 403 unless the user has one of the roles.
    func requireRole(_ roles: Role...) throws {
        let user = try requireUser()
        guard roles.contains(user.role) else {
            throw UserFacingError(
                status: .forbidden, code: "forbidden",
                message:
                    "a \(user.role.rawValue) user may not do this; it needs \(roles.map(\.rawValue).joined(separator: " or "))"
            )
        }
    }

    /// The client's address for the sign-in throttle, the audit trail and acceptance records: the peer's, or when the
    /// peer is a trusted proxy (`--trusted-proxy`) the right-most `X-Forwarded-For` entry that is not a trusted proxy.
    /// From any other peer the header is ignored: anyone can send one.
    var sourceAddress: String {
        let proxies = application.settings.trustedProxies
        guard !proxies.isEmpty else { return remoteAddress?.ipAddress ?? "unknown" }
        return proxies.clientAddress(peer: remoteAddress?.ipAddress, forwardedFor: headers[.xForwardedFor]) ?? "unknown"
    }

    /// True when the request came over TLS: to this server, or through a trusted proxy that says
    /// `X-Forwarded-Proto: https` (the header is ignored from any other peer).
    var isSecure: Bool {
        isSecure(servedOverTLS: application.http.server.configuration.tlsConfiguration != nil)
    }

    /// `isSecure` with the server's own TLS setting given (the security headers read it once at start).
    func isSecure(servedOverTLS: Bool) -> Bool {
        if servedOverTLS || url.scheme == "https" { return true }
        let proxies = application.settings.trustedProxies
        guard !proxies.isEmpty, let proto = headers.first(name: .xForwardedProto) else { return false }
        return proxies.forwardsTLS(peer: remoteAddress?.ipAddress, forwardedProto: proto)
    }
}

extension UserFacingError {
    static func unauthorized(
        _ message: String = "sign in first: send Authorization: Bearer TOKEN (recoup token create EMAIL)"
    )
        -> UserFacingError
    {
        UserFacingError(status: .unauthorized, code: "unauthorized", message: message)
    }

    static func notFound(_ message: String) -> UserFacingError {
        UserFacingError(status: .notFound, code: "not_found", message: message)
    }
}

/// API requests carry `Authorization: Bearer TOKEN`; anything else is 401 (the OpenAPI document is registered
/// outside this middleware, so it is public). A token checked in the last few seconds is taken from the cache without
/// leaving the event loop.
struct BearerAuthenticationMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard let token = Self.bearerToken(request.headers) else {
            return request.eventLoop.makeFailedFuture(UserFacingError.unauthorized())
        }
        let now = request.application.settings.clock()
        let cache = request.application.tokenCache
        if let user = cache.user(for: token, now: now) {
            request.recoupUser = user
            return next.respond(to: request)
        }
        return request.eventLoop.makeFutureWithTask {
            try await UserStore.authenticate(token: token, on: request.db, now: now)
        }.flatMap { check in
            switch check {
            case .valid(let user, let expiresAt):
                cache.remember(user, expiresAt: expiresAt, for: token, now: now)
                request.recoupUser = user
                return next.respond(to: request)
            case .expired:
                return request.eventLoop.makeFailedFuture(
                    UserFacingError.unauthorized(
                        "the token has expired; create a new one with recoup token create EMAIL"))
            case .disabled:
                return request.eventLoop.makeFailedFuture(UserFacingError.unauthorized("the user is disabled"))
            case .unknown:
                return request.eventLoop.makeFailedFuture(
                    UserFacingError.unauthorized("the token is not valid (unknown or revoked)"))
            }
        }
    }

    /// The token of `Authorization: Bearer TOKEN` (the scheme in any case, spaces around the token ignored); nil when
    /// the header is missing, another scheme or empty.
    static func bearerToken(_ headers: HTTPHeaders) -> String? {
        guard let value = headers.first(name: .authorization) else { return nil }
        let utf8 = value.utf8
        guard utf8.count > 7,
            utf8.prefix(7).elementsEqual("bearer ".utf8, by: { $0 | 0x20 == $1 })
        else { return nil }
        // Spaces trimmed by hand: Foundation's trimming costs more than the rest of the check.
        var token = value.utf8.dropFirst(7)
        while token.first == UInt8(ascii: " ") { token = token.dropFirst() }
        while token.last == UInt8(ascii: " ") { token = token.dropLast() }
        return token.isEmpty ? nil : String(Substring(token))
    }
}

/// Tokens recently found valid, so a busy API client does not cost a database read per request. An entry lives
/// `lifetime` seconds: a token revoked, or its user disabled, from the command line (another process) stops working
/// within that time. A token that expires is never served from here after its expiry.
final class TokenCache: Sendable {
    static let lifetime: TimeInterval = 10

    private let entries = NIOLockedValueBox<[String: (user: User, at: Date, expiresAt: Date?)]>([:])

    func user(for token: String, now: Date) -> User? {
        entries.withLockedValue { entries in
            guard let entry = entries[token] else { return nil }
            guard now.timeIntervalSince(entry.at) < Self.lifetime, now >= entry.at,
                entry.expiresAt.map({ now < $0 }) ?? true
            else {
                entries[token] = nil
                return nil
            }
            return entry.user
        }
    }

    /// Drops every token of the user, so that this process checks them in the database again at once (a user
    /// disabled on the users page).
    func forget(userID: Int64) {
        entries.withLockedValue { entries in entries = entries.filter { $0.value.user.id != userID } }
    }

    func remember(_ user: User, expiresAt: Date?, for token: String, now: Date) {
        entries.withLockedValue { entries in
            if entries.count > 10_000 { entries.removeAll() }
            entries[token] = (user, now, expiresAt)
        }
    }
}

extension Application {
    private struct TokenCacheKey: StorageKey { typealias Value = TokenCache }

    /// The process's token cache, made at configuration.
    var tokenCache: TokenCache {
        get { storage[TokenCacheKey.self]! }
        set { storage[TokenCacheKey.self] = newValue }
    }
}

/// Pages: the session cookie names a live session; without one, the browser is sent to the login page. Every form
/// that changes something must carry the session's CSRF token.
struct SessionAuthenticationMiddleware: AsyncMiddleware {
    static let cookieName = "recoup_session"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let token = request.cookies[Self.cookieName]?.string,
            let session = try await UserStore.session(
                token: token, on: request.db, now: request.application.settings.clock())
        else {
            let target = request.url.path + (request.url.query.map { "?" + $0 } ?? "")
            return request.redirect(
                to: "/login?next=" + (target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
        }
        request.recoupUser = session.user
        request.csrfToken = session.csrf
        if request.method == .POST {
            let sent = try? request.content.get(String.self, at: "csrf")
            guard let sent, sent == session.csrf else {
                throw Abort(
                    .forbidden,
                    reason: "the form has expired or did not come from Recoup; reload the page and try again")
            }
        }
        return try await next.respond(to: request)
    }
}

/// Every state-changing request (not GET or HEAD, nor the POSTs that only compute an answer) is written to the
/// hash-chained audit trail after it is answered: who, what, when, from where, and the status.
struct AuditMiddleware: Middleware {
    /// POST routes that change nothing: the compliance engine, message lint, plan proposals and template previews are
    /// pure.
    static let readOnlyPaths: Set<String> = [
        "/api/v1/compliance/check", "/api/v1/compliance/lint", "/api/v1/plans/propose", "/api/v1/templates/preview",
        "/templates/preview",
    ]

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard request.method != .GET, request.method != .HEAD, !Self.readOnlyPaths.contains(request.path) else {
            return next.respond(to: request)
        }
        // The clock is taken while the request arrives: by the time it is answered a server stopping may have let its
        // settings go.
        let clock = request.application.settings.clock
        return next.respond(to: request).flatMapWithEventLoop { response, eventLoop in
            eventLoop.makeFutureWithTask {
                try await record(request, status: Int(response.status.code), at: clock())
                return response
            }
        }.flatMapError { error in
            // The request failed: record how, then pass the error on (the error middleware answers it).
            request.eventLoop.makeFutureWithTask {
                try? await record(request, status: Int(JSONErrorMiddleware.describe(error).0.code), at: clock())
                throw error
            }
        }
    }

    private func record(_ request: Request, status: Int, at now: Date) async throws {
        let actor = request.recoupUser?.email ?? request.portalActor ?? "anonymous"
        let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? request.path
        try await AuditStore.append(
            AuditEntry(
                at: now, actor: actor, action: "\(request.method.rawValue) \(route)",
                target: request.path, source: request.sourceAddress, status: status),
            on: request.db)
    }
}

extension Request {
    private struct PortalActorKey: StorageKey { typealias Value = String }

    /// `portal:DEBTOR` for a debtor using their portal link.
    var portalActor: String? {
        get { storage[PortalActorKey.self] }
        set { storage[PortalActorKey.self] = newValue }
    }
}
