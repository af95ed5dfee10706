import RecoupCore
import RecoupStore

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
        // The same reading, and the same sentences, as the store's use cases (`EnteredAmount`).
        do {
            return try EnteredAmount.text(text, field: field).minorUnits(in: currency, allowZero: allowZero)
        } catch {
            throw InputError(error.description)
        }
    }

    /// An amount typed into a form (the portal's plan and promise, the debt page's plan): read as people type it
    /// (`Money.parseTyped`: "$300", "300", "1,250.00", " 1250 "), more than zero, one sentence naming the field when
    /// it cannot be read.
    static func typed(_ text: String, field: String, currency: Currency) throws(InputError) -> Int64 {
        let units: Int64
        do {
            units = try Money.parseTyped(text, currency: currency)
        } catch {
            throw InputError("\(field): \(error.description)")
        }
        guard units > 0 else { throw InputError("\(field) must be more than zero (it is \(text))") }
        return units
    }
}
