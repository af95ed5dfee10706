import Foundation

/// How often installments fall due.
public enum PaymentFrequency: String, CaseIterable, Codable, Sendable {
    case weekly, biweekly, monthly

    /// The due date of installment `index` (0 = the first) of a schedule starting on `first`. Monthly dates keep
    /// the first date's day of month, clamped to each month's last day (Jan 31 → Feb 28 or 29 → Mar 31).
    public func dueDate(_ index: Int, from first: LocalDate) -> LocalDate {
        switch self {
        case .weekly: first.adding(days: 7 * index)
        case .biweekly: first.adding(days: 14 * index)
        case .monthly: first.adding(months: index)
        }
    }
}

/// What the debtor says they can pay: an amount per installment, how often, and from when.
public struct PlanOffer: Hashable, Sendable {
    /// Minor units per installment, more than zero.
    public var amount: Int64
    public var frequency: PaymentFrequency
    public var firstDue: LocalDate

    public init(amount: Int64, frequency: PaymentFrequency, firstDue: LocalDate) {
        self.amount = amount
        self.frequency = frequency
        self.firstDue = firstDue
    }
}

/// The client's bounds for plans; each is optional. A plan's length is always bounded: without
/// `maxInstallments` or `maxMonths`, the defaults (`defaultMaxInstallments`, `defaultMaxMonths`) apply.
public struct PlanTerms: Hashable, Sendable {
    /// The smallest installment accepted, in minor units.
    public var minInstallment: Int64?
    /// The most installments a plan may have (`defaultMaxInstallments` when nil).
    public var maxInstallments: Int?
    /// The most months a plan may run: every installment falls due less than this many months after the first
    /// (`defaultMaxMonths` when nil).
    public var maxMonths: Int?
    /// When given, a settlement for this percentage of the balance (rounded up to the minor unit) is offered too.
    public var settlementPercent: Int?
    /// When given, an extension is offered: the whole balance on one later date, at most this many days from today.
    public var maxExtensionDays: Int?

    public init(
        minInstallment: Int64? = nil, maxInstallments: Int? = nil, settlementPercent: Int? = nil,
        maxExtensionDays: Int? = nil, maxMonths: Int? = nil
    ) {
        self.minInstallment = minInstallment
        self.maxInstallments = maxInstallments
        self.settlementPercent = settlementPercent
        self.maxExtensionDays = maxExtensionDays
        self.maxMonths = maxMonths
    }

    /// The most installments when the terms name none: three years of monthly payments.
    public static let defaultMaxInstallments = 36
    /// The most months a plan runs when the terms name none.
    public static let defaultMaxMonths = 36
    /// The longest `maxMonths` terms may set (20 years).
    public static let monthsLimit = 240

    /// The most installments in force: the terms' own or the default.
    public var installmentBound: Int { maxInstallments ?? Self.defaultMaxInstallments }
    /// The most months in force: the terms' own or the default.
    public var monthsBound: Int { maxMonths ?? Self.defaultMaxMonths }
}

/// A request for a plan: the balance, the debtor's offer and the client's terms.
public struct PlanRequest: Hashable, Sendable {
    /// Minor units, more than zero.
    public var balance: Int64
    public var currency: Currency
    /// The day the plan is proposed.
    public var today: LocalDate
    public var offer: PlanOffer
    public var terms: PlanTerms

    public init(balance: Int64, currency: Currency, today: LocalDate, offer: PlanOffer, terms: PlanTerms = PlanTerms())
    {
        self.balance = balance
        self.currency = currency
        self.today = today
        self.offer = offer
        self.terms = terms
    }
}

/// One payment of a plan.
public struct Installment: Hashable, Sendable {
    public var due: LocalDate
    /// Minor units.
    public var amount: Int64

    public init(due: LocalDate, amount: Int64) {
        self.due = due
        self.amount = amount
    }
}

/// One way to pay: installments, a settlement for less, or an extension to a later date.
public struct PlanOption: Hashable, Sendable {
    public enum Kind: String, Sendable {
        case installments, settlement, `extension`
    }

    public var kind: Kind
    public var installments: [Installment]

    /// What the option pays in all, in minor units.
    public var total: Int64 { installments.reduce(0) { $0 + $1.amount } }
}

/// The answer to a plan request: whether the offer fits the terms, the options, and why not when it does not.
public struct PlanProposal: Hashable, Sendable {
    /// True when the debtor's own offer fits the client's terms (it is then the first option).
    public var accepted: Bool
    /// The installment schedule first (the offer, or the counter-offer closest to it), then an extension and a
    /// settlement when the terms allow them.
    public var options: [PlanOption]
    /// Plain sentences saying why the offer was countered; empty when accepted.
    public var reasons: [String]
}

/// Turns what a debtor can pay into a schedule within the client's terms.
///
/// Every installment equals the installment amount except the last, which is the remainder (more than zero and
/// no more than the others), so the installments always add up to the balance exactly. A plan has at most
/// `maxInstallments` installments, all due less than `maxMonths` months after the first (the defaults when the
/// terms name none): the maximum count is the smaller of the two at the offer's frequency. When the offer is below
/// the minimum installment or would need more installments than that, the counter-offer is the smallest
/// installment amount at or above the offer that fits both, at the same frequency: the larger of the minimum and
/// the balance divided by the maximum count (rounded up to the minor unit), never more than the balance itself.
/// The reasons then say why, and end with the closest plan.
public enum PlanCalculator {
    /// The most installments any plan is given, whatever the terms say (20 years of weekly payments).
    public static let installmentLimit = 1_040

    /// The proposal for `request`.
    public static func propose(_ request: PlanRequest) -> PlanProposal {
        let balance = request.balance
        let offer = request.offer
        let terms = request.terms
        let money = { (units: Int64) in MoneyText.display(units, request.currency) }
        var reasons: [String] = []

        // What the debtor can pay now in one go is always acceptable when it clears the balance.
        let offered = min(offer.amount, balance)
        let minimum = min(terms.minInstallment ?? 0, balance)
        let offeredCount = installmentCount(balance, offered)
        if offered < minimum {
            reasons.append(
                "The offer of \(money(offer.amount)) is below the smallest installment we can accept, "
                    + "\(money(minimum)).")
        }
        let maximum = maximumCount(terms, offer.frequency, from: offer.firstDue)
        if offeredCount > maximum {
            let payments = { (count: Int) in count == 1 ? "1 payment" : "\(count) payments" }
            reasons.append(
                "At \(money(offered)) \(Self.per(offer.frequency)) the balance of \(money(balance)) would take "
                    + "\(payments(offeredCount)) (\(duration(offeredCount, offer.frequency))); the longest plan we "
                    + "can agree is \(payments(maximum)) (\(duration(maximum, offer.frequency))).")
        }
        var amount = offered
        if !reasons.isEmpty {
            amount = max(amount, minimum)
            amount = max(amount, dividedRoundingUp(balance, Int64(maximum)))
            amount = min(amount, balance)
            let count = installmentCount(balance, amount)
            reasons.append(
                count == 1
                    ? "The closest plan is one payment of \(money(amount))."
                    : "The closest plan is \(money(amount)) \(Self.per(offer.frequency)), \(count) payments.")
        }
        var options = [
            PlanOption(
                kind: .installments, installments: schedule(balance, amount, offer.frequency, from: offer.firstDue))
        ]
        if let days = terms.maxExtensionDays {
            let latest = request.today.adding(days: days)
            options.append(
                PlanOption(
                    kind: .extension, installments: [Installment(due: min(offer.firstDue, latest), amount: balance)]))
        }
        if let percent = terms.settlementPercent {
            // Rounded up to the minor unit: the client never receives less than its percentage. Worked out in 128
            // bits, so no balance can overflow it; a percentage above 100 is read as 100.
            let settled = percentOf(balance, percent: min(max(percent, 0), 100))
            options.append(
                PlanOption(kind: .settlement, installments: [Installment(due: offer.firstDue, amount: settled)]))
        }
        return PlanProposal(accepted: reasons.isEmpty, options: options, reasons: reasons)
    }

    /// Installments of `amount` until `balance` is paid, the last one the remainder.
    public static func schedule(
        _ balance: Int64, _ amount: Int64, _ frequency: PaymentFrequency, from first: LocalDate
    )
        -> [Installment]
    {
        let count = installmentCount(balance, amount)
        var installments: [Installment] = []
        installments.reserveCapacity(count)
        for index in 0..<count {
            let paid = amount * Int64(index)
            installments.append(
                Installment(due: frequency.dueDate(index, from: first), amount: min(amount, balance - paid)))
        }
        return installments
    }

    /// The most installments a plan at `frequency` starting on `first` may have under `terms`: at most
    /// `installmentBound`, all due less than `monthsBound` months after `first`, never more than `installmentLimit`
    /// and never fewer than 1.
    public static func maximumCount(_ terms: PlanTerms, _ frequency: PaymentFrequency, from first: LocalDate) -> Int {
        let months = min(max(terms.monthsBound, 1), PlanTerms.monthsLimit)
        let byMonths: Int
        switch frequency {
        case .monthly: byMonths = months
        case .weekly, .biweekly:
            let step = frequency == .weekly ? 7 : 14
            byMonths = (first.adding(months: months).days(since: first) - 1) / step + 1
        }
        return max(1, min(terms.installmentBound, byMonths, installmentLimit))
    }

    /// How long `count` installments at `frequency` run, each counted as one period: "14 years 5 months",
    /// "8 months", "3 weeks" (months of 30.4375 days for weekly and biweekly plans).
    static func duration(_ count: Int, _ frequency: PaymentFrequency) -> String {
        let perYear = frequency == .monthly ? 12 : frequency == .weekly ? 52 : 26
        guard count <= 1_000 * perYear else { return "more than 1,000 years" }
        let months: Int
        switch frequency {
        case .monthly: months = count
        case .weekly, .biweekly:
            let days = Int64(count) * (frequency == .weekly ? 7 : 14)
            guard days >= 31 else { return days / 7 == 1 ? "1 week" : "\(days / 7) weeks" }
            months = Int(days * 16 / 487)
        }
        let (years, rest) = months.quotientAndRemainder(dividingBy: 12)
        let yearText = years == 0 ? nil : years == 1 ? "1 year" : "\(years) years"
        let monthText = rest == 0 ? nil : rest == 1 ? "1 month" : "\(rest) months"
        return [yearText, monthText].compactMap { $0 }.joined(separator: " ")
    }

    /// How many installments of `amount` pay `balance` (the last one may be smaller).
    static func installmentCount(_ balance: Int64, _ amount: Int64) -> Int {
        guard amount > 0, balance > 0 else { return 0 }
        return Int(dividedRoundingUp(balance, amount))
    }

    /// `dividend / divisor` rounded up, for a positive dividend and divisor; written so that no intermediate sum
    /// can overflow (`(a + b - 1) / b` does for a balance near `Int64.max`).
    static func dividedRoundingUp(_ dividend: Int64, _ divisor: Int64) -> Int64 {
        (dividend - 1) / divisor + 1
    }

    /// `percent` (0–100) of `amount` (not negative), rounded up to the minor unit, computed in full width.
    static func percentOf(_ amount: Int64, percent: Int) -> Int64 {
        let (high, low) = amount.magnitude.multipliedFullWidth(by: UInt64(percent))
        let (quotient, remainder) = UInt64(100).dividingFullWidth((high, low))
        return Int64(quotient) + (remainder > 0 ? 1 : 0)
    }

    private static func per(_ frequency: PaymentFrequency) -> String {
        switch frequency {
        case .weekly: "a week"
        case .biweekly: "every two weeks"
        case .monthly: "a month"
        }
    }
}

/// Money for people in plan reasons: `$1,250.00`, `¥5,000`, `12.500 KWD`.
enum MoneyText {
    static func display(_ units: Int64, _ currency: Currency) -> String {
        Money(minorUnits: units, currency: currency).displayString
    }
}
