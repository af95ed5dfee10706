import FluentKit
import Foundation
import RecoupCore
import SQLKit

/// Segments debts from what is stored about their debtors (`Segmentation` decides), live for the debts a page
/// shows, and into `debt_segments` for filtering lists by segment.
public enum SegmentStore {
    /// The facts one debt is segmented by.
    struct DebtKey: Sendable {
        var id: Int64
        var ref: String
        var debtorID: Int64
        var currency: Currency
        var disputed: Bool
        var balance: Int64
        var debtorKind: DebtorKind
    }

    /// The segment of each of `debts` on `asOf`, by debt id. Days in the reasons are each debtor's (their primary
    /// zone, as the compliance rules count them); `zone`, the business zone, stands in for a debtor whose contact
    /// points do not read.
    public static func decisions(
        for debts: [DebtSummary], asOf: LocalDate, zone: TimeZone, on database: any Database
    ) async throws -> [Int64: SegmentDecision] {
        let keys = debts.map {
            DebtKey(
                id: $0.id, ref: $0.ref, debtorID: $0.debtorID, currency: $0.currency, disputed: $0.disputed,
                balance: $0.balance, debtorKind: DebtorKind(rawValue: $0.debtorKind) ?? .consumer)
        }
        return try await decide(keys, asOf: asOf, zone: zone, sql: database as! any SQLDatabase)
    }

    /// Segments every debt (of `debtorIDs`, or of every debtor when nil) on `asOf` and stores the result for list
    /// filters. Returns how many debts are in each segment.
    @discardableResult
    public static func refresh(
        debtorIDs: [Int64]? = nil, asOf: LocalDate, zone: TimeZone, on database: any Database, now: Date
    ) async throws -> [Segment: Int] {
        try await refresh(debtorIDs: debtorIDs, asOf: asOf, zone: zone, sql: database as! any SQLDatabase, now: now)
    }

    /// Stores the segments of `debtorIDs` again as of today (`now` in `zone`) inside the caller's transaction: the
    /// last step of every use case that changes what a segment is decided from, so a list filtered by segment sees
    /// the change at once, whichever edge (command line, API, page) made it.
    static func refreshAfterChange(debtorIDs: [Int64], now: Date, zone: TimeZone, sql: any SQLDatabase) async throws {
        guard !debtorIDs.isEmpty else { return }
        try await refresh(
            debtorIDs: Array(Set(debtorIDs)).sorted(), asOf: LocalDate(now, in: zone), zone: zone, sql: sql, now: now)
    }

    @discardableResult
    static func refresh(
        debtorIDs: [Int64]?, asOf: LocalDate, zone: TimeZone, sql: any SQLDatabase, now: Date
    ) async throws -> [Segment: Int] {
        var counts: [Segment: Int] = [:]
        func write(_ page: [DebtKey]) async throws {
            let decisions = try await decide(page, asOf: asOf, zone: zone, sql: sql)
            let decided = page.compactMap { debt in decisions[debt.id].map { (debt.id, $0) } }
            for (_, decision) in decided { counts[decision.segment, default: 0] += 1 }
            try await store(decided, asOf: asOf, now: now, sql: sql)
        }
        if let debtorIDs {
            for chunk in stride(from: 0, to: debtorIDs.count, by: 500) {
                let ids = Array(debtorIDs[chunk..<min(debtorIDs.count, chunk + 500)])
                try await write(try await debts("d.debtor_id IN (\(SQLQueryString.boundList(ids)))", sql: sql))
            }
            return counts
        }
        var after: Int64 = 0
        while true {
            let page = try await sql.raw(
                "SELECT id FROM debtors WHERE id > \(bind: after) ORDER BY id LIMIT 500"
            ).all().map { try $0.decode(column: "id", as: Int64.self) }
            guard let last = page.last else { return counts }
            try await write(try await debts("d.debtor_id > \(bind: after) AND d.debtor_id <= \(bind: last)", sql: sql))
            after = last
        }
    }

    /// Stores the segments `decided` (debt id and decision) for list filters, replacing what was stored.
    static func store(
        _ decided: [(Int64, SegmentDecision)], asOf: LocalDate, now: Date, sql: any SQLDatabase
    ) async throws {
        // Bound as SQLite's own values on SQLite (SQLKit's encoder cost more than the upsert: the daily run stores a
        // portfolio's segments).
        for chunk in stride(from: 0, to: decided.count, by: 500) {
            var statement = BulkStatement(SQLFlavor(sql))
            statement.sql("INSERT INTO debt_segments (debt_id, segment, reasons, as_of, updated_at) VALUES ")
            for (index, (debtID, decision)) in decided[chunk..<min(decided.count, chunk + 500)].enumerated() {
                statement.sql(index == 0 ? "(" : ", (")
                statement.bind(debtID)
                statement.sql(", ")
                statement.bind(decision.segment.rawValue)
                statement.sql(", ")
                statement.bind(decision.explanation)
                statement.sql(", \(asOf.daysSinceEpoch), ")
                statement.bind(now)
                statement.sql(")")
            }
            statement.sql(
                " ON CONFLICT (debt_id) DO UPDATE SET segment = excluded.segment, reasons = excluded.reasons, "
                    + "as_of = excluded.as_of, updated_at = excluded.updated_at")
            _ = try await statement.run(on: sql)
        }
    }

    /// One debt's segment on `asOf`, worked out now; a missing client or debt is a `StoreError`.
    public static func decision(
        clientRef: String, debtRef: String, asOf: LocalDate, zone: TimeZone, on database: any Database
    )
        async throws -> SegmentDecision
    {
        let sql = database as! any SQLDatabase
        let client = try await sql.raw("SELECT id FROM clients WHERE ref = \(bind: clientRef)").first()
        guard let clientID = try client?.decode(column: "id", as: Int64.self) else {
            throw StoreError.unknownClient(clientRef)
        }
        let keys = try await debts("d.client_id = \(bind: clientID) AND d.ref = \(bind: debtRef)", sql: sql)
        guard let key = keys.first, let decision = try await decide(keys, asOf: asOf, zone: zone, sql: sql)[key.id]
        else {
            throw StoreError.unknownDebt(client: clientRef, debt: debtRef)
        }
        return decision
    }

    /// The stored segment and its reasons for one debt, if it was segmented.
    public static func stored(
        debtID: Int64, on database: any Database
    ) async throws
        -> (segment: Segment, reasons: String, asOf: LocalDate)?
    {
        let row = try await (database as! any SQLDatabase).raw(
            "SELECT segment, reasons, as_of FROM debt_segments WHERE debt_id = \(bind: debtID)"
        ).first()
        guard let row, let segment = Segment(rawValue: try row.decode(column: "segment", as: String.self)) else {
            return nil
        }
        return (
            segment, try row.decode(column: "reasons", as: String.self),
            LocalDate(daysSinceEpoch: try row.decode(column: "as_of", as: Int.self))
        )
    }

    private static func debts(_ condition: SQLQueryString, sql: any SQLDatabase) async throws -> [DebtKey] {
        try await sql.raw(
            """
            SELECT d.id, d.ref, d.debtor_id, d.currency, d.disputed, \
            (SELECT p.kind FROM debtors p WHERE p.id = d.debtor_id) AS debtor_kind, \
            (SELECT CAST(COALESCE(SUM(l.total), 0) AS BIGINT) FROM ledger_entries l WHERE l.debt_id = d.id) AS balance \
            FROM debts d WHERE \(condition) ORDER BY d.id
            """
        ).all().map { row in
            DebtKey(
                id: try row.decode(column: "id", as: Int64.self), ref: try row.decode(column: "ref", as: String.self),
                debtorID: try row.decode(column: "debtor_id", as: Int64.self),
                currency: try Currency(code: try row.decode(column: "currency", as: String.self)),
                disputed: try row.decode(column: "disputed", as: Bool.self),
                balance: try row.decode(column: "balance", as: Int64.self),
                debtorKind: DebtorKind(rawValue: try row.decode(column: "debtor_kind", as: String.self)) ?? .consumer)
        }
    }

    /// Reads the facts of `debts` with one query per kind of fact, and segments each debt.
    static func decide(
        _ debts: [DebtKey], asOf: LocalDate, zone: TimeZone, sql: any SQLDatabase
    ) async throws
        -> [Int64: SegmentDecision]
    {
        guard !debts.isEmpty else { return [:] }
        return decide(debts, facts: try await facts(of: debts, sql: sql), asOf: asOf, zone: zone)
    }

    /// What is stored about the debtors of a batch of debts, read with one query per kind of fact: what segments
    /// them, and what the daily run weighs besides (their contact profiles and histories, promises, arrangements).
    struct BatchFacts: Sendable {
        var events: [Int64: [ContactEvent]] = [:]
        var fileDisputes: [Int64: [String: Date]] = [:]
        var profiles: [Int64: DebtorContactProfile] = [:]
        var zones: [Int64: TimeZone] = [:]
        var hardship: [Int64: LocalDate] = [:]
        var promises: [Int64: [PromiseToPay]] = [:]
        var arrangements: [Int64: [(state: ArrangementState, on: LocalDate)]] = [:]
        var ledger: [Int64: [(kind: String, on: LocalDate, amount: Int64, key: String, reverses: String?)]] = [:]
    }

    /// Reads `BatchFacts` for `debts`.
    static func facts(of debts: [DebtKey], sql: any SQLDatabase) async throws -> BatchFacts {
        var batch = BatchFacts()
        guard !debts.isEmpty else { return batch }
        let debtIDs = SQLQueryString.integerList(debts.map(\.id))
        let debtorIDs = SQLQueryString.integerList(Array(Set(debts.map(\.debtorID))).sorted())

        for (debtorID, event) in try await ContactStore.events(debtorIDs: debtorIDs, sql: sql) {
            batch.events[debtorID, default: []].append(event.event)
        }
        batch.fileDisputes =
            debts.contains(where: \.disputed)
            ? try await ContactStore.fileDisputes(debtorIDs: debtorIDs, sql: sql) : [:]
        // Days are counted in each debtor's primary zone, as the compliance rules count them, so a reason's date is
        // the date the debt's page and the rules give the same event.
        batch.profiles = try await ContactStore.profiles(debtorIDs: debtorIDs, sql: sql)
        batch.zones = batch.profiles.mapValues { DebtorTimeZones.primary($0).zone }
        for row in try await sql.runRows(
            "SELECT debt_id, MIN(from_on) AS first FROM accrual_pauses WHERE debt_id IN (\(debtIDs)) AND LOWER(reason) LIKE '%hardship%' GROUP BY debt_id"
        ) {
            batch.hardship[try row.int64("debt_id")] = LocalDate(daysSinceEpoch: try row.int("first"))
        }
        for row in try await sql.raw(
            "SELECT debt_id, amount, due_on, made_on, via FROM promises WHERE debt_id IN (\(debtIDs)) ORDER BY id"
        ).all() {
            batch.promises[try row.decode(column: "debt_id", as: Int64.self), default: []].append(
                try PromiseStore.promise(from: row))
        }
        for row in try await sql.runRows(
            """
            SELECT ad.debt_id, a.state, COALESCE(a.state_changed_on, a.created_on) AS state_on FROM arrangements a \
            JOIN arrangement_debts ad ON ad.arrangement_id = a.id WHERE ad.debt_id IN (\(debtIDs)) ORDER BY a.id
            """
        ) {
            guard let state = ArrangementState(rawValue: try row.string("state")) else { continue }
            batch.arrangements[try row.int64("debt_id"), default: []].append(
                (state, LocalDate(daysSinceEpoch: try row.int("state_on"))))
        }
        for row in try await sql.runRows(
            """
            SELECT debt_id, kind, effective_on, amount, idempotency_key, reversed_key FROM ledger_entries \
            WHERE debt_id IN (\(debtIDs)) AND kind IN ('payment', 'payment_reversal') ORDER BY effective_on
            """
        ) {
            batch.ledger[try row.int64("debt_id"), default: []].append(
                (
                    try row.string("kind"), LocalDate(daysSinceEpoch: try row.int("effective_on")),
                    try row.int64("amount"), try row.string("idempotency_key"), try row.optionalString("reversed_key")
                ))
        }
        return batch
    }

    /// Segments each of `debts` from its batch's facts.
    static func decide(
        _ debts: [DebtKey], facts batch: BatchFacts, asOf: LocalDate, zone: TimeZone
    ) -> [Int64: SegmentDecision] {
        let (events, fileDisputes, zones) = (batch.events, batch.fileDisputes, batch.zones)
        var decisions: [Int64: SegmentDecision] = [:]
        for debt in debts {
            var facts = SegmentFacts(currency: debt.currency)
            facts.balance = debt.balance
            facts.debtorKind = debt.debtorKind
            // Disputes are read as the dispute rule reads them (`ContactHolds`): the debtor's, and the file's from the
            // debt's import, each until a verification sent after it.
            let debtorEvents = events[debt.debtorID] ?? []
            let markedAt = debt.disputed ? fileDisputes[debt.debtorID]?[debt.ref] : nil
            let disputes = ContactHolds.holds(
                of: debt.ref, events: debtorEvents, disputedInFileSince: markedAt, asOf: .distantFuture
            ).filter { $0.kind == .dispute }
            if let open = disputes.first(where: \.isActive) {
                if open.placedBy == nil { facts.markedDisputed = true } else { facts.openDisputeSince = open.since }
            }
            if let markedAt, !facts.markedDisputed {
                // The file's dispute was answered by the verification that ended the hold covering its instant.
                facts.markedDisputed = true
                facts.fileDisputeVerifiedAt =
                    disputes.first { $0.since <= markedAt && ($0.releasedAt.map { $0 >= markedAt } ?? false) }?
                    .releasedAt
                if facts.fileDisputeVerifiedAt == nil { facts.openDisputeSince = facts.openDisputeSince ?? markedAt }
            }
            facts.hardshipStatedOn = batch.hardship[debt.id]
            facts.arrangements = batch.arrangements[debt.id] ?? []
            let entries = batch.ledger[debt.id] ?? []
            let reversedKeys = Set(entries.compactMap { $0.kind == "payment_reversal" ? $0.reverses : nil })
            facts.payments = entries.filter { $0.kind == "payment" }.map {
                SegmentFacts.Payment(on: $0.on, amount: $0.amount, reversed: reversedKeys.contains($0.key))
            }
            // A payment later returned or charged back never kept a promise, whenever it was returned.
            let paymentsForPromises = entries.filter { $0.kind == "payment" && !reversedKeys.contains($0.key) }.map {
                ArrangementPayment(on: $0.on, amount: $0.amount, key: $0.key)
            }
            facts.promises = (batch.promises[debt.id] ?? []).map {
                ($0.due, $0.evaluate(payments: paymentsForPromises, asOf: asOf))
            }
            for event in debtorEvents where event.concerns(debt.ref) {
                switch event.kind {
                case .call(let direction, _, let outcome, _):
                    let inbound = direction == .inbound
                    facts.contacts.append(
                        SegmentFacts.Contact(
                            at: event.at, inbound: inbound, reached: inbound || outcome == .conversation,
                            wrongNumber: outcome == .notInService || outcome == .thirdParty))
                case .sms(let direction, _), .email(let direction, _):
                    let inbound = direction == .inbound
                    facts.contacts.append(SegmentFacts.Contact(at: event.at, inbound: inbound, reached: inbound))
                default: break
                }
            }
            decisions[debt.id] = Segmentation.decide(facts, zone: zones[debt.debtorID] ?? zone)
        }
        return decisions
    }
}
