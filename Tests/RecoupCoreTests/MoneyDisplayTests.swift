import RecoupCore
import Testing

@Suite("Money for people to read")
struct MoneyDisplayTests {
    @Test(
        "symbols, grouping and the currency's decimals",
        arguments: [
            (Int64(442_279), "USD", "$4,422.79"), (0, "USD", "$0.00"), (5, "USD", "$0.05"), (-1_250, "EUR", "-€12.50"),
            (125_000_000, "GBP", "£1,250,000.00"), (1_250, "JPY", "¥1,250"), (99_999, "JPY", "¥99,999"),
            (990, "CHF", "CHF 9.90"), (1_234_567, "KWD", "KWD 1,234.567"), (100, "USD", "$1.00"),
            (Int64.min, "USD", "-$92,233,720,368,547,758.08"),
        ])
    func display(minorUnits: Int64, code: String, expected: String) throws {
        let money = Money(minorUnits: minorUnits, currency: try Currency(code: code))
        #expect(money.displayString == expected)
    }
}
