/// A movement of a client's money through the agency: a payment the agency received (into trust) or the client
/// received directly, or the reversal of one.
public enum TrustLineKind: String, Sendable, CaseIterable {
    /// The agency received a payment into trust.
    case received
    /// A payment the agency received was reversed (a returned check, a chargeback).
    case reversed
    /// The debtor paid the client directly while the account was placed.
    case direct
    /// A direct payment was reversed.
    case directReversed = "direct_reversed"

    /// True for the reversals.
    public var isReversal: Bool { self == .reversed || self == .directReversed }
    /// True for the money the agency held (into trust and out of it again).
    public var isTrust: Bool { self == .received || self == .reversed }
}

/// One line of a remittance statement.
public struct TrustLine: Hashable, Sendable {
    public var kind: TrustLineKind
    /// The payment's amount in minor units, positive (a reversal's too).
    public var amount: Int64
    /// The commission the payment earned at its rate, positive; a reversal carries its payment's.
    public var commission: Int64
    /// For a reversal: its payment was on an earlier statement (it was remitted or invoiced), so the reversal is
    /// clawed back and its commission returned instead of netted out.
    public var afterRemittance: Bool

    public init(kind: TrustLineKind, amount: Int64, commission: Int64, afterRemittance: Bool = false) {
        self.kind = kind
        self.amount = amount
        self.commission = commission
        self.afterRemittance = afterRemittance
    }
}

/// The figures of a remittance statement (issue 16, part 4), in minor units of one currency.
public struct RemittanceFigures: Hashable, Sendable {
    /// What the agency received, net of reversals of payments not yet remitted.
    public var collected: Int64 = 0
    /// The commission on `collected`.
    public var commission: Int64 = 0
    /// What the client received directly, net of reversals not yet reported.
    public var directPayments: Int64 = 0
    /// The commission on direct payments, when the contract grants it.
    public var commissionOnDirect: Int64 = 0
    /// Payments remitted on an earlier statement and reversed since: clawed back from the client.
    public var reversalsAfterRemittance: Int64 = 0
    /// The commission those reversed payments had earned, given back.
    public var commissionReturned: Int64 = 0
    public var dueToClient: Int64 = 0
    public var dueToAgency: Int64 = 0
    /// What leaves trust for the client.
    public var remitted: Int64 = 0
    /// Commission the agency takes out of trust (net method).
    public var commissionTaken: Int64 = 0
    /// Commission put back into trust (net method).
    public var commissionReturnedToTrust: Int64 = 0
    /// What trust is short after the statement, owed by the client (a claw-back): the statement records it.
    public var clawback: Int64 = 0

    public init() {}

    /// The statement's figures from its lines under `method`.
    ///
    /// Net: dueToClient = collected − commission − commissionOnDirect − reversalsAfterRemittance +
    /// commissionReturned; when that is negative it is dueToAgency instead (a claw-back). Gross: dueToClient =
    /// collected − reversalsAfterRemittance and dueToAgency = commission + commissionOnDirect − commissionReturned,
    /// either moving to the other side when negative. Checked arithmetic: a sum that overflows throws.
    public init(lines: [TrustLine], method: RemittanceMethod) throws(MoneyError) {
        func add(_ total: inout Int64, _ value: Int64) throws(MoneyError) {
            let (sum, overflow) = total.addingReportingOverflow(value)
            guard !overflow else { throw .overflow }
            total = sum
        }
        for line in lines {
            switch (line.kind, line.afterRemittance) {
            case (.received, _):
                try add(&collected, line.amount)
                try add(&commission, line.commission)
            case (.reversed, false):
                try add(&collected, -line.amount)
                try add(&commission, -line.commission)
            case (.reversed, true):
                try add(&reversalsAfterRemittance, line.amount)
                try add(&commissionReturned, line.commission)
            case (.direct, _):
                try add(&directPayments, line.amount)
                try add(&commissionOnDirect, line.commission)
            case (.directReversed, false):
                try add(&directPayments, -line.amount)
                try add(&commissionOnDirect, -line.commission)
            case (.directReversed, true):
                try add(&commissionReturned, line.commission)
            }
        }
        var earned = commission
        try add(&earned, commissionOnDirect)
        var trustNet = collected
        try add(&trustNet, -reversalsAfterRemittance)
        switch method {
        case .net:
            var due = trustNet
            try add(&due, -earned)
            try add(&due, commissionReturned)
            dueToClient = max(due, 0)
            dueToAgency = max(-due, 0)
            remitted = dueToClient
            commissionTaken = earned
            commissionReturnedToTrust = commissionReturned
            clawback = dueToAgency
        case .gross:
            var owedToAgency = earned
            try add(&owedToAgency, -commissionReturned)
            remitted = max(trustNet, 0)
            clawback = max(-trustNet, 0)
            dueToClient = remitted
            dueToAgency = clawback
            if owedToAgency >= 0 { try add(&dueToAgency, owedToAgency) } else { try add(&dueToClient, -owedToAgency) }
        }
    }

    /// Nothing on the statement at all.
    public var isEmpty: Bool { self == RemittanceFigures() }
}

/// When money collected must be accounted for and paid to the client: the end of the month it was collected in plus
/// the contract's days (the agency's licensing states set them; Washington and North Carolina both give 30 days after
/// the month of collection).
public enum RemittanceDeadline {
    /// The last day to remit a payment collected on `collectedOn`.
    public static func due(collectedOn: LocalDate, daysAfterMonth: Int) -> LocalDate {
        collectedOn.endOfMonth.adding(days: daysAfterMonth)
    }

    /// The last day a statement under `schedule` should cover before closing on `today`: the Sunday before a weekly
    /// close, the end of the previous month for a monthly one.
    public static func periodEnd(before today: LocalDate, schedule: RemittanceSchedule) -> LocalDate {
        switch schedule {
        case .weekly: return today.adding(days: -(today.isoWeekday % 7 == 0 ? 7 : today.isoWeekday))
        case .monthly: return today.adding(days: -today.day)
        }
    }
}
