import Foundation
import RecoupAPI
import RecoupCore
import RecoupStore
import Vapor

// Debts and their contact history.
extension RecoupAPIHandlers {
    func listDebts(_ input: Operations.ListDebts.Input) async throws -> Operations.ListDebts.Output {
        let request = try APIContext.current()
        let query = input.query
        let filter = try DebtLookup.filter(
            DebtLookup.Query(
                limit: query.limit.map(String.init), cursor: query.cursor, status: query.status?.rawValue,
                client: query.client, bucket: query.bucket?.rawValue, segment: query.segment?.rawValue, q: query.q),
            request: request)
        let page = try await DebtQueries.list(filter, scope: request.scope, on: request.db)
        let segments = try await request.segments(of: page.items)
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: page.items.map { .init($0, today: filter.today, segment: segments[$0.id]) },
                        next: Nullable(page.next.map { String($0) })))))
    }

    func getDebt(_ input: Operations.GetDebt.Input) async throws -> Operations.GetDebt.Output {
        let request = try APIContext.current()
        let debt = try await DebtLookup.debt(input.path.id, request: request)
        let ledger = try await DebtQueries.ledger(of: debt, on: request.db)
        let events = try await ContactStore.events(of: debt, on: request.db)
        let segment = try await request.segments(of: [debt])[debt.id]
        let money = { (units: Int64) in DecimalText(Money.decimalString(minorUnits: units, currency: debt.currency)) }
        let detail = Components.Schemas.DebtDetail(
            value1: .init(debt, today: request.application.settings.today, segment: segment),
            value2: .init(
                ledger: ledger.entries.map { entry in
                    Components.Schemas.LedgerLine(
                        kind: .init(rawValue: entry.kind.rawValue) ?? .adjustment,
                        effectiveOn: entry.effectiveDate.isoString,
                        amount: money(entry.amount), principal: money(entry.effect.principal),
                        interest: money(entry.effect.interest), fees: money(entry.effect.fees),
                        key: entry.idempotencyKey)
                },
                contacts: events.map { Components.Schemas.ContactEvent($0.entry) },
                placements: try await PlacementStore.placements(debtID: debt.id, on: request.db).map {
                    Components.Schemas.Placement($0)
                }))
        return .ok(.init(body: .json(detail)))
    }

    /// The body is read from its raw bytes by Core's contact-event intake (only the members an event's type uses,
    /// each with a documented value); `ContactStore.record` checks an outbound attempt first and refuses a blocked
    /// one with 409 and the decision, recording nothing.
    func recordContact(_ input: Operations.RecordContact.Input) async throws -> Operations.RecordContact.Output {
        let request = try APIContext.current()
        let debt = try await DebtLookup.debt(input.path.id, request: request)
        guard let object = (try? JSONValue.parse(try APIContext.rawBody()))?.objectValue else {
            throw UserFacingError.badRequest("the body is not a JSON object such as {\"type\": \"call\", \"at\": …}")
        }
        let entry = try ContactEventIntake.entry(object)
        let settings = request.application.settings
        let result = try await ContactStore.record(
            entry, about: debt, recordedBy: request.recoupUser?.email, on: request.db, now: settings.clock(),
            zone: settings.businessTimeZone)
        switch result {
        case .blocked(let decision):
            let reason = decision.findings.first { $0.effect == .block }?.reason ?? "the contact is not allowed now"
            return .conflict(
                .init(
                    body: .json(
                        .init(
                            value1: .init(error: .init(code: "blocked", message: reason)),
                            value2: .init(decision: .init(decision))))))
        case .recorded(let id, let entry, let decision):
            return .created(
                .init(
                    body: .json(
                        .init(
                            recorded: true, id: String(id), event: Components.Schemas.ContactEvent(entry),
                            decision: Nullable(decision.map { Components.Schemas.Decision($0) })))))
        }
    }
}

extension Components.Schemas.DebtItem {
    init(_ debt: DebtSummary, today: LocalDate, segment: SegmentDecision?) {
        self.init(
            id: String(debt.id), ref: debt.ref, client: debt.clientRef,
            debtor: .init(
                ref: debt.debtorRef, name: debt.debtorName, kind: .init(rawValue: debt.debtorKind) ?? .consumer),
            balance: DecimalText(Money.decimalString(minorUnits: debt.balance, currency: debt.currency)),
            currency: debt.currency.code, dueDate: debt.dueOn.isoString, daysPastDue: today.days(since: debt.dueOn),
            segment: Nullable(segment.flatMap { Components.Schemas.Segment(rawValue: $0.segment.rawValue) }),
            segmentReason: Nullable(segment?.explanation), status: debt.isOpen ? .open : .closed,
            disputed: debt.disputed)
    }
}
