import Foundation

/// Amounts of money, telephone numbers, email addresses and web links.
enum Detectors {
    private static func regex(_ pattern: String, caseInsensitive: Bool = true) -> NSRegularExpression {
        do {
            return try NSRegularExpression(pattern: pattern, options: caseInsensitive ? [.caseInsensitive] : [])
        } catch {
            preconditionFailure("MessageLint: bad pattern \(pattern): \(error)")
        }
    }

    /// Telephone numbers: North American with or without +1 or 1- (617-555-0100, (617) 555-0100, +1 617 555 0100),
    /// 1-800 vanity numbers (1-800-PAY-NOW1), and international numbers written with +.
    static let telephone = regex(
        #"(?<![\p{L}\p{N}])(?:\+?1[\s.-]?)?(?:\(\d{3}\)[\s.-]?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?!\d)"#
            + #"|(?<![\p{L}\p{N}])(?:\+?1[\s.-])?8(?:00|33|44|55|66|77|88)-[A-Z0-9]{3}-?[A-Z0-9]{4}(?![\p{L}\p{N}])"#
            + #"|(?<![\p{L}\p{N}])\+[2-9]\d{0,2}(?:[\s.-]?\d){7,14}(?!\d)"#)
    /// Email addresses.
    static let emailAddress = regex(#"[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}"#)
    /// Web links: with a scheme, starting www., or a bare domain in a common top-level domain.
    static let webLink = regex(
        #"(?:https?://|www\.)[^\s<>"]+"#
            + #"|(?<![@\p{L}\p{N}.-])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|gov|io|co|us|biz|info|pay|app)(?:/[^\s<>"]*)?(?![\p{L}\p{N}])"#
    )

    /// Top-level domains recognised in bare links.
    private static let topLevelDomains: Set<String> = [
        "com", "net", "org", "gov", "io", "co", "us", "biz", "info", "pay", "app",
    ]

    /// True when a whitespace-delimited chunk could hold a web link ("://", "www." or ".com"-like ending), so the
    /// link pattern is worth running on it.
    static func mayHoldLink(_ chunk: ArraySlice<UInt16>) -> Bool {
        func lower(_ unit: UInt16) -> UInt16 { unit >= 0x41 && unit <= 0x5A ? unit + 0x20 : unit }
        func isLetter(_ unit: UInt16) -> Bool { (0x61...0x7A).contains(lower(unit)) }
        var index = chunk.startIndex
        while index < chunk.endIndex {
            let unit = chunk[index]
            if unit == 0x3A, chunk[index...].starts(with: [0x3A, 0x2F, 0x2F]) { return true }  // ://
            if unit == 0x2E, index > chunk.startIndex {
                if index - chunk.startIndex >= 3, chunk[(index - 3)..<index].map(lower) == [0x77, 0x77, 0x77] {
                    return true
                }  // www.
                var end = index + 1
                while end < chunk.endIndex, isLetter(chunk[end]) { end += 1 }
                if end - index > 1, end - index <= 5,
                    topLevelDomains.contains(String(decoding: chunk[(index + 1)..<end].map(lower), as: UTF16.self))
                {
                    return true  // .com
                }
            }
            index += 1
        }
        return false
    }

    /// Currency signs and codes, written before an amount (or, for codes, after it), and currency words written after.
    static let currencySigns = ["$", "€", "£", "¥"]
    static let currencyCodes = ["usd", "eur", "gbp", "cad", "aud", "nzd", "chf", "jpy", "mxn", "inr"]
    static let currencyWords = ["dollar", "dollars", "euro", "euros", "pound", "pounds"]

    /// Amounts of money: a currency sign or code before a number ($1,234.56, USD 500, $ 80), or a code or word after
    /// it (1,234.56 USD, 500 dollars). Thousands separators and up to two decimals are taken in.
    static func amounts(in message: MessageText) -> [NSRange] {
        let tokens = message.tokens
        guard message.digitCount > 0 else { return [] }

        /// The last token of the number starting at `index` (digits, then ",ddd" groups, then ".dd"), if it is one.
        func numberEnd(_ index: Int) -> Int? {
            guard index < tokens.count, tokens[index].isNumber else { return nil }
            var end = index
            func adjacent(_ a: Int, _ b: Int) -> Bool { tokens[a].end == tokens[b].start }
            func isMark(_ index: Int, _ unit: UInt16) -> Bool {
                tokens[index].end - tokens[index].start == 1 && message.units[tokens[index].start] == unit
            }
            func digits(_ index: Int) -> Int { tokens[index].end - tokens[index].start }
            while end + 2 < tokens.count, isMark(end + 1, 0x2C), tokens[end + 2].isNumber, digits(end + 2) == 3,
                adjacent(end, end + 1), adjacent(end + 1, end + 2)
            {
                end += 2
            }
            if end + 2 < tokens.count, isMark(end + 1, 0x2E), tokens[end + 2].isNumber, digits(end + 2) <= 2,
                adjacent(end, end + 1), adjacent(end + 1, end + 2)
            {
                end += 2
            }
            return end
        }

        var result: [NSRange] = []
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            if token.flags & WordFlags.currency != 0, let end = numberEnd(index + 1) {
                result.append(NSRange(location: token.start, length: tokens[end].end - token.start))
                index = end + 1
            } else if let end = numberEnd(index), end + 1 < tokens.count,
                tokens[end + 1].flags & (WordFlags.currency | WordFlags.currencyWord) != 0
            {
                result.append(NSRange(location: token.start, length: tokens[end + 1].end - token.start))
                index = end + 2
            } else {
                index += 1
            }
        }
        return result
    }
}
