/// An exact amount of money: a signed count of the currency's minor units (cents for USD).
///
/// Arithmetic is checked: it throws instead of overflowing, and refuses to mix currencies.
public struct Money: Hashable, Sendable, CustomStringConvertible {
    /// The amount in minor units (1250.00 USD is 125000).
    public let minorUnits: Int64
    /// The amount's currency.
    public let currency: Currency

    /// Makes an amount from minor units.
    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// Zero in the given currency.
    public static func zero(_ currency: Currency) -> Money { Money(minorUnits: 0, currency: currency) }

    /// Reads a decimal string such as `"1250.00"`, `"-3.5"` or `"1250"` exactly.
    ///
    /// No rounding ever happens: more decimals than the currency has (`"12.001"` for USD) is an error,
    /// and so are signs other than a leading `-`, grouping separators, exponents and blanks. An amount whose size is
    /// above the currency's `largestAcceptedMinorUnits` is refused (`MoneyError.tooLarge`).
    public init(parsing text: String, currency: Currency) throws(MoneyError) {
        self.init(minorUnits: try Money.parseMinorUnits(text, currency: currency), currency: currency)
    }

    /// Parses a decimal string into minor units of `currency`; see `init(parsing:currency:)`.
    ///
    /// Every amount that comes from outside (API bodies, forms, the portal, import files, payment files, client
    /// terms, plan requests) is read here, so none can be larger than `Currency.largestAcceptedMinorUnits`.
    public static func parseMinorUnits(_ text: String, currency: Currency) throws(MoneyError) -> Int64 {
        var utf8 = Substring(text).utf8[...]
        var isNegative = false
        if utf8.first == UInt8(ascii: "-") {
            isNegative = true
            utf8 = utf8.dropFirst()
        }
        guard let first = utf8.first else {
            throw .invalidAmount(text, reason: text.isEmpty ? "it is empty" : "it has no digits")
        }
        guard first >= 48 && first <= 57 else {
            throw .invalidAmount(text, reason: "it must start with a digit or \"-\"")
        }
        var whole: UInt64 = 0
        var fraction: Int64 = 0
        var fractionDigits = 0
        var seenPoint = false
        for byte in utf8 {
            if byte == UInt8(ascii: ".") {
                guard !seenPoint else { throw .invalidAmount(text, reason: "it has two decimal points") }
                seenPoint = true
                continue
            }
            guard byte >= 48 && byte <= 57 else {
                throw .invalidAmount(text, reason: "only digits, one \".\" and a leading \"-\" are allowed")
            }
            let digit = Int64(byte - 48)
            if seenPoint {
                fractionDigits += 1
                guard fractionDigits <= currency.minorDigits else {
                    throw .tooManyDecimals(text, currency: currency.code, allowed: currency.minorDigits)
                }
                fraction = fraction * 10 + digit
            } else {
                let (times10, overflow1) = whole.multipliedReportingOverflow(by: 10)
                let (next, overflow2) = times10.addingReportingOverflow(UInt64(digit))
                guard !overflow1 && !overflow2 else { throw .tooLarge(text, currency: currency) }
                whole = next
            }
        }
        if seenPoint && fractionDigits == 0 {
            throw .invalidAmount(text, reason: "it ends with a decimal point")
        }
        for _ in fractionDigits..<currency.minorDigits { fraction *= 10 }
        // The magnitude is accumulated unsigned, then bounded by the largest accepted amount on either side of zero.
        let (scaled, overflow1) = whole.multipliedReportingOverflow(by: UInt64(currency.minorUnitsPerMajor))
        let (total, overflow2) = scaled.addingReportingOverflow(UInt64(fraction))
        guard !overflow1 && !overflow2 && total <= UInt64(currency.largestAcceptedMinorUnits) else {
            throw .tooLarge(text, currency: currency)
        }
        return isNegative ? -Int64(total) : Int64(total)
    }

    /// The amount as a decimal string with exactly the currency's minor digits (`"1250.00"`, `"-0.05"`, `"1250"`).
    public var decimalString: String { Money.decimalString(minorUnits: minorUnits, currency: currency) }

    /// Formats minor units of `currency` as a decimal string; see `decimalString`.
    public static func decimalString(minorUnits: Int64, currency: Currency) -> String {
        let digits = currency.minorDigits
        let magnitude = minorUnits.magnitude
        guard digits > 0 else { return minorUnits < 0 ? "-\(magnitude)" : "\(magnitude)" }
        let factor = UInt64(currency.minorUnitsPerMajor)
        let whole = magnitude / factor
        var fraction = String(magnitude % factor)
        if fraction.count < digits { fraction = String(repeating: "0", count: digits - fraction.count) + fraction }
        return (minorUnits < 0 ? "-" : "") + "\(whole).\(fraction)"
    }

    public var description: String { "\(decimalString) \(currency.code)" }

    /// True when the amount is above zero.
    public var isPositive: Bool { minorUnits > 0 }
    /// True when the amount is below zero.
    public var isNegative: Bool { minorUnits < 0 }
    /// True when the amount is zero.
    public var isZero: Bool { minorUnits == 0 }

    /// The sum of two amounts in the same currency.
    public func adding(_ other: Money) throws(MoneyError) -> Money {
        try requireSameCurrency(other)
        let (sum, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
        guard !overflow else { throw .overflow }
        return Money(minorUnits: sum, currency: currency)
    }

    /// The difference of two amounts in the same currency.
    public func subtracting(_ other: Money) throws(MoneyError) -> Money {
        try requireSameCurrency(other)
        let (difference, overflow) = minorUnits.subtractingReportingOverflow(other.minorUnits)
        guard !overflow else { throw .overflow }
        return Money(minorUnits: difference, currency: currency)
    }

    /// The amount multiplied by a whole number.
    public func multiplied(by factor: Int64) throws(MoneyError) -> Money {
        let (product, overflow) = minorUnits.multipliedReportingOverflow(by: factor)
        guard !overflow else { throw .overflow }
        return Money(minorUnits: product, currency: currency)
    }

    /// The amount with its sign flipped.
    public func negated() throws(MoneyError) -> Money {
        guard minorUnits != .min else { throw .overflow }
        return Money(minorUnits: -minorUnits, currency: currency)
    }

    /// The sum of many amounts in one currency (zero for none).
    public static func sum(_ amounts: some Sequence<Money>, currency: Currency) throws(MoneyError) -> Money {
        var total = Money.zero(currency)
        for amount in amounts { total = try total.adding(amount) }
        return total
    }

    /// Splits the amount into `count` parts that differ by at most one minor unit and sum exactly to it.
    ///
    /// The leftover minor units go to the first parts, so the split is deterministic.
    public func split(into count: Int) throws(MoneyError) -> [Money] {
        guard count > 0 else { throw .invalidSplit("the number of parts must be at least 1") }
        return try allocate(ratios: Array(repeating: 1, count: count))
    }

    /// Splits the amount in proportion to `ratios` (non-negative, not all zero); the parts sum exactly to the amount.
    ///
    /// Each part is rounded toward zero first; the leftover minor units go one each to the parts with the
    /// largest remainders (ties to the earlier part), so no cent is ever created or lost.
    public func allocate(ratios: [Int64]) throws(MoneyError) -> [Money] {
        guard !ratios.isEmpty else { throw .invalidSplit("no parts were given") }
        guard ratios.allSatisfy({ $0 >= 0 }) else { throw .invalidSplit("a ratio is negative") }
        var totalRatio: Int64 = 0
        for ratio in ratios {
            let (next, overflow) = totalRatio.addingReportingOverflow(ratio)
            guard !overflow else { throw .overflow }
            totalRatio = next
        }
        guard totalRatio > 0 else { throw .invalidSplit("all ratios are zero") }
        guard minorUnits != .min else { throw .overflow }
        let magnitude = minorUnits.magnitude
        var parts: [UInt64] = []
        var remainders: [(index: Int, remainder: UInt64)] = []
        var assigned: UInt64 = 0
        for (index, ratio) in ratios.enumerated() {
            let (high, low) = magnitude.multipliedFullWidth(by: UInt64(ratio))
            let (quotient, remainder) = UInt64(totalRatio).dividingFullWidth((high, low))
            parts.append(quotient)
            remainders.append((index, remainder))
            assigned += quotient
        }
        var leftover = magnitude - assigned
        remainders.sort { $0.remainder != $1.remainder ? $0.remainder > $1.remainder : $0.index < $1.index }
        var position = 0
        while leftover > 0 {
            let index = remainders[position % remainders.count].index
            if ratios[index] > 0 {
                parts[index] += 1
                leftover -= 1
            }
            position += 1
        }
        let sign: Int64 = minorUnits < 0 ? -1 : 1
        return parts.map { Money(minorUnits: sign * Int64($0), currency: currency) }
    }

    private func requireSameCurrency(_ other: Money) throws(MoneyError) {
        guard currency == other.currency else { throw .currencyMismatch(currency.code, other.currency.code) }
    }
}

extension Money: Comparable {
    /// Orders amounts of one currency; amounts in different currencies order by currency code first.
    public static func < (lhs: Money, rhs: Money) -> Bool {
        lhs.currency == rhs.currency ? lhs.minorUnits < rhs.minorUnits : lhs.currency.code < rhs.currency.code
    }
}
