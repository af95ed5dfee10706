import FluentKit
import Foundation
import RecoupCore
import RecoupStore
import SQLKit

/// Debts imported from a few lines of Recoup's own CSV format and read back by reference: the set-up the contact log,
/// callback, debt page and debt page action tests share, on the store (`RecoupDatabase.db`) or the app (`app.db`).
public enum TestDebts {
    /// Imports `file` (Recoup's format, client "default") with its rows created at `now`.
    @discardableResult
    public static func load(_ file: String, on database: any Database, now: Date) async throws -> ImportSummary {
        try await Importer.run(
            ImportRequest(path: try TestFiles.temporary(file), format: .recoup), on: database, now: now)
    }

    /// Every debt's id by its reference.
    public static func ids(on database: any Database) async throws -> [String: Int64] {
        var ids: [String: Int64] = [:]
        for row in try await (database as! any SQLDatabase).raw("SELECT id, ref FROM debts").all() {
            ids[try row.decode(column: "ref", as: String.self)] = try row.decode(column: "id", as: Int64.self)
        }
        return ids
    }

    /// The debt with reference `ref`, as the pages and the contact rules read it.
    public static func debt(_ ref: String, on database: any Database) async throws -> DebtSummary {
        guard let id = try await ids(on: database)[ref],
            let debt = try await DebtQueries.debt(id: id, scope: .all, on: database)
        else { throw TestFixtureError("there is no debt \(ref)") }
        return debt
    }

    /// How many rows of `table` there are (that meet `condition`, an SQL expression, when given).
    public static func count(
        _ table: String, where condition: String? = nil, on database: any Database
    ) async throws
        -> Int
    {
        let filter = condition.map { " WHERE " + $0 } ?? ""
        let row = try await (database as! any SQLDatabase).raw(
            "SELECT COUNT(*) AS n FROM \(unsafeRaw: table)\(unsafeRaw: filter)"
        ).first()
        guard let row else { throw TestFixtureError("COUNT(*) of \(table) gave no row") }
        return try row.decode(column: "n", as: Int.self)
    }
}

extension ContactLogEntry {
    /// A telephone call with its outcome (a voicemail leaves a message): `to` the number, none for an inbound call.
    public static func call(
        _ direction: ContactDirection, to: String?, _ outcome: CallOutcome, at: Date, note: String? = nil
    ) -> ContactLogEntry {
        ContactLogEntry(
            ContactEvent(
                .call(direction: direction, to: to, outcome: outcome, messageLeft: outcome == .voicemail), at: at),
            note: note)
    }
}

/// A fixture that could not be set up, in one sentence.
public struct TestFixtureError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
