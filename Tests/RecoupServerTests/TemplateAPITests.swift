import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

/// `/api/v1/templates`: the list, one template, a save (200, or 422 with the findings and nothing saved) and a preview
/// for a real debt; a client user reads its own client's templates and changes none; a collector gets 403.
@Suite("The templates API")
struct TemplateAPITests {
    struct Summary: Decodable, Equatable {
        var template: String
        var channel: String
        var language: String
        var origin: String
        var client: String?
        var version: Int
        var savedAt: String?
        var savedBy: String?
    }

    struct Detail: Decodable {
        var template: String
        var origin: String
        var client: String?
        var version: Int
        var savedBy: String?
        var subject: String?
        var body: String
        var attachStatement: Bool
    }

    /// A PUT body with the statement flag (absent when nil).
    struct Save: Encodable {
        var subject: String?
        var body: String
        var attachStatement: Bool?
    }

    /// A preview body with typed wording and the statement flag.
    struct PreviewRequest: Encodable {
        var client = "alpha"
        var debt = "A-1"
        var template: String
        var channel: String
        var subject: String?
        var body: String
        var attachStatement: Bool?
    }

    struct Refused: Decodable {
        struct Finding: Decodable {
            var rule: String
            var severity: String
            var excerpt: String?
            var message: String
        }
        var error: ErrorBody.Detail
        var findings: [Finding]
    }

    struct Preview: Decodable {
        struct Lint: Decodable {
            var ok: Bool
            var findings: [Refused.Finding]
        }
        var subject: String?
        var body: String
        var attachStatement: Bool
        var lint: Lint
    }

    static func json(_ value: some Encodable) throws -> ByteBuffer {
        ByteBuffer(data: try JSONEncoder().encode(value))
    }

    static func token(_ app: Application, role: Role) async throws -> String {
        let email = "\(role.rawValue)@agency.example"
        _ = try await UserStore.add(
            email: email, role: role, clientRef: nil, passwordHash: try Bcrypt.hash("a-long-password", cost: 4),
            on: app.db, now: testNow)
        return try await UserStore.createToken(email: email, on: app.db, now: testNow).token
    }

    @Test(
        "list, save, get and preview; a threat is refused with 422 and its finding, nothing saved",
        arguments: TestStore.available)
    func saveAndRead(store: TestStore) async throws {
        try await withApp(store) { app in
            try await TemplatePageTests.prepare(app)
            try await app.api(.GET, "api/v1/templates?client=alpha") { response async throws in
                #expect(response.status == .ok)
                let list = try response.content.decode([Summary].self)
                #expect(list.count == TemplateStore.keys.count)
                #expect(
                    list.contains(
                        Summary(
                            template: "reminder", channel: "sms", language: "en", origin: "built-in", client: nil,
                            version: 0, savedAt: nil, savedBy: nil)))
            }
            let good = try await TemplatePageTests.goodBody(app)
            try await app.api(
                .PUT, "api/v1/templates/reminder/sms/en?client=alpha", body: try Self.json(["body": good])
            ) {
                response async throws in
                #expect(response.status == .ok)
                let saved = try response.content.decode(Detail.self)
                #expect(saved.origin == "client" && saved.client == "alpha" && saved.version == 1)
                #expect(saved.savedBy == TestAccounts.adminEmail)
                #expect(saved.body == good)
            }
            try await app.api(.GET, "api/v1/templates/reminder/sms/en?client=alpha") { response async throws in
                #expect(response.status == .ok)
                let shown = try response.content.decode(Detail.self)
                #expect(shown.origin == "client" && shown.version == 1 && shown.body == good && shown.subject == nil)
            }
            try await app.api(.GET, "api/v1/templates?client=alpha") { response async throws in
                let list = try response.content.decode([Summary].self)
                #expect(list.filter { $0.origin == "client" }.map(\.template) == ["reminder"])
            }

            let threat = good + "\nWe will sue you today."
            try await app.api(
                .PUT, "api/v1/templates/reminder/sms/en?client=alpha", body: try Self.json(["body": threat])
            ) { response async throws in
                #expect(response.status == .unprocessableEntity)
                let refused = try response.content.decode(Refused.self)
                #expect(refused.error.code == "template_refused")
                #expect(refused.error.message.contains("was not saved"))
                #expect(
                    refused.findings.contains {
                        $0.severity == "error" && $0.excerpt?.lowercased().contains("sue") == true
                    })
            }
            #expect(try await TemplateStore.show(TemplatePageTests.key, clientRef: "alpha", on: app.db).version == 1)

            let request = [
                "client": "alpha", "debt": "A-1", "template": "reminder", "channel": "sms", "language": "en",
            ]
            try await app.api(.POST, "api/v1/templates/preview", body: try Self.json(request)) {
                response async throws in
                #expect(response.status == .ok)
                let preview = try response.content.decode(Preview.self)
                #expect(preview.body.contains("$100.00"))
                #expect(preview.body.hasSuffix("Thank you."), "the saved wording in force")
                #expect(preview.lint.ok)
                #expect(preview.subject == nil)
            }
            var typed = request
            typed["body"] = threat
            try await app.api(.POST, "api/v1/templates/preview", body: try Self.json(typed)) { response async throws in
                #expect(response.status == .ok)
                let preview = try response.content.decode(Preview.self)
                #expect(preview.body.contains("We will sue you today."))
                #expect(!preview.lint.ok)
            }
            typed["template"] = "nope"
            try await app.api(.POST, "api/v1/templates/preview", body: try Self.json(typed)) { response async throws in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test(
        "attachStatement: true for the built-in final notice by email; a PUT keeps or clears it; on a text message it is refused (template-attach)",
        arguments: TestStore.available)
    func attachStatement(store: TestStore) async throws {
        try await withApp(store) { app in
            try await TemplatePageTests.prepare(app)
            try await app.api(.GET, "api/v1/templates/final-notice/email/en") { response async throws in
                #expect(response.status == .ok)
                #expect(try response.content.decode(Detail.self).attachStatement)
            }
            try await app.api(.GET, "api/v1/templates/final-notice/sms/en") { response async throws in
                #expect(try response.content.decode(Detail.self).attachStatement == false)
            }

            let key = TemplateKey(name: "final-notice", channel: .email, language: .en)
            let builtIn = try await TemplateStore.show(key, clientRef: "alpha", on: app.db)
            let body = builtIn.source.body + "\nThank you."
            let path = "api/v1/templates/final-notice/email/en?client=alpha"
            try await app.api(
                .PUT, path,
                body: try Self.json(Save(subject: builtIn.source.subject, body: body, attachStatement: true))
            ) { response async throws in
                #expect(response.status == .ok)
                let saved = try response.content.decode(Detail.self)
                #expect(saved.version == 1 && saved.attachStatement)
            }
            #expect(try await TemplateStore.show(key, clientRef: "alpha", on: app.db).source.attachStatement)
            try await app.api(.GET, path) { response async throws in
                #expect(try response.content.decode(Detail.self).attachStatement)
            }
            // Absent is false: the same wording without it is a new version that attaches nothing.
            try await app.api(.PUT, path, body: try Self.json(Save(subject: builtIn.source.subject, body: body))) {
                response async throws in
                #expect(response.status == .ok)
                let saved = try response.content.decode(Detail.self)
                #expect(saved.version == 2 && !saved.attachStatement)
            }
            let stored = try await TemplateStore.show(key, clientRef: "alpha", on: app.db)
            #expect(stored.version == 2 && !stored.source.attachStatement)

            let good = try await TemplatePageTests.goodBody(app)
            try await app.api(
                .PUT, "api/v1/templates/reminder/sms/en?client=alpha",
                body: try Self.json(Save(body: good, attachStatement: true))
            ) { response async throws in
                #expect(response.status == .unprocessableEntity)
                let refused = try response.content.decode(Refused.self)
                #expect(refused.error.code == "template_refused")
                #expect(refused.findings.contains { $0.rule == "template-attach" && $0.severity == "error" })
            }
            #expect(try await TemplateStore.show(TemplatePageTests.key, clientRef: "alpha", on: app.db).version == 0)

            // The preview takes the flag with typed wording, and says whether the email would carry the statement.
            let typed = PreviewRequest(
                template: "final-notice", channel: "email", subject: builtIn.source.subject, body: body,
                attachStatement: true)
            try await app.api(.POST, "api/v1/templates/preview", body: try Self.json(typed)) { response async throws in
                #expect(response.status == .ok)
                #expect(try response.content.decode(Preview.self).attachStatement)
            }
            let sms = PreviewRequest(template: "reminder", channel: "sms", body: good, attachStatement: true)
            try await app.api(.POST, "api/v1/templates/preview", body: try Self.json(sms)) { response async throws in
                #expect(response.status == .ok)
                let preview = try response.content.decode(Preview.self)
                #expect(!preview.attachStatement && !preview.lint.ok)
                #expect(preview.lint.findings.contains { $0.rule == "template-attach" })
            }
        }
    }

    @Test(
        "bad input: a malformed body is 400; an unknown client, template, channel or language is 404",
        arguments: TestStore.available)
    func badInput(store: TestStore) async throws {
        try await withApp(store) { app in
            try await TemplatePageTests.prepare(app)
            try await app.api(.PUT, "api/v1/templates/reminder/sms/en", body: ByteBuffer(string: "{\"body\": 3}")) {
                response async throws in
                #expect(response.status == .badRequest)
            }
            try await app.api(.PUT, "api/v1/templates/reminder/sms/en", body: ByteBuffer(string: "not json")) {
                response async throws in
                #expect(response.status == .badRequest)
            }
            try await app.api(
                .PUT, "api/v1/templates/reminder/sms/en?client=nobody", body: try Self.json(["body": "x"])
            ) { response async throws in
                #expect(response.status == .notFound)
            }
            for path in ["nope/sms/en", "call/email/en", "reminder/sms/fr"] {
                try await app.api(.GET, "api/v1/templates/\(path)") { response async throws in
                    #expect(response.status == .notFound, "\(path)")
                    #expect(try response.content.decode(ErrorBody.self).error.code == "not_found")
                }
                try await app.api(.PUT, "api/v1/templates/\(path)", body: try Self.json(["body": "x"])) {
                    response async throws in
                    #expect(response.status == .notFound, "\(path)")
                }
            }
        }
    }

    @Test(
        "a client user reads its own client's templates and changes none; a collector gets 403",
        arguments: TestStore.available)
    func roles(store: TestStore) async throws {
        try await withApp(store) { app in
            try await TemplatePageTests.prepare(app)
            let beta = try await UserStore.createToken(email: "clerk@beta.example", on: app.db, now: testNow).token
            try await app.api(.GET, "api/v1/templates", token: beta) { response async throws in
                #expect(response.status == .ok)
                #expect(try response.content.decode([Summary].self).count == TemplateStore.keys.count)
            }
            try await app.api(.GET, "api/v1/templates/reminder/sms/en?client=beta", token: beta) {
                response async throws in
                #expect(response.status == .ok)
            }
            try await app.api(.GET, "api/v1/templates?client=alpha", token: beta) { response async throws in
                #expect(response.status == .notFound)
            }
            try await app.api(.PUT, "api/v1/templates/reminder/sms/en", body: try Self.json(["body": "x"]), token: beta)
            {
                response async throws in
                #expect(response.status == .forbidden)
            }
            let collector = try await Self.token(app, role: .collector)
            try await app.api(.GET, "api/v1/templates", token: collector) { response async throws in
                #expect(response.status == .forbidden)
            }
            try await app.api(
                .PUT, "api/v1/templates/reminder/sms/en", body: try Self.json(["body": "x"]), token: collector
            ) { response async throws in
                #expect(response.status == .forbidden)
            }
            let manager = try await Self.token(app, role: .manager)
            try await app.api(.GET, "api/v1/templates", token: manager) { response async throws in
                #expect(response.status == .ok)
            }
        }
    }
}
