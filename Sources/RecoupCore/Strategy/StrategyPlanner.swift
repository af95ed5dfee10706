import Foundation

/// One occurrence of a step for one debt: the key that makes it happen once (with the debt), and the day it falls on.
public struct StepOccurrence: Hashable, Sendable, Comparable {
    public var stepID: String
    /// 0 for the step's day; n for its n-th repetition (`repeatEvery`).
    public var occurrence: Int
    /// The day it falls on: the due date plus the step's day, plus the repetitions.
    public var scheduledOn: LocalDate

    public init(stepID: String, occurrence: Int, scheduledOn: LocalDate) {
        self.stepID = stepID
        self.occurrence = occurrence
        self.scheduledOn = scheduledOn
    }

    public static func < (lhs: StepOccurrence, rhs: StepOccurrence) -> Bool {
        (lhs.scheduledOn, lhs.stepID, lhs.occurrence) < (rhs.scheduledOn, rhs.stepID, rhs.occurrence)
    }
}

/// The step due today for one debt, and the earlier due occurrences it passes over.
public struct StepPlan: Sendable, Equatable {
    /// The index of the debt's track in the strategy.
    public var track: Int
    public var step: StrategyStep
    public var occurrence: StepOccurrence
    /// Occurrences that fell due since the last run and were not done: recorded as skipped so that they never
    /// happen (after days without a run a debt gets its latest due step only, never a burst). At most one per step
    /// (a repeating step's latest missed repetition).
    public var skipped: [StepOccurrence]

    public init(track: Int, step: StrategyStep, occurrence: StepOccurrence, skipped: [StepOccurrence]) {
        self.track = track
        self.step = step
        self.occurrence = occurrence
        self.skipped = skipped
    }
}

/// Decides, for one debt on one day, which step of its strategy is due: pure, from the debt's facts and the steps
/// already done (or skipped) for it.
///
/// - The debt's track is the first whose conditions match.
/// - A step's occurrences fall on the due date plus its `day`, and with `repeatEvery`, every so many days after, up
///   to (not including) the day the next later step of the track falls on: the repetition stops when the debt moves
///   on.
/// - An occurrence is due when it falls on or before `asOf`, its step's conditions match, it was not done or skipped,
///   and it falls no earlier than the latest occurrence already done (a new version never goes back to a step the
///   debt has passed).
/// - A step before the due date (negative `day`, not repeating) is due only up to the due date itself.
/// - Of the due occurrences the latest is planned (on the same day, the one later in the track); the others are
///   skipped.
public enum StrategyPlanner {
    /// The most repetitions of one step the planner looks through (ten years of daily repetition).
    static let repetitionLimit = 3_660

    /// The step due on `asOf` for a debt with these `facts`, given the occurrences already `done` (or skipped) for it;
    /// nil when nothing is due.
    public static func plan(
        _ strategy: Strategy, facts: StrategyDebtFacts, done: some Collection<StepOccurrence>, asOf: LocalDate
    ) -> StepPlan? {
        guard let trackIndex = strategy.trackIndex(for: facts, asOf: asOf) else { return nil }
        let track = strategy.tracks[trackIndex]
        let doneKeys = Set(done.map { DoneKey(stepID: $0.stepID, occurrence: $0.occurrence) })
        let floor = done.map(\.scheduledOn).max()
        var due: [(position: Int, occurrence: StepOccurrence)] = []
        for (position, step) in track.steps.enumerated() {
            guard step.when.matches(facts, asOf: asOf) else { continue }
            let first = facts.dueOn.adding(days: step.day)
            guard first <= asOf else { continue }
            // A reminder before the due date is for before it: once the date has passed it is never due (a late
            // run does not send "due soon" about a debt already past due). A repeating step runs on regardless.
            if step.day < 0, step.repeatEvery == nil, asOf > facts.dueOn { continue }
            var latest: StepOccurrence? = nil
            if let every = step.repeatEvery, every > 0 {
                // Repetitions run until the next later step of the track falls due.
                let stop = track.steps.map(\.day).filter { $0 > step.day }.min().map { facts.dueOn.adding(days: $0) }
                let last = min(asOf, stop.map { $0.adding(days: -1) } ?? asOf)
                guard last >= first else { continue }
                let count = min(last.days(since: first) / every, repetitionLimit)
                // Only the latest repetition can be due: earlier missed ones are passed over with it.
                let occurrence = StepOccurrence(
                    stepID: step.id, occurrence: count, scheduledOn: first.adding(days: count * every))
                if floor.map({ occurrence.scheduledOn >= $0 }) ?? true,
                    !doneKeys.contains(DoneKey(stepID: step.id, occurrence: count))
                {
                    latest = occurrence
                }
            } else if !doneKeys.contains(DoneKey(stepID: step.id, occurrence: 0)) {
                if floor.map({ first >= $0 }) ?? true {
                    latest = StepOccurrence(stepID: step.id, occurrence: 0, scheduledOn: first)
                }
            }
            if let latest { due.append((position, latest)) }
        }
        guard
            let chosen = due.max(by: {
                ($0.occurrence.scheduledOn, $0.position) < ($1.occurrence.scheduledOn, $1.position)
            })
        else { return nil }
        let skipped = due.filter { $0.position != chosen.position }.map(\.occurrence).sorted()
        return StepPlan(
            track: trackIndex, step: track.steps[chosen.position], occurrence: chosen.occurrence, skipped: skipped)
    }

    private struct DoneKey: Hashable {
        var stepID: String
        var occurrence: Int
    }
}
