import Foundation
import RecoupCore
import RecoupTestSupport
import SQLKit
import Testing

@testable import RecoupStore

/// The importer writes each debt's stored balance itself and the ledger's trigger skips its entries
/// (`M019ImportWritesDebtBalances`); the balance the list sorts by must still be the ledger's, row for row.
@Suite("Balances the importer stores")
struct ImportedBalanceTests {
    /// Every debt in the balance sort, largest first, walked page by page as the list does.
    static func listedByBalance(_ database: RecoupDatabase) async throws -> [DebtSummary] {
        var filter = DebtFilter(today: try LocalDate(iso: "2026-11-29"))
        filter.sort = .balance
        filter.descending = true
        filter.limit = 500
        var listed: [DebtSummary] = []
        while true {
            let page = try await DebtQueries.list(filter, scope: .all, on: database.db)
            listed += page.items
            guard let next = page.next else { return listed }
            filter.after = next
        }
    }

    /// Checks that the list holds every debt once, each with its ledger's balance, in the order of those balances
    /// (largest first, then the later debt first); answers the balances by reference.
    @discardableResult
    static func expectBalancesAreTheLedgers(
        _ database: RecoupDatabase, debts: Int, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [String: Int64] {
        let listed = try await listedByBalance(database)
        #expect(listed.count == debts, sourceLocation: sourceLocation)
        var ledgerBalances: [Int64: Int64] = [:]
        for debt in listed {
            ledgerBalances[debt.id] = try await DebtQueries.ledger(of: debt, on: database.db).balance.total
        }
        let wrong = listed.filter { $0.balance != ledgerBalances[$0.id] }
        #expect(
            wrong.isEmpty,
            "stored balance differs from the ledger's for \(wrong.prefix(5).map { "\($0.ref): \($0.balance) stored, \(ledgerBalances[$0.id]!) in the ledger" })",
            sourceLocation: sourceLocation)
        let expected = listed.sorted { a, b in
            ledgerBalances[a.id]! == ledgerBalances[b.id]! ? a.id > b.id : ledgerBalances[a.id]! > ledgerBalances[b.id]!
        }
        #expect(listed.map(\.id) == expected.map(\.id), sourceLocation: sourceLocation)
        return Dictionary(uniqueKeysWithValues: listed.map { ($0.ref, ledgerBalances[$0.id]!) })
    }

    @Test(
        "an imported file's stored balances are its ledgers', in the list's order, and after a payment too",
        arguments: TestStore.available)
    func importedThenPaid(store: TestStore) async throws {
        try await withStore(store) { database in
            // 3,000 invoices as the import benchmark generates them (most settled, balance 0; some open), in batches.
            var generator = IBMSampleGenerator(
                seed: 42, customers: 150, firstInvoiceDay: try LocalDate(iso: "2024-10-30"))
            var text = IBMSampleGenerator.headerLine
            for number in 1...3_000 { text += generator.line(number: number) }
            let summary = try await Importer.run(
                ImportRequest(path: try TestFiles.temporary(text), format: .ibmAR, batchSize: 500),
                on: database.db, now: testNow)
            #expect(summary.imported == 3_000)
            let before = try await Self.expectBalancesAreTheLedgers(database, debts: 3_000)
            #expect(before.values.contains(0))
            #expect(before.values.contains { $0 > 0 })

            // A payment through the use case: the trigger counts it, and the debt moves in the sort.
            let open = try #require(before.filter { $0.value > 1_000 }.min { $0.key < $1.key })
            let paid = try await PaymentStore.post(
                PaymentRequest(
                    clientRef: "default", debtRef: open.key,
                    action: .pay(amount: .minorUnits(1_000), on: try LocalDate(iso: "2026-11-20")),
                    idempotencyKey: "after-import"),
                on: database.db, now: testNow)
            #expect(paid.posted)
            let after = try await Self.expectBalancesAreTheLedgers(database, debts: 3_000)
            #expect(after[open.key] == open.value - 1_000)
            #expect(after.filter { $0.key != open.key } == before.filter { $0.key != open.key })
        }
    }

    @Test("M019 reverts to M018's trigger, which counts every entry, and applies again", arguments: TestStore.available)
    func revertAndApply(store: TestStore) async throws {
        try await withStore(store) { database in
            _ = try await Importer.run(
                ImportRequest(path: try TestFiles.temporary(Self.file), format: .recoup), on: database.db, now: testNow)
            try await M019ImportWritesDebtBalances().revert(on: database.db)
            try await Self.insertPayment(10_000, key: "after-revert", debt: "B-5", database)
            #expect(try await Self.expectBalancesAreTheLedgers(database, debts: 5)["B-5"] == 60_000)

            try await M019ImportWritesDebtBalances().prepare(on: database.db)
            try await Self.insertPayment(5_000, key: "after-apply", debt: "B-5", database)
            let settlements = """
                debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,interest,fees,paid,paid_on
                B-5,P-3,commercial,Lee Chen Ltd,2026-02-05,2026-06-01,700.00,,,100.00,2026-07-01

                """
            _ = try await Importer.run(
                ImportRequest(path: try TestFiles.temporary(settlements), format: .recoup), on: database.db,
                now: testNow)
            #expect(try await Self.expectBalancesAreTheLedgers(database, debts: 5)["B-5"] == 45_000)
        }
    }

    /// A payment written as a row, as a writer other than the importer does (not marked `counted_by_writer`).
    static func insertPayment(_ amount: Int64, key: String, debt: String, _ database: RecoupDatabase) async throws {
        try await database.sql.raw(
            """
            INSERT INTO ledger_entries (debt_id, idempotency_key, kind, effective_on, amount, principal, interest, \
            fees, total, created_at) SELECT id, \(bind: key), 'payment', \(bind: (try LocalDate(iso: "2026-08-01")).daysSinceEpoch), \
            \(bind: amount), \(bind: -amount), 0, 0, \(bind: -amount), \(bind: testNow) FROM debts WHERE ref = \(bind: debt)
            """
        ).run()
    }

    /// Interest, fees, a partial payment, an overpayment (a credit: a negative balance) and a debt paid in full.
    static let file = """
        debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,interest,fees,paid,paid_on
        B-1,P-1,consumer,Pat Rivera,2026-01-05,2026-02-04,1000.00,12.50,25.00,,
        B-2,P-1,consumer,Pat Rivera,2026-02-05,2026-03-04,300.00,,,100.00,2026-04-01
        B-3,P-2,consumer,Joanna Smith,2026-02-05,2026-03-10,80.00,,,95.00,2026-04-01
        B-4,P-2,consumer,Joanna Smith,2026-02-05,2026-03-29,50.00,,5.00,55.00,2026-04-02
        B-5,P-3,commercial,Lee Chen Ltd,2026-02-05,2026-06-01,700.00,,,,

        """

    @Test(
        "a file imported again with new payments, and a debt twice in a file, keep the stored balances the ledgers'",
        arguments: TestStore.available, [1, 2, 1_000])
    func importedAgain(store: TestStore, batchSize: Int) async throws {
        try await withStore(store) { database in
            let first = try await Importer.run(
                ImportRequest(path: try TestFiles.temporary(Self.file), format: .recoup, batchSize: batchSize),
                on: database.db, now: testNow)
            #expect(first.imported == 5)
            let balances = try await Self.expectBalancesAreTheLedgers(database, debts: 5)
            #expect(balances == ["B-1": 103_750, "B-2": 20_000, "B-3": -1_500, "B-4": 0, "B-5": 70_000])

            // The same file again changes nothing; then new settlements for known debts (B-1, B-5), a new debt B-6
            // listed twice with two payments (the second row posts to the debt the first inserted), and B-5 twice.
            let again = try await Importer.run(
                ImportRequest(path: try TestFiles.temporary(Self.file), format: .recoup, batchSize: batchSize),
                on: database.db, now: testNow)
            #expect(again.unchanged == 5)
            try await Self.expectBalancesAreTheLedgers(database, debts: 5)
            let settlements = """
                debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,interest,fees,paid,paid_on
                B-1,P-1,consumer,Pat Rivera,2026-01-05,2026-02-04,1000.00,12.50,25.00,37.50,2026-05-01
                B-6,P-3,commercial,Lee Chen Ltd,2026-03-05,2026-04-04,400.00,,,150.00,2026-05-01
                B-5,P-3,commercial,Lee Chen Ltd,2026-02-05,2026-06-01,700.00,,,200.00,2026-07-01
                B-6,P-3,commercial,Lee Chen Ltd,2026-03-05,2026-04-04,400.00,,,50.00,2026-06-01
                B-5,P-3,commercial,Lee Chen Ltd,2026-02-05,2026-06-01,700.00,,,200.00,2026-08-01

                """
            let later = try await Importer.run(
                ImportRequest(path: try TestFiles.temporary(settlements), format: .recoup, batchSize: batchSize),
                on: database.db, now: testNow)
            #expect(later.rejected == 0)
            let after = try await Self.expectBalancesAreTheLedgers(database, debts: 6)
            #expect(
                after == ["B-1": 100_000, "B-2": 20_000, "B-3": -1_500, "B-4": 0, "B-5": 30_000, "B-6": 20_000])
        }
    }
}
