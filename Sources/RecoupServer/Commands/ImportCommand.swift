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
            Prints a JSON summary {"imported", "unchanged", "updated", "rejected", "errors"}. Re-importing a file \
            changes nothing. A wrong header refuses the whole file (exit 2); bad rows are reported by line.
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
                try await Importer.run(request, on: database.db, now: Date(), progress: progress)
            }
            if showProgress { ProgressLine.clear() }
            print(try ImportSummaryDocument(summary).jsonString())
        } catch let refusal as AllOrNothingRefusal {
            if showProgress { ProgressLine.clear() }
            var refused = refusal.summary
            refused.imported = 0
            refused.unchanged = 0
            refused.updated = 0
            print(try ImportSummaryDocument(refused).jsonString())
            throw refusal
        }
    }
}

/// The import summary as JSON.
struct ImportSummaryDocument: Codable {
    struct RowError: Codable {
        var line: Int
        var message: String
    }
    var imported: Int
    var unchanged: Int
    var updated: Int
    var rejected: Int
    var errors: [RowError]
    var errorsTruncated: Bool?

    init(_ summary: ImportSummary) {
        imported = summary.imported
        unchanged = summary.unchanged
        updated = summary.updated
        rejected = summary.rejected
        errors = summary.errors.map { RowError(line: $0.line, message: $0.message) }
        errorsTruncated = summary.errorsTruncated ? true : nil
    }

    func jsonString() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
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
