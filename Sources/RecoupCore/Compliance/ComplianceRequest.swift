import Foundation

/// The contact facts about a debtor the compliance engine needs.
public struct DebtorContactProfile: Hashable, Sendable {
    /// Consumer (Regulation F applies) or commercial.
    public var kind: DebtorKind
    /// Zones recorded for the debtor, primary first; nil when none are recorded (they are then inferred).
    public var timeZones: [String]?
    /// Phone numbers.
    public var phones: [Phone]
    /// Email addresses.
    public var emails: [String]
    /// The email addresses that are work addresses (a subset of `emails`).
    public var workEmails: [String]
    /// Postal addresses.
    public var addresses: [PostalAddress]

    /// Makes a profile.
    public init(
        kind: DebtorKind, timeZones: [String]? = nil, phones: [Phone] = [], emails: [String] = [],
        workEmails: [String] = [], addresses: [PostalAddress] = []
    ) {
        self.kind = kind
        self.timeZones = timeZones
        self.phones = phones
        self.emails = emails
        self.workEmails = workEmails
        self.addresses = addresses
    }
}

/// Whose an email address is: a work address is an inconvenient place once the debtor says work is.
public enum EmailType: String, CaseIterable, Sendable {
    case personal, work, other
}

/// One proposed contact and the debtor's history: the input of `recoup compliance check` and
/// `POST /api/v1/compliance/check` (docs/compliance.md).
public struct ComplianceRequest: Hashable, Sendable {
    /// The moment the contact would happen.
    public var at: Date
    /// How.
    public var action: ContactAction
    /// The debt the contact is about.
    public var debtID: String
    /// The number or address contacted, when there is one.
    public var to: String?
    /// Why.
    public var purpose: ContactPurpose
    /// Who.
    public var debtor: DebtorContactProfile
    /// The history, in any order.
    public var events: [ContactEvent]
    /// The client's rules, when the request names them; nil means the caller's (by default docs/compliance.md's).
    public var policy: CompliancePolicy?
    /// When the client's file marked the debt disputed (its import), if it did: the debt is then disputed from that
    /// instant until a verification about it is sent, as if a `dispute` event had been recorded then (`dispute`).
    public var disputedInFileSince: Date?
    /// Set when a debt collector collects this consumer debt, so a validation notice is owed (12 CFR 1006.34):
    /// when it was sent, nil while it has not been. Nil when none is owed (a creditor collecting its own debt).
    public var validationNotice: ValidationNoticeFacts?

    /// Makes a request.
    public init(
        at: Date, action: ContactAction, debtID: String, to: String? = nil, purpose: ContactPurpose = .collection,
        debtor: DebtorContactProfile, events: [ContactEvent] = [], policy: CompliancePolicy? = nil,
        disputedInFileSince: Date? = nil, validationNotice: ValidationNoticeFacts? = nil
    ) {
        self.validationNotice = validationNotice
        self.policy = policy
        self.disputedInFileSince = disputedInFileSince
        self.at = at
        self.action = action
        self.debtID = debtID
        self.to = to
        self.purpose = purpose
        self.debtor = debtor
        self.events = events
    }
}

/// What a request says of a debt collector's validation notice (`ComplianceRequest.validationNotice`).
public struct ValidationNoticeFacts: Hashable, Sendable {
    /// When the notice was sent; nil while it has not been.
    public var sentAt: Date?

    public init(sentAt: Date?) {
        self.sentAt = sentAt
    }
}

/// Why a compliance request was refused: one sentence that names the field.
public struct ComplianceRequestError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The field's path (`events[2].outcome`), or "the request".
    public var field: String
    /// What is wrong with it.
    public var problem: String

    public var description: String { "\(field) \(problem)" }
}

extension ComplianceRequest {
    /// Reads a request from JSON, checking every field; the error names the first bad field.
    public init(json data: Data) throws(ComplianceRequestError) {
        if let request = ComplianceRequestFastReader.read(data) {
            self = request
            return
        }
        try self.init(jsonValue: data)
    }

    /// Reads a request through a `JSONValue` tree: any document, with the error that names the first bad field.
    init(jsonValue data: Data) throws(ComplianceRequestError) {
        let value: JSONValue
        do {
            value = try JSONValue.parse(data)
        } catch {
            throw ComplianceRequestError(field: "the request", problem: error.description)
        }
        try self.init(reading: JSONFieldReader(value: value, base: "", key: nil))
    }

    private init(reading request: JSONFieldReader) throws(ComplianceRequestError) {
        try request.requireObject()
        let at = try request.instant("at")
        let action: ContactAction = try request.enumeration("action")
        let debtID = try request.string("debtId")
        let to = try request.optionalString("to")
        let purpose: ContactPurpose = try request.optionalEnumeration("purpose") ?? .collection
        let debtor = try Self.debtor(try request.child("debtor"))
        var events: [ContactEvent] = []
        for eventReader in try request.optionalArray("events") {
            events.append(try Self.event(eventReader))
        }
        let policy = request.has("policy") ? try CompliancePolicy(reading: try request.child("policy")) : nil
        var validationNotice: ValidationNoticeFacts? = nil
        if request.has("validationNotice") {
            let notice = try request.child("validationNotice")
            try notice.requireObject()
            validationNotice = ValidationNoticeFacts(
                sentAt: notice.has("sentAt") ? try notice.optionalInstant("sentAt") : nil)
        }
        self.init(
            at: at, action: action, debtID: debtID, to: to, purpose: purpose, debtor: debtor, events: events,
            policy: policy, validationNotice: validationNotice)
    }

    private static func debtor(_ reader: JSONFieldReader) throws(ComplianceRequestError) -> DebtorContactProfile {
        try reader.requireObject()
        let kind: DebtorKind = try reader.enumeration("kind")
        var zones: [String]? = nil
        if reader.has("timeZones") {
            var list: [String] = []
            for zoneReader in try reader.optionalArray("timeZones") {
                let name = try zoneReader.stringValue()
                guard TimeZoneCache.zone(name) != nil else {
                    throw zoneReader.error("is \"\(name)\", not an IANA time zone such as America/New_York")
                }
                list.append(name)
            }
            zones = list
        }
        var phones: [Phone] = []
        for phoneReader in try reader.optionalArray("phones") {
            try phoneReader.requireObject()
            let number = try phoneReader.string("number")
            let type = try phoneReader.optionalPhoneType("type") ?? .other
            // A US number as people write it is read too (`(617) 555-0100`).
            do { phones.append(try Phone(reading: number, type: type)) } catch {
                throw phoneReader.error("number \"\(number)\" is not in E.164 form such as +16175550100 (\(error))")
            }
        }
        var emails: [String] = []
        var workEmails: [String] = []
        for emailReader in try reader.optionalArray("emails") {
            try emailReader.requireObject()
            let address = try emailReader.string("address")
            emails.append(address)
            if try emailReader.optionalEnumeration("type") == EmailType.work { workEmails.append(address) }
        }
        var addresses: [PostalAddress] = []
        for addressReader in try reader.optionalArray("addresses") {
            try addressReader.requireObject()
            let type: AddressType = try addressReader.optionalEnumeration("type") ?? .home
            addresses.append(
                PostalAddress(
                    type: type, line1: try addressReader.optionalString("line1"),
                    city: try addressReader.optionalString("city"),
                    state: try addressReader.optionalString("state")?.uppercased(),
                    postalCode: try addressReader.optionalString("postalCode"),
                    country: try addressReader.optionalString("country")?.uppercased() ?? "US"))
        }
        return DebtorContactProfile(
            kind: kind, timeZones: zones, phones: phones, emails: emails, workEmails: workEmails, addresses: addresses)
    }

    static func event(_ reader: JSONFieldReader) throws(ComplianceRequestError) -> ContactEvent {
        try reader.requireObject()
        let type = try reader.string("type")
        let at = try reader.instant("at")
        // An empty list names no debt in particular: like an absent one, it concerns them all.
        let ids = try reader.optionalStrings("debtIds")
        let debtIDs = ids?.isEmpty == false ? ids : nil
        return ContactEvent(try kind(type, reader), at: at, debtIDs: debtIDs)
    }

    /// The kind of an event of type `type` whose other members `reader` reads (`ContactEventCodec` reads stored
    /// events with it too).
    static func kind(_ type: String, _ reader: JSONFieldReader) throws(ComplianceRequestError) -> ContactEvent.Kind {
        let kind: ContactEvent.Kind
        switch type {
        case "call":
            kind = .call(
                direction: try reader.optionalEnumeration("direction") ?? .outbound,
                to: try reader.optionalString("to"),
                outcome: try reader.enumeration("outcome"), messageLeft: try reader.optionalBool("messageLeft") ?? false
            )
        case "sms":
            kind = .sms(
                direction: try reader.optionalEnumeration("direction") ?? .outbound, to: try reader.optionalString("to")
            )
        case "email":
            kind = .email(
                direction: try reader.optionalEnumeration("direction") ?? .outbound, to: try reader.optionalString("to")
            )
        case "consent": kind = .consent(until: try reader.optionalInstant("until"))
        case "opt_out":
            kind = .optOut(channel: try reader.enumeration("channel"), address: try reader.optionalString("address"))
        case "inconvenient":
            var weekdays = Set<Int>()
            for dayReader in try reader.optionalArray("weekdays") {
                let name = try dayReader.stringValue().lowercased()
                guard
                    let index = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].firstIndex(of: String(name.prefix(3)))
                else { throw dayReader.error("is \"\(name)\", not a weekday such as \"tue\"") }
                weekdays.insert(index + 1)
            }
            kind = .inconvenient(
                weekdays: weekdays, from: try reader.optionalTime("from"), to: try reader.optionalTime("to"),
                until: try reader.optionalDate("until"))
        case "inconvenient_place": kind = .inconvenientPlace(try reader.enumeration("place"))
        default:
            if let fieldless = ContactEvent.Kind(fieldless: type) { return fieldless }
            throw reader.error(
                "type \"\(type)\" is not an event type (call, sms, email, letter, consent, consent_revoked, cease, "
                    + "dispute, verification_sent, attorney, attorney_withdrawn, bankruptcy, bankruptcy_dismissed, "
                    + "opt_out, inconvenient, inconvenient_place)")
        }
        return kind
    }
}

/// Reads fields out of a parsed JSON value, knowing where it is for error messages. The path (`events[2].outcome`)
/// is put together only when there is an error to report, so reading a long history builds no strings.
struct JSONFieldReader {
    let value: JSONValue
    /// The path this value's position is relative to ("" at the top).
    let base: String
    /// The value's index in the array at `base`, if it is an array item.
    let index: Int?
    /// The value's member name in the object at `base` (and `index`), if it is a member.
    let key: String?

    init(value: JSONValue, base: String, index: Int? = nil, key: String?) {
        self.value = value
        self.base = base
        self.index = index
        self.key = key
    }

    /// Where this value is, for messages: `debtor.phones[0].number`, or "" for the whole document.
    var path: String {
        var path = base
        if let index { path += "[\(index)]" }
        if let key { path = path.isEmpty ? key : path + "." + key }
        return path
    }

    func error(_ problem: String) -> ComplianceRequestError {
        let path = path
        return ComplianceRequestError(field: path.isEmpty ? "the request" : path, problem: problem)
    }

    private var object: JSONObject? { value.objectValue }

    func requireObject() throws(ComplianceRequestError) {
        guard object != nil else { throw error("must be a JSON object") }
    }

    /// The member `key`, unless it is absent or null.
    private func member(_ key: String) -> JSONValue? {
        guard let member = object?[key], !member.isNull else { return nil }
        return member
    }

    func has(_ key: String) -> Bool { member(key) != nil }

    /// A reader for member `key` holding `value`; it shares this reader's base unless this one is itself a member.
    private func reader(_ key: String, _ value: JSONValue) -> JSONFieldReader {
        self.key == nil
            ? JSONFieldReader(value: value, base: base, index: index, key: key)
            : JSONFieldReader(value: value, base: path, key: key)
    }

    private func fieldError(_ key: String, _ problem: String) -> ComplianceRequestError {
        reader(key, .null).error(problem)
    }

    func child(_ key: String) throws(ComplianceRequestError) -> JSONFieldReader {
        guard let member = member(key) else { throw fieldError(key, "is missing") }
        return reader(key, member)
    }

    func stringValue() throws(ComplianceRequestError) -> String {
        guard let text = value.stringValue else { throw error("must be a string") }
        return text
    }

    func string(_ key: String) throws(ComplianceRequestError) -> String {
        guard let member = member(key) else { throw fieldError(key, "is missing") }
        guard let text = member.stringValue else { throw fieldError(key, "must be a string") }
        guard !text.isEmpty else { throw fieldError(key, "is empty") }
        return text
    }

    func optionalString(_ key: String) throws(ComplianceRequestError) -> String? {
        guard let member = member(key) else { return nil }
        guard let text = member.stringValue else { throw fieldError(key, "must be a string") }
        return text
    }

    func optionalInt(_ key: String) throws(ComplianceRequestError) -> Int? {
        guard let member = member(key) else { return nil }
        guard let value = member.numberValue?.int else { throw fieldError(key, "must be a whole number") }
        return value
    }

    func optionalBool(_ key: String) throws(ComplianceRequestError) -> Bool? {
        guard let member = member(key) else { return nil }
        guard let flag = member.boolValue else { throw fieldError(key, "must be true or false") }
        return flag
    }

    func enumeration<Value: RawRepresentable & CaseIterable>(_ key: String) throws(ComplianceRequestError) -> Value
    where Value.RawValue == String {
        guard let member = member(key) else { throw fieldError(key, "is missing") }
        return try Self.enumerationValue(member, key: key, self)
    }

    func optionalEnumeration<Value: RawRepresentable & CaseIterable>(
        _ key: String
    ) throws(ComplianceRequestError)
        -> Value?
    where Value.RawValue == String {
        guard let member = member(key) else { return nil }
        return try Self.enumerationValue(member, key: key, self) as Value
    }

    private static func enumerationValue<Value: RawRepresentable & CaseIterable>(
        _ member: JSONValue, key: String, _ reader: JSONFieldReader
    ) throws(ComplianceRequestError) -> Value where Value.RawValue == String {
        guard let text = member.stringValue else { throw reader.fieldError(key, "must be a string") }
        guard let value = Value(rawValue: text) else {
            let allowed = Value.allCases.map(\.rawValue).joined(separator: ", ")
            throw reader.fieldError(key, "is \"\(text)\"; use one of \(allowed)")
        }
        return value
    }

    /// A phone type by any of the names `PhoneType(name:)` reads (`mobile`, `cell`, `landline`, `office`, …).
    func optionalPhoneType(_ key: String) throws(ComplianceRequestError) -> PhoneType? {
        guard let member = member(key) else { return nil }
        guard let text = member.stringValue else { throw fieldError(key, "must be a string") }
        guard let type = PhoneType(name: text) else {
            throw fieldError(key, "is \"\(text)\"; use one of mobile, home, work, other (or \(PhoneType.commonNames))")
        }
        return type
    }

    func instant(_ key: String) throws(ComplianceRequestError) -> Date {
        guard let member = member(key) else { throw fieldError(key, "is missing") }
        return try instantValue(member, key: key)
    }

    func optionalInstant(_ key: String) throws(ComplianceRequestError) -> Date? {
        guard let member = member(key) else { return nil }
        return try instantValue(member, key: key)
    }

    private func instantValue(_ member: JSONValue, key: String) throws(ComplianceRequestError) -> Date {
        guard let text = member.stringValue else { throw fieldError(key, "must be a string") }
        guard let instant = ISO8601Instant.parse(text) else {
            throw fieldError(key, "is \"\(text)\", not an ISO 8601 instant such as 2026-04-08T16:00:00Z")
        }
        return instant
    }

    func optionalDate(_ key: String) throws(ComplianceRequestError) -> LocalDate? {
        guard let text = try optionalString(key) else { return nil }
        do { return try LocalDate(iso: text) } catch { throw fieldError(key, "\(error)") }
    }

    func optionalTime(_ key: String) throws(ComplianceRequestError) -> LocalTime? {
        guard let text = try optionalString(key) else { return nil }
        guard let time = LocalTime(parsing: text) else {
            throw fieldError(key, "is \"\(text)\", not a time in the form HH:MM")
        }
        return time
    }

    func optionalArray(_ key: String) throws(ComplianceRequestError) -> [JSONFieldReader] {
        guard let member = member(key) else { return [] }
        guard let items = member.arrayValue else { throw fieldError(key, "must be an array") }
        let arrayPath = reader(key, .null).path
        return items.enumerated().map { JSONFieldReader(value: $1, base: arrayPath, index: $0, key: nil) }
    }

    /// An array of strings; the path of a bad item is built only to report it.
    func optionalStrings(_ key: String) throws(ComplianceRequestError) -> [String]? {
        guard let member = member(key) else { return nil }
        guard let items = member.arrayValue else { throw fieldError(key, "must be an array") }
        var strings: [String] = []
        strings.reserveCapacity(items.count)
        for (position, item) in items.enumerated() {
            guard let text = item.stringValue else {
                throw JSONFieldReader(value: item, base: reader(key, .null).path, index: position, key: nil)
                    .error("must be a string")
            }
            strings.append(text)
        }
        return strings
    }
}

extension ContactEvent.Kind {
    /// The kinds whose events carry nothing but their type and time, by their type's name in the request format.
    init?(fieldless type: String) {
        switch type {
        case "letter": self = .letter
        case "consent_revoked": self = .consentRevoked
        case "cease": self = .cease
        case "dispute": self = .dispute
        case "verification_sent": self = .verificationSent
        case "attorney": self = .attorney
        case "attorney_withdrawn": self = .attorneyWithdrawn
        case "bankruptcy": self = .bankruptcy
        case "bankruptcy_dismissed": self = .bankruptcyDismissed
        default: return nil
        }
    }
}

extension CompliancePolicy {
    /// Reads a policy from JSON: every field optional, missing ones keep the defaults of docs/compliance.md.
    ///
    /// ```json
    /// {"disabled": ["text-daily-limit"], "contactWindow": {"opens": "09:00", "closes": "20:00"},
    ///  "voicemailsPerDay": 1, "textsPerDay": 1, "textsPerWeek": 2, "emailsPerDay": 1}
    /// ```
    public init(json data: Data) throws(ComplianceRequestError) {
        let value: JSONValue
        do {
            value = try JSONValue.parse(data)
        } catch {
            throw ComplianceRequestError(field: "the policy", problem: error.description)
        }
        try self.init(reading: JSONFieldReader(value: value, base: "", key: "policy"))
    }

    init(reading reader: JSONFieldReader) throws(ComplianceRequestError) {
        try reader.requireObject()
        var policy = CompliancePolicy.standard
        for ruleReader in try reader.optionalArray("disabled") {
            let name = try ruleReader.stringValue()
            guard let rule = RuleID(rawValue: name) else {
                throw ruleReader.error(
                    "is \"\(name)\", not a rule id; use one of \(RuleID.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            policy.disabled.insert(rule)
        }
        let integers: [(String, WritableKeyPath<CompliancePolicy, Int>)] = [
            ("maxCallsPerWeek", \.maxCallsPerWeek), ("postConversationDays", \.postConversationDays),
            ("consentDays", \.consentDays), ("repeatCallSeconds", \.repeatCallSeconds),
            ("redFlagCallsPerNumberPerDay", \.redFlagCallsPerNumberPerDay), ("voicemailsPerDay", \.voicemailsPerDay),
            ("textsPerDay", \.textsPerDay), ("textsPerWeek", \.textsPerWeek), ("emailsPerDay", \.emailsPerDay),
            ("massachusettsPerWeek", \.massachusettsPerWeek),
        ]
        for (key, path) in integers {
            if let value = try reader.optionalInt(key) { policy[keyPath: path] = value }
        }
        if reader.has("contactWindow") {
            let window = try reader.child("contactWindow")
            try window.requireObject()
            policy.contactWindow = ContactWindow(
                opens: try window.optionalTime("opens") ?? policy.contactWindow.opens,
                closes: try window.optionalTime("closes") ?? policy.contactWindow.closes)
        }
        if let problem = policy.problem() { throw reader.error(problem) }
        self = policy
    }
}
