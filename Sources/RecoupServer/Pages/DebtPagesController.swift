import FluentKit
import Foundation
import RecoupCore
import RecoupStore
import Vapor

/// The debts list (`GET /debts`), a debt's page (`GET /debts/:id`) and its forms: recording a contact
/// (`POST /debts/:id/contacts`, also the one-click call outcomes), proposing a plan (`POST /debts/:id/plan`),
/// releasing a hold (`POST /debts/:id/holds`), recording a payment (`POST /debts/:id/payments`) or a promise to pay
/// (`POST /debts/:id/promises`) and making a portal link (`POST /debts/:id/portal-link`; DebtPageActions.swift).
/// Server-rendered, usable without JavaScript; every query goes through the user's scope, and whoever may see a
/// debt may use its forms (every role works debts, docs/web.md).
///
/// The forms post, then redirect (303 See Other) back to the page with what happened in a signed cookie (`Flash`),
/// so a reload records nothing; each rendered form carries a one-time id (`FormOnce`), so the same form sent twice
/// (back and send, a double click) records once. A form the page cannot read is shown again with a sentence saying
/// what is wrong, and what was typed.
struct DebtPagesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("debts", use: list)
        routes.get("debts", ":id", use: show)
        routes.post("debts", ":id", "contacts", use: recordContact)
        routes.post("debts", ":id", "plan", use: proposePlan)
        routes.post("debts", ":id", "holds", use: releaseHold)
        routes.post("debts", ":id", "payments", use: recordPayment)
        routes.post("debts", ":id", "promises", use: recordPromise)
        routes.post("debts", ":id", "portal-link", use: makePortalLink)
        bootAutomation(routes)
        routes.post("debts", ":id", "steps", use: runStep)
    }

    // MARK: The list

    struct Row: Encodable {
        var id: String
        var ref: String
        var client: String
        var debtor: String
        var debtorURL: String
        var balance: String
        var dueDate: String
        /// "13 days past due", "due today", "due in 13 days".
        var due: String
        var lastContact: String
        var status: String
        var segment: String
        var segmentReason: String
    }

    struct ListContext: Encodable {
        var title = "Debts"
        var rows: [Row]
        var q: String
        var debtor: String
        var bucket: String
        var status: String
        var segment: String
        var clients: [Choice]
        var segments: [Choice]
        var sorts: [Choice]
        var directions: [Choice]
        var caption: String
        /// "1,204 debts · $12,345.00" of everything the filters match; nil for a search.
        var totals: String?
        var nextURL: String?
        var previousURL: String?
        var firstURL: String?
        var buckets: [Choice]
        var statuses: [Choice]
        var showClient: Bool
        var clearDebtorURL: String
    }

    struct Choice: Encodable {
        var value: String
        var label: String
        var selected: Bool
    }

    /// The client filter's options: every client by its name (its reference when it has none), for agency staff;
    /// only "All clients" for a client's own staff, who see one client.
    static func clientChoices(_ request: Request, selected: String) async throws -> [Choice] {
        var clients = [Choice(value: "", label: "All clients", selected: selected.isEmpty)]
        if request.scope == .all {
            clients += try await ClientProfileStore.all(on: request.db).map {
                Choice(value: $0.ref, label: $0.displayName, selected: $0.ref == selected)
            }.sorted { $0.label.localizedStandardCompare($1.label) == .orderedAscending }
        }
        return clients
    }

    /// How a list names a debt's due date relative to today.
    static func duePhrase(dueOn: LocalDate, today: LocalDate) -> String {
        let days = today.days(since: dueOn)
        switch days {
        case 0: return "due today"
        case 1: return "1 day past due"
        case -1: return "due tomorrow"
        case ..<0: return "due in \(-days) days"
        default: return "\(days) days past due"
        }
    }

    @Sendable
    func list(request: Request) async throws -> View {
        let filter = try DebtLookup.filter(request)
        let page = try await DebtQueries.list(filter, scope: request.scope, on: request.db)
        let isSearch = !(filter.search ?? "").trimmingCharacters(in: .whitespaces).isEmpty
        let totals =
            isSearch
            ? nil
            : try await request.application.listTotalsCache.totals(
                filter, scope: request.scope, now: request.application.settings.clock(),
                database: request.application.db)
        let segments = try await request.segments(of: page.items)
        let zone = request.application.settings.businessTimeZone
        var base = URLComponents()
        func listURL(_ items: [(String, String?)]) -> String {
            base.queryItems = items.compactMap { item in
                item.1.flatMap { $0.isEmpty ? nil : URLQueryItem(name: item.0, value: $0) }
            }
            return base.percentEncodedQuery.map { "/debts?" + $0 } ?? "/debts"
        }
        // A search's links name their sort even when it is the list's default (a search's own default is reference).
        let sort = filter.sort == .added && !isSearch ? nil : filter.sort.rawValue
        let direction = filter.descending ? "desc" : nil
        let kept: [(String, String?)] = [
            ("q", filter.search), ("client", filter.clientRef), ("debtor", filter.debtorRef),
            ("bucket", filter.bucket?.rawValue), ("status", filter.status), ("segment", filter.segment?.rawValue),
            ("sort", sort), ("dir", direction),
            ("limit", request.query[String.self, at: "limit"]),
        ]
        let rows = page.items.map { debt in
            Row(
                id: String(debt.id), ref: debt.ref, client: debt.clientName, debtor: debt.debtorName,
                debtorURL: listURL([("debtor", debt.debtorRef)]),
                balance: Money.displayString(minorUnits: debt.balance, currency: debt.currency),
                dueDate: debt.dueOn.isoString, due: Self.duePhrase(dueOn: debt.dueOn, today: filter.today),
                lastContact: debt.lastContact.map { TimeDisplay.date(LocalDate($0, in: zone)) } ?? "never",
                status: debt.isOpen ? "Open" : "Paid off",
                segment: segments[debt.id]?.segment.rawValue ?? "", segmentReason: segments[debt.id]?.explanation ?? "")
        }
        let bucket = filter.bucket?.rawValue ?? ""
        let status = filter.status ?? ""
        let segment = filter.segment?.rawValue ?? ""
        let client = filter.clientRef ?? ""
        let clients = try await Self.clientChoices(request, selected: client)
        let sortNames: [(DebtSort, String)] = [
            (.added, "Date added"), (.balance, "Balance"), (.daysPastDue, "Days past due"),
            (.lastContact, "Last contact"), (.reference, "Reference"),
        ]
        let sortName = sortNames.first { $0.0 == filter.sort }?.1 ?? "Date added"
        let order =
            switch (filter.sort, filter.descending) {
            case (.added, false): "in the order they were added"
            case (.reference, false): "in reference order"
            case (.reference, true): "in reverse reference order"
            default: "by \(sortName.lowercased()), \(filter.descending ? "highest" : "lowest") first"
            }
        let caption = isSearch ? "Debts matching “\(filter.search ?? "")”, \(order)" : "Debts \(order)"
        let totalsText = totals.map { totals in
            let count = totals.count == 1 ? "1 debt" : "\(totals.count.formatted()) debts"
            let amounts = totals.balances.map {
                Money.displayString(minorUnits: $0.minorUnits, currency: $0.currency)
            }
            return amounts.isEmpty ? count : count + " · " + amounts.joined(separator: " + ")
        }
        let context = ListContext(
            rows: rows, q: filter.search ?? "",
            debtor: filter.debtorRef ?? "", bucket: bucket, status: status, segment: segment, clients: clients,
            segments: [Choice(value: "", label: "Any segment", selected: segment.isEmpty)]
                + Segment.allCases.map {
                    Choice(value: $0.rawValue, label: $0.rawValue, selected: segment == $0.rawValue)
                },
            sorts: sortNames.map { Choice(value: $0.0.rawValue, label: $0.1, selected: $0.0 == filter.sort) },
            directions: [
                Choice(value: "asc", label: "Lowest first", selected: !filter.descending),
                Choice(value: "desc", label: "Highest first", selected: filter.descending),
            ],
            caption: caption, totals: totalsText,
            nextURL: page.next.map { listURL(kept + [("cursor", String($0))]) },
            previousURL: page.previous.map { listURL(kept + [("before", String($0))]) },
            firstURL: filter.after == nil && filter.before == nil ? nil : listURL(kept),
            buckets: [Choice(value: "", label: "Any age", selected: bucket.isEmpty)]
                + AgingBucket.allCases.map {
                    Choice(value: $0.rawValue, label: DashboardController.label($0), selected: bucket == $0.rawValue)
                },
            statuses: [
                Choice(value: "", label: "Open or paid off", selected: status.isEmpty),
                Choice(value: "open", label: "Open", selected: status == "open"),
                Choice(value: "closed", label: "Paid off", selected: status == "closed"),
            ],
            showClient: request.scope == .all,
            clearDebtorURL: listURL(kept.filter { $0.0 != "debtor" }))
        return try await request.view.render("debts", context)
    }

    // MARK: One debt

    struct LedgerRow: Encodable {
        var date: String
        var kind: String
        var amount: String
        var principal: String
        var interest: String
        var fees: String
    }

    struct EventRow: Encodable {
        var at: String
        var iso: String
        var type: String
        var summary: String
        var note: String?
        var recordedBy: String?
        /// When the recorder means to get back to the debtor, in the debtor's zone and the user's.
        var callback: String? = nil
        var callbackISO: String? = nil
    }

    struct Finding: Encodable {
        var rule: String
        var effect: String
        var reason: String
        var citation: String
    }

    struct ProjectionRow: Encodable {
        var date: String
        var total: String
    }

    /// "Can we call now?", answered in sentences.
    struct CallAnswerView: Encodable {
        /// `yes`, `review`, `no` or `nothing-owed` (the page's colour).
        var kind: String
        var sentence: String
        var findings: [Finding]
        /// When a call would next be allowed, only when the answer is not yes.
        var next: String?
        var nextISO: String?
        /// What to say when no time can be given.
        var nextNote: String?
        /// The number the answer is for, and the debtor's time now.
        var number: String?
        var debtorNow: String
    }

    struct HoldRow: Encodable {
        var title: String
        var since: String
        var placedBy: String
        var active: Bool
        var released: String?
        /// The release form's value (`dispute`, `attorney`, `bankruptcy`) and button, for an active hold that can be
        /// released.
        var release: String?
        var releaseLabel: String?
        var submission: String?
    }

    struct InstallmentRow: Encodable {
        var number: Int
        var due: String
        var amount: String
        var paid: String
        var standing: String
    }

    struct ArrangementRow: Encodable {
        var ref: String
        var summary: String
        var state: String
        var next: String?
        var schedule: [InstallmentRow]
        var agreement: String
        var isNew: Bool
    }

    struct PromiseRow: Encodable {
        var summary: String
        var outcome: String
        var outcomeClass: String
    }

    struct NoteRow: Encodable {
        var at: String
        var text: String
        var words: String?
        var by: String?
    }

    struct ContactFormState: Encodable {
        var submission: String
        var types: [Choice]
        var directions: [Choice]
        var outcomes: [Choice]
        var at: String
        var to: String
        var note: String = ""
        var callback: String = ""
        /// The debtor's phones and emails, offered for the number or address.
        var contactPoints: [String] = []
        var error: String?
    }

    struct PlanFormState: Encodable {
        var submission: String
        var amount: String
        var frequencies: [Choice]
        var firstDue: String
        var options: [Choice]
        var error: String?
    }

    struct DebtContext: Encodable {
        var title: String
        var id: String
        var ref: String
        var client: String
        var debtor: String
        var debtorKind: String
        var status: String
        var dueDate: String
        var pastDue: String
        var principal: String
        var interest: String
        var fees: String
        var total: String
        var ledger: [LedgerRow]
        var events: [EventRow]
        var holds: [HoldRow]
        var releasedHolds: [HoldRow]
        var holdError: String?
        var call: CallAnswerView
        var projection: [ProjectionRow]
        var growth: String
        var flash: Flash?
        var flashFindings: [Finding]
        var zone: String
        var contactForm: ContactFormState
        var planForm: PlanFormState
        var arrangements: [ArrangementRow]
        var promises: [PromiseRow]
        var preferences: [NoteRow]
        var disputes: [NoteRow]
        var segment: String = ""
        var segmentReasons: [String] = []
        /// One-click outcomes of a call made now to the number "Can we call now?" is about; nil without a phone.
        var quickCalls: QuickCalls? = nil
        /// The callback the latest contact asked for, when no contact has come since.
        var callback: PendingCallback? = nil
        var paymentForm: PaymentFormState? = nil
        var promiseForm: PromiseFormState? = nil
        var portalForm: PortalFormState? = nil
        /// The portal link just made, shown once.
        var portalLink: PortalLinkView? = nil
        /// Pauses, exclusions and placements (DebtPagePauses.swift).
        var automation: AutomationView? = nil
        /// The debtor's messages in the outbox (DebtPageOutbox.swift).
        var outbox: [OutboxRow] = []
        /// The debt's strategy track and the form to run a step by hand (DebtPageSteps.swift).
        var strategy: StrategyView? = nil
    }

    /// What a form sent that could not be read, to show the page again with it.
    struct Entered {
        enum Form { case contact, plan, hold, payment, promise, portal, automation }
        var form: Form
        var error: String
        var contact: ContactForm?
        var plan: PlanForm?
        var payment: PaymentForm? = nil
        var promise: PromiseForm? = nil
        var portal: PortalLinkForm? = nil
        var automation: AutomationForm? = nil
    }

    @Sendable
    func show(request: Request) async throws -> Response {
        let debt = try await DebtLookup.debt(request)
        return try await Flash.showingOnce(request) { flash in
            try await render(request, debt: debt, flash: flash).encodeResponse(for: request)
        }
    }

    private func render(
        _ request: Request, debt: DebtSummary, flash: Flash? = nil, entered: Entered? = nil
    ) async throws -> View {
        let settings = request.application.settings
        let now = settings.clock()
        let today = LocalDate(now, in: settings.businessTimeZone)
        let ledger = try await DebtQueries.ledger(of: debt, on: request.db)
        let money = { (units: Int64) in Money.displayString(minorUnits: units, currency: debt.currency) }
        let balance = ledger.balance
        // The debtor's whole history decides "can we call now?"; the timeline shows what concerns this debt.
        let contacts = try await ContactStore.contacts(debtorID: debt.debtorID, on: request.db)
        let times = TimeDisplay(debtor: contacts.profile, userZone: settings.businessTimeZone)
        let events = contacts.events.filter { $0.concerns(debt.ref) }
        let phone = contacts.profile.phones.first?.number
        let answer = contacts.collectionAnswer(.call, at: now, to: phone, debt: debt)
        let holds = contacts.holds(debtRef: debt.ref, asOf: now)
        let activity = try await DebtActivity.of(debt, contacts: contacts, asOf: today, on: request.db)
        let projection = try await AccrualStore.projection(
            clientRef: debt.clientRef, debtRef: debt.ref, from: today, on: request.db)
        let pastDue = today.days(since: debt.dueOn)
        // What staff wrote about a contact is theirs: a client user sees the history without the notes (issue 16).
        let showsNotes = request.recoupUser?.role != .client
        var context = DebtContext(
            title: "Debt \(debt.ref)", id: String(debt.id),
            ref: debt.ref, client: debt.clientName, debtor: debt.debtorName, debtorKind: debt.debtorKind,
            status: debt.isOpen ? "open" : "paid off", dueDate: TimeDisplay.date(debt.dueOn),
            pastDue: pastDue > 0
                ? "\(pastDue) \(pastDue == 1 ? "day" : "days") past due"
                : pastDue == 0 ? "due today" : "due in \(-pastDue) \(pastDue == -1 ? "day" : "days")",
            principal: money(balance.principal), interest: money(balance.interest), fees: money(balance.fees),
            total: money(balance.total),
            ledger: ledger.entries.sorted { $0.effectiveDate < $1.effectiveDate }.map { entry in
                LedgerRow(
                    date: TimeDisplay.date(entry.effectiveDate),
                    kind: entry.kind.rawValue.replacingOccurrences(of: "_", with: " "),
                    amount: money(entry.amount), principal: money(entry.effect.principal),
                    interest: money(entry.effect.interest),
                    fees: money(entry.effect.fees))
            },
            events: events.reversed().map { event in
                EventRow(
                    at: times.instant(event.at), iso: ISO8601Instant.format(event.at),
                    type: Self.words(event.type), summary: Self.summary(of: event.event.kind),
                    note: showsNotes ? event.entry.note : nil, recordedBy: event.recordedBy,
                    callback: event.callbackAt.map(times.instant),
                    callbackISO: event.callbackAt.map(ISO8601Instant.format))
            },
            holds: [], releasedHolds: [],
            call: Self.callAnswer(answer, number: phone, money: money, times: times, now: now),
            projection: projection.projection.points.map {
                ProjectionRow(date: TimeDisplay.date($0.date), total: money($0.total))
            },
            growth: money(projection.projection.growth), flash: flash,
            flashFindings: flash?.findings.map {
                Finding(rule: $0.rule, effect: $0.effect, reason: $0.reason, citation: $0.citation)
            } ?? [],
            zone: settings.businessTimeZone.identifier,
            contactForm: Self.contactForm(
                entered, phone: phone ?? "", now: Self.localInput(now, zone: settings.businessTimeZone),
                contactPoints: contacts.profile.phones.map(\.number) + contacts.profile.emails),
            planForm: Self.planForm(entered, today: today),
            arrangements: [], promises: [], preferences: [], disputes: [])
        for hold in holds {
            let row = Self.holdRow(hold, times: times, submission: FormOnce.newID())
            if hold.isActive { context.holds.append(row) } else { context.releasedHolds.append(row) }
        }
        context.releasedHolds.reverse()
        if entered?.form == .hold { context.holdError = entered?.error }
        for view in activity.arrangements {
            let agreement = try await ArrangementStore.agreement(
                clientRef: debt.clientRef, ref: view.ref, on: request.db)
            context.arrangements.append(
                Self.arrangementRow(view, agreement: agreement.text, isNew: flash?.subject == view.ref))
        }
        context.promises = activity.promises.map { Self.promiseRow($0) }
        context.preferences = activity.preferences.map { event in
            NoteRow(
                at: times.instant(event.at), text: Self.preference(event.event.kind),
                words: showsNotes ? event.entry.note : nil, by: event.recordedBy)
        }
        if let imported = contacts.fileDisputes[debt.ref] {
            context.disputes.append(
                NoteRow(
                    at: times.instant(imported), text: "The client's file marks this debt disputed.", words: nil,
                    by: nil))
        }
        context.disputes += activity.disputes.map { event in
            NoteRow(
                at: times.instant(event.at),
                text: event.type == "dispute" ? "The debtor disputed the debt." : "Verification was sent.",
                words: showsNotes ? event.entry.note : nil, by: event.recordedBy)
        }
        if let segment = try await request.segments(of: [debt])[debt.id] {
            context.segment = segment.segment.rawValue
            context.segmentReasons = segment.reasons
        }
        Self.addActions(
            to: &context, debt: debt, balance: balance.total, phone: phone, contacts: contacts, events: events,
            times: times, now: now, today: today, flash: flash, entered: entered)
        try await Self.addAutomation(
            to: &context, debt: debt, balance: balance.total, today: today, times: times, entered: entered,
            on: request.db)
        try await Self.addOutbox(to: &context, debt: debt, times: times, request: request)
        try await Self.addStrategy(to: &context, debt: debt, request: request)
        return try await request.view.render("debt", context)
    }

    // MARK: Sentences

    /// The answer to "can we call now?" as sentences: yes; yes but review these findings; no, with the reasons and
    /// the next time a call would be allowed; or no because nothing is owed.
    static func callAnswer(
        _ answer: CollectionAnswer, number: String?, money: (Int64) -> String, times: TimeDisplay, now: Date
    ) -> CallAnswerView {
        let debtorNow =
            "It is \(times.instant(now)) for the debtor."
        switch answer {
        case .nothingOwed(let balance):
            return CallAnswerView(
                kind: "nothing-owed",
                sentence: "No. Nothing is owed on this debt (\(money(balance))), so there is nothing to collect: "
                    + "no collection call.",
                findings: [], next: nil, nextISO: nil, nextNote: nil, number: number, debtorNow: debtorNow)
        case .decided(let decision):
            let findings = decision.findings.map {
                Finding(rule: $0.rule.rawValue, effect: $0.effect.rawValue, reason: $0.reason, citation: $0.citation)
            }
            switch decision.verdict {
            case .allow:
                return CallAnswerView(
                    kind: "yes", sentence: "Yes, you may call now.", findings: findings, next: nil, nextISO: nil,
                    nextNote: nil, number: number, debtorNow: debtorNow)
            case .review:
                return CallAnswerView(
                    kind: "review",
                    sentence: "Yes, you may call now, but look at this first: "
                        + "the rules allow the call and flag something a person should review.",
                    findings: findings, next: nil, nextISO: nil, nextNote: nil, number: number, debtorNow: debtorNow)
            case .block:
                let blocking = decision.findings.filter { $0.effect == .block }.count
                return CallAnswerView(
                    kind: "no",
                    sentence: "No, do not call now: \(blocking == 1 ? "a rule blocks" : "\(blocking) rules block") "
                        + "the call.",
                    findings: findings, next: decision.nextAllowedAt.map(times.instant),
                    nextISO: decision.nextAllowedAt.map(ISO8601Instant.format),
                    nextNote: decision.nextAllowedAt == nil
                        ? "No time can be given: calls stay blocked until what is listed above changes "
                            + "(a hold is released, an opt-out or a preference withdrawn)." : nil,
                    number: number, debtorNow: debtorNow)
            }
        }
    }

    static func holdRow(_ hold: DebtHold, times: TimeDisplay, submission: String) -> HoldRow {
        let title: String
        var releaseLabel: String? = nil
        switch hold.kind {
        case .dispute:
            title = "Dispute: no collection contact until verification is sent"
            releaseLabel = "Record that verification was sent"
        case .attorney:
            title = "Attorney: the debtor is represented; contact the attorney, not the debtor"
            releaseLabel = "Record that the attorney withdrew"
        case .bankruptcy:
            title = "Bankruptcy: the automatic stay stops collection"
            releaseLabel = "Record that the bankruptcy was dismissed"
        case .cease:
            title = "Cease: the debtor asked in writing that contact stop"
        case .optOut:
            let channel = hold.hold.channel.map { Self.channelWords($0) } ?? "a channel"
            title = "Opt-out: no \(channel)" + (hold.hold.address.map { " to \($0)" } ?? "")
        }
        let placedBy =
            hold.placedBy.map { event in event.recordedBy.map { "recorded by \($0)" } ?? "recorded" }
            ?? "from the client's file"
        var released: String? = nil
        if let at = hold.hold.releasedAt {
            let what = hold.releasedBy.map { Self.words($0.type) } ?? "released"
            released =
                "Released \(times.instant(at)): \(what)"
                + (hold.releasedBy?.recordedBy.map { ", recorded by \($0)" } ?? "") + "."
        }
        return HoldRow(
            title: title, since: times.instant(hold.hold.since), placedBy: placedBy, active: hold.isActive,
            released: released, release: hold.isActive && releaseLabel != nil ? hold.kind.rawValue : nil,
            releaseLabel: hold.isActive ? releaseLabel : nil, submission: hold.isActive ? submission : nil)
    }

    static func arrangementRow(_ view: ArrangementView, agreement: String, isNew: Bool) -> ArrangementRow {
        let currency = view.arrangement.currency
        let money = { (units: Int64) in Money.displayString(minorUnits: units, currency: currency) }
        let arrangement = view.arrangement
        let count = arrangement.installments.count
        let kind: String
        switch arrangement.kind {
        case .installments: kind = "\(count) \(count == 1 ? "payment" : "payments")"
        case .extension: kind = "an extension"
        case .settlement: kind = "a settlement"
        }
        var state = arrangement.state.rawValue
        if let acceptance = arrangement.acceptance { state += ", accepted by \(acceptance.by)" }
        if let reason = arrangement.stateReason { state += ": \(reason)" }
        let next = view.nextInstallment.map { installment in
            "Next: \(money(installment.remaining)) due \(TimeDisplay.date(installment.due))"
                + (installment.paid > 0 ? " (\(money(installment.paid)) of \(money(installment.amount)) paid)" : "")
        }
        return ArrangementRow(
            ref: view.ref,
            summary: "\(kind), \(money(arrangement.total)) in all, written \(TimeDisplay.date(view.createdOn))",
            state: state, next: arrangement.state.isFinal ? nil : next,
            schedule: view.match.installments.map {
                InstallmentRow(
                    number: $0.number, due: TimeDisplay.date($0.due), amount: money($0.amount), paid: money($0.paid),
                    standing: Self.words($0.standing.rawValue))
            },
            agreement: agreement, isNew: isNew)
    }

    static func promiseRow(_ view: PromiseView) -> PromiseRow {
        let money = { (units: Int64) in Money.displayString(minorUnits: units, currency: view.currency) }
        let promise = view.promise
        let outcome: String
        switch view.outcome {
        case .pending(let paid): outcome = paid > 0 ? "pending, \(money(paid)) paid so far" : "pending"
        case .kept: outcome = "kept"
        case .partiallyKept(let paid): outcome = "partly kept: \(money(paid)) paid"
        case .broken: outcome = "broken"
        }
        return PromiseRow(
            summary: "\(money(promise.amount)) by \(TimeDisplay.date(promise.due)), promised "
                + "\(TimeDisplay.date(promise.madeOn)) (\(promise.via.rawValue))",
            outcome: outcome, outcomeClass: view.outcome.name.replacingOccurrences(of: "_", with: "-"))
    }

    /// A preference in words: "Not on Tue, Thu from 18:00 to 20:00, until 2027-01-01".
    static func preference(_ kind: ContactEvent.Kind) -> String {
        switch kind {
        case .inconvenient(let weekdays, let from, let to, let until):
            var text = "Inconvenient"
            if !weekdays.isEmpty {
                text += ": " + weekdays.sorted().map { TimeDisplay.weekdays[($0 - 1) % 7] }.joined(separator: ", ")
            }
            if let from, let to { text += " from \(from) to \(to)" } else if let from { text += " from \(from)" }
            if let until { text += ", until \(TimeDisplay.date(until))" }
            return text
        case .inconvenientPlace(let place): return "Do not contact them at \(place.rawValue)"
        case .optOut(let channel, let address):
            return "Opted out of \(Self.channelWords(channel))" + (address.map { " to \($0)" } ?? "")
        case .consent(let until):
            return "Consented to calls" + (until.map { " until \(ISO8601Instant.format($0))" } ?? "")
        case .consentRevoked: return "Withdrew their consent to calls"
        default: return Self.words(ContactEventCodec.typeName(kind))
        }
    }

    static func channelWords(_ channel: ContactChannel) -> String {
        switch channel {
        case .call: "calls"
        case .voicemail: "voicemails"
        case .sms: "text messages"
        case .email: "emails"
        case .letter: "letters"
        }
    }

    /// `verification_sent` → "verification sent".
    static func words(_ name: String) -> String { name.replacingOccurrences(of: "_", with: " ") }

    // MARK: Forms on the page

    static let contactTypes: [(String, String)] = [
        ("call", "Call"), ("sms", "Text message"), ("email", "Email"), ("letter", "Letter"),
        ("cease", "Debtor asked us to stop (cease)"), ("dispute", "Debtor disputes the debt"),
    ]
    static let directions: [(String, String)] = [("outbound", "We contacted them"), ("inbound", "They contacted us")]
    static let outcomes: [(String, String)] = [
        ("no_answer", "No answer"), ("busy", "Busy"), ("voicemail", "Voicemail (message left)"),
        ("conversation", "Conversation"), ("answered_dropped", "Answered, dropped"),
        ("not_in_service", "Not in service"), ("third_party", "Someone else answered"),
    ]
    static let frequencies: [(String, String)] = [
        ("monthly", "Monthly"), ("biweekly", "Every two weeks"), ("weekly", "Weekly"),
    ]
    static let planOptions: [(String, String)] = [
        ("installments", "Installments"), ("extension", "Extension"), ("settlement", "Settlement"),
    ]

    static func choices(_ list: [(String, String)], selected: String?) -> [Choice] {
        let chosen = list.contains { $0.0 == selected } ? selected : list.first?.0
        return list.map { Choice(value: $0.0, label: $0.1, selected: $0.0 == chosen) }
    }

    /// The contact form: fresh, or as sent when it could not be read (with the same one-time id).
    static func contactForm(
        _ entered: Entered?, phone: String, now: String, contactPoints: [String] = []
    ) -> ContactFormState {
        // A one-click outcome that could not be read is told on the full form, which starts fresh.
        let form = entered?.form == .contact && entered?.contact?.at != ContactForm.now ? entered?.contact : nil
        return ContactFormState(
            submission: form?.submission.flatMap { FormSubmission(id: $0, by: nil)?.id } ?? FormOnce.newID(),
            types: choices(contactTypes, selected: form?.type),
            directions: choices(directions, selected: form?.direction),
            outcomes: choices(outcomes, selected: form?.outcome), at: form?.at ?? now, to: form?.to ?? phone,
            note: form?.note ?? "", callback: form?.callback ?? "", contactPoints: contactPoints,
            error: form == nil ? nil : entered?.error)
    }

    static func planForm(_ entered: Entered?, today: LocalDate) -> PlanFormState {
        let form = entered?.form == .plan ? entered?.plan : nil
        return PlanFormState(
            submission: form?.submission.flatMap { FormSubmission(id: $0, by: nil)?.id } ?? FormOnce.newID(),
            amount: form?.amount ?? "", frequencies: choices(frequencies, selected: form?.frequency),
            firstDue: form?.firstDue ?? today.isoString, options: choices(planOptions, selected: form?.option),
            error: form == nil ? nil : entered?.error)
    }

    /// The sentence for an error a form's sender can fix (a 4xx); nil for anything else.
    static func fixable(_ error: any Error) -> String? {
        let (status, _, message) = JSONErrorMiddleware.describe(error)
        return (400..<500).contains(status.code) && status != .notFound && status != .forbidden ? message : nil
    }

    /// The page again, answering 400, with the form as it was sent and what is wrong with it.
    func showAgain(_ request: Request, debt: DebtSummary, _ entered: Entered) async throws -> Response {
        try await render(request, debt: debt, entered: entered).encodeResponse(status: .badRequest, for: request)
    }

    /// Runs a form posted on a debt's page: finds the debt (in the user's scope: 404 otherwise), reads the form and
    /// its one-time id and hands them to `body`, which answers (a redirect back to the page). An error the sender can
    /// fix (`fixable`: the id missing, a field that cannot be read, a store's refusal) is the page again, 400, with
    /// the form as sent and the sentence next to it.
    func handleForm<Form: DebtPageForm>(
        _ request: Request, _ type: Form.Type,
        _ body: (DebtSummary, Form, FormSubmission) async throws -> Response
    ) async throws -> Response {
        let debt = try await DebtLookup.debt(request)
        let form = request.form(type)
        do {
            return try await body(debt, form, try FormOnce.submission(request, by: request.recoupUser?.email))
        } catch {
            guard let sentence = Self.fixable(error) else { throw error }
            return try await showAgain(request, debt: debt, form.entered(error: sentence))
        }
    }

    func backToPage(_ request: Request, debt: DebtSummary, _ flash: Flash) -> Response {
        Flash.redirect(request, to: "/debts/\(debt.id)", with: flash)
    }

    /// The answer to a form sent again: the same page, saying nothing was recorded twice.
    func repeated(_ request: Request, debt: DebtSummary, _ receipt: SubmissionReceipt, what: String) -> Response {
        backToPage(
            request, debt: debt,
            Flash(
                kind: .notice,
                text: FormOnce.alreadySent(receipt, zone: request.application.settings.businessTimeZone)
                    + ": \(what) was recorded once, not again."))
    }

    // MARK: Recording a contact

    struct ContactForm: DebtPageForm {
        var type: String?
        var outcome: String?
        var direction: String?
        /// A `datetime-local` value in the user's zone, or `now` (the one-click outcomes).
        var at: String?
        var to: String?
        var messageLeft: String?
        var note: String?
        /// When to get back to the debtor, a `datetime-local` value in the user's zone; optional.
        var callback: String?
        var submission: String?

        /// The `at` of a one-click outcome: the instant the button is pressed.
        static let now = "now"

        func entered(error: String) -> Entered { Entered(form: .contact, error: error, contact: self) }
    }

    @Sendable
    func recordContact(request: Request) async throws -> Response {
        try await handleForm(request, ContactForm.self) { debt, form, submission in
            let settings = request.application.settings
            let zone = settings.businessTimeZone
            guard let type = form.type, Self.contactTypes.contains(where: { $0.0 == type }) else {
                throw InputError("choose what happened: call, text message, email, letter, cease or dispute")
            }
            guard let atText = form.at, !atText.isEmpty else {
                throw InputError("give when it happened, as a date and a time")
            }
            let at: Date
            if atText == ContactForm.now {
                at = settings.clock()
            } else if let parsed = Self.parseLocal(atText, zone: zone) {
                at = parsed
            } else {
                throw InputError("\"\(atText)\" is not a date and time; give one such as 2026-11-27T14:30")
            }
            let direction: ContactDirection = form.direction == "inbound" ? .inbound : .outbound
            let to = form.to.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
            let note = form.note.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap {
                $0.isEmpty ? nil : $0
            }
            // The form shows a callback for a call, text, email or letter only: one left in the hidden field of
            // another type is not what the user meant to send.
            var callback: Date? = nil
            if ["call", "sms", "email", "letter"].contains(type),
                let text = form.callback?.trimmingCharacters(in: .whitespaces), !text.isEmpty
            {
                guard let parsed = Self.parseLocal(text, zone: zone) else {
                    throw InputError(
                        "the callback \"\(text)\" is not a date and time; give one such as 2026-12-01T10:00")
                }
                callback = parsed
            }
            let kind: ContactEvent.Kind
            switch type {
            case "call":
                let outcome: CallOutcome = try ContactEventIntake.value(form.outcome ?? "no_answer", field: "outcome")
                kind = .call(
                    direction: direction, to: to, outcome: outcome,
                    messageLeft: form.messageLeft == "on" || outcome == .voicemail)
            case "sms": kind = .sms(direction: direction, to: to)
            case "email": kind = .email(direction: direction, to: to)
            case "letter": kind = .letter
            case "cease": kind = .cease
            default: kind = .dispute
            }
            let result = try await ContactStore.record(
                ContactLogEntry(ContactEvent(kind, at: at).withNumberRead, note: note), about: debt,
                recordedBy: request.recoupUser?.email, callbackAt: callback, once: submission, on: request.db,
                now: settings.clock(), zone: zone)
            let contacts = try await ContactStore.contacts(debtorID: debt.debtorID, on: request.db)
            let times = TimeDisplay(debtor: contacts.profile, userZone: zone)
            switch result {
            case .done(.recorded(_, let entry, _)):
                let detail = Self.summary(of: entry.event.kind)
                // A callback the rules would refuse is worth knowing now, while the debtor may still be reached.
                let warning = callback.flatMap {
                    Self.callbackWarning(
                        contacts, at: $0, phone: contacts.profile.phones.first?.number, debtRef: debt.ref, times: times)
                }
                return backToPage(
                    request, debt: debt,
                    Flash(
                        kind: .notice,
                        text: "Recorded: \(Self.words(type))\(detail.isEmpty ? "" : " (\(detail))"), "
                            + "\(times.instant(entry.event.at))."
                            + (callback.map { " Call back: \(times.instant($0))." } ?? ""),
                        details: warning.map { [$0] } ?? []))
            case .done(.blocked(let decision)):
                return backToPage(
                    request, debt: debt,
                    Flash(
                        kind: .refusal,
                        text: "Refused: the compliance rules block this \(Self.words(type)) at "
                            + "\(times.instant(at)). Nothing was recorded.",
                        findings: decision.findings.filter { $0.effect == .block }.map {
                            Flash.Finding(
                                rule: $0.rule.rawValue, effect: $0.effect.rawValue, reason: $0.reason,
                                citation: $0.citation)
                        }))
            case .repeated(let receipt):
                return repeated(request, debt: debt, receipt, what: "the contact")
            }
        }
    }

    // MARK: Proposing a plan

    struct PlanForm: DebtPageForm {
        var amount: String?
        var frequency: String?
        var firstDue: String?
        var option: String?
        var submission: String?

        func entered(error: String) -> Entered { Entered(form: .plan, error: error, plan: self) }
    }

    /// Proposes a plan for this debt with the client's terms and writes the arrangement and its agreement (proposed:
    /// it becomes active when the debtor accepts it, in the portal or on a recorded call).
    @Sendable
    func proposePlan(request: Request) async throws -> Response {
        try await handleForm(request, PlanForm.self) { debt, form, submission in
            guard let option = PlanOption.Kind(rawValue: form.option ?? "installments") else {
                throw InputError("choose installments, extension or settlement")
            }
            let offer = try PlanDrafting.offer(
                amount: form.amount, frequency: form.frequency, firstDue: form.firstDue, currency: debt.currency,
                today: request.application.settings.today)
            switch try await PlanDrafting.draft(
                request, clientRef: debt.clientRef, debts: [debt], offer: offer, option: option, once: submission)
            {
            case .done(let draft):
                return backToPage(
                    request, debt: debt,
                    Flash(
                        kind: .notice,
                        text: "Arrangement \(draft.ref) proposed: the debtor accepts it in the portal or on a "
                            + "recorded call. Its schedule and agreement are under What the debtor did.",
                        details: draft.options.map { "Within the client's terms: \($0)" }, subject: draft.ref))
            case .repeated(let receipt):
                return repeated(
                    request, debt: debt, receipt, what: receipt.result.map { "arrangement \($0)" } ?? "the plan")
            }
        }
    }

    // MARK: Releasing a hold

    struct ReleaseForm: DebtPageForm {
        var kind: String?
        var submission: String?

        func entered(error: String) -> Entered { Entered(form: .hold, error: error) }
    }

    /// Records what releases a hold on this debt — verification sent (a dispute), the attorney's withdrawal, the
    /// bankruptcy's dismissal — now, by the signed-in user (`ContactStore.releaseHold`).
    @Sendable
    func releaseHold(request: Request) async throws -> Response {
        try await handleForm(request, ReleaseForm.self) { debt, form, submission in
            let settings = request.application.settings
            let now = settings.clock()
            guard let kind = ContactHold.Kind(rawValue: form.kind ?? ""), let release = kind.release else {
                throw InputError("choose the hold to release: dispute, attorney or bankruptcy")
            }
            let result = try await ContactStore.releaseHold(
                kind, of: debt, at: now, recordedBy: request.recoupUser?.email, once: submission, on: request.db,
                now: now, zone: settings.businessTimeZone)
            let profile = try await ContactStore.profile(debtorID: debt.debtorID, on: request.db)
            let times = TimeDisplay(debtor: profile, userZone: settings.businessTimeZone)
            switch result {
            case .done:
                return backToPage(
                    request, debt: debt,
                    Flash(
                        kind: .notice,
                        text: "Recorded: \(Self.words(ContactEventCodec.typeName(release))), \(times.instant(now)). "
                            + "The \(kind.rawValue) hold is released."))
            case .repeated(let receipt):
                return repeated(request, debt: debt, receipt, what: "the release")
            }
        }
    }

    // MARK: Helpers

    /// A stored event in a few words: its direction, outcome, channel or place.
    static func summary(of kind: ContactEvent.Kind) -> String {
        let words: [String]
        switch kind {
        case .call(let direction, let to, let outcome, _):
            words = [direction.rawValue, outcome.rawValue] + (to.map { ["to \($0)"] } ?? [])
        case .sms(let direction, let to), .email(let direction, let to):
            words = [direction.rawValue] + (to.map { ["to \($0)"] } ?? [])
        case .optOut(let channel, _): words = [channel.rawValue]
        case .inconvenientPlace(let place): words = [place.rawValue]
        default: words = []
        }
        return words.map { $0.replacingOccurrences(of: "_", with: " ") }.joined(separator: ", ")
    }

    /// `YYYY-MM-DDTHH:MM` for a `datetime-local` input.
    static func localInput(_ instant: Date, zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1, parts.hour ?? 0,
            parts.minute ?? 0)
    }

    /// Reads a `datetime-local` value (or an ISO instant) in the business zone.
    static func parseLocal(_ text: String, zone: TimeZone) -> Date? {
        if let instant = ISO8601Instant.parse(text) { return instant }
        let pieces = text.split(whereSeparator: { $0 == "T" || $0 == " " })
        guard pieces.count == 2, let date = try? LocalDate(iso: String(pieces[0])) else { return nil }
        let time = pieces[1].split(separator: ":").compactMap { Int($0) }
        guard time.count >= 2, (0..<24).contains(time[0]), (0..<60).contains(time[1]) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(
            from: DateComponents(year: date.year, month: date.month, day: date.day, hour: time[0], minute: time[1]))
    }
}

/// A form posted on a debt's page (`DebtPagesController.handleForm`), kept as sent when the page shows it again.
protocol DebtPageForm: PageForm {
    /// The page's note of this form, sent and refused with `error`.
    func entered(error: String) -> DebtPagesController.Entered
}
