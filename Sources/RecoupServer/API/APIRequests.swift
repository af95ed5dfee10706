import Foundation
import RecoupAPI
import RecoupCore

// Core's values read from the generated request types: the checks the document cannot state (an amount's
// decimals for its currency, a real calendar date, a plan that starts today or later), each refused in one sentence
// that names the field. The command line reads the same requests the same way (`APIRequestReader`).

/// Reads a request body the way the API does, for the command line: the generated type, then Core's value.
enum APIRequestReader {
    /// Decodes `type` from JSON `data`; a problem is one sentence naming the field (`InputError`).
    static func decode<Value: Decodable>(_ type: Value.Type, from data: Data, operationID: String) throws -> Value {
        guard !data.isEmpty else { throw InputError("the request is empty; send it as JSON") }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw InputError(DecodingErrorText.sentence(error, operationID: operationID))
        }
    }
}

extension PlanRequest {
    /// A plan request (docs/arrangements.md): amounts in the request's currency, more than zero.
    init(_ body: Components.Schemas.PlanRequest) throws(InputError) {
        let currency: Currency
        do { currency = try Currency(code: body.currency) } catch {
            throw InputError("currency is \"\(body.currency)\", not a currency Recoup knows (such as USD, EUR, JPY)")
        }
        let balance = try APIField.amount(body.balance, "balance", currency)
        let today = try APIField.date(body.today, "today")
        let offer = PlanOffer(
            amount: try APIField.amount(body.offer.amount, "offer.amount", currency),
            frequency: PaymentFrequency(rawValue: body.offer.frequency.rawValue) ?? .monthly,
            firstDue: try APIField.date(body.offer.firstDue, "offer.firstDue"))
        guard offer.firstDue >= today else {
            throw InputError(
                "offer.firstDue is \(offer.firstDue), before today (\(today)); a plan starts today or later")
        }
        self.init(
            balance: balance, currency: currency, today: today,
            offer: offer, terms: try Self.terms(body.terms, currency: currency))
    }

    private static func terms(_ body: Components.Schemas.PlanTerms?, currency: Currency) throws(InputError) -> PlanTerms
    {
        guard let body else { return PlanTerms() }
        return try PlanTerms(body, currency: currency, field: "terms")
    }
}

extension PlanTerms {
    /// Plan bounds, each optional (null = absent); `field` is where they are in the request. The amount is read
    /// as the API reads amounts; the bounds are checked by Core (`PlanTerms.validate`), in its sentences.
    init(_ body: Components.Schemas.PlanTerms, currency: Currency, field: String) throws(InputError) {
        self.init(
            maxInstallments: body.maxInstallments?.value, settlementPercent: body.settlementPercent?.value,
            maxExtensionDays: body.maxExtensionDays?.value, maxMonths: body.maxMonths?.value)
        if let minimum = body.minInstallment?.value {
            minInstallment = try APIField.amount(minimum, "\(field).minInstallment", currency, allowZero: true)
        }
        do { try validate(field: field, currency: currency) } catch { throw InputError(error.description) }
    }
}

/// Field readers with the sentences the API and the command line share.
enum APIField {
    /// A calendar date `YYYY-MM-DD`.
    static func date(_ text: String, _ field: String) throws(InputError) -> LocalDate {
        do { return try LocalDate(iso: text) } catch { throw InputError("\(field) \(error.description)") }
    }

    /// An amount of `currency`, more than zero (or zero when allowed).
    static func amount(
        _ text: DecimalText, _ field: String, _ currency: Currency, allowZero: Bool = false
    )
        throws(InputError) -> Int64
    {
        let units: Int64
        do { units = try Money.parseMinorUnits(text.text, currency: currency) } catch {
            throw InputError("\(field) \(error.description)")
        }
        guard units > 0 || (allowZero && units == 0) else {
            throw InputError("\(field) is \(text.text); it must be more than zero")
        }
        return units
    }
}
