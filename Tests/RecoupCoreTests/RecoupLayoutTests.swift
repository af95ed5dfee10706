import Testing

@testable import RecoupCore

private func on(_ iso: String) -> LocalDate {
    do { return try LocalDate(iso: iso) } catch { fatalError("bad test date \(iso): \(error)") }
}

/// Every column the layout knows, in the documented order.
private let fullHeader = RecoupLayout.requiredColumns + RecoupLayout.optionalColumns

/// A consumer debt with every column filled.
private let fullValues: [String: String] = [
    "debt_ref": "D-0001",
    "debtor_ref": "P-42",
    "debtor_kind": "consumer",
    "debtor_name": "Jane Q. Public",
    "charged_on": "2026-01-15",
    "due_on": "2026-02-14",
    "principal": "1000.00",
    "currency": "USD",
    "itemization_on": "2026-02-20",
    "interest": "12.50",
    "fees": "25",
    "paid": "100.00",
    "paid_on": "2026-03-01",
    "original_creditor": "Acme Hospital",
    "disputed": "no",
    "phones": "+16175550100:mobile;+16175550101:home",
    "emails": "jane@example.com; jq@example.org",
    "address_type": "home",
    "address_line1": "1 Main St",
    "address_city": "Boston",
    "address_state": "ma",
    "address_postal_code": "02118",
    "address_country": "us",
    "time_zones": "America/New_York;America/Chicago",
    "language": "es",
]

/// The required columns only.
private let minimalValues: [String: String] = [
    "debt_ref": "D-2", "debtor_ref": "B-7", "debtor_kind": "commercial", "debtor_name": "Widgets LLC",
    "charged_on": "2026-04-01", "due_on": "2026-05-01", "principal": "250.00",
]

/// The fields of a row for `header`, from column values (absent columns are blank).
private func fields(_ values: [String: String], header: [String]) -> [String] {
    header.map { values[$0.trimmingCharacters(in: .whitespaces).lowercased()] ?? "" }
}

private func record(
    _ changes: [String: String] = [:], base: [String: String] = fullValues, header: [String] = fullHeader,
    currency: Currency = .usd, line: Int = 2
) throws -> DebtRecord {
    let layout = try RecoupLayout(header: header, defaultCurrency: currency)
    return try layout.record(fields: fields(base.merging(changes) { $1 }, header: header), line: line)
}

private func rowError(
    _ changes: [String: String], base: [String: String] = fullValues, line: Int = 7
) throws
    -> ImportRowError
{
    let layout = try RecoupLayout(header: fullHeader, defaultCurrency: .usd)
    let row = fields(base.merging(changes) { $1 }, header: fullHeader)
    return try #require(throws: ImportRowError.self) { try layout.record(fields: row, line: line) }
}

private func headerMessage(_ header: [String]) throws -> String {
    let error = try #require(throws: ImportFileError.self) { try RecoupLayout(header: header, defaultCurrency: .usd) }
    guard case .wrongHeader(let format, let message) = error else {
        Issue.record("expected wrongHeader, got \(error)")
        return ""
    }
    #expect(format == "recoup")
    return message
}

@Suite("Recoup layout")
struct RecoupLayoutTests {

    // MARK: Header

    @Test("columns may come in any order, in any case, with blanks around them")
    func headerInAnyOrder() throws {
        let reversed = Array(fullHeader.reversed())
        #expect(try record(header: reversed) == record())
        let shuffledRequired = [
            "principal", "due_on", "Debtor_Name", " debt_ref ", "charged_on", "DEBTOR_KIND", "debtor_ref",
        ]
        let minimal = try record(base: minimalValues, header: shuffledRequired)
        #expect(minimal.ref == "D-2")
        #expect(minimal.debtor.name == "Widgets LLC")
        #expect(minimal.charged == ComponentAmounts(principal: 25_000))
        #expect(minimal.dueDate == on("2026-05-01"))
    }

    @Test("an unknown column is refused, named with its position")
    func unknownColumn() throws {
        let message = try headerMessage(RecoupLayout.requiredColumns + ["colour"])
        #expect(message == "unknown column \"colour\" (column 8); see docs/import-format.md")
    }

    @Test("a column given twice is refused, whatever its case", arguments: ["principal", "Principal", " PHONES "])
    func duplicateColumn(name: String) throws {
        let message = try headerMessage(RecoupLayout.requiredColumns + ["phones", name])
        let canonical = name.trimmingCharacters(in: .whitespaces).lowercased()
        #expect(message == "column \"\(canonical)\" appears twice")
    }

    @Test("missing required columns are all named")
    func missingRequired() throws {
        let withoutDue = RecoupLayout.requiredColumns.filter { $0 != "due_on" }
        #expect(try headerMessage(withoutDue) == "missing required column due_on")
        let withoutTwo = RecoupLayout.requiredColumns.filter { $0 != "principal" && $0 != "debtor_kind" }
        #expect(try headerMessage(withoutTwo) == "missing required columns debtor_kind, principal")
        #expect(try headerMessage([]).hasPrefix("missing required columns debt_ref, debtor_ref"))
        #expect(try headerMessage(RecoupLayout.optionalColumns).contains("principal"))
    }

    // MARK: A full row

    @Test("a full consumer row is read completely")
    func fullConsumerRow() throws {
        let expected = DebtRecord(
            line: 2, ref: "D-0001",
            debtor: DebtorRecord(
                ref: "P-42", kind: .consumer, name: "Jane Q. Public",
                phones: [
                    try Phone(number: "+16175550100", type: .mobile), try Phone(number: "+16175550101", type: .home),
                ],
                emails: ["jane@example.com", "jq@example.org"],
                addresses: [
                    PostalAddress(
                        type: .home, line1: "1 Main St", city: "Boston", state: "MA", postalCode: "02118", country: "US"
                    )
                ],
                timeZones: ["America/New_York", "America/Chicago"], language: .es),
            originalCreditor: "Acme Hospital", currency: .usd, chargedOn: on("2026-01-15"), dueDate: on("2026-02-14"),
            itemizationDate: on("2026-02-20"),
            charged: ComponentAmounts(principal: 100_000, interest: 1_250, fees: 2_500),
            payments: [PaymentRecord(date: on("2026-03-01"), amount: 10_000)], isDisputed: false)
        #expect(try record() == expected)
    }

    @Test("a minimal commercial row has no contact points, no payments, no extras")
    func minimalRow() throws {
        let minimal = try record(base: minimalValues, header: RecoupLayout.requiredColumns, currency: .eur, line: 40)
        #expect(
            minimal
                == DebtRecord(
                    line: 40, ref: "D-2", debtor: DebtorRecord(ref: "B-7", kind: .commercial, name: "Widgets LLC"),
                    currency: .eur, chargedOn: on("2026-04-01"), dueDate: on("2026-05-01"),
                    charged: ComponentAmounts(principal: 25_000)))
    }

    @Test("blank optional fields read as absent")
    func blankOptionals() throws {
        let blank = try record([
            "interest": "", "fees": " ", "paid": "", "paid_on": "", "phones": "", "emails": "", "itemization_on": "",
            "original_creditor": "", "address_line1": "", "address_city": "", "address_state": "",
            "address_postal_code": "", "time_zones": "", "currency": "", "disputed": "",
        ])
        #expect(blank.charged == ComponentAmounts(principal: 100_000))
        #expect(blank.payments.isEmpty)
        #expect(blank.debtor.phones.isEmpty && blank.debtor.emails.isEmpty && blank.debtor.addresses.isEmpty)
        #expect(blank.debtor.timeZones.isEmpty)
        #expect(blank.itemizationDate == nil && blank.originalCreditor == nil)
        #expect(blank.currency == .usd)
        #expect(!blank.isDisputed)
    }

    @Test("the row's currency overrides the default and sets the minor units")
    func rowCurrency() throws {
        let yen = try record(["currency": "jpy", "principal": "1000", "interest": "12", "fees": "0", "paid": "100"])
        #expect(yen.currency == .jpy)
        #expect(yen.charged == ComponentAmounts(principal: 1_000, interest: 12, fees: 0))
        #expect(yen.payments == [PaymentRecord(date: on("2026-03-01"), amount: 100)])
        let dinar = try record(["currency": "KWD", "principal": "1.5"])
        #expect(dinar.charged.principal == 1_500)
    }

    @Test(
        "disputed accepts yes/no, true/false and 1/0 in any case",
        arguments: [
            ("yes", true), ("YES", true), ("true", true), ("1", true), ("no", false), ("False", false), ("0", false),
        ])
    func disputedValues(value: String, disputed: Bool) throws {
        #expect(try record(["disputed": value]).isDisputed == disputed)
    }

    @Test("a phone without a type is other; a zero paid amount needs no date")
    func lenientValues() throws {
        let row = try record(["phones": "+442071234567", "paid": "0.00", "paid_on": ""])
        #expect(row.debtor.phones == [try Phone(number: "+442071234567", type: .other)])
        #expect(row.payments.isEmpty)
    }

    @Test("US numbers as people write them are read as E.164; the same number twice is kept once")
    func usualPhones() throws {
        let row = try record(["phones": "(617) 555-0100:mobile; 617.555.0101:home;1 617 555 0100:work"])
        #expect(
            row.debtor.phones == [
                try Phone(number: "+16175550100", type: .mobile), try Phone(number: "+16175550101", type: .home),
            ])
        #expect(row.warnings.isEmpty)
    }

    @Test("a phone that cannot be read is left out with a warning naming line and column; the debt is kept")
    func unreadablePhone() throws {
        let row = try record(["phones": "617-555-0100:mobile;555-0101:home;+0617555"], line: 9)
        #expect(row.ref == "D-0001")
        #expect(row.debtor.phones == [try Phone(number: "+16175550100", type: .mobile)])
        #expect(
            row.warnings == [
                ImportRowWarning(
                    line: 9, field: "phones",
                    message:
                        "\"555-0101\" is not a phone number: a US number has 10 digits (11 with the country code 1), "
                        + "this one has 7; a number of another country starts with + and its country code; "
                        + "the debt was imported without this phone"),
                ImportRowWarning(
                    line: 9, field: "phones",
                    message:
                        "\"+0617555\" is not a phone number: after + it needs the country code and number, 8 to 15 "
                        + "digits, the first not 0; the debt was imported without this phone"),
            ])
        #expect(row.warnings[0].description.hasPrefix("line 9, phones: \"555-0101\""))
    }

    @Test("outside the US a state is free text and the country is kept")
    func foreignAddress() throws {
        let row = try record(["address_country": "ca", "address_state": "Ontario", "address_type": "WORK"])
        #expect(
            row.debtor.addresses == [
                PostalAddress(
                    type: .work, line1: "1 Main St", city: "Boston", state: "ONTARIO", postalCode: "02118",
                    country: "CA")
            ])
    }

    // MARK: Row errors

    static let badRows: [(changes: [String: String], expected: String)] = [
        (["phones": "+16175550100:pager"], "phones: \"pager\" is not a phone type"),
        (["emails": "jane@example.com;not-an-email"], "emails: \"not-an-email\" is not an email address"),
        (["emails": "jane@localhost"], "emails: \"jane@localhost\" is not an email address"),
        (["emails": "jane@@example.com"], "emails: \"jane@@example.com\" is not an email address"),
        (["time_zones": "America/New_York;Mars/Olympus_Mons"], "time_zones: unknown time zone \"Mars/Olympus_Mons\""),
        (["address_state": "Mass"], "address_state must be a two-letter state code such as MA, found \"MASS\""),
        (["address_state": "M1"], "address_state must be a two-letter state code"),
        (["address_country": "USA"], "address_country must be a two-letter ISO code such as US, found \"USA\""),
        (["address_type": "castle"], "address_type must be home, work or other, found \"castle\""),
        (["paid_on": ""], "paid needs a paid_on date"),
        (["paid_on": "2026-01-14"], "paid_on is before charged_on"),
        (["paid_on": "03/01/2026"], "paid_on: \"03/01/2026\" is not a date in the form YYYY-MM-DD"),
        (["paid": "-5.00"], "paid cannot be negative"),
        (["principal": "0.00"], "principal must be above zero"),
        (["principal": "-10"], "principal must be above zero"),
        (["principal": "10.001"], "principal: \"10.001\" has more decimals than USD allows (2 decimals)"),
        (["principal": ""], "principal is empty"),
        (["interest": "-1"], "interest cannot be negative"),
        (["fees": "-0.01"], "fees cannot be negative"),
        (["fees": "1,000"], "fees: \"1,000\" is not an amount"),
        (["currency": "XYZ"], "currency: unknown currency \"XYZ\""),
        (["debtor_kind": "person"], "debtor_kind must be consumer or commercial, found \"person\""),
        (["debt_ref": ""], "debt_ref is empty"),
        (["debtor_ref": " "], "debtor_ref is empty"),
        (["debtor_name": ""], "debtor_name is empty"),
        (["charged_on": "2026-02-30"], "charged_on: 2026-02-30 is not a real date: February 2026 has 28 days"),
        (["due_on": "01/02/2026"], "due_on: \"01/02/2026\" is not a date in the form YYYY-MM-DD"),
        (["itemization_on": "2026-13-01"], "itemization_on: 2026-13-01 is not a real date: there is no month 13"),
        (["disputed": "maybe"], "disputed must be yes or no, found \"maybe\""),
        (["language": "fr"], "language must be en or es, found \"fr\""),
    ]

    @Test("a bad field gives a row error on its line whose message names the column", arguments: badRows)
    func badRow(changes: [String: String], expected: String) throws {
        let error = try rowError(changes, line: 7)
        #expect(error.line == 7)
        #expect(error.message.hasPrefix(expected), "\(error.message)")
    }

    @Test("a row with the wrong number of fields is refused", arguments: [0, 24, 26])
    func wrongFieldCount(count: Int) throws {
        let layout = try RecoupLayout(header: fullHeader, defaultCurrency: .usd)
        let row = Array((fields(fullValues, header: fullHeader) + ["extra"]).prefix(count))
        let error = try #require(throws: ImportRowError.self) { try layout.record(fields: row, line: 3) }
        #expect(error == ImportRowError(line: 3, message: "expected 25 fields, found \(count)"))
    }

    // MARK: Ledger entries

    @Test("ledgerEntries posts the charges and the payment with stable idempotency keys")
    func ledgerEntries() throws {
        let debt = try record()
        let entries = debt.ledgerEntries()
        #expect(
            entries.map(\.idempotencyKey) == [
                "import:charge", "import:interest", "import:fees", "import:payment:2026-03-01:10000",
            ])
        #expect(entries.map(\.kind) == [.charge, .interest, .fee, .payment])
        #expect(
            entries.map(\.effect) == [
                ComponentAmounts(principal: 100_000), ComponentAmounts(interest: 1_250), ComponentAmounts(fees: 2_500),
                // 100.00 pays the 25.00 fees, the 12.50 interest, then 62.50 of principal.
                ComponentAmounts(principal: -6_250, interest: -1_250, fees: -2_500),
            ])
        #expect(entries.prefix(3).allSatisfy { $0.effectiveDate == on("2026-01-15") })
        #expect(entries[3].effectiveDate == on("2026-03-01"))
        let ledger = Ledger(currency: debt.currency, entries: entries)
        #expect(ledger.balance == ComponentAmounts(principal: 93_750, interest: 0, fees: 0))
    }

    @Test("importing the same record again posts nothing new")
    func ledgerEntriesAreIdempotent() throws {
        let debt = try record()
        let entries = debt.ledgerEntries()
        #expect(debt.ledgerEntries() == entries)
        var ledger = Ledger(currency: debt.currency, entries: entries)
        for entry in entries {
            let posting: LedgerPosting
            switch entry.kind {
            case .charge: posting = .charge(amount: entry.amount, on: entry.effectiveDate, key: entry.idempotencyKey)
            case .interest:
                posting = .interest(amount: entry.amount, on: entry.effectiveDate, key: entry.idempotencyKey)
            case .fee: posting = .fee(amount: entry.amount, on: entry.effectiveDate, key: entry.idempotencyKey)
            case .payment: posting = .payment(amount: entry.amount, on: entry.effectiveDate, key: entry.idempotencyKey)
            default:
                Issue.record("unexpected entry \(entry)")
                continue
            }
            #expect(try ledger.post(posting) == .alreadyPosted(entry))
        }
        #expect(ledger.entries == entries)
    }

    @Test("zero interest and fees make no entries; payments are posted in date order")
    func ledgerEntriesSkipZeroAndSortPayments() throws {
        var debt = try record(["interest": "0", "fees": ""])
        debt.payments = [
            PaymentRecord(date: on("2026-04-01"), amount: 3_000), PaymentRecord(date: on("2026-02-01"), amount: 2_000),
        ]
        let entries = debt.ledgerEntries()
        #expect(
            entries.map(\.idempotencyKey) == [
                "import:charge", "import:payment:2026-02-01:2000", "import:payment:2026-04-01:3000",
            ])
        #expect(entries.map(\.effect.principal) == [100_000, -2_000, -3_000])
    }
}
