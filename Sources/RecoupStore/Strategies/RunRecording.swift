import Foundation
import RecoupCore
import SQLKit

/// Checking and recording what the run decided: messages (one per debtor and client), calls and tasks (work items),
/// placements and waits.
extension ChunkWorker {
    /// One message covering `group`'s debts at `lead`'s step, written at once (a step by hand).
    mutating func message(
        _ group: [Planned], lead: Planned, channel: MessageChannel, profile: DebtorContactProfile,
        facts: SegmentStore.BatchFacts, askedForDetails: inout Set<Int64>
    ) async throws {
        try await queueMessage(
            group, lead: lead, channel: channel, profile: profile, facts: facts, askedForDetails: &askedForDetails)
        try await flush()
    }

    /// A step that sends no message, written at once (a step by hand).
    mutating func single(
        _ item: Planned, profile: DebtorContactProfile, facts: SegmentStore.BatchFacts,
        askedForDetails: inout Set<Int64>
    ) async throws {
        try await queueSingle(item, profile: profile, facts: facts, askedForDetails: &askedForDetails)
        try await flush()
    }

    /// One message covering `group`'s debts at `lead`'s step, checked and rendered now and written by `flush`.
    mutating func queueMessage(
        _ group: [Planned], lead: Planned, channel: MessageChannel, profile: DebtorContactProfile,
        facts: SegmentStore.BatchFacts, askedForDetails: inout Set<Int64>
    ) async throws {
        guard
            let draft = try await prepareMessage(
                group, lead: lead, channel: channel, profile: profile, facts: facts, askedForDetails: &askedForDetails)
        else { return }
        finishMessage(draft, rendered: draft.render())
    }

    /// A message checked and addressed, before it is rendered: its group, where and when it goes, and what it says.
    struct MessageDraft: Sendable {
        var group: [Planned]
        var lead: Planned
        var channel: MessageChannel
        var recipient: String
        var sendAt: Date
        var profile: DebtorContactProfile
        var template: String
        var context: MessageContext
        var language: MessageLanguage
        var clientID: Int64
        var book: TemplateBook

        /// Renders and checks the message (pure: the run renders a chunk's messages on all cores at once).
        func render() -> Result<RenderedMessage, any Error> {
            Result {
                try MessageTemplates.render(
                    template, channel: channel, language: language, context: context, book: book, client: clientID)
            }
        }
    }

    /// The first half of `queueMessage`: the debtor's address for the channel (or, missing, the debts recorded as
    /// unreachable and the client asked), the compliance check at the planned moment (blocked: the debts blocked),
    /// the portal link and the values the template renders; nil when the group is dealt with already.
    mutating func prepareMessage(
        _ group: [Planned], lead: Planned, channel: MessageChannel, profile: DebtorContactProfile,
        facts: SegmentStore.BatchFacts, askedForDetails: inout Set<Int64>
    ) async throws -> MessageDraft? {
        let debtor = lead.debt.key.debtorID
        if lead.plan.step.id != Self.validationStepID, group.contains(where: { awaitsValidationNotice($0.debt) }) {
            holdForValidationNotice(group)
            return nil
        }
        guard let recipient = Self.recipient(channel, profile: profile) else {
            let missing =
                switch channel {
                case .email: "no email address"
                case .sms: "no mobile number"
                case .letter, .voicemail: "no postal address"
                }
            let asked = askForDetails(lead, askedForDetails: &askedForDetails)
            for item in group {
                let reason =
                    "\(Self.when(item, asOf: asOf)): \(item.plan.step.action.rawValue.replacingOccurrences(of: "_", with: " ")) "
                    + "not sent, the debtor cannot be reached: \(missing) on file"
                    + (asked ? "; the client is asked for contact details" : "")
                record(item, reason: reason, plannedAt: nil, reachable: false)
            }
            return nil
        }
        let client = context.clients[lead.debt.clientID]
        guard let contactAction = lead.plan.step.action.contactAction(channel: channel) else { return nil }
        let isNotice = lead.plan.step.id == Self.validationStepID
        let purpose: ContactPurpose =
            isNotice ? .validationNotice : (lead.plan.step.action == .finalNotice ? .demand : .collection)
        let request = ComplianceRequest(
            at: ContactScheduling.startOfDay(asOf, in: context.request.zone), action: contactAction,
            debtID: lead.debt.key.ref, to: channel == .letter ? nil : recipient, purpose: purpose, debtor: profile,
            events: history(debtor, facts),
            disputedInFileSince: lead.debt.key.disputed ? facts.fileDisputes[debtor]?[lead.debt.key.ref] : nil,
            validationNotice: validationFacts(lead.debt))
        let sendAt: Date
        switch ContactScheduling.schedule(request, on: asOf, notBefore: context.request.notBefore) {
        case .at(let instant): sendAt = instant
        case .blocked(let decision):
            let firing = decision.findings.filter { $0.effect != .allow }
            for item in group {
                block(item, rules: firing.map(\.rule.rawValue), reason: firing.map(\.reason).joined(separator: " "))
            }
            return nil
        }
        var portalLink: String? = nil
        if let base = context.request.publicURL {
            if dryRun {
                portalLink = base + "/portal/preview"
            } else {
                let link = try await PortalLinks.insert(
                    debtorID: debtor, days: context.request.portalLinkDays, now: context.now, sql: sql)
                portalLink = base + "/portal/" + link.token
            }
        }
        let items = group.map(\.debt).sorted { $0.key.ref < $1.key.ref }.map {
            MessageContext.Item(
                ref: $0.key.ref, dueOn: $0.dueOn, principal: $0.principal, interest: $0.interest, fees: $0.fees,
                total: $0.key.balance)
        }
        let creditor = client?.name ?? "the creditor"
        let writer = client?.terms.collectorName ?? creditor
        var messageContext = MessageContext(
            debtorName: lead.debt.debtorName, currency: lead.debt.key.currency, items: items, asOf: asOf,
            creditorName: creditor, writerName: writer, collectingForAnother: writer != creditor,
            profile: client?.profile ?? ClientProfile(), portalLink: portalLink)
        if isNotice { messageContext.validation = try await validationDetails(lead.debt) }
        if lead.plan.step.action == .offerPlan, let total = messageContext.totalOwed, let client {
            messageContext.planOffer = Self.planOffer(
                total: total, terms: client.terms, currency: lead.debt.key.currency)
        }
        let template =
            lead.plan.step.template ?? MessageTemplates.defaultTemplate(for: lead.plan.step.action) ?? "reminder"
        return MessageDraft(
            group: group, lead: lead, channel: channel, recipient: recipient, sendAt: sendAt, profile: profile,
            template: template, context: messageContext, language: lead.debt.language, clientID: lead.debt.clientID,
            book: context.templates)
    }

    /// The second half of `queueMessage`, once the message is rendered: blocked when it cannot be rendered or fails
    /// the message check, else queued with its debts' actions.
    mutating func finishMessage(_ draft: MessageDraft, rendered result: Result<RenderedMessage, any Error>) {
        let (group, lead, channel, template) = (draft.group, draft.lead, draft.channel, draft.template)
        let debtor = lead.debt.key.debtorID
        let rendered: RenderedMessage
        switch result {
        case .success(let message): rendered = message
        case .failure(let error):
            for item in group { block(item, rules: ["template"], reason: "the message cannot be rendered: \(error)") }
            return
        }
        guard rendered.lint.ok else {
            let errors = rendered.lint.findings.filter { $0.severity == .error }
            for item in group {
                block(
                    item, rules: errors.map(\.rule),
                    reason: "the rendered message fails the message check: "
                        + errors.map(\.message).joined(separator: " "))
            }
            return
        }
        // The run's one message per debtor, client and day is kept once by its key; a person's step by hand (no
        // run) is a message of its own, kept once by its form.
        pending.messages.append(
            PendingWrites.Message(
                clientID: lead.debt.clientID, debtorID: debtor, channel: channel.rawValue, recipient: draft.recipient,
                subject: rendered.subject, body: rendered.body, template: template, sendAfter: draft.sendAt,
                stepID: lead.plan.step.id,
                dedupe: context.runID.map { _ in
                    "run:\(asOf.isoString):\(lead.debt.clientID):\(debtor)"
                        + (lead.plan.step.id == Self.validationStepID ? ":notice:\(lead.debt.key.id)" : "")
                }))
        let message = pending.messages.count - 1
        for item in group {
            let covering = group.count > 1 ? " (one message for \(group.count) debts)" : ""
            let reason =
                "\(Self.when(item, asOf: asOf)): \(channel.rawValue) \"\(template)\" queued for \(Self.time(draft.sendAt, profile: draft.profile))"
                + covering
            record(item, reason: reason, message: message, plannedAt: draft.sendAt, reachable: true)
        }
    }

    /// A step that sends no message: a call or voicemail (a work item, checked first), a task, a hand-over, a wait;
    /// checked now and written by `flush`.
    mutating func queueSingle(
        _ item: Planned, profile: DebtorContactProfile, facts: SegmentStore.BatchFacts,
        askedForDetails: inout Set<Int64>
    ) async throws {
        let step = item.plan.step
        let debtor = item.debt.key.debtorID
        switch step.action {
        case .call, .voicemail:
            // A call is a communication: it waits for the validation notice (tasks and hand-overs do not).
            if awaitsValidationNotice(item.debt) {
                holdForValidationNotice([item])
                return
            }
            guard let phone = Self.phone(profile) else {
                let asked = askForDetails(item, askedForDetails: &askedForDetails)
                let reason =
                    "\(Self.when(item, asOf: asOf)): \(step.action.rawValue) not possible, the debtor cannot be reached: no phone number on file"
                    + (asked ? "; the client is asked for contact details" : "")
                record(item, reason: reason, plannedAt: nil, reachable: false)
                return
            }
            let request = ComplianceRequest(
                at: ContactScheduling.startOfDay(asOf, in: context.request.zone),
                action: step.action == .call ? .call : .voicemail, debtID: item.debt.key.ref, to: phone,
                debtor: profile, events: history(debtor, facts),
                disputedInFileSince: item.debt.key.disputed
                    ? facts.fileDisputes[debtor]?[item.debt.key.ref] : nil, validationNotice: validationFacts(item.debt)
            )
            switch ContactScheduling.schedule(request, on: asOf, notBefore: context.request.notBefore) {
            case .blocked(let decision):
                let firing = decision.findings.filter { $0.effect != .allow }
                block(item, rules: firing.map(\.rule.rawValue), reason: firing.map(\.reason).joined(separator: " "))
            case .at(let instant):
                let reason =
                    "\(Self.when(item, asOf: asOf)): \(step.action.rawValue) in the collectors' queue from \(Self.time(instant, profile: profile))"
                if let action = record(item, reason: reason, plannedAt: instant, reachable: true) {
                    pending.follows.append((action, .workItem(kind: step.action.rawValue, reason: reason)))
                }
            }
        case .requestContactDetails, .skipTrace, .legalReview:
            let what =
                switch step.action {
                case .requestContactDetails: "the client is asked for the debtor's contact details"
                case .skipTrace: "a skip-trace task to find the debtor"
                default: "a legal review task"
                }
            // One open request for contact details per debtor, whichever debt asks.
            let asked = step.action == .requestContactDetails && askedForDetails.contains(debtor)
            let reason =
                "\(Self.when(item, asOf: asOf)): \(what)"
                + (asked ? " (already asked: one request covers the debtor)" : "")
            if let action = record(item, reason: reason, plannedAt: nil, reachable: true), !asked {
                pending.follows.append((action, .workItem(kind: step.action.rawValue, reason: reason)))
            }
            if step.action == .requestContactDetails { askedForDetails.insert(debtor) }
        case .placeWithAgency:
            let agency = step.agency ?? "agency"
            let reason =
                "\(Self.when(item, asOf: asOf)): handed to \(agency); the client's strategy stops for this debt"
            if let action = record(item, reason: reason, plannedAt: nil, reachable: true) {
                // Checked as `PlacementStore.place` checks (a validated strategy's agency and rate always read).
                pending.follows.append(
                    (
                        action,
                        .placement(
                            agency: try PlacementStore.checkedAgency(agency),
                            percent: try PlacementStore.checkedContingency(step.contingencyPercent))
                    ))
            }
        case .wait:
            record(item, reason: "\(Self.when(item, asOf: asOf)): wait", plannedAt: nil, reachable: true)
        case .email, .sms, .letter, .offerPlan, .finalNotice:
            break
        }
    }

    /// Opens a task asking the client for the debtor's contact details, once per debtor while one is open; true when
    /// one is open (now or before).
    mutating func askForDetails(_ item: Planned, askedForDetails: inout Set<Int64>) -> Bool {
        let debtor = item.debt.key.debtorID
        if askedForDetails.contains(debtor) { return true }
        askedForDetails.insert(debtor)
        summary.count("task", "request_contact_details")
        guard !dryRun else { return true }
        pending.detailRequests.append(item)
        return true
    }

    /// Records the action (and the occurrences it skips) when the chunk is written (`flush`); returns its place among
    /// the writes, for what follows from it (a work item, a placement), or nil in a dry run.
    @discardableResult
    mutating func record(
        _ item: Planned, reason: String, message: Int? = nil, plannedAt: Date?, reachable: Bool
    ) -> Int? {
        let step = item.plan.step
        let messageID = message.flatMap { index in
            dryRun ? "planned-\(pending.messages[index].clientID)-\(pending.messages[index].debtorID)" : nil
        }
        output.actions.append(
            RunAction(
                debtID: item.debt.key.id, debtRef: item.debt.key.ref,
                clientRef: context.clients[item.debt.clientID]?.ref ?? "", debtorRef: item.debt.debtorRef,
                action: step.action, step: step.id, occurrence: item.plan.occurrence.occurrence,
                scheduledOn: item.plan.occurrence.scheduledOn, segment: item.segment, reason: reason,
                messageID: messageID, plannedAt: plannedAt, reachable: reachable, id: nil))
        pending.actions.append(
            PendingWrites.Action(
                item: item, reason: reason, message: message, plannedAt: plannedAt, output: output.actions.count - 1))
        return dryRun ? nil : pending.actions.count - 1
    }

    mutating func block(_ item: Planned, rules: [String], reason: String) {
        summary.blocked += 1
        for rule in rules { summary.count("rule", rule) }
        output.blocked.append(
            RunBlockedAction(
                debtID: item.debt.key.id, debtRef: item.debt.key.ref,
                clientRef: context.clients[item.debt.clientID]?.ref ?? "", action: item.plan.step.action,
                step: item.plan.step.id, rules: rules, reason: reason))
        guard let runID = context.runID else { return }
        blockedRows.append((runID, item, rules, reason))
    }

    // MARK: Writing

    /// Writes what was queued since the last flush, a few multi-row statements per kind of row: the messages, the
    /// actions (an action already there, from a run at the same time, is not written again and counts as already
    /// done), the occurrences they skip, their work items and placements, the requests for contact details and the
    /// blocked actions. Counts what was created; in a dry run only counts.
    mutating func flush() async throws {
        defer { pending = PendingWrites() }
        var created = Array(repeating: !dryRun ? Int64?.none : 0, count: pending.actions.count)
        var messageIDs: [Int64] = []
        if !dryRun {
            messageIDs = try await writeMessages()
            created = try await writeActions(messageIDs: messageIDs)
            try await writeSkipped(created: created)
            try await writeFollows(created: created)
            try await writeDetailRequests()
            try await storeBlocked()
        }
        var dropped = Set<Int>()
        for (index, action) in pending.actions.enumerated() {
            guard let id = created[index] else {
                summary.alreadyDone += 1
                dropped.insert(action.output)
                continue
            }
            if !dryRun {
                output.actions[action.output].id = id
                output.actions[action.output].messageID = action.message.map { String(messageIDs[$0]) }
            }
            let step = action.item.plan.step
            summary.created += 1
            summary.skipped += action.item.plan.skipped.count
            summary.count("action", step.action.rawValue)
            summary.count("step", step.id)
            summary.count("segment", action.item.segment.rawValue)
        }
        if dryRun { summary.messages += pending.messages.count }
        if !dropped.isEmpty {
            output.actions = output.actions.enumerated().filter { !dropped.contains($0.offset) }.map(\.element)
        }
    }

    /// Inserts the queued messages; returns each one's id, the existing message's for one the run's key finds there.
    private mutating func writeMessages() async throws -> [Int64] {
        var ids = Array(repeating: Int64(0), count: pending.messages.count)
        let messages = pending.messages
        // A message of no run (a step by hand) has no key to find it by: it is written by itself.
        let keyed = messages.indices.filter { messages[$0].dedupe != nil }
        let unkeyed = messages.indices.filter { messages[$0].dedupe == nil }
        var found: [String: Int64] = [:]
        for rows in [keyed] + unkeyed.map({ [$0] }) where !rows.isEmpty {
            let returned = try await insert(
                "INSERT INTO outbox_messages (client_id, debtor_id, channel, recipient, subject, body, template, status, "
                    + "send_after, as_of, step_id, run_id, created_at, dedupe_key) VALUES ",
                rows: rows, binds: 13,
                suffix: " ON CONFLICT (dedupe_key) DO NOTHING RETURNING id, dedupe_key"
            ) { index, statement in
                let message = messages[index]
                statement.bind(message.clientID)
                statement.sql(", ")
                statement.bind(message.debtorID)
                statement.sql(", ")
                statement.bind(message.channel)
                statement.sql(", ")
                statement.bind(message.recipient)
                statement.sql(", ")
                statement.bind(optional: message.subject)
                statement.sql(", ")
                statement.bind(message.body)
                statement.sql(", ")
                statement.bind(message.template)
                statement.sql(", 'queued', ")
                statement.bind(message.sendAfter)
                statement.sql(", ")
                statement.bind(Int64(asOf.daysSinceEpoch))
                statement.sql(", ")
                statement.bind(message.stepID)
                statement.sql(", ")
                statement.bind(context.runID)
                statement.sql(", ")
                statement.bind(context.now)
                statement.sql(", ")
                statement.bind(optional: message.dedupe)
            }
            summary.messages += returned.count
            if rows.count == 1, messages[rows[0]].dedupe == nil {
                guard let id = returned.first?.integer("id") else {
                    throw StoreError.invalid("the message for debtor \(messages[rows[0]].debtorID) was not stored")
                }
                ids[rows[0]] = id
                continue
            }
            for row in returned {
                if let key = row.text("dedupe_key"), let id = row.integer("id") { found[key] = id }
            }
        }
        // Messages the run's key found there (a run at the same time wrote them).
        let missing = keyed.compactMap { messages[$0].dedupe }.filter { found[$0] == nil }
        for start in stride(from: 0, to: missing.count, by: 500) {
            let keys = SQLQueryString.boundList(missing[start..<min(missing.count, start + 500)])
            for row in try await sql.runRows("SELECT id, dedupe_key FROM outbox_messages WHERE dedupe_key IN (\(keys))")
            {
                found[try row.string("dedupe_key")] = try row.int64("id")
            }
        }
        for index in keyed {
            guard let id = found[messages[index].dedupe!] else {
                throw StoreError.invalid("the message for debtor \(messages[index].debtorID) was not stored")
            }
            ids[index] = id
        }
        return ids
    }

    /// Inserts the queued actions; returns each one's new id, nil for one that was there already.
    private mutating func writeActions(messageIDs: [Int64]) async throws -> [Int64?] {
        let actions = pending.actions
        let returned = try await insert(
            "INSERT INTO strategy_actions (debt_id, step_id, occurrence, scheduled_on, status, action, strategy_id, "
                + "run_id, as_of, segment, reason, message_id, planned_at, created_by, created_at) VALUES ",
            rows: Array(actions.indices), binds: 14,
            suffix: " ON CONFLICT (debt_id, step_id, occurrence) DO NOTHING RETURNING id, debt_id, step_id, occurrence"
        ) { index, statement in
            let action = actions[index]
            let item = action.item
            statement.bind(item.debt.key.id)
            statement.sql(", ")
            statement.bind(item.plan.step.id)
            statement.sql(", ")
            statement.bind(Int64(item.plan.occurrence.occurrence))
            statement.sql(", ")
            statement.bind(Int64(item.plan.occurrence.scheduledOn.daysSinceEpoch))
            statement.sql(", 'created', ")
            statement.bind(item.plan.step.action.rawValue)
            statement.sql(", ")
            statement.bind(item.strategy.id)
            statement.sql(", ")
            statement.bind(context.runID)
            statement.sql(", ")
            statement.bind(Int64(asOf.daysSinceEpoch))
            statement.sql(", ")
            statement.bind(item.segment.rawValue)
            statement.sql(", ")
            statement.bind(action.reason)
            statement.sql(", ")
            statement.bind(action.message.map { messageIDs[$0] })
            statement.sql(", ")
            statement.bind(optional: action.plannedAt)
            statement.sql(", ")
            statement.bind(optional: context.request.startedBy)
            statement.sql(", ")
            statement.bind(context.now)
        }
        var ids: [ActionKey: Int64] = [:]
        for row in returned {
            guard let id = row.integer("id"), let debtID = row.integer("debt_id"), let step = row.text("step_id"),
                let occurrence = row.integer("occurrence")
            else { throw StoreError.invalid("the run's actions were stored without their keys") }
            ids[ActionKey(debtID: debtID, step: step, occurrence: Int(occurrence))] = id
        }
        return actions.map {
            ids[
                ActionKey(
                    debtID: $0.item.debt.key.id, step: $0.item.plan.step.id,
                    occurrence: $0.item.plan.occurrence.occurrence)]
        }
    }

    private struct ActionKey: Hashable {
        var debtID: Int64
        var step: String
        var occurrence: Int
    }

    /// The occurrences the created actions passed over on their own day, recorded as skipped so that they never
    /// happen. Those of earlier days are not recorded: they fall before the step done, which the planner never goes
    /// back behind (the debt page shows them as passed over). A first run over a portfolio years late would
    /// otherwise record several for every debt.
    private func writeSkipped(created: [Int64?]) async throws {
        var skipped: [(PendingWrites.Action, StepOccurrence)] = []
        for (index, action) in pending.actions.enumerated() where created[index] != nil {
            let day = action.item.plan.occurrence.scheduledOn
            for occurrence in action.item.plan.skipped where occurrence.scheduledOn == day {
                skipped.append((action, occurrence))
            }
        }
        _ = try await insert(
            "INSERT INTO strategy_actions (debt_id, step_id, occurrence, scheduled_on, status, action, strategy_id, "
                + "run_id, as_of, segment, reason, created_by, created_at) VALUES ",
            rows: Array(skipped.indices), binds: 12, suffix: " ON CONFLICT (debt_id, step_id, occurrence) DO NOTHING"
        ) { index, statement in
            let (action, occurrence) = skipped[index]
            let item = action.item
            statement.bind(item.debt.key.id)
            statement.sql(", ")
            statement.bind(occurrence.stepID)
            statement.sql(", ")
            statement.bind(Int64(occurrence.occurrence))
            statement.sql(", ")
            statement.bind(Int64(occurrence.scheduledOn.daysSinceEpoch))
            statement.sql(", 'skipped', ")
            statement.bind(Self.action(of: occurrence.stepID, in: item))
            statement.sql(", ")
            statement.bind(item.strategy.id)
            statement.sql(", ")
            statement.bind(context.runID)
            statement.sql(", ")
            statement.bind(Int64(asOf.daysSinceEpoch))
            statement.sql(", ")
            statement.bind(item.segment.rawValue)
            statement.sql(", ")
            statement.bind(
                "skipped: fell due \(occurrence.scheduledOn.isoString) with no run since; \(item.plan.step.id) done instead"
            )
            statement.sql(", ")
            statement.bind(optional: context.request.startedBy)
            statement.sql(", ")
            statement.bind(context.now)
        }
    }

    /// The work items and placements of the created actions.
    private mutating func writeFollows(created: [Int64?]) async throws {
        var items: [(PendingWrites.Action, actionID: Int64, kind: String, reason: String)] = []
        var placements:
            [(PendingWrites.Action, actionID: Int64, agency: String, percent: String?, owed: ComponentAmounts)] = []
        for (index, follow) in pending.follows {
            guard let actionID = created[index] else { continue }
            let action = pending.actions[index]
            switch follow {
            case .workItem(let kind, let reason): items.append((action, actionID, kind, reason))
            case .placement(let agency, let percent):
                // What the debt owes on the run's date, as the run read it: the placement's balance
                // (`PlacementStore.place` reads the same sums of the ledger).
                let debt = action.item.debt
                let owed = ComponentAmounts(principal: debt.principal, interest: debt.interest, fees: debt.fees)
                guard
                    case .placeable = PlacementStore.placeability(
                        ref: debt.key.ref, currency: debt.key.currency, owed: owed, on: asOf)
                else { continue }
                placements.append((action, actionID, agency, percent, owed))
            }
        }
        _ = try await insert(
            "INSERT INTO work_items (kind, debt_id, debtor_id, client_id, action_id, reason, due_on, status, created_at) "
                + "VALUES ",
            rows: Array(items.indices), binds: 8, suffix: " ON CONFLICT (action_id) DO NOTHING"
        ) { index, statement in
            let (action, actionID, kind, reason) = items[index]
            statement.bind(kind)
            statement.sql(", ")
            statement.bind(action.item.debt.key.id)
            statement.sql(", ")
            statement.bind(action.item.debt.key.debtorID)
            statement.sql(", ")
            statement.bind(action.item.debt.clientID)
            statement.sql(", ")
            statement.bind(actionID)
            statement.sql(", ")
            statement.bind(reason)
            statement.sql(", ")
            statement.bind(Int64(asOf.daysSinceEpoch))
            statement.sql(", 'open', ")
            statement.bind(context.now)
        }
        let placed = try await insert(
            "INSERT INTO placements (debt_id, agency, placed_on, balance_at_placement, currency, contingency_percent, "
                + "action_id, created_by, created_at) VALUES ",
            rows: Array(placements.indices), binds: 9, suffix: " ON CONFLICT DO NOTHING RETURNING agency"
        ) { index, statement in
            let (action, actionID, agency, percent, owed) = placements[index]
            statement.bind(action.item.debt.key.id)
            statement.sql(", ")
            statement.bind(agency)
            statement.sql(", ")
            statement.bind(Int64(asOf.daysSinceEpoch))
            statement.sql(", ")
            statement.bind(owed.total)
            statement.sql(", ")
            statement.bind(action.item.debt.key.currency.code)
            statement.sql(", ")
            statement.bind(optional: percent)
            statement.sql(", ")
            statement.bind(actionID)
            statement.sql(", ")
            statement.bind(optional: context.request.startedBy)
            statement.sql(", ")
            statement.bind(context.now)
        }
        // The command writes each agency's placement file after the run (PlacementFile.writeFiles).
        for row in placed { summary.count("placed", row.text("agency") ?? "") }
    }

    /// The requests for contact details (one per debtor while one is open).
    private func writeDetailRequests() async throws {
        let items = pending.detailRequests
        _ = try await insert(
            "INSERT INTO work_items (kind, debt_id, debtor_id, client_id, reason, due_on, status, created_at) VALUES ",
            rows: Array(items.indices), binds: 6, suffix: ""
        ) { index, statement in
            let item = items[index]
            statement.sql("'request_contact_details', ")
            statement.bind(item.debt.key.id)
            statement.sql(", ")
            statement.bind(item.debt.key.debtorID)
            statement.sql(", ")
            statement.bind(item.debt.clientID)
            statement.sql(", ")
            statement.bind(
                "No way to reach \(item.debt.debtorName) is on file: ask the client for their contact details.")
            statement.sql(", ")
            statement.bind(Int64(asOf.daysSinceEpoch))
            statement.sql(", 'open', ")
            statement.bind(context.now)
        }
    }

    /// Writes the blocked actions.
    mutating func storeBlocked() async throws {
        let rows = blockedRows
        blockedRows = []
        _ = try await insert(
            "INSERT INTO run_blocked (run_id, debt_id, step_id, occurrence, action, rules, reason, as_of) VALUES ",
            rows: Array(rows.indices), binds: 8, suffix: ""
        ) { index, statement in
            let (runID, item, rules, reason) = rows[index]
            statement.bind(runID)
            statement.sql(", ")
            statement.bind(item.debt.key.id)
            statement.sql(", ")
            statement.bind(item.plan.step.id)
            statement.sql(", ")
            statement.bind(Int64(item.plan.occurrence.occurrence))
            statement.sql(", ")
            statement.bind(item.plan.step.action.rawValue)
            statement.sql(", ")
            statement.bind(rules.joined(separator: ","))
            statement.sql(", ")
            statement.bind(reason)
            statement.sql(", ")
            statement.bind(Int64(asOf.daysSinceEpoch))
        }
    }

    /// Runs `head` followed by `rows`' value lists and `suffix`, in as few statements as the databases' limits on
    /// parameters allow (each row binds at most `binds` values); returns what `RETURNING` gives.
    private func insert(
        _ head: String, rows: [Int], binds: Int, suffix: String,
        row: (Int, inout BulkStatement) -> Void
    ) async throws -> [BulkRow] {
        var returned: [BulkRow] = []
        let perStatement = max(1, 30_000 / binds)
        for start in stride(from: 0, to: rows.count, by: perStatement) {
            var statement = BulkStatement(SQLFlavor(sql))
            statement.sql(head)
            for (position, index) in rows[start..<min(rows.count, start + perStatement)].enumerated() {
                statement.sql(position == 0 ? "(" : ", (")
                row(index, &statement)
                statement.sql(")")
            }
            statement.sql(suffix)
            returned += try await statement.rows(on: sql)
        }
        return returned
    }

    // MARK: Words and addresses

    /// "12 days past due (due 2013-06-02), step reminder-1".
    static func when(_ item: Planned, asOf: LocalDate) -> String {
        let step = item.plan.step
        let repeatNote = item.plan.occurrence.occurrence > 0 ? ", repeat \(item.plan.occurrence.occurrence)" : ""
        let stepDay =
            step.day < 0
            ? "\(-step.day) day\(step.day == -1 ? "" : "s") before the due date"
            : step.day == 0 ? "the due date" : "day \(step.day)"
        let days = asOf.days(since: item.debt.dueOn)
        let position =
            days < 0
            ? "due in \(-days) day\(days == -1 ? "" : "s") (\(item.debt.dueOn.isoString))"
            : days == 0
                ? "due today (\(item.debt.dueOn.isoString))"
                : "\(days) day\(days == 1 ? "" : "s") past due (due \(item.debt.dueOn.isoString))"
        if step.id == validationStepID {
            let attempt = item.plan.occurrence.occurrence > 1 ? " (sent again: the last one did not go)" : ""
            return "the validation notice, an agency's first communication\(attempt), \(position), "
                + "\(item.segment.rawValue) debtor"
        }
        return "step \(step.id) (\(stepDay)\(repeatNote)), \(position), \(item.segment.rawValue) debtor"
    }

    /// The instant in the debtor's primary zone, as "2013-06-14 08:00 in America/New_York".
    static func time(_ instant: Date, profile: DebtorContactProfile) -> String {
        let zone = DebtorTimeZones.primary(profile).zone
        let local = ContactScheduling.day(of: instant, in: zone)
        let seconds = Int(instant.timeIntervalSince(ContactScheduling.startOfDay(local, in: zone)))
        return String(
            format: "%@ %02d:%02d in %@", local.isoString, seconds / 3600, seconds % 3600 / 60, zone.identifier)
    }

    static func action(of stepID: String, in item: Planned) -> String {
        guard item.strategy.strategy.tracks.indices.contains(item.plan.track) else {
            return item.plan.step.action.rawValue
        }
        let track = item.strategy.strategy.tracks[item.plan.track]
        return track.steps.first { $0.id == stepID }?.action.rawValue ?? "unknown"
    }

    /// The address a message by `channel` goes to: a personal email before a work one, a mobile for texts, the home
    /// address for letters; nil when there is none.
    static func recipient(_ channel: MessageChannel, profile: DebtorContactProfile) -> String? {
        switch channel {
        case .email:
            return profile.emails.first { !profile.workEmails.contains($0) } ?? profile.emails.first
        case .sms:
            return profile.phones.first { $0.type == .mobile }?.number
        case .letter, .voicemail:
            guard let address = profile.addresses.first(where: { $0.type == .home }) ?? profile.addresses.first
            else { return nil }
            return [address.line1, address.city, address.state, address.postalCode, address.country]
                .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
        }
    }

    /// The number to call: a mobile or home number before any other.
    static func phone(_ profile: DebtorContactProfile) -> String? {
        (profile.phones.first { $0.type == .mobile || $0.type == .home } ?? profile.phones.first)?.number
    }

    /// A plan within the client's terms: as many monthly installments as the terms allow (at most 12), each at least
    /// the terms' minimum.
    static func planOffer(total: Int64, terms: ClientTerms, currency: Currency) -> MessageContext.PlanOffer? {
        guard total > 0 else { return nil }
        var count = Int64(min(terms.plan.maxInstallments ?? 12, terms.plan.maxMonths ?? 12, 12))
        count = max(1, count)
        if terms.currency == currency, let minimum = terms.plan.minInstallment, minimum > 0 {
            count = max(1, min(count, total / minimum))
        }
        let installment = (total + count - 1) / count
        return MessageContext.PlanOffer(installment: installment, installments: Int(count))
    }
}

/// What a chunk writes, queued while it is decided and written by `ChunkWorker.flush`.
struct PendingWrites {
    struct Message {
        var clientID: Int64
        var debtorID: Int64
        var channel: String
        var recipient: String
        var subject: String?
        var body: String
        var template: String
        var sendAfter: Date
        var stepID: String
        /// The run's key for its one message per debtor, client and day; nil for a step by hand.
        var dedupe: String?
    }

    struct Action {
        var item: ChunkWorker.Planned
        var reason: String
        /// The message that carries it (its place in `messages`).
        var message: Int?
        var plannedAt: Date?
        /// Its place in the chunk's output.
        var output: Int
    }

    /// What follows from an action once it is created.
    enum Follow {
        case workItem(kind: String, reason: String)
        case placement(agency: String, percent: String?)
    }

    var messages: [Message] = []
    var actions: [Action] = []
    /// Each with its action's place in `actions`.
    var follows: [(Int, Follow)] = []
    var detailRequests: [ChunkWorker.Planned] = []
}

extension BulkStatement {
    mutating func bind(optional value: String?) {
        if let value { bind(value) } else { sql("NULL") }
    }

    mutating func bind(optional value: Date?) {
        if let value { bind(value) } else { sql("NULL") }
    }
}
