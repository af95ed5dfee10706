import Foundation
import RecoupCore
import SQLKit

/// Checking and recording what the run decided: messages (one per debtor and client), calls and tasks (work items),
/// placements and waits.
extension ChunkWorker {
    /// One message covering `group`'s debts at `lead`'s step.
    mutating func message(
        _ group: [Planned], lead: Planned, channel: MessageChannel, profile: DebtorContactProfile,
        facts: SegmentStore.BatchFacts, askedForDetails: inout Set<Int64>
    ) async throws {
        let debtor = lead.debt.key.debtorID
        guard let recipient = Self.recipient(channel, profile: profile) else {
            let missing =
                switch channel {
                case .email: "no email address"
                case .sms: "no mobile number"
                case .letter, .voicemail: "no postal address"
                }
            let asked = try await askForDetails(lead, askedForDetails: &askedForDetails)
            for item in group {
                let reason =
                    "\(Self.when(item, asOf: asOf)): \(item.plan.step.action.rawValue.replacingOccurrences(of: "_", with: " ")) "
                    + "not sent, the debtor cannot be reached: \(missing) on file"
                    + (asked ? "; the client is asked for contact details" : "")
                try await record(item, reason: reason, messageID: nil, plannedAt: nil, reachable: false)
            }
            return
        }
        let client = context.clients[lead.debt.clientID]
        guard let contactAction = lead.plan.step.action.contactAction(channel: channel) else { return }
        let request = ComplianceRequest(
            at: ContactScheduling.startOfDay(asOf, in: context.request.zone), action: contactAction,
            debtID: lead.debt.key.ref, to: channel == .letter ? nil : recipient, debtor: profile,
            events: history(debtor, facts),
            disputedInFileSince: lead.debt.key.disputed ? facts.fileDisputes[debtor]?[lead.debt.key.ref] : nil)
        let sendAt: Date
        switch ContactScheduling.schedule(request, on: asOf, notBefore: context.request.notBefore) {
        case .at(let instant): sendAt = instant
        case .blocked(let decision):
            let firing = decision.findings.filter { $0.effect != .allow }
            for item in group {
                block(item, rules: firing.map(\.rule.rawValue), reason: firing.map(\.reason).joined(separator: " "))
            }
            return
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
        if lead.plan.step.action == .offerPlan, let total = messageContext.totalOwed, let client {
            messageContext.planOffer = Self.planOffer(total: total, terms: client.terms, currency: lead.debt.key.currency)
        }
        let template = lead.plan.step.template ?? MessageTemplates.defaultTemplate(for: lead.plan.step.action) ?? "reminder"
        let rendered: RenderedMessage
        do {
            rendered = try MessageTemplates.render(template, channel: channel, context: messageContext)
        } catch {
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
        var messageID: String
        if dryRun {
            messageID = "planned-\(lead.debt.clientID)-\(debtor)"
        } else {
            let dedupe = "run:\(asOf.isoString):\(lead.debt.clientID):\(debtor)"
            let inserted = try await sql.raw(
                """
                INSERT INTO outbox_messages (client_id, debtor_id, channel, recipient, subject, body, template, status, \
                send_after, as_of, step_id, run_id, created_at, dedupe_key) VALUES (\(bind: lead.debt.clientID), \
                \(bind: debtor), \(bind: channel.rawValue), \(bind: recipient), \(bind: rendered.subject), \
                \(bind: rendered.body), \(bind: template), 'queued', \(bind: sendAt), \(bind: asOf.daysSinceEpoch), \
                \(bind: lead.plan.step.id), \(bind: context.runID), \(bind: context.now), \(bind: dedupe)) \
                ON CONFLICT (dedupe_key) DO NOTHING RETURNING id
                """
            ).first()
            if let inserted {
                messageID = String(try inserted.decode(column: "id", as: Int64.self))
                summary.messages += 1
            } else {
                let existing = try await sql.raw(
                    "SELECT id FROM outbox_messages WHERE dedupe_key = \(bind: dedupe)"
                ).first()!
                messageID = String(try existing.decode(column: "id", as: Int64.self))
            }
        }
        if dryRun { summary.messages += 1 }
        for item in group {
            let covering = group.count > 1 ? " (one message for \(group.count) debts)" : ""
            let reason =
                "\(Self.when(item, asOf: asOf)): \(channel.rawValue) \"\(template)\" queued for \(Self.time(sendAt, profile: profile))"
                + covering
            try await record(item, reason: reason, messageID: messageID, plannedAt: sendAt, reachable: true)
        }
    }

    /// A step that sends no message: a call or voicemail (a work item, checked first), a task, a hand-over, a wait.
    mutating func single(
        _ item: Planned, profile: DebtorContactProfile, facts: SegmentStore.BatchFacts,
        askedForDetails: inout Set<Int64>
    ) async throws {
        let step = item.plan.step
        let debtor = item.debt.key.debtorID
        switch step.action {
        case .call, .voicemail:
            guard let phone = Self.phone(profile) else {
                let asked = try await askForDetails(item, askedForDetails: &askedForDetails)
                let reason =
                    "\(Self.when(item, asOf: asOf)): \(step.action.rawValue) not possible, the debtor cannot be reached: no phone number on file"
                    + (asked ? "; the client is asked for contact details" : "")
                try await record(item, reason: reason, messageID: nil, plannedAt: nil, reachable: false)
                return
            }
            let request = ComplianceRequest(
                at: ContactScheduling.startOfDay(asOf, in: context.request.zone),
                action: step.action == .call ? .call : .voicemail, debtID: item.debt.key.ref, to: phone,
                debtor: profile, events: history(debtor, facts),
                disputedInFileSince: item.debt.key.disputed
                    ? facts.fileDisputes[debtor]?[item.debt.key.ref] : nil)
            switch ContactScheduling.schedule(request, on: asOf, notBefore: context.request.notBefore) {
            case .blocked(let decision):
                let firing = decision.findings.filter { $0.effect != .allow }
                block(item, rules: firing.map(\.rule.rawValue), reason: firing.map(\.reason).joined(separator: " "))
            case .at(let instant):
                let reason =
                    "\(Self.when(item, asOf: asOf)): \(step.action.rawValue) in the collectors' queue from \(Self.time(instant, profile: profile))"
                if let id = try await record(item, reason: reason, messageID: nil, plannedAt: instant, reachable: true)
                {
                    try await workItem(item, kind: step.action.rawValue, actionID: id, reason: reason)
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
            let reason = "\(Self.when(item, asOf: asOf)): \(what)" + (asked ? " (already asked: one request covers the debtor)" : "")
            if let id = try await record(item, reason: reason, messageID: nil, plannedAt: nil, reachable: true), !asked {
                try await workItem(item, kind: step.action.rawValue, actionID: id, reason: reason)
            }
            if step.action == .requestContactDetails { askedForDetails.insert(debtor) }
        case .placeWithAgency:
            let agency = step.agency ?? "agency"
            let reason = "\(Self.when(item, asOf: asOf)): handed to \(agency); the client's strategy stops for this debt"
            if let id = try await record(item, reason: reason, messageID: nil, plannedAt: nil, reachable: true) {
                if try await PlacementStore.place(
                    debtID: item.debt.key.id, agency: agency, placedOn: asOf,
                    contingencyPercent: step.contingencyPercent, actionID: id, by: context.request.startedBy,
                    now: context.now, sql: sql) != nil
                {
                    // The command writes each agency's placement file after the run (PlacementFile.writeFiles).
                    summary.count("placed", agency)
                }
            }
        case .wait:
            _ = try await record(item, reason: "\(Self.when(item, asOf: asOf)): wait", messageID: nil, plannedAt: nil, reachable: true)
        case .email, .sms, .letter, .offerPlan, .finalNotice:
            break
        }
    }

    /// Opens a task asking the client for the debtor's contact details, once per debtor while one is open; true when
    /// one is open (now or before).
    mutating func askForDetails(_ item: Planned, askedForDetails: inout Set<Int64>) async throws -> Bool {
        let debtor = item.debt.key.debtorID
        if askedForDetails.contains(debtor) { return true }
        askedForDetails.insert(debtor)
        summary.count("task", "request_contact_details")
        guard !dryRun else { return true }
        try await sql.raw(
            """
            INSERT INTO work_items (kind, debt_id, debtor_id, client_id, reason, due_on, status, created_at) VALUES \
            ('request_contact_details', \(bind: item.debt.key.id), \(bind: debtor), \(bind: item.debt.clientID), \
            \(bind: "No way to reach \(item.debt.debtorName) is on file: ask the client for their contact details."), \
            \(bind: asOf.daysSinceEpoch), 'open', \(bind: context.now))
            """
        ).run()
        return true
    }

    /// Records the action (and the occurrences it skips); returns the new action's id, nil when it already existed
    /// or in a dry run.
    @discardableResult
    mutating func record(
        _ item: Planned, reason: String, messageID: String?, plannedAt: Date?, reachable: Bool
    ) async throws -> Int64? {
        let step = item.plan.step
        var action = RunAction(
            debtID: item.debt.key.id, debtRef: item.debt.key.ref,
            clientRef: context.clients[item.debt.clientID]?.ref ?? "", debtorRef: item.debt.debtorRef,
            action: step.action, step: step.id, occurrence: item.plan.occurrence.occurrence,
            scheduledOn: item.plan.occurrence.scheduledOn, segment: item.segment, reason: reason, messageID: messageID,
            plannedAt: plannedAt, reachable: reachable, id: nil)
        if !dryRun {
            let row = try await sql.raw(
                """
                INSERT INTO strategy_actions (debt_id, step_id, occurrence, scheduled_on, status, action, strategy_id, \
                run_id, as_of, segment, reason, message_id, planned_at, created_by, created_at) VALUES \
                (\(bind: item.debt.key.id), \(bind: step.id), \(bind: item.plan.occurrence.occurrence), \
                \(bind: item.plan.occurrence.scheduledOn.daysSinceEpoch), 'created', \(bind: step.action.rawValue), \
                \(bind: item.strategy.id), \(bind: context.runID), \(bind: asOf.daysSinceEpoch), \
                \(bind: item.segment.rawValue), \(bind: reason), \(bind: messageID.flatMap { Int64($0) }), \
                \(bind: plannedAt), \(bind: context.request.startedBy), \(bind: context.now)) \
                ON CONFLICT (debt_id, step_id, occurrence) DO NOTHING RETURNING id
                """
            ).first()
            guard let row else {
                summary.alreadyDone += 1
                return nil
            }
            action.id = try row.decode(column: "id", as: Int64.self)
            for skipped in item.plan.skipped {
                try await sql.raw(
                    """
                    INSERT INTO strategy_actions (debt_id, step_id, occurrence, scheduled_on, status, action, \
                    strategy_id, run_id, as_of, segment, reason, created_by, created_at) VALUES \
                    (\(bind: item.debt.key.id), \(bind: skipped.stepID), \(bind: skipped.occurrence), \
                    \(bind: skipped.scheduledOn.daysSinceEpoch), 'skipped', \
                    \(bind: Self.action(of: skipped.stepID, in: item)), \(bind: item.strategy.id), \
                    \(bind: context.runID), \(bind: asOf.daysSinceEpoch), \(bind: item.segment.rawValue), \
                    \(bind: "skipped: fell due \(skipped.scheduledOn.isoString) with no run since; \(step.id) done instead"), \
                    \(bind: context.request.startedBy), \(bind: context.now)) \
                    ON CONFLICT (debt_id, step_id, occurrence) DO NOTHING
                    """
                ).run()
            }
        }
        summary.created += 1
        summary.skipped += item.plan.skipped.count
        summary.count("action", step.action.rawValue)
        summary.count("step", step.id)
        summary.count("segment", item.segment.rawValue)
        output.actions.append(action)
        return action.id
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

    func workItem(_ item: Planned, kind: String, actionID: Int64, reason: String) async throws {
        try await sql.raw(
            """
            INSERT INTO work_items (kind, debt_id, debtor_id, client_id, action_id, reason, due_on, status, created_at) \
            VALUES (\(bind: kind), \(bind: item.debt.key.id), \(bind: item.debt.key.debtorID), \
            \(bind: item.debt.clientID), \(bind: actionID), \(bind: reason), \(bind: asOf.daysSinceEpoch), 'open', \
            \(bind: context.now)) ON CONFLICT (action_id) DO NOTHING
            """
        ).run()
    }

    /// Writes the blocked actions of the chunk.
    func storeBlocked() async throws {
        for (runID, item, rules, reason) in blockedRows {
            try await sql.raw(
                """
                INSERT INTO run_blocked (run_id, debt_id, step_id, occurrence, action, rules, reason, as_of) VALUES \
                (\(bind: runID), \(bind: item.debt.key.id), \(bind: item.plan.step.id), \
                \(bind: item.plan.occurrence.occurrence), \(bind: item.plan.step.action.rawValue), \
                \(bind: rules.joined(separator: ",")), \(bind: reason), \(bind: asOf.daysSinceEpoch))
                """
            ).run()
        }
    }

    // MARK: Words and addresses

    /// "12 days past due (due 2013-06-02), step reminder-1".
    static func when(_ item: Planned, asOf: LocalDate) -> String {
        let step = item.plan.step
        let repeatNote = item.plan.occurrence.occurrence > 0 ? ", repeat \(item.plan.occurrence.occurrence)" : ""
        let stepDay =
            step.day < 0 ? "\(-step.day) day\(step.day == -1 ? "" : "s") before the due date"
            : step.day == 0 ? "the due date" : "day \(step.day)"
        let days = asOf.days(since: item.debt.dueOn)
        let position =
            days < 0
            ? "due in \(-days) day\(days == -1 ? "" : "s") (\(item.debt.dueOn.isoString))"
            : days == 0
                ? "due today (\(item.debt.dueOn.isoString))"
                : "\(days) day\(days == 1 ? "" : "s") past due (due \(item.debt.dueOn.isoString))"
        return "step \(step.id) (\(stepDay)\(repeatNote)), \(position), \(item.segment.rawValue) debtor"
    }

    /// The instant in the debtor's primary zone, as "2013-06-14 08:00 in America/New_York".
    static func time(_ instant: Date, profile: DebtorContactProfile) -> String {
        let zone = DebtorTimeZones.primary(profile).zone
        let local = ContactScheduling.day(of: instant, in: zone)
        let seconds = Int(instant.timeIntervalSince(ContactScheduling.startOfDay(local, in: zone)))
        return String(format: "%@ %02d:%02d in %@", local.isoString, seconds / 3600, seconds % 3600 / 60, zone.identifier)
    }

    static func action(of stepID: String, in item: Planned) -> String {
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
