import FluentKit
import Foundation
import RecoupCore
import SQLKit

/// Who a portal link belongs to.
public struct PortalDebtor: Sendable {
    public var debtorID: Int64
    public var debtorRef: String
    public var debtorName: String
    public var clientID: Int64
    public var clientRef: String
    public var clientName: String
}

/// Debtor portal links: a long random token per debtor (only its SHA-256 is stored), expiring and revocable; no
/// password.
public enum PortalLinks {
    /// Creates a link valid for `days` days; returns the token (shown once) and the last day it works.
    public static func create(
        clientRef: String, debtorRef: String, days: Int, on database: any Database, now: Date
    )
        async throws -> (token: String, expires: Date)
    {
        try await insert(
            clientRef: clientRef, debtorRef: debtorRef, days: days, now: now, sql: database as! any SQLDatabase)
    }

    /// `create(…)` for a form (`submission`, the debt page's): the form's id is claimed in the link's own transaction,
    /// so the same form sent twice makes one link; the second answers `.repeated` (the token is not kept, so it cannot
    /// be shown again).
    public static func create(
        clientRef: String, debtorRef: String, days: Int, once submission: FormSubmission, on database: any Database,
        now: Date
    ) async throws -> OnceOnly<(token: String, expires: Date)> {
        try await PaymentStore.serializedTransaction(database) { sql in
            if let earlier = try await FormSubmissions.claim(submission, kind: "portal_link", now: now, sql: sql) {
                return .repeated(earlier)
            }
            let link = try await insert(clientRef: clientRef, debtorRef: debtorRef, days: days, now: now, sql: sql)
            try await FormSubmissions.complete(submission, result: debtorRef, sql: sql)
            return .done(link)
        }
    }

    private static func insert(
        clientRef: String, debtorRef: String, days: Int, now: Date, sql: any SQLDatabase
    ) async throws -> (token: String, expires: Date) {
        guard (1...365).contains(days) else { throw StoreError.invalid("a portal link lasts 1 to 365 days") }
        let debtorID = try await self.debtorID(clientRef: clientRef, debtorRef: debtorRef, on: sql)
        return try await insert(debtorID: debtorID, days: days, now: now, sql: sql)
    }

    /// Makes a link for the debtor `debtorID` inside the caller's transaction (the daily run's messages carry one).
    static func insert(
        debtorID: Int64, days: Int, now: Date, sql: any SQLDatabase
    ) async throws -> (token: String, expires: Date) {
        let token = UserStore.randomSecret()
        let expires = now.addingTimeInterval(TimeInterval(days) * 86_400)
        try await sql.raw(
            """
            INSERT INTO portal_links (debtor_id, token_hash, created_at, expires_at) VALUES \
            (\(bind: debtorID), \(bind: UserStore.sha256Hex(token)), \(bind: now), \(bind: expires))
            """
        ).run()
        return (token, expires)
    }

    /// Revokes every live link of the debtor; returns how many.
    public static func revoke(
        clientRef: String, debtorRef: String, on database: any Database, now: Date
    ) async throws -> Int {
        let sql = database as! any SQLDatabase
        let debtorID = try await self.debtorID(clientRef: clientRef, debtorRef: debtorRef, on: sql)
        let count =
            try await sql.raw(
                "SELECT COUNT(*) AS n FROM portal_links WHERE debtor_id = \(bind: debtorID) AND revoked_at IS NULL"
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        try await sql.raw(
            "UPDATE portal_links SET revoked_at = \(bind: now) WHERE debtor_id = \(bind: debtorID) AND revoked_at IS NULL"
        ).run()
        return count
    }

    /// The debtor a live link belongs to; nil when the token is unknown, expired or revoked.
    public static func debtor(token: String, on database: any Database, now: Date) async throws -> PortalDebtor? {
        let sql = database as! any SQLDatabase
        guard
            let row = try await sql.raw(
                """
                SELECT p.id, p.ref, p.name, c.id AS client_id, c.ref AS client_ref, c.name AS client_name, l.expires_at, \
                l.revoked_at FROM portal_links l JOIN debtors p ON p.id = l.debtor_id JOIN clients c ON c.id = p.client_id \
                WHERE l.token_hash = \(bind: UserStore.sha256Hex(token))
                """
            ).first(),
            try row.decode(column: "revoked_at", as: Date?.self) == nil,
            try row.decode(column: "expires_at", as: Date.self) > now
        else { return nil }
        return PortalDebtor(
            debtorID: try row.decode(column: "id", as: Int64.self),
            debtorRef: try row.decode(column: "ref", as: String.self),
            debtorName: try row.decode(column: "name", as: String.self),
            clientID: try row.decode(column: "client_id", as: Int64.self),
            clientRef: try row.decode(column: "client_ref", as: String.self),
            clientName: try row.decode(column: "client_name", as: String.self))
    }

    /// The debtor's debts, open first, oldest due first, through the scope of their client.
    public static func debts(of debtor: PortalDebtor, on database: any Database) async throws -> [DebtSummary] {
        let sql = database as! any SQLDatabase
        let ids = try await sql.raw(
            "SELECT id FROM debts WHERE debtor_id = \(bind: debtor.debtorID) ORDER BY due_on, ref"
        ).all().map { try $0.decode(column: "id", as: Int64.self) }
        var debts: [DebtSummary] = []
        for id in ids {
            if let debt = try await DebtQueries.debt(
                id: id, scope: .client(id: debtor.clientID, ref: debtor.clientRef), on: database)
            {
                debts.append(debt)
            }
        }
        return debts.sorted { ($0.isOpen ? 0 : 1, $0.dueOn) < ($1.isOpen ? 0 : 1, $1.dueOn) }
    }

    /// The refs of the debtor's proposed (not yet accepted) arrangements.
    public static func proposedArrangements(of debtor: PortalDebtor, on database: any Database) async throws -> [String]
    {
        try await (database as! any SQLDatabase).raw(
            "SELECT ref FROM arrangements WHERE debtor_id = \(bind: debtor.debtorID) AND state = 'proposed' ORDER BY id"
        ).all().map { try $0.decode(column: "ref", as: String.self) }
    }

    private static func debtorID(clientRef: String, debtorRef: String, on sql: any SQLDatabase) async throws -> Int64 {
        guard
            let row = try await sql.raw(
                """
                SELECT p.id FROM debtors p JOIN clients c ON c.id = p.client_id \
                WHERE c.ref = \(bind: clientRef) AND p.ref = \(bind: debtorRef)
                """
            ).first()
        else {
            if try await ClientQueries.clientID(ref: clientRef, on: sql) == nil {
                throw StoreError.unknownClient(clientRef)
            }
            throw StoreError.unknownDebtor(client: clientRef, debtor: debtorRef)
        }
        return try row.decode(column: "id", as: Int64.self)
    }
}
