extension Money {
    /// Reads an amount as a person types it into a form: spaces around it, the currency's symbol or code in front
    /// ("$300", "USD 300", "€ 12.50") and commas between thousands ("1,250.00") are allowed; what is left is read by
    /// `parseMinorUnits`. Commas must group thousands (`1,250`, not `1,25`: in some countries that is a decimal
    /// comma, so it is refused rather than guessed), and a minus sign is not read here (nobody offers a negative
    /// amount). The error is one sentence quoting what was typed.
    public static func parseTyped(_ text: String, currency: Currency) throws(MoneyError) -> Int64 {
        var rest = Substring(text).drop { $0.isWhitespace }
        while rest.last?.isWhitespace == true { rest = rest.dropLast() }
        if rest.isEmpty { throw .invalidAmount(text, reason: "it is empty") }
        for prefix in [symbols[currency.code], currency.code].compactMap({ $0 }) where rest.hasPrefix(prefix) {
            rest = rest.dropFirst(prefix.count).drop { $0.isWhitespace }
            break
        }
        if rest.first == "-" { throw .invalidAmount(text, reason: "it must be more than zero") }
        if let other = rest.first, !other.isNumber {
            throw .invalidAmount(text, reason: "give a number such as 300 or 1,250.00")
        }
        let parts = rest.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let groups = parts[0].split(separator: ",", omittingEmptySubsequences: false)
        if groups.count > 1 {
            guard (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else {
                throw .invalidAmount(
                    text, reason: "commas may only separate thousands (write 1,250.00 or 1250.00)")
            }
        }
        let plain = groups.joined() + (parts.count == 2 ? "." + parts[1] : "")
        do {
            return try parseMinorUnits(plain, currency: currency)
        } catch .invalidAmount(_, let reason) {
            throw .invalidAmount(text, reason: reason)
        } catch .tooManyDecimals(_, let code, let allowed) {
            throw .tooManyDecimals(text, currency: code, allowed: allowed)
        } catch .tooLarge(_, let currency) {
            throw .tooLarge(text, currency: currency)
        } catch {
            throw error
        }
    }
}
