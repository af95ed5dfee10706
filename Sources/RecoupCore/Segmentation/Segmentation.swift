import Foundation

/// The kinds of late payer Recoup tells apart, so each is treated as it needs.
public enum Segment: String, CaseIterable, Codable, Sendable {
    /// Wants to pay but cannot pay in full: says so, pays what they can, keeps to plans.
    case hardship
    /// Avoids, delays or juggles: broken promises and plans, returned payments, answers once and then not again.
    case avoider
    /// Nothing yet shows how this debtor pays.
    case new
    /// The debt is disputed: collection waits until the dispute is answered.
    case disputed
    /// Every attempt so far has failed to reach the debtor.
    case unreachable
}

/// What a debtor has done about their debts, as segmentation weighs it. Every fact is a plain value so that the
/// same facts always give the same segment.
public struct SegmentFacts: Sendable, Equatable {
    /// One contact attempt or message, in either direction.
    public struct Contact: Sendable, Equatable {
        public var at: Date
        /// True for a message or call from the debtor.
        public var inbound: Bool
        /// True when we spoke or wrote with the debtor (an answered call, any inbound contact).
        public var reached: Bool
        /// True when the number or address proved wrong (not in service, a third party answered).
        public var wrongNumber: Bool

        public init(at: Date, inbound: Bool, reached: Bool, wrongNumber: Bool = false) {
            self.at = at
            self.inbound = inbound
            self.reached = reached
            self.wrongNumber = wrongNumber
        }
    }

    /// A payment taken, and whether it was later reversed (returned or charged back).
    public struct Payment: Sendable, Equatable {
        public var on: LocalDate
        public var amount: Int64
        public var reversed: Bool

        public init(on: LocalDate, amount: Int64, reversed: Bool) {
            self.on = on
            self.amount = amount
            self.reversed = reversed
        }
    }

    /// A person or a business: a business's part payments and its own calls are how businesses manage cash, not
    /// signs of hardship.
    public var debtorKind: DebtorKind = .consumer
    /// The client's file marks the debt disputed.
    public var markedDisputed = false
    /// When verification was sent after the file marked the debt disputed (the file's dispute then stands no longer);
    /// nil while it has not been.
    public var fileDisputeVerifiedAt: Date? = nil
    /// When the debtor disputed the debt and no verification has been sent since (nil: no open dispute).
    public var openDisputeSince: Date? = nil
    /// When the debtor said they are in hardship (a stop on interest and fees for hardship), if they did.
    public var hardshipStatedOn: LocalDate? = nil
    /// Contacts, oldest first.
    public var contacts: [Contact] = []
    /// Promises to pay as they stand on the day segmented, with their due dates.
    public var promises: [(due: LocalDate, outcome: PromiseOutcome)] = []
    /// Arrangements and their states, with the day each reached it.
    public var arrangements: [(state: ArrangementState, on: LocalDate)] = []
    /// Payments, oldest first.
    public var payments: [Payment] = []
    /// What is still owed.
    public var balance: Int64 = 0
    /// The currency of the amounts, to write them.
    public var currency: Currency

    public init(currency: Currency) { self.currency = currency }

    public static func == (lhs: SegmentFacts, rhs: SegmentFacts) -> Bool {
        lhs.debtorKind == rhs.debtorKind && lhs.markedDisputed == rhs.markedDisputed
            && lhs.fileDisputeVerifiedAt == rhs.fileDisputeVerifiedAt
            && lhs.openDisputeSince == rhs.openDisputeSince
            && lhs.hardshipStatedOn == rhs.hardshipStatedOn && lhs.contacts == rhs.contacts
            && lhs.promises.map(\.due) == rhs.promises.map(\.due)
            && lhs.promises.map(\.outcome) == rhs.promises.map(\.outcome)
            && lhs.arrangements.map(\.state) == rhs.arrangements.map(\.state)
            && lhs.arrangements.map(\.on) == rhs.arrangements.map(\.on) && lhs.payments == rhs.payments
            && lhs.balance == rhs.balance && lhs.currency == rhs.currency
    }
}

/// A segment and the facts that put the debt in it, in plain words.
public struct SegmentDecision: Sendable, Equatable {
    public var segment: Segment
    /// Why, strongest first. Facts that point the other way follow, starting "but".
    public var reasons: [String]

    public init(segment: Segment, reasons: [String]) {
        self.segment = segment
        self.reasons = reasons
    }

    /// The reasons as one sentence.
    public var explanation: String { reasons.joined(separator: "; ") }
}

/// Segmentation: from what a debtor has done to the kind of late payer they are, always with the reasons.
///
/// In order: an open dispute makes the debt `disputed` (nothing else matters until it is answered), and so does the
/// client's file marking it disputed until verification is sent (then a last reason says it was). Otherwise the
/// signs of hardship (said so: 3; an arrangement accepted, active or completed: 2; each promise kept or partly
/// kept: 1; and from a consumer only, paying part of what is owed: 1 and getting in touch themselves: 1) are
/// weighed against the signs of avoidance (each broken promise: 1; a broken arrangement: 2; each reversed payment:
/// 1; reached, then three or more unanswered attempts with nothing paid since: 1). Hardship wins a tie: the benefit
/// of the doubt. With no sign either way, a debtor three or more attempts have failed to reach is `unreachable`,
/// and anyone else `new`. A plan proposed and not yet accepted weighs nothing (asking is not keeping): it is a fact
/// listed after the signs. So is a business's part payment or its own call: a business paying part is managing its
/// cash, so its hardship needs a sign that says so (a statement, an accepted plan, kept promises). Payments are read
/// as the ledger stands; a debt with nothing owed says it was paid in full (a fact on the side of neither, listed
/// after the signs) and never "no payment yet".
public enum Segmentation {
    /// Attempts without reaching anyone before a debtor counts as unreachable (or, after being reached once, as
    /// avoiding).
    public static let unansweredAttempts = 3

    /// Segments `facts`; the days of instants (contacts, disputes, verifications) are counted in `zone`: the
    /// debtor's primary zone, where the compliance rules count their days, so a reason gives an event the date the
    /// rules and the debt's page give it.
    public static func decide(_ facts: SegmentFacts, zone: TimeZone) -> SegmentDecision {
        func day(_ instant: Date) -> LocalDate { LocalDate(instant, in: zone) }
        if let since = facts.openDisputeSince {
            return SegmentDecision(
                segment: .disputed,
                reasons: ["disputed on \(day(since)); no verification sent since, so collection waits"])
        }
        if facts.markedDisputed, facts.fileDisputeVerifiedAt == nil {
            return SegmentDecision(
                segment: .disputed,
                reasons: ["the client's file marks this debt disputed; no verification sent since, so collection waits"]
            )
        }
        // Facts that explain without weighing either way, given last.
        var notes: [String] = []
        let good = facts.payments.filter { !$0.reversed }
        let paidTotal = Money(minorUnits: good.reduce(0) { $0 + $1.amount }, currency: facts.currency)
        let paidInFull = facts.balance <= 0 && !good.isEmpty
        if paidInFull, let last = good.map(\.on).max() {
            let times = good.count == 1 ? "in 1 payment" : "in \(good.count) payments"
            notes.append("paid in full: \(paidTotal.displayString) \(times), the last on \(last); nothing is owed")
        }
        if facts.markedDisputed, let verified = facts.fileDisputeVerifiedAt {
            notes.append("the client's file marked this debt disputed; verification was sent on \(day(verified))")
        }
        var hardship: [(weight: Int, reason: String)] = []
        var avoidance: [(weight: Int, reason: String)] = []
        if let stated = facts.hardshipStatedOn { hardship.append((3, "said they are in hardship on \(stated)")) }
        for (state, on) in facts.arrangements {
            switch state {
            case .active: hardship.append((2, "keeping to an arrangement accepted by \(on)"))
            case .completed: hardship.append((2, "completed an arrangement on \(on)"))
            case .proposed: notes.append("a plan was proposed on \(on), not yet accepted")
            case .broken: avoidance.append((2, "broke an arrangement on \(on)"))
            case .cancelled: break
            }
        }
        let kept = facts.promises.filter {
            if case .kept = $0.outcome { true } else if case .partiallyKept = $0.outcome { true } else { false }
        }
        let broken = facts.promises.filter { $0.outcome == .broken }
        let settled = kept.count + broken.count
        if !kept.isEmpty { hardship.append((kept.count, "kept \(kept.count) of \(settled) promises to pay")) }
        if let last = broken.map(\.due).max() {
            avoidance.append(
                (broken.count, "broke \(broken.count) of \(settled) promises to pay (the last due \(last))"))
        }
        let reversed = facts.payments.filter(\.reversed)
        let business = facts.debtorKind == .commercial
        if !good.isEmpty, facts.balance > 0 {
            let paid = "paid \(good.count) \(good.count == 1 ? "time" : "times"), \(paidTotal.displayString) in all"
            if business {
                notes.append(paid + ", not in full (a business paying part is not by itself a sign of hardship)")
            } else {
                hardship.append((1, paid + ", but not in full"))
            }
        }
        if !reversed.isEmpty {
            avoidance.append(
                (
                    reversed.count,
                    "\(reversed.count) \(reversed.count == 1 ? "payment was" : "payments were") returned or charged back"
                ))
        }
        let inbound = facts.contacts.filter(\.inbound)
        if !inbound.isEmpty {
            let touch = "got in touch themselves \(inbound.count) \(inbound.count == 1 ? "time" : "times")"
            if business { notes.append(touch) } else { hardship.append((1, touch)) }
        }
        if let reached = facts.contacts.lastIndex(where: \.reached) {
            let reachedOn = day(facts.contacts[reached].at)
            let after = facts.contacts[(reached + 1)...].filter { !$0.inbound }
            let paidSince = good.contains { $0.on >= reachedOn }
            if after.count >= unansweredAttempts && !paidSince {
                avoidance.append(
                    (1, "reached on \(reachedOn), then \(after.count) attempts unanswered and nothing paid since"))
            }
        }
        let hardshipWeight = hardship.reduce(0) { $0 + $1.weight }
        let avoidanceWeight = avoidance.reduce(0) { $0 + $1.weight }
        func ordered(_ list: [(weight: Int, reason: String)]) -> [String] {
            list.enumerated().sorted { ($0.element.weight, -$0.offset) > ($1.element.weight, -$1.offset) }.map(
                \.element.reason)
        }
        if hardshipWeight > 0 || avoidanceWeight > 0 {
            let leading = hardshipWeight >= avoidanceWeight
            let (segment, forIt, against) =
                leading ? (Segment.hardship, hardship, avoidance) : (.avoider, avoidance, hardship)
            return SegmentDecision(
                segment: segment, reasons: ordered(forIt) + ordered(against).map { "but " + $0 } + notes)
        }
        let outbound = facts.contacts.filter { !$0.inbound }
        if !facts.contacts.contains(where: \.reached), outbound.count >= unansweredAttempts, let first = outbound.first
        {
            let wrong = outbound.filter(\.wrongNumber).count
            let detail = wrong > 0 ? " (\(wrong) to a wrong or dead number)" : ""
            return SegmentDecision(
                segment: .unreachable,
                reasons: ["\(outbound.count) attempts since \(day(first.at)) reached no one\(detail)"] + notes)
        }
        // Nothing weighs either way here; a payment, if any, paid the debt in full or was a business's part payment.
        let proposed = facts.arrangements.contains { $0.state == .proposed }
        let plan = proposed ? "accepted plan" : "plan"
        let yet =
            good.isEmpty
            ? "no promise, \(plan) or payment yet" : paidInFull ? "no promise or \(plan)" : "no promise or \(plan) yet"
        if let reached = facts.contacts.last(where: \.reached) {
            return SegmentDecision(segment: .new, reasons: notes + ["reached on \(day(reached.at)); \(yet)"])
        }
        let attempts =
            outbound.isEmpty
            ? "no contact yet" : "\(outbound.count) \(outbound.count == 1 ? "attempt" : "attempts") so far"
        return SegmentDecision(segment: .new, reasons: notes + ["\(attempts); \(yet)"])
    }
}
