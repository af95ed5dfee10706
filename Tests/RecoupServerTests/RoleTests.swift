import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

/// docs/web.md's role table, checked: what a manager and a collector may and may not do.
@Suite("Roles do what docs/web.md says")
struct RoleTests {
    struct Person {
        var token: String
        var session: String
        var csrf: String

        /// The session's cookie, as a browser sends it.
        var cookie: String { "\(SessionAuthenticationMiddleware.cookieName)=\(session)" }
    }

    static func person(_ email: String, role: Role, _ app: Application) async throws -> Person {
        let user = try await UserStore.add(
            email: email, role: role, clientRef: nil, passwordHash: try Bcrypt.hash("long enough pass", cost: 4),
            on: app.db,
            now: testNow)
        let token = try await UserStore.createToken(email: email, on: app.db, now: testNow).token
        let session = try await UserStore.createSession(userID: user.id, on: app.db, now: testNow, lifetime: 3600)
        return Person(token: token, session: session.token, csrf: session.csrf)
    }

    static func page(
        _ app: Application, _ person: Person, _ method: HTTPMethod, _ path: String, form: String? = nil
    ) async throws -> HTTPStatus {
        var headers = HTTPHeaders()
        headers.add(name: .cookie, value: "\(SessionAuthenticationMiddleware.cookieName)=\(person.session)")
        var body: ByteBuffer? = nil
        if let form {
            headers.contentType = .urlEncodedForm
            body = ByteBuffer(string: form + "&csrf=\(person.csrf)")
        }
        var status = HTTPStatus.internalServerError
        try await app.testing().test(method, path, headers: headers, body: body) { response async throws in
            status = response.status
        }
        return status
    }

    static func putTerms(_ app: Application, _ person: Person) async throws -> HTTPStatus {
        var status = HTTPStatus.internalServerError
        try await app.api(.PUT, "api/v1/clients/ibm/terms", body: ByteBuffer(string: "{}"), token: person.token) {
            response async throws in
            status = response.status
        }
        return status
    }

    @Test(
        "a manager may set client terms, see reports and set client profiles, but not the users page",
        arguments: [TestStore.sqlite])
    func manager(store: TestStore) async throws {
        try await withApp(store) { app in
            _ = try await Importer.run(
                ImportRequest(path: TestFiles.ibmSample, format: .ibmAR, clientRef: "ibm"), on: app.db, now: testNow)
            let manager = try await Self.person("manager@agency.example", role: .manager, app)
            #expect(try await Self.putTerms(app, manager) == .ok)
            #expect(try await Self.page(app, manager, .GET, "reports") == .ok)
            #expect(try await Self.page(app, manager, .GET, "debts") == .ok)
            #expect(try await Self.page(app, manager, .GET, "admin/users") == .forbidden)
            #expect(try await Self.page(app, manager, .GET, "admin/clients") == .ok)
            #expect(try await Self.page(app, manager, .GET, "admin/clients/ibm") == .ok)
            #expect(
                try await Self.page(
                    app, manager, .POST, "admin/users",
                    form: "email=x%40agency.example&role=admin&password=long+enough+pass")
                    == .forbidden)
            #expect(try await UserStore.user(email: "x@agency.example", on: app.db) == nil)

            let collector = try await Self.person("collector@agency.example", role: .collector, app)
            #expect(try await Self.putTerms(app, collector) == .forbidden)
            #expect(try await Self.page(app, collector, .GET, "debts") == .ok)
            #expect(try await Self.page(app, collector, .GET, "admin/users") == .forbidden)
            #expect(try await Self.page(app, collector, .GET, "admin/clients/ibm") == .forbidden)
            #expect(
                try await Self.page(app, collector, .POST, "admin/clients/ibm/profile", form: "name=Collector+Was+Here")
                    == .forbidden)
            #expect(try await ClientProfileStore.profile(clientRef: "ibm", on: app.db).profile.name == nil)
        }
    }
}
