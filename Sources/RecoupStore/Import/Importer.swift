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
/// transaction, and reports by line. A wrong header refuses the whole file before anything is written.
public enum Importer {
    /// Runs an import; `now` stamps the rows' creation time.
    public static func run(
        _ request: ImportRequest, on database: any Database, now: Date, logger: Logger = Logger(label: "recoup.import"),
        progress: (@Sendable (Int) -> Void)? = nil
    ) async throws -> ImportSummary {
        let source = try CSVRecordStream(path: request.path)
        guard let header = try source.next() else { throw ImportFileError.emptyFile }
        let layout = try request.format.layout(header: header.fields, defaultCurrency: request.currency)
        let startedAt = now
        return try await database.withConnection { connection in
            let sql = connection as! any SQLDatabase
            if SQLFlavor(sql) == .sqlite {
                // A large page cache roughly doubles bulk insert speed (measured: docs/performance.md).
                try await sql.raw("PRAGMA cache_size = -131072").run()
            }
            return try await connection.transaction { transaction in
                let sql = transaction as! any SQLDatabase
                let clientID = try await ClientQueries.ensureClient(ref: request.clientRef, on: sql, now: now)
                let writer = DebtBatchWriter(sql: sql, clientID: clientID, importBatchID: nil, now: now)
                var summary = ImportSummary()
                var batch: [DebtRecord] = []
                batch.reserveCapacity(request.batchSize)
                while let record = try source.next() {
                    summary.rows += 1
                    do {
                        batch.append(try layout.record(fields: record.fields, line: record.line))
                    } catch let error as ImportRowError {
                        summary.reject(error)
                    }
                    if batch.count >= request.batchSize {
                        try await flush(&batch, writer: writer, into: &summary, skipWrites: request.allOrNothing && summary.rejected > 0)
                        progress?(summary.rows)
                    }
                }
                try await flush(&batch, writer: writer, into: &summary, skipWrites: request.allOrNothing && summary.rejected > 0)
                if request.allOrNothing, summary.rejected > 0, let first = summary.errors.first {
                    throw AllOrNothingRefusal(summary: summary, error: .rejectedRows(count: summary.rejected, first: first))
                }
                summary.errors.sort { $0.line < $1.line }
                try await ImportBatchLog.record(
                    summary, clientID: clientID, format: request.format, fileName: request.path, startedAt: startedAt,
                    finishedAt: now, on: sql)
                logger.info(
                    "import finished",
                    metadata: [
                        "client": .string(request.clientRef), "imported": .stringConvertible(summary.imported),
                        "unchanged": .stringConvertible(summary.unchanged), "rejected": .stringConvertible(summary.rejected),
                    ])
                return summary
            }
        }
    }

    private static func flush(
        _ batch: inout [DebtRecord], writer: DebtBatchWriter, into summary: inout ImportSummary, skipWrites: Bool
    ) async throws {
        defer { batch.removeAll(keepingCapacity: true) }
        guard !batch.isEmpty, !skipWrites else { return }
        let outcome = try await writer.write(batch)
        summary.imported += outcome.imported
        summary.unchanged += outcome.unchanged
        summary.updated += outcome.updated
        for conflict in outcome.conflicts { summary.reject(conflict) }
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
