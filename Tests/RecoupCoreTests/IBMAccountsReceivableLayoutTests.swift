import Testing

@testable import RecoupCore

private func on(_ iso: String) -> LocalDate {
    do { return try LocalDate(iso: iso) } catch { fatalError("bad test date \(iso): \(error)") }
}

private let header = [
    "countryCode", "customerID", "PaperlessDate", "invoiceNumber", "InvoiceDate", "DueDate", "InvoiceAmount",
    "Disputed", "SettledDate", "PaperlessBill", "DaysToSettle", "DaysLate",
]

/// A row shaped like the public sample's, with the invoice number zero-padded.
private let goodRow = [
    "391", "0379-NEVHP", "4/6/2013", "0000611365", "1/2/2013", "2/1/2013", "55.94", "No", "1/15/2013", "Paper", "13",
    "0",
]

private func row(_ changes: [Int: String]) -> [String] {
    var fields = goodRow
    for (index, value) in changes { fields[index] = value }
    return fields
}

private func layout(_ currency: Currency = .usd) throws -> IBMAccountsReceivableLayout {
    try IBMAccountsReceivableLayout(header: header, defaultCurrency: currency)
}

@Suite("IBM accounts-receivable layout")
struct IBMAccountsReceivableLayoutTests {

    // MARK: Header

    @Test("the exact header is accepted, with blanks around names tolerated")
    func exactHeader() throws {
        #expect(IBMAccountsReceivableLayout.header == header)
        #expect(IBMAccountsReceivableLayout.formatName == "ibm-ar")
        _ = try layout()
        _ = try IBMAccountsReceivableLayout(header: header.map { " \($0) " }, defaultCurrency: .usd)
    }

    private func headerMessage(_ columns: [String]) throws -> String {
        let error = try #require(throws: ImportFileError.self) {
            try IBMAccountsReceivableLayout(header: columns, defaultCurrency: .usd)
        }
        guard case .wrongHeader(let format, let message) = error else {
            Issue.record("expected wrongHeader, got \(error)")
            return ""
        }
        #expect(format == "ibm-ar")
        #expect(error.description.hasPrefix("the header is not the ibm-ar layout: "))
        return message
    }

    @Test("a renamed column is named with its position and the expected name")
    func renamedColumn() throws {
        var columns = header
        columns[6] = "InvoiceAmt"
        let message = try headerMessage(columns)
        #expect(message == "column 7 should be \"InvoiceAmount\", found \"InvoiceAmt\"")
    }

    @Test("names are case-sensitive and the order matters")
    func caseAndOrder() throws {
        var lower = header
        lower[0] = "countrycode"
        #expect(try headerMessage(lower) == "column 1 should be \"countryCode\", found \"countrycode\"")
        var swapped = header
        swapped.swapAt(4, 5)
        #expect(try headerMessage(swapped) == "column 5 should be \"InvoiceDate\", found \"DueDate\"")
    }

    @Test("a missing column is named", arguments: [0, 7, 11])
    func missingColumn(index: Int) throws {
        var columns = header
        let removed = columns.remove(at: index)
        let message = try headerMessage(columns)
        #expect(message.contains("missing \"\(removed)\""), "\(message)")
        #expect(message.contains("found 11"))
        #expect(!message.contains("unexpected"))
    }

    @Test("an extra column is named")
    func extraColumn() throws {
        let message = try headerMessage(header + ["Notes"])
        #expect(message.contains("unexpected \"Notes\""), "\(message)")
        #expect(message.contains("found 13"))
        #expect(!message.contains("missing"))
    }

    @Test("an empty header is refused")
    func emptyHeader() throws {
        let message = try headerMessage([])
        #expect(message.contains("found 0"))
        #expect(message.contains("missing \"countryCode\""))
    }

    // MARK: Rows

    @Test("a good row becomes a debt of a commercial debtor, paid in full on SettledDate")
    func goodRowRecord() throws {
        let record = try layout().record(fields: goodRow, line: 2)
        #expect(
            record
                == DebtRecord(
                    line: 2, ref: "0000611365",
                    debtor: DebtorRecord(
                        ref: "0379-NEVHP", kind: .commercial, name: "0379-NEVHP", sourceCountryCode: "391"),
                    currency: .usd, chargedOn: on("2013-01-02"), dueDate: on("2013-02-01"),
                    charged: ComponentAmounts(principal: 5_594),
                    payments: [PaymentRecord(date: on("2013-01-15"), amount: 5_594)], isDisputed: false))
        #expect(record.ref == "0000611365")
        #expect(record.charged.principal == 5_594)
        #expect(record.debtor.kind == .commercial)
        #expect(record.itemizationDate == nil)
        #expect(record.originalCreditor == nil)
    }

    @Test("the ledger a settled invoice stands for: a charge and a full payment")
    func settledLedger() throws {
        let entries = try layout().record(fields: goodRow, line: 2).ledgerEntries()
        #expect(
            entries == [
                LedgerEntry(
                    kind: .charge, effectiveDate: on("2013-01-02"), amount: 5_594,
                    effect: ComponentAmounts(principal: 5_594), idempotencyKey: "import:charge"),
                LedgerEntry(
                    kind: .payment, effectiveDate: on("2013-01-15"), amount: 5_594,
                    effect: ComponentAmounts(principal: -5_594), idempotencyKey: "import:payment:2013-01-15:5594"),
            ])
    }

    @Test("an unsettled invoice has no payment; Disputed Yes in any case marks it disputed")
    func unsettledAndDisputed() throws {
        let open = try layout().record(fields: row([7: "Yes", 8: ""]), line: 5)
        #expect(open.payments.isEmpty)
        #expect(open.isDisputed)
        #expect(open.ledgerEntries().map(\.kind) == [.charge])
        #expect(try layout().record(fields: row([7: "yes"]), line: 5).isDisputed)
        #expect(try !layout().record(fields: row([7: "NO"]), line: 5).isDisputed)
        #expect(try !layout().record(fields: row([7: ""]), line: 5).isDisputed)
    }

    @Test("blanks around fields are ignored and the default currency applies")
    func trimmingAndCurrency() throws {
        let padded = try layout().record(fields: goodRow.map { " \($0) " }, line: 3)
        #expect(padded.ref == "0000611365")
        #expect(padded.debtor.ref == "0379-NEVHP")
        #expect(padded.charged.principal == 5_594)
        #expect(padded.chargedOn == on("2013-01-02"))
        let yen = try layout(.jpy).record(fields: row([6: "5594"]), line: 3)
        #expect(yen.currency == .jpy)
        #expect(yen.charged.principal == 5_594)
        #expect(throws: ImportRowError.self) { try layout(.jpy).record(fields: goodRow, line: 3) }
    }

    static let badRows: [(changes: [Int: String], column: String)] = [
        ([6: "-55.94"], "InvoiceAmount"),
        ([6: "0.00"], "InvoiceAmount"),
        ([6: "0"], "InvoiceAmount"),
        ([6: "abc"], "InvoiceAmount"),
        ([6: "55.999"], "InvoiceAmount"),
        ([6: "1,055.94"], "InvoiceAmount"),
        ([6: ""], "InvoiceAmount"),
        ([4: "2/30/2013"], "InvoiceDate"),
        ([4: "2013-01-02"], "InvoiceDate"),
        ([5: "13/1/2013"], "DueDate"),
        ([5: "2/1/13"], "DueDate"),
        ([5: ""], "DueDate"),
        ([8: "2/30/2013"], "SettledDate"),
        ([8: "1/15/13"], "SettledDate"),
        ([8: "1/1/2013"], "SettledDate"),
        ([7: "Maybe"], "Disputed"),
        ([1: ""], "customerID"),
        ([3: "  "], "invoiceNumber"),
    ]

    @Test("a bad field gives a row error with the line and a message naming the column", arguments: badRows)
    func badRow(changes: [Int: String], column: String) throws {
        let error = try #require(throws: ImportRowError.self) { try layout().record(fields: row(changes), line: 17) }
        #expect(error.line == 17)
        #expect(error.message.contains(column), "\(error.message)")
        #expect(error.description == "line 17: \(error.message)")
    }

    @Test("specific messages say what is wrong")
    func messages() throws {
        let negative = try #require(throws: ImportRowError.self) {
            try layout().record(fields: row([6: "-55.94"]), line: 9)
        }
        #expect(negative.message == "InvoiceAmount -55.94 must be above zero (credit notes are not debts)")
        let impossible = try #require(throws: ImportRowError.self) {
            try layout().record(fields: row([4: "2/30/2013"]), line: 9)
        }
        #expect(impossible.message == "InvoiceDate: 2/30/2013 is not a real date: February 2013 has 28 days")
        let malformed = try #require(throws: ImportRowError.self) {
            try layout().record(fields: row([5: "2013-02-01"]), line: 9)
        }
        #expect(malformed.message == "DueDate: \"2013-02-01\" is not a date in the form M/D/YYYY")
        let early = try #require(throws: ImportRowError.self) {
            try layout().record(fields: row([8: "1/1/2013"]), line: 9)
        }
        #expect(early.message.hasPrefix("SettledDate 1/1/2013 is before InvoiceDate 1/2/2013"))
        let disputed = try #require(throws: ImportRowError.self) {
            try layout().record(fields: row([7: "Maybe"]), line: 9)
        }
        #expect(disputed.message == "Disputed must be Yes or No, found \"Maybe\"")
    }

    @Test("a settlement on the invoice date itself is fine")
    func settledSameDay() throws {
        let record = try layout().record(fields: row([8: "1/2/2013"]), line: 4)
        #expect(record.payments == [PaymentRecord(date: on("2013-01-02"), amount: 5_594)])
    }

    @Test("a row with the wrong number of fields is refused", arguments: [0, 11, 13])
    func wrongFieldCount(count: Int) throws {
        let fields = Array((goodRow + ["extra"]).prefix(count))
        let error = try #require(throws: ImportRowError.self) { try layout().record(fields: fields, line: 8) }
        #expect(error == ImportRowError(line: 8, message: "expected 12 fields, found \(count)"))
    }

    // MARK: Format selection

    @Test("--format ibm-ar selects this layout; unknown formats list the known ones")
    func formatSelection() throws {
        let format = try ImportFormat(name: "ibm-ar")
        #expect(format == .ibmAR)
        let chosen = try format.layout(header: header, defaultCurrency: .usd)
        #expect(chosen is IBMAccountsReceivableLayout)
        #expect(try chosen.record(fields: goodRow, line: 2).ref == "0000611365")
        #expect(throws: ImportFileError.unknownFormat("IBM-AR", known: ["ibm-ar", "recoup"])) {
            try ImportFormat(name: "IBM-AR")
        }
        #expect(
            ImportFileError.unknownFormat("csv", known: ["ibm-ar", "recoup"]).description
                == "unknown import format \"csv\": use one of ibm-ar, recoup")
    }
}
