import ArgumentParser
import Foundation
import RecoupStore

/// `recoup audit verify`: checks the audit trail's hash chain.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Check the audit trail.", subcommands: [AuditVerifyCommand.self])
}

struct AuditVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Walk the hash-chained audit trail and report the first broken link (exit 1 when one is found).")

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let result = try await withDatabase(databaseOptions) { database in try await AuditStore.verify(on: database.db)
        }
        print(
            OrderedJSON.object([
                ("ok", .bool(result.firstBroken == nil)), ("entries", .integer(Int64(result.entries))),
                ("firstBroken", result.firstBroken.map { .integer($0) } ?? .null),
                ("reason", result.reason.map { .string($0) } ?? .null),
            ]).text)
        if result.firstBroken != nil { throw ExitCode(1) }
    }
}
