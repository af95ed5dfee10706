import Foundation

/// Everything a client (creditor) sets for its debts: interest and fees, the bounds of the plans it accepts, the
/// grace days of an arrangement, and who the agreement names as collector.
///
/// JSON (every member optional; amounts in `currency`; read by `init(json:)`, written by `encodedJSON()` and
/// `jsonText`):
/// `{"currency": "USD", "accrual": {…AccrualTerms…}, "plan": {"minInstallment", "maxInstallments",
/// "settlementPercent", "maxExtensionDays", "maxMonths"}, "graceDays": 5, "collector": "Acme Collections",
/// "contact": "Pay at … or call …"}`.
public struct ClientTerms: Hashable, Sendable {
    /// The currency the terms' amounts are in; debts in another currency get no interest or fees from them.
    public var currency: Currency
    public var accrual: AccrualTerms
    public var plan: PlanTerms
    /// Days after an installment's due date before an unpaid installment breaks an arrangement.
    public var graceDays: Int
    /// The name the written agreement gives as collector (the client's own name when nil).
    public var collectorName: String?
    /// How to pay and get in touch, one line in the agreement.
    public var contactLine: String?

    /// Grace days when the terms name none.
    public static let defaultGraceDays = 5

    public init(
        currency: Currency = .usd, accrual: AccrualTerms = .none, plan: PlanTerms = PlanTerms(),
        graceDays: Int = ClientTerms.defaultGraceDays, collectorName: String? = nil, contactLine: String? = nil
    ) {
        self.currency = currency
        self.accrual = accrual
        self.plan = plan
        self.graceDays = graceDays
        self.collectorName = collectorName
        self.contactLine = contactLine
    }

    /// Terms that charge nothing, with the default grace days.
    public static let standard = ClientTerms()

    /// Reads terms in the shape of `Wire` (see above); the error names the first bad field.
    public init(json data: Data) throws(ComplianceRequestError) {
        try self.init(JSONFieldDecoding.decode(Wire.self, from: data, whole: "the terms"))
    }

    /// Checks terms read from JSON, or from the API's request type: the currency is one Recoup knows, the accrual
    /// terms and plan bounds hold (their errors are named under `accrual.` and `plan.`), the grace days are 0 to
    /// `Arrangement.graceDaysLimit`. An empty collector or contact line counts as none.
    public init(_ wire: Wire) throws(ComplianceRequestError) {
        var currency = Currency.usd
        if let code = wire.currency {
            do { currency = try Currency(code: code) } catch {
                throw ComplianceRequestError(field: "currency", problem: "is \"\(code)\", not a currency Recoup knows")
            }
        }
        var accrual = AccrualTerms.none
        if let terms = wire.accrual {
            do {
                accrual = try AccrualTerms(terms, currency: currency)
            } catch {
                let field = error.field == "the terms" ? "" : "." + error.field
                throw ComplianceRequestError(field: "accrual" + field, problem: error.problem)
            }
        }
        var plan = PlanTerms()
        if let bounds = wire.plan { plan = try PlanTerms(bounds, currency: currency, field: "plan") }
        self.init(
            currency: currency, accrual: accrual, plan: plan, graceDays: wire.graceDays ?? Self.defaultGraceDays,
            collectorName: wire.collector.flatMap { $0.isEmpty ? nil : $0 },
            contactLine: wire.contact.flatMap { $0.isEmpty ? nil : $0 })
        try validate()
    }

    /// Refuses terms that `init(json:)` would refuse but the memberwise initializer lets through: plan bounds no
    /// plan could meet, grace days outside 0 to `Arrangement.graceDaysLimit`. (Accrual terms and the currency are
    /// checked by their own types.)
    public func validate() throws(ComplianceRequestError) {
        try plan.validate(field: "plan", currency: currency)
        guard (0...Arrangement.graceDaysLimit).contains(graceDays) else {
            throw ComplianceRequestError(
                field: "graceDays", problem: "is \(graceDays); use 0 to \(Arrangement.graceDaysLimit)")
        }
    }

    /// The terms as JSON in the shape `init(json:)` reads, every member written and members sorted: the text
    /// the store keeps.
    public func encodedJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(Wire(self))
    }

    /// The terms in the shape `init(json:)` reads, with every member written and keys in a fixed order.
    public var jsonText: String {
        func money(_ units: Int64) -> String { "\"\(Money.decimalString(minorUnits: units, currency: currency))\"" }
        func optional(_ value: Int?) -> String { value.map(String.init) ?? "null" }
        func text(_ value: String?) -> String {
            guard let value else { return "null" }
            var output = ""
            appendJSONString(value, to: &output)
            return output
        }
        let plan =
            "{\"minInstallment\":\(self.plan.minInstallment.map(money) ?? "null"),"
            + "\"maxInstallments\":\(optional(self.plan.maxInstallments)),"
            + "\"settlementPercent\":\(optional(self.plan.settlementPercent)),"
            + "\"maxExtensionDays\":\(optional(self.plan.maxExtensionDays)),"
            + "\"maxMonths\":\(optional(self.plan.maxMonths))}"
        return
            "{\"currency\":\"\(currency.code)\",\"accrual\":\(accrual.jsonText(currency: currency)),\"plan\":\(plan),"
            + "\"graceDays\":\(graceDays),\"collector\":\(text(collectorName)),\"contact\":\(text(contactLine))}"
    }
}

extension ClientTerms {
    /// Client terms as JSON carries them, every member optional: what `JSONDecoder` reads (refusing unknown members
    /// and values of the wrong kind, naming the field) before `ClientTerms(_:)` checks the values, and what
    /// `encodedJSON()` writes.
    public struct Wire: Codable, Hashable, Sendable {
        public var currency: String?
        public var accrual: AccrualTerms.Wire?
        public var plan: PlanTerms.Wire?
        public var graceDays: Int?
        public var collector: String?
        public var contact: String?

        static let members = ["currency", "accrual", "plan", "graceDays", "collector", "contact"]

        public init(
            currency: String? = nil, accrual: AccrualTerms.Wire? = nil, plan: PlanTerms.Wire? = nil,
            graceDays: Int? = nil, collector: String? = nil, contact: String? = nil
        ) {
            self.currency = currency
            self.accrual = accrual
            self.plan = plan
            self.graceDays = graceDays
            self.collector = collector
            self.contact = contact
        }

        /// The terms as JSON carries them, every member given.
        public init(_ terms: ClientTerms) {
            self.init(
                currency: terms.currency.code, accrual: AccrualTerms.Wire(terms.accrual, currency: terms.currency),
                plan: PlanTerms.Wire(terms.plan, currency: terms.currency), graceDays: terms.graceDays,
                collector: terms.collectorName, contact: terms.contactLine)
        }

        public init(from decoder: any Decoder) throws {
            let members = try decoder.jsonObject(whole: "the terms")
            try members.refuseUnknownMembers(allowed: Self.members) { _ in
                "is not a terms field; use \(Self.members.joined(separator: ", "))"
            }
            self.init(
                currency: try members.optionalString("currency"),
                accrual: try members.optional(AccrualTerms.Wire.self, "accrual"),
                plan: try members.optional(PlanTerms.Wire.self, "plan"),
                graceDays: try members.optionalInt("graceDays"),
                collector: try members.optionalString("collector"),
                contact: try members.optionalString("contact"))
        }

        /// Every member, null when absent, as `jsonText` writes them.
        public func encode(to encoder: any Encoder) throws {
            var members = encoder.container(keyedBy: JSONMemberKey.self)
            try members.encode(currency, forKey: JSONMemberKey("currency"))
            try members.encode(accrual, forKey: JSONMemberKey("accrual"))
            try members.encode(plan, forKey: JSONMemberKey("plan"))
            try members.encode(graceDays, forKey: JSONMemberKey("graceDays"))
            try members.encode(collector, forKey: JSONMemberKey("collector"))
            try members.encode(contact, forKey: JSONMemberKey("contact"))
        }
    }
}
