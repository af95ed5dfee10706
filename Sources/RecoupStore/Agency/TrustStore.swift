import FluentKit
import Foundation
import RecoupCore
import SQLKit

/// A ledger entry just written that may move a client's money through the agency: a payment or a reversal, who
/// received it and, for an agency payment, the day it clears (nil: the contract's hold).
struct TrustPosting: Sendable {
    var debtID: Int64
    var entry: LedgerEntry
    var receivedBy: PaymentReceiver
    var releaseOn: LocalDate?
}

/// A closed remittance statement.
public struct RemittanceStatement: Sendable, Equatable {
    public var id: Int64
    public var clientRef: String
    public var clientName: String
    public var currency: Currency
    public var through: LocalDate
    public var method: RemittanceMethod
    public var figures: RemittanceFigures
    /// Payments and reversals on it.
    public var lines: Int
    public var createdAt: Date
    public var createdBy: String?
}

/// One payment or reversal on a statement (the CSV's and the PDF's lines).
public struct RemittanceLine: Sendable, Equatable {
    public var kind: TrustLineKind
    public var afterRemittance: Bool
    public var debtorRef: String
    public var debtorName: String
    public var debtRef: String
    public var on: LocalDate
    public var amount: Int64
    public var rate: CommissionRate
    public var commission: Int64
}

/// A client's trust ledger checked against its payments and statements.
public struct TrustCheck: Sendable, Equatable {
    public var clientRef: String
    public var currency: Currency
    /// What the trust ledger holds for the client now.
    public var held: Int64
    /// What the payments ledger and the statements say it should hold.
    public var expected: Int64
    /// What the client owes back (claw-backs recorded, and reversals of remitted payments not yet on a statement).
    public var owedByClient: Int64
    /// The first difference, in one sentence; nil when the ledger reconciles.
    public var difference: String?
}

/// The trust ledger (docs/agency.md, "Trust accounting"): every payment to a placed account is recorded with who
/// received it and the commission its placement's rate earns, and a remittance statement closes what is due.
///
/// Invariant, per client and currency: trust held = paid to the agency − reversed − remitted − commission taken
/// (+ commission returned), and it is never below zero by more than what the client owes back (a recorded
/// claw-back). `check` proves it from the ledgers; the property test drives random sequences through it.
public enum TrustStore {
    // MARK: Recording payments

    /// Records the trust movements of ledger entries just written, inside the caller's transaction: a payment to a
    /// debt placed with the agency on or before its date (`received` or `direct`, with its rate and commission), or
    /// the reversal of such a payment. Entries of debts never placed are left alone.
    static func record(_ postings: [TrustPosting], now: Date, sql: any SQLDatabase) async throws {
        let relevant = postings.filter { $0.entry.kind == .payment || $0.entry.kind == .paymentReversal }
        guard !relevant.isEmpty else { return }
        let ids = SQLQueryString.integerList(Array(Set(relevant.map(\.debtID))).sorted())
        var placements:
            [Int64: [(
                id: Int64, clientID: Int64, currency: String, terms: PlacementTerms,
                directCommission: Bool, holdDays: Int
            )]] = [:]
        for row in try await sql.raw(
            """
            SELECT ap.id, ap.debt_id, ap.client_id, ap.currency, ap.placed_on, ap.rate, ap.free_through, ap.free_rate, \
            ap.closed_on, c.direct_commission, c.hold_days FROM agency_placements ap \
            JOIN agency_contracts c ON c.id = ap.contract_id WHERE ap.debt_id IN (\(ids)) ORDER BY ap.placed_on, ap.id
            """
        ).all() {
            let terms = PlacementTerms(
                placedOn: LocalDate(daysSinceEpoch: try row.decode(column: "placed_on", as: Int.self)),
                rate: try CommissionRate(thousandths: try row.decode(column: "rate", as: Int64.self)),
                freeThrough: try row.decode(column: "free_through", as: Int?.self).map(LocalDate.init(daysSinceEpoch:)),
                freeRate: try row.decode(column: "free_rate", as: Int64?.self).map {
                    try CommissionRate(thousandths: $0)
                },
                closedOn: try row.decode(column: "closed_on", as: Int?.self).map(LocalDate.init(daysSinceEpoch:)))
            placements[try row.decode(column: "debt_id", as: Int64.self), default: []].append(
                (
                    try row.decode(column: "id", as: Int64.self), try row.decode(column: "client_id", as: Int64.self),
                    try row.decode(column: "currency", as: String.self), terms,
                    try row.decode(column: "direct_commission", as: Bool.self),
                    try row.decode(column: "hold_days", as: Int.self)
                ))
        }
        guard !placements.isEmpty else { return }
        var rows = BatchRows(columns: 16)
        for posting in relevant {
            guard let candidates = placements[posting.debtID] else { continue }
            let entry = posting.entry
            if entry.kind == .payment {
                guard let placement = candidates.last(where: { $0.terms.placedOn <= entry.effectiveDate }) else {
                    continue
                }
                let direct = posting.receivedBy == .client
                var rate = placement.terms.rate(on: entry.effectiveDate)
                if direct && !placement.directCommission { rate = .zero }
                let release =
                    direct ? nil : posting.releaseOn ?? entry.effectiveDate.adding(days: placement.holdDays)
                rows.append(
                    .integer(placement.clientID), .text(placement.currency),
                    .text((direct ? TrustLineKind.direct : .received).rawValue), .integer(entry.amount),
                    .integer(Int64(entry.effectiveDate.daysSinceEpoch)),
                    .integer(release.map { Int64($0.daysSinceEpoch) }), .integer(posting.debtID),
                    .integer(placement.id), .text(entry.idempotencyKey), .text(nil), .integer(rate.thousandths),
                    .integer(rate.commission(on: entry.amount)), .integer(nil),
                    .integer(Int64(placement.terms.placedOn.daysSinceEpoch)),
                    .integer(Int64(entry.effectiveDate.daysSinceEpoch)),
                    .bool(placement.terms.closedOn.map { entry.effectiveDate <= $0 } ?? true))
            } else if let paymentKey = entry.reversedKey {
                // The payment may be in this very batch (a file that pays and reverses): written first.
                try await write(rows, now: now, sql: sql)
                rows = BatchRows(columns: 16)
                guard
                    let paid = try await sql.raw(
                        """
                        SELECT client_id, currency, kind, amount, rate, commission, placement_id, placed_on, paid_on, \
                        in_placement FROM trust_entries \
                        WHERE debt_id = \(bind: posting.debtID) AND ledger_key = \(bind: paymentKey)
                        """
                    ).first()
                else { continue }
                let kind = try paid.decode(column: "kind", as: String.self)
                rows.append(
                    .integer(try paid.decode(column: "client_id", as: Int64.self)),
                    .text(try paid.decode(column: "currency", as: String.self)),
                    .text((kind == TrustLineKind.direct.rawValue ? TrustLineKind.directReversed : .reversed).rawValue),
                    .integer(try paid.decode(column: "amount", as: Int64.self)),
                    .integer(Int64(entry.effectiveDate.daysSinceEpoch)), .integer(nil), .integer(posting.debtID),
                    .integer(try paid.decode(column: "placement_id", as: Int64?.self)), .text(entry.idempotencyKey),
                    .text(paymentKey), .integer(try paid.decode(column: "rate", as: Int64?.self)),
                    .integer(try paid.decode(column: "commission", as: Int64.self)), .integer(nil),
                    .integer(try paid.decode(column: "placed_on", as: Int64?.self)),
                    .integer(try paid.decode(column: "paid_on", as: Int64?.self)),
                    .bool(try paid.decode(column: "in_placement", as: Bool?.self) ?? false))
            }
        }
        try await write(rows, now: now, sql: sql)
    }

    /// Writes trust movements with multi-row inserts (`statement_id` NULL: not yet on a statement), with what the
    /// agency reports read of them (M029): the placement's date, the payment's day, and whether the payment falls
    /// within the placement.
    private static func write(_ rows: BatchRows, now: Date, sql: any SQLDatabase) async throws {
        guard rows.count > 0 else { return }
        let columns: [(String, BatchColumnType)] = [
            ("client_id", .bigint), ("currency", .text), ("kind", .text), ("amount", .bigint), ("on_day", .integer),
            ("release_on", .integer), ("debt_id", .bigint), ("placement_id", .bigint), ("ledger_key", .text),
            ("payment_key", .text), ("rate", .bigint), ("commission", .bigint), ("statement_id", .bigint),
            ("placed_on", .integer), ("paid_on", .integer), ("in_placement", .boolean),
        ]
        try await rows.insert(into: "trust_entries", columns: columns, createdAt: now, on: sql)
    }

    // MARK: Statements

    /// Closes `clientRef`'s remittance statement through `through`: every movement on or before that day not yet on a
    /// statement (an agency payment once released, unless reversed by then; every reversal, netted against its
    /// payment when that goes on the same statement, else clawed back with its commission returned; direct payments),
    /// with the contract's method. A statement already closed through that day is answered again and nothing is
    /// created (`created` false); a day before the latest statement's is refused. `currency` is needed only when the
    /// client has money in several.
    public static func close(
        clientRef: String, through: LocalDate, currency requested: Currency? = nil, by: String?, now: Date,
        on database: any Database
    ) async throws -> (statement: RemittanceStatement, created: Bool) {
        try await PaymentStore.serializedTransaction(database) { sql in
            guard let clientID = try await ClientQueries.clientID(ref: clientRef, on: sql) else {
                throw StoreError.unknownClient(clientRef)
            }
            // Two closes of one client at once on PostgreSQL: the second waits, then finds the first's statement.
            try await ClientQueries.lock(clientID: clientID, sql: sql)
            guard let contract = try await AgencyStore.current(clientID: clientID, clientRef: clientRef, sql: sql)
            else {
                throw StoreError.invalid(
                    "\(clientRef) has no agency contract: set one with `recoup agency contract --client \(clientRef) FILE.json`"
                )
            }
            let currency = try await statementCurrency(clientID: clientID, clientRef: clientRef, requested, sql: sql)
            let day = through.daysSinceEpoch
            if let existing = try await statements(
                where:
                    "s.client_id = \(bind: clientID) AND s.currency = \(bind: currency.code) AND s.through = \(bind: day)",
                sql: sql
            ).first {
                return (existing, false)
            }
            if let latest = try await sql.raw(
                """
                SELECT MAX(through) AS through FROM remittance_statements WHERE client_id = \(bind: clientID) \
                AND currency = \(bind: currency.code)
                """
            ).first()?.decode(column: "through", as: Int?.self), latest > day {
                throw StoreError.invalid(
                    "\(clientRef)'s statements are closed through \(LocalDate(daysSinceEpoch: latest).isoString) "
                        + "already, after \(through.isoString): close a later day")
            }
            let method = contract.contract.remittance
            let statementID = try await sql.raw(
                """
                INSERT INTO remittance_statements (client_id, currency, through, method, collected, commission, \
                direct_payments, commission_on_direct, reversals_after_remittance, commission_returned, \
                due_to_client, due_to_agency, remitted, commission_taken, clawback, lines, created_at, created_by) \
                VALUES (\(bind: clientID), \(bind: currency.code), \(bind: day), \(bind: method.rawValue), \
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, \(bind: now), \(bind: by)) RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
            let open: SQLQueryString =
                "client_id = \(bind: clientID) AND currency = \(bind: currency.code) AND statement_id IS NULL AND on_day <= \(bind: day)"
            // A reversal is clawed back when its payment is on an earlier statement; otherwise it goes on this one
            // with its payment and nets out.
            try await sql.raw(
                """
                UPDATE trust_entries SET after_remittance = CASE WHEN EXISTS (SELECT 1 FROM trust_entries p \
                WHERE p.debt_id = trust_entries.debt_id AND p.ledger_key = trust_entries.payment_key \
                AND p.statement_id IS NOT NULL) THEN \(unsafeRaw: SQLFlavor(sql) == .sqlite ? "1" : "TRUE") \
                ELSE \(unsafeRaw: SQLFlavor(sql) == .sqlite ? "0" : "FALSE") END \
                WHERE \(open) AND kind IN ('reversed', 'direct_reversed')
                """
            ).run()
            try await sql.raw(
                """
                UPDATE trust_entries SET statement_id = \(bind: statementID) WHERE \(open) \
                AND kind IN ('received', 'reversed', 'direct', 'direct_reversed') \
                AND (kind <> 'received' OR COALESCE(release_on, on_day) <= \(bind: day) OR EXISTS (SELECT 1 \
                FROM trust_entries v WHERE v.debt_id = trust_entries.debt_id AND v.payment_key = trust_entries.ledger_key \
                AND v.on_day <= \(bind: day)))
                """
            ).run()
            var lines: [TrustLine] = []
            var count = 0
            for row in try await sql.raw(
                """
                SELECT kind, after_remittance, CAST(SUM(amount) AS BIGINT) AS amount, CAST(SUM(commission) AS BIGINT) AS commission, COUNT(*) AS lines \
                FROM trust_entries WHERE statement_id = \(bind: statementID) GROUP BY kind, after_remittance
                """
            ).all() {
                guard let kind = TrustLineKind(rawValue: try row.decode(column: "kind", as: String.self)) else {
                    continue
                }
                lines.append(
                    TrustLine(
                        kind: kind, amount: try row.decode(column: "amount", as: Int64.self),
                        commission: try row.decode(column: "commission", as: Int64.self),
                        afterRemittance: try row.decode(column: "after_remittance", as: Bool?.self) ?? false))
                count += try row.decode(column: "lines", as: Int.self)
            }
            let figures: RemittanceFigures
            do { figures = try RemittanceFigures(lines: lines, method: method) } catch {
                throw StoreError.invalid("\(clientRef)'s statement through \(through.isoString): \(error)")
            }
            try await sql.raw(
                """
                UPDATE remittance_statements SET collected = \(bind: figures.collected), \
                commission = \(bind: figures.commission), direct_payments = \(bind: figures.directPayments), \
                commission_on_direct = \(bind: figures.commissionOnDirect), \
                reversals_after_remittance = \(bind: figures.reversalsAfterRemittance), \
                commission_returned = \(bind: figures.commissionReturned), due_to_client = \(bind: figures.dueToClient), \
                due_to_agency = \(bind: figures.dueToAgency), remitted = \(bind: figures.remitted), \
                commission_taken = \(bind: figures.commissionTaken), clawback = \(bind: figures.clawback), \
                lines = \(bind: count) WHERE id = \(bind: statementID)
                """
            ).run()
            for (kind, amount) in [
                ("commission_taken", figures.commissionTaken),
                ("commission_returned", figures.commissionReturnedToTrust),
                ("remitted", figures.remitted), ("clawback", figures.clawback),
            ] where amount != 0 {
                try await sql.raw(
                    """
                    INSERT INTO trust_entries (client_id, currency, kind, amount, on_day, commission, statement_id, \
                    created_at) VALUES (\(bind: clientID), \(bind: currency.code), \(bind: kind), \(bind: amount), \
                    \(bind: day), 0, \(bind: statementID), \(bind: now))
                    """
                ).run()
            }
            let statement = try await statements(where: "s.id = \(bind: statementID)", sql: sql)[0]
            return (statement, true)
        }
    }

    /// The currency of a client's statement: the one asked for, else the only one it has money (or debts) in.
    private static func statementCurrency(
        clientID: Int64, clientRef: String, _ requested: Currency?, sql: any SQLDatabase
    ) async throws -> Currency {
        if let requested { return requested }
        var codes = try await sql.raw(
            "SELECT DISTINCT currency FROM trust_entries WHERE client_id = \(bind: clientID) ORDER BY currency"
        ).all().map { try $0.decode(column: "currency", as: String.self) }
        if codes.isEmpty {
            codes = try await sql.raw(
                "SELECT DISTINCT currency FROM debts WHERE client_id = \(bind: clientID) ORDER BY currency"
            ).all().map { try $0.decode(column: "currency", as: String.self) }
        }
        guard codes.count <= 1 else {
            throw StoreError.invalid(
                "\(clientRef) has money in \(codes.joined(separator: ", ")): name the statement's currency with --currency"
            )
        }
        return try Currency(code: codes.first ?? "USD")
    }

    /// Statements, the latest first; only `scope`'s client's for a client user.
    public static func statements(
        clientRef: String? = nil, scope: ClientScope, on database: any Database
    ) async throws -> [RemittanceStatement] {
        let sql = database as! any SQLDatabase
        var condition: SQLQueryString = "1 = 1"
        if let clientID = scope.clientID { condition = "s.client_id = \(bind: clientID)" }
        if let clientRef {
            guard scope.allows(clientRef: clientRef), try await ClientQueries.clientID(ref: clientRef, on: sql) != nil
            else { throw StoreError.unknownClient(clientRef) }
            condition = condition + " AND c.ref = \(bind: clientRef)"
        }
        return try await statements(where: condition, sql: sql)
    }

    /// One statement, nil when there is none in `scope`.
    public static func statement(
        id: Int64, scope: ClientScope, on database: any Database
    ) async throws -> RemittanceStatement? {
        var condition: SQLQueryString = "s.id = \(bind: id)"
        if let clientID = scope.clientID { condition = condition + " AND s.client_id = \(bind: clientID)" }
        return try await statements(where: condition, sql: database as! any SQLDatabase).first
    }

    /// A statement's payments and reversals, in date order; empty when the statement is not in `scope`.
    public static func lines(
        statementID: Int64, scope: ClientScope, on database: any Database
    ) async throws -> [RemittanceLine] {
        let sql = database as! any SQLDatabase
        var condition: SQLQueryString = "t.statement_id = \(bind: statementID) AND t.ledger_key IS NOT NULL"
        if let clientID = scope.clientID { condition = condition + " AND t.client_id = \(bind: clientID)" }
        return try await sql.raw(
            """
            SELECT t.kind, t.after_remittance, t.on_day, t.amount, t.rate, t.commission, d.ref AS debt_ref, \
            p.ref AS debtor_ref, p.name AS debtor_name FROM trust_entries t JOIN debts d ON d.id = t.debt_id \
            JOIN debtors p ON p.id = d.debtor_id WHERE \(condition) ORDER BY t.on_day, t.id
            """
        ).all().map { row in
            RemittanceLine(
                kind: TrustLineKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .received,
                afterRemittance: try row.decode(column: "after_remittance", as: Bool?.self) ?? false,
                debtorRef: try row.decode(column: "debtor_ref", as: String.self),
                debtorName: try row.decode(column: "debtor_name", as: String.self),
                debtRef: try row.decode(column: "debt_ref", as: String.self),
                on: LocalDate(daysSinceEpoch: try row.decode(column: "on_day", as: Int.self)),
                amount: try row.decode(column: "amount", as: Int64.self),
                rate: try CommissionRate(thousandths: try row.decode(column: "rate", as: Int64?.self) ?? 0),
                commission: try row.decode(column: "commission", as: Int64.self))
        }
    }

    private static func statements(
        where condition: SQLQueryString, sql: any SQLDatabase
    ) async throws
        -> [RemittanceStatement]
    {
        try await sql.raw(
            """
            SELECT s.*, c.ref AS client_ref, c.name AS client_name FROM remittance_statements s \
            JOIN clients c ON c.id = s.client_id WHERE \(condition) ORDER BY s.through DESC, s.id DESC
            """
        ).all().map { row in
            var figures = RemittanceFigures()
            func amount(_ column: String) throws -> Int64 { try row.decode(column: column, as: Int64.self) }
            figures.collected = try amount("collected")
            figures.commission = try amount("commission")
            figures.directPayments = try amount("direct_payments")
            figures.commissionOnDirect = try amount("commission_on_direct")
            figures.reversalsAfterRemittance = try amount("reversals_after_remittance")
            figures.commissionReturned = try amount("commission_returned")
            figures.dueToClient = try amount("due_to_client")
            figures.dueToAgency = try amount("due_to_agency")
            figures.remitted = try amount("remitted")
            figures.commissionTaken = try amount("commission_taken")
            figures.clawback = try amount("clawback")
            let method = RemittanceMethod(rawValue: try row.decode(column: "method", as: String.self)) ?? .net
            if method == .net { figures.commissionReturnedToTrust = figures.commissionReturned }
            return RemittanceStatement(
                id: try row.decode(column: "id", as: Int64.self),
                clientRef: try row.decode(column: "client_ref", as: String.self),
                clientName: try row.decode(column: "client_name", as: String.self),
                currency: try Currency(code: try row.decode(column: "currency", as: String.self)),
                through: LocalDate(daysSinceEpoch: try row.decode(column: "through", as: Int.self)),
                method: method, figures: figures, lines: try row.decode(column: "lines", as: Int.self),
                createdAt: try row.decode(column: "created_at", as: Date.self),
                createdBy: try row.decode(column: "created_by", as: String?.self))
        }
    }

    // MARK: Checking

    /// Checks every client's trust ledger (or `clientRef`'s) against the payments ledger and the statements.
    public static func check(clientRef: String? = nil, on database: any Database) async throws -> [TrustCheck] {
        let sql = database as! any SQLDatabase
        var clients: [(id: Int64, ref: String)] = []
        if let clientRef {
            guard let id = try await ClientQueries.clientID(ref: clientRef, on: sql) else {
                throw StoreError.unknownClient(clientRef)
            }
            clients = [(id, clientRef)]
        } else {
            clients = try await sql.raw(
                """
                SELECT DISTINCT c.id, c.ref FROM clients c JOIN agency_placements ap ON ap.client_id = c.id \
                ORDER BY c.ref
                """
            ).all().map { (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "ref", as: String.self)) }
        }
        var checks: [TrustCheck] = []
        for client in clients {
            checks += try await check(clientID: client.id, clientRef: client.ref, sql: sql)
        }
        return checks
    }

    private static func check(clientID: Int64, clientRef: String, sql: any SQLDatabase) async throws -> [TrustCheck] {
        // From the trust ledger.
        var held: [String: Int64] = [:]
        var clawbacks: [String: Int64] = [:]
        for row in try await sql.raw(
            """
            SELECT currency, kind, CAST(SUM(amount) AS BIGINT) AS amount FROM trust_entries WHERE client_id = \(bind: clientID) \
            GROUP BY currency, kind
            """
        ).all() {
            let currency = try row.decode(column: "currency", as: String.self)
            let amount = try row.decode(column: "amount", as: Int64.self)
            switch try row.decode(column: "kind", as: String.self) {
            case "received", "commission_returned": held[currency, default: 0] += amount
            case "reversed", "remitted", "commission_taken": held[currency, default: 0] -= amount
            case "clawback": clawbacks[currency, default: 0] += amount
            default: break
            }
        }
        // From the payments ledger: agency payments to placed accounts and their reversals, less what statements
        // paid out.
        var expected: [String: Int64] = [:]
        let placedPayments: SQLQueryString = """
            FROM ledger_entries e JOIN agency_placements ap ON ap.debt_id = e.debt_id \
            AND ap.placed_on <= e.effective_on AND ap.client_id = \(bind: clientID) \
            AND NOT EXISTS (SELECT 1 FROM agency_placements later WHERE later.debt_id = e.debt_id \
            AND later.placed_on <= e.effective_on AND (later.placed_on > ap.placed_on \
            OR (later.placed_on = ap.placed_on AND later.id > ap.id)))
            """
        for row in try await sql.raw(
            """
            SELECT ap.currency, CAST(SUM(e.amount) AS BIGINT) AS amount \(placedPayments) WHERE e.kind = 'payment' \
            AND (e.received_by IS NULL OR e.received_by = 'agency') GROUP BY ap.currency
            """
        ).all() {
            expected[try row.decode(column: "currency", as: String.self), default: 0] += try row.decode(
                column: "amount", as: Int64.self)
        }
        for row in try await sql.raw(
            """
            SELECT ap.currency, CAST(SUM(e.amount) AS BIGINT) AS amount \(placedPayments) WHERE e.kind = 'payment_reversal' \
            AND EXISTS (SELECT 1 FROM ledger_entries p WHERE p.debt_id = e.debt_id \
            AND p.idempotency_key = e.reversed_key AND p.effective_on >= ap.placed_on \
            AND (p.received_by IS NULL OR p.received_by = 'agency')) GROUP BY ap.currency
            """
        ).all() {
            expected[try row.decode(column: "currency", as: String.self), default: 0] -= try row.decode(
                column: "amount", as: Int64.self)
        }
        for row in try await sql.raw(
            """
            SELECT currency, CAST(SUM(remitted) AS BIGINT) AS remitted, CAST(SUM(commission_taken) AS BIGINT) AS taken, \
            CAST(SUM(CASE WHEN method = 'net' THEN commission_returned ELSE 0 END) AS BIGINT) AS returned \
            FROM remittance_statements WHERE client_id = \(bind: clientID) GROUP BY currency
            """
        ).all() {
            let currency = try row.decode(column: "currency", as: String.self)
            expected[currency, default: 0] +=
                try row.decode(column: "returned", as: Int64.self) - row.decode(column: "remitted", as: Int64.self)
                - row.decode(column: "taken", as: Int64.self)
        }
        // Reversals of remitted payments not yet on a statement: the next statement claws them back (the client
        // owes the amount less its commission, the agency puts the commission back).
        var pending: [String: Int64] = [:]
        for row in try await sql.raw(
            """
            SELECT v.currency, CAST(SUM(v.amount) AS BIGINT) AS owed FROM trust_entries v JOIN trust_entries p \
            ON p.debt_id = v.debt_id AND p.ledger_key = v.payment_key WHERE v.client_id = \(bind: clientID) \
            AND v.kind = 'reversed' AND v.statement_id IS NULL AND p.statement_id IS NOT NULL GROUP BY v.currency
            """
        ).all() {
            pending[try row.decode(column: "currency", as: String.self), default: 0] += try row.decode(
                column: "owed", as: Int64.self)
        }
        let missing = try await sql.raw(
            """
            SELECT e.debt_id, e.idempotency_key, e.amount, d.ref \(placedPayments) JOIN debts d ON d.id = e.debt_id \
            WHERE e.kind = 'payment' AND (e.received_by IS NULL OR e.received_by = 'agency') \
            AND NOT EXISTS (SELECT 1 FROM trust_entries t WHERE t.debt_id = e.debt_id \
            AND t.ledger_key = e.idempotency_key AND t.kind = 'received' AND t.amount = e.amount) \
            ORDER BY e.effective_on, e.debt_id LIMIT 1
            """
        ).first()
        var checks: [TrustCheck] = []
        for code in Set(held.keys).union(expected.keys).sorted() {
            let currency = try Currency(code: code)
            let (have, want) = (held[code] ?? 0, expected[code] ?? 0)
            let owed = (clawbacks[code] ?? 0) + (pending[code] ?? 0)
            func money(_ value: Int64) -> String {
                "\(Money.decimalString(minorUnits: value, currency: currency)) \(code)"
            }
            var difference: String? = nil
            if let missing, difference == nil {
                difference =
                    "\(clientRef): the payment \(try missing.decode(column: "idempotency_key", as: String.self)) of "
                    + "\(money(try missing.decode(column: "amount", as: Int64.self))) to \(try missing.decode(column: "ref", as: String.self)) "
                    + "is not in the trust ledger"
            } else if have != want {
                difference =
                    "\(clientRef): the trust ledger holds \(money(have)), but the payments and statements give \(money(want))"
            } else if have < 0 && -have > owed {
                difference =
                    "\(clientRef): trust is short by \(money(-have)), more than the \(money(owed)) the client owes back"
            }
            checks.append(
                TrustCheck(
                    clientRef: clientRef, currency: currency, held: have, expected: want, owedByClient: owed,
                    difference: difference))
        }
        return checks
    }
}
