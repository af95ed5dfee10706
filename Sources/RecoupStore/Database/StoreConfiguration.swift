import Foundation

/// Which database Recoup uses: an SQLite file (the default) or PostgreSQL.
public enum StoreConfiguration: Sendable, Equatable, CustomStringConvertible {
    /// An SQLite database in a file, created and migrated on first use.
    case sqliteFile(path: String)
    /// A private in-memory SQLite database (tests).
    case sqliteMemory(identifier: String)
    /// A PostgreSQL server; `searchPath` optionally selects a schema (tests use one per run).
    case postgres(url: String, searchPath: String?)

    /// The default SQLite file name, in the working directory.
    public static let defaultSQLiteFile = "recoup.sqlite"

    /// Picks the database the way every setting is picked, flag, then environment, then default: `--database PATH`
    /// (an SQLite file) wins, else `DATABASE_URL` (postgres:// or postgresql://), else `recoup.sqlite` in the working
    /// directory. Throws a clear error for an empty path or a malformed URL; a URL that the flag overrides is not read.
    public static func resolve(
        databasePath: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(StoreConfigurationError) -> StoreConfiguration {
        if let databasePath {
            guard !databasePath.isEmpty else { throw .emptyDatabasePath }
            return .sqliteFile(path: databasePath)
        }
        if let url = environment["DATABASE_URL"], !url.isEmpty {
            return try checkedPostgres(url: url)
        }
        return .sqliteFile(path: defaultSQLiteFile)
    }

    /// Checks a PostgreSQL URL and makes the configuration.
    public static func checkedPostgres(
        url: String, searchPath: String? = nil
    ) throws(StoreConfigurationError)
        -> StoreConfiguration
    {
        guard let components = URLComponents(string: url), let scheme = components.scheme,
            ["postgres", "postgresql"].contains(scheme.lowercased())
        else { throw .malformedDatabaseURL(masked(url), reason: "it must start with postgres://") }
        guard let host = components.host, !host.isEmpty else {
            throw .malformedDatabaseURL(masked(url), reason: "it names no host")
        }
        guard components.user?.isEmpty == false else {
            throw .malformedDatabaseURL(masked(url), reason: "it names no user (postgres://USER:PASSWORD@HOST:PORT/DB)")
        }
        return .postgres(url: url, searchPath: searchPath)
    }

    /// True for the PostgreSQL configurations.
    public var isPostgres: Bool {
        if case .postgres = self { return true }
        return false
    }

    /// A description safe for logs: the password of a URL is masked.
    public var description: String {
        switch self {
        case .sqliteFile(let path): "SQLite file \(path)"
        case .sqliteMemory: "SQLite in memory"
        case .postgres(let url, _): "PostgreSQL \(Self.masked(url))"
        }
    }

    static func masked(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? "(unreadable URL)"
    }
}

/// Why the database configuration was refused.
public enum StoreConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformedDatabaseURL(String, reason: String)
    case emptyDatabasePath

    public var description: String {
        switch self {
        case .malformedDatabaseURL(let url, let reason): "DATABASE_URL \"\(url)\" is malformed: \(reason)"
        case .emptyDatabasePath: "--database needs a file path"
        }
    }
}
