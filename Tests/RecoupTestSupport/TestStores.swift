import Foundation
import RecoupCore
import RecoupStore
import SQLKit

/// The databases a store or server test runs on: SQLite always, PostgreSQL when
/// `RECOUP_TEST_POSTGRES_URL` is set (CI sets it).
public enum TestStore: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres

    /// The stores available in this run.
    public static var available: [TestStore] {
        ProcessInfo.processInfo.environment["RECOUP_TEST_POSTGRES_URL"].map {
            $0.isEmpty ? [.sqlite] : [.sqlite, .postgres]
        }
            ?? [.sqlite]
    }

    public var description: String { rawValue }

    /// A fresh, empty configuration: a private in-memory SQLite database, or a new PostgreSQL schema.
    /// Call `cleanUp` with it afterwards.
    public func makeConfiguration() async throws -> StoreConfiguration {
        switch self {
        case .sqlite:
            return .sqliteMemory(identifier: "test-\(UUID().uuidString)")
        case .postgres:
            let url = ProcessInfo.processInfo.environment["RECOUP_TEST_POSTGRES_URL"] ?? ""
            let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
            let admin = try await RecoupDatabase.open(.postgres(url: url, searchPath: nil), migrate: false)
            try await admin.sql.raw("CREATE SCHEMA \(unsafeRaw: String(schema))").run()
            await admin.close()
            return try .checkedPostgres(url: url, searchPath: String(schema))
        }
    }

    /// Drops what `makeConfiguration` created.
    public static func cleanUp(_ configuration: StoreConfiguration) async {
        guard case .postgres(let url, let schema?) = configuration else { return }
        guard let admin = try? await RecoupDatabase.open(.postgres(url: url, searchPath: nil), migrate: false) else {
            return
        }
        try? await admin.sql.raw("DROP SCHEMA \(unsafeRaw: schema) CASCADE").run()
        await admin.close()
    }
}

/// Runs `body` with a fresh, migrated database of the given kind, and removes it afterwards.
public func withStore(_ kind: TestStore, _ body: (RecoupDatabase) async throws -> Void) async throws {
    let configuration = try await kind.makeConfiguration()
    let database = try await RecoupDatabase.open(configuration)
    do {
        try await body(database)
    } catch {
        await database.close()
        await TestStore.cleanUp(configuration)
        throw error
    }
    await database.close()
    await TestStore.cleanUp(configuration)
}

/// Paths of files the tests use.
public enum TestFiles {
    /// The package root (found from this source file's path).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The repository's own copy of the IBM accounts-receivable sample (data/), so a clone alone runs its tests.
    public static var ibmSample: String {
        packageRoot.appendingPathComponent("data/ibm-accounts-receivable.csv").path
    }

    /// Writes `text` to a new temporary file and returns its path.
    public static func temporary(_ text: String, name: String = "import.csv") throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "recoup-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }
}

/// A fixed instant for tests that need "now".
public let testNow = Date(timeIntervalSince1970: 1_796_000_000)
