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

extension WriteGate {
    /// Runs `body` once through the gate.
    func pass<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await acquire()
        do {
            let value = try await body()
            release()
            return value
        } catch {
            release()
            throw error
        }
    }
}

/// An SQLite transaction's connection shared by a chunk's worker and the reading ahead of the next chunk: both may
/// use it at once, and it runs their statements one at a time (a collected read installs a function on the
/// connection, which SQLite refuses while another statement runs). SQLite's own work and the run's work in Swift then
/// overlap on two cores.
struct SharedSQLiteConnection: SQLDatabase, SQLiteDatabase {
    let base: any SQLDatabase & SQLiteDatabase
    let gate = WriteGate()

    init(_ base: any SQLDatabase & SQLiteDatabase) {
        self.base = base
    }

    var logger: Logger { (base as any SQLDatabase).logger }
    var eventLoop: any EventLoop { (base as any SQLDatabase).eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(
        sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void
    ) -> EventLoopFuture<Void> {
        let (base, gate) = (self.base, self.gate)
        return eventLoop.makeFutureWithTask {
            try await gate.pass { try await base.execute(sql: query, onRow).get() }
        }
    }

    func query(
        _ query: String, _ binds: [SQLiteData], logger: Logger, _ onRow: @escaping @Sendable (SQLiteRow) -> Void
    ) -> EventLoopFuture<Void> {
        let (base, gate) = (self.base, self.gate)
        return eventLoop.makeFutureWithTask {
            try await gate.pass { try await base.query(query, binds, logger: logger, onRow).get() }
        }
    }

    func withConnection<T>(
        _ closure: @escaping @Sendable (SQLiteConnection) -> EventLoopFuture<T>
    )
        -> EventLoopFuture<T>
    {
        let (base, gate) = (self.base, self.gate)
        let promise = eventLoop.makePromise(of: T.self)
        let box = UncheckedBox(promise: promise)
        Task {
            await gate.acquire()
            let future = box.wrap(base.withConnection(closure)).future
            future.whenComplete { _ in Task { await gate.release() } }
            box.promise.completeWith(future)
        }
        return promise.futureResult
    }
}

/// Carries a promise of a value that need not be `Sendable` to where it is completed.
private struct UncheckedBox<T>: @unchecked Sendable {
    let promise: EventLoopPromise<T>

    /// A future of the same value, carried the same way.
    func wrap(_ future: EventLoopFuture<T>) -> UncheckedFuture<T> { UncheckedFuture(future: future) }
}

/// Carries a future of a value that need not be `Sendable`.
private struct UncheckedFuture<T>: @unchecked Sendable {
    let future: EventLoopFuture<T>
}

/// A read-only connection of the run's own to its SQLite file, which reads the next chunk's facts while the run's
/// connection works a chunk: SQLite then reads and writes on two cores at once. In a rollback journal a reader and
/// one writer's transaction go on together (the reader sees what was committed); the writer's commit waits for the
/// reader's statement to end. Nil for a database in memory, which one connection holds.
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
