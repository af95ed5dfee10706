import RecoupCore

/// An amount as a person or a request gave it. A debt's currency is a fact of the stored debt, so a use case reads
/// the amount only once it has found the debt: the command line, the API and the pages all hand over the text and
/// get the same sentence back when it cannot be read.
public enum EnteredAmount: Sendable, Equatable, ExpressibleByIntegerLiteral {
    /// Minor units already read (tests, the demo, bulk paths); the use case's own rules still check the value.
    case minorUnits(Int64)
    /// A decimal text such as "55.94" and the name of the field it came in, which the error sentence names.
    case text(String, field: String)

    public init(integerLiteral value: Int64) {
        self = .minorUnits(value)
    }

    /// The minor units in `currency`. Text must be more than zero (or zero when `allowZero`) and within
    /// `Currency.largestAcceptedMinorUnits`; otherwise `StoreError.invalid` names the field.
    public func minorUnits(in currency: Currency, allowZero: Bool = false) throws(StoreError) -> Int64 {
        switch self {
        case .minorUnits(let units): return units
        case .text(let text, let field):
            let units: Int64
            do {
                units = try Money.parseMinorUnits(text, currency: currency)
            } catch {
                throw .invalid("\(field): \(error.description)")
            }
            guard units > 0 || (allowZero && units == 0) else {
                throw .invalid("\(field) must be more than zero (it is \(text))")
            }
            return units
        }
    }
}
