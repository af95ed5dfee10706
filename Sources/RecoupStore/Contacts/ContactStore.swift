import FluentKit
import Foundation
import RecoupCore
import SQLKit
import SQLiteNIO

/// A contact event as stored.
public struct StoredContactEvent: Sendable, Equatable {
    public var id: Int64
    /// The event and what the log keeps with it.
    public var entry: ContactLogEntry
    public var recordedBy: String?
    /// When whoever recorded it means to get back to the debtor; nil when no callback was set.
    public var callbackAt: Date?

    public init(id: Int64, entry: ContactLogEntry, recordedBy: String?, callbackAt: Date? = nil) {
        self.id = id
        self.entry = entry
        self.recordedBy = recordedBy
        self.callbackAt = callbackAt
    }

    /// The event.
    public var event: ContactEvent { entry.event }
    /// When it happened.
    public var at: Date { entry.event.at }
    /// The event type's name (`call`, `consent_revoked`, …).
    public var type: String { ContactEventCodec.typeName(entry.event.kind) }

    /// True when the event is about the debt with this reference (or about all the debtor's debts).
    public func concerns(_ ref: String) -> Bool { entry.event.concerns(ref) }
}

/// What the contact rules weigh for one debtor: their contact profile, their whole history, oldest first, and the
/// debts the client's file marks disputed.
public struct DebtorContacts: Sendable, Equatable {
    public var profile: DebtorContactProfile
    public var events: [StoredContactEvent]
    /// The debtor's debts imported marked disputed, by reference, with the instant each was imported: the dispute
    /// rule holds each from then until a verification about it is sent.
    public var fileDisputes: [String: Date]

    public init(profile: DebtorContactProfile, events: [StoredContactEvent], fileDisputes: [String: Date] = [:]) {
        self.profile = profile
        self.events = events
        self.fileDisputes = fileDisputes
    }

    /// The request the engine answers for `action` at `at` about the debt `debtRef`.
    public func request(
        _ action: ContactAction, at: Date, to: String?, purpose: ContactPurpose = .collection, debtRef: String
    ) -> ComplianceRequest {
        ComplianceRequest(
            at: at, action: action, debtID: debtRef, to: to, purpose: purpose, debtor: profile,
            events: events.map(\.event), disputedInFileSince: fileDisputes[debtRef])
    }

    /// The holds on the debt `debtRef` as of `asOf` (`ContactHolds`), each with the stored events that placed and
    /// released it: exactly those the engine blocks a contact for.
    public func holds(debtRef: String, asOf: Date) -> [DebtHold] {
        ContactHolds.holds(
            of: debtRef, events: events.map(\.event), disputedInFileSince: fileDisputes[debtRef], asOf: asOf
        ).map { hold in
            DebtHold(
                hold: hold, placedBy: hold.placedBy.map { events[$0] }, releasedBy: hold.releasedBy.map { events[$0] })
        }
    }

    /// Whether a collection contact about `debt` may be made at `at`: never when nothing is owed on it (there is
    /// nothing to collect, whatever the rules would allow); otherwise the compliance engine's decision.
    public func collectionAnswer(
        _ action: ContactAction, at: Date, to: String?, debt: DebtSummary, policy: CompliancePolicy = .standard
    ) -> CollectionAnswer {
        guard debt.balance > 0 else { return .nothingOwed(balance: debt.balance) }
        return .decided(decide(action, at: at, to: to, debtRef: debt.ref, policy: policy))
    }

    /// What the compliance engine says about `action` at `at` to `to` about the debt `debtRef`, given this history.
    public func decide(
        _ action: ContactAction, at: Date, to: String?, purpose: ContactPurpose = .collection, debtRef: String,
        policy: CompliancePolicy = .standard
    ) -> Decision {
        ComplianceEngine.decide(request(action, at: at, to: to, purpose: purpose, debtRef: debtRef), policy: policy)
    }
}

/// A hold on a debt with the stored events that placed and released it.
public struct DebtHold: Sendable, Equatable {
    public var hold: ContactHold
    /// The event that placed the hold; nil when the client's file did.
    public var placedBy: StoredContactEvent?
    /// The event that released it; nil while it holds.
    public var releasedBy: StoredContactEvent?

    public init(hold: ContactHold, placedBy: StoredContactEvent?, releasedBy: StoredContactEvent?) {
        self.hold = hold
        self.placedBy = placedBy
        self.releasedBy = releasedBy
    }

    public var kind: ContactHold.Kind { hold.kind }
    public var isActive: Bool { hold.isActive }
}

/// Whether a collection contact about a debt may be made.
public enum CollectionAnswer: Sendable, Equatable {
    /// Nothing is owed (the balance is zero, or a credit): no collection contact.
    case nothingOwed(balance: Int64)
    /// The compliance engine's decision.
    case decided(Decision)
}

/// What recording a contact did.
public enum ContactRecording: Sendable, Equatable {
    /// Stored (with the engine's decision when it was an outbound attempt).
    case recorded(id: Int64, entry: ContactLogEntry, decision: Decision?)
    /// An outbound attempt the engine blocks: nothing was stored.
    case blocked(Decision)
}

/// The contact log: a debtor's contact events and contact profile as values (`ContactEventCodec` is the one codec
/// between a row and an event), the compliance decision on them, and recording a contact as one use case.
public enum ContactStore {
    /// The event types that are attempts to reach the debtor: an outbound one is checked before it is recorded.
    static let attemptTypes: Set<String> = ["call", "sms", "email", "letter"]
    /// The longest note a contact keeps, in characters (the portal's dispute keeps as much).
    public static let maxNoteLength = 4_000
    /// How long after a contact its callback may be set: a year.
    public static let maxCallbackLead: TimeInterval = 366 * 86_400

    // MARK: Reading

    /// Every contact event of the debtor, oldest first (what the engine weighs).
    public static func events(debtorID: Int64, on database: any Database) async throws -> [StoredContactEvent] {
        try await events(debtorID: debtorID, sql: database as! any SQLDatabase)
    }

    /// The debtor's contact events that concern this debt (or all their debts), oldest first.
    public static func events(of debt: DebtSummary, on database: any Database) async throws -> [StoredContactEvent] {
        try await events(debtorID: debt.debtorID, on: database).filter { $0.concerns(debt.ref) }
    }

    /// The debtor as the contact rules see them: kind, recorded zones, phones, emails and addresses.
    public static func profile(debtorID: Int64, on database: any Database) async throws -> DebtorContactProfile {
        try await profile(debtorID: debtorID, sql: database as! any SQLDatabase)
    }

    /// The debtor's profile and whole history.
    public static func contacts(debtorID: Int64, on database: any Database) async throws -> DebtorContacts {
        try await contacts(debtorID: debtorID, sql: database as! any SQLDatabase)
    }

    /// What the compliance engine says now about `action` at `at` to `to` about `debt`, given everything recorded of
    /// its debtor.
    public static func decide(
        _ action: ContactAction, at: Date, to: String?, purpose: ContactPurpose = .collection, debt: DebtSummary,
        on database: any Database
    ) async throws -> Decision {
        try await contacts(debtorID: debt.debtorID, on: database)
            .decide(action, at: at, to: to, purpose: purpose, debtRef: debt.ref)
    }

    // MARK: Recording

    /// Records a contact about `debt`, the whole use case in one transaction: checks the event's instant against the
    /// window around `now` (`ContactEventIntake.check`) and that every debt it names is one of the debtor's; an
    /// attempt (call, text, email, letter) that names no debt is about `debt`; an outbound attempt is decided first
    /// and, when the engine blocks it, not recorded (`.blocked`); then stores it and the debtor's segments again as of
    /// today (`now` in `zone`). Bad input is `StoreError.invalid` with a sentence naming the field.
    ///
    /// A note (`entry.note`) is kept with the event, at most `maxNoteLength` characters; `callbackAt`, when given, is
    /// when the collector means to get back to the debtor: after the contact, within `maxCallbackLead` of it, and
    /// only for a call, text, email or letter (a cease or a dispute stops collection contact).
    public static func record(
        _ entry: ContactLogEntry, about debt: DebtSummary, recordedBy: String?, callbackAt: Date? = nil,
        on database: any Database, now: Date, zone: TimeZone = TimeZone(identifier: "UTC")!
    ) async throws -> ContactRecording {
        try await record(
            entry, debtorID: debt.debtorID, debtRef: debt.ref, recordedBy: recordedBy, callbackAt: callbackAt,
            once: nil, on: database, now: now, zone: zone
        ).value
    }

    /// Records a contact about `debt` sent by a form (`submission`), as `record(_:about:…)` does, once: the
    /// submission's id is recorded with the contact in the same transaction, and a second submission of the same
    /// form records nothing and answers `.repeated` with what the first recorded. A contact the rules refuse
    /// records nothing, the id neither: the corrected form may be sent again.
    public static func record(
        _ entry: ContactLogEntry, about debt: DebtSummary, recordedBy: String?, callbackAt: Date? = nil,
        once submission: FormSubmission, on database: any Database, now: Date,
        zone: TimeZone = TimeZone(identifier: "UTC")!
    ) async throws -> OnceOnly<ContactRecording> {
        try await record(
            entry, debtorID: debt.debtorID, debtRef: debt.ref, recordedBy: recordedBy, callbackAt: callbackAt,
            once: submission, on: database, now: now, zone: zone)
    }

    /// Records a contact of the debtor's that is about no debt in particular unless it names some (the portal's
    /// dispute and preferences); otherwise as `record(_:about:…)`.
    public static func record(
        _ entry: ContactLogEntry, debtorID: Int64, recordedBy: String?, on database: any Database, now: Date,
        zone: TimeZone = TimeZone(identifier: "UTC")!
    ) async throws -> ContactRecording {
        try await record(
            entry, debtorID: debtorID, debtRef: nil, recordedBy: recordedBy, callbackAt: nil, once: nil, on: database,
            now: now, zone: zone
        ).value
    }

    /// `record(_:debtorID:…)` for a form (`submission`, the portal's dispute and preferences): recorded once, as
    /// `record(_:about:…once:…)` is.
    public static func record(
        _ entry: ContactLogEntry, debtorID: Int64, recordedBy: String?, once submission: FormSubmission,
        on database: any Database, now: Date, zone: TimeZone = TimeZone(identifier: "UTC")!
    ) async throws -> OnceOnly<ContactRecording> {
        try await record(
            entry, debtorID: debtorID, debtRef: nil, recordedBy: recordedBy, callbackAt: nil, once: submission,
            on: database, now: now, zone: zone)
    }

    private static func record(
        _ entry: ContactLogEntry, debtorID: Int64, debtRef: String?, recordedBy: String?, callbackAt: Date?,
        once submission: FormSubmission?, on database: any Database, now: Date, zone: TimeZone
    ) async throws -> OnceOnly<ContactRecording> {
        let checked = try checked(entry, debtRef: debtRef, callbackAt: callbackAt, now: now)
        return try await PaymentStore.serializedTransaction(database) { sql in
            if let submission,
                let earlier = try await FormSubmissions.claim(submission, kind: "contact", now: now, sql: sql)
            {
                return .repeated(earlier)
            }
            let recording = try await store(
                checked, debtorID: debtorID, debtRef: debtRef, recordedBy: recordedBy, callbackAt: callbackAt,
                now: now, zone: zone, sql: sql)
            if let submission {
                switch recording {
                case .blocked: try await FormSubmissions.release(submission, sql: sql)
                case .recorded(let id, _, _):
                    try await FormSubmissions.complete(submission, result: String(id), sql: sql)
                }
            }
            return .done(recording)
        }
    }

    /// Records a contact of the debtor's inside the caller's transaction (`sql`), as `record(_:about:…)` does in its
    /// own: the same checks, the engine's decision on an outbound attempt (`.blocked` stores nothing), the event and
    /// the debtor's segments. For a use case that records a contact among other writes (the work queue's outcome).
    static func record(
        _ entry: ContactLogEntry, debtorID: Int64, debtRef: String?, recordedBy: String?, callbackAt: Date?,
        now: Date, zone: TimeZone, sql: any SQLDatabase
    ) async throws -> ContactRecording {
        try await store(
            try checked(entry, debtRef: debtRef, callbackAt: callbackAt, now: now), debtorID: debtorID,
            debtRef: debtRef, recordedBy: recordedBy, callbackAt: callbackAt, now: now, zone: zone, sql: sql)
    }

    /// The entry as it will be stored once its instant, note and callback pass their checks: an attempt that names no
    /// debt is about `debtRef`.
    private static func checked(
        _ entry: ContactLogEntry, debtRef: String?, callbackAt: Date?, now: Date
    ) throws -> ContactLogEntry {
        var entry = entry
        do {
            try ContactEventIntake.check(entry.event, now: now)
        } catch {
            throw StoreError.invalid(error.description)
        }
        let type = ContactEventCodec.typeName(entry.event.kind)
        try checkNoteAndCallback(entry, type: type, callbackAt: callbackAt)
        if attemptTypes.contains(type), entry.event.debtIDs == nil, let debtRef { entry.event.debtIDs = [debtRef] }
        return entry
    }

    /// Stores a checked entry in the caller's transaction: the debts it names must be the debtor's; an outbound
    /// attempt is decided first and not stored when the engine blocks it.
    private static func store(
        _ checked: ContactLogEntry, debtorID: Int64, debtRef: String?, recordedBy: String?, callbackAt: Date?,
        now: Date, zone: TimeZone, sql: any SQLDatabase
    ) async throws -> ContactRecording {
        if let refs = checked.event.debtIDs {
            // An event names debts of its own debtor only: a dispute naming another debtor's debt would block nothing.
            let known = Set(
                try await sql.raw("SELECT ref FROM debts WHERE debtor_id = \(bind: debtorID)").all()
                    .map { try $0.decode(column: "ref", as: String.self) })
            if let (index, ref) = refs.enumerated().first(where: { !known.contains($0.element) }) {
                throw StoreError.invalid("debtIds[\(index)] is \"\(ref)\", which is not one of this debtor's debts")
            }
        }
        var decision: Decision? = nil
        if let (action, to) = outboundAttempt(checked.event.kind) {
            guard let debt = debtRef ?? checked.event.debtIDs?.first else {
                throw StoreError.invalid(
                    "debtIds must name the debt an outbound \(ContactEventCodec.typeName(checked.event.kind)) is about")
            }
            let verdict = try await contacts(debtorID: debtorID, sql: sql)
                .decide(action, at: checked.event.at, to: to, purpose: checked.purpose ?? .collection, debtRef: debt)
            if verdict.verdict == .block { return .blocked(verdict) }
            decision = verdict
        }
        let id = try await insert(
            checked, debtorID: debtorID, recordedBy: recordedBy, callbackAt: callbackAt, now: now, sql: sql)
        try await SegmentStore.refreshAfterChange(debtorIDs: [debtorID], now: now, zone: zone, sql: sql)
        return .recorded(id: id, entry: checked, decision: decision)
    }

    /// Records what releases a hold on `debt` at `at` — a verification sent (a dispute, the file's too), the attorney's
    /// withdrawal, the bankruptcy's dismissal — the whole use case in one transaction: the form's id claimed, the hold
    /// found active (else `invalid`, naming it), the release written about the debts the hold was placed for (a
    /// verification answers this debt's dispute only), the debtor's segments stored again. A form sent again records
    /// nothing and answers `.repeated`.
    public static func releaseHold(
        _ kind: ContactHold.Kind, of debt: DebtSummary, at: Date, recordedBy: String?, once submission: FormSubmission?,
        on database: any Database, now: Date, zone: TimeZone = TimeZone(identifier: "UTC")!
    ) async throws -> OnceOnly<ContactLogEntry> {
        guard let release = kind.release else {
            throw StoreError.invalid("a \(kind.rawValue) hold is not released by recording anything")
        }
        do {
            try ContactEventIntake.check(ContactEvent(release, at: at), now: now)
        } catch {
            throw StoreError.invalid(error.description)
        }
        return try await PaymentStore.serializedTransaction(database) { sql in
            if let submission,
                let earlier = try await FormSubmissions.claim(submission, kind: "contact", now: now, sql: sql)
            {
                return .repeated(earlier)
            }
            let contacts = try await contacts(debtorID: debt.debtorID, sql: sql)
            guard
                let hold = contacts.holds(debtRef: debt.ref, asOf: at).first(where: { $0.kind == kind && $0.isActive })
            else {
                throw StoreError.invalid("there is no \(kind.rawValue) hold on \(debt.ref) to release")
            }
            let debts: [String]? = kind == .dispute ? [debt.ref] : hold.placedBy.map { $0.event.debtIDs } ?? [debt.ref]
            let entry = ContactLogEntry(ContactEvent(release, at: at, debtIDs: debts))
            let id = try await insert(entry, debtorID: debt.debtorID, recordedBy: recordedBy, now: now, sql: sql)
            if let submission { try await FormSubmissions.complete(submission, result: String(id), sql: sql) }
            try await SegmentStore.refreshAfterChange(debtorIDs: [debt.debtorID], now: now, zone: zone, sql: sql)
            return .done(entry)
        }
    }

    /// Refuses a note longer than `maxNoteLength`, and a callback that is not after the contact, is more than
    /// `maxCallbackLead` after it, or comes with anything but a call, text, email or letter; each with one sentence.
    static func checkNoteAndCallback(_ entry: ContactLogEntry, type: String, callbackAt: Date?) throws {
        if let note = entry.note, note.count > maxNoteLength {
            throw StoreError.invalid(
                "the note is \(note.count) characters long; keep it to \(maxNoteLength)")
        }
        guard let callbackAt else { return }
        guard attemptTypes.contains(type) else {
            throw StoreError.invalid(
                "a callback goes with a call, text, email or letter, not a \(type.replacingOccurrences(of: "_", with: " ")): "
                    + "collection contact stops after it")
        }
        guard callbackAt > entry.event.at else {
            throw StoreError.invalid("the callback must be after the contact it follows")
        }
        guard callbackAt.timeIntervalSince(entry.event.at) <= maxCallbackLead else {
            throw StoreError.invalid("the callback must be within a year of the contact")
        }
    }

    /// The action and address of an outbound attempt; nil for anything else. A call that reached voicemail and left
    /// a message is checked as leaving a voicemail.
    static func outboundAttempt(_ kind: ContactEvent.Kind) -> (ContactAction, String?)? {
        switch kind {
        case .call(.outbound, let to, let outcome, let messageLeft):
            (outcome == .voicemail && messageLeft ? .voicemail : .call, to)
        case .sms(.outbound, let to): (.sms, to)
        case .email(.outbound, let to): (.email, to)
        case .letter: (.letter, nil)
        default: nil
        }
    }

    /// Writes one event (already checked) and returns its id.
    static func insert(
        _ entry: ContactLogEntry, debtorID: Int64, recordedBy: String?, callbackAt: Date? = nil, now: Date,
        sql: any SQLDatabase
    ) async throws -> Int64 {
        let event = entry.event
        let row = try await sql.raw(
            """
            INSERT INTO contact_events (debtor_id, type, at, debt_ids, details, recorded_by, created_at, callback_at) \
            VALUES (\(bind: debtorID), \(bind: ContactEventCodec.typeName(event.kind)), \(bind: event.at), \
            \(bind: ContactEventCodec.debtIDsJSON(event.debtIDs)), \(bind: ContactEventCodec.json(entry)), \
            \(bind: recordedBy), \(bind: now), \(bind: callbackAt)) RETURNING id
            """
        ).first()
        return try row!.decode(column: "id", as: Int64.self)
    }

    // MARK: Rows to values

    static func events(debtorID: Int64, sql: any SQLDatabase) async throws -> [StoredContactEvent] {
        var reader = ContactEventCodec.RowReader()
        return try await sql.raw(
            """
            SELECT id, type, at, details, debt_ids, recorded_by, callback_at FROM contact_events \
            WHERE debtor_id = \(bind: debtorID) ORDER BY at, id
            """
        ).all().map { row in try event(from: row, reader: &reader) }
    }

    /// The events of several debtors (`debtorIDs`, a bound list), each with its debtor's id: by debtor, each
    /// debtor's oldest first (the order of the index on debtor and instant, so the database sorts nothing).
    static func events(
        debtorIDs: SQLQueryString, sql: any SQLDatabase
    ) async throws -> [(debtorID: Int64, event: StoredContactEvent)] {
        let rows = try await sql.runRows(
            """
            SELECT debtor_id, id, type, at, details, debt_ids, recorded_by, callback_at FROM contact_events \
            WHERE debtor_id IN (\(debtorIDs))
            """,
            columns: ["debtor_id", "id", "type", "at", "details", "debt_ids", "recorded_by", "callback_at"],
            orderBy: ["debtor_id", "at", "id"]
        )
        // The daily run reads millions of these: a large batch is read on every core, each part in order.
        let parts = min(ProcessInfo.processInfo.activeProcessorCount, rows.count / 2_048)
        guard parts > 1 else {
            var reader = ContactEventCodec.RowReader()
            return try rows.map { try batchEvent(from: $0, reader: &reader) }
        }
        let size = (rows.count + parts - 1) / parts
        return try await withThrowingTaskGroup(of: (Int, [(debtorID: Int64, event: StoredContactEvent)]).self) {
            tasks in
            for part in 0..<parts {
                tasks.addTask {
                    var reader = ContactEventCodec.RowReader()
                    let range = part * size..<min(rows.count, (part + 1) * size)
                    return (part, try rows[range].map { try batchEvent(from: $0, reader: &reader) })
                }
            }
            var decoded = [[(debtorID: Int64, event: StoredContactEvent)]](repeating: [], count: parts)
            for try await (part, events) in tasks { decoded[part] = events }
            return decoded.flatMap { $0 }
        }
    }

    /// One row of `events(debtorIDs:sql:)` with its debtor's id; a collected row is read by place (the columns'
    /// order there).
    private static func batchEvent(
        from row: RunRow, reader: inout ContactEventCodec.RowReader
    ) throws -> (debtorID: Int64, event: StoredContactEvent) {
        guard case .collected(let values) = row else {
            return (try row.int64("debtor_id"), try event(from: row, reader: &reader))
        }
        func text(_ value: SQLiteData) throws -> String? {
            switch value {
            case .null: return nil
            case .text(let text): return text
            default: throw StoreError.invalid("a contact event's column holds \(value) where text belongs")
            }
        }
        guard let debtorID = values[0].integer, let id = values[1].integer, case .text(let type) = values[2],
            let at = Date(sqliteData: values[3]), case .text(let details) = values[4]
        else { return (try row.int64("debtor_id"), try event(from: row, reader: &reader)) }
        do {
            return (
                Int64(debtorID),
                StoredContactEvent(
                    id: Int64(id),
                    entry: try reader.entry(type: type, at: at, debtIDs: try text(values[5]), details: details),
                    recordedBy: try text(values[6]),
                    callbackAt: values[7] == .null ? nil : try row.date("callback_at"))
            )
        } catch let error as ComplianceRequestError {
            throw StoreError.invalid("contact event \(id) cannot be read as stored: \(error)")
        }
    }

    /// A row of `contact_events` read by a batch, as `event(from:reader:)` reads an SQLKit row.
    static func event(from row: RunRow, reader: inout ContactEventCodec.RowReader) throws -> StoredContactEvent {
        let id = try row.int64("id")
        do {
            return StoredContactEvent(
                id: id,
                entry: try reader.entry(
                    type: try row.string("type"), at: try row.date("at"), debtIDs: try row.optionalString("debt_ids"),
                    details: try row.string("details")),
                recordedBy: try row.optionalString("recorded_by"), callbackAt: try row.optionalDate("callback_at"))
        } catch let error as ComplianceRequestError {
            throw StoreError.invalid("contact event \(id) cannot be read as stored: \(error)")
        }
    }

    /// A row of `contact_events` as a value, through `ContactEventCodec`.
    static func event(from row: any SQLRow, reader: inout ContactEventCodec.RowReader) throws -> StoredContactEvent {
        let id = try row.decode(column: "id", as: Int64.self)
        do {
            return StoredContactEvent(
                id: id,
                entry: try reader.entry(
                    type: try row.decode(column: "type", as: String.self),
                    at: try row.decode(column: "at", as: Date.self),
                    debtIDs: try row.decode(column: "debt_ids", as: String?.self),
                    details: try row.decode(column: "details", as: String.self)),
                recordedBy: try row.decode(column: "recorded_by", as: String?.self),
                callbackAt: try row.decode(column: "callback_at", as: Date?.self))
        } catch let error as ComplianceRequestError {
            throw StoreError.invalid("contact event \(id) cannot be read as stored: \(error)")
        }
    }

    /// The profile, the history and the file's disputes in two round trips: the debts the file marks disputed come
    /// with the profile's rows (a union: a third query would cost a decision about a third more end to end).
    static func contacts(debtorID: Int64, sql: any SQLDatabase) async throws -> DebtorContacts {
        let rows = try await sql.raw(
            """
            SELECT p.kind AS debtor_kind, p.time_zones, c.id AS point_id, c.kind, c.value, c.type, c.city, c.state, \
            c.postal_code, c.country, NULL AS debt_ref, NULL AS disputed_at \
            FROM debtors p LEFT JOIN contact_points c ON c.debtor_id = p.id AND c.undeliverable_at IS NULL \
            WHERE p.id = \(bind: debtorID) \
            UNION ALL SELECT p.kind, p.time_zones, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, d.ref, d.created_at \
            FROM debtors p JOIN debts d ON d.debtor_id = p.id WHERE p.id = \(bind: debtorID) AND d.disputed \
            ORDER BY point_id
            """
        ).all()
        guard !rows.isEmpty else { throw StoreError.invalid("there is no debtor \(debtorID)") }
        var fileDisputes: [String: Date] = [:]
        var points: [any SQLRow] = []
        for row in rows {
            if let ref = try row.decode(column: "debt_ref", as: String?.self) {
                fileDisputes[ref] = try row.decode(column: "disputed_at", as: Date.self)
            } else {
                points.append(row)
            }
        }
        // A debtor with disputed debts and no contact points has only the debts' rows: the first still says who.
        return DebtorContacts(
            profile: try profile(debtorID: debtorID, rows: (points.isEmpty ? [rows[0]] : points).map(RunRow.other)),
            events: try await events(debtorID: debtorID, sql: sql), fileDisputes: fileDisputes)
    }

    /// The debts of the debtors (`debtorIDs`, a bound list) that the client's file marks disputed: by debtor, each
    /// debt's reference and the instant it was imported.
    static func fileDisputes(
        debtorIDs: SQLQueryString, sql: any SQLDatabase
    ) async throws -> [Int64: [String: Date]] {
        var disputes: [Int64: [String: Date]] = [:]
        for row in try await sql.raw(
            "SELECT debtor_id, ref, created_at FROM debts WHERE debtor_id IN (\(debtorIDs)) AND disputed"
        ).all() {
            disputes[try row.decode(column: "debtor_id", as: Int64.self), default: [:]][
                try row.decode(column: "ref", as: String.self)] = try row.decode(column: "created_at", as: Date.self)
        }
        return disputes
    }

    /// The debtor's row and contact points, read in one query.
    static func profile(debtorID: Int64, sql: any SQLDatabase) async throws -> DebtorContactProfile {
        let rows = try await sql.raw(
            """
            SELECT p.kind AS debtor_kind, p.time_zones, c.kind, c.value, c.type, c.city, c.state, c.postal_code, \
            c.country \
            FROM debtors p LEFT JOIN contact_points c ON c.debtor_id = p.id AND c.undeliverable_at IS NULL \
            WHERE p.id = \(bind: debtorID) ORDER BY c.id
            """
        ).all()
        guard !rows.isEmpty else { throw StoreError.invalid("there is no debtor \(debtorID)") }
        return try profile(debtorID: debtorID, rows: rows.map(RunRow.other))
    }

    /// The profiles of several debtors (`debtorIDs`, a bound list), read in one query; a debtor whose stored rows do
    /// not read as a profile (`profile(debtorID:on:)` names why) is left out.
    static func profiles(
        debtorIDs: SQLQueryString, sql: any SQLDatabase
    ) async throws -> [Int64: DebtorContactProfile] {
        var rowsByDebtor: [Int64: [RunRow]] = [:]
        for row in try await sql.runRows(
            """
            SELECT p.id AS debtor_id, p.kind AS debtor_kind, p.time_zones, c.id AS point_id, c.kind, c.value, c.type, \
            c.city, c.state, c.postal_code, c.country FROM debtors p \
            LEFT JOIN contact_points c ON c.debtor_id = p.id AND c.undeliverable_at IS NULL \
            WHERE p.id IN (\(debtorIDs))
            """,
            columns: [
                "debtor_id", "debtor_kind", "time_zones", "kind", "value", "type", "city", "state", "postal_code",
                "country", "point_id",
            ],
            orderBy: ["debtor_id", "point_id"]
        ) {
            rowsByDebtor[try row.int64("debtor_id"), default: []].append(row)
        }
        var profiles: [Int64: DebtorContactProfile] = [:]
        for (debtorID, rows) in rowsByDebtor { profiles[debtorID] = try? profile(debtorID: debtorID, rows: rows) }
        return profiles
    }

    /// A profile from the debtor's rows (columns debtor_kind, time_zones and a contact point's, one row each).
    private static func profile(debtorID: Int64, rows: [RunRow]) throws -> DebtorContactProfile {
        let first = rows[0]
        let kindName = try first.string("debtor_kind")
        guard let kind = DebtorKind(rawValue: kindName) else {
            throw StoreError.invalid("debtor \(debtorID) is stored as \"\(kindName)\", neither consumer nor commercial")
        }
        var profile = DebtorContactProfile(kind: kind)
        let zones = try first.string("time_zones").split(separator: ";").map(String.init)
        if !zones.isEmpty {
            if let unknown = zones.first(where: { !DebtorContactProfile.isKnownTimeZone($0) }) {
                throw StoreError.invalid("debtor \(debtorID)'s time zone \"\(unknown)\" is not an IANA time zone")
            }
            profile.timeZones = zones
        }
        for row in rows {
            guard let pointKind = try row.optionalString("kind") else { continue }
            let value = try row.string("value")
            let type = try row.string("type")
            switch pointKind {
            case "phone":
                do {
                    profile.phones.append(try Phone(number: value, type: PhoneType(rawValue: type) ?? .other))
                } catch {
                    throw StoreError.invalid("debtor \(debtorID)'s phone \(error)")
                }
            case "email":
                profile.emails.append(value)
            default:
                profile.addresses.append(
                    PostalAddress(
                        type: type == "work" ? .work : .home, line1: value.isEmpty ? nil : value,
                        city: try row.optionalString("city"), state: try row.optionalString("state")?.uppercased(),
                        postalCode: try row.optionalString("postal_code"),
                        country: try row.optionalString("country")?.uppercased() ?? "US"))
            }
        }
        return profile
    }
}

extension OnceOnly where Value == ContactRecording {
    /// The recording of a use case run without a form id (never a repeat).
    fileprivate var value: ContactRecording {
        get throws {
            switch self {
            case .done(let recording): return recording
            case .repeated: throw StoreError.invalid("a contact recorded without a form id cannot be a repeat")
            }
        }
    }
}
