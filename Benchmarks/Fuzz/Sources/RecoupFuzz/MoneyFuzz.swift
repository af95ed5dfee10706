import Foundation
import RecoupCore

/// Currencies with 0, 2 and 3 minor digits.
let moneyCurrencies: [Currency] = [.jpy, .usd, .kwd]

/// The input as an amount in every currency: what parses must format and parse back to the same minor units.
/// Then raw bytes as any `Int64` of minor units: formatting it must parse back to it when its size is at most the
/// currency's largest accepted amount, and be refused when it is larger.
func fuzzMoney(_ bytes: UnsafeRawBufferPointer) {
    let text = String(decoding: bytes, as: UTF8.self)
    for currency in moneyCurrencies {
        guard let money = try? Money(parsing: text, currency: currency) else { continue }
        let written = money.decimalString
        let again = try? Money(parsing: written, currency: currency)
        fuzzCheck(again == money, "\(text) → \(written) → \(String(describing: again)) in \(currency)")
        _ = money.displayString
    }
    var reader = ByteReader(bytes)
    let units = reader.int64()
    for currency in moneyCurrencies {
        let written = Money.decimalString(minorUnits: units, currency: currency)
        let again = try? Money.parseMinorUnits(written, currency: currency)
        let isAccepted = units.magnitude <= currency.largestAcceptedMinorUnits.magnitude
        fuzzCheck(
            isAccepted ? again == units : again == nil,
            "\(units) → \(written) → \(String(describing: again)) in \(currency)")
        _ = Money.displayString(minorUnits: units, currency: currency)
    }
}
