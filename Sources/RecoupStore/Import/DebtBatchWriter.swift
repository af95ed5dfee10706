import FluentKit
import Foundation
import RecoupCore
import SQLKit

/// What writing one batch of debt records changed.
struct BatchOutcome: Sendable {
    var imported = 0
    var unchanged = 0
    var updated = 0
    var conflicts: [ImportRowError] = []
}

/// Writes batches of validated debt records with a few set-based statements each (no per-row ORM saves).
///
/// Every statement is idempotent (`ON CONFLICT DO NOTHING` on the natural keys), so re-importing a file
/// changes nothing, and a new settlement for a known debt adds just its payment entry.
///
/// The writer keeps `debts.balance` itself (`M019ImportWritesDebtBalances`): a new debt is inserted with the total of
/// the entries inserted with it, and those entries are marked `counted_by_writer`, so the ledger's trigger leaves them
/// alone. When a batch meets debts that were already stored (a file imported again, or a reference twice in a file),
/// it also adds what it posted to those debts and recounts the new debts from their entries.
struct DebtBatchWriter: Sendable {
    let sql: any SQLDatabase
    let clientID: Int64
    let importBatchID: Int64?
    let now: Date
    private let flavor: SQLFlavor

    init(sql: any SQLDatabase, clientID: Int64, importBatchID: Int64?, now: Date) {
        self.sql = sql
        self.clientID = clientID
        self.importBatchID = importBatchID
        self.now = now
        self.flavor = SQLFlavor(sql)
    }

    /// The statements for one batch, built before it is written so that building the next batch (Swift, one
    /// core) overlaps with writing this one (SQLite, the other core).
    struct PreparedBatch: Sendable {
        let records: [DebtRecord]
        let debtors: [BulkStatement]
        let debts: [BulkStatement]
        let ledgerEntries: [BulkStatement]
    }

    /// Builds the statements for `records`. `knownDebtors` remembers the debtors this import already wrote, so a
    /// customer with many invoices is sent to the database once (capped to bound memory).
    func prepare(_ records: [DebtRecord], knownDebtors: inout Set<String>) -> PreparedBatch {
        let entries = records.map { $0.ledgerEntries() }
        return PreparedBatch(
            records: records, debtors: debtorStatements(records, skipping: &knownDebtors),
            debts: debtStatements(records, entries: entries),
            ledgerEntries: ledgerStatements(records, entries: entries))
    }

    /// Writes a prepared batch and says what it changed.
    func execute(_ batch: PreparedBatch) async throws -> BatchOutcome {
        guard !batch.records.isEmpty else { return BatchOutcome() }
        for statement in batch.debtors { _ = try await statement.run(on: sql) }
        let highestIDBefore = try await highestDebtID()
        var created = 0
        for statement in batch.debts { created += try await countInserted(statement) }
        var outcome = BatchOutcome()
        outcome.imported = created
        let existing = batch.records.count - created
        // Only a batch with debts that were already stored needs to know which of them gained entries; sending
        // rows back is what costs, so a first import does not ask. Then every debt was inserted by this batch with
        // its record's balance, and every entry inserted belongs to the record that inserted its debt.
        var posted: [Int64: Int64] = [:]
        for var statement in batch.ledgerEntries {
            if existing > 0 {
                statement.sql(" RETURNING debt_id, total")
                for row in try await statement.run(on: sql, returning: ["debt_id", "total"]) {
                    posted[row[0], default: 0] += row[1]
                }
            } else {
                _ = try await statement.run(on: sql)
            }
        }
        let touched = Set(posted.keys)
        if existing > 0 {
            try await countInBalances(posted, highestIDBefore: highestIDBefore)
            outcome.conflicts = try await findConflicts(batch.records)
            outcome.updated = touched.filter { $0 <= highestIDBefore }.count
            outcome.unchanged = existing - outcome.updated - outcome.conflicts.count
        }
        return outcome
    }

    /// Prepares and writes `records` in one go.
    func write(_ records: [DebtRecord], knownDebtors: inout Set<String>) async throws -> BatchOutcome {
        try await execute(prepare(records, knownDebtors: &knownDebtors))
    }

    private func highestDebtID() async throws -> Int64 {
        try await sql.raw("SELECT COALESCE(MAX(id), 0) AS id FROM debts").first()?.decode(column: "id", as: Int64.self)
            ?? 0
    }

    /// Puts the entries a batch posted to stored debts into their balances (the trigger skips them): debts stored
    /// before the batch gain what was posted to them, as the trigger would add it (other writers may be adding to the
    /// same balance); debts this batch inserted, which no other transaction can see yet, are counted again from their
    /// entries, since a reference twice in a batch inserts the debt with the first row's balance and may post the
    /// second row's entries too.
    private func countInBalances(_ posted: [Int64: Int64], highestIDBefore: Int64) async throws {
        var added = BatchRows(columns: 2)
        var recounted = BatchRows(columns: 1)
        for (debtID, total) in posted.sorted(by: { $0.key < $1.key }) {
            if debtID <= highestIDBefore {
                if total != 0 { added.append(.integer(debtID), .integer(total)) }
            } else {
                recounted.append(.integer(debtID))
            }
        }
        let f = flavor
        let statements =
            chunkedStatements(
                added, select: { $0.sql("UPDATE debts SET balance = balance + \(f.field(1, .bigint))") },
                then: " WHERE debts.id = \(f.field(0, .bigint))")
            + chunkedStatements(
                recounted,
                select: {
                    $0.sql("UPDATE debts SET balance = (SELECT CAST(COALESCE(SUM(l.total), 0) AS BIGINT) ")
                    $0.sql("FROM ledger_entries l WHERE l.debt_id = debts.id)")
                }, then: " WHERE debts.id = \(f.field(0, .bigint))")
        for statement in statements { _ = try await statement.run(on: sql) }
    }

    /// Runs an INSERT and answers how many rows it inserted, without sending the rows back.
    private func countInserted(_ insert: BulkStatement) async throws -> Int {
        switch flavor {
        case .sqlite:
            _ = try await insert.run(on: sql)
            return try await sql.raw("SELECT changes() AS n").first()?.decode(column: "n", as: Int.self) ?? 0
        case .postgres:
            var counted = BulkStatement(flavor)
            counted.sql("WITH inserted AS (")
            counted.append(insert)
            counted.sql(" RETURNING 1) SELECT COUNT(*) AS n FROM inserted")
            return Int(try await counted.run(on: sql, returning: ["n"]).first?.first ?? 0)
        }
    }

    private func debtorStatements(_ records: [DebtRecord], skipping known: inout Set<String>) -> [BulkStatement] {
        var debtors = BatchRows(columns: 6)
        var contacts = BatchRows(columns: 8)
        var terms = BatchRows(columns: 2)
        var inBatch = Set<String>()
        for record in records where !known.contains(record.debtor.ref) && inBatch.insert(record.debtor.ref).inserted {
            let debtor = record.debtor
            debtors.append(
                .text(debtor.ref), .text(debtor.kind.rawValue), .text(debtor.name),
                .text(debtor.timeZones.joined(separator: ";")), .text(debtor.sourceCountryCode),
                .text(debtor.language?.rawValue))
            for term in SearchTerms.terms(name: debtor.name, phones: debtor.phones.map(\.number)) {
                terms.append(.text(debtor.ref), .text(term))
            }
            for phone in debtor.phones {
                contacts.append(
                    .text(debtor.ref), .text("phone"), .text(phone.number), .text(phone.type.rawValue), .text(nil),
                    .text(nil), .text(nil), .text(nil))
            }
            for email in debtor.emails {
                contacts.append(
                    .text(debtor.ref), .text("email"), .text(email), .text("other"), .text(nil), .text(nil), .text(nil),
                    .text(nil))
            }
            for address in debtor.addresses {
                contacts.append(
                    .text(debtor.ref), .text("address"), .text(address.line1 ?? ""), .text(address.type.rawValue),
                    .text(address.city), .text(address.state), .text(address.postalCode), .text(address.country))
            }
        }
        if known.count < 500_000 { known.formUnion(inBatch) }
        let f = flavor
        var statements = chunkedStatements(
            debtors,
            select: { statement in
                statement.sql("INSERT INTO debtors (client_id, ref, kind, name, time_zones, source_country_code, ")
                statement.sql("language, created_at) SELECT ")
                statement.bind(clientID)
                statement.sql(
                    ", \(f.field(0, .text)), \(f.field(1, .text)), \(f.field(2, .text)), \(f.field(3, .text)), ")
                statement.sql("\(f.field(4, .text)), \(f.field(5, .text)), ")
                statement.bind(now)
            },
            then: " WHERE true ON CONFLICT (client_id, ref) DO NOTHING")
        statements += chunkedStatements(
            contacts,
            select: { statement in
                statement.sql("INSERT INTO contact_points (debtor_id, kind, value, type, city, state, postal_code, ")
                statement.sql("country, created_at) SELECT d.id, \(f.field(1, .text)), \(f.field(2, .text)), ")
                statement.sql(
                    "\(f.field(3, .text)), \(f.field(4, .text)), \(f.field(5, .text)), \(f.field(6, .text)), ")
                statement.sql("\(f.field(7, .text)), ")
                statement.bind(now)
            },
            then: parentLookup("debtors", as: "d", refField: 0)
                + " WHERE true ON CONFLICT (debtor_id, kind, value) DO NOTHING")
        statements += chunkedStatements(
            terms,
            select: { statement in
                statement.sql("INSERT INTO search_terms (term, debtor_id) SELECT \(f.field(1, .text)), d.id")
            },
            then: parentLookup("debtors", as: "d", refField: 0) + " WHERE true ON CONFLICT (term, debtor_id) DO NOTHING"
        )
        return statements
    }

    /// Statements that insert the debts not yet known, each with the balance of its entries (`entries`, in the order
    /// of `records`).
    private func debtStatements(_ records: [DebtRecord], entries: [[LedgerEntry]]) -> [BulkStatement] {
        var rows = BatchRows(columns: 9)
        for (record, entries) in zip(records, entries) {
            rows.append(
                .text(record.ref), .text(record.debtor.ref), .text(record.originalCreditor),
                .text(record.currency.code),
                .integer(Int64(record.chargedOn.daysSinceEpoch)), .integer(Int64(record.dueDate.daysSinceEpoch)),
                .integer(record.itemizationDate.map { Int64($0.daysSinceEpoch) }), .bool(record.isDisputed),
                .integer(entries.reduce(0) { $0 + $1.effect.total }))
        }
        let f = flavor
        return chunkedStatements(
            rows,
            select: { statement in
                statement.sql("INSERT INTO debts (client_id, debtor_id, ref, original_creditor, currency, charged_on, ")
                statement.sql("due_on, itemization_on, disputed, balance, import_batch_id, created_at) SELECT ")
                statement.bind(clientID)
                statement.sql(", d.id, \(f.field(0, .text)), \(f.field(2, .text)), \(f.field(3, .text)), ")
                statement.sql("\(f.field(4, .integer)), \(f.field(5, .integer)), \(f.field(6, .integer)), ")
                statement.sql("\(f.field(7, .boolean)), \(f.field(8, .bigint)), ")
                statement.bind(importBatchID)
                statement.sql(", ")
                statement.bind(now)
            },
            then: parentLookup("debtors", as: "d", refField: 1) + " WHERE true ON CONFLICT (client_id, ref) DO NOTHING")
    }

    /// Statements that insert the ledger entries not yet posted (by idempotency key), marked as counted in their
    /// debts' balances by this writer.
    private func ledgerStatements(_ records: [DebtRecord], entries: [[LedgerEntry]]) -> [BulkStatement] {
        var rows = BatchRows(columns: 8)
        for (record, entries) in zip(records, entries) {
            for entry in entries {
                rows.append(
                    .text(record.ref), .text(entry.kind.rawValue), .integer(Int64(entry.effectiveDate.daysSinceEpoch)),
                    .integer(entry.amount), .integer(entry.effect.principal), .integer(entry.effect.interest),
                    .integer(entry.effect.fees), .text(entry.idempotencyKey))
            }
        }
        let f = flavor
        return chunkedStatements(
            rows,
            select: { statement in
                statement.sql("INSERT INTO ledger_entries (debt_id, kind, effective_on, amount, principal, interest, ")
                statement.sql("fees, total, idempotency_key, counted_by_writer, created_at) SELECT t.id, ")
                statement.sql("\(f.field(1, .text)), \(f.field(2, .integer)), \(f.field(3, .bigint)), ")
                statement.sql("\(f.field(4, .bigint)), \(f.field(5, .bigint)), \(f.field(6, .bigint)), ")
                statement.sql("\(f.field(4, .bigint)) + \(f.field(5, .bigint)) + \(f.field(6, .bigint)), ")
                statement.sql("\(f.field(7, .text)), \(f == .sqlite ? "1" : "TRUE"), ")
                statement.bind(now)
            },
            then: parentLookup("debts", as: "t", refField: 0)
                + " WHERE true ON CONFLICT (debt_id, idempotency_key) DO NOTHING")
    }

    /// One statement per chunk of `rows`: `select` writes what comes before `FROM`, then the rows, then `then`.
    private func chunkedStatements(
        _ rows: BatchRows, select: (inout BulkStatement) -> Void, then tail: String
    ) -> [BulkStatement] {
        rows.chunks.map { chunk in
            var statement = BulkStatement(flavor)
            select(&statement)
            statement.sql(" FROM ")
            rows.appendSource(rows: chunk, to: &statement)
            statement.sql(tail)
            return statement
        }
    }

    /// The join that finds each batch row's parent (a debtor or a debt of this client) by its reference. The client
    /// id is ours, not user input, and is inlined: a bound value in a join condition makes SQLite re-plan the
    /// statement on every execution.
    private func parentLookup(_ table: String, as alias: String, refField: Int) -> String {
        " \(flavor.lookupJoin) \(table) \(alias) ON \(alias).client_id = \(clientID) AND \(alias).ref = \(flavor.field(refField, .text))"
    }

    /// Rows whose debt already existed with a different charge, due date or currency: the stored debt is kept and
    /// the row is reported, because silently ignoring a changed amount would misstate what is owed.
    private func findConflicts(_ records: [DebtRecord]) async throws -> [ImportRowError] {
        var rows = BatchRows(columns: 5)
        for record in records {
            rows.append(
                .text(record.ref), .integer(Int64(record.line)), .integer(record.charged.principal),
                .integer(Int64(record.dueDate.daysSinceEpoch)), .text(record.currency.code))
        }
        let f = flavor
        var conflicts: [ImportRowError] = []
        let charged =
            "(SELECT e.amount FROM ledger_entries e WHERE e.debt_id = t.id AND e.idempotency_key = 'import:charge')"
        let statements = chunkedStatements(
            rows, select: { $0.sql("SELECT \(f.field(1, .integer)) AS line, t.id AS id") },
            then: parentLookup("debts", as: "t", refField: 0) + " WHERE t.due_on <> \(f.field(3, .integer)) "
                + "OR t.currency <> \(f.field(4, .text)) OR COALESCE(\(charged), 0) <> \(f.field(2, .bigint))")
        for statement in statements {
            for row in try await statement.run(on: sql, returning: ["line", "id"]) {
                let stored = try await sql.raw(
                    "SELECT ref, due_on, currency, \(unsafeRaw: charged) AS charged FROM debts t WHERE t.id = \(bind: row[1])"
                ).first()
                guard let stored else { continue }
                conflicts.append(try Self.conflict(line: Int(row[0]), stored: stored))
            }
        }
        return conflicts.sorted { $0.line < $1.line }
    }

    private static func conflict(line: Int, stored row: any SQLRow) throws -> ImportRowError {
        let ref = try row.decode(column: "ref", as: String.self)
        let currency = (try? Currency(code: try row.decode(column: "currency", as: String.self))) ?? .usd
        let charged = try row.decode(column: "charged", as: Int64?.self) ?? 0
        let due = LocalDate(daysSinceEpoch: try row.decode(column: "due_on", as: Int.self))
        let amount = Money.decimalString(minorUnits: charged, currency: currency)
        return ImportRowError(
            line: line,
            message: "debt \(ref) already exists with principal \(amount) \(currency.code) due \(due.isoString); "
                + "the row differs, so the stored debt was kept (post an adjustment to change it)")
    }
}
