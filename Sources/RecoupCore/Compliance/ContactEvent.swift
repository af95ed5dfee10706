import Foundation

/// How a contact travels.
public enum ContactAction: String, CaseIterable, Codable, Sendable {
    /// Placing a telephone call.
    case call
    /// Leaving a message on a call that reached voicemail.
    case voicemail
    /// A text message.
    case sms
    /// An email.
    case email
    /// A letter by post.
    case letter
}

/// Why a contact is made; some purposes are allowed where collection is not.
public enum ContactPurpose: String, CaseIterable, Codable, Sendable {
    case collection
    /// A notice that collection is ending or that names a remedy (12 CFR 1006.6(c)(2)).
    case remedyNotice = "remedy_notice"
    /// The verification of a disputed debt (12 CFR 1006.38).
    case verification
    /// The one confirmation of an opt-out (12 CFR 1006.6(e)).
    case optOutConfirmation = "opt_out_confirmation"
    /// A reply to a contact the debtor started.
    case response
    /// A debt collector's validation notice (12 CFR 1006.34): the first communication about a consumer debt.
    case validationNotice = "validation_notice"
    /// A final notice or demand: collection that could overshadow the consumer's rights, so it waits for the end of
    /// the validation period (15 U.S.C. 1692g(b)).
    case demand

    /// True for what asks for payment: collection, and a demand.
    public var isCollection: Bool { self == .collection || self == .demand }
}

/// Which way a call or message went.
public enum ContactDirection: String, CaseIterable, Codable, Sendable {
    case inbound, outbound
}

/// What happened on a call.
public enum CallOutcome: String, CaseIterable, Codable, Sendable {
    case noAnswer = "no_answer"
    case busy
    case notInService = "not_in_service"
    case voicemail
    case answeredDropped = "answered_dropped"
    case conversation
    case thirdParty = "third_party"

    /// True when the call counts toward the call-frequency limits: every outcome but a busy signal and a number
    /// not in service (12 CFR 1006.14(b)(3), comment 14(b)(3)-1).
    public var isCounted: Bool { self != .busy && self != .notInService }
}

/// A place a debtor may call inconvenient.
public enum ContactPlace: String, CaseIterable, Codable, Sendable {
    case home, work
}

/// A channel a debtor may opt out of.
public enum ContactChannel: String, CaseIterable, Codable, Sendable {
    case call, voicemail, sms, email, letter
}

/// A local time of day, `HH:MM`.
public struct LocalTime: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// Minutes since midnight, 0–1440 (1440 is `24:00`, the end of the day).
    public let minutes: Int

    private init(minutes: Int) { self.minutes = minutes }

    /// Makes a time from hours (0–23) and minutes (0–59).
    public init?(hour: Int, minute: Int) {
        guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        self.init(minutes: hour * 60 + minute)
    }

    /// Reads `HH:MM` (24-hour clock; `24:00` means the end of the day).
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hour = Int(parts[0]),
            let minute = Int(parts[1])
        else { return nil }
        if hour == 24 && minute == 0 {
            self.init(minutes: 1440)
        } else {
            self.init(hour: hour, minute: minute)
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let time = LocalTime(parsing: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "\"\(text)\" is not a time in the form HH:MM"))
        }
        self = time
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public var description: String {
        let hour = minutes / 60
        let minute = minutes % 60
        return (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }

    public static func < (lhs: LocalTime, rhs: LocalTime) -> Bool { lhs.minutes < rhs.minutes }
}

/// One event of a debtor's contact history, as the compliance check and the contact log record it.
public struct ContactEvent: Hashable, Sendable {
    /// What happened.
    public enum Kind: Hashable, Sendable {
        case call(direction: ContactDirection, to: String?, outcome: CallOutcome, messageLeft: Bool)
        case sms(direction: ContactDirection, to: String?)
        case email(direction: ContactDirection, to: String?)
        case letter
        /// Consent to calls given directly by the consumer, optionally until an instant (12 CFR 1006.14(b)(3)(i)).
        case consent(until: Date?)
        case consentRevoked
        /// A written or electronic refusal to pay or request to stop, as received (12 CFR 1006.6(c)).
        case cease
        case dispute
        case verificationSent
        case attorney
        /// The attorney no longer represents the debtor for the debt: the `attorney` hold ends.
        case attorneyWithdrawn
        case bankruptcy
        /// The bankruptcy case was dismissed: the automatic stay ends and the `bankruptcy` hold with it. (A discharge
        /// is not this: a discharged debt is never collected again.)
        case bankruptcyDismissed
        /// An opt-out of a channel, or of one address or number on it.
        case optOut(channel: ContactChannel, address: String?)
        /// Times the debtor called inconvenient: weekdays (1 = Monday … 7 = Sunday; empty = every day), an optional
        /// local window, and an optional last date.
        case inconvenient(weekdays: Set<Int>, from: LocalTime?, to: LocalTime?, until: LocalDate?)
        case inconvenientPlace(ContactPlace)
    }

    /// What happened.
    public var kind: Kind {
        didSet { summary = EventSummary(kind) }
    }
    /// The kind's facts as plain values, worked out once when the event is made (the rules count with these).
    private(set) var summary: EventSummary
    /// When it happened.
    public var at: Date
    /// The debts it is about; nil means all of the debtor's debts.
    public var debtIDs: [String]? {
        didSet { onlyDebtID = debtIDs?.count == 1 ? debtIDs?.first : nil }
    }
    /// The one debt the event is about when it names exactly one: checked without reaching into the array.
    private(set) var onlyDebtID: String?

    /// Makes an event.
    public init(_ kind: Kind, at: Date, debtIDs: [String]? = nil) {
        self.kind = kind
        self.summary = EventSummary(kind)
        self.at = at
        self.debtIDs = debtIDs
        self.onlyDebtID = debtIDs?.count == 1 ? debtIDs?.first : nil
    }

    /// True when the event is about `debtID` (or about all debts).
    public func concerns(_ debtID: String) -> Bool { debtIDs?.contains(debtID) ?? true }
}
