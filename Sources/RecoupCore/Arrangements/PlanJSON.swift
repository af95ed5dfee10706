import Foundation

extension PlanRequest {
    /// Reads a plan request (docs/arrangements.md, `recoup plan propose`); the error names the first bad field.
    ///
    /// Amounts are decimal strings in the request's currency (`"1250.00"`; JSON numbers are read the same way,
    /// digit for digit); more decimals than the currency has, negative or zero amounts are refused.
    public init(json data: Data) throws(ComplianceRequestError) {
        let value: JSONValue
        do {
            value = try JSONValue.parse(data)
        } catch {
            throw ComplianceRequestError(field: "the request", problem: error.description)
        }
        let request = JSONFieldReader(value: value, base: "", key: nil)
        try request.requireObject()
        let code = try request.string("currency")
        let currency: Currency
        do { currency = try Currency(code: code) } catch {
            throw ComplianceRequestError(
                field: "currency", problem: "is \"\(code)\", not a currency Recoup knows (such as USD, EUR, JPY)")
        }
        let balance = try request.amount("balance", currency)
        let today = try request.date("today")
        let offerReader = try request.child("offer")
        try offerReader.requireObject()
        let offer = PlanOffer(
            amount: try offerReader.amount("amount", currency), frequency: try offerReader.enumeration("frequency"),
            firstDue: try offerReader.date("firstDue"))
        guard offer.firstDue >= today else {
            throw ComplianceRequestError(
                field: "offer.firstDue",
                problem: "is \(offer.firstDue), before today (\(today)); a plan starts today or later")
        }
        let terms =
            request.has("terms") ? try PlanTerms(reader: try request.child("terms"), currency: currency) : PlanTerms()
        self.init(balance: balance, currency: currency, today: today, offer: offer, terms: terms)
    }
}

extension PlanTerms {
    /// Reads plan bounds from a JSON object: `minInstallment`, `maxInstallments`, `settlementPercent`,
    /// `maxExtensionDays`, each optional.
    init(reader: JSONFieldReader, currency: Currency) throws(ComplianceRequestError) {
        try reader.requireObject()
        self.init()
        if reader.has("minInstallment") {
            minInstallment = try reader.amount("minInstallment", currency, allowZero: true)
        }
        maxInstallments = try reader.optionalInt("maxInstallments")
        if let count = maxInstallments, count < 1 {
            throw ComplianceRequestError(
                field: "\(reader.path).maxInstallments", problem: "is \(count); it must be at least 1")
        }
        settlementPercent = try reader.optionalInt("settlementPercent")
        if let percent = settlementPercent, !(1...100).contains(percent) {
            throw ComplianceRequestError(
                field: "\(reader.path).settlementPercent", problem: "is \(percent); use 1 to 100")
        }
        maxExtensionDays = try reader.optionalInt("maxExtensionDays")
        if let days = maxExtensionDays, !(0...3_650).contains(days) {
            throw ComplianceRequestError(field: "\(reader.path).maxExtensionDays", problem: "is \(days); use 0 to 3650")
        }
    }
}

extension JSONFieldReader {
    /// A positive amount (or zero when allowed) of `currency` given as a decimal string or a JSON number.
    func amount(_ key: String, _ currency: Currency, allowZero: Bool = false) throws(ComplianceRequestError) -> Int64 {
        let field = try child(key)
        let text: String
        switch field.value {
        case .string(let string): text = string
        case .number(let number): text = number.text
        default: throw field.error("must be an amount such as \"125.00\"")
        }
        let units: Int64
        do { units = try Money.parseMinorUnits(text, currency: currency) } catch { throw field.error("\(error)") }
        guard units > 0 || (allowZero && units == 0) else {
            throw field.error("is \(text); it must be more than zero")
        }
        return units
    }

    /// A date `YYYY-MM-DD`.
    func date(_ key: String) throws(ComplianceRequestError) -> LocalDate {
        let field = try child(key)
        let text = try field.stringValue()
        do { return try LocalDate(iso: text) } catch { throw field.error("\(error)") }
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
