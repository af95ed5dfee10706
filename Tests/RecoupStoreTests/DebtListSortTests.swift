import Foundation
import RecoupCore
import RecoupTestSupport
import SQLKit
import Testing

@testable import RecoupStore

@Suite("Debt list sorts, pages and totals")
struct DebtListSortTests {
    /// Five debts of three debtors: balances 1000, 200 (300 less 100 paid), 0 (paid off), 50, 700.
    static let file = """
        debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,interest,fees,paid,paid_on,phones,emails,address_state,address_postal_code,time_zones
        A-1,P-1,consumer,Pat Rivera,2026-01-05,2026-02-04,1000.00,,,,,,,MA,02118,
        A-2,P-1,consumer,Pat Rivera,2026-02-05,2026-03-04,300.00,,,100.00,2026-04-01,,,MA,02118,
        A-3,P-2,consumer,Joanna Smith,2026-02-05,2026-12-10,80.00,,,80.00,2026-04-01,,,NY,10001,
        A-4,P-2,consumer,Joanna Smith,2026-02-05,2026-11-29,50.00,,,,,,,NY,10001,
        A-5,P-3,consumer,Lee Chen,2026-02-05,2026-06-01,700.00,,,,,,,NY,10001,

        """

    static let today = try! LocalDate(year: 2026, month: 11, day: 29)

    static func refs(
        _ database: RecoupDatabase, sort: DebtSort, descending: Bool = false, limit: Int = 50,
        change: (inout DebtFilter) -> Void = { _ in }
    ) async throws -> [String] {
        var filter = DebtFilter(today: today)
        filter.sort = sort
        filter.descending = descending
        filter.limit = limit
        change(&filter)
        return try await DebtQueries.list(filter, scope: .all, on: database.db).items.map(\.ref)
    }

    static func load(_ database: RecoupDatabase) async throws {
        _ = try await Importer.run(
            ImportRequest(path: try TestFiles.temporary(file), format: .recoup), on: database.db, now: testNow)
    }

    @Test("sorts by balance, days past due and last contact, both ways", arguments: TestStore.available)
    func sorts(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.load(database)
            #expect(
                try await Self.refs(database, sort: .balance, descending: true) == ["A-1", "A-5", "A-2", "A-4", "A-3"])
            #expect(try await Self.refs(database, sort: .balance) == ["A-3", "A-4", "A-2", "A-5", "A-1"])
            // Most days past due first: the oldest due date.
            #expect(
                try await Self.refs(database, sort: .daysPastDue, descending: true) == [
                    "A-1", "A-2", "A-5", "A-4", "A-3",
                ])
            #expect(try await Self.refs(database, sort: .daysPastDue) == ["A-3", "A-4", "A-5", "A-2", "A-1"])
            #expect(
                try await Self.refs(database, sort: .added, descending: true) == ["A-5", "A-4", "A-3", "A-2", "A-1"])

            // A call with Joanna Smith, then a text to Lee Chen later: never contacted first, then the oldest.
            let sql = database.db as! any SQLDatabase
            for (debtor, type, at) in [("P-2", "call", 1_000.0), ("P-3", "sms", 5_000.0), ("P-2", "consent", 9_000.0)] {
                try await sql.raw(
                    """
                    INSERT INTO contact_events (debtor_id, type, at, debt_ids, details, recorded_by, created_at) \
                    SELECT id, \(bind: type), \(bind: testNow.addingTimeInterval(at)), NULL, '{}', NULL, \
                    \(bind: testNow) FROM debtors WHERE ref = \(bind: debtor)
                    """
                ).run()
            }
            #expect(try await Self.refs(database, sort: .lastContact) == ["A-1", "A-2", "A-3", "A-4", "A-5"])
            #expect(
                try await Self.refs(database, sort: .lastContact, descending: true) == [
                    "A-5", "A-4", "A-3", "A-2", "A-1",
                ])
            var filter = DebtFilter(today: Self.today)
            filter.debtorRef = "P-3"
            let lee = try await DebtQueries.list(filter, scope: .all, on: database.db).items
            #expect(lee.map(\.ref) == ["A-5"])
            #expect(
                lee.first?.lastContact
                    == Date(
                        timeIntervalSince1970: testNow.addingTimeInterval(5_000).timeIntervalSince1970.rounded(.down)))
        }
    }

    @Test(
        "a payment moves a debt in the balance sort; every page walks forward and back", arguments: TestStore.available)
    func pages(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.load(database)
            let sql = database.db as! any SQLDatabase
            // A payment written after the import is counted in the stored balance (the ledger's trigger).
            try await sql.raw(
                """
                INSERT INTO ledger_entries (debt_id, idempotency_key, kind, effective_on, amount, principal, interest, \
                fees, total, created_at) SELECT id, 'test-payment', 'payment', 0, 90000, -90000, 0, 0, -90000, \
                \(bind: testNow) FROM debts WHERE ref = 'A-1'
                """
            ).run()
            let order = ["A-5", "A-2", "A-1", "A-4", "A-3"]
            #expect(try await Self.refs(database, sort: .balance, descending: true) == order)

            for sort in DebtSort.allCases {
                for descending in [false, true] {
                    var filter = DebtFilter(today: Self.today)
                    filter.sort = sort
                    filter.descending = descending
                    filter.limit = 2
                    let all = try await Self.refs(database, sort: sort, descending: descending)
                    var pages: [DebtPage] = []
                    var seen: [String] = []
                    var page = try await DebtQueries.list(filter, scope: .all, on: database.db)
                    #expect(page.previous == nil)
                    while true {
                        pages.append(page)
                        seen += page.items.map(\.ref)
                        guard let next = page.next else { break }
                        filter.after = next
                        page = try await DebtQueries.list(filter, scope: .all, on: database.db)
                    }
                    #expect(seen == all, "\(sort) \(descending)")
                    // Back from the last page, each previous page is the one before.
                    filter.after = nil
                    for index in stride(from: pages.count - 1, to: 0, by: -1) {
                        filter.before = pages[index].previous
                        let back = try await DebtQueries.list(filter, scope: .all, on: database.db)
                        #expect(back.items.map(\.ref) == pages[index - 1].items.map(\.ref), "\(sort) \(descending)")
                        #expect((back.previous == nil) == (index - 1 == 0))
                        #expect(back.next == pages[index - 1].next)
                    }
                }
            }
        }
    }

    @Test("totals count the filtered debts and add their balances per currency", arguments: TestStore.available)
    func totals(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.load(database)
            var filter = DebtFilter(today: Self.today)
            var totals = try await DebtQueries.totals(filter, scope: .all, on: database.db)
            #expect(totals.count == 5)
            #expect(totals.balances.map(\.minorUnits) == [195_000])
            filter.status = "open"
            filter.debtorRef = "P-2"
            totals = try await DebtQueries.totals(filter, scope: .all, on: database.db)
            #expect(totals.count == 1)
            #expect(totals.balances.map(\.minorUnits) == [5_000])
            totals = try await DebtQueries.totals(filter, scope: .client(id: -1, ref: "nobody"), on: database.db)
            #expect(totals.count == 0)
            // A cursor outside the scope starts no page.
            var outside = DebtFilter(today: Self.today)
            outside.sort = .balance
            outside.after = 1
            #expect(
                try await DebtQueries.list(outside, scope: .client(id: -1, ref: "nobody"), on: database.db).items
                    .isEmpty)
        }
    }
}
