import Foundation

/// Everything a client (creditor) sets for its debts: interest and fees, the bounds of the plans it accepts, the
/// grace days of an arrangement, and who the agreement names as collector.
///
/// JSON (every member optional; amounts in `currency`):
/// `{"currency": "USD", "accrual": {…AccrualTerms…}, "plan": {"minInstallment", "maxInstallments",
/// "settlementPercent", "maxExtensionDays"}, "graceDays": 5, "collector": "Acme Collections",
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

    private static let members = ["currency", "accrual", "plan", "graceDays", "collector", "contact"]

    /// Reads terms; the error names the first bad field.
    public init(json data: Data) throws(ComplianceRequestError) {
        let value: JSONValue
        do {
            value = try JSONValue.parse(data)
        } catch {
            throw ComplianceRequestError(field: "the terms", problem: error.description)
        }
        let reader = JSONFieldReader(value: value, base: "", key: nil)
        guard let object = value.objectValue else {
            throw ComplianceRequestError(field: "the terms", problem: "must be a JSON object")
        }
        if let unknown = object.keys.first(where: { !Self.members.contains($0) }) {
            throw ComplianceRequestError(
                field: unknown, problem: "is not a terms field; use \(Self.members.joined(separator: ", "))")
        }
        var currency = Currency.usd
        if let code = try reader.optionalString("currency") {
            do { currency = try Currency(code: code) } catch {
                throw ComplianceRequestError(field: "currency", problem: "is \"\(code)\", not a currency Recoup knows")
            }
        }
        var accrual = AccrualTerms.none
        if let member = object["accrual"], !member.isNull {
            do {
                accrual = try AccrualTerms(json: member, currency: currency)
            } catch {
                let field = error.field == "the request" || error.field == "the terms" ? "" : "." + error.field
                throw ComplianceRequestError(field: "accrual" + field, problem: error.problem)
            }
        }
        let plan =
            reader.has("plan") ? try PlanTerms(reader: try reader.child("plan"), currency: currency) : PlanTerms()
        let graceDays = try reader.optionalInt("graceDays") ?? Self.defaultGraceDays
        guard (0...Arrangement.graceDaysLimit).contains(graceDays) else {
            throw ComplianceRequestError(
                field: "graceDays", problem: "is \(graceDays); use 0 to \(Arrangement.graceDaysLimit)")
        }
        self.init(
            currency: currency, accrual: accrual, plan: plan, graceDays: graceDays,
            collectorName: try reader.optionalString("collector").flatMap { $0.isEmpty ? nil : $0 },
            contactLine: try reader.optionalString("contact").flatMap { $0.isEmpty ? nil : $0 })
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
            + "\"maxExtensionDays\":\(optional(self.plan.maxExtensionDays))}"
        return
            "{\"currency\":\"\(currency.code)\",\"accrual\":\(accrual.jsonText(currency: currency)),\"plan\":\(plan),"
            + "\"graceDays\":\(graceDays),\"collector\":\(text(collectorName)),\"contact\":\(text(contactLine))}"
    }
}
