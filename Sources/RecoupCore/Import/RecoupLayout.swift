import Foundation

/// Recoup's own import layout (documented in docs/import-format.md): one debt per row, named columns in any
/// order, consumer or commercial debtors with contact points, and balances split into principal, interest
/// and fees. Dates are `YYYY-MM-DD`, amounts decimal strings.
public struct RecoupLayout: ImportLayout {
    public static let formatName = "recoup"

    /// Columns every file must have.
    public static let requiredColumns = [
        "debt_ref", "debtor_ref", "debtor_kind", "debtor_name", "charged_on", "due_on", "principal",
    ]
    /// Columns a file may add.
    public static let optionalColumns = [
        "currency", "itemization_on", "interest", "fees", "paid", "paid_on", "original_creditor", "disputed",
        "phones", "emails", "address_type", "address_line1", "address_city", "address_state", "address_postal_code",
        "address_country", "time_zones", "language",
    ]

    private let columnIndex: [String: Int]
    private let columnCount: Int
    private let defaultCurrency: Currency

    public init(header: [String], defaultCurrency: Currency) throws(ImportFileError) {
        var index: [String: Int] = [:]
        let known = Set(Self.requiredColumns + Self.optionalColumns)
        for (position, rawName) in header.enumerated() {
            let name = rawName.trimmedSpaces.lowercased()
            guard known.contains(name) else {
                throw .wrongHeader(
                    format: Self.formatName,
                    message: "unknown column \"\(rawName)\" (column \(position + 1)); see docs/import-format.md")
            }
            guard index[name] == nil else {
                throw .wrongHeader(format: Self.formatName, message: "column \"\(name)\" appears twice")
            }
            index[name] = position
        }
        let missing = Self.requiredColumns.filter { index[$0] == nil }
        guard missing.isEmpty else {
            throw .wrongHeader(
                format: Self.formatName,
                message: "missing required column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", "))")
        }
        self.columnIndex = index
        self.columnCount = header.count
        self.defaultCurrency = defaultCurrency
    }

    public func record(fields: [String], line: Int) throws(ImportRowError) -> DebtRecord {
        guard fields.count == columnCount else {
            throw ImportRowError(line: line, message: "expected \(columnCount) fields, found \(fields.count)")
        }
        let row = Row(fields: fields, index: columnIndex, line: line)
        let currency: Currency
        if let code = row["currency"] {
            do { currency = try Currency(code: code) } catch { throw row.error("currency: \(error)") }
        } else {
            currency = defaultCurrency
        }
        let kind = try row.required("debtor_kind")
        guard let debtorKind = DebtorKind(rawValue: kind.lowercased()) else {
            throw row.error("debtor_kind must be consumer or commercial, found \"\(kind)\"")
        }
        let chargedOn = try row.date("charged_on")
        let dueDate = try row.date("due_on")
        let principal = try row.amount("principal", currency: currency)
        guard principal > 0 else { throw row.error("principal must be above zero") }
        let interest = try row.optionalAmount("interest", currency: currency) ?? 0
        let fees = try row.optionalAmount("fees", currency: currency) ?? 0
        guard interest >= 0 else { throw row.error("interest cannot be negative") }
        guard fees >= 0 else { throw row.error("fees cannot be negative") }
        var payments: [PaymentRecord] = []
        if let paid = try row.optionalAmount("paid", currency: currency), paid != 0 {
            guard paid > 0 else { throw row.error("paid cannot be negative") }
            guard row["paid_on"] != nil else { throw row.error("paid needs a paid_on date") }
            let paidOn = try row.date("paid_on")
            guard paidOn >= chargedOn else { throw row.error("paid_on is before charged_on") }
            payments.append(PaymentRecord(date: paidOn, amount: paid))
        }
        let disputed: Bool
        switch row["disputed"]?.lowercased() {
        case nil, "no", "false", "0": disputed = false
        case "yes", "true", "1": disputed = true
        case let other?: throw row.error("disputed must be yes or no, found \"\(other)\"")
        }
        let phones = try row.phones()
        let debtor = DebtorRecord(
            ref: try row.required("debtor_ref"), kind: debtorKind, name: try row.required("debtor_name"),
            phones: phones.read, emails: try row.emails(), addresses: try row.addresses(),
            timeZones: try row.timeZones(), language: try row.language())
        return DebtRecord(
            line: line, ref: try row.required("debt_ref"), debtor: debtor, originalCreditor: row["original_creditor"],
            currency: currency, chargedOn: chargedOn, dueDate: dueDate,
            itemizationDate: row["itemization_on"] == nil ? nil : try row.date("itemization_on"),
            charged: ComponentAmounts(principal: principal, interest: interest, fees: fees), payments: payments,
            isDisputed: disputed, warnings: phones.warnings)
    }

    /// One row's fields by column name; blank values read as absent.
    private struct Row {
        let fields: [String]
        let index: [String: Int]
        let line: Int

        subscript(column: String) -> String? {
            guard let position = index[column] else { return nil }
            let value = fields[position].trimmedSpaces
            return value.isEmpty ? nil : value
        }

        func error(_ message: String) -> ImportRowError { ImportRowError(line: line, message: message) }

        func required(_ column: String) throws(ImportRowError) -> String {
            guard let value = self[column] else { throw error("\(column) is empty") }
            return value
        }

        func date(_ column: String) throws(ImportRowError) -> LocalDate {
            let text = try required(column)
            do { return try LocalDate(iso: text) } catch { throw self.error("\(column): \(error)") }
        }

        func amount(_ column: String, currency: Currency) throws(ImportRowError) -> Int64 {
            let text = try required(column)
            do { return try Money.parseMinorUnits(text, currency: currency) } catch {
                throw self.error("\(column): \(error)")
            }
        }

        func optionalAmount(_ column: String, currency: Currency) throws(ImportRowError) -> Int64? {
            self[column] == nil ? nil : try amount(column, currency: currency)
        }

        func list(_ column: String) -> [String] {
            (self[column] ?? "").split(separator: ";").map { String($0).trimmedSpaces }
                .filter { !$0.isEmpty }
        }

        /// The phones as E.164 numbers (US numbers as people write them are read too). A number that cannot be read
        /// is left out with a warning rather than losing the debt; an unknown type refuses the row.
        func phones() throws(ImportRowError) -> (read: [Phone], warnings: [ImportRowWarning]) {
            var phones: [Phone] = []
            var warnings: [ImportRowWarning] = []
            for item in list("phones") {
                let parts = item.split(separator: ":", maxSplits: 1).map(String.init)
                let typeName = parts.count == 2 ? parts[1] : PhoneType.other.rawValue
                guard let type = PhoneType(name: typeName) else {
                    throw error("phones: \(ContactPointError.invalidPhoneType(typeName))")
                }
                do {
                    let phone = try Phone(reading: parts[0], type: type)
                    if !phones.contains(where: { $0.number == phone.number }) { phones.append(phone) }
                } catch {
                    warnings.append(
                        ImportRowWarning(
                            line: line, field: "phones",
                            message: "\(error); the debt was imported without this phone"))
                }
            }
            return (phones, warnings)
        }

        func emails() throws(ImportRowError) -> [String] {
            let emails = list("emails")
            if let bad = emails.first(where: { !isPlausibleEmail($0) }) {
                throw error("emails: \(ContactPointError.invalidEmail(bad))")
            }
            return emails
        }

        func addresses() throws(ImportRowError) -> [PostalAddress] {
            let parts = ["address_line1", "address_city", "address_state", "address_postal_code"].map { self[$0] }
            guard parts.contains(where: { $0 != nil }) else { return [] }
            let typeName = self["address_type"]?.lowercased() ?? AddressType.home.rawValue
            guard let type = AddressType(rawValue: typeName) else {
                throw error("address_type must be home, work or other, found \"\(typeName)\"")
            }
            let country = (self["address_country"] ?? "US").uppercased()
            guard country.count == 2, country.allSatisfy({ $0.isLetter }) else {
                throw error("address_country must be a two-letter ISO code such as US, found \"\(country)\"")
            }
            let state = parts[2]?.uppercased()
            if let state, country == "US", state.count != 2 || !state.allSatisfy({ $0.isLetter }) {
                throw error("address_state must be a two-letter state code such as MA, found \"\(state)\"")
            }
            return [
                PostalAddress(
                    type: type, line1: parts[0], city: parts[1], state: state, postalCode: parts[3], country: country)
            ]
        }

        /// `language`: en or es (also English, Spanish, español); empty for English.
        func language() throws(ImportRowError) -> MessageLanguage? {
            guard let code = self["language"] else { return nil }
            guard let language = MessageLanguage(code: code) else {
                throw self.error("language must be en or es, found \"\(code)\"")
            }
            return language
        }

        func timeZones() throws(ImportRowError) -> [String] {
            let zones = list("time_zones")
            for zone in zones {
                do { _ = try TimeZone.named(zone) } catch { throw self.error("time_zones: \(error)") }
            }
            return zones
        }
    }
}

/// The layouts `recoup import --format` accepts, by name.
public enum ImportFormat: String, CaseIterable, Sendable {
    case ibmAR = "ibm-ar"
    case recoup

    /// Reads a `--format` value; throws with the list of known formats.
    public init(name: String) throws(ImportFileError) {
        guard let format = ImportFormat(rawValue: name) else {
            throw .unknownFormat(name, known: ImportFormat.allCases.map(\.rawValue))
        }
        self = format
    }

    /// Prepares the layout for a header line.
    public func layout(header: [String], defaultCurrency: Currency) throws(ImportFileError) -> any ImportLayout {
        switch self {
        case .ibmAR: try IBMAccountsReceivableLayout(header: header, defaultCurrency: defaultCurrency)
        case .recoup: try RecoupLayout(header: header, defaultCurrency: defaultCurrency)
        }
    }
}
