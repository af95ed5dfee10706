import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import Testing

@Suite("Import errors and idempotency")
struct ImportValidationTests {
    static let header = IBMAccountsReceivableLayout.header.joined(separator: ",")

    @Test(
        "good rows import; a negative amount and an impossible date are reported by line",
        arguments: TestStore.available)
    func badRowsReportedByLine(store: TestStore) async throws {
        let file = try TestFiles.temporary(
            """
            \(Self.header)
            391,0379-NEVHP,4/6/2013,0000611365,1/2/2013,2/1/2013,55.94,No,1/15/2013,Paper,13,0
            406,8976-AMJEO,3/3/2012,0007900770,1/26/2013,2/25/2013,-61.74,Yes,3/3/2013,Electronic,36,6
            391,2820-XGXSB,1/26/2012,0009231909,2/30/2013,8/2/2013,65.88,No,7/8/2013,Electronic,5,0

            """)
        try await withStore(store) { database in
            let summary = try await Importer.run(
                ImportRequest(path: file, format: .ibmAR), on: database.db, now: testNow)
            #expect(summary.imported == 1)
            #expect(summary.rejected == 2)
            #expect(summary.errors.map(\.line) == [3, 4])
            #expect(summary.errors[0].message.contains("InvoiceAmount"))
            #expect(summary.errors[1].message.contains("InvoiceDate"))
            #expect(summary.errors[1].message.contains("February 2013 has 28 days"))
        }
    }

    @Test("--all-or-nothing refuses the whole file when one row is bad", arguments: TestStore.available)
    func allOrNothing(store: TestStore) async throws {
        let file = try TestFiles.temporary(
            """
            \(Self.header)
            391,0379-NEVHP,4/6/2013,0000611365,1/2/2013,2/1/2013,55.94,No,1/15/2013,Paper,13,0
            406,8976-AMJEO,3/3/2012,0007900770,1/26/2013,2/25/2013,abc,Yes,3/3/2013,Electronic,36,6

            """)
        try await withStore(store) { database in
            await #expect(throws: AllOrNothingRefusal.self) {
                try await Importer.run(
                    ImportRequest(path: file, format: .ibmAR, allOrNothing: true), on: database.db, now: testNow)
            }
            let count = try await database.sql.raw("SELECT COUNT(*) AS n FROM debts").first()
            #expect(try count?.decode(column: "n", as: Int.self) == 0)
        }
    }

    @Test("a wrong header refuses the file and keeps what was stored", arguments: TestStore.available)
    func wrongHeaderKeepsData(store: TestStore) async throws {
        let good = try TestFiles.temporary(
            "\(Self.header)\n391,0379-NEVHP,4/6/2013,0000611365,1/2/2013,2/1/2013,55.94,No,,Paper,,\n")
        let wrong = try TestFiles.temporary(
            Self.header.replacingOccurrences(of: "InvoiceAmount", with: "Amount")
                + "\n391,0379-NEVHP,4/6/2013,0000611366,1/2/2013,2/1/2013,55.94,No,,Paper,,\n")
        try await withStore(store) { database in
            _ = try await Importer.run(ImportRequest(path: good, format: .ibmAR), on: database.db, now: testNow)
            do {
                _ = try await Importer.run(ImportRequest(path: wrong, format: .ibmAR), on: database.db, now: testNow)
                Issue.record("a wrong header was accepted")
            } catch let error as ImportFileError {
                #expect(error.description.contains("column 7 should be \"InvoiceAmount\", found \"Amount\""))
            }
            let refs = try await database.sql.raw("SELECT ref FROM debts").all().map {
                try $0.decode(column: "ref", as: String.self)
            }
            #expect(refs == ["0000611365"])
        }
    }

    @Test("a later settlement updates a known debt; a changed amount is refused", arguments: TestStore.available)
    func reimportWithChanges(store: TestStore) async throws {
        let open = try TestFiles.temporary(
            "\(Self.header)\n391,C1,4/6/2013,A1,1/2/2013,2/1/2013,55.94,No,,Paper,,\n391,C1,4/6/2013,A2,1/2/2013,2/1/2013,10.00,No,,Paper,,\n"
        )
        let later = try TestFiles.temporary(
            "\(Self.header)\n391,C1,4/6/2013,A1,1/2/2013,2/1/2013,55.94,No,3/1/2013,Paper,58,28\n391,C1,4/6/2013,A2,1/2/2013,2/1/2013,12.00,No,,Paper,,\n"
        )
        try await withStore(store) { database in
            let first = try await Importer.run(ImportRequest(path: open, format: .ibmAR), on: database.db, now: testNow)
            let second = try await Importer.run(
                ImportRequest(path: later, format: .ibmAR), on: database.db, now: testNow)
            #expect(first.imported == 2)
            #expect(second.imported == 0)
            #expect(second.updated == 1)
            #expect(second.rejected == 1)
            #expect(second.errors.first?.line == 3)
            #expect(second.errors.first?.message.contains("already exists with principal 10.00 USD") == true)
            let aging = try await AgingQuery.report(asOf: try LocalDate(iso: "2013-03-31"), on: database.sql)
            #expect(aging.total.count == 1)
            #expect(aging.total.amount == 1000)
        }
    }

    @Test("a missing file and an empty file are clear errors", arguments: TestStore.available)
    func missingAndEmptyFiles(store: TestStore) async throws {
        let empty = try TestFiles.temporary("")
        try await withStore(store) { database in
            await #expect(throws: CSVError.cannotRead(path: "/nonexistent/x.csv", reason: "no such file")) {
                try await Importer.run(
                    ImportRequest(path: "/nonexistent/x.csv", format: .ibmAR), on: database.db, now: testNow)
            }
            await #expect(throws: ImportFileError.emptyFile) {
                try await Importer.run(ImportRequest(path: empty, format: .ibmAR), on: database.db, now: testNow)
            }
        }
    }

    @Test(
        "the recoup layout stores consumer debtors with contact points and split balances",
        arguments: TestStore.available)
    func recoupLayout(store: TestStore) async throws {
        let file = try TestFiles.temporary(
            """
            debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,interest,fees,paid,paid_on,phones,emails,address_state,address_postal_code,time_zones
            R-1,P-1,consumer,"Rivera, Pat",2026-01-05,2026-02-04,1000.00,12.50,25.00,100.00,2026-03-01,+16175550100:mobile;+16175550101:home,pat@example.com,MA,02118,America/New_York
            R-2,P-1,consumer,"Rivera, Pat",2026-02-05,2026-03-04,200.00,,,,,+16175550100:mobile,pat@example.com,MA,02118,
            R-3,P-2,consumer,Sam Lee,2026-02-05,2026-03-04,200.00,,,,,0617555,,,,

            """)
        try await withStore(store) { database in
            let summary = try await Importer.run(
                ImportRequest(path: file, format: .recoup), on: database.db, now: testNow)
            // Line 4's phone cannot be read: the debt is imported without it and the summary warns.
            #expect(summary.imported == 3)
            #expect(summary.errors.isEmpty)
            #expect(summary.warnings.map(\.line) == [4])
            #expect(summary.warnings.first?.field == "phones")
            let points = try await database.sql.raw(
                "SELECT kind, value, type FROM contact_points ORDER BY kind, value"
            ).all().map {
                "\(try $0.decode(column: "kind", as: String.self)) \(try $0.decode(column: "value", as: String.self)) \(try $0.decode(column: "type", as: String.self))"
            }
            #expect(
                points == [
                    "address  home", "email pat@example.com other", "phone +16175550100 mobile",
                    "phone +16175550101 home",
                ])
            let aging = try await AgingQuery.report(asOf: try LocalDate(iso: "2026-03-15"), on: database.sql)
            // R-1: 1037.50 charged, 100.00 paid (fees, then interest, then principal) → 937.50; R-2 and R-3: 200.00.
            #expect(aging.total.amount == 93_750 + 20_000 + 20_000)
            let components = try await database.sql.raw(
                "SELECT CAST(SUM(principal) AS BIGINT) AS p, CAST(SUM(interest) AS BIGINT) AS i, CAST(SUM(fees) AS BIGINT) AS f FROM ledger_entries e JOIN debts d ON d.id = e.debt_id WHERE d.ref = 'R-1'"
            ).first()
            #expect(try components?.decode(column: "p", as: Int64.self) == 100_000 - 6_250)
            #expect(try components?.decode(column: "i", as: Int64.self) == 0)
            #expect(try components?.decode(column: "f", as: Int64.self) == 0)
        }
    }

    @Test("the demo portfolio loads deterministically and only once", arguments: TestStore.available)
    func demoLoader(store: TestStore) async throws {
        try await withStore(store) { database in
            let today = try LocalDate(iso: "2026-11-29")
            #expect(try await DemoLoader.isEmpty(database.sql))
            let first = try await DemoLoader.load(accounts: 120, seed: 7, today: today, on: database.db, now: testNow)
            let second = try await DemoLoader.load(accounts: 120, seed: 7, today: today, on: database.db, now: testNow)
            #expect(first.imported == 120)
            #expect(first.clients == 4)
            #expect(second.imported == 0)
            let report = try await AgingQuery.report(asOf: today, on: database.sql)
            #expect(report.buckets.filter { $0.count > 0 }.count >= 4)
            let kinds = try await database.sql.raw("SELECT DISTINCT kind FROM debtors ORDER BY kind").all().map {
                try $0.decode(column: "kind", as: String.self)
            }
            #expect(kinds == ["commercial", "consumer"])
            // The demo debtors' stories give every segment, and the second load told them no second time.
            let segments = try await database.sql.raw(
                "SELECT segment, COUNT(*) AS n FROM debt_segments GROUP BY segment"
            ).all()
                .reduce(into: [String: Int]()) { counts, row in
                    counts[try row.decode(column: "segment", as: String.self)] = try row.decode(
                        column: "n", as: Int.self)
                }
            #expect(Set(segments.keys) == ["hardship", "avoider", "new", "disputed", "unreachable"])
            #expect(segments.values.reduce(0, +) == 120)
            let events = try await database.sql.raw("SELECT COUNT(*) AS n FROM contact_events").first()!.decode(
                column: "n", as: Int.self)
            let stories = DemoPortfolio.generate(accounts: 120, seed: 7, today: today).stories(seed: 7, today: today)
            #expect(
                events
                    == stories.reduce(0) { total, story in
                        total + story.steps.filter { if case .call = $0 { true } else { false } }.count
                    })
        }
    }
}
