import Foundation
import RecoupCore
import RecoupTestSupport
import SQLKit
import Testing

@testable import RecoupStore

@Suite("Debt search")
struct DebtSearchTests {
    static let file = """
        debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,interest,fees,paid,paid_on,phones,emails,address_state,address_postal_code,time_zones
        INV-000123,P-1,consumer,"Rivera, Pat",2026-01-05,2026-02-04,1000.00,,,,,+16175550100:mobile,,MA,02118,
        INV-000124,P-1,consumer,"Rivera, Pat",2026-02-05,2026-03-04,200.00,,,,,+16175550100:mobile,,MA,02118,
        HD-77,P-2,consumer,José Müller,2026-02-05,2026-03-04,200.00,,,,,+13125550177:home,,IL,60601,
        HD-78,P-3,consumer,Joanna Smith,2026-02-05,2026-03-04,50.00,,,,,,,NY,10001,

        """

    /// The references a search finds, checking that both ways of answering it (reading the matches from the index,
    /// or walking the debts in order when the search is broad) find the same.
    static func refs(_ text: String, _ database: RecoupDatabase, scope: ClientScope = .all) async throws -> [String] {
        var filter = DebtFilter(today: try! LocalDate(year: 2026, month: 11, day: 29))
        filter.search = text
        let narrow = try await DebtQueries.list(filter, scope: scope, on: database.db).items.map(\.ref)
        filter.broadSearchDebts = 1
        let broad = try await DebtQueries.list(filter, scope: scope, on: database.db).items.map(\.ref)
        #expect(narrow == broad, "searching \(text)")
        return narrow
    }

    @Test(
        "finds debts by name word prefixes, phone digits however written, and reference prefixes",
        arguments: TestStore.available)
    func search(store: TestStore) async throws {
        try await withStore(store) { database in
            let path = try TestFiles.temporary(Self.file)
            _ = try await Importer.run(ImportRequest(path: path, format: .recoup), on: database.db, now: testNow)
            #expect(try await Self.refs("riv", database) == ["INV-000123", "INV-000124"])
            #expect(try await Self.refs("PAT rivera", database) == ["INV-000123", "INV-000124"])
            #expect(try await Self.refs("pat smith", database) == [])
            #expect(try await Self.refs("jo", database) == ["HD-77", "HD-78"])
            #expect(try await Self.refs("muller", database) == ["HD-77"])
            #expect(try await Self.refs("Müll", database) == ["HD-77"])
            #expect(try await Self.refs("(312) 555-0177", database) == ["HD-77"])
            #expect(try await Self.refs("+1 312 555 0177", database) == ["HD-77"])
            #expect(try await Self.refs("0177", database) == ["HD-77"])
            #expect(try await Self.refs("5550100", database) == ["INV-000123", "INV-000124"])
            #expect(try await Self.refs("inv-000124", database) == ["INV-000124"])
            #expect(try await Self.refs("HD-7", database) == ["HD-77", "HD-78"])
            #expect(try await Self.refs("ivera", database) == [])
            #expect(try await Self.refs("%", database) == [])
            #expect(try await Self.refs("riv", database, scope: .client(id: -1, ref: "nobody")) == [])
            var filter = DebtFilter(today: try LocalDate(year: 2026, month: 11, day: 29))
            filter.search = "inv"
            filter.limit = 1
            filter.broadSearchDebts = 1
            let first = try await DebtQueries.list(filter, scope: .all, on: database.db)
            #expect(first.items.map(\.ref) == ["INV-000123"])
            filter.after = first.next
            #expect(try await DebtQueries.list(filter, scope: .all, on: database.db).items.map(\.ref) == ["INV-000124"])
        }
    }

    @Test(
        "a debtor imported later is found, and rebuilding the index finds the same debts",
        arguments: TestStore.available)
    func maintained(store: TestStore) async throws {
        try await withStore(store) { database in
            _ = try await Importer.run(
                ImportRequest(path: try TestFiles.temporary(Self.file), format: .recoup), on: database.db, now: testNow)
            let later = """
                debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,interest,fees,paid,paid_on,phones,emails,address_state,address_postal_code,time_zones
                L-1,P-9,commercial,Smithers Ltd,2026-02-05,2026-03-04,75.00,,,,,+12125550199:work,,NY,10001,

                """
            _ = try await Importer.run(
                ImportRequest(path: try TestFiles.temporary(later), format: .recoup), on: database.db, now: testNow)
            #expect(try await Self.refs("smith", database) == ["HD-78", "L-1"])
            let count = {
                try await database.sql.raw("SELECT COUNT(*) AS n FROM search_terms").first()!.decode(
                    column: "n", as: Int.self)
            }
            let stored = try await count()
            try await database.sql.raw("DELETE FROM search_terms").run()
            #expect(try await Self.refs("smith", database) == [])
            try await SearchIndex.rebuild(on: database.sql)
            #expect(try await count() == stored)
            #expect(try await Self.refs("smith", database) == ["HD-78", "L-1"])
            #expect(try await Self.refs("2125550199", database) == ["L-1"])
        }
    }
}
