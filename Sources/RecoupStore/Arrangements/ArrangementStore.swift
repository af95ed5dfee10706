import Crypto
import FluentKit
import Foundation
import RecoupCore
import SQLKit

/// A request for a new arrangement: the debts, the debtor's offer and the option they chose.
public struct CreateArrangementRequest: Sendable {
    public var clientRef: String
    public var debtRefs: [String]
    /// The day the arrangement is written; the plan is proposed as of this day.
    public var today: LocalDate
    /// What the debtor offers to pay per installment, read in the debts' currency.
    public var amount: EnteredAmount
    public var frequency: PaymentFrequency
    public var firstDue: LocalDate
    /// Which option of the proposal the debtor chose (the first installment schedule, the extension, the settlement).
    public var option: PlanOption.Kind
    /// Proposed arrangements of the same debtor that this one replaces (the portal's new offer): cancelled in the same
    /// transaction, after the form's id is claimed, so a form sent again cancels nothing.
    public var replacingProposed: [String] = []

    /// A request whose offer amount is given as entered (decimal text and its field, or minor units).
    public init(
        clientRef: String, debtRefs: [String], today: LocalDate, amount: EnteredAmount, frequency: PaymentFrequency,
        firstDue: LocalDate, option: PlanOption.Kind
    ) {
        self.clientRef = clientRef
        self.debtRefs = debtRefs
        self.today = today
        self.amount = amount
        self.frequency = frequency
        self.firstDue = firstDue
        self.option = option
    }

    /// A request from an offer already read in the debts' currency.
    public init(clientRef: String, debtRefs: [String], today: LocalDate, offer: PlanOffer, option: PlanOption.Kind) {
        self.init(
            clientRef: clientRef, debtRefs: debtRefs, today: today, amount: .minorUnits(offer.amount),
            frequency: offer.frequency, firstDue: offer.firstDue, option: option)
    }
}

/// A stored arrangement with what it looks like on a date.
public struct ArrangementView: Sendable {
    public var ref: String
    public var clientRef: String
    public var debtorRef: String
    public var createdOn: LocalDate
    public var arrangement: Arrangement
    public var agreementSHA256: String
    /// Each installment and the money counted toward it, on `asOf`.
    public var match: InstallmentMatch
    public var asOf: LocalDate
}

/// What an evaluation run changed.
public struct ArrangementChange: Sendable, Equatable {
    public var ref: String
    public var state: ArrangementState
    public var reason: String?
    public var on: LocalDate?
}

/// Arrangements: created from a chosen plan option with their written agreement, accepted, matched to payments,
/// completed or broken, cancelled.
public enum ArrangementStore {
    /// Creates a proposed arrangement and its written agreement (text, HTML and the text's SHA-256), the whole use
    /// case in one transaction: finds and locks the debts (`unknownClient`, `unknownDebt`), reads the offer in their
    /// currency, proposes the plan with the client's terms, writes the arrangement with its debts, installments and
    /// agreement, and stores the debtor's segments again as of today (`now` in `zone`). Anything refused is
    /// `invalid` and writes nothing.
    public static func create(
        _ request: CreateArrangementRequest, on database: any Database, now: Date,
        zone: TimeZone = TimeZone(identifier: "UTC")!
    ) async throws -> ArrangementView {
        switch try await create(request, once: nil, on: database, now: now, zone: zone) {
        case .done(let view): return view
        case .repeated: throw StoreError.invalid("an arrangement proposed without a form id cannot be a repeat")
        }
    }

    /// Creates a proposed arrangement from a form (`submission`), as `create(_:on:now:zone:)` does, once: the
    /// submission's id is recorded with the arrangement in the same transaction, and the same form sent again
    /// writes nothing and answers `.repeated` with the first one's reference.
    public static func create(
        _ request: CreateArrangementRequest, once submission: FormSubmission?, on database: any Database, now: Date,
        zone: TimeZone = TimeZone(identifier: "UTC")!
    ) async throws -> OnceOnly<ArrangementView> {
        let refs = request.debtRefs.map(\.trimmedSpaces).filter { !$0.isEmpty }
        guard !refs.isEmpty else { throw StoreError.invalid("an arrangement needs at least one debt") }
        guard Set(refs).count == refs.count else { throw StoreError.invalid("a debt is named twice") }
        return try await PaymentStore.serializedTransaction(database) { sql in
            if let submission,
                let earlier = try await FormSubmissions.claim(submission, kind: "arrangement", now: now, sql: sql)
            {
                return .repeated(earlier)
            }
            for ref in request.replacingProposed {
                var stored = try await load(clientRef: request.clientRef, ref: ref, lock: true, on: sql)
                guard stored.arrangement.state == .proposed else { continue }
                do {
                    try stored.arrangement.cancel(reason: "replaced by a new proposal", on: request.today)
                } catch {
                    throw StoreError.invalid("\(error)")
                }
                try await saveState(stored, on: sql)
            }
            let client = try await AccrualStore.terms(clientRef: request.clientRef, sql: sql)
            var debts: [(ref: String, row: DebtRow, balance: Int64)] = []
            for ref in refs {
                let row = try await AccrualStore.debt(clientRef: request.clientRef, debtRef: ref, lock: true, on: sql)
                let ledger = Ledger(
                    currency: row.currency, entries: try await PaymentStore.entries(of: row.id, on: sql))
                let balance = ledger.balance.total
                guard balance > 0 else {
                    throw StoreError.invalid("debt \"\(ref)\" has nothing owing, so it cannot be in an arrangement")
                }
                if let first = debts.first {
                    guard first.row.debtorID == row.debtorID else {
                        throw StoreError.invalid("debts \"\(first.ref)\" and \"\(ref)\" belong to different debtors")
                    }
                    guard first.row.currency == row.currency else {
                        throw StoreError.invalid("debts \"\(first.ref)\" and \"\(ref)\" are in different currencies")
                    }
                }
                debts.append((ref, row, balance))
            }
            let offer = PlanOffer(
                amount: try request.amount.minorUnits(in: debts[0].row.currency), frequency: request.frequency,
                firstDue: request.firstDue)
            guard offer.amount > 0 else { throw StoreError.invalid("the offer must be more than zero") }
            guard offer.firstDue >= request.today else {
                throw StoreError.invalid("the first due date \(offer.firstDue) is before today (\(request.today))")
            }
            let ids = debts.map(\.row.id)
            if let open = try await sql.raw(
                """
                SELECT a.ref FROM arrangements a JOIN arrangement_debts ad ON ad.arrangement_id = a.id \
                WHERE ad.debt_id IN \(SQLBind.group(ids)) AND a.state IN ('proposed', 'active')
                """
            ).first() {
                let other = try open.decode(column: "ref", as: String.self)
                throw StoreError.invalid("a debt is already in arrangement \(other); cancel it first")
            }
            let currency = debts[0].row.currency
            let total = debts.reduce(Int64(0)) { $0 + $1.balance }
            let proposal = PlanCalculator.propose(
                PlanRequest(
                    balance: total, currency: currency, today: request.today, offer: offer,
                    terms: client.terms.plan))
            guard let option = proposal.options.first(where: { $0.kind == request.option }) else {
                let offered = proposal.options.map(\.kind.rawValue).joined(separator: ", ")
                throw StoreError.invalid(
                    "the client's terms offer no \(request.option.rawValue) here (the options are \(offered))")
            }
            let arrangement: Arrangement
            do {
                arrangement = try Arrangement.make(
                    from: option, debts: debts.map { ArrangementDebt(ref: $0.ref, amount: $0.balance) },
                    currency: currency, graceDays: client.terms.graceDays)
            } catch {
                throw StoreError.invalid("\(error)")
            }
            let next =
                try await sql.raw("SELECT COUNT(*) AS n FROM arrangements WHERE client_id = \(bind: client.id)")
                .first()?.decode(column: "n", as: Int.self) ?? 0
            let ref = "ARR-" + String(repeating: "0", count: max(0, 6 - String(next + 1).count)) + String(next + 1)
            let debtor = try await debtorParty(id: debts[0].row.debtorID, on: sql)
            let parties = AgreementDocument.parties(
                profile: try await ClientProfileStore.profile(clientRef: request.clientRef, sql: sql).profile,
                terms: client.terms, storedName: client.name, reference: ref)
            let document = AgreementDocument(
                arrangement: arrangement, reference: ref, writtenOn: request.today, debtor: debtor.party,
                creditorName: parties.creditorName, collectorName: parties.collectorName,
                contactLine: parties.contactLine,
                debts: zip(debts, arrangement.debts).map { AgreementDocument.Debt(ref: $0.0.ref, amount: $0.1.amount) })
            let rendered = document.render()
            let digest = UserStore.hex(SHA256.hash(data: Data(rendered.text.utf8)))
            try await sql.raw(
                """
                INSERT INTO arrangements (client_id, debtor_id, ref, kind, state, currency, total, grace_days, created_on, \
                agreement_text, agreement_html, agreement_sha256, created_at) VALUES (\(bind: client.id), \
                \(bind: debts[0].row.debtorID), \(bind: ref), \(bind: arrangement.kind.rawValue), \
                \(bind: arrangement.state.rawValue), \(bind: currency.code), \(bind: arrangement.total), \
                \(bind: arrangement.graceDays), \(bind: request.today.daysSinceEpoch), \(bind: rendered.text), \
                \(bind: rendered.html), \(bind: digest), \(bind: now))
                """
            ).run()
            let id = try await arrangementID(clientID: client.id, ref: ref, on: sql)
            for (debt, part) in zip(debts, arrangement.debts) {
                try await sql.raw(
                    """
                    INSERT INTO arrangement_debts (arrangement_id, debt_id, amount) VALUES \
                    (\(bind: id), \(bind: debt.row.id), \(bind: part.amount))
                    """
                ).run()
            }
            for (index, installment) in arrangement.installments.enumerated() {
                try await sql.raw(
                    """
                    INSERT INTO arrangement_installments (arrangement_id, number, due_on, amount) VALUES \
                    (\(bind: id), \(bind: index + 1), \(bind: installment.due.daysSinceEpoch), \(bind: installment.amount))
                    """
                ).run()
            }
            if let submission { try await FormSubmissions.complete(submission, result: ref, sql: sql) }
            try await SegmentStore.refreshAfterChange(
                debtorIDs: [debts[0].row.debtorID], now: now, zone: zone, sql: sql)
            return .done(
                ArrangementView(
                    ref: ref, clientRef: request.clientRef, debtorRef: debtor.ref, createdOn: request.today,
                    arrangement: arrangement, agreementSHA256: digest,
                    match: arrangement.status(payments: [], asOf: request.today), asOf: request.today))
        }
    }

    /// The arrangement as stored, with its installments matched to the payments up to `asOf`.
    public static func show(
        clientRef: String, ref: String, asOf: LocalDate, on database: any Database
    ) async throws
        -> ArrangementView
    {
        let sql = database as! any SQLDatabase
        let stored = try await load(clientRef: clientRef, ref: ref, on: sql)
        return stored.view(clientRef: clientRef, payments: try await payments(stored, on: sql), asOf: asOf)
    }

    /// The written agreement: its text, HTML and the text's SHA-256.
    public static func agreement(
        clientRef: String, ref: String, on database: any Database
    ) async throws
        -> (text: String, html: String, sha256: String)
    {
        let sql = database as! any SQLDatabase
        let id = try await load(clientRef: clientRef, ref: ref, on: sql).id
        let row = try await sql.raw(
            "SELECT agreement_text, agreement_html, agreement_sha256 FROM arrangements WHERE id = \(bind: id)"
        ).first()!
        return (
            try row.decode(column: "agreement_text", as: String.self),
            try row.decode(column: "agreement_html", as: String.self),
            try row.decode(column: "agreement_sha256", as: String.self)
        )
    }

    /// Records the debtor's acceptance: proposed → active, interest and fees paused on its debts, and the debtor's
    /// segments stored again as of today (`now` in `zone`), in one transaction.
    public static func accept(
        clientRef: String, ref: String, acceptance: Acceptance, on database: any Database, now: Date,
        zone: TimeZone = TimeZone(identifier: "UTC")!
    ) async throws -> ArrangementView {
        try await PaymentStore.serializedTransaction(database) { sql in
            var stored = try await load(clientRef: clientRef, ref: ref, lock: true, on: sql)
            do {
                try stored.arrangement.accept(acceptance, in: stored.zone)
            } catch {
                throw StoreError.invalid("\(error)")
            }
            let (method, details) = Self.details(of: acceptance.method)
            try await sql.raw(
                """
                UPDATE arrangements SET state = \(bind: stored.arrangement.state.rawValue), \
                accepted_by = \(bind: acceptance.by), accepted_at = \(bind: acceptance.at), \
                acceptance_method = \(bind: method), acceptance_details = \(bind: details), \
                state_changed_on = \(bind: stored.arrangement.stateChangedOn?.daysSinceEpoch) WHERE id = \(bind: stored.id)
                """
            ).run()
            let asOf = stored.arrangement.stateChangedOn ?? stored.createdOn
            // Interest and fees stop while the debtor keeps to the agreement (the schedule is a fixed amount).
            for debt in stored.debts {
                try await sql.raw(
                    """
                    INSERT INTO accrual_pauses (debt_id, from_on, until_on, reason, created_at) VALUES \
                    (\(bind: debt.id), \(bind: asOf.daysSinceEpoch), NULL, \(bind: pauseReason(stored.ref)), \(bind: acceptance.at))
                    """
                ).run()
            }
            try await SegmentStore.refreshAfterChange(debtorIDs: [stored.debtorID], now: now, zone: zone, sql: sql)
            return stored.view(clientRef: clientRef, payments: try await payments(stored, on: sql), asOf: asOf)
        }
    }

    /// Cancels a proposed or active arrangement, saying why, and stores the debtor's segments again as of today
    /// (`now` in `zone`), in one transaction.
    public static func cancel(
        clientRef: String, ref: String, reason: String, on day: LocalDate, database: any Database, now: Date,
        zone: TimeZone = TimeZone(identifier: "UTC")!
    ) async throws -> ArrangementView {
        try await PaymentStore.serializedTransaction(database) { sql in
            var stored = try await load(clientRef: clientRef, ref: ref, lock: true, on: sql)
            do {
                try stored.arrangement.cancel(reason: reason, on: day)
            } catch {
                throw StoreError.invalid("\(error)")
            }
            try await saveState(stored, on: sql)
            try await SegmentStore.refreshAfterChange(debtorIDs: [stored.debtorID], now: now, zone: zone, sql: sql)
            return stored.view(clientRef: clientRef, payments: try await payments(stored, on: sql), asOf: day)
        }
    }

    /// Moves every active arrangement of the client on to `asOf`: completed when every installment is paid, broken
    /// when one is unpaid after its grace days (with the reason). A completed settlement writes off what is left of
    /// its debts. The debtors of what changed get their segments stored again as of today (`now` in `zone`), in the
    /// same transaction. Returns what changed.
    public static func evaluate(
        clientRef: String, asOf: LocalDate, on database: any Database, now: Date,
        zone: TimeZone = TimeZone(identifier: "UTC")!
    ) async throws -> [ArrangementChange] {
        try await PaymentStore.serializedTransaction(database) { sql in
            guard let clientID = try await ClientQueries.clientID(ref: clientRef, on: sql) else {
                throw StoreError.unknownClient(clientRef)
            }
            let refs = try await sql.raw(
                """
                SELECT ref FROM arrangements WHERE client_id = \(bind: clientID) AND state = 'active' ORDER BY id
                """
            ).all().map { try $0.decode(column: "ref", as: String.self) }
            var changes: [ArrangementChange] = []
            var changedDebtors: [Int64] = []
            for ref in refs {
                var stored = try await load(clientRef: clientRef, ref: ref, lock: true, on: sql)
                let state = stored.arrangement.evaluate(payments: try await payments(stored, on: sql), asOf: asOf)
                guard state != .active else { continue }
                try await saveState(stored, on: sql)
                if state == .completed, stored.arrangement.kind == .settlement {
                    try await writeOffRest(stored, on: stored.arrangement.stateChangedOn ?? asOf, sql: sql, now: now)
                }
                changes.append(
                    ArrangementChange(
                        ref: ref, state: state, reason: stored.arrangement.stateReason,
                        on: stored.arrangement.stateChangedOn))
                changedDebtors.append(stored.debtorID)
            }
            try await SegmentStore.refreshAfterChange(debtorIDs: changedDebtors, now: now, zone: zone, sql: sql)
            return changes
        }
    }

    /// A debt's arrangements, newest first: each one's reference, kind and state.
    public static func summaries(
        debtID: Int64, on database: any Database
    ) async throws
        -> [(ref: String, kind: String, state: String)]
    {
        try await (database as! any SQLDatabase).raw(
            """
            SELECT a.ref, a.state, a.kind FROM arrangements a JOIN arrangement_debts ad ON ad.arrangement_id = a.id \
            WHERE ad.debt_id = \(bind: debtID) ORDER BY a.id DESC
            """
        ).all().map { row in
            (
                try row.decode(column: "ref", as: String.self), try row.decode(column: "kind", as: String.self),
                try row.decode(column: "state", as: String.self)
            )
        }
    }

    // MARK: Loading and saving

    /// An arrangement read back from its rows.
    struct Stored {
        let id: Int64
        let ref: String
        let debtorID: Int64
        let debtorRef: String
        let createdOn: LocalDate
        let sha256: String
        let zone: TimeZone
        /// Debt ids with their references, in the arrangement's order.
        let debts: [(id: Int64, ref: String)]
        var arrangement: Arrangement

        func view(clientRef: String, payments: [ArrangementPayment], asOf: LocalDate) -> ArrangementView {
            ArrangementView(
                ref: ref, clientRef: clientRef, debtorRef: debtorRef, createdOn: createdOn, arrangement: arrangement,
                agreementSHA256: sha256, match: arrangement.status(payments: payments, asOf: asOf), asOf: asOf)
        }
    }

    static func load(clientRef: String, ref: String, lock: Bool = false, on sql: any SQLDatabase) async throws -> Stored
    {
        let suffix = lock && SQLFlavor(sql) == .postgres ? " FOR UPDATE OF a" : ""
        guard
            let row = try await sql.raw(
                """
                SELECT a.id, a.debtor_id, a.kind, a.state, a.currency, a.grace_days, a.created_on, a.agreement_sha256, a.accepted_by, \
                a.accepted_at, a.acceptance_method, a.acceptance_details, a.state_reason, a.state_changed_on, \
                p.ref AS debtor_ref, p.time_zones FROM arrangements a JOIN clients c ON c.id = a.client_id \
                JOIN debtors p ON p.id = a.debtor_id WHERE c.ref = \(bind: clientRef) AND a.ref = \(bind: ref)\(unsafeRaw: suffix)
                """
            ).first()
        else {
            if try await ClientQueries.clientID(ref: clientRef, on: sql) == nil {
                throw StoreError.unknownClient(clientRef)
            }
            throw StoreError.unknownArrangement(client: clientRef, arrangement: ref)
        }
        let id = try row.decode(column: "id", as: Int64.self)
        let currency = try Currency(code: try row.decode(column: "currency", as: String.self))
        let debts = try await sql.raw(
            """
            SELECT d.id, d.ref, ad.amount FROM arrangement_debts ad JOIN debts d ON d.id = ad.debt_id \
            WHERE ad.arrangement_id = \(bind: id) ORDER BY d.ref
            """
        ).all().map { row in
            (
                id: try row.decode(column: "id", as: Int64.self), ref: try row.decode(column: "ref", as: String.self),
                amount: try row.decode(column: "amount", as: Int64.self)
            )
        }
        let installments = try await sql.raw(
            """
            SELECT due_on, amount FROM arrangement_installments WHERE arrangement_id = \(bind: id) ORDER BY number
            """
        ).all().map { row in
            Installment(
                due: LocalDate(daysSinceEpoch: try row.decode(column: "due_on", as: Int.self)),
                amount: try row.decode(column: "amount", as: Int64.self))
        }
        var acceptance: Acceptance? = nil
        if let by = try row.decode(column: "accepted_by", as: String?.self),
            let at = try row.decode(column: "accepted_at", as: Date?.self),
            let method = try row.decode(column: "acceptance_method", as: String?.self)
        {
            acceptance = try Acceptance(
                by: by, at: at,
                method: Self.method(method, details: try row.decode(column: "acceptance_details", as: String?.self)))
        }
        let zoneName = try row.decode(column: "time_zones", as: String.self).split(separator: ";").first.map(
            String.init)
        let arrangement = try Arrangement(
            currency: currency, debts: debts.map { ArrangementDebt(ref: $0.ref, amount: $0.amount) },
            kind: PlanOption.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .installments,
            installments: installments, graceDays: try row.decode(column: "grace_days", as: Int.self),
            state: ArrangementState(rawValue: try row.decode(column: "state", as: String.self)) ?? .proposed,
            acceptance: acceptance, stateReason: try row.decode(column: "state_reason", as: String?.self),
            stateChangedOn: try row.decode(column: "state_changed_on", as: Int?.self).map(
                LocalDate.init(daysSinceEpoch:)))
        return Stored(
            id: id, ref: ref, debtorID: try row.decode(column: "debtor_id", as: Int64.self),
            debtorRef: try row.decode(column: "debtor_ref", as: String.self),
            createdOn: LocalDate(daysSinceEpoch: try row.decode(column: "created_on", as: Int.self)),
            sha256: try row.decode(column: "agreement_sha256", as: String.self),
            zone: zoneName.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")!,
            debts: debts.map { ($0.id, $0.ref) }, arrangement: arrangement)
    }

    /// The reason recorded on the accrual pause an accepted arrangement puts on its debts.
    static func pauseReason(_ ref: String) -> String { "arrangement \(ref)" }

    private static func saveState(_ stored: Stored, on sql: any SQLDatabase) async throws {
        // A broken or cancelled arrangement no longer holds interest and fees back: its pause ends the day before.
        if stored.arrangement.state == .broken || stored.arrangement.state == .cancelled,
            let day = stored.arrangement.stateChangedOn
        {
            for debt in stored.debts {
                try await sql.raw(
                    """
                    UPDATE accrual_pauses SET until_on = \(bind: day.daysSinceEpoch - 1) WHERE debt_id = \(bind: debt.id) \
                    AND reason = \(bind: pauseReason(stored.ref)) AND until_on IS NULL
                    """
                ).run()
            }
        }
        try await sql.raw(
            """
            UPDATE arrangements SET state = \(bind: stored.arrangement.state.rawValue), \
            state_reason = \(bind: stored.arrangement.stateReason), \
            state_changed_on = \(bind: stored.arrangement.stateChangedOn?.daysSinceEpoch) WHERE id = \(bind: stored.id)
            """
        ).run()
    }

    /// The payments counted toward an arrangement: payments to its debts on or after the day it was written, less
    /// the reversals of those payments.
    static func payments(_ stored: Stored, on sql: any SQLDatabase) async throws -> [ArrangementPayment] {
        try await PromiseStore.payments(debts: stored.debts, since: stored.createdOn, on: sql)
    }

    /// Writes off what is left of a completed settlement's debts (the settlement paid them in full by agreement).
    private static func writeOffRest(_ stored: Stored, on day: LocalDate, sql: any SQLDatabase, now: Date) async throws
    {
        for debt in stored.debts {
            var ledger = Ledger(
                currency: stored.arrangement.currency, entries: try await PaymentStore.entries(of: debt.id, on: sql))
            guard ledger.balance(asOf: day).total > 0,
                case .posted(let entry) = try ledger.post(.writeOff(on: day, key: "settlement:\(stored.ref)"))
            else { continue }
            try await PaymentStore.insert(
                entry, debtID: debt.id, note: "settlement", reference: stored.ref, now: now, on: sql)
        }
    }

    private static func arrangementID(clientID: Int64, ref: String, on sql: any SQLDatabase) async throws -> Int64 {
        try await sql.raw("SELECT id FROM arrangements WHERE client_id = \(bind: clientID) AND ref = \(bind: ref)")
            .first()!.decode(column: "id", as: Int64.self)
    }

    private static func debtorParty(
        id: Int64, on sql: any SQLDatabase
    ) async throws
        -> (ref: String, party: AgreementDocument.Debtor)
    {
        let debtor = try await sql.raw("SELECT ref, name FROM debtors WHERE id = \(bind: id)").first()!
        var lines: [String] = []
        if let address = try await sql.raw(
            """
            SELECT value, city, state, postal_code FROM contact_points WHERE debtor_id = \(bind: id) \
            AND kind = 'address' ORDER BY id
            """
        ).first() {
            lines.append(try address.decode(column: "value", as: String.self))
            let place = [
                try address.decode(column: "city", as: String?.self),
                [
                    try address.decode(column: "state", as: String?.self),
                    try address.decode(column: "postal_code", as: String?.self),
                ]
                .compactMap { $0 }.joined(separator: " "),
            ].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
            if !place.isEmpty { lines.append(place) }
        }
        return (
            try debtor.decode(column: "ref", as: String.self),
            AgreementDocument.Debtor(name: try debtor.decode(column: "name", as: String.self), addressLines: lines)
        )
    }

    // MARK: Acceptance evidence

    static func details(of method: AcceptanceMethod) -> (String, String) {
        var text = ""
        func object(_ members: [(String, String)]) -> String {
            text = "{"
            for (index, member) in members.enumerated() {
                if index > 0 { text += "," }
                appendJSONString(member.0, to: &text)
                text += ":"
                appendJSONString(member.1, to: &text)
            }
            return text + "}"
        }
        switch method {
        case .portalClick(let ip, let userAgent): return (method.name, object([("ip", ip), ("userAgent", userAgent)]))
        case .recordedCall(let collector, let recording):
            return (method.name, object([("collector", collector), ("recording", recording)]))
        case .signedLetter(let document): return (method.name, object([("document", document)]))
        }
    }

    static func method(_ name: String, details: String?) throws -> AcceptanceMethod {
        let object = (try? JSONValue.parse(Data((details ?? "{}").utf8)))?.objectValue
        func field(_ key: String) -> String { object?[key]?.stringValue ?? "" }
        switch AcceptanceMethod.Kind(rawValue: name) {
        case .portalClick: return .portalClick(ip: field("ip"), userAgent: field("userAgent"))
        case .recordedCall: return .recordedCall(collector: field("collector"), recording: field("recording"))
        case .signedLetter: return .signedLetter(document: field("document"))
        case nil: throw StoreError.invalid("the stored acceptance method \"\(name)\" is unknown")
        }
    }
}
