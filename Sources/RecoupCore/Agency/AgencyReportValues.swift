/// A share of a whole as a percent with two decimals, in integer arithmetic: `collected ÷ placed`.
public enum Percentage {
    /// Hundredths of a percent of `part` in `whole`, rounded half away from zero (half up for the usual, positive
    /// shares): 1 of 3 is 3333 (33.33%), 1 of 8 is 1250, 1 of 6 is 1667. Nil when `whole` is not above zero.
    public static func hundredths(_ part: Int64, of whole: Int64) -> Int64? {
        guard whole > 0 else { return nil }
        // (|part| × 20,000 + whole) ÷ (2 × whole) in 128-bit intermediates (the package still builds for macOS 14,
        // which has no Int128): no part and whole of Int64 can overflow it.
        let divisor = UInt64(whole) * 2
        let product = part.magnitude.multipliedFullWidth(by: 20_000)
        let (low, carry) = product.low.addingReportingOverflow(UInt64(whole))
        let high = product.high + (carry ? 1 : 0)
        let bounded: Int64
        if high >= divisor {
            bounded = Int64.max
        } else {
            let quotient = divisor.dividingFullWidth((high: high, low: low)).quotient
            bounded = quotient > UInt64(Int64.max) ? Int64.max : Int64(quotient)
        }
        return part < 0 ? -bounded : bounded
    }

    /// The percent as text with two decimals (`"12.34"`, `"100.00"`, `"-0.50"`); `"0.00"` when `whole` is not above
    /// zero.
    public static func string(_ part: Int64, of whole: Int64) -> String {
        guard let value = hundredths(part, of: whole) else { return "0.00" }
        let magnitude = value.magnitude
        let fraction = magnitude % 100
        return (value < 0 ? "-" : "") + "\(magnitude / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }
}

/// The liquidation report (the stair-step): for each month accounts were placed, what was placed and how much of it
/// was collected, cumulatively, by each month since placement.
public struct LiquidationReport: Hashable, Sendable {
    /// The report's last day: collections through its end count.
    public var asOf: LocalDate
    public var currency: Currency
    /// One per placement month, oldest first.
    public var cohorts: [LiquidationCohort]

    public init(asOf: LocalDate, currency: Currency, cohorts: [LiquidationCohort]) {
        self.asOf = asOf
        self.currency = currency
        self.cohorts = cohorts
    }
}

/// The accounts placed in one month and what they brought in since.
public struct LiquidationCohort: Hashable, Sendable {
    public var placementMonth: CalendarMonth
    /// Accounts placed in the month.
    public var accounts: Int
    /// Minor units placed: the sum of the balances at placement.
    public var placed: Int64
    /// Month 0 (the placement month) to the as-of month, each with the cumulative amounts collected by its end.
    public var months: [LiquidationMonth]

    public init(placementMonth: CalendarMonth, accounts: Int, placed: Int64, months: [LiquidationMonth]) {
        self.placementMonth = placementMonth
        self.accounts = accounts
        self.placed = placed
        self.months = months
    }

    /// What was collected by the as-of date (the last month's cumulative figure).
    public var collected: Int64 { months.last?.collected ?? 0 }
}

/// One step of the stair: what a placement month's accounts had brought in by the end of a month since placement.
public struct LiquidationMonth: Hashable, Sendable {
    /// 0 for the placement month, 1 for the next, …
    public var monthsSincePlacement: Int
    /// Cumulative minor units collected: payments (to the agency and direct to the client) minus their reversals.
    public var collected: Int64
    /// The same, counting only payments the agency received (not direct payments to the client).
    public var collectedByAgency: Int64

    public init(monthsSincePlacement: Int, collected: Int64, collectedByAgency: Int64) {
        self.monthsSincePlacement = monthsSincePlacement
        self.collected = collected
        self.collectedByAgency = collectedByAgency
    }
}

/// Recovery by client: what each client placed, what was collected on it, and how many placed accounts are open.
public struct RecoveryReport: Hashable, Sendable {
    public var asOf: LocalDate
    public var currency: Currency
    /// One per client with placements, by reference.
    public var clients: [ClientRecovery]

    public init(asOf: LocalDate, currency: Currency, clients: [ClientRecovery]) {
        self.asOf = asOf
        self.currency = currency
        self.clients = clients
    }
}

/// One client's placements and their recovery.
public struct ClientRecovery: Hashable, Sendable {
    public var clientRef: String
    public var clientName: String
    /// Placed accounts open at the end of the as-of date (not closed, or closed after it).
    public var open: Int
    /// Placed accounts closed (returned, recalled, paid) on or before the as-of date.
    public var closed: Int
    /// Minor units placed.
    public var placed: Int64
    /// Minor units collected, direct payments included, net of reversals.
    public var collected: Int64
    /// Minor units collected by the agency alone.
    public var collectedByAgency: Int64

    public init(
        clientRef: String, clientName: String, open: Int, closed: Int, placed: Int64, collected: Int64,
        collectedByAgency: Int64
    ) {
        self.clientRef = clientRef
        self.clientName = clientName
        self.open = open
        self.closed = closed
        self.placed = placed
        self.collected = collected
        self.collectedByAgency = collectedByAgency
    }
}

/// Promises to pay made in a period and how they stand on a date (`PromiseToPay.evaluate`), by the month made.
public struct PromiseKeptReport: Hashable, Sendable {
    public var from: LocalDate
    public var to: LocalDate
    public var asOf: LocalDate
    public var currency: Currency
    /// One per month with promises made in it, oldest first.
    public var months: [PromiseKeptMonth]

    public init(from: LocalDate, to: LocalDate, asOf: LocalDate, currency: Currency, months: [PromiseKeptMonth]) {
        self.from = from
        self.to = to
        self.asOf = asOf
        self.currency = currency
        self.months = months
    }

    /// Every month's figures added up.
    public var total: PromiseKeptMonth {
        months.reduce(into: PromiseKeptMonth(month: nil)) { total, month in total.add(month) }
    }
}

/// The promises made in one month (or, for the total, in the period) by outcome.
public struct PromiseKeptMonth: Hashable, Sendable {
    /// Nil for a total.
    public var month: CalendarMonth?
    public var made = 0
    public var kept = 0
    public var partiallyKept = 0
    public var broken = 0
    public var pending = 0
    /// Minor units promised.
    public var promised: Int64 = 0
    /// Minor units paid toward the promises (each promise's `PromiseOutcome.paid`).
    public var paid: Int64 = 0

    public init(month: CalendarMonth?) { self.month = month }

    /// Promises whose outcome is decided: kept, partially kept or broken (a pending one may still be kept).
    public var decided: Int { kept + partiallyKept + broken }

    /// Counts one promise's outcome.
    public mutating func count(_ promise: PromiseToPay, _ outcome: PromiseOutcome) {
        made += 1
        promised = promised.addingReportingOverflow(promise.amount).partialValue
        paid = paid.addingReportingOverflow(outcome.paid).partialValue
        switch outcome {
        case .kept: kept += 1
        case .partiallyKept: partiallyKept += 1
        case .broken: broken += 1
        case .pending: pending += 1
        }
    }

    mutating func add(_ other: PromiseKeptMonth) {
        made += other.made
        kept += other.kept
        partiallyKept += other.partiallyKept
        broken += other.broken
        pending += other.pending
        promised = promised.addingReportingOverflow(other.promised).partialValue
        paid = paid.addingReportingOverflow(other.paid).partialValue
    }
}

/// Collector performance in a period (docs/agency-reports.md says how each figure is counted).
public struct CollectorReport: Hashable, Sendable {
    public var from: LocalDate
    public var to: LocalDate
    public var currency: Currency
    /// One per collector, by name (the email the events were recorded by).
    public var collectors: [CollectorResult]

    public init(from: LocalDate, to: LocalDate, currency: Currency, collectors: [CollectorResult]) {
        self.from = from
        self.to = to
        self.currency = currency
        self.collectors = collectors
    }
}

/// One collector's calls, conversations, promises and the payments attributed to them.
public struct CollectorResult: Hashable, Sendable {
    /// Who recorded the calls (a user's email).
    public var collector: String
    /// Outbound calls recorded, whatever their outcome.
    public var attempts = 0
    /// Calls (either way) on which the debtor was reached: outcome `conversation`.
    public var conversations = 0
    /// Promises to pay made on a call the day of one of the collector's conversations with the debtor.
    public var promises = 0
    /// Minor units paid (net of reversals) within `CollectorResult.attributionDays` after the collector's latest
    /// conversation with the debtor.
    public var collected: Int64 = 0

    /// How long after a conversation a payment is still the collector's.
    public static let attributionDays = 30

    public init(collector: String) { self.collector = collector }
}

/// The days a report over a period covers when its first or last day is left out: the 30 days ending `to`, which is
/// `today` by default. The command line, the pages and the API all take it from here; each refuses a `from` after
/// `to` in its own words.
public enum ReportPeriod {
    public static let defaultDays = 30

    public static func days(from: LocalDate?, to: LocalDate?, today: LocalDate) -> (from: LocalDate, to: LocalDate) {
        let last = to ?? today
        return (from ?? last.adding(days: -(defaultDays - 1)), last)
    }
}
