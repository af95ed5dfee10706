import Foundation
import RecoupCore
import RecoupTestSupport
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import RecoupStore

@Suite("GET /api/v1/outbox")
struct OutboxAPITests {
    /// Queues three messages for alpha's debtor (about A-1 and A-2; a sent one; a letter) and one for beta's,
    /// after `AccessTests.twoClients`; returns their ids in that order.
    static func seed(_ app: Application) async throws -> [Int64] {
        let sql = app.db as! any SQLDatabase
        var debtors: [String: Int64] = [:]
        var clients: [String: Int64] = [:]
        for row in try await sql.raw("SELECT p.id, c.ref FROM debtors p JOIN clients c ON c.id = p.client_id").all() {
            debtors[try row.decode(column: "ref", as: String.self)] = try row.decode(column: "id", as: Int64.self)
        }
        for row in try await sql.raw("SELECT id, ref FROM clients").all() {
            clients[try row.decode(column: "ref", as: String.self)] = try row.decode(column: "id", as: Int64.self)
        }
        let asOf = try LocalDate(iso: "2026-11-29")
        let a1 = try await AccessTests.debtID("A-1", app)
        let a2 = try await AccessTests.debtID("A-2", app)
        let b1 = try await AccessTests.debtID("B-1", app)
        return [
            try await OutboxStore.insert(
                clientID: clients["alpha"]!, debtorID: debtors["alpha"]!, channel: .email,
                recipient: "debtor@example.com", subject: "About your account", body: "Dear debtor,\nYou owe $150.00.",
                template: "reminder", sendAfter: Date(timeIntervalSince1970: 1_796_040_000), asOf: asOf,
                stepID: "reminder-1", runID: 3, debtIDs: [a2, a1], on: app.db, now: testNow),
            try await OutboxStore.insert(
                clientID: clients["alpha"]!, debtorID: debtors["alpha"]!, channel: .sms, recipient: "+16175550100",
                subject: nil, body: "Message from Alpha", template: "reminder", status: .sent,
                sendAfter: testNow, asOf: asOf, stepID: "reminder-1", runID: 3, on: app.db, now: testNow),
            try await OutboxStore.insert(
                clientID: clients["alpha"]!, debtorID: debtors["alpha"]!, channel: .letter, recipient: nil,
                subject: nil, body: "A letter", template: "final-notice", sendAfter: testNow, asOf: asOf,
                createdBy: "admin@example.com", on: app.db, now: testNow),
            try await OutboxStore.insert(
                clientID: clients["beta"]!, debtorID: debtors["beta"]!, channel: .email, recipient: "b@example.com",
                subject: "Reminder", body: "Dear B", template: "reminder-before-due", sendAfter: testNow, asOf: asOf,
                stepID: "before-due", runID: 3, debtIDs: [b1], on: app.db, now: testNow),
        ]
    }

    struct List: Decodable {
        struct Message: Decodable {
            struct Debtor: Decodable {
                var ref: String
                var name: String
            }
            var id: String
            var client: String
            var debtor: Debtor
            var debts: [String]
            var channel: String
            var recipient: String?
            var subject: String?
            var body: String
            var template: String
            var status: String
            var sendAfter: String
            var asOf: String
            var step: String?
            var run: String?
            var createdBy: String?
            var createdAt: String
            var statusChangedAt: String?
        }
        var messages: [Message]
        var next: String?
    }

    static func list(_ response: TestingHTTPResponse) throws -> List {
        try JSONDecoder().decode(List.self, from: Data(response.body.readableBytesView))
    }

    @Test("lists the queued messages with their debts, by status and a page at a time", arguments: TestStore.available)
    func list(store: TestStore) async throws {
        try await withApp(store) { app in
            _ = try await AccessTests.twoClients(app)
            let ids = try await Self.seed(app).map { String($0) }
            try await app.api(.GET, "api/v1/outbox") { response async throws in
                #expect(response.status == .ok)
                let list = try Self.list(response)
                #expect(list.messages.map(\.id) == ids)
                #expect(list.next == nil)
                let first = try #require(list.messages.first)
                #expect(first.client == "alpha" && first.debts == ["A-1", "A-2"] && first.channel == "email")
                #expect(first.subject == "About your account" && first.body == "Dear debtor,\nYou owe $150.00.")
                #expect(first.sendAfter == ISO8601Instant.format(Date(timeIntervalSince1970: 1_796_040_000)))
                #expect(first.asOf == "2026-11-29")
                #expect(first.step == "reminder-1" && first.run == "3" && first.status == "queued")
                #expect(first.createdAt == ISO8601Instant.format(testNow) && first.statusChangedAt == nil)
                #expect(list.messages[2].createdBy == "admin@example.com" && list.messages[2].run == nil)
                #expect(list.messages[2].recipient == nil && list.messages[2].debts == [])
                // Every member is present, null or not.
                #expect(response.body.string.contains(#""recipient":null"#))
                #expect(response.body.string.contains(#""statusChangedAt":null"#))
            }
            try await app.api(.GET, "api/v1/outbox?status=queued") { response async throws in
                #expect(try Self.list(response).messages.map(\.id) == [ids[0], ids[2], ids[3]])
            }
            try await app.api(.GET, "api/v1/outbox?status=sent&client=alpha") { response async throws in
                #expect(try Self.list(response).messages.map(\.channel) == ["sms"])
            }
            try await app.api(.GET, "api/v1/outbox?limit=3") { response async throws in
                let page = try Self.list(response)
                #expect(page.messages.map(\.id) == Array(ids[0..<3]))
                #expect(page.next == ids[2])
            }
            try await app.api(.GET, "api/v1/outbox?limit=3&after=\(ids[2])") { response async throws in
                let page = try Self.list(response)
                #expect(page.messages.map(\.id) == [ids[3]])
                #expect(page.next == nil)
            }
        }
    }

    @Test("a client user sees only its client's messages; another client is 404", arguments: TestStore.available)
    func clientScope(store: TestStore) async throws {
        try await withApp(store) { app in
            let beta = try await AccessTests.twoClients(app)
            let ids = try await Self.seed(app).map { String($0) }
            try await app.api(.GET, "api/v1/outbox", token: beta) { response async throws in
                #expect(response.status == .ok)
                let list = try Self.list(response)
                #expect(list.messages.map(\.id) == [ids[3]])
                #expect(!response.body.string.contains("alpha"))
            }
            try await app.api(.GET, "api/v1/outbox?client=beta", token: beta) { response async throws in
                #expect(try Self.list(response).messages.map(\.id) == [ids[3]])
            }
            for client in ["alpha", "nobody"] {
                try await app.api(.GET, "api/v1/outbox?client=\(client)", token: beta) { response async throws in
                    #expect(response.status == .notFound)
                    #expect(
                        response.body.string
                            == #"{"error":{"code":"not_found","message":"there is no client \"\#(client)\""}}"#)
                }
            }
            try await app.api(.GET, "api/v1/outbox?client=beta") { response async throws in
                #expect(try Self.list(response).messages.map(\.client) == ["beta"])
            }
        }
    }

    @Test("a bad status, limit or cursor is 400 with one sentence", arguments: TestStore.available)
    func badInput(store: TestStore) async throws {
        try await withApp(store) { app in
            for (query, sentence) in [
                (
                    "status=nope",
                    #"status is \"nope\"; use one of queued, sending, sent, deferred, failed, bounced, cancelled"#
                ),
                ("limit=0", #"limit is \"0\"; use 1 to 500"#), ("limit=501", #"limit is \"501\"; use 1 to 500"#),
                ("limit=x", #"limit"#),
                ("after=abc", #"after is \"abc\"; use the next value of the previous page"#),
                ("after=-1", #"after is \"-1\"; use the next value of the previous page"#),
            ] {
                try await app.api(.GET, "api/v1/outbox?\(query)") { response async throws in
                    #expect(response.status == .badRequest, "\(query)")
                    #expect(
                        response.body.string.hasPrefix(#"{"error":{"code":"invalid_request","message":""#), "\(query)")
                    #expect(response.body.string.contains(sentence), "\(query): \(response.body.string)")
                }
            }
            try await app.testing().test(.GET, "api/v1/outbox") { response async throws in
                #expect(response.status == .unauthorized)
            }
        }
    }
}
