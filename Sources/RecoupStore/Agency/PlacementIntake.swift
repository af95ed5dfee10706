import FluentKit
import Foundation
import RecoupCore
import SQLKit

/// A placement file to take in.
public struct PlacementImportRequest: Sendable {
    /// The file's path (the `recoup` import layout), or "-" for standard input.
    public var path: String
    public var clientRef: String
    public var placedOn: LocalDate
    /// The currency for rows that do not name one.
    public var currency: Currency
    public var by: String?

    public init(path: String, clientRef: String, placedOn: LocalDate, currency: Currency = .usd, by: String? = nil) {
        self.path = path
        self.clientRef = clientRef
        self.placedOn = placedOn
        self.currency = currency
        self.by = by
    }
}

/// The acknowledgement of a placement file: what was accepted and what was refused and why.
public struct PlacementAcknowledgement: Sendable, Equatable {
    public struct Accepted: Sendable, Equatable {
        public var line: Int
        public var debtRef: String
        public var balance: Int64
        public var currency: Currency
        public var daysAtPlacement: Int
        public var rate: CommissionRate
    }

    public struct Rejected: Error, Sendable, Equatable {
        public var line: Int
        /// Empty when the row had none.
        public var debtRef: String
        public var reason: String
    }

    public var batchID: Int64
    public var clientRef: String
    public var placedOn: LocalDate
    public var accepted: [Accepted]
    public var rejected: [Rejected]
    /// True when the client's terms name a collector, so the run sends each consumer account its validation notice
    /// before anything else.
    public var validationNotices: Bool
}

/// A placed account as the agency sees it.
public struct AgencyPlacement: Sendable, Equatable {
    public var id: Int64
    public var clientRef: String
    public var debtRef: String
    public var debtorRef: String
    public var debtorName: String
    public var placedOn: LocalDate
    public var currency: Currency
    public var balanceAtPlacement: Int64
    public var daysAtPlacement: Int
    public var rate: CommissionRate
    public var freeThrough: LocalDate?
    /// Payments less reversals recorded against the placement and falling within it (the agency's and direct ones):
    /// the liquidation report's definition, from the same trust movements.
    public var collected: Int64
    /// What is owed now.
    public var balance: Int64
    public var closedOn: LocalDate?
    public var closeReason: PlacementCloseReason?
    public var closeNote: String?
}

/// Accounts a client places with the agency (docs/agency.md, "Placements"): taken in from a file with an
/// acknowledgement, closed and returned with a reason code, recalled by the client.
public enum PlacementIntake {
    /// Takes in a placement file in one transaction: each account is checked (a bad row, a reference twice in the
    /// file, an account already placed and open, one already paid, a debtor in bankruptcy), the accepted ones are
    /// stored as debts (as `recoup import` would) and placed, priced with the contract in force; the batch and its
    /// refusals are kept for the acknowledgement. A wrong header refuses the whole file; a client without a contract
    /// is refused.
    public static func importFile(
        _ request: PlacementImportRequest, now: Date, on database: any Database
    ) async throws -> PlacementAcknowledgement {
        let source = try CSVRecordStream(path: request.path)
        guard let header = try source.next() else { throw ImportFileError.emptyFile }
        let layout = try RecoupLayout(header: header.fields, defaultCurrency: request.currency)
        let refColumn = header.fields.firstIndex { $0.trimmedSpaces.lowercased() == "debt_ref" }
        let fileName = request.path == "-" ? nil : URL(fileURLWithPath: request.path).lastPathComponent
        return try await take(request, fileName: fileName, now: now, on: database) {
            guard let record = try source.next() else { return nil }
            do throws(ImportRowError) {
                return .success(try layout.record(fields: record.fields, line: record.line))
            } catch {
                let ref = refColumn.flatMap { $0 < record.fields.count ? record.fields[$0].trimmedSpaces : nil }
                return .failure(.init(line: record.line, debtRef: ref ?? "", reason: error.message))
            }
        }
    }

    /// Places `records` (already read: the demo's) as a file of them would be; see `importFile`.
    static func place(
        _ records: [DebtRecord], _ request: PlacementImportRequest, now: Date, on database: any Database
    ) async throws -> PlacementAcknowledgement {
        let queue = RecordQueue(records)
        return try await take(request, fileName: nil, now: now, on: database) { queue.next().map { .success($0) } }
    }

    /// Records handed out one at a time to the intake (which reads them in order, on one task at a time).
    private final class RecordQueue: @unchecked Sendable {
        private var remaining: ArraySlice<DebtRecord>
        init(_ records: [DebtRecord]) { remaining = records[...] }
        func next() -> DebtRecord? { remaining.popFirst() }
    }

    /// The intake of rows `next` gives (nil at the end) in one transaction.
    private static func take(
        _ request: PlacementImportRequest, fileName: String?, now: Date, on database: any Database,
        next: @escaping @Sendable () throws -> Result<DebtRecord, PlacementAcknowledgement.Rejected>?
    ) async throws -> PlacementAcknowledgement {
        try await PaymentStore.serializedTransaction(database) { sql in
            guard let clientID = try await ClientQueries.clientID(ref: request.clientRef, on: sql) else {
                throw StoreError.unknownClient(request.clientRef)
            }
            try await ClientQueries.lock(clientID: clientID, sql: sql)
            guard
                let contract = try await AgencyStore.current(
                    clientID: clientID, clientRef: request.clientRef, sql: sql)
            else {
                throw StoreError.invalid(
                    "\(request.clientRef) has no agency contract: set one with `recoup agency contract --client "
                        + "\(request.clientRef) FILE.json` before taking in its placements")
            }
            let batchID = try await sql.raw(
                """
                INSERT INTO placement_batches (client_id, placed_on, file_name, accepted, rejected, created_at, \
                created_by) VALUES (\(bind: clientID), \(bind: request.placedOn.daysSinceEpoch), \
                \(bind: fileName), 0, 0, \(bind: now), \(bind: request.by)) RETURNING id
                """
            ).first()!.decode(column: "id", as: Int64.self)
            var intake = Intake(
                sql: sql, clientID: clientID, batchID: batchID, contract: contract, placedOn: request.placedOn,
                by: request.by, now: now)
            var isExhausted = false
            while !isExhausted {
                var records: [DebtRecord] = []
                while records.count < 2_000 {
                    guard let row = try next() else {
                        isExhausted = true
                        break
                    }
                    switch row {
                    case .success(let record): records.append(record)
                    case .failure(let rejection): intake.rejected.append(rejection)
                    }
                }
                try await intake.take(records)
            }
            intake.rejected.sort { $0.line < $1.line }
            for rejection in intake.rejected {
                try await sql.raw(
                    """
                    INSERT INTO placement_rejections (batch_id, line, debt_ref, reason) VALUES (\(bind: batchID), \
                    \(bind: rejection.line), \(bind: rejection.debtRef), \(bind: rejection.reason))
                    """
                ).run()
            }
            try await sql.raw(
                """
                UPDATE placement_batches SET accepted = \(bind: intake.accepted.count), \
                rejected = \(bind: intake.rejected.count) WHERE id = \(bind: batchID)
                """
            ).run()
            let terms = try await AccrualStore.terms(clientRef: request.clientRef, sql: sql)
            return PlacementAcknowledgement(
                batchID: batchID, clientRef: request.clientRef, placedOn: request.placedOn, accepted: intake.accepted,
                rejected: intake.rejected, validationNotices: terms.terms.collectorName.map { !$0.isEmpty } ?? false)
        }
    }

    /// One file's intake, a batch of rows at a time.
    private struct Intake {
        let sql: any SQLDatabase
        let clientID: Int64
        let batchID: Int64
        let contract: StoredContract
        let placedOn: LocalDate
        let by: String?
        let now: Date
        var accepted: [PlacementAcknowledgement.Accepted] = []
        var rejected: [PlacementAcknowledgement.Rejected] = []
        var seen: [String: Int] = [:]
        var knownDebtors = Set<String>()

        mutating func reject(line: Int, ref: String, _ reason: String) {
            rejected.append(.init(line: line, debtRef: ref, reason: reason))
        }

        mutating func take(_ records: [DebtRecord]) async throws {
            var candidates: [DebtRecord] = []
            for record in records {
                if let first = seen[record.ref] {
                    reject(line: record.line, ref: record.ref, "the account is in the file twice (line \(first) too)")
                    continue
                }
                seen[record.ref] = record.line
                let paid = record.payments.reduce(Int64(0)) { $0 + $1.amount }
                if record.charged.total - paid <= 0 {
                    reject(line: record.line, ref: record.ref, "the account is already paid (nothing is owed)")
                    continue
                }
                candidates.append(record)
            }
            guard !candidates.isEmpty else { return }
            let refs = SQLQueryString.boundList(candidates.map(\.ref))
            var open: [String: LocalDate] = [:]
            for row in try await sql.raw(
                """
                SELECT d.ref, ap.placed_on FROM agency_placements ap JOIN debts d ON d.id = ap.debt_id \
                WHERE ap.client_id = \(bind: clientID) AND ap.closed_on IS NULL AND d.ref IN (\(refs))
                """
            ).all() {
                open[try row.decode(column: "ref", as: String.self)] = LocalDate(
                    daysSinceEpoch: try row.decode(column: "placed_on", as: Int.self))
            }
            let bankrupt = try await bankruptDebtors(Array(Set(candidates.map(\.debtor.ref))))
            var writable: [DebtRecord] = []
            for record in candidates {
                if let since = open[record.ref] {
                    reject(
                        line: record.line, ref: record.ref,
                        "the account is already placed (since \(since.isoString)) and still open")
                } else if bankrupt.contains(record.debtor.ref) {
                    reject(
                        line: record.line, ref: record.ref,
                        "the debtor \(record.debtor.ref) is in bankruptcy (a bankruptcy is recorded and not dismissed)")
                } else {
                    writable.append(record)
                }
            }
            guard !writable.isEmpty else { return }
            let writer = DebtBatchWriter(sql: sql, clientID: clientID, importBatchID: nil, now: now)
            let outcome = try await writer.write(writable, knownDebtors: &knownDebtors)
            let conflicting = Set(outcome.conflicts.map(\.line))
            for conflict in outcome.conflicts {
                let ref = writable.first { $0.line == conflict.line }?.ref ?? ""
                reject(line: conflict.line, ref: ref, conflict.message)
            }
            let placeable = writable.filter { !conflicting.contains($0.line) }
            guard !placeable.isEmpty else { return }
            var stored: [String: (id: Int64, dueOn: LocalDate, currency: Currency, balance: Int64)] = [:]
            for row in try await sql.raw(
                """
                SELECT d.id, d.ref, d.due_on, d.currency, COALESCE(CAST(SUM(e.total) AS BIGINT), 0) AS balance FROM debts d \
                LEFT JOIN ledger_entries e ON e.debt_id = d.id AND e.effective_on <= \(bind: placedOn.daysSinceEpoch) \
                WHERE d.client_id = \(bind: clientID) AND d.ref IN (\(SQLQueryString.boundList(placeable.map(\.ref)))) \
                GROUP BY d.id, d.ref, d.due_on, d.currency
                """
            ).all() {
                stored[try row.decode(column: "ref", as: String.self)] = (
                    try row.decode(column: "id", as: Int64.self),
                    LocalDate(daysSinceEpoch: try row.decode(column: "due_on", as: Int.self)),
                    try Currency(code: try row.decode(column: "currency", as: String.self)),
                    try row.decode(column: "balance", as: Int64.self)
                )
            }
            for record in placeable {
                guard let debt = stored[record.ref] else {
                    reject(line: record.line, ref: record.ref, "the account could not be stored")
                    continue
                }
                guard debt.balance > 0 else {
                    reject(line: record.line, ref: record.ref, "the account is already paid (nothing is owed)")
                    continue
                }
                let days = max(0, placedOn.days(since: debt.dueOn))
                let terms: PlacementTerms
                do {
                    terms = try PlacementTerms(
                        contract: contract.contract, placedOn: placedOn, daysAtPlacement: days, balance: debt.balance,
                        currency: debt.currency)
                } catch {
                    reject(line: record.line, ref: record.ref, error.description)
                    continue
                }
                try await sql.raw(
                    """
                    INSERT INTO agency_placements (client_id, debt_id, batch_id, batch_line, contract_id, placed_on, \
                    currency, balance_at_placement, days_at_placement, rate, free_through, free_rate, created_at, \
                    created_by) VALUES (\(bind: clientID), \(bind: debt.id), \(bind: batchID), \(bind: record.line), \
                    \(bind: contract.id), \
                    \(bind: placedOn.daysSinceEpoch), \(bind: debt.currency.code), \(bind: debt.balance), \(bind: days), \
                    \(bind: terms.rate.thousandths), \(bind: terms.freeThrough?.daysSinceEpoch), \
                    \(bind: terms.freeRate?.thousandths), \(bind: now), \(bind: by))
                    """
                ).run()
                accepted.append(
                    .init(
                        line: record.line, debtRef: record.ref, balance: debt.balance, currency: debt.currency,
                        daysAtPlacement: days, rate: terms.rate))
            }
        }

        /// The debtors among `refs` (the client's, already known) with a bankruptcy recorded and not dismissed.
        private func bankruptDebtors(_ refs: [String]) async throws -> Set<String> {
            guard !refs.isEmpty else { return [] }
            var ids: [Int64: String] = [:]
            for row in try await sql.raw(
                """
                SELECT p.id, p.ref FROM debtors p JOIN contact_events e ON e.debtor_id = p.id \
                WHERE p.client_id = \(bind: clientID) AND p.ref IN (\(SQLQueryString.boundList(refs))) \
                AND e.type IN ('bankruptcy', 'bankruptcy_dismissed') GROUP BY p.id, p.ref
                """
            ).all() {
                ids[try row.decode(column: "id", as: Int64.self)] = try row.decode(column: "ref", as: String.self)
            }
            guard !ids.isEmpty else { return [] }
            var bankrupt = Set<String>()
            var byDebtor: [Int64: [ContactEvent]] = [:]
            for (debtorID, event) in try await ContactStore.events(
                debtorIDs: SQLQueryString.integerList(ids.keys.sorted()), sql: sql)
            {
                byDebtor[debtorID, default: []].append(event.event)
            }
            for (debtorID, events) in byDebtor {
                // A bankruptcy concerns every debt of the debtor: any reference finds it.
                let holds = ContactHolds.holds(of: "", events: events, asOf: .distantFuture)
                if holds.contains(where: { $0.kind == .bankruptcy && $0.isActive }), let ref = ids[debtorID] {
                    bankrupt.insert(ref)
                }
            }
            return bankrupt
        }
    }
}

extension PlacementIntake {
    /// Closes the open placement of `debtRef` and returns the account to the client with a reason code (a recall by
    /// the client is `.recalled`) on `day`; from then the run leaves it alone and the return file lists it. Payments
    /// after the day earn no commission. Not placed: `invalid`.
    public static func close(
        clientRef: String, debtRef: String, reason: PlacementCloseReason, note: String?, on day: LocalDate,
        by: String?, now: Date, zone: TimeZone = TimeZone(identifier: "UTC")!, on database: any Database
    ) async throws -> AgencyPlacement {
        let note = note?.trimmedSpaces
        if let note, note.count > 500 { throw StoreError.invalid("the note is longer than 500 characters") }
        let today = LocalDate(now, in: zone)
        guard day <= today else {
            throw StoreError.invalid(
                "\(debtRef) cannot be closed on \(day.isoString), after today (\(today.isoString))")
        }
        return try await PaymentStore.serializedTransaction(database) { sql in
            guard let clientID = try await ClientQueries.clientID(ref: clientRef, on: sql) else {
                throw StoreError.unknownClient(clientRef)
            }
            try await ClientQueries.lock(clientID: clientID, sql: sql)
            guard
                let debtID = try await sql.raw(
                    "SELECT id FROM debts WHERE client_id = \(bind: clientID) AND ref = \(bind: debtRef)"
                ).first()?.decode(column: "id", as: Int64.self)
            else { throw StoreError.unknownDebt(client: clientRef, debt: debtRef) }
            guard
                let row = try await sql.raw(
                    "SELECT id, placed_on FROM agency_placements WHERE debt_id = \(bind: debtID) AND closed_on IS NULL"
                ).first()
            else {
                throw StoreError.invalid("\(debtRef) is not placed with the agency (no open placement to close)")
            }
            let placedOn = LocalDate(daysSinceEpoch: try row.decode(column: "placed_on", as: Int.self))
            guard day >= placedOn else {
                throw StoreError.invalid(
                    "\(debtRef) was placed on \(placedOn.isoString): it cannot be closed on \(day.isoString), before that"
                )
            }
            let id = try row.decode(column: "id", as: Int64.self)
            try await sql.raw(
                """
                UPDATE agency_placements SET closed_on = \(bind: day.daysSinceEpoch), \
                close_reason = \(bind: reason.rawValue), close_note = \(bind: note?.isEmpty == true ? nil : note), \
                closed_by = \(bind: by) WHERE id = \(bind: id)
                """
            ).run()
            // Payments dated after the close (and their reversals) no longer count as collected on the placement
            // (`ledger_key IS NOT NULL`, true of every payment movement, lets the debt's index find them).
            try await sql.raw(
                """
                UPDATE trust_entries SET in_placement = \(bind: false) WHERE debt_id = \(bind: debtID) \
                AND ledger_key IS NOT NULL AND placement_id = \(bind: id) AND paid_on > \(bind: day.daysSinceEpoch)
                """
            ).run()
            return try await placements(where: "ap.id = \(bind: id)", sql: sql)[0]
        }
    }

    /// Placed accounts, the latest placed first: `scope`'s client's only for a client user; only the open ones with
    /// `openOnly`; those closed between `closedFrom` and `closedThrough` (a return file) when given; the account or
    /// debtor with reference `reference` only; those after `cursor` in that order (the next page).
    public static func placements(
        clientRef: String? = nil, scope: ClientScope, openOnly: Bool = false, closedFrom: LocalDate? = nil,
        closedThrough: LocalDate? = nil, reference: String? = nil, after cursor: PlacementCursor? = nil,
        limit: Int? = nil, on database: any Database
    ) async throws -> [AgencyPlacement] {
        let sql = database as! any SQLDatabase
        var condition: SQLQueryString = "1 = 1"
        if let clientID = scope.clientID { condition = condition + " AND ap.client_id = \(bind: clientID)" }
        if let clientRef {
            guard scope.allows(clientRef: clientRef),
                let clientID = try await ClientQueries.clientID(ref: clientRef, on: sql)
            else { throw StoreError.unknownClient(clientRef) }
            condition = condition + " AND ap.client_id = \(bind: clientID)"
        }
        if openOnly { condition = condition + " AND ap.closed_on IS NULL" }
        if let closedFrom { condition = condition + " AND ap.closed_on >= \(bind: closedFrom.daysSinceEpoch)" }
        if let closedThrough { condition = condition + " AND ap.closed_on <= \(bind: closedThrough.daysSinceEpoch)" }
        if let reference { condition = condition + " AND (d.ref = \(bind: reference) OR p.ref = \(bind: reference))" }
        if let cursor {
            let day = cursor.placedOn.daysSinceEpoch
            condition =
                condition
                + " AND (ap.placed_on < \(bind: day) OR (ap.placed_on = \(bind: day) AND ap.id < \(bind: cursor.id)))"
        }
        return try await placements(where: condition, limit: limit, sql: sql)
    }

    /// A stored acknowledgement, nil when the batch is not in `scope`.
    public static func acknowledgement(
        batchID: Int64, scope: ClientScope, on database: any Database
    ) async throws -> PlacementAcknowledgement? {
        let sql = database as! any SQLDatabase
        var condition: SQLQueryString = "b.id = \(bind: batchID)"
        if let clientID = scope.clientID { condition = condition + " AND b.client_id = \(bind: clientID)" }
        guard
            let batch = try await sql.raw(
                """
                SELECT b.placed_on, c.ref FROM placement_batches b JOIN clients c ON c.id = b.client_id \
                WHERE \(condition)
                """
            ).first()
        else { return nil }
        let clientRef = try batch.decode(column: "ref", as: String.self)
        let accepted = try await sql.raw(
            """
            SELECT d.ref, ap.batch_line, ap.balance_at_placement, ap.currency, ap.days_at_placement, ap.rate \
            FROM agency_placements ap JOIN debts d ON d.id = ap.debt_id WHERE ap.batch_id = \(bind: batchID) \
            ORDER BY ap.batch_line, ap.id
            """
        ).all().map { row in
            PlacementAcknowledgement.Accepted(
                line: try row.decode(column: "batch_line", as: Int?.self) ?? 0,
                debtRef: try row.decode(column: "ref", as: String.self),
                balance: try row.decode(column: "balance_at_placement", as: Int64.self),
                currency: try Currency(code: try row.decode(column: "currency", as: String.self)),
                daysAtPlacement: try row.decode(column: "days_at_placement", as: Int.self),
                rate: try CommissionRate(thousandths: try row.decode(column: "rate", as: Int64.self)))
        }
        let rejected = try await sql.raw(
            "SELECT line, debt_ref, reason FROM placement_rejections WHERE batch_id = \(bind: batchID) ORDER BY line"
        ).all().map { row in
            PlacementAcknowledgement.Rejected(
                line: try row.decode(column: "line", as: Int.self),
                debtRef: try row.decode(column: "debt_ref", as: String?.self) ?? "",
                reason: try row.decode(column: "reason", as: String.self))
        }
        let terms = try await AccrualStore.terms(clientRef: clientRef, sql: sql)
        return PlacementAcknowledgement(
            batchID: batchID, clientRef: clientRef,
            placedOn: LocalDate(daysSinceEpoch: try batch.decode(column: "placed_on", as: Int.self)),
            accepted: accepted, rejected: rejected,
            validationNotices: terms.terms.collectorName.map { !$0.isEmpty } ?? false)
    }

    private static func placements(
        where condition: SQLQueryString, limit: Int? = nil, sql: any SQLDatabase
    ) async throws -> [AgencyPlacement] {
        let suffix: SQLQueryString = limit.map { " LIMIT \(bind: $0)" } ?? ""
        return try await sql.raw(
            """
            SELECT ap.id, c.ref AS client_ref, d.ref AS debt_ref, p.ref AS debtor_ref, p.name AS debtor_name, \
            ap.placed_on, ap.currency, ap.balance_at_placement, ap.days_at_placement, ap.rate, ap.free_through, \
            ap.closed_on, ap.close_reason, ap.close_note, d.balance, \
            (SELECT COALESCE(CAST(SUM(CASE WHEN t.kind IN ('received', 'direct') THEN t.amount ELSE -t.amount END) \
            AS BIGINT), 0) FROM trust_entries t WHERE t.debt_id = ap.debt_id AND t.ledger_key IS NOT NULL \
            AND t.placement_id = ap.id AND t.placed_on IS NOT NULL AND t.in_placement) AS collected \
            FROM agency_placements ap JOIN clients c ON c.id = ap.client_id JOIN debts d ON d.id = ap.debt_id \
            JOIN debtors p ON p.id = d.debtor_id WHERE \(condition) ORDER BY ap.placed_on DESC, ap.id DESC\(suffix)
            """
        ).all().map { row in
            AgencyPlacement(
                id: try row.decode(column: "id", as: Int64.self),
                clientRef: try row.decode(column: "client_ref", as: String.self),
                debtRef: try row.decode(column: "debt_ref", as: String.self),
                debtorRef: try row.decode(column: "debtor_ref", as: String.self),
                debtorName: try row.decode(column: "debtor_name", as: String.self),
                placedOn: LocalDate(daysSinceEpoch: try row.decode(column: "placed_on", as: Int.self)),
                currency: try Currency(code: try row.decode(column: "currency", as: String.self)),
                balanceAtPlacement: try row.decode(column: "balance_at_placement", as: Int64.self),
                daysAtPlacement: try row.decode(column: "days_at_placement", as: Int.self),
                rate: try CommissionRate(thousandths: try row.decode(column: "rate", as: Int64.self)),
                freeThrough: try row.decode(column: "free_through", as: Int?.self).map(LocalDate.init(daysSinceEpoch:)),
                collected: try row.decode(column: "collected", as: Int64.self),
                balance: try row.decode(column: "balance", as: Int64.self),
                closedOn: try row.decode(column: "closed_on", as: Int?.self).map(LocalDate.init(daysSinceEpoch:)),
                closeReason: try row.decode(column: "close_reason", as: String?.self).flatMap(
                    PlacementCloseReason.init(rawValue:)),
                closeNote: try row.decode(column: "close_note", as: String?.self))
        }
    }
}

/// Where a page of placed accounts ended (the latest placed first): its last placement's date and id, written
/// `DATE.ID` in a page's address.
public struct PlacementCursor: Hashable, Sendable {
    public var placedOn: LocalDate
    public var id: Int64

    public init(placedOn: LocalDate, id: Int64) {
        self.placedOn = placedOn
        self.id = id
    }

    /// The cursor after `placement`.
    public init(after placement: AgencyPlacement) { self.init(placedOn: placement.placedOn, id: placement.id) }

    /// Reads `DATE.ID`; nil for anything else.
    public init?(text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let date = try? LocalDate(iso: String(parts[0])), let id = Int64(parts[1]), id > 0
        else { return nil }
        self.init(placedOn: date, id: id)
    }

    public var text: String { "\(placedOn.isoString).\(id)" }
}

extension PlacementIntake {
    /// True when `debtRef` of `clientRef` is an account placed with this agency and still open.
    public static func isOpen(clientRef: String, debtRef: String, on database: any Database) async throws -> Bool {
        try await (database as! any SQLDatabase).raw(
            """
            SELECT 1 AS found FROM agency_placements ap JOIN debts d ON d.id = ap.debt_id \
            JOIN clients c ON c.id = d.client_id WHERE c.ref = \(bind: clientRef) AND d.ref = \(bind: debtRef) \
            AND ap.closed_on IS NULL
            """
        ).first() != nil
    }
}
