import Crypto
import FluentKit
import Foundation
import SQLKit

/// One state-changing request: who, what, when, from where, and how it ended.
public struct AuditEntry: Sendable, Equatable {
    public var at: Date
    /// The user's email, `portal:DEBTOR`, or `anonymous`.
    public var actor: String
    /// The method and route (`POST /api/v1/payments`).
    public var action: String
    /// The path asked for.
    public var target: String
    /// The client's address.
    public var source: String
    /// The HTTP status answered.
    public var status: Int

    public init(at: Date, actor: String, action: String, target: String, source: String, status: Int) {
        self.at = at
        self.actor = actor
        self.action = action
        self.target = target
        self.source = source
        self.status = status
    }
}

/// What `verify` found.
public struct AuditVerification: Sendable, Equatable {
    public var entries: Int
    /// The id of the first entry whose hash or link does not match, if any.
    public var firstBroken: Int64?
    public var reason: String?

    public init(entries: Int, firstBroken: Int64?, reason: String?) {
        self.entries = entries
        self.firstBroken = firstBroken
        self.reason = reason
    }
}

/// The append-only, hash-chained audit trail: each entry's hash covers its fields and the previous entry's hash, so
/// changing, removing or reordering any entry breaks every link after it.
public enum AuditStore {
    /// The hash before the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// Appends an entry, chained to the last one (writers take turns so the chain never forks).
    public static func append(_ entry: AuditEntry, on database: any Database) async throws {
        try await PaymentStore.serializedTransaction(database) { sql in
            if SQLFlavor(sql) == .postgres { try await sql.raw("LOCK TABLE audit_log IN EXCLUSIVE MODE").run() }
            let previous =
                try await sql.raw("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").first()?
                .decode(column: "hash", as: String.self) ?? genesis
            let at = Date(timeIntervalSince1970: (entry.at.timeIntervalSince1970 * 1000).rounded() / 1000)
            var stamped = entry
            stamped.at = at
            try await sql.raw(
                """
                INSERT INTO audit_log (at, actor, action, target, source, status, previous_hash, hash) VALUES \
                (\(bind: at), \(bind: entry.actor), \(bind: entry.action), \(bind: entry.target), \(bind: entry.source), \
                \(bind: entry.status), \(bind: previous), \(bind: hash(stamped, previous: previous)))
                """
            ).run()
        }
    }

    /// Walks the chain from the first entry and reports the first broken link.
    public static func verify(on database: any Database) async throws -> AuditVerification {
        let sql = database as! any SQLDatabase
        let rows = try await sql.raw(
            "SELECT id, at, actor, action, target, source, status, previous_hash, hash FROM audit_log ORDER BY id"
        ).all()
        var previous = genesis
        for (index, row) in rows.enumerated() {
            let id = try row.decode(column: "id", as: Int64.self)
            let entry = AuditEntry(
                at: try row.decode(column: "at", as: Date.self),
                actor: try row.decode(column: "actor", as: String.self),
                action: try row.decode(column: "action", as: String.self),
                target: try row.decode(column: "target", as: String.self),
                source: try row.decode(column: "source", as: String.self),
                status: try row.decode(column: "status", as: Int.self))
            let storedPrevious = try row.decode(column: "previous_hash", as: String.self)
            guard storedPrevious == previous else {
                return AuditVerification(
                    entries: index, firstBroken: id,
                    reason: "entry \(id) does not link to the entry before it (an entry was removed or reordered)")
            }
            let stored = try row.decode(column: "hash", as: String.self)
            guard stored == hash(entry, previous: previous) else {
                return AuditVerification(
                    entries: index, firstBroken: id, reason: "entry \(id) was changed after it was written")
            }
            previous = stored
        }
        return AuditVerification(entries: rows.count, firstBroken: nil, reason: nil)
    }

    /// The SHA-256 over the previous hash and the entry's fields, each length-prefixed so no two entries collide.
    static func hash(_ entry: AuditEntry, previous: String) -> String {
        let millis = Int64((entry.at.timeIntervalSince1970 * 1000).rounded())
        var text = previous
        for field in [String(millis), entry.actor, entry.action, entry.target, entry.source, String(entry.status)] {
            text += "|\(field.utf8.count):\(field)"
        }
        return UserStore.hex(SHA256.hash(data: Data(text.utf8)))
    }
}
