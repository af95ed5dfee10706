import Foundation
import RecoupCore
import RecoupTestSupport
import SQLKit
import Testing

@testable import RecoupStore

/// Placements with agencies: the balance at placement read from the ledger as of the placement date, one placement in
/// force per debt (also for two at once), recalls, the run's internal `place`, the lists through a scope, and the
/// placement file in Recoup's import layout. `testNow` is 2026-11-30 00:53 UTC.
@Suite("Placements with agencies in the database")
struct PlacementStoreTests {
    /// F1 has interest and fees and a payment (applied to fees, then interest, then principal); F2 is paid off; F3 is
    /// Pat's second debt; G1 is another debtor's, with a comma and a quote in the name and an address.
    static let file = """
        debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,interest,fees,paid,paid_on,disputed,phones,emails,address_line1,address_city,address_state,address_postal_code,time_zones,itemization_on,original_creditor
        F1,P1,consumer,Pat Doe,2026-06-01,2026-07-01,1000.00,50.00,25.00,30.00,2026-08-01,yes,+16175550100:mobile;+16175550101:home,pat@example.com,,,,,America/New_York,2026-06-15,Old Bank
        F2,P2,consumer,Lee Roe,2026-06-01,2026-07-01,80.00,,,80.00,2026-07-05,no,,,,,,,,,
        F3,P1,consumer,Pat Doe,2026-06-01,2026-07-01,200.00,,,,,no,+16175550100:mobile,pat@example.com,,,,,America/New_York,,
        G1,P3,commercial,"Acme, ""The"" Shop",2026-05-01,2026-06-01,500.00,,10.00,,,no,,,"1 Main St, Suite 2",Boston,MA,02118,,,

        """

    static let utc = TimeZone(identifier: "UTC")!

    static func day(_ text: String) -> LocalDate { try! LocalDate(iso: text) }

    static func prepare(_ database: RecoupDatabase) async throws {
        let summary = try await TestDebts.load(file, on: database.db, now: testNow)
        #expect(summary.imported == 4, "\(summary.errors)")
        _ = try await Importer.run(
            ImportRequest(
                path: try TestFiles.temporary(
                    "debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal\n"
                        + "F1,Q1,consumer,Kim Other,2026-06-01,2026-07-01,60.00\n"),
                format: .recoup, clientRef: "other"),
            on: database.db, now: testNow)
    }

    static func place(
        _ debt: String, agency: String = "acme-collections", on day: String = "2026-11-30", rate: String? = nil,
        client: String = "default", _ database: RecoupDatabase
    ) async throws -> Placement {
        try await PlacementStore.place(
            clientRef: client, debtRef: debt, agency: agency, placedOn: Self.day(day), contingencyPercent: rate,
            by: "cole@example.com", now: testNow, zone: utc, on: database.db)
    }

    @Test(
        "a placement: the balance on its date, the rate as written, one in force, recalled",
        arguments: TestStore.available)
    func placeAndRecall(store: TestStore) async throws {
        try await withStore(store) { database in
            // Setup
            try await Self.prepare(database)

            // Act: F1 placed with a rate; the balance before the payment when placed on a day before it.
            let placement = try await Self.place("F1", rate: "25.50", database)
            let early = try await Self.place("G1", on: "2026-07-01", rate: "0", database)

            // Verify
            #expect(placement.balanceAtPlacement == 104_500 && placement.currency == .usd)
            #expect(placement.contingencyPercent == "25.5" && placement.isInForce && placement.debtorRef == "P1")
            #expect(placement.placedOn == Self.day("2026-11-30") && placement.createdBy == "cole@example.com")
            #expect(early.balanceAtPlacement == 51_000 && early.contingencyPercent == "0")
            #expect(try await TestDebts.count("placements", where: "recalled_on IS NULL", on: database.db) == 2)

            // Placed already: refused with where it is.
            #expect(
                await PauseStoreTests.refusal { _ = try await Self.place("F1", agency: "other-agency", database) }
                    == "debt \"F1\" is already placed with acme-collections since 2026-11-30 (placement "
                    + "\(placement.id)); recall it first")

            // Recall: not before the placement, not after today, with a reason; then the debt can be placed again.
            #expect(
                await PauseStoreTests.refusal {
                    _ = try await PlacementStore.recall(
                        clientRef: "default", debtRef: "F1", recalledOn: Self.day("2026-11-29"), reason: "r", by: nil,
                        now: testNow, zone: Self.utc, on: database.db)
                } == "the recall date 2026-11-29 is before the placement with acme-collections on 2026-11-30")
            #expect(
                await PauseStoreTests.refusal {
                    _ = try await PlacementStore.recall(
                        clientRef: "default", debtRef: "F1", recalledOn: Self.day("2026-12-01"), reason: "r", by: nil,
                        now: testNow, zone: Self.utc, on: database.db)
                } == "the recall date 2026-12-01 is after today (2026-11-30); give today or earlier")
            #expect(
                await PauseStoreTests.refusal {
                    _ = try await PlacementStore.recall(
                        clientRef: "default", debtRef: "F1", recalledOn: Self.day("2026-11-30"), reason: " ", by: nil,
                        now: testNow, zone: Self.utc, on: database.db)
                } == "give a reason for a recall")
            let recalled = try await PlacementStore.recall(
                clientRef: "default", debtRef: "F1", recalledOn: Self.day("2026-11-30"), reason: "the debtor paid us",
                by: "sam@example.com", now: testNow, zone: Self.utc, on: database.db)
            #expect(!recalled.isInForce && recalled.recalledOn == Self.day("2026-11-30"))
            #expect(recalled.recallReason == "the debtor paid us" && recalled.recalledBy == "sam@example.com")
            #expect(
                await PauseStoreTests.refusal {
                    _ = try await PlacementStore.recall(
                        clientRef: "default", debtRef: "F1", recalledOn: Self.day("2026-11-30"), reason: "again",
                        by: nil, now: testNow, zone: Self.utc, on: database.db)
                } == "debt \"F1\" of client \"default\" is not placed with an agency, so there is nothing to recall")
            let again = try await Self.place("F1", agency: "second-agency", database)
            let debtID = placement.debtID
            #expect(
                try await PlacementStore.placements(debtID: debtID, on: database.db).map(\.id) == [
                    again.id, placement.id,
                ])
        }
    }

    @Test("what cannot be placed or recalled is one sentence and stores nothing", arguments: TestStore.available)
    func refusals(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.prepare(database)
            let cases: [(String, String, String, String?, String)] = [
                (
                    "F1", "acme-collections", "2026-11-30", "150",
                    "the contingency rate 150 is above 100 percent; give a number from 0 to 100"
                ),
                (
                    "F1", "acme-collections", "2026-11-30", "100.5",
                    "the contingency rate 100.5 is above 100 percent; give a number from 0 to 100"
                ),
                (
                    "F1", "acme-collections", "2026-11-30", "-5",
                    "the contingency rate \"-5\" is not a percent; give a number from 0 to 100 such as 25 or 33.5"
                ),
                (
                    "F1", "acme-collections", "2026-11-30", "12.34567",
                    "the contingency rate \"12.34567\" is not a percent; give a number from 0 to 100 such as 25 or 33.5"
                ),
                (
                    "F1", "acme collections/x", "2026-11-30", nil,
                    "the agency \"acme collections/x\" is not a name Recoup can use: give 1 to 64 letters, digits, dots, "
                        + "dashes or underscores, such as acme-collections"
                ),
                ("F1", " ", "2026-11-30", nil, "give the agency's name, such as acme-collections"),
                (
                    "F1", "acme-collections", "2026-12-01", nil,
                    "the placement date 2026-12-01 is after today (2026-11-30); give today or earlier"
                ),
                (
                    "F2", "acme-collections", "2026-11-30", nil,
                    "debt \"F2\" owes nothing on 2026-11-30 (balance $0.00), so there is nothing to place"
                ),
                (
                    "F1", "acme-collections", "2026-05-31", nil,
                    "debt \"F1\" owes nothing on 2026-05-31 (balance $0.00), so there is nothing to place"
                ),
                ("NOPE", "acme-collections", "2026-11-30", nil, "client \"default\" has no debt \"NOPE\""),
            ]
            for (debt, agency, day, rate, sentence) in cases {
                let refusal = await PauseStoreTests.refusal {
                    _ = try await Self.place(debt, agency: agency, on: day, rate: rate, database)
                }
                #expect(refusal == sentence, "\(debt) \(agency) \(day) \(rate ?? "-")")
            }
            #expect(
                await PauseStoreTests.refusal { _ = try await Self.place("F1", client: "nobody", database) }
                    == "there is no client \"nobody\"")
            #expect(try await TestDebts.count("placements", on: database.db) == 0)
            // The rates that read: written without trailing zeros.
            #expect(try PlacementStore.checkedContingency("100.0000") == "100")
            #expect(try PlacementStore.checkedContingency("007.50") == "7.5")
            #expect(try PlacementStore.checkedContingency(" ") == nil)
        }
    }

    @Test(
        "the run's place: the id, then nil for a debt already placed or with nothing to place; two people at once get one placement",
        arguments: TestStore.available)
    func internalPlace(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.prepare(database)
            let ids = try await TestDebts.ids(on: database.db)
            let f3 = try #require(ids["F3"])
            let first = try await PaymentStore.serializedTransaction(database.db) { sql in
                try await PlacementStore.place(
                    debtID: f3, agency: "acme-collections", placedOn: Self.day("2026-11-30"), contingencyPercent: "30",
                    actionID: 77, by: "run", now: testNow, sql: sql)
            }
            let second = try await PaymentStore.serializedTransaction(database.db) { sql in
                try await PlacementStore.place(
                    debtID: f3, agency: "acme-collections", placedOn: Self.day("2026-11-30"), contingencyPercent: nil,
                    actionID: 78, by: "run", now: testNow, sql: sql)
            }
            #expect(first != nil && second == nil)
            // Nothing owed (F2, paid off), or only a fee owed: no placement, and the run goes on.
            let f2 = try #require(ids["F2"])
            let paidOff = try await PaymentStore.serializedTransaction(database.db) { sql in
                try await PlacementStore.place(
                    debtID: f2, agency: "acme-collections", placedOn: Self.day("2026-11-30"), contingencyPercent: nil,
                    actionID: 79, by: "run", now: testNow, sql: sql)
            }
            #expect(paidOff == nil)
            try await PaymentStore.serializedTransaction(database.db) { sql in
                try await PaymentStore.insert(
                    LedgerEntry(
                        kind: .fee, effectiveDate: Self.day("2026-11-01"), amount: 2_500,
                        effect: ComponentAmounts(principal: 0, interest: 0, fees: 2_500), idempotencyKey: "late-fee"),
                    debtID: f2, note: nil, reference: nil, now: testNow, on: sql)
            }
            let feeOnly = try await PaymentStore.serializedTransaction(database.db) { sql in
                try await PlacementStore.place(
                    debtID: f2, agency: "acme-collections", placedOn: Self.day("2026-11-30"), contingencyPercent: nil,
                    actionID: 80, by: "run", now: testNow, sql: sql)
            }
            #expect(feeOnly == nil)
            #expect(
                await PauseStoreTests.refusal { _ = try await Self.place("F2", database) }
                    == "debt \"F2\" owes $25.00 on 2026-11-30 but no principal (interest $0.00, fees $25.00); an "
                    + "agency's placement file needs principal owed, so collect it in house")
            #expect(try await TestDebts.count("placements", where: "debt_id = \(f2)", on: database.db) == 0)
            let stored = try #require(try await PlacementStore.placements(debtID: f3, on: database.db).first)
            #expect(stored.actionID == 77 && stored.balanceAtPlacement == 20_000 && stored.contingencyPercent == "30")

            // Two people place G1 at the same moment: one placement, the other told it is placed.
            let outcomes = await withTaskGroup(of: String.self) { group in
                for agency in ["first-agency", "second-agency"] {
                    group.addTask {
                        do {
                            _ = try await Self.place("G1", agency: agency, database)
                            return "placed"
                        } catch {
                            return "\(error)"
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == "placed" }.count == 1, "\(outcomes)")
            #expect(outcomes.contains { $0.hasPrefix("debt \"G1\" is already placed with ") }, "\(outcomes)")
            #expect(try await TestDebts.count("placements", where: "recalled_on IS NULL", on: database.db) == 2)
        }
    }

    @Test("the lists: through the scope, by agency, in force only", arguments: TestStore.available)
    func lists(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.prepare(database)
            let f1 = try await Self.place("F1", on: "2026-11-01", database)
            let g1 = try await Self.place("G1", agency: "other-agency", database)
            let other = try await Self.place("F1", client: "other", database)
            _ = try await PlacementStore.recall(
                clientRef: "default", debtRef: "G1", recalledOn: Self.day("2026-11-30"), reason: "r", by: nil,
                now: testNow, zone: Self.utc, on: database.db)
            let ids = { (placements: [Placement]) in placements.map(\.id) }
            #expect(ids(try await PlacementStore.list(scope: .all, on: database.db)) == [other.id, g1.id, f1.id])
            #expect(
                ids(try await PlacementStore.list(scope: .all, clientRef: "default", on: database.db)) == [
                    g1.id, f1.id,
                ])
            #expect(
                ids(try await PlacementStore.list(scope: .all, agency: "acme-collections", on: database.db))
                    == [other.id, f1.id])
            #expect(
                ids(
                    try await PlacementStore.list(scope: .all, clientRef: "default", inForceOnly: true, on: database.db)
                )
                    == [f1.id])
            let otherScope = try await ClientDirectory.scope(clientRef: "other", on: database.db)
            #expect(ids(try await PlacementStore.list(scope: otherScope, on: database.db)) == [other.id])
            #expect(
                await PauseStoreTests.refusal {
                    _ = try await PlacementStore.list(scope: otherScope, clientRef: "default", on: database.db)
                } == "there is no client \"default\"")
        }
    }

    @Test(
        "the placement file: the day's placements of one client with one agency, in the recoup layout",
        arguments: TestStore.available)
    func placementFile(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.prepare(database)
            _ = try await Self.place("F1", rate: "25", database)
            _ = try await Self.place("G1", database)
            _ = try await Self.place("F3", database)
            _ = try await Self.place("F1", client: "other", database)
            _ = try await PlacementStore.recall(
                clientRef: "default", debtRef: "F3", recalledOn: Self.day("2026-11-30"), reason: "mistake", by: nil,
                now: testNow, zone: Self.utc, on: database.db)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "placements-\(UUID().uuidString)/nested")

            let url = try await PlacementFile.write(
                agency: "acme-collections", clientRef: "default", placedOn: Self.day("2026-11-30"),
                directory: directory, on: database.db)

            #expect(url.lastPathComponent == "acme-collections-default-2026-11-30.csv")
            let text = try String(contentsOf: url, encoding: .utf8)
            #expect(
                text == """
                    \(PlacementFile.columns.joined(separator: ","))
                    F1,P1,consumer,Pat Doe,2026-06-01,2026-07-01,1000.00,45.00,0.00,USD,2026-06-15,Old Bank,yes,+16175550100:mobile;+16175550101:home,pat@example.com,,,,,,,America/New_York
                    G1,P3,commercial,"Acme, ""The"" Shop",2026-05-01,2026-06-01,500.00,0.00,10.00,USD,,,no,,,home,"1 Main St, Suite 2",Boston,MA,02118,US,

                    """)
            // The file reads back as the layout: every row a debt, nothing rejected.
            let layout = try RecoupLayout(header: PlacementFile.columns, defaultCurrency: .usd)
            let records = try CSVParser.parse(text)
            #expect(records.count == 3 && records[0].fields == PlacementFile.columns)
            for record in records.dropFirst() { _ = try layout.record(fields: record.fields, line: record.line) }
            #expect(
                try await TestDebts.count("placements", where: "file_path = '\(url.path)'", on: database.db) == 2)
            // One file per client for the run.
            let all = try await PlacementFile.writeFiles(
                agency: "acme-collections", placedOn: Self.day("2026-11-30"), directory: directory, on: database.db)
            #expect(
                all.map(\.lastPathComponent) == [
                    "acme-collections-default-2026-11-30.csv", "acme-collections-other-2026-11-30.csv",
                ])
            #expect(
                await PauseStoreTests.refusal {
                    _ = try await PlacementFile.write(
                        agency: "nobody", clientRef: "default", placedOn: Self.day("2026-11-30"), directory: directory,
                        on: database.db)
                } == "no debt of client \"default\" is placed with nobody on 2026-11-30")
            #expect(
                PlacementFile.fileName(agency: "a", clientRef: "x/y z", clientID: 7, day: Self.day("2026-11-30"))
                    == "a-x_y_z-7-2026-11-30.csv")
            try? FileManager.default.removeItem(at: directory.deletingLastPathComponent())
        }
    }
}
