/// A debtor's promise to pay one amount by a date, made on a call or in the portal.
public struct PromiseToPay: Hashable, Sendable {
    /// Where the promise was made. Stored by its raw value.
    public enum Channel: String, CaseIterable, Codable, Sendable {
        case call, portal
    }

    /// Minor units promised, more than zero.
    public let amount: Int64
    /// The last day a payment counts toward the promise.
    public let due: LocalDate
    /// The day the promise was made; payments before it do not count.
    public let madeOn: LocalDate
    public let via: Channel

    /// Makes a promise; the amount must be above zero and the due date on or after the day it was made.
    public init(amount: Int64, due: LocalDate, madeOn: LocalDate, via: Channel) throws(PromiseError) {
        guard amount > 0 else { throw .amountNotPositive(amount) }
        guard due >= madeOn else { throw .dueBeforeMade(due: due, madeOn: madeOn) }
        self.amount = amount
        self.due = due
        self.madeOn = madeOn
        self.via = via
    }

    /// The furthest ahead a promise may fall due: this many days after the day it was made. A payment further
    /// off is a plan, not a promise.
    public static let maxDaysAhead = 90

    /// Checks a new promise against its debt, as every edge records one (`PromiseStore.add`): besides what `init`
    /// refuses, a promise for more than `balance` (what is owed, in minor units of `currency`) or due more than
    /// `maxDaysAhead` days after the day it was made.
    public static func check(
        amount: Int64, due: LocalDate, madeOn: LocalDate, balance: Int64, currency: Currency
    ) throws(PromiseError) {
        _ = try PromiseToPay(amount: amount, due: due, madeOn: madeOn, via: .call)
        guard amount <= balance else {
            throw .aboveBalance(
                amount: Money(minorUnits: amount, currency: currency).displayString,
                balance: Money(minorUnits: max(balance, 0), currency: currency).displayString)
        }
        guard due.days(since: madeOn) <= maxDaysAhead else {
            throw .dueTooFar(due: due, madeOn: madeOn, latest: madeOn.adding(days: maxDaysAhead))
        }
    }

    /// Whether the promise was kept, judged on `asOf` from the payments dated `madeOn`…`due` (and not after `asOf`).
    ///
    /// It is kept as soon as those payments reach the amount, even before the due date; until the due date has
    /// passed it is otherwise pending; after it, partially kept when something was paid, broken when nothing was.
    /// Reversals (negative amounts) in the window count against it.
    public func evaluate(payments: [ArrangementPayment], asOf: LocalDate) -> PromiseOutcome {
        var paid: Int64 = 0
        for payment in payments where payment.on >= madeOn && payment.on <= due && payment.on <= asOf {
            paid = InstallmentMatcher.saturatingSum(paid, payment.amount)
        }
        paid = max(0, paid)
        if paid >= amount { return .kept(paid: paid) }
        if asOf <= due { return .pending(paid: paid) }
        return paid > 0 ? .partiallyKept(paid: paid) : .broken
    }
}

/// How a promise to pay stands on a date, with what was paid toward it (minor units).
public enum PromiseOutcome: Hashable, Sendable {
    /// Not yet due and not yet paid in full.
    case pending(paid: Int64)
    /// Paid in full by the due date (possibly decided before it).
    case kept(paid: Int64)
    /// Past the due date with part of the amount paid.
    case partiallyKept(paid: Int64)
    /// Past the due date with nothing paid.
    case broken

    /// The outcome's name for storage: `pending`, `kept`, `partially_kept` or `broken`.
    public var name: String {
        switch self {
        case .pending: "pending"
        case .kept: "kept"
        case .partiallyKept: "partially_kept"
        case .broken: "broken"
        }
    }

    /// Minor units paid toward the promise.
    public var paid: Int64 {
        switch self {
        case .pending(let paid), .kept(let paid), .partiallyKept(let paid): paid
        case .broken: 0
        }
    }
}

/// A promise that cannot be recorded.
public enum PromiseError: Error, Equatable, Sendable, CustomStringConvertible {
    case amountNotPositive(Int64)
    case dueBeforeMade(due: LocalDate, madeOn: LocalDate)
    /// The amount and the balance as people read them (`$1,200.00`).
    case aboveBalance(amount: String, balance: String)
    case dueTooFar(due: LocalDate, madeOn: LocalDate, latest: LocalDate)

    public var description: String {
        switch self {
        case .amountNotPositive(let amount):
            return "A promise must be for more than zero; it is for \(amount) minor units."
        case .dueBeforeMade(let due, let madeOn):
            return "A promise cannot be due (\(due)) before the day it was made (\(madeOn))."
        case .aboveBalance(let amount, let balance):
            return "A promise of \(amount) is more than the \(balance) owed; promise at most what is owed."
        case .dueTooFar(let due, let madeOn, let latest):
            return "A promise due \(due) is more than \(PromiseToPay.maxDaysAhead) days after the day it was made "
                + "(\(madeOn)); promise a date by \(latest), or propose a plan."
        }
    }
}
