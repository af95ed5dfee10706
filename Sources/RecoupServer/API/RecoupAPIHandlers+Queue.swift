import Foundation
import RecoupAPI
import RecoupCore
import RecoupStore
import Vapor

// The work queue (`WorkQueue`): the list, the tasks, claiming and recording a call's outcome. The signed-in user is
// the collector; `client` narrows the user's scope to one client (another client's answers 404).
extension RecoupAPIHandlers {
    func getQueue(_ input: Operations.GetQueue.Input) async throws -> Operations.GetQueue.Output {
        let request = try APIContext.current()
        let settings = request.application.settings
        let now = settings.clock()
        let list = try await WorkQueue.items(
            collector: request.recoupUser?.email,
            scope: try await QueueScope.of(request, client: input.query.client), now: now,
            zone: settings.businessTimeZone, limit: input.query.limit ?? WorkQueue.defaultLimit, on: request.db)
        return .ok(.init(body: .json(.init(list, now: now))))
    }

    func listQueueTasks(_ input: Operations.ListQueueTasks.Input) async throws -> Operations.ListQueueTasks.Output {
        let request = try APIContext.current()
        let tasks = try await WorkQueue.tasks(
            scope: try await QueueScope.of(request, client: input.query.client), limit: input.query.limit ?? 100,
            on: request.db)
        return .ok(.init(body: .json(.init(items: tasks.map(Components.Schemas.QueueTask.init)))))
    }

    func claimNextInQueue(_ input: Operations.ClaimNextInQueue.Input) async throws -> Operations.ClaimNextInQueue.Output
    {
        let request = try APIContext.current()
        let result = try await QueueScope.claim(
            request, debtID: nil, client: input.query.client, minutes: input.query.minutes)
        switch result {
        case .claimed(let claim):
            return .ok(.init(body: .json(.init(claim, now: request.application.settings.clock()))))
        case .taken(let by, let until):
            return .conflict(.init(body: .json(QueueScope.takenError(by: by, until: until))))
        case .unavailable(let why):
            return .conflict(.init(body: .json(.init(error: .init(code: "nothing_to_claim", message: why)))))
        }
    }

    func claimQueueItem(_ input: Operations.ClaimQueueItem.Input) async throws -> Operations.ClaimQueueItem.Output {
        let request = try APIContext.current()
        let debt = try await DebtLookup.debt(input.path.id, request: request)
        let result = try await QueueScope.claim(request, debtID: debt.id, client: nil, minutes: input.query.minutes)
        switch result {
        case .claimed(let claim):
            return .ok(.init(body: .json(.init(claim, now: request.application.settings.clock()))))
        case .taken(let by, let until):
            return .conflict(.init(body: .json(QueueScope.takenError(by: by, until: until))))
        case .unavailable(let why):
            return .conflict(.init(body: .json(.init(error: .init(code: "not_callable", message: why)))))
        }
    }

    func recordQueueOutcome(
        _ input: Operations.RecordQueueOutcome.Input
    ) async throws -> Operations.RecordQueueOutcome.Output {
        let request = try APIContext.current()
        let debt = try await DebtLookup.debt(input.path.id, request: request)
        guard case .json(let body) = input.body else { throw APIInput.missingBody }
        guard let outcome = CallOutcome(rawValue: body.outcome.rawValue) else {
            throw UserFacingError.badRequest("outcome \"\(body.outcome.rawValue)\" is not a call outcome")
        }
        let callback = try body.callbackAt.map { text in
            guard let instant = ISO8601Instant.parse(text) else {
                throw UserFacingError.badRequest(
                    "callbackAt \"\(text)\" is not an instant; give one such as 2026-12-01T15:00:00Z")
            }
            return instant
        }
        let settings = request.application.settings
        let result = try await WorkQueue.recordOutcome(
            debtID: debt.id, outcome: outcome, note: body.note, to: body.to, callbackAt: callback,
            collector: try request.requireUser().email, scope: request.scope, now: settings.clock(),
            zone: settings.businessTimeZone, on: request.db)
        switch result {
        case .done(.recorded(let id, let entry, let decision, let items)):
            return .created(
                .init(
                    body: .json(
                        .init(
                            recorded: true, id: String(id), event: .init(entry),
                            decision: Nullable(decision.map { Components.Schemas.Decision($0) }),
                            workItems: items.map { String($0) }))))
        case .done(.blocked(let decision)):
            let reason = decision.findings.first { $0.effect == .block }?.reason ?? "the call is not allowed now"
            return .conflict(
                .init(
                    body: .json(
                        .init(
                            value1: .init(error: .init(code: "blocked", message: reason)),
                            value2: .init(decision: .init(decision))))))
        case .done(.taken(let by, let until)):
            return .conflict(
                .init(body: .json(.init(value1: QueueScope.takenError(by: by, until: until), value2: .init()))))
        case .repeated:
            // The API sends no form id: a use case run without one is never a repeat.
            throw UserFacingError.badRequest("the outcome was already recorded")
        }
    }
}

/// What the API, the page and the command line share about a queue request.
enum QueueScope {
    /// The user's scope, narrowed to `client` when one is named (404 for a client outside it).
    static func of(_ request: Request, client: String?) async throws -> ClientScope {
        guard let ref = APIInput.nonEmpty(client) else { return request.scope }
        try request.requireClient(ref)
        return try await ClientDirectory.scope(clientRef: ref, on: request.db)
    }

    /// Claims for the signed-in user: the debt's debtor, or the next in their queue (within `client`).
    static func claim(
        _ request: Request, debtID: Int64?, client: String?, minutes: Int?
    ) async throws -> QueueClaimResult {
        let minutes = minutes ?? Int(WorkQueue.defaultClaimDuration / 60)
        guard (1...Int(WorkQueue.maxClaimDuration / 60)).contains(minutes) else {
            throw UserFacingError.badRequest(
                "minutes is \(minutes); a claim lasts 1 to \(Int(WorkQueue.maxClaimDuration / 60)) minutes")
        }
        let settings = request.application.settings
        return try await WorkQueue.claim(
            debtID: debtID, collector: try request.requireUser().email, scope: try await of(request, client: client),
            now: settings.clock(), zone: settings.businessTimeZone, for: TimeInterval(minutes * 60), on: request.db)
    }

    static func takenError(by: String, until: Date) -> Components.Schemas._Error {
        .init(
            error: .init(
                code: "claimed", message: "\(by) holds this debtor until \(ISO8601Instant.format(until))"))
    }

    /// The debtor's time at `now` in `zone`, ISO 8601 with the zone's offset: `2026-12-01T10:15:00-05:00`.
    static func localTime(_ now: Date, in zone: TimeZone) -> String {
        let offset = zone.secondsFromGMT(for: now)
        let seconds = Int(now.timeIntervalSince1970.rounded(.down)) + offset
        let day = LocalDate(localSecondsSinceEpoch: seconds)
        let second = seconds - day.daysSinceEpoch * 86_400
        func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let sign = offset < 0 ? "-" : "+"
        return "\(day.isoString)T\(pad(second / 3600)):\(pad(second % 3600 / 60)):\(pad(second % 60))"
            + "\(sign)\(pad(abs(offset) / 3600)):\(pad(abs(offset) % 3600 / 60))"
    }
}

extension Components.Schemas.QueueList {
    init(_ list: QueueList, now: Date) {
        self.init(
            asOf: list.today.isoString, items: list.items.map { .init($0, now: now) }, examined: list.examined,
            complete: list.isComplete)
    }
}

extension Components.Schemas.QueueDebt {
    init(_ debt: QueueDebt) {
        self.init(
            id: String(debt.id), ref: debt.ref, balance: APIMoney(debt.currency)(debt.balance),
            currency: debt.currency.code, dueDate: debt.dueOn.isoString)
    }
}

extension Components.Schemas.QueueItem {
    init(_ item: QueueItem, now: Date) {
        self.init(
            id: String(item.debt.id), reason: .init(rawValue: item.reason.rawValue) ?? .callDue,
            sentence: item.sentence, talkingPoints: item.talkingPoints,
            action: item.action == .voicemail ? .voicemail : .call, client: item.clientRef,
            clientName: item.clientName,
            debtor: .init(
                ref: item.debtorRef, name: item.debtorName, kind: .init(rawValue: item.debtorKind.rawValue) ?? .consumer
            ),
            debt: .init(item.debt), daysPastDue: item.daysPastDue, otherDebts: item.otherDebts.map { .init($0) },
            withheldDebts: item.withheldDebts.map { .init(value1: .init($0.debt), value2: .init(reason: $0.reason)) },
            phone: .init(number: item.phone.number, _type: .init(rawValue: item.phone.type.rawValue) ?? .other),
            timeZone: item.zone.identifier, zoneKnown: item.zoneIsKnown,
            localTime: QueueScope.localTime(now, in: item.zone), decision: .init(item.decision),
            workItemId: Nullable(item.workItemID.map { String($0) }),
            claimedUntil: Nullable(item.claimedUntil.map(ISO8601Instant.format)),
            lastContact: Nullable(item.lastContact.map { Components.Schemas.ContactEvent($0.entry) }))
    }
}

extension Components.Schemas.QueueClaim {
    init(_ claim: RecoupStore.QueueClaim, now: Date) {
        self.init(
            workItemId: String(claim.workItemID), claimedBy: claim.collector,
            claimedUntil: ISO8601Instant.format(claim.until), item: .init(claim.item, now: now))
    }
}

extension Components.Schemas.QueueTask {
    init(_ task: RecoupStore.QueueTask) {
        self.init(
            id: String(task.id), kind: .init(rawValue: task.kind) ?? .legalReview, reason: task.reason,
            dueDate: task.dueOn.isoString, debtId: String(task.debtID), debtRef: task.debtRef, client: task.clientRef,
            clientName: task.clientName, debtorRef: task.debtorRef, debtorName: task.debtorName)
    }
}
