import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

@Suite("Security headers on pages, the portal, the API and errors")
struct SecurityHeadersTests {
    static let policy =
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    /// The headers every response carries; `cached` is whether the response keeps its own caching.
    static func expectHeaders(_ response: TestingHTTPResponse, cached: Bool = false, hsts: Bool = false) {
        expectHeaders(response.headers, cached: cached, hsts: hsts)
    }

    static func expectHeaders(_ headers: HTTPHeaders, cached: Bool = false, hsts: Bool = false) {
        #expect(headers[.contentSecurityPolicy] == [policy])
        #expect(headers[.xFrameOptions] == ["DENY"])
        #expect(headers[.xContentTypeOptions] == ["nosniff"])
        #expect(headers["Referrer-Policy"] == ["no-referrer"])
        if cached {
            #expect(headers[.cacheControl] == ["public, max-age=300"])
        } else {
            #expect(headers[.cacheControl] == ["no-store"])
        }
        #expect(headers[.strictTransportSecurity] == (hsts ? ["max-age=31536000"] : []))
    }

    @Test("a page, the portal, the API, errors and the stylesheet carry the headers", arguments: [TestStore.sqlite])
    func headers(store: TestStore) async throws {
        try await withApp(store) { app in
            _ = try await DemoLoader.load(
                accounts: 20, seed: 7, today: try LocalDate(iso: "2026-11-29"), on: app.db, now: testNow)
            try await app.page(.GET, "debts") { response async throws in
                #expect(response.status == .ok)
                Self.expectHeaders(response)
            }
            try await app.testing().test(.GET, "login") { response async throws in Self.expectHeaders(response) }
            // Not signed in: the redirect to the login page.
            try await app.testing().test(.GET, "debts") { response async throws in
                #expect(response.status == .seeOther)
                Self.expectHeaders(response)
            }
            let debtor = try await (app.db as! any SQLDatabase).raw(
                "SELECT d.ref AS debtor, c.ref AS client FROM debtors d JOIN clients c ON c.id = d.client_id LIMIT 1"
            ).first()!
            let link = try await PortalLinks.create(
                clientRef: try debtor.decode(column: "client", as: String.self),
                debtorRef: try debtor.decode(column: "debtor", as: String.self), days: 30, on: app.db, now: testNow)
            try await app.testing().test(.GET, "portal/\(link.token)") { response async throws in
                #expect(response.status == .ok)
                Self.expectHeaders(response)
            }
            try await app.testing().test(.GET, "portal/0000") { response async throws in
                #expect(response.status == .notFound)
                Self.expectHeaders(response)
            }
            try await app.api(.GET, "api/v1/debts?limit=2") { response async throws in
                #expect(response.status == .ok)
                Self.expectHeaders(response)
            }
            try await app.api(.GET, "api/v1/no-such-route") { response async throws in
                #expect(response.status == .notFound)
                Self.expectHeaders(response)
            }
            try await app.testing().test(.GET, "api/v1/debts") { response async throws in
                #expect(response.status == .unauthorized)
                Self.expectHeaders(response)
            }
            try await app.testing().test(.GET, "recoup.css") { response async throws in
                #expect(response.status == .ok)
                Self.expectHeaders(response, cached: true)
            }
            // A proxy's header from a peer that is not a trusted proxy gives no HSTS.
            try await app.api(.GET, "api/v1/debts?limit=1", headers: ["X-Forwarded-Proto": "https"]) {
                response async throws in
                Self.expectHeaders(response)
            }
        }
    }

    @Test("HSTS when a trusted proxy says the request came over https", arguments: [TestStore.sqlite])
    func hstsBehindTrustedProxy(store: TestStore) async throws {
        try await withApp(store) { app in
            app.settings.trustedProxies = try TrustedProxies(parsing: ["127.0.0.1", "::1"])
            let tester = LiveServer(app: app)
            try await tester.test(.GET, "login", headers: ["X-Forwarded-Proto": "https"]) { response async throws in
                Self.expectHeaders(response.headers, hsts: true)
            }
            try await tester.test(.GET, "login", headers: ["X-Forwarded-Proto": "http"]) { response async throws in
                Self.expectHeaders(response.headers)
            }
            try await tester.test(.GET, "login") { response async throws in Self.expectHeaders(response.headers) }
        }
    }

    @Test("HSTS on every response when the server itself serves TLS", arguments: [TestStore.sqlite])
    func hstsOverTLS(store: TestStore) async throws {
        let configuration = try await store.makeConfiguration()
        let app = try await Application.make(.testing)
        do {
            // Setup: a TLS configuration (never started: the in-memory tester sends the requests).
            app.http.server.configuration.tlsConfiguration = .makeClientConfiguration()
            try await configure(app, settings: .forTests(store: configuration))
            try await app.testing().test(.GET, "login") { response async throws in
                Self.expectHeaders(response, hsts: true)
            }
            try await app.testing().test(.GET, "api/v1/debts") { response async throws in
                #expect(response.status == .unauthorized)
                Self.expectHeaders(response, hsts: true)
            }
        } catch {
            try? await app.asyncShutdown()
            await TestStore.cleanUp(configuration)
            throw error
        }
        try await app.asyncShutdown()
        await TestStore.cleanUp(configuration)
    }
}
