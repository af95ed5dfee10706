import Testing

@testable import RecoupCore

@Suite("Currency")
struct CurrencyTests {
    static let knownCases: [(code: String, canonical: String, digits: Int, perMajor: Int64)] = [
        ("USD", "USD", 2, 100),
        ("usd", "USD", 2, 100),
        ("Usd", "USD", 2, 100),
        ("EUR", "EUR", 2, 100),
        ("gbp", "GBP", 2, 100),
        ("JPY", "JPY", 0, 1),
        ("jpy", "JPY", 0, 1),
        ("KRW", "KRW", 0, 1),
        ("KWD", "KWD", 3, 1000),
        ("kwd", "KWD", 3, 1000),
        ("BHD", "BHD", 3, 1000),
        ("TND", "TND", 3, 1000),
    ]

    @Test("looks known codes up case-insensitively with their minor digits", arguments: knownCases)
    func knownCodes(code: String, canonical: String, digits: Int, perMajor: Int64) throws {
        let currency = try Currency(code: code)
        #expect(currency.code == canonical)
        #expect(currency.minorDigits == digits)
        #expect(currency.minorUnitsPerMajor == perMajor)
        #expect(currency.description == canonical)
    }

    @Test("the named constants equal the looked-up currencies")
    func constants() throws {
        #expect(try Currency(code: "usd") == .usd)
        #expect(try Currency(code: "EUR") == .eur)
        #expect(try Currency(code: "GBP") == .gbp)
        #expect(try Currency(code: "jpy") == .jpy)
        #expect(try Currency(code: "KWD") == .kwd)
        #expect(Currency.usd != Currency.eur)
        #expect(Currency.usd.minorDigits == 2 && Currency.jpy.minorDigits == 0 && Currency.kwd.minorDigits == 3)
    }

    @Test(
        "unknown codes are refused with the code and a hint",
        arguments: ["XYZ", "", "US", "USDD", "usd ", " USD", "ÜSD", "dollar"])
    func unknownCode(code: String) {
        #expect(throws: MoneyError.unknownCurrency(code)) { try Currency(code: code) }
        #expect(
            MoneyError.unknownCurrency(code).description
                == "unknown currency \"\(code)\": use an ISO 4217 code such as USD, EUR or GBP")
    }

    @Test("known codes are sorted, upper-case, three letters, and each one looks itself up")
    func knownCodesList() throws {
        let codes = Currency.knownCodes
        #expect(codes == codes.sorted())
        #expect(Set(codes).count == codes.count)
        for code in ["USD", "EUR", "GBP", "JPY", "KWD"] { #expect(codes.contains(code)) }
        for code in codes {
            #expect(code.count == 3 && code.allSatisfy { $0.isUppercase && $0.isLetter }, "\(code)")
            let currency = try Currency(code: code)
            #expect(currency.code == code)
            #expect((0...3).contains(currency.minorDigits))
            var expected: Int64 = 1
            for _ in 0..<currency.minorDigits { expected *= 10 }
            #expect(currency.minorUnitsPerMajor == expected)
        }
    }
}
