import Foundation

extension PlanTerms {
    /// Plan bounds as JSON carries them (`{"minInstallment", "maxInstallments", "maxMonths", "settlementPercent",
    /// "maxExtensionDays"}`, each optional, null meaning absent; other members are ignored), the amount still text.
    public struct Wire: Codable, Hashable, Sendable {
        public var minInstallment: String?
        public var maxInstallments: Int?
        public var settlementPercent: Int?
        public var maxExtensionDays: Int?
        public var maxMonths: Int?

        public init(
            minInstallment: String? = nil, maxInstallments: Int? = nil, settlementPercent: Int? = nil,
            maxExtensionDays: Int? = nil, maxMonths: Int? = nil
        ) {
            self.minInstallment = minInstallment
            self.maxInstallments = maxInstallments
            self.settlementPercent = settlementPercent
            self.maxExtensionDays = maxExtensionDays
            self.maxMonths = maxMonths
        }
    }

    /// Reads plan bounds as JSON carries them and checks them (`validate(field:currency:)`); `field` is where they
    /// are (`plan`), and each error names the member under it.
    public init(_ wire: Wire, currency: Currency, field: String) throws(ComplianceRequestError) {
        self.init(
            maxInstallments: wire.maxInstallments, settlementPercent: wire.settlementPercent,
            maxExtensionDays: wire.maxExtensionDays, maxMonths: wire.maxMonths)
        if let text = wire.minInstallment {
            minInstallment = try TermsField.amount(
                text, TermsField.path(field, "minInstallment"), currency, allowZero: true)
        }
        try validate(field: field, currency: currency)
    }

    /// Refuses bounds no plan could meet: a negative smallest installment, fewer than 1 installment, a plan of
    /// fewer than 1 or more than `monthsLimit` months, a settlement outside 1–100 percent, an extension outside
    /// 0–3650 days. `field` is where the bounds are (`plan`); the error names the member under it.
    public func validate(field: String, currency: Currency) throws(ComplianceRequestError) {
        if let minimum = minInstallment, minimum < 0 {
            throw ComplianceRequestError(
                field: TermsField.path(field, "minInstallment"),
                problem: "is \(Money.decimalString(minorUnits: minimum, currency: currency)); it cannot be negative")
        }
        if let count = maxInstallments, count < 1 {
            throw ComplianceRequestError(
                field: TermsField.path(field, "maxInstallments"), problem: "is \(count); it must be at least 1")
        }
        if let months = maxMonths, !(1...Self.monthsLimit).contains(months) {
            throw ComplianceRequestError(
                field: TermsField.path(field, "maxMonths"), problem: "is \(months); use 1 to \(Self.monthsLimit)")
        }
        if let percent = settlementPercent, !(1...100).contains(percent) {
            throw ComplianceRequestError(
                field: TermsField.path(field, "settlementPercent"), problem: "is \(percent); use 1 to 100")
        }
        if let days = maxExtensionDays, !(0...3_650).contains(days) {
            throw ComplianceRequestError(
                field: TermsField.path(field, "maxExtensionDays"), problem: "is \(days); use 0 to 3650")
        }
    }
}

extension PlanTerms.Wire {
    /// The bounds as JSON carries them, the amount in `currency`.
    public init(_ terms: PlanTerms, currency: Currency) {
        self.init(
            minInstallment: terms.minInstallment.map { Money.decimalString(minorUnits: $0, currency: currency) },
            maxInstallments: terms.maxInstallments, settlementPercent: terms.settlementPercent,
            maxExtensionDays: terms.maxExtensionDays, maxMonths: terms.maxMonths)
    }

    public init(from decoder: any Decoder) throws {
        let members = try decoder.jsonObject(whole: "the plan terms")
        self.init(
            minInstallment: try members.optionalDecimalText(
                "minInstallment", orElse: "must be an amount such as \"125.00\""),
            maxInstallments: try members.optionalInt("maxInstallments"),
            settlementPercent: try members.optionalInt("settlementPercent"),
            maxExtensionDays: try members.optionalInt("maxExtensionDays"),
            maxMonths: try members.optionalInt("maxMonths"))
    }

    /// Every member, null when absent, so the stored shape lists them all.
    public func encode(to encoder: any Encoder) throws {
        var members = encoder.container(keyedBy: JSONMemberKey.self)
        try members.encode(minInstallment, forKey: JSONMemberKey("minInstallment"))
        try members.encode(maxInstallments, forKey: JSONMemberKey("maxInstallments"))
        try members.encode(settlementPercent, forKey: JSONMemberKey("settlementPercent"))
        try members.encode(maxExtensionDays, forKey: JSONMemberKey("maxExtensionDays"))
        try members.encode(maxMonths, forKey: JSONMemberKey("maxMonths"))
    }
}

extension PlanProposal {
    /// `{"accepted", "options": [{"kind", "count"?, "total", "installments": [{"due", "amount"}]}], "reasons"}`.
    public func jsonText(currency: Currency) -> String {
        var text = "{\"accepted\":\(accepted),\"options\":["
        for (index, option) in options.enumerated() {
            if index > 0 { text += "," }
            text += "{\"kind\":\"\(option.kind.rawValue)\""
            if option.kind == .installments { text += ",\"count\":\(option.installments.count)" }
            text +=
                ",\"total\":\"\(Money.decimalString(minorUnits: option.total, currency: currency))\",\"installments\":["
            for (position, installment) in option.installments.enumerated() {
                if position > 0 { text += "," }
                text += "{\"due\":\"\(installment.due)\",\"amount\":\""
                text += Money.decimalString(minorUnits: installment.amount, currency: currency)
                text += "\"}"
            }
            text += "]}"
        }
        text += "],\"reasons\":["
        for (index, reason) in reasons.enumerated() {
            if index > 0 { text += "," }
            appendJSONString(reason, to: &text)
        }
        text += "]}"
        return text
    }
}
