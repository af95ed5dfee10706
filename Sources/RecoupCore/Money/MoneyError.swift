/// What can go wrong when reading or computing with money.
public enum MoneyError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownCurrency(String)
    case invalidAmount(String, reason: String)
    case tooManyDecimals(String, currency: String, allowed: Int)
    case currencyMismatch(String, String)
    /// An amount read from outside whose size is above the currency's `largestAcceptedMinorUnits`.
    case tooLarge(String, currency: Currency)
    case overflow
    case invalidSplit(String)

    public var description: String {
        switch self {
        case .unknownCurrency(let code):
            return "unknown currency \"\(code)\": use an ISO 4217 code such as USD, EUR or GBP"
        case .invalidAmount(let text, let reason):
            return "\"\(text)\" is not an amount: \(reason)"
        case .tooManyDecimals(let text, let currency, let allowed):
            let digits = allowed == 1 ? "1 decimal" : "\(allowed) decimals"
            return allowed == 0
                ? "\"\(text)\" has decimals, but \(currency) has no minor unit"
                : "\"\(text)\" has more decimals than \(currency) allows (\(digits))"
        case .currencyMismatch(let left, let right):
            return "cannot combine amounts in \(left) and \(right)"
        case .tooLarge(let text, let currency):
            let largest = Money.decimalString(minorUnits: currency.largestAcceptedMinorUnits, currency: currency)
            return
                "\"\(text)\" is more than Recoup accepts: amounts in \(currency.code) are at most \(largest) either side of zero"
        case .overflow:
            return "the amount is too large to represent exactly"
        case .invalidSplit(let reason):
            return "cannot split the amount: \(reason)"
        }
    }
}
