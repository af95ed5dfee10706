import FluentKit
import Foundation
import RecoupCore
import SQLKit

/// What an accrual run did.
public struct AccrualSummary: Sendable, Equatable {
    /// Debts looked at (those with principal owed).
    public var debts = 0
    /// Interest entries written.
    public var posted = 0
    /// The interest they add up to, in minor units of the terms' currency.
    public var interest: Int64 = 0
    /// Debts in another currency than the terms', which the terms do not apply to.
    public var skippedOtherCurrency = 0
}

/// One debt, found by client and reference.
struct DebtRow {
    let id: Int64
    let currency: Currency
    let dueOn: LocalDate
    let debtorID: Int64
}

/// A client's terms, stops on accrual, interest and fee postings, and the balance projection.
public enum AccrualStore {
    /// The client's id, name and terms (standard terms when none were set).
    public static func terms(
        clientRef: String, on database: any Database
    ) async throws
        -> (id: Int64, name: String, terms: ClientTerms)
    {
        try await terms(clientRef: clientRef, sql: database as! any SQLDatabase)
    }

    static func terms(
        clientRef: String, sql: any SQLDatabase
    ) async throws -> (id: Int64, name: String, terms: ClientTerms) {
        guard let row = try await sql.raw("SELECT id, name, terms FROM clients WHERE ref = \(bind: clientRef)").first()
        else { throw StoreError.unknownClient(clientRef) }
        let text = try row.decode(column: "terms", as: String?.self)
        var terms = ClientTerms.standard
        if let text {
            do { terms = try ClientTerms(json: Data(text.utf8)) } catch {
                throw StoreError.invalid("the stored terms of client \"\(clientRef)\" are unreadable: \(error)")
            }
        }
        return (try row.decode(column: "id", as: Int64.self), try row.decode(column: "name", as: String.self), terms)
    }

    /// Checks (`ClientTerms.validate()`) and stores a client's terms, as the JSON `ClientTerms(json:)` reads back;
    /// returns them.
    @discardableResult
    public static func setTerms(
        clientRef: String, terms: ClientTerms, on database: any Database
    ) async throws -> ClientTerms {
        do { try terms.validate() } catch { throw StoreError.invalid("\(error)") }
        let sql = database as! any SQLDatabase
        guard try await ClientQueries.clientID(ref: clientRef, on: sql) != nil else {
            throw StoreError.unknownClient(clientRef)
        }
        let text = String(decoding: try terms.encodedJSON(), as: UTF8.self)
        try await sql.raw("UPDATE clients SET terms = \(bind: text) WHERE ref = \(bind: clientRef)").run()
        return terms
    }

    /// Finds one debt of a client, locking its row on PostgreSQL when `lock` is set.
    static func debt(clientRef: String, debtRef: String, lock: Bool, on sql: any SQLDatabase) async throws -> DebtRow {
        let suffix = lock && SQLFlavor(sql) == .postgres ? " FOR UPDATE OF d" : ""
        guard
            let row = try await sql.raw(
                """
                SELECT d.id, d.currency, d.due_on, d.debtor_id FROM debts d JOIN clients c ON c.id = d.client_id \
                WHERE c.ref = \(bind: clientRef) AND d.ref = \(bind: debtRef)\(unsafeRaw: suffix)
                """
            ).first()
        else {
            if try await ClientQueries.clientID(ref: clientRef, on: sql) == nil {
                throw StoreError.unknownClient(clientRef)
            }
            throw StoreError.unknownDebt(client: clientRef, debt: debtRef)
        }
        return DebtRow(
            id: try row.decode(column: "id", as: Int64.self),
            currency: try Currency(code: try row.decode(column: "currency", as: String.self)),
            dueOn: LocalDate(daysSinceEpoch: try row.decode(column: "due_on", as: Int.self)),
            debtorID: try row.decode(column: "debtor_id", as: Int64.self))
    }

    /// The pauses of the given debts, by debt.
    static func pauses(debtIDs: [Int64], on sql: any SQLDatabase) async throws -> [Int64: [AccrualPause]] {
        var pauses: [Int64: [AccrualPause]] = [:]
        let flavor = SQLFlavor(sql)
        for start in stride(from: 0, to: debtIDs.count, by: 2000) {
            var query = BulkStatement(flavor)
            query.sql("SELECT debt_id, from_on, until_on, reason FROM accrual_pauses WHERE debt_id IN (")
            for (index, id) in debtIDs[start..<min(debtIDs.count, start + 2000)].enumerated() {
                if index > 0 { query.sql(",") }
                query.bind(id)
            }
            query.sql(")")
            for row in try await query.rows(on: sql) {
                guard let debtID = row.integer("debt_id"), let from = row.integer("from_on") else { continue }
                pauses[debtID, default: []].append(
                    AccrualPause(
                        from: LocalDate(daysSinceEpoch: Int(from)),
                        until: row.integer("until_on").map { LocalDate(daysSinceEpoch: Int($0)) },
                        reason: row.text("reason") ?? ""))
            }
        }
        return pauses
    }

    /// Stops interest and fees on one debt, or on every debt of a debtor, from `from` through `until` (open-ended
    /// when nil). Returns how many debts it covers.
    public static func pause(
        clientRef: String, debtRef: String?, debtorRef: String?, from: LocalDate, until: LocalDate?, reason: String,
        on database: any Database, now: Date
    ) async throws -> Int {
        let reason = reason.trimmedSpaces
        guard !reason.isEmpty else { throw StoreError.invalid("a pause needs a reason (hardship, breathing-space, …)") }
        if let until, until < from {
            throw StoreError.invalid("the pause ends (\(until)) before it starts (\(from))")
        }
        return try await PaymentStore.serializedTransaction(database) { sql in
            var ids: [Int64] = []
            if let debtRef {
                ids = [try await debt(clientRef: clientRef, debtRef: debtRef, lock: true, on: sql).id]
            } else if let debtorRef {
                ids = try await sql.raw(
                    """
                    SELECT d.id FROM debts d JOIN debtors p ON p.id = d.debtor_id JOIN clients c ON c.id = d.client_id \
                    WHERE c.ref = \(bind: clientRef) AND p.ref = \(bind: debtorRef) ORDER BY d.id
                    """
                ).all().map { try $0.decode(column: "id", as: Int64.self) }
                if ids.isEmpty {
                    if try await ClientQueries.clientID(ref: clientRef, on: sql) == nil {
                        throw StoreError.unknownClient(clientRef)
                    }
                    throw StoreError.unknownDebtor(client: clientRef, debtor: debtorRef)
                }
            }
            for id in ids {
                try await sql.raw(
                    """
                    INSERT INTO accrual_pauses (debt_id, from_on, until_on, reason, created_at) VALUES \
                    (\(bind: id), \(bind: from.daysSinceEpoch), \(bind: until?.daysSinceEpoch), \(bind: reason), \(bind: now))
                    """
                ).run()
            }
            return ids.count
        }
    }

    /// Accrues interest through `through` on every debt of the client that owes principal, per its terms. Each
    /// posting is keyed `interest:DATE`, so running it twice for the same day adds nothing.
    public static func accrue(
        clientRef: String, through: LocalDate, on database: any Database, now: Date
    ) async throws
        -> AccrualSummary
    {
        try await PaymentStore.serializedTransaction(database) { sql in
            let client = try await terms(clientRef: clientRef, sql: sql)
            var summary = AccrualSummary()
            guard client.terms.accrual.annualRatePPM > 0 else { return summary }
            let lock = SQLFlavor(sql) == .postgres ? " FOR UPDATE" : ""
            let debts = try await sql.raw(
                """
                SELECT d.id, d.currency, d.due_on FROM debts d WHERE d.client_id = \(bind: client.id) \
                AND d.due_on < \(bind: through.daysSinceEpoch) \
                AND (SELECT SUM(l.principal) FROM ledger_entries l WHERE l.debt_id = d.id) > 0 ORDER BY d.id\(unsafeRaw: lock)
                """
            ).all().map { row in
                (
                    id: try row.decode(column: "id", as: Int64.self),
                    currency: try row.decode(column: "currency", as: String.self),
                    dueOn: LocalDate(daysSinceEpoch: try row.decode(column: "due_on", as: Int.self))
                )
            }
            for start in stride(from: 0, to: debts.count, by: 2000) {
                let part = Array(debts[start..<min(debts.count, start + 2000)])
                let ids = part.map(\.id)
                let entries = try await LedgerBatch.entries(of: ids, on: sql)
                let pauses = try await pauses(debtIDs: ids, on: sql)
                var rows = LedgerBatch.NewEntries()
                for debt in part {
                    summary.debts += 1
                    guard debt.currency == client.terms.currency.code else {
                        summary.skippedOtherCurrency += 1
                        continue
                    }
                    var ledger = Ledger(currency: client.terms.currency, entries: entries[debt.id] ?? [])
                    guard
                        let posting = InterestAccrual.posting(
                            ledger: ledger, terms: client.terms.accrual, pauses: pauses[debt.id] ?? [],
                            accruesAfter: debt.dueOn, through: through)
                    else { continue }
                    if case .posted(let entry) = try ledger.post(posting) {
                        rows.append(entry, debtID: debt.id)
                        summary.posted += 1
                        summary.interest += entry.amount
                    }
                }
                try await rows.write(on: sql, now: now)
            }
            return summary
        }
    }

    /// Charges the fee the client's terms set for reaching `step`, once per debt. Returns nil when nothing is charged
    /// (already charged, paused, nothing owed, or the cap is reached).
    public static func chargeFee(
        clientRef: String, debtRef: String, step: String, on date: LocalDate, database: any Database, now: Date
    ) async throws -> PaymentResult? {
        try await PaymentStore.serializedTransaction(database) { sql in
            let client = try await terms(clientRef: clientRef, sql: sql)
            let debt = try await debt(clientRef: clientRef, debtRef: debtRef, lock: true, on: sql)
            guard debt.currency == client.terms.currency else {
                throw StoreError.invalid(
                    "the debt is in \(debt.currency.code) and the client's fees in \(client.terms.currency.code)")
            }
            var ledger = Ledger(currency: debt.currency, entries: try await PaymentStore.entries(of: debt.id, on: sql))
            let posting: LedgerPosting?
            do {
                posting = try FeeAccrual.posting(
                    step: step, ledger: ledger, terms: client.terms.accrual,
                    pauses: try await pauses(debtIDs: [debt.id], on: sql)[debt.id] ?? [], on: date)
            } catch {
                throw StoreError.invalid("\(error)")
            }
            guard let posting, case .posted(let entry) = try ledger.post(posting) else { return nil }
            try await PaymentStore.insert(entry, debtID: debt.id, note: step, reference: nil, now: now, on: sql)
            return PaymentResult(posted: true, currency: debt.currency, entry: entry, balance: ledger.balance)
        }
    }

    /// The debt's balance if nothing is paid, month by month for `months` months from `from`.
    public static func projection(
        clientRef: String, debtRef: String, from: LocalDate, months: Int = 12, on database: any Database
    ) async throws -> (projection: BalanceProjection, currency: Currency) {
        let sql = database as! any SQLDatabase
        let client = try await terms(clientRef: clientRef, sql: sql)
        let debt = try await debt(clientRef: clientRef, debtRef: debtRef, lock: false, on: sql)
        let ledger = Ledger(currency: debt.currency, entries: try await PaymentStore.entries(of: debt.id, on: sql))
        // Terms in another currency accrue nothing on this debt: the honest projection is then flat.
        let accrual = debt.currency == client.terms.currency ? client.terms.accrual : .none
        let projection = BalanceProjection(
            ledger: ledger, terms: accrual, pauses: try await pauses(debtIDs: [debt.id], on: sql)[debt.id] ?? [],
            accruesAfter: debt.dueOn, from: from, months: months)
        return (projection, debt.currency)
    }
}
