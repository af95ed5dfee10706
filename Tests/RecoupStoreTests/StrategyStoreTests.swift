import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import Testing

@Suite("Strategy versions in the database")
struct StrategyStoreTests {
    /// A small strategy file named `name` whose one step falls on `day`.
    static func file(_ name: String, day: Int = 7) -> String {
        """
        name: \(name)
        tracks:
          - steps:
              - {id: reminder-1, day: \(day), action: email, template: reminder}
        """
    }

    @Test(
        "versions count per scope; a client's own beats the default; older versions stay readable; the built-in when none",
        arguments: TestStore.available)
    func versions(store: TestStore) async throws {
        try await withStore(store) { database in
            // Setup: two clients, nothing activated.
            let acme = try await ClientQueries.ensureClient(ref: "acme", on: database.sql, now: testNow)
            let bolt = try await ClientQueries.ensureClient(ref: "bolt", on: database.sql, now: testNow)
            #expect(try await StrategyStore.active(clientID: acme, sql: database.sql) == .builtIn)
            #expect(StoredStrategy.builtIn.strategy == DefaultStrategy.strategy)
            #expect(try await StrategyStore.list(on: database.db) == [.init(stored: .builtIn, isActive: true)])
            #expect(try await StrategyStore.show(name: nil, clientRef: nil, version: nil, on: database.db) == .builtIn)

            // Act: two versions of the default, then acme's own.
            let first = try await StrategyStore.activate(
                source: Self.file("house"), clientRef: nil, by: "ops@recoup.example", now: testNow, on: database.db)
            let second = try await StrategyStore.activate(
                source: Self.file("house", day: 10), clientRef: nil, by: nil, now: testNow.addingTimeInterval(60),
                on: database.db)
            let own = try await StrategyStore.activate(
                source: Self.file("acme-special", day: 3), clientRef: "acme", by: "cole@acme.example",
                now: testNow.addingTimeInterval(120), on: database.db)

            // Verify: versions per scope, as stored.
            #expect(first.version == 1 && first.clientRef == nil && first.name == "house")
            #expect(first.activatedBy == "ops@recoup.example")
            #expect(first.activatedAt == testNow)
            #expect(first.source == Self.file("house"))
            #expect(first.strategy.tracks[0].steps[0].day == 7)
            #expect(second.version == 2)
            #expect(own.version == 1 && own.clientRef == "acme")
            #expect(first.id != nil && second.id != nil && own.id != nil)
            // The client's own beats the default; a client without its own uses the default's newest version.
            #expect(try await StrategyStore.active(clientID: acme, sql: database.sql) == own)
            #expect(try await StrategyStore.active(clientID: bolt, sql: database.sql) == second)
            let active = try await StrategyStore.allActive(on: database.db)
            #expect(active.fallback == second)
            #expect(active.byClient == [acme: own])
            #expect(active.strategy(forClient: acme) == own)
            #expect(active.strategy(forClient: bolt) == second)
            // Every version stays readable: newest first, which one is in force per scope, the built-in last.
            #expect(
                try await StrategyStore.list(on: database.db) == [
                    .init(stored: own, isActive: true), .init(stored: second, isActive: true),
                    .init(stored: first, isActive: false), .init(stored: .builtIn, isActive: false),
                ])
            #expect(try await StrategyStore.show(name: nil, clientRef: nil, version: 1, on: database.db) == first)
            #expect(try await StrategyStore.show(name: nil, clientRef: nil, version: 0, on: database.db) == .builtIn)
            #expect(
                try await StrategyStore.show(name: "house", clientRef: nil, version: nil, on: database.db) == second)
            #expect(try await StrategyStore.show(name: nil, clientRef: "acme", version: nil, on: database.db) == own)
            #expect(try await StrategyStore.show(name: nil, clientRef: "bolt", version: nil, on: database.db) == second)
            // By name: the client's own first, then the default's; the built-in by its name.
            #expect(
                try await StrategyStore.show(name: "house", clientRef: "acme", version: nil, on: database.db) == second)
            #expect(
                try await StrategyStore.show(name: "standard", clientRef: nil, version: nil, on: database.db)
                    == .builtIn)

            // A client's second version counts on from its own first.
            let ownSecond = try await StrategyStore.activate(
                source: Self.file("acme-special", day: 4), clientRef: "acme", by: nil,
                now: testNow.addingTimeInterval(180), on: database.db)
            #expect(ownSecond.version == 2)
            #expect(try await StrategyStore.active(clientID: acme, sql: database.sql) == ownSecond)
            #expect(try await StrategyStore.show(name: nil, clientRef: "acme", version: 1, on: database.db) == own)
        }
    }

    @Test(
        "a bad file, an unknown client, a version or name that does not exist: refused, nothing stored",
        arguments: TestStore.available)
    func refusals(store: TestStore) async throws {
        try await withStore(store) { database in
            _ = try await ClientQueries.ensureClient(ref: "acme", on: database.sql, now: testNow)
            await #expect(
                throws: StrategyFileError(problems: [
                    StrategyFileProblem(
                        line: 4, column: 42,
                        message:
                            #"action "emial" is not one of email, sms, letter, call, voicemail, offer_plan, final_notice, request_contact_details, skip_trace, place_with_agency, legal_review and wait; did you mean "email"?"#
                    )
                ])
            ) {
                try await StrategyStore.activate(
                    source: Self.file("x").replacingOccurrences(of: "action: email", with: "action: emial"),
                    clientRef: nil, by: nil, now: testNow, on: database.db)
            }
            await #expect(throws: StoreError.unknownClient("nobody")) {
                try await StrategyStore.activate(
                    source: Self.file("x"), clientRef: "nobody", by: nil, now: testNow, on: database.db)
            }
            #expect(try await StrategyStore.list(on: database.db).count == 1)
            await #expect(throws: StoreError.invalid("there is no version 3 of the default strategy")) {
                try await StrategyStore.show(name: nil, clientRef: nil, version: 3, on: database.db)
            }
            await #expect(throws: StoreError.invalid("there is no version 1 of client \"acme\"'s own strategy")) {
                try await StrategyStore.show(name: nil, clientRef: "acme", version: 1, on: database.db)
            }
            await #expect(
                throws: StoreError.invalid("there is no strategy named \"gentle\" among the default strategies")
            ) {
                try await StrategyStore.show(name: "gentle", clientRef: nil, version: nil, on: database.db)
            }
            await #expect(throws: StoreError.unknownClient("nobody")) {
                try await StrategyStore.show(name: nil, clientRef: "nobody", version: nil, on: database.db)
            }
            let stored = try await StrategyStore.activate(
                source: Self.file("house"), clientRef: nil, by: nil, now: testNow, on: database.db)
            await #expect(
                throws: StoreError.invalid("version 1 of the default strategy is named \"house\", not \"gentle\"")
            ) {
                try await StrategyStore.show(name: "gentle", clientRef: nil, version: 1, on: database.db)
            }
            #expect(try await StrategyStore.show(name: "house", clientRef: nil, version: 1, on: database.db) == stored)
        }
    }

    @Test("activations at the same time get versions one after the other", arguments: TestStore.available)
    func concurrentActivations(store: TestStore) async throws {
        try await withStore(store) { database in
            let versions = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<4 {
                    group.addTask {
                        try await StrategyStore.activate(
                            source: Self.file("house", day: index), clientRef: nil, by: nil, now: testNow,
                            on: database.db
                        ).version
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(versions.sorted() == [1, 2, 3, 4])
        }
    }

    @Test("the built-in default is activated word for word when asked", arguments: TestStore.available)
    func builtInActivated(store: TestStore) async throws {
        try await withStore(store) { database in
            let stored = try await StrategyStore.activate(
                source: DefaultStrategy.source, clientRef: nil, by: nil, now: testNow, on: database.db)
            #expect(stored.strategy == DefaultStrategy.strategy)
            #expect(stored.source == DefaultStrategy.source)
            #expect(stored.version == 1)
            #expect(try await StrategyStore.list(on: database.db).map(\.isActive) == [true, false])
        }
    }
}
