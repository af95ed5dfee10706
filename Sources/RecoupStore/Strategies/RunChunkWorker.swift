import Foundation
import RecoupCore
import SQLKit

/// One chunk of the daily run, inside its transaction: reads the open debts of a range of debtor ids and everything
/// the decisions need (one query per kind of fact), decides each debt's step, checks it, and records it.
struct ChunkWorker {
    let context: RunStore.ChunkContext
    let chunk: Int64
    let sql: any SQLDatabase
    var output = RunChunk()
    var summary: RunSummary
    /// Blocked actions to store with the run (`run_blocked`) when the chunk is done.
    var blockedRows: [(Int64, Planned, [String], String)] = []
    /// What the chunk writes: the run decides the whole chunk, then writes each kind of row in a few multi-row
    /// statements (`flush`).
    var pending = PendingWrites()
    /// Messages waiting in the outbox, as the contacts they will be (RunStore+ByHand.swift, `queuedContacts`).
    var queued: [Int64: [ContactEvent]] = [:]
    /// The validation notices of the chunk's debts (RunValidationNotices.swift).
    var notices: [Int64: NoticeState] = [:]

    init(context: RunStore.ChunkContext, chunk: Int64, sql: any SQLDatabase) {
        self.context = context
        self.chunk = chunk
        self.sql = sql
        summary = RunSummary(
            asOf: context.request.asOf, dryRun: context.request.dryRun, clientRef: context.request.clientRef)
    }

    var asOf: LocalDate { context.request.asOf }
    var dryRun: Bool { context.request.dryRun }

    /// An open debt as the run sees it on its date.
    struct OpenDebt: Sendable {
        var key: SegmentStore.DebtKey
        var clientID: Int64
        var debtorRef: String
        var debtorName: String
        /// The language the debtor's messages are written in.
        var language: MessageLanguage = .en
        var dueOn: LocalDate
        var principal: Int64
        var interest: Int64
        var fees: Int64
    }

    /// A debt's decided step, before it is checked and recorded.
    struct Planned: Sendable {
        var debt: OpenDebt
        var segment: Segment
        var plan: StepPlan
        var strategy: RunStrategy
    }

    /// Decides and records the chunk, from its facts read ahead (`readFacts`) or read now.
    mutating func work(prefetched: ChunkFacts? = nil) async throws {
        let read: ChunkFacts
        if let prefetched, prefetched.chunk == chunk {
            read = prefetched
        } else {
            read = try await Self.readFacts(chunk, context: context, sql: sql)
        }
        let (debts, facts, segments) = (read.debts, read.facts, read.segments)
        guard !debts.isEmpty else { return }
        summary.processed = debts.count
        let keys = debts.map(\.key)
        let ids = SQLQueryString.integerList(keys.map(\.id))
        if !dryRun {
            // Only the segments that changed: a debt's reasons name dates, not ages, so most are as the day before
            // (`as_of` is then the day they were last decided otherwise).
            var stored: [Int64: (segment: String, reasons: String)] = [:]
            for row in try await sql.runRows(
                "SELECT debt_id, segment, reasons FROM debt_segments WHERE debt_id IN (\(ids))",
                columns: ["debt_id", "segment", "reasons"], orderBy: ["debt_id"]
            ) {
                stored[try row.int64("debt_id")] = (try row.string("segment"), try row.string("reasons"))
            }
            try await SegmentStore.store(
                keys.compactMap { key in
                    guard let decision = segments[key.id] else { return nil }
                    let before = stored[key.id]
                    return before?.segment == decision.segment.rawValue && before?.reasons == decision.explanation
                        ? nil : (key.id, decision)
                }, asOf: asOf, now: context.now, sql: sql)
        }
        let debtorIDs = SQLQueryString.integerList(Array(Set(keys.map(\.debtorID))).sorted())
        // The occurrences done or skipped, one row a debt (a debt the run has worked for months has dozens): each as
        // "DAY OCCURRENCE STEP", separated by U+001E (step ids are letters, digits, - and _).
        var done: [Int64: [StepOccurrence]] = [:]
        let concatenated =
            SQLFlavor(sql) == .sqlite
            ? "group_concat(scheduled_on || ' ' || occurrence || ' ' || step_id, char(30))"
            : "string_agg(scheduled_on || ' ' || occurrence || ' ' || step_id, chr(30))"
        for row in try await sql.runRows(
            """
            SELECT debt_id, SUM(CASE WHEN as_of = \(unsafeRaw: String(asOf.daysSinceEpoch)) AND status = 'created' \
            THEN 1 ELSE 0 END) AS today, \(unsafeRaw: concatenated) AS occurrences FROM strategy_actions \
            WHERE debt_id IN (\(ids)) GROUP BY debt_id
            """,
            columns: ["debt_id", "today", "occurrences"], orderBy: ["debt_id"]
        ) {
            done[try row.int64("debt_id")] = try Self.occurrences(try row.string("occurrences"))
            summary.alreadyDone += try row.int("today")
        }
        var pauses: [Int64: [(debtID: Int64?, until: LocalDate, reason: String)]] = [:]
        for row in try await sql.runRows(
            """
            SELECT debtor_id, debt_id, until_on, reason FROM strategy_pauses WHERE debtor_id IN (\(debtorIDs)) \
            AND ended_at IS NULL AND until_on >= \(bind: asOf.daysSinceEpoch)
            """
        ) {
            pauses[try row.int64("debtor_id"), default: []].append(
                (
                    try row.optionalInt64("debt_id"), LocalDate(daysSinceEpoch: try row.int("until_on")),
                    try row.string("reason")
                ))
        }
        let excludedDebtors = Set(
            try await sql.runRows(
                """
                SELECT debtor_id FROM automation_exclusions WHERE debtor_id IN (\(debtorIDs)) AND ended_at IS NULL
                """
            ).map { try $0.int64("debtor_id") })
        var placed: [Int64: String] = [:]
        for row in try await sql.runRows(
            "SELECT debt_id, agency FROM placements WHERE debt_id IN (\(ids)) AND recalled_on IS NULL",
            columns: ["debt_id", "agency"], orderBy: ["debt_id"]
        ) {
            placed[try row.int64("debt_id")] = try row.string("agency")
        }
        // Accounts the agency closed or the client recalled (docs/agency.md): no longer the agency's to work.
        var returned: [Int64: String] = [:]
        for row in try await sql.runRows(
            """
            SELECT debt_id, close_reason FROM agency_placements WHERE debt_id IN (\(ids)) AND closed_on IS NOT NULL \
            AND closed_on <= \(bind: asOf.daysSinceEpoch) AND NOT EXISTS (SELECT 1 FROM agency_placements o \
            WHERE o.debt_id = agency_placements.debt_id AND (o.closed_on IS NULL OR o.closed_on > \(bind: asOf.daysSinceEpoch)))
            """
        ) {
            returned[try row.int64("debt_id")] = try row.optionalString("close_reason") ?? "closed"
        }
        queued = try await Self.queuedContacts(debtorIDs: debtorIDs, sql: sql)
        notices = try await Self.validationNotices(ids: ids, sql: sql)
        var askedForDetails = Set(
            try await sql.runRows(
                """
                SELECT debtor_id FROM work_items WHERE debtor_id IN (\(debtorIDs)) \
                AND kind = 'request_contact_details' AND status = 'open'
                """
            ).map { try $0.int64("debtor_id") })

        var planned: [Planned] = []
        for debt in debts {
            let key = debt.key
            let segment = segments[key.id]?.segment ?? .new
            let profile = facts.profiles[key.debtorID] ?? DebtorContactProfile(kind: key.debtorKind)
            let events = facts.events[key.debtorID] ?? []
            let zone = facts.zones[key.debtorID] ?? context.request.zone
            var pause: (kind: String, reason: String)? = nil
            if let agency = placed[key.id] {
                pause = ("placed", "placed with \(agency): the client's strategy stops while the agency works it")
            } else if let reason = returned[key.id] {
                pause = (
                    "returned",
                    "returned to the client (\(reason.replacingOccurrences(of: "_", with: " "))): the agency no longer works it"
                )
            } else if context.excludedClients.contains(debt.clientID) {
                pause = ("excluded", "the client is excluded from automatic steps: manual work only")
            } else if excludedDebtors.contains(key.debtorID) {
                pause = ("excluded", "the debtor is excluded from automatic steps: manual work only")
            } else if let manual = pauses[key.debtorID]?.first(where: { $0.debtID == nil || $0.debtID == key.id }) {
                pause = ("paused", "paused until \(manual.until.isoString): \(manual.reason)")
            } else if let hold = activeHold(debt, facts: facts, zone: zone) {
                pause = ("hold", hold)
            }
            let state = Self.state(
                promises: facts.promises[key.id] ?? [], arrangements: facts.arrangements[key.id] ?? [],
                payments: payments(facts.ledger[key.id] ?? []), asOf: asOf)
            if pause == nil {
                switch state.state {
                case .arranged: pause = ("arrangement", state.why)
                case .promised: pause = ("promise", state.why)
                default: break
                }
            }
            if let pause {
                summary.paused += 1
                summary.count("paused", pause.kind)
                continue
            }
            let strategy = context.request.strategies[debt.clientID] ?? context.request.defaultStrategy
            // A debt collector's first communication is the validation notice: before it, no step of the strategy.
            if let notice = validationNoticePlan(debt, profile: profile, done: done[key.id] ?? []) {
                planned.append(Planned(debt: debt, segment: segment, plan: notice, strategy: strategy))
                continue
            }
            let lastContact = events.last(where: { Self.isContact($0.kind) && $0.concerns(key.ref) })
            let contactable = !profile.phones.isEmpty || !profile.emails.isEmpty || !profile.addresses.isEmpty
            let debtFacts = StrategyDebtFacts(
                dueOn: debt.dueOn, segment: segment, debtorKind: key.debtorKind, balance: key.balance,
                currency: key.currency, state: state.state,
                lastContactOn: lastContact.map { ContactScheduling.day(of: $0.at, in: zone) }, contactable: contactable)
            guard
                let plan = StrategyPlanner.plan(
                    strategy.strategy, facts: debtFacts,
                    // The validation notice is not a step of the strategy: the steps it came before are still due.
                    done: (done[key.id] ?? []).filter { $0.stepID != Self.validationStepID }, asOf: asOf)
            else { continue }
            planned.append(Planned(debt: debt, segment: segment, plan: plan, strategy: strategy))
        }

        // One message per debtor and client: the debts due a message share the one at the highest step.
        var groups: [[Planned]] = []
        var groupIndex: [String: Int] = [:]
        for item in planned {
            guard item.plan.step.messageChannel != nil, item.plan.step.id != Self.validationStepID else {
                groups.append([item])
                continue
            }
            let key = "\(item.debt.clientID)-\(item.debt.key.debtorID)"
            if let index = groupIndex[key] {
                groups[index].append(item)
            } else {
                groupIndex[key] = groups.count
                groups.append([item])
            }
        }
        // Messages are checked and addressed in order with everything else, then rendered and checked on all cores at
        // once (the template and the message check are most of a message's cost), then queued in order.
        var drafts: [MessageDraft] = []
        for group in groups {
            let lead = group.max {
                ($0.plan.step.day, $0.plan.occurrence.scheduledOn, $0.debt.key.ref)
                    < ($1.plan.step.day, $1.plan.occurrence.scheduledOn, $1.debt.key.ref)
            }!
            let profile = facts.profiles[lead.debt.key.debtorID] ?? DebtorContactProfile(kind: lead.debt.key.debtorKind)
            if let channel = lead.plan.step.messageChannel {
                if let draft = try await prepareMessage(
                    group, lead: lead, channel: channel, profile: profile, facts: facts,
                    askedForDetails: &askedForDetails)
                {
                    drafts.append(draft)
                }
            } else {
                try await queueSingle(lead, profile: profile, facts: facts, askedForDetails: &askedForDetails)
            }
        }
        for (draft, rendered) in zip(drafts, await Self.render(drafts)) { finishMessage(draft, rendered: rendered) }
        try await flush()
    }

    /// Renders `drafts` on every core, in their order.
    static func render(_ drafts: [MessageDraft]) async -> [Result<RenderedMessage, any Error>] {
        let workers = min(ProcessInfo.processInfo.activeProcessorCount, drafts.count / 8)
        guard workers > 1 else { return drafts.map { $0.render() } }
        return await withTaskGroup(of: (Int, [Result<RenderedMessage, any Error>]).self) { tasks in
            for worker in 0..<workers {
                tasks.addTask {
                    (worker, stride(from: worker, to: drafts.count, by: workers).map { drafts[$0].render() })
                }
            }
            var results = [Result<RenderedMessage, any Error>?](repeating: nil, count: drafts.count)
            for await (worker, rendered) in tasks {
                for (offset, result) in rendered.enumerated() { results[worker + offset * workers] = result }
            }
            return results.map { $0! }
        }
    }

    /// The occurrences of a debt as the run reads them packed: "DAY OCCURRENCE STEP", separated by U+001E.
    static func occurrences(_ packed: String) throws -> [StepOccurrence] {
        // Read as bytes: a debt the run has worked long has dozens, and a portfolio a million debts.
        var occurrences: [StepOccurrence] = []
        var malformed = false
        var text = packed
        text.withUTF8 { bytes in
            var index = 0
            func number() -> Int? {
                var negative = false
                if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
                    negative = true
                    index += 1
                }
                var value = 0
                var digits = 0
                while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9"),
                    digits < 18
                {
                    value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                    index += 1
                    digits += 1
                }
                guard digits > 0, index < bytes.count, bytes[index] == UInt8(ascii: " ") else { return nil }
                index += 1
                return negative ? -value : value
            }
            while index < bytes.count {
                guard let day = number(), let occurrence = number() else {
                    malformed = true
                    return
                }
                let start = index
                while index < bytes.count, bytes[index] != 0x1E { index += 1 }
                guard index > start else {
                    malformed = true
                    return
                }
                occurrences.append(
                    StepOccurrence(
                        stepID: String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self),
                        occurrence: occurrence, scheduledOn: LocalDate(daysSinceEpoch: day)))
                index += 1
            }
        }
        if malformed { throw StoreError.invalid("a debt's strategy actions read back as \"\(packed)\"") }
        return occurrences
    }

    // MARK: Reading

    func openDebts() async throws -> [OpenDebt] {
        let size = max(1, context.request.chunkDebtors)
        let day = asOf.daysSinceEpoch
        let clientFilter: SQLQueryString = context.clientID.map { " AND d.client_id = \(bind: $0)" } ?? ""
        let sum = SQLFlavor(sql) == .postgres ? "CAST(SUM(%@) AS BIGINT)" : "SUM(%@)"
        func total(_ column: String) -> String { sum.replacingOccurrences(of: "%@", with: "e.\(column)") }
        let query: SQLQueryString =
            """
            SELECT d.id, d.ref, d.client_id, d.debtor_id, d.currency, d.due_on, d.disputed, p.kind, p.ref AS debtor_ref, \
            p.name AS debtor_name, p.language, \(unsafeRaw: total("principal")) AS principal, \
            \(unsafeRaw: total("interest")) AS interest, \(unsafeRaw: total("fees")) AS fees, \
            \(unsafeRaw: total("total")) AS balance FROM debts d JOIN debtors p ON p.id = d.debtor_id \
            JOIN ledger_entries e ON e.debt_id = d.id AND e.effective_on <= \(bind: day) \
            WHERE d.debtor_id >= \(bind: chunk * size) AND d.debtor_id < \(bind: (chunk + 1) * size) \
            AND d.charged_on <= \(bind: day)
            """ + clientFilter
                + """
                 GROUP BY d.id, d.ref, d.client_id, d.debtor_id, d.currency, d.due_on, d.disputed, p.kind, p.ref, p.name, \
                p.language \
                HAVING SUM(e.total) > 0
                """
        let columns = [
            "id", "ref", "client_id", "debtor_id", "currency", "due_on", "disputed", "kind", "debtor_ref",
            "debtor_name", "language",
            "principal", "interest", "fees", "balance",
        ]
        // A portfolio has few currencies: each code is read once.
        var currencies: [String: Currency] = [:]
        return try await sql.runRows(query, columns: columns, orderBy: ["d.debtor_id", "d.id"]).map { row in
            let code = try row.string("currency")
            let currency = try currencies[code] ?? Currency(code: code)
            currencies[code] = currency
            return OpenDebt(
                key: SegmentStore.DebtKey(
                    id: try row.int64("id"), ref: try row.string("ref"), debtorID: try row.int64("debtor_id"),
                    currency: currency, disputed: try row.bool("disputed"), balance: try row.int64("balance"),
                    debtorKind: DebtorKind(rawValue: try row.string("kind")) ?? .consumer),
                clientID: try row.int64("client_id"), debtorRef: try row.string("debtor_ref"),
                debtorName: try row.string("debtor_name"),
                language: try row.optionalString("language").flatMap(MessageLanguage.init(rawValue:)) ?? .en,
                dueOn: LocalDate(daysSinceEpoch: try row.int("due_on")),
                principal: try row.int64("principal"), interest: try row.int64("interest"), fees: try row.int64("fees"))
        }
    }

    /// A hold in force (cease, dispute until verified, attorney, bankruptcy), in words: at the end of the run's day,
    /// or now when the run's day is past: what is known today of a debt (a dispute in the client's file, marked when
    /// it was imported) holds for a run on an earlier date too.
    func activeHold(_ debt: OpenDebt, facts: SegmentStore.BatchFacts, zone: TimeZone) -> String? {
        let endOfDay = max(ContactScheduling.startOfDay(asOf.adding(days: 1), in: zone), context.now)
        let holds = ContactHolds.holds(
            of: debt.key.ref, events: facts.events[debt.key.debtorID] ?? [],
            disputedInFileSince: debt.key.disputed ? facts.fileDisputes[debt.key.debtorID]?[debt.key.ref] : nil,
            asOf: endOfDay)
        // An opt-out closes one channel only: the compliance check of each contact enforces it.
        guard let hold = holds.first(where: { $0.isActive && $0.kind != .optOut }) else { return nil }
        switch hold.kind {
        case .dispute: return "disputed: the strategy waits until verification is sent"
        case .cease: return "the debtor asked us to stop contacting them: no collection contact"
        case .attorney: return "the debtor is represented by an attorney: contact the attorney, not the debtor"
        case .bankruptcy: return "in bankruptcy: the automatic stay stops collection"
        case .optOut: return nil
        }
    }

    func payments(
        _ ledger: [(kind: String, on: LocalDate, amount: Int64, key: String, reverses: String?)]
    ) -> [ArrangementPayment] {
        let reversed = Set(ledger.compactMap { $0.kind == "payment_reversal" ? $0.reverses : nil })
        return ledger.filter { $0.kind == "payment" && !reversed.contains($0.key) && $0.on <= asOf }.map {
            ArrangementPayment(on: $0.on, amount: $0.amount, key: $0.key)
        }
    }

    /// Where the debt stands with what was agreed: an active arrangement (the strategy waits while it is kept), a
    /// pending promise (it waits until the promise is due), the latest of them broken, or nothing agreed.
    static func state(
        promises: [PromiseToPay], arrangements: [(state: ArrangementState, on: LocalDate)],
        payments: [ArrangementPayment], asOf: LocalDate
    ) -> (state: StrategyDebtState, why: String) {
        let current = arrangements.filter { $0.on <= asOf }
        if current.last?.state == .active {
            return (.arranged, "a payment plan is active and kept: the strategy waits while it is")
        }
        let made = promises.filter { $0.madeOn <= asOf }
        if let promise = made.last {
            switch promise.evaluate(payments: payments, asOf: asOf) {
            case .pending:
                return (.promised, "a promise to pay is due \(promise.due.isoString): the strategy waits until then")
            case .broken, .partiallyKept:
                return (.broken, "the promise due \(promise.due.isoString) was broken")
            case .kept: break
            }
        }
        if current.last?.state == .broken { return (.broken, "the payment plan was broken") }
        return (.open, "")
    }

    static func isContact(_ kind: ContactEvent.Kind) -> Bool {
        switch kind {
        case .call, .sms, .email, .letter: true
        default: false
        }
    }
}
