import Foundation

/// Where an arrangement is in its life. Stored by its raw value.
///
/// proposed → active (accepted) → completed | broken; proposed or active → cancelled. Completed, broken and
/// cancelled are final.
public enum ArrangementState: String, CaseIterable, Codable, Sendable {
    case proposed, active, completed, broken, cancelled

    /// True for the states nothing can leave: completed, broken and cancelled.
    public var isFinal: Bool { self == .completed || self == .broken || self == .cancelled }
}

/// One debt an arrangement pays, and how much of the arrangement goes to it.
public struct ArrangementDebt: Hashable, Sendable {
    /// The debt's reference (its account or invoice number).
    public var ref: String
    /// Minor units of the arrangement's total that pay this debt.
    public var amount: Int64

    public init(ref: String, amount: Int64) {
        self.ref = ref
        self.amount = amount
    }
}

/// An agreement to pay one or more debts on a schedule: an installment plan, an extension or a settlement.
///
/// It is proposed first and becomes active only when the debtor accepts it; payments then complete it, or an
/// installment left unpaid past its grace days breaks it.
public struct Arrangement: Hashable, Sendable {
    public let currency: Currency
    /// The debts paid; their amounts add up to `total`.
    public let debts: [ArrangementDebt]
    public let kind: PlanOption.Kind
    /// The schedule: amounts above zero adding up to `total`, due dates strictly increasing.
    public let installments: [Installment]
    /// Days after a due date during which a payment still counts as on time (0…60).
    public let graceDays: Int
    public private(set) var state: ArrangementState
    /// Who accepted, when and how; nil until accepted.
    public private(set) var acceptance: Acceptance?
    /// Why the arrangement was broken or cancelled, in a sentence.
    public private(set) var stateReason: String?
    /// The business date of the last change of state; nil while proposed.
    public private(set) var stateChangedOn: LocalDate?

    /// What the arrangement pays in all, in minor units.
    public var total: Int64 { installments.reduce(0) { $0 + $1.amount } }

    /// The most grace days an arrangement may give.
    public static let graceDaysLimit = 60

    /// Makes a proposed arrangement, or restores a stored one by passing its state and what goes with it.
    ///
    /// Active, completed and broken arrangements need an acceptance and a proposed one must not have one; broken and
    /// cancelled arrangements need a reason.
    public init(
        currency: Currency, debts: [ArrangementDebt], kind: PlanOption.Kind, installments: [Installment],
        graceDays: Int, state: ArrangementState = .proposed, acceptance: Acceptance? = nil,
        stateReason: String? = nil, stateChangedOn: LocalDate? = nil
    ) throws(ArrangementError) {
        let money = { (units: Int64) in Money(minorUnits: units, currency: currency).description }
        guard !debts.isEmpty else { throw .noDebts }
        var references = Set<String>()
        var debtsTotal: Int64 = 0
        for (index, debt) in debts.enumerated() {
            guard !debt.ref.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw .blankDebtReference(position: index + 1)
            }
            guard references.insert(debt.ref).inserted else { throw .duplicateDebt(debt.ref) }
            guard debt.amount > 0 else { throw .debtAmountNotPositive(debt.ref, amount: money(debt.amount)) }
            debtsTotal = try Arrangement.checkedSum(debtsTotal, debt.amount)
        }
        guard !installments.isEmpty else { throw .noInstallments }
        var installmentsTotal: Int64 = 0
        for (index, installment) in installments.enumerated() {
            guard installment.amount > 0 else {
                throw .installmentNotPositive(number: index + 1, amount: money(installment.amount))
            }
            if index > 0, installment.due <= installments[index - 1].due {
                throw .dueDatesNotIncreasing(
                    number: index + 1, due: installment.due, previous: installments[index - 1].due)
            }
            installmentsTotal = try Arrangement.checkedSum(installmentsTotal, installment.amount)
        }
        guard debtsTotal == installmentsTotal else {
            throw .debtsDoNotAddUp(debts: money(debtsTotal), installments: money(installmentsTotal))
        }
        guard (0...Arrangement.graceDaysLimit).contains(graceDays) else { throw .graceDaysOutOfRange(graceDays) }
        switch state {
        case .proposed where acceptance != nil:
            throw .inconsistentState("A proposed arrangement cannot have an acceptance yet.")
        case .active, .completed, .broken:
            guard acceptance != nil else {
                throw .inconsistentState(
                    "The arrangement is \(state.rawValue), so it must have the acceptance that made it active.")
            }
        default: break
        }
        if state == .broken || state == .cancelled, (stateReason ?? "").isEmpty {
            throw .inconsistentState("The arrangement is \(state.rawValue), so it must say why.")
        }
        self.currency = currency
        self.debts = debts
        self.kind = kind
        self.installments = installments
        self.graceDays = graceDays
        self.state = state
        self.acceptance = acceptance
        self.stateReason = stateReason
        self.stateChangedOn = stateChangedOn
    }

    /// A proposed arrangement for an option the debtor chose, paying `debts` (their amounts being their balances).
    ///
    /// The balances must add up to the option's total, except for a settlement, which pays less: its total is then
    /// shared across the debts in proportion to their balances (the last minor unit placed deterministically).
    public static func make(
        from option: PlanOption, debts: [ArrangementDebt], currency: Currency, graceDays: Int
    ) throws(ArrangementError) -> Arrangement {
        var shares = debts
        var balance: Int64 = 0
        for debt in debts { balance = try checkedSum(balance, max(0, debt.amount)) }
        let total = option.installments.reduce(Int64(0)) { InstallmentMatcher.saturatingSum($0, $1.amount) }
        if option.kind == .settlement, total < balance, total > 0, debts.allSatisfy({ $0.amount > 0 }) {
            let parts: [Money]
            do {
                parts = try Money(minorUnits: total, currency: currency).allocate(ratios: debts.map(\.amount))
            } catch {
                throw .overflow
            }
            for index in shares.indices { shares[index].amount = parts[index].minorUnits }
            // A share rounded down to zero would be a debt the arrangement does not pay: keep the balances' check.
            if shares.contains(where: { $0.amount == 0 }) { shares = debts }
        }
        return try Arrangement(
            currency: currency, debts: shares, kind: option.kind, installments: option.installments,
            graceDays: graceDays)
    }

    /// Records the debtor's acceptance: proposed → active. `zone` is the debtor's, to date the change.
    public mutating func accept(_ acceptance: Acceptance, in zone: TimeZone) throws(ArrangementError) {
        guard state == .proposed else { throw .invalidTransition(from: state, action: .accept) }
        self.acceptance = acceptance
        state = .active
        stateReason = nil
        stateChangedOn = LocalDate(acceptance.at, in: zone)
    }

    /// Cancels a proposed or active arrangement on `day`, saying why.
    public mutating func cancel(reason: String, on day: LocalDate) throws(ArrangementError) {
        guard state == .proposed || state == .active else { throw .invalidTransition(from: state, action: .cancel) }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw .missingCancelReason }
        state = .cancelled
        stateReason = reason
        stateChangedOn = day
    }

    /// Moves an active arrangement on by what was paid up to `asOf`, and returns the state.
    ///
    /// It is broken from the day after an installment was found short at the end of its last grace day (or at the
    /// end of a later day, when a reversal took money back), completed from the first day at whose end every
    /// installment was paid, whichever came first; the result depends only on the payments and `asOf`. Any other
    /// state is returned unchanged.
    @discardableResult
    public mutating func evaluate(payments: [ArrangementPayment], asOf: LocalDate) -> ArrangementState {
        guard state == .active else { return state }
        let match = status(payments: payments, asOf: asOf)
        if let breach = match.breach, match.completedOn.map({ breach.shortOn < $0 }) ?? true {
            state = .broken
            stateReason = reason(for: breach)
            stateChangedOn = breach.brokenOn
        } else if let completedOn = match.completedOn {
            state = .completed
            stateReason = nil
            stateChangedOn = completedOn
        }
        return state
    }

    /// What each installment looks like on `asOf`, without changing anything.
    public func status(payments: [ArrangementPayment], asOf: LocalDate) -> InstallmentMatch {
        InstallmentMatcher.match(installments: installments, graceDays: graceDays, payments: payments, asOf: asOf)
    }

    /// The sentence saying why a breach broke the arrangement.
    func reason(for breach: InstallmentBreach) -> String {
        let amount = Money.decimalString(minorUnits: breach.amount, currency: currency)
        let paid = Money.decimalString(minorUnits: breach.paid, currency: currency)
        let installment = "Installment \(breach.number) of \(installments.count) (\(amount) due \(breach.due))"
        let grace = graceDays == 1 ? "1 grace day" : "\(graceDays) grace days"
        if breach.shortOn > breach.graceEnds {
            return "\(installment) had \(paid) paid on \(breach.shortOn) after a payment was reversed; "
                + "its \(grace) ended on \(breach.graceEnds)."
        }
        if graceDays == 0 {
            return "\(installment) had \(paid) paid by \(breach.shortOn), its due date, with no grace days."
        }
        return "\(installment) had \(paid) paid by \(breach.shortOn), the end of its \(grace)."
    }

    static func checkedSum(_ left: Int64, _ right: Int64) throws(ArrangementError) -> Int64 {
        let (sum, overflow) = left.addingReportingOverflow(right)
        guard !overflow else { throw .overflow }
        return sum
    }
}
