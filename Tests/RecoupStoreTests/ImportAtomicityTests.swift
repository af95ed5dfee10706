import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import SQLKit
import Testing

/// An import that stops part-way keeps nothing: the database is exactly as it was, on SQLite and PostgreSQL.
@Suite("Imports are atomic")
struct ImportAtomicityTests {
    static let header =
        "debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,paid,paid_on,phones,emails,"
        + "address_state,address_postal_code"

    /// A row in Recoup's layout: a debtor (every third row a new one) with a name, a phone, an email and an address,
    /// and a debt partly paid, so that every table an import writes gains rows.
    static func row(_ index: Int, principal: String = "100.00", name: String? = nil) -> String {
        let debtor = index / 3
        let phone = String(format: "+1617555%04d", debtor % 10_000)
        let debtorName = name ?? "Person\(debtor) Rivera"
        return "D-\(index),P-\(debtor),consumer,\(debtorName),2026-01-05,2026-02-04,\(principal),10.00,2026-03-01,"
            + "\(phone):mobile,p\(debtor)@example.com,MA,02118"
    }

    /// The number of rows in every table an import writes to.
    static func counts(_ database: RecoupDatabase) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        let tables = [
            "clients", "debtors", "contact_points", "search_terms", "debts", "ledger_entries", "import_batches",
        ]
        for table in tables {
            let row = try await database.sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()
            counts[table] = try row?.decode(column: "n", as: Int.self)
        }
        return counts
    }

    /// Imports a few debts for another client, so that "as it was" is not just "empty".
    static func importEarlierDebts(_ database: RecoupDatabase) async throws {
        let earlier = try TestFiles.temporary(([header] + (0..<5).map { row(1_000_000 + $0) }).joined(separator: "\n"))
        let summary = try await Importer.run(
            ImportRequest(path: earlier, format: .recoup, clientRef: "earlier"), on: database.db, now: testNow)
        #expect(summary.imported == 5)
    }

    @Test(
        "a malformed line after the first megabyte (batches already written) leaves every table as it was",
        arguments: TestStore.available)
    func fileErrorKeepsNothing(store: TestStore) async throws {
        // Setup: the file is read a megabyte at a time, so the malformed line must come after the first
        // megabyte for the import to have written batches before it reaches that line.
        let good = 12_000
        var lines = [Self.header] + (0..<good).map { Self.row($0) }
        lines.append(Self.row(good, name: "Bad\"Quote"))
        lines += (good + 1..<good + 100).map { Self.row($0) }
        #expect(lines[0...good].joined(separator: "\n").utf8.count > 1 << 20)
        let path = try TestFiles.temporary(lines.joined(separator: "\n") + "\n")
        try await withStore(store) { database in
            try await Self.importEarlierDebts(database)
            let before = try await Self.counts(database)

            // Act
            await #expect(throws: CSVError.unexpectedQuote(line: good + 2, field: 4)) {
                try await Importer.run(
                    ImportRequest(path: path, format: .recoup, clientRef: "acme"), on: database.db, now: testNow)
            }

            // Verify
            #expect(try await Self.counts(database) == before)
        }
    }

    @Test(
        "--all-or-nothing with a bad row after ten written batches leaves every table as it was",
        arguments: TestStore.available)
    func allOrNothingKeepsNothing(store: TestStore) async throws {
        // Setup: batches of 10 rows, the bad row in the 15th batch.
        let lines = [Self.header] + (0..<200).map { Self.row($0, principal: $0 == 145 ? "12.001" : "100.00") }
        let path = try TestFiles.temporary(lines.joined(separator: "\n") + "\n")
        try await withStore(store) { database in
            try await Self.importEarlierDebts(database)
            let before = try await Self.counts(database)

            // Act
            var refusal: AllOrNothingRefusal? = nil
            do {
                _ = try await Importer.run(
                    ImportRequest(path: path, format: .recoup, clientRef: "acme", allOrNothing: true, batchSize: 10),
                    on: database.db, now: testNow)
            } catch let error as AllOrNothingRefusal {
                refusal = error
            }

            // Verify
            #expect(refusal?.summary.errors.map(\.line) == [147])
            #expect(try await Self.counts(database) == before)
        }
    }

    @Test(
        "the same file without the bad row imports every row (the tests above refuse for that row alone)",
        arguments: TestStore.available)
    func sameFileImports(store: TestStore) async throws {
        let lines = [Self.header] + (0..<200).map { Self.row($0) }
        let path = try TestFiles.temporary(lines.joined(separator: "\n") + "\n")
        try await withStore(store) { database in
            try await Self.importEarlierDebts(database)
            let before = try await Self.counts(database)
            let summary = try await Importer.run(
                ImportRequest(path: path, format: .recoup, clientRef: "acme", allOrNothing: true, batchSize: 10),
                on: database.db, now: testNow)
            #expect(summary.imported == 200)
            let after = try await Self.counts(database)
            #expect(after["debts"] == before["debts"]! + 200)
            #expect(after["ledger_entries"] == before["ledger_entries"]! + 400)
            #expect(after["debtors"] == before["debtors"]! + 67)
            #expect(after["import_batches"] == before["import_batches"]! + 1)
        }
    }

    @Test(
        "a payment file with a malformed line after the first megabyte posts nothing", arguments: TestStore.available)
    func paymentFileErrorKeepsNothing(store: TestStore) async throws {
        let debts = [Self.header] + (0..<50).map { Self.row($0) }
        let debtsPath = try TestFiles.temporary(debts.joined(separator: "\n") + "\n")
        var payments = ["debt,amount,on,key,method,reference"]
        for index in 0..<30_000 {
            payments.append("D-\(index % 50),0.01,2026-03-02,payment-\(index),card,reference-\(index)")
        }
        payments.append("D-1,0.01,2026-03-02,bad\"key,card,x")
        let paymentsPath = try TestFiles.temporary(payments.joined(separator: "\n") + "\n", name: "payments.csv")
        try await withStore(store) { database in
            _ = try await Importer.run(
                ImportRequest(path: debtsPath, format: .recoup, clientRef: "acme"), on: database.db, now: testNow)
            let before = try await Self.counts(database)

            await #expect(throws: CSVError.self) {
                try await PaymentImporter.run(path: paymentsPath, clientRef: "acme", on: database.db, now: testNow)
            }

            #expect(try await Self.counts(database) == before)
        }
    }
}
