/// Exact arithmetic with rates held as parts per million (1% = 10_000 ppm).
enum PartsPerMillion {
    /// One whole, in parts per million.
    static let whole: Int64 = 1_000_000
    /// 0% to 100%.
    static let percentRange: ClosedRange<Int64> = 0...whole

    /// `amount × ppm / 1_000_000`, rounded down; zero for a negative amount or rate.
    static func share(of amount: Int64, ppm: Int64) -> Int64 {
        guard amount > 0, ppm > 0 else { return 0 }
        return quotient(UInt64(amount), times: UInt64(ppm), over: UInt64(whole))
    }

    /// `value × factor / divisor` rounded down, with a 128-bit intermediate so the product cannot overflow;
    /// saturates at `Int64.max` when the quotient itself would not fit.
    static func quotient(_ value: UInt64, times factor: UInt64, over divisor: UInt64) -> Int64 {
        let product = value.multipliedFullWidth(by: factor)
        guard product.high < divisor else { return .max }
        let (quotient, _) = divisor.dividingFullWidth(product)
        return Int64(clamping: quotient)
    }

    /// A rate as a percentage with no trailing zeros: 85_000 → "8.5", 100_000 → "10", 1 → "0.0001".
    static func percentText(_ ppm: Int64) -> String {
        let sign = ppm < 0 ? "-" : ""
        let magnitude = ppm.magnitude
        let whole = magnitude / 10_000
        var fraction = magnitude % 10_000
        guard fraction > 0 else { return "\(sign)\(whole)" }
        var digits = 4
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        let text = String(fraction)
        return "\(sign)\(whole)." + String(repeating: "0", count: digits - text.count) + text
    }

    /// Reads a non-negative percentage with at most four decimals (`"8.5"`, `"100"`, `"0.0001"`) as parts per
    /// million; nil for anything else (signs, exponents, blanks, five decimals, absurdly many digits).
    static func parsePercent(_ text: String) -> Int64? {
        var whole: Int64 = 0
        var wholeDigits = 0
        var fraction: Int64 = 0
        var fractionDigits = 0
        var seenPoint = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") {
                guard !seenPoint, wholeDigits > 0 else { return nil }
                seenPoint = true
                continue
            }
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            let digit = Int64(byte - UInt8(ascii: "0"))
            if seenPoint {
                fractionDigits += 1
                guard fractionDigits <= 4 else { return nil }
                fraction = fraction * 10 + digit
            } else {
                wholeDigits += 1
                guard wholeDigits <= 9 else { return nil }
                whole = whole * 10 + digit
            }
        }
        guard wholeDigits > 0, !seenPoint || fractionDigits > 0 else { return nil }
        for _ in fractionDigits..<4 { fraction *= 10 }
        return whole * 10_000 + fraction
    }
}
