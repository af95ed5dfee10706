import FluentKit
import Foundation
import RecoupCore
import SQLKit

/// Why a debtor is in the work queue. The order of the cases is the queue's priority (docs/strategies.md, "The work
/// queue"); a broken promise and a broken arrangement rank alike.
public enum QueueReason: String, Sendable, CaseIterable {
    /// A promise to pay falls due today and is not yet kept: a courtesy call.
    case promiseDueToday = "promise_due_today"
    /// A promise that fell due in the last `WorkQueue.followUpDays` days was broken (or only partly kept), and no call
    /// about it has been recorded since.
    case brokenPromise = "broken_promise"
    /// An arrangement broke in the last `WorkQueue.followUpDays` days, and no call about it has been recorded since.
    case brokenArrangement = "broken_arrangement"
    /// The strategy's call or voicemail step is due (an open work item of the daily run).
    case callDue = "call_due"

    /// The rank in the queue's order, 0 first.
    public var rank: Int {
        switch self {
        case .promiseDueToday: 0
        case .brokenPromise, .brokenArrangement: 1
        case .callDue: 2
        }
    }
}

/// A debt as the work queue shows it.
public struct QueueDebt: Sendable, Equatable {
    public var id: Int64
    public var ref: String
    public var currency: Currency
    /// What is owed on it, in minor units.
    public var balance: Int64
    public var dueOn: LocalDate
}

/// One of the debtor's debts that a call now must not be about, with the rule's sentence saying why.
public struct WithheldDebt: Sendable, Equatable {
    public var debt: QueueDebt
    public var reason: String
}

/// A debtor a collector may call now, about their highest-priority debt (`debt`) and the others a call may cover.
public struct QueueItem: Sendable, Equatable {
    /// The debt the item is about: the debtor's highest in the queue's order. Its id names the item to claim and to
    /// record the outcome of.
    public var debt: QueueDebt
    /// The debtor's other open debts with the client that the call may be about too.
    public var otherDebts: [QueueDebt]
    /// The debtor's open debts a call must not be about now (a dispute, an attorney, a bankruptcy).
    public var withheldDebts: [WithheldDebt]
    public var clientRef: String
    public var clientName: String
    public var debtorID: Int64
    public var debtorRef: String
    public var debtorName: String
    public var debtorKind: DebtorKind
    public var reason: QueueReason
    /// Why the debtor is in the queue, in one sentence.
    public var sentence: String
    /// What the collector needs on the call: the exact amounts, the promise or plan, what the client offers, the last
    /// contact, anything the rules say to check first.
    public var talkingPoints: [String]
    /// What the step asks for: a call, or a voicemail.
    public var action: ContactAction
    /// The number to call: the debtor's first that the rules allow now.
    public var phone: Phone
    /// The debtor's zone, as the rules place them (`DebtorTimeZones.primary`), for their local time.
    public var zone: TimeZone
    /// False when nothing says where the debtor is (the rules then allow only hours that suit every US zone).
    public var zoneIsKnown: Bool
    /// The engine's decision on a call now to `phone` about `debt`: allow, or review with what to check.
    public var decision: Decision
    /// The open work item the claim holds: the strategy's call step on `debt`, or the one a claim made; nil when
    /// there is none yet.
    public var workItemID: Int64?
    /// When the claim of the collector asking ends; nil when they hold none.
    public var claimedUntil: Date?
    /// The latest call, text, email or letter about the debt; nil when there was none.
    public var lastContact: StoredContactEvent?
    /// Days past due today (negative before the due date).
    public var daysPastDue: Int
}

/// What `WorkQueue.items` found.
public struct QueueList: Sendable, Equatable {
    public var items: [QueueItem]
    /// The business day the queue is for (`now` in the business zone): promises and steps due by it count.
    public var today: LocalDate
    /// How many debtors were weighed against the rules to find the items.
    public var examined: Int
    /// False when the walk stopped after `WorkQueue.maxExamined` debtors with candidates left (most calls blocked
    /// now, early or late in the debtors' zones): more may be callable further down.
    public var isComplete: Bool
}

/// A task for a person that is not a call: asking the client for contact details, a skip trace, a legal review.
public struct QueueTask: Sendable, Equatable {
    public var id: Int64
    /// `request_contact_details`, `skip_trace` or `legal_review`.
    public var kind: String
    public var reason: String
    public var dueOn: LocalDate
    public var debtID: Int64
    public var debtRef: String
    public var debtorRef: String
    public var debtorName: String
    public var clientRef: String
    public var clientName: String
}

/// A claim held: the work item locked for the collector, and the item it is for.
public struct QueueClaim: Sendable, Equatable {
    public var workItemID: Int64
    public var collector: String
    public var until: Date
    public var item: QueueItem
}

/// What asking for a claim did.
public enum QueueClaimResult: Sendable, Equatable {
    case claimed(QueueClaim)
    /// Another collector holds the debtor until `until`.
    case taken(by: String, until: Date)
    /// There is nothing to claim, in one sentence: the debt is not callable now, or the queue is empty.
    case unavailable(String)
}

/// What recording a call's outcome did.
public enum QueueOutcomeResult: Sendable, Equatable {
    /// The call was recorded (`eventID`) and these work items are done.
    case recorded(eventID: Int64, entry: ContactLogEntry, decision: Decision?, workItemIDs: [Int64])
    /// The rules block this call: nothing was recorded and the claim holds.
    case blocked(Decision)
    /// Another collector holds the debtor: nothing was recorded.
    case taken(by: String, until: Date)
}

/// The collectors' work queue (issue 14, docs/strategies.md "The work queue"): the debtors a collector may call right
/// now, in priority order, each with why and what to say; claiming one locks the debtor for that collector for a
/// while; recording the call's outcome releases it and closes the work. Tasks that are not calls are a list of their
/// own (`tasks`).
///
/// The queue never weighs the whole portfolio: it walks the candidates in priority order, a page at a time ordered
/// and cut by the database — today's promises and the recently broken promises and arrangements (through
/// `promises_due_on` and `arrangements_by_state`), then the open call steps — and asks the compliance engine about
/// each page's debtors (their contact history read in batches, as the run reads it; those in their quiet hours
/// passed over from their profile alone) until `limit` callable debtors are found, or `maxExamined` were weighed.
/// The call steps are read in the queue's order one of two ways: when they are few, all of them with their balances,
/// sorted; when they are many, by walking the debts in balance order (`debts_by_balance`) and keeping those with an
/// open step, each page from where the last stopped (docs/performance.md).
public enum WorkQueue {
    /// Items listed when no limit is given, and the most a request may ask for.
    public static let defaultLimit = 20
    public static let maxLimit = 100
    /// How long a claim lasts unless the collector asks otherwise, and the longest it may.
    public static let defaultClaimDuration: TimeInterval = 15 * 60
    public static let maxClaimDuration: TimeInterval = 4 * 3_600
    /// How many days a broken promise or arrangement waits in the queue for a call about it.
    public static let followUpDays = 30
    /// The most debtors one request weighs against the rules: when nearly every call is blocked (early or late in most
    /// debtors' zones) the walk stops there rather than weigh the whole portfolio.
    public static let maxExamined = 600
    /// The open call steps above which the walk goes along the debts' balance index instead of sorting every step.
    static let walkThreshold = 8_000
    /// The work item kinds that are calls, and those that are tasks.
    public static let callKinds = ["call", "voicemail"]
    public static let taskKinds = ["request_contact_details", "skip_trace", "legal_review"]
    static let callKindList: SQLQueryString = "'call', 'voicemail'"

    // MARK: The queue

    /// The debtors `collector` may call at `now`, at most `limit` (1–`maxLimit`), in the queue's order: a promise due
    /// today, a broken promise or arrangement not yet followed up, a call step due; within each, the larger balance
    /// first, then the older due date. One item per debtor, about their highest debt in that order, listing their
    /// other open debts. A debtor is listed only when the compliance engine allows (or asks to review) a call at `now`
    /// to one of their numbers about that debt, and when no other collector holds a claim on them (a claim of
    /// `collector`'s own is shown with its end; with no collector, every claimed debtor is left out). `zone` is the
    /// business zone: "today" is `now` there.
    public static func items(
        collector: String?, scope: ClientScope, now: Date, zone: TimeZone, limit: Int = defaultLimit,
        on database: any Database
    ) async throws -> QueueList {
        guard (1...maxLimit).contains(limit) else {
            throw StoreError.invalid("limit is \(limit); use 1 to \(maxLimit)")
        }
        return try await search(
            collector: collector.map(normalized), scope: scope, now: now, zone: zone, limit: limit,
            sql: database as! any SQLDatabase
        ).list
    }

    /// The open tasks that are not calls (`taskKinds`), the earliest due first, at most `limit`.
    public static func tasks(
        scope: ClientScope, limit: Int = 100, on database: any Database
    ) async throws -> [QueueTask] {
        guard (1...500).contains(limit) else { throw StoreError.invalid("limit is \(limit); use 1 to 500") }
        let client: SQLQueryString = scope.clientID.map { " AND client_id = \(bind: $0)" } ?? ""
        // The page is cut from the status index first and only its rows joined: joined first, every open task was
        // (50 ms at 10,000 tasks on SQLite, against 1 ms).
        return try await (database as! any SQLDatabase).raw(
            """
            SELECT w.id, w.kind, w.reason, w.due_on, d.id AS debt_id, d.ref AS debt_ref, p.ref AS debtor_ref, \
            p.name AS debtor_name, c.ref AS client_ref, c.name AS client_name FROM (SELECT id FROM work_items \
            WHERE status = 'open' AND kind IN (\(SQLQueryString.boundList(taskKinds)))\(client) \
            ORDER BY due_on, id LIMIT \(bind: limit)) AS page JOIN work_items w ON w.id = page.id \
            JOIN debts d ON d.id = w.debt_id JOIN debtors p ON p.id = w.debtor_id JOIN clients c ON c.id = w.client_id \
            ORDER BY w.due_on, w.id
            """
        ).all().map { row in
            QueueTask(
                id: try row.decode(column: "id", as: Int64.self), kind: try row.decode(column: "kind", as: String.self),
                reason: try row.decode(column: "reason", as: String.self),
                dueOn: LocalDate(daysSinceEpoch: try row.decode(column: "due_on", as: Int.self)),
                debtID: try row.decode(column: "debt_id", as: Int64.self),
                debtRef: try row.decode(column: "debt_ref", as: String.self),
                debtorRef: try row.decode(column: "debtor_ref", as: String.self),
                debtorName: try row.decode(column: "debtor_name", as: String.self),
                clientRef: try row.decode(column: "client_ref", as: String.self),
                clientName: try row.decode(column: "client_name", as: String.self))
        }
    }

    // MARK: Claiming

    /// Claims a debtor for `collector` until `now + duration`: the one the debt `debtID` belongs to, or with nil the
    /// first in `collector`'s queue that nobody holds. The debtor must be in the queue now (callable, for a reason the
    /// queue lists); a debtor another collector holds is `.taken`. The claim locks the open call step of the item's
    /// debt, or a call work item made for it (a promise due today has no step). Claiming again extends one's own
    /// claim; a claim ends by itself at `until`.
    ///
    /// Two collectors never hold the same debtor: on PostgreSQL each claim first locks the debtor's row
    /// (`SELECT … FOR NO KEY UPDATE`, `SKIP LOCKED` when looking for the next, so a debtor being claimed is passed
    /// over), then checks the debtor's open work items for another's claim before it writes its own; on SQLite the
    /// claim is one write transaction (there is one writer) whose update of the item is conditional on it being free.
    public static func claim(
        debtID: Int64?, collector: String, scope: ClientScope, now: Date, zone: TimeZone,
        for duration: TimeInterval = defaultClaimDuration, on database: any Database
    ) async throws -> QueueClaimResult {
        let collector = try checkedCollector(collector)
        guard duration >= 60, duration <= maxClaimDuration else {
            throw StoreError.invalid(
                "a claim lasts 1 to \(Int(maxClaimDuration / 60)) minutes, not \(Int(duration / 60))")
        }
        let sql = database as! any SQLDatabase
        let until = now.addingTimeInterval(duration)
        let today = LocalDate(now, in: zone)
        if let debtID {
            guard let debt = try await debtAndDebtor(debtID, scope: scope, sql: sql) else {
                throw StoreError.invalid("there is no debt \(debtID)")
            }
            let found = try await search(
                collector: collector, scope: scope, now: now, zone: zone, limit: 1, onlyDebtor: debt.debtorID, sql: sql)
            guard let item = found.list.items.first else {
                if let held = found.heldBy { return .taken(by: held.by, until: held.until) }
                return .unavailable(found.why(debtRef: debt.ref, debtorName: debt.debtorName))
            }
            return try await hold(
                item, collector: collector, now: now, until: until, today: today, skipLocked: false, on: database)
                ?? .unavailable("\(item.debtorName) is being claimed by another collector; try again")
        }
        let list = try await search(
            collector: collector, scope: scope, now: now, zone: zone, limit: 25, sql: sql
        ).list
        for item in list.items where item.claimedUntil == nil {
            if let result = try await hold(
                item, collector: collector, now: now, until: until, today: today, skipLocked: true, on: database),
                case .claimed = result
            {
                return result
            }
        }
        return .unavailable("there is nobody in the queue that you may call now")
    }

    /// Locks `item`'s debtor for `collector` in one transaction; nil when, looking for the next, another claim of the
    /// same debtor is under way (its row is locked).
    static func hold(
        _ item: QueueItem, collector: String, now: Date, until: Date, today: LocalDate, skipLocked: Bool,
        on database: any Database
    ) async throws -> QueueClaimResult? {
        try await PaymentStore.serializedTransaction(database) { sql in
            if SQLFlavor(sql) == .postgres {
                let lock = skipLocked ? " SKIP LOCKED" : ""
                let row = try await sql.raw(
                    "SELECT id FROM debtors WHERE id = \(bind: item.debtorID) FOR NO KEY UPDATE\(unsafeRaw: lock)"
                ).first()
                guard row != nil else { return nil }
            }
            let open = try await openItems(debtorIDs: "\(bind: item.debtorID)", sql: sql)[item.debtorID] ?? []
            if let held = open.first(where: { $0.isClaimed(at: now) && $0.claimedBy != collector }),
                let by = held.claimedBy, let heldUntil = held.claimedUntil
            {
                return .taken(by: by, until: heldUntil)
            }
            let step = open.first { $0.debtID == item.debt.id && callKinds.contains($0.kind) }
            let workItemID: Int64
            if let step {
                let rows = try await sql.raw(
                    """
                    UPDATE work_items SET claimed_by = \(bind: collector), claimed_until = \(bind: until) \
                    WHERE id = \(bind: step.id) AND status = 'open' AND (claimed_until IS NULL \
                    OR claimed_until <= \(bind: now) OR claimed_by = \(bind: collector)) RETURNING id
                    """
                ).all()
                guard !rows.isEmpty else {
                    return .unavailable("\(item.debtorName) was claimed by another collector a moment ago")
                }
                workItemID = step.id
            } else {
                // Dated, as the item outlives the day when its claim ends with no call: "today" would then mislead.
                let reason = "Claimed from the work queue on \(today.isoString): \(item.sentence)"
                workItemID = try await sql.raw(
                    """
                    INSERT INTO work_items (kind, debt_id, debtor_id, client_id, reason, due_on, status, claimed_by, \
                    claimed_until, created_at) SELECT 'call', d.id, d.debtor_id, d.client_id, \(bind: reason), \
                    \(bind: today.daysSinceEpoch), 'open', \(bind: collector), \(bind: until), \(bind: now) \
                    FROM debts d WHERE d.id = \(bind: item.debt.id) RETURNING id
                    """
                ).first()!.decode(column: "id", as: Int64.self)
            }
            var held = item
            held.workItemID = workItemID
            held.claimedUntil = until
            return .claimed(QueueClaim(workItemID: workItemID, collector: collector, until: until, item: held))
        }
    }

    // MARK: Recording the outcome

    /// Records the outcome of `collector`'s call about the debt `debtID`, the whole use case in one transaction: the
    /// form's id claimed (when sent by a form); refused as `.taken` when another collector holds the debtor; the call
    /// recorded through the contact log's own path (`ContactStore`: the engine decides first, and a call it blocks is
    /// `.blocked` with nothing written), made now to `to` (or the number the queue offers), about the debt and the
    /// debtor's other open debts the rules allow a call about now; then the debtor's open call steps on those debts
    /// are done (status `done`, the outcome, who and when) and `collector`'s claim on the debtor released. An outcome
    /// recorded with no step open (a promise due today, or without a claim) leaves a done call item of its own, so
    /// every call from the queue is counted.
    public static func recordOutcome(
        debtID: Int64, outcome: CallOutcome, note: String?, to: String? = nil, callbackAt: Date? = nil,
        collector: String, scope: ClientScope, now: Date, zone: TimeZone, once submission: FormSubmission? = nil,
        on database: any Database
    ) async throws -> OnceOnly<QueueOutcomeResult> {
        let collector = try checkedCollector(collector)
        let note = note?.trimmingCharacters(in: .whitespacesAndNewlines)
        return try await PaymentStore.serializedTransaction(database) { sql in
            if let submission,
                let earlier = try await FormSubmissions.claim(submission, kind: "queue-outcome", now: now, sql: sql)
            {
                return .repeated(earlier)
            }
            guard let debt = try await debtAndDebtor(debtID, scope: scope, sql: sql) else {
                throw StoreError.invalid("there is no debt \(debtID)")
            }
            if SQLFlavor(sql) == .postgres {
                // Waits for a claim of the same debtor under way, then sees it.
                _ = try await sql.raw(
                    "SELECT id FROM debtors WHERE id = \(bind: debt.debtorID) FOR NO KEY UPDATE"
                ).first()
            }
            let open = try await openItems(debtorIDs: "\(bind: debt.debtorID)", sql: sql)[debt.debtorID] ?? []
            if let held = open.first(where: { $0.isClaimed(at: now) && $0.claimedBy != collector }),
                let by = held.claimedBy, let until = held.claimedUntil
            {
                if let submission { try await FormSubmissions.release(submission, sql: sql) }
                return .done(.taken(by: by, until: until))
            }
            let contacts = try await ContactStore.contacts(debtorID: debt.debtorID, sql: sql)
            let phones = contacts.profile.phones.map(\.number)
            let typed = to?.trimmingCharacters(in: .whitespaces)
            guard
                let number = typed.flatMap({ $0.isEmpty ? nil : $0 })
                    ?? phones.first(where: {
                        contacts.decide(.call, at: now, to: $0, debtRef: debt.ref).verdict != .block
                    }) ?? phones.first
            else {
                throw StoreError.invalid("\(debt.debtorName) has no phone number on file: give the number called")
            }
            // The call is about the debt and the debtor's other open debts a call may be about now.
            var named = [(debt.id, debt.ref)]
            for row in try await sql.raw(
                """
                SELECT id, ref FROM debts WHERE debtor_id = \(bind: debt.debtorID) AND balance > 0 \
                AND id <> \(bind: debt.id) ORDER BY due_on, id
                """
            ).all() {
                let ref = try row.decode(column: "ref", as: String.self)
                if contacts.decide(.call, at: now, to: number, debtRef: ref).verdict != .block {
                    named.append((try row.decode(column: "id", as: Int64.self), ref))
                }
            }
            let event = ContactEvent(
                .call(direction: .outbound, to: number, outcome: outcome, messageLeft: outcome == .voicemail), at: now,
                debtIDs: named.map(\.1)
            ).withNumberRead
            let recording = try await ContactStore.record(
                ContactLogEntry(event, note: note.flatMap { $0.isEmpty ? nil : $0 }), debtorID: debt.debtorID,
                debtRef: debt.ref, recordedBy: collector, callbackAt: callbackAt, now: now, zone: zone, sql: sql)
            guard case .recorded(let eventID, let entry, let decision) = recording else {
                if let submission { try await FormSubmissions.release(submission, sql: sql) }
                if case .blocked(let decision) = recording { return .done(.blocked(decision)) }
                throw StoreError.invalid("the call could not be recorded")
            }
            var done = try await sql.raw(
                """
                UPDATE work_items SET status = 'done', outcome = \(bind: outcome.rawValue), done_by = \(bind: collector), \
                done_at = \(bind: now), claimed_until = NULL WHERE debtor_id = \(bind: debt.debtorID) \
                AND \(status("status", byDebtor: true, sql)) = 'open' AND kind IN (\(callKindList)) \
                AND debt_id IN (\(SQLQueryString.boundList(named.map(\.0)))) RETURNING id
                """
            ).all().map { try $0.decode(column: "id", as: Int64.self) }
            if done.isEmpty {
                done.append(
                    try await sql.raw(
                        """
                        INSERT INTO work_items (kind, debt_id, debtor_id, client_id, reason, due_on, status, created_at, \
                        done_at, done_by, outcome) SELECT 'call', d.id, d.debtor_id, d.client_id, \
                        'A call recorded from the work queue', \(bind: LocalDate(now, in: zone).daysSinceEpoch), \
                        'done', \(bind: now), \(bind: now), \(bind: collector), \(bind: outcome.rawValue) \
                        FROM debts d WHERE d.id = \(bind: debt.id) RETURNING id
                        """
                    ).first()!.decode(column: "id", as: Int64.self))
            }
            try await sql.raw(
                """
                UPDATE work_items SET claimed_until = NULL WHERE debtor_id = \(bind: debt.debtorID) \
                AND \(status("status", byDebtor: true, sql)) = 'open' AND claimed_by = \(bind: collector)
                """
            ).run()
            if let submission { try await FormSubmissions.complete(submission, result: String(eventID), sql: sql) }
            return .done(.recorded(eventID: eventID, entry: entry, decision: decision, workItemIDs: done.sorted()))
        }
    }

    // MARK: Walking the candidates

    /// A debt that may put its debtor in the queue, before the rules are asked.
    struct Candidate: Sendable {
        var reason: QueueReason
        var debtID: Int64
        var debtRef: String
        var debtorID: Int64
        var currency: Currency
        var balance: Int64
        var dueOn: Int
        var promise: PromiseToPay? = nil
        var arrangement: BrokenArrangement? = nil
    }

    struct BrokenArrangement: Sendable {
        var ref: String
        var brokenOn: LocalDate
        var why: String?
    }

    /// An open work item of a debtor, with its claim.
    struct OpenItem: Sendable {
        var id: Int64
        var debtID: Int64
        var kind: String
        var reason: String
        var claimedBy: String?
        var claimedUntil: Date?
        /// The strategy action the daily run made it for; nil for an item a claim made.
        var actionID: Int64? = nil

        func isClaimed(at now: Date) -> Bool { claimedBy != nil && (claimedUntil.map { $0 > now } ?? false) }
    }

    /// The candidates in the queue's order, a page at a time, each page ordered and cut by the database: today's
    /// promises, then the promises and arrangements broken in the last `followUpDays` days, then the open call steps.
    /// Only the page's rows are read, however many candidates a stage has.
    struct CandidateWalk {
        enum Stage: Int { case today, broken, steps, done }

        let sql: any SQLDatabase
        let today: LocalDate
        /// `AND …` conditions on `debts d` (the scope, one debtor) and the same on `work_items w`.
        let onDebts: SQLQueryString
        let onItems: SQLQueryString
        /// Read every step and sort (few) rather than walk the balance index (many); nil until decided.
        var sortSteps: Bool?
        /// How many open steps make the walk go along the balance index.
        let walkAbove: Int
        var stage = Stage.today
        var offset = 0
        let onlyDebtor: Int64?
        /// The page read last, and how much of it was handed out.
        var page: [Candidate] = []
        var read = 0
        /// Where the walk along the balance index stopped: the next page starts after it.
        var walkedTo: Candidate? = nil
        /// The fewest rows a page reads.
        let pageRows: Int

        init(
            sql: any SQLDatabase, today: LocalDate, scope: ClientScope, onlyDebtor: Int64?, walkAbove: Int,
            pageRows: Int
        ) {
            self.sql = sql
            self.pageRows = pageRows
            self.today = today
            self.walkAbove = walkAbove
            self.onlyDebtor = onlyDebtor
            var onDebts: SQLQueryString = ""
            var onItems: SQLQueryString = ""
            if let client = scope.clientID {
                onDebts += " AND d.client_id = \(bind: client)"
                onItems += " AND w.client_id = \(bind: client)"
            }
            if let debtor = onlyDebtor {
                onDebts += " AND d.debtor_id = \(bind: debtor)"
                onItems += " AND w.debtor_id = \(bind: debtor)"
                sortSteps = true
            }
            self.onDebts = onDebts
            self.onItems = onItems
        }

        /// The next `count` candidates at most, in order across the stages; empty when there are no more.
        mutating func next(_ count: Int) async throws -> [Candidate] {
            var batch: [Candidate] = []
            while batch.count < count {
                if read >= page.count {
                    guard stage != .done else { break }
                    try await readPage(want: count - batch.count)
                    continue
                }
                let end = min(page.count, read + count - batch.count)
                batch += page[read..<end]
                read = end
            }
            return batch
        }

        /// Reads the stage's next `pageRows` candidates, and moves to the next stage when they run short. Each read
        /// of a stage sorts its candidates anew (the steps' walk excepted), hence pages of a few hundred rows.
        mutating func readPage(want: Int) async throws {
            var size = pageRows
            switch stage {
            case .today: page = try await promises(dueToday: true, size, offset: offset)
            case .broken: page = try await promises(dueToday: false, size, offset: offset)
            case .steps:
                // The walk goes on from where it stopped: it reads only what is wanted.
                if try await walksSteps() { size = min(pageRows, max(want, 1)) }
                page = try await steps(size, offset: offset)
            case .done: page = []
            }
            read = 0
            if page.count < size {
                stage = Stage(rawValue: stage.rawValue + 1) ?? .done
                offset = 0
            } else {
                offset += size
            }
        }

        /// The condition of an open call step due by today; `byDebtor` when the debtor's index should find it.
        func dueStep(byDebtor: Bool) -> SQLQueryString {
            "\(status("w.status", byDebtor: byDebtor, sql)) = 'open' AND w.kind IN (\(callKindList)) "
                + "AND w.due_on <= \(bind: today.daysSinceEpoch)"
        }

        /// True when the steps are many (more than `walkAbove`), found by walking the balance index rather than read
        /// and sorted; counted once, up to the threshold only (an index range of `walkAbove` entries at most).
        mutating func walksSteps() async throws -> Bool {
            if sortSteps == nil {
                let open = try await sql.raw(
                    """
                    SELECT COUNT(*) AS n FROM (SELECT 1 FROM work_items w WHERE \(dueStep(byDebtor: false))\(onItems) \
                    LIMIT \(bind: min(walkAbove, Int.max - 1) + 1)) AS steps
                    """
                ).first()!.decode(column: "n", as: Int.self)
                sortSteps = open <= walkAbove
            }
            return sortSteps == false
        }

        /// A page of today's promises, or of the promises and arrangements broken in the last `followUpDays` days,
        /// in the queue's order (of two promises of one debt, the later due first).
        func promises(dueToday: Bool, _ count: Int, offset: Int) async throws -> [Candidate] {
            let day = today.daysSinceEpoch
            let due: SQLQueryString =
                dueToday
                ? "p.due_on = \(bind: day)"
                : "p.due_on >= \(bind: day - followUpDays) AND p.due_on < \(bind: day)"
            var query: SQLQueryString = """
                SELECT p.id AS source_id, p.amount, p.due_on, p.made_on, p.via, NULL AS arrangement_ref, \
                NULL AS state_changed_on, NULL AS state_reason, p.due_on AS source_on, p.debt_id, d.ref, d.debtor_id, \
                d.currency, d.balance, d.due_on AS debt_due_on FROM promises p JOIN debts d ON d.id = p.debt_id \
                WHERE \(due) AND d.balance > 0\(onDebts)
                """
            if !dueToday {
                query += """
                     UNION ALL SELECT a.id, NULL, NULL, NULL, NULL, a.ref, a.state_changed_on, a.state_reason, \
                    a.state_changed_on, ad.debt_id, d.ref, d.debtor_id, d.currency, d.balance, d.due_on \
                    FROM arrangements a JOIN arrangement_debts ad ON ad.arrangement_id = a.id \
                    JOIN debts d ON d.id = ad.debt_id WHERE a.state = 'broken' \
                    AND a.state_changed_on >= \(bind: day - followUpDays) AND a.state_changed_on <= \(bind: day) \
                    AND d.balance > 0\(onDebts)
                    """
            }
            query += """
                 ORDER BY balance DESC, debt_due_on, debt_id, source_on DESC, source_id \
                LIMIT \(bind: count) OFFSET \(bind: offset)
                """
            return try await sql.raw(query).all().map { row in
                if let ref = try row.decode(column: "arrangement_ref", as: String?.self) {
                    var candidate = try Self.candidate(row, reason: .brokenArrangement)
                    candidate.arrangement = BrokenArrangement(
                        ref: ref,
                        brokenOn: LocalDate(daysSinceEpoch: try row.decode(column: "state_changed_on", as: Int.self)),
                        why: try row.decode(column: "state_reason", as: String?.self))
                    return candidate
                }
                var candidate = try Self.candidate(row, reason: dueToday ? .promiseDueToday : .brokenPromise)
                candidate.promise = try PromiseStore.promise(from: row)
                return candidate
            }
        }

        /// A page of the open call steps due by today, in the queue's order.
        mutating func steps(_ count: Int, offset: Int) async throws -> [Candidate] {
            // The status index answers "every open step"; one debtor's steps are found through the debtor's index.
            let one = onlyDebtor != nil
            let query: SQLQueryString
            if try await !walksSteps() {
                query = """
                    SELECT DISTINCT d.id AS debt_id, d.ref, d.debtor_id, d.currency, d.balance, d.due_on AS debt_due_on \
                    FROM work_items w JOIN debts d ON d.id = w.debt_id WHERE \(dueStep(byDebtor: one)) AND d.balance > 0\(onDebts)\(onItems) \
                    ORDER BY d.balance DESC, d.due_on, d.id LIMIT \(bind: count) OFFSET \(bind: offset)
                    """
            } else {
                // Walked on from where the last page stopped (balance down, then due date and id up), not from the
                // start again: the index range begins at that balance.
                var after: SQLQueryString = ""
                if let last = walkedTo {
                    after = """
                         AND d.balance <= \(bind: last.balance) AND (d.balance < \(bind: last.balance) \
                        OR d.due_on > \(bind: last.dueOn) OR (d.due_on = \(bind: last.dueOn) AND d.id > \(bind: last.debtID)))
                        """
                }
                query = """
                    SELECT d.id AS debt_id, d.ref, d.debtor_id, d.currency, d.balance, d.due_on AS debt_due_on \
                    FROM debts d WHERE d.balance > 0\(after)\(onDebts) AND EXISTS (SELECT 1 FROM work_items w \
                    WHERE w.debtor_id = d.debtor_id AND w.debt_id = d.id AND \(dueStep(byDebtor: true))) \
                    ORDER BY d.balance DESC, d.due_on, d.id LIMIT \(bind: count)
                    """
            }
            let page = try await sql.raw(query).all().map { try Self.candidate($0, reason: .callDue) }
            if sortSteps != true { walkedTo = page.last }
            return page
        }

        static func candidate(_ row: any SQLRow, reason: QueueReason) throws -> Candidate {
            Candidate(
                reason: reason, debtID: try row.decode(column: "debt_id", as: Int64.self),
                debtRef: try row.decode(column: "ref", as: String.self),
                debtorID: try row.decode(column: "debtor_id", as: Int64.self),
                currency: try Currency(code: try row.decode(column: "currency", as: String.self)),
                balance: try row.decode(column: "balance", as: Int64.self),
                dueOn: try row.decode(column: "debt_due_on", as: Int.self))
        }
    }

    /// What the walk found, and for a single debtor why they are not listed.
    struct Search {
        var list: QueueList
        /// Another collector's claim on the debtor that kept them out.
        var heldBy: (by: String, until: Date)?
        /// The last decision that blocked a call to the debtor.
        var blocked: Decision?
        /// True when the debtor has no phone on file.
        var noPhone = false

        /// Why the debtor of `debtRef` is not in the queue, in one sentence.
        func why(debtRef: String, debtorName: String) -> String {
            if noPhone { return "\(debtorName) has no phone number on file" }
            if let blocked {
                let reasons = blocked.findings.filter { $0.effect == .block }.map {
                    $0.reason.hasSuffix(".") ? String($0.reason.dropLast()) : $0.reason
                }
                return "a call to \(debtorName) is not allowed now: \(reasons.joined(separator: "; "))"
                    + (blocked.nextAllowedAt.map { " (allowed again from \(ISO8601Instant.format($0)))" } ?? "")
            }
            return "\(debtRef) is not in the queue: \(debtorName) has no promise due today, no broken promise or plan "
                + "waiting for a call, and no call step due"
        }
    }

    /// What is read about the candidates' debtors, a batch at a time.
    struct Facts {
        var contacts: [Int64: DebtorContacts] = [:]
        var unreadable: Set<Int64> = []
        var open: [Int64: [OpenItem]] = [:]
        var payments: [Int64: [ArrangementPayment]] = [:]
        /// The latest day a promise on the debt was made, and the arrangements made for it with their states.
        var promisesMade: [Int64: LocalDate] = [:]
        var plans: [Int64: [(state: String, createdOn: LocalDate)]] = [:]
        var planDebtsRead: Set<Int64> = []
        /// Debtors in their quiet hours now (`isAsleep`): weighed, but their histories are not read.
        var asleep: Set<Int64> = []

        var examined: Int { contacts.count + unreadable.count + asleep.count }

        /// Reads what is missing for `batch`: each new debtor's profile, then for those awake at `awakeAt` (every one
        /// when nil) their history, file disputes and open work items; for their promises, the debts' payments and
        /// later promises; for their arrangements, the debts' other plans.
        mutating func read(_ batch: [Candidate], awakeAt: Date?, sql: any SQLDatabase) async throws {
            let debtorIDs = Set(batch.map(\.debtorID)).filter {
                contacts[$0] == nil && !unreadable.contains($0) && !asleep.contains($0)
            }.sorted()
            if !debtorIDs.isEmpty {
                let profiles = try await ContactStore.profiles(debtorIDs: SQLQueryString.boundList(debtorIDs), sql: sql)
                var awake: [Int64] = []
                for debtorID in debtorIDs {
                    guard let profile = profiles[debtorID] else {
                        unreadable.insert(debtorID)
                        continue
                    }
                    if let awakeAt, isAsleep(profile, at: awakeAt) {
                        asleep.insert(debtorID)
                    } else {
                        awake.append(debtorID)
                    }
                }
                if !awake.isEmpty {
                    let list = SQLQueryString.boundList(awake)
                    var events: [Int64: [StoredContactEvent]] = [:]
                    for (debtorID, event) in try await ContactStore.events(debtorIDs: list, sql: sql) {
                        events[debtorID, default: []].append(event)
                    }
                    let disputes = try await ContactStore.fileDisputes(debtorIDs: list, sql: sql)
                    for debtorID in awake {
                        guard let profile = profiles[debtorID] else { continue }
                        contacts[debtorID] = DebtorContacts(
                            profile: profile, events: events[debtorID] ?? [], fileDisputes: disputes[debtorID] ?? [:])
                    }
                    open.merge(try await openItems(debtorIDs: list, sql: sql)) { first, _ in first }
                }
            }
            var promiseDebts: [(id: Int64, ref: String)] = []
            var seen = Set<Int64>()
            for candidate in batch
            where candidate.promise != nil && payments[candidate.debtID] == nil && contacts[candidate.debtorID] != nil {
                if seen.insert(candidate.debtID).inserted { promiseDebts.append((candidate.debtID, candidate.debtRef)) }
            }
            if !promiseDebts.isEmpty {
                for debt in promiseDebts { payments[debt.id] = [] }
                payments.merge(try await PromiseStore.paymentsByDebt(debts: promiseDebts, since: nil, on: sql)) {
                    _, read in read
                }
                for row in try await sql.raw(
                    """
                    SELECT debt_id, MAX(made_on) AS made FROM promises \
                    WHERE debt_id IN (\(SQLQueryString.boundList(promiseDebts.map(\.id)))) GROUP BY debt_id
                    """
                ).all() {
                    promisesMade[try row.decode(column: "debt_id", as: Int64.self)] = LocalDate(
                        daysSinceEpoch: try row.decode(column: "made", as: Int.self))
                }
            }
            let planDebts = Set(
                batch.filter { $0.arrangement != nil && contacts[$0.debtorID] != nil }.map(\.debtID)
            ).subtracting(planDebtsRead)
            if !planDebts.isEmpty {
                planDebtsRead.formUnion(planDebts)
                for row in try await sql.raw(
                    """
                    SELECT ad.debt_id, a.state, a.created_on FROM arrangements a \
                    JOIN arrangement_debts ad ON ad.arrangement_id = a.id \
                    WHERE ad.debt_id IN (\(SQLQueryString.boundList(planDebts.sorted())))
                    """
                ).all() {
                    plans[try row.decode(column: "debt_id", as: Int64.self), default: []].append(
                        (
                            try row.decode(column: "state", as: String.self),
                            LocalDate(daysSinceEpoch: try row.decode(column: "created_on", as: Int.self))
                        ))
                }
            }
        }
    }

    /// A candidate that passed: the debtor may be called now about it.
    struct Found {
        var candidate: Candidate
        var contacts: DebtorContacts
        var phone: Phone
        var decision: Decision
        var action: ContactAction
        var sentence: String
        var step: OpenItem?
        var claimedUntil: Date?
    }

    /// Walks the candidates in order until `limit` debtors may be called, then describes them.
    static func search(
        collector: String?, scope: ClientScope, now: Date, zone: TimeZone, limit: Int, onlyDebtor: Int64? = nil,
        walkAbove: Int = walkThreshold, pageRows: Int = 500, examineAtMost: Int = maxExamined, sql: any SQLDatabase
    ) async throws -> Search {
        let today = LocalDate(now, in: zone)
        var walk = CandidateWalk(
            sql: sql, today: today, scope: scope, onlyDebtor: onlyDebtor, walkAbove: walkAbove, pageRows: pageRows)
        var facts = Facts()
        var settled = Set<Int64>()
        var found: [Found] = []
        var search = Search(list: QueueList(items: [], today: today, examined: 0, isComplete: true))
        var batchSize = max(2 * limit, 40)
        walking: while found.count < limit {
            if facts.examined >= examineAtMost {
                search.list.isComplete = false
                break
            }
            // A batch of n candidates adds at most n debtors: the walk never weighs more than `examineAtMost`.
            let batch = try await walk.next(min(batchSize, examineAtMost - facts.examined))
            if batch.isEmpty { break }
            batchSize = min(batchSize * 2, 500)
            // A single debtor is weighed in full, so that a claim refused says which rule refuses it.
            try await facts.read(batch, awakeAt: onlyDebtor == nil ? now : nil, sql: sql)
            for candidate in batch where !settled.contains(candidate.debtorID) {
                guard let contacts = facts.contacts[candidate.debtorID] else { continue }
                let open = facts.open[candidate.debtorID] ?? []
                if let held = open.first(where: { $0.isClaimed(at: now) && $0.claimedBy != collector }) {
                    settled.insert(candidate.debtorID)
                    if let by = held.claimedBy, let until = held.claimedUntil { search.heldBy = (by, until) }
                    continue
                }
                let step = open.first { $0.debtID == candidate.debtID && callKinds.contains($0.kind) }
                guard
                    let sentence = reasonSentence(
                        candidate, step: step, facts: facts, contacts: contacts, today: today, zone: zone)
                else { continue }
                let action: ContactAction = step?.kind == "voicemail" ? .voicemail : .call
                guard !contacts.profile.phones.isEmpty else {
                    search.noPhone = true
                    continue
                }
                var allowed: (Phone, Decision)? = nil
                for phone in contacts.profile.phones {
                    let decision = contacts.decide(action, at: now, to: phone.number, debtRef: candidate.debtRef)
                    if decision.verdict != .block {
                        allowed = (phone, decision)
                        break
                    }
                    search.blocked = decision
                }
                guard let (phone, decision) = allowed else { continue }
                settled.insert(candidate.debtorID)
                let mine = open.first { $0.isClaimed(at: now) && $0.claimedBy == collector && collector != nil }
                found.append(
                    Found(
                        candidate: candidate, contacts: contacts, phone: phone, decision: decision, action: action,
                        sentence: sentence, step: step ?? mine, claimedUntil: mine?.claimedUntil))
                if found.count == limit { break walking }
            }
        }
        search.list.examined = facts.examined
        search.list.items = try await describe(found, today: today, now: now, zone: zone, sql: sql)
        return search
    }

    /// True when quiet hours rule out a call to the debtor at `now` whatever their history says: the standard policy's
    /// contact window is closed in one of the zones the rules place them in (`DebtorTimeZones.resolve`, as the
    /// engine's quiet-hours rule does; 12 CFR 1006.6(b)(1)(i)). The queue's calls are collection calls, which the
    /// debtor's own contact at this hour does not open, so nothing recorded could allow one. A debtor with no zone
    /// known (the engine then assumes every US zone) is left to the engine. Lets a batch skip reading the histories
    /// of debtors asleep now: late in the evening most of the portfolio is.
    static func isAsleep(_ profile: DebtorContactProfile, at now: Date) -> Bool {
        let zones = DebtorTimeZones.resolve(profile)
        guard !zones.isEmpty else { return false }
        return !CompliancePolicy.standard.contactWindow.contains(now, inEvery: zones)
    }

    /// Why the candidate puts its debtor in the queue today, in one sentence; nil when it no longer does (the promise
    /// was kept, a call followed the break, the step was closed).
    static func reasonSentence(
        _ candidate: Candidate, step: OpenItem?, facts: Facts, contacts: DebtorContacts, today: LocalDate,
        zone: TimeZone
    ) -> String? {
        func calledSince(_ day: LocalDate) -> Bool {
            contacts.events.contains { stored in
                guard case .call = stored.event.kind else { return false }
                return stored.concerns(candidate.debtRef) && LocalDate(stored.at, in: zone) >= day
            }
        }
        switch candidate.reason {
        case .promiseDueToday, .brokenPromise:
            guard let promise = candidate.promise else { return nil }
            let money = { (units: Int64) in Money.displayString(minorUnits: units, currency: candidate.currency) }
            let outcome = promise.evaluate(payments: facts.payments[candidate.debtID] ?? [], asOf: today)
            if candidate.reason == .promiseDueToday {
                // One reminder call a day is enough, whatever its outcome.
                guard case .pending(let paid) = outcome, !calledSince(today) else { return nil }
                return "A promise to pay \(money(promise.amount)) on \(candidate.debtRef) is due today"
                    + (paid > 0 ? "; \(money(paid)) paid so far." : ".")
            }
            // A call after the due day, or a new promise made since, follows the break up.
            guard !calledSince(promise.due.adding(days: 1)),
                (facts.promisesMade[candidate.debtID].map { $0 <= promise.due } ?? true)
            else { return nil }
            switch outcome {
            case .broken:
                return "A promise to pay \(money(promise.amount)) on \(candidate.debtRef) by \(promise.due.isoString) "
                    + "was broken: nothing was paid."
            case .partiallyKept(let paid):
                return "A promise to pay \(money(promise.amount)) on \(candidate.debtRef) by \(promise.due.isoString) "
                    + "was only partly kept: \(money(paid)) paid."
            default: return nil
            }
        case .brokenArrangement:
            guard let plan = candidate.arrangement, !calledSince(plan.brokenOn) else { return nil }
            // A new plan made since the break follows it up.
            let newer = (facts.plans[candidate.debtID] ?? []).contains {
                $0.createdOn >= plan.brokenOn && ["proposed", "active", "completed"].contains($0.state)
            }
            guard !newer else { return nil }
            return "Arrangement \(plan.ref) broke on \(plan.brokenOn.isoString)"
                + (plan.why.map { ": \($0.hasSuffix(".") ? String($0.dropLast()) : $0)." } ?? ".")
        case .callDue:
            guard let step else { return nil }
            return step.reason
        }
    }

    // MARK: Describing the items

    /// The items for what was found: names, the debtor's other debts, talking points.
    static func describe(
        _ found: [Found], today: LocalDate, now: Date, zone: TimeZone, sql: any SQLDatabase
    ) async throws -> [QueueItem] {
        guard !found.isEmpty else { return [] }
        let debtorIDs = SQLQueryString.boundList(found.map(\.candidate.debtorID))
        var names: [Int64: (ref: String, name: String, kind: DebtorKind, clientRef: String, clientName: String)] = [:]
        for row in try await sql.raw(
            """
            SELECT p.id, p.ref, p.name, p.kind, c.ref AS client_ref, c.name AS client_name FROM debtors p \
            JOIN clients c ON c.id = p.client_id WHERE p.id IN (\(debtorIDs))
            """
        ).all() {
            names[try row.decode(column: "id", as: Int64.self)] = (
                try row.decode(column: "ref", as: String.self), try row.decode(column: "name", as: String.self),
                DebtorKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .consumer,
                try row.decode(column: "client_ref", as: String.self),
                try row.decode(column: "client_name", as: String.self)
            )
        }
        var debts: [Int64: [QueueDebt]] = [:]
        for row in try await sql.raw(
            """
            SELECT id, ref, debtor_id, currency, balance, due_on FROM debts WHERE debtor_id IN (\(debtorIDs)) \
            AND balance > 0 ORDER BY due_on, id
            """
        ).all() {
            debts[try row.decode(column: "debtor_id", as: Int64.self), default: []].append(
                QueueDebt(
                    id: try row.decode(column: "id", as: Int64.self),
                    ref: try row.decode(column: "ref", as: String.self),
                    currency: try Currency(code: try row.decode(column: "currency", as: String.self)),
                    balance: try row.decode(column: "balance", as: Int64.self),
                    dueOn: LocalDate(daysSinceEpoch: try row.decode(column: "due_on", as: Int.self))))
        }
        let mainIDs = SQLQueryString.boundList(found.map(\.candidate.debtID))
        var offers: [Int64: LocalDate] = [:]
        for row in try await sql.raw(
            """
            SELECT debt_id, MAX(as_of) AS sent FROM strategy_actions WHERE debt_id IN (\(mainIDs)) \
            AND action = 'offer_plan' AND status = 'created' GROUP BY debt_id
            """
        ).all() {
            offers[try row.decode(column: "debt_id", as: Int64.self)] = LocalDate(
                daysSinceEpoch: try row.decode(column: "sent", as: Int.self))
        }
        var plans: [Int64: (ref: String, state: String)] = [:]
        for row in try await sql.raw(
            """
            SELECT ad.debt_id, a.ref, a.state FROM arrangements a JOIN arrangement_debts ad ON ad.arrangement_id = a.id \
            WHERE ad.debt_id IN (\(mainIDs)) AND a.state IN ('proposed', 'active') ORDER BY a.id
            """
        ).all() {
            plans[try row.decode(column: "debt_id", as: Int64.self)] = (
                try row.decode(column: "ref", as: String.self), try row.decode(column: "state", as: String.self)
            )
        }
        var promises: [Int64: PromiseToPay] = [:]
        for row in try await sql.raw(
            """
            SELECT debt_id, amount, due_on, made_on, via FROM promises WHERE debt_id IN (\(mainIDs)) \
            AND due_on >= \(bind: today.daysSinceEpoch) ORDER BY id
            """
        ).all() {
            promises[try row.decode(column: "debt_id", as: Int64.self)] = try PromiseStore.promise(from: row)
        }
        var terms: [String: ClientTerms] = [:]
        var items: [QueueItem] = []
        for entry in found {
            let candidate = entry.candidate
            guard let name = names[candidate.debtorID],
                let main = debts[candidate.debtorID]?.first(where: { $0.id == candidate.debtID })
            else { continue }
            if terms[name.clientRef] == nil {
                terms[name.clientRef] =
                    (try? await AccrualStore.terms(clientRef: name.clientRef, sql: sql).terms)
                    ?? .standard
            }
            let money = { (debt: QueueDebt) in Money.displayString(minorUnits: debt.balance, currency: debt.currency) }
            var others: [QueueDebt] = []
            var withheld: [WithheldDebt] = []
            for debt in debts[candidate.debtorID] ?? [] where debt.id != main.id {
                let decision = entry.contacts.decide(entry.action, at: now, to: entry.phone.number, debtRef: debt.ref)
                if decision.verdict == .block {
                    let reason = decision.findings.first { $0.effect == .block }?.reason ?? "the rules block a call"
                    withheld.append(WithheldDebt(debt: debt, reason: reason))
                } else {
                    others.append(debt)
                }
            }
            let days = today.days(since: main.dueOn)
            var points = [
                "Owes \(money(main)) on \(main.ref), "
                    + (days > 0
                        ? "\(days) \(days == 1 ? "day" : "days") past due (due \(main.dueOn.isoString))."
                        : days == 0 ? "due today." : "due on \(main.dueOn.isoString).")
            ]
            for debt in others {
                points.append("Also owes \(money(debt)) on \(debt.ref) (due \(debt.dueOn.isoString)).")
            }
            let sameCurrency = ([main] + others).allSatisfy { $0.currency == main.currency }
            if !others.isEmpty, sameCurrency {
                let total = ([main] + others).reduce(Int64(0)) { $0 &+ $1.balance }
                points.append(
                    "In all \(Money.displayString(minorUnits: total, currency: main.currency)) to \(name.clientName).")
            }
            for debt in withheld {
                let reason = debt.reason.hasSuffix(".") ? String(debt.reason.dropLast()) : debt.reason
                points.append("Do not discuss \(debt.debt.ref) (\(money(debt.debt))): \(reason).")
            }
            if let promise = candidate.promise {
                points.append(
                    "The promise was made on \(promise.madeOn.isoString) "
                        + (promise.via == .call ? "on a call." : "in writing or online."))
            } else if let promise = promises[main.id] {
                points.append(
                    "Has promised \(Money.displayString(minorUnits: promise.amount, currency: main.currency)) by "
                        + "\(promise.due.isoString) (made \(promise.madeOn.isoString)).")
            }
            if let plan = plans[main.id] {
                points.append(
                    plan.state == "active"
                        ? "Arrangement \(plan.ref) is in force: remind them of the next installment."
                        : "Arrangement \(plan.ref) was proposed and waits for their acceptance (portal or a recorded call)."
                )
            } else if let sent = offers[main.id] {
                points.append("A plan offer was sent on \(sent.isoString): ask whether they will take it up.")
            } else if let clientTerms = terms[name.clientRef] {
                points.append(termsPoint(clientTerms, currency: main.currency))
            }
            points.append(lastContactPoint(entry, debtRef: main.ref, now: now))
            for finding in entry.decision.findings where finding.effect == .review {
                points.append("Check first: \(finding.reason)")
            }
            if candidate.reason != .callDue, let step = entry.step, step.actionID != nil {
                points.append("A call step is due too: \(step.reason)")
            }
            let primary = DebtorTimeZones.primary(entry.contacts.profile)
            items.append(
                QueueItem(
                    debt: main, otherDebts: others, withheldDebts: withheld, clientRef: name.clientRef,
                    clientName: name.clientName, debtorID: candidate.debtorID, debtorRef: name.ref,
                    debtorName: name.name, debtorKind: name.kind, reason: candidate.reason,
                    sentence: entry.sentence, talkingPoints: points,
                    action: entry.action, phone: entry.phone, zone: primary.zone, zoneIsKnown: primary.isKnown,
                    decision: entry.decision, workItemID: entry.step?.id, claimedUntil: entry.claimedUntil,
                    lastContact: lastContact(entry.contacts, debtRef: main.ref), daysPastDue: days))
        }
        return items
    }

    /// What the client's terms allow a collector to offer, in one sentence.
    static func termsPoint(_ terms: ClientTerms, currency: Currency) -> String {
        let plan = terms.plan
        var text =
            "The client accepts a plan of up to \(plan.installmentBound) installments over at most "
            + "\(plan.monthsBound) months"
        if let least = plan.minInstallment, terms.currency == currency {
            text += ", each at least \(Money.displayString(minorUnits: least, currency: currency))"
        }
        text += "."
        if let percent = plan.settlementPercent {
            text += " A settlement at \(percent)% of the balance may be offered."
        }
        if let days = plan.maxExtensionDays { text += " An extension of up to \(days) days may be offered." }
        return text
    }

    /// The latest call, text, email or letter about the debt.
    static func lastContact(_ contacts: DebtorContacts, debtRef: String) -> StoredContactEvent? {
        contacts.events.last { stored in
            guard stored.concerns(debtRef) else { return false }
            switch stored.event.kind {
            case .call, .sms, .email, .letter: return true
            default: return false
            }
        }
    }

    static func lastContactPoint(_ entry: Found, debtRef: String, now: Date) -> String {
        guard let last = lastContact(entry.contacts, debtRef: debtRef) else { return "No contact recorded yet." }
        let zone = DebtorTimeZones.primary(entry.contacts.profile).zone
        let day = LocalDate(last.at, in: zone)
        let ago = LocalDate(now, in: zone).days(since: day)
        var words: String
        switch last.event.kind {
        case .call(let direction, _, let outcome, _):
            words =
                "\(direction == .inbound ? "they called" : "a call"), \(outcome.rawValue.replacingOccurrences(of: "_", with: " "))"
        case .sms(let direction, _): words = direction == .inbound ? "a text from them" : "a text"
        case .email(let direction, _): words = direction == .inbound ? "an email from them" : "an email"
        default: words = "a letter"
        }
        let when = ago == 0 ? "today" : ago == 1 ? "yesterday" : "\(ago) days ago"
        return "Last contact: \(words), on \(day.isoString) (\(when))"
            + (last.recordedBy.map { ", recorded by \($0)" } ?? "") + "."
    }

    // MARK: Rows

    /// The open work items of the debtors (a bound list), by debtor, the earliest due first.
    static func openItems(debtorIDs: SQLQueryString, sql: any SQLDatabase) async throws -> [Int64: [OpenItem]] {
        var items: [Int64: [OpenItem]] = [:]
        for row in try await sql.raw(
            """
            SELECT id, debt_id, debtor_id, kind, reason, claimed_by, claimed_until, action_id FROM work_items \
            WHERE debtor_id IN (\(debtorIDs)) AND \(status("status", byDebtor: true, sql)) = 'open' ORDER BY due_on, id
            """
        ).all() {
            items[try row.decode(column: "debtor_id", as: Int64.self), default: []].append(
                OpenItem(
                    id: try row.decode(column: "id", as: Int64.self),
                    debtID: try row.decode(column: "debt_id", as: Int64.self),
                    kind: try row.decode(column: "kind", as: String.self),
                    reason: try row.decode(column: "reason", as: String.self),
                    claimedBy: try row.decode(column: "claimed_by", as: String?.self),
                    claimedUntil: try row.decode(column: "claimed_until", as: Date?.self),
                    actionID: try row.decode(column: "action_id", as: Int64?.self)))
        }
        return items
    }

    /// The work item's status column in a condition: as it is for the index `work_items_by_status` to answer (every
    /// open item), and on SQLite as `+status` where one debtor's items are wanted, so that the debtor's index is used.
    /// SQLite keeps no statistics here (nothing runs ANALYZE) and would otherwise prefer the status index, which has
    /// more equal columns, and walk every open item for each debtor (a second per read at 100,000 open steps).
    static func status(_ column: String, byDebtor: Bool, _ sql: any SQLDatabase) -> SQLQueryString {
        "\(unsafeRaw: byDebtor && SQLFlavor(sql) == .sqlite ? "+" + column : column)"
    }

    /// The debt's reference, debtor and debtor's name, if the scope sees it.
    static func debtAndDebtor(
        _ debtID: Int64, scope: ClientScope, sql: any SQLDatabase
    ) async throws -> (id: Int64, ref: String, debtorID: Int64, debtorName: String)? {
        let client: SQLQueryString = scope.clientID.map { " AND d.client_id = \(bind: $0)" } ?? ""
        guard
            let row = try await sql.raw(
                """
                SELECT d.ref, d.debtor_id, p.name FROM debts d JOIN debtors p ON p.id = d.debtor_id \
                WHERE d.id = \(bind: debtID)\(client)
                """
            ).first()
        else { return nil }
        return (
            debtID, try row.decode(column: "ref", as: String.self), try row.decode(column: "debtor_id", as: Int64.self),
            try row.decode(column: "name", as: String.self)
        )
    }

    /// A collector's email as claims store it: trimmed and lower-cased; empty is refused.
    static func normalized(_ collector: String) -> String {
        collector.trimmingCharacters(in: .whitespaces).lowercased()
    }

    static func checkedCollector(_ collector: String) throws -> String {
        let email = normalized(collector)
        guard !email.isEmpty else { throw StoreError.invalid("name the collector: their email") }
        return email
    }
}
