import FluentKit
import Foundation
import RecoupCore
import SQLKit

/// What writing one batch of debt records changed.
struct BatchOutcome {
    var imported = 0
    var unchanged = 0
    var updated = 0
    var conflicts: [ImportRowError] = []
}

/// Writes batches of validated debt records with a few set-based statements each (no per-row ORM saves).
///
/// Every statement is idempotent (`ON CONFLICT DO NOTHING` on the natural keys), so re-importing a file
/// changes nothing, and a new settlement for a known debt adds just its payment entry.
struct DebtBatchWriter {
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

    func write(_ records: [DebtRecord], knownDebtors: inout Set<String>) async throws -> BatchOutcome {
        guard !records.isEmpty else { return BatchOutcome() }
        try await insertDebtors(records, skipping: &knownDebtors)
        let highestIDBefore = try await highestDebtID()
        let created = try await insertDebts(records)
        var outcome = BatchOutcome()
        outcome.imported = created
        let existing = records.count - created
        // Only a batch with debts that were already stored needs to know which of them gained entries.
        let touched = try await insertLedgerEntries(records, reportingDebts: existing > 0)
        if existing > 0 {
            outcome.conflicts = try await findConflicts(records)
            outcome.updated = touched.filter { $0 <= highestIDBefore }.count
            outcome.unchanged = existing - outcome.updated - outcome.conflicts.count
        }
        return outcome
    }

    private func highestDebtID() async throws -> Int64 {
        try await sql.raw("SELECT COALESCE(MAX(id), 0) AS id FROM debts").first()?.decode(column: "id", as: Int64.self)
            ?? 0
    }

    /// Runs an INSERT and answers how many rows it inserted, without sending the rows back.
    private func countInserted(_ insert: SQLQueryString) async throws -> Int {
        switch flavor {
        case .sqlite:
            try await sql.raw(insert).run()
            return try await sql.raw("SELECT changes() AS n").first()?.decode(column: "n", as: Int.self) ?? 0
        case .postgres:
            let query: SQLQueryString = "WITH inserted AS (" + insert + " RETURNING 1) SELECT COUNT(*) AS n FROM inserted"
            return try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    /// Inserts the batch's debtors not yet stored. `known` remembers the debtors this import already wrote, so a
    /// customer with many invoices is sent to the database once (it is capped to bound memory).
    private func insertDebtors(_ records: [DebtRecord], skipping known: inout Set<String>) async throws {
        var debtors = JSONRows()
        var contacts = JSONRows()
        for record in records where !known.contains(record.debtor.ref) {
            if known.count < 500_000 { known.insert(record.debtor.ref) }
            let debtor = record.debtor
            debtors.beginRow()
            debtors.add(debtor.ref)
            debtors.add(debtor.kind.rawValue)
            debtors.add(debtor.name)
            debtors.add(debtor.timeZones.joined(separator: ";"))
            debtors.add(debtor.sourceCountryCode)
            debtors.endRow()
            for phone in debtor.phones {
                contacts.addContact(debtor.ref, "phone", phone.number, phone.type.rawValue, nil, nil, nil, nil)
            }
            for email in debtor.emails {
                contacts.addContact(debtor.ref, "email", email, "other", nil, nil, nil, nil)
            }
            for address in debtor.addresses {
                contacts.addContact(
                    debtor.ref, "address", address.line1 ?? "", address.type.rawValue, address.city, address.state,
                    address.postalCode, address.country)
            }
        }
        guard debtors.count > 0 else { return }
        let f = flavor
        let debtorQuery: SQLQueryString = """
            INSERT INTO debtors (client_id, ref, kind, name, time_zones, source_country_code, created_at) \
            SELECT \(bind: clientID), \(unsafeRaw: f.jsonField(0, .text)), \(unsafeRaw: f.jsonField(1, .text)), \
            \(unsafeRaw: f.jsonField(2, .text)), \(unsafeRaw: f.jsonField(3, .text)), \
            \(unsafeRaw: f.jsonField(4, .text)), \(bind: now) FROM 
            """ + f.jsonRowsSource(debtors.json) + " WHERE true ON CONFLICT (client_id, ref) DO NOTHING"
        try await sql.raw(debtorQuery).run()
        guard contacts.count > 0 else { return }
        let contactQuery: SQLQueryString = """
            INSERT INTO contact_points (debtor_id, kind, value, type, city, state, postal_code, country, created_at) \
            SELECT d.id, \(unsafeRaw: f.jsonField(1, .text)), \(unsafeRaw: f.jsonField(2, .text)), \
            \(unsafeRaw: f.jsonField(3, .text)), \(unsafeRaw: f.jsonField(4, .text)), \
            \(unsafeRaw: f.jsonField(5, .text)), \(unsafeRaw: f.jsonField(6, .text)), \
            \(unsafeRaw: f.jsonField(7, .text)), \(bind: now) FROM 
            """ + f.jsonRowsSource(contacts.json) + """
             \(unsafeRaw: f.lookupJoin) debtors d ON d.client_id = \(bind: clientID) AND d.ref = \(unsafeRaw: f.jsonField(0, .text)) \
            WHERE true ON CONFLICT (debtor_id, kind, value) DO NOTHING
            """
        try await sql.raw(contactQuery).run()
    }

    /// Inserts the debts not yet known; returns how many it created.
    private func insertDebts(_ records: [DebtRecord]) async throws -> Int {
        var rows = JSONRows()
        for record in records {
            rows.beginRow()
            rows.add(record.ref)
            rows.add(record.debtor.ref)
            rows.add(record.originalCreditor)
            rows.add(record.currency.code)
            rows.add(record.chargedOn.daysSinceEpoch)
            rows.add(record.dueDate.daysSinceEpoch)
            rows.add(record.itemizationDate?.daysSinceEpoch)
            rows.add(record.isDisputed)
            rows.endRow()
        }
        let f = flavor
        let query: SQLQueryString = """
            INSERT INTO debts (client_id, debtor_id, ref, original_creditor, currency, charged_on, due_on, \
            itemization_on, disputed, import_batch_id, created_at) \
            SELECT \(bind: clientID), d.id, \(unsafeRaw: f.jsonField(0, .text)), \(unsafeRaw: f.jsonField(2, .text)), \
            \(unsafeRaw: f.jsonField(3, .text)), \(unsafeRaw: f.jsonField(4, .integer)), \
            \(unsafeRaw: f.jsonField(5, .integer)), \(unsafeRaw: f.jsonField(6, .integer)), \
            \(unsafeRaw: f.jsonField(7, .boolean)), \(bind: importBatchID), \(bind: now) FROM 
            """ + f.jsonRowsSource(rows.json) + """
             \(unsafeRaw: f.lookupJoin) debtors d ON d.client_id = \(bind: clientID) AND d.ref = \(unsafeRaw: f.jsonField(1, .text)) \
            WHERE true ON CONFLICT (client_id, ref) DO NOTHING
            """
        return try await countInserted(query)
    }

    /// Inserts ledger entries not yet posted (by idempotency key); when asked, returns the ids of the debts that got
    /// any (sending rows back is what costs, so a first import does not ask).
    private func insertLedgerEntries(_ records: [DebtRecord], reportingDebts: Bool) async throws -> Set<Int64> {
        var rows = JSONRows()
        for record in records {
            for entry in record.ledgerEntries() {
                rows.beginRow()
                rows.add(record.ref)
                rows.add(entry.kind.rawValue)
                rows.add(entry.effectiveDate.daysSinceEpoch)
                rows.add(entry.amount)
                rows.add(entry.effect.principal)
                rows.add(entry.effect.interest)
                rows.add(entry.effect.fees)
                rows.add(entry.effect.total)
                rows.add(entry.idempotencyKey)
                rows.endRow()
            }
        }
        guard rows.count > 0 else { return [] }
        let f = flavor
        let query: SQLQueryString = """
            INSERT INTO ledger_entries (debt_id, kind, effective_on, amount, principal, interest, fees, total, \
            idempotency_key, created_at) \
            SELECT t.id, \(unsafeRaw: f.jsonField(1, .text)), \(unsafeRaw: f.jsonField(2, .integer)), \
            \(unsafeRaw: f.jsonField(3, .bigint)), \(unsafeRaw: f.jsonField(4, .bigint)), \
            \(unsafeRaw: f.jsonField(5, .bigint)), \(unsafeRaw: f.jsonField(6, .bigint)), \
            \(unsafeRaw: f.jsonField(7, .bigint)), \(unsafeRaw: f.jsonField(8, .text)), \(bind: now) FROM 
            """ + f.jsonRowsSource(rows.json) + """
             \(unsafeRaw: f.lookupJoin) debts t ON t.client_id = \(bind: clientID) AND t.ref = \(unsafeRaw: f.jsonField(0, .text)) \
            WHERE true ON CONFLICT (debt_id, idempotency_key) DO NOTHING
            """
        guard reportingDebts else {
            try await sql.raw(query).run()
            return []
        }
        let inserted = try await sql.raw(query + " RETURNING debt_id").all()
        return Set(try inserted.map { try $0.decode(column: "debt_id", as: Int64.self) })
    }

    /// Rows whose debt already existed with a different charge or due date: the stored debt is kept and the row
    /// is reported, because silently ignoring a changed amount would misstate what is owed.
    private func findConflicts(_ records: [DebtRecord]) async throws -> [ImportRowError] {
        var rows = JSONRows()
        for record in records {
            rows.beginRow()
            rows.add(record.ref)
            rows.add(record.line)
            rows.add(record.charged.principal)
            rows.add(record.dueDate.daysSinceEpoch)
            rows.add(record.currency.code)
            rows.endRow()
        }
        let f = flavor
        let query: SQLQueryString = """
            SELECT \(unsafeRaw: f.jsonField(1, .integer)) AS line, t.ref AS ref, t.due_on AS due_on, \
            t.currency AS currency, \
            (SELECT e.amount FROM ledger_entries e WHERE e.debt_id = t.id AND e.idempotency_key = 'import:charge') \
            AS charged FROM 
            """ + f.jsonRowsSource(rows.json) + """
             \(unsafeRaw: f.lookupJoin) debts t ON t.client_id = \(bind: clientID) AND t.ref = \(unsafeRaw: f.jsonField(0, .text)) \
            WHERE t.due_on <> \(unsafeRaw: f.jsonField(3, .integer)) OR t.currency <> \(unsafeRaw: f.jsonField(4, .text)) \
            OR COALESCE((SELECT e.amount FROM ledger_entries e WHERE e.debt_id = t.id \
            AND e.idempotency_key = 'import:charge'), 0) <> \(unsafeRaw: f.jsonField(2, .bigint))
            """
        let found = try await sql.raw(query).all()
        return try found.map { row in
            let line = try row.decode(column: "line", as: Int.self)
            let ref = try row.decode(column: "ref", as: String.self)
            let currency = (try? Currency(code: try row.decode(column: "currency", as: String.self))) ?? .usd
            let charged = try row.decode(column: "charged", as: Int64?.self) ?? 0
            let due = LocalDate(daysSinceEpoch: try row.decode(column: "due_on", as: Int.self))
            return ImportRowError(
                line: line,
                message: "debt \(ref) already exists with principal \(Money.decimalString(minorUnits: charged, currency: currency)) "
                    + "\(currency.code) due \(due.isoString); the row differs, so the stored debt was kept "
                    + "(post an adjustment to change it)")
        }.sorted { $0.line < $1.line }
    }
}

extension JSONRows {
    fileprivate mutating func addContact(
        _ debtorRef: String, _ kind: String, _ value: String, _ type: String, _ city: String?, _ state: String?,
        _ postalCode: String?, _ country: String?
    ) {
        beginRow()
        add(debtorRef)
        add(kind)
        add(value)
        add(type)
        add(city)
        add(state)
        add(postalCode)
        add(country)
        endRow()
    }
}
