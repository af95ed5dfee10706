import Foundation

/// One entry of the contact log: the event the compliance engine weighs, and what the log keeps with it.
public struct ContactLogEntry: Hashable, Sendable {
    /// The event.
    public var event: ContactEvent
    /// Why the contact was made, when the record says (a call, text, email or letter may).
    public var purpose: ContactPurpose?
    /// Words that came with the event: the debtor's own, for a dispute sent from the portal.
    public var note: String?

    /// Makes an entry.
    public init(_ event: ContactEvent, purpose: ContactPurpose? = nil, note: String? = nil) {
        self.event = event
        self.purpose = purpose
        self.note = note
    }
}

/// The one codec between contact events and their JSON, the compliance contract's event shape
/// (`{"type": "call", "at": "…", "debtIds": ["D1"], "direction": "outbound", "outcome": "voicemail", …}`): what the
/// contact log stores (the `details` of a `contact_events` row) and what the API shows. It reads with the compliance
/// request's own event reader, so a stored event and an event in a check request mean the same.
public enum ContactEventCodec {
    /// The event type's name in the contract (`call`, `consent_revoked`, …).
    public static func typeName(_ kind: ContactEvent.Kind) -> String {
        switch kind {
        case .call: "call"
        case .sms: "sms"
        case .email: "email"
        case .letter: "letter"
        case .consent: "consent"
        case .consentRevoked: "consent_revoked"
        case .cease: "cease"
        case .dispute: "dispute"
        case .verificationSent: "verification_sent"
        case .attorney: "attorney"
        case .attorneyWithdrawn: "attorney_withdrawn"
        case .bankruptcy: "bankruptcy"
        case .bankruptcyDismissed: "bankruptcy_dismissed"
        case .optOut: "opt_out"
        case .inconvenient: "inconvenient"
        case .inconvenientPlace: "inconvenient_place"
        }
    }

    static let weekdayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    /// The entry as one JSON object: `type`, `at`, `debtIds` (when it names debts), the members of its type,
    /// `purpose` and `note` when present. Instants are written to the second, in UTC.
    public static func json(_ entry: ContactLogEntry) -> String {
        let event = entry.event
        var text = "{\"type\":\"" + typeName(event.kind) + "\",\"at\":\"" + ISO8601Instant.format(event.at) + "\""
        if let ids = debtIDsJSON(event.debtIDs) { text += ",\"debtIds\":" + ids }
        func member(_ key: String, _ value: String?) {
            guard let value else { return }
            text += ",\"" + key + "\":"
            appendJSONString(value, to: &text)
        }
        switch event.kind {
        case .call(let direction, let to, let outcome, let messageLeft):
            member("direction", direction.rawValue)
            member("to", to)
            member("outcome", outcome.rawValue)
            text += ",\"messageLeft\":" + (messageLeft ? "true" : "false")
        case .sms(let direction, let to), .email(let direction, let to):
            member("direction", direction.rawValue)
            member("to", to)
        case .consent(let until):
            member("until", until.map(ISO8601Instant.format))
        case .optOut(let channel, let address):
            member("channel", channel.rawValue)
            member("address", address)
        case .inconvenient(let weekdays, let from, let to, let until):
            if !weekdays.isEmpty {
                text += ",\"weekdays\":["
                text += weekdays.sorted().map { "\"" + weekdayNames[$0 - 1] + "\"" }.joined(separator: ",")
                text += "]"
            }
            member("from", from?.description)
            member("to", to?.description)
            member("until", until?.isoString)
        case .inconvenientPlace(let place):
            member("place", place.rawValue)
        case .letter, .consentRevoked, .cease, .dispute, .verificationSent, .attorney, .attorneyWithdrawn, .bankruptcy,
            .bankruptcyDismissed:
            break
        }
        member("purpose", entry.purpose?.rawValue)
        member("note", entry.note)
        return text + "}"
    }

    /// The debts an event names as a JSON array of references, or nil when it names none (it concerns them all).
    public static func debtIDsJSON(_ ids: [String]?) -> String? {
        guard let ids, !ids.isEmpty else { return nil }
        var text = "["
        for (index, id) in ids.enumerated() {
            if index > 0 { text += "," }
            appendJSONString(id, to: &text)
        }
        return text + "]"
    }

    /// Reads a JSON array of debt references (as `debtIDsJSON` writes it); an empty array names no debt in particular.
    public static func debtIDs(json text: String) throws(ComplianceRequestError) -> [String]? {
        if let ids = ContactEventScanner.debtIDs(text) { return ids }
        guard let items = try parse(text, field: "debtIds").arrayValue else {
            throw ComplianceRequestError(field: "debtIds", problem: "must be an array")
        }
        var ids: [String] = []
        ids.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            guard let id = item.stringValue else {
                throw ComplianceRequestError(field: "debtIds[\(index)]", problem: "must be a string")
            }
            ids.append(id)
        }
        return ids.isEmpty ? nil : ids
    }

    /// Reads a stored entry. The type, the instant and the debts (`debtIDs`, as `debtIDsJSON` writes them; nil for
    /// all the debtor's debts) come apart from the rest: a row keeps them in columns of their own, which win over the
    /// same members in `details`. Everything else is read from `details`, the JSON object `json` writes: by
    /// `ContactEventScanner` when it is plain, else by the compliance request's event reader (the same value; the
    /// error names the field).
    public static func entry(
        type: String, at: Date, debtIDs: String?, details: String
    ) throws(ComplianceRequestError)
        -> ContactLogEntry
    {
        var reader = RowReader()
        return try reader.entry(type: type, at: at, debtIDs: debtIDs, details: details)
    }

    /// Reads the rows of one history, as `entry(type:at:debtIDs:details:)` does each: the debts a debtor's events
    /// name repeat from row to row, so it reads each distinct list once and shares it.
    public struct RowReader {
        private var last: (text: String, ids: [String]?)?

        public init() {}

        public mutating func entry(
            type: String, at: Date, debtIDs: String?, details: String
        )
            throws(ComplianceRequestError) -> ContactLogEntry
        {
            var ids: [String]? = nil
            if let debtIDs {
                if let last, last.text == debtIDs {
                    ids = last.ids
                } else {
                    ids = try ContactEventCodec.debtIDs(json: debtIDs)
                    last = (debtIDs, ids)
                }
            }
            if let entry = ContactEventScanner.entry(type: type, at: at, debtIDs: ids, details: details) {
                return entry
            }
            return try ContactEventCodec.readEntry(type: type, at: at, debtIDs: ids, details: details)
        }
    }

    /// `entry(type:at:debtIDs:details:)` by the compliance request's event reader alone.
    static func readEntry(
        type: String, at: Date, debtIDs: [String]?, details: String
    ) throws(ComplianceRequestError)
        -> ContactLogEntry
    {
        let reader = JSONFieldReader(value: try parse(details, field: "the event"), base: "", key: nil)
        try reader.requireObject()
        let kind = try ComplianceRequest.kind(type, reader)
        let purpose: ContactPurpose? = try reader.optionalEnumeration("purpose")
        return ContactLogEntry(
            ContactEvent(kind, at: at, debtIDs: debtIDs), purpose: purpose, note: try reader.optionalString("note"))
    }

    /// Reads a whole entry from the JSON object `json` writes (type, instant and debts included).
    public static func entry(json text: String) throws(ComplianceRequestError) -> ContactLogEntry {
        let reader = JSONFieldReader(value: try parse(text, field: "the event"), base: "", key: nil)
        let event = try ComplianceRequest.event(reader)
        return ContactLogEntry(
            event, purpose: try reader.optionalEnumeration("purpose"), note: try reader.optionalString("note"))
    }

    private static func parse(_ text: String, field: String) throws(ComplianceRequestError) -> JSONValue {
        do {
            return try JSONValue.parse(Data(text.utf8))
        } catch {
            throw ComplianceRequestError(field: field, problem: error.description)
        }
    }
}

extension DebtorContactProfile {
    /// True when `identifier` names a time zone the engine knows (an IANA name such as America/New_York); looked up
    /// once per process.
    public static func isKnownTimeZone(_ identifier: String) -> Bool { TimeZoneCache.zone(identifier) != nil }
}
