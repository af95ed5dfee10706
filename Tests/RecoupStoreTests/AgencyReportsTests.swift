import Foundation
import RecoupCore
import RecoupTestSupport
import SQLKit
import Testing

@testable import RecoupStore

/// The agency reports on the hand-built portfolio of `AgencyReportPortfolio`: every figure worked out by hand.
@Suite("Agency reports: liquidation, recovery, promises kept, collectors")
struct AgencyReportsTests {
    static let day = AgencyReportPortfolio.day

    /// A cohort's cumulative figures as (month since placement, collected, collected by the agency).
    static func steps(_ cohort: LiquidationCohort) -> [[Int64]] {
        cohort.months.map { [Int64($0.monthsSincePlacement), $0.collected, $0.collectedByAgency] }
    }

    @Test(
        "liquidation: placed and cumulative collections by month since placement, reversals and direct payments",
        arguments: TestStore.available)
    func liquidation(store: TestStore) async throws {
        try await withStore(store) { database in
            try await AgencyReportPortfolio.load(on: database.db)
            let report = try await AgencyReports.liquidation(asOf: Self.day("2026-12-15"), on: database.sql)
            #expect(report.currency == .usd)
            #expect(report.cohorts.map(\.placementMonth.isoString) == ["2026-09", "2026-10"])
            let september = report.cohorts[0]
            #expect(september.accounts == 2)
            #expect(september.placed == 150_000)
            // Sept: A1 200.00. Oct: A2 50.00 direct (the agency's figure leaves it out; A1's reversal in October
            // undoes a payment from before the placement and does not count). Nov: A2 150.00 and its reversal.
            // Dec: A1 100.00.
            #expect(
                Self.steps(september) == [
                    [0, 20_000, 20_000], [1, 25_000, 20_000], [2, 25_000, 20_000], [3, 35_000, 30_000],
                ])
            #expect(
                september.months.map { Percentage.string($0.collected, of: september.placed) } == [
                    "13.33", "16.67", "16.67", "23.33",
                ])
            let october = report.cohorts[1]
            #expect(october.accounts == 2)
            #expect(october.placed == 50_000)
            // A3 60.00 in October, B1 20.00 in November; A3's 40.00 came after its placement was closed.
            #expect(Self.steps(october) == [[0, 6_000, 6_000], [1, 8_000, 8_000], [2, 8_000, 8_000]])
            #expect(
                october.months.map { Percentage.string($0.collected, of: october.placed) } == [
                    "12.00", "16.00", "16.00",
                ])

            // Earlier: the stair stops at the as-of month, and later placements are not there yet.
            let early = try await AgencyReports.liquidation(asOf: Self.day("2026-09-30"), on: database.sql)
            #expect(early.cohorts.count == 1)
            #expect(Self.steps(early.cohorts[0]) == [[0, 20_000, 20_000]])
        }
    }

    @Test(
        "the reports keep to the client scope: a client sees its own placements only, and never another client's",
        arguments: TestStore.available)
    func scope(store: TestStore) async throws {
        try await withStore(store) { database in
            try await AgencyReportPortfolio.load(on: database.db)
            let asOf = Self.day("2026-12-15")
            let acme = try await AgencyReports.liquidation(asOf: asOf, clientRef: "acme", on: database.sql)
            #expect(acme.cohorts.map(\.placed) == [150_000, 30_000])
            #expect(Self.steps(acme.cohorts[1]) == [[0, 6_000, 6_000], [1, 6_000, 6_000], [2, 6_000, 6_000]])
            let betaID = try #require(try await ClientQueries.clientID(ref: "beta", on: database.sql))
            let beta = ClientScope.client(id: betaID, ref: "beta")
            let own = try await AgencyReports.liquidation(asOf: asOf, scope: beta, on: database.sql)
            #expect(own.cohorts.map(\.placementMonth.isoString) == ["2026-10"])
            #expect(own.cohorts.map(\.placed) == [20_000])
            #expect(Self.steps(own.cohorts[0]) == [[0, 0, 0], [1, 2_000, 2_000], [2, 2_000, 2_000]])
            await #expect(throws: StoreError.unknownClient("acme")) {
                try await AgencyReports.liquidation(asOf: asOf, clientRef: "acme", scope: beta, on: database.sql)
            }
            await #expect(throws: StoreError.unknownClient("nobody")) {
                try await AgencyReports.recovery(asOf: asOf, clientRef: "nobody", on: database.sql)
            }
            let recovery = try await AgencyReports.recovery(asOf: asOf, scope: beta, on: database.sql)
            #expect(recovery.clients.map(\.clientRef) == ["beta"])
            let promises = try await AgencyReports.promises(
                from: Self.day("2026-10-01"), to: Self.day("2026-12-31"), asOf: asOf, scope: beta, on: database.sql)
            #expect(promises.total.made == 1)
            #expect(promises.total.broken == 1)
            let collectors = try await AgencyReports.collectors(
                from: Self.day("2026-11-01"), to: asOf, zone: TimeZone(identifier: "UTC")!, scope: beta,
                on: database.sql)
            #expect(collectors.collectors.map(\.collector) == ["ana@agency.example"])
            #expect(collectors.collectors.first?.attempts == 0)
            #expect(collectors.collectors.first?.conversations == 1)
            #expect(collectors.collectors.first?.collected == 2_000)
        }
    }

    @Test("recovery by client: placed, collected, percent, open and closed accounts", arguments: TestStore.available)
    func recovery(store: TestStore) async throws {
        try await withStore(store) { database in
            try await AgencyReportPortfolio.load(on: database.db)
            let report = try await AgencyReports.recovery(asOf: Self.day("2026-12-15"), on: database.sql)
            #expect(
                report.clients == [
                    ClientRecovery(
                        clientRef: "acme", clientName: "acme", open: 2, closed: 1, placed: 180_000, collected: 41_000,
                        collectedByAgency: 36_000),
                    ClientRecovery(
                        clientRef: "beta", clientName: "beta", open: 1, closed: 0, placed: 20_000, collected: 2_000,
                        collectedByAgency: 2_000),
                ])
            #expect(Percentage.string(41_000, of: 180_000) == "22.78")
            // Before A3 was closed, all three of acme's accounts were open.
            let earlier = try await AgencyReports.recovery(asOf: Self.day("2026-11-15"), on: database.sql)
            #expect(earlier.clients.first?.open == 3)
            #expect(earlier.clients.first?.closed == 0)
        }
    }

    @Test("promises kept: made in the period, judged by the promise list's rule", arguments: TestStore.available)
    func promises(store: TestStore) async throws {
        try await withStore(store) { database in
            try await AgencyReportPortfolio.load(on: database.db)
            let report = try await AgencyReports.promises(
                from: Self.day("2026-10-01"), to: Self.day("2026-12-31"), asOf: Self.day("2026-12-15"),
                on: database.sql)
            #expect(report.months.map { $0.month?.isoString } == ["2026-10", "2026-11", "2026-12"])
            // October: A3's 100.00 with 60.00 paid. November: A2 (paid, reversed only after its due date) and A1
            // kept, B1 broken. December: A3's 20.00 is not due yet.
            #expect(report.months.map(\.made) == [1, 3, 1])
            #expect(report.months.map(\.partiallyKept) == [1, 0, 0])
            #expect(report.months.map(\.kept) == [0, 2, 0])
            #expect(report.months.map(\.broken) == [0, 1, 0])
            #expect(report.months.map(\.pending) == [0, 0, 1])
            let total = report.total
            #expect(total.made == 5)
            #expect(total.decided == 4)
            #expect(total.promised == 42_000)
            #expect(total.paid == 31_000)
            #expect(Percentage.string(Int64(total.kept), of: Int64(total.decided)) == "50.00")
            // The same promises judged on their own list agree, one by one.
            let listed = try await PromiseStore.list(clientRef: "acme", asOf: Self.day("2026-12-15"), on: database.db)
            #expect(listed.filter { $0.outcome.name == "kept" }.count == 2)
        }
    }

    @Test(
        "collectors: attempts, conversations, promises on the day of a conversation, payments within 30 days after",
        arguments: TestStore.available)
    func collectors(store: TestStore) async throws {
        try await withStore(store) { database in
            try await AgencyReportPortfolio.load(on: database.db)
            let report = try await AgencyReports.collectors(
                from: Self.day("2026-11-01"), to: Self.day("2026-12-15"), zone: TimeZone(identifier: "UTC")!,
                on: database.sql)
            var ana = CollectorResult(collector: "ana@agency.example")
            ana.attempts = 2  // the outbound conversation and the busy signal; the inbound call is no attempt
            ana.conversations = 2
            ana.promises = 2  // A2 and B1, both made on 11-01
            ana.collected = 2_000  // B1's 20.00; A2's 150.00 was reversed; A3's debtor was never reached
            var sam = CollectorResult(collector: "sam@agency.example")
            sam.attempts = 2
            sam.conversations = 1
            sam.promises = 1  // A1 on 11-25
            sam.collected = 10_000  // A1's 100.00 on 12-01, six days after the conversation
            #expect(report.collectors == [ana, sam])

            // Thirty days after the conversation a payment is still the collector's; thirty-four days after, not.
            try await AgencyReportPortfolio.pay("beta", "B1", 100, on: "2026-12-01", key: "b1-day-30", database.db)
            try await AgencyReportPortfolio.pay("acme", "A2", 700, on: "2026-12-05", key: "a2-day-34", database.db)
            let december = try await AgencyReports.collectors(
                from: Self.day("2026-12-01"), to: Self.day("2026-12-31"), zone: TimeZone(identifier: "UTC")!,
                on: database.sql)
            #expect(december.collectors.map(\.collector) == ["ana@agency.example", "sam@agency.example"])
            #expect(december.collectors.map(\.collected) == [100, 10_000])
            #expect(december.collectors.map(\.attempts) == [0, 0])
        }
    }

    @Test(
        "the database's month of a day is the calendar's, every day from 1970 to 2099", arguments: TestStore.available)
    func monthArithmetic(store: TestStore) async throws {
        try await withStore(store) { database in
            let last = try LocalDate(iso: "2099-12-31").daysSinceEpoch
            let rows = try await database.sql.raw(
                """
                WITH RECURSIVE days(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM days WHERE x < \(unsafeRaw: String(last))) \
                SELECT x, \(unsafeRaw: AgencyReports.monthIndexSQL("x")) AS m FROM days
                """
            ).all()
            #expect(rows.count == last + 1)
            var wrong: [String] = []
            for row in rows {
                let day = LocalDate(daysSinceEpoch: try row.decode(column: "x", as: Int.self))
                let month = AgencyReports.calendarMonth(sqlIndex: try row.decode(column: "m", as: Int.self))
                if month != CalendarMonth(day) { wrong.append("\(day) → \(month)") }
            }
            #expect(wrong.isEmpty, "\(wrong.prefix(5))")
        }
    }

    @Test("percents in integer arithmetic, rounded half up, two decimals")
    func percentages() {
        #expect(Percentage.string(1, of: 3) == "33.33")
        #expect(Percentage.string(2, of: 3) == "66.67")
        #expect(Percentage.string(1, of: 8) == "12.50")
        #expect(Percentage.string(1, of: 80_000) == "0.00")
        #expect(Percentage.string(1, of: 20_000) == "0.01")  // 0.005 rounds up
        #expect(Percentage.string(3, of: 3) == "100.00")
        #expect(Percentage.string(-1, of: 8) == "-12.50")
        #expect(Percentage.string(5, of: 0) == "0.00")
        #expect(Percentage.hundredths(Int64.max, of: Int64.max) == 10_000)
        #expect(Percentage.hundredths(Int64.max, of: 1) == Int64.max)
        #expect(CalendarMonth(try! LocalDate(iso: "2026-09-15")).adding(months: 4).isoString == "2027-01")
    }
}
