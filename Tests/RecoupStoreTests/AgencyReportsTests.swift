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
        "liquidation from the trust ledger agrees with the payments ledger over closes, direct payments and reversals",
        arguments: TestStore.available)
    func trustFiguresAreTheLedgers(store: TestStore) async throws {
        try await withStore(store) { database in
            let now = AgencyReportPortfolio.now
            // 40 debts of two clients, placed over four months; one in four closed (after some of its payments) and
            // placed again 20 days later; payments before, during and after placement, to the agency or direct;
            // about one in four reversed a few days later.
            var random = SeededGenerator(seed: 16)
            let header =
                "debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,interest,fees,paid,paid_on,"
                + "phones,emails,address_state,address_postal_code,time_zones"
            let rows = (1...40).map { n in
                "G\(n),PG\(n),consumer,Gen \(n),2026-01-05,2026-02-01,\(100 + n * 7).00,,,,,"
                    + "+1617555\(1000 + n):mobile,,,,America/New_York"
            }
            for (client, part) in [("acme", Array(rows.prefix(25))), ("beta", Array(rows.suffix(15)))] {
                _ = try await AgencyStore.save(
                    try AgencyContract(
                        remittance: .net, directPaymentCommission: true,
                        rates: [RateTier(rate: CommissionRate(percent: "30"))]),
                    clientRef: client, by: "test", now: now, on: database.db)
                let file = try TestFiles.temporary(([header] + part).joined(separator: "\n") + "\n")
                _ = try await Importer.run(
                    ImportRequest(path: file, format: .recoup, clientRef: client), on: database.db, now: now)
            }
            var keys = 0
            func pay(_ n: Int, after day: LocalDate, within days: Range<Int>) async throws {
                let client = n <= 25 ? "acme" : "beta"
                keys += 1
                let key = "G\(n)-\(keys)"
                let paid = day.adding(days: Int.random(in: days, using: &random))
                try await AgencyReportPortfolio.pay(
                    client, "G\(n)", Int64(100 * Int.random(in: 1...9, using: &random)), on: paid.isoString, key: key,
                    receivedBy: keys % 3 == 0 ? .client : .agency, database.db)
                if Int.random(in: 0..<4, using: &random) == 0 {
                    try await AgencyReportPortfolio.reverse(
                        client, "G\(n)", payment: key,
                        on: paid.adding(days: Int.random(in: 1..<5, using: &random)).isoString, key: "\(key)-back",
                        database.db)
                }
            }
            let first = Self.day("2026-06-01")
            for n in 1...40 {
                let placed = first.adding(days: Int.random(in: 0..<120, using: &random))
                try await AgencyReportPortfolio.place("G\(n)", on: placed.isoString, balance: 10_000, database.db)
                // A payment is recorded against the placement of its day: none is dated on or after a later
                // placement of the debt before that placement is made.
                let closing = Int.random(in: 0..<30, using: &random)
                let until = n % 4 == 0 ? closing + 20 : 60
                for _ in 0..<Int.random(in: 0...3, using: &random) {
                    try await pay(n, after: placed, within: -20..<until)
                }
                guard n % 4 == 0 else { continue }
                let closed = placed.adding(days: closing)
                _ = try await PlacementIntake.close(
                    clientRef: n <= 25 ? "acme" : "beta", debtRef: "G\(n)", reason: .recalled, note: nil, on: closed,
                    by: "test", now: now, on: database.db)
                let again = closed.adding(days: 20)
                try await AgencyReportPortfolio.place("G\(n)", on: again.isoString, balance: 9_000, database.db)
                for _ in 0..<Int.random(in: 1...2, using: &random) { try await pay(n, after: again, within: 0..<40) }
            }

            // The same figures from the payments ledger, worked out here row by row.
            var placements: [Int64: [(placed: Int, closed: Int?, amount: Int64)]] = [:]
            for row in try await database.sql.raw(
                "SELECT debt_id, placed_on, closed_on, balance_at_placement FROM agency_placements"
            ).all() {
                placements[try row.decode(column: "debt_id", as: Int64.self), default: []].append(
                    (
                        try row.decode(column: "placed_on", as: Int.self),
                        try row.decode(column: "closed_on", as: Int?.self),
                        try row.decode(column: "balance_at_placement", as: Int64.self)
                    ))
            }
            let entries = try await database.sql.raw(
                """
                SELECT debt_id, kind, effective_on, amount, idempotency_key, reversed_key, received_by \
                FROM ledger_entries WHERE kind IN ('payment', 'payment_reversal')
                """
            ).all()
            var payments: [String: (debt: Int64, day: Int, direct: Bool)] = [:]
            for row in entries where try row.decode(column: "kind", as: String.self) == "payment" {
                payments[try row.decode(column: "idempotency_key", as: String.self)] = (
                    try row.decode(column: "debt_id", as: Int64.self),
                    try row.decode(column: "effective_on", as: Int.self),
                    try row.decode(column: "received_by", as: String?.self) == "client"
                )
            }
            func month(_ day: Int) -> Int { CalendarMonth(LocalDate(daysSinceEpoch: day)).index }
            var checked = 0
            for asOf in ["2026-07-31", "2026-09-15", "2026-12-31"].map(Self.day) {
                // (placement month, month) → (collected, by the agency)
                var steps: [Int: [Int: (all: Int64, agency: Int64)]] = [:]
                for row in entries {
                    let day = try row.decode(column: "effective_on", as: Int.self)
                    guard day <= asOf.daysSinceEpoch else { continue }
                    let isPayment = try row.decode(column: "kind", as: String.self) == "payment"
                    let key = try row.decode(column: isPayment ? "idempotency_key" : "reversed_key", as: String.self)
                    guard let payment = payments[key],
                        let placement = placements[payment.debt]?.first(where: {
                            $0.placed <= payment.day && ($0.closed.map { payment.day <= $0 } ?? true)
                        })
                    else { continue }
                    let amount = (isPayment ? 1 : -1) * (try row.decode(column: "amount", as: Int64.self))
                    let current = steps[month(placement.placed)]?[month(day)] ?? (0, 0)
                    steps[month(placement.placed), default: [:]][month(day)] = (
                        current.all + amount, current.agency + (payment.direct ? 0 : amount)
                    )
                }
                var cohorts: [Int: (accounts: Int, placed: Int64)] = [:]
                for placement in placements.values.joined() where placement.placed <= asOf.daysSinceEpoch {
                    let current = cohorts[month(placement.placed)] ?? (0, 0)
                    cohorts[month(placement.placed)] = (current.accounts + 1, current.placed + placement.amount)
                }
                let report = try await AgencyReports.liquidation(asOf: asOf, on: database.sql)
                let expected = cohorts.keys.sorted()
                #expect(report.cohorts.map(\.placementMonth.index) == expected)
                for cohort in report.cohorts {
                    let index = cohort.placementMonth.index
                    #expect(cohort.accounts == cohorts[index]?.accounts)
                    #expect(cohort.placed == cohorts[index]?.placed)
                    var all: Int64 = 0
                    var agency: Int64 = 0
                    for step in cohort.months {
                        let increment = steps[index]?[index + step.monthsSincePlacement] ?? (0, 0)
                        all += increment.all
                        agency += increment.agency
                        #expect(
                            [step.collected, step.collectedByAgency] == [all, agency],
                            "as of \(asOf), placed \(cohort.placementMonth), month \(step.monthsSincePlacement)")
                        if increment.all != 0 { checked += 1 }
                    }
                }
            }
            // The comparison is of something: months with money collected in them.
            #expect(checked > 20)

            // A database from before M029: its movements are filled in from their placements and payments.
            let before = try await AgencyReports.liquidation(asOf: Self.day("2026-12-31"), on: database.sql)
            try await database.sql.raw("UPDATE trust_entries SET placed_on = NULL, paid_on = NULL, in_placement = NULL")
                .run()
            #expect(try await AgencyReports.liquidation(asOf: Self.day("2026-12-31"), on: database.sql) != before)
            try await M029AddTrustCollections.fill(on: database.sql)
            #expect(try await AgencyReports.liquidation(asOf: Self.day("2026-12-31"), on: database.sql) == before)
            let trust = try await TrustStore.check(on: database.db)
            #expect(trust.count == 2)
            #expect(trust.compactMap(\.difference).isEmpty)
        }
    }

    @Test(
        "the database's month of a day is the calendar's, every day from 1970 to 2099", arguments: TestStore.available)
    func monthArithmetic(store: TestStore) async throws {
        try await withStore(store) { database in
            // The database groups the days by its month index, so only one row per month comes back: decoding
            // 47,000 rows here held a test thread for long enough to stall the suite's live servers.
            let last = try LocalDate(iso: "2099-12-31").daysSinceEpoch
            let rows = try await database.sql.raw(
                """
                WITH RECURSIVE days(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM days WHERE x < \(unsafeRaw: String(last))), \
                months(x, m) AS (SELECT x, \(unsafeRaw: AgencyReports.monthIndexSQL("x")) FROM days) \
                SELECT m, MIN(x) AS first, MAX(x) AS last, COUNT(*) AS days FROM months GROUP BY m ORDER BY m
                """
            ).all()
            // Each index's days are exactly its calendar month's, first to last: as many days as the month has,
            // none before its first or after its last, so every day of the range is in the right month.
            #expect(rows.count == (2099 - 1970 + 1) * 12)
            var wrong: [String] = []
            var total = 0
            for row in rows {
                let month = AgencyReports.calendarMonth(sqlIndex: try row.decode(column: "m", as: Int.self))
                let first = try LocalDate(year: month.year, month: month.month, day: 1)
                let next = month.adding(months: 1)
                let end = try LocalDate(year: next.year, month: next.month, day: 1).adding(days: -1)
                let seen = (
                    try row.decode(column: "first", as: Int.self), try row.decode(column: "last", as: Int.self),
                    try row.decode(column: "days", as: Int.self)
                )
                total += seen.2
                let expected = (first.daysSinceEpoch, end.daysSinceEpoch, end.daysSinceEpoch - first.daysSinceEpoch + 1)
                if seen != expected { wrong.append("\(month.isoString): \(seen) not \(expected)") }
            }
            #expect(total == last + 1)
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
