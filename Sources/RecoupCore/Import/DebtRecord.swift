/// A debtor as an import file describes it.
public struct DebtorRecord: Hashable, Sendable {
    /// The client's own reference for the debtor (unique per client).
    public var ref: String
    /// Consumer or commercial.
    public var kind: DebtorKind
    /// The debtor's name.
    public var name: String
    /// Phone numbers.
    public var phones: [Phone]
    /// Email addresses.
    public var emails: [String]
    /// Postal addresses.
    public var addresses: [PostalAddress]
    /// IANA time zones known to apply, the primary one first.
    public var timeZones: [String]
    /// A country code as the source file gave it, kept for reference.
    public var sourceCountryCode: String?
    /// The language their messages are written in; nil when the file does not say (English).
    public var language: MessageLanguage?

    /// Makes a debtor record.
    public init(
        ref: String, kind: DebtorKind, name: String, phones: [Phone] = [], emails: [String] = [],
        addresses: [PostalAddress] = [], timeZones: [String] = [], sourceCountryCode: String? = nil,
        language: MessageLanguage? = nil
    ) {
        self.ref = ref
        self.kind = kind
        self.name = name
        self.phones = phones
        self.emails = emails
        self.addresses = addresses
        self.timeZones = timeZones
        self.sourceCountryCode = sourceCountryCode
        self.language = language
    }
}

/// A payment an import file reports as already received.
public struct PaymentRecord: Hashable, Sendable {
    /// When it took effect.
    public var date: LocalDate
    /// How much, in minor units (positive).
    public var amount: Int64

    /// Makes a payment record.
    public init(date: LocalDate, amount: Int64) {
        self.date = date
        self.amount = amount
    }
}

/// One debt read from an import file, validated and in Recoup's terms.
public struct DebtRecord: Hashable, Sendable {
    /// The physical line of the file it came from.
    public var line: Int
    /// The debt's reference, unique per client (kept exactly, leading zeros included).
    public var ref: String
    /// Who owes it.
    public var debtor: DebtorRecord
    /// The creditor the debt originated with, when not the client itself.
    public var originalCreditor: String?
    /// The debt's currency.
    public var currency: Currency
    /// The date the principal was charged.
    public var chargedOn: LocalDate
    /// The date payment was due.
    public var dueDate: LocalDate
    /// The itemization date (Regulation F 1006.34(b)(3)), when known.
    public var itemizationDate: LocalDate?
    /// Principal, interest and fees charged, in minor units.
    public var charged: ComponentAmounts
    /// Payments already received.
    public var payments: [PaymentRecord]
    /// True when the source marks the debt as disputed.
    public var isDisputed: Bool
    /// What the row said that could not be read and was left out, the debt still imported (an unreadable phone).
    public var warnings: [ImportRowWarning]

    /// Makes a debt record.
    public init(
        line: Int, ref: String, debtor: DebtorRecord, originalCreditor: String? = nil, currency: Currency,
        chargedOn: LocalDate, dueDate: LocalDate, itemizationDate: LocalDate? = nil, charged: ComponentAmounts,
        payments: [PaymentRecord] = [], isDisputed: Bool = false, warnings: [ImportRowWarning] = []
    ) {
        self.line = line
        self.ref = ref
        self.debtor = debtor
        self.originalCreditor = originalCreditor
        self.currency = currency
        self.chargedOn = chargedOn
        self.dueDate = dueDate
        self.itemizationDate = itemizationDate
        self.charged = charged
        self.payments = payments
        self.isDisputed = isDisputed
        self.warnings = warnings
    }

    /// The ledger entries this record stands for, each with a stable idempotency key
    /// (`import:charge`, `import:interest`, `import:fees`, `import:payment:DATE:AMOUNT`), so that importing
    /// the same record twice posts nothing new.
    public func ledgerEntries() -> [LedgerEntry] {
        var ledger = Ledger(currency: currency)
        var postings: [LedgerPosting] = []
        if charged.principal > 0 {
            postings.append(.charge(amount: charged.principal, on: chargedOn, key: "import:charge"))
        }
        if charged.interest > 0 {
            postings.append(.interest(amount: charged.interest, on: chargedOn, key: "import:interest"))
        }
        if charged.fees > 0 { postings.append(.fee(amount: charged.fees, on: chargedOn, key: "import:fees")) }
        for payment in payments.sorted(by: { $0.date < $1.date }) {
            postings.append(
                .payment(
                    amount: payment.amount, on: payment.date,
                    key: "import:payment:\(payment.date.isoString):\(payment.amount)"))
        }
        for posting in postings { _ = try? ledger.post(posting) }
        return ledger.entries
    }
}

/// A problem with one row of an import file; the rest of the file is still imported.
public struct ImportRowError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file's physical line.
    public var line: Int
    /// What is wrong, in one sentence.
    public var message: String

    /// Makes a row error.
    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}

/// Something in one row of an import file that was left out while the row itself was imported: the file's line, the
/// column (field) it was in, and what was wrong.
public struct ImportRowWarning: Hashable, Sendable, CustomStringConvertible {
    /// The file's physical line.
    public var line: Int
    /// The column the value was in (`phones`).
    public var field: String
    /// What was left out and why, in one sentence.
    public var message: String

    /// Makes a row warning.
    public init(line: Int, field: String, message: String) {
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String { "line \(line), \(field): \(message)" }
}

/// A problem that refuses a whole import file.
public enum ImportFileError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownFormat(String, known: [String])
    case emptyFile
    case wrongHeader(format: String, message: String)
    case rejectedRows(count: Int, first: ImportRowError)

    public var description: String {
        switch self {
        case .unknownFormat(let format, let known):
            return "unknown import format \"\(format)\": use one of \(known.joined(separator: ", "))"
        case .emptyFile: return "the file is empty: it needs a header line and at least one row"
        case .wrongHeader(let format, let message): return "the header is not the \(format) layout: \(message)"
        case .rejectedRows(let count, let first):
            return
                "\(count) row\(count == 1 ? "" : "s") could not be imported and --all-or-nothing was given, so nothing was imported (first: \(first))"
        }
    }
}

/// Reads one file layout: checks the header, turns each row into a `DebtRecord`.
public protocol ImportLayout: Sendable {
    /// The layout's name as `--format` spells it.
    static var formatName: String { get }
    /// Checks the header line and prepares to read rows; throws `ImportFileError.wrongHeader`.
    init(header: [String], defaultCurrency: Currency) throws(ImportFileError)
    /// Reads one row (its fields and physical line number).
    func record(fields: [String], line: Int) throws(ImportRowError) -> DebtRecord
}
