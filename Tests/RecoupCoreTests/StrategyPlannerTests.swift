import Foundation
import RecoupCore
import Testing

@Suite("Strategy planner")
struct StrategyPlannerTests {
    static let due = try! LocalDate(iso: "2026-03-01")

    /// The day `days` after the due date.
    static func day(_ days: Int) -> LocalDate { due.adding(days: days) }

    static func step(
        _ id: String, _ day: Int, _ action: StrategyAction = .email, repeatEvery: Int? = nil,
        when: StrategyConditions = StrategyConditions()
    ) -> StrategyStep {
        var step = StrategyStep(id: id, day: day, action: action)
        step.repeatEvery = repeatEvery
        step.when = when
        return step
    }

    static func conditions(_ build: (inout StrategyConditions) -> Void) -> StrategyConditions {
        var conditions = StrategyConditions()
        build(&conditions)
        return conditions
    }

    static func facts(
        segment: Segment = .new, kind: DebtorKind = .consumer, balance: Int64 = 25_000, currency: Currency = .usd,
        state: StrategyDebtState = .open, lastContactOn: LocalDate? = nil, contactable: Bool = true
    ) -> StrategyDebtFacts {
        StrategyDebtFacts(
            dueOn: due, segment: segment, debtorKind: kind, balance: balance, currency: currency, state: state,
            lastContactOn: lastContactOn, contactable: contactable)
    }

    static func occurrence(_ id: String, _ number: Int, _ day: Int) -> StepOccurrence {
        StepOccurrence(stepID: id, occurrence: number, scheduledOn: Self.day(day))
    }

    /// The track: before the due date, a reminder, a call, a plan offer, a final notice, hand-over, a nudge.
    static let standard = Strategy(
        name: "standard",
        tracks: [
            StrategyTrack(steps: [
                step("before-due", -3), step("reminder-1", 7), step("call-1", 15, .call), step("offer", 20, .offerPlan),
                step("final", 45, .finalNotice), step("agency", 75, .placeWithAgency),
                step("nudge", 90, repeatEvery: 30),
            ])
        ])

    static func plan(
        _ strategy: Strategy = standard, facts: StrategyDebtFacts = facts(), done: [StepOccurrence] = [], on day: Int
    ) -> StepPlan? {
        StrategyPlanner.plan(strategy, facts: facts, done: done, asOf: Self.day(day))
    }

    @Test("nothing is due before the first step's day; a step before the due date is due on its day")
    func beforeTheDueDate() {
        #expect(Self.plan(on: -4) == nil)
        let plan = Self.plan(on: -3)
        #expect(plan?.step.id == "before-due")
        #expect(plan?.occurrence == Self.occurrence("before-due", 0, -3))
        #expect(plan?.skipped == [])
        #expect(plan?.track == 0)
        // Done: nothing more until the next step's day.
        #expect(Self.plan(done: [Self.occurrence("before-due", 0, -3)], on: 6) == nil)
        #expect(Self.plan(done: [Self.occurrence("before-due", 0, -3)], on: 7)?.step.id == "reminder-1")
    }

    @Test("a reminder before the due date is due up to the due date itself, never after it")
    func beforeDueOnlyBeforeDue() {
        #expect(Self.plan(on: -3)?.step.id == "before-due")
        #expect(Self.plan(on: 0)?.step.id == "before-due", "a first run on the due date still reminds")
        #expect(Self.plan(on: 1) == nil, "a first run the day after: too late for 'due soon', too early for reminder-1")
        #expect(Self.plan(on: 7)?.step.id == "reminder-1")
        #expect(Self.plan(on: 7)?.skipped == [])
    }

    @Test("after days without a run, only the latest due step is planned; the ones passed over are listed as skipped")
    func latestOnly() {
        // Act: the first run is 16 days after the due date.
        let plan = Self.plan(on: 16)
        // Verify: the call, not a burst of the reminder before the due date, the reminder and the call.
        #expect(plan?.step.id == "call-1")
        #expect(plan?.occurrence == Self.occurrence("call-1", 0, 15))
        // The reminder before the due date is not even skipped: past the due date it is never due.
        #expect(plan?.skipped == [Self.occurrence("reminder-1", 0, 7)])
        // Once the call and the skipped steps are recorded, the same day plans nothing, and neither does the next.
        let recorded = [Self.occurrence("call-1", 0, 15)] + (plan?.skipped ?? [])
        #expect(Self.plan(done: recorded, on: 16) == nil)
        #expect(Self.plan(done: recorded, on: 19) == nil)
        #expect(Self.plan(done: recorded, on: 20)?.step.id == "offer")
    }

    @Test("a step done is never done again, even when a new version moves it or adds a step before it")
    func doneStepsStayDone() {
        let done = [Self.occurrence("before-due", 0, -3), Self.occurrence("reminder-1", 0, 7)]
        // The new version moves the reminder to day 10 and adds a call on day 5.
        let changed = Strategy(
            name: "standard 2",
            tracks: [
                StrategyTrack(steps: [
                    Self.step("before-due", -3), Self.step("call-0", 5, .call), Self.step("reminder-1", 10),
                    Self.step("call-1", 15, .call),
                ])
            ])
        // Day 12: the moved reminder was done; the new call falls before the latest step done and is passed over.
        #expect(Self.plan(changed, done: done, on: 12) == nil)
        // Day 15: the next step, and nothing listed as skipped (the call on day 5 is not due: the debt passed it).
        let plan = Self.plan(changed, done: done, on: 15)
        #expect(plan?.step.id == "call-1")
        #expect(plan?.skipped == [])
    }

    @Test("repeatEvery repeats until the next later step; only the latest repetition is due")
    func repetitions() {
        let done = [Self.occurrence("agency", 0, 75)]
        // The nudge from day 90 every 30 days, and nothing after it: it repeats as long as the debt is open.
        #expect(Self.plan(done: done, on: 89) == nil)
        #expect(Self.plan(done: done, on: 90)?.occurrence == Self.occurrence("nudge", 0, 90))
        #expect(Self.plan(done: done + [Self.occurrence("nudge", 0, 90)], on: 119) == nil)
        #expect(
            Self.plan(done: done + [Self.occurrence("nudge", 0, 90)], on: 120)?.occurrence
                == Self.occurrence("nudge", 1, 120))
        // Days without a run: the latest repetition only, the missed one is not listed (it is not a step of its own).
        let late = Self.plan(done: done + [Self.occurrence("nudge", 0, 90)], on: 185)
        #expect(late?.occurrence == Self.occurrence("nudge", 3, 180))
        #expect(late?.skipped == [])
        // Done: nothing until the next repetition.
        #expect(Self.plan(done: done + [Self.occurrence("nudge", 3, 180)], on: 209) == nil)
        #expect(Self.plan(done: done + [Self.occurrence("nudge", 3, 180)], on: 210)?.occurrence.occurrence == 4)
        // Far into the future, still one occurrence.
        #expect(Self.plan(done: done, on: 3000)?.occurrence == Self.occurrence("nudge", 97, 3000))

        // A repetition stops before the next later step of the track, which is then due.
        let bounded = Strategy(
            name: "calls",
            tracks: [
                StrategyTrack(steps: [
                    Self.step("call", 10, .call, repeatEvery: 7), Self.step("letter", 30, .letter),
                ])
            ])
        #expect(Self.plan(bounded, on: 24)?.occurrence == Self.occurrence("call", 2, 24))
        #expect(Self.plan(bounded, done: [Self.occurrence("call", 2, 24)], on: 29) == nil)
        // Day 31 would be the fourth repetition: the letter (day 30) is due instead; the call is not repeated.
        let letter = Self.plan(bounded, done: [Self.occurrence("call", 2, 24)], on: 31)
        #expect(letter?.step.id == "letter")
        #expect(letter?.skipped == [])
        // Without a run since day 10, the letter is planned and the latest repetition before it is skipped.
        let skipping = Self.plan(bounded, done: [Self.occurrence("call", 0, 10)], on: 40)
        #expect(skipping?.step.id == "letter")
        #expect(skipping?.skipped == [Self.occurrence("call", 2, 24)])
        // A repetition already done is not listed as skipped.
        #expect(Self.plan(bounded, done: [Self.occurrence("call", 2, 24)], on: 40)?.skipped == [])
    }

    @Test("two steps on the same day: the later one in the track is planned, the other skipped")
    func sameDay() {
        let strategy = Strategy(
            name: "x", tracks: [StrategyTrack(steps: [Self.step("email", 5), Self.step("call", 5, .call)])])
        let plan = Self.plan(strategy, on: 5)
        #expect(plan?.step.id == "call")
        #expect(plan?.skipped == [Self.occurrence("email", 0, 5)])
    }

    @Test("the first track whose conditions match is the debt's track; none matching plans nothing")
    func trackChoice() {
        let strategy = Strategy(
            name: "x",
            tracks: [
                StrategyTrack(
                    name: "hardship", when: Self.conditions { $0.segments = [.hardship] },
                    steps: [Self.step("offer", 3, .offerPlan)]),
                StrategyTrack(
                    name: "business", when: Self.conditions { $0.debtorKind = .commercial },
                    steps: [Self.step("business-call", 3, .call)]),
                StrategyTrack(
                    name: "consumers", when: Self.conditions { $0.debtorKind = .consumer },
                    steps: [Self.step("reminder", 3)]),
            ])
        #expect(Self.plan(strategy, facts: Self.facts(segment: .hardship, kind: .commercial), on: 3)?.track == 0)
        #expect(Self.plan(strategy, facts: Self.facts(segment: .new, kind: .commercial), on: 3)?.track == 1)
        #expect(
            Self.plan(strategy, facts: Self.facts(segment: .avoider, kind: .consumer), on: 3)?.step.id == "reminder")
        // A strategy whose tracks all have conditions may match nothing.
        let narrow = Strategy(name: "x", tracks: [strategy.tracks[0]])
        #expect(Self.plan(narrow, facts: Self.facts(segment: .new), on: 3) == nil)
        #expect(narrow.trackIndex(for: Self.facts(segment: .new), asOf: Self.day(3)) == nil)
    }

    @Test("a step done on another track is the same step: a debt that changes track does not get it again")
    func trackChange() {
        let strategy = Strategy(
            name: "x",
            tracks: [
                StrategyTrack(
                    when: Self.conditions { $0.segments = [.avoider] },
                    steps: [Self.step("call-1", 3, .call), Self.step("final", 21, .finalNotice)]),
                StrategyTrack(steps: [Self.step("call-1", 14, .call), Self.step("final", 45, .finalNotice)]),
            ])
        // Called on day 14 on the standard track, the debtor is an avoider from day 15: the call is not repeated,
        // the final notice comes on the avoider track's day.
        let done = [Self.occurrence("call-1", 0, 14)]
        #expect(Self.plan(strategy, facts: Self.facts(segment: .avoider), done: done, on: 15) == nil)
        let plan = Self.plan(strategy, facts: Self.facts(segment: .avoider), done: done, on: 21)
        #expect(plan?.step.id == "final")
        #expect(plan?.track == 0)
    }

    @Test("conditions: segment, debtor kind, state, contactable")
    func simpleConditions() {
        let cases: [(StrategyConditions, StrategyDebtFacts, Bool)] = [
            (Self.conditions { $0.segments = [.new, .hardship] }, Self.facts(segment: .hardship), true),
            (Self.conditions { $0.segments = [.new, .hardship] }, Self.facts(segment: .avoider), false),
            (Self.conditions { $0.debtorKind = .consumer }, Self.facts(kind: .consumer), true),
            (Self.conditions { $0.debtorKind = .consumer }, Self.facts(kind: .commercial), false),
            (Self.conditions { $0.states = [.open, .broken] }, Self.facts(state: .broken), true),
            (Self.conditions { $0.states = [.open, .broken] }, Self.facts(state: .promised), false),
            (Self.conditions { $0.contactable = false }, Self.facts(contactable: false), true),
            (Self.conditions { $0.contactable = false }, Self.facts(contactable: true), false),
            (StrategyConditions(), Self.facts(segment: .disputed, kind: .commercial, contactable: false), true),
        ]
        for (conditions, facts, expected) in cases {
            #expect(conditions.matches(facts, asOf: Self.day(10)) == expected, "\(conditions) \(facts)")
        }
    }

    @Test("minDaysSinceContact counts days from the last contact to the day planned; no contact at all matches")
    func daysSinceContact() {
        let conditions = Self.conditions { $0.minDaysSinceContact = 5 }
        #expect(conditions.matches(Self.facts(lastContactOn: nil), asOf: Self.day(10)))
        #expect(!conditions.matches(Self.facts(lastContactOn: Self.day(6)), asOf: Self.day(10)))
        #expect(conditions.matches(Self.facts(lastContactOn: Self.day(5)), asOf: Self.day(10)))
        // On a step: not due while someone spoke with the debtor lately, due once five days have passed.
        let strategy = Strategy(
            name: "x",
            tracks: [StrategyTrack(steps: [Self.step("call-2", 35, .call, repeatEvery: 7, when: conditions)])])
        #expect(Self.plan(strategy, facts: Self.facts(lastContactOn: Self.day(33)), on: 36) == nil)
        #expect(
            Self.plan(strategy, facts: Self.facts(lastContactOn: Self.day(33)), on: 38)?.occurrence
                == Self.occurrence("call-2", 0, 35))
        // A step whose conditions do not match is passed over, not skipped: the other steps go on.
        let mixed = Strategy(
            name: "x",
            tracks: [
                StrategyTrack(steps: [Self.step("a", 1), Self.step("b", 2, .call, when: conditions), Self.step("c", 3)])
            ])
        #expect(Self.plan(mixed, facts: Self.facts(lastContactOn: Self.day(1)), on: 2)?.step.id == "a")
        let third = Self.plan(mixed, facts: Self.facts(lastContactOn: Self.day(1)), on: 3)
        #expect(third?.step.id == "c")
        #expect(third?.skipped == [Self.occurrence("a", 0, 1)])
    }

    @Test("a balance range is read in the debt's currency: at least the lower amount, below the upper one")
    func balanceRange() {
        let range = Self.conditions {
            $0.balanceAtLeast = "100.00"
            $0.balanceBelow = "500"
        }
        for (balance, expected) in [(9_999, false), (10_000, true), (49_999, true), (50_000, false)] as [(Int64, Bool)]
        {
            #expect(range.matches(Self.facts(balance: balance), asOf: Self.day(1)) == expected, "\(balance)")
        }
        // The same range for a debt in yen (no minor unit) and in dinars (three).
        #expect(!range.matches(Self.facts(balance: 99, currency: .jpy), asOf: Self.day(1)))
        #expect(range.matches(Self.facts(balance: 100, currency: .jpy), asOf: Self.day(1)))
        #expect(!range.matches(Self.facts(balance: 500, currency: .jpy), asOf: Self.day(1)))
        #expect(range.matches(Self.facts(balance: 100_000, currency: .kwd), asOf: Self.day(1)))
        #expect(!range.matches(Self.facts(balance: 99_999, currency: .kwd), asOf: Self.day(1)))
    }

    @Test("an amount with more decimals than the debt's currency, or larger than it holds, still compares exactly")
    func balanceBeyondTheCurrency() {
        // 100.50 yen: 100 yen is below it, 101 is at least it.
        let atLeast = Self.conditions { $0.balanceAtLeast = "100.50" }
        let below = Self.conditions { $0.balanceBelow = "100.50" }
        #expect(!atLeast.matches(Self.facts(balance: 100, currency: .jpy), asOf: Self.day(1)))
        #expect(atLeast.matches(Self.facts(balance: 101, currency: .jpy), asOf: Self.day(1)))
        #expect(below.matches(Self.facts(balance: 100, currency: .jpy), asOf: Self.day(1)))
        #expect(!below.matches(Self.facts(balance: 101, currency: .jpy), asOf: Self.day(1)))
        // 50,000,000 dinars is more than any balance: nothing is at least it, everything is below it.
        let huge = Self.conditions { $0.balanceAtLeast = "50000000" }
        let hugeBelow = Self.conditions { $0.balanceBelow = "50000000" }
        #expect(!huge.matches(Self.facts(balance: 1_000_000, currency: .kwd), asOf: Self.day(1)))
        #expect(hugeBelow.matches(Self.facts(balance: 1_000_000, currency: .kwd), asOf: Self.day(1)))
    }
}
