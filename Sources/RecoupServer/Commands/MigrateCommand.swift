import ArgumentParser
import RecoupStore

/// `recoup migrate`: brings the database schema up to date.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Create or update the database schema (SQLite or PostgreSQL).")

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        try await withDatabase(databaseOptions) { database in
            print("The database (\(database.configuration)) is up to date.")
        }
    }
}
