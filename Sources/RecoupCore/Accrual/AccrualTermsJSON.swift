import Foundation

extension AccrualTerms {
    /// Reads terms from JSON; see `init(json:currency:)` for the shape.
    public init(json data: Data, currency: Currency) throws(ComplianceRequestError) {
        let value: JSONValue
        do {
            value = try JSONValue.parse(data)
        } catch {
            throw ComplianceRequestError(field: "the terms", problem: error.description)
        }
        try self.init(json: value, currency: currency)
    }

    /// Reads terms from parsed JSON; every field is optional and the error names the first bad field.
    ///
    /// ```json
    /// {"annualInterestPercent": "8.5", "interestCap": {"percentOfPrincipal": "25"},
    ///  "fees": [{"step": "final-notice", "flat": "25.00"}, {"step": "placement", "percentOfBalance": "10"}],
    ///  "feeCap": {"amount": "100.00"}}
    /// ```
    /// Percentages are decimal strings or JSON numbers, 0 to 100, with at most four decimals. Amounts are in
    /// `currency`, with no more decimals than it has. Unknown fields are refused.
    public init(json value: JSONValue, currency: Currency) throws(ComplianceRequestError) {
        let reader = JSONFieldReader(value: value, base: "", key: nil)
        guard value.objectValue != nil else {
            throw ComplianceRequestError(field: "the terms", problem: "must be a JSON object")
        }
        try reader.refuseUnknownFields(
            of: "the terms", allowed: ["annualInterestPercent", "interestCap", "fees", "feeCap"])
        var rate: Int64 = 0
        if reader.has("annualInterestPercent") {
            rate = try reader.percent(
                "annualInterestPercent", aboveHundred: "an annual rate above 100 percent is refused")
        }
        let interestCap = try reader.optionalCap("interestCap", currency)
        var fees: [FeeRule] = []
        for feeReader in try reader.optionalArray("fees") {
            let rule = try feeReader.feeRule(currency)
            guard !fees.contains(where: { $0.step == rule.step }) else {
                throw try feeReader.child("step").error("repeats \"\(rule.step)\"; each step may carry one fee")
            }
            fees.append(rule)
        }
        let feeCap = try reader.optionalCap("feeCap", currency)
        do {
            try self.init(annualRatePPM: rate, interestCap: interestCap, fees: fees, feeCap: feeCap)
        } catch {
            throw ComplianceRequestError(field: "the terms", problem: "are refused: \(error)")
        }
    }

    /// The terms in the JSON shape `init(json:currency:)` reads, keys in a fixed order; caps only when set.
    public func jsonText(currency: Currency) -> String {
        func cap(_ cap: AccrualCap) -> String {
            switch cap {
            case .amount(let amount):
                "{\"amount\":\"\(Money.decimalString(minorUnits: amount, currency: currency))\"}"
            case .percentOfPrincipal(let ppm):
                "{\"percentOfPrincipal\":\"\(PartsPerMillion.percentText(ppm))\"}"
            }
        }
        var text = "{\"annualInterestPercent\":\"\(PartsPerMillion.percentText(annualRatePPM))\""
        if let interestCap { text += ",\"interestCap\":" + cap(interestCap) }
        text += ",\"fees\":["
        for (index, rule) in fees.enumerated() {
            if index > 0 { text += "," }
            text += "{\"step\":"
            appendJSONString(rule.step, to: &text)
            switch rule.charge {
            case .flat(let amount):
                text += ",\"flat\":\"\(Money.decimalString(minorUnits: amount, currency: currency))\"}"
            case .percentOfBalance(let ppm):
                text += ",\"percentOfBalance\":\"\(PartsPerMillion.percentText(ppm))\"}"
            }
        }
        text += "]"
        if let feeCap { text += ",\"feeCap\":" + cap(feeCap) }
        return text + "}"
    }
}

extension JSONFieldReader {
    /// Refuses members of this object other than `allowed`, naming the first unknown one.
    fileprivate func refuseUnknownFields(of what: String, allowed: [String]) throws(ComplianceRequestError) {
        guard let object = value.objectValue else { return }
        let unknown = object.keys.filter { !allowed.contains($0) }
        guard let first = unknown.first else { return }
        let others = unknown.dropFirst().map { "\"\($0)\"" }
        let also = others.isEmpty ? "" : " (nor are \(others.joined(separator: ", ")))"
        throw JSONFieldReader(value: .null, base: path, key: first).error(
            "is not a field of \(what)\(also); use \(Self.list(allowed))")
    }

    /// A percentage 0–100 with at most four decimals, as parts per million; `aboveHundred` is the sentence that
    /// refuses more than 100.
    fileprivate func percent(_ key: String, aboveHundred: String) throws(ComplianceRequestError) -> Int64 {
        let field = try child(key)
        let text: String
        switch field.value {
        case .string(let string): text = string
        case .number(let number): text = number.text
        default: throw field.error("must be a percentage such as \"8.5\"")
        }
        guard let ppm = PartsPerMillion.parsePercent(text) else {
            let problem =
                text.hasPrefix("-")
                ? "a percentage cannot be negative" : "write a percentage such as \"8.5\", with at most 4 decimals"
            throw field.error("is \"\(text)\"; \(problem)")
        }
        guard PartsPerMillion.percentRange.contains(ppm) else { throw field.error("is \(text); \(aboveHundred)") }
        return ppm
    }

    /// A cap object with exactly one of `amount` or `percentOfPrincipal`, or nil when the member is absent.
    fileprivate func optionalCap(_ key: String, _ currency: Currency) throws(ComplianceRequestError) -> AccrualCap? {
        guard has(key) else { return nil }
        let cap = try child(key)
        guard cap.value.objectValue != nil else {
            throw cap.error("must be an object such as {\"amount\": \"100.00\"} or {\"percentOfPrincipal\": \"25\"}")
        }
        try cap.refuseUnknownFields(of: "a cap", allowed: ["amount", "percentOfPrincipal"])
        switch (cap.has("amount"), cap.has("percentOfPrincipal")) {
        case (true, false): return .amount(try cap.amount("amount", currency, allowZero: true))
        case (false, true):
            let ppm = try cap.percent("percentOfPrincipal", aboveHundred: "a cap is at most 100 percent of principal")
            return .percentOfPrincipal(ppm)
        case (true, true): throw cap.error("has both amount and percentOfPrincipal; give one")
        case (false, false): throw cap.error("needs an amount or a percentOfPrincipal")
        }
    }

    /// One fee rule: a step name and exactly one of `flat` or `percentOfBalance`.
    fileprivate func feeRule(_ currency: Currency) throws(ComplianceRequestError) -> FeeRule {
        guard value.objectValue != nil else {
            throw error("must be an object such as {\"step\": \"final-notice\", \"flat\": \"25.00\"}")
        }
        try refuseUnknownFields(of: "a fee", allowed: ["step", "flat", "percentOfBalance"])
        let step = try string("step")
        guard FeeRule.isValidStepName(step) else {
            throw try child("step").error(
                "is \"\(step)\"; a step name uses lowercase letters, digits and hyphens, such as final-notice")
        }
        switch (has("flat"), has("percentOfBalance")) {
        case (true, false): return FeeRule(step: step, charge: .flat(try amount("flat", currency)))
        case (false, true):
            let ppm = try percent("percentOfBalance", aboveHundred: "a fee is at most 100 percent of the balance")
            return FeeRule(step: step, charge: .percentOfBalance(ppm))
        case (true, true): throw error("has both flat and percentOfBalance; give one")
        case (false, false): throw error("needs a flat amount or a percentOfBalance")
        }
    }

    private static func list(_ names: [String]) -> String {
        names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
    }
}
