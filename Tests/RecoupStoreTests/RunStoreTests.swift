import FluentKit
import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import SQLKit
import Testing

/// The daily run on a small portfolio, against the real databases: what it plans, that it records exactly that once,
/// one message per debtor, pauses, holds, blocked actions, skipped steps, and that every contact it plans passes the
/// compliance engine when replayed against the stored events.
@Suite struct RunStoreTests {
    static let utc = TimeZone(identifier: "UTC")!
    /// The run's date: the day of `testNow`.
    static let asOf = LocalDate(testNow, in: utc)

    /// A strategy with a reminder before the due date, a reminder, a call, a final notice and hand-over.
    static let strategy: Strategy = {
        var before = StrategyStep(id: "before-due", day: -3, action: .email)
        before.template = "reminder-before-due"
        var reminder = StrategyStep(id: "reminder-1", day: 7, action: .email)
        reminder.template = "reminder"
        let call = StrategyStep(id: "call-1", day: 15, action: .call)
        var final = StrategyStep(id: "final", day: 45, action: .finalNotice)
        final.template = "final-notice"
        var agency = StrategyStep(id: "agency", day: 75, action: .placeWithAgency)
        agency.agency = "partner-agency"
        return Strategy(name: "test", tracks: [StrategyTrack(steps: [before, reminder, call, final, agency])])
    }()

    /// C-17 owes three debts due a message (before-due, reminder-1, final: one letter at the final notice); C-21 has a
    /// home phone only and is due a call; C-30 has no contact details and is due a reminder; C-40's debt is charged
    /// after the run's date (not open then); C-50 is due a reminder before the due date.
    static var file: String {
        func day(_ offset: Int) -> String { asOf.adding(days: offset).isoString }
        return """
            debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,interest,fees,phones,emails,address_line1,address_city,address_state,address_postal_code,time_zones
            INV-1,C-17,consumer,Olivia Chen,\(day(-60)),\(day(-9)),1200.00,,,+16175550100:mobile,olivia.chen@example.com,12 Tremont St,Boston,MA,02118,America/New_York
            INV-2,C-17,consumer,Olivia Chen,\(day(-10)),\(day(3)),300.00,,,+16175550100:mobile,olivia.chen@example.com,12 Tremont St,Boston,MA,02118,America/New_York
            INV-3,C-17,consumer,Olivia Chen,\(day(-90)),\(day(-51)),40.00,2.50,15.00,+16175550100:mobile,olivia.chen@example.com,12 Tremont St,Boston,MA,02118,America/New_York
            INV-4,C-21,consumer,"Reyes, Dana",\(day(-50)),\(day(-21)),75.00,,,+13125550142:home,,,Chicago,IL,60601,
            INV-5,C-30,consumer,Sam Nobody,\(day(-40)),\(day(-8)),90.00,,,,,,,,,
            INV-6,C-40,consumer,Later Lee,\(day(2)),\(day(30)),50.00,,,,lee@example.com,,,,,America/Chicago
            INV-7,C-50,consumer,Early Eve,\(day(-20)),\(day(3)),60.00,,,,eve@example.com,,,,,America/Los_Angeles
            """
    }

    static func load(_ database: RecoupDatabase) async throws {
        try await TestDebts.load(file, on: database.db, now: testNow.addingTimeInterval(-86_400 * 120))
        try await ClientProfileStore.update(
            clientRef: "default",
            with: ClientProfileUpdate(
                name: "Harbor Dental", phone: "(617) 555-0199", email: "billing@harbordental.example"),
            on: database.db)
    }

    static func request(_ day: LocalDate = asOf, dryRun: Bool = false) -> RunRequest {
        var request = RunRequest(
            asOf: day, defaultStrategy: RunStrategy(strategy: strategy, id: nil, version: 0), zone: utc)
        request.dryRun = dryRun
        request.publicURL = "https://pay.example.com"
        return request
    }

    /// Runs and collects every action and blocked action.
    static func run(
        _ request: RunRequest, _ database: RecoupDatabase, now: Date = testNow
    ) async throws -> (RunSummary, [RunAction], [RunBlockedAction]) {
        let collected = Collected()
        let summary = try await RunStore.run(
            request, on: database.db, now: now, report: { chunk in await collected.add(chunk) })
        return (summary, await collected.actions, await collected.blocked)
    }

    actor Collected {
        var actions: [RunAction] = []
        var blocked: [RunBlockedAction] = []
        func add(_ chunk: RunChunk) {
            actions += chunk.actions
            blocked += chunk.blocked
        }
    }

    static func keys(_ actions: [RunAction]) -> Set<String> {
        Set(actions.map { "\($0.debtRef) \($0.step) \($0.action.rawValue)" })
    }

    @Test(arguments: TestStore.available)
    func plansOpenDebtsRecordsExactlyThatOnceAndNothingTheSecondTime(_ kind: TestStore) async throws {
        try await withStore(kind) { database in
            try await Self.load(database)
            let (dry, planned, _) = try await Self.run(Self.request(dryRun: true), database)
            #expect(dry.runID == nil)
            #expect(
                Self.keys(planned) == [
                    "INV-1 reminder-1 email", "INV-2 before-due email", "INV-3 final final_notice",
                    "INV-4 call-1 call", "INV-5 reminder-1 email", "INV-7 before-due email",
                ])
            #expect(!planned.contains { $0.debtRef == "INV-6" }, "INV-6 is charged after the run's date")
            #expect(try await TestDebts.count("strategy_actions", on: database.db) == 0)
            #expect(try await TestDebts.count("outbox_messages", on: database.db) == 0)
            #expect(try await TestDebts.count("work_items", on: database.db) == 0)
            #expect(try await TestDebts.count("strategy_runs", on: database.db) == 0)

            let (real, created, _) = try await Self.run(Self.request(), database)
            #expect(Self.keys(created) == Self.keys(planned))
            #expect(real.created == 6)
            #expect(real.alreadyDone == 0)
            #expect(try await TestDebts.count("strategy_actions", where: "status = 'created'", on: database.db) == 6)
            // C-17's three debts share one letter at the final notice; C-50 gets its own email.
            let olivia = created.filter { $0.debtorRef == "C-17" }
            #expect(Set(olivia.compactMap(\.messageID)).count == 1)
            #expect(try await TestDebts.count("outbox_messages", on: database.db) == 2)
            #expect(
                try await TestDebts.count(
                    "outbox_messages", where: "channel = 'letter' AND template = 'final-notice'", on: database.db) == 1)
            // Unreachable: nothing sent, said so, and the client is asked once for contact details.
            let sam = try #require(created.first { $0.debtRef == "INV-5" })
            #expect(!sam.reachable)
            #expect(sam.reason.contains("cannot be reached"))
            #expect(
                try await TestDebts.count("work_items", where: "kind = 'request_contact_details'", on: database.db)
                    == 1)
            #expect(try await TestDebts.count("work_items", where: "kind = 'call'", on: database.db) == 1)
            // Skipped: the steps that fell due with no run, never to happen: reminder-1 and call-1 of INV-3,
            // reminder-1 of INV-4. The reminders before the due date of the debts already past due are not due at all.
            // They fell on earlier days than the steps done, so nothing records them (RunChunksTests has a step passed
            // over on the day of the step done, which is recorded).
            #expect(real.skipped == 3)
            #expect(try await TestDebts.count("strategy_actions", where: "status = 'skipped'", on: database.db) == 0)

            let (again, repeated, _) = try await Self.run(Self.request(), database)
            #expect(again.created == 0)
            #expect(repeated.isEmpty)
            #expect(again.alreadyDone == 6, "\(again)")
            #expect(try await TestDebts.count("strategy_actions", where: "status = 'created'", on: database.db) == 6)
            #expect(try await TestDebts.count("outbox_messages", on: database.db) == 2)
            #expect(try await TestDebts.count("strategy_runs", on: database.db) == 2)
        }
    }

    @Test(arguments: TestStore.available)
    func everyPlannedContactPassesTheEngineReplayedAgainstTheStoredEvents(_ kind: TestStore) async throws {
        try await withStore(kind) { database in
            try await Self.load(database)
            // Earlier contacts that the schedule must respect: Olivia was called yesterday evening.
            let olivia = try await TestDebts.debt("INV-1", on: database.db)
            _ = try await ContactStore.record(
                .call(.outbound, to: "+16175550100", .noAnswer, at: testNow.addingTimeInterval(-40_000)),
                about: olivia, recordedBy: "test", on: database.db, now: testNow)
            let (_, created, _) = try await Self.run(Self.request(), database)
            let planned = created.filter { $0.plannedAt != nil }
            #expect(planned.count >= 4)
            for action in planned {
                let debt = try await TestDebts.debt(action.debtRef, on: database.db)
                let contacts = try await ContactStore.contacts(debtorID: debt.debtorID, on: database.db)
                let contact: ContactAction =
                    switch action.action {
                    case .call: .call
                    case .finalNotice, .letter: .letter
                    default: .email
                    }
                let to: String? =
                    switch contact {
                    case .call: contacts.profile.phones.first?.number
                    case .email: contacts.profile.emails.first
                    default: nil
                    }
                let decision = contacts.decide(contact, at: action.plannedAt!, to: to, debtRef: action.debtRef)
                #expect(decision.verdict == .allow, "\(action.debtRef) \(action.step): \(decision.findings)")
            }
        }
    }

    @Test(arguments: TestStore.available)
    func aPauseEndsOnItsDateAndTheStepFollowsAtOnce(_ kind: TestStore) async throws {
        try await withStore(kind) { database in
            try await Self.load(database)
            _ = try await PauseStore.pause(
                clientRef: "default", debtRef: "INV-4", debtorRef: nil, until: Self.asOf.adding(days: 2),
                reason: "on holiday", by: "test", now: testNow, zone: Self.utc, on: database.db)
            for offset in 0...2 {
                let (summary, actions, _) = try await Self.run(Self.request(Self.asOf.adding(days: offset)), database)
                #expect(!actions.contains { $0.debtRef == "INV-4" }, "day \(offset)")
                #expect(summary.counts["paused"]?["paused"] == 1, "day \(offset)")
            }
            let (_, resumed, _) = try await Self.run(Self.request(Self.asOf.adding(days: 3)), database)
            #expect(resumed.filter { $0.debtRef == "INV-4" }.map(\.step) == ["call-1"])
        }
    }

    @Test(arguments: TestStore.available)
    func aBlockedCallIsListedWithItsRuleAndMadeOnALaterRun(_ kind: TestStore) async throws {
        try await withStore(kind) { database in
            try await Self.load(database)
            // Dana was called seven times in the last six days: an eighth call today breaks the seven-in-seven limit.
            let dana = try await TestDebts.debt("INV-4", on: database.db)
            let start = ContactScheduling.startOfDay(Self.asOf, in: TimeZone(identifier: "America/Chicago")!)
            for (day, hour) in [(-6, 10), (-5, 10), (-4, 10), (-3, 10), (-2, 10), (-1, 10), (-1, 15)] {
                let at = start.addingTimeInterval(Double(day * 86_400 + hour * 3_600))
                guard
                    case .recorded = try await ContactStore.record(
                        .call(.outbound, to: "+13125550142", .noAnswer, at: at), about: dana, recordedBy: "test",
                        on: database.db, now: testNow)
                else { throw TestFixtureError("the call at \(at) was refused") }
            }
            let (summary, actions, blocked) = try await Self.run(Self.request(), database)
            #expect(!actions.contains { $0.debtRef == "INV-4" })
            let danaBlocked = try #require(blocked.first { $0.debtRef == "INV-4" })
            #expect(danaBlocked.rules == ["call-frequency"])
            #expect(danaBlocked.step == "call-1")
            #expect(summary.counts["rule"]?["call-frequency"] == 1)
            #expect(try await TestDebts.count("run_blocked", on: database.db) == 1)
            #expect(try await TestDebts.count("strategy_actions", where: "debt_id = \(dana.id)", on: database.db) == 0)
            #expect(try await TestDebts.count("work_items", where: "kind = 'call'", on: database.db) == 0)
            let (_, next, _) = try await Self.run(Self.request(Self.asOf.adding(days: 1)), database)
            #expect(next.filter { $0.debtRef == "INV-4" }.map(\.step) == ["call-1"])
            #expect(try await TestDebts.count("work_items", where: "kind = 'call'", on: database.db) == 1)
        }
    }

    @Test(arguments: TestStore.available)
    func aDisputeWaitsAndAPendingPromiseWaitsUntilItBreaks(_ kind: TestStore) async throws {
        try await withStore(kind) { database in
            try await Self.load(database)
            let dana = try await TestDebts.debt("INV-4", on: database.db)
            _ = try await ContactStore.record(
                ContactLogEntry(ContactEvent(.dispute, at: testNow.addingTimeInterval(-3_600), debtIDs: ["INV-4"])),
                about: dana, recordedBy: "test", on: database.db, now: testNow)
            _ = try await PromiseStore.add(
                clientRef: "default", debtRef: "INV-5", amount: 2_000,
                due: Self.asOf.adding(days: 2), madeOn: Self.asOf.adding(days: -1), via: .call, note: nil,
                on: database.db, now: testNow)
            let (summary, actions, _) = try await Self.run(Self.request(dryRun: true), database)
            #expect(!actions.contains { $0.debtRef == "INV-4" || $0.debtRef == "INV-5" })
            #expect(summary.counts["paused"]?["hold"] == 1)
            #expect(summary.counts["paused"]?["promise"] == 1)
            // The promise is broken the day after its due date: the strategy resumes at once.
            let (_, later, _) = try await Self.run(Self.request(Self.asOf.adding(days: 3), dryRun: true), database)
            #expect(later.contains { $0.debtRef == "INV-5" })
            #expect(!later.contains { $0.debtRef == "INV-4" })
        }
    }

    @Test(arguments: TestStore.available)
    func aNewVersionNeverRepeatsAStepAlreadyDone(_ kind: TestStore) async throws {
        try await withStore(kind) { database in
            try await Self.load(database)
            _ = try await Self.run(Self.request(), database)
            // The next version moves the reminder a day later and adds a step before it.
            var changed = Self.strategy
            changed.tracks[0].steps[1].day = 8
            var extra = StrategyStep(id: "early", day: 1, action: .email)
            extra.template = "reminder"
            changed.tracks[0].steps.insert(extra, at: 1)
            var request = Self.request(Self.asOf.adding(days: 1))
            request.defaultStrategy = RunStrategy(strategy: changed, id: nil, version: 2)
            let (_, actions, _) = try await Self.run(request, database)
            #expect(!actions.contains { $0.step == "reminder-1" || $0.step == "early" })
        }
    }

    @Test(arguments: TestStore.available)
    func aPersonRunsAStepByHandThroughTheSameCheckAndOutbox(_ kind: TestStore) async throws {
        try await withStore(kind) { database in
            try await Self.load(database)
            // The strategy in force is the built-in default; Olivia's INV-1 is on a track with a reminder step.
            let olivia = try await TestDebts.debt("INV-1", on: database.db)
            let track = try #require(
                try await RunStore.track(debtID: olivia.id, on: database.db, now: testNow, zone: Self.utc))
            let reminder = try #require(track.steps.first { $0.action == .email })
            let first = try await RunStore.runStep(
                reminder.id, debtID: olivia.id, by: "ann@agency.example", publicURL: "https://pay.example.com",
                on: database.db, now: testNow.addingTimeInterval(15 * 3_600), zone: Self.utc)
            guard case .done(let action) = first else { throw TestFixtureError("not done: \(first)") }
            #expect(action.occurrence == -1)
            #expect(action.messageID != nil)
            #expect(try await TestDebts.count("outbox_messages", on: database.db) == 1)
            #expect(
                try await TestDebts.count(
                    "strategy_actions", where: "created_by = 'ann@agency.example' AND run_id IS NULL", on: database.db)
                    == 1)
            // A second email the same day breaks the daily email limit: blocked, nothing recorded.
            let second = try await RunStore.runStep(
                reminder.id, debtID: olivia.id, by: "ann@agency.example", publicURL: nil, on: database.db,
                now: testNow.addingTimeInterval(16 * 3_600), zone: Self.utc)
            guard case .blocked(let blocked) = second else { throw TestFixtureError("not blocked: \(second)") }
            #expect(blocked.rules.contains("email-daily-limit"))
            #expect(try await TestDebts.count("outbox_messages", on: database.db) == 1)
            await #expect(throws: StoreError.self) {
                try await RunStore.runStep(
                    "no-such-step", debtID: olivia.id, by: nil, publicURL: nil, on: database.db, now: testNow,
                    zone: Self.utc)
            }
        }
    }

    @Test
    func twoRunsAtOnceOnPostgreSQLCreateEachActionOnce() async throws {
        guard TestStore.available.contains(.postgres) else { return }
        try await withStore(.postgres) { database in
            try await Self.load(database)
            var request = Self.request()
            request.chunkDebtors = 1
            async let first = Self.run(request, database)
            async let second = Self.run(request, database)
            let (a, b) = try await (first, second)
            #expect(a.0.created + b.0.created == 6)
            #expect(try await TestDebts.count("strategy_actions", where: "status = 'created'", on: database.db) == 6)
            #expect(try await TestDebts.count("outbox_messages", on: database.db) == 2)
            #expect(try await TestDebts.count("work_items", on: database.db) == 2)
        }
    }
}
