import Foundation
import RecoupCore
import RecoupTestSupport
import SQLKit
import Testing

@testable import RecoupStore

@Suite("What the debt page reads and writes: the file's dispute, holds and releases, nothing owed, once-only forms")
struct DebtPageStoreTests {
    /// F1 is marked disputed in the client's file, F2 is paid off, F3 is open; all Pat's (New York).
    static let file = """
        debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,interest,fees,paid,paid_on,disputed,phones,time_zones
        F1,P1,consumer,Pat Doe,2026-06-01,2026-07-01,1250.00,,,,,yes,+16175550100:mobile,America/New_York
        F2,P1,consumer,Pat Doe,2026-06-01,2026-07-01,732.08,,,732.08,2026-11-23,no,+16175550100:mobile,America/New_York
        F3,P1,consumer,Pat Doe,2026-06-01,2026-07-01,80.00,,,,,no,+16175550100:mobile,America/New_York

        """
    /// The import, a day before `testNow` (2026-11-30T00:53:20Z, Sunday evening in New York).
    static let importedAt = testNow.addingTimeInterval(-86_400)
    static let zone = TimeZone(identifier: "America/New_York")!

    /// The file imported: its debts as the page reads them.
    static func prepare(
        _ database: RecoupDatabase
    ) async throws -> (f1: DebtSummary, f2: DebtSummary, f3: DebtSummary) {
        #expect(try await TestDebts.load(Self.file, on: database.db, now: Self.importedAt).imported == 3)
        return (
            try await TestDebts.debt("F1", on: database.db), try await TestDebts.debt("F2", on: database.db),
            try await TestDebts.debt("F3", on: database.db)
        )
    }

    static func answer(_ debt: DebtSummary, _ database: RecoupDatabase) async throws -> CollectionAnswer {
        try await ContactStore.contacts(debtorID: debt.debtorID, on: database.db)
            .collectionAnswer(.call, at: testNow, to: "+16175550100", debt: debt)
    }

    static func submission(_ id: String) -> FormSubmission { FormSubmission(id: id, by: "alice@example.com")! }

    /// An outbound call to Pat's mobile that nobody answered, five minutes before `testNow`.
    static let noAnswer = ContactLogEntry.call(
        .outbound, to: "+16175550100", .noAnswer, at: testNow.addingTimeInterval(-300))

    @Test(
        "a debt the file marks disputed is held, listed as a hold and segmented disputed until a verification releases it",
        arguments: TestStore.available)
    func fileDispute(store: TestStore) async throws {
        try await withStore(store) { database in
            let f1 = try await Self.prepare(database).f1
            guard case .decided(let held) = try await Self.answer(f1, database) else {
                Issue.record("F1 owes money")
                return
            }
            #expect(held.verdict == .block)
            #expect(held.findings.map(\.rule) == [.dispute])
            let contacts = try await ContactStore.contacts(debtorID: f1.debtorID, on: database.db)
            #expect(contacts.fileDisputes.keys.sorted() == ["F1"])
            let holds = contacts.holds(debtRef: "F1", asOf: testNow)
            #expect(holds.count == 1)
            #expect(holds.first?.kind == .dispute && holds.first?.isActive == true && holds.first?.placedBy == nil)
            #expect(abs((holds.first?.hold.since ?? .distantPast).timeIntervalSince(Self.importedAt)) < 1)
            #expect(contacts.holds(debtRef: "F3", asOf: testNow).isEmpty)
            let segment = try await SegmentStore.decisions(
                for: [f1], asOf: LocalDate(testNow, in: Self.zone), zone: Self.zone, on: database.db)[f1.id]
            #expect(segment?.segment == .disputed)

            // The release, from a form: who and when are kept with it.
            let verification = ContactLogEntry(
                ContactEvent(.verificationSent, at: testNow.addingTimeInterval(-600), debtIDs: ["F1"]))
            guard
                case .done(.recorded) = try await ContactStore.record(
                    verification, about: f1, recordedBy: "alice@example.com",
                    once: Self.submission("release-0000000001"),
                    on: database.db, now: testNow, zone: Self.zone)
            else {
                Issue.record("the verification was not recorded")
                return
            }
            guard case .decided(let after) = try await Self.answer(f1, database) else { return }
            #expect(!after.findings.contains { $0.rule == .dispute })
            let released = try await ContactStore.contacts(debtorID: f1.debtorID, on: database.db)
                .holds(debtRef: "F1", asOf: testNow)
            #expect(released.count == 1)
            #expect(released.first?.isActive == false)
            #expect(released.first?.releasedBy?.recordedBy == "alice@example.com")
            #expect(released.first?.hold.releasedAt == testNow.addingTimeInterval(-600))
            let stored = try await SegmentStore.stored(debtID: f1.id, on: database.db)
            #expect(stored?.segment != .disputed)
            #expect(
                stored?.reasons.contains("the client's file marked this debt disputed; verification was sent on")
                    == true)
        }
    }

    @Test(
        "a verification sent before the import answers nothing: the file's dispute stands",
        arguments: TestStore.available)
    func verificationBeforeImport(store: TestStore) async throws {
        try await withStore(store) { database in
            let f1 = try await Self.prepare(database).f1
            let early = ContactLogEntry(
                ContactEvent(.verificationSent, at: Self.importedAt.addingTimeInterval(-3600), debtIDs: ["F1"]))
            _ = try await ContactStore.record(early, about: f1, recordedBy: nil, on: database.db, now: testNow)
            guard case .decided(let held) = try await Self.answer(f1, database) else { return }
            #expect(held.findings.map(\.rule) == [.dispute])
            #expect(try await SegmentStore.stored(debtID: f1.id, on: database.db)?.segment == .disputed)
        }
    }

    @Test(
        "a paid-off debt: no collection contact, and its segment reads the ledger", arguments: TestStore.available)
    func paidOff(store: TestStore) async throws {
        try await withStore(store) { database in
            let (_, f2, f3) = try await Self.prepare(database)
            #expect(f2.balance == 0)
            #expect(try await Self.answer(f2, database) == .nothingOwed(balance: 0))
            let segment = try await SegmentStore.decisions(
                for: [f2], asOf: LocalDate(testNow, in: Self.zone), zone: Self.zone, on: database.db)[f2.id]
            #expect(
                segment?.reasons == [
                    "paid in full: $732.08 in 1 payment, the last on 2026-11-23; nothing is owed",
                    "no contact yet; no promise or plan",
                ])
            guard case .decided(let open) = try await Self.answer(f3, database) else {
                Issue.record("F3 owes money")
                return
            }
            #expect(open.verdict == .allow)
        }
    }

    @Test(
        "a form sent twice records once; a refused contact gives its id back; an arrangement is proposed once",
        arguments: TestStore.available)
    func onceOnly(store: TestStore) async throws {
        try await withStore(store) { database in
            let f3 = try await Self.prepare(database).f3
            let call = Self.noAnswer
            let form = Self.submission("call-form-000000001")
            guard
                case .done(.recorded(let id, _, _)) = try await ContactStore.record(
                    call, about: f3, recordedBy: "alice@example.com", once: form, on: database.db, now: testNow)
            else {
                Issue.record("the call was not recorded")
                return
            }
            guard
                case .repeated(let receipt) = try await ContactStore.record(
                    call, about: f3, recordedBy: "alice@example.com", once: form, on: database.db, now: testNow)
            else {
                Issue.record("the second send was recorded again")
                return
            }
            #expect(receipt.kind == "contact" && receipt.result == String(id) && receipt.by == "alice@example.com")
            #expect(try await TestDebts.count("contact_events", on: database.db) == 1)

            // Refused: nothing recorded, and the same form id may be sent again.
            let cease = ContactLogEntry(ContactEvent(.cease, at: testNow.addingTimeInterval(-280)))
            _ = try await ContactStore.record(cease, about: f3, recordedBy: nil, on: database.db, now: testNow)
            let refusedForm = Self.submission("call-form-000000002")
            var later = call
            later.event.at = testNow.addingTimeInterval(-250)
            guard
                case .done(.blocked) = try await ContactStore.record(
                    later, about: f3, recordedBy: nil, once: refusedForm, on: database.db, now: testNow)
            else {
                Issue.record("the call after a cease was not refused")
                return
            }
            let inbound = ContactLogEntry.call(.inbound, to: nil, .conversation, at: testNow.addingTimeInterval(-100))
            guard
                case .done(.recorded) = try await ContactStore.record(
                    inbound, about: f3, recordedBy: nil, once: refusedForm, on: database.db, now: testNow)
            else {
                Issue.record("the corrected form was not recorded")
                return
            }
            #expect(try await TestDebts.count("contact_events", on: database.db) == 3)

            // An arrangement from a form, sent twice.
            let request = CreateArrangementRequest(
                clientRef: "default", debtRefs: ["F3"], today: LocalDate(testNow, in: Self.zone),
                amount: .minorUnits(2_000), frequency: .monthly, firstDue: try LocalDate(iso: "2026-12-15"),
                option: .installments)
            let planForm = Self.submission("plan-form-000000001")
            guard
                case .done(let view) = try await ArrangementStore.create(
                    request, once: planForm, on: database.db, now: testNow)
            else {
                Issue.record("the arrangement was not created")
                return
            }
            guard
                case .repeated(let again) = try await ArrangementStore.create(
                    request, once: planForm, on: database.db, now: testNow)
            else {
                Issue.record("the arrangement was created twice")
                return
            }
            #expect(again.kind == "arrangement" && again.result == view.ref)
            #expect(try await TestDebts.count("arrangements", on: database.db) == 1)
        }
    }

    @Test("two sends of one form at the same moment record one contact", arguments: TestStore.available)
    func concurrentSends(store: TestStore) async throws {
        try await withStore(store) { database in
            let f3 = try await Self.prepare(database).f3
            let call = Self.noAnswer
            let db = database.db
            for attempt in 0..<5 {
                let form = Self.submission("double-click-00000\(attempt)")
                async let first = ContactStore.record(
                    call, about: f3, recordedBy: nil, once: form, on: db, now: testNow)
                async let second = ContactStore.record(
                    call, about: f3, recordedBy: nil, once: form, on: db, now: testNow)
                let answers = [try await first, try await second]
                let done = answers.filter { if case .done = $0 { true } else { false } }.count
                #expect(done == 1, "attempt \(attempt): \(answers)")
            }
            #expect(try await TestDebts.count("contact_events", on: database.db) == 5)
            #expect(try await TestDebts.count("form_submissions", on: database.db) == 5)
        }
    }

    @Test(
        "what the debtor did: arrangements with their schedule, promises, preferences, disputes",
        arguments: TestStore.available)
    func activity(store: TestStore) async throws {
        try await withStore(store) { database in
            let f3 = try await Self.prepare(database).f3
            let today = LocalDate(testNow, in: Self.zone)
            _ = try await ArrangementStore.create(
                CreateArrangementRequest(
                    clientRef: "default", debtRefs: ["F3"], today: today, amount: .minorUnits(2_000),
                    frequency: .monthly, firstDue: try LocalDate(iso: "2026-12-15"), option: .installments),
                on: database.db, now: testNow)
            _ = try await PromiseStore.add(
                clientRef: "default", debtRef: "F3", amount: .minorUnits(1_000), due: try LocalDate(iso: "2026-12-05"),
                madeOn: today, via: .portal, note: nil, on: database.db, now: testNow)
            for entry in [
                ContactLogEntry(ContactEvent(.inconvenientPlace(.work), at: testNow.addingTimeInterval(-900))),
                ContactLogEntry(
                    ContactEvent(.dispute, at: testNow.addingTimeInterval(-800), debtIDs: ["F3"]), note: "not mine"),
                ContactLogEntry(
                    ContactEvent(.optOut(channel: .sms, address: nil), at: testNow.addingTimeInterval(-700))),
                ContactLogEntry(ContactEvent(.dispute, at: testNow.addingTimeInterval(-600), debtIDs: ["F1"])),
            ] {
                _ = try await ContactStore.record(
                    entry, debtorID: f3.debtorID, recordedBy: "portal:P1", on: database.db, now: testNow)
            }
            let activity = try await DebtActivity.of(f3, asOf: today, on: database.db)
            #expect(activity.arrangements.map(\.ref) == ["ARR-000001"])
            #expect(activity.arrangements.first?.nextInstallment?.due == (try LocalDate(iso: "2026-12-15")))
            #expect(activity.arrangements.first?.nextInstallment?.amount == 2_000)
            #expect(activity.promises.map(\.promise.amount) == [1_000])
            #expect(activity.promises.first?.outcome == .pending(paid: 0))
            #expect(activity.preferences.map(\.type) == ["inconvenient_place", "opt_out"])
            #expect(activity.disputes.map(\.entry.note) == ["not mine"])
        }
    }
}
