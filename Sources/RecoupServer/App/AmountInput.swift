import RecoupCore

/// Reads an amount typed or sent by a user, naming the field in the one sentence it throws: the API, the pages, the
/// portal and the commands all read amounts through it, so each refuses the same things the same way.
enum AmountInput {
    /// The minor units of `text` in `currency`; more than zero unless `allowZero`. The size is bounded by
    /// `Currency.largestAcceptedMinorUnits` (Money.parseMinorUnits enforces it).
    static func read(
        _ text: String, field: String, currency: Currency, allowZero: Bool = false
    ) throws(InputError)
        -> Int64
    {
        let units: Int64
        do {
            units = try Money.parseMinorUnits(text, currency: currency)
        } catch {
            throw InputError("\(field): \(error.description)")
        }
        guard units > 0 || (allowZero && units == 0) else {
            throw InputError("\(field) must be more than zero (it is \(text))")
        }
        return units
    }
}
