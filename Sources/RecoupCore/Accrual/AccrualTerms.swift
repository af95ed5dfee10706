/// A limit on how much interest, or how much in fees, a debt may accrue over its whole life.
public enum AccrualCap: Hashable, Sendable {
    /// At most this many minor units in total.
    case amount(Int64)
    /// At most this share of the principal charged (the sum of the debt's `.charge` entries), in parts per million.
    case percentOfPrincipal(Int64)

    /// The cap in minor units for a debt whose charges total `principalCharged`, rounded down.
    public func limit(principalCharged: Int64) -> Int64 {
        switch self {
        case .amount(let amount): amount
        case .percentOfPrincipal(let ppm): PartsPerMillion.share(of: principalCharged, ppm: ppm)
        }
    }
}

/// How much a fee charges.
public enum FeeCharge: Hashable, Sendable {
    /// A fixed amount in minor units.
    case flat(Int64)
    /// A share, in parts per million, of the balance total on the day the fee is charged, rounded down.
    case percentOfBalance(Int64)
}

/// A fee the client charges when collection reaches a named strategy step (`final-notice`, `placement`).
public struct FeeRule: Hashable, Sendable {
    /// The step's name: lowercase letters, digits and hyphens.
    public let step: String
    /// What the fee charges.
    public let charge: FeeCharge

    /// Makes a rule; `AccrualTerms` checks the step name and the amount.
    public init(step: String, charge: FeeCharge) {
        self.step = step
        self.charge = charge
    }

    /// True for a non-empty name made of lowercase ASCII letters, digits and hyphens.
    public static func isValidStepName(_ name: String) -> Bool {
        !name.isEmpty
            && name.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
            }
    }
}

/// A client's terms for growing a debt: simple interest on principal, fees at strategy steps, and caps on both.
public struct AccrualTerms: Hashable, Sendable {
    /// The annual interest rate in parts per million of principal (8.5% is 85_000; 0 charges no interest).
    public let annualRatePPM: Int64
    /// The most interest the debt may ever accrue, if limited.
    public let interestCap: AccrualCap?
    /// The fees, one per step, in the client's order.
    public let fees: [FeeRule]
    /// The most the debt may ever be charged in fees, if limited.
    public let feeCap: AccrualCap?

    /// Terms that accrue nothing: no interest, no fees.
    public static let none = AccrualTerms(unchecked: 0, interestCap: nil, fees: [], feeCap: nil)

    /// Makes terms, refusing a rate or a percentage above 100%, a negative amount, a flat fee of zero, and step
    /// names that are malformed or repeated.
    public init(
        annualRatePPM: Int64 = 0, interestCap: AccrualCap? = nil, fees: [FeeRule] = [], feeCap: AccrualCap? = nil
    ) throws(AccrualError) {
        guard PartsPerMillion.percentRange.contains(annualRatePPM) else { throw .rateOutOfRange(annualRatePPM) }
        for cap in [interestCap, feeCap].compactMap({ $0 }) where !AccrualTerms.isValid(cap) {
            throw .capOutOfRange(cap)
        }
        var seen = Set<String>()
        for rule in fees {
            guard FeeRule.isValidStepName(rule.step) else { throw .invalidStepName(rule.step) }
            guard seen.insert(rule.step).inserted else { throw .duplicateStep(rule.step) }
            guard AccrualTerms.isValid(rule.charge) else { throw .feeOutOfRange(step: rule.step, rule.charge) }
        }
        self.init(unchecked: annualRatePPM, interestCap: interestCap, fees: fees, feeCap: feeCap)
    }

    private init(unchecked annualRatePPM: Int64, interestCap: AccrualCap?, fees: [FeeRule], feeCap: AccrualCap?) {
        self.annualRatePPM = annualRatePPM
        self.interestCap = interestCap
        self.fees = fees
        self.feeCap = feeCap
    }

    /// The names of the steps that carry a fee, in the terms' order.
    public var feeSteps: [String] { fees.map(\.step) }

    /// The fee rule for a step, if the terms have one.
    public func feeRule(for step: String) -> FeeRule? { fees.first { $0.step == step } }

    private static func isValid(_ charge: FeeCharge) -> Bool {
        switch charge {
        case .flat(let amount): amount > 0
        case .percentOfBalance(let ppm): PartsPerMillion.percentRange.contains(ppm)
        }
    }

    private static func isValid(_ cap: AccrualCap) -> Bool {
        switch cap {
        case .amount(let amount): amount >= 0
        case .percentOfPrincipal(let ppm): PartsPerMillion.percentRange.contains(ppm)
        }
    }
}

/// What accrual refuses, and why.
public enum AccrualError: Error, Hashable, Sendable, CustomStringConvertible {
    case rateOutOfRange(Int64)
    case capOutOfRange(AccrualCap)
    case invalidStepName(String)
    case duplicateStep(String)
    case feeOutOfRange(step: String, FeeCharge)
    case unknownFeeStep(String, knownSteps: [String])

    public var description: String {
        switch self {
        case .rateOutOfRange(let ppm):
            return "an annual rate of \(PartsPerMillion.percentText(ppm))% is outside 0 to 100%"
        case .capOutOfRange(.amount(let amount)):
            return "a cap of \(amount) minor units is negative"
        case .capOutOfRange(.percentOfPrincipal(let ppm)):
            return "a cap of \(PartsPerMillion.percentText(ppm))% of principal is outside 0 to 100%"
        case .invalidStepName(let name):
            return "\"\(name)\" is not a step name: use lowercase letters, digits and hyphens, such as final-notice"
        case .duplicateStep(let name): return "the step \"\(name)\" has more than one fee"
        case .feeOutOfRange(let step, .flat(let amount)):
            return "the flat fee at \"\(step)\" must be above zero (got \(amount) minor units)"
        case .feeOutOfRange(let step, .percentOfBalance(let ppm)):
            return "the fee at \"\(step)\" of \(PartsPerMillion.percentText(ppm))% of the balance is outside 0 to 100%"
        case .unknownFeeStep(let step, let known):
            let list =
                known.isEmpty ? "these terms charge no fees" : "the known steps are " + known.joined(separator: ", ")
            return "there is no fee for the step \"\(step)\": \(list)"
        }
    }
}
