/// Writes rows in the IBM accounts-receivable layout: realistic invoices for benchmarks and demos.
public struct IBMSampleGenerator: Sendable {
    private var random: SeededGenerator
    private let customers: Int
    private let firstInvoiceDay: LocalDate

    /// Prepares a generator; `customers` distinct customer ids are used.
    public init(seed: UInt64, customers: Int = 1000, firstInvoiceDay: LocalDate) {
        self.random = SeededGenerator(seed: seed)
        self.customers = max(1, customers)
        self.firstInvoiceDay = firstInvoiceDay
    }

    /// The header line, with its newline.
    public static var headerLine: String { IBMAccountsReceivableLayout.header.joined(separator: ",") + "\n" }

    /// The line for invoice `number` (1-based), with its newline. Invoice numbers ascend, as an ERP issues them.
    public mutating func line(number: Int) -> String {
        let customer = Int.random(in: 0..<customers, using: &random)
        let country = ["391", "406", "770", "818", "897"][customer % 5]
        let customerID = "\(String(1000 + customer % 9000))-C\(String(customer))"
        let invoiceDate = firstInvoiceDay.adding(days: Int.random(in: 0..<730, using: &random))
        let dueDate = invoiceDate.adding(days: 30)
        let cents = Int64.random(in: 1_000...150_000, using: &random)
        let amount = Money.decimalString(minorUnits: cents, currency: .usd)
        let disputed = Int.random(in: 0..<100, using: &random) < 22
        let daysToSettle = Int.random(in: 0..<100, using: &random) < 4 ? nil : Int.random(in: 1...70, using: &random)
        let settled = daysToSettle.map { invoiceDate.adding(days: $0) }
        let daysLate = settled.map { max(0, $0.days(since: dueDate)) }
        let paperless = invoiceDate.adding(days: -Int.random(in: 0...400, using: &random))
        let fields = [
            country, customerID, Self.us(paperless), String(100_000_000 + number), Self.us(invoiceDate),
            Self.us(dueDate), amount, disputed ? "Yes" : "No", settled.map(Self.us) ?? "",
            Bool.random(using: &random) ? "Electronic" : "Paper", daysToSettle.map(String.init) ?? "",
            daysLate.map(String.init) ?? "",
        ]
        return fields.joined(separator: ",") + "\n"
    }

    private static func us(_ date: LocalDate) -> String { "\(date.month)/\(date.day)/\(date.year)" }
}
