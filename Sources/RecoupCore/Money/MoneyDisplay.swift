extension Money {
    /// The amount for people to read: currency symbol, thousands grouped, exactly the currency's decimals
    /// (`$4,422.79`, `-€12.50`, `¥1,250`, `CHF 9.90`). Machine-readable output uses `decimalString` instead.
    public var displayString: String { Money.displayString(minorUnits: minorUnits, currency: currency) }

    /// Formats minor units of `currency` for people; see `displayString`.
    public static func displayString(minorUnits: Int64, currency: Currency) -> String {
        let signed = decimalString(minorUnits: minorUnits, currency: currency)
        let plain = minorUnits < 0 ? String(signed.dropFirst()) : signed
        let parts = plain.split(separator: ".", maxSplits: 1)
        let whole = Array(parts[0])
        var grouped = ""
        for (index, digit) in whole.enumerated() {
            if index > 0 && (whole.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        let number = parts.count == 2 ? grouped + "." + parts[1] : grouped
        let sign = minorUnits < 0 ? "-" : ""
        if let symbol = symbols[currency.code] { return sign + symbol + number }
        return sign + currency.code + " " + number
    }

    static let symbols = ["USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "KRW": "₩", "ILS": "₪"]
}
