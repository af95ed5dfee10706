import Foundation
import NIOConcurrencyHelpers
import RecoupCore
import RecoupStore
import RecoupTestSupport
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

@Suite("Disabling and enabling users, and setting a password again")
struct UserManagementTests {
    static let email = "cole@agency.example"
    static let password = "first-long-secret"

    /// Adds the collector the tests disable, with a token and a session of their own.
    static func collector(_ app: Application) async throws -> (token: String, session: String) {
        _ = try await UserStore.add(
            email: email, role: .collector, clientRef: nil, passwordHash: try Bcrypt.hash(password, cost: 4),
            on: app.db, now: testNow)
        let token = try await UserStore.createToken(email: email, on: app.db, now: testNow).token
        let user = try #require(try await UserStore.user(email: email, on: app.db)).user
        let session = try await UserStore.createSession(
            userID: user.id, on: app.db, now: app.settings.clock(), lifetime: 3600)
        return (token, session.token)
    }

    static func signIn(
        _ app: Application, password: String, _ check: (TestingHTTPResponse) async throws -> Void
    ) async throws {
        let form = try await LoginTests.loginForm(app)
        try await LoginTests.post(app, email: email, password: password, csrf: form.csrf, cookie: form.cookie, check)
    }

    static func sessionHeaders(_ session: String) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.add(name: .cookie, value: "\(SessionAuthenticationMiddleware.cookieName)=\(session)")
        return headers
    }

    @Test(
        "a disabled user cannot sign in, their sessions end and their tokens answer 401; enabling undoes it",
        arguments: TestStore.available)
    func disable(store: TestStore) async throws {
        let clock = NIOLockedValueBox(testNow)
        try await withApp(store, clock: { clock.withLockedValue { $0 } }) { app in
            // Setup: a collector whose token has just been used, so the server's cache holds it.
            let (token, session) = try await Self.collector(app)
            try await app.api(.GET, "api/v1/debts", token: token) { response async throws in
                #expect(response.status == .ok)
            }
            // Act: disable them.
            let disabled = try await UserStore.setDisabled(true, email: "Cole@Agency.example", on: app.db, now: testNow)
            #expect(disabled.isDisabled)
            // Verify: the store refuses the token and the session at once …
            #expect(try await UserStore.authenticate(token: token, on: app.db, now: testNow) == .disabled)
            #expect(try await UserStore.session(token: session, on: app.db, now: testNow) == nil)
            #expect(try await UserStore.all(on: app.db).first { $0.email == Self.email }?.isDisabled == true)
            try await app.page(.GET, "admin/users") { response async throws in
                let html = response.body.string
                #expect(
                    html.contains(
                        #"<td data-label="Email">cole@agency.example</td><td data-label="Role">collector</td><td data-label="Sees">every client</td><td data-label="State">disabled</td>"#
                    )
                )
                #expect(
                    html.contains(
                        #"<td data-label="Email">admin@example.com</td><td data-label="Role">admin</td><td data-label="Sees">every client</td><td data-label="State">active</td>"#
                    ))
            }
            try await app.testing().test(.GET, "debts", headers: Self.sessionHeaders(session)) {
                response async throws in
                #expect(response.status == .seeOther)
            }
            // … and the API once the cache's entry is older than its lifetime (TokenCache.lifetime, documented).
            clock.withLockedValue { $0 = testNow.addingTimeInterval(TokenCache.lifetime) }
            try await app.api(.GET, "api/v1/debts", token: token) { response async throws in
                #expect(response.status == .unauthorized)
                #expect(try response.content.decode(ErrorBody.self).error.message == "the user is disabled")
            }
            // The sign-in page says so, but only to someone who knows the password.
            try await Self.signIn(app, password: "not-the-password") { response async throws in
                #expect(response.status == .unauthorized)
                #expect(response.body.string.contains("The email or password is not right."))
                #expect(!response.body.string.contains("disabled"))
            }
            try await Self.signIn(app, password: Self.password) { response async throws in
                #expect(response.status == .forbidden)
                #expect(response.body.string.contains("This account is disabled."))
                #expect(response.headers.setCookie?[SessionAuthenticationMiddleware.cookieName] == nil)
            }
            // Enabling again lets the same token and password in.
            let enabled = try await UserStore.setDisabled(false, email: Self.email, on: app.db, now: testNow)
            #expect(!enabled.isDisabled)
            try await app.api(.GET, "api/v1/debts", token: token) { response async throws in
                #expect(response.status == .ok)
            }
            try await Self.signIn(app, password: Self.password) { response async throws in
                #expect(response.status == .seeOther)
                #expect(response.headers.setCookie?[SessionAuthenticationMiddleware.cookieName] != nil)
            }
            // Someone unknown is a sentence, not a crash.
            await #expect(throws: StoreError.invalid("there is no user nobody@x.example (recoup user list shows them)"))
            {
                try await UserStore.setDisabled(true, email: "nobody@x.example", on: app.db, now: testNow)
            }
        }
    }

    @Test(
        "a new password ends the user's sessions; the old password no longer signs in", arguments: TestStore.available)
    func password(store: TestStore) async throws {
        try await withApp(store) { app in
            // Setup
            let (token, session) = try await Self.collector(app)
            // Act
            _ = try await UserStore.setPassword(
                email: Self.email, passwordHash: try Bcrypt.hash("second-long-secret", cost: 4), on: app.db)
            // Verify
            #expect(try await UserStore.session(token: session, on: app.db, now: testNow) == nil)
            #expect(
                try await UserStore.session(token: TestAccounts.credentials(app).session, on: app.db, now: testNow)
                    != nil)
            try await Self.signIn(app, password: Self.password) { response async throws in
                #expect(response.status == .unauthorized)
            }
            try await Self.signIn(app, password: "second-long-secret") { response async throws in
                #expect(response.status == .seeOther)
            }
            try await app.api(.GET, "api/v1/debts", token: token) { response async throws in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("user password, disable, enable and list: the real binary")
    func commands() async throws {
        let recoup = try RecoupBinary()
        let added = try await recoup.run(
            ["user", "add", Self.email, "--role", "collector", "--password-stdin"], input: Self.password + "\n")
        #expect(added.status == 0, "\(added.standardError)")
        #expect(
            added.standardOutput
                == #"{"email":"cole@agency.example","role":"collector","client":null,"disabled":false}"# + "\n")

        let disabled = try await recoup.run(["user", "disable", "COLE@agency.example"])
        #expect(disabled.status == 0, "\(disabled.standardError)")
        #expect(disabled.standardOutput.contains(#""disabled":true"#))
        let listed = try await recoup.run(["user", "list"])
        #expect(
            listed.standardOutput
                == #"[{"email":"cole@agency.example","role":"collector","client":null,"disabled":true}]"# + "\n")
        let enabled = try await recoup.run(["user", "enable", Self.email])
        #expect(enabled.standardOutput.contains(#""disabled":false"#))
        #expect(try await recoup.run(["user", "list"]).standardOutput.contains(#""disabled":false"#))

        let changed = try await recoup.run(
            ["user", "password", Self.email, "--password-stdin"], input: "second-long-secret\n")
        #expect(changed.status == 0, "\(changed.standardError)")
        let database = try String(contentsOfFile: recoup.directory.path + "/recoup.sqlite", encoding: .isoLatin1)
        #expect(!database.contains("second-long-secret"))

        for (arguments, input, sentence) in [
            (
                ["user", "password", Self.email, "--password-stdin"], "short\n",
                "the password needs at least 10 characters"
            ),
            (["user", "password", Self.email], "long enough secret\n", "give --password-stdin"),
            (
                ["user", "password", "nobody@x.example", "--password-stdin"], "long enough secret\n",
                "there is no user nobody@x.example"
            ),
            (["user", "disable", "nobody@x.example"], "", "there is no user nobody@x.example"),
            (["user", "enable", "nobody@x.example"], "", "there is no user nobody@x.example"),
        ] {
            let refused = try await recoup.run(arguments, input: input)
            #expect(refused.status == 2, "\(arguments)")
            #expect(refused.standardError.hasPrefix("recoup: " + sentence), "\(arguments): \(refused.standardError)")
            #expect(refused.standardError.split(separator: "\n").count == 1, "\(arguments)")
        }
    }
}
