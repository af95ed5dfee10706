/// The aging buckets of a past-due report, by days past due.
public enum AgingBucket: String, CaseIterable, Codable, Sendable {
    /// Not yet past due (0 days or fewer).
    case current
    case days1To30 = "1-30"
    case days31To60 = "31-60"
    case days61To90 = "61-90"
    case days91Plus = "91+"

    /// The bucket for a number of days past due.
    public init(daysPastDue: Int) {
        switch daysPastDue {
        case ...0: self = .current
        case 1...30: self = .days1To30
        case 31...60: self = .days31To60
        case 61...90: self = .days61To90
        default: self = .days91Plus
        }
    }
}

/// Days past due on `date` for a debt due on `dueDate` (negative before the due date).
public func daysPastDue(dueDate: LocalDate, on date: LocalDate) -> Int { date.days(since: dueDate) }

/// The count and amount of open debts in one aging bucket.
public struct AgingBucketTotal: Hashable, Sendable {
    /// The bucket.
    public var bucket: AgingBucket
    /// How many open debts fall in it.
    public var count: Int
    /// Their balance in minor units.
    public var amount: Int64

    /// Makes a bucket total.
    public init(bucket: AgingBucket, count: Int, amount: Int64) {
        self.bucket = bucket
        self.count = count
        self.amount = amount
    }
}

/// An aging report: open debts at the end of a date, by bucket, in one currency.
public struct AgingReport: Hashable, Sendable {
    /// The date the report describes (end of day).
    public var asOf: LocalDate
    /// The currency of every amount.
    public var currency: Currency
    /// One total per bucket, in `AgingBucket.allCases` order.
    public var buckets: [AgingBucketTotal]

    /// Makes a report; missing buckets are filled with zeros and the buckets are put in order.
    public init(asOf: LocalDate, currency: Currency, buckets: [AgingBucketTotal]) {
        self.asOf = asOf
        self.currency = currency
        self.buckets = AgingBucket.allCases.map { bucket in
            buckets.first { $0.bucket == bucket } ?? AgingBucketTotal(bucket: bucket, count: 0, amount: 0)
        }
    }

    /// The sum over every bucket.
    public var total: AgingBucketTotal {
        AgingBucketTotal(
            bucket: .current, count: buckets.reduce(0) { $0 + $1.count }, amount: buckets.reduce(0) { $0 + $1.amount })
    }

    /// The facts about one debt the report needs.
    public struct DebtFacts: Sendable {
        /// The date of its first charge.
        public var chargedOn: LocalDate
        /// Its due date.
        public var dueDate: LocalDate
        /// Its ledger.
        public var ledger: Ledger

        /// Makes the facts.
        public init(chargedOn: LocalDate, dueDate: LocalDate, ledger: Ledger) {
            self.chargedOn = chargedOn
            self.dueDate = dueDate
            self.ledger = ledger
        }
    }

    /// Computes the report in memory: a debt is open at the end of `asOf` if it was charged on or before
    /// that date and its balance then is above zero. (The store computes the same figures in SQL.)
    public static func compute(debts: some Sequence<DebtFacts>, asOf: LocalDate, currency: Currency) -> AgingReport {
        var totals: [AgingBucket: AgingBucketTotal] = [:]
        for debt in debts where debt.chargedOn <= asOf && debt.ledger.currency == currency {
            let balance = debt.ledger.balance(asOf: asOf).total
            guard balance > 0 else { continue }
            let bucket = AgingBucket(daysPastDue: daysPastDue(dueDate: debt.dueDate, on: asOf))
            var total = totals[bucket] ?? AgingBucketTotal(bucket: bucket, count: 0, amount: 0)
            total.count += 1
            total.amount += balance
            totals[bucket] = total
        }
        return AgingReport(asOf: asOf, currency: currency, buckets: Array(totals.values))
    }
}
