import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

@Suite("X-Forwarded-For and X-Forwarded-Proto are believed only from trusted proxies")
struct TrustedProxyTests {
    /// Signs in through a live server (a real socket, so the request has a peer address, 127.0.0.1), with
    /// `X-Forwarded-For` (and `X-Forwarded-Proto`) as given.
    static func signIn(
        _ app: Application, email: String, password: String, forwardedFor: String?, forwardedProto: String? = nil,
        _ check: (LiveServer.Response) async throws -> Void
    ) async throws {
        let tester = LiveServer(app: app)
        var csrf = ""
        var cookie = ""
        try await tester.test(.GET, "login") { response async throws in
            let html = response.body.string
            let start = html.range(of: #"name="csrf" value=""#)!.upperBound
            csrf = String(html[start...].prefix(64))
            cookie = response.headers.setCookie?[LoginController.csrfCookie]?.string ?? ""
        }
        var headers = HTTPHeaders()
        headers.contentType = .urlEncodedForm
        headers.add(name: .cookie, value: "\(LoginController.csrfCookie)=\(cookie)")
        if let forwardedFor { headers.add(name: .xForwardedFor, value: forwardedFor) }
        if let forwardedProto { headers.add(name: .xForwardedProto, value: forwardedProto) }
        let password = password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let form = "email=\(email)&password=\(password)&csrf=\(csrf)&next=%2Fdebts"
        try await tester.test(.POST, "login", headers: headers, body: ByteBuffer(string: form), afterResponse: check)
    }

    static func auditSources(_ app: Application) async throws -> [String] {
        try await (app.db as! any SQLDatabase).raw("SELECT source FROM audit_log ORDER BY id").all()
            .map { try $0.decode(column: "source", as: String.self) }
    }

    @Test("a new X-Forwarded-For per attempt does not escape the address throttle", arguments: [TestStore.sqlite])
    func rotatingHeaderIsThrottled(store: TestStore) async throws {
        try await withApp(store) { app in
            // Act: five wrong passwords for five emails, each claiming a different address.
            for attempt in 1...5 {
                try await Self.signIn(
                    app, email: "guess\(attempt)@example.com", password: "wrong-password",
                    forwardedFor: "198.51.100.\(attempt)"
                ) { response async throws in
                    #expect(response.status == .unauthorized)
                }
            }
            // Verify: the sixth, with yet another header and email, is refused as the same address.
            try await Self.signIn(
                app, email: "guess6@example.com", password: "wrong-password", forwardedFor: "198.51.100.6"
            ) {
                response async throws in
                #expect(response.status == .tooManyRequests)
            }
            // The audit trail records the peer, not what the header claims.
            let sources = try await Self.auditSources(app)
            #expect(sources.count == 6)
            #expect(sources.allSatisfy { $0 == "127.0.0.1" })
        }
    }

    @Test(
        "a locked address is refused even with the right password and a new X-Forwarded-For",
        arguments: [TestStore.sqlite])
    func lockedAddressRefusesRightPassword(store: TestStore) async throws {
        try await withApp(store) { app in
            for attempt in 1...5 {
                try await Self.signIn(
                    app, email: "guess\(attempt)@example.com", password: "wrong-password",
                    forwardedFor: "203.0.113.\(attempt)"
                ) { response async throws in
                    #expect(response.status == .unauthorized)
                }
            }
            try await Self.signIn(
                app, email: TestAccounts.adminEmail, password: TestAccounts.password, forwardedFor: "192.0.2.77"
            ) { response async throws in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers.setCookie?[SessionAuthenticationMiddleware.cookieName] == nil)
            }
        }
    }

    @Test(
        "behind a trusted proxy the client is the right-most untrusted X-Forwarded-For entry",
        arguments: [TestStore.sqlite])
    func trustedProxyHeaderIsUsed(store: TestStore) async throws {
        try await withApp(store) { app in
            // Setup: the test's own peer (127.0.0.1) is the proxy, as is an inner hop in 10.0.0.0/8.
            app.settings.trustedProxies = try TrustedProxies(parsing: ["127.0.0.1", "10.0.0.0/8, ::1"])
            // Act: a failed sign-in whose header starts with a forged entry the client wrote itself.
            try await Self.signIn(
                app, email: "nobody@example.com", password: "wrong-password",
                forwardedFor: "6.6.6.6, 203.0.113.9, 10.1.2.3"
            ) { response async throws in
                #expect(response.status == .unauthorized)
            }
            #expect(try await Self.auditSources(app) == ["203.0.113.9"])
            // The throttle counts that client, not the proxy: five failures lock 203.0.113.9 however the forged part
            // changes …
            for attempt in 2...5 {
                try await Self.signIn(
                    app, email: "nobody\(attempt)@example.com", password: "wrong-password",
                    forwardedFor: "6.6.6.\(attempt), 203.0.113.9"
                ) { response async throws in
                    #expect(response.status == .unauthorized)
                }
            }
            try await Self.signIn(
                app, email: TestAccounts.adminEmail, password: TestAccounts.password,
                forwardedFor: "1.1.1.1, 203.0.113.9"
            ) { response async throws in
                #expect(response.status == .tooManyRequests)
            }
            // … while another client behind the same proxy signs in.
            try await Self.signIn(
                app, email: TestAccounts.adminEmail, password: TestAccounts.password, forwardedFor: "198.51.100.20"
            ) { response async throws in
                #expect(response.status == .seeOther)
                #expect(response.headers.setCookie?[SessionAuthenticationMiddleware.cookieName] != nil)
            }
            let last = try await Self.audit(app).last
            #expect(last?.source == "198.51.100.20")
            #expect(last?.status == 303)
        }
    }

    static func audit(_ app: Application) async throws -> [(source: String, status: Int)] {
        try await (app.db as! any SQLDatabase).raw("SELECT source, status FROM audit_log ORDER BY id").all().map {
            (try $0.decode(column: "source", as: String.self), try $0.decode(column: "status", as: Int.self))
        }
    }

    @Test("X-Forwarded-Proto makes cookies Secure only from a trusted proxy", arguments: [TestStore.sqlite])
    func forwardedProto(store: TestStore) async throws {
        try await withApp(store) { app in
            func csrfCookieIsSecure() async throws -> Bool? {
                var secure: Bool?
                try await LiveServer(app: app).test(.GET, "login", headers: ["X-Forwarded-Proto": "https"]) {
                    response async throws in
                    secure = response.headers.setCookie?[LoginController.csrfCookie]?.isSecure
                }
                return secure
            }
            #expect(try await csrfCookieIsSecure() == false)
            app.settings.trustedProxies = try TrustedProxies(parsing: ["127.0.0.1"])
            #expect(try await csrfCookieIsSecure() == true)
        }
    }

    @Test(
        "the client address for a peer and an X-Forwarded-For header",
        arguments: [
            // (trusted, peer, header, client)
            ([], "127.0.0.1", ["203.0.113.9"], "127.0.0.1"),
            (["10.0.0.0/8"], "127.0.0.1", ["203.0.113.9"], "127.0.0.1"),
            (["127.0.0.1"], "127.0.0.1", [], "127.0.0.1"),
            (["127.0.0.1"], "127.0.0.1", ["203.0.113.9"], "203.0.113.9"),
            (["127.0.0.1"], "127.0.0.1", ["6.6.6.6, 203.0.113.9"], "203.0.113.9"),
            (["127.0.0.1"], "127.0.0.1", ["6.6.6.6", "203.0.113.9"], "203.0.113.9"),
            (["127.0.0.0/8", "10.0.0.0/8"], "127.0.0.1", ["6.6.6.6, 203.0.113.9, 10.0.0.2, 10.9.9.9"], "203.0.113.9"),
            (["127.0.0.1", "10.0.0.0/8"], "127.0.0.1", ["10.0.0.2, 10.0.0.3"], "10.0.0.2"),
            (["127.0.0.1"], "127.0.0.1", ["6.6.6.6, not-an-address"], "127.0.0.1"),
            (["127.0.0.1"], "::ffff:127.0.0.1", ["[2001:db8::7]:443"], "2001:db8::7"),
            (["::1"], "::1", ["203.0.113.9:5123"], "203.0.113.9"),
            (["fd00::/8"], "fd12::1", ["2001:DB8::1"], "2001:db8::1"),
            (["fd00::/8"], "fe80::1", ["2001:db8::1"], "fe80::1"),
        ] as [([String], String, [String], String)])
    func clientAddress(trusted: [String], peer: String, header: [String], client: String) throws {
        let proxies = try TrustedProxies(parsing: trusted)
        #expect(proxies.clientAddress(peer: peer, forwardedFor: header) == client)
    }

    @Test(
        "addresses and ranges that parse, and values that are refused",
        arguments: [
            ("10.0.0.0/8", true), ("192.168.1.5", true), ("::1", true), ("fd00::/8", true), ("0.0.0.0/0", true),
            ("2001:db8::/128", true), ("10.0.0.0/33", false), ("10.0.0/8", false), ("localhost", false),
            ("10.0.0.0/", false), ("10.0.0.0/8/8", false), ("::1/129", false), ("1.2.3.4 ", true), ("", true),
        ])
    func parsing(value: String, isValid: Bool) {
        #expect(((try? TrustedProxies(parsing: [value])) != nil) == isValid)
    }

    @Test("ranges contain what they should")
    func ranges() throws {
        let proxies = try TrustedProxies(parsing: ["10.0.0.0/8,192.168.1.5", "2001:db8::/32"])
        #expect(proxies.contains("10.255.0.1"))
        #expect(!proxies.contains("11.0.0.1"))
        #expect(proxies.contains("192.168.1.5"))
        #expect(!proxies.contains("192.168.1.6"))
        #expect(proxies.contains("::ffff:10.1.1.1"))
        #expect(proxies.contains("2001:db8:ffff::1"))
        #expect(!proxies.contains("2001:db9::1"))
        #expect(!TrustedProxies.none.contains("10.0.0.1"))
        #expect(
            try TrustedProxies.resolve(options: [], environment: ["RECOUP_TRUSTED_PROXIES": "10.0.0.0/8, ::1"]).ranges
                .count == 2)
        #expect(
            try TrustedProxies.resolve(options: ["127.0.0.1"], environment: ["RECOUP_TRUSTED_PROXIES": "10.0.0.0/8"])
                .ranges.map(\.description) == ["127.0.0.1/32"])
        #expect(try TrustedProxies.resolve(options: [], environment: [:]).isEmpty)
    }

    @Test("serve refuses a malformed --trusted-proxy or RECOUP_TRUSTED_PROXIES with one sentence and exit 2")
    func malformedTrustedProxy() async throws {
        let recoup = try RecoupBinary()
        let flag = try await recoup.run(["serve", "--port", "18099", "--trusted-proxy", "10.0.0.0/33"])
        #expect(flag.status == 2)
        #expect(
            flag.standardError
                == "recoup: the trusted proxy \"10.0.0.0/33\" is not an IP address or a CIDR range (like 10.0.0.0/8, 192.168.1.5 or ::1)\n"
        )
        let environment = try await recoup.run(
            ["serve", "--port", "18099"], environment: ["RECOUP_TRUSTED_PROXIES": "10.0.0.1, proxy.internal"])
        #expect(environment.status == 2)
        #expect(environment.standardError.contains("\"proxy.internal\" is not an IP address or a CIDR range"))
        #expect(!FileManager.default.fileExists(atPath: recoup.directory.path + "/recoup.sqlite"))
    }
}

@Suite("The sign-in throttle")
struct LoginThrottleTests {
    @Test("parallel guesses from one address: only five get a password check", arguments: [TestStore.sqlite])
    func parallelGuesses(store: TestStore) async throws {
        try await withApp(store) { app in
            var forms: [(csrf: String, cookie: String)] = []
            for _ in 0..<12 { forms.append(try await LoginTests.loginForm(app)) }
            // Act: twelve wrong passwords at once, each for another email.
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for (index, form) in forms.enumerated() {
                    group.addTask {
                        var status = HTTPStatus.internalServerError
                        try await LoginTests.post(
                            app, email: "guess\(index)@example.com", password: "wrong-password", csrf: form.csrf,
                            cookie: form.cookie
                        ) { response async throws in
                            status = response.status
                        }
                        return status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // Verify: each attempt counted before its check, so the sixth and later were refused unchecked.
            #expect(statuses.filter { $0 == .unauthorized }.count == LoginThrottle.limit)
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 12 - LoginThrottle.limit)
        }
    }

    @Test("an address typed as the email does not lock that address out")
    func emailsAndAddressesApart() async {
        let throttle = LoginThrottle()
        for index in 0..<LoginThrottle.limit {
            #expect(
                await throttle.begin(.init(email: "203.0.113.9", address: "198.51.100.\(index)"), now: testNow) == nil)
        }
        #expect(await throttle.begin(.init(email: "203.0.113.9", address: "198.51.100.99"), now: testNow) != nil)
        #expect(await throttle.begin(.init(email: "ana@example.com", address: "203.0.113.9"), now: testNow) == nil)
    }

    @Test("a successful sign-in takes its own attempt back from the address")
    func successTakesAttemptBack() async {
        let throttle = LoginThrottle()
        for index in 0..<(LoginThrottle.limit - 1) {
            #expect(
                await throttle.begin(.init(email: "x\(index)@example.com", address: "192.0.2.1"), now: testNow) == nil)
        }
        let keys = LoginThrottle.Keys(email: "ana@example.com", address: "192.0.2.1")
        #expect(await throttle.begin(keys, now: testNow.addingTimeInterval(1)) == nil)
        await throttle.succeed(keys, now: testNow.addingTimeInterval(1))
        #expect(await throttle.begin(keys, now: testNow.addingTimeInterval(2)) == nil)
        #expect(await throttle.begin(keys, now: testNow.addingTimeInterval(3)) != nil)
        // After the window the address may try again.
        #expect(await throttle.begin(keys, now: testNow.addingTimeInterval(LoginThrottle.window + 3)) == nil)
    }
}
