import Foundation
import Logging
import NIOCore
import NIOPosix
import RecoupCore
import SQLKit
import SQLiteKit
import SQLiteNIO

/// One chunk's facts, read ahead: its open debts, what the decisions weigh about their debtors, and their segments.
struct ChunkFacts: Sendable {
    var chunk: Int64
    var debts: [ChunkWorker.OpenDebt]
    var facts: SegmentStore.BatchFacts
    var segments: [Int64: SegmentDecision]
}

extension ChunkWorker {
    /// Reads `chunk`'s open debts and their facts and segments them: everything of a chunk that the run's own writes
    /// never change (the contact history, profiles, promises, plans, payments), so that on SQLite it can be read
    /// while the chunk before is decided (`RunStore.work`).
    static func readFacts(
        _ chunk: Int64, context: RunStore.ChunkContext, sql: any SQLDatabase
    ) async throws -> ChunkFacts {
        let reader = ChunkWorker(context: context, chunk: chunk, sql: sql)
        let debts = try await reader.openDebts()
        let keys = debts.map(\.key)
        let facts = try await SegmentStore.facts(of: keys, sql: sql)
        let segments = SegmentStore.decide(keys, facts: facts, asOf: context.request.asOf, zone: context.request.zone)
        return ChunkFacts(chunk: chunk, debts: debts, facts: facts, segments: segments)
    }
}

/// A read-only connection of the run's own to its SQLite file, which reads the next chunk's facts while the run's
/// connection works a chunk: SQLite then reads and writes on two cores at once. In the write-ahead log Recoup puts its
/// files in (`StoreConfiguration.prepare`) the reader sees what was committed and neither waits for the other; a file
/// still in a rollback journal works too, the commit waiting for the reader's statement to end. Nil for a database in
/// memory, which one connection holds.
struct SQLiteReader: Sendable {
    let connection: SQLiteConnection

    static func open(nextTo sql: any SQLDatabase) async throws -> SQLiteReader? {
        guard
            let path = try await sql.raw("SELECT file FROM pragma_database_list WHERE name = 'main'").first()?
                .decode(column: "file", as: String?.self), !path.isEmpty
        else { return nil }
        let connection = try await SQLiteConnection.open(
            storage: .file(path: path), threadPool: .singleton, logger: sql.logger, on: sql.eventLoop)
        do {
            for pragma in ["PRAGMA query_only = 1", "PRAGMA busy_timeout = 60000", "PRAGMA cache_size = -32768"] {
                _ = try await connection.query(pragma)
            }
        } catch {
            try? await connection.close()
            throw error
        }
        return SQLiteReader(connection: connection)
    }

    var sql: any SQLDatabase { SQLiteReadDatabase(connection: connection) }

    func close() async {
        try? await connection.close()
    }
}

/// An `SQLiteConnection` as both an SQLKit database and an SQLite one (what the run's batch reads look for).
private struct SQLiteReadDatabase: SQLDatabase, SQLiteDatabase {
    let connection: SQLiteConnection

    var logger: Logger { connection.logger }
    var eventLoop: any EventLoop { connection.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { connection.sql().version }
    var dialect: any SQLDialect { connection.sql().dialect }

    func execute(
        sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void
    ) -> EventLoopFuture<Void> {
        connection.sql().execute(sql: query, onRow)
    }

    func query(
        _ query: String, _ binds: [SQLiteData], logger: Logger, _ onRow: @escaping @Sendable (SQLiteRow) -> Void
    ) -> EventLoopFuture<Void> {
        connection.query(query, binds, logger: logger, onRow)
    }

    func withConnection<T>(
        _ closure: @escaping @Sendable (SQLiteConnection) -> EventLoopFuture<T>
    )
        -> EventLoopFuture<T>
    {
        closure(connection)
    }
}
