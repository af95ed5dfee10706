import Foundation
import RecoupCore
import RecoupTestSupport
import SQLKit
import Testing

@testable import RecoupStore

/// The client, debtor and status filters walk the indexes `M019ImportWritesDebtBalances` adds; whichever index a page
/// walks, it must hold exactly the debts the filters match, in the sort's order.
@Suite("Debts list filtered by client, debtor and status")
struct DebtListClientFilterTests {
    static let today = try! LocalDate(year: 2026, month: 11, day: 29)

    /// Two clients' files: open, paid-off and credit balances, due dates and contacts that tie and differ; each client
    /// has a debtor P-2 (debtor references are unique per client).
    static let harbor = """
        debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,paid,paid_on
        H-1,P-1,consumer,Pat Rivera,2026-01-05,2026-02-04,1000.00,,
        H-2,P-1,consumer,Pat Rivera,2026-02-05,2026-03-04,300.00,100.00,2026-04-01
        H-3,P-2,consumer,Joanna Smith,2026-02-05,2026-03-04,80.00,80.00,2026-04-01
        H-4,P-2,consumer,Joanna Smith,2026-02-05,2026-11-29,50.00,60.00,2026-04-02
        H-5,P-3,consumer,Lee Chen,2026-02-05,2026-06-01,300.00,,
        H-6,P-4,consumer,Ana Silva,2026-03-05,2026-12-20,45.00,45.00,2026-04-02

        """
    static let other = """
        debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,paid,paid_on
        O-1,Q-1,consumer,Sam Okafor,2026-01-05,2026-03-04,700.00,,
        O-2,Q-1,consumer,Sam Okafor,2026-02-05,2026-02-04,20.00,20.00,2026-03-01
        O-3,P-2,consumer,Mia Brown,2026-02-05,2026-06-01,300.00,,

        """

    /// The page walked forward to its end, two debts at a time.
    static func walk(_ filter: DebtFilter, _ database: RecoupDatabase) async throws -> [String] {
        var filter = filter
        filter.limit = 2
        var refs: [String] = []
        while true {
            let page = try await DebtQueries.list(filter, scope: .all, on: database.db)
            refs += page.items.map(\.ref)
            guard let next = page.next else { return refs }
            filter.after = next
        }
    }

    /// What a list in `sort` holds, worked out here from every debt.
    static func expected(
        _ all: [DebtSummary], sort: DebtSort, descending: Bool, client: String?, debtor: String?, status: String?
    ) -> [String] {
        let matching = all.filter { debt in
            (client == nil || debt.clientRef == client) && (debtor == nil || debt.debtorRef == debtor)
                && (status == nil || (status == "open") == (debt.balance > 0))
        }
        func key(_ debt: DebtSummary) -> Int64 {
            if sort == .balance { return debt.balance }
            if sort == .daysPastDue { return Int64(debt.dueOn.daysSinceEpoch) }
            if sort == .lastContact { return Int64(debt.lastContact?.timeIntervalSince1970 ?? 0) }
            return 0
        }
        // The walk is by (key, id); most days past due first is the earliest due date first.
        let walksUp = sort == .daysPastDue ? descending : !descending
        let up = matching.sorted { a, b in key(a) == key(b) ? a.id < b.id : key(a) < key(b) }
        return (walksUp ? up : up.reversed()).map(\.ref)
    }

    @Test(
        "every sort, both ways, by client, debtor and status, matches the debts worked out one by one",
        arguments: TestStore.available)
    func filteredSorts(store: TestStore) async throws {
        try await withStore(store) { database in
            for (client, file) in [("harbor", Self.harbor), ("other", Self.other)] {
                _ = try await Importer.run(
                    ImportRequest(path: try TestFiles.temporary(file), format: .recoup, clientRef: client),
                    on: database.db, now: testNow)
            }
            // A call with Joanna Smith and one with Sam Okafor later: contacts tie for both of their debts.
            for (debtor, at) in [("P-2", 1_000.0), ("Q-1", 5_000.0)] {
                try await database.sql.raw(
                    """
                    INSERT INTO contact_events (debtor_id, type, at, debt_ids, details, recorded_by, created_at) \
                    SELECT id, 'call', \(bind: testNow.addingTimeInterval(at)), NULL, '{}', NULL, \(bind: testNow) \
                    FROM debtors WHERE ref = \(bind: debtor)
                    """
                ).run()
            }
            var everything = DebtFilter(today: Self.today)
            everything.limit = 500
            let all = try await DebtQueries.list(everything, scope: .all, on: database.db).items
            #expect(all.count == 9)
            #expect(Set(all.filter { $0.balance > 0 }.map(\.ref)) == ["H-1", "H-2", "H-5", "O-1", "O-3"])

            for sort in [DebtSort.added, .balance, .daysPastDue, .lastContact] {
                for descending in [false, true] {
                    for client in [nil, "harbor", "other", "nobody"] {
                        for debtor in [nil, "P-2"] {
                            for status in [nil, "open", "closed"] {
                                var filter = DebtFilter(today: Self.today)
                                filter.sort = sort
                                filter.descending = descending
                                filter.clientRef = client
                                filter.debtorRef = debtor
                                filter.status = status
                                let listed = try await Self.walk(filter, database)
                                let wanted = Self.expected(
                                    all, sort: sort, descending: descending, client: client, debtor: debtor,
                                    status: status)
                                #expect(
                                    listed == wanted,
                                    "\(sort) \(descending) client \(client ?? "-") debtor \(debtor ?? "-") \(status ?? "-")"
                                )
                            }
                        }
                    }
                }
            }
            #expect(Set(all.filter { $0.debtorRef == "P-2" }.map(\.ref)) == ["H-3", "H-4", "O-3"])
            // The totals by client count its debts alone.
            var harbor = DebtFilter(today: Self.today)
            harbor.clientRef = "harbor"
            harbor.status = "open"
            let totals = try await DebtQueries.totals(harbor, scope: .all, on: database.db)
            #expect(totals.count == 3)
            #expect(totals.balances.map(\.minorUnits) == [100_000 + 20_000 + 30_000])
            // A debtor reference names a debtor of each client: both are counted, unless a client is named.
            var debtor = DebtFilter(today: Self.today)
            debtor.debtorRef = "P-2"
            #expect(try await DebtQueries.totals(debtor, scope: .all, on: database.db).count == 3)
            debtor.clientRef = "other"
            #expect(try await DebtQueries.totals(debtor, scope: .all, on: database.db).count == 1)

            // A client's own staff see their debtor's debts only, in each sort.
            let harborID = try #require(
                try await database.sql.raw("SELECT id FROM clients WHERE ref = 'harbor'").first()?.decode(
                    column: "id", as: Int64.self))
            for sort in [DebtSort.added, .balance, .daysPastDue, .lastContact] {
                var staff = DebtFilter(today: Self.today)
                staff.sort = sort
                staff.debtorRef = "P-2"
                let listed = try await DebtQueries.list(
                    staff, scope: .client(id: harborID, ref: "harbor"), on: database.db)
                #expect(
                    listed.items.map(\.ref)
                        == Self.expected(
                            all, sort: sort, descending: false, client: "harbor", debtor: "P-2", status: nil))
                #expect(
                    try await DebtQueries.totals(staff, scope: .client(id: harborID, ref: "harbor"), on: database.db)
                        .count == 2)
            }
        }
    }
}
