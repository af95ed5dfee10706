import FluentKit
import Foundation
import RecoupCore
import SQLKit

/// What a person may do to a message in the outbox by hand (the outbox page, issue 15).
public enum OutboxAction: String, Sendable, CaseIterable {
    /// Queue it again, due now: for a message that failed or was put off.
    case retry
    /// Withdraw it: for a message not yet taken by a sender.
    case cancel

    /// The statuses the action applies to. Not `sending` (a sender holds it and may have handed it to its service
    /// already: the contact would go unrecorded), not `sent` (it went), not `bounced` for a retry (the service
    /// accepted it once under its Message-ID, and the same message sent again may be dropped as a duplicate or
    /// bounce again: the address needs mending first).
    public var allowedStatuses: [OutboxStatus] {
        switch self {
        case .retry: [.failed, .deferred]
        case .cancel: [.queued, .deferred, .failed]
        }
    }

    /// "retried", "cancelled".
    public var pastTense: String {
        switch self {
        case .retry: "retried"
        case .cancel: "cancelled"
        }
    }

    /// True when the action applies to a message in `status`.
    public func applies(to status: OutboxStatus) -> Bool { allowedStatuses.contains(status) }
}

/// Why an action on a message was not done.
public enum OutboxActionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// There is no such message in the scope (another client's answers the same).
    case notFound(id: Int64)
    /// The message is in a status the action does not apply to.
    case notAllowed(id: Int64, status: OutboxStatus, action: OutboxAction)
    /// A cancellation needs a reason, of at most `limit` characters.
    case reason(limit: Int)

    public var description: String {
        switch self {
        case .notFound(let id): return "there is no message \(id) in the outbox"
        case .notAllowed(let id, let status, let action):
            let allowed = action.allowedStatuses.map(\.rawValue)
            let list = allowed.dropLast().joined(separator: ", ") + " or " + allowed[allowed.count - 1]
            let text = "message \(id) is \(status.rawValue); only a \(list) message can be \(action.pastTense)"
            switch (status, action) {
            case (.sending, _): return text + " (a sender holds it and may be handing it to its service now)"
            case (.bounced, .retry):
                return text + " (it came back undeliverable: mend the address, then queue a new message)"
            case (.queued, .retry): return text + " (it goes with the next delivery round already)"
            default: return text
            }
        case .reason(let limit): return "say why it is cancelled (at most \(limit) characters)"
        }
    }
}

/// A message's status changed by hand.
public struct OutboxStatusChange: Sendable, Equatable {
    public var messageID: Int64
    public var from: OutboxStatus
    public var to: OutboxStatus
    public var at: Date
}

/// One line of a message's history (`outbox_changes`): what it moved to, when, by whom and why.
public struct OutboxChange: Sendable, Equatable {
    public var status: OutboxStatus
    public var at: Date
    /// The attempt's number, the rules that stopped it, the service's answer, a person's reason.
    public var detail: String?
    /// `cli:USER`, `serve`, a user's email.
    public var changedBy: String?
}

/// A debt a message covers, for a link to its page.
public struct OutboxDebt: Sendable, Equatable {
    public var id: Int64
    public var ref: String
}

/// A message as the outbox page shows it: the message, and what delivering it has kept.
public struct OutboxEntry: Sendable, Equatable {
    public var message: OutboxMessage
    /// How many times a sender took it.
    public var attempts: Int
    /// The last answer of a failed attempt.
    public var lastError: String?
    /// The debts it covers, in reference order.
    public var debts: [OutboxDebt]
}

/// What the outbox page lists: a status, a channel (the client is the scope), a page at a time, the newest first.
public struct OutboxFilter: Sendable, Equatable {
    public var status: OutboxStatus?
    public var channel: MessageChannel?
    public var limit: Int
    /// The page of the messages queued before this one (the previous page's `next`).
    public var before: Int64?

    public init(status: OutboxStatus? = nil, channel: MessageChannel? = nil, limit: Int = 50, before: Int64? = nil) {
        self.status = status
        self.channel = channel
        self.limit = limit
        self.before = before
    }
}

/// A page of the outbox page's list, and the cursor of the next (older) page; nil on the last.
public struct OutboxEntries: Sendable, Equatable {
    public var entries: [OutboxEntry]
    public var next: Int64?
}

/// The outbox page's reads and the two things a person does to a message by hand: **retry** one that failed or was
/// put off (queued again, due now) and **cancel** one not yet taken by a sender. Each action is one transaction,
/// through the user's client scope, and is kept in the message's history with who did it and why, as delivery's own
/// changes are (`OutboxDelivery`).
extension OutboxStore {
    /// The longest reason a cancellation keeps.
    public static let longestReason = 500

    /// The messages `filter` selects in `scope`, the newest first.
    public static func entries(
        _ filter: OutboxFilter, scope: ClientScope, on database: any Database
    ) async throws -> OutboxEntries {
        guard (1...largestPage).contains(filter.limit) else {
            throw StoreError.invalid("limit is \(filter.limit); use 1 to \(largestPage)")
        }
        let sql = database as! any SQLDatabase
        var query: SQLQueryString = "SELECT m.id FROM outbox_messages m WHERE 1 = 1"
        if let status = filter.status { query += " AND m.status = \(bind: status.rawValue)" }
        if let channel = filter.channel { query += " AND m.channel = \(bind: channel.rawValue)" }
        if let clientID = scope.clientID { query += " AND m.client_id = \(bind: clientID)" }
        if let before = filter.before { query += " AND m.id < \(bind: before)" }
        query += " ORDER BY m.id DESC LIMIT \(bind: filter.limit + 1)"
        var ids = try await sql.raw(query).all().map { try $0.decode(column: "id", as: Int64.self) }
        var next: Int64? = nil
        if ids.count > filter.limit {
            ids.removeLast()
            next = ids.last
        }
        return OutboxEntries(entries: try await entries(ids: ids, sql: sql), next: next)
    }

    /// The message `id` with its delivery facts, or nil when there is none in `scope`.
    public static func entry(id: Int64, scope: ClientScope, on database: any Database) async throws -> OutboxEntry? {
        let sql = database as! any SQLDatabase
        guard try await exists(id: id, scope: scope, sql: sql) else { return nil }
        return try await entries(ids: [id], sql: sql).first
    }

    /// The history of the message `id` in `scope`, the oldest first; empty when there is none in the scope.
    public static func history(
        messageID id: Int64, scope: ClientScope, on database: any Database
    ) async throws -> [OutboxChange] {
        var query: SQLQueryString = """
            SELECT h.status, h.at, h.detail, h.changed_by FROM outbox_changes h \
            JOIN outbox_messages m ON m.id = h.message_id WHERE h.message_id = \(bind: id)
            """
        if let clientID = scope.clientID { query += " AND m.client_id = \(bind: clientID)" }
        query += " ORDER BY h.id"
        return try await (database as! any SQLDatabase).raw(query).all().map { row in
            let name = try row.decode(column: "status", as: String.self)
            guard let status = OutboxStatus(rawValue: name) else {
                throw StoreError.invalid("the history of message \(id) holds an unknown status \"\(name)\"")
            }
            return OutboxChange(
                status: status, at: try row.decode(column: "at", as: Date.self),
                detail: try row.decode(column: "detail", as: String?.self),
                changedBy: try row.decode(column: "changed_by", as: String?.self))
        }
    }

    /// Queues the failed or deferred message `id` again, due `now`, "retried by hand" by `by`; its attempts keep
    /// counting, so a retry after the backoff's last attempt gets one more. Delivery checks it again with the
    /// compliance engine when it goes, as any other. Once per form when `submission` is given.
    public static func retry(
        id: Int64, by: String?, now: Date, scope: ClientScope, once submission: FormSubmission? = nil,
        on database: any Database
    ) async throws -> OnceOnly<OutboxStatusChange> {
        try await change(
            id, .retry, to: .queued, detail: "retried by hand", by: by, now: now, scope: scope, once: submission,
            on: database)
    }

    /// Cancels the queued, deferred or failed message `id` for `reason`, by `by`. Once per form when `submission` is
    /// given.
    public static func cancel(
        id: Int64, reason: String, by: String?, now: Date, scope: ClientScope, once submission: FormSubmission? = nil,
        on database: any Database
    ) async throws -> OnceOnly<OutboxStatusChange> {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= longestReason else {
            throw OutboxActionError.reason(limit: longestReason)
        }
        return try await change(
            id, .cancel, to: .cancelled, detail: "cancelled by hand: \(reason)", by: by, now: now, scope: scope,
            once: submission, on: database)
    }

    /// Moves the message `id` in `scope` to `status` if `action` applies to the status it has, in one transaction
    /// that locks it first (a sender's claim skips a locked message on PostgreSQL; SQLite has one writer at a time).
    private static func change(
        _ id: Int64, _ action: OutboxAction, to status: OutboxStatus, detail: String, by: String?, now: Date,
        scope: ClientScope, once submission: FormSubmission?, on database: any Database
    ) async throws -> OnceOnly<OutboxStatusChange> {
        try await FormSubmissions.onceTransaction(
            submission, kind: "outbox-\(action.rawValue)", now: now, database: database,
            result: { String($0.messageID) }
        ) { sql in
            let lock = SQLFlavor(sql) == .postgres ? " FOR UPDATE" : ""
            var query: SQLQueryString = "SELECT status FROM outbox_messages WHERE id = \(bind: id)"
            if let clientID = scope.clientID { query += " AND client_id = \(bind: clientID)" }
            query += "\(unsafeRaw: lock)"
            guard let row = try await sql.raw(query).first() else { throw OutboxActionError.notFound(id: id) }
            let name = try row.decode(column: "status", as: String.self)
            guard let current = OutboxStatus(rawValue: name) else {
                throw StoreError.invalid("message \(id) has an unknown status \"\(name)\"")
            }
            guard action.applies(to: current) else {
                throw OutboxActionError.notAllowed(id: id, status: current, action: action)
            }
            let due: SQLQueryString = status == .queued ? ", send_after = \(bind: now)" : ""
            try await sql.raw(
                """
                UPDATE outbox_messages SET status = \(bind: status.rawValue), status_changed_at = \(bind: now), \
                claimed_until = NULL\(due) WHERE id = \(bind: id)
                """
            ).run()
            try await OutboxDelivery.change(id, status, now: now, by: by, detail: detail, sql: sql)
            return OutboxStatusChange(messageID: id, from: current, to: status, at: now)
        }
    }

    private static func exists(id: Int64, scope: ClientScope, sql: any SQLDatabase) async throws -> Bool {
        var query: SQLQueryString = "SELECT id FROM outbox_messages WHERE id = \(bind: id)"
        if let clientID = scope.clientID { query += " AND client_id = \(bind: clientID)" }
        return try await sql.raw(query).first() != nil
    }

    /// The messages `ids` (already limited to a scope) in that order, with their delivery facts and debts.
    private static func entries(ids: [Int64], sql: any SQLDatabase) async throws -> [OutboxEntry] {
        guard !ids.isEmpty else { return [] }
        let messages = Dictionary(
            uniqueKeysWithValues: try await messages(ids: ids, sql: sql).map { ($0.id, $0) })
        let list = SQLQueryString.integerList(ids)
        var delivery: [Int64: (attempts: Int, lastError: String?)] = [:]
        for row in try await sql.raw("SELECT id, attempts, last_error FROM outbox_messages WHERE id IN (\(list))")
            .all()
        {
            delivery[try row.decode(column: "id", as: Int64.self)] = (
                try row.decode(column: "attempts", as: Int.self),
                try row.decode(column: "last_error", as: String?.self)
            )
        }
        var debts: [Int64: [OutboxDebt]] = [:]
        for row in try await sql.raw(
            """
            SELECT a.message_id, d.id, d.ref FROM strategy_actions a JOIN debts d ON d.id = a.debt_id \
            WHERE a.message_id IN (\(list)) ORDER BY d.ref, d.id
            """
        ).all() {
            let messageID = try row.decode(column: "message_id", as: Int64.self)
            let debt = OutboxDebt(
                id: try row.decode(column: "id", as: Int64.self), ref: try row.decode(column: "ref", as: String.self))
            if debts[messageID]?.contains(debt) != true { debts[messageID, default: []].append(debt) }
        }
        return ids.compactMap { id in
            messages[id].map { message in
                OutboxEntry(
                    message: message, attempts: delivery[id]?.attempts ?? 0, lastError: delivery[id]?.lastError,
                    debts: debts[id] ?? [])
            }
        }
    }
}
