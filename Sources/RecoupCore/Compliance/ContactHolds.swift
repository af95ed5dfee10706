import Foundation

/// A hold on contact about one debt (docs/compliance.md, "Holds"): when it began, what placed it, and when and by what
/// it was released, if it was.
public struct ContactHold: Hashable, Sendable {
    /// The kinds of hold, each enforced by the rule of the same name.
    public enum Kind: String, CaseIterable, Sendable {
        case bankruptcy, cease, attorney, dispute
        case optOut = "opt-out"

        /// The rule that enforces the hold.
        public var rule: RuleID {
            switch self {
            case .bankruptcy: .bankruptcy
            case .cease: .cease
            case .attorney: .attorney
            case .dispute: .dispute
            case .optOut: .optOut
            }
        }

        /// The event that releases the hold, or nil when nothing recorded lifts it (a cease, an opt-out).
        public var release: ContactEvent.Kind? {
            switch self {
            case .dispute: .verificationSent
            case .attorney: .attorneyWithdrawn
            case .bankruptcy: .bankruptcyDismissed
            case .cease, .optOut: nil
            }
        }
    }

    public var kind: Kind
    /// When it began.
    public var since: Date
    /// The position, in the events given, of the event that placed the hold; nil when the client's file did (a debt
    /// imported as disputed).
    public var placedBy: Int?
    /// When it was released; nil while it holds.
    public var releasedAt: Date?
    /// The position of the event that released it.
    public var releasedBy: Int?
    /// For an opt-out: the channel, and the one number or address when it names one.
    public var channel: ContactChannel?
    public var address: String?

    /// Makes a hold.
    public init(
        kind: Kind, since: Date, placedBy: Int?, releasedAt: Date? = nil, releasedBy: Int? = nil,
        channel: ContactChannel? = nil, address: String? = nil
    ) {
        self.kind = kind
        self.since = since
        self.placedBy = placedBy
        self.releasedAt = releasedAt
        self.releasedBy = releasedBy
        self.channel = channel
        self.address = address
    }

    /// True while the hold stands.
    public var isActive: Bool { releasedAt == nil }
}

/// The holds on one debt, read from the debtor's history the way the hold rules read it: a hold begins at the event
/// that places it and ends at the first release about the same debt after it; a second notice while a hold stands
/// changes nothing; a dispute in the client's file is a dispute at its import. The engine blocks a contact exactly
/// when one of these is active (for its purpose and channel), so a page that lists them agrees with the decision.
public enum ContactHolds {
    /// Every hold on `debtID` as of `asOf` (events after it are not yet known), in the order they began.
    public static func holds(
        of debtID: String, events: [ContactEvent], disputedInFileSince: Date? = nil, asOf: Date
    ) -> [ContactHold] {
        // Time order, equal instants in the order given: as the engine sorts them.
        let order = events.indices.filter { events[$0].at <= asOf && events[$0].concerns(debtID) }
            .sorted { (events[$0].at, $0) < (events[$1].at, $1) }
        var holds: [ContactHold] = []
        var open: [ContactHold.Kind: Int] = [:]
        var fileDispute = disputedInFileSince.flatMap { $0 <= asOf ? $0 : nil }
        func place(_ kind: ContactHold.Kind, at: Date, by index: Int?) {
            guard open[kind] == nil else { return }
            open[kind] = holds.count
            holds.append(ContactHold(kind: kind, since: at, placedBy: index))
        }
        func release(_ kind: ContactHold.Kind, at: Date, by index: Int) {
            guard let position = open.removeValue(forKey: kind) else { return }
            holds[position].releasedAt = at
            holds[position].releasedBy = index
        }
        for index in order {
            let event = events[index]
            // The file's dispute comes before any event at or after its instant: a verification at that very instant
            // answers it.
            if let marked = fileDispute, marked <= event.at {
                place(.dispute, at: marked, by: nil)
                fileDispute = nil
            }
            switch event.kind {
            case .dispute: place(.dispute, at: event.at, by: index)
            case .verificationSent: release(.dispute, at: event.at, by: index)
            case .attorney: place(.attorney, at: event.at, by: index)
            case .attorneyWithdrawn: release(.attorney, at: event.at, by: index)
            case .bankruptcy: place(.bankruptcy, at: event.at, by: index)
            case .bankruptcyDismissed: release(.bankruptcy, at: event.at, by: index)
            case .cease: place(.cease, at: event.at, by: index)
            case .optOut(let channel, let address):
                // Each opt-out is its own hold: one channel, or one number or address on it.
                holds.append(
                    ContactHold(
                        kind: .optOut, since: event.at, placedBy: index, channel: channel, address: address))
            default: break
            }
        }
        if let marked = fileDispute { place(.dispute, at: marked, by: nil) }
        return holds
    }
}
