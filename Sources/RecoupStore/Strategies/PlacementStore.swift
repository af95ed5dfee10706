import FluentKit
import Foundation
import RecoupCore
import SQLKit

/// A debt handed to a collection agency (table `placements`). In force until recalled; while in force the client's
/// own strategy stops for the debt. At most one placement of a debt is in force (a unique index says so).
public struct Placement: Sendable, Equatable {
    public var id: Int64
    public var clientRef: String
    public var debtID: Int64
    public var debtRef: String
    public var debtorRef: String
    public var agency: String
    public var placedOn: LocalDate
    /// What was owed on `placedOn`, in minor units of `currency`.
    public var balanceAtPlacement: Int64
    public var currency: Currency
    /// The agency's contingency rate, a decimal percent ("25", "33.5"); nil when none was given.
    public var contingencyPercent: String?
    /// The run's action that placed it; nil when a person did.
    public var actionID: Int64?
    /// The placement file it was last written to.
    public var filePath: String?
    public var createdBy: String?
    public var createdAt: Date
    public var recalledOn: LocalDate?
    public var recalledBy: String?
    public var recallReason: String?

    /// True until it is recalled.
    public var isInForce: Bool { recalledOn == nil }
}

/// Placements with agencies and their recalls (`recoup placement create|recall|list`, the debt page,
/// `GET /api/v1/placements`, and the daily run's `place_with_agency` through the internal `place(debtID:…)`).
public enum PlacementStore {
    /// The longest agency name, in characters.
    public static let maxAgencyLength = 64

    /// Places one debt with `agency` on `placedOn` (today or earlier, `now` in `zone`), the whole use case in one
    /// transaction: finds and locks the debt (`unknownClient`, `unknownDebt`), refuses one already placed (in force),
    /// one that owes nothing on `placedOn`, or whose principal is paid (the placement file carries principal owed);
    /// the balance at placement is the debt's ledger as of `placedOn`. `contingencyPercent` is a decimal percent from
    /// 0 to 100 (at most four decimals). The placement file is written apart (`PlacementFile.write`).
    public static func place(
        clientRef: String, debtRef: String, agency: String, placedOn: LocalDate, contingencyPercent: String?,
        by: String?, now: Date, zone: TimeZone, on database: any Database
    ) async throws -> Placement {
        try await place(
            clientRef: clientRef, debtRef: debtRef, agency: agency, placedOn: placedOn,
            contingencyPercent: contingencyPercent, by: by, once: nil, now: now, zone: zone, on: database
        ).madeNow
    }

    /// `place(…)` for a form, once.
    public static func place(
        clientRef: String, debtRef: String, agency: String, placedOn: LocalDate, contingencyPercent: String?,
        by: String?, once submission: FormSubmission?, now: Date, zone: TimeZone, on database: any Database
    ) async throws -> OnceOnly<Placement> {
        let agency = try checkedAgency(agency)
        let percent = try checkedContingency(contingencyPercent)
        let today = LocalDate(now, in: zone)
        guard placedOn <= today else {
            throw StoreError.invalid(
                "the placement date \(placedOn.isoString) is after today (\(today.isoString)); give today or earlier")
        }
        return try await FormSubmissions.onceTransaction(
            submission, kind: "placement", now: now, database: database, result: { String($0.id) }
        ) { sql in
            let debt = try await AccrualStore.debt(clientRef: clientRef, debtRef: debtRef, lock: true, on: sql)
            if let current = try await placements(
                where: "pl.debt_id = \(bind: debt.id) AND pl.recalled_on IS NULL", sql: sql
            )
            .first {
                throw StoreError.invalid(
                    "debt \"\(debtRef)\" is already placed with \(current.agency) since \(current.placedOn.isoString) "
                        + "(placement \(current.id)); recall it first")
            }
            switch try await placeability(debtID: debt.id, on: placedOn, sql: sql) {
            case .nothingOwed(let sentence), .noPrincipal(let sentence): throw StoreError.invalid(sentence)
            case .placeable: break
            }
            guard
                let id = try await place(
                    debtID: debt.id, agency: agency, placedOn: placedOn, contingencyPercent: percent, actionID: nil,
                    by: by, now: now, sql: sql)
            else {
                throw StoreError.invalid("debt \"\(debtRef)\" was placed by someone else a moment ago; look again")
            }
            return try await placements(where: "pl.id = \(bind: id)", sql: sql)[0]
        }
    }

    /// Places a debt inside the caller's transaction (the daily run's `place_with_agency`; `actionID` is its action):
    /// the id of the new placement, or nil when none is made: the debt is already placed, owes nothing on `placedOn`,
    /// or owes no principal then (the placement file carries principal owed; `placeability` says which). The balance
    /// at placement is the ledger as of `placedOn`. Throws `StoreError.invalid` only for an agency name or a rate that
    /// does not read (a validated strategy's always do: `checkedAgency`, `checkedContingency`).
    static func place(
        debtID: Int64, agency: String, placedOn: LocalDate, contingencyPercent: String?, actionID: Int64?, by: String?,
        now: Date, sql: any SQLDatabase
    ) async throws -> Int64? {
        let agency = try checkedAgency(agency)
        let percent = try checkedContingency(contingencyPercent)
        guard case .placeable(let currency, let owed) = try await placeability(debtID: debtID, on: placedOn, sql: sql)
        else { return nil }
        return try await sql.raw(
            """
            INSERT INTO placements (debt_id, agency, placed_on, balance_at_placement, currency, contingency_percent, \
            action_id, created_by, created_at) VALUES (\(bind: debtID), \(bind: agency), \
            \(bind: placedOn.daysSinceEpoch), \(bind: owed.total), \(bind: currency.code), \(bind: percent), \
            \(bind: actionID), \(bind: by), \(bind: now)) ON CONFLICT DO NOTHING RETURNING id
            """
        ).first()?.decode(column: "id", as: Int64.self)
    }

    /// Whether a debt can be placed on a day, by what it owes then.
    enum Placeability: Equatable {
        /// It owes `owed` (principal among it), in `currency`.
        case placeable(Currency, owed: ComponentAmounts)
        /// Nothing is owed on the day; the sentence says so.
        case nothingOwed(String)
        /// Only interest or fees are owed: an agency's file needs principal owed; the sentence says so.
        case noPrincipal(String)
    }

    /// What the debt owes on `day`, and whether that can be placed.
    static func placeability(debtID: Int64, on day: LocalDate, sql: any SQLDatabase) async throws -> Placeability {
        guard let debt = try await sql.raw("SELECT ref, currency FROM debts WHERE id = \(bind: debtID)").first()
        else { throw StoreError.invalid("there is no debt \(debtID)") }
        let ref = try debt.decode(column: "ref", as: String.self)
        let currency = try Currency(code: try debt.decode(column: "currency", as: String.self))
        return placeability(
            ref: ref, currency: currency, owed: try await balance(debtID: debtID, asOf: day, sql: sql), on: day)
    }

    /// Whether a debt owing `owed` on `day` can be placed (the daily run's batches, which read what each debt owes).
    static func placeability(ref: String, currency: Currency, owed: ComponentAmounts, on day: LocalDate) -> Placeability
    {
        let money = { (units: Int64) in Money.displayString(minorUnits: units, currency: currency) }
        guard owed.total > 0 else {
            return .nothingOwed(
                "debt \"\(ref)\" owes nothing on \(day.isoString) (balance \(money(owed.total))), so there is nothing "
                    + "to place")
        }
        guard owed.principal > 0, owed.interest >= 0, owed.fees >= 0 else {
            return .noPrincipal(
                "debt \"\(ref)\" owes \(money(owed.total)) on \(day.isoString) but no principal (interest "
                    + "\(money(owed.interest)), fees \(money(owed.fees))); an agency's placement file needs principal owed, "
                    + "so collect it in house")
        }
        return .placeable(currency, owed: owed)
    }

    /// Recalls the debt's placement in force on `recalledOn` (not before it was placed, not after today): the
    /// client's strategy takes the debt back. Refused for a debt that is not placed; the reason is required.
    public static func recall(
        clientRef: String, debtRef: String, recalledOn: LocalDate, reason: String, by: String?, now: Date,
        zone: TimeZone, on database: any Database
    ) async throws -> Placement {
        try await recall(
            clientRef: clientRef, debtRef: debtRef, recalledOn: recalledOn, reason: reason, by: by, once: nil,
            now: now, zone: zone, on: database
        ).madeNow
    }

    /// `recall(…)` for a form, once.
    public static func recall(
        clientRef: String, debtRef: String, recalledOn: LocalDate, reason: String, by: String?,
        once submission: FormSubmission?, now: Date, zone: TimeZone, on database: any Database
    ) async throws -> OnceOnly<Placement> {
        let reason = try PauseStore.checkedReason(reason, what: "a recall")
        let today = LocalDate(now, in: zone)
        guard recalledOn <= today else {
            throw StoreError.invalid(
                "the recall date \(recalledOn.isoString) is after today (\(today.isoString)); give today or earlier")
        }
        return try await FormSubmissions.onceTransaction(
            submission, kind: "recall", now: now, database: database, result: { String($0.id) }
        ) { sql in
            let debt = try await AccrualStore.debt(clientRef: clientRef, debtRef: debtRef, lock: true, on: sql)
            guard
                let current = try await placements(
                    where: "pl.debt_id = \(bind: debt.id) AND pl.recalled_on IS NULL", sql: sql
                ).first
            else {
                throw StoreError.invalid(
                    "debt \"\(debtRef)\" of client \"\(clientRef)\" is not placed with an agency, so there is nothing "
                        + "to recall")
            }
            guard recalledOn >= current.placedOn else {
                throw StoreError.invalid(
                    "the recall date \(recalledOn.isoString) is before the placement with \(current.agency) on "
                        + "\(current.placedOn.isoString)")
            }
            try await sql.raw(
                """
                UPDATE placements SET recalled_on = \(bind: recalledOn.daysSinceEpoch), recalled_by = \(bind: by), \
                recall_reason = \(bind: reason) WHERE id = \(bind: current.id) AND recalled_on IS NULL
                """
            ).run()
            return try await placements(where: "pl.id = \(bind: current.id)", sql: sql)[0]
        }
    }

    /// Every placement of the debt, recalled or not, the latest first.
    public static func placements(debtID: Int64, on database: any Database) async throws -> [Placement] {
        try await placements(where: "pl.debt_id = \(bind: debtID)", sql: database as! any SQLDatabase)
    }

    /// The placements the scope sees (with `clientRef`, that client's; `unknownClient` for one outside the scope),
    /// with one agency's only when `agency` is given, in force only with `inForceOnly`; the latest placed first.
    public static func list(
        scope: ClientScope, clientRef: String? = nil, agency: String? = nil, inForceOnly: Bool = false,
        on database: any Database
    ) async throws -> [Placement] {
        let sql = database as! any SQLDatabase
        var condition: SQLQueryString = "1 = 1"
        if let clientRef {
            guard scope.allows(clientRef: clientRef),
                let clientID = try await ClientQueries.clientID(ref: clientRef, on: sql)
            else { throw StoreError.unknownClient(clientRef) }
            condition = "d.client_id = \(bind: clientID)"
        } else if let clientID = scope.clientID {
            condition = "d.client_id = \(bind: clientID)"
        }
        if let agency { condition = condition + " AND pl.agency = \(bind: agency)" }
        if inForceOnly { condition = condition + " AND pl.recalled_on IS NULL" }
        return try await placements(where: condition, sql: sql)
    }

    /// Placements in force by client, agency and currency, as the reports page shows them: how many debts and what
    /// was owed on them when placed; one aggregate, through the scope.
    public static func inForceTotals(
        scope: ClientScope, on database: any Database
    ) async throws -> [(clientRef: String, agency: String, currency: Currency, debts: Int, balance: Int64)] {
        let sql = database as! any SQLDatabase
        let filter: SQLQueryString = scope.clientID.map { " AND d.client_id = \(bind: $0)" } ?? ""
        let sum =
            SQLFlavor(sql) == .postgres
            ? "CAST(SUM(pl.balance_at_placement) AS BIGINT)" : "SUM(pl.balance_at_placement)"
        return try await sql.raw(
            """
            SELECT c.ref AS client_ref, pl.agency, pl.currency, COUNT(*) AS debts, \(unsafeRaw: sum) AS balance \
            FROM placements pl JOIN debts d ON d.id = pl.debt_id JOIN clients c ON c.id = d.client_id \
            WHERE pl.recalled_on IS NULL
            """ + filter + " GROUP BY c.ref, pl.agency, pl.currency ORDER BY c.ref, pl.agency, pl.currency"
        ).all().map { row in
            (
                try row.decode(column: "client_ref", as: String.self),
                try row.decode(column: "agency", as: String.self),
                try Currency(code: try row.decode(column: "currency", as: String.self)),
                try row.decode(column: "debts", as: Int.self), try row.decode(column: "balance", as: Int64.self)
            )
        }
    }

    // MARK: Checks

    /// An agency's name, trimmed: 1 to `maxAgencyLength` letters, digits, dots, dashes and underscores (it names the
    /// agency's placement files). Refused with a sentence otherwise.
    public static func checkedAgency(_ text: String) throws -> String {
        let name = text.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw StoreError.invalid("give the agency's name, such as acme-collections") }
        guard name.count <= maxAgencyLength,
            name.unicodeScalars.allSatisfy({
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                    || $0 == "-" || $0 == "_" || $0 == "."
            }),
            name.first != "."
        else {
            throw StoreError.invalid(
                "the agency \"\(name)\" is not a name Recoup can use: give 1 to \(maxAgencyLength) letters, digits, "
                    + "dots, dashes or underscores, such as acme-collections")
        }
        return name
    }

    /// A contingency rate as a decimal percent from 0 to 100 with at most four decimals, written without trailing
    /// zeros ("25.50" → "25.5"); nil for none (nil or blank). Refused with a sentence otherwise.
    public static func checkedContingency(_ text: String?) throws -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let digits = { (part: Substring) in !part.isEmpty && part.utf8.allSatisfy { (48...57).contains($0) } }
        guard digits(parts[0]), parts.count == 1 || (digits(parts[1]) && parts[1].count <= 4), parts[0].count <= 9
        else {
            throw StoreError.invalid(
                "the contingency rate \"\(text)\" is not a percent; give a number from 0 to 100 such as 25 or 33.5")
        }
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        while fraction.hasSuffix("0") { fraction.removeLast() }
        let whole = Int(parts[0]) ?? 0
        guard whole < 100 || (whole == 100 && fraction.isEmpty) else {
            throw StoreError.invalid(
                "the contingency rate \(text) is above 100 percent; give a number from 0 to 100")
        }
        return fraction.isEmpty ? String(whole) : "\(whole).\(fraction)"
    }

    // MARK: Reading

    /// The debt's balance by component as of the end of `day` (entries effective that day or before).
    static func balance(debtID: Int64, asOf day: LocalDate, sql: any SQLDatabase) async throws -> ComponentAmounts {
        let row = try await sql.raw(
            """
            SELECT CAST(COALESCE(SUM(principal), 0) AS BIGINT) AS principal, \
            CAST(COALESCE(SUM(interest), 0) AS BIGINT) AS interest, CAST(COALESCE(SUM(fees), 0) AS BIGINT) AS fees \
            FROM ledger_entries WHERE debt_id = \(bind: debtID) AND effective_on <= \(bind: day.daysSinceEpoch)
            """
        ).first()!
        return ComponentAmounts(
            principal: try row.decode(column: "principal", as: Int64.self),
            interest: try row.decode(column: "interest", as: Int64.self),
            fees: try row.decode(column: "fees", as: Int64.self))
    }

    static func placements(where condition: SQLQueryString, sql: any SQLDatabase) async throws -> [Placement] {
        try await sql.raw(
            """
            SELECT pl.id, pl.debt_id, pl.agency, pl.placed_on, pl.balance_at_placement, pl.currency, \
            pl.contingency_percent, pl.action_id, pl.file_path, pl.created_by, pl.created_at, pl.recalled_on, \
            pl.recalled_by, pl.recall_reason, d.ref AS debt_ref, c.ref AS client_ref, p.ref AS debtor_ref \
            FROM placements pl JOIN debts d ON d.id = pl.debt_id JOIN clients c ON c.id = d.client_id \
            JOIN debtors p ON p.id = d.debtor_id WHERE \(condition) ORDER BY pl.placed_on DESC, pl.id DESC
            """
        ).all().map { row in
            Placement(
                id: try row.decode(column: "id", as: Int64.self),
                clientRef: try row.decode(column: "client_ref", as: String.self),
                debtID: try row.decode(column: "debt_id", as: Int64.self),
                debtRef: try row.decode(column: "debt_ref", as: String.self),
                debtorRef: try row.decode(column: "debtor_ref", as: String.self),
                agency: try row.decode(column: "agency", as: String.self),
                placedOn: LocalDate(daysSinceEpoch: try row.decode(column: "placed_on", as: Int.self)),
                balanceAtPlacement: try row.decode(column: "balance_at_placement", as: Int64.self),
                currency: try Currency(code: try row.decode(column: "currency", as: String.self)),
                contingencyPercent: try row.decode(column: "contingency_percent", as: String?.self),
                actionID: try row.decode(column: "action_id", as: Int64?.self),
                filePath: try row.decode(column: "file_path", as: String?.self),
                createdBy: try row.decode(column: "created_by", as: String?.self),
                createdAt: try row.decode(column: "created_at", as: Date.self),
                recalledOn: try row.decode(column: "recalled_on", as: Int?.self).map(LocalDate.init(daysSinceEpoch:)),
                recalledBy: try row.decode(column: "recalled_by", as: String?.self),
                recallReason: try row.decode(column: "recall_reason", as: String?.self))
        }
    }
}
