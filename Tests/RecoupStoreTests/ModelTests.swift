import FluentKit
import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import Testing

@Suite("Fluent models read what the bulk paths wrote")
struct ModelTests {
    @Test("a consumer debt with its debtor, contact points and import batch", arguments: TestStore.available)
    func modelsMapRows(store: TestStore) async throws {
        let file = try TestFiles.temporary(
            """
            debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,itemization_on,principal,phones,address_state,time_zones
            R-9,P-9,consumer,Pat Rivera,2026-01-05,2026-02-04,2026-02-04,99.99,+16175550100:mobile,MA,America/New_York;America/Chicago

            """)
        try await withStore(store) { database in
            _ = try await Importer.run(
                ImportRequest(path: file, format: .recoup, clientRef: "harbor"), on: database.db, now: testNow)
            let debt = try #require(
                try await DebtModel.query(on: database.db).filter(\.$ref == "R-9").with(\.$debtor).with(\.$client).first())
            #expect(debt.dueDate == (try LocalDate(iso: "2026-02-04")))
            #expect(debt.itemizationDate == (try LocalDate(iso: "2026-02-04")))
            #expect(try debt.currency() == .usd)
            #expect(debt.client.ref == "harbor")
            #expect(debt.debtor.kind == .consumer)
            #expect(debt.debtor.timeZones == ["America/New_York", "America/Chicago"])
            let points = try await debt.debtor.$contactPoints.get(on: database.db)
            #expect(points.map(\.kind).sorted() == ["address", "phone"])
            let batch = try #require(try await ImportBatchModel.query(on: database.db).first())
            #expect(batch.imported == 1)
            #expect(batch.format == "recoup")
            // Contact events are append-only rows the compliance engine will read.
            let event = ContactEventModel(
                debtorID: try debt.debtor.requireID(), type: "call", at: testNow, debtIDs: "[\(try debt.requireID())]",
                details: #"{"direction":"outbound","outcome":"voicemail"}"#, recordedBy: "test", createdAt: testNow)
            try await event.save(on: database.db)
            let events = try await debt.debtor.$debts.get(on: database.db)
            #expect(events.count == 1)
            #expect(try await ContactEventModel.query(on: database.db).count() == 1)
        }
    }
}
