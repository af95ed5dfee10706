import Foundation
import RecoupCore
import RecoupTestSupport
import SQLKit
import Testing

@testable import RecoupStore

/// `ContactStore.record` keeps a contact's note (in the event's details) and its callback (`callback_at`, M020), and
/// reads both back with the history; a callback it cannot take is refused with one sentence and nothing is stored.
@Suite("Contact notes and callbacks")
struct ContactCallbackTests {
    static func at(_ text: String) -> Date { ISO8601Instant.parse(text)! }

    /// Pat's debt D1 (`ContactStoreTests.file`), imported.
    static func patsDebt(_ database: RecoupDatabase) async throws -> DebtSummary {
        try await ContactStoreTests.prepare(database)
        return try await TestDebts.debt("D1", on: database.db)
    }

    /// Pat called and they spoke, on Sunday 29 November.
    static let conversation = ContactLogEntry.call(.inbound, to: nil, .conversation, at: at("2026-11-29T18:00:00Z"))

    @Test(
        "a note and a callback are stored with the contact and read back with the history",
        arguments: TestStore.available)
    func stored(store: TestStore) async throws {
        try await withStore(store) { database in
            // Setup
            let d1 = try await Self.patsDebt(database)
            var call = Self.conversation
            call.note = "Paid on Friday, she says"

            // Act
            let recorded = try await ContactStore.record(
                call, about: d1, recordedBy: "ana@agency.example", callbackAt: Self.at("2026-12-04T15:00:00Z"),
                on: database.db, now: testNow)

            // Verify: the stored event, its note and its callback; a contact without one has none.
            guard case .recorded = recorded else {
                Issue.record("the inbound call was not recorded: \(recorded)")
                return
            }
            _ = try await ContactStore.record(
                ContactLogEntry(ContactEvent(.letter, at: Self.at("2026-11-29T19:00:00Z"))), about: d1,
                recordedBy: nil, on: database.db, now: testNow)
            let events = try await ContactStore.events(of: d1, on: database.db)
            #expect(events.map(\.callbackAt) == [Self.at("2026-12-04T15:00:00Z"), nil])
            #expect(events.map(\.entry.note) == ["Paid on Friday, she says", nil])
            #expect(events.first?.recordedBy == "ana@agency.example")
            let contacts = try await ContactStore.contacts(debtorID: d1.debtorID, on: database.db)
            #expect(contacts.events.first?.callbackAt == Self.at("2026-12-04T15:00:00Z"))
        }
    }

    @Test(
        "a callback before the contact, over a year after it or after a cease is refused; so is a long note",
        arguments: TestStore.available)
    func refused(store: TestStore) async throws {
        try await withStore(store) { database in
            let d1 = try await Self.patsDebt(database)
            let inbound = Self.conversation.event
            let cases: [(ContactLogEntry, Date?, String)] = [
                (
                    ContactLogEntry(inbound), Self.at("2026-11-29T17:59:00Z"),
                    "the callback must be after the contact it follows"
                ),
                (
                    ContactLogEntry(inbound), Self.at("2027-12-01T18:00:00Z"),
                    "the callback must be within a year of the contact"
                ),
                (
                    ContactLogEntry(ContactEvent(.cease, at: Self.at("2026-11-29T18:00:00Z"))),
                    Self.at("2026-12-01T18:00:00Z"),
                    "a callback goes with a call, text, email or letter, not a cease: collection contact stops after it"
                ),
                (
                    ContactLogEntry(inbound, note: String(repeating: "x", count: ContactStore.maxNoteLength + 1)), nil,
                    "the note is 4001 characters long; keep it to 4000"
                ),
            ]
            for (entry, callback, sentence) in cases {
                await #expect(throws: StoreError.invalid(sentence)) {
                    try await ContactStore.record(
                        entry, about: d1, recordedBy: nil, callbackAt: callback, on: database.db, now: testNow)
                }
            }
            #expect(try await ContactStore.events(of: d1, on: database.db).isEmpty)
        }
    }
}
