import Foundation
import RecoupCore
import SQLKit

/// Ledgers read and written many debts at a time: one query loads the entries of up to 2,000 debts, and new
/// entries go out in multi-row inserts. Used by payment files and interest accrual.
enum LedgerBatch {
    /// The stored entries of `debtIDs`, by debt, each debt's in the order they were written.
    static func entries(of debtIDs: [Int64], on sql: any SQLDatabase) async throws -> [Int64: [LedgerEntry]] {
        let flavor = SQLFlavor(sql)
        var entries: [Int64: [LedgerEntry]] = [:]
        for start in stride(from: 0, to: debtIDs.count, by: 2000) {
            let part = debtIDs[start..<min(debtIDs.count, start + 2000)]
            var query = BulkStatement(flavor)
            query.sql(
                "SELECT debt_id, kind, effective_on, amount, principal, interest, fees, idempotency_key, reversed_key "
                    + "FROM ledger_entries WHERE debt_id IN (")
            for (index, id) in part.enumerated() {
                if index > 0 { query.sql(",") }
                query.bind(id)
            }
            query.sql(") ORDER BY debt_id, created_at, idempotency_key")
            for row in try await query.rows(on: sql) {
                guard let debtID = row.integer("debt_id"), let kind = row.text("kind"),
                    let day = row.integer("effective_on"), let amount = row.integer("amount"),
                    let principal = row.integer("principal"), let interest = row.integer("interest"),
                    let fees = row.integer("fees"), let key = row.text("idempotency_key")
                else { continue }
                entries[debtID, default: []].append(
                    LedgerEntry(
                        kind: LedgerEntryKind(rawValue: kind) ?? .adjustment,
                        effectiveDate: LocalDate(daysSinceEpoch: Int(day)), amount: amount,
                        effect: ComponentAmounts(principal: principal, interest: interest, fees: fees),
                        idempotencyKey: key, reversedKey: row.text("reversed_key")))
            }
        }
        return entries
    }

    /// New entries waiting to be written.
    struct NewEntries {
        private var rows = BatchRows(columns: 13)

        var count: Int { rows.count }

        mutating func append(
            _ entry: LedgerEntry, debtID: Int64, method: String? = nil, reference: String? = nil,
            receivedBy: PaymentReceiver = .agency
        ) {
            rows.append(
                .integer(debtID), .text(entry.idempotencyKey), .text(entry.kind.rawValue),
                .integer(Int64(entry.effectiveDate.daysSinceEpoch)), .integer(entry.amount),
                .integer(entry.effect.principal), .integer(entry.effect.interest), .integer(entry.effect.fees),
                .integer(entry.effect.total), .text(entry.reversedKey), .text(method), .text(reference),
                .text(receivedBy == .client && entry.kind == .payment ? receivedBy.rawValue : nil))
        }

        /// Writes the entries with multi-row inserts, stamped `now`.
        func write(on sql: any SQLDatabase, now: Date) async throws {
            let columns: [(String, BatchColumnType)] = [
                ("debt_id", .bigint), ("idempotency_key", .text), ("kind", .text), ("effective_on", .integer),
                ("amount", .bigint), ("principal", .bigint), ("interest", .bigint), ("fees", .bigint),
                ("total", .bigint), ("reversed_key", .text), ("method", .text), ("reference", .text),
                ("received_by", .text),
            ]
            try await rows.insert(into: "ledger_entries", columns: columns, createdAt: now, on: sql)
        }
    }
}
