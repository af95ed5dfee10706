import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import SQLKit
import Testing

@Suite("What an import stores for a consumer debt")
struct ImportedRowsTests {
    @Test("the debtor's zones in order, the itemization date and the batch", arguments: TestStore.available)
    func storedRows(store: TestStore) async throws {
        let file = try TestFiles.temporary(
            """
            debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,itemization_on,principal,phones,address_state,time_zones
            R-9,P-9,consumer,Pat Rivera,2026-01-05,2026-02-04,2026-01-20,99.99,+16175550100:mobile,MA,America/New_York;America/Chicago

            """)
        try await withStore(store) { database in
            _ = try await Importer.run(
                ImportRequest(path: file, format: .recoup, clientRef: "harbor"), on: database.db, now: testNow)
            let row = try #require(
                try await database.sql.raw(
                    """
                    SELECT d.due_on, d.itemization_on, d.currency, r.kind, r.time_zones, c.ref AS client
                    FROM debts d JOIN debtors r ON r.id = d.debtor_id JOIN clients c ON c.id = d.client_id
                    WHERE d.ref = 'R-9'
                    """
                ).first())
            #expect(try row.decode(column: "due_on", as: Int.self) == (try LocalDate(iso: "2026-02-04")).daysSinceEpoch)
            #expect(
                try row.decode(column: "itemization_on", as: Int?.self)
                    == (try LocalDate(iso: "2026-01-20")).daysSinceEpoch)
            #expect(try row.decode(column: "currency", as: String.self) == "USD")
            #expect(try row.decode(column: "kind", as: String.self) == "consumer")
            // The primary zone comes first: the compliance engine counts days in it.
            #expect(try row.decode(column: "time_zones", as: String.self) == "America/New_York;America/Chicago")
            #expect(try row.decode(column: "client", as: String.self) == "harbor")
            let batch = try #require(
                try await database.sql.raw("SELECT format, imported, rejected FROM import_batches").first())
            #expect(try batch.decode(column: "format", as: String.self) == "recoup")
            #expect(try batch.decode(column: "imported", as: Int64.self) == 1)
            #expect(try batch.decode(column: "rejected", as: Int64.self) == 0)
        }
    }
}
