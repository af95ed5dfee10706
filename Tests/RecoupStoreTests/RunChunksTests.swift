import FluentKit
import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import SQLKit
import Testing

/// The daily run worked in many chunks decides and records what it does in one: on an SQLite file a connection of the
/// run's own reads the next chunk's facts while a chunk is decided, and every chunk's rows are written in batches at
/// its end.
@Suite struct RunChunksTests {
    /// What a run reported, as comparable text: every action with its reason, message and planned instant, and every
    /// blocked action.
    /// A message is named by the first debt it covers, whatever the order the chunks were reported in (on
    /// PostgreSQL a chunk another test's run holds is worked last).
    static func described(_ actions: [RunAction], _ blocked: [RunBlockedAction]) -> [String] {
        let messages = Dictionary(
            actions.compactMap { action in action.messageID.map { ($0, action.debtRef) } },
            uniquingKeysWith: { min($0, $1) })
        return actions.map {
            "\($0.debtRef) \($0.step)#\($0.occurrence) \($0.action.rawValue) \($0.reason) "
                + "message \($0.messageID.flatMap { messages[$0] } ?? "-") "
                + "at \($0.plannedAt?.timeIntervalSince1970 ?? 0) reachable \($0.reachable)"
        }.sorted() + blocked.map { "blocked \($0.debtRef) \($0.step) \($0.rules) \($0.reason)" }.sorted()
    }

    /// Runs dry in one chunk and in chunks of one debtor and expects the same, then for real in chunks of one debtor
    /// and expects what the dry run planned: its summary, created actions and the dry run's actions.
    static func chunkedAsWhole(
        _ database: RecoupDatabase
    ) async throws -> (summary: RunSummary, created: [RunAction], planned: [RunAction]) {
        let (whole, wholeActions, wholeBlocked) = try await RunStoreTests.run(
            RunStoreTests.request(dryRun: true), database)
        var small = RunStoreTests.request(dryRun: true)
        small.chunkDebtors = 1
        let (chunked, chunkedActions, chunkedBlocked) = try await RunStoreTests.run(small, database)
        #expect(chunked == whole)
        #expect(described(chunkedActions, chunkedBlocked) == described(wholeActions, wholeBlocked))
        #expect(whole.created == 6)

        let (recorded, created, _) = try await RunStoreTests.run(realInChunks, database)
        #expect(RunStoreTests.keys(created) == RunStoreTests.keys(wholeActions))
        #expect(recorded.created == 6)
        #expect(recorded.skipped == 3)
        return (recorded, created, wholeActions)
    }

    /// A real run in chunks of one debtor.
    static var realInChunks: RunRequest {
        var request = RunStoreTests.request()
        request.chunkDebtors = 1
        return request
    }

    @Test(arguments: TestStore.available)
    func aDebtorPerChunkDecidesAndRecordsWhatOneChunkDoes(_ kind: TestStore) async throws {
        try await withStore(kind) { database in
            try await RunStoreTests.load(database)
            let (recorded, created, _) = try await Self.chunkedAsWhole(database)
            #expect(recorded.messages == 2)
            #expect(created.allSatisfy { $0.id != nil })
            #expect(try await TestDebts.count("strategy_actions", where: "status = 'created'", on: database.db) == 6)
            #expect(try await TestDebts.count("strategy_actions", where: "status = 'skipped'", on: database.db) == 0)
            #expect(try await TestDebts.count("outbox_messages", on: database.db) == 2)
            #expect(try await TestDebts.count("work_items", where: "kind = 'call'", on: database.db) == 1)
            #expect(
                try await TestDebts.count("work_items", where: "kind = 'request_contact_details'", on: database.db)
                    == 1)
            // Each action that carries a message names a message that is stored, and the one letter covers C-17's
            // three debts.
            let messageIDs = Set(created.compactMap(\.messageID))
            #expect(messageIDs.count == 2)
            for id in messageIDs {
                #expect(try await TestDebts.count("outbox_messages", where: "id = \(id)", on: database.db) == 1)
            }

            let (again, repeated, _) = try await RunStoreTests.run(Self.realInChunks, database)
            #expect(again.created == 0)
            #expect(repeated.isEmpty)
            #expect(again.alreadyDone == 6)
            #expect(try await TestDebts.count("strategy_actions", on: database.db) == 6)
        }
    }

    /// The run stores a debt's segment when it differs from the stored one (a stored segment that no longer holds is
    /// replaced; one that still holds keeps the day it was decided), and the steps done come back whole: the next day
    /// neither repeats them nor goes back behind them.
    @Test(arguments: TestStore.available)
    func theNextDayStoresOnlyTheSegmentsThatChangedAndRepeatsNothing(_ kind: TestStore) async throws {
        try await withStore(kind) { database in
            try await RunStoreTests.load(database)
            let first = RunStoreTests.asOf
            let (day1, _, _) = try await RunStoreTests.run(RunStoreTests.request(first), database)
            #expect(day1.created == 6)
            let segmented = try await TestDebts.count("debt_segments", on: database.db)
            #expect(segmented > 1)
            #expect(
                try await TestDebts.count("debt_segments", where: "as_of = \(first.daysSinceEpoch)", on: database.db)
                    == segmented)
            let sql = database.db as! any SQLDatabase
            let stale = try await sql.raw("SELECT MIN(debt_id) AS id FROM debt_segments").first()!
                .decode(column: "id", as: Int64.self)
            try await sql.raw("UPDATE debt_segments SET reasons = 'stale' WHERE debt_id = \(bind: stale)").run()

            let (day2, _, _) = try await RunStoreTests.run(RunStoreTests.request(first.adding(days: 1)), database)
            #expect(day2.alreadyDone == 0)
            let rewritten = try await sql.raw(
                "SELECT reasons, as_of FROM debt_segments WHERE debt_id = \(bind: stale)"
            ).first()!
            #expect(try rewritten.decode(column: "reasons", as: String.self) != "stale")
            #expect(try rewritten.decode(column: "as_of", as: Int.self) == first.daysSinceEpoch + 1)
            #expect(
                try await TestDebts.count("debt_segments", where: "as_of = \(first.daysSinceEpoch)", on: database.db)
                    >= 1)
            // Nothing done on the first day is planned again.
            #expect(
                try await TestDebts.count(
                    "(SELECT debt_id FROM strategy_actions GROUP BY debt_id, step_id, occurrence HAVING COUNT(*) > 1) AS t",
                    on: database.db) == 0)
            let (again, repeated, _) = try await RunStoreTests.run(
                RunStoreTests.request(first.adding(days: 1)), database)
            #expect(again.created == 0)
            #expect(repeated.isEmpty)
            #expect(again.alreadyDone == day2.created)
        }
    }

    /// In an SQLite file the next chunk's facts are read by a connection of their own while a chunk is worked: the
    /// run decides and records what one chunk does, and a second run creates nothing.
    @Test func inAFileTheReadingAheadOnItsOwnConnectionDecidesTheSame() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("run-\(UUID().uuidString).sqlite").path
        defer {
            for suffix in ["", "-journal", "-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: path + suffix)
            }
        }
        let database = try await RecoupDatabase.open(.sqliteFile(path: path))
        do {
            try await RunStoreTests.load(database)
            _ = try await Self.chunkedAsWhole(database)
            #expect(try await TestDebts.count("strategy_actions", on: database.db) == 6)
            #expect(try await TestDebts.count("outbox_messages", on: database.db) == 2)
            let (again, repeated, _) = try await RunStoreTests.run(Self.realInChunks, database)
            #expect(again.created == 0)
            #expect(repeated.isEmpty)
            #expect(again.alreadyDone == 6)
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }

    /// A step passed over on the day of the step done is recorded as skipped, so that it never happens; steps of
    /// earlier days are not recorded and never happen either (they fall behind the step done).
    @Test(arguments: TestStore.available)
    func aStepPassedOverOnTheDayOfTheStepDoneIsRecordedAndEarlierOnesNeverHappen(_ kind: TestStore) async throws {
        try await withStore(kind) { database in
            try await RunStoreTests.load(database)
            var mail = StrategyStep(id: "mail-7", day: 7, action: .email)
            mail.template = "reminder"
            let call = StrategyStep(id: "call-7", day: 7, action: .call)
            var letter = StrategyStep(id: "letter-30", day: 30, action: .letter)
            letter.template = "reminder"
            let strategy = Strategy(name: "same day", tracks: [StrategyTrack(steps: [mail, call, letter])])
            func request(_ day: LocalDate) -> RunRequest {
                var request = RunRequest(
                    asOf: day, defaultStrategy: RunStrategy(strategy: strategy, id: nil, version: 0),
                    zone: RunStoreTests.utc)
                request.publicURL = "https://pay.example.com"
                return request
            }
            let (first, created, _) = try await RunStoreTests.run(request(RunStoreTests.asOf), database)
            // INV-4 is 21 days past due: mail-7 and call-7 fell on the same day, the call (later in the track) is
            // made and the email recorded as skipped. INV-3 is 51 days past due: the letter, both day-7 steps passed
            // over and not recorded.
            #expect(created.contains { $0.debtRef == "INV-4" && $0.step == "call-7" })
            #expect(created.contains { $0.debtRef == "INV-3" && $0.step == "letter-30" })
            #expect(first.skipped >= 3)
            let sql = database.db as! any SQLDatabase
            let skipped = try await sql.raw(
                """
                SELECT d.ref, a.step_id FROM strategy_actions a JOIN debts d ON d.id = a.debt_id \
                WHERE a.status = 'skipped' ORDER BY d.ref, a.step_id
                """
            ).all().map {
                "\(try $0.decode(column: "ref", as: String.self)) \(try $0.decode(column: "step_id", as: String.self))"
            }
            #expect(skipped.contains("INV-4 mail-7"))
            #expect(!skipped.contains { $0.hasPrefix("INV-3 ") })

            for offset in 1...3 {
                let (next, more, _) = try await RunStoreTests.run(
                    request(RunStoreTests.asOf.adding(days: offset)), database)
                #expect(!more.contains { $0.debtRef == "INV-4" || $0.debtRef == "INV-3" })
                #expect(next.created == more.count)
            }
        }
    }
}
