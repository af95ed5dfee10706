import FluentKit
import Foundation
import RecoupCore
import SQLKit

/// What a payment file did: the JSON summary `recoup payment import` prints.
public struct PaymentImportSummary: Sendable, Equatable {
    /// Data rows read.
    public var rows = 0
    /// Payments and reversals written by this import.
    public var posted = 0
    /// Rows whose key had already been posted with the same request: nothing written.
    public var alreadyPosted = 0
    /// Rows refused, with their reasons in `errors`.
    public var rejected = 0
    /// The refused rows by line (at most `ImportSummary.errorLimit`).
    public var errors: [ImportRowError] = []
    /// True when there were more errors than `errors` keeps.
    public var errorsTruncated = false

    public init() {}

    mutating func reject(line: Int, _ message: String) {
        rejected += 1
        if errors.count < ImportSummary.errorLimit {
            errors.append(ImportRowError(line: line, message: message))
        } else {
            errorsTruncated = true
        }
    }
}

/// The columns of a payment file, by position.
struct PaymentFileLayout {
    static let required = ["debt", "amount", "on", "key"]
    static let optional = ["method", "reference", "reverses", "received_by"]

    let debt: Int
    let amount: Int
    let date: Int
    let key: Int
    let method: Int?
    let reference: Int?
    let reverses: Int?
    /// `agency` (empty: received here) or `client`: a direct payment to a placed account (docs/agency.md).
    let receivedBy: Int?

    /// Reads the header; a missing, unknown or repeated column refuses the whole file.
    init(header: [String]) throws(ImportFileError) {
        let names = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var positions: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            guard Self.required.contains(name) || Self.optional.contains(name) else {
                throw .wrongHeader(
                    format: "payment",
                    message: "column \(index + 1) is \"\(header[index])\"; the columns are "
                        + (Self.required + Self.optional).joined(separator: ", "))
            }
            guard positions[name] == nil else {
                throw .wrongHeader(format: "payment", message: "the column \"\(name)\" appears twice")
            }
            positions[name] = index
        }
        let missing = Self.required.filter { positions[$0] == nil }
        guard missing.isEmpty else {
            throw .wrongHeader(format: "payment", message: "it lacks \(missing.joined(separator: ", "))")
        }
        debt = positions["debt"]!
        amount = positions["amount"]!
        date = positions["on"]!
        key = positions["key"]!
        method = positions["method"]
        reference = positions["reference"]
        reverses = positions["reverses"]
        receivedBy = positions["received_by"]
    }
}

/// Posts a file of payments (and reversals) for one client's debts, each exactly once.
///
/// Rows are read in chunks: the chunk's debts and their ledgers are loaded with one query each, every row is posted
/// through ``Ledger/post(_:)`` in memory (so a retried key answers as before and a reused key is refused, exactly
/// as `recoup payment post`), and the new entries are written with multi-row statements. The whole file is one
/// transaction that holds the debts (row locks on PostgreSQL, the single writer on SQLite), so it never races a
/// concurrent `payment post`. A bad row is reported by line and the others are posted.
public enum PaymentImporter {
    /// Rows per chunk.
    static let chunkSize = 4000

    public static func run(
        path: String, clientRef: String, on database: any Database, now: Date
    ) async throws
        -> PaymentImportSummary
    {
        let source = try CSVRecordStream(path: path)
        guard let header = try source.next() else { throw ImportFileError.emptyFile }
        let layout = try PaymentFileLayout(header: header.fields)
        return try await PaymentStore.serializedTransaction(database) { sql in
            guard let clientID = try await ClientQueries.clientID(ref: clientRef, on: sql) else {
                throw StoreError.unknownClient(clientRef)
            }
            let tuning = BulkWriteTuning(sql)
            try await tuning.begin()
            do {
                var state = ImportState(sql: sql, clientID: clientID, now: now)
                var isExhausted = false
                while !isExhausted {
                    var chunk: [CSVRecord] = []
                    chunk.reserveCapacity(chunkSize)
                    while chunk.count < chunkSize {
                        guard let record = try source.next() else {
                            isExhausted = true
                            break
                        }
                        chunk.append(record)
                    }
                    try await state.post(chunk, layout: layout)
                }
                try await tuning.end()
                state.summary.errors.sort { $0.line < $1.line }
                return state.summary
            } catch {
                try? await tuning.end()
                throw error
            }
        }
    }

    /// The ledgers loaded so far and what the import did.
    private struct ImportState {
        let sql: any SQLDatabase
        let clientID: Int64
        let now: Date
        let flavor: SQLFlavor
        var summary = PaymentImportSummary()
        /// Debts by reference, with their ledgers as posted so far; nil for a reference the client has not got.
        var debts: [String: LoadedDebt?] = [:]

        init(sql: any SQLDatabase, clientID: Int64, now: Date) {
            self.sql = sql
            self.clientID = clientID
            self.now = now
            self.flavor = SQLFlavor(sql)
        }

        mutating func post(_ records: [CSVRecord], layout: PaymentFileLayout) async throws {
            summary.rows += records.count
            let unseen = Set(
                records.compactMap { record -> String? in
                    guard layout.debt < record.fields.count else { return nil }
                    let ref = record.fields[layout.debt].trimmedSpaces
                    return debts[ref] == nil ? ref : nil
                })
            try await load(Array(unseen))
            var rows = LedgerBatch.NewEntries()
            var trust: [TrustPosting] = []
            for record in records {
                switch posting(for: record, layout: layout) {
                case .failure(let problem):
                    summary.reject(line: record.line, problem.message)
                case .success(let (ref, posting, method, reference, receiver)):
                    guard var debt = debts[ref] ?? nil else {
                        summary.reject(line: record.line, "the client has no debt \"\(ref)\"")
                        continue
                    }
                    do {
                        try debt.ledger.checkReceivedDate(posting.date, now: now)
                        switch try debt.ledger.post(posting) {
                        case .alreadyPosted: summary.alreadyPosted += 1
                        case .posted(let entry):
                            summary.posted += 1
                            rows.append(
                                entry, debtID: debt.id, method: method, reference: reference, receivedBy: receiver)
                            trust.append(TrustPosting(debtID: debt.id, entry: entry, receivedBy: receiver))
                            debts[ref] = debt
                        }
                    } catch {
                        summary.reject(line: record.line, "\(ref): \(error)")
                    }
                }
            }
            try await rows.write(on: sql, now: now)
            // Payments to accounts placed with the agency go into its trust ledger (docs/agency.md).
            try await TrustStore.record(trust, now: now, sql: sql)
        }

        /// Reads one row into a posting; the debt must already be loaded for its currency.
        private func posting(
            for record: CSVRecord, layout: PaymentFileLayout
        ) -> Result<
            (String, LedgerPosting, String?, String?, PaymentReceiver), RowProblem
        > {
            let fields = record.fields
            func field(_ index: Int?) -> String? {
                guard let index, index < fields.count else { return nil }
                let value = fields[index].trimmedSpaces
                return value.isEmpty ? nil : value
            }
            guard let ref = field(layout.debt) else { return .failure(RowProblem("the debt is empty")) }
            guard let key = field(layout.key) else { return .failure(RowProblem("the key is empty")) }
            guard let dateText = field(layout.date) else { return .failure(RowProblem("the date (on) is empty")) }
            let date: LocalDate
            do { date = try LocalDate(iso: dateText) } catch { return .failure(RowProblem("on: \(error)")) }
            guard let loaded = debts[ref], let debt = loaded else {
                return .failure(RowProblem("the client has no debt \"\(ref)\""))
            }
            var receiver = PaymentReceiver.agency
            if let text = field(layout.receivedBy) {
                guard let read = PaymentReceiver(rawValue: text.lowercased()) else {
                    return .failure(RowProblem("received_by is \"\(text)\"; use agency or client"))
                }
                receiver = read
            }
            if let paymentKey = field(layout.reverses) {
                guard field(layout.amount) == nil else {
                    return .failure(
                        RowProblem("a reversal row leaves amount empty: it undoes exactly what \(paymentKey) paid"))
                }
                return .success(
                    (ref, .reversal(paymentKey: paymentKey, on: date, key: key), field(layout.method), nil, .agency))
            }
            guard let amountText = field(layout.amount) else { return .failure(RowProblem("the amount is empty")) }
            let amount: Int64
            do {
                amount = try Money.parseMinorUnits(amountText, currency: debt.ledger.currency)
            } catch {
                return .failure(RowProblem("amount: \(error)"))
            }
            guard amount > 0 else {
                return .failure(RowProblem("the amount is \(amountText); a payment must be more than zero"))
            }
            return .success(
                (
                    ref, .payment(amount: amount, on: date, key: key), field(layout.method), field(layout.reference),
                    receiver
                ))
        }

        /// Loads the debts named by `refs` and their ledgers (locking the debts on PostgreSQL).
        private mutating func load(_ refs: [String]) async throws {
            guard !refs.isEmpty else { return }
            for start in stride(from: 0, to: refs.count, by: 2000) {
                let part = refs[start..<min(refs.count, start + 2000)]
                var statement = BulkStatement(flavor)
                statement.sql("SELECT id, ref, currency FROM debts WHERE client_id = ")
                statement.bind(clientID)
                statement.sql(" AND ref IN (")
                for (index, ref) in part.enumerated() {
                    if index > 0 { statement.sql(",") }
                    statement.bind(ref)
                }
                statement.sql(flavor == .postgres ? ") FOR UPDATE" : ")")
                var byID: [Int64: (ref: String, currency: Currency)] = [:]
                for row in try await statement.rows(on: sql) {
                    guard let id = row.integer("id"), let ref = row.text("ref"), let code = row.text("currency") else {
                        continue
                    }
                    byID[id] = (ref, try Currency(code: code))
                }
                for ref in part { debts[ref] = .some(nil) }
                guard !byID.isEmpty else { continue }
                let entries = try await LedgerBatch.entries(of: Array(byID.keys), on: sql)
                for (id, debt) in byID {
                    debts[debt.ref] = LoadedDebt(
                        id: id, ledger: Ledger(currency: debt.currency, entries: entries[id] ?? []))
                }
            }
        }

    }

    private struct LoadedDebt {
        let id: Int64
        var ledger: Ledger
    }

    /// Why a row was refused, in one sentence.
    private struct RowProblem: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }
}
