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
        let events = try await ContactStore.events(of: debt, on: request.db)
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
        members.append(("contacts", .array(events.map { .raw(ContactEventCodec.json($0.entry)) })))
        return ArrangementsController.json(OrderedJSON.object(members).text)
    }

    /// Records a contact event for the debt (`ContactStore.record`). An outbound call, voicemail, text, email or
    /// letter is checked first: a blocked attempt is refused with 409 and the decision, and nothing is recorded.
    @Sendable
    func recordContact(request: Request) async throws -> Response {
        let debt = try await Self.debt(request)
        guard let buffer = request.body.data else { throw UserFacingError.badRequest("the body must be one contact event") }
        guard let object = (try? JSONValue.parse(Data(buffer.readableBytesView)))?.objectValue else {
            throw UserFacingError.badRequest("the body is not a JSON object such as {\"type\": \"call\", \"at\": …}")
        }
        // Only documented members and values (ContactEventIntake); the store checks the instant and the debts.
        let entry = try ContactEventIntake.entry(object)
        let settings = request.application.settings
        let result = try await ContactStore.record(
            entry, about: debt, recordedBy: request.recoupUser?.email, on: request.db, now: settings.clock(),
            zone: settings.businessTimeZone)
        switch result {
        case .blocked(let decision):
            let blocking: [RuleFinding] = decision.findings.filter { (finding: RuleFinding) in finding.effect == Verdict.block }
            let reason: String = blocking.first?.reason ?? "the contact is not allowed now"
            let error: OrderedJSON = .object([("code", .string("blocked")), ("message", .string(reason))])
            let body: OrderedJSON = .object([("error", error), ("decision", .raw(decision.jsonText))])
            return ArrangementsController.json(body.text, status: .conflict)
        case .recorded(let id, let entry, let decision):
            let body = OrderedJSON.object([
                ("recorded", .bool(true)), ("id", .string(String(id))), ("event", .raw(ContactEventCodec.json(entry))),
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
