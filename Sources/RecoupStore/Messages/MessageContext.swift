import Foundation
import RecoupCore

/// Everything a message template may say about one debtor's debts with one client: the exact amounts with their
/// itemization, the creditor, who is writing, how to pay or reply, and what the law requires an electronic message
/// or a debt collector's message to carry. Plain values: the run fills it in, `MessageTemplates` renders it.
public struct MessageContext: Sendable, Equatable {
    /// One debt the message is about.
    public struct Item: Sendable, Equatable {
        public var ref: String
        public var dueOn: LocalDate
        public var principal: Int64
        public var interest: Int64
        public var fees: Int64
        /// What is owed on it (principal, interest and fees, less what was paid), in minor units.
        public var total: Int64

        public init(ref: String, dueOn: LocalDate, principal: Int64, interest: Int64, fees: Int64, total: Int64) {
            self.ref = ref
            self.dueOn = dueOn
            self.principal = principal
            self.interest = interest
            self.fees = fees
            self.total = total
        }
    }

    /// A plan the message offers (`offer_plan`), within the client's terms.
    public struct PlanOffer: Sendable, Equatable {
        /// The monthly installment and how many of them.
        public var installment: Int64
        public var installments: Int

        public init(installment: Int64, installments: Int) {
            self.installment = installment
            self.installments = installments
        }
    }

    /// What a validation notice (12 CFR 1006.34) says beyond the itemization: one debt's amounts since the
    /// itemization date, and the validation period of a notice sent on the message's date.
    public struct Validation: Sendable, Equatable {
        /// The itemization date (1006.34(b)(3)): the import's `itemization_on`, else the day the debt was charged.
        public var itemizationDate: LocalDate
        /// What was owed on the itemization date, and what was added and taken off since.
        public var amountOnItemizationDate: Int64
        public var interestSince: Int64
        public var feesSince: Int64
        public var paymentsSince: Int64
        public var creditsSince: Int64
        /// When the notice is assumed received and the period ends.
        public var period: ValidationPeriod
        /// The creditor to whom the debt was owed first, when it is not the creditor now.
        public var originalCreditor: String?

        public init(
            itemizationDate: LocalDate, amountOnItemizationDate: Int64, interestSince: Int64, feesSince: Int64,
            paymentsSince: Int64, creditsSince: Int64, period: ValidationPeriod, originalCreditor: String? = nil
        ) {
            self.itemizationDate = itemizationDate
            self.amountOnItemizationDate = amountOnItemizationDate
            self.interestSince = interestSince
            self.feesSince = feesSince
            self.paymentsSince = paymentsSince
            self.creditsSince = creditsSince
            self.period = period
            self.originalCreditor = originalCreditor
        }
    }

    public var debtorName: String
    public var currency: Currency
    /// The debts, in reference order; at least one.
    public var items: [Item]
    /// The day the message is written for (the run's date).
    public var asOf: LocalDate
    /// The creditor: the client's name.
    public var creditorName: String
    /// Who is writing: the agency the client's terms name, or the client itself.
    public var writerName: String
    /// True when an agency writes for the client (the debt-collector disclosure applies).
    public var collectingForAnother: Bool
    /// The client's contact details and how to pay, as its profile gives them.
    public var profile: ClientProfile
    /// The debtor's portal address, when the server's public address is known.
    public var portalLink: String?
    public var planOffer: PlanOffer?
    /// Set for a validation notice: it is about one debt.
    public var validation: Validation?
    /// The collector who calls or leaves the message (a call script); nil when not known yet.
    public var callerName: String?

    public init(
        debtorName: String, currency: Currency, items: [Item], asOf: LocalDate, creditorName: String,
        writerName: String, collectingForAnother: Bool, profile: ClientProfile, portalLink: String? = nil,
        planOffer: PlanOffer? = nil, validation: Validation? = nil
    ) {
        self.debtorName = debtorName
        self.currency = currency
        self.items = items
        self.asOf = asOf
        self.creditorName = creditorName
        self.writerName = writerName
        self.collectingForAnother = collectingForAnother
        self.profile = profile
        self.portalLink = portalLink
        self.planOffer = planOffer
        self.validation = validation
    }

    /// What is owed on all the items, in minor units; nil if the sum overflows.
    public var totalOwed: Int64? {
        var sum: Int64 = 0
        for item in items {
            let (next, overflow) = sum.addingReportingOverflow(item.total)
            if overflow { return nil }
            sum = next
        }
        return sum
    }
}
