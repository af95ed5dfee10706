import FluentKit
import Foundation
import RecoupCore
import RecoupStore
import Vapor

/// The debts list (`GET /debts`), a debt's page (`GET /debts/:id`) and recording a contact from it
/// (`POST /debts/:id/contacts`). Server-rendered, usable without JavaScript; every query goes through the user's scope.
struct DebtPagesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("debts", use: list)
        routes.get("debts", ":id", use: show)
        routes.post("debts", ":id", "contacts", use: recordContact)
        routes.post("debts", ":id", "plan", use: proposePlan)
    }

    // MARK: The list

    struct Row: Encodable {
        var id: String
        var ref: String
        var client: String
        var debtor: String
        var balance: String
        var dueDate: String
        var daysPastDue: Int
        var status: String
        var segment: String
        var segmentReason: String
    }

    struct ListContext: Encodable {
        var title = "Debts"
        var userEmail: String?
        var csrf: String?
        var rows: [Row]
        var q: String
        var client: String
        var bucket: String
        var status: String
        var segment: String
        var segments: [Choice]
        var nextURL: String?
        var firstURL: String?
        var buckets: [Choice]
        var statuses: [Choice]
        var showClient: Bool
    }

    struct Choice: Encodable {
        var value: String
        var label: String
        var selected: Bool
    }

    @Sendable
    func list(request: Request) async throws -> View {
        let filter = try DebtLookup.filter(request)
        let page = try await DebtQueries.list(filter, scope: request.scope, on: request.db)
        let segments = try await request.segments(of: page.items)
        let rows = page.items.map { debt in
            Row(
                id: String(debt.id), ref: debt.ref, client: debt.clientRef, debtor: debt.debtorName,
                balance: Money.displayString(minorUnits: debt.balance, currency: debt.currency),
                dueDate: debt.dueOn.isoString,
                daysPastDue: filter.today.days(since: debt.dueOn), status: debt.isOpen ? "open" : "closed",
                segment: segments[debt.id]?.segment.rawValue ?? "", segmentReason: segments[debt.id]?.explanation ?? "")
        }
        var query = URLComponents()
        query.queryItems = [
            ("q", filter.search), ("client", filter.clientRef), ("bucket", filter.bucket?.rawValue),
            ("status", filter.status),
            ("segment", filter.segment?.rawValue), ("limit", request.query[String.self, at: "limit"]),
        ].compactMap { item in item.1.flatMap { $0.isEmpty ? nil : URLQueryItem(name: item.0, value: $0) } }
        let base = query.percentEncodedQuery.map { "/debts?" + $0 } ?? "/debts?"
        let separator = base.hasSuffix("?") ? "" : "&"
        let bucket = filter.bucket?.rawValue ?? ""
        let status = filter.status ?? ""
        let segment = filter.segment?.rawValue ?? ""
        let context = ListContext(
            userEmail: request.recoupUser?.email, csrf: request.csrfToken, rows: rows, q: filter.search ?? "",
            client: filter.clientRef ?? "", bucket: bucket, status: status, segment: segment,
            segments: [Choice(value: "", label: "Any segment", selected: segment.isEmpty)]
                + Segment.allCases.map {
                    Choice(value: $0.rawValue, label: $0.rawValue, selected: segment == $0.rawValue)
                },
            nextURL: page.next.map { base + separator + "cursor=\($0)" }, firstURL: filter.after == nil ? nil : base,
            buckets: [Choice(value: "", label: "Any age", selected: bucket.isEmpty)]
                + AgingBucket.allCases.map {
                    Choice(value: $0.rawValue, label: DashboardController.label($0), selected: bucket == $0.rawValue)
                },
            statuses: [
                Choice(value: "", label: "Open or paid off", selected: status.isEmpty),
                Choice(value: "open", label: "Open", selected: status == "open"),
                Choice(value: "closed", label: "Paid off", selected: status == "closed"),
            ],
            showClient: request.scope == .all)
        return try await request.view.render("debts", context)
    }

    // MARK: One debt

    struct LedgerRow: Encodable {
        var date: String
        var kind: String
        var amount: String
        var principal: String
        var interest: String
        var fees: String
    }

    struct EventRow: Encodable {
        var at: String
        var type: String
        var summary: String
        var recordedBy: String?
    }

    struct Finding: Encodable {
        var rule: String
        var effect: String
        var reason: String
        var citation: String
    }

    struct ProjectionRow: Encodable {
        var date: String
        var total: String
    }

    struct DebtContext: Encodable {
        var title: String
        var userEmail: String?
        var csrf: String?
        var id: String
        var ref: String
        var client: String
        var debtor: String
        var debtorKind: String
        var status: String
        var dueDate: String
        var daysPastDue: Int
        var principal: String
        var interest: String
        var fees: String
        var total: String
        var ledger: [LedgerRow]
        var events: [EventRow]
        var holds: [String]
        var canCall: Bool
        var callVerdict: String
        var callFindings: [Finding]
        var nextCall: String?
        var projection: [ProjectionRow]
        var growth: String
        var message: String?
        var refusal: String?
        var refusalFindings: [Finding]
        var now: String
        var phone: String
        var zone: String
        var today: String
        var planOptions: [String] = []
        var planReasons: [String] = []
        var agreement: String?
        var arrangementRef: String?
        var arrangements: [String] = []
        var segment: String = ""
        var segmentReasons: [String] = []
    }

    @Sendable
    func show(request: Request) async throws -> View {
        try await render(request, debt: try await DebtLookup.debt(request), message: nil, refusal: nil)
    }

    private func render(
        _ request: Request, debt: DebtSummary, message: String?, refusal: Decision?, plan: PlanDraft? = nil
    ) async throws -> View {
        let settings = request.application.settings
        let now = settings.clock()
        let today = LocalDate(now, in: settings.businessTimeZone)
        let ledger = try await DebtQueries.ledger(of: debt, on: request.db)
        let money = { (units: Int64) in Money.displayString(minorUnits: units, currency: debt.currency) }
        let balance = ledger.balance
        // The debtor's whole history decides "can we call now?"; the timeline shows what concerns this debt.
        let contacts = try await ContactStore.contacts(debtorID: debt.debtorID, on: request.db)
        let events = contacts.events.filter { $0.concerns(debt.ref) }
        let phone = contacts.profile.phones.first?.number
        let decision = contacts.decide(.call, at: now, to: phone, debtRef: debt.ref)
        let projection = try await AccrualStore.projection(
            clientRef: debt.clientRef, debtRef: debt.ref, from: today, on: request.db)
        let holdTypes: Set<String> = ["cease", "dispute", "attorney", "bankruptcy", "opt_out"]
        let findings = { (decision: Decision) in
            decision.findings.map {
                Finding(rule: $0.rule.rawValue, effect: $0.effect.rawValue, reason: $0.reason, citation: $0.citation)
            }
        }
        var context = DebtContext(
            title: "Debt \(debt.ref)", userEmail: request.recoupUser?.email, csrf: request.csrfToken,
            id: String(debt.id),
            ref: debt.ref, client: debt.clientName, debtor: debt.debtorName, debtorKind: debt.debtorKind,
            status: debt.isOpen ? "open" : "paid off", dueDate: debt.dueOn.isoString,
            daysPastDue: today.days(since: debt.dueOn),
            principal: money(balance.principal), interest: money(balance.interest), fees: money(balance.fees),
            total: money(balance.total),
            ledger: ledger.entries.sorted { $0.effectiveDate < $1.effectiveDate }.map { entry in
                LedgerRow(
                    date: entry.effectiveDate.isoString,
                    kind: entry.kind.rawValue.replacingOccurrences(of: "_", with: " "),
                    amount: money(entry.amount), principal: money(entry.effect.principal),
                    interest: money(entry.effect.interest),
                    fees: money(entry.effect.fees))
            },
            events: events.reversed().map { event in
                EventRow(
                    at: ISO8601Instant.format(event.at), type: event.type.replacingOccurrences(of: "_", with: " "),
                    summary: Self.summary(of: event.event.kind), recordedBy: event.recordedBy)
            },
            holds: events.filter { holdTypes.contains($0.type) }.map {
                "\($0.type.replacingOccurrences(of: "_", with: " ")) since \(ISO8601Instant.format($0.at))"
            },
            canCall: decision.verdict != .block, callVerdict: decision.verdict.rawValue,
            callFindings: findings(decision),
            nextCall: decision.nextAllowedAt.map(ISO8601Instant.format),
            projection: projection.projection.points.map {
                ProjectionRow(date: $0.date.isoString, total: money($0.total))
            },
            growth: money(projection.projection.growth), message: message,
            refusal: refusal.map { _ in "Refused: the compliance engine blocks this contact." },
            refusalFindings: refusal.map(findings) ?? [],
            now: Self.localInput(now, zone: settings.businessTimeZone), phone: phone ?? "",
            zone: settings.businessTimeZone.identifier, today: today.isoString, planOptions: plan?.options ?? [],
            planReasons: plan?.reasons ?? [], agreement: plan?.agreement, arrangementRef: plan?.ref,
            arrangements: try await Self.arrangements(of: debt, on: request.db))
        if let segment = try await request.segments(of: [debt])[debt.id] {
            context.segment = segment.segment.rawValue
            context.segmentReasons = segment.reasons
        }
        return try await request.view.render("debt", context)
    }

    // MARK: Recording a contact

    struct ContactForm: Content {
        var type: String?
        var outcome: String?
        var direction: String?
        var at: String?
        var to: String?
        var messageLeft: String?
        var csrf: String?
    }

    @Sendable
    func recordContact(request: Request) async throws -> Response {
        let debt = try await DebtLookup.debt(request)
        let form = try request.content.decode(ContactForm.self)
        let zone = request.application.settings.businessTimeZone
        guard let type = form.type, ["call", "sms", "email", "letter", "cease", "dispute"].contains(type) else {
            throw Abort(.badRequest, reason: "choose what happened: call, sms, email, letter, cease or dispute")
        }
        guard let atText = form.at, let at = Self.parseLocal(atText, zone: zone) else {
            throw Abort(.badRequest, reason: "give when it happened as a date and time")
        }
        let direction: ContactDirection = form.direction == "inbound" ? .inbound : .outbound
        let to = form.to.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        let kind: ContactEvent.Kind
        switch type {
        case "call":
            let outcome: CallOutcome = try ContactEventIntake.value(form.outcome ?? "no_answer", field: "outcome")
            kind = .call(
                direction: direction, to: to, outcome: outcome,
                messageLeft: form.messageLeft == "on" || outcome == .voicemail)
        case "sms": kind = .sms(direction: direction, to: to)
        case "email": kind = .email(direction: direction, to: to)
        case "letter": kind = .letter
        case "cease": kind = .cease
        default: kind = .dispute
        }
        let settings = request.application.settings
        let result = try await ContactStore.record(
            ContactLogEntry(ContactEvent(kind, at: at).withNumberRead), about: debt, recordedBy: request.recoupUser?.email,
            on: request.db,
            now: settings.clock(), zone: settings.businessTimeZone)
        switch result {
        case .recorded:
            return try await render(
                request, debt: debt, message: "Recorded: \(type.replacingOccurrences(of: "_", with: " ")).",
                refusal: nil
            )
            .encodeResponse(status: .created, for: request)
        case .blocked(let decision):
            return try await render(request, debt: debt, message: nil, refusal: decision)
                .encodeResponse(status: .conflict, for: request)
        }
    }

    // MARK: Proposing a plan

    struct PlanDraft {
        var options: [String]
        var reasons: [String]
        var agreement: String?
        var ref: String?
    }

    struct PlanForm: Content {
        var amount: String?
        var frequency: String?
        var firstDue: String?
        var option: String?
    }

    /// Proposes a plan for this debt with the client's terms and writes the arrangement and its agreement (proposed:
    /// it becomes active when the debtor accepts it, in the portal or on a recorded call).
    @Sendable
    func proposePlan(request: Request) async throws -> Response {
        let debt = try await DebtLookup.debt(request)
        let form = try request.content.decode(PlanForm.self)
        do {
            guard let option = PlanOption.Kind(rawValue: form.option ?? "installments") else {
                throw InputError("choose installments, extension or settlement")
            }
            let offer = try PlanDrafting.offer(
                amount: form.amount, frequency: form.frequency, firstDue: form.firstDue, currency: debt.currency,
                today: request.application.settings.today)
            let draft = try await PlanDrafting.draft(
                request, clientRef: debt.clientRef, debts: [debt], offer: offer, option: option)
            return try await render(
                request, debt: debt,
                message:
                    "Arrangement \(draft.ref) proposed: the debtor accepts it in the portal or on a recorded call.",
                refusal: nil,
                plan: PlanDraft(
                    options: draft.options, reasons: draft.proposal.reasons, agreement: draft.agreement, ref: draft.ref)
            ).encodeResponse(status: .created, for: request)
        } catch let error as StoreError {
            throw Abort(.badRequest, reason: error.description)
        } catch let error as any AbortError {
            throw error
        } catch {
            throw Abort(.badRequest, reason: "\(error)")
        }
    }

    /// The debt's arrangements, newest first, in a line each.
    static func arrangements(of debt: DebtSummary, on database: any Database) async throws -> [String] {
        try await ArrangementStore.summaries(debtID: debt.id, on: database).map { "\($0.ref): \($0.kind), \($0.state)" }
    }

    // MARK: Helpers

    /// A stored event in a few words: its direction, outcome, channel or place.
    static func summary(of kind: ContactEvent.Kind) -> String {
        let words: [String]
        switch kind {
        case .call(let direction, _, let outcome, _): words = [direction.rawValue, outcome.rawValue]
        case .sms(let direction, _), .email(let direction, _): words = [direction.rawValue]
        case .optOut(let channel, _): words = [channel.rawValue]
        case .inconvenientPlace(let place): words = [place.rawValue]
        default: words = []
        }
        return words.map { $0.replacingOccurrences(of: "_", with: " ") }.joined(separator: ", ")
    }

    /// `YYYY-MM-DDTHH:MM` for a `datetime-local` input.
    static func localInput(_ instant: Date, zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1, parts.hour ?? 0,
            parts.minute ?? 0)
    }

    /// Reads a `datetime-local` value (or an ISO instant) in the business zone.
    static func parseLocal(_ text: String, zone: TimeZone) -> Date? {
        if let instant = ISO8601Instant.parse(text) { return instant }
        let pieces = text.split(whereSeparator: { $0 == "T" || $0 == " " })
        guard pieces.count == 2, let date = try? LocalDate(iso: String(pieces[0])) else { return nil }
        let time = pieces[1].split(separator: ":").compactMap { Int($0) }
        guard time.count >= 2, (0..<24).contains(time[0]), (0..<60).contains(time[1]) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(
            from: DateComponents(year: date.year, month: date.month, day: date.day, hour: time[0], minute: time[1]))
    }
}
