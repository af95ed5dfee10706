import FluentKit
import Foundation
import RecoupCore
import SQLKit

/// One activated version of a strategy file, or the built-in default (`DefaultStrategy`, version 0, no id).
public struct StoredStrategy: Sendable, Equatable {
    /// The row's id; nil for the built-in default.
    public var id: Int64?
    /// 1, 2, 3… per scope (a client's own versions, or the default's); 0 for the built-in default.
    public var version: Int
    public var name: String
    /// The client whose own strategy this is; nil for a default every client without its own uses.
    public var clientRef: String?
    /// The file as activated, word for word.
    public var source: String
    public var strategy: Strategy
    public var activatedAt: Date?
    public var activatedBy: String?

    public init(
        id: Int64?, version: Int, name: String, clientRef: String?, source: String, strategy: Strategy,
        activatedAt: Date?, activatedBy: String?
    ) {
        self.id = id
        self.version = version
        self.name = name
        self.clientRef = clientRef
        self.source = source
        self.strategy = strategy
        self.activatedAt = activatedAt
        self.activatedBy = activatedBy
    }

    /// The built-in default, used while no default has been activated.
    public static let builtIn = StoredStrategy(
        id: nil, version: 0, name: DefaultStrategy.strategy.name, clientRef: nil, source: DefaultStrategy.source,
        strategy: DefaultStrategy.strategy, activatedAt: nil, activatedBy: nil)

    /// True for the built-in default.
    public var isBuiltIn: Bool { id == nil }

    /// How many steps its tracks have in all.
    public var stepCount: Int { strategy.tracks.reduce(0) { $0 + $1.steps.count } }
}

/// A version as `recoup strategy list` shows it: active when it is the highest version of its scope (the built-in
/// default is active while no default version is stored).
public struct StrategyVersionListing: Sendable, Equatable {
    public var stored: StoredStrategy
    public var isActive: Bool

    public init(stored: StoredStrategy, isActive: Bool) {
        self.stored = stored
        self.isActive = isActive
    }
}

/// The strategies in force: each client's own, and the default for every other client. The run reads them once.
public struct ActiveStrategies: Sendable, Equatable {
    /// The default's highest version, or the built-in default.
    public var fallback: StoredStrategy
    /// The clients' own highest versions, by client id.
    public var byClient: [Int64: StoredStrategy]

    public init(fallback: StoredStrategy, byClient: [Int64: StoredStrategy]) {
        self.fallback = fallback
        self.byClient = byClient
    }

    /// The strategy the client uses: its own, else the default.
    public func strategy(forClient clientID: Int64) -> StoredStrategy { byClient[clientID] ?? fallback }
}

/// Strategy files, versioned per client (docs/strategies.md): activating stores a new version and the older ones stay
/// readable; a client without a version of its own uses the default's highest version, or the built-in default.
public enum StrategyStore {
    /// Reads `source` (a bad file throws `StrategyFileError` with every problem) and stores it as the next version
    /// of the client's own strategy, or of the default when `clientRef` is nil. `unknownClient` for a client that
    /// does not exist.
    public static func activate(
        source: String, clientRef: String?, by: String?, now: Date, on database: any Database
    ) async throws -> StoredStrategy {
        let strategy = try StrategyDocument.parse(source)
        return try await PaymentStore.serializedTransaction(database) { sql in
            let scope = try await ClientQueries.scopeID(clientRef: clientRef, sql: sql)
            if SQLFlavor(sql) == .postgres {
                // Two activations at once would both read the same highest version; one waits for the other.
                try await sql.raw("LOCK TABLE strategies IN SHARE ROW EXCLUSIVE MODE").run()
            }
            let highest = try await sql.raw(
                "SELECT MAX(version) AS version FROM strategies WHERE scope_client_id = \(bind: scope)"
            ).first()?.decode(column: "version", as: Int?.self)
            let version = (highest ?? 0) + 1
            guard
                let id = try await sql.raw(
                    """
                    INSERT INTO strategies (scope_client_id, version, name, source, activated_at, activated_by) \
                    VALUES (\(bind: scope), \(bind: version), \(bind: strategy.name), \(bind: source), \(bind: now), \
                    \(bind: by)) RETURNING id
                    """
                ).first()?.decode(column: "id", as: Int64.self),
                let stored = try await versions(where: "s.id = \(bind: id)", sql: sql).first
            else { throw StoreError.invalid("the strategy could not be stored") }
            return stored
        }
    }

    /// Every stored version, newest first, each saying whether it is in force; the built-in default last.
    public static func list(on database: any Database) async throws -> [StrategyVersionListing] {
        let stored = try await rows(where: nil, limit: nil, sql: database as! any SQLDatabase)
        var highest: [Int64: Int] = [:]
        for (scope, version) in stored { highest[scope] = max(highest[scope] ?? 0, version.version) }
        let newestFirst = stored.sorted {
            ($0.stored.activatedAt ?? .distantPast, $0.stored.id ?? 0) > (
                $1.stored.activatedAt ?? .distantPast, $1.stored.id ?? 0
            )
        }
        let listings = newestFirst.map {
            StrategyVersionListing(stored: $0.stored, isActive: highest[$0.scope] == $0.stored.version)
        }
        return listings + [StrategyVersionListing(stored: .builtIn, isActive: highest[0] == nil)]
    }

    /// One strategy: with no name and no version, the one in force for the client (its own, else the default's) or
    /// for clients without their own; `version` picks a version of the client's own (or the default's) strategy, 0
    /// the built-in default; `name` the newest version with that name, the client's own first, then the default's.
    /// `unknownClient`, or `invalid` when there is no such version or name.
    public static func show(
        name: String?, clientRef: String?, version: Int?, on database: any Database
    ) async throws -> StoredStrategy {
        let sql = database as! any SQLDatabase
        let scope = try await ClientQueries.scopeID(clientRef: clientRef, sql: sql)
        let whose = clientRef.map { "client \"\($0)\"'s own strategy" } ?? "the default strategy"
        if let version {
            if version == 0 && (name == nil || name == StoredStrategy.builtIn.name) { return .builtIn }
            guard
                let found = try await versions(
                    where: "s.scope_client_id = \(bind: scope) AND s.version = \(bind: version)", sql: sql
                ).first
            else { throw StoreError.invalid("there is no version \(version) of \(whose)") }
            if let name, found.name != name {
                throw StoreError.invalid("version \(version) of \(whose) is named \"\(found.name)\", not \"\(name)\"")
            }
            return found
        }
        let scopes: [Int64] = scope == 0 ? [0] : [scope, 0]
        for candidate in scopes {
            let condition: SQLQueryString =
                name.map { "s.scope_client_id = \(bind: candidate) AND s.name = \(bind: $0)" }
                ?? "s.scope_client_id = \(bind: candidate)"
            if let found = try await versions(where: condition, sql: sql).first { return found }
        }
        if name == nil || name == StoredStrategy.builtIn.name { return .builtIn }
        let place = clientRef.map { "for client \"\($0)\" or the default" } ?? "among the default strategies"
        throw StoreError.invalid("there is no strategy named \"\(name ?? "")\" \(place)")
    }

    /// The strategy in force for the client: its own highest version, else the default's, else the built-in.
    public static func active(clientID: Int64, sql: any SQLDatabase) async throws -> StoredStrategy {
        try await versions(where: "s.scope_client_id IN (\(bind: clientID), 0)", limit: 1, sql: sql).first ?? .builtIn
    }

    /// Every client's own strategy in force and the default, read at once (for the run).
    public static func allActive(sql: any SQLDatabase) async throws -> ActiveStrategies {
        let active = try await rows(
            where: """
                s.version = (SELECT MAX(t.version) FROM strategies t WHERE t.scope_client_id = s.scope_client_id)
                """, limit: nil, sql: sql)
        var byClient: [Int64: StoredStrategy] = [:]
        var fallback = StoredStrategy.builtIn
        for (scope, stored) in active {
            if scope == 0 { fallback = stored } else { byClient[scope] = stored }
        }
        return ActiveStrategies(fallback: fallback, byClient: byClient)
    }

    /// `allActive` on a database.
    public static func allActive(on database: any Database) async throws -> ActiveStrategies {
        try await allActive(sql: database as! any SQLDatabase)
    }

    // MARK: Rows

    /// The versions matching `condition` (all of them without one), the client's own before the default's, newest
    /// first.
    private static func versions(
        where condition: SQLQueryString? = nil, limit: Int? = nil, sql: any SQLDatabase
    ) async throws -> [StoredStrategy] {
        try await rows(where: condition, limit: limit, sql: sql).map(\.stored)
    }

    private static func rows(
        where condition: SQLQueryString?, limit: Int?, sql: any SQLDatabase
    ) async throws -> [(scope: Int64, stored: StoredStrategy)] {
        var query: SQLQueryString = """
            SELECT s.id, s.scope_client_id, s.version, s.name, s.source, s.activated_at, s.activated_by, \
            c.ref AS client_ref FROM strategies s LEFT JOIN clients c ON c.id = s.scope_client_id
            """
        if let condition { query = query + " WHERE " + condition }
        query = query + " ORDER BY s.scope_client_id DESC, s.version DESC"
        if let limit { query = query + " LIMIT \(bind: limit)" }
        return try await sql.raw(query).all().map { row in
            let scope = try row.decode(column: "scope_client_id", as: Int64.self)
            let version = try row.decode(column: "version", as: Int.self)
            let clientRef = scope == 0 ? nil : try row.decode(column: "client_ref", as: String?.self)
            let source = try row.decode(column: "source", as: String.self)
            let strategy: Strategy
            do throws(StrategyFileError) {
                strategy = try StrategyDocument.parse(source)
            } catch {
                // Stored files were read when activated; one that no longer reads (a rule added since) is named.
                let whose = clientRef.map { "client \"\($0)\"'s strategy" } ?? "the default strategy"
                throw StoreError.invalid(
                    "version \(version) of \(whose) no longer reads; activate a corrected file: \(error.problems.first?.description ?? "")"
                )
            }
            return (
                scope,
                StoredStrategy(
                    id: try row.decode(column: "id", as: Int64.self), version: version,
                    name: try row.decode(column: "name", as: String.self), clientRef: clientRef, source: source,
                    strategy: strategy, activatedAt: try row.decode(column: "activated_at", as: Date?.self),
                    activatedBy: try row.decode(column: "activated_by", as: String?.self))
            )
        }
    }
}
