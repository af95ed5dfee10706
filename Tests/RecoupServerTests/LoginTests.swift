import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

@Suite("Signing in, CSRF, throttling, signing out, and the user and token commands")
struct LoginTests {
    /// The CSRF value and cookie of a fresh login form.
    static func loginForm(_ app: Application) async throws -> (csrf: String, cookie: String) {
        var csrf = ""
        var cookie = ""
        try await app.testing().test(.GET, "login?next=/debts") { response async throws in
            #expect(response.status == .ok)
            let html = response.body.string
            #expect(html.contains(#"<form class="stacked" method="post" action="/login">"#))
            #expect(html.contains(#"<label for="email">Email</label>"#))
            #expect(html.contains(#"<input id="password" name="password" type="password""#))
            #expect(html.contains(#"name="next" value="/debts""#))
            let marker = #"name="csrf" value=""#
            let start = html.range(of: marker)!.upperBound
            csrf = String(html[start...].prefix(64))
            cookie = response.headers.setCookie?[LoginController.csrfCookie]?.string ?? ""
        }
        #expect(csrf.count == 64 && csrf == cookie)
        return (csrf, cookie)
    }

    static func post(
        _ app: Application, email: String, password: String, csrf: String, cookie: String,
        _ check: (TestingHTTPResponse) async throws -> Void
    ) async throws {
        var headers = HTTPHeaders()
        headers.contentType = .urlEncodedForm
        headers.add(name: .cookie, value: "\(LoginController.csrfCookie)=\(cookie)")
        let form = "email=\(email)&password=\(password)&csrf=\(csrf)&next=%2Fdebts"
        try await app.testing().test(
            .POST, "login", headers: headers, body: ByteBuffer(string: form), afterResponse: check)
    }

    @Test(
        "pages need a session; the login form signs in with a secure cookie; a wrong password is refused",
        arguments: [TestStore.sqlite])
    func signIn(store: TestStore) async throws {
        try await withApp(store) { app in
            try await app.testing().test(.GET, "/?asOf=2026-11-29") { response async throws in
                #expect(response.status == .seeOther)
                #expect(response.headers.first(name: .location)?.hasPrefix("/login?next=") == true)
            }
            let form = try await Self.loginForm(app)
            try await Self.post(
                app, email: TestAccounts.adminEmail, password: "wrong-password", csrf: form.csrf, cookie: form.cookie
            ) {
                response async throws in
                #expect(response.status == .unauthorized)
                #expect(response.body.string.contains("The email or password is not right."))
            }
            try await Self.post(
                app, email: TestAccounts.adminEmail, password: "correct+horse+battery", csrf: "forged",
                cookie: form.cookie
            ) {
                response async throws in
                #expect(response.status == .forbidden)
            }
            var session = ""
            try await Self.post(
                app, email: TestAccounts.adminEmail, password: "correct+horse+battery", csrf: form.csrf,
                cookie: form.cookie
            ) {
                response async throws in
                #expect(response.status == .seeOther)
                #expect(response.headers.first(name: .location) == "/debts")
                let cookie = response.headers.setCookie?[SessionAuthenticationMiddleware.cookieName]
                #expect(cookie?.isHTTPOnly == true)
                #expect(cookie?.sameSite == .lax)
                session = cookie?.string ?? ""
            }
            #expect(session.count == 64)
            var headers = HTTPHeaders()
            headers.add(name: .cookie, value: "\(SessionAuthenticationMiddleware.cookieName)=\(session)")
            try await app.testing().test(.GET, "/?asOf=2026-11-29", headers: headers) { response async throws in
                #expect(response.status == .ok)
                #expect(response.body.string.contains(TestAccounts.adminEmail))
            }
            // Signing out needs the session's CSRF token; without it nothing happens.
            try await app.testing().test(.POST, "logout", headers: headers) { response async throws in
                #expect(response.status == .forbidden)
            }
            let csrf = try await UserStore.session(token: session, on: app.db, now: app.settings.clock())!.csrf
            var formHeaders = headers
            formHeaders.contentType = .urlEncodedForm
            try await app.testing().test(
                .POST, "logout", headers: formHeaders, body: ByteBuffer(string: "csrf=\(csrf)")
            ) {
                response async throws in
                #expect(response.status == .seeOther)
            }
            try await app.testing().test(.GET, "/?asOf=2026-11-29", headers: headers) { response async throws in
                #expect(response.status == .seeOther)
            }
        }
    }

    @Test(
        "an unknown email is checked against a stand-in hash of the configured cost, and told what a wrong password is")
    func unknownEmail() async throws {
        try await withApp(.sqlite) { app in
            // The tests configure cost 4: the stand-in and the pages' new passwords are hashed at it.
            #expect(app.absentUserHash.hasPrefix("$2b$04$") && app.absentUserHash.count == 60)
            #expect(try app.password.hash("a new password").hasPrefix("$2b$04$"))
            let form = try await Self.loginForm(app)
            try await Self.post(
                app, email: "nobody@example.com", password: "wrong-password", csrf: form.csrf, cookie: form.cookie
            ) { response async throws in
                #expect(response.status == .unauthorized)
                #expect(response.body.string.contains("The email or password is not right."))
            }
        }
    }

    @Test("after five failed attempts an email waits, even with the right password", arguments: [TestStore.sqlite])
    func throttle(store: TestStore) async throws {
        try await withApp(store) { app in
            for _ in 0..<5 {
                let form = try await Self.loginForm(app)
                try await Self.post(
                    app, email: TestAccounts.adminEmail, password: "nope-nope-nope", csrf: form.csrf,
                    cookie: form.cookie
                ) {
                    response async throws in
                    #expect(response.status == .unauthorized)
                }
            }
            let form = try await Self.loginForm(app)
            try await Self.post(
                app, email: TestAccounts.adminEmail, password: "correct+horse+battery", csrf: form.csrf,
                cookie: form.cookie
            ) {
                response async throws in
                #expect(response.status == .tooManyRequests)
                #expect(response.body.string.contains("Too many failed attempts"))
            }
        }
    }

    @Test("user add, token create and revoke, audit verify: the real binary")
    func commands() async throws {
        let recoup = try RecoupBinary()
        let file = try recoup.write(
            IBMAccountsReceivableLayout.header.joined(separator: ",")
                + "\n391,C1,4/6/2013,I-1,1/2/2013,2/1/2013,10.00,No,,Paper,,\n",
            to: "one.csv")
        #expect(try await recoup.run(["import", "--format", "ibm-ar", "--client", "acme", file]).status == 0)
        let added = try await recoup.run(
            ["user", "add", "Clerk@Acme.example", "--role", "client", "--client", "acme", "--password-stdin"],
            input: "a long enough secret\n")
        #expect(added.status == 0, "\(added.standardError)")
        #expect(
            added.standardOutput
                == #"{"email":"clerk@acme.example","role":"client","client":"acme","disabled":false}"# + "\n")
        let short = try await recoup.run(
            ["user", "add", "x@acme.example", "--role", "admin", "--password-stdin"], input: "short\n")
        #expect(short.status == 2)
        #expect(short.standardError == "recoup: the password needs at least 10 characters\n")
        let noClient = try await recoup.run(
            ["user", "add", "y@acme.example", "--role", "client", "--password-stdin"], input: "long enough pass\n")
        #expect(noClient.status == 2)
        #expect(noClient.standardError.contains("a client user needs --client REF"))
        let badRole = try await recoup.run(
            ["user", "add", "z@acme.example", "--role", "boss", "--password-stdin"], input: "long enough pass\n")
        #expect(badRole.status == 2)
        let token = try await recoup.run(["token", "create", "clerk@acme.example"])
        #expect(token.status == 0)
        #expect(token.standardOutput.hasPrefix("rcp_") && token.standardOutput.count == 4 + 64 + 1)
        let database = try String(contentsOfFile: recoup.directory.path + "/recoup.sqlite", encoding: .isoLatin1)
        #expect(!database.contains(token.standardOutput.trimmingCharacters(in: .newlines)))
        #expect(!database.contains("a long enough secret"))
        let revoked = try await recoup.run(["token", "revoke", String(token.standardOutput.prefix(12))])
        #expect(revoked.standardOutput == #"{"revoked":1}"# + "\n")
        let verified = try await recoup.run(["audit", "verify"])
        #expect(verified.status == 0)
        #expect(verified.standardOutput == #"{"ok":true,"entries":0,"firstBroken":null,"reason":null}"# + "\n")
    }
}
