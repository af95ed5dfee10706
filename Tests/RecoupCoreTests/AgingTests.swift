import Testing

@testable import RecoupCore

private func on(_ iso: String) -> LocalDate {
    do { return try LocalDate(iso: iso) } catch { fatalError("bad test date \(iso): \(error)") }
}

/// Facts for a debt charged `principal` (plus optional interest and fees) on `charged`, due on `due`, with payments.
private func debt(
    _ currency: Currency = .usd, charged: String, due: String, principal: Int64, interest: Int64 = 0, fees: Int64 = 0,
    payments: [(String, Int64)] = []
) throws -> AgingReport.DebtFacts {
    var ledger = Ledger(currency: currency)
    try ledger.post(.charge(amount: principal, on: on(charged), key: "charge"))
    if interest > 0 { try ledger.post(.interest(amount: interest, on: on(charged), key: "interest")) }
    if fees > 0 { try ledger.post(.fee(amount: fees, on: on(charged), key: "fees")) }
    for (index, payment) in payments.enumerated() {
        try ledger.post(.payment(amount: payment.1, on: on(payment.0), key: "payment-\(index)"))
    }
    return AgingReport.DebtFacts(chargedOn: on(charged), dueDate: on(due), ledger: ledger)
}

@Suite("Aging")
struct AgingTests {
    static let boundaries: [(days: Int, bucket: AgingBucket)] = [
        (-5, .current), (-1, .current), (0, .current), (1, .days1To30), (30, .days1To30), (31, .days31To60),
        (60, .days31To60), (61, .days61To90), (90, .days61To90), (91, .days91Plus), (10_000, .days91Plus),
        (Int.min, .current), (Int.max, .days91Plus),
    ]

    @Test("days past due fall in the right bucket at every boundary", arguments: boundaries)
    func bucketBoundaries(days: Int, bucket: AgingBucket) {
        #expect(AgingBucket(daysPastDue: days) == bucket)
    }

    @Test("buckets are ordered and named as reports show them")
    func bucketNames() {
        #expect(AgingBucket.allCases == [.current, .days1To30, .days31To60, .days61To90, .days91Plus])
        #expect(AgingBucket.allCases.map(\.rawValue) == ["current", "1-30", "31-60", "61-90", "91+"])
    }

    @Test("days past due count calendar days from the due date")
    func daysPastDueCount() {
        #expect(daysPastDue(dueDate: on("2026-01-31"), on: on("2026-03-02")) == 30)
        #expect(daysPastDue(dueDate: on("2024-01-31"), on: on("2024-03-02")) == 31)  // leap year
        #expect(daysPastDue(dueDate: on("2026-03-02"), on: on("2026-01-31")) == -30)
        #expect(daysPastDue(dueDate: on("2026-03-02"), on: on("2026-03-02")) == 0)
    }

    @Test("compute buckets open debts by days past due with their balance at the end of the date")
    func compute() throws {
        let asOf = on("2026-06-30")
        let debts = [
            // 150 days past due, untouched, with interest and fees: 91+.
            try debt(charged: "2026-01-01", due: "2026-01-31", principal: 10_000, interest: 700, fees: 300),
            // Not yet due: current.
            try debt(charged: "2026-06-01", due: "2026-07-01", principal: 5_000),
            // Due on the report date: 0 days, still current.
            try debt(charged: "2026-06-01", due: "2026-06-30", principal: 1_000),
            // 46 days past due, partially paid: counted with what is left.
            try debt(charged: "2026-04-01", due: "2026-05-15", principal: 8_000, payments: [("2026-05-20", 2_500)]),
            // 20 days past due, paid in full only after the report date: counted in full.
            try debt(charged: "2026-05-01", due: "2026-06-10", principal: 4_000, payments: [("2026-07-02", 4_000)]),
            // 30 days past due: last day of 1-30.
            try debt(charged: "2026-05-01", due: "2026-05-31", principal: 600),
            // Fully paid: excluded.
            try debt(charged: "2026-02-01", due: "2026-03-01", principal: 3_000, payments: [("2026-05-01", 3_000)]),
            // Overpaid, a credit: excluded.
            try debt(charged: "2026-02-01", due: "2026-03-01", principal: 3_000, payments: [("2026-05-01", 3_500)]),
            // Charged after the report date: excluded.
            try debt(charged: "2026-07-05", due: "2026-08-05", principal: 9_000),
            // In another currency: excluded from the USD report.
            try debt(.eur, charged: "2026-01-01", due: "2026-01-31", principal: 77_700),
        ]
        let report = AgingReport.compute(debts: debts, asOf: asOf, currency: .usd)
        #expect(report.asOf == asOf)
        #expect(report.currency == .usd)
        #expect(
            report.buckets == [
                AgingBucketTotal(bucket: .current, count: 2, amount: 6_000),
                AgingBucketTotal(bucket: .days1To30, count: 2, amount: 4_600),
                AgingBucketTotal(bucket: .days31To60, count: 1, amount: 5_500),
                AgingBucketTotal(bucket: .days61To90, count: 0, amount: 0),
                AgingBucketTotal(bucket: .days91Plus, count: 1, amount: 11_000),
            ])
        #expect(report.total.count == 6)
        #expect(report.total.amount == 27_100)

        let euros = AgingReport.compute(debts: debts, asOf: asOf, currency: .eur)
        #expect(euros.total.count == 1)
        #expect(euros.buckets.last == AgingBucketTotal(bucket: .days91Plus, count: 1, amount: 77_700))
    }

    @Test("a debt charged after the report date is excluded even when its ledger shows an earlier balance")
    func chargedOnFilter() throws {
        var ledger = Ledger(currency: .usd)
        try ledger.post(.charge(amount: 1_000, on: on("2026-01-01"), key: "c"))
        let early = AgingReport.DebtFacts(chargedOn: on("2026-01-01"), dueDate: on("2026-02-01"), ledger: ledger)
        let late = AgingReport.DebtFacts(chargedOn: on("2026-07-01"), dueDate: on("2026-08-01"), ledger: ledger)
        let report = AgingReport.compute(debts: [early, late], asOf: on("2026-06-30"), currency: .usd)
        #expect(report.total.count == 1)
        #expect(report.buckets[4] == AgingBucketTotal(bucket: .days91Plus, count: 1, amount: 1_000))
        // On its charge date the debt is counted (end of day).
        let onTheDay = AgingReport.compute(debts: [late], asOf: on("2026-07-01"), currency: .usd)
        #expect(onTheDay.total.count == 1)
    }

    @Test("the same debt moves through the buckets as the report date advances")
    func agingOverTime() throws {
        let facts = try debt(charged: "2026-01-01", due: "2026-01-31", principal: 500)
        let expected: [(String, AgingBucket)] = [
            ("2026-01-31", .current), ("2026-02-01", .days1To30), ("2026-03-02", .days1To30),
            ("2026-03-03", .days31To60), ("2026-04-02", .days61To90), ("2026-05-01", .days61To90),
            ("2026-05-02", .days91Plus),
        ]
        for (date, bucket) in expected {
            let report = AgingReport.compute(debts: [facts], asOf: on(date), currency: .usd)
            let filled = report.buckets.filter { $0.count > 0 }
            #expect(filled == [AgingBucketTotal(bucket: bucket, count: 1, amount: 500)], "as of \(date)")
        }
    }

    @Test("an empty report has every bucket, zero-filled, in order")
    func emptyReport() {
        let report = AgingReport.compute(debts: [AgingReport.DebtFacts](), asOf: on("2026-06-30"), currency: .gbp)
        #expect(report.buckets == AgingBucket.allCases.map { AgingBucketTotal(bucket: $0, count: 0, amount: 0) })
        #expect(report.total.count == 0 && report.total.amount == 0)
        #expect(report.currency == .gbp)
    }

    @Test("a report made from some buckets in any order is filled and ordered")
    func initFillsAndOrders() {
        let report = AgingReport(
            asOf: on("2026-06-30"), currency: .usd,
            buckets: [
                AgingBucketTotal(bucket: .days91Plus, count: 3, amount: 900),
                AgingBucketTotal(bucket: .current, count: 1, amount: 10),
            ])
        #expect(report.buckets.map(\.bucket) == AgingBucket.allCases)
        #expect(report.buckets.map(\.count) == [1, 0, 0, 0, 3])
        #expect(report.buckets.map(\.amount) == [10, 0, 0, 0, 900])
        #expect(report.total == AgingBucketTotal(bucket: .current, count: 4, amount: 910))
    }
}
