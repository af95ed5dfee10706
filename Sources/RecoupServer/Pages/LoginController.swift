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

    struct LoginForm: PageForm {
        var email: String?
        var password: String?
        var csrf: String?
        var next: String?
    }

    @Sendable
    func login(request: Request) async throws -> Response {
        let form = request.form(LoginForm.self)
        guard let sent = form.csrf, let cookie = request.cookies[Self.csrfCookie]?.string, sent == cookie else {
            return try await page(
                request, email: form.email ?? "", message: "The form expired. Please sign in again.", status: .forbidden
            )
        }
        let email = (form.email ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let now = request.application.settings.clock()
        let throttle = request.application.loginThrottle
        let keys = LoginThrottle.Keys(email: email, address: request.sourceAddress)
        // The attempt counts as a failure until the password is verified, so parallel guesses cannot all slip in
        // before the first failure is recorded; a locked email or address is refused even with the right password.
        if let wait = await throttle.begin(keys, now: now) {
            return try await page(
                request, email: email,
                message: "Too many failed attempts. Please wait \(Int(wait / 60) + 1) minutes and try again.",
                status: .tooManyRequests)
        }
        // Bcrypt takes a quarter of a second by design: on the thread pool, so it never holds the threads every other
        // request is answered on. An unknown email is checked against a stand-in hash of the same cost, so its answer
        // takes as long as a wrong password's and does not tell which emails have accounts.
        let found = try await UserStore.user(email: email, on: request.db)
        let verified = try? await request.password.async.verify(
            form.password ?? "", created: found?.passwordHash ?? request.application.absentUserHash
        ).get()
        guard let found, verified == true else {
            return try await page(
                request, email: email, message: "The email or password is not right.", status: .unauthorized)
        }
        await throttle.succeed(keys, now: now)
        // Said only once the password is right, so a guess learns nothing about the account.
        guard !found.user.isDisabled else {
            return try await page(
                request, email: email,
                message: "This account is disabled. Ask an administrator to enable it again.",
                status: .forbidden)
        }
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

    /// True when the request came over TLS, directly or through a trusted proxy (`Request.isSecure`).
    static func isSecure(_ request: Request) -> Bool {
        request.isSecure
    }
}

/// Counts failed sign-ins by email and by address: after 5 failures within 15 minutes, that key waits 15 minutes.
/// The address is `Request.sourceAddress`, which believes `X-Forwarded-For` only from a trusted proxy.
actor LoginThrottle {
    static let limit = 5
    static let window: TimeInterval = 15 * 60

    /// What one attempt is counted against. Emails and addresses are kept apart, so that typing someone's address
    /// as an email cannot lock that address out.
    struct Keys {
        var email: String
        var address: String

        var all: [String] { ["email:" + email, "address:" + address] }
    }

    private var failures: [String: [Date]] = [:]
    private var lastSweep = Date.distantPast

    /// Starts an attempt: how long it must wait if the email or the address is locked out; otherwise nil, and the
    /// attempt is counted as a failure until `succeed` takes it back.
    func begin(_ keys: Keys, now: Date) -> TimeInterval? {
        if failures.count > 100_000, now.timeIntervalSince(lastSweep) > 60 {
            lastSweep = now
            forgetStale(now: now)
        }
        var longest: TimeInterval? = nil
        for key in keys.all {
            let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < Self.window }
            failures[key] = recent.isEmpty ? nil : recent
            if recent.count >= Self.limit, let first = recent.first {
                longest = max(longest ?? 0, Self.window - now.timeIntervalSince(first))
            }
        }
        guard longest == nil else { return longest }
        for key in keys.all { failures[key, default: []].append(now) }
        return nil
    }

    /// The attempt begun at `now` signed in: the email's failures are forgotten and the address's count drops by it.
    func succeed(_ keys: Keys, now: Date) {
        let all = keys.all
        failures[all[0]] = nil
        if var recent = failures[all[1]], let index = recent.lastIndex(of: now) {
            recent.remove(at: index)
            failures[all[1]] = recent.isEmpty ? nil : recent
        }
    }

    /// Drops keys with no failure inside the window, so made-up emails cannot grow the table without bound.
    private func forgetStale(now: Date) {
        failures = failures.filter { _, dates in dates.contains { now.timeIntervalSince($0) < Self.window } }
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

extension Application {
    private struct AbsentUserHashKey: StorageKey {
        typealias Value = String
    }

    /// A bcrypt hash of a random password at the configured cost, which sign-in checks an unknown email against.
    var absentUserHash: String {
        get { storage[AbsentUserHashKey.self] ?? "" }
        set { storage[AbsentUserHashKey.self] = newValue }
    }
}
