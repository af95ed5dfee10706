import Foundation
import RecoupStore
import Vapor

/// `GET /login` (the form), `POST /login`, `POST /logout`. Sessions are HttpOnly, SameSite=Lax cookies (Secure when
/// the request came over TLS); the login form carries a double-submit CSRF token; repeated failures for an email
/// or an address are throttled.
struct LoginController: RouteCollection {
    static let csrfCookie = "recoup_login_csrf"
    static let sessionLifetime: TimeInterval = 8 * 3600

    func boot(routes: any RoutesBuilder) throws {
        routes.get("login", use: form)
        routes.post("login", use: login)
        routes.grouped(SessionAuthenticationMiddleware()).post("logout", use: logout)
    }

    struct Context: Encodable {
        var title = "Sign in"
        var csrf: String
        var next: String
        var email: String
        var message: String?
    }

    @Sendable
    func form(request: Request) async throws -> Response {
        try await page(request, email: "", message: nil, status: .ok)
    }

    private func page(
        _ request: Request, email: String, message: String?, status: HTTPResponseStatus
    ) async throws -> Response {
        let csrf = UserStore.randomSecret()
        let next = Self.safeNext(
            request.query[String.self, at: "next"] ?? (try? request.content.get(String.self, at: "next")))
        let view = try await request.view.render(
            "login", Context(csrf: csrf, next: next, email: email, message: message))
        let response = try await view.encodeResponse(status: status, for: request)
        response.cookies[Self.csrfCookie] = HTTPCookies.Value(
            string: csrf, maxAge: 3600, path: "/login", isSecure: Self.isSecure(request), isHTTPOnly: true,
            sameSite: .strict)
        return response
    }

    struct LoginForm: Content {
        var email: String?
        var password: String?
        var csrf: String?
        var next: String?
    }

    @Sendable
    func login(request: Request) async throws -> Response {
        let form = (try? request.content.decode(LoginForm.self)) ?? LoginForm()
        guard let sent = form.csrf, let cookie = request.cookies[Self.csrfCookie]?.string, sent == cookie else {
            return try await page(
                request, email: form.email ?? "", message: "The form expired. Please sign in again.", status: .forbidden
            )
        }
        let email = (form.email ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let now = request.application.settings.clock()
        let throttle = request.application.loginThrottle
        if let wait = await throttle.wait(for: [email, request.sourceAddress], now: now) {
            return try await page(
                request, email: email,
                message: "Too many failed attempts. Please wait \(Int(wait / 60) + 1) minutes and try again.",
                status: .tooManyRequests)
        }
        guard let found = try await UserStore.user(email: email, on: request.db),
            (try? Bcrypt.verify(form.password ?? "", created: found.passwordHash)) == true
        else {
            await throttle.fail([email, request.sourceAddress], now: now)
            return try await page(
                request, email: email, message: "The email or password is not right.", status: .unauthorized)
        }
        await throttle.succeed(email)
        let session = try await UserStore.createSession(
            userID: found.user.id, on: request.db, now: now, lifetime: Self.sessionLifetime)
        let response = request.redirect(to: Self.safeNext(form.next), redirectType: .normal)
        response.cookies[SessionAuthenticationMiddleware.cookieName] = HTTPCookies.Value(
            string: session.token, maxAge: Int(Self.sessionLifetime), path: "/", isSecure: Self.isSecure(request),
            isHTTPOnly: true, sameSite: .lax)
        response.cookies[Self.csrfCookie] = .expired
        request.recoupUser = found.user
        return response
    }

    @Sendable
    func logout(request: Request) async throws -> Response {
        if let token = request.cookies[SessionAuthenticationMiddleware.cookieName]?.string {
            try await UserStore.deleteSession(token: token, on: request.db)
        }
        let response = request.redirect(to: "/login", redirectType: .normal)
        response.cookies[SessionAuthenticationMiddleware.cookieName] = .expired
        return response
    }

    /// Only a path on this site: never another host.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return "/" }
        return next
    }

    static func isSecure(_ request: Request) -> Bool {
        request.url.scheme == "https" || request.headers.first(name: "X-Forwarded-Proto") == "https"
    }
}

/// Counts failed sign-ins by email and by address: after 5 failures within 15 minutes, that key waits 15 minutes.
actor LoginThrottle {
    static let limit = 5
    static let window: TimeInterval = 15 * 60

    private var failures: [String: [Date]] = [:]

    /// How long a key must still wait, if it is locked out.
    func wait(for keys: [String], now: Date) -> TimeInterval? {
        var longest: TimeInterval? = nil
        for key in keys {
            let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < Self.window }
            failures[key] = recent
            if recent.count >= Self.limit, let first = recent.first {
                longest = max(longest ?? 0, Self.window - now.timeIntervalSince(first))
            }
        }
        return longest
    }

    func fail(_ keys: [String], now: Date) {
        for key in keys { failures[key, default: []].append(now) }
    }

    func succeed(_ key: String) {
        failures[key] = nil
    }
}

extension Application {
    private struct LoginThrottleKey: StorageKey { typealias Value = LoginThrottle }

    /// The process's sign-in throttle, made at configuration.
    var loginThrottle: LoginThrottle {
        get { storage[LoginThrottleKey.self]! }
        set { storage[LoginThrottleKey.self] = newValue }
    }
}
