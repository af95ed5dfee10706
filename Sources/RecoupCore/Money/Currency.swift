/// An ISO 4217 currency: its three-letter code and how many minor-unit digits it uses.
public struct Currency: Hashable, Sendable, CustomStringConvertible {
    /// The ISO 4217 code, upper case (`"USD"`).
    public let code: String
    /// Digits after the decimal point in the currency's minor unit (2 for USD, 0 for JPY, 3 for KWD).
    public let minorDigits: Int

    private init(code: String, minorDigits: Int) {
        self.code = code
        self.minorDigits = minorDigits
    }

    /// Looks a currency up by its ISO 4217 code (case-insensitive); throws for a code Recoup does not know.
    public init(code: String) throws(MoneyError) {
        let upper = code.uppercased()
        guard let digits = Currency.minorDigitsByCode[upper] else { throw .unknownCurrency(code) }
        self.init(code: upper, minorDigits: digits)
    }

    /// The codes Recoup knows, sorted.
    public static var knownCodes: [String] { minorDigitsByCode.keys.sorted() }

    /// 10 to the power of `minorDigits`: minor units in one major unit.
    public var minorUnitsPerMajor: Int64 {
        var factor: Int64 = 1
        for _ in 0..<minorDigits { factor *= 10 }
        return factor
    }

    public var description: String { code }

    /// The largest size of an amount Recoup accepts from outside in this currency, in minor units:
    /// 9,999,999,999 (99,999,999.99 USD, ¥9,999,999,999, 9,999,999.999 KWD). It is the same count of minor units in
    /// every currency so that one bound covers every sum: a portfolio of 900 million debts each at this amount still
    /// adds up below `Int64.max` (9.22 × 10^18), which leaves room for interest and fees on tens of millions of
    /// debts. Every edge reads amounts through `Money.parseMinorUnits`, which enforces it (docs/input-limits.md).
    public var largestAcceptedMinorUnits: Int64 { Currency.largestAcceptedMinorUnits }

    /// See `largestAcceptedMinorUnits`.
    public static let largestAcceptedMinorUnits: Int64 = 9_999_999_999

    /// US dollar.
    public static let usd = Currency(code: "USD", minorDigits: 2)
    /// Euro.
    public static let eur = Currency(code: "EUR", minorDigits: 2)
    /// Pound sterling.
    public static let gbp = Currency(code: "GBP", minorDigits: 2)
    /// Japanese yen (no minor unit).
    public static let jpy = Currency(code: "JPY", minorDigits: 0)
    /// Kuwaiti dinar (three minor digits).
    public static let kwd = Currency(code: "KWD", minorDigits: 3)

    // Minor-unit digits from the ISO 4217 list maintained by SIX (table A.1).
    private static let minorDigitsByCode: [String: Int] = [
        "USD": 2, "EUR": 2, "GBP": 2, "CAD": 2, "AUD": 2, "CHF": 2, "JPY": 0, "SEK": 2, "NOK": 2,
        "DKK": 2, "NZD": 2, "MXN": 2, "INR": 2, "ZAR": 2, "BRL": 2, "PLN": 2, "CZK": 2, "HUF": 2,
        "SGD": 2, "HKD": 2, "CNY": 2, "KRW": 0, "ISK": 0, "CLP": 0, "VND": 0, "ILS": 2, "TRY": 2,
        "KWD": 3, "BHD": 3, "JOD": 3, "OMR": 3, "TND": 3, "IQD": 3, "LYD": 3,
    ]
}
