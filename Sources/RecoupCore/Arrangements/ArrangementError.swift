/// What can be wrong with an arrangement or a change to it; each says what and where in one sentence.
public enum ArrangementError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The change asked for.
    public enum Action: String, Sendable {
        case accept, cancel

        var pastParticiple: String { self == .accept ? "accepted" : "cancelled" }
        var allowedFrom: String { self == .accept ? "a proposed arrangement" : "a proposed or active arrangement" }
    }

    case invalidTransition(from: ArrangementState, action: Action)
    case missingCancelReason
    case noDebts
    case blankDebtReference(position: Int)
    case duplicateDebt(String)
    case debtAmountNotPositive(String, amount: String)
    case debtsDoNotAddUp(debts: String, installments: String)
    case noInstallments
    case installmentNotPositive(number: Int, amount: String)
    case dueDatesNotIncreasing(number: Int, due: LocalDate, previous: LocalDate)
    case graceDaysOutOfRange(Int)
    case inconsistentState(String)
    case overflow

    public var description: String {
        switch self {
        case .invalidTransition(let state, let action):
            return "The arrangement is \(state.rawValue), so it cannot be \(action.pastParticiple): "
                + "only \(action.allowedFrom) can be."
        case .missingCancelReason:
            return "A reason is needed to cancel an arrangement."
        case .noDebts:
            return "An arrangement needs at least one debt."
        case .blankDebtReference(let position):
            return "Debt \(position) has no reference."
        case .duplicateDebt(let reference):
            return "Debt \(reference) is listed more than once."
        case .debtAmountNotPositive(let reference, let amount):
            return "Debt \(reference) has an amount of \(amount); it must be more than zero."
        case .debtsDoNotAddUp(let debts, let installments):
            return "The debts add up to \(debts) but the installments add up to \(installments); they must be equal."
        case .noInstallments:
            return "An arrangement needs at least one installment."
        case .installmentNotPositive(let number, let amount):
            return "Installment \(number) is \(amount); every installment must be more than zero."
        case .dueDatesNotIncreasing(let number, let due, let previous):
            return "Installment \(number) is due \(due), not after installment \(number - 1) (\(previous)); "
                + "due dates must increase."
        case .graceDaysOutOfRange(let days):
            return "Grace days must be 0 to 60, not \(days)."
        case .inconsistentState(let sentence):
            return sentence
        case .overflow:
            return "The amounts are too large to add up exactly."
        }
    }
}
