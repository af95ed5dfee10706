import Foundation

/// What a strategy step does (docs/strategies.md).
public enum StrategyAction: String, CaseIterable, Sendable {
    case email, sms, letter, call, voicemail
    case offerPlan = "offer_plan"
    case finalNotice = "final_notice"
    case requestContactDetails = "request_contact_details"
    case skipTrace = "skip_trace"
    case placeWithAgency = "place_with_agency"
    case legalReview = "legal_review"
    case wait

    /// The channel a message step goes by when the step names none: `offer_plan` by email, `final_notice` by letter;
    /// nil for a step that sends no message.
    public var defaultChannel: MessageChannel? {
        switch self {
        case .email, .offerPlan: .email
        case .sms: .sms
        case .letter, .finalNotice: .letter
        default: nil
        }
    }

    /// True for the steps that send the debtor a message rendered from a template.
    public var sendsMessage: Bool { defaultChannel != nil }

    /// True for the steps that become an item of work for a person: calls and voicemails in the collectors' queue,
    /// and the tasks (asking the client for contact details, a skip trace, a legal review).
    public var makesWorkItem: Bool {
        switch self {
        case .call, .voicemail, .requestContactDetails, .skipTrace, .legalReview: true
        default: false
        }
    }

    /// The contact the compliance engine checks before the step is planned; nil for steps that contact nobody.
    public func contactAction(channel: MessageChannel?) -> ContactAction? {
        switch self {
        case .call: .call
        case .voicemail: .voicemail
        case .email, .sms, .letter, .offerPlan, .finalNotice:
            (channel ?? defaultChannel)?.contactAction
        default: nil
        }
    }
}

/// Where a debt stands with what was agreed about it, as strategy conditions see it.
public enum StrategyDebtState: String, CaseIterable, Sendable {
    /// Nothing agreed, or everything agreed was kept and ended.
    case open
    /// A promise to pay is pending.
    case promised
    /// An arrangement (a payment plan) is active and kept.
    case arranged
    /// The latest promise or arrangement was broken.
    case broken
}

/// Conditions a debt must meet for a track or a step to apply. Every condition is optional; an empty set of
/// conditions matches every debt.
public struct StrategyConditions: Hashable, Sendable {
    /// The debt's segment is one of these.
    public var segments: Set<Segment>? = nil
    /// The debtor is a consumer, or a business.
    public var debtorKind: DebtorKind? = nil
    /// The balance is at least this many major units, as a decimal string ("100.00"), in the debt's currency.
    public var balanceAtLeast: String? = nil
    /// The balance is less than this, as `balanceAtLeast`.
    public var balanceBelow: String? = nil
    /// The debt's state is one of these.
    public var states: Set<StrategyDebtState>? = nil
    /// At least this many days have passed since the last contact with the debtor (or there was none).
    public var minDaysSinceContact: Int? = nil
    /// True: the debtor has at least one usable address, phone or email; false: none at all.
    public var contactable: Bool? = nil

    public init() {}

    public var isEmpty: Bool { self == StrategyConditions() }

    /// True when `facts` meet every condition set.
    public func matches(_ facts: StrategyDebtFacts, asOf: LocalDate) -> Bool {
        if let segments, !segments.contains(facts.segment) { return false }
        if let debtorKind, debtorKind != facts.debtorKind { return false }
        if let states, !states.contains(facts.state) { return false }
        if let contactable, contactable != facts.contactable { return false }
        if let minDaysSinceContact, let last = facts.lastContactOn, asOf.days(since: last) < minDaysSinceContact {
            return false
        }
        if let balanceAtLeast, let limit = Self.limit(balanceAtLeast, in: facts.currency), facts.balance < limit {
            return false
        }
        if let balanceBelow, let limit = Self.limit(balanceBelow, in: facts.currency), facts.balance >= limit {
            return false
        }
        return true
    }

    /// A balance limit (a decimal amount, 0 or more) in minor units of `currency`, rounded up when it has more
    /// decimals than the currency (100.50 yen is 101: a whole-yen balance is at least 100.50 exactly when it is at
    /// least 101, and below it exactly when below 101); `Int64.max` when it is larger than the currency holds. Nil
    /// when it is not an amount (the strategy file's reader refuses those).
    static func limit(_ text: String, in currency: Currency) -> Int64? {
        do {
            return try Money.parseMinorUnits(text, currency: currency)
        } catch .tooLarge {
            return Int64.max
        } catch .tooManyDecimals {
            guard let point = text.firstIndex(of: "."), !text.hasPrefix("-") else { return nil }
            let kept = text.index(point, offsetBy: currency.minorDigits + 1)
            let dropped = text[kept...]
            let truncated = currency.minorDigits == 0 ? String(text[..<point]) : String(text[..<kept])
            let units: Int64
            do { units = try Money.parseMinorUnits(truncated, currency: currency) } catch .tooLarge {
                return Int64.max
            } catch { return nil }
            return dropped.contains(where: { $0 != "0" }) ? units + 1 : units
        } catch {
            return nil
        }
    }
}

/// One step of a track: on `day` (counted from the due date; negative is before it) do `action`.
public struct StrategyStep: Hashable, Sendable {
    /// The step's id: with the debt and the occurrence, the key that makes each action happen once. The same id in
    /// two tracks (or two versions) is the same step: done once for a debt, whichever track it was on.
    public var id: String
    public var day: Int
    public var action: StrategyAction
    /// The template a message step renders.
    public var template: String? = nil
    /// The channel of an `offer_plan` or `final_notice` message (default email and letter).
    public var channel: MessageChannel? = nil
    /// The agency a `place_with_agency` step hands the debt to.
    public var agency: String? = nil
    /// The agency's contingency rate as a decimal percent ("25"), for `place_with_agency`.
    public var contingencyPercent: String? = nil
    /// Repeat every this many days after `day` until the debt is resolved or a later step of the track is due.
    public var repeatEvery: Int? = nil
    /// Conditions of the step's own (besides the track's).
    public var when = StrategyConditions()
    /// A sentence saying what the step is for, shown with its actions.
    public var note: String? = nil

    public init(id: String, day: Int, action: StrategyAction) {
        self.id = id
        self.day = day
        self.action = action
    }

    /// The channel of the message the step sends, if it sends one.
    public var messageChannel: MessageChannel? { action.sendsMessage ? (channel ?? action.defaultChannel) : nil }
}

/// A track: the steps for the debts its conditions match.
public struct StrategyTrack: Hashable, Sendable {
    /// A name for people ("hardship").
    public var name: String? = nil
    public var when = StrategyConditions()
    /// The steps, in the file's order.
    public var steps: [StrategyStep]

    public init(name: String? = nil, when: StrategyConditions = StrategyConditions(), steps: [StrategyStep]) {
        self.name = name
        self.when = when
        self.steps = steps
    }
}

/// A strategy: tracks tried in order; the first whose conditions match a debt is its track.
public struct Strategy: Hashable, Sendable {
    public var name: String
    public var description: String? = nil
    public var tracks: [StrategyTrack]

    public init(name: String, description: String? = nil, tracks: [StrategyTrack]) {
        self.name = name
        self.description = description
        self.tracks = tracks
    }

    /// The index of the first track whose conditions `facts` meet; nil when none does.
    public func trackIndex(for facts: StrategyDebtFacts, asOf: LocalDate) -> Int? {
        tracks.firstIndex { $0.when.matches(facts, asOf: asOf) }
    }
}

/// What the planner knows of one open debt.
public struct StrategyDebtFacts: Sendable, Equatable {
    public var dueOn: LocalDate
    public var segment: Segment
    public var debtorKind: DebtorKind
    /// What is owed on the day planned, in minor units of `currency`.
    public var balance: Int64
    public var currency: Currency
    public var state: StrategyDebtState
    /// The local day of the last call, text, email or letter with the debtor; nil when there was none.
    public var lastContactOn: LocalDate?
    /// The debtor has at least one usable address, phone or email.
    public var contactable: Bool

    public init(
        dueOn: LocalDate, segment: Segment, debtorKind: DebtorKind, balance: Int64, currency: Currency,
        state: StrategyDebtState = .open, lastContactOn: LocalDate? = nil, contactable: Bool = true
    ) {
        self.dueOn = dueOn
        self.segment = segment
        self.debtorKind = debtorKind
        self.balance = balance
        self.currency = currency
        self.state = state
        self.lastContactOn = lastContactOn
        self.contactable = contactable
    }
}
