import Foundation
import RecoupCore
import RecoupStore
import Vapor

/// The debt's strategy on its page: the track it is on today, the steps done, and a form to run any step now by hand
/// (`RunStore.runStep`: the same compliance check, message check and outbox as the daily run).
extension DebtPagesController {
    struct StepRow: Encodable {
        var id: String
        /// "Day 7 after the due date: email (reminder)".
        var label: String
        /// "done 2026-11-30", "skipped 2026-11-21", or "" while not done.
        var done: String
    }

    struct StrategyView: Encodable {
        /// "standard (built-in), track avoider".
        var heading: String
        var steps: [StepRow]
        var submission: String
    }

    static func addStrategy(
        to context: inout DebtContext, debt: DebtSummary, request: Request
    ) async throws {
        let settings = request.application.settings
        guard
            let track = try await RunStore.track(
                debtID: debt.id, on: request.db, now: settings.clock(), zone: settings.businessTimeZone)
        else { return }
        let version = track.strategyVersion == 0 ? "built-in" : "version \(track.strategyVersion)"
        context.strategy = StrategyView(
            heading: "\(track.strategyName) (\(version))" + (track.trackName.map { ", track \($0)" } ?? ", no track"),
            steps: track.steps.map { step in
                let done = track.done.filter { $0.stepID == step.id }.max { $0.scheduledOn < $1.scheduledOn }
                let day = debt.dueOn.adding(days: step.day)
                let passedOver = done == nil && track.floor.map { day < $0 } == true
                return StepRow(
                    id: step.id, label: Self.stepLabel(step),
                    done: done.map {
                        let how =
                            $0.occurrence < 0
                            ? "run by hand"
                            : track.skipped.contains("\($0.stepID)#\($0.occurrence)") ? "skipped" : "done"
                        return "\(how) for \($0.scheduledOn.isoString)"
                    } ?? (passedOver ? "passed over (fell on \(day.isoString), before a later step)" : ""))
            }, submission: FormOnce.newID())
    }

    static func stepLabel(_ step: StrategyStep) -> String {
        let day =
            step.day < 0
            ? "\(-step.day) day\(step.day == -1 ? "" : "s") before the due date"
            : step.day == 0 ? "on the due date" : "day \(step.day) after the due date"
        var what = step.action.rawValue.replacingOccurrences(of: "_", with: " ")
        if let channel = step.messageChannel, step.action != .email, step.action != .sms, step.action != .letter {
            what += " by \(channel.rawValue)"
        }
        if let template = step.template { what += " (\(template))" }
        if let agency = step.agency { what += " to \(agency)" }
        if let every = step.repeatEvery { what += ", every \(every) days" }
        return "\(step.id): \(day), \(what)"
    }

    struct StepForm: DebtPageForm {
        var step: String?
        var submission: String?

        func entered(error: String) -> Entered { Entered(form: .automation, error: error, contact: nil, plan: nil) }
    }

    /// Runs a step of the debt's track now (`RunStore.runStep`); a refusal is a flash with the rules' reasons.
    @Sendable
    func runStep(request: Request) async throws -> Response {
        let debt = try await DebtLookup.debt(request)
        let form = request.form(StepForm.self)
        let settings = request.application.settings
        do {
            let submission = try FormOnce.submission(request, by: request.recoupUser?.email)
            guard let step = form.step, !step.isEmpty else { throw InputError("choose the step to run") }
            let base = settings.publicURL?.description ?? PublicBaseURL.forLinks(request).description
            let result = try await RunStore.runStep(
                step, debtID: debt.id, by: request.recoupUser?.email, publicURL: base, once: submission,
                on: request.db, now: settings.clock(), zone: settings.businessTimeZone)
            switch result {
            case .repeated(let receipt): return repeated(request, debt: debt, receipt, what: "the step")
            case .done(.done(let action)):
                return backToPage(
                    request, debt: debt,
                    Flash(kind: .notice, text: "Done: \(action.reason)."))
            case .done(.blocked(let blocked)):
                return backToPage(
                    request, debt: debt,
                    Flash(
                        kind: .refusal,
                        text: "Not done: \(blocked.reason.isEmpty ? "the rules refuse it" : blocked.reason) "
                            + "(\(blocked.rules.joined(separator: ", "))). Nothing was recorded."))
            }
        } catch {
            guard let sentence = Self.fixable(error) else { throw error }
            return backToPage(request, debt: debt, Flash(kind: .refusal, text: "Not done: \(sentence)"))
        }
    }
}
