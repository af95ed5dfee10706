import Foundation

/// The layout of the public IBM accounts-receivable sample: one invoice per row, US dates `M/D/YYYY`.
///
/// One debt per invoice (`invoiceNumber`, kept as text), one commercial debtor per `customerID`, the
/// invoice amount charged as principal on `InvoiceDate`, due on `DueDate`, and a full payment on
/// `SettledDate` when there is one. `PaperlessDate`, `PaperlessBill`, `DaysToSettle` and `DaysLate` are
/// derived or descriptive and are not stored; `countryCode` is kept as the debtor's source country code.
public struct IBMAccountsReceivableLayout: ImportLayout {
    public static let formatName = "ibm-ar"

    /// The exact header of the layout.
    public static let header = [
        "countryCode", "customerID", "PaperlessDate", "invoiceNumber", "InvoiceDate", "DueDate", "InvoiceAmount",
        "Disputed", "SettledDate", "PaperlessBill", "DaysToSettle", "DaysLate",
    ]

    private let currency: Currency

    public init(header: [String], defaultCurrency: Currency) throws(ImportFileError) {
        let trimmed = header.map { $0.trimmedSpaces }
        guard trimmed == Self.header else {
            let message: String
            if trimmed.count != Self.header.count {
                let missing = Self.header.filter { !trimmed.contains($0) }.map { "\"\($0)\"" }
                let extra = trimmed.filter { !Self.header.contains($0) }.map { "\"\($0)\"" }
                message =
                    "expected \(Self.header.count) columns (\(Self.header.joined(separator: ","))), found \(trimmed.count)"
                    + (missing.isEmpty ? "" : "; missing \(missing.joined(separator: ", "))")
                    + (extra.isEmpty ? "" : "; unexpected \(extra.joined(separator: ", "))")
            } else if let index = trimmed.indices.first(where: { trimmed[$0] != Self.header[$0] }) {
                message = "column \(index + 1) should be \"\(Self.header[index])\", found \"\(trimmed[index])\""
            } else {
                message = "expected \(Self.header.joined(separator: ","))"
            }
            throw .wrongHeader(format: Self.formatName, message: message)
        }
        self.currency = defaultCurrency
    }

    public func record(fields: [String], line: Int) throws(ImportRowError) -> DebtRecord {
        guard fields.count == Self.header.count else {
            throw ImportRowError(line: line, message: "expected \(Self.header.count) fields, found \(fields.count)")
        }
        let customer = fields[1].trimmedSpaces
        let invoice = fields[3].trimmedSpaces
        guard !customer.isEmpty else { throw ImportRowError(line: line, message: "customerID is empty") }
        guard !invoice.isEmpty else { throw ImportRowError(line: line, message: "invoiceNumber is empty") }
        let invoiceDate = try Self.date(fields[4], column: "InvoiceDate", line: line)
        let dueDate = try Self.date(fields[5], column: "DueDate", line: line)
        let amount: Int64
        do {
            amount = try Money.parseMinorUnits(fields[6].trimmedSpaces, currency: currency)
        } catch {
            throw ImportRowError(line: line, message: "InvoiceAmount: \(error)")
        }
        guard amount > 0 else {
            throw ImportRowError(
                line: line,
                message: "InvoiceAmount \(fields[6]) must be above zero (credit notes are not debts)")
        }
        let disputed: Bool
        switch fields[7].trimmedSpaces.lowercased() {
        case "yes": disputed = true
        case "no", "": disputed = false
        default: throw ImportRowError(line: line, message: "Disputed must be Yes or No, found \"\(fields[7])\"")
        }
        var payments: [PaymentRecord] = []
        let settled = fields[8].trimmedSpaces
        if !settled.isEmpty {
            let settledDate = try Self.date(settled, column: "SettledDate", line: line)
            guard settledDate >= invoiceDate else {
                throw ImportRowError(
                    line: line,
                    message:
                        "SettledDate \(settled) is before InvoiceDate \(fields[4]): a payment cannot precede its invoice"
                )
            }
            payments.append(PaymentRecord(date: settledDate, amount: amount))
        }
        let country = fields[0].trimmedSpaces
        return DebtRecord(
            line: line, ref: invoice,
            debtor: DebtorRecord(ref: customer, kind: .commercial, name: customer, sourceCountryCode: country),
            currency: currency, chargedOn: invoiceDate, dueDate: dueDate, charged: ComponentAmounts(principal: amount),
            payments: payments, isDisputed: disputed)
    }

    private static func date(_ text: String, column: String, line: Int) throws(ImportRowError) -> LocalDate {
        do {
            return try LocalDate(us: text.trimmedSpaces)
        } catch {
            throw ImportRowError(line: line, message: "\(column): \(error)")
        }
    }
}
