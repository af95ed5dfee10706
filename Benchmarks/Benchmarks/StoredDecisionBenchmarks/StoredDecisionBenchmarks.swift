// A compliance decision for a stored debtor, end to end from the store. Run from Benchmarks/:
// `swift package benchmark --target StoredDecisionBenchmarks`.
//
// The fixture is one SQLite database file (in a temporary directory) with one consumer debtor who has two phones, an
// email address, a Massachusetts address and a recorded zone, one debt, and 50 stored contact events over the 30 days
// before the decision (calls with every outcome, voicemails, texts, emails, letters, a consent, an inconvenient
// time). One measured iteration is one decision about a call to the debtor's first phone, as the API and the debt's
// page make it (`ContactStore.decide`): read the debtor's events and contact profile from the database, decide. With `RECOUP_BENCH_POSTGRES_URL` set, the same fixture is also measured on
// PostgreSQL (in a schema of its own, dropped afterwards).
//
// "in memory" benchmarks take the rows as the database returned them (fetched once, outside the measured region)
// and measure only what Recoup does with them: the database's share is the difference.

import Benchmark
import Foundation
import RecoupCore
import RecoupStore
import SQLKit

let eventCount = 50
let decisionAt = ISO8601Instant.parse("2026-11-27T16:00:00Z")!

/// The debtor's file in Recoup's import layout: one debt, two phones, an email, an address, a zone.
let importFile = """
    debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,interest,fees,paid,paid_on,phones,emails,address_state,address_postal_code,time_zones
    D1,P1,consumer,Pat Doe,2026-06-01,2026-07-01,1250.00,,,,,+16175550100:mobile;+16175550101:work,pat@example.com,MA,02118,America/New_York

    """

/// A small deterministic generator (SplitMix64), so every run stores the same history.
struct Mix {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}

/// The 50 events as rows of `contact_events`: type, instant, debt ids (JSON) and the event as the contact log stores
/// it (a JSON object in the compliance contract's event shape), written directly so that the rows are the same
/// whatever the store's API.
func storedEvents() -> [(type: String, at: Date, debtIDs: String?, details: String)] {
    var mix = Mix(state: 20_261_127)
    let numbers = ["+16175550100", "+16175550101"]
    let outcomes = [
        "no_answer", "busy", "not_in_service", "voicemail", "answered_dropped", "conversation", "third_party",
    ]
    let start = decisionAt.addingTimeInterval(-30 * 86_400)
    var rows: [(type: String, at: Date, debtIDs: String?, details: String)] = []
    for _ in 0..<eventCount {
        let at = start.addingTimeInterval(Double(mix.next(30 * 86_400)))
        let head = "\"at\":\"\(ISO8601Instant.format(at))\",\"debtIds\":[\"D1\"]"
        let (type, members): (String, String)
        switch mix.next(20) {
        case 0..<10:
            let outcome = outcomes[mix.next(outcomes.count)]
            (type, members) = (
                "call",
                ",\"direction\":\"outbound\",\"to\":\"\(numbers[mix.next(2)])\",\"outcome\":\"\(outcome)\""
                    + ",\"messageLeft\":\(outcome == "voicemail" && mix.next(2) == 0)"
            )
        case 10, 11: (type, members) = ("sms", ",\"direction\":\"outbound\",\"to\":\"+16175550100\"")
        case 12, 13: (type, members) = ("email", ",\"direction\":\"outbound\",\"to\":\"pat@example.com\"")
        case 14:
            (type, members) = ("call", ",\"direction\":\"inbound\",\"outcome\":\"conversation\",\"messageLeft\":false")
        case 15: (type, members) = ("consent", "")
        case 16: (type, members) = ("inconvenient", ",\"weekdays\":[\"tue\"],\"from\":\"18:00\",\"to\":\"21:00\"")
        case 17: (type, members) = ("letter", "")
        default: (type, members) = ("sms", ",\"direction\":\"inbound\"")
        }
        rows.append((type, at, "[\"D1\"]", "{\"type\":\"\(type)\",\(head)\(members)}"))
    }
    return rows.sorted { $0.at < $1.at }
}

/// One database with the fixture stored, and the debt the decisions are about.
struct Fixture: Sendable {
    let database: RecoupDatabase
    let debt: DebtSummary
    let cleanUp: @Sendable () async -> Void

    static func make(
        _ configuration: StoreConfiguration, cleanUp: @escaping @Sendable () async -> Void
    ) async throws -> Fixture {
        let database = try await RecoupDatabase.open(configuration)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "recoup-bench-\(UUID().uuidString).csv")
        try Data(importFile.utf8).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let now = decisionAt
        _ = try await Importer.run(ImportRequest(path: path.path, format: .recoup), on: database.db, now: now)
        let debtorID = try await database.sql.raw("SELECT id FROM debtors WHERE ref = 'P1'").first()!
            .decode(column: "id", as: Int64.self)
        for row in storedEvents() {
            try await database.sql.raw(
                """
                INSERT INTO contact_events (debtor_id, type, at, debt_ids, details, recorded_by, created_at) VALUES \
                (\(bind: debtorID), \(bind: row.type), \(bind: row.at), \(bind: row.debtIDs), \(bind: row.details), \
                'bench', \(bind: now))
                """
            ).run()
        }
        let id = try await database.sql.raw("SELECT id FROM debts WHERE ref = 'D1'").first()!.decode(
            column: "id", as: Int64.self)
        let debt = try await DebtQueries.debt(id: id, scope: .all, on: database.db)!
        return Fixture(database: database, debt: debt, cleanUp: cleanUp)
    }

    static func sqliteFile() async throws -> Fixture {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "recoup-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try await make(.sqliteFile(path: directory.appendingPathComponent("recoup.sqlite").path)) {
            try? FileManager.default.removeItem(at: directory)
        }
    }

    static func postgres(_ url: String) async throws -> Fixture {
        let schema = "bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let admin = try await RecoupDatabase.open(.postgres(url: url, searchPath: nil), migrate: false)
        try await admin.sql.raw("CREATE SCHEMA \(unsafeRaw: String(schema))").run()
        await admin.close()
        return try await make(try .checkedPostgres(url: url, searchPath: String(schema))) {
            guard let admin = try? await RecoupDatabase.open(.postgres(url: url, searchPath: nil), migrate: false)
            else { return }
            try? await admin.sql.raw("DROP SCHEMA \(unsafeRaw: String(schema)) CASCADE").run()
            await admin.close()
        }
    }

    func close() async {
        await database.close()
        await cleanUp()
    }
}

// MARK: The path measured

/// What the API and the debt's page do (`ContactStore.decide`): the debtor's events and contact profile read from the
/// store as values, decided. (Before issue 12 the store handed the server JSON text, which it put together into a
/// compliance request's text and parsed again; docs/performance.md has both.)
func decideFromStore(_ fixture: Fixture, to: String?) async throws -> Decision {
    try await ContactStore.decide(.call, at: decisionAt, to: to, debt: fixture.debt, on: fixture.database.db)
}

/// A `contact_events` row as the database returns it.
struct EventRow: Sendable {
    var type: String
    var at: Date
    var debtIDs: String?
    var details: String
}

/// The in-memory half: each row through `ContactEventCodec`, the request as values, the engine.
func decide(rows: [EventRow], profile: DebtorContactProfile, debt: DebtSummary, to: String?) throws -> Decision {
    var events: [ContactEvent] = []
    events.reserveCapacity(rows.count)
    var reader = ContactEventCodec.RowReader()
    for row in rows {
        events.append(try reader.entry(type: row.type, at: row.at, debtIDs: row.debtIDs, details: row.details).event)
    }
    return ComplianceEngine.decide(
        ComplianceRequest(at: decisionAt, action: .call, debtID: debt.ref, to: to, debtor: profile, events: events),
        policy: .standard)
}

/// The rows as the store returned them, for the in-memory benchmark.
func storedRows(_ fixture: Fixture) async throws -> (events: [EventRow], profile: DebtorContactProfile) {
    let rows = try await fixture.database.sql.raw(
        "SELECT type, at, debt_ids, details FROM contact_events WHERE debtor_id = \(bind: fixture.debt.debtorID) ORDER BY at, id"
    ).all().map { row in
        EventRow(
            type: try row.decode(column: "type", as: String.self), at: try row.decode(column: "at", as: Date.self),
            debtIDs: try row.decode(column: "debt_ids", as: String?.self),
            details: try row.decode(column: "details", as: String.self))
    }
    return (rows, try await ContactStore.profile(debtorID: fixture.debt.debtorID, on: fixture.database.db))
}

// MARK: Benchmarks

/// Set by each benchmark's setup, closed by its teardown (each benchmark runs in a process of its own).
nonisolated(unsafe) var current: Fixture?

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 20, scalingFactor: .one, maxDuration: .seconds(5), maxIterations: 5_000)

    func endToEnd(_ name: String, _ make: @escaping @Sendable () async throws -> Fixture) {
        Benchmark(
            name,
            closure: { benchmark in
                let fixture = current!
                let phone = "+16175550100"
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations {
                    blackHole(try! await decideFromStore(fixture, to: phone))
                }
                benchmark.stopMeasurement()
            },
            setup: {
                current = try await make()
                let decision = try await decideFromStore(current!, to: "+16175550100")
                print("\(name): \(decision.verdict.rawValue), rules \(decision.findings.map(\.rule.rawValue))")
            },
            teardown: {
                await current?.close()
                current = nil
            })
    }

    endToEnd("Decision from stored events: SQLite file, 50 events") { try await Fixture.sqliteFile() }
    if let url = ProcessInfo.processInfo.environment["RECOUP_BENCH_POSTGRES_URL"], !url.isEmpty {
        endToEnd("Decision from stored events: PostgreSQL, 50 events") { try await Fixture.postgres(url) }
    }

    nonisolated(unsafe) var rows: (events: [EventRow], profile: DebtorContactProfile) = (
        [], DebtorContactProfile(kind: .consumer)
    )
    Benchmark(
        "Decision from stored events, in memory: the rows already read, 50 events",
        closure: { benchmark in
            let fixture = current!
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(try! decide(rows: rows.events, profile: rows.profile, debt: fixture.debt, to: "+16175550100"))
            }
            benchmark.stopMeasurement()
        },
        setup: {
            current = try await Fixture.sqliteFile()
            rows = try await storedRows(current!)
        },
        teardown: {
            await current?.close()
            current = nil
        })
}
