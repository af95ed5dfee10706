import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

/// Runs `body` with a configured application on a fresh database of the given kind.
func withApp(
    _ store: TestStore, clock: @escaping @Sendable () -> Date = { testNow },
    _ body: (Application) async throws -> Void
) async throws {
    let configuration = try await store.makeConfiguration()
    let app = try await Application.make(.testing)
    do {
        try await configure(app, settings: .forTests(store: configuration, clock: clock))
        try await TestAccounts.signIn(app)
        try await body(app)
    } catch {
        try? await app.asyncShutdown()
        await TestStore.cleanUp(configuration)
        throw error
    }
    try await app.asyncShutdown()
    await TestStore.cleanUp(configuration)
}

/// The admin every test application starts with: a bearer token for the API and a session cookie for pages.
enum TestAccounts {
    struct Credentials {
        var token: String
        var session: String
        var csrf: String
    }

    private struct CredentialsKey: StorageKey { typealias Value = Credentials }

    static let adminEmail = "admin@example.com"
    static let password = "correct horse battery"

    static func signIn(_ app: Application) async throws {
        let admin = try await UserStore.add(
            email: adminEmail, role: .admin, clientRef: nil, passwordHash: try Bcrypt.hash(password, cost: 4),
            on: app.db,
            now: testNow)
        let token = try await UserStore.createToken(email: adminEmail, on: app.db, now: testNow).token
        let session = try await UserStore.createSession(
            userID: admin.id, on: app.db, now: app.settings.clock(), lifetime: 3600)
        app.storage[CredentialsKey.self] = Credentials(token: token, session: session.token, csrf: session.csrf)
    }

    static func credentials(_ app: Application) -> Credentials { app.storage[CredentialsKey.self]! }
}

extension Application {
    /// An API request as the test admin (bearer token), or with `token` when given.
    func api(
        _ method: HTTPMethod, _ path: String, headers: HTTPHeaders = [:], body: ByteBuffer? = nil, token: String? = nil,
        afterResponse: (TestingHTTPResponse) async throws -> Void
    ) async throws {
        var headers = headers
        headers.bearerAuthorization = BearerAuthorization(token: token ?? TestAccounts.credentials(self).token)
        try await testing().test(method, path, headers: headers, body: body, afterResponse: afterResponse)
    }

    /// A page request as the signed-in test admin (session cookie).
    func page(
        _ method: HTTPMethod, _ path: String, headers: HTTPHeaders = [:], body: ByteBuffer? = nil,
        afterResponse: (TestingHTTPResponse) async throws -> Void
    ) async throws {
        var headers = headers
        headers.add(
            name: .cookie,
            value: "\(SessionAuthenticationMiddleware.cookieName)=\(TestAccounts.credentials(self).session)")
        try await testing().test(method, path, headers: headers, body: body, afterResponse: afterResponse)
    }
}

@Suite("The web application")
struct AppTests {
    @Test("GET /health answers 200", arguments: TestStore.available)
    func health(store: TestStore) async throws {
        try await withApp(store) { app in
            try await app.testing().test(.GET, "health") { response async throws in
                #expect(response.status == .ok)
                #expect(try response.content.decode(HealthResponse.self).status == "ok")
            }
        }
    }

    @Test("the aging API answers the contract's figures for the IBM sample", arguments: TestStore.available)
    func agingAPI(store: TestStore) async throws {
        try await withApp(store) { app in
            _ = try await Importer.run(
                ImportRequest(path: TestFiles.ibmSample, format: .ibmAR), on: app.db, now: testNow)
            try await app.api(.GET, "api/v1/reports/aging?asOf=2013-12-02") { response async throws in
                #expect(response.status == .ok)
                let document = try response.content.decode(AgingReportDocument.self)
                #expect(document.asOf == "2013-12-02")
                #expect(document.currency == "USD")
                #expect(document.buckets.map(\.bucket) == ["current", "1-30", "31-60", "61-90", "91+"])
                #expect(document.buckets.map(\.count) == [76, 7, 0, 0, 0])
                #expect(document.buckets.map(\.amount) == ["4422.79", "507.31", "0.00", "0.00", "0.00"])
                #expect(document.total == .init(count: 83, amount: "4930.10"))
            }
        }
    }

    @Test("bad report parameters are 4xx JSON errors", arguments: TestStore.available)
    func agingErrors(store: TestStore) async throws {
        try await withApp(store) { app in
            try await app.api(.GET, "api/v1/reports/aging?asOf=2013-02-30") { response async throws in
                #expect(response.status == .badRequest)
                let body = try response.content.decode(ErrorBody.self)
                #expect(body.error.code == "invalid_date")
                #expect(body.error.message.contains("February 2013 has 28 days"))
            }
            try await app.api(.GET, "api/v1/reports/aging?asOf=2013-01-01&client=nobody") { response async throws in
                #expect(response.status == .notFound)
                #expect(try response.content.decode(ErrorBody.self).error.code == "not_found")
            }
            try await app.api(.GET, "api/v1/reports/aging?asOf=2013-01-01&currency=XYZ") { response async throws in
                #expect(response.status == .badRequest)
                #expect(try response.content.decode(ErrorBody.self).error.message.contains("XYZ"))
            }
            try await app.api(.GET, "api/v1/no-such-route") { response async throws in
                #expect(response.status == .notFound)
                #expect(try response.content.decode(ErrorBody.self).error.code == "not_found")
            }
        }
    }

    @Test("the first page shows the aging table as HTML", arguments: TestStore.available)
    func dashboard(store: TestStore) async throws {
        try await withApp(store) { app in
            _ = try await Importer.run(
                ImportRequest(path: TestFiles.ibmSample, format: .ibmAR), on: app.db, now: testNow)
            try await app.page(.GET, "/?asOf=2013-12-02") { response async throws in
                #expect(response.status == .ok)
                #expect(response.headers.contentType == .html)
                let html = response.body.string
                #expect(html.contains("<h1>Aging as of 2013-12-02</h1>"))
                #expect(html.contains("<td class=\"num\">$4,422.79</td>"))
                #expect(html.contains("<td class=\"num\">$4,930.10</td>"))
                #expect(html.contains("1–30 days past due"))
            }
            try await app.testing().test(.GET, "recoup.css") { response async throws in
                #expect(response.status == .ok)
                #expect(response.body.string.contains(".aging") || response.body.string.contains("table"))
            }
        }
    }

    @Test("the first page defaults to today in the business zone", arguments: [TestStore.sqlite])
    func dashboardDefaultsToToday(store: TestStore) async throws {
        // 2026-11-29T04:30:00Z is still 28 November in UTC-5 but 29 November in UTC.
        let instant = Date(timeIntervalSince1970: 1_795_926_600)
        try await withApp(store, clock: { instant }) { app in
            try await app.page(.GET, "/") { response async throws in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("Aging as of 2026-11-29"))
                #expect(response.body.string.contains("No open debts"))
            }
        }
    }
}

extension ServerSettings {
    /// Settings for a test's application: the fixed test clock unless given, and bcrypt at cost 4 (the cost the
    /// tests' own users are hashed at), so sign-ins and the unknown-email stand-in stay fast.
    static func forTests(
        store: StoreConfiguration, clock: @escaping @Sendable () -> Date = { testNow }
    ) -> ServerSettings {
        var settings = ServerSettings(store: store, clock: clock)
        settings.passwordCost = 4
        return settings
    }
}
