import Foundation
import RecoupCore
import RecoupTestSupport
import SQLKit
import Testing

@testable import RecoupStore

@Suite("The contact log: events and profiles as values, decisions on them, recording a contact")
struct ContactStoreTests {
    /// Pat (two debts, two phones, an email, a Massachusetts address, a recorded zone) and Lee (one debt, nothing
    /// recorded but a phone), client "default".
    static let file = """
        debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,interest,fees,paid,paid_on,phones,emails,address_state,address_postal_code,time_zones
        D1,P1,consumer,Pat Doe,2026-06-01,2026-07-01,1250.00,,,,,+16175550100:mobile;+16175550101:work,pat@example.com,MA,02118,America/New_York
        D2,P1,consumer,Pat Doe,2026-06-01,2026-07-01,80.00,,,,,+16175550100:mobile;+16175550101:work,pat@example.com,MA,02118,America/New_York
        E1,P2,commercial,Lee Ltd,2026-06-01,2026-07-01,300.00,,,,,+13125550100:work,,,,

        """

    /// Pat as the contact rules see them, written out by hand.
    static let patProfile = DebtorContactProfile(
        kind: .consumer, timeZones: ["America/New_York"],
        phones: [try! Phone(number: "+16175550100", type: .mobile), try! Phone(number: "+16175550101", type: .work)],
        emails: ["pat@example.com"],
        addresses: [PostalAddress(type: .home, state: "MA", postalCode: "02118", country: "US")])

    static func at(_ text: String) -> Date { ISO8601Instant.parse(text)! }

    /// A month of collection work on Pat's debts: calls with several outcomes (seven in the last week), texts and
    /// emails, an inconvenient time, an opt-out of one address and a dispute of D2.
    static let history: [ContactLogEntry] = {
        var entries: [ContactLogEntry] = []
        let outcomes: [CallOutcome] = [
            .noAnswer, .voicemail, .busy, .noAnswer, .answeredDropped, .noAnswer, .voicemail,
        ]
        for (index, outcome) in outcomes.enumerated() {
            entries.append(
                ContactLogEntry(
                    ContactEvent(
                        .call(
                            direction: .outbound, to: "+16175550100", outcome: outcome,
                            messageLeft: outcome == .voicemail),
                        at: at("2026-11-\(20 + index)T15:00:00Z"), debtIDs: ["D1"]),
                    purpose: .collection))
        }
        entries += [
            ContactLogEntry(
                ContactEvent(
                    .call(direction: .inbound, to: nil, outcome: .conversation, messageLeft: false),
                    at: at("2026-11-02T14:00:00Z"))),
            ContactLogEntry(
                ContactEvent(
                    .sms(direction: .outbound, to: "+16175550100"), at: at("2026-11-25T16:00:00Z"), debtIDs: ["D1"])),
            ContactLogEntry(
                ContactEvent(.email(direction: .outbound, to: "pat@example.com"), at: at("2026-11-28T13:00:00Z"))),
            ContactLogEntry(
                ContactEvent(
                    .inconvenient(
                        weekdays: [6], from: LocalTime(parsing: "08:00"), to: LocalTime(parsing: "12:00"), until: nil),
                    at: at("2026-11-03T14:05:00Z"))),
            ContactLogEntry(
                ContactEvent(.optOut(channel: .sms, address: "+16175550101"), at: at("2026-11-04T10:00:00Z"))),
            ContactLogEntry(ContactEvent(.dispute, at: at("2026-11-10T10:00:00Z"), debtIDs: ["D2"]), note: "not mine"),
            ContactLogEntry(ContactEvent(.consent(until: at("2026-11-12T04:59:59Z")), at: at("2026-11-11T10:00:00Z"))),
        ]
        return entries
    }()

    static func prepare(_ database: RecoupDatabase) async throws {
        #expect(try await TestDebts.load(Self.file, on: database.db, now: testNow).imported == 3)
    }

    @Test("every event type stored and read back is the same value, in time order", arguments: TestStore.available)
    func roundTrip(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.prepare(database)
            let pat = try await TestDebts.debt("D1", on: database.db)
            // ContactEventCodecTests' entries, one of each type, at distinct instants given out of order.
            var entries: [ContactLogEntry] = []
            for (index, entry) in ContactStoreTests.allTypes.enumerated() {
                var entry = entry
                entry.event.at = Self.at("2026-11-01T00:00:00Z").addingTimeInterval(Double((index * 7) % 19) * 3_600)
                entries.append(entry)
            }
            for entry in entries {
                _ = try await ContactStore.insert(
                    entry, debtorID: pat.debtorID, recordedBy: "test", now: testNow, sql: database.sql)
            }
            let stored = try await ContactStore.events(debtorID: pat.debtorID, on: database.db)
            #expect(stored.map(\.entry) == entries.sorted { $0.event.at < $1.event.at })
            #expect(stored.allSatisfy { $0.recordedBy == "test" })
            #expect(Set(stored.map(\.type)).count == 14)
            // The events of one debt leave out those naming only another.
            let aboutD2 = try await ContactStore.events(
                of: try await TestDebts.debt("D2", on: database.db), on: database.db)
            #expect(aboutD2.map(\.entry) == stored.map(\.entry).filter { $0.event.concerns("D2") })
            #expect(aboutD2.count < stored.count)
        }
    }

    @Test("the profile read from the store is the debtor's contact points as values", arguments: TestStore.available)
    func profile(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.prepare(database)
            #expect(
                try await ContactStore.profile(
                    debtorID: try await TestDebts.debt("D1", on: database.db).debtorID, on: database.db)
                    == Self.patProfile)
            #expect(
                try await ContactStore.profile(
                    debtorID: try await TestDebts.debt("E1", on: database.db).debtorID, on: database.db)
                    == DebtorContactProfile(kind: .commercial, phones: [try Phone(number: "+13125550100", type: .work)])
            )
        }
    }

    @Test(
        "a stored debtor with events decides as the engine does given the same values", arguments: TestStore.available)
    func decisionOnStoredValues(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.prepare(database)
            let d1 = try await TestDebts.debt("D1", on: database.db)
            let d2 = try await TestDebts.debt("D2", on: database.db)
            for entry in Self.history {
                _ = try await ContactStore.insert(
                    entry, debtorID: d1.debtorID, recordedBy: "test", now: testNow, sql: database.sql)
            }
            let events = Self.history.map(\.event)
            var verdicts: [Verdict: Int] = [:]
            for debt in [d1, d2] {
                for instant in [
                    "2026-11-27T13:30:00Z", "2026-11-28T14:00:00Z", "2026-11-29T22:00:00Z", "2026-11-30T03:00:00Z",
                ] {
                    for (action, to) in [
                        (ContactAction.call, "+16175550100"), (.call, "+16175550101"), (.voicemail, "+16175550100"),
                        (.sms, "+16175550100"), (.sms, "+16175550101"), (.email, "pat@example.com"), (.letter, nil),
                    ] as [(ContactAction, String?)] {
                        let stored = try await ContactStore.decide(
                            action, at: Self.at(instant), to: to, debt: debt, on: database.db)
                        let pure = ComplianceEngine.decide(
                            ComplianceRequest(
                                at: Self.at(instant), action: action, debtID: debt.ref, to: to, debtor: Self.patProfile,
                                events: events),
                            policy: .standard)
                        #expect(stored == pure, "\(action) to \(to ?? "-") at \(instant) about \(debt.ref)")
                        verdicts[stored.verdict, default: 0] += 1
                    }
                }
            }
            // The grid is not trivial: some contacts are allowed and some blocked.
            #expect(verdicts[.allow, default: 0] > 0)
            #expect(verdicts[.block, default: 0] > 0)
            // And the whole history read at once decides the same.
            let contacts = try await ContactStore.contacts(debtorID: d1.debtorID, on: database.db)
            #expect(contacts.profile == Self.patProfile)
            #expect(contacts.events.map(\.event) == events.sorted { $0.at < $1.at })
            let at = Self.at("2026-11-28T14:00:00Z")
            #expect(
                contacts.decide(.call, at: at, to: "+16175550100", debtRef: "D1")
                    == (try await ContactStore.decide(.call, at: at, to: "+16175550100", debt: d1, on: database.db)))
        }
    }

    @Test(
        "recording: an attempt names its debt and is decided first; a blocked one is not stored; bad input is refused naming the field",
        arguments: TestStore.available)
    func record(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.prepare(database)
            let d1 = try await TestDebts.debt("D1", on: database.db)
            // A letter: allowed, stored about D1, with the decision.
            let letter = ContactLogEntry(ContactEvent(.letter, at: Self.at("2026-11-27T15:00:00Z")))
            guard
                case .recorded(let id, let entry, let decision) = try await ContactStore.record(
                    letter, about: d1, recordedBy: "a@x", on: database.db, now: testNow)
            else {
                Issue.record("the letter was not recorded")
                return
            }
            #expect(entry.event.debtIDs == ["D1"])
            #expect(decision?.verdict == .allow)
            #expect(try await ContactStore.events(debtorID: d1.debtorID, on: database.db).map(\.id) == [id])
            // A cease (not an attempt: no decision, about every debt), then an outbound call is blocked and not stored.
            let cease = ContactLogEntry(ContactEvent(.cease, at: Self.at("2026-11-28T15:00:00Z")))
            guard
                case .recorded(_, let ceased, nil) = try await ContactStore.record(
                    cease, about: d1, recordedBy: nil, on: database.db, now: testNow)
            else {
                Issue.record("the cease was not recorded without a decision")
                return
            }
            #expect(ceased.event.debtIDs == nil)
            let before = try await TestDebts.count("contact_events", on: database.db)
            let call = ContactLogEntry(
                ContactEvent(
                    .call(direction: .outbound, to: "+16175550100", outcome: .noAnswer, messageLeft: false),
                    at: Self.at("2026-11-29T15:00:00Z")))
            guard
                case .blocked(let blocked) = try await ContactStore.record(
                    call, about: d1, recordedBy: nil, on: database.db, now: testNow)
            else {
                Issue.record("the call after a cease was not blocked")
                return
            }
            #expect(blocked.findings.contains { $0.rule == .cease && $0.effect == .block })
            #expect(try await TestDebts.count("contact_events", on: database.db) == before)
            // An inbound call is not checked: it is stored.
            let inbound = ContactLogEntry(
                ContactEvent(
                    .call(direction: .inbound, to: nil, outcome: .conversation, messageLeft: false),
                    at: Self.at("2026-11-29T16:00:00Z")))
            guard
                case .recorded(_, _, nil) = try await ContactStore.record(
                    inbound, about: d1, recordedBy: nil, on: database.db, now: testNow)
            else {
                Issue.record("the inbound call was not recorded")
                return
            }
            // Another debtor's debt, an instant outside the window, a consent ending before it began: refused, nothing stored.
            let count = try await TestDebts.count("contact_events", on: database.db)
            let refusals: [(ContactLogEntry, String)] = [
                (
                    ContactLogEntry(
                        ContactEvent(.dispute, at: Self.at("2026-11-29T15:00:00Z"), debtIDs: ["D2", "E1"])),
                    #"debtIds[1] is "E1", which is not one of this debtor's debts"#
                ),
                (
                    ContactLogEntry(ContactEvent(.letter, at: Self.at("1830-06-01T15:00:00Z"))),
                    "at is 1830-06-01T15:00:00Z, more than ten years ago"
                ),
                (
                    ContactLogEntry(ContactEvent(.letter, at: Self.at("2027-06-01T15:00:00Z"))),
                    "at is 2027-06-01T15:00:00Z, in the future"
                ),
                (
                    ContactLogEntry(
                        ContactEvent(
                            .consent(until: Self.at("2026-11-01T00:00:00Z")), at: Self.at("2026-11-29T15:00:00Z"))),
                    "until is before the consent was given (at)"
                ),
            ]
            for (entry, sentence) in refusals {
                do {
                    _ = try await ContactStore.record(entry, about: d1, recordedBy: nil, on: database.db, now: testNow)
                    Issue.record("\(entry) was recorded")
                } catch let error as StoreError {
                    #expect(error.description.hasPrefix(sentence), "\(error)")
                }
            }
            #expect(try await TestDebts.count("contact_events", on: database.db) == count)
        }
    }

    @Test("recording a dispute stores the debt's segment again at once", arguments: TestStore.available)
    func segmentRefresh(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.prepare(database)
            let d1 = try await TestDebts.debt("D1", on: database.db)
            #expect(try await SegmentStore.stored(debtID: d1.id, on: database.db)?.segment != .disputed)
            let dispute = ContactLogEntry(ContactEvent(.dispute, at: Self.at("2026-11-29T15:00:00Z")))
            _ = try await ContactStore.record(dispute, about: d1, recordedBy: nil, on: database.db, now: testNow)
            #expect(try await SegmentStore.stored(debtID: d1.id, on: database.db)?.segment == .disputed)
            // The portal's way: about the debtor, every debt.
            let e1 = try await TestDebts.debt("E1", on: database.db)
            let portal = ContactLogEntry(ContactEvent(.dispute, at: Self.at("2026-11-29T15:00:00Z")), note: "I paid")
            _ = try await ContactStore.record(
                portal, debtorID: e1.debtorID, recordedBy: "portal", on: database.db, now: testNow)
            #expect(try await SegmentStore.stored(debtID: e1.id, on: database.db)?.segment == .disputed)
            #expect(try await ContactStore.events(debtorID: e1.debtorID, on: database.db).map(\.entry) == [portal])
        }
    }

    /// One entry of every event type.
    static let allTypes: [ContactLogEntry] = [
        ContactLogEntry(
            ContactEvent(
                .call(direction: .outbound, to: "+16175550100", outcome: .voicemail, messageLeft: true),
                at: .distantPast,
                debtIDs: ["D1"]),
            purpose: .collection),
        ContactLogEntry(ContactEvent(.sms(direction: .inbound, to: nil), at: .distantPast, debtIDs: ["D2"])),
        ContactLogEntry(
            ContactEvent(.email(direction: .outbound, to: "pat@example.com"), at: .distantPast), purpose: .response),
        ContactLogEntry(ContactEvent(.letter, at: .distantPast, debtIDs: ["D1", "D2"]), purpose: .remedyNotice),
        ContactLogEntry(ContactEvent(.consent(until: Self.at("2026-12-01T04:59:59Z")), at: .distantPast)),
        ContactLogEntry(ContactEvent(.consentRevoked, at: .distantPast)),
        ContactLogEntry(ContactEvent(.cease, at: .distantPast, debtIDs: ["D2"])),
        ContactLogEntry(ContactEvent(.dispute, at: .distantPast), note: "I paid this in October."),
        ContactLogEntry(ContactEvent(.verificationSent, at: .distantPast, debtIDs: ["D2"])),
        ContactLogEntry(ContactEvent(.attorney, at: .distantPast)),
        ContactLogEntry(ContactEvent(.bankruptcy, at: .distantPast)),
        ContactLogEntry(ContactEvent(.optOut(channel: .email, address: "pat@work.example"), at: .distantPast)),
        ContactLogEntry(
            ContactEvent(
                .inconvenient(
                    weekdays: [2, 4], from: LocalTime(parsing: "09:00"), to: LocalTime(parsing: "12:30"),
                    until: try! LocalDate(iso: "2027-01-31")),
                at: .distantPast)),
        ContactLogEntry(ContactEvent(.inconvenientPlace(.work), at: .distantPast)),
    ]
}
