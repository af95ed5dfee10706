import FluentKit
import Foundation
import RecoupCore
import SQLKit

/// A person's pause of the strategy for one debt, or for every debt of a debtor, until a day (table
/// `strategy_pauses`). It is in force on a day when it has not been ended and `until` is that day or later: the
/// strategy resumes by itself the day after `until`.
public struct StrategyPause: Sendable, Equatable {
    public var id: Int64
    public var clientRef: String
    public var debtorID: Int64
    public var debtorRef: String
    /// The debt paused; nil when the pause covers every debt of the debtor.
    public var debtID: Int64?
    public var debtRef: String?
    /// The last day of the pause.
    public var until: LocalDate
    public var reason: String
    public var createdBy: String?
    public var createdAt: Date
    /// When a person ended it before `until`; nil while it runs its course.
    public var endedAt: Date?
    public var endedBy: String?

    /// True when the strategy waits for this pause on `day`.
    public func isInForce(on day: LocalDate) -> Bool { endedAt == nil && until >= day }
}

/// A debtor, or a whole client, left to manual work: the daily run takes no automatic step for their debts while the
/// exclusion is in force (table `automation_exclusions`).
public struct AutomationExclusion: Sendable, Equatable {
    public var id: Int64
    public var clientID: Int64
    public var clientRef: String
    /// The debtor excluded; nil when the exclusion covers every debt of the client.
    public var debtorID: Int64?
    public var debtorRef: String?
    public var reason: String
    public var createdBy: String?
    public var createdAt: Date
    public var endedAt: Date?
    public var endedBy: String?

    /// True until a person ends it.
    public var isInForce: Bool { endedAt == nil }
    /// True when it covers every debt of the client rather than one debtor's.
    public var isWholeClient: Bool { debtorID == nil }
}

/// Pauses of the strategy and exclusions from automatic steps, set and ended by people (`recoup pause`,
/// `recoup exclude`, the debt page). Each use case is one transaction; the run reads the tables with the rules
/// `StrategyPause.isInForce(on:)` and `AutomationExclusion.isInForce` state.
public enum PauseStore {
    /// The longest reason kept, in characters.
    public static let maxReasonLength = 500
    /// A pause ends at the latest this many months after the day it is set.
    public static let longestPauseMonths = 12

    // MARK: Pauses

    /// Pauses the strategy until `until` (its last day) for one debt (`debtRef`) or for every debt of one debtor
    /// (`debtorRef`): exactly one of them. `until` must be today (`now` in `zone`) or later and at most
    /// `longestPauseMonths` ahead; the reason is required, at most `maxReasonLength` characters. Unknown references
    /// are `StoreError.unknownClient`, `.unknownDebt` or `.unknownDebtor`; anything else wrong is `.invalid` with its
    /// sentence.
    public static func pause(
        clientRef: String, debtRef: String?, debtorRef: String?, until: LocalDate, reason: String, by: String?,
        now: Date, zone: TimeZone, on database: any Database
    ) async throws -> StrategyPause {
        try await pause(
            clientRef: clientRef, debtRef: debtRef, debtorRef: debtorRef, until: until, reason: reason, by: by,
            once: nil, now: now, zone: zone, on: database
        ).madeNow
    }

    /// `pause(…)` for a form: the form's one-time id is claimed in the pause's own transaction, so the same form
    /// sent again pauses nothing more and answers `.repeated`.
    public static func pause(
        clientRef: String, debtRef: String?, debtorRef: String?, until: LocalDate, reason: String, by: String?,
        once submission: FormSubmission?, now: Date, zone: TimeZone, on database: any Database
    ) async throws -> OnceOnly<StrategyPause> {
        guard (debtRef == nil) != (debtorRef == nil) else {
            throw StoreError.invalid("pause either one debt or every debt of one debtor: give the debt or the debtor")
        }
        let reason = try checkedReason(reason, what: "a pause")
        let today = LocalDate(now, in: zone)
        guard until >= today else {
            throw StoreError.invalid(
                "the pause would end on \(until.isoString), before today (\(today.isoString)); give today or a later day"
            )
        }
        let latest = today.adding(months: longestPauseMonths)
        guard until <= latest else {
            throw StoreError.invalid(
                "the pause would end on \(until.isoString), more than a year ahead; give \(latest.isoString) at the "
                    + "latest and pause again then if needed")
        }
        return try await FormSubmissions.onceTransaction(
            submission, kind: "pause", now: now, database: database, result: { String($0.id) }
        ) { sql in
            let debtorID: Int64
            var debtID: Int64? = nil
            if let debtRef {
                let debt = try await AccrualStore.debt(clientRef: clientRef, debtRef: debtRef, lock: false, on: sql)
                debtorID = debt.debtorID
                debtID = debt.id
            } else {
                debtorID = try await self.debtorID(clientRef: clientRef, debtorRef: debtorRef ?? "", sql: sql)
            }
            let id = try await sql.raw(
                """
                INSERT INTO strategy_pauses (debtor_id, debt_id, until_on, reason, created_by, created_at) VALUES \
                (\(bind: debtorID), \(bind: debtID), \(bind: until.daysSinceEpoch), \(bind: reason), \(bind: by), \
                \(bind: now)) RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
            return try await pauses(where: "s.id = \(bind: id)", sql: sql)[0]
        }
    }

    /// Ends a pause now, before its last day: the strategy resumes at the next run. With `clientRef`, a pause of
    /// another client's debtor is unknown, exactly as a missing one. A pause already ended is refused.
    public static func endPause(
        id: Int64, clientRef: String? = nil, by: String?, now: Date, on database: any Database
    ) async throws -> StrategyPause {
        try await endPause(id: id, clientRef: clientRef, by: by, once: nil, now: now, on: database).madeNow
    }

    /// `endPause(…)` for a form, once.
    public static func endPause(
        id: Int64, clientRef: String?, by: String?, once submission: FormSubmission?, now: Date,
        on database: any Database
    ) async throws -> OnceOnly<StrategyPause> {
        try await FormSubmissions.onceTransaction(
            submission, kind: "pause-end", now: now, database: database, result: { String($0.id) }
        ) { sql in
            guard let pause = try await pauses(where: "s.id = \(bind: id)", sql: sql).first,
                clientRef == nil || pause.clientRef == clientRef
            else {
                throw StoreError.invalid("there is no pause \(id)" + (clientRef.map { " for client \"\($0)\"" } ?? ""))
            }
            if let ended = pause.endedAt {
                throw StoreError.invalid(
                    "pause \(id) was already ended at \(ISO8601Instant.format(ended))"
                        + (pause.endedBy.map { " by \($0)" } ?? ""))
            }
            try await sql.raw(
                """
                UPDATE strategy_pauses SET ended_at = \(bind: now), ended_by = \(bind: by) \
                WHERE id = \(bind: id) AND ended_at IS NULL
                """
            ).run()
            return try await pauses(where: "s.id = \(bind: id)", sql: sql)[0]
        }
    }

    /// Every pause of the debtor's debts, ended or not, the latest set first (the debt page).
    public static func pauses(debtorID: Int64, on database: any Database) async throws -> [StrategyPause] {
        try await pauses(where: "s.debtor_id = \(bind: debtorID)", sql: database as! any SQLDatabase)
    }

    /// The pauses of a client's debtors (one debtor's with `debtorRef`), or of every client the scope sees, the
    /// latest set first; with `inForceOn`, only those in force that day.
    public static func list(
        clientRef: String?, debtorRef: String?, inForceOn: LocalDate? = nil, scope: ClientScope = .all,
        on database: any Database
    ) async throws -> [StrategyPause] {
        let sql = database as! any SQLDatabase
        var condition: SQLQueryString = "1 = 1"
        if let clientRef {
            guard scope.allows(clientRef: clientRef),
                let clientID = try await ClientQueries.clientID(ref: clientRef, on: sql)
            else { throw StoreError.unknownClient(clientRef) }
            condition = "p.client_id = \(bind: clientID)"
            if let debtorRef {
                let debtorID = try await debtorID(clientRef: clientRef, debtorRef: debtorRef, sql: sql)
                condition = "s.debtor_id = \(bind: debtorID)"
            }
        } else if debtorRef != nil {
            throw StoreError.invalid("a debtor's reference is its client's: give the client too")
        } else if let clientID = scope.clientID {
            condition = "p.client_id = \(bind: clientID)"
        }
        if let day = inForceOn {
            condition = condition + " AND s.ended_at IS NULL AND s.until_on >= \(bind: day.daysSinceEpoch)"
        }
        return try await pauses(where: condition, sql: sql)
    }

    // MARK: Exclusions

    /// Leaves one debtor (`debtorRef`), or with nil every debtor of the client, to manual work: the run takes no
    /// automatic step for their debts until the exclusion is ended (`include`). Refused when the same exclusion is
    /// already in force; the reason is required, at most `maxReasonLength` characters.
    public static func exclude(
        clientRef: String, debtorRef: String?, reason: String, by: String?, now: Date, on database: any Database
    ) async throws -> AutomationExclusion {
        try await exclude(
            clientRef: clientRef, debtorRef: debtorRef, reason: reason, by: by, once: nil, now: now, on: database
        ).madeNow
    }

    /// `exclude(…)` for a form, once.
    public static func exclude(
        clientRef: String, debtorRef: String?, reason: String, by: String?, once submission: FormSubmission?,
        now: Date, on database: any Database
    ) async throws -> OnceOnly<AutomationExclusion> {
        let reason = try checkedReason(reason, what: "an exclusion")
        return try await FormSubmissions.onceTransaction(
            submission, kind: "exclusion", now: now, database: database, result: { String($0.id) }
        ) { sql in
            guard let clientID = try await ClientQueries.clientID(ref: clientRef, on: sql) else {
                throw StoreError.unknownClient(clientRef)
            }
            // The run reads client_id as "the whole client" and debtor_id as "this debtor": one or the other is set.
            var debtorID: Int64? = nil
            if let debtorRef {
                debtorID = try await self.debtorID(clientRef: clientRef, debtorRef: debtorRef, sql: sql)
            }
            let target: SQLQueryString =
                debtorID.map { "debtor_id = \(bind: $0)" } ?? "client_id = \(bind: clientID) AND debtor_id IS NULL"
            if let existing = try await sql.raw(
                "SELECT id FROM automation_exclusions WHERE \(target) AND ended_at IS NULL"
            ).first() {
                let id = try existing.decode(column: "id", as: Int64.self)
                throw StoreError.invalid(
                    (debtorRef.map { "debtor \"\($0)\" of client \"\(clientRef)\"" } ?? "client \"\(clientRef)\"")
                        + " is already excluded from automatic steps (exclusion \(id))")
            }
            let id = try await sql.raw(
                """
                INSERT INTO automation_exclusions (client_id, debtor_id, reason, created_by, created_at) VALUES \
                (\(bind: debtorID == nil ? clientID : nil), \(bind: debtorID), \(bind: reason), \(bind: by), \
                \(bind: now)) RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
            return try await exclusions(where: "x.id = \(bind: id)", sql: sql)[0]
        }
    }

    /// Ends an exclusion: automatic steps resume at the next run. With `clientRef`, another client's exclusion is
    /// unknown, exactly as a missing one. An exclusion already ended is refused.
    public static func include(
        id: Int64, clientRef: String? = nil, by: String?, now: Date, on database: any Database
    ) async throws -> AutomationExclusion {
        try await include(id: id, clientRef: clientRef, by: by, once: nil, now: now, on: database).madeNow
    }

    /// `include(…)` for a form, once.
    public static func include(
        id: Int64, clientRef: String?, by: String?, once submission: FormSubmission?, now: Date,
        on database: any Database
    ) async throws -> OnceOnly<AutomationExclusion> {
        try await FormSubmissions.onceTransaction(
            submission, kind: "exclusion-end", now: now, database: database, result: { String($0.id) }
        ) { sql in
            guard let exclusion = try await exclusions(where: "x.id = \(bind: id)", sql: sql).first,
                clientRef == nil || exclusion.clientRef == clientRef
            else {
                throw StoreError.invalid(
                    "there is no exclusion \(id)" + (clientRef.map { " for client \"\($0)\"" } ?? ""))
            }
            if let ended = exclusion.endedAt {
                throw StoreError.invalid(
                    "exclusion \(id) was already ended at \(ISO8601Instant.format(ended))"
                        + (exclusion.endedBy.map { " by \($0)" } ?? ""))
            }
            try await sql.raw(
                """
                UPDATE automation_exclusions SET ended_at = \(bind: now), ended_by = \(bind: by) \
                WHERE id = \(bind: id) AND ended_at IS NULL
                """
            ).run()
            return try await exclusions(where: "x.id = \(bind: id)", sql: sql)[0]
        }
    }

    /// The exclusions that cover the debtor's debts — the debtor's own and their client's — ended or not, the latest
    /// first (the debt page).
    public static func exclusions(debtorID: Int64, on database: any Database) async throws -> [AutomationExclusion] {
        try await exclusions(
            where: """
                x.debtor_id = \(bind: debtorID) OR x.client_id = (SELECT client_id FROM debtors \
                WHERE id = \(bind: debtorID))
                """,
            sql: database as! any SQLDatabase)
    }

    /// The exclusions of a client (with `debtorRef`, those covering that debtor: theirs and the client's), or of
    /// every client the scope sees, the latest first; `inForceOnly` leaves out the ended ones.
    public static func exclusions(
        clientRef: String?, debtorRef: String?, inForceOnly: Bool = false, scope: ClientScope = .all,
        on database: any Database
    ) async throws -> [AutomationExclusion] {
        let sql = database as! any SQLDatabase
        var condition: SQLQueryString = "1 = 1"
        if let clientRef {
            guard scope.allows(clientRef: clientRef),
                let clientID = try await ClientQueries.clientID(ref: clientRef, on: sql)
            else { throw StoreError.unknownClient(clientRef) }
            condition = "COALESCE(x.client_id, p.client_id) = \(bind: clientID)"
            if let debtorRef {
                let debtorID = try await debtorID(clientRef: clientRef, debtorRef: debtorRef, sql: sql)
                condition = "(x.debtor_id = \(bind: debtorID) OR x.client_id = \(bind: clientID))"
            }
        } else if debtorRef != nil {
            throw StoreError.invalid("a debtor's reference is its client's: give the client too")
        } else if let clientID = scope.clientID {
            condition = "COALESCE(x.client_id, p.client_id) = \(bind: clientID)"
        }
        if inForceOnly { condition = condition + " AND x.ended_at IS NULL" }
        return try await exclusions(where: condition, sql: sql)
    }

    // MARK: Reading and checking

    /// The reason, trimmed; refused when empty or longer than `maxReasonLength`.
    static func checkedReason(_ text: String, what: String) throws -> String {
        let reason = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw StoreError.invalid("give a reason for \(what)") }
        guard reason.count <= maxReasonLength else {
            throw StoreError.invalid(
                "the reason is \(reason.count) characters long; keep it to \(maxReasonLength)")
        }
        return reason
    }

    /// The id of the client's debtor with `debtorRef`; `unknownClient` or `unknownDebtor` otherwise.
    static func debtorID(clientRef: String, debtorRef: String, sql: any SQLDatabase) async throws -> Int64 {
        if let row = try await sql.raw(
            """
            SELECT p.id FROM debtors p JOIN clients c ON c.id = p.client_id \
            WHERE c.ref = \(bind: clientRef) AND p.ref = \(bind: debtorRef)
            """
        ).first() {
            return try row.decode(column: "id", as: Int64.self)
        }
        if try await ClientQueries.clientID(ref: clientRef, on: sql) == nil {
            throw StoreError.unknownClient(clientRef)
        }
        throw StoreError.unknownDebtor(client: clientRef, debtor: debtorRef)
    }

    private static func pauses(where condition: SQLQueryString, sql: any SQLDatabase) async throws -> [StrategyPause] {
        try await sql.raw(
            """
            SELECT s.id, s.debtor_id, s.debt_id, s.until_on, s.reason, s.created_by, s.created_at, s.ended_at, \
            s.ended_by, p.ref AS debtor_ref, c.ref AS client_ref, d.ref AS debt_ref FROM strategy_pauses s \
            JOIN debtors p ON p.id = s.debtor_id JOIN clients c ON c.id = p.client_id \
            LEFT JOIN debts d ON d.id = s.debt_id WHERE \(condition) ORDER BY s.id DESC
            """
        ).all().map { row in
            StrategyPause(
                id: try row.decode(column: "id", as: Int64.self),
                clientRef: try row.decode(column: "client_ref", as: String.self),
                debtorID: try row.decode(column: "debtor_id", as: Int64.self),
                debtorRef: try row.decode(column: "debtor_ref", as: String.self),
                debtID: try row.decode(column: "debt_id", as: Int64?.self),
                debtRef: try row.decode(column: "debt_ref", as: String?.self),
                until: LocalDate(daysSinceEpoch: try row.decode(column: "until_on", as: Int.self)),
                reason: try row.decode(column: "reason", as: String.self),
                createdBy: try row.decode(column: "created_by", as: String?.self),
                createdAt: try row.decode(column: "created_at", as: Date.self),
                endedAt: try row.decode(column: "ended_at", as: Date?.self),
                endedBy: try row.decode(column: "ended_by", as: String?.self))
        }
    }

    private static func exclusions(
        where condition: SQLQueryString, sql: any SQLDatabase
    ) async throws -> [AutomationExclusion] {
        try await sql.raw(
            """
            SELECT x.id, x.client_id, x.debtor_id, x.reason, x.created_by, x.created_at, x.ended_at, x.ended_by, \
            p.ref AS debtor_ref, c.id AS owner_id, c.ref AS client_ref FROM automation_exclusions x \
            LEFT JOIN debtors p ON p.id = x.debtor_id JOIN clients c ON c.id = COALESCE(x.client_id, p.client_id) \
            WHERE \(condition) ORDER BY x.id DESC
            """
        ).all().map { row in
            AutomationExclusion(
                id: try row.decode(column: "id", as: Int64.self),
                clientID: try row.decode(column: "owner_id", as: Int64.self),
                clientRef: try row.decode(column: "client_ref", as: String.self),
                debtorID: try row.decode(column: "debtor_id", as: Int64?.self),
                debtorRef: try row.decode(column: "debtor_ref", as: String?.self),
                reason: try row.decode(column: "reason", as: String.self),
                createdBy: try row.decode(column: "created_by", as: String?.self),
                createdAt: try row.decode(column: "created_at", as: Date.self),
                endedAt: try row.decode(column: "ended_at", as: Date?.self),
                endedBy: try row.decode(column: "ended_by", as: String?.self))
        }
    }
}

extension OnceOnly {
    /// The value made now; a repeat has none, which only a form's use case can answer (these callers pass no form).
    var madeNow: Value {
        get throws {
            switch self {
            case .done(let value): return value
            case .repeated: throw StoreError.invalid("this request was already made once")
            }
        }
    }
}

extension FormSubmissions {
    /// Runs `body` in one transaction, once per form when `submission` is given: the id is claimed first, and the
    /// same form sent again makes nothing and answers `.repeated`; what `body` made is recorded as `result`. A
    /// refusal rolls the claim back with everything else, so the corrected form can be sent.
    static func onceTransaction<T: Sendable>(
        _ submission: FormSubmission?, kind: String, now: Date, database: any Database,
        result: @escaping @Sendable (T) -> String,
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> OnceOnly<T> {
        try await PaymentStore.serializedTransaction(database) { sql in
            if let submission, let earlier = try await claim(submission, kind: kind, now: now, sql: sql) {
                return .repeated(earlier)
            }
            let value = try await body(sql)
            if let submission { try await complete(submission, result: result(value), sql: sql) }
            return .done(value)
        }
    }
}
