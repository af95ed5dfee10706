import FluentKit
import RecoupCore
import SQLKit

/// A client as the admin pages list it.
public struct ClientSummary: Sendable, Equatable {
    public var id: Int64
    public var ref: String
    public var name: String
    /// How many debts and users the client has.
    public var debtCount: Int
    public var userCount: Int
    /// True when the client's own terms were set (otherwise the standard terms apply).
    public var hasTerms: Bool
}

/// The clients, for the admin pages, the reports page and the dashboard's warm-up.
public enum ClientDirectory {
    /// Every client with its counts, by reference.
    public static func summaries(on database: any Database) async throws -> [ClientSummary] {
        try await (database as! any SQLDatabase).raw(
            """
            SELECT c.id, c.ref, c.name, c.terms, (SELECT COUNT(*) FROM debts d WHERE d.client_id = c.id) AS debts, \
            (SELECT COUNT(*) FROM users u WHERE u.client_id = c.id) AS users FROM clients c ORDER BY c.ref
            """
        ).all().map { row in
            ClientSummary(
                id: try row.decode(column: "id", as: Int64.self), ref: try row.decode(column: "ref", as: String.self),
                name: try row.decode(column: "name", as: String.self),
                debtCount: try row.decode(column: "debts", as: Int.self),
                userCount: try row.decode(column: "users", as: Int.self),
                hasTerms: try row.decode(column: "terms", as: String?.self) != nil)
        }
    }

    /// The clients' ids, references and names, by reference; at most `limit` of them when given.
    public static func clients(
        limit: Int? = nil, on database: any Database
    ) async throws
        -> [(id: Int64, ref: String, name: String)]
    {
        let suffix: SQLQueryString = limit.map { " LIMIT \(bind: $0)" } ?? ""
        return try await (database as! any SQLDatabase).raw("SELECT id, ref, name FROM clients ORDER BY ref\(suffix)")
            .all().map { row in
                (
                    try row.decode(column: "id", as: Int64.self), try row.decode(column: "ref", as: String.self),
                    try row.decode(column: "name", as: String.self)
                )
            }
    }

    /// The scope of one client's own staff, for agency staff looking at that client; `unknownClient` when there is
    /// no such client.
    public static func scope(clientRef: String, on database: any Database) async throws -> ClientScope {
        guard let id = try await ClientQueries.clientID(ref: clientRef, on: database as! any SQLDatabase) else {
            throw StoreError.unknownClient(clientRef)
        }
        return .client(id: id, ref: clientRef)
    }
}
