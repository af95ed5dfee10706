import FluentKit
import Foundation
import RecoupCore
import SQLKit
import SQLiteNIO

/// The strategy a run uses for a client, with the version that decided (stored in each action).
public struct RunStrategy: Sendable {
    public var strategy: Strategy
    /// The stored version's id; nil for the built-in default or a file being simulated.
    public var id: Int64?
    public var version: Int

    public init(strategy: Strategy, id: Int64?, version: Int) {
        self.strategy = strategy
        self.id = id
        self.version = version
    }
}

/// What `recoup run` asks for.
public struct RunRequest: Sendable {
    /// The business date the run decides for.
    public var asOf: LocalDate
    /// Decide and list, record nothing.
    public var dryRun = false
    /// Only this client's debts.
    public var clientRef: String? = nil
    /// The strategy of each client (by client id) and the default for the others.
    public var strategies: [Int64: RunStrategy] = [:]
    public var defaultStrategy: RunStrategy
    /// Who started it (a user's email, or nil for the command line).
    public var startedBy: String? = nil
    /// The business zone: segments' days for debtors whose zone is unknown.
    public var zone: TimeZone
    /// Where debtors reach the portal (`RECOUP_PUBLIC_URL`); messages carry a portal link only when it is known.
    public var publicURL: String? = nil
    /// How many debtor ids one chunk (one transaction) spans.
    public var chunkDebtors: Int64 = 2_000
    /// How long the portal links in messages last, in days.
    public var portalLinkDays = 30
    /// The earliest a contact may be planned for (a person's step "now"); nil: from the day's first moment.
    public var notBefore: Date? = nil

    public init(asOf: LocalDate, defaultStrategy: RunStrategy, zone: TimeZone) {
        self.asOf = asOf
        self.defaultStrategy = defaultStrategy
        self.zone = zone
    }
}

/// One action the run created (or, in a dry run, would create) for one debt.
public struct RunAction: Sendable, Equatable {
    public var debtID: Int64
    public var debtRef: String
    public var clientRef: String
    public var debtorRef: String
    public var action: StrategyAction
    public var step: String
    public var occurrence: Int
    public var scheduledOn: LocalDate
    public var segment: Segment
    public var reason: String
    /// The message that carries it: the outbox id, or in a dry run `planned-CLIENT-DEBTOR` (the same for the debts one
    /// message covers).
    public var messageID: String?
    /// When the message goes out or the call may first be made.
    public var plannedAt: Date?
    /// False when the debtor has no address for the step's channel: nothing is sent and the client is asked for
    /// contact details.
    public var reachable: Bool
    /// The stored action's id (nil in a dry run).
    public var id: Int64?
}

/// An action the compliance engine or the message lint blocked: not performed, tried again on a later run.
public struct RunBlockedAction: Sendable, Equatable {
    public var debtID: Int64
    public var debtRef: String
    public var clientRef: String
    public var action: StrategyAction
    public var step: String
    public var rules: [String]
    public var reason: String
}

/// What one chunk of the run did, handed to the caller as the run goes (a big run is never held in memory whole).
public struct RunChunk: Sendable {
    public var actions: [RunAction] = []
    public var blocked: [RunBlockedAction] = []
}

/// What a run did, in counts.
public struct RunSummary: Sendable, Equatable {
    public var runID: Int64?
    public var asOf: LocalDate
    public var dryRun: Bool
    public var clientRef: String?
    /// Open debts looked at.
    public var processed = 0
    public var created = 0
    /// Actions for this date that were already there (a re-run).
    public var alreadyDone = 0
    public var skipped = 0
    public var blocked = 0
    /// Debts the strategy waits for (a pause, a hold, a kept plan, a pending promise, a placement, an exclusion).
    public var paused = 0
    public var messages = 0
    /// Counts by dimension (`action`, `step`, `segment`, `rule`, `paused`), then key.
    public var counts: [String: [String: Int]] = [:]

    mutating func count(_ dimension: String, _ key: String, by amount: Int = 1) {
        counts[dimension, default: [:]][key, default: 0] += amount
    }
}

/// The daily run (docs/strategies.md, "The daily run"): for every open debt on a date, the step due on its track,
/// checked by the compliance engine at the moment it is planned for, recorded once.
///
/// The portfolio is walked in chunks of debtor ids, one transaction each, so memory stays bounded and a crash loses
/// at most one chunk (a re-run completes it). Exactly once: every action is keyed by (debt, step, occurrence)
/// (`strategy_actions`' unique key), the planner skips what is done, and a chunk is worked by one process at a time
/// (an advisory lock on PostgreSQL: a second process skips a chunk another holds and comes back to it at the end;
/// SQLite has one writer). One message per debtor and client per day (`outbox_messages.dedupe_key`).
public enum RunStore {
    /// Runs the strategy for `request.asOf`. `report` gets each chunk's actions as they are decided; `progress` the
    /// debts looked at so far and the estimated total.
    public static func run(
        _ request: RunRequest, on database: any Database, now: Date,
        progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in },
        report: @escaping @Sendable (RunChunk) async throws -> Void = { _ in }
    ) async throws -> RunSummary {
        let sql = database as! any SQLDatabase
        var clientID: Int64? = nil
        if let ref = request.clientRef {
            guard let id = try await ClientQueries.clientID(ref: ref, on: sql) else {
                throw StoreError.unknownClient(ref)
            }
            clientID = id
        }
        let clients = try await clientFacts(on: database)
        if !request.dryRun {
            // Broken plans are found before deciding: a broken arrangement resumes its debts' strategy at once.
            for client in clients.values where clientID == nil || client.id == clientID {
                _ = try await ArrangementStore.evaluate(
                    clientRef: client.ref, asOf: request.asOf, on: database, now: now, zone: request.zone)
            }
        }
        var summary = RunSummary(asOf: request.asOf, dryRun: request.dryRun, clientRef: request.clientRef)
        if !request.dryRun {
            summary.runID = try await sql.raw(
                """
                INSERT INTO strategy_runs (as_of, client_id, started_at, started_by) VALUES \
                (\(bind: request.asOf.daysSinceEpoch), \(bind: clientID), \(bind: now), \(bind: request.startedBy)) \
                RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
        }
        let excludedClients = Set(
            try await sql.raw(
                "SELECT client_id FROM automation_exclusions WHERE client_id IS NOT NULL AND ended_at IS NULL"
            ).all().map { try $0.decode(column: "client_id", as: Int64.self) })
        let clientFilter: SQLQueryString = clientID.map { " AND client_id = \(bind: $0)" } ?? ""
        let bounds = try await sql.raw(
            """
            SELECT MIN(debtor_id) AS low, MAX(debtor_id) AS high, COUNT(*) AS debts FROM debts \
            WHERE charged_on <= \(bind: request.asOf.daysSinceEpoch)
            """ + clientFilter
        ).first()!
        let total = try bounds.decode(column: "debts", as: Int.self)
        let context = ChunkContext(
            request: request, clientID: clientID, clients: clients, excludedClients: excludedClients,
            runID: summary.runID, now: now, templates: try await TemplateStore.book(sql: sql))
        if let low = try bounds.decode(column: "low", as: Int64?.self),
            let high = try bounds.decode(column: "high", as: Int64?.self)
        {
            let size = max(1, request.chunkDebtors)
            let isPostgres = SQLFlavor(sql) == .postgres
            var deferred: [Int64] = []
            // On SQLite a larger page cache while the run walks the portfolio (the b-trees it writes stay in memory;
            // the importer does the same), and statement journals in memory; both as before when it is done.
            let isSQLite = !isPostgres
            if isSQLite {
                try await sql.raw("PRAGMA cache_size = -65536").run()
                try await sql.raw("PRAGMA temp_store = MEMORY").run()
            }
            func untuned() async throws {
                guard isSQLite else { return }
                try await sql.raw("PRAGMA cache_size = -2000").run()
                try await sql.raw("PRAGMA temp_store = DEFAULT").run()
            }
            // Each chunk's report (the command prints it) goes on while the next chunk is worked, one at a time and in
            // order.
            var reporting: Task<Void, any Error>? = nil
            func reported(_ result: (chunk: RunChunk, summary: RunSummary)) async throws {
                try await reporting?.value
                summary.absorb(result.summary)
                let processed = summary.processed
                reporting = Task {
                    try await report(result.chunk)
                    progress(processed, total)
                }
            }
            // On an SQLite file the next chunks' facts are read while a chunk is worked, by two read-only connections
            // of the run's own, each reading every other chunk (one process writes at a time there, and those facts
            // are none the run writes; reading is most of a steady day's run). A database in memory, which one
            // connection holds, is read chunk by chunk.
            var readers: [SQLiteReader] = []
            if isSQLite, let first = try await SQLiteReader.open(nextTo: sql) {
                readers.append(first)
                if let second = try await SQLiteReader.open(nextTo: sql) { readers.append(second) }
            }
            var reading: [Int: Task<ChunkFacts, any Error>] = [:]
            func closeReader() async {
                for task in reading.values { task.cancel() }
                for task in reading.values { _ = await task.result }
                reading = [:]
                for reader in readers { await reader.close() }
                readers = []
            }
            do {
                let chunks = Array((low / size)...(high / size))
                for (position, chunk) in chunks.enumerated() {
                    let ahead = try await reading.removeValue(forKey: position)?.value
                    for next in (position + 1)..<(position + 1 + readers.count)
                    where next < chunks.count && reading[next] == nil {
                        let (reader, nextChunk) = (readers[next % readers.count], chunks[next])
                        reading[next] = Task {
                            try await ChunkWorker.readFacts(nextChunk, context: context, sql: reader.sql)
                        }
                    }
                    guard
                        let result = try await work(
                            chunk, context: context, lock: isPostgres ? .tryLock : .none, database, ahead: ahead)
                    else {
                        deferred.append(chunk)
                        continue
                    }
                    try await reported((result.chunk, result.summary))
                }
                await closeReader()
                // Chunks another process held: wait for it, and skip those a run working at the same time finished
                // (the advisory lock's key is the date, scope and chunk; in another database it may be anything's, so
                // the chunk is worked unless such a run claimed it).
                for chunk in deferred {
                    if let result = try await work(chunk, context: context, lock: .wait, database) {
                        try await reported((result.chunk, result.summary))
                    }
                }
                try await reporting?.value
            } catch {
                await closeReader()
                _ = await reporting?.result
                try? await untuned()
                throw error
            }
            try await untuned()
        }
        if let runID = summary.runID { try await finish(runID, summary: summary, now: now, database) }
        return summary
    }

    // MARK: Chunks

    enum ChunkLock { case none, tryLock, wait }

    /// What every chunk of a run shares.
    struct ChunkContext: Sendable {
        var request: RunRequest
        var clientID: Int64?
        var clients: [Int64: ClientFacts]
        var excludedClients: Set<Int64>
        var runID: Int64?
        var now: Date
        /// The templates messages are rendered with: built in, or the client's or the installation's own.
        var templates: TemplateBook = .builtIn

        var scope: Int64 { clientID ?? 0 }
    }

    /// A client as messages name it.
    struct ClientFacts: Sendable {
        var id: Int64
        var ref: String
        var name: String
        var terms: ClientTerms
        var profile: ClientProfile
    }

    static func clientFacts(on database: any Database) async throws -> [Int64: ClientFacts] {
        let sql = database as! any SQLDatabase
        let profiles = Dictionary(
            try await ClientProfileStore.all(on: database).map { ($0.ref, $0) }, uniquingKeysWith: { first, _ in first }
        )
        var clients: [Int64: ClientFacts] = [:]
        for row in try await sql.raw("SELECT id, ref FROM clients ORDER BY id").all() {
            let ref = try row.decode(column: "ref", as: String.self)
            let terms = try await AccrualStore.terms(clientRef: ref, sql: sql)
            let stored = profiles[ref]
            clients[terms.id] = ClientFacts(
                id: terms.id, ref: ref, name: stored?.displayName ?? terms.name, terms: terms.terms,
                profile: stored?.profile ?? ClientProfile())
        }
        return clients
    }

    /// Works one chunk of debtor ids in one transaction, from its facts read ahead when given; nil when another
    /// process holds it (`tryLock`) or finished it during this run (`wait`).
    static func work(
        _ chunk: Int64, context: ChunkContext, lock: ChunkLock, _ database: any Database, ahead: ChunkFacts? = nil
    ) async throws -> (chunk: RunChunk, summary: RunSummary)? {
        try await PaymentStore.serializedTransaction(database) { connection in
            try await work(chunk, context: context, lock: lock, sql: connection, ahead: ahead)
        }
    }

    /// `work(…)` inside the transaction.
    private static func work(
        _ chunk: Int64, context: ChunkContext, lock: ChunkLock, sql: any SQLDatabase, ahead: ChunkFacts?
    ) async throws -> (chunk: RunChunk, summary: RunSummary)? {
        let request = context.request
        let key = Int64(request.asOf.daysSinceEpoch) &* 1_000_003 &+ context.scope &* 7_919 &+ chunk
        switch lock {
        case .none: break
        case .tryLock:
            let locked = try await sql.raw("SELECT pg_try_advisory_xact_lock(\(bind: key)) AS locked").first()!
                .decode(column: "locked", as: Bool.self)
            if !locked { return nil }
        case .wait:
            try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: key))").run()
        }
        // Under the lock, a chunk a run working at the same time has finished is left alone: the lock is free again
        // once that run's transaction is over, and working the chunk a second time would create nothing but list
        // its blocked actions twice. (Its claim is committed with its work, so a claim means the chunk is done.)
        if lock != .none, let runID = context.runID,
            try await sql.raw(
                """
                SELECT run_id FROM run_claims WHERE as_of = \(bind: request.asOf.daysSinceEpoch) \
                AND scope = \(bind: context.scope) AND chunk = \(bind: chunk) AND run_id <> \(bind: runID) \
                AND run_id IN (SELECT id FROM strategy_runs WHERE finished_at IS NULL \
                OR finished_at > \(bind: context.now))
                """
            ).first() != nil
        {
            return nil
        }
        var worker = ChunkWorker(context: context, chunk: chunk, sql: sql)
        try await worker.work(prefetched: ahead)
        if let runID = context.runID {
            try await sql.raw(
                """
                INSERT INTO run_claims (as_of, scope, chunk, run_id, claimed_at) VALUES \
                (\(bind: request.asOf.daysSinceEpoch), \(bind: context.scope), \(bind: chunk), \(bind: runID), \
                \(bind: context.now)) ON CONFLICT (as_of, scope, chunk) DO UPDATE SET run_id = excluded.run_id, \
                claimed_at = excluded.claimed_at
                """
            ).run()
        }
        return (worker.output, worker.summary)
    }

    /// Stores the run's counts and marks it finished.
    static func finish(_ runID: Int64, summary: RunSummary, now: Date, _ database: any Database) async throws {
        try await PaymentStore.serializedTransaction(database) { sql in
            try await sql.raw(
                """
                UPDATE strategy_runs SET finished_at = \(bind: now), processed = \(bind: summary.processed), \
                created = \(bind: summary.created), already_done = \(bind: summary.alreadyDone), \
                skipped = \(bind: summary.skipped), blocked = \(bind: summary.blocked), \
                paused = \(bind: summary.paused), messages = \(bind: summary.messages) WHERE id = \(bind: runID)
                """
            ).run()
            for (dimension, counts) in summary.counts.sorted(by: { $0.key < $1.key }) {
                for (key, count) in counts.sorted(by: { $0.key < $1.key }) {
                    try await sql.raw(
                        """
                        INSERT INTO run_counts (run_id, dimension, key, count) VALUES \
                        (\(bind: runID), \(bind: dimension), \(bind: key), \(bind: count))
                        """
                    ).run()
                }
            }
        }
    }
}

extension RunSummary {
    mutating func absorb(_ other: RunSummary) {
        processed += other.processed
        created += other.created
        alreadyDone += other.alreadyDone
        skipped += other.skipped
        blocked += other.blocked
        paused += other.paused
        messages += other.messages
        for (dimension, counts) in other.counts {
            for (key, count) in counts { self.count(dimension, key, by: count) }
        }
    }
}

extension RunStrategy {
    /// The strategy a stored version (or the built-in default) holds.
    public init(_ stored: StoredStrategy) {
        self.init(strategy: stored.strategy, id: stored.id, version: stored.version)
    }
}

extension RunRequest {
    /// A run on `asOf` with the strategies in force.
    public init(asOf: LocalDate, strategies: ActiveStrategies, zone: TimeZone) {
        self.init(asOf: asOf, defaultStrategy: RunStrategy(strategies.fallback), zone: zone)
        self.strategies = strategies.byClient.mapValues(RunStrategy.init)
    }
}

/// A recorded run, as `recoup run list`, `GET /api/v1/runs` and the runs page show it.
public struct StoredRun: Sendable, Equatable {
    public var id: Int64
    public var asOf: LocalDate
    public var clientRef: String?
    public var startedAt: Date
    public var finishedAt: Date?
    public var startedBy: String?
    public var summary: RunSummary
}

extension RunStore {
    /// The latest runs first, older than the run `before` when given.
    public static func runs(
        scope: ClientScope, limit: Int = 50, before: Int64? = nil, on database: any Database
    ) async throws -> [StoredRun] {
        let sql = database as! any SQLDatabase
        var condition: SQLQueryString = "1 = 1"
        if let before { condition = "r.id < \(bind: before)" }
        // A client's staff see the runs for their client alone: a run over every client counts other clients' debts.
        if let clientID = scope.clientID { condition += " AND r.client_id = \(bind: clientID)" }
        let rows = try await sql.raw(
            """
            SELECT r.id, r.as_of, r.client_id, c.ref AS client_ref, r.started_at, r.finished_at, r.started_by, \
            r.processed, r.created, r.already_done, r.skipped, r.blocked, r.paused, r.messages \
            FROM strategy_runs r LEFT JOIN clients c ON c.id = r.client_id WHERE \(condition) \
            ORDER BY r.id DESC LIMIT \(bind: max(1, min(limit, 500)))
            """
        ).all()
        var runs: [StoredRun] = []
        for row in rows {
            let asOf = LocalDate(daysSinceEpoch: try row.decode(column: "as_of", as: Int.self))
            let clientRef = try row.decode(column: "client_ref", as: String?.self)
            var summary = RunSummary(asOf: asOf, dryRun: false, clientRef: clientRef)
            let id = try row.decode(column: "id", as: Int64.self)
            summary.runID = id
            summary.processed = try row.decode(column: "processed", as: Int.self)
            summary.created = try row.decode(column: "created", as: Int.self)
            summary.alreadyDone = try row.decode(column: "already_done", as: Int.self)
            summary.skipped = try row.decode(column: "skipped", as: Int.self)
            summary.blocked = try row.decode(column: "blocked", as: Int.self)
            summary.paused = try row.decode(column: "paused", as: Int.self)
            summary.messages = try row.decode(column: "messages", as: Int.self)
            runs.append(
                StoredRun(
                    id: id, asOf: asOf, clientRef: clientRef,
                    startedAt: try row.decode(column: "started_at", as: Date.self),
                    finishedAt: try row.decode(column: "finished_at", as: Date?.self),
                    startedBy: try row.decode(column: "started_by", as: String?.self), summary: summary))
        }
        if !runs.isEmpty {
            let ids = SQLQueryString.boundList(runs.map(\.id))
            var byID = Dictionary(uniqueKeysWithValues: runs.enumerated().map { ($1.id, $0) })
            for row in try await sql.raw(
                "SELECT run_id, dimension, key, count FROM run_counts WHERE run_id IN (\(ids))"
            ).all() {
                guard let index = byID[try row.decode(column: "run_id", as: Int64.self)] else { continue }
                runs[index].summary.count(
                    try row.decode(column: "dimension", as: String.self),
                    try row.decode(column: "key", as: String.self),
                    by: try row.decode(column: "count", as: Int.self))
            }
            byID.removeAll()
        }
        return runs
    }
}

/// An action a run recorded, as the run's page lists it.
public struct RecordedAction: Sendable, Equatable {
    public var debtID: Int64
    public var debtRef: String
    public var clientRef: String
    public var step: String
    public var occurrence: Int
    public var action: String
    /// `created` or `skipped`.
    public var status: String
    public var segment: String?
    public var reason: String
    public var messageID: Int64?
    public var plannedAt: Date?
}

/// An action a run found blocked, as the run's page lists it.
public struct RecordedBlock: Sendable, Equatable {
    public var debtID: Int64
    public var debtRef: String
    public var clientRef: String
    public var step: String
    public var action: String
    public var rules: [String]
    public var reason: String
}

extension RunStore {
    /// One run, through the scope (nil when it is not there or not the scope's).
    public static func run(id: Int64, scope: ClientScope, on database: any Database) async throws -> StoredRun? {
        try await runs(scope: scope, limit: 1, before: id + 1, on: database).first { $0.id == id }
    }

    /// What the run `runID` recorded (created first, then skipped; at most `limit`) and what it found blocked, through
    /// the scope.
    public static func details(
        runID: Int64, scope: ClientScope, limit: Int = 200, on database: any Database
    ) async throws -> (actions: [RecordedAction], blocked: [RecordedBlock]) {
        let sql = database as! any SQLDatabase
        let clientFilter: SQLQueryString = scope.clientID.map { " AND d.client_id = \(bind: $0)" } ?? ""
        let actions = try await sql.raw(
            """
            SELECT a.debt_id, d.ref AS debt_ref, c.ref AS client_ref, a.step_id, a.occurrence, a.action, a.status, \
            a.segment, a.reason, a.message_id, a.planned_at FROM strategy_actions a JOIN debts d ON d.id = a.debt_id \
            JOIN clients c ON c.id = d.client_id WHERE a.run_id = \(bind: runID)
            """ + clientFilter + " ORDER BY a.status, a.id LIMIT \(bind: max(1, min(limit, 1_000)))"
        ).all().map { row in
            RecordedAction(
                debtID: try row.decode(column: "debt_id", as: Int64.self),
                debtRef: try row.decode(column: "debt_ref", as: String.self),
                clientRef: try row.decode(column: "client_ref", as: String.self),
                step: try row.decode(column: "step_id", as: String.self),
                occurrence: try row.decode(column: "occurrence", as: Int.self),
                action: try row.decode(column: "action", as: String.self),
                status: try row.decode(column: "status", as: String.self),
                segment: try row.decode(column: "segment", as: String?.self),
                reason: try row.decode(column: "reason", as: String.self),
                messageID: try row.decode(column: "message_id", as: Int64?.self),
                plannedAt: try row.decode(column: "planned_at", as: Date?.self))
        }
        let blocked = try await sql.raw(
            """
            SELECT b.debt_id, d.ref AS debt_ref, c.ref AS client_ref, b.step_id, b.action, b.rules, b.reason \
            FROM run_blocked b JOIN debts d ON d.id = b.debt_id JOIN clients c ON c.id = d.client_id \
            WHERE b.run_id = \(bind: runID)
            """ + clientFilter + " ORDER BY b.id LIMIT \(bind: max(1, min(limit, 1_000)))"
        ).all().map { row in
            RecordedBlock(
                debtID: try row.decode(column: "debt_id", as: Int64.self),
                debtRef: try row.decode(column: "debt_ref", as: String.self),
                clientRef: try row.decode(column: "client_ref", as: String.self),
                step: try row.decode(column: "step_id", as: String.self),
                action: try row.decode(column: "action", as: String.self),
                rules: try row.decode(column: "rules", as: String.self).split(separator: ",").map(String.init),
                reason: try row.decode(column: "reason", as: String.self))
        }
        return (actions, blocked)
    }
}
