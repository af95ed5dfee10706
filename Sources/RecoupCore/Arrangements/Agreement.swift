/// Everything the written agreement for an arrangement says: who, what is owed, what will be paid and when, and
/// what happens if a payment is missed.
public struct AgreementDocument: Hashable, Sendable {
    /// The person or company who owes.
    public struct Debtor: Hashable, Sendable {
        public var name: String
        /// The postal address, one line each.
        public var addressLines: [String]

        public init(name: String, addressLines: [String]) {
            self.name = name
            self.addressLines = addressLines
        }
    }

    /// One debt the agreement covers.
    public struct Debt: Hashable, Sendable {
        /// The debt's reference (account or invoice number).
        public var ref: String
        public var description: String?
        /// The debt's balance in minor units (for a settlement, more than it pays).
        public var amount: Int64

        public init(ref: String, description: String? = nil, amount: Int64) {
            self.ref = ref
            self.description = description
            self.amount = amount
        }
    }

    /// The agreement's reference number.
    public var reference: String
    /// The day the agreement was written.
    public var writtenOn: LocalDate
    public var debtor: Debtor
    /// The client: the creditor the debts are owed to.
    public var creditorName: String
    /// Who collects and writes the agreement: the agency, or the client itself.
    public var collectorName: String
    /// How to pay and how to get in touch, in one line.
    public var contactLine: String
    public var currency: Currency
    public var debts: [Debt]
    /// The schedule, numbered from 1 in this order.
    public var installments: [Installment]
    public var graceDays: Int
    public var kind: PlanOption.Kind

    public init(
        reference: String, writtenOn: LocalDate, debtor: Debtor, creditorName: String, collectorName: String,
        contactLine: String, currency: Currency, debts: [Debt], installments: [Installment], graceDays: Int,
        kind: PlanOption.Kind
    ) {
        self.reference = reference
        self.writtenOn = writtenOn
        self.debtor = debtor
        self.creditorName = creditorName
        self.collectorName = collectorName
        self.contactLine = contactLine
        self.currency = currency
        self.debts = debts
        self.installments = installments
        self.graceDays = graceDays
        self.kind = kind
    }

    /// The agreement for `arrangement`: its currency, schedule, grace days and kind, with `debts` at their balances.
    public init(
        arrangement: Arrangement, reference: String, writtenOn: LocalDate, debtor: Debtor, creditorName: String,
        collectorName: String, contactLine: String, debts: [Debt]
    ) {
        self.init(
            reference: reference, writtenOn: writtenOn, debtor: debtor, creditorName: creditorName,
            collectorName: collectorName, contactLine: contactLine, currency: arrangement.currency, debts: debts,
            installments: arrangement.installments, graceDays: arrangement.graceDays, kind: arrangement.kind)
    }

    /// Who the agreement names and how it says to pay, for a client known by `storedName` (its name, or its reference
    /// when it has none of its own): the creditor is the profile's name, else `storedName`; the collector is the agency
    /// the terms name, else the creditor; the contact line is made from the profile's payment and contact details
    /// when it has any (`ClientProfile.agreementContactLine(reference:)`), else the terms' contact line, else a
    /// sentence that says to contact the collector and quote `reference`.
    ///
    /// Only agreements written from now on read it: an agreement already written is stored text with its hash and
    /// never changes.
    public static func parties(
        profile: ClientProfile, terms: ClientTerms, storedName: String, reference: String
    ) -> (creditorName: String, collectorName: String, contactLine: String) {
        let creditor = profile.name ?? storedName
        let collector = terms.collectorName ?? creditor
        let contact =
            profile.agreementContactLine(reference: reference) ?? terms.contactLine
            ?? "To pay or to ask anything about this agreement, contact \(collector) and quote \(reference)."
        return (creditor, collector, contact)
    }

    /// What the debtor will pay in all, in minor units.
    public var total: Int64 { installments.reduce(0) { InstallmentMatcher.saturatingSum($0, $1.amount) } }
    /// What the debts add up to, in minor units.
    public var debtsTotal: Int64 { debts.reduce(0) { InstallmentMatcher.saturatingSum($0, $1.amount) } }

    /// The written agreement as plain text and as an HTML page; the same document always gives the same bytes.
    public func render(
        text: AgreementTemplate = .defaultText, html: AgreementTemplate = .defaultHTML
    ) -> (text: String, html: String) {
        let values = templateValues
        return (text.render(values), html.render(values))
    }

    // MARK: What the templates are given

    /// The values for `TemplateSchema.agreement`: the facts, formatted for people, and the agreement's sentences.
    public var templateValues: [String: TemplateValue] {
        let installmentItems = installments.enumerated().map { index, installment -> [String: TemplateValue] in
            [
                "number": .text(String(index + 1)), "due": .text(installment.due.isoString),
                "amount": .text(money(installment.amount)),
            ]
        }
        let debtItems = debts.map { debt -> [String: TemplateValue] in
            let description = debt.description ?? ""
            return [
                "ref": .text(debt.ref), "description": .text(description), "amount": .text(money(debt.amount)),
                "label": .text(description.isEmpty ? debt.ref : "\(debt.ref) (\(description))"),
            ]
        }
        let fields: [String: String] = [
            "reference": reference, "writtenOn": writtenOn.isoString, "debtorName": debtor.name,
            "debtorAddress": debtor.addressLines.joined(separator: ", "), "creditorName": creditorName,
            "collectorName": collectorName, "contactLine": contactLine, "currency": currency.code,
            "total": money(total), "debtsTotal": money(debtsTotal), "forgiven": money(max(0, debtsTotal - total)),
            "installmentCount": String(installments.count), "graceDays": String(graceDays),
            "kind": kind.rawValue, "partiesSentence": partiesSentence, "kindSentence": kindSentence,
            "graceSentence": graceSentence, "missedPaymentSentence": missedPaymentSentence,
            "disputeSentence": disputeSentence, "newArrangementSentence": newArrangementSentence,
            "acceptanceSentence": acceptanceSentence,
        ]
        var values = fields.mapValues { TemplateValue.text($0) }
        values["debts"] = .list(debtItems)
        values["installments"] = .list(installmentItems)
        values["debtorAddressLines"] = .list(debtor.addressLines.map { ["line": .text($0)] })
        return values
    }

    /// Who the agreement is between.
    public var partiesSentence: String {
        if collectorName == creditorName {
            return "This agreement is between \(debtor.name) (\"you\") and \(creditorName) (\"we\"), "
                + "to whom the debts below are owed."
        }
        return "This agreement is between \(debtor.name) (\"you\") and \(collectorName) (\"we\"), "
            + "who collects the debts below on behalf of \(creditorName), to whom they are owed."
    }

    /// What kind of arrangement this is, in plain words.
    public var kindSentence: String {
        let payments =
            installments.count == 1
            ? "in one payment, on or before the due date below"
            : "in \(installments.count) payments, each on or before its due date below"
        switch kind {
        case .installments:
            return "You will pay \(money(total)) \(payments)."
        case .extension:
            return "We have agreed to give you more time: you will pay \(money(total)) \(payments)."
        case .settlement:
            let forgiven = debtsTotal - total
            guard forgiven > 0 else {
                return "You will pay \(money(total)) \(payments). Once every payment is made on time, you will owe "
                    + "nothing more on these debts."
            }
            return "\(creditorName) agrees to settle these debts, which come to \(money(debtsTotal)), for "
                + "\(money(total)). You will pay \(money(total)) \(payments). Once every payment is made on time, "
                + "the remaining \(money(forgiven)) will be forgiven and you will owe nothing more on these debts."
        }
    }

    /// How many grace days there are and what they mean.
    public var graceSentence: String {
        switch graceDays {
        case 0: "There are no grace days: each payment must be made in full by its due date."
        case 1: "You have 1 grace day: a payment made in full within 1 day after its due date still counts as on time."
        default:
            "You have \(graceDays) grace days: a payment made in full within \(graceDays) days after its due date "
                + "still counts as on time."
        }
    }

    /// What happens when a payment is missed, and that the agreement adds no penalty of its own.
    public var missedPaymentSentence: String {
        let when =
            graceDays == 0
            ? "If a payment is not made in full by its due date"
            : "If a payment is not made in full within \(graceDays) \(graceDays == 1 ? "day" : "days") "
                + "after its due date"
        let settlement = kind == .settlement ? " and the settlement no longer applies" : ""
        return "\(when), this arrangement ends\(settlement). The remaining balance of the debts, less what you have "
            + "paid, will then be due again, and we may resume collection. This agreement does not add any fee, "
            + "interest or other penalty because a payment was missed."
    }

    /// The debtor's right to dispute, and that the agreement waives none of their rights.
    public var disputeSentence: String {
        "You can dispute any of these debts at any time by writing to \(collectorName). While we check a dispute, "
            + "we stop collecting the disputed debt. This agreement does not take away any of your rights."
    }

    /// That the debtor can ask for a new arrangement.
    public var newArrangementSentence: String {
        "If your circumstances change, contact us and ask for a new arrangement; we will look at it with you."
    }

    /// That the arrangement starts only once accepted, and the ways to accept it.
    public var acceptanceSentence: String {
        "This arrangement starts only when you accept it: in our online portal, on a recorded call with one of our "
            + "collectors, or by signing and returning this letter."
    }

    private func money(_ units: Int64) -> String { Money.displayString(minorUnits: units, currency: currency) }
}

extension TemplateSchema {
    /// The names an agreement template may use; `AgreementDocument.templateValues` gives every one of them.
    public static let agreement = TemplateSchema(
        fields: [
            "reference", "writtenOn", "debtorName", "debtorAddress", "creditorName", "collectorName", "contactLine",
            "currency", "total", "debtsTotal", "forgiven", "installmentCount", "graceDays", "kind", "partiesSentence",
            "kindSentence", "graceSentence", "missedPaymentSentence", "disputeSentence", "newArrangementSentence",
            "acceptanceSentence",
        ],
        lists: [
            "debts": TemplateSchema(fields: ["ref", "description", "amount", "label"]),
            "installments": TemplateSchema(fields: ["number", "due", "amount"]),
            "debtorAddressLines": TemplateSchema(fields: ["line"]),
        ])
}

extension AgreementTemplate {
    /// Parses an agreement template, checking its names against `TemplateSchema.agreement`.
    public init(agreement source: String, format: Format) throws(AgreementTemplateError) {
        try self.init(source, format: format, schema: .agreement)
    }

    /// The agreement filled in with `document`.
    public func render(_ document: AgreementDocument) -> String { render(document.templateValues) }

    /// The built-in plain-text agreement.
    public static let defaultText = builtIn(AgreementTemplate.defaultTextSource, .text)
    /// The built-in agreement as a complete HTML page, with no external resources.
    public static let defaultHTML = builtIn(AgreementTemplate.defaultHTMLSource, .html)

    private static func builtIn(_ source: String, _ format: Format) -> AgreementTemplate {
        do {
            return try AgreementTemplate(agreement: source, format: format)
        } catch {
            // The built-in templates are tested; this can only fail while editing them.
            preconditionFailure("The built-in \(format.rawValue) agreement template is invalid: \(error)")
        }
    }

    static let defaultTextSource = """
        PAYMENT ARRANGEMENT {{reference}}
        Written on {{writtenOn}}

        WHO THIS AGREEMENT IS BETWEEN
        {{partiesSentence}}

        {{debtorName}}
        {{#debtorAddressLines}}
        {{line}}
        {{/debtorAddressLines}}

        THE DEBTS
        {{#debts}}
        - {{label}}: {{amount}}
        {{/debts}}
        Total of the debts: {{debtsTotal}}

        WHAT YOU WILL PAY
        {{kindSentence}}
        {{#installments}}
        {{number}}. {{amount}} due on {{due}}
        {{/installments}}
        Total you will pay: {{total}}

        IF A PAYMENT IS MISSED
        {{graceSentence}}
        {{missedPaymentSentence}}

        YOUR RIGHTS
        {{disputeSentence}}
        {{newArrangementSentence}}

        HOW TO PAY OR CONTACT US
        {{contactLine}}

        {{acceptanceSentence}}

        """

    static let defaultHTMLSource = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>Payment arrangement {{reference}}</title>
        <style>
        body { font-family: sans-serif; max-width: 42em; margin: 2em auto; padding: 0 1em; line-height: 1.5; }
        table { border-collapse: collapse; margin: 1em 0; }
        th, td { border: 1px solid #999; padding: 0.25em 0.5em; text-align: left; }
        .amount { text-align: right; }
        </style>
        </head>
        <body>
        <h1>Payment arrangement {{reference}}</h1>
        <p>Written on {{writtenOn}}</p>
        <h2>Who this agreement is between</h2>
        <p>{{partiesSentence}}</p>
        <p>{{debtorName}}
        {{#debtorAddressLines}}
        <br>{{line}}
        {{/debtorAddressLines}}
        </p>
        <h2>The debts</h2>
        <table>
        <thead>
        <tr>
        <th scope="col">Reference</th><th scope="col">Description</th><th scope="col" class="amount">Amount</th>
        </tr>
        </thead>
        <tbody>
        {{#debts}}
        <tr><td>{{ref}}</td><td>{{description}}</td><td class="amount">{{amount}}</td></tr>
        {{/debts}}
        </tbody>
        <tfoot>
        <tr><th scope="row" colspan="2">Total of the debts</th><td class="amount">{{debtsTotal}}</td></tr>
        </tfoot>
        </table>
        <h2>What you will pay</h2>
        <p>{{kindSentence}}</p>
        <table>
        <thead>
        <tr><th scope="col">Payment</th><th scope="col">Due on</th><th scope="col" class="amount">Amount</th></tr>
        </thead>
        <tbody>
        {{#installments}}
        <tr><td>{{number}}</td><td>{{due}}</td><td class="amount">{{amount}}</td></tr>
        {{/installments}}
        </tbody>
        <tfoot>
        <tr><th scope="row" colspan="2">Total you will pay</th><td class="amount">{{total}}</td></tr>
        </tfoot>
        </table>
        <h2>If a payment is missed</h2>
        <p>{{graceSentence}}</p>
        <p>{{missedPaymentSentence}}</p>
        <h2>Your rights</h2>
        <p>{{disputeSentence}}</p>
        <p>{{newArrangementSentence}}</p>
        <h2>How to pay or contact us</h2>
        <p>{{contactLine}}</p>
        <p>{{acceptanceSentence}}</p>
        </body>
        </html>

        """
}
