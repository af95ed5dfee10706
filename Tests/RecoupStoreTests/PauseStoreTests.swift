import Foundation
import RecoupCore
import RecoupTestSupport
import SQLKit
import Testing

@testable import RecoupStore

/// Pauses of the strategy and exclusions from automatic steps: what is stored is what the daily run reads (a pause is
/// in force on day D when `ended_at IS NULL AND until_on >= D`; an exclusion while `ended_at IS NULL`, `client_id`
/// for a whole client, `debtor_id` for one debtor), bad input is one sentence, and a form records once.
/// `testNow` is 2026-11-30 00:53 UTC: today is 2026-11-30 in UTC.
@Suite("Pauses and exclusions in the database")
struct PauseStoreTests {
    /// Pat (P1) owes F1 and F2, Lee (P2) owes F3; a second client "other" has its own P1 and F1.
    static let file = """
        debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal
        F1,P1,consumer,Pat Doe,2026-06-01,2026-07-01,100.00
        F2,P1,consumer,Pat Doe,2026-06-01,2026-07-01,200.00
        F3,P2,consumer,Lee Roe,2026-06-01,2026-07-01,300.00

        """

    static let utc = TimeZone(identifier: "UTC")!
    static let today = try! LocalDate(iso: "2026-11-30")

    static func prepare(_ database: RecoupDatabase) async throws {
        try await TestDebts.load(file, on: database.db, now: testNow)
        _ = try await Importer.run(
            ImportRequest(
                path: try TestFiles.temporary(
                    "debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal\n"
                        + "F1,P1,consumer,Kim Other,2026-06-01,2026-07-01,50.00\n"),
                format: .recoup, clientRef: "other"),
            on: database.db, now: testNow)
    }

    /// The debts the run would find paused on `day`, by the rule it uses.
    static func pausedDebts(on day: LocalDate, _ database: RecoupDatabase) async throws -> [String] {
        try await database.sql.raw(
            """
            SELECT d.ref FROM debts d JOIN clients c ON c.id = d.client_id WHERE c.ref = 'default' AND EXISTS \
            (SELECT 1 FROM strategy_pauses s WHERE s.debtor_id = d.debtor_id AND (s.debt_id IS NULL OR s.debt_id = d.id) \
            AND s.ended_at IS NULL AND s.until_on >= \(bind: day.daysSinceEpoch)) ORDER BY d.ref
            """
        ).all().map { try $0.decode(column: "ref", as: String.self) }
    }

    static func pause(
        debt: String? = nil, debtor: String? = nil, until: String, reason: String = "talking to the debtor",
        _ database: RecoupDatabase
    ) async throws -> StrategyPause {
        try await PauseStore.pause(
            clientRef: "default", debtRef: debt, debtorRef: debtor, until: try LocalDate(iso: until), reason: reason,
            by: "cole@example.com", now: testNow, zone: utc, on: database.db)
    }

    static func refusal(_ body: () async throws -> Void) async -> String? {
        do {
            try await body()
            return nil
        } catch let error as StoreError {
            return error.description
        } catch {
            return "not a StoreError: \(error)"
        }
    }

    @Test(
        "a pause of one debt and of a debtor: in force through their last day, over the day after",
        arguments: TestStore.available)
    func pauseInForce(store: TestStore) async throws {
        try await withStore(store) { database in
            // Setup
            try await Self.prepare(database)

            // Act
            let debtPause = try await Self.pause(debt: "F1", until: "2026-12-10", database)
            let debtorPause = try await Self.pause(
                debtor: "P2", until: "2026-11-30", reason: " hardship call ", database)

            // Verify: what was stored, as the run reads it.
            #expect(debtPause.debtRef == "F1" && debtPause.debtorRef == "P1" && debtPause.clientRef == "default")
            #expect(debtPause.until == (try LocalDate(iso: "2026-12-10")) && debtPause.createdBy == "cole@example.com")
            #expect(debtorPause.debtID == nil && debtorPause.debtRef == nil && debtorPause.reason == "hardship call")
            #expect(try await Self.pausedDebts(on: Self.today, database) == ["F1", "F3"])
            #expect(try await Self.pausedDebts(on: Self.today.adding(days: 1), database) == ["F1"])
            #expect(try await Self.pausedDebts(on: try LocalDate(iso: "2026-12-10"), database) == ["F1"])
            #expect(try await Self.pausedDebts(on: try LocalDate(iso: "2026-12-11"), database) == [])
            #expect(debtPause.isInForce(on: try LocalDate(iso: "2026-12-10")))
            #expect(!debtPause.isInForce(on: try LocalDate(iso: "2026-12-11")))
            let row = try await database.sql.raw(
                "SELECT debt_id, until_on FROM strategy_pauses WHERE id = \(bind: debtorPause.id)"
            ).first()!
            #expect(try row.decode(column: "debt_id", as: Int64?.self) == nil)
            #expect(try row.decode(column: "until_on", as: Int.self) == Self.today.daysSinceEpoch)

            // A pause ended early is over at once, and cannot be ended twice.
            let ended = try await PauseStore.endPause(
                id: debtPause.id, by: "sam@example.com", now: testNow, on: database.db)
            #expect(ended.endedAt != nil && ended.endedBy == "sam@example.com" && !ended.isInForce(on: Self.today))
            #expect(try await Self.pausedDebts(on: Self.today, database) == ["F3"])
            #expect(
                await Self.refusal {
                    _ = try await PauseStore.endPause(id: debtPause.id, by: nil, now: testNow, on: database.db)
                }?.hasPrefix("pause \(debtPause.id) was already ended at ") == true)
            // Another client's pause is not found through a client reference, as a missing one.
            #expect(
                await Self.refusal {
                    _ = try await PauseStore.endPause(
                        id: debtorPause.id, clientRef: "other", by: nil, now: testNow, on: database.db)
                } == "there is no pause \(debtorPause.id) for client \"other\"")
            #expect(
                await Self.refusal {
                    _ = try await PauseStore.endPause(id: 999, by: nil, now: testNow, on: database.db)
                }
                    == "there is no pause 999")

            // The page's list: the debtor's pauses, the latest first; the command's list by client, debtor, day.
            #expect(
                try await PauseStore.pauses(debtorID: debtPause.debtorID, on: database.db).map(\.id) == [debtPause.id])
            #expect(
                try await PauseStore.list(clientRef: "default", debtorRef: nil, on: database.db).map(\.id)
                    == [debtorPause.id, debtPause.id])
            #expect(
                try await PauseStore.list(clientRef: "default", debtorRef: "P2", on: database.db).map(\.id)
                    == [debtorPause.id])
            #expect(
                try await PauseStore.list(clientRef: nil, debtorRef: nil, inForceOn: Self.today, on: database.db)
                    .map(\.id) == [debtorPause.id])
            #expect(
                try await PauseStore.list(
                    clientRef: nil, debtorRef: nil, scope: .client(id: 999, ref: "x"), on: database.db
                ).isEmpty)
        }
    }

    @Test("a pause that cannot be taken is one sentence and stores nothing", arguments: TestStore.available)
    func pauseRefusals(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.prepare(database)
            let cases: [(String?, String?, String, String, String)] = [
                (
                    "F1", nil, "2026-11-29", "why",
                    "the pause would end on 2026-11-29, before today (2026-11-30); give today or a later day"
                ),
                (
                    "F1", nil, "2027-12-01", "why",
                    "the pause would end on 2027-12-01, more than a year ahead; give 2027-11-30 at the latest and pause "
                        + "again then if needed"
                ),
                ("F1", nil, "2026-12-01", "  ", "give a reason for a pause"),
                (
                    "F1", nil, "2026-12-01", String(repeating: "x", count: 501),
                    "the reason is 501 characters long; keep it to 500"
                ),
                (
                    "F1", "P1", "2026-12-01", "why",
                    "pause either one debt or every debt of one debtor: give the debt or the debtor"
                ),
                (
                    nil, nil, "2026-12-01", "why",
                    "pause either one debt or every debt of one debtor: give the debt or the debtor"
                ),
                ("NOPE", nil, "2026-12-01", "why", "client \"default\" has no debt \"NOPE\""),
                (nil, "P9", "2026-12-01", "why", "client \"default\" has no debtor \"P9\""),
            ]
            for (debt, debtor, until, reason, sentence) in cases {
                let refusal = await Self.refusal {
                    _ = try await Self.pause(debt: debt, debtor: debtor, until: until, reason: reason, database)
                }
                #expect(refusal == sentence, "\(debt ?? "-") \(debtor ?? "-") \(until)")
            }
            #expect(
                await Self.refusal {
                    _ = try await PauseStore.pause(
                        clientRef: "nobody", debtRef: "F1", debtorRef: nil, until: Self.today, reason: "r", by: nil,
                        now: testNow, zone: Self.utc, on: database.db)
                } == "there is no client \"nobody\"")
            // The last day allowed, a year ahead, is taken; in New York it is still 29 November, so the 29th is today.
            _ = try await Self.pause(debt: "F1", until: "2027-11-30", database)
            _ = try await PauseStore.pause(
                clientRef: "default", debtRef: "F2", debtorRef: nil, until: try LocalDate(iso: "2026-11-29"),
                reason: "r", by: nil, now: testNow, zone: TimeZone(identifier: "America/New_York")!, on: database.db)
            #expect(try await TestDebts.count("strategy_pauses", on: database.db) == 2)
        }
    }

    @Test(
        "a form's pause is made once however often it is sent; a refused one can be sent again corrected",
        arguments: TestStore.available)
    func pauseOnce(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.prepare(database)
            let form = try #require(FormSubmission(id: "pause-form-0000000001", by: "cole@example.com"))
            let send = { (until: String) in
                try await PauseStore.pause(
                    clientRef: "default", debtRef: "F2", debtorRef: nil, until: try LocalDate(iso: until),
                    reason: "promise pending", by: "cole@example.com", once: form, now: testNow, zone: Self.utc,
                    on: database.db)
            }
            // Refused: nothing claimed, so the corrected form (same id) is taken.
            #expect(await Self.refusal { _ = try await send("2026-01-01") } != nil)
            guard case .done(let pause) = try await send("2026-12-05") else {
                Issue.record("the corrected form was not taken")
                return
            }
            guard case .repeated(let receipt) = try await send("2026-12-05") else {
                Issue.record("the form sent again made a second pause")
                return
            }
            #expect(receipt.result == String(pause.id) && receipt.by == "cole@example.com")
            #expect(try await TestDebts.count("strategy_pauses", on: database.db) == 1)
        }
    }

    @Test("exclusions: a debtor's or a whole client's, one at a time, ended by include", arguments: TestStore.available)
    func exclusions(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.prepare(database)
            let debtor = try await PauseStore.exclude(
                clientRef: "default", debtorRef: "P1", reason: "attorney asked", by: "cole@example.com", now: testNow,
                on: database.db)
            let client = try await PauseStore.exclude(
                clientRef: "other", debtorRef: nil, reason: "the client works its debts itself", by: nil, now: testNow,
                on: database.db)
            #expect(debtor.debtorRef == "P1" && debtor.clientRef == "default" && !debtor.isWholeClient)
            #expect(client.isWholeClient && client.clientRef == "other" && client.debtorRef == nil)
            // Stored as the run reads them: one of client_id and debtor_id set.
            let rows = try await database.sql.raw(
                "SELECT id, client_id, debtor_id FROM automation_exclusions ORDER BY id"
            ).all()
            #expect(try rows[0].decode(column: "client_id", as: Int64?.self) == nil)
            #expect(try rows[0].decode(column: "debtor_id", as: Int64?.self) == debtor.debtorID)
            #expect(try rows[1].decode(column: "client_id", as: Int64?.self) == client.clientID)
            #expect(try rows[1].decode(column: "debtor_id", as: Int64?.self) == nil)

            #expect(
                await Self.refusal {
                    _ = try await PauseStore.exclude(
                        clientRef: "default", debtorRef: "P1", reason: "again", by: nil, now: testNow, on: database.db)
                }
                    == "debtor \"P1\" of client \"default\" is already excluded from automatic steps (exclusion \(debtor.id))"
            )
            #expect(
                await Self.refusal {
                    _ = try await PauseStore.exclude(
                        clientRef: "other", debtorRef: nil, reason: "again", by: nil, now: testNow, on: database.db)
                } == "client \"other\" is already excluded from automatic steps (exclusion \(client.id))")
            #expect(
                await Self.refusal {
                    _ = try await PauseStore.exclude(
                        clientRef: "default", debtorRef: "P9", reason: "r", by: nil, now: testNow, on: database.db)
                } == "client \"default\" has no debtor \"P9\"")
            #expect(
                await Self.refusal {
                    _ = try await PauseStore.exclude(
                        clientRef: "default", debtorRef: "P2", reason: "", by: nil, now: testNow, on: database.db)
                } == "give a reason for an exclusion")

            // What covers other's P1: the whole client's exclusion; default's P1: their own.
            let otherDebtor = try await database.sql.raw(
                "SELECT p.id FROM debtors p JOIN clients c ON c.id = p.client_id WHERE c.ref = 'other'"
            ).first()!.decode(column: "id", as: Int64.self)
            #expect(try await PauseStore.exclusions(debtorID: otherDebtor, on: database.db).map(\.id) == [client.id])
            #expect(
                try await PauseStore.exclusions(debtorID: debtor.debtorID!, on: database.db).map(\.id) == [debtor.id])
            #expect(
                try await PauseStore.exclusions(clientRef: "other", debtorRef: "P1", on: database.db).map(\.id)
                    == [client.id])
            #expect(
                try await PauseStore.exclusions(
                    clientRef: nil, debtorRef: nil, scope: .client(id: client.clientID, ref: "other"), on: database.db
                )
                .map(\.id) == [client.id])

            // Include ends it once; another client's id is not found through a client reference.
            #expect(
                await Self.refusal {
                    _ = try await PauseStore.include(
                        id: debtor.id, clientRef: "other", by: nil, now: testNow, on: database.db)
                } == "there is no exclusion \(debtor.id) for client \"other\"")
            let included = try await PauseStore.include(
                id: debtor.id, by: "sam@example.com", now: testNow, on: database.db)
            #expect(!included.isInForce && included.endedBy == "sam@example.com")
            #expect(
                await Self.refusal {
                    _ = try await PauseStore.include(id: debtor.id, by: nil, now: testNow, on: database.db)
                }?.hasPrefix("exclusion \(debtor.id) was already ended at ") == true)
            #expect(
                try await PauseStore.exclusions(
                    clientRef: "default", debtorRef: nil, inForceOnly: true, on: database.db
                )
                .isEmpty)
            // Once ended, the debtor can be excluded again.
            _ = try await PauseStore.exclude(
                clientRef: "default", debtorRef: "P1", reason: "again", by: nil, now: testNow, on: database.db)
            #expect(try await TestDebts.count("automation_exclusions", where: "ended_at IS NULL", on: database.db) == 2)
        }
    }
}
