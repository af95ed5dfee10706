import FluentKit
import Foundation
import RecoupCore
import SQLKit

/// What running a step by hand did.
public enum StepByHand: Sendable, Equatable {
    /// Recorded: the message is in the outbox, the call in the queue, the task opened.
    case done(RunAction)
    /// The compliance engine (or the message check) refused it: nothing was recorded.
    case blocked(RunBlockedAction)
}

/// The steps a person may run by hand for a debt: those of the track its strategy puts it on today.
public struct DebtTrack: Sendable, Equatable {
    public var strategyName: String
    public var strategyVersion: Int
    public var trackName: String?
    public var steps: [StrategyStep]
    /// The steps done (or skipped) for the debt: step id and occurrence, with the day each fell on.
    public var done: [StepOccurrence]
    /// The keys (`step#occurrence`) of `done` that were skipped, not done.
    public var skipped: Set<String>

    /// The day of the latest step done (or skipped): the strategy never goes back to a step that falls before it,
    /// so a step of an earlier day with nothing recorded was passed over (the run records only the steps passed over
    /// on the day of the step it does).
    public var floor: LocalDate? { done.map(\.scheduledOn).max() }
}

extension RunStore {
    /// The debt's track today (`now` in `zone`) under the strategy in force for its client, with the steps done.
    public static func track(
        debtID: Int64, on database: any Database, now: Date, zone: TimeZone
    ) async throws
        -> DebtTrack?
    {
        let sql = database as! any SQLDatabase
        guard let (debt, facts, segment) = try await byHandFacts(debtID: debtID, now: now, zone: zone, sql: sql) else {
            return nil
        }
        let strategy = RunStrategy(try await StrategyStore.active(clientID: debt.clientID, sql: sql))
        let (done, skipped) = try await doneSteps(debtID: debtID, sql: sql)
        let debtFacts = strategyFacts(debt, facts: facts, segment: segment, asOf: LocalDate(now, in: zone), zone: zone)
        guard let index = strategy.strategy.trackIndex(for: debtFacts, asOf: LocalDate(now, in: zone)) else {
            return DebtTrack(
                strategyName: strategy.strategy.name, strategyVersion: strategy.version, trackName: nil, steps: [],
                done: done, skipped: skipped)
        }
        let track = strategy.strategy.tracks[index]
        return DebtTrack(
            strategyName: strategy.strategy.name, strategyVersion: strategy.version,
            trackName: track.name ?? "track \(index + 1)", steps: track.steps, done: done, skipped: skipped)
    }

    /// Runs the step `stepID` of the debt's track now, by hand, as the daily run would (the whole use case in one
    /// transaction): the same compliance check (from `now` on, today in the debtor's zone), the same message
    /// rendering, check and outbox, the same work items. A step already done may be run again: each run by hand is
    /// its own occurrence (-1, -2, …), so it never takes the place of the run's. A debt with nothing owed, or placed
    /// with an agency, is refused with a sentence (`StoreError.invalid`); an unknown step too.
    public static func runStep(
        _ stepID: String, debtID: Int64, by: String?, publicURL: String?, on database: any Database, now: Date,
        zone: TimeZone
    ) async throws -> StepByHand {
        switch try await runStep(
            stepID, debtID: debtID, by: by, publicURL: publicURL, once: nil, on: database, now: now, zone: zone)
        {
        case .done(let result): return result
        case .repeated: throw StoreError.invalid("the step was run already")
        }
    }

    /// `runStep(…)` for a form (`submission`, the debt page's): the form's id is claimed in the step's own
    /// transaction, so the same form sent twice runs the step once; a step the rules refuse gives the id back.
    public static func runStep(
        _ stepID: String, debtID: Int64, by: String?, publicURL: String?, once submission: FormSubmission?,
        on database: any Database, now: Date, zone: TimeZone
    ) async throws -> OnceOnly<StepByHand> {
        let clients = try await clientFacts(on: database)
        return try await PaymentStore.serializedTransaction(database) { sql in
            if let submission,
                let earlier = try await FormSubmissions.claim(submission, kind: "step", now: now, sql: sql)
            {
                return .repeated(earlier)
            }
            guard let (debt, facts, segment) = try await byHandFacts(debtID: debtID, now: now, zone: zone, sql: sql)
            else {
                throw StoreError.invalid("nothing is owed on this debt today: there is no step to run")
            }
            if let agency = try await sql.raw(
                "SELECT agency FROM placements WHERE debt_id = \(bind: debtID) AND recalled_on IS NULL"
            ).first() {
                throw StoreError.invalid(
                    "the debt is placed with \(try agency.decode(column: "agency", as: String.self)): recall it first")
            }
            let today = LocalDate(now, in: zone)
            let strategy = RunStrategy(try await StrategyStore.active(clientID: debt.clientID, sql: sql))
            let debtFacts = strategyFacts(debt, facts: facts, segment: segment, asOf: today, zone: zone)
            guard let trackIndex = strategy.strategy.trackIndex(for: debtFacts, asOf: today),
                let step = strategy.strategy.tracks[trackIndex].steps.first(where: { $0.id == stepID })
            else {
                throw StoreError.invalid("the debt's track has no step \"\(stepID)\"")
            }
            let earlier = try await sql.raw(
                """
                SELECT MIN(occurrence) AS low FROM strategy_actions WHERE debt_id = \(bind: debtID) \
                AND step_id = \(bind: stepID) AND occurrence < 0
                """
            ).first()?.decode(column: "low", as: Int?.self)
            let occurrence = min(earlier ?? 0, 0) - 1
            var request = RunRequest(asOf: today, defaultStrategy: strategy, zone: zone)
            request.startedBy = by
            request.publicURL = publicURL
            request.notBefore = now
            let context = ChunkContext(
                request: request, clientID: debt.clientID, clients: clients, excludedClients: [], runID: nil, now: now,
                templates: try await TemplateStore.book(sql: sql))
            var worker = ChunkWorker(context: context, chunk: 0, sql: sql)
            worker.queued = try await ChunkWorker.queuedContacts(
                debtorIDs: SQLQueryString.boundList([debt.key.debtorID]), sql: sql)
            let planned = ChunkWorker.Planned(
                debt: debt, segment: segment,
                plan: StepPlan(
                    track: trackIndex, step: step,
                    occurrence: StepOccurrence(stepID: stepID, occurrence: occurrence, scheduledOn: today), skipped: []),
                strategy: strategy)
            let profile = facts.profiles[debt.key.debtorID] ?? DebtorContactProfile(kind: debt.key.debtorKind)
            var asked = Set<Int64>()
            if let channel = step.messageChannel {
                try await worker.message(
                    [planned], lead: planned, channel: channel, profile: profile, facts: facts, askedForDetails: &asked)
            } else {
                try await worker.single(planned, profile: profile, facts: facts, askedForDetails: &asked)
            }
            if let blocked = worker.output.blocked.first {
                if let submission { try await FormSubmissions.release(submission, sql: sql) }
                return .done(.blocked(blocked))
            }
            guard let action = worker.output.actions.first else {
                throw StoreError.invalid("the step \"\(stepID)\" was not recorded")
            }
            if let submission {
                try await FormSubmissions.complete(submission, result: String(action.id ?? 0), sql: sql)
            }
            return .done(.done(action))
        }
    }

    /// The debt as the run reads it today, its batch's facts and its segment; nil when nothing is owed.
    private static func byHandFacts(
        debtID: Int64, now: Date, zone: TimeZone, sql: any SQLDatabase
    ) async throws -> (ChunkWorker.OpenDebt, SegmentStore.BatchFacts, Segment)? {
        guard
            let row = try await sql.raw("SELECT debtor_id, client_id FROM debts WHERE id = \(bind: debtID)").first()
        else { throw StoreError.invalid("there is no debt \(debtID)") }
        let debtorID = try row.decode(column: "debtor_id", as: Int64.self)
        var request = RunRequest(
            asOf: LocalDate(now, in: zone),
            defaultStrategy: RunStrategy(strategy: Strategy(name: "", tracks: []), id: nil, version: 0), zone: zone)
        request.chunkDebtors = 1
        let context = ChunkContext(
            request: request, clientID: try row.decode(column: "client_id", as: Int64.self), clients: [:],
            excludedClients: [], runID: nil, now: now)
        let worker = ChunkWorker(context: context, chunk: debtorID, sql: sql)
        guard let debt = try await worker.openDebts().first(where: { $0.key.id == debtID }) else { return nil }
        let facts = try await SegmentStore.facts(of: [debt.key], sql: sql)
        let segment =
            SegmentStore.decide([debt.key], facts: facts, asOf: request.asOf, zone: zone)[debtID]?.segment ?? .new
        return (debt, facts, segment)
    }

    private static func strategyFacts(
        _ debt: ChunkWorker.OpenDebt, facts: SegmentStore.BatchFacts, segment: Segment, asOf: LocalDate,
        zone: TimeZone
    ) -> StrategyDebtFacts {
        let key = debt.key
        let profile = facts.profiles[key.debtorID] ?? DebtorContactProfile(kind: key.debtorKind)
        let debtorZone = facts.zones[key.debtorID] ?? zone
        let reversed = Set(
            (facts.ledger[key.id] ?? []).compactMap { $0.kind == "payment_reversal" ? $0.reverses : nil })
        let payments = (facts.ledger[key.id] ?? []).filter {
            $0.kind == "payment" && !reversed.contains($0.key) && $0.on <= asOf
        }.map { ArrangementPayment(on: $0.on, amount: $0.amount, key: $0.key) }
        let state = ChunkWorker.state(
            promises: facts.promises[key.id] ?? [], arrangements: facts.arrangements[key.id] ?? [],
            payments: payments, asOf: asOf)
        let last = (facts.events[key.debtorID] ?? []).last { ChunkWorker.isContact($0.kind) && $0.concerns(key.ref) }
        return StrategyDebtFacts(
            dueOn: debt.dueOn, segment: segment, debtorKind: key.debtorKind, balance: key.balance,
            currency: key.currency, state: state.state,
            lastContactOn: last.map { ContactScheduling.day(of: $0.at, in: debtorZone) },
            contactable: !profile.phones.isEmpty || !profile.emails.isEmpty || !profile.addresses.isEmpty)
    }

    private static func doneSteps(
        debtID: Int64, sql: any SQLDatabase
    ) async throws -> (done: [StepOccurrence], skipped: Set<String>) {
        var done: [StepOccurrence] = []
        var skipped: Set<String> = []
        for row in try await sql.raw(
            """
            SELECT step_id, occurrence, scheduled_on, status FROM strategy_actions WHERE debt_id = \(bind: debtID) \
            ORDER BY scheduled_on, id
            """
        ).all() {
            let occurrence = StepOccurrence(
                stepID: try row.decode(column: "step_id", as: String.self),
                occurrence: try row.decode(column: "occurrence", as: Int.self),
                scheduledOn: LocalDate(daysSinceEpoch: try row.decode(column: "scheduled_on", as: Int.self)))
            done.append(occurrence)
            if try row.decode(column: "status", as: String.self) == "skipped" {
                skipped.insert("\(occurrence.stepID)#\(occurrence.occurrence)")
            }
        }
        return (done, skipped)
    }
}

extension ChunkWorker {
    /// The debtor's history as the compliance engine weighs a new contact: what was recorded, and the messages
    /// already waiting in the outbox, as the contacts they will be at their send times (a second email the same day
    /// is then refused now, not at delivery).
    ///
    /// A waiting message is placed at the start of its local day (the debtor's primary zone): a check weighs the
    /// history as of its own moment, and a message queued for 9:00 must count against the day's limit for a contact
    /// checked at 8:00 too.
    func history(_ debtorID: Int64, _ facts: SegmentStore.BatchFacts) -> [ContactEvent] {
        guard let waiting = queued[debtorID] else { return facts.events[debtorID] ?? [] }
        let zone = facts.zones[debtorID] ?? context.request.zone
        return (facts.events[debtorID] ?? [])
            + waiting.map { event in
                var moved = event
                moved.at = ContactScheduling.startOfDay(ContactScheduling.day(of: event.at, in: zone), in: zone)
                return moved
            }
    }

    /// The queued (or deferred) messages of `debtorIDs` (a bound list) as outbound contact events about their debts.
    static func queuedContacts(debtorIDs: SQLQueryString, sql: any SQLDatabase) async throws -> [Int64: [ContactEvent]]
    {
        var queued: [Int64: [ContactEvent]] = [:]
        for row in try await sql.raw(
            """
            SELECT m.id, m.debtor_id, m.channel, m.recipient, m.send_after, d.ref FROM outbox_messages m \
            LEFT JOIN strategy_actions a ON a.message_id = m.id LEFT JOIN debts d ON d.id = a.debt_id \
            WHERE m.debtor_id IN (\(debtorIDs)) AND m.status IN ('queued', 'sending', 'deferred') ORDER BY m.id
            """
        ).all() {
            let debtorID = try row.decode(column: "debtor_id", as: Int64.self)
            let at = try row.decode(column: "send_after", as: Date.self)
            let recipient = try row.decode(column: "recipient", as: String?.self)
            let ref = try row.decode(column: "ref", as: String?.self)
            let kind: ContactEvent.Kind
            switch try row.decode(column: "channel", as: String.self) {
            case "email": kind = .email(direction: .outbound, to: recipient)
            case "sms": kind = .sms(direction: .outbound, to: recipient)
            default: kind = .letter
            }
            // One event per message: its first debt names it (a message covering several debts is one contact).
            if let last = queued[debtorID]?.last, last.at == at, last.kind == kind { continue }
            queued[debtorID, default: []].append(ContactEvent(kind, at: at, debtIDs: ref.map { [$0] }))
        }
        return queued
    }
}
