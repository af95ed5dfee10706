import Foundation
import RecoupCore
import RecoupTestSupport
import SQLKit
import Testing

@testable import RecoupStore

/// The collectors' work queue (`WorkQueue`): who may be called now and in what order, claims that lock a debtor for
/// one collector, and the outcome that records the call and closes the work.
@Suite("The work queue: priority, the rules at this instant, claims and outcomes")
struct WorkQueueTests {
    /// Client "default": Pat (two debts), Lee in Los Angeles, Sam, Ava, and Nia with no phone; client "beta": Bo. Every
    /// zone but Lee's is New York.
    static let file = """
        debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,phones,time_zones
        D1,P1,consumer,Pat Doe,2026-06-01,2026-07-01,1250.00,+16175550100:mobile,America/New_York
        D2,P1,consumer,Pat Doe,2026-06-01,2026-08-01,80.00,+16175550100:mobile,America/New_York
        L1,P2,consumer,Lee Kim,2026-08-01,2026-09-01,300.00,+12135550100:mobile,America/Los_Angeles
        S1,P3,consumer,Sam Roe,2026-07-01,2026-08-01,500.00,+16175550111:mobile,America/New_York
        A1,P4,consumer,Ava Poe,2026-09-01,2026-10-01,2000.00,+16175550122:mobile,America/New_York
        N1,P5,consumer,Nia Low,2026-09-01,2026-10-01,900.00,,America/New_York

        """
    static let betaFile = """
        debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,phones,time_zones
        B1,Q1,consumer,Bo Tan,2026-09-01,2026-10-01,700.00,+16175550133:mobile,America/New_York

        """

    /// The business zone. `testNow` is Sunday 29 November 2026, 7:53 PM there (4:53 PM in Los Angeles).
    static let zone = TimeZone(identifier: "America/New_York")!
    static func day(_ text: String) -> LocalDate { try! LocalDate(iso: text) }
    static func at(_ text: String) -> Date { ISO8601Instant.parse(text)! }
    /// 9:30 PM in New York, 6:30 PM in Los Angeles: quiet hours for everyone but Lee (12 CFR 1006.6(b)(1)(i)).
    static let lateInNewYork = at("2026-11-30T02:30:00Z")

    /// The portfolio with: a promise due today on S1, a promise broken on 20 November on L1, open call steps on A1,
    /// D1, D2, N1 and B1, and a skip-trace task on N1.
    static func prepare(_ database: RecoupDatabase) async throws {
        try await TestDebts.load(file, on: database.db, now: testNow)
        _ = try await Importer.run(
            ImportRequest(path: try TestFiles.temporary(betaFile), format: .recoup, clientRef: "beta"),
            on: database.db, now: testNow)
        _ = try await PromiseStore.add(
            clientRef: "default", debtRef: "S1", amount: .minorUnits(10_000), due: day("2026-11-29"),
            madeOn: day("2026-11-25"), via: .call, note: nil, on: database.db, now: testNow, zone: zone)
        _ = try await PromiseStore.add(
            clientRef: "default", debtRef: "L1", amount: .minorUnits(5_000), due: day("2026-11-20"),
            madeOn: day("2026-11-15"), via: .portal, note: nil, on: database.db, now: testNow, zone: zone)
        for (ref, dueOn) in [("A1", "2026-11-28"), ("D1", "2026-11-29"), ("D2", "2026-11-29"), ("N1", "2026-11-29")] {
            try await addWorkItem("call", debt: ref, dueOn: dueOn, database)
        }
        try await addWorkItem("call", debt: "B1", dueOn: "2026-11-29", database)
        try await addWorkItem("skip_trace", debt: "N1", dueOn: "2026-11-27", database)
    }

    /// An open work item as the daily run writes one, for a strategy action of its own.
    static func addWorkItem(_ kind: String, debt: String, dueOn: String, _ database: RecoupDatabase) async throws {
        try await database.sql.raw(
            """
            INSERT INTO work_items (kind, debt_id, debtor_id, client_id, action_id, reason, due_on, status, created_at) \
            SELECT \(bind: kind), id, debtor_id, client_id, \
            (SELECT COALESCE(MAX(action_id), 0) + 1 FROM work_items), \(bind: "Step \(kind)-1 is due for \(debt)."), \
            \(bind: day(dueOn).daysSinceEpoch), 'open', \(bind: testNow) FROM debts WHERE ref = \(bind: debt)
            """
        ).run()
    }

    static func queue(
        _ database: RecoupDatabase, collector: String? = "ana@agency.example", scope: ClientScope = .all,
        now: Date = testNow
    ) async throws -> [QueueItem] {
        try await WorkQueue.items(collector: collector, scope: scope, now: now, zone: zone, on: database.db).items
    }

    static func debtID(_ ref: String, _ database: RecoupDatabase) async throws -> Int64 {
        try await TestDebts.debt(ref, on: database.db).id
    }

    @Test(
        "the order: promise due today, broken promise, then call steps by balance; one item per debtor; no phone, no item",
        arguments: TestStore.available)
    func order(store: TestStore) async throws {
        try await withStore(store) { database in
            // Setup
            try await Self.prepare(database)

            // Act
            let list = try await WorkQueue.items(
                collector: "ana@agency.example", scope: .all, now: testNow, zone: Self.zone, on: database.db)

            // Verify
            #expect(list.today == Self.day("2026-11-29"))
            #expect(list.items.map(\.debt.ref) == ["S1", "L1", "A1", "D1", "B1"])
            #expect(list.items.map(\.reason) == [.promiseDueToday, .brokenPromise, .callDue, .callDue, .callDue])
            let sam = list.items[0]
            #expect(sam.sentence == "A promise to pay $100.00 on S1 is due today.")
            #expect(sam.phone.number == "+16175550111")
            #expect(sam.zone.identifier == "America/New_York")
            #expect(sam.workItemID == nil)
            #expect(sam.talkingPoints.first == "Owes $500.00 on S1, 120 days past due (due 2026-08-01).")
            #expect(sam.talkingPoints.contains("The promise was made on 2026-11-25 on a call."))
            #expect(sam.talkingPoints.contains("No contact recorded yet."))
            #expect(
                sam.talkingPoints.contains(
                    "The client accepts a plan of up to 36 installments over at most 36 months."))
            let lee = list.items[1]
            #expect(lee.sentence == "A promise to pay $50.00 on L1 by 2026-11-20 was broken: nothing was paid.")
            #expect(lee.zone.identifier == "America/Los_Angeles")
            let pat = list.items[3]
            #expect(pat.otherDebts.map(\.ref) == ["D2"])
            #expect(pat.sentence == "Step call-1 is due for D1.")
            #expect(pat.workItemID != nil)
            #expect(pat.talkingPoints.contains("Also owes $80.00 on D2 (due 2026-08-01)."))
            #expect(pat.talkingPoints.contains("In all $1,330.00 to default."))
            #expect(list.items.allSatisfy { $0.decision.verdict != .block && $0.claimedUntil == nil })
            #expect(list.examined >= 5 && list.isComplete)
            // At most `limit`, the first ones.
            let two = try await WorkQueue.items(
                collector: nil, scope: .all, now: testNow, zone: Self.zone, limit: 2, on: database.db)
            #expect(two.items.map(\.debt.ref) == ["S1", "L1"])
            await #expect(throws: StoreError.invalid("limit is 0; use 1 to 100")) {
                _ = try await WorkQueue.items(
                    collector: nil, scope: .all, now: testNow, zone: Self.zone, limit: 0, on: database.db)
            }
        }
    }

    @Test(
        "the call steps read by sorting them or by walking the balance index give the same queue",
        arguments: TestStore.available)
    func bothWalks(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.prepare(database)
            // More debtors with steps, balances in no particular order, some equal.
            var lines = "debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,phones,time_zones\n"
            for index in 0..<40 {
                // Three balances and a few due dates: ties everywhere, some across the pages' edges.
                let amount = [120, 75, 990][index % 3]
                lines +=
                    "W\(index),Q\(index),consumer,Walker \(index),2026-06-01,2026-0\(7 + index % 2)-0\(1 + index % 4),"
                    + "\(amount).00,+1617555\(String(format: "%04d", 2000 + index)):mobile,America/New_York\n"
            }
            try await TestDebts.load(lines, on: database.db, now: testNow)
            for index in 0..<40 { try await Self.addWorkItem("call", debt: "W\(index)", dueOn: "2026-11-29", database) }
            func refs(_ walkAbove: Int, limit: Int, pageRows: Int = 500) async throws -> [String] {
                try await WorkQueue.search(
                    collector: nil, scope: .all, now: testNow, zone: Self.zone, limit: limit, walkAbove: walkAbove,
                    pageRows: pageRows, sql: database.sql
                ).list.items.map(\.debt.ref)
            }
            for limit in [1, 7, 30, 100] {
                let sorted = try await refs(Int.max, limit: limit)
                #expect(sorted == (try await refs(0, limit: limit)), "limit \(limit)")
                // Pages of a few rows: every stage is read in many pages, the walk from where the last page stopped.
                #expect(sorted == (try await refs(0, limit: limit, pageRows: 3)), "limit \(limit), pages of 3")
                #expect(sorted == (try await refs(Int.max, limit: limit, pageRows: 2)), "limit \(limit), pages of 2")
                #expect(sorted.count == min(limit, 45))
            }
            let all = try await refs(0, limit: 100)
            #expect(Array(all.prefix(4)) == ["S1", "L1", "A1", "D1"])
        }
    }

    @Test(
        "a call the rules block now is not listed: quiet hours in the debtor's zone, a cease, a dispute on the debt",
        arguments: TestStore.available)
    func blocked(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.prepare(database)
            // 9:30 PM in New York: only Lee, in Los Angeles, may be called.
            #expect(try await Self.queue(database, now: Self.lateInNewYork).map(\.debt.ref) == ["L1"])
            // Told to weigh one debtor only, the walk stops at Sam, asleep in New York, and says it stopped short.
            let short = try await WorkQueue.search(
                collector: nil, scope: .all, now: Self.lateInNewYork, zone: Self.zone, limit: 20, examineAtMost: 1,
                sql: database.sql
            ).list
            #expect(short.items.isEmpty)
            #expect(short.examined == 1)
            #expect(!short.isComplete)
            let whole = try await WorkQueue.items(
                collector: nil, scope: .all, now: Self.lateInNewYork, zone: Self.zone, on: database.db)
            #expect(whole.isComplete)
            #expect(whole.examined == 6)

            // Ava asked us to stop; Pat disputes D1 (his D2 still has its step).
            let a1 = try await TestDebts.debt("A1", on: database.db)
            _ = try await ContactStore.record(
                ContactLogEntry(ContactEvent(.cease, at: Self.at("2026-11-29T15:00:00Z"))), about: a1,
                recordedBy: nil, on: database.db, now: testNow, zone: Self.zone)
            let d1 = try await TestDebts.debt("D1", on: database.db)
            _ = try await ContactStore.record(
                ContactLogEntry(ContactEvent(.dispute, at: Self.at("2026-11-29T15:00:00Z"), debtIDs: ["D1"])),
                about: d1, recordedBy: nil, on: database.db, now: testNow, zone: Self.zone)

            let items = try await Self.queue(database)
            #expect(items.map(\.debt.ref) == ["S1", "L1", "B1", "D2"])
            let pat = try #require(items.first { $0.debt.ref == "D2" })
            #expect(pat.otherDebts.isEmpty)
            #expect(pat.withheldDebts.map(\.debt.ref) == ["D1"])
            #expect(pat.talkingPoints.contains { $0.hasPrefix("Do not discuss D1 ($1,250.00):") })
        }
    }

    @Test("a debtor skipped as asleep is one the engine's quiet-hours rule blocks a call to, and only such a one")
    func asleepAgreesWithTheEngine() throws {
        let profiles: [DebtorContactProfile] = [
            DebtorContactProfile(
                kind: .consumer, timeZones: ["America/New_York"],
                phones: [try Phone(number: "+16175550100", type: .mobile)]),
            DebtorContactProfile(kind: .consumer, phones: [try Phone(number: "+12135550100", type: .mobile)]),
            // Two zones inferred (a Honolulu phone, a Boston address): both must be awake.
            DebtorContactProfile(
                kind: .consumer, phones: [try Phone(number: "+18085550100", type: .home)],
                addresses: [PostalAddress(type: .home, state: "MA", postalCode: "02118", country: "US")]),
            DebtorContactProfile(
                kind: .commercial, timeZones: ["Europe/Berlin", "America/Chicago"],
                phones: [try Phone(number: "+13125550100", type: .work)]),
            // Nothing known: the engine assumes every US zone; the queue leaves it to the engine.
            DebtorContactProfile(kind: .consumer, phones: [try Phone(number: "+442071234567", type: .mobile)]),
        ]
        var asleepSeen = 0
        for profile in profiles {
            for quarter in 0..<(4 * 48) {
                let now = Self.at("2026-11-28T00:00:00Z").addingTimeInterval(Double(quarter) * 900)
                let decision = DebtorContacts(profile: profile, events: []).decide(
                    .call, at: now, to: profile.phones.first?.number, debtRef: "D1")
                let quiet = decision.findings.contains { $0.rule == .quietHours && $0.effect == .block }
                let asleep = WorkQueue.isAsleep(profile, at: now)
                if asleep { asleepSeen += 1 }
                #expect(!asleep || quiet, "\(profile.timeZones ?? []) \(ISO8601Instant.format(now))")
                if !DebtorTimeZones.resolve(profile).isEmpty {
                    #expect(asleep == quiet, "\(profile.timeZones ?? []) \(ISO8601Instant.format(now))")
                }
            }
        }
        #expect(asleepSeen > 200)
    }

    @Test(
        "a claim hides the debtor from other collectors until it ends; the claimer sees it; claiming again is refused",
        arguments: TestStore.available)
    func claims(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.prepare(database)
            let s1 = try await Self.debtID("S1", database)

            // Act: Ana claims the first in her queue.
            let result = try await WorkQueue.claim(
                debtID: nil, collector: "Ana@Agency.example", scope: .all, now: testNow, zone: Self.zone,
                on: database.db)

            // Verify
            guard case .claimed(let claim) = result else {
                Issue.record("nothing claimed: \(result)")
                return
            }
            #expect(claim.item.debt.ref == "S1")
            #expect(claim.collector == "ana@agency.example")
            #expect(claim.until == testNow.addingTimeInterval(15 * 60))
            let row = try #require(
                try await database.sql.raw(
                    "SELECT kind, status, claimed_by, reason FROM work_items WHERE id = \(bind: claim.workItemID)"
                ).first())
            #expect(try row.decode(column: "kind", as: String.self) == "call")
            #expect(try row.decode(column: "claimed_by", as: String.self) == "ana@agency.example")
            #expect(
                try row.decode(column: "reason", as: String.self)
                    == "Claimed from the work queue on 2026-11-29: A promise to pay $100.00 on S1 is due today.")

            let mine = try #require(try await Self.queue(database).first)
            #expect(mine.claimedUntil == claim.until)
            #expect(mine.workItemID == claim.workItemID)
            #expect(!mine.talkingPoints.contains { $0.hasPrefix("A call step is due too") })
            #expect(try await Self.queue(database, collector: "bo@agency.example").map(\.debt.ref).first == "L1")
            #expect(try await Self.queue(database, collector: nil).map(\.debt.ref).contains("S1") == false)
            let again = try await WorkQueue.claim(
                debtID: s1, collector: "bo@agency.example", scope: .all, now: testNow.addingTimeInterval(60),
                zone: Self.zone, on: database.db)
            #expect(again == .taken(by: "ana@agency.example", until: claim.until))
            // Her own claim again extends it.
            let extended = try await WorkQueue.claim(
                debtID: s1, collector: "ana@agency.example", scope: .all, now: testNow.addingTimeInterval(60),
                zone: Self.zone, on: database.db)
            guard case .claimed(let longer) = extended else {
                Issue.record("not extended: \(extended)")
                return
            }
            #expect(longer.workItemID == claim.workItemID)

            // After it ends, Bo sees Sam and may claim him.
            let later = testNow.addingTimeInterval(17 * 60)
            #expect(try await Self.queue(database, collector: "bo@agency.example", now: later).first?.debt.ref == "S1")
            guard
                case .claimed(let bos) = try await WorkQueue.claim(
                    debtID: s1, collector: "bo@agency.example", scope: .all, now: later, zone: Self.zone,
                    on: database.db)
            else {
                Issue.record("Bo could not claim Sam after Ana's claim ended")
                return
            }
            #expect(bos.workItemID == claim.workItemID)
        }
    }

    @Test(
        "claiming a debt that is not callable now says why; an unknown debt and a bad duration are refused",
        arguments: TestStore.available)
    func claimRefused(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.prepare(database)
            let a1 = try await Self.debtID("A1", database)
            let late = try await WorkQueue.claim(
                debtID: a1, collector: "ana@agency.example", scope: .all, now: Self.lateInNewYork, zone: Self.zone,
                on: database.db)
            guard case .unavailable(let why) = late else {
                Issue.record("claimed in quiet hours: \(late)")
                return
            }
            #expect(why.hasPrefix("a call to Ava Poe is not allowed now: "))
            let n1 = try await Self.debtID("N1", database)
            #expect(
                try await WorkQueue.claim(
                    debtID: n1, collector: "ana@agency.example", scope: .all, now: testNow, zone: Self.zone,
                    on: database.db) == .unavailable("Nia Low has no phone number on file"))
            // Another client's debt reads as a missing one.
            let b1 = try await Self.debtID("B1", database)
            let alpha = try await ClientDirectory.scope(clientRef: "default", on: database.db)
            await #expect(throws: StoreError.invalid("there is no debt \(b1)")) {
                _ = try await WorkQueue.claim(
                    debtID: b1, collector: "ana@agency.example", scope: alpha, now: testNow, zone: Self.zone,
                    on: database.db)
            }
            await #expect(throws: StoreError.invalid("a claim lasts 1 to 240 minutes, not 600")) {
                _ = try await WorkQueue.claim(
                    debtID: a1, collector: "ana@agency.example", scope: .all, now: testNow, zone: Self.zone,
                    for: 36_000, on: database.db)
            }
        }
    }

    @Test(
        "the outcome records the call through the contact log, closes the steps it covered and releases the claim",
        arguments: TestStore.available)
    func outcome(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.prepare(database)
            let d1 = try await Self.debtID("D1", database)
            let s1 = try await Self.debtID("S1", database)
            guard
                case .claimed(let claim) = try await WorkQueue.claim(
                    debtID: s1, collector: "ana@agency.example", scope: .all, now: testNow, zone: Self.zone,
                    on: database.db)
            else {
                Issue.record("Sam could not be claimed")
                return
            }
            // Bo cannot record a call on Ana's debtor.
            let refused = try await WorkQueue.recordOutcome(
                debtID: s1, outcome: .noAnswer, note: nil, collector: "bo@agency.example", scope: .all, now: testNow,
                zone: Self.zone, on: database.db)
            guard case .done(.taken(by: "ana@agency.example", _)) = refused else {
                Issue.record("Bo recorded on Ana's claim: \(refused)")
                return
            }

            // Act: Ana's call went unanswered.
            let result = try await WorkQueue.recordOutcome(
                debtID: s1, outcome: .noAnswer, note: "  rang out  ", collector: "ana@agency.example", scope: .all,
                now: testNow.addingTimeInterval(120), zone: Self.zone, on: database.db)

            // Verify: the call is in the log, the work item done, Sam out of the queue for today.
            guard case .done(.recorded(let eventID, let entry, _, let done)) = result else {
                Issue.record("not recorded: \(result)")
                return
            }
            #expect(done == [claim.workItemID])
            #expect(entry.note == "rang out")
            let events = try await ContactStore.events(
                of: try await TestDebts.debt("S1", on: database.db), on: database.db)
            #expect(events.map(\.id) == [eventID])
            #expect(events.first?.recordedBy == "ana@agency.example")
            #expect(
                events.first?.event.kind
                    == .call(direction: .outbound, to: "+16175550111", outcome: .noAnswer, messageLeft: false))
            let row = try #require(
                try await database.sql.raw(
                    "SELECT status, outcome, done_by, claimed_until FROM work_items WHERE id = \(bind: claim.workItemID)"
                ).first())
            #expect(try row.decode(column: "status", as: String.self) == "done")
            #expect(try row.decode(column: "outcome", as: String.self) == "no_answer")
            #expect(try row.decode(column: "done_by", as: String.self) == "ana@agency.example")
            #expect(try row.decode(column: "claimed_until", as: Date?.self) == nil)
            #expect(try await Self.queue(database).map(\.debt.ref) == ["L1", "A1", "D1", "B1"])

            // Pat, without a claim: the call covers D1 and D2 and closes both steps.
            let pat = try await WorkQueue.recordOutcome(
                debtID: d1, outcome: .conversation, note: nil, collector: "bo@agency.example", scope: .all,
                now: testNow.addingTimeInterval(300), zone: Self.zone, on: database.db)
            guard case .done(.recorded(_, let patEntry, _, let patDone)) = pat else {
                Issue.record("Pat's call not recorded: \(pat)")
                return
            }
            #expect(patEntry.event.debtIDs == ["D1", "D2"])
            #expect(patDone.count == 2)
            #expect(try await Self.queue(database).map(\.debt.ref) == ["L1", "A1", "B1"])
            #expect(
                try await TestDebts.count("work_items", where: "status = 'open' AND kind = 'call'", on: database.db)
                    == 3)
        }
    }

    @Test(
        "an outcome the rules block records nothing and keeps the claim; a form sent twice records once",
        arguments: TestStore.available)
    func outcomeBlockedAndOnce(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.prepare(database)
            let a1 = try await Self.debtID("A1", database)
            let blocked = try await WorkQueue.recordOutcome(
                debtID: a1, outcome: .noAnswer, note: nil, collector: "ana@agency.example", scope: .all,
                now: Self.lateInNewYork, zone: Self.zone,
                once: FormSubmission(id: "form-0000000000000001", by: "ana@agency.example"), on: database.db)
            guard case .done(.blocked(let decision)) = blocked else {
                Issue.record("recorded in quiet hours: \(blocked)")
                return
            }
            #expect(decision.findings.contains { $0.rule == .quietHours })
            #expect(try await TestDebts.count("contact_events", on: database.db) == 0)
            #expect(try await TestDebts.count("work_items", where: "status = 'done'", on: database.db) == 0)

            // The same form, sent at a lawful hour, twice.
            let form = FormSubmission(id: "form-0000000000000001", by: "ana@agency.example")!
            let first = try await WorkQueue.recordOutcome(
                debtID: a1, outcome: .voicemail, note: nil, collector: "ana@agency.example", scope: .all, now: testNow,
                zone: Self.zone, once: form, on: database.db)
            guard case .done(.recorded(let eventID, let entry, _, _)) = first else {
                Issue.record("not recorded: \(first)")
                return
            }
            #expect(
                entry.event.kind
                    == .call(direction: .outbound, to: "+16175550122", outcome: .voicemail, messageLeft: true))
            let second = try await WorkQueue.recordOutcome(
                debtID: a1, outcome: .voicemail, note: nil, collector: "ana@agency.example", scope: .all, now: testNow,
                zone: Self.zone, once: form, on: database.db)
            guard case .repeated(let receipt) = second else {
                Issue.record("recorded twice: \(second)")
                return
            }
            #expect(receipt.result == String(eventID))
            #expect(try await TestDebts.count("contact_events", on: database.db) == 1)
        }
    }

    @Test("a broken arrangement waits for a call about it, ranked with broken promises", arguments: TestStore.available)
    func brokenArrangement(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.prepare(database)
            _ = try await ArrangementStore.create(
                CreateArrangementRequest(
                    clientRef: "default", debtRefs: ["A1"], today: Self.day("2026-10-15"), amount: .minorUnits(50_000),
                    frequency: .monthly, firstDue: Self.day("2026-11-01"), option: .installments),
                on: database.db, now: testNow)
            try await database.sql.raw(
                """
                UPDATE arrangements SET state = 'broken', state_changed_on = \(bind: Self.day("2026-11-27").daysSinceEpoch), \
                state_reason = 'installment 1 unpaid past its grace days'
                """
            ).run()
            let items = try await Self.queue(database)
            #expect(items.map(\.debt.ref) == ["S1", "A1", "L1", "D1", "B1"])
            #expect(items[1].reason == .brokenArrangement)
            #expect(
                items[1].sentence
                    == "Arrangement ARR-000001 broke on 2026-11-27: installment 1 unpaid past its grace days.")
            #expect(items[1].talkingPoints.contains("A call step is due too: Step call-1 is due for A1."))
            // A call about it, even unanswered, follows it up: Ava is back to her call step.
            let a1 = try await TestDebts.debt("A1", on: database.db)
            _ = try await ContactStore.record(
                ContactLogEntry.call(.outbound, to: "+16175550122", .noAnswer, at: Self.at("2026-11-28T15:00:00Z")),
                about: a1, recordedBy: nil, on: database.db, now: testNow)
            let after = try await Self.queue(database)
            #expect(after.first { $0.debt.ref == "A1" }?.reason == .callDue)
        }
    }

    @Test("a client's staff see their own client's debtors and tasks only", arguments: TestStore.available)
    func clientScope(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.prepare(database)
            let beta = try await ClientDirectory.scope(clientRef: "beta", on: database.db)
            let main = try await ClientDirectory.scope(clientRef: "default", on: database.db)
            #expect(try await Self.queue(database, scope: beta).map(\.debt.ref) == ["B1"])
            #expect(try await Self.queue(database, scope: main).map(\.debt.ref) == ["S1", "L1", "A1", "D1"])
            #expect(try await WorkQueue.tasks(scope: beta, on: database.db).isEmpty)
            let tasks = try await WorkQueue.tasks(scope: main, on: database.db)
            #expect(tasks.map(\.kind) == ["skip_trace"])
            #expect(tasks.first?.debtRef == "N1")
            #expect(tasks.first?.debtorName == "Nia Low")
            #expect(tasks.first?.dueOn == Self.day("2026-11-27"))
            // Claiming the next within a client's scope never reaches another client's debtors.
            guard
                case .claimed(let claim) = try await WorkQueue.claim(
                    debtID: nil, collector: "clerk@beta.example", scope: beta, now: testNow, zone: Self.zone,
                    on: database.db)
            else {
                Issue.record("nothing claimed for beta")
                return
            }
            #expect(claim.item.debt.ref == "B1")
            #expect(
                try await WorkQueue.claim(
                    debtID: nil, collector: "clerk@beta.example", scope: beta, now: testNow, zone: Self.zone,
                    on: database.db) == .unavailable("there is nobody in the queue that you may call now"))
        }
    }

    @Test(
        "collectors claiming at the same time never get the same debtor", arguments: TestStore.available)
    func concurrentClaims(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.prepare(database)
            let db = database.db
            // Six collectors ask for the next at once; five debtors may be called.
            let results = try await withThrowingTaskGroup(of: QueueClaimResult.self) { group in
                for index in 0..<6 {
                    group.addTask {
                        try await WorkQueue.claim(
                            debtID: nil, collector: "collector\(index)@agency.example", scope: .all, now: testNow,
                            zone: Self.zone, on: db)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let claimed = results.compactMap { result -> QueueClaim? in
                if case .claimed(let claim) = result { return claim }
                return nil
            }
            #expect(claimed.count == 5)
            #expect(Set(claimed.map(\.item.debtorID)).count == 5)
            #expect(Set(claimed.map(\.collector)).count == 5)
            let active = try await database.sql.raw(
                """
                SELECT debtor_id, COUNT(DISTINCT claimed_by) AS n FROM work_items WHERE status = 'open' \
                AND claimed_until > \(bind: testNow) GROUP BY debtor_id
                """
            ).all().map { try $0.decode(column: "n", as: Int.self) }
            #expect(active == [1, 1, 1, 1, 1])

            // Four collectors claim the same debt at once: one gets it.
            let l1 = try await Self.debtID("L1", database)
            let later = testNow.addingTimeInterval(20 * 60)
            let same = try await withThrowingTaskGroup(of: QueueClaimResult.self) { group in
                for index in 0..<4 {
                    group.addTask {
                        try await WorkQueue.claim(
                            debtID: l1, collector: "racer\(index)@agency.example", scope: .all, now: later,
                            zone: Self.zone, on: db)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let winners = same.filter { if case .claimed = $0 { true } else { false } }
            #expect(winners.count == 1)
            #expect(
                same.allSatisfy {
                    switch $0 {
                    case .claimed: true
                    case .taken(let by, _): by.hasPrefix("racer")
                    case .unavailable: false
                    }
                })
        }
    }
}
