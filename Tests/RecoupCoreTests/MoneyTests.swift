import PropertyBased
import Testing

@testable import RecoupCore

@Suite("Money")
struct MoneyTests {

    // MARK: Parsing

    @Test(
        "parses exact decimal strings into minor units",
        arguments: [
            ("1250.00", Currency.usd, Int64(125_000)),
            ("1250", .usd, 125_000),
            ("1250.5", .usd, 125_050),
            ("1250.05", .usd, 125_005),
            ("-3.05", .usd, -305),
            ("-0.05", .usd, -5),
            ("0.00", .usd, 0),
            ("0", .usd, 0),
            ("-0", .usd, 0),
            ("007.10", .usd, 710),
            ("1250", .jpy, 1250),
            ("-1250", .jpy, -1250),
            ("1.234", .kwd, 1234),
            ("1.2", .kwd, 1200),
            ("1", .kwd, 1000),
            ("-0.001", .kwd, -1),
            ("99999999.99", .usd, 9_999_999_999),
            ("-99999999.99", .usd, -9_999_999_999),
            ("9999999999", .jpy, 9_999_999_999),
            ("-9999999999", .jpy, -9_999_999_999),
            ("9999999.999", .kwd, 9_999_999_999),
        ])
    func parsesValidAmounts(text: String, currency: Currency, expected: Int64) throws {
        #expect(try Money.parseMinorUnits(text, currency: currency) == expected)
        let money = try Money(parsing: text, currency: currency)
        #expect(money.minorUnits == expected)
        #expect(money.currency == currency)
    }

    @Test(
        "more decimals than the currency has is an error, never a rounding",
        arguments: [
            ("12.001", Currency.usd, 2),
            ("12.009", .usd, 2),
            ("-0.001", .usd, 2),
            ("1250.5", .jpy, 0),
            ("1250.0", .jpy, 0),
            ("1.2345", .kwd, 3),
        ])
    func tooManyDecimals(text: String, currency: Currency, allowed: Int) {
        #expect(throws: MoneyError.tooManyDecimals(text, currency: currency.code, allowed: allowed)) {
            try Money.parseMinorUnits(text, currency: currency)
        }
    }

    @Test(
        "refuses text that is not a plain decimal number",
        arguments: [
            "", "-", "1,250.00", "1e3", " 12", "12 ", "+5", "12.", ".5", "-.5", "1.2.3", "--5", "$5", "12a", "1_000",
            "0x10", "١٢",
        ])
    func invalidAmounts(text: String) throws {
        let error = try #require(throws: MoneyError.self) { try Money.parseMinorUnits(text, currency: .usd) }
        guard case .invalidAmount(let reported, let reason) = error else {
            Issue.record("expected invalidAmount for \"\(text)\", got \(error)")
            return
        }
        #expect(reported == text)
        #expect(!reason.isEmpty)
        #expect(error.description.contains("is not an amount"))
    }

    @Test("the empty string and a lone minus say why they are refused")
    func emptyAndLoneMinusReasons() {
        #expect(throws: MoneyError.invalidAmount("", reason: "it is empty")) {
            try Money.parseMinorUnits("", currency: .usd)
        }
        #expect(throws: MoneyError.invalidAmount("-", reason: "it has no digits")) {
            try Money.parseMinorUnits("-", currency: .usd)
        }
    }

    @Test(
        "amounts above the largest accepted one are refused, whether or not they fit in Int64 minor units",
        arguments: [
            ("100000000.00", Currency.usd),
            ("-100000000", .usd),
            ("10000000000", .jpy),
            ("10000000.000", .kwd),
            ("92233720368547758.07", .usd),
            ("-92233720368547758.08", .usd),
            ("99999999999999999999", .usd),
            ("99999999999999999999", .jpy),
            ("92233720368547758.08", .usd),
            ("-92233720368547758.09", .usd),
            ("9223372036854775808", .jpy),
            ("-9223372036854775809", .jpy),
            ("9223372036854775.808", .kwd),
        ])
    func tooLarge(text: String, currency: Currency) {
        #expect(throws: MoneyError.tooLarge(text, currency: currency)) {
            try Money.parseMinorUnits(text, currency: currency)
        }
        let sentence = MoneyError.tooLarge(text, currency: currency).description
        #expect(sentence.contains("at most \(Money.decimalString(minorUnits: 9_999_999_999, currency: currency))"))
    }

    @Test("the largest accepted amount is one bound for every currency, so portfolio sums have room")
    func largestAcceptedBound() {
        for code in Currency.knownCodes {
            let currency = try! Currency(code: code)
            #expect(currency.largestAcceptedMinorUnits == 9_999_999_999)
        }
        // 900 million debts at the largest amount still add up without overflow.
        let (total, overflow) = Currency.largestAcceptedMinorUnits.multipliedReportingOverflow(by: 900_000_000)
        #expect(!overflow && total < Int64.max)
    }

    // MARK: Formatting

    @Test(
        "formats with exactly the currency's minor digits",
        arguments: [
            (Int64(125_000), Currency.usd, "1250.00"),
            (125_050, .usd, "1250.50"),
            (-305, .usd, "-3.05"),
            (-5, .usd, "-0.05"),
            (0, .usd, "0.00"),
            (1, .usd, "0.01"),
            (1250, .jpy, "1250"),
            (-1250, .jpy, "-1250"),
            (0, .jpy, "0"),
            (1, .kwd, "0.001"),
            (-1_234_567, .kwd, "-1234.567"),
            (.max, .usd, "92233720368547758.07"),
            (.min, .usd, "-92233720368547758.08"),
            (.min, .jpy, "-9223372036854775808"),
        ])
    func formats(minorUnits: Int64, currency: Currency, expected: String) {
        #expect(Money.decimalString(minorUnits: minorUnits, currency: currency) == expected)
        #expect(Money(minorUnits: minorUnits, currency: currency).decimalString == expected)
    }

    @Test("description is the decimal string and the code")
    func description() {
        #expect(Money(minorUnits: 125_000, currency: .usd).description == "1250.00 USD")
        #expect(Money(minorUnits: -7, currency: .kwd).description == "-0.007 KWD")
        #expect(Money.zero(.jpy).description == "0 JPY")
    }

    @Test("error descriptions name the text and the currency's rule")
    func errorDescriptions() {
        #expect(
            MoneyError.tooManyDecimals("12.001", currency: "USD", allowed: 2).description
                == "\"12.001\" has more decimals than USD allows (2 decimals)")
        #expect(
            MoneyError.tooManyDecimals("1250.5", currency: "JPY", allowed: 0).description
                == "\"1250.5\" has decimals, but JPY has no minor unit")
        #expect(MoneyError.currencyMismatch("USD", "EUR").description.contains("USD and EUR"))
    }

    @Test("formatting then parsing gives back the same minor units, for every known currency")
    func roundTripProperty() async {
        let codes = Currency.knownCodes
        let largest = Currency.largestAcceptedMinorUnits
        await propertyCheck(count: 500, input: Gen.int64(in: -largest...largest), Gen.int(in: 0...(codes.count - 1))) {
            units, index in
            let currency = try Currency(code: codes[index])
            let text = Money.decimalString(minorUnits: units, currency: currency)
            #expect(try Money.parseMinorUnits(text, currency: currency) == units, "\(text) \(currency)")
        }
    }

    @Test(
        "round trip holds at the edges of the accepted range for every known currency; beyond it, a refusal",
        arguments: Currency.knownCodes)
    func roundTripEdges(code: String) throws {
        let currency = try Currency(code: code)
        let largest = currency.largestAcceptedMinorUnits
        for units: Int64 in [-largest, -largest + 1, -1, 0, 1, largest - 1, largest] {
            let text = Money.decimalString(minorUnits: units, currency: currency)
            #expect(try Money.parseMinorUnits(text, currency: currency) == units, "\(text)")
        }
        for units: Int64 in [.min, .min + 1, -largest - 1, largest + 1, .max - 1, .max] {
            let text = Money.decimalString(minorUnits: units, currency: currency)
            #expect(throws: MoneyError.tooLarge(text, currency: currency)) {
                try Money.parseMinorUnits(text, currency: currency)
            }
        }
    }

    // MARK: Arithmetic

    @Test("adds, subtracts, multiplies and negates exactly")
    func arithmetic() throws {
        let a = Money(minorUnits: 1250, currency: .usd)
        let b = Money(minorUnits: -300, currency: .usd)
        #expect(try a.adding(b) == Money(minorUnits: 950, currency: .usd))
        #expect(try a.subtracting(b) == Money(minorUnits: 1550, currency: .usd))
        #expect(try a.multiplied(by: -3) == Money(minorUnits: -3750, currency: .usd))
        #expect(try b.negated() == Money(minorUnits: 300, currency: .usd))
        #expect(try Money.sum([a, b, a], currency: .usd) == Money(minorUnits: 2200, currency: .usd))
        #expect(try Money.sum([Money](), currency: .kwd) == Money.zero(.kwd))
    }

    @Test("arithmetic throws instead of overflowing")
    func arithmeticOverflow() throws {
        let max = Money(minorUnits: .max, currency: .usd)
        let min = Money(minorUnits: .min, currency: .usd)
        let one = Money(minorUnits: 1, currency: .usd)
        #expect(throws: MoneyError.overflow) { try max.adding(one) }
        #expect(throws: MoneyError.overflow) { try min.subtracting(one) }
        #expect(throws: MoneyError.overflow) { try max.multiplied(by: 2) }
        #expect(throws: MoneyError.overflow) { try min.multiplied(by: -1) }
        #expect(throws: MoneyError.overflow) { try min.negated() }
        #expect(throws: MoneyError.overflow) { try Money.sum([max, one], currency: .usd) }
        // Just inside the range is fine.
        #expect(try max.subtracting(one).adding(one) == max)
        #expect(try min.adding(one).negated() == max)
    }

    @Test("arithmetic refuses to mix currencies")
    func currencyMismatch() {
        let dollars = Money(minorUnits: 100, currency: .usd)
        let euros = Money(minorUnits: 100, currency: .eur)
        #expect(throws: MoneyError.currencyMismatch("USD", "EUR")) { try dollars.adding(euros) }
        #expect(throws: MoneyError.currencyMismatch("EUR", "USD")) { try euros.subtracting(dollars) }
        #expect(throws: MoneyError.currencyMismatch("USD", "EUR")) { try Money.sum([dollars, euros], currency: .usd) }
        #expect(throws: MoneyError.currencyMismatch("JPY", "USD")) { try Money.sum([dollars], currency: .jpy) }
    }

    @Test("sign predicates")
    func signs() {
        #expect(Money(minorUnits: 1, currency: .usd).isPositive)
        #expect(!Money(minorUnits: 1, currency: .usd).isNegative)
        #expect(Money(minorUnits: -1, currency: .usd).isNegative)
        #expect(!Money(minorUnits: -1, currency: .usd).isPositive)
        #expect(Money.zero(.usd).isZero)
        #expect(!Money.zero(.usd).isPositive && !Money.zero(.usd).isNegative)
        #expect(!Money(minorUnits: -1, currency: .usd).isZero)
    }

    @Test("orders by amount within a currency and by code across currencies")
    func ordering() {
        #expect(Money(minorUnits: -5, currency: .usd) < Money(minorUnits: 3, currency: .usd))
        #expect(!(Money(minorUnits: 3, currency: .usd) < Money(minorUnits: 3, currency: .usd)))
        #expect(Money(minorUnits: 1000, currency: .eur) < Money(minorUnits: 1, currency: .usd))
        #expect(!(Money(minorUnits: 1, currency: .usd) < Money(minorUnits: 1000, currency: .eur)))
    }

    // MARK: Split and allocate

    @Test(
        "split gives the leftover minor units to the first parts",
        arguments: [
            (Int64(100), 3, [Int64(34), 33, 33]),
            (-100, 3, [-34, -33, -33]),
            (5, 7, [1, 1, 1, 1, 1, 0, 0]),
            (-5, 7, [-1, -1, -1, -1, -1, 0, 0]),
            (0, 3, [0, 0, 0]),
            (10, 1, [10]),
            (101, 4, [26, 25, 25, 25]),
            (1, 2, [1, 0]),
        ])
    func split(amount: Int64, count: Int, expected: [Int64]) throws {
        let parts = try Money(minorUnits: amount, currency: .usd).split(into: count)
        #expect(parts.map(\.minorUnits) == expected)
        #expect(parts.allSatisfy { $0.currency == .usd })
    }

    @Test("split refuses fewer than one part", arguments: [0, -1, Int.min])
    func splitInvalid(count: Int) {
        #expect(throws: MoneyError.invalidSplit("the number of parts must be at least 1")) {
            try Money(minorUnits: 100, currency: .usd).split(into: count)
        }
    }

    @Test("split parts sum exactly, differ by at most one minor unit, larger parts first, deterministically")
    func splitProperty() async {
        await propertyCheck(
            count: 300, input: Gen.int64(in: -1_000_000_000_000...1_000_000_000_000), Gen.int(in: 1...50)
        ) { amount, count in
            let money = Money(minorUnits: amount, currency: .usd)
            let parts = try money.split(into: count).map(\.minorUnits)
            #expect(parts.count == count)
            #expect(parts.reduce(0, +) == amount)
            let magnitudes = parts.map(\.magnitude)
            #expect(magnitudes.max()! - magnitudes.min()! <= 1)
            #expect(magnitudes == magnitudes.sorted(by: >))
            #expect(parts.allSatisfy { $0 == 0 || ($0 < 0) == (amount < 0) })
            #expect(try money.split(into: count).map(\.minorUnits) == parts)
        }
    }

    static let allocateCases: [(amount: Int64, ratios: [Int64], expected: [Int64])] = [
        (Int64(1000), [Int64(1), 1, 1], [Int64(334), 333, 333]),
        (1001, [70, 20, 10], [701, 200, 100]),
        (-1001, [70, 20, 10], [-701, -200, -100]),
        (100, [1, 2], [33, 67]),
        (5, [1, 0, 1], [3, 0, 2]),
        (7, [0, 0, 1], [0, 0, 7]),
        (2, [1, 0, 1, 1], [1, 0, 1, 0]),
        (10, [3, 3, 4], [3, 3, 4]),
        (1, [1, 1, 1], [1, 0, 0]),
        (0, [5, 1], [0, 0]),
        (9, [1, 1_000_000], [0, 9]),
    ]

    @Test("allocate gives leftovers to the largest remainders, ties to the earlier part", arguments: allocateCases)
    func allocate(amount: Int64, ratios: [Int64], expected: [Int64]) throws {
        let parts = try Money(minorUnits: amount, currency: .kwd).allocate(ratios: ratios)
        #expect(parts.map(\.minorUnits) == expected)
        #expect(parts.allSatisfy { $0.currency == .kwd })
    }

    @Test("allocate refuses invalid ratios")
    func allocateInvalid() {
        let money = Money(minorUnits: 100, currency: .usd)
        #expect(throws: MoneyError.invalidSplit("no parts were given")) { try money.allocate(ratios: []) }
        #expect(throws: MoneyError.invalidSplit("a ratio is negative")) { try money.allocate(ratios: [-1, 2]) }
        #expect(throws: MoneyError.invalidSplit("all ratios are zero")) { try money.allocate(ratios: [0, 0]) }
        #expect(throws: MoneyError.overflow) { try money.allocate(ratios: [.max, 1]) }
        #expect(throws: MoneyError.overflow) {
            try Money(minorUnits: .min, currency: .usd).allocate(ratios: [1, 1])
        }
    }

    @Test("allocate handles the largest amounts and ratios without trapping")
    func allocateExtremes() throws {
        let parts = try Money(minorUnits: .max, currency: .usd).allocate(ratios: [.max - 1, 1])
        #expect(parts.map(\.minorUnits).reduce(0, &+) == .max)
        #expect(parts[1].minorUnits == 1)
        let negative = try Money(minorUnits: .min + 1, currency: .usd).allocate(ratios: [1, 1])
        #expect(negative.map(\.minorUnits) == [-(Int64.max / 2 + 1), -(Int64.max / 2)])
    }

    @Test("allocate never creates or loses a minor unit and stays within one unit of the exact share")
    func allocateProperty() async {
        await propertyCheck(
            count: 300,
            input: Gen.int64(in: -1_000_000_000...1_000_000_000),
            Gen.int64(in: 0...1_000_000).map { $0 < 250_000 ? 0 : $0 }.array(of: 1...12)
        ) { amount, rawRatios in
            var ratios = rawRatios
            if ratios.allSatisfy({ $0 == 0 }) { ratios[0] = 1 }
            let totalRatio = ratios.reduce(0, +)
            let parts = try Money(minorUnits: amount, currency: .usd).allocate(ratios: ratios).map(\.minorUnits)
            #expect(parts.count == ratios.count)
            #expect(parts.reduce(0, +) == amount)
            for (part, ratio) in zip(parts, ratios) {
                if ratio == 0 { #expect(part == 0) }
                // |part − amount·ratio/total| < 1, without division: |part·total − amount·ratio| < total.
                // (|amount| ≤ 10⁹ and total ≤ 1.2·10⁷ keep both products well inside Int64.)
                let difference = part * totalRatio - amount * ratio
                #expect(abs(difference) < totalRatio, "part \(part) ratio \(ratio)")
            }
        }
    }
}
