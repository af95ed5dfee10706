import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit

/// An open Recoup database outside a web server (commands, tests): owns its connection pools.
public final class RecoupDatabase: Sendable {
    /// The configuration it was opened with.
    public let configuration: StoreConfiguration
    private let databases: Databases
    private let logger: Logger

    /// Opens the database and, unless told not to, migrates it to the current schema.
    public static func open(
        _ configuration: StoreConfiguration, logger: Logger = Logger(label: "recoup.store"), migrate: Bool = true
    ) async throws -> RecoupDatabase {
        let database = RecoupDatabase(configuration: configuration, logger: logger)
        do {
            try await database.checkConnection()
            await configuration.prepare(database.sql)
            if migrate { try await database.migrate() }
        } catch {
            await database.close()
            throw error
        }
        return database
    }

    private init(configuration: StoreConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.databases = Databases(threadPool: NIOThreadPool.singleton, on: MultiThreadedEventLoopGroup.singleton)
        databases.use(configuration.databaseFactory(), as: .recoup, isDefault: true)
    }

    /// A Fluent database handle.
    public var db: any Database {
        databases.database(logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())!
    }

    /// The same handle as an SQLKit database.
    public var sql: any SQLDatabase { db as! any SQLDatabase }

    /// Applies every migration not yet applied.
    public func migrate() async throws {
        let migrations = Migrations()
        migrations.add(RecoupMigrations.all, to: .recoup)
        let migrator = Migrator(
            databases: databases, migrations: migrations, logger: logger,
            on: MultiThreadedEventLoopGroup.singleton.any())
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
    }

    /// Closes every connection.
    public func close() async {
        await databases.shutdownAsync()
    }

    private func checkConnection() async throws {
        do {
            _ = try await sql.raw("SELECT 1 AS one").all()
        } catch {
            throw StoreError.cannotConnect(configuration.description, reason: String(describing: error))
        }
    }
}

extension DatabaseID {
    /// Recoup's database.
    public static let recoup = DatabaseID(string: "recoup")
}

extension StoreConfiguration {
    /// Puts an SQLite file in write-ahead-log mode, which the file keeps: readers and the one writer then go on
    /// together (the pages answer while the daily run commits its chunks, and the run's own reading ahead never waits
    /// for a commit), and a commit writes the log once. SQLite keeps the log beside the file (`-wal`, `-shm`) and folds
    /// it back when the last connection closes; copy the database while Recoup is stopped. When another process holds
    /// the file, it stays as it is until the next start.
    public func prepare(_ sql: any SQLDatabase) async {
        guard case .sqliteFile = self else { return }
        _ = try? await sql.raw("PRAGMA journal_mode = WAL").all()
    }

    /// The Fluent factory for this configuration.
    public func databaseFactory() -> DatabaseConfigurationFactory {
        switch self {
        case .sqliteFile(let path):
            return .sqlite(SQLiteConfiguration(storage: .file(path: path)), sqlLogLevel: .trace)
        case .sqliteMemory(let identifier):
            return .sqlite(SQLiteConfiguration(storage: .memory(identifier: identifier)), sqlLogLevel: .trace)
        case .postgres(let url, let searchPath):
            // Checked by `StoreConfiguration.postgres(url:)`; PostgresKit's parser accepts what that accepts.
            var configuration =
                (try? SQLPostgresConfiguration(url: url))
                ?? SQLPostgresConfiguration(hostname: "invalid", username: "invalid", tls: .disable)
            if let searchPath { configuration.searchPath = [searchPath] }
            // A request for a connection waits up to a minute (FluentKit's default is 10 s): many concurrent use
            // cases on a busy machine queue behind the pool's few connections rather than fail.
            return .postgres(
                configuration: configuration, maxConnectionsPerEventLoop: 2, connectionPoolTimeout: .seconds(60),
                sqlLogLevel: .trace)
        }
    }
}

/// The SQL dialect in use, for the few statements that differ.
enum SQLFlavor {
    case sqlite, postgres

    init(_ database: any SQLDatabase) {
        self = database.dialect.name == "sqlite" ? .sqlite : .postgres
    }
}
