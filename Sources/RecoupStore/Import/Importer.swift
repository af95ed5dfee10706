import FluentKit
import Foundation
import Logging
import RecoupCore
import SQLKit

/// What to import and how.
public struct ImportRequest: Sendable {
    /// The file's path, or "-" for standard input.
    public var path: String
    /// The file's layout.
    public var format: ImportFormat
    /// The client the debts belong to; created when new.
    public var clientRef: String
    /// The currency for rows that do not name one.
    public var currency: Currency
    /// Refuse the whole file when any row is bad.
    public var allOrNothing: Bool
    /// Rows per database batch.
    public var batchSize: Int

    /// Makes a request.
    public init(
        path: String, format: ImportFormat, clientRef: String = "default", currency: Currency = .usd,
        allOrNothing: Bool = false, batchSize: Int = 2000
    ) {
        self.path = path
        self.format = format
        self.clientRef = clientRef
        self.currency = currency
        self.allOrNothing = allOrNothing
        self.batchSize = batchSize
    }
}

/// Imports a file of debts: streams it, validates every row, writes in set-based batches inside one
/// transaction, and reports by line. A wrong header refuses the whole file before anything is written; a file that
/// cannot be read to its end, an `--all-or-nothing` refusal or a killed process leaves the database as it was.
public enum Importer {
    /// Runs an import; `now` stamps the rows' creation time.
    public static func run(
        _ request: ImportRequest, on database: any Database, now: Date, logger: Logger = Logger(label: "recoup.import"),
        progress: (@Sendable (Int) -> Void)? = nil
    ) async throws -> ImportSummary {
        let source = try CSVRecordStream(path: request.path)
        guard let header = try source.next() else { throw ImportFileError.emptyFile }
        let layout = try request.format.layout(header: header.fields, defaultCurrency: request.currency)
        return try await database.withConnection { connection in
            let sql = connection as! any SQLDatabase
            let tuning = BulkWriteTuning(sql)
            try await tuning.begin()
            do {
                let summary = try await ConnectionTransaction.run(on: sql) {
                    try await importRows(
                        from: source, layout: layout, request: request, into: sql, now: now, progress: progress)
                }
                try await tuning.end()
                logger.info(
                    "import finished",
                    metadata: [
                        "client": .string(request.clientRef), "imported": .stringConvertible(summary.imported),
                        "unchanged": .stringConvertible(summary.unchanged),
                        "rejected": .stringConvertible(summary.rejected),
                    ])
                return summary
            } catch {
                try? await tuning.end()
                throw error
            }
        }
    }

    /// Reads, validates and writes every row inside the caller's transaction. Writing a batch overlaps with reading
    /// the next one (two cores: one parses, one runs the database); both use the one connection, one at a time.
    private static func importRows(
        from source: CSVRecordStream, layout: any ImportLayout, request: ImportRequest, into sql: any SQLDatabase,
        now: Date, progress: (@Sendable (Int) -> Void)?
    ) async throws -> ImportSummary {
        let clientID = try await ClientQueries.ensureClient(ref: request.clientRef, on: sql, now: now)
        let deferredIndexes = try await DeferredIndexes.dropForLargeImport(of: request.path, on: sql)
        let writer = DebtBatchWriter(sql: sql, clientID: clientID, importBatchID: nil, now: now)
        var summary = ImportSummary()
        var pending: Task<BatchOutcome, any Error>? = nil
        var knownDebtors = Set<String>()
        var isExhausted = false
        do {
            while !isExhausted {
                var batch: [DebtRecord] = []
                batch.reserveCapacity(request.batchSize)
                while batch.count < request.batchSize {
                    guard let record = try source.next() else {
                        isExhausted = true
                        break
                    }
                    summary.rows += 1
                    switch read(record, with: layout) {
                    case .success(let debt):
                        batch.append(debt)
                        if !debt.warnings.isEmpty { summary.warn(debt.warnings) }
                    case .failure(let error): summary.reject(error)
                    }
                }
                // Build this batch's statements while the previous batch is still being written.
                let prepared = writer.prepare(batch, knownDebtors: &knownDebtors)
                if let pending { summary.add(try await pending.value) }
                pending = nil
                // With --all-or-nothing, one bad row means nothing will be kept: stop writing, keep validating.
                if !batch.isEmpty && !(request.allOrNothing && summary.rejected > 0) {
                    pending = Task { try await writer.execute(prepared) }
                }
                progress?(summary.rows)
            }
        } catch {
            // The batch being written still uses the connection: let it finish before the caller rolls back, or its
            // remaining statements would run after the ROLLBACK, each committed on its own.
            if let pending { _ = try? await pending.value }
            throw error
        }
        if let pending { summary.add(try await pending.value) }
        if request.allOrNothing, summary.rejected > 0, let first = summary.errors.first {
            throw AllOrNothingRefusal(summary: summary, error: .rejectedRows(count: summary.rejected, first: first))
        }
        try await deferredIndexes.restore(on: sql)
        summary.errors.sort { $0.line < $1.line }
        try await ImportBatchLog.record(
            summary, clientID: clientID, format: request.format, fileName: request.path, startedAt: now,
            finishedAt: now, on: sql)
        return summary
    }
}

extension Importer {
    fileprivate static func read(
        _ record: CSVRecord, with layout: any ImportLayout
    ) -> Result<DebtRecord, ImportRowError> {
        do throws(ImportRowError) {
            return .success(try layout.record(fields: record.fields, line: record.line))
        } catch {
            return .failure(error)
        }
    }
}

extension ImportSummary {
    fileprivate mutating func add(_ outcome: BatchOutcome) {
        imported += outcome.imported
        unchanged += outcome.unchanged
        updated += outcome.updated
        for conflict in outcome.conflicts { reject(conflict) }
    }
}

/// Connection settings for a bulk write on SQLite, set before its transaction and restored after.
struct BulkWriteTuning {
    let sql: any SQLDatabase
    let isSQLite: Bool

    init(_ sql: any SQLDatabase) {
        self.sql = sql
        self.isSQLite = SQLFlavor(sql) == .sqlite
    }

    func begin() async throws {
        guard isSQLite else { return }
        // A large page cache roughly doubles bulk insert speed (docs/performance.md). Foreign keys are not
        // re-checked row by row: every statement of the batch writer finds its parent rows by joining on them.
        try await sql.raw("PRAGMA cache_size = -131072").run()
        try await sql.raw("PRAGMA foreign_keys = OFF").run()
        // Multi-row statements keep a statement journal: in memory it costs no file writes.
        try await sql.raw("PRAGMA temp_store = MEMORY").run()
    }

    func end() async throws {
        guard isSQLite else { return }
        try await sql.raw("PRAGMA foreign_keys = ON").run()
        try await sql.raw("PRAGMA cache_size = -2000").run()
        try await sql.raw("PRAGMA temp_store = DEFAULT").run()
    }
}

/// An `--all-or-nothing` import that found bad rows: nothing was written; the summary says which rows.
public struct AllOrNothingRefusal: Error, CustomStringConvertible {
    /// The rows read and refused.
    public var summary: ImportSummary
    /// The file-level error.
    public var error: ImportFileError

    public var description: String { error.description }
}
