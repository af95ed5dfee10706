import FluentKit
import Foundation
import RecoupCore
import RecoupTestSupport
import SQLKit
import Testing

@testable import RecoupStore

@Suite("The outbox")
struct OutboxStoreTests {
    static let alpha = """
        debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,interest,fees,paid,paid_on,phones,emails,address_state,address_postal_code,time_zones
        D2,P1,consumer,Pat Doe,2026-06-01,2026-07-01,80.00,,,,,+16175550100:mobile,pat@example.com,MA,02118,America/New_York
        D1,P1,consumer,Pat Doe,2026-06-01,2026-07-01,1250.00,,,,,+16175550100:mobile,pat@example.com,MA,02118,America/New_York
        E1,P2,commercial,Lee Ltd,2026-06-01,2026-07-01,300.00,,,,,+13125550100:work,,,,

        """
    static let beta = """
        debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,interest,fees,paid,paid_on,phones,emails,address_state,address_postal_code,time_zones
        B1,Q1,consumer,Quinn Roe,2026-06-01,2026-07-01,75.00,,,,,,quinn@example.com,,,

        """

    /// The messages `seed` queues, in order: Pat's email about D1 and D2, Lee's text (sent), Pat's letter about D1,
    /// and Quinn's email (client beta).
    struct Seeded {
        var ids: [Int64]
        var debtors: [String: Int64]
        var clients: [String: Int64]
    }

    static let asOf = try! LocalDate(iso: "2026-07-15")

    /// Two clients' debts and five messages.
    static func seed(_ database: any Database) async throws -> Seeded {
        for (file, client) in [(alpha, "alpha"), (beta, "beta")] {
            _ = try await Importer.run(
                ImportRequest(path: try TestFiles.temporary(file), format: .recoup, clientRef: client), on: database,
                now: testNow)
        }
        let sql = database as! any SQLDatabase
        var debtors: [String: Int64] = [:]
        for row in try await sql.raw("SELECT id, ref FROM debtors").all() {
            debtors[try row.decode(column: "ref", as: String.self)] = try row.decode(column: "id", as: Int64.self)
        }
        var clients: [String: Int64] = [:]
        for row in try await sql.raw("SELECT id, ref FROM clients").all() {
            clients[try row.decode(column: "ref", as: String.self)] = try row.decode(column: "id", as: Int64.self)
        }
        let debts = try await TestDebts.ids(on: database)
        let at = { (hours: Double) in testNow.addingTimeInterval(hours * 3_600) }
        var ids: [Int64] = []
        ids.append(
            try await OutboxStore.insert(
                clientID: clients["alpha"]!, debtorID: debtors["P1"]!, channel: .email, recipient: "pat@example.com",
                subject: "About your account", body: "Dear Pat Doe, …", template: "reminder", sendAfter: at(2),
                asOf: asOf, stepID: "reminder-1", runID: 7, debtIDs: [debts["D2"]!, debts["D1"]!], on: database,
                now: testNow))
        ids.append(
            try await OutboxStore.insert(
                clientID: clients["alpha"]!, debtorID: debtors["P2"]!, channel: .sms, recipient: "+13125550100",
                subject: nil, body: "Message from Alpha: …", template: "reminder", status: .sent, sendAfter: at(1),
                asOf: asOf, stepID: "reminder-1", runID: 7, debtIDs: [debts["E1"]!], on: database, now: testNow))
        ids.append(
            try await OutboxStore.insert(
                clientID: clients["alpha"]!, debtorID: debtors["P1"]!, channel: .letter, recipient: nil,
                subject: nil, body: "Alpha\n\n16 July 2026\n…", template: "final-notice", sendAfter: at(26),
                asOf: asOf, createdBy: "ann@agency.example", on: database, now: testNow))
        ids.append(
            try await OutboxStore.insert(
                clientID: clients["beta"]!, debtorID: debtors["Q1"]!, channel: .email, recipient: "quinn@example.com",
                subject: "Reminder", body: "Dear Quinn Roe, …", template: "reminder-before-due", sendAfter: at(3),
                asOf: asOf, stepID: "before-due", runID: 7, debtIDs: [debts["B1"]!], on: database, now: testNow))
        return Seeded(ids: ids, debtors: debtors, clients: clients)
    }

    @Test(
        "lists every message in the order queued, with its client, debtor, channel, text, times and debts",
        arguments: TestStore.available)
    func list(store: TestStore) async throws {
        try await withStore(store) { database in
            let seeded = try await Self.seed(database.db)
            let page = try await OutboxStore.list(scope: .all, on: database.db)
            #expect(page.messages.map(\.id) == seeded.ids)
            #expect(page.next == nil)
            let first = try #require(page.messages.first)
            #expect(
                first
                    == OutboxMessage(
                        id: seeded.ids[0], clientRef: "alpha", debtorID: seeded.debtors["P1"]!, debtorRef: "P1",
                        debtorName: "Pat Doe", channel: .email, recipient: "pat@example.com",
                        subject: "About your account", body: "Dear Pat Doe, …", template: "reminder",
                        status: .queued, sendAfter: testNow.addingTimeInterval(7_200), asOf: Self.asOf,
                        stepID: "reminder-1", runID: 7, createdBy: nil, createdAt: testNow, statusChangedAt: nil,
                        debtRefs: ["D1", "D2"], clientID: seeded.clients["alpha"]!, language: .en))
            #expect(page.messages.map(\.debtRefs) == [["D1", "D2"], ["E1"], [], ["B1"]])
            #expect(page.messages.map(\.clientRef) == ["alpha", "alpha", "alpha", "beta"])
            #expect(page.messages[2].createdBy == "ann@agency.example")
            #expect(page.messages[2].subject == nil && page.messages[2].recipient == nil)
            // By status.
            let queued = try await OutboxStore.list(status: .queued, scope: .all, on: database.db)
            #expect(queued.messages.map(\.id) == [seeded.ids[0], seeded.ids[2], seeded.ids[3]])
            let sent = try await OutboxStore.list(status: .sent, scope: .all, on: database.db)
            #expect(sent.messages.map(\.channel) == [.sms])
            #expect(try await OutboxStore.list(status: .failed, scope: .all, on: database.db).messages.isEmpty)
        }
    }

    @Test("a client's staff see only their client's messages", arguments: TestStore.available)
    func clientScope(store: TestStore) async throws {
        try await withStore(store) { database in
            let seeded = try await Self.seed(database.db)
            let beta = ClientScope.client(id: seeded.clients["beta"]!, ref: "beta")
            let alpha = ClientScope.client(id: seeded.clients["alpha"]!, ref: "alpha")
            #expect(try await OutboxStore.list(scope: beta, on: database.db).messages.map(\.id) == [seeded.ids[3]])
            #expect(try await OutboxStore.list(scope: alpha, on: database.db).messages.count == 3)
            #expect(try await OutboxStore.list(status: .sent, scope: beta, on: database.db).messages.isEmpty)
            // A debtor of another client has no messages for them.
            #expect(
                try await OutboxStore.messages(debtorID: seeded.debtors["P1"]!, scope: beta, on: database.db).isEmpty)
            #expect(
                try await OutboxStore.messages(debtorID: seeded.debtors["P1"]!, scope: alpha, on: database.db).count
                    == 2)
        }
    }

    @Test(
        "pages: limit at a time, the next page after the last id, the last page with no next",
        arguments: TestStore.available)
    func paging(store: TestStore) async throws {
        try await withStore(store) { database in
            let seeded = try await Self.seed(database.db)
            let first = try await OutboxStore.list(scope: .all, limit: 2, on: database.db)
            #expect(first.messages.map(\.id) == Array(seeded.ids[0..<2]))
            #expect(first.next == seeded.ids[1])
            let second = try await OutboxStore.list(scope: .all, limit: 2, after: first.next, on: database.db)
            #expect(second.messages.map(\.id) == Array(seeded.ids[2..<4]))
            #expect(second.next == nil, "exactly a page left: no empty page after it")
            let queued = try await OutboxStore.list(
                status: .queued, scope: .all, limit: 1, after: seeded.ids[0], on: database.db)
            #expect(queued.messages.map(\.id) == [seeded.ids[2]])
            #expect(queued.next == seeded.ids[2])
            for limit in [0, 501] {
                await #expect(throws: StoreError.invalid("limit is \(limit); use 1 to 500")) {
                    try await OutboxStore.list(scope: .all, limit: limit, on: database.db)
                }
            }
        }
    }

    @Test("a debtor's messages for the timeline: the latest send time first", arguments: TestStore.available)
    func debtorMessages(store: TestStore) async throws {
        try await withStore(store) { database in
            let seeded = try await Self.seed(database.db)
            let pat = try await OutboxStore.messages(debtorID: seeded.debtors["P1"]!, on: database.db)
            #expect(pat.map(\.id) == [seeded.ids[2], seeded.ids[0]])
            #expect(pat.map(\.channel) == [.letter, .email])
            #expect(try await OutboxStore.messages(debtorID: 999_999, on: database.db).isEmpty)
        }
    }

    @Test("the statuses and their sentence")
    func statuses() {
        #expect(
            OutboxStatus.allCases.map(\.rawValue) == [
                "queued", "sending", "sent", "deferred", "failed", "bounced", "cancelled",
            ])
        #expect(OutboxStatus.choices == "queued, sending, sent, deferred, failed, bounced or cancelled")
    }
}
