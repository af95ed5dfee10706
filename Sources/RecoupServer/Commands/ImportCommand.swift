import ArgumentParser
import Foundation
import RecoupCore
import RecoupStore

/// `recoup import --format FORMAT FILE [--client REF] [--currency C] [--all-or-nothing]`.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import past-due debts from a CSV file.",
        discussion: """
            Formats: ibm-ar (the IBM accounts-receivable sample layout) and recoup (docs/import-format.md). \
            Prints a JSON summary {"imported", "unchanged", "updated", "rejected", "errors", "warnings"}. \
            Re-importing a file changes nothing. A wrong header refuses the whole file (exit 2); bad rows are reported \
            by line and the others imported (exit 3 when any row was rejected); a phone that cannot be read is left \
            out with a warning (line and field), its debt imported. Exit 0 when every row was imported.
            """)

    @Option(name: .long, help: "The file layout: ibm-ar or recoup.")
    var format: String

    @Argument(help: "The CSV file, or - for standard input.")
    var file: String

    @Option(name: .long, help: "The client (creditor) the debts belong to; a new reference creates it.")
    var client: String = "default"

    @Option(name: .long, help: "Currency for rows that do not name one (ISO 4217).")
    var currency: String = "USD"

    @Flag(name: .long, help: "Refuse the whole file if any row is bad.")
    var allOrNothing = false

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let request = ImportRequest(
            path: file, format: try ImportFormat(name: format), clientRef: client,
            currency: try Currency(code: currency), allOrNothing: allOrNothing)
        let showProgress = isatty(STDERR_FILENO) == 1
        do {
            var progress: (@Sendable (Int) -> Void)? = nil
            if showProgress { progress = ProgressLine.showRowsRead }
            let summary: ImportSummary = try await withDatabase(databaseOptions) { database in
                try await Importer.run(
                    request, on: database.db, now: Date(), logger: commandLogger, progress: progress)
            }
            if showProgress { ProgressLine.clear() }
            print(ImportSummaryDocument(summary).jsonString())
            if summary.rejected > 0 { throw RowsRejected(count: summary.rejected, rows: summary.rows) }
        } catch let refusal as AllOrNothingRefusal {
            if showProgress { ProgressLine.clear() }
            var refused = refusal.summary
            refused.imported = 0
            refused.unchanged = 0
            refused.updated = 0
            print(ImportSummaryDocument(refused).jsonString())
            throw refusal
        }
    }
}

/// The import summary as JSON, keys in the contract's order.
struct ImportSummaryDocument: OrderedJSONConvertible {
    var summary: ImportSummary

    init(_ summary: ImportSummary) { self.summary = summary }

    var orderedJSON: OrderedJSON {
        var members: [(String, OrderedJSON)] = [
            ("imported", .integer(Int64(summary.imported))), ("unchanged", .integer(Int64(summary.unchanged))),
            ("updated", .integer(Int64(summary.updated))), ("rejected", .integer(Int64(summary.rejected))),
            (
                "errors",
                .array(
                    summary.errors.map {
                        .object([("line", .integer(Int64($0.line))), ("message", .string($0.message))])
                    }
                )
            ),
        ]
        if summary.errorsTruncated { members.append(("errorsTruncated", .bool(true))) }
        members.append(
            (
                "warnings",
                .array(
                    summary.warnings.map {
                        .object([
                            ("line", .integer(Int64($0.line))), ("field", .string($0.field)),
                            ("message", .string($0.message)),
                        ])
                    }
                )
            ))
        if summary.warningsTruncated { members.append(("warningsTruncated", .bool(true))) }
        return .object(members)
    }

    func jsonString() -> String { orderedJSON.text }
}

/// An import that stored the good rows and rejected others: the summary is printed, the status says that not every
/// row made it in, so a script notices (docs/cli.md).
struct RowsRejected: Error, CustomStringConvertible {
    /// The exit status: neither success (0) nor a refused input (2), where nothing was imported.
    static let exitStatus: Int32 = 3

    /// Rows rejected.
    var count: Int
    /// Rows read.
    var rows: Int
    /// What happened to the other rows: "imported", "posted".
    var others = "imported"

    var description: String {
        let what =
            count == rows
            ? (rows == 1 ? "the one row was rejected" : "all \(rows) rows were rejected")
            : "\(count) of \(rows) rows \(count == 1 ? "was" : "were") rejected; the others were \(others)"
        return "\(what) (see \"errors\" in the summary)"
    }
}

/// A one-line progress display on a terminal's standard error.
enum ProgressLine {
    @Sendable static func showRowsRead(_ rows: Int) {
        show("read \(rows) rows")
    }

    static func show(_ text: String) {
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(text)".utf8))
    }

    static func clear() {
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
