import Foundation
import PropertyBased
import Testing

@testable import RecoupCore

// MARK: - Helpers

/// 2026-01-01, the due date of most examples; interest accrues from 2026-01-02.
private let dueDate = LocalDate(daysSinceEpoch: 20_454)

private func day(_ offset: Int) -> LocalDate { dueDate.adding(days: offset) }

private func usdLedger(_ postings: [LedgerPosting]) throws -> Ledger {
    var ledger = Ledger(currency: .usd)
    for posting in postings { try ledger.post(posting) }
    return ledger
}

/// 1,000.00 charged on the due date.
private func thousandOwed() throws -> Ledger {
    try usdLedger([.charge(amount: 100_000, on: dueDate, key: "charge")])
}

private func interestTerms(ppm: Int64, cap: AccrualCap? = nil) throws -> AccrualTerms {
    try AccrualTerms(annualRatePPM: ppm, interestCap: cap)
}

private func owed(
    _ ledger: Ledger, _ terms: AccrualTerms, pauses: [AccrualPause] = [], start: LocalDate = dueDate,
    through: LocalDate
) -> Int64 {
    InterestAccrual.interestOwed(ledger: ledger, terms: terms, pauses: pauses, accruesAfter: start, through: through)
}

/// Accrues interest for each day after the due date through `days`, posting each result; returns the total posted.
private func accrueDaily(
    _ ledger: inout Ledger, _ terms: AccrualTerms, pauses: [AccrualPause], days: ClosedRange<Int>
) throws -> Int64 {
    var total: Int64 = 0
    for offset in days {
        if let posting = InterestAccrual.posting(
            ledger: ledger, terms: terms, pauses: pauses, accruesAfter: dueDate, through: day(offset))
        {
            total += try ledger.post(posting).entry.amount
        }
    }
    return total
}

private func amount(of posting: LedgerPosting?) -> Int64? {
    switch posting {
    case .interest(let amount, _, _), .fee(let amount, _, _): amount
    default: nil
    }
}

/// Interest the slow way, one day at a time, as an oracle for the segment walk.
private func owedDayByDay(_ ledger: Ledger, ppm: Int64, pauses: [AccrualPause], through: Int) -> Int64 {
    var principalDays: Int64 = 0
    for offset in stride(from: 1, through: through, by: 1) where !pauses.contains(where: { $0.covers(day(offset)) }) {
        principalDays += max(0, ledger.balance(asOf: day(offset - 1)).principal)
    }
    return principalDays * ppm / (365 * 1_000_000)
}

// MARK: - Interest

@Suite("Interest accrual")
struct InterestAccrualTests {
    @Test("1,000.00 at 10% for 365 days accrues exactly 100.00")
    func fullYear() throws {
        #expect(owed(try thousandOwed(), try interestTerms(ppm: 100_000), through: day(365)) == 10_000)
    }

    @Test("366 days in a leap year accrue 100.27, because every day is 1/365 of a year")
    func leapYear() throws {
        let start = try LocalDate(iso: "2028-01-01")
        let through = try LocalDate(iso: "2029-01-01")
        #expect(through.days(since: start) == 366)
        let ledger = try usdLedger([.charge(amount: 100_000, on: start, key: "charge")])
        #expect(owed(ledger, try interestTerms(ppm: 100_000), start: start, through: through) == 10_027)
    }

    @Test("30 days accrue 8.21, rounded down from 8.2191…")
    func thirtyDaysRoundDown() throws {
        #expect(owed(try thousandOwed(), try interestTerms(ppm: 100_000), through: day(30)) == 821)
    }

    @Test("nothing accrues through the due date itself; the first day earns on the balance at the due date")
    func firstDay() throws {
        let terms = try interestTerms(ppm: 365_000)  // 1/1000 of principal a day
        #expect(owed(try thousandOwed(), terms, through: dueDate) == 0)
        #expect(owed(try thousandOwed(), terms, through: day(-5)) == 0)
        #expect(owed(try thousandOwed(), terms, through: day(1)) == 100)
    }

    @Test("a payment lowers interest from the day after it: 30 days on 1,000.00 then 30 on 600.00 is 13.15")
    func paymentMidPeriod() throws {
        let terms = try interestTerms(ppm: 100_000)
        var ledger = try thousandOwed()
        #expect(owed(ledger, terms, through: day(60)) == 1_643)
        try ledger.post(.payment(amount: 40_000, on: day(30), key: "pay"))
        // (100,000 × 30 + 60,000 × 30) × 0.10 / 365 = 1,315.07…
        #expect(owed(ledger, terms, through: day(60)) == 1_315)
        #expect(owed(ledger, terms, through: day(30)) == 821)
    }

    @Test("an overpayment leaves a credit on principal, which accrues nothing")
    func overpayment() throws {
        let terms = try interestTerms(ppm: 100_000)
        let ledger = try usdLedger([
            .charge(amount: 10_000, on: dueDate, key: "charge"), .payment(amount: 15_000, on: day(10), key: "pay"),
        ])
        #expect(ledger.balance.principal == -5_000)
        // Only the 10 days on 100.00 before the payment counted: 10,000 × 10 × 0.10 / 365 = 27.39…
        #expect(owed(ledger, terms, through: day(10)) == 27)
        #expect(owed(ledger, terms, through: day(365)) == 27)
    }

    @Test("interest is on principal only: accrued interest and fees earn nothing")
    func principalOnly() throws {
        let terms = try interestTerms(ppm: 100_000)
        var ledger = try thousandOwed()
        try ledger.post(.interest(amount: 50_000, on: dueDate, key: "old-interest"))
        try ledger.post(.fee(amount: 50_000, on: dueDate, key: "old-fee"))
        #expect(owed(ledger, terms, through: day(365)) == 10_000)
    }

    @Test("an amount cap stops growth exactly at the cap")
    func amountCap() throws {
        let terms = try interestTerms(ppm: 100_000, cap: .amount(5_000))
        let ledger = try thousandOwed()
        #expect(owed(ledger, terms, through: day(182)) == 4_986)
        #expect(owed(ledger, terms, through: day(183)) == 5_000)
        #expect(owed(ledger, terms, through: day(3_650)) == 5_000)
    }

    @Test("a percent cap is that share of the principal charged")
    func percentCap() throws {
        let terms = try interestTerms(ppm: 1_000_000, cap: .percentOfPrincipal(250_000))
        var ledger = try thousandOwed()
        #expect(owed(ledger, terms, through: day(91)) == 24_931)
        #expect(owed(ledger, terms, through: day(92)) == 25_000)
        #expect(owed(ledger, terms, through: day(1_000)) == 25_000)
        // A payment does not lower the cap: it is of principal charged, not principal left.
        try ledger.post(.payment(amount: 10_000, on: day(1), key: "pay"))
        #expect(owed(ledger, terms, through: day(1_000)) == 25_000)
        try ledger.post(.charge(amount: 100_000, on: day(500), key: "more"))
        #expect(owed(ledger, terms, through: day(1_000)) == 50_000)
    }

    @Test("a closed pause earns nothing on its days, and interest resumes after it")
    func closedPause() throws {
        let terms = try interestTerms(ppm: 100_000)
        let pause = AccrualPause(from: day(11), until: day(20), reason: "hardship")
        let ledger = try thousandOwed()
        // 20 earning days of 30: 100,000 × 20 × 0.10 / 365 = 547.9…
        #expect(owed(ledger, terms, pauses: [pause], through: day(30)) == 547)
        #expect(owed(ledger, terms, pauses: [pause], through: day(15)) == owed(ledger, terms, through: day(10)))
        // Overlapping and repeated pauses count each day once.
        let overlapping = [pause, AccrualPause(from: day(15), until: day(25), reason: "x"), pause]
        #expect(owed(ledger, terms, pauses: overlapping, through: day(30)) == owed(ledger, terms, through: day(15)))
    }

    @Test("an open-ended pause stops interest for good")
    func openPause() throws {
        let terms = try interestTerms(ppm: 100_000)
        let pause = AccrualPause(from: day(11), reason: "breathing space")
        let ledger = try thousandOwed()
        #expect(owed(ledger, terms, pauses: [pause], through: day(3_650)) == 273)
        #expect(owed(ledger, terms, pauses: [AccrualPause(from: day(-30), reason: "x")], through: day(365)) == 0)
    }

    @Test("a rate of zero accrues nothing and posts nothing")
    func zeroRate() throws {
        let ledger = try thousandOwed()
        #expect(owed(ledger, .none, through: day(3_650)) == 0)
        #expect(
            InterestAccrual.posting(ledger: ledger, terms: .none, pauses: [], accruesAfter: dueDate, through: day(365))
                == nil)
    }

    @Test("10^12 minor units for 50 years compute exactly, with no overflow")
    func noOverflow() throws {
        let ledger = try usdLedger([.charge(amount: 1_000_000_000_000, on: dueDate, key: "charge")])
        let fiftyYears = day(365 * 50)
        #expect(owed(ledger, try interestTerms(ppm: 1_000_000), through: fiftyYears) == 50_000_000_000_000)
        #expect(owed(ledger, try interestTerms(ppm: 85_000), through: fiftyYears) == 4_250_000_000_000)
    }

    @Test("accruing the same day twice adds nothing")
    func sameDayTwice() throws {
        let terms = try interestTerms(ppm: 100_000)
        var ledger = try thousandOwed()
        let first = try #require(
            InterestAccrual.posting(ledger: ledger, terms: terms, pauses: [], accruesAfter: dueDate, through: day(30)))
        #expect(first == .interest(amount: 821, on: day(30), key: "interest:2026-01-31"))
        try ledger.post(first)
        #expect(
            InterestAccrual.posting(ledger: ledger, terms: terms, pauses: [], accruesAfter: dueDate, through: day(30))
                == nil)
        #expect(ledger.balance.interest == 821)
    }

    @Test("a day already accrued is not accrued again when a backdated charge raises what is owed")
    func backdatedCharge() throws {
        let terms = try interestTerms(ppm: 100_000)
        var ledger = try thousandOwed()
        try ledger.post(
            try #require(
                InterestAccrual.posting(
                    ledger: ledger, terms: terms, pauses: [], accruesAfter: dueDate, through: day(30))))
        try ledger.post(.charge(amount: 100_000, on: day(10), key: "backdated"))
        #expect(
            InterestAccrual.posting(ledger: ledger, terms: terms, pauses: [], accruesAfter: dueDate, through: day(30))
                == nil)
        // The next accrual catches up: 10 days on 1,000.00 and 21 on 2,000.00 owe 14.24, less the 8.21 accrued.
        let next = InterestAccrual.posting(
            ledger: ledger, terms: terms, pauses: [], accruesAfter: dueDate, through: day(31))
        #expect(amount(of: next) == owed(ledger, terms, through: day(31)) - 821)
        #expect(amount(of: next) == 603)
    }

    @Test("accruing day by day for 90 days adds up to one accrual on day 90")
    func dayByDayEqualsOnce() throws {
        let terms = try interestTerms(ppm: 85_000)
        let pauses = [AccrualPause(from: day(40), until: day(49), reason: "hardship")]
        let history = try usdLedger([
            .charge(amount: 123_457, on: dueDate, key: "charge"), .payment(amount: 20_001, on: day(17), key: "p1"),
            .charge(amount: 5_555, on: day(33), key: "c2"), .payment(amount: 7_777, on: day(61), key: "p2"),
        ])
        var daily = history
        let total = try accrueDaily(&daily, terms, pauses: pauses, days: 1...90)
        let once = InterestAccrual.posting(
            ledger: history, terms: terms, pauses: pauses, accruesAfter: dueDate, through: day(90))
        #expect(total > 0)
        #expect(amount(of: once) == total)
        #expect(daily.entries.filter { $0.kind == .interest }.count > 60)
    }

    @Test("a posting never takes back interest already in the ledger")
    func neverNegative() throws {
        let terms = try interestTerms(ppm: 100_000)
        var ledger = try thousandOwed()
        try ledger.post(.interest(amount: 5_000, on: day(10), key: "manual"))
        #expect(
            InterestAccrual.posting(ledger: ledger, terms: terms, pauses: [], accruesAfter: dueDate, through: day(30))
                == nil)
        let posting = InterestAccrual.posting(
            ledger: ledger, terms: terms, pauses: [], accruesAfter: dueDate, through: day(365))
        #expect(posting == .interest(amount: 5_000, on: day(365), key: "interest:2027-01-01"))
    }
}

// MARK: - Interest properties

/// One generated history step: 0 charge, 1 payment, 2 fee; an amount; a day 0…89.
private let stepGen = zip(Gen.int(in: 0...2), Gen.int64(in: 1...500_000), Gen.int(in: 0...89))
private let historyGen = stepGen.array(of: 0...12)
/// A rate in ppm; a cap kind (0 none, 1 amount, 2 percent) and size.
private let termsGen = zip(Gen.int64(in: 0...1_000_000), Gen.int(in: 0...2), Gen.int64(in: 0...1_000_000))
    .map { rate, capKind, capSize -> AccrualTerms in
        let cap: AccrualCap? = capKind == 0 ? nil : capKind == 1 ? .amount(capSize) : .percentOfPrincipal(capSize)
        return (try? AccrualTerms(annualRatePPM: rate, interestCap: cap)) ?? .none
    }
/// Up to two pauses: a start day, a length (negative: open-ended).
private let pausesGen = zip(Gen.int(in: -10...100), Gen.int(in: -5...30)).map { start, length in
    AccrualPause(from: day(start), until: length < 0 ? nil : day(start + length), reason: "generated")
}.array(of: 0...2)

private func posting(for step: (Int, Int64, Int), number: Int) -> LedgerPosting {
    let (kind, amount, offset) = step
    switch kind {
    case 0: return .charge(amount: amount, on: day(offset), key: "c\(number)")
    case 1: return .payment(amount: amount, on: day(offset), key: "p\(number)")
    default: return .fee(amount: amount, on: day(offset), key: "f\(number)")
    }
}

@Suite("Interest accrual properties")
struct InterestAccrualPropertyTests {
    @Test("the segment walk agrees with adding up one day at a time")
    func segmentsMatchDays() async {
        await propertyCheck(count: 150, input: historyGen, pausesGen, Gen.int64(in: 0...1_000_000)) {
            steps, pauses, rate in
            var ledger = try usdLedger([.charge(amount: 100_000, on: dueDate, key: "charge")])
            for (number, step) in steps.enumerated() { try ledger.post(posting(for: step, number: number)) }
            let terms = try AccrualTerms(annualRatePPM: rate)
            for through in [0, 1, 17, 45, 90, 120] {
                #expect(
                    owed(ledger, terms, pauses: pauses, through: day(through))
                        == owedDayByDay(ledger, ppm: rate, pauses: pauses, through: through))
            }
        }
    }

    @Test("over a fixed payment history, accruing daily for 90 days equals accruing once on day 90")
    func dailyEqualsOnceOverHistory() async {
        await propertyCheck(count: 150, input: historyGen, termsGen, pausesGen) { steps, terms, pauses in
            var history = try usdLedger([.charge(amount: 250_000, on: dueDate, key: "charge")])
            for (number, step) in steps.enumerated() { try history.post(posting(for: step, number: number)) }
            var daily = history
            let total = try accrueDaily(&daily, terms, pauses: pauses, days: 1...90)
            let once = InterestAccrual.posting(
                ledger: history, terms: terms, pauses: pauses, accruesAfter: dueDate, through: day(90))
            #expect((amount(of: once) ?? 0) == total)
            #expect(total == owed(history, terms, pauses: pauses, through: day(90)))
        }
    }

    @Test("accruing each evening as payments arrive adds up to the interest owed on the final ledger")
    func dailyAsPaymentsArrive() async {
        await propertyCheck(count: 150, input: historyGen, termsGen, pausesGen) { steps, terms, pauses in
            var ledger = try usdLedger([.charge(amount: 250_000, on: dueDate, key: "charge")])
            var total: Int64 = 0
            for offset in 0...90 {
                for (number, step) in steps.enumerated() where step.2 == offset {
                    try ledger.post(posting(for: step, number: number))
                }
                if offset > 0 { total += try accrueDaily(&ledger, terms, pauses: pauses, days: offset...offset) }
            }
            #expect(total == owed(ledger, terms, pauses: pauses, through: day(90)))
            #expect(ledger.interestAccrued == total)
            // Retrying every day afterwards adds nothing.
            #expect(try accrueDaily(&ledger, terms, pauses: pauses, days: 1...90) == 0)
        }
    }
}

// MARK: - Fees

@Suite("Fee accrual")
struct FeeAccrualTests {
    private let terms: AccrualTerms = {
        (try? AccrualTerms(
            fees: [
                FeeRule(step: "final-notice", charge: .flat(2_500)),
                FeeRule(step: "placement", charge: .percentOfBalance(100_000)),
            ])) ?? .none
    }()

    private func fee(
        _ step: String, _ ledger: Ledger, terms: AccrualTerms? = nil, pauses: [AccrualPause] = [],
        on date: LocalDate = day(40)
    ) throws -> LedgerPosting? {
        try FeeAccrual.posting(step: step, ledger: ledger, terms: terms ?? self.terms, pauses: pauses, on: date)
    }

    @Test("a flat fee is charged once per step")
    func flatOnce() throws {
        var ledger = try thousandOwed()
        let posting = try #require(try fee("final-notice", ledger))
        #expect(posting == .fee(amount: 2_500, on: day(40), key: "fee:final-notice"))
        try ledger.post(posting)
        #expect(try fee("final-notice", ledger) == nil)
        #expect(try fee("final-notice", ledger, on: day(80)) == nil)
        #expect(ledger.balance.fees == 2_500)
    }

    @Test("a percentage fee is that share of the balance total, rounded down")
    func percentRoundedDown() throws {
        var ledger = try usdLedger([.charge(amount: 123_400, on: dueDate, key: "charge")])
        try ledger.post(.interest(amount: 57, on: day(30), key: "interest"))
        // 10% of 1,234.57 is 123.457: 123.45.
        #expect(amount(of: try fee("placement", ledger)) == 12_345)
        // Entries after the fee's date are not part of its balance.
        try ledger.post(.charge(amount: 100_000, on: day(41), key: "later"))
        #expect(amount(of: try fee("placement", ledger)) == 12_345)
    }

    @Test("a fee is cut to what fits under the fee cap, then nothing more is charged")
    func capPartlyFits() throws {
        let capped = try AccrualTerms(fees: terms.fees, feeCap: .amount(3_000))
        var ledger = try thousandOwed()
        try ledger.post(try #require(try fee("final-notice", ledger, terms: capped)))
        let placement = try #require(try fee("placement", ledger, terms: capped))
        #expect(placement == .fee(amount: 500, on: day(40), key: "fee:placement"))
        try ledger.post(placement)
        let more = try AccrualTerms(
            fees: terms.fees + [FeeRule(step: "legal", charge: .flat(1))], feeCap: .amount(3_000))
        #expect(try fee("legal", ledger, terms: more) == nil)
    }

    @Test("a percentage fee cap is a share of the principal charged")
    func percentCap() throws {
        let capped = try AccrualTerms(fees: terms.fees, feeCap: .percentOfPrincipal(50_000))
        let ledger = try thousandOwed()
        #expect(amount(of: try fee("placement", ledger, terms: capped)) == 5_000)
    }

    @Test("no fee is charged on a paused day; it is charged the day after the pause")
    func pausedDay() throws {
        let pause = AccrualPause(from: day(30), until: day(40), reason: "hardship")
        let ledger = try thousandOwed()
        #expect(try fee("final-notice", ledger, pauses: [pause], on: day(40)) == nil)
        #expect(try fee("final-notice", ledger, pauses: [pause], on: day(30)) == nil)
        #expect(amount(of: try fee("final-notice", ledger, pauses: [pause], on: day(41))) == 2_500)
        let open = AccrualPause(from: day(30), reason: "breathing space")
        #expect(try fee("final-notice", ledger, pauses: [open], on: day(4_000)) == nil)
    }

    @Test("no fee is charged on a balance of zero or less")
    func settledBalance() throws {
        let ledger = try usdLedger([
            .charge(amount: 10_000, on: dueDate, key: "charge"), .payment(amount: 10_000, on: day(5), key: "pay"),
        ])
        #expect(try fee("final-notice", ledger) == nil)
        #expect(amount(of: try fee("final-notice", ledger, on: day(4))) == 2_500)
    }

    @Test("an unknown step is refused with a sentence naming the known steps")
    func unknownStep() throws {
        let ledger = try thousandOwed()
        #expect(throws: AccrualError.unknownFeeStep("legal", knownSteps: ["final-notice", "placement"])) {
            try fee("legal", ledger)
        }
        let error = AccrualError.unknownFeeStep("legal", knownSteps: ["final-notice", "placement"])
        #expect(
            error.description == "there is no fee for the step \"legal\": the known steps are final-notice, placement")
        #expect(
            AccrualError.unknownFeeStep("legal", knownSteps: []).description
                == "there is no fee for the step \"legal\": these terms charge no fees")
    }
}

// MARK: - Projection

@Suite("Balance projection")
struct BalanceProjectionTests {
    private let today = day(45)

    @Test("twelve monthly points that never go down and grow by the interest")
    func twelvePoints() throws {
        var ledger = try thousandOwed()
        try ledger.post(.fee(amount: 2_500, on: day(10), key: "fee:final-notice"))
        try ledger.post(.payment(amount: 12_345, on: day(20), key: "pay"))
        let terms = try interestTerms(ppm: 85_000)
        let pauses = [AccrualPause(from: day(100), until: day(160), reason: "hardship")]
        let projection = BalanceProjection(
            ledger: ledger, terms: terms, pauses: pauses, accruesAfter: dueDate, from: today)
        #expect(projection.points.count == 12)
        #expect(projection.points.map(\.date) == (1...12).map { today.adding(months: $0) })
        #expect(zip(projection.points, projection.points.dropFirst()).allSatisfy { $0.total <= $1.total })
        #expect(projection.points.allSatisfy { $0.principal == 90_155 && $0.fees == 0 })
        let last = try #require(projection.points.last)
        #expect(last.interest == owed(ledger, terms, pauses: pauses, through: last.date))
        #expect(projection.growth == last.total - ledger.balance(asOf: today).total)
        #expect(projection.growth > 0)
        #expect(
            BalanceProjection.project(ledger: ledger, terms: terms, pauses: pauses, accruesAfter: dueDate, from: today)
                == projection.points)
    }

    @Test("no growth when the rate is zero")
    func zeroRate() throws {
        let ledger = try thousandOwed()
        let projection = BalanceProjection(ledger: ledger, terms: .none, pauses: [], accruesAfter: dueDate, from: today)
        #expect(projection.growth == 0)
        #expect(projection.points.allSatisfy { $0.total == 100_000 })
    }

    @Test("no growth under an open-ended pause, but interest owed before it still shows")
    func openPause() throws {
        let ledger = try thousandOwed()
        let pause = AccrualPause(from: today.adding(days: 1), reason: "breathing space")
        let terms = try interestTerms(ppm: 100_000)
        let projection = BalanceProjection(
            ledger: ledger, terms: terms, pauses: [pause], accruesAfter: dueDate, from: today)
        let accruedToday = owed(ledger, terms, through: today)
        #expect(accruedToday == 1_232)
        #expect(projection.points.allSatisfy { $0.interest == accruedToday })
        #expect(projection.growth == accruedToday)
    }

    @Test("growth stops at the interest cap")
    func cap() throws {
        let terms = try interestTerms(ppm: 1_000_000, cap: .amount(25_000))
        let projection = BalanceProjection(
            ledger: try thousandOwed(), terms: terms, pauses: [], accruesAfter: dueDate, from: today)
        #expect(projection.points.allSatisfy { $0.interest <= 25_000 })
        #expect(projection.points.last?.interest == 25_000)
        #expect(projection.points.first?.interest == 20_000)  // 73 days at 100%: 73/365 of 1,000.00
    }

    @Test("interest already in the ledger is counted once, and later entries are left out")
    func alreadyAccrued() throws {
        let terms = try interestTerms(ppm: 100_000)
        var ledger = try thousandOwed()
        try ledger.post(
            try #require(
                InterestAccrual.posting(
                    ledger: ledger, terms: terms, pauses: [], accruesAfter: dueDate, through: today)))
        try ledger.post(.payment(amount: 50_000, on: today.adding(days: 3), key: "future"))
        let points = BalanceProjection.project(
            ledger: ledger, terms: terms, pauses: [], accruesAfter: dueDate, from: today)
        let clean = BalanceProjection.project(
            ledger: try thousandOwed(), terms: terms, pauses: [], accruesAfter: dueDate, from: today)
        #expect(points == clean)
        #expect(points.first?.interest == owed(try thousandOwed(), terms, through: today.adding(months: 1)))
    }

    @Test("the JSON text is exact")
    func jsonText() throws {
        let today = try LocalDate(iso: "2026-12-01")
        let ledger = try usdLedger([.charge(amount: 100_000, on: today, key: "charge")])
        let projection = BalanceProjection(
            ledger: ledger, terms: try interestTerms(ppm: 120_000), pauses: [], accruesAfter: today, from: today,
            months: 2)
        #expect(
            projection.jsonText(currency: .usd)
                == "{\"currency\":\"USD\",\"from\":\"2026-12-01\",\"points\":["
                + "{\"date\":\"2027-01-01\",\"principal\":\"1000.00\",\"interest\":\"10.19\",\"fees\":\"0.00\",\"total\":\"1010.19\"},"
                + "{\"date\":\"2027-02-01\",\"principal\":\"1000.00\",\"interest\":\"20.38\",\"fees\":\"0.00\",\"total\":\"1020.38\"}"
                + "],\"growth\":\"20.38\"}")
        let none = BalanceProjection(
            ledger: ledger, terms: .none, pauses: [], accruesAfter: today, from: today, months: 0)
        #expect(
            none.jsonText(currency: .usd)
                == "{\"currency\":\"USD\",\"from\":\"2026-12-01\",\"points\":[],\"growth\":\"0.00\"}")
    }
}

// MARK: - Terms

@Suite("Accrual terms")
struct AccrualTermsTests {
    private static let example = """
        {"annualInterestPercent": "8.5", "interestCap": {"percentOfPrincipal": "25"},
         "fees": [{"step": "final-notice", "flat": "25.00"}, {"step": "placement", "percentOfBalance": "10"}],
         "feeCap": {"amount": "100.00"}}
        """

    private func read(_ text: String, _ currency: Currency = .usd) throws(ComplianceRequestError) -> AccrualTerms {
        try AccrualTerms(json: Data(text.utf8), currency: currency)
    }

    @Test("reads every field of the example")
    func example() throws {
        let terms = try read(Self.example)
        #expect(terms.annualRatePPM == 85_000)
        #expect(terms.interestCap == .percentOfPrincipal(250_000))
        #expect(
            terms.fees == [
                FeeRule(step: "final-notice", charge: .flat(2_500)),
                FeeRule(step: "placement", charge: .percentOfBalance(100_000)),
            ])
        #expect(terms.feeCap == .amount(10_000))
    }

    @Test("writes the same shape back and reads it again unchanged")
    func roundTrip() throws {
        let terms = try read(Self.example)
        let text = terms.jsonText(currency: .usd)
        #expect(
            text
                == "{\"annualInterestPercent\":\"8.5\",\"interestCap\":{\"percentOfPrincipal\":\"25\"},\"fees\":["
                + "{\"step\":\"final-notice\",\"flat\":\"25.00\"},{\"step\":\"placement\",\"percentOfBalance\":\"10\"}],"
                + "\"feeCap\":{\"amount\":\"100.00\"}}")
        #expect(try read(text) == terms)
        let odd = try AccrualTerms(annualRatePPM: 1, interestCap: .amount(0), feeCap: .percentOfPrincipal(1_000_000))
        #expect(try read(odd.jsonText(currency: .kwd), .kwd) == odd)
        #expect(AccrualTerms.none.jsonText(currency: .usd) == "{\"annualInterestPercent\":\"0\",\"fees\":[]}")
        #expect(try read("{}") == .none)
    }

    @Test("reads percentages and amounts given as JSON numbers, and nulls as absent")
    func numbers() throws {
        let terms = try read(
            #"{"annualInterestPercent": 12.3456, "fees": [{"step": "x1", "flat": 25}], "feeCap": null}"#, .jpy)
        #expect(terms.annualRatePPM == 123_456)
        #expect(terms.fees == [FeeRule(step: "x1", charge: .flat(25))])
        #expect(terms.feeCap == nil)
        // A number is read through `Decimal`, so an exponent is read as the number it writes.
        #expect(try read(#"{"annualInterestPercent": 1e1}"#).annualRatePPM == 100_000)
    }

    @Test(
        "refuses a bad field with a sentence naming it",
        arguments: [
            (#"{"annualInterestPercent": "150"}"#, "annualInterestPercent", "above 100 percent"),
            (#"{"annualInterestPercent": "8.12345"}"#, "annualInterestPercent", "at most 4 decimals"),
            (#"{"annualInterestPercent": "-1"}"#, "annualInterestPercent", "negative"),
            (#"{"annualInterestPercent": "1e1"}"#, "annualInterestPercent", "such as"),
            (#"{"annualInterestPercent": {"value": 1}}"#, "annualInterestPercent", "must be a percentage"),
            (#"{"annualInterestPercent": true}"#, "annualInterestPercent", "must be a percentage"),
            (#"{"interestCap": {"percentOfPrincipal": "101"}}"#, "interestCap.percentOfPrincipal", "at most 100"),
            (#"{"interestCap": {"amount": "1.00", "percentOfPrincipal": "5"}}"#, "interestCap", "both"),
            (#"{"interestCap": {}}"#, "interestCap", "needs an amount"),
            (#"{"interestCap": "25"}"#, "interestCap", "must be an object"),
            (#"{"interestCap": {"amout": "1.00"}}"#, "interestCap.amout", "not a field of a cap"),
            (#"{"feeCap": {"amount": "-5.00"}}"#, "feeCap.amount", "more than zero"),
            (#"{"feeCap": {"amount": "5.001"}}"#, "feeCap.amount", "decimals"),
            (#"{"fees": {"step": "x"}}"#, "fees", "must be an array"),
            (#"{"fees": ["x"]}"#, "fees[0]", "must be an object"),
            (#"{"fees": [{"flat": "1.00"}]}"#, "fees[0].step", "missing"),
            (#"{"fees": [{"step": "Final Notice", "flat": "1.00"}]}"#, "fees[0].step", "lowercase"),
            (#"{"fees": [{"step": "a", "flat": "1"}, {"step": "a", "flat": "2"}]}"#, "fees[1].step", "repeats"),
            (#"{"fees": [{"step": "a"}]}"#, "fees[0]", "needs a flat amount"),
            (#"{"fees": [{"step": "a", "flat": "1", "percentOfBalance": "1"}]}"#, "fees[0]", "both"),
            (#"{"fees": [{"step": "a", "flat": "0"}]}"#, "fees[0].flat", "more than zero"),
            (
                #"{"fees": [{"step": "a", "flat": "1"}, {"step": "b", "percentOfBalance": "110"}]}"#,
                "fees[1].percentOfBalance", "at most 100"
            ),
            (#"{"fees": [{"step": "a", "flat": "1", "colour": "red"}]}"#, "fees[0].colour", "not a field of a fee"),
            // The first unknown member in sorted order is named, the others after it.
            (#"{"rate": "5", "cap": 1}"#, "cap", "nor are \"rate\""),
            (#"{"interestCap": {"amount": true}}"#, "interestCap.amount", "must be an amount"),
            (#"{"fees": [{"step": 7, "flat": "1"}]}"#, "fees[0].step", "must be a string"),
            (#"{"fees": [{"step": "", "flat": "1"}]}"#, "fees[0].step", "is empty"),
            ("", "the terms", "is empty"),
            ("[1]", "the terms", "must be a JSON object"),
            ("{", "the terms", "not valid JSON"),
        ])
    func refused(json: String, field: String, words: String) {
        #expect {
            try read(json)
        } throws: { error in
            guard let error = error as? ComplianceRequestError else { return false }
            return error.field == field && error.problem.contains(words) && !error.problem.contains("\n")
        }
    }

    @Test("the initialiser refuses what the JSON reader refuses")
    func initialiser() {
        #expect(throws: AccrualError.rateOutOfRange(1_000_001)) { try AccrualTerms(annualRatePPM: 1_000_001) }
        #expect(throws: AccrualError.capOutOfRange(.amount(-1))) { try AccrualTerms(interestCap: .amount(-1)) }
        #expect(throws: AccrualError.invalidStepName("")) {
            try AccrualTerms(fees: [FeeRule(step: "", charge: .flat(1))])
        }
        #expect(throws: AccrualError.duplicateStep("a")) {
            try AccrualTerms(fees: [FeeRule(step: "a", charge: .flat(1)), FeeRule(step: "a", charge: .flat(2))])
        }
        #expect(throws: AccrualError.feeOutOfRange(step: "a", .flat(0))) {
            try AccrualTerms(fees: [FeeRule(step: "a", charge: .flat(0))])
        }
        #expect(AccrualError.rateOutOfRange(1_500_000).description == "an annual rate of 150% is outside 0 to 100%")
    }

    @Test(
        "percentages print with no trailing zeros and read back",
        arguments: [0, 1, 10, 85_000, 100_000, 123_456, 1_000_000])
    func percentText(ppm: Int64) {
        let text = PartsPerMillion.percentText(ppm)
        #expect(PartsPerMillion.parsePercent(text) == ppm)
        #expect(!text.hasSuffix("0") || !text.contains("."))
    }
}
