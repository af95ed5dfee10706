import FluentKit
import Foundation
import RecoupCore
import RecoupStore
import Vapor

// The debt page's "Automatic steps": pause the strategy until a day (this debt, or every debt of the debtor) and end
// a pause; exclude the debtor from automatic steps and include them again; place the debt with an agency and recall
// it. Each form goes through the store's one use case for it (`PauseStore`, `PlacementStore`, the ones
// `recoup pause|exclude|placement` use), posts, redirects with what happened and records once however often it is
// sent; a form the page cannot take is the page again with one sentence next to it.
extension DebtPagesController {
    // MARK: What the page shows

    struct PauseRow: Encodable {
        var id: String
        /// "This debt" or "All of Pat Doe's debts".
        var covers: String
        var until: String
        var reason: String
        var setBy: String
        var submission: String
    }

    struct ExclusionView: Encodable {
        var id: String
        var reason: String
        var since: String
        /// Nil for a whole client's exclusion, which is ended from the command line.
        var submission: String?
    }

    struct PlacementRow: Encodable {
        var agency: String
        var placedOn: String
        var balance: String
        /// "25%", or nil when no rate was given.
        var rate: String?
        var file: String?
        var recalled: String?
        var by: String?
    }

    struct PauseFormState: Encodable {
        var submission: String
        var scopes: [Choice]
        var until: String
        var earliest: String
        var latest: String
        var reason: String
    }

    struct ReasonFormState: Encodable {
        var submission: String
        var reason: String
    }

    struct PlacementFormState: Encodable {
        var submission: String
        var agency: String
        var placedOn: String
        var rate: String
        var latest: String
    }

    struct RecallFormState: Encodable {
        var submission: String
        var reason: String
        var recalledOn: String
        var earliest: String
        var latest: String
    }

    /// The section "Automatic steps".
    struct AutomationView: Encodable {
        /// What the strategy does with this debt now, in one sentence.
        var standing: String
        var pauses: [PauseRow]
        var pauseForm: PauseFormState
        /// Why a pause, or the end of one, was refused.
        var pauseError: String?
        var debtorExclusion: ExclusionView?
        var clientExclusion: ExclusionView?
        var excludeForm: ReasonFormState?
        /// Why an exclusion, or an inclusion, was refused.
        var exclusionError: String?
        var placement: PlacementRow?
        /// Why a placement, or a recall, was refused.
        var placementError: String?
        var pastPlacements: [PlacementRow]
        var placeForm: PlacementFormState?
        var recallForm: RecallFormState?
        /// True when the debt is not placed and nothing is owed, so there is nothing to place.
        var nothingToPlace: Bool
    }

    /// A form of the section sent and refused, kept to show it again.
    enum AutomationForm {
        case pause(PauseForm), endPause, exclude(ExcludeForm), include, place(PlaceForm), recall(RecallForm)
    }

    static let pauseScopes: [(String, String)] = [("debt", "This debt"), ("debtor", "Every debt of the debtor")]

    /// Fills in "Automatic steps": the pauses in force with their end buttons, the pause form, the debtor's (and the
    /// client's) exclusion or the form to exclude, the placement in force with the recall form or the form to place,
    /// and earlier placements.
    static func addAutomation(
        to context: inout DebtContext, debt: DebtSummary, balance: Int64, today: LocalDate, times: TimeDisplay,
        entered: Entered?, on database: any Database
    ) async throws {
        let sent = entered?.form == .automation ? entered?.automation : nil
        let error = sent == nil ? nil : entered?.error
        let money = { (units: Int64) in Money.displayString(minorUnits: units, currency: debt.currency) }
        let pauses = try await PauseStore.pauses(debtorID: debt.debtorID, on: database).filter {
            $0.isInForce(on: today) && ($0.debtID == nil || $0.debtID == debt.id)
        }
        let exclusions = try await PauseStore.exclusions(debtorID: debt.debtorID, on: database).filter { $0.isInForce }
        let placements = try await PlacementStore.placements(debtID: debt.id, on: database)
        let exclusionView = { (exclusion: AutomationExclusion, withButton: Bool) in
            ExclusionView(
                id: String(exclusion.id), reason: exclusion.reason,
                since: times.instant(exclusion.createdAt) + (exclusion.createdBy.map { ", by \($0)" } ?? ""),
                submission: withButton ? FormOnce.newID() : nil)
        }
        let placementRow = { (placement: Placement) in
            PlacementRow(
                agency: placement.agency, placedOn: TimeDisplay.date(placement.placedOn),
                balance: Money.displayString(minorUnits: placement.balanceAtPlacement, currency: placement.currency),
                rate: placement.contingencyPercent.map { "\($0)%" },
                file: placement.filePath.map { URL(fileURLWithPath: $0).lastPathComponent },
                recalled: placement.recalledOn.map { day in
                    "Recalled \(TimeDisplay.date(day))" + (placement.recallReason.map { ": \($0)" } ?? "")
                        + (placement.recalledBy.map { " (\($0))" } ?? "")
                }, by: placement.createdBy)
        }
        let current = placements.first { $0.isInForce }
        var pauseForm: PauseForm? = nil
        var excludeForm: ExcludeForm? = nil
        var placeForm: PlaceForm? = nil
        var recallForm: RecallForm? = nil
        switch sent {
        case .pause(let form): pauseForm = form
        case .exclude(let form): excludeForm = form
        case .place(let form): placeForm = form
        case .recall(let form): recallForm = form
        case .endPause, .include, nil: break
        }
        let debtorExclusion = exclusions.first { $0.debtorID == debt.debtorID }
        let clientExclusion = exclusions.first { $0.isWholeClient }
        let pauseRows = pauses.map { pause in
            PauseRow(
                id: String(pause.id),
                covers: pause.debtID == nil ? "All of \(debt.debtorName)'s debts" : "This debt",
                until: TimeDisplay.date(pause.until), reason: pause.reason,
                setBy: times.instant(pause.createdAt) + (pause.createdBy.map { ", by \($0)" } ?? ""),
                submission: FormOnce.newID())
        }
        let pauseState = PauseFormState(
            submission: kept(pauseForm?.submission), scopes: choices(pauseScopes, selected: pauseForm?.scope),
            until: pauseForm?.until ?? "", earliest: today.isoString,
            latest: today.adding(months: PauseStore.longestPauseMonths).isoString,
            reason: pauseForm?.reason ?? "")
        var pauseError: String? = nil
        var exclusionError: String? = nil
        var placementError: String? = nil
        switch sent {
        case .pause, .endPause: pauseError = error
        case .exclude, .include: exclusionError = error
        case .place, .recall: placementError = error
        case nil: break
        }
        let standing = standing(
            debt: debt, pauses: pauses, excluded: debtorExclusion ?? clientExclusion, placement: current, money: money)
        var view = AutomationView(
            standing: standing, pauses: pauseRows, pauseForm: pauseState, pauseError: pauseError,
            debtorExclusion: debtorExclusion.map { exclusionView($0, true) },
            clientExclusion: clientExclusion.map { exclusionView($0, false) }, exclusionError: exclusionError,
            placement: current.map(placementRow), placementError: placementError,
            pastPlacements: placements.filter { !$0.isInForce }.map(placementRow),
            nothingToPlace: current == nil && balance <= 0 && placeForm == nil)
        if debtorExclusion == nil {
            view.excludeForm = ReasonFormState(
                submission: kept(excludeForm?.submission), reason: excludeForm?.reason ?? "")
        }
        if let current {
            view.recallForm = RecallFormState(
                submission: kept(recallForm?.submission), reason: recallForm?.reason ?? "",
                recalledOn: recallForm?.recalledOn ?? today.isoString, earliest: current.placedOn.isoString,
                latest: today.isoString)
        } else if balance > 0 || placeForm != nil {
            view.placeForm = PlacementFormState(
                submission: kept(placeForm?.submission), agency: placeForm?.agency ?? "",
                placedOn: placeForm?.placedOn ?? today.isoString, rate: placeForm?.rate ?? "", latest: today.isoString)
        }
        context.automation = view
    }

    /// What the strategy does with the debt now: placed, excluded, paused, or running.
    static func standing(
        debt: DebtSummary, pauses: [StrategyPause], excluded: AutomationExclusion?, placement: Placement?,
        money: (Int64) -> String
    ) -> String {
        if let placement {
            return "Placed with \(placement.agency) since \(TimeDisplay.date(placement.placedOn)): the client's "
                + "strategy takes no step for this debt until it is recalled."
        }
        if let excluded {
            return excluded.isWholeClient
                ? "Every debt of \(debt.clientName) is worked by hand: the daily run takes no automatic step."
                : "\(debt.debtorName) is worked by hand: the daily run takes no automatic step for their debts."
        }
        if let last = pauses.map({ $0.until }).max() {
            return "The strategy is paused for this debt through \(TimeDisplay.date(last)); it resumes by itself "
                + "the day after."
        }
        return debt.isOpen
            ? "The strategy runs for this debt: the daily run takes the step due on its track."
            : "Nothing is owed: the strategy has nothing to do for this debt."
    }

    /// The routes of the section's forms.
    func bootAutomation(_ routes: any RoutesBuilder) {
        routes.post("debts", ":id", "pauses", use: pauseStrategy)
        routes.post("debts", ":id", "pauses", "end", use: endPause)
        routes.post("debts", ":id", "exclusion", use: excludeDebtor)
        routes.post("debts", ":id", "exclusion", "end", use: includeDebtor)
        routes.post("debts", ":id", "placement", use: placeDebt)
        routes.post("debts", ":id", "placement", "recall", use: recallDebt)
    }

    // MARK: Pauses

    struct PauseForm: DebtPageForm {
        /// `debt` or `debtor`.
        var scope: String?
        var until: String?
        var reason: String?
        var submission: String?

        func entered(error: String) -> Entered { Entered(form: .automation, error: error, automation: .pause(self)) }
    }

    struct EndPauseForm: DebtPageForm {
        var pause: String?
        var submission: String?

        func entered(error: String) -> Entered { Entered(form: .automation, error: error, automation: .endPause) }
    }

    /// Pauses the strategy through a day for this debt or every debt of its debtor (`PauseStore.pause`).
    @Sendable
    func pauseStrategy(request: Request) async throws -> Response {
        try await handleForm(request, PauseForm.self) { debt, form, submission in
            let settings = request.application.settings
            guard let scope = form.scope, Self.pauseScopes.contains(where: { $0.0 == scope }) else {
                throw InputError("choose what to pause: this debt, or every debt of the debtor")
            }
            let until = try Self.day(form.until, field: "the last day of the pause")
            let result = try await PauseStore.pause(
                clientRef: debt.clientRef, debtRef: scope == "debt" ? debt.ref : nil,
                debtorRef: scope == "debtor" ? debt.debtorRef : nil, until: until, reason: form.reason ?? "",
                by: request.recoupUser?.email, once: submission, now: settings.clock(),
                zone: settings.businessTimeZone, on: request.db)
            switch result {
            case .done(let pause):
                let what = pause.debtID == nil ? "every debt of \(debt.debtorName)" : "this debt"
                return backToPage(
                    request, debt: debt,
                    Flash(
                        kind: .notice,
                        text: "Paused: the strategy waits for \(what) through \(TimeDisplay.date(pause.until)) and "
                            + "resumes by itself the day after."))
            case .repeated(let receipt): return repeated(request, debt: debt, receipt, what: "the pause")
            }
        }
    }

    /// Ends a pause now (`PauseStore.endPause`); only a pause of this debt's client is found.
    @Sendable
    func endPause(request: Request) async throws -> Response {
        try await handleForm(request, EndPauseForm.self) { debt, form, submission in
            guard let id = form.pause.flatMap({ Int64($0) }) else { throw InputError("choose the pause to end") }
            let result = try await PauseStore.endPause(
                id: id, clientRef: debt.clientRef, by: request.recoupUser?.email, once: submission,
                now: request.application.settings.clock(), on: request.db)
            switch result {
            case .done(let pause):
                let what = pause.debtID == nil ? "every debt of \(debt.debtorName)" : "this debt"
                return backToPage(
                    request, debt: debt,
                    Flash(kind: .notice, text: "Pause ended: the strategy resumes for \(what) at the next run."))
            case .repeated(let receipt): return repeated(request, debt: debt, receipt, what: "the end of the pause")
            }
        }
    }

    // MARK: Exclusions

    struct ExcludeForm: DebtPageForm {
        var reason: String?
        var submission: String?

        func entered(error: String) -> Entered {
            Entered(form: .automation, error: error, automation: .exclude(self))
        }
    }

    struct IncludeForm: DebtPageForm {
        var exclusion: String?
        var submission: String?

        func entered(error: String) -> Entered { Entered(form: .automation, error: error, automation: .include) }
    }

    /// Leaves the debtor to manual work (`PauseStore.exclude`).
    @Sendable
    func excludeDebtor(request: Request) async throws -> Response {
        try await handleForm(request, ExcludeForm.self) { debt, form, submission in
            let result = try await PauseStore.exclude(
                clientRef: debt.clientRef, debtorRef: debt.debtorRef, reason: form.reason ?? "",
                by: request.recoupUser?.email, once: submission, now: request.application.settings.clock(),
                on: request.db)
            switch result {
            case .done:
                return backToPage(
                    request, debt: debt,
                    Flash(
                        kind: .notice,
                        text: "\(debt.debtorName) is excluded from automatic steps: their debts are worked by hand "
                            + "until they are included again."))
            case .repeated(let receipt): return repeated(request, debt: debt, receipt, what: "the exclusion")
            }
        }
    }

    /// Ends the debtor's exclusion (`PauseStore.include`); only an exclusion of this debt's client is found.
    @Sendable
    func includeDebtor(request: Request) async throws -> Response {
        try await handleForm(request, IncludeForm.self) { debt, form, submission in
            guard let id = form.exclusion.flatMap({ Int64($0) }) else {
                throw InputError("choose the exclusion to end")
            }
            let result = try await PauseStore.include(
                id: id, clientRef: debt.clientRef, by: request.recoupUser?.email, once: submission,
                now: request.application.settings.clock(), on: request.db)
            switch result {
            case .done:
                return backToPage(
                    request, debt: debt,
                    Flash(
                        kind: .notice,
                        text: "\(debt.debtorName) is included again: automatic steps resume at the next run."))
            case .repeated(let receipt): return repeated(request, debt: debt, receipt, what: "the inclusion")
            }
        }
    }

    // MARK: Placements

    struct PlaceForm: DebtPageForm {
        var agency: String?
        var placedOn: String?
        var rate: String?
        var submission: String?

        func entered(error: String) -> Entered { Entered(form: .automation, error: error, automation: .place(self)) }
    }

    struct RecallForm: DebtPageForm {
        var reason: String?
        var recalledOn: String?
        var submission: String?

        func entered(error: String) -> Entered {
            Entered(form: .automation, error: error, automation: .recall(self))
        }
    }

    /// Places the debt with an agency (`PlacementStore.place`) and writes the agency's placement file for the day
    /// (`PlacementFile.write`, into the server's placements directory).
    @Sendable
    func placeDebt(request: Request) async throws -> Response {
        try await handleForm(request, PlaceForm.self) { debt, form, submission in
            let settings = request.application.settings
            let placedOn = try Self.day(form.placedOn, field: "the placement date")
            let result = try await PlacementStore.place(
                clientRef: debt.clientRef, debtRef: debt.ref, agency: form.agency ?? "", placedOn: placedOn,
                contingencyPercent: form.rate, by: request.recoupUser?.email, once: submission,
                now: settings.clock(), zone: settings.businessTimeZone, on: request.db)
            switch result {
            case .done(let placement):
                var details: [String] = []
                do {
                    let file = try await PlacementFile.write(
                        agency: placement.agency, clientRef: placement.clientRef, placedOn: placement.placedOn,
                        directory: settings.placementsDirectory, on: request.db)
                    details.append("The agency's file for the day: \(file.lastPathComponent).")
                } catch {
                    request.logger.error(
                        "placement file not written", metadata: ["placement": "\(placement.id)", "error": "\(error)"])
                    details.append(
                        "The agency's file could not be written; write it with recoup placement file --agency "
                            + "\(placement.agency) --on \(placement.placedOn.isoString).")
                }
                return backToPage(
                    request, debt: debt,
                    Flash(
                        kind: .notice,
                        text: "Placed with \(placement.agency) on \(TimeDisplay.date(placement.placedOn)): "
                            + Money.displayString(
                                minorUnits: placement.balanceAtPlacement, currency: placement.currency)
                            + " owed at placement"
                            + (placement.contingencyPercent.map { ", contingency rate \($0)%" } ?? "")
                            + ". The client's strategy stops for this debt.",
                        details: details))
            case .repeated(let receipt): return repeated(request, debt: debt, receipt, what: "the placement")
            }
        }
    }

    /// Recalls the debt from its agency (`PlacementStore.recall`).
    @Sendable
    func recallDebt(request: Request) async throws -> Response {
        try await handleForm(request, RecallForm.self) { debt, form, submission in
            let settings = request.application.settings
            let recalledOn = try Self.day(form.recalledOn, field: "the recall date")
            let result = try await PlacementStore.recall(
                clientRef: debt.clientRef, debtRef: debt.ref, recalledOn: recalledOn, reason: form.reason ?? "",
                by: request.recoupUser?.email, once: submission, now: settings.clock(),
                zone: settings.businessTimeZone, on: request.db)
            switch result {
            case .done(let placement):
                return backToPage(
                    request, debt: debt,
                    Flash(
                        kind: .notice,
                        text: "Recalled from \(placement.agency) on "
                            + "\(TimeDisplay.date(placement.recalledOn ?? recalledOn)): the client's strategy takes "
                            + "the debt back."))
            case .repeated(let receipt): return repeated(request, debt: debt, receipt, what: "the recall")
            }
        }
    }
}
