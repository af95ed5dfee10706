import Foundation
import RecoupCore
import RecoupTestSupport
import SQLKit
import Testing

@testable import RecoupStore

/// The agency's money (issue 16): contracts, placements priced by age and balance, payments into trust and direct,
/// remittance statements exact to the cent under net and gross, claw-backs of reversed remitted payments, the
/// free-demand window, release dates, and the trust check. `testNow` is 2026-11-30 00:53 UTC; every day used is
/// before it.
@Suite("Agency trust accounting and remittance")
struct AgencyTrustTests {
    static func day(_ text: String) -> LocalDate { try! LocalDate(iso: text) }

    /// A-1 is 61 days past due on 2026-08-01 (the 25% tier), B-1 212 days (35%), C-1 31 days with a balance of
    /// 2,500.00 (above the balance limit of the first tier in `tieredByBalance`).
    static let placementFile = """
        debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,phones
        A-1,D1,consumer,Ann Able,2026-05-01,2026-06-01,1000.00,(617) 555-0101
        B-1,D2,consumer,Bob Baker,2025-12-01,2026-01-01,800.00,(617) 555-0102
        C-1,D3,consumer,Cy Cole,2026-06-01,2026-07-01,2500.00,(617) 555-0103

        """

    static func contract(
        _ method: RemittanceMethod, direct: Bool = true, free: FreeDemand? = nil, holdDays: Int = 0
    ) throws -> AgencyContract {
        try AgencyContract(
            remittance: method, directPaymentCommission: direct,
            rates: [
                RateTier(upToDaysAtPlacement: 180, rate: try CommissionRate(percent: "25")),
                RateTier(rate: try CommissionRate(percent: "35")),
            ], freeDemand: free, holdDays: holdDays)
    }

    /// The contract saved and the file placed on 2026-08-01 for `client`.
    static func placed(
        _ contract: AgencyContract, client: String = "acme", file: String = placementFile,
        on day: String = "2026-08-01",
        _ database: RecoupDatabase
    ) async throws -> PlacementAcknowledgement {
        _ = try await AgencyStore.save(
            contract, clientRef: client, by: "admin@example.com", now: testNow, on: database.db)
        return try await PlacementIntake.importFile(
            PlacementImportRequest(path: try TestFiles.temporary(file), clientRef: client, placedOn: Self.day(day)),
            now: testNow, on: database.db)
    }

    static func pay(
        _ debt: String, _ amount: String, on day: String, key: String, by receiver: PaymentReceiver = .agency,
        releaseOn: String? = nil, client: String = "acme", _ database: RecoupDatabase
    ) async throws {
        _ = try await PaymentStore.post(
            PaymentRequest(
                clientRef: client, debtRef: debt,
                action: .pay(amount: .text(amount, field: "amount"), on: Self.day(day)),
                idempotencyKey: key, receivedBy: receiver, releaseOn: releaseOn.map(Self.day)),
            on: database.db, now: testNow)
    }

    static func reverse(
        _ debt: String, payment: String, on day: String, key: String, client: String = "acme",
        _ database: RecoupDatabase
    ) async throws {
        _ = try await PaymentStore.post(
            PaymentRequest(
                clientRef: client, debtRef: debt,
                action: .reverse(paymentKey: payment, on: Self.day(day), reason: "nsf"),
                idempotencyKey: key),
            on: database.db, now: testNow)
    }

    static func close(
        through day: String, client: String = "acme", _ database: RecoupDatabase
    ) async throws -> (statement: RemittanceStatement, created: Bool) {
        try await TrustStore.close(
            clientRef: client, through: Self.day(day), by: "admin@example.com", now: testNow, on: database.db)
    }

    /// The statement's figures as decimal strings, in the contract's order.
    static func figures(_ statement: RemittanceStatement) -> [String] {
        let f = statement.figures
        return [
            f.collected, f.commission, f.directPayments, f.commissionOnDirect, f.reversalsAfterRemittance,
            f.commissionReturned, f.dueToClient, f.dueToAgency,
        ].map { Money.decimalString(minorUnits: $0, currency: .usd) }
    }

    /// The trust check of `client` reconciles.
    static func reconciles(_ database: RecoupDatabase, client: String = "acme") async throws -> TrustCheck {
        let checks = try await TrustStore.check(clientRef: client, on: database.db)
        #expect(checks.count == 1)
        #expect(checks.first?.difference == nil, "\(checks)")
        return checks[0]
    }

    @Test(
        "net, tiered: two statements exact to the cent, a second close creates nothing, an NSF clawed back",
        arguments: TestStore.available)
    func netScenario(store: TestStore) async throws {
        try await withStore(store) { database in
            // Setup: placements at two ages price at 25% and 35%.
            let acknowledgement = try await Self.placed(try Self.contract(.net), database)
            #expect(acknowledgement.accepted.map(\.debtRef) == ["A-1", "B-1", "C-1"])
            #expect(acknowledgement.accepted.map(\.rate.percentText) == ["25", "35", "25"])
            #expect(acknowledgement.accepted.map(\.daysAtPlacement) == [61, 212, 31])
            #expect(acknowledgement.rejected.isEmpty)

            // Act 1: 400.00 at 25% and 100.00 at 35% to the agency; 200.00 paid to the client directly (25%).
            try await Self.pay("A-1", "400.00", on: "2026-08-10", key: "p1", database)
            try await Self.pay("B-1", "100.00", on: "2026-08-12", key: "p2", database)
            try await Self.pay("A-1", "200.00", on: "2026-08-20", key: "p3", by: .client, database)
            var check = try await Self.reconciles(database)
            #expect(check.held == 50_000)
            let first = try await Self.close(through: "2026-08-31", database)

            // Verify 1: the issue's example figures.
            #expect(first.created && first.statement.lines == 3 && first.statement.method == .net)
            #expect(
                Self.figures(first.statement)
                    == ["500.00", "135.00", "200.00", "50.00", "0.00", "0.00", "315.00", "0.00"])
            check = try await Self.reconciles(database)
            #expect(check.held == 0)
            // The same day again: nothing new, the same statement.
            let again = try await Self.close(through: "2026-08-31", database)
            #expect(!again.created && again.statement == first.statement)
            #expect(try await TestDebts.count("remittance_statements", on: database.db) == 1)

            // Act 2: the 400.00 check bounces after it was remitted; a new 200.00 at 35%.
            try await Self.reverse("A-1", payment: "p1", on: "2026-09-05", key: "r1", database)
            check = try await Self.reconciles(database)
            #expect(check.held == -40_000 && check.owedByClient == 40_000)
            try await Self.pay("B-1", "200.00", on: "2026-09-10", key: "p4", database)
            let second = try await Self.close(through: "2026-09-30", database)

            // Verify 2: collected 200.00 at 35% = 70.00; the 400.00 clawed back with its 100.00 commission returned:
            // 200 − 70 − 400 + 100 = −170.00, due to the agency.
            #expect(
                Self.figures(second.statement)
                    == ["200.00", "70.00", "0.00", "0.00", "400.00", "100.00", "0.00", "170.00"])
            #expect(second.statement.figures.clawback == 17_000)
            check = try await Self.reconciles(database)
            #expect(check.held == -17_000 && check.owedByClient == 17_000)

            // The lines of the second statement, in date order.
            let lines = try await TrustStore.lines(statementID: second.statement.id, scope: .all, on: database.db)
            #expect(lines.map(\.debtRef) == ["A-1", "B-1"])
            #expect(lines.map(\.afterRemittance) == [true, false])
            #expect(lines.map(\.commission) == [10_000, 7_000])

            // A day before the latest statement is refused with the latest day.
            let refusal = await PauseStoreTests.refusal { _ = try await Self.close(through: "2026-09-15", database) }
            #expect(refusal?.contains("closed through 2026-09-30") == true)
        }
    }

    @Test("gross: everything collected remitted, the commission invoiced", arguments: TestStore.available)
    func grossMethod(store: TestStore) async throws {
        try await withStore(store) { database in
            _ = try await Self.placed(try Self.contract(.gross), database)
            try await Self.pay("A-1", "400.00", on: "2026-08-10", key: "p1", database)
            try await Self.pay("B-1", "100.00", on: "2026-08-12", key: "p2", database)
            try await Self.pay("A-1", "200.00", on: "2026-08-20", key: "p3", by: .client, database)
            let first = try await Self.close(through: "2026-08-31", database)
            // dueToClient = collected − reversals after remittance; dueToAgency = commission + commission on direct.
            #expect(
                Self.figures(first.statement)
                    == ["500.00", "135.00", "200.00", "50.00", "0.00", "0.00", "500.00", "185.00"])
            #expect(first.statement.figures.remitted == 50_000 && first.statement.figures.commissionTaken == 0)
            #expect(try await Self.reconciles(database).held == 0)

            try await Self.reverse("A-1", payment: "p1", on: "2026-09-05", key: "r1", database)
            try await Self.pay("B-1", "600.00", on: "2026-09-10", key: "p4", database)
            let second = try await Self.close(through: "2026-09-30", database)
            // 600 − 400 remitted; commission 210.00 − 100.00 returned invoiced.
            #expect(
                Self.figures(second.statement)
                    == ["600.00", "210.00", "0.00", "0.00", "400.00", "100.00", "200.00", "110.00"])
            #expect(try await Self.reconciles(database).held == 0)
        }
    }

    @Test("the free-demand window: no commission for its days, the tier's rate after", arguments: TestStore.available)
    func freeDemand(store: TestStore) async throws {
        try await withStore(store) { database in
            let free = FreeDemand(days: 30, rate: .zero)
            _ = try await Self.placed(try Self.contract(.net, free: free), database)
            // Placed 2026-08-01: its 30 days run through 2026-08-30.
            try await Self.pay("A-1", "100.00", on: "2026-08-30", key: "inside", database)
            try await Self.pay("A-1", "100.00", on: "2026-08-31", key: "after", database)
            let statement = try await Self.close(through: "2026-08-31", database).statement
            #expect(Self.figures(statement)[0...1] == ["200.00", "25.00"])
            let lines = try await TrustStore.lines(statementID: statement.id, scope: .all, on: database.db)
            #expect(lines.map(\.rate.percentText) == ["0", "25"])
        }
    }

    @Test(
        "release dates: a payment waits in trust until it clears; one reversed before clearing nets out",
        arguments: TestStore.available)
    func releaseDates(store: TestStore) async throws {
        try await withStore(store) { database in
            _ = try await Self.placed(try Self.contract(.net, holdDays: 10), database)
            // The contract holds payments 10 days; one names its own release date.
            try await Self.pay("A-1", "100.00", on: "2026-08-10", key: "held10", database)  // clears 08-20
            try await Self.pay("A-1", "100.00", on: "2026-08-25", key: "late", database)  // clears 09-04
            try await Self.pay("B-1", "100.00", on: "2026-08-12", key: "named", releaseOn: "2026-09-15", database)
            try await Self.pay("B-1", "50.00", on: "2026-08-14", key: "bounced", database)  // clears 08-24
            try await Self.reverse("B-1", payment: "bounced", on: "2026-08-16", key: "r-bounced", database)

            let august = try await Self.close(through: "2026-08-31", database).statement
            // held10 (25.00 commission) and the bounced pair, netted: 100.00 collected.
            #expect(Self.figures(august)[0...1] == ["100.00", "25.00"] && august.lines == 3)
            #expect(try await Self.reconciles(database).held == 20_000)

            let september = try await Self.close(through: "2026-09-30", database).statement
            // late (25%) and named (35%).
            #expect(Self.figures(september)[0...1] == ["200.00", "60.00"])
            #expect(try await Self.reconciles(database).held == 0)
        }
    }

    @Test(
        "placements: acknowledged with reasons, recalled and returned, placed again; the run leaves returned ones",
        arguments: TestStore.available)
    func placementsAcknowledgedAndRecalled(store: TestStore) async throws {
        try await withStore(store) { database in
            // Setup: D1 is a known debtor with a bankruptcy on record.
            _ = try await Self.placed(try Self.contract(.net), database)
            let debtorID = try await database.sql.raw("SELECT id FROM debtors WHERE ref = 'D1'").first()!.decode(
                column: "id", as: Int64.self)
            _ = try await ContactStore.record(
                ContactLogEntry(ContactEvent(.bankruptcy, at: testNow.addingTimeInterval(-86_400))), debtorID: debtorID,
                recordedBy: "cole@example.com", on: database.db, now: testNow)
            let file = """
                debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,paid,paid_on
                N-1,D5,consumer,Nia New,2026-06-01,2026-07-01,300.00,,
                A-1,D1,consumer,Ann Able,2026-05-01,2026-06-01,1000.00,,
                N-2,D1,consumer,Ann Able,2026-06-01,2026-07-01,90.00,,
                P-1,D6,consumer,Pam Paid,2026-06-01,2026-07-01,75.00,75.00,2026-07-15
                N-1,D5,consumer,Nia New,2026-06-01,2026-07-01,300.00,,
                X-1,D7,consumer,,2026-06-01,2026-07-01,10.00,,

                """

            // Act
            let acknowledgement = try await PlacementIntake.importFile(
                PlacementImportRequest(
                    path: try TestFiles.temporary(file), clientRef: "acme", placedOn: Self.day("2026-09-01")),
                now: testNow, on: database.db)

            // Verify: one accepted; each refusal with its reason, in line order.
            #expect(acknowledgement.accepted.map(\.debtRef) == ["N-1"])
            #expect(acknowledgement.rejected.map(\.line) == [3, 4, 5, 6, 7])
            #expect(acknowledgement.rejected.map(\.debtRef) == ["A-1", "N-2", "P-1", "N-1", "X-1"])
            let reasons = acknowledgement.rejected.map(\.reason)
            #expect(reasons[0] == "the account is already placed (since 2026-08-01) and still open")
            #expect(reasons[1].contains("bankruptcy") && reasons[2].contains("already paid"))
            #expect(reasons[3].contains("twice") && reasons[4].contains("debtor_name"))
            // Stored: the acknowledgement reads back the same; the refused accounts were not stored as debts.
            let stored = try await PlacementIntake.acknowledgement(
                batchID: acknowledgement.batchID, scope: .all, on: database.db)
            #expect(stored?.accepted == acknowledgement.accepted && stored?.rejected == acknowledgement.rejected)
            #expect(try await TestDebts.count("debts", where: "ref IN ('N-2', 'P-1', 'X-1')", on: database.db) == 0)
            // Another client's user cannot read it.
            let other = try await ClientQueries.ensureClient(ref: "other", on: database.sql, now: testNow)
            #expect(
                try await PlacementIntake.acknowledgement(
                    batchID: acknowledgement.batchID, scope: .client(id: other, ref: "other"), on: database.db) == nil)

            // Recall by the client: closed with its code; payments after it earn nothing.
            let recalled = try await PlacementIntake.close(
                clientRef: "acme", debtRef: "B-1", reason: .recalled, note: "client asked", on: Self.day("2026-09-10"),
                by: "client@acme.example", now: testNow, on: database.db)
            #expect(recalled.closedOn == Self.day("2026-09-10") && recalled.closeReason == .recalled)
            try await Self.pay("B-1", "100.00", on: "2026-09-20", key: "after-recall", database)
            let lines = try await TrustStore.lines(
                statementID: try await Self.close(through: "2026-09-30", database).statement.id, scope: .all,
                on: database.db)
            #expect(lines.map(\.commission) == [0])
            let returned = try await PlacementIntake.placements(
                clientRef: "acme", scope: .all, closedFrom: Self.day("2026-09-10"),
                closedThrough: Self.day("2026-09-10"), on: database.db)
            #expect(returned.map(\.debtRef) == ["B-1"] && returned[0].closeNote == "client asked")
            // Closing again is refused; placing it again is accepted.
            #expect(
                await PauseStoreTests.refusal {
                    _ = try await PlacementIntake.close(
                        clientRef: "acme", debtRef: "B-1", reason: .uncollectible, note: nil,
                        on: Self.day("2026-09-11"), by: nil, now: testNow, on: database.db)
                } == "B-1 is not placed with the agency (no open placement to close)")
            let again = try await PlacementIntake.importFile(
                PlacementImportRequest(
                    path: try TestFiles.temporary(
                        "debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal\n"
                            + "B-1,D2,consumer,Bob Baker,2025-12-01,2026-01-01,800.00\n"),
                    clientRef: "acme", placedOn: Self.day("2026-10-01")),
                now: testNow, on: database.db)
            #expect(again.accepted.map(\.debtRef) == ["B-1"] && again.accepted[0].balance == 70_000)

            // The run: a returned account is left alone (C-1 closed as uncollectible), an open one is worked.
            _ = try await PlacementIntake.close(
                clientRef: "acme", debtRef: "C-1", reason: .uncollectible, note: nil, on: Self.day("2026-10-01"),
                by: nil, now: testNow, on: database.db)
            let summary = try await RunStore.run(
                RunStoreTests.request(Self.day("2026-11-29"), dryRun: true), on: database.db, now: testNow)
            #expect(summary.counts["paused"]?["returned"] == 1, "\(summary.counts)")
        }
    }

    @Test(
        "a placement file without a contract, or with a wrong header, is refused whole", arguments: TestStore.available)
    func refusedFiles(store: TestStore) async throws {
        try await withStore(store) { database in
            _ = try await ClientQueries.ensureClient(ref: "acme", on: database.sql, now: testNow)
            let request = PlacementImportRequest(
                path: try TestFiles.temporary(Self.placementFile), clientRef: "acme", placedOn: Self.day("2026-08-01"))
            let noContract = await PauseStoreTests.refusal {
                _ = try await PlacementIntake.importFile(request, now: testNow, on: database.db)
            }
            #expect(noContract?.hasPrefix("acme has no agency contract") == true)
            _ = try await AgencyStore.save(
                try Self.contract(.net), clientRef: "acme", by: nil, now: testNow, on: database.db)
            await #expect(throws: ImportFileError.self) {
                _ = try await PlacementIntake.importFile(
                    PlacementImportRequest(
                        path: try TestFiles.temporary("debt,who\nA,B\n"), clientRef: "acme",
                        placedOn: Self.day("2026-08-01")),
                    now: testNow, on: database.db)
            }
            #expect(try await TestDebts.count("debts", on: database.db) == 0)
            #expect(try await TestDebts.count("placement_batches", on: database.db) == 0)
        }
    }

    @Test("the trust check finds a payment missing from trust and a figure changed", arguments: TestStore.available)
    func checkFindsDifferences(store: TestStore) async throws {
        try await withStore(store) { database in
            _ = try await Self.placed(try Self.contract(.net), database)
            try await Self.pay("A-1", "400.00", on: "2026-08-10", key: "p1", database)
            try await Self.pay("B-1", "100.00", on: "2026-08-12", key: "p2", database)
            _ = try await Self.reconciles(database)

            try await database.sql.raw("UPDATE trust_entries SET amount = 39000 WHERE ledger_key = 'p1'").run()
            var checks = try await TrustStore.check(clientRef: "acme", on: database.db)
            #expect(
                checks.first?.difference?.contains("the payment p1 of 400.00 USD to A-1 is not in the trust") == true)

            try await database.sql.raw("UPDATE trust_entries SET amount = 40000 WHERE ledger_key = 'p1'").run()
            _ = try await Self.close(through: "2026-08-31", database)
            try await database.sql.raw("UPDATE trust_entries SET amount = amount - 1 WHERE kind = 'remitted'").run()
            checks = try await TrustStore.check(on: database.db)
            #expect(
                checks.first?.difference
                    == "acme: the trust ledger holds 0.01 USD, but the payments and statements give 0.00 USD")
        }
    }

    @Test("the PDF statement reads back with its figures and one line per payment")
    func pdfStatement() async throws {
        try await withStore(.sqlite) { database in
            _ = try await Self.placed(try Self.contract(.net), database)
            try await Self.pay("A-1", "400.00", on: "2026-08-10", key: "p1", database)
            try await Self.pay("A-1", "200.00", on: "2026-08-20", key: "p3", by: .client, database)
            let statement = try await Self.close(through: "2026-08-31", database).statement
            let lines = try await TrustStore.lines(statementID: statement.id, scope: .all, on: database.db)
            let bytes = RemittanceDocuments.pdf(statement, lines: lines, agency: "Acme Services")
            #expect(bytes.starts(with: Array("%PDF-".utf8)))
            let csv = RemittanceDocuments.csv(statement, lines: lines)
            #expect(
                csv.split(separator: "\n").dropFirst()
                    == [
                        "D1,Ann Able,A-1,2026-08-10,payment,400.00,25,100.00,USD",
                        "D1,Ann Able,A-1,2026-08-20,direct payment,200.00,25,50.00,USD",
                    ])
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("statement-\(UUID()).pdf")
            try Data(bytes).write(to: file)
            guard let text = try PDFTools.text(of: file) else {
                #expect(!PDFTools.required, "pdftotext is required here")
                return
            }
            for expected in [
                "Remittance statement \(statement.id) through 2026-08-31", "Acme Services",
                "Collected by the agency: 400.00 USD", "Commission: 100.00 USD", "Paid to you directly: 200.00 USD",
                "Commission on direct payments: 50.00 USD", "Due to you: 250.00 USD", "Ann Able (D1) A-1",
                "direct payment",
            ] {
                #expect(text.contains(expected), "\(expected) is not in:\n\(text)")
            }
        }
    }
}

extension AgencyTrustTests {
    @Test(
        "a payment file: received_by client records direct payments, a reversal in the same file nets its payment",
        arguments: TestStore.available)
    func paymentFile(store: TestStore) async throws {
        try await withStore(store) { database in
            _ = try await Self.placed(try Self.contract(.net), database)
            let file = """
                debt,amount,on,key,received_by,reverses
                A-1,100.00,2026-08-10,f1,agency,
                A-1,40.00,2026-08-11,f2,client,
                B-1,60.00,2026-08-12,f3,,
                B-1,,2026-08-13,f4,,f3
                B-1,5.00,2026-08-14,f5,bank,

                """
            let summary = try await PaymentImporter.run(
                path: try TestFiles.temporary(file), clientRef: "acme", on: database.db, now: testNow)
            #expect(summary.posted == 4 && summary.errors.map(\.line) == [6], "\(summary.errors)")
            #expect(summary.errors.first?.message.contains(#"received_by is "bank""#) == true)
            let statement = try await Self.close(through: "2026-08-31", database).statement
            #expect(Self.figures(statement)[0...3] == ["100.00", "25.00", "40.00", "10.00"])
            #expect(statement.lines == 4)
            #expect(
                try await TestDebts.count("ledger_entries", where: "received_by = 'client'", on: database.db) == 1)
            _ = try await Self.reconciles(database)
        }
    }
}

extension AgencyTrustTests {
    @Test("two closes of the same day at once: one statement, created once", arguments: TestStore.available)
    func concurrentCloses(store: TestStore) async throws {
        try await withStore(store) { database in
            _ = try await Self.placed(try Self.contract(.net), database)
            try await Self.pay("A-1", "400.00", on: "2026-08-10", key: "p1", database)
            async let first = Self.close(through: "2026-08-31", database)
            async let second = Self.close(through: "2026-08-31", database)
            let results = try await [first, second]
            #expect(results.filter(\.created).count == 1)
            #expect(results[0].statement == results[1].statement)
            #expect(try await TestDebts.count("remittance_statements", on: database.db) == 1)
            _ = try await Self.reconciles(database)
        }
    }
}
