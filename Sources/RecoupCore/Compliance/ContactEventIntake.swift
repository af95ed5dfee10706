import Foundation

/// Checks one contact event as it arrives to be recorded (the API and the pages), more strictly than a compliance
/// request reads a stored history: only the members its type documents (docs/compliance.md), values from the
/// documented lists, and an instant inside the recording window. A history already stored is read as it was written.
public enum ContactEventIntake {
    /// How far back an event may be recorded: ten years, longer than any collection history Recoup keeps working
    /// (Regulation F asks for records three years after the last collection activity, 12 CFR 1006.100).
    public static let earliestAge: TimeInterval = 10 * 366 * 86_400
    /// How far ahead of the server's clock an event may be dated: fifteen minutes for clocks that disagree. A contact
    /// is recorded once it has happened.
    public static let latestLead: TimeInterval = 15 * 60

    /// The members each event type may carry besides `type`, `at` and `debtIds`.
    static let membersByType: [String: Set<String>] = [
        "call": ["direction", "to", "outcome", "messageLeft", "purpose"],
        "sms": ["direction", "to", "purpose"],
        "email": ["direction", "to", "purpose"],
        "letter": ["purpose"],
        "consent": ["until"],
        "consent_revoked": [], "cease": [], "dispute": [], "verification_sent": [], "attorney": [], "bankruptcy": [],
        "attorney_withdrawn": [], "bankruptcy_dismissed": [],
        "opt_out": ["channel", "address"],
        "inconvenient": ["weekdays", "from", "to", "until"],
        "inconvenient_place": ["place"],
    ]

    /// The event `object` describes, checked against the contract and the window around `now`; the error names the
    /// field (`outcome`, `at`, `debtIds[1]`).
    public static func read(_ object: JSONObject, now: Date) throws(ComplianceRequestError) -> ContactEvent {
        let entry = try entry(object)
        try check(entry.event, now: now)
        return entry.event
    }

    /// The contact log entry `object` describes, checked against the contract's event shape: only documented members
    /// and values (not yet against the clock: `check` does that where the event is recorded).
    public static func entry(_ object: JSONObject) throws(ComplianceRequestError) -> ContactLogEntry {
        let reader = JSONFieldReader(value: .object(object), base: "", key: nil)
        let type = try reader.string("type")
        guard let allowed = membersByType[type] else {
            throw ComplianceRequestError(
                field: "type",
                problem: "is \"\(type)\", not an event type (\(membersByType.keys.sorted().joined(separator: ", ")))")
        }
        for key in object.keys.sorted() where !allowed.contains(key) && !["type", "at", "debtIds"].contains(key) {
            let members = (["type", "at", "debtIds"] + allowed.sorted()).joined(separator: ", ")
            throw ComplianceRequestError(field: key, problem: "is not a member of a \(type) event; use \(members)")
        }
        let purpose: ContactPurpose? = allowed.contains("purpose") ? try reader.optionalEnumeration("purpose") : nil
        if let ids = object["debtIds"], !ids.isNull {
            guard let items = ids.arrayValue else {
                throw ComplianceRequestError(field: "debtIds", problem: "must be a list of debt references")
            }
            for (index, item) in items.enumerated() where (item.stringValue ?? "").trimmedSpaces.isEmpty {
                throw ComplianceRequestError(field: "debtIds[\(index)]", problem: "must be a debt reference")
            }
        }
        return ContactLogEntry(try ComplianceRequest.event(reader).withNumberRead, purpose: purpose)
    }

    /// Checks what an event's shape cannot: its instant inside the window around `now`, and a consent that does not
    /// end before it was given. The error names the field.
    public static func check(_ event: ContactEvent, now: Date) throws(ComplianceRequestError) {
        try checkWindow(event.at, field: "at", now: now)
        if case .consent(let until?) = event.kind, until < event.at {
            throw ComplianceRequestError(field: "until", problem: "is before the consent was given (at)")
        }
    }

    /// A documented value of `Value` spelled `text`, or the error a request's reader gives for it, naming `field`
    /// (for forms, which give the values one by one).
    public static func value<Value: RawRepresentable & CaseIterable>(
        _ text: String, field: String
    )
        throws(ComplianceRequestError) -> Value
    where Value.RawValue == String {
        guard let value = Value(rawValue: text) else {
            let allowed = Value.allCases.map(\.rawValue).joined(separator: ", ")
            throw ComplianceRequestError(field: field, problem: "is \"\(text)\"; use one of \(allowed)")
        }
        return value
    }

    /// Refuses an instant more than `earliestAge` before `now` or more than `latestLead` after it.
    static func checkWindow(_ instant: Date, field: String, now: Date) throws(ComplianceRequestError) {
        let earliest = now.addingTimeInterval(-earliestAge)
        let latest = now.addingTimeInterval(latestLead)
        if instant < earliest {
            throw ComplianceRequestError(
                field: field,
                problem: "is \(ISO8601Instant.format(instant)), more than ten years ago; record events from "
                    + "\(ISO8601Instant.format(earliest)) on")
        }
        if instant > latest {
            throw ComplianceRequestError(
                field: field,
                problem: "is \(ISO8601Instant.format(instant)), in the future; record a contact once it has happened "
                    + "(the server's clock says \(ISO8601Instant.format(now)))")
        }
    }
}

extension ContactEvent {
    /// The event with the number a call or text went to in E.164 form when it reads as one (`(212) 555-0123` →
    /// `+12125550123`), so the log holds one spelling of each number; anything else is kept as written.
    public var withNumberRead: ContactEvent {
        var event = self
        switch kind {
        case .call(let direction, let to?, let outcome, let messageLeft):
            event.kind = .call(
                direction: direction, to: Phone.e164IfReadable(to), outcome: outcome, messageLeft: messageLeft)
        case .sms(let direction, let to?): event.kind = .sms(direction: direction, to: Phone.e164IfReadable(to))
        default: break
        }
        return event
    }
}
