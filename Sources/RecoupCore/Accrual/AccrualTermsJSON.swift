import Foundation

extension AccrualTerms {
    /// Accrual terms as JSON carries them, every member optional and amounts and percentages still text:
    ///
    /// ```json
    /// {"annualInterestPercent": "8.5", "interestCap": {"percentOfPrincipal": "25"},
    ///  "fees": [{"step": "final-notice", "flat": "25.00"}, {"step": "placement", "percentOfBalance": "10"}],
    ///  "feeCap": {"amount": "100.00"}}
    /// ```
    /// Decoding refuses unknown members and values of the wrong kind, naming the field; `AccrualTerms(_:currency:)`
    /// checks the rest. Percentages and amounts may also be JSON numbers.
    public struct Wire: Codable, Hashable, Sendable {
        public var annualInterestPercent: String?
        public var interestCap: Cap?
        public var fees: [Fee]?
        public var feeCap: Cap?

        /// `{"amount": "100.00"}` or `{"percentOfPrincipal": "25"}`.
        public struct Cap: Codable, Hashable, Sendable {
            public var amount: String?
            public var percentOfPrincipal: String?

            public init(amount: String? = nil, percentOfPrincipal: String? = nil) {
                self.amount = amount
                self.percentOfPrincipal = percentOfPrincipal
            }
        }

        /// `{"step": "final-notice", "flat": "25.00"}` or `{"step": "placement", "percentOfBalance": "10"}`.
        public struct Fee: Codable, Hashable, Sendable {
            public var step: String?
            public var flat: String?
            public var percentOfBalance: String?

            public init(step: String?, flat: String? = nil, percentOfBalance: String? = nil) {
                self.step = step
                self.flat = flat
                self.percentOfBalance = percentOfBalance
            }
        }

        public init(
            annualInterestPercent: String? = nil, interestCap: Cap? = nil, fees: [Fee]? = nil, feeCap: Cap? = nil
        ) {
            self.annualInterestPercent = annualInterestPercent
            self.interestCap = interestCap
            self.fees = fees
            self.feeCap = feeCap
        }
    }

    /// Reads terms from JSON in the shape of `Wire`; the error names the first bad field.
    ///
    /// Percentages are decimal strings or JSON numbers, 0 to 100, with at most four decimals. Amounts are in
    /// `currency`, with no more decimals than it has. Unknown fields are refused.
    public init(json data: Data, currency: Currency) throws(ComplianceRequestError) {
        try self.init(JSONFieldDecoding.decode(Wire.self, from: data, whole: "the terms"), currency: currency)
    }

    /// Checks terms read from JSON (or from the API's request type); fields are named relative to the terms, and
    /// "the terms" is the whole.
    public init(_ wire: Wire, currency: Currency) throws(ComplianceRequestError) {
        var rate: Int64 = 0
        if let text = wire.annualInterestPercent {
            rate = try TermsField.percent(
                text, "annualInterestPercent", aboveHundred: "an annual rate above 100 percent is refused")
        }
        let interestCap = try wire.interestCap.map { cap throws(ComplianceRequestError) in
            try Self.cap(cap, "interestCap", currency)
        }
        var fees: [FeeRule] = []
        for (index, fee) in (wire.fees ?? []).enumerated() {
            let rule = try Self.feeRule(fee, "fees[\(index)]", currency)
            guard !fees.contains(where: { $0.step == rule.step }) else {
                throw ComplianceRequestError(
                    field: "fees[\(index)].step", problem: "repeats \"\(rule.step)\"; each step may carry one fee")
            }
            fees.append(rule)
        }
        let feeCap = try wire.feeCap.map { cap throws(ComplianceRequestError) in try Self.cap(cap, "feeCap", currency) }
        do {
            try self.init(annualRatePPM: rate, interestCap: interestCap, fees: fees, feeCap: feeCap)
        } catch {
            throw ComplianceRequestError(field: "the terms", problem: "are refused: \(error)")
        }
    }

    private static func cap(
        _ cap: Wire.Cap, _ field: String, _ currency: Currency
    ) throws(ComplianceRequestError)
        -> AccrualCap
    {
        switch (cap.amount, cap.percentOfPrincipal) {
        case (let amount?, nil):
            return .amount(try TermsField.amount(amount, field + ".amount", currency, allowZero: true))
        case (nil, let percent?):
            return .percentOfPrincipal(
                try TermsField.percent(
                    percent, field + ".percentOfPrincipal", aboveHundred: "a cap is at most 100 percent of principal"))
        case (.some, .some):
            throw ComplianceRequestError(field: field, problem: "has both amount and percentOfPrincipal; give one")
        case (nil, nil):
            throw ComplianceRequestError(field: field, problem: "needs an amount or a percentOfPrincipal")
        }
    }

    private static func feeRule(
        _ fee: Wire.Fee, _ field: String, _ currency: Currency
    ) throws(ComplianceRequestError)
        -> FeeRule
    {
        guard let step = fee.step else { throw ComplianceRequestError(field: field + ".step", problem: "is missing") }
        guard !step.isEmpty else { throw ComplianceRequestError(field: field + ".step", problem: "is empty") }
        guard FeeRule.isValidStepName(step) else {
            throw ComplianceRequestError(
                field: field + ".step",
                problem: "is \"\(step)\"; a step name uses lowercase letters, digits and hyphens, such as final-notice")
        }
        switch (fee.flat, fee.percentOfBalance) {
        case (let flat?, nil):
            return FeeRule(step: step, charge: .flat(try TermsField.amount(flat, field + ".flat", currency)))
        case (nil, let percent?):
            let ppm = try TermsField.percent(
                percent, field + ".percentOfBalance", aboveHundred: "a fee is at most 100 percent of the balance")
            return FeeRule(step: step, charge: .percentOfBalance(ppm))
        case (.some, .some):
            throw ComplianceRequestError(field: field, problem: "has both flat and percentOfBalance; give one")
        case (nil, nil):
            throw ComplianceRequestError(field: field, problem: "needs a flat amount or a percentOfBalance")
        }
    }

    /// A rate in parts per million as JSON carries a percentage: no trailing zeros, 85_000 → "8.5".
    public static func percentText(ppm: Int64) -> String { PartsPerMillion.percentText(ppm) }

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

extension AccrualTerms.Wire {
    /// The terms as JSON carries them: every member but the caps that are not set, amounts in `currency`.
    public init(_ terms: AccrualTerms, currency: Currency) {
        func cap(_ cap: AccrualCap) -> Cap {
            switch cap {
            case .amount(let amount):
                Cap(amount: Money.decimalString(minorUnits: amount, currency: currency))
            case .percentOfPrincipal(let ppm): Cap(percentOfPrincipal: PartsPerMillion.percentText(ppm))
            }
        }
        self.init(
            annualInterestPercent: PartsPerMillion.percentText(terms.annualRatePPM),
            interestCap: terms.interestCap.map(cap),
            fees: terms.fees.map { rule in
                switch rule.charge {
                case .flat(let amount):
                    Fee(step: rule.step, flat: Money.decimalString(minorUnits: amount, currency: currency))
                case .percentOfBalance(let ppm):
                    Fee(step: rule.step, percentOfBalance: PartsPerMillion.percentText(ppm))
                }
            },
            feeCap: terms.feeCap.map(cap))
    }

    public init(from decoder: any Decoder) throws {
        let members = try decoder.jsonObject(whole: "the terms")
        let allowed = ["annualInterestPercent", "interestCap", "fees", "feeCap"]
        try members.refuseUnknownMembers(allowed: allowed) { others in
            "is not a field of the terms\(Self.nor(others)); use \(Self.list(allowed))"
        }
        self.init(
            annualInterestPercent: try members.optionalDecimalText(
                "annualInterestPercent", orElse: "must be a percentage such as \"8.5\""),
            interestCap: try members.optional(Cap.self, "interestCap"),
            fees: try members.optionalArray(Fee.self, "fees"),
            feeCap: try members.optional(Cap.self, "feeCap"))
    }

    /// " (nor are "a", "b")" for the other unknown members, or nothing.
    static func nor(_ others: [String]) -> String {
        others.isEmpty ? "" : " (nor are \(others.map { "\"\($0)\"" }.joined(separator: ", ")))"
    }

    /// "a, b or c".
    static func list(_ names: [String]) -> String {
        names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
    }
}

extension AccrualTerms.Wire.Cap {
    public init(from decoder: any Decoder) throws {
        let members = try decoder.jsonObject(
            whole: "the cap",
            orElse: "must be an object such as {\"amount\": \"100.00\"} or {\"percentOfPrincipal\": \"25\"}")
        let allowed = ["amount", "percentOfPrincipal"]
        try members.refuseUnknownMembers(allowed: allowed) { others in
            "is not a field of a cap\(AccrualTerms.Wire.nor(others)); use \(AccrualTerms.Wire.list(allowed))"
        }
        self.init(
            amount: try members.optionalDecimalText("amount", orElse: "must be an amount such as \"125.00\""),
            percentOfPrincipal: try members.optionalDecimalText(
                "percentOfPrincipal", orElse: "must be a percentage such as \"8.5\""))
    }
}

extension AccrualTerms.Wire.Fee {
    public init(from decoder: any Decoder) throws {
        let members = try decoder.jsonObject(
            whole: "the fee", orElse: "must be an object such as {\"step\": \"final-notice\", \"flat\": \"25.00\"}")
        let allowed = ["step", "flat", "percentOfBalance"]
        try members.refuseUnknownMembers(allowed: allowed) { others in
            "is not a field of a fee\(AccrualTerms.Wire.nor(others)); use \(AccrualTerms.Wire.list(allowed))"
        }
        self.init(
            step: try members.optionalString("step"),
            flat: try members.optionalDecimalText("flat", orElse: "must be an amount such as \"125.00\""),
            percentOfBalance: try members.optionalDecimalText(
                "percentOfBalance", orElse: "must be a percentage such as \"8.5\""))
    }
}
