/// The balance a debt would reach on one future date if nothing were paid.
public struct ProjectionPoint: Hashable, Sendable {
    /// The date (end of day).
    public var date: LocalDate
    /// Principal in minor units.
    public var principal: Int64
    /// Interest in minor units: what is in the ledger plus what would accrue by `date`.
    public var interest: Int64
    /// Fees in minor units.
    public var fees: Int64
    /// The sum of the three.
    public var total: Int64 { principal + interest + fees }

    /// Makes a point.
    public init(date: LocalDate, principal: Int64, interest: Int64, fees: Int64) {
        self.date = date
        self.principal = principal
        self.interest = interest
        self.fees = fees
    }
}

/// "This amount will only grow": the balance if nothing is paid, month by month from today.
///
/// It is honest rather than alarming: it starts from the ledger as it stands at the end of `today` (entries dated
/// later are left out), adds only the interest the terms would accrue (same formula, caps and pauses as
/// `InterestAccrual`), and assumes no fee step is reached, so fees stay as they are. Terms with no interest,
/// a reached cap or an open-ended pause project no growth at all.
public struct BalanceProjection: Hashable, Sendable {
    /// The day the projection starts from.
    public var from: LocalDate
    /// The balance at the end of `from`.
    public var start: ComponentAmounts
    /// One point per month after `from`: `from.adding(months: k)` for k = 1 … months.
    public var points: [ProjectionPoint]

    /// How much the total grows from `from` to the last point (zero without points).
    public var growth: Int64 { (points.last?.total ?? start.total) - start.total }

    /// Projects the balance of a debt due on `start` for `months` months after `today` (none if `months` < 1).
    public init(
        ledger: Ledger, terms: AccrualTerms, pauses: [AccrualPause], accruesAfter start: LocalDate,
        from today: LocalDate, months: Int = 12
    ) {
        let known = Ledger(
            currency: ledger.currency, entries: ledger.entries.filter { $0.effectiveDate <= today },
            allocationOrder: ledger.allocationOrder)
        let balance = known.balance(asOf: today)
        let accrued = known.interestAccrued
        self.from = today
        self.start = balance
        var points: [ProjectionPoint] = []
        for month in stride(from: 1, through: months, by: 1) {
            let date = today.adding(months: month)
            let owed = InterestAccrual.interestOwed(
                ledger: known, terms: terms, pauses: pauses, accruesAfter: start, through: date)
            points.append(
                ProjectionPoint(
                    date: date, principal: balance.principal, interest: balance.interest + max(0, owed - accrued),
                    fees: balance.fees))
        }
        self.points = points
    }

    /// The points of `BalanceProjection(ledger:terms:pauses:accruesAfter:from:months:)`.
    public static func project(
        ledger: Ledger, terms: AccrualTerms, pauses: [AccrualPause], accruesAfter start: LocalDate,
        from today: LocalDate, months: Int = 12
    ) -> [ProjectionPoint] {
        BalanceProjection(
            ledger: ledger, terms: terms, pauses: pauses, accruesAfter: start, from: today, months: months
        ).points
    }

    /// `{"currency","from","points":[{"date","principal","interest","fees","total"}],"growth"}`, amounts as
    /// decimal strings in `currency`.
    public func jsonText(currency: Currency) -> String {
        func amount(_ minorUnits: Int64) -> String {
            "\"\(Money.decimalString(minorUnits: minorUnits, currency: currency))\""
        }
        var text = "{\"currency\":"
        appendJSONString(currency.code, to: &text)
        text += ",\"from\":\"\(from.isoString)\",\"points\":["
        for (index, point) in points.enumerated() {
            if index > 0 { text += "," }
            text += "{\"date\":\"\(point.date.isoString)\",\"principal\":\(amount(point.principal))"
            text += ",\"interest\":\(amount(point.interest)),\"fees\":\(amount(point.fees))"
            text += ",\"total\":\(amount(point.total))}"
        }
        text += "],\"growth\":\(amount(growth))}"
        return text
    }
}
