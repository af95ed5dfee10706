import Foundation
import RecoupCore
import RecoupStore
import Vapor

/// The work queue page (`GET /queue`): the debtors the signed-in user may call now, in the queue's order, each with
/// why, what to say, the number and the debtor's time, a Claim button and the call's outcome as one click of the debt
/// page's outcome buttons (`DebtPagesController.quickOutcomes`) with a note typed beside them; then the open tasks.
/// Claiming (`POST /queue/claim` for the next, `POST /queue/:id/claim` for one) and recording an outcome
/// (`POST /queue/:id/outcome`) go through `WorkQueue`, as the API and the command line do; each posts, then redirects
/// back with what happened (`Flash`); the outcome form carries a one-time id (`FormOnce`), so a form sent twice
/// records one call. Every read goes through the user's scope: another client's debt answers 404.
struct QueuePageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("queue", use: show)
        routes.post("queue", "claim", use: claimNext)
        routes.post("queue", ":id", "claim", use: claim)
        routes.post("queue", ":id", "outcome", use: recordOutcome)
    }

    // MARK: The page

    struct OutcomeButton: Encodable {
        var value: String
        var label: String
    }

    struct ItemView: Encodable {
        var anchor: String
        var id: String
        var number: Int
        var debtor: String
        var client: String
        /// `promise_due_today`, … (the label's colour), and its words.
        var reason: String
        var reasonLabel: String
        var sentence: String
        var points: [String]
        var phone: String
        var phoneType: String
        var phoneLink: String
        /// The debtor's time now, and the user's when it differs.
        var theirTime: String
        var owes: String
        var debtURL: String
        /// "Claimed by you until …"; nil when the user holds no claim.
        var claimed: String?
        var isClaimed: Bool
        /// True when the rules ask to check something first (the points say what).
        var review: Bool
        var submission: String
        var outcomes: [OutcomeButton]
    }

    struct TaskView: Encodable {
        var due: String
        var kind: String
        var debtor: String
        var client: String
        var debtRef: String
        var debtURL: String
        var reason: String
    }

    struct Context: Encodable {
        var title = "Work queue"
        var items: [ItemView]
        var tasks: [TaskView]
        var flash: Flash?
        var flashFindings: [Flash.Finding]
        var clients: [DebtPagesController.Choice]
        var client: String
        var showClient: Bool
        var caption: String
        /// Said when the walk stopped before the candidates ran out.
        var incomplete: String?
    }

    static let reasonLabels: [QueueReason: String] = [
        .promiseDueToday: "Promise due today", .brokenPromise: "Broken promise",
        .brokenArrangement: "Broken arrangement", .callDue: "Call step due",
    ]

    static let taskLabels = [
        "request_contact_details": "Ask the client for contact details", "skip_trace": "Skip trace",
        "legal_review": "Legal review",
    ]

    @Sendable
    func show(request: Request) async throws -> Response {
        try await Flash.showingOnce(request) { flash in
            let settings = request.application.settings
            let now = settings.clock()
            let client = request.query[String.self, at: "client"] ?? ""
            let scope = try await QueueScope.of(request, client: client)
            let list = try await WorkQueue.items(
                collector: request.recoupUser?.email, scope: scope, now: now, zone: settings.businessTimeZone,
                limit: WorkQueue.defaultLimit, on: request.db)
            let tasks = try await WorkQueue.tasks(scope: scope, limit: 50, on: request.db)
            let userZone = settings.businessTimeZone
            let items = list.items.enumerated().map { index, item in
                let times = TimeDisplay(
                    debtorZone: item.zone, debtorZoneIsKnown: item.zoneIsKnown, userZone: userZone)
                return ItemView(
                    anchor: "item-\(item.debt.id)", id: String(item.debt.id), number: index + 1,
                    debtor: item.debtorName, client: item.clientName,
                    reason: item.reason.rawValue,
                    reasonLabel: item.reason == .callDue && item.action == .voicemail
                        ? "Voicemail step due" : Self.reasonLabels[item.reason] ?? item.reason.rawValue,
                    sentence: item.sentence, points: item.talkingPoints, phone: item.phone.number,
                    phoneType: item.phone.type.rawValue, phoneLink: "tel:" + item.phone.number,
                    theirTime: times.instant(now),
                    owes: Money.displayString(minorUnits: item.debt.balance, currency: item.debt.currency),
                    debtURL: "/debts/\(item.debt.id)",
                    claimed: item.claimedUntil.map { "Claimed by you until \(times.instant($0))" },
                    isClaimed: item.claimedUntil != nil,
                    review: item.decision.verdict == .review, submission: FormOnce.newID(),
                    outcomes: DebtPagesController.quickOutcomes.map {
                        OutcomeButton(value: $0.0.rawValue, label: $0.1)
                    })
            }
            let taskViews = tasks.map { task in
                TaskView(
                    due: TimeDisplay.date(task.dueOn), kind: Self.taskLabels[task.kind] ?? task.kind,
                    debtor: task.debtorName, client: task.clientName, debtRef: task.debtRef,
                    debtURL: "/debts/\(task.debtID)", reason: task.reason)
            }
            let count = list.items.count
            let context = Context(
                items: items, tasks: taskViews, flash: flash, flashFindings: flash?.findings ?? [],
                clients: try await DebtPagesController.clientChoices(request, selected: client), client: client,
                showClient: request.scope == .all,
                caption: count == 0
                    ? "Nobody may be called now."
                    : "\(count == 1 ? "1 debtor" : "\(count) debtors") you may call now, "
                        + "the first to call first (\(TimeDisplay.date(list.today))).",
                incomplete: list.isComplete
                    ? nil
                    : "The rules block most calls at this hour: the queue stopped after weighing \(list.examined) "
                        + "debtors, and more may be callable further down.")
            return try await request.view.render("queue", context).encodeResponse(for: request)
        }
    }

    // MARK: Claiming

    struct ClaimForm: PageForm {
        var client: String?
    }

    @Sendable
    func claimNext(request: Request) async throws -> Response {
        let form = request.form(ClaimForm.self)
        let result = try await QueueScope.claim(request, debtID: nil, client: form.client, minutes: nil)
        return claimed(request, result, next: true)
    }

    @Sendable
    func claim(request: Request) async throws -> Response {
        let debt = try await DebtLookup.debt(request)
        let result = try await QueueScope.claim(request, debtID: debt.id, client: nil, minutes: nil)
        return claimed(request, result, next: false)
    }

    private func claimed(_ request: Request, _ result: QueueClaimResult, next: Bool) -> Response {
        let zone = request.application.settings.businessTimeZone
        switch result {
        case .claimed(let claim):
            let item = claim.item
            let times = TimeDisplay(debtorZone: item.zone, debtorZoneIsKnown: item.zoneIsKnown, userZone: zone)
            return Flash.redirect(
                request, to: "/queue", fragment: "item-\(item.debt.id)",
                with: Flash(
                    kind: .notice,
                    text: "\(next ? "Claimed the next: " : "Claimed: ")\(item.debtorName), until "
                        + "\(times.instant(claim.until)). Call \(item.phone.number); recording the outcome releases "
                        + "the claim."))
        case .taken(let by, let until):
            return Flash.redirect(
                request, to: "/queue",
                with: Flash(
                    kind: .refusal,
                    text: "Not claimed: \(by) holds this debtor until "
                        + "\(TimeDisplay(debtorZone: zone, userZone: zone).instant(until))."))
        case .unavailable(let why):
            return Flash.redirect(
                request, to: "/queue", with: Flash(kind: .refusal, text: "Not claimed: \(Self.sentence(why))"))
        }
    }

    // MARK: Recording the outcome

    struct OutcomeForm: PageForm {
        var outcome: String?
        var note: String?
        var to: String?
        var submission: String?
    }

    @Sendable
    func recordOutcome(request: Request) async throws -> Response {
        let debt = try await DebtLookup.debt(request)
        let form = request.form(OutcomeForm.self)
        let settings = request.application.settings
        let zone = settings.businessTimeZone
        do {
            let user = try request.requireUser()
            let submission = try FormOnce.submission(request, by: user.email)
            guard let outcome = CallOutcome(rawValue: form.outcome ?? "") else {
                throw InputError(
                    "choose how the call went: "
                        + DebtPagesController.quickOutcomes.map { $0.1.lowercased() }.joined(separator: ", "))
            }
            let note = try DebtPagesController.optionalText(
                form.note, field: "the note", limit: ContactStore.maxNoteLength)
            let result = try await WorkQueue.recordOutcome(
                debtID: debt.id, outcome: outcome, note: note, to: form.to, collector: user.email, scope: request.scope,
                now: settings.clock(), zone: zone, once: submission, on: request.db)
            let label = DebtPagesController.quickOutcomes.first { $0.0 == outcome }?.1.lowercased() ?? outcome.rawValue
            switch result {
            case .done(.recorded(_, let entry, _, let items)):
                var to = ""
                if case .call(_, let number?, _, _) = entry.event.kind { to = " (\(number))" }
                let debts = entry.event.debtIDs ?? [debt.ref]
                return Flash.redirect(
                    request, to: "/queue",
                    with: Flash(
                        kind: .notice,
                        text: "Recorded: a call to \(debt.debtorName)\(to), \(label), about "
                            + "\(debts.joined(separator: ", "))"
                            + (note.map { ", with the note “\($0)”" } ?? "") + ". "
                            + (items.count == 1 ? "Its work item is done." : "\(items.count) work items are done.")))
            case .done(.blocked(let decision)):
                return Flash.redirect(
                    request, to: "/queue",
                    with: Flash(
                        kind: .refusal,
                        text: "Refused: the compliance rules block a call to \(debt.debtorName) now. Nothing was "
                            + "recorded.",
                        findings: decision.findings.filter { $0.effect == .block }.map {
                            Flash.Finding(
                                rule: $0.rule.rawValue, effect: $0.effect.rawValue, reason: $0.reason,
                                citation: $0.citation)
                        }))
            case .done(.taken(let by, let until)):
                return Flash.redirect(
                    request, to: "/queue",
                    with: Flash(
                        kind: .refusal,
                        text: "Not recorded: \(by) holds \(debt.debtorName) until "
                            + "\(TimeDisplay(debtorZone: zone, userZone: zone).instant(until))."))
            case .repeated(let receipt):
                return Flash.redirect(
                    request, to: "/queue",
                    with: Flash(
                        kind: .notice,
                        text: FormOnce.alreadySent(receipt, zone: zone) + ": the call was recorded once, not again."))
            }
        } catch {
            guard let sentence = DebtPagesController.fixable(error) else { throw error }
            return Flash.redirect(
                request, to: "/queue", fragment: "item-\(debt.id)",
                with: Flash(kind: .refusal, text: "Not recorded: \(Self.sentence(sentence))"))
        }
    }

    /// A store's sentence as the end of one of the page's: ends with a full stop.
    static func sentence(_ text: String) -> String { text.hasSuffix(".") ? text : text + "." }
}
