/// A contingency rate: a percent with up to three decimals ("25", "33.5", "12.125"), from 0 to 100, held exactly as
/// thousandths of a percent.
public struct CommissionRate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Thousandths of a percent: 25% is 25,000.
    public let thousandths: Int64

    /// A rate from thousandths of a percent, 0 to 100,000.
    public init(thousandths: Int64) throws(AgencyContractError) {
        guard (0...100_000).contains(thousandths) else {
            throw .invalid("a rate must be from 0 to 100 percent (thousandths \(thousandths))")
        }
        self.thousandths = thousandths
    }

    /// Reads a percent such as "25", "33.5" or "12.125": digits, at most one point and three decimals, 0 to 100.
    public init(percent text: String) throws(AgencyContractError) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = parts.first, !whole.isEmpty, whole.count <= 3,
            whole.allSatisfy(\.isASCIIDigit)
        else {
            throw .invalid("a percent must be digits with at most three decimals, like 25 or 33.5 (not \"\(text)\")")
        }
        var thousandths = Int64(whole)! * 1_000
        if parts.count == 2 {
            let decimals = parts[1]
            guard (1...3).contains(decimals.count), decimals.allSatisfy(\.isASCIIDigit) else {
                throw .invalid(
                    "a percent must be digits with at most three decimals, like 25 or 33.5 (not \"\(text)\")")
            }
            thousandths += Int64(decimals + String(repeating: "0", count: 3 - decimals.count))!
        }
        guard thousandths <= 100_000 else { throw .invalid("a percent must be from 0 to 100 (not \(text))") }
        self.thousandths = thousandths
    }

    /// Zero percent.
    public static let zero = try! CommissionRate(thousandths: 0)

    /// The percent as the contract writes it: "25", "33.5", "12.125".
    public var percentText: String {
        let whole = thousandths / 1_000
        var decimals = String(thousandths % 1_000)
        guard decimals != "0" else { return String(whole) }
        decimals = String(repeating: "0", count: 3 - decimals.count) + decimals
        while decimals.hasSuffix("0") { decimals.removeLast() }
        return "\(whole).\(decimals)"
    }

    public var description: String { "\(percentText)%" }

    /// The commission on `amount` minor units at this rate, rounded half up (away from zero) to the minor unit.
    public func commission(on amount: Int64) -> Int64 {
        // |amount| ≤ Int64.max and thousandths ≤ 100,000: the product fits in 128 bits and the quotient in 64.
        let magnitude = amount.magnitude
        let product = magnitude.multipliedFullWidth(by: UInt64(thousandths))
        let (quotient, remainder) = UInt64(100_000).dividingFullWidth(product)
        let rounded = remainder >= 50_000 ? quotient + 1 : quotient
        let value = Int64(clamping: rounded)
        return amount < 0 ? -value : value
    }

    public static func < (lhs: CommissionRate, rhs: CommissionRate) -> Bool { lhs.thousandths < rhs.thousandths }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

/// How an agency pays its client what it collected.
public enum RemittanceMethod: String, Sendable, CaseIterable {
    /// The agency keeps its commission and remits the rest.
    case net
    /// The agency remits everything collected and invoices its commission.
    case gross
}

/// How often the agency remits.
public enum RemittanceSchedule: String, Sendable, CaseIterable {
    case weekly
    case monthly
}

/// One tier of a contract's rates: it applies to a placement whose debt was at most `upToDaysAtPlacement` days past
/// due when placed and whose balance then was at most `upToBalance` (each limit optional; the last tier of a contract
/// has none, so every placement finds a rate).
public struct RateTier: Hashable, Sendable {
    public var upToDaysAtPlacement: Int?
    /// A decimal amount in the debt's currency ("1000.00"), read when a placement is priced.
    public var upToBalance: String?
    public var rate: CommissionRate

    public init(upToDaysAtPlacement: Int? = nil, upToBalance: String? = nil, rate: CommissionRate) {
        self.upToDaysAtPlacement = upToDaysAtPlacement
        self.upToBalance = upToBalance
        self.rate = rate
    }
}

/// A window after placement in which payments earn a lower (often no) commission: the "free demand" period, while
/// the agency's first letter does the work the client could have done.
public struct FreeDemand: Hashable, Sendable {
    /// Payments received within this many days after the placement date (the placement date counts as day 0).
    public var days: Int
    public var rate: CommissionRate

    public init(days: Int, rate: CommissionRate) {
        self.days = days
        self.rate = rate
    }
}

/// What a client and the agency agreed: how collections are remitted and what the agency earns.
public struct AgencyContract: Hashable, Sendable {
    public var remittance: RemittanceMethod
    /// Whether a payment the debtor made to the client directly, while the account is placed, earns commission.
    public var directPaymentCommission: Bool
    /// The tiers, first match wins; the last has no limits.
    public var rates: [RateTier]
    public var freeDemand: FreeDemand?
    public var schedule: RemittanceSchedule
    /// Days after the end of the month a payment was collected in by which it must be accounted for and remitted
    /// (Washington and North Carolina: 30).
    public var remitWithinDaysAfterMonth: Int
    /// Days an agency payment is held in trust before it may be remitted (a check clearing), unless the payment
    /// names its own release date.
    public var holdDays: Int

    public init(
        remittance: RemittanceMethod, directPaymentCommission: Bool, rates: [RateTier], freeDemand: FreeDemand? = nil,
        schedule: RemittanceSchedule = .monthly, remitWithinDaysAfterMonth: Int = 30, holdDays: Int = 0
    ) throws(AgencyContractError) {
        guard !rates.isEmpty else { throw .invalid("rates: a contract needs at least one rate") }
        for (index, tier) in rates.enumerated() {
            if let days = tier.upToDaysAtPlacement, days < 0 {
                throw .invalid("rates[\(index)].upToDaysAtPlacement cannot be negative")
            }
            if let balance = tier.upToBalance {
                let minorUnits: Int64
                do { minorUnits = try Money.parseMinorUnits(balance, currency: .usd) } catch {
                    throw .invalid("rates[\(index)].upToBalance: \(error.description)")
                }
                guard minorUnits > 0 else {
                    throw .invalid("rates[\(index)].upToBalance must be above zero (not \(balance))")
                }
            }
        }
        guard let last = rates.last, last.upToDaysAtPlacement == nil, last.upToBalance == nil else {
            throw .invalid("rates: the last rate must have no limits, so that every placement finds a rate")
        }
        if let freeDemand, !(1...365).contains(freeDemand.days) {
            throw .invalid("freeDemand.days must be from 1 to 365")
        }
        guard (1...365).contains(remitWithinDaysAfterMonth) else {
            throw .invalid("remitWithinDaysAfterMonth must be from 1 to 365")
        }
        guard (0...90).contains(holdDays) else { throw .invalid("holdDays must be from 0 to 90") }
        self.remittance = remittance
        self.directPaymentCommission = directPaymentCommission
        self.rates = rates
        self.freeDemand = freeDemand
        self.schedule = schedule
        self.remitWithinDaysAfterMonth = remitWithinDaysAfterMonth
        self.holdDays = holdDays
    }

    /// The rate of a placement: the first tier whose limits hold for the debt's days past due and balance (minor
    /// units of `currency`) on the placement date.
    public func rate(
        daysAtPlacement: Int, balance: Int64, currency: Currency
    ) throws(AgencyContractError)
        -> CommissionRate
    {
        for tier in rates {
            if let days = tier.upToDaysAtPlacement, daysAtPlacement > days { continue }
            if let text = tier.upToBalance {
                let limit: Int64
                do { limit = try Money.parseMinorUnits(text, currency: currency) } catch {
                    throw .invalid("the rate's upToBalance \(text) cannot be read in \(currency.code): \(error)")
                }
                if balance > limit { continue }
            }
            return tier.rate
        }
        return rates[rates.count - 1].rate
    }
}

/// A contract or placement that cannot be used, in one sentence.
public enum AgencyContractError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(String)

    public var description: String {
        switch self {
        case .invalid(let message): message
        }
    }
}

/// What a placement was priced at: the rate from the contract, and the free-demand window if the contract has one.
public struct PlacementTerms: Hashable, Sendable {
    public var placedOn: LocalDate
    public var rate: CommissionRate
    /// The last day of the free-demand window and its rate.
    public var freeThrough: LocalDate?
    public var freeRate: CommissionRate?
    /// The day the placement was closed or recalled; payments after it earn nothing.
    public var closedOn: LocalDate?

    public init(
        placedOn: LocalDate, rate: CommissionRate, freeThrough: LocalDate? = nil, freeRate: CommissionRate? = nil,
        closedOn: LocalDate? = nil
    ) {
        self.placedOn = placedOn
        self.rate = rate
        self.freeThrough = freeThrough
        self.freeRate = freeRate
        self.closedOn = closedOn
    }

    /// Prices a placement of a debt `daysAtPlacement` past due with `balance` on `placedOn` under `contract`.
    public init(
        contract: AgencyContract, placedOn: LocalDate, daysAtPlacement: Int, balance: Int64, currency: Currency
    ) throws(AgencyContractError) {
        self.placedOn = placedOn
        self.rate = try contract.rate(daysAtPlacement: daysAtPlacement, balance: balance, currency: currency)
        if let free = contract.freeDemand {
            self.freeThrough = placedOn.adding(days: free.days - 1)
            self.freeRate = free.rate
        }
    }

    /// The rate a payment received on `day` earns: the free-demand rate inside its window, none before the placement
    /// or after it was closed, else the placement's rate.
    public func rate(on day: LocalDate) -> CommissionRate {
        if day < placedOn { return .zero }
        if let closedOn, day > closedOn { return .zero }
        if let freeThrough, let freeRate, day <= freeThrough { return freeRate }
        return rate
    }
}

/// Who received a payment: the agency (into its trust account) or the client (a direct payment the client reports).
/// An installation that collects its own debts records every payment as its own (`agency`).
public enum PaymentReceiver: String, Sendable, CaseIterable {
    case agency
    case client
}

/// Why a placed account went back to the client (the reason code on the return file).
public enum PlacementCloseReason: String, Sendable, CaseIterable {
    case paidInFull = "paid_in_full"
    case settled
    case bankruptcy
    case deceased
    case uncollectible
    case recalled

    /// "paid in full", "uncollectible": for a person.
    public var words: String { rawValue.replacingOccurrences(of: "_", with: " ") }
}
