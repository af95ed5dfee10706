import FluentKit
import Foundation
import RecoupCore
import SQLKit

/// Where a message in the outbox stands. The daily run queues messages; delivery (`recoup outbox send`) moves them on.
public enum OutboxStatus: String, CaseIterable, Sendable {
    /// Rendered, linted and waiting for its send time.
    case queued
    /// Taken by a sender (`recoup outbox send`), being checked again and handed to its service.
    case sending
    /// Delivered to the mail, text or letter service.
    case sent
    /// Tried and put off to a later time (the service was unavailable, or the debtor's hours had passed).
    case deferred
    /// Delivery failed for good.
    case failed
    /// Accepted by the service, then returned as undeliverable (a bounce).
    case bounced
    /// Withdrawn before it was sent (the debt was paid, a hold applied).
    case cancelled

    /// The statuses in a sentence: "queued, sending, sent, deferred, failed, bounced or cancelled".
    public static var choices: String {
        let names = allCases.map(\.rawValue)
        return names.dropLast().joined(separator: ", ") + " or " + names[names.count - 1]
    }
}

/// One message in the outbox, with the debts it is about.
public struct OutboxMessage: Sendable, Equatable {
    public var id: Int64
    public var clientRef: String
    public var debtorID: Int64
    public var debtorRef: String
    public var debtorName: String
    public var channel: MessageChannel
    /// The address, number or mailing address it goes to; nil when none was known.
    public var recipient: String?
    /// An email's subject; nil for texts and letters.
    public var subject: String?
    public var body: String
    /// The template it was rendered from (`reminder`).
    public var template: String
    public var status: OutboxStatus
    /// The earliest moment it may be sent: inside the debtor's allowed hours in every zone that may apply.
    public var sendAfter: Date
    /// The day of the run (or the person's step) that wrote it.
    public var asOf: LocalDate
    /// The strategy step it carries out, and the run that queued it (nil for a step run by hand).
    public var stepID: String?
    public var runID: Int64?
    /// Who queued it by hand; nil for the run.
    public var createdBy: String?
    public var createdAt: Date
    public var statusChangedAt: Date?
    /// The references of the debts it covers (the actions that name it), in reference order.
    public var debtRefs: [String]
    /// The client's id and the debtor's language: which wording of its template is in force.
    public var clientID: Int64 = 0
    public var language: MessageLanguage = .en
}

/// A page of the outbox: the messages and the cursor of the next page (the last id; nil on the last page).
public struct OutboxPage: Sendable, Equatable {
    public var messages: [OutboxMessage]
    public var next: Int64?
}

/// Reads the outbox (`outbox_messages`, M021): the list `recoup outbox list` and `GET /api/v1/outbox` show and a
/// debtor's messages for the debt page's timeline. Every read goes through a client scope, so a client's staff see
/// their own client's messages only. The daily run writes the messages (`RunStore`).
public enum OutboxStore {
    /// The most messages one page holds.
    public static let largestPage = 500

    /// The messages in the order they were queued (id), `limit` at a time after the message `after`; only those with
    /// `status` when given. `limit` must be 1…`largestPage`.
    public static func list(
        status: OutboxStatus? = nil, scope: ClientScope, limit: Int = 50, after: Int64? = nil,
        on database: any Database
    ) async throws -> OutboxPage {
        guard (1...largestPage).contains(limit) else {
            throw StoreError.invalid("limit is \(limit); use 1 to \(largestPage)")
        }
        let sql = database as! any SQLDatabase
        var query = select + " WHERE 1 = 1"
        if let status { query += " AND m.status = \(bind: status.rawValue)" }
        if let clientID = scope.clientID { query += " AND m.client_id = \(bind: clientID)" }
        if let after { query += " AND m.id > \(bind: after)" }
        query += " ORDER BY m.id LIMIT \(bind: limit + 1)"
        var messages = try await read(query, sql: sql)
        var next: Int64? = nil
        if messages.count > limit {
            messages.removeLast()
            next = messages.last?.id
        }
        return OutboxPage(messages: messages, next: next)
    }

    /// A debtor's messages, newest send time first (for the debt page's timeline); none when the debtor is outside
    /// the scope.
    public static func messages(
        debtorID: Int64, scope: ClientScope = .all, on database: any Database
    ) async throws -> [OutboxMessage] {
        var query = select + " WHERE m.debtor_id = \(bind: debtorID)"
        if let clientID = scope.clientID { query += " AND m.client_id = \(bind: clientID)" }
        query += " ORDER BY m.send_after DESC, m.id DESC"
        return try await read(query, sql: database as! any SQLDatabase)
    }

    /// The messages `ids` names, whatever their client, by id.
    static func messages(ids: [Int64], sql: any SQLDatabase) async throws -> [OutboxMessage] {
        guard !ids.isEmpty else { return [] }
        return try await read(select + " WHERE m.id IN (\(SQLQueryString.integerList(ids))) ORDER BY m.id", sql: sql)
    }

    private static let select: SQLQueryString = """
        SELECT m.id, c.ref AS client_ref, m.debtor_id, p.ref AS debtor_ref, p.name AS debtor_name, m.channel, \
        m.recipient, m.subject, m.body, m.template, m.status, m.send_after, m.as_of, m.step_id, m.run_id, m.created_by, \
        m.created_at, m.status_changed_at, m.client_id, p.language FROM outbox_messages m \
        JOIN clients c ON c.id = m.client_id \
        JOIN debtors p ON p.id = m.debtor_id
        """

    /// The messages `query` selects, each with the references of the debts whose actions name it.
    private static func read(_ query: SQLQueryString, sql: any SQLDatabase) async throws -> [OutboxMessage] {
        var messages = try await sql.raw(query).all().map { row in
            let channelName = try row.decode(column: "channel", as: String.self)
            guard let channel = MessageChannel(rawValue: channelName) else {
                throw StoreError.invalid("the outbox holds a message by an unknown channel \"\(channelName)\"")
            }
            let statusName = try row.decode(column: "status", as: String.self)
            guard let status = OutboxStatus(rawValue: statusName) else {
                throw StoreError.invalid("the outbox holds a message with an unknown status \"\(statusName)\"")
            }
            return OutboxMessage(
                id: try row.decode(column: "id", as: Int64.self),
                clientRef: try row.decode(column: "client_ref", as: String.self),
                debtorID: try row.decode(column: "debtor_id", as: Int64.self),
                debtorRef: try row.decode(column: "debtor_ref", as: String.self),
                debtorName: try row.decode(column: "debtor_name", as: String.self), channel: channel,
                recipient: try row.decode(column: "recipient", as: String?.self),
                subject: try row.decode(column: "subject", as: String?.self),
                body: try row.decode(column: "body", as: String.self),
                template: try row.decode(column: "template", as: String.self),
                status: status,
                sendAfter: try row.decode(column: "send_after", as: Date.self),
                asOf: LocalDate(daysSinceEpoch: try row.decode(column: "as_of", as: Int.self)),
                stepID: try row.decode(column: "step_id", as: String?.self),
                runID: try row.decode(column: "run_id", as: Int64?.self),
                createdBy: try row.decode(column: "created_by", as: String?.self),
                createdAt: try row.decode(column: "created_at", as: Date.self),
                statusChangedAt: try row.decode(column: "status_changed_at", as: Date?.self), debtRefs: [],
                clientID: try row.decode(column: "client_id", as: Int64.self),
                language: try row.decode(column: "language", as: String?.self).flatMap { MessageLanguage(rawValue: $0) }
                    ?? .en)
        }
        guard !messages.isEmpty else { return messages }
        var refs: [Int64: [String]] = [:]
        for row in try await sql.raw(
            """
            SELECT a.message_id, d.ref FROM strategy_actions a JOIN debts d ON d.id = a.debt_id \
            WHERE a.message_id IN (\(SQLQueryString.boundList(messages.map(\.id)))) ORDER BY d.ref
            """
        ).all() {
            let id = try row.decode(column: "message_id", as: Int64.self)
            let ref = try row.decode(column: "ref", as: String.self)
            if refs[id]?.contains(ref) != true { refs[id, default: []].append(ref) }
        }
        for index in messages.indices { messages[index].debtRefs = refs[messages[index].id] ?? [] }
        return messages
    }

    /// Queues a message as the run does (for tests): returns its id. `debtIDs` get a `created` action of step `stepID`
    /// that names it, as the run's actions do.
    static func insert(
        clientID: Int64, debtorID: Int64, channel: MessageChannel, recipient: String?, subject: String?,
        body: String, template: String, status: OutboxStatus = .queued, sendAfter: Date, asOf: LocalDate,
        stepID: String? = nil, runID: Int64? = nil, debtIDs: [Int64] = [], createdBy: String? = nil,
        on database: any Database, now: Date
    ) async throws -> Int64 {
        try await PaymentStore.serializedTransaction(database) { sql in
            let row = try await sql.raw(
                """
                INSERT INTO outbox_messages (client_id, debtor_id, channel, recipient, subject, body, template, status, \
                send_after, as_of, step_id, run_id, created_by, created_at) VALUES (\(bind: clientID), \
                \(bind: debtorID), \(bind: channel.rawValue), \(bind: recipient), \(bind: subject), \(bind: body), \
                \(bind: template), \(bind: status.rawValue), \(bind: sendAfter), \(bind: asOf.daysSinceEpoch), \
                \(bind: stepID), \(bind: runID), \(bind: createdBy), \(bind: now)) RETURNING id
                """
            ).first()!
            let id = try row.decode(column: "id", as: Int64.self)
            for debtID in debtIDs {
                try await sql.raw(
                    """
                    INSERT INTO strategy_actions (debt_id, step_id, occurrence, scheduled_on, status, action, run_id, \
                    as_of, reason, message_id, planned_at, created_by, created_at) VALUES (\(bind: debtID), \
                    \(bind: stepID ?? "by-hand-\(id)"), 1, \(bind: asOf.daysSinceEpoch), 'created', \
                    \(bind: channel.rawValue), \(bind: runID), \(bind: asOf.daysSinceEpoch), 'test', \(bind: id), \
                    \(bind: sendAfter), \(bind: createdBy), \(bind: now))
                    """
                ).run()
            }
            return id
        }
    }
}
