import FluentKit
import Foundation
import RecoupCore
import RecoupStore
import Vapor

/// `GET /api/v1/debts`, `GET /api/v1/debts/:id`, `POST /api/v1/debts/:id/contacts` (docs/api.md).
/// Every read goes through the user's client scope: another client's debt answers 404 exactly as a missing one.
struct DebtsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let debts = routes.grouped("debts")
        debts.get(use: list)
        debts.get(":id", use: show)
        debts.on(.POST, ":id", "contacts", body: .collect(maxSize: "64kb"), use: recordContact)
    }

    @Sendable
    func list(request: Request) async throws -> Response {
        let filter = try Self.filter(request)
        let page = try await DebtQueries.list(filter, scope: request.scope, on: request.db)
        let segments = try await request.segments(of: page.items)
        let json = OrderedJSON.object([
            ("items", .array(page.items.map { Self.item($0, today: filter.today, segment: segments[$0.id]) })),
            ("next", page.next.map { .string(String($0)) } ?? .null),
        ])
        return ArrangementsController.json(json.text)
    }

    @Sendable
    func show(request: Request) async throws -> Response {
        let debt = try await Self.debt(request)
        let ledger = try await DebtQueries.ledger(of: debt, on: request.db)
        let events = try await DebtQueries.events(of: debt, on: request.db)
        let money = { (units: Int64) in OrderedJSON.string(Money.decimalString(minorUnits: units, currency: debt.currency)) }
        let segment = try await request.segments(of: [debt])[debt.id]
        guard case .object(var members) = Self.item(debt, today: Self.today(request), segment: segment) else { fatalError("an item is an object") }
        members.append(
            (
                "ledger",
                .array(
                    ledger.entries.map { entry in
                        .object([
                            ("kind", .string(entry.kind.rawValue)), ("effectiveOn", .string(entry.effectiveDate.isoString)),
                            ("amount", money(entry.amount)), ("principal", money(entry.effect.principal)),
                            ("interest", money(entry.effect.interest)), ("fees", money(entry.effect.fees)),
                            ("key", .string(entry.idempotencyKey)),
                        ])
                    })
            ))
        members.append(("contacts", .array(events.map { .raw($0.json) })))
        return ArrangementsController.json(OrderedJSON.object(members).text)
    }

    /// Records a contact event for the debt. An outbound call, voicemail, text, email or letter is checked first: a
    /// blocked attempt is refused with 409 and the decision, and nothing is recorded.
    @Sendable
    func recordContact(request: Request) async throws -> Response {
        let debt = try await Self.debt(request)
        guard let buffer = request.body.data else { throw UserFacingError.badRequest("the body must be one contact event") }
        let raw = String(decoding: buffer.readableBytesView, as: UTF8.self)
        let result = try await ContactRecorder.record(eventJSON: raw, debt: debt, request: request)
        switch result {
        case .blocked(let decision):
            let blocking: [RuleFinding] = decision.findings.filter { (finding: RuleFinding) in finding.effect == Verdict.block }
            let reason: String = blocking.first?.reason ?? "the contact is not allowed now"
            let error: OrderedJSON = .object([("code", .string("blocked")), ("message", .string(reason))])
            let body: OrderedJSON = .object([("error", error), ("decision", .raw(decision.jsonText))])
            return ArrangementsController.json(body.text, status: .conflict)
        case .recorded(let id, let event, let decision):
            let body = OrderedJSON.object([
                ("recorded", .bool(true)), ("id", .string(String(id))), ("event", .raw(event)),
                ("decision", decision.map { .raw($0.jsonText) } ?? .null),
            ])
            return ArrangementsController.json(body.text, status: .created)
        }
    }

    // MARK: Helpers

    static func debt(_ request: Request) async throws -> DebtSummary {
        let key = try ArrangementsController.parameter(request, "id")
        guard let id = Int64(key), let debt = try await DebtQueries.debt(id: id, scope: request.scope, on: request.db) else {
            throw UserFacingError.notFound("there is no debt \(key)")
        }
        return debt
    }

    static func today(_ request: Request) -> LocalDate { request.application.settings.today }
}

extension Request {
    /// The segments of `debts` today, worked out from what is stored now.
    func segments(of debts: [DebtSummary]) async throws -> [Int64: SegmentDecision] {
        let settings = application.settings
        return try await SegmentStore.decisions(for: debts, asOf: settings.today, zone: settings.businessTimeZone, on: db)
    }

    /// Stores the debtor's segments again after a change, so that lists filtered by segment see it at once.
    func refreshSegments(debtorID: Int64) async throws {
        try await refreshSegments(debtorIDs: [debtorID])
    }

    private func refreshSegments(debtorIDs: [Int64]) async throws {
        let settings = application.settings
        try await SegmentStore.refresh(
            debtorIDs: debtorIDs, asOf: settings.today, zone: settings.businessTimeZone, on: db, now: settings.clock())
    }
}

extension DebtsController {

    static func filter(_ request: Request) throws -> DebtFilter {
        // Percent-escapes that do not spell UTF-8 text decode to no value at all: refuse them rather than drop the
        // search and list everything.
        if let query = request.url.query, query.removingPercentEncoding == nil {
            throw UserFacingError.badRequest("the query string is not valid UTF-8 text once its %-escapes are decoded")
        }
        var filter = DebtFilter(today: today(request))
        if let limit = request.query[String.self, at: "limit"] {
            guard let value = Int(limit), (1...500).contains(value) else {
                throw UserFacingError.badRequest("limit is \"\(limit)\"; use 1 to 500")
            }
            filter.limit = value
        }
        if let cursor = request.query[String.self, at: "cursor"], !cursor.isEmpty {
            guard let value = Int64(cursor), value >= 0 else {
                throw UserFacingError.badRequest("cursor is \"\(cursor)\"; use the next value of the previous page")
            }
            filter.after = value
        }
        if let status = request.query[String.self, at: "status"], !status.isEmpty {
            guard status == "open" || status == "closed" else {
                throw UserFacingError.badRequest("status is \"\(status)\"; use open or closed")
            }
            filter.status = status
        }
        if let client = request.query[String.self, at: "client"], !client.isEmpty {
            try request.requireClient(client)
            filter.clientRef = client
        }
        if let bucket = request.query[String.self, at: "bucket"], !bucket.isEmpty {
            guard let value = AgingBucket(rawValue: bucket) else {
                throw UserFacingError.badRequest("bucket is \"\(bucket)\"; use current, 1-30, 31-60, 61-90 or 91+")
            }
            filter.bucket = value
        }
        if let segment = request.query[String.self, at: "segment"], !segment.isEmpty {
            guard let value = Segment(rawValue: segment) else {
                throw UserFacingError.badRequest("segment is \"\(segment)\"; use hardship, avoider, new, disputed or unreachable")
            }
            filter.segment = value
        }
        filter.search = request.query[String.self, at: "q"]
        return filter
    }

    static func item(_ debt: DebtSummary, today: LocalDate, segment: SegmentDecision?) -> OrderedJSON {
        .object([
            ("id", .string(String(debt.id))), ("ref", .string(debt.ref)), ("client", .string(debt.clientRef)),
            (
                "debtor",
                .object([
                    ("ref", .string(debt.debtorRef)), ("name", .string(debt.debtorName)), ("kind", .string(debt.debtorKind)),
                ])
            ),
            ("balance", .string(Money.decimalString(minorUnits: debt.balance, currency: debt.currency))),
            ("currency", .string(debt.currency.code)), ("dueDate", .string(debt.dueOn.isoString)),
            ("daysPastDue", .integer(Int64(today.days(since: debt.dueOn)))),
            ("segment", segment.map { .string($0.segment.rawValue) } ?? .null),
            ("segmentReason", segment.map { .string($0.explanation) } ?? .null),
            ("status", .string(debt.isOpen ? "open" : "closed")), ("disputed", .bool(debt.disputed)),
        ])
    }
}

/// Records contact events for a debt, checking outbound attempts with the compliance engine first.
enum ContactRecorder {
    enum Result {
        case recorded(id: Int64, event: String, decision: Decision?)
        case blocked(Decision)
    }

    static let attemptTypes: Set<String> = ["call", "sms", "email", "letter"]

    /// Records the event for `request`'s user, then stores the debtor's segments again.
    static func record(eventJSON raw: String, debt: DebtSummary, request: Request) async throws -> Result {
        let result = try await record(
            eventJSON: raw, debt: debt, recordedBy: request.recoupUser?.email, on: request.db,
            now: request.application.settings.clock())
        if case .recorded = result { try await request.refreshSegments(debtorID: debt.debtorID) }
        return result
    }

    private static func record(eventJSON raw: String, debt: DebtSummary, recordedBy: String?, on database: any Database, now: Date)
        async throws -> Result
    {
        guard let object = (try? JSONValue.parse(Data(raw.utf8)))?.objectValue else {
            throw UserFacingError.badRequest("the body is not a JSON object such as {\"type\": \"call\", \"at\": …}")
        }
        // Only documented members and values, an instant inside the recording window (ContactEventIntake).
        let checked = try ContactEventIntake.read(object, now: now)
        guard let type = object["type"]?.stringValue, let atText = object["at"]?.stringValue else {
            throw UserFacingError.badRequest("type and at are needed")
        }
        let at = checked.at
        // An attempt about this debt names it unless the body says otherwise.
        var event = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if attemptTypes.contains(type), object["debtIds"] == nil {
            var ids = "{\"debtIds\":["
            appendJSONString(debt.ref, to: &ids)
            event = ids + "]" + (object.isEmpty ? "}" : "," + event.dropFirst())
        }
        let history = try await DebtQueries.allEvents(debtorID: debt.debtorID, on: database)
        let profile = try await DebtQueries.debtorProfileJSON(debtorID: debt.debtorID, on: database)
        // The event must be one the compliance contract knows: check it inside a request.
        let check = try complianceRequest(at: atText, action: "letter", debt: debt, to: nil, purpose: nil, profile: profile, events: history + [event])
        if let problem = Self.problem(in: check) {
            throw UserFacingError.badRequest(problem.replacingOccurrences(of: "events[\(history.count)]", with: "the event"))
        }
        var decision: Decision? = nil
        let direction = object["direction"]?.stringValue ?? "outbound"
        if attemptTypes.contains(type), direction == "outbound" {
            var action = type
            if type == "call", object["outcome"]?.stringValue == "voicemail", object["messageLeft"]?.boolValue == true {
                action = "voicemail"
            }
            let request = try complianceRequest(
                at: atText, action: action, debt: debt, to: object["to"]?.stringValue,
                purpose: object["purpose"]?.stringValue, profile: profile, events: history)
            let verdict = ComplianceEngine.decide(try parse(request), policy: .standard)
            if verdict.verdict == .block { return .blocked(verdict) }
            decision = verdict
        }
        var refs: [String]? = attemptTypes.contains(type) ? [debt.ref] : nil
        if let given = object["debtIds"]?.arrayValue { refs = given.compactMap { $0.stringValue } }
        let id = try await DebtQueries.record(
            event: event, type: type, at: at, debtRefs: refs, debtorID: debt.debtorID, recordedBy: recordedBy, on: database,
            now: now)
        return .recorded(id: id, event: event, decision: decision)
    }

    /// What is wrong with a compliance request, in one sentence, or nil when it reads.
    private static func problem(in text: String) -> String? {
        do {
            _ = try ComplianceRequest(json: Data(text.utf8))
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// What the compliance engine says now about `action` to `to` for this debt, given everything recorded (and the
    /// debtor's profile, when the caller has already read it).
    static func decide(
        action: String, at: Date, to: String?, debt: DebtSummary, profile: String? = nil, history: [String]? = nil,
        on database: any Database
    ) async throws -> Decision {
        var events = history ?? []
        if history == nil { events = try await DebtQueries.allEvents(debtorID: debt.debtorID, on: database) }
        var debtorProfile = profile ?? ""
        if profile == nil { debtorProfile = try await DebtQueries.debtorProfileJSON(debtorID: debt.debtorID, on: database) }
        let text = try complianceRequest(
            at: ISO8601Instant.format(at), action: action, debt: debt, to: to, purpose: nil, profile: debtorProfile,
            events: events)
        return ComplianceEngine.decide(try parse(text), policy: .standard)
    }

    /// The compliance request `text`, or a 400 saying in one sentence what is wrong with it.
    private static func parse(_ text: String) throws -> ComplianceRequest {
        do {
            return try ComplianceRequest(json: Data(text.utf8))
        } catch {
            throw UserFacingError.badRequest("\(error)")
        }
    }

    private static func complianceRequest(
        at: String, action: String, debt: DebtSummary, to: String?, purpose: String?, profile: String, events: [String]
    ) throws -> String {
        var text = "{\"at\":"
        appendJSONString(at, to: &text)
        text += ",\"action\":\"\(action)\",\"debtId\":"
        appendJSONString(debt.ref, to: &text)
        if let to {
            text += ",\"to\":"
            appendJSONString(to, to: &text)
        }
        if let purpose {
            text += ",\"purpose\":"
            appendJSONString(purpose, to: &text)
        }
        text += ",\"debtor\":" + profile + ",\"events\":[" + events.joined(separator: ",") + "]}"
        return text
    }
}
