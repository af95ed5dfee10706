/// Simple daily interest on principal, actual/365, as idempotent ledger postings.
///
/// Conventions:
/// - Interest accrues for each day `d` from the day after `start` (the due date) through `through`, inclusive.
/// - Day `d` earns interest on the principal balance at the end of day `d − 1` (every entry effective on or
///   before `d − 1`), and only when that balance is above zero. So a charge on the due date earns from the next
///   day, and a payment on day `d` lowers interest from day `d + 1`. Interest and fees never earn interest.
/// - A paused day earns nothing.
/// - Actual/365 fixed: each day is 1/365 of a year, leap years included.
/// - Rounding happens once: the exact sum of principal-days times the rate, divided by 365 × 1,000,000, rounded
///   down. So the total owed through a day does not depend on how often interest was accrued before.
/// - The result is limited by the interest cap, a percentage cap counting the charges on or before `through`.
public enum InterestAccrual {
    /// Days in the actual/365 year.
    static let daysPerYear: UInt64 = 365

    /// All interest owed from the day after `start` through `through` (inclusive), whatever has been posted.
    ///
    /// Costs O(n log n) in the ledger's entries and the pauses, not in the number of days.
    public static func interestOwed(
        ledger: Ledger, terms: AccrualTerms, pauses: [AccrualPause], accruesAfter start: LocalDate,
        through: LocalDate
    ) -> Int64 {
        guard terms.annualRatePPM > 0, through > start else { return 0 }
        let days = principalDays(ledger: ledger, pauses: pauses, accruesAfter: start, through: through)
        let owed = PartsPerMillion.quotient(
            days, times: UInt64(terms.annualRatePPM), over: daysPerYear * UInt64(PartsPerMillion.whole))
        guard let cap = terms.interestCap else { return owed }
        return min(owed, max(0, cap.limit(principalCharged: ledger.principalCharged(through: through))))
    }

    /// The interest entry that brings the ledger's accrued interest up to what is owed through `through`, keyed
    /// `interest:YYYY-MM-DD`; nil when nothing more is owed or the ledger already has an entry with that key.
    ///
    /// Accruing the same day twice adds nothing, and accruing day by day adds up to accruing once at the end.
    public static func posting(
        ledger: Ledger, terms: AccrualTerms, pauses: [AccrualPause], accruesAfter start: LocalDate,
        through: LocalDate
    ) -> LedgerPosting? {
        let key = "interest:\(through.isoString)"
        guard !ledger.hasEntry(key: key) else { return nil }
        let owed = interestOwed(ledger: ledger, terms: terms, pauses: pauses, accruesAfter: start, through: through)
        let amount = owed - ledger.interestAccrued
        guard amount > 0 else { return nil }
        return .interest(amount: amount, on: through, key: key)
    }

    /// The sum over unpaused days `start + 1 … through` of the positive principal at the end of the day before,
    /// walked as segments between principal changes. Saturates at `UInt64.max`, which no real debt reaches
    /// (10^12 minor units for 50 years is about 1.8 × 10^16).
    static func principalDays(
        ledger: Ledger, pauses: [AccrualPause], accruesAfter start: LocalDate, through: LocalDate
    ) -> UInt64 {
        let firstDay = start.daysSinceEpoch + 1
        let lastDay = through.daysSinceEpoch
        guard firstDay <= lastDay else { return 0 }
        // Principal at the end of `start`, then its changes by date; a change dated `e` counts from day `e + 1`,
        // so changes dated `through` or later do not matter.
        var balance: Int64 = 0
        var changes: [Int: Int64] = [:]
        for entry in ledger.entries where entry.effect.principal != 0 {
            let day = entry.effectiveDate.daysSinceEpoch
            if day < firstDay {
                balance += entry.effect.principal
            } else if day < lastDay {
                changes[day, default: 0] += entry.effect.principal
            }
        }
        let paused = PausedDays(pauses, within: firstDay...lastDay)
        var total: UInt64 = 0
        var segmentStart = firstDay
        func addSegment(through segmentEnd: Int) {
            guard balance > 0, segmentStart <= segmentEnd else { return }
            let earning = (segmentStart...segmentEnd).count - paused.count(in: segmentStart...segmentEnd)
            let (product, overflow) = UInt64(balance).multipliedReportingOverflow(by: UInt64(earning))
            let (sum, sumOverflow) = total.addingReportingOverflow(product)
            total = overflow || sumOverflow ? .max : sum
        }
        for (day, change) in changes.sorted(by: { $0.key < $1.key }) {
            addSegment(through: day)
            balance += change
            segmentStart = day + 1
        }
        addSegment(through: lastDay)
        return total
    }
}
