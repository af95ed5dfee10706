import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import SQLKit
import Testing

/// Posting or reversing a payment, spreading one, creating, accepting or cancelling an arrangement and adding a
/// promise are each one store function that does the whole job in one transaction, the segment refresh included.
@Suite("Use cases whole in the store: one transaction each, segments stored in the same call, typed errors")
struct UseCaseTests {
    static let utc = TimeZone(identifier: "UTC")!

    /// Client "default": debts A1 (1,200.00) and A2 (300.00) of debtor 0379-NEVHP, B1 (500.00) of 0465-ZZZZZ, all
    /// due 2026-10-01.
    static func openDebts(_ database: RecoupDatabase) async throws {
        let file = try TestFiles.temporary(
            """
            \(IBMAccountsReceivableLayout.header.joined(separator: ","))
            391,0379-NEVHP,4/6/2013,A1,9/1/2026,10/1/2026,1200.00,No,,Paper,,
            391,0379-NEVHP,4/6/2013,A2,9/1/2026,10/1/2026,300.00,No,,Paper,,
            391,0465-ZZZZZ,4/6/2013,B1,9/1/2026,10/1/2026,500.00,No,,Paper,,

            """)
        let summary = try await Importer.run(ImportRequest(path: file, format: .ibmAR), on: database.db, now: testNow)
        #expect(summary.imported == 3)
    }

    static func date(_ text: String) -> LocalDate { try! LocalDate(iso: text) }

    static func count(_ table: String, _ database: RecoupDatabase) async throws -> Int {
        try await database.sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()!.decode(
            column: "n", as: Int.self)
    }

    /// The day the stored segment of `debt` was worked out for, if it was stored.
    static func segmentDay(_ debt: String, _ database: RecoupDatabase) async throws -> LocalDate? {
        let id = try await database.sql.raw("SELECT id FROM debts WHERE ref = \(bind: debt)").first()!
            .decode(column: "id", as: Int64.self)
        return try await SegmentStore.stored(debtID: id, on: database.db)?.asOf
    }

    /// `now` moved on by `days` whole days, so each call's refresh leaves its own day in `debt_segments`.
    static func later(_ days: Int) -> Date { testNow.addingTimeInterval(Double(days) * 86_400) }

    /// A payment of `amount` as typed (decimal text in a field called "amount").
    static func pay(_ debt: String, _ amount: String, key: String, on day: String = "2026-11-01") -> PaymentRequest {
        PaymentRequest(
            clientRef: "default", debtRef: debt, action: .pay(amount: .text(amount, field: "amount"), on: date(day)),
            idempotencyKey: key)
    }

    /// Makes every segment refresh fail (its table is renamed away) while `body` runs, then puts the table back.
    static func withoutSegmentTable(_ database: RecoupDatabase, _ body: () async throws -> Void) async throws {
        try await database.sql.raw("ALTER TABLE debt_segments RENAME TO debt_segments_away").run()
        do {
            try await body()
        } catch {
            try await database.sql.raw("ALTER TABLE debt_segments_away RENAME TO debt_segments").run()
            throw error
        }
        try await database.sql.raw("ALTER TABLE debt_segments_away RENAME TO debt_segments").run()
    }

    @Test(
        "each use case stores the debtor's segments as of its own today, in the same call",
        arguments: TestStore.available)
    func segmentsInTheSameCall(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.openDebts(database)
            #expect(try await Self.segmentDay("A1", database) == nil)
            let today = LocalDate(testNow, in: Self.utc)

            _ = try await PaymentStore.post(
                Self.pay("A1", "50.00", key: "p1"), on: database.db, now: testNow, zone: Self.utc)
            #expect(try await Self.segmentDay("A1", database) == today)
            // The debtor's other debt is segmented too; another debtor's is not touched.
            #expect(try await Self.segmentDay("A2", database) == today)
            #expect(try await Self.segmentDay("B1", database) == nil)
            // A retry writes nothing, so it does not store the segments again.
            _ = try await PaymentStore.post(
                Self.pay("A1", "50.00", key: "p1"), on: database.db, now: Self.later(9), zone: Self.utc)
            #expect(try await Self.segmentDay("A1", database) == today)

            _ = try await PaymentStore.post(
                PaymentRequest(
                    clientRef: "default", debtRef: "A1",
                    action: .reverse(paymentKey: "p1", on: Self.date("2026-11-03"), reason: "nsf"),
                    idempotencyKey: "r1"),
                on: database.db, now: Self.later(1), zone: Self.utc)
            #expect(try await Self.segmentDay("A1", database) == today.adding(days: 1))

            _ = try await PaymentStore.spread(
                SpreadPaymentRequest(
                    clientRef: "default", debtorRef: "0379-NEVHP", amount: .text("20.00", field: "amount"),
                    on: Self.date("2026-11-04"), idempotencyKey: "s1"),
                on: database.db, now: Self.later(2), zone: Self.utc)
            #expect(try await Self.segmentDay("A2", database) == today.adding(days: 2))

            _ = try await PromiseStore.add(
                clientRef: "default", debtRef: "B1", amount: .text("100.00", field: "amount"),
                due: today.adding(days: 10),
                madeOn: today, via: .call, note: nil, on: database.db, now: Self.later(3), zone: Self.utc)
            #expect(try await Self.segmentDay("B1", database) == today.adding(days: 3))

            let created = try await ArrangementStore.create(
                CreateArrangementRequest(
                    clientRef: "default", debtRefs: ["A1", "A2"], today: today,
                    amount: .text("500.00", field: "amount"),
                    frequency: .monthly, firstDue: today.adding(days: 30), option: .installments),
                on: database.db, now: Self.later(4), zone: Self.utc)
            #expect(try await Self.segmentDay("A1", database) == today.adding(days: 4))

            let acceptance = try Acceptance(
                by: "Pat Doe", at: Self.later(5), method: .recordedCall(collector: "Sam", recording: "rec-1"))
            _ = try await ArrangementStore.accept(
                clientRef: "default", ref: created.ref, acceptance: acceptance, on: database.db, now: Self.later(5),
                zone: Self.utc)
            #expect(try await Self.segmentDay("A2", database) == today.adding(days: 5))

            _ = try await ArrangementStore.cancel(
                clientRef: "default", ref: created.ref, reason: "asked for another plan", on: today.adding(days: 6),
                database: database.db, now: Self.later(6), zone: Self.utc)
            #expect(try await Self.segmentDay("A1", database) == today.adding(days: 6))
            #expect(try await Self.segmentDay("B1", database) == today.adding(days: 3))
        }
    }

    @Test(
        "a failure after the rows are written (the segment refresh) rolls the whole use case back",
        arguments: TestStore.available)
    func failureMidWayWritesNothing(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.openDebts(database)
            let today = LocalDate(testNow, in: Self.utc)
            let ledger = try await Self.count("ledger_entries", database)
            try await Self.withoutSegmentTable(database) {
                await #expect(throws: (any Error).self) {
                    try await PaymentStore.post(Self.pay("A1", "50.00", key: "p1"), on: database.db, now: testNow)
                }
                await #expect(throws: (any Error).self) {
                    try await PaymentStore.spread(
                        SpreadPaymentRequest(
                            clientRef: "default", debtorRef: "0379-NEVHP", amount: 150_000, on: Self.date("2026-11-04"),
                            idempotencyKey: "s1"),
                        on: database.db, now: testNow)
                }
                await #expect(throws: (any Error).self) {
                    try await PromiseStore.add(
                        clientRef: "default", debtRef: "B1", amount: 10_000, due: today.adding(days: 10), madeOn: today,
                        via: .call, note: nil, on: database.db, now: testNow)
                }
                await #expect(throws: (any Error).self) {
                    try await ArrangementStore.create(
                        CreateArrangementRequest(
                            clientRef: "default", debtRefs: ["A1", "A2"], today: today, amount: 50_000,
                            frequency: .monthly,
                            firstDue: today.adding(days: 30), option: .installments),
                        on: database.db, now: testNow)
                }
            }
            #expect(try await Self.count("ledger_entries", database) == ledger)
            #expect(try await Self.count("promises", database) == 0)
            #expect(try await Self.count("arrangements", database) == 0)
            #expect(try await Self.count("arrangement_debts", database) == 0)
            #expect(try await Self.count("arrangement_installments", database) == 0)
            #expect(try await Self.count("debt_segments", database) == 0)

            // Nothing was half-posted: the same keys post now, as first posts.
            #expect(
                try await PaymentStore.post(Self.pay("A1", "50.00", key: "p1"), on: database.db, now: testNow).posted)
            let spread = try await PaymentStore.spread(
                SpreadPaymentRequest(
                    clientRef: "default", debtorRef: "0379-NEVHP", amount: 150_000, on: Self.date("2026-11-04"),
                    idempotencyKey: "s1"),
                on: database.db, now: testNow)
            #expect(spread.posted)
            #expect(spread.parts.count == 2)
            #expect(try await Self.count("ledger_entries", database) == ledger + 3)
        }
    }

    @Test(
        "typed errors: unknown client, debt, debtor and arrangement; a reused key; invalid input — and nothing written",
        arguments: TestStore.available)
    func typedErrors(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.openDebts(database)
            let today = LocalDate(testNow, in: Self.utc)
            var request = Self.pay("A1", "50.00", key: "p1")
            request.clientRef = "nobody"
            await #expect(throws: StoreError.unknownClient("nobody")) {
                try await PaymentStore.post(request, on: database.db, now: testNow)
            }
            await #expect(throws: StoreError.unknownDebt(client: "default", debt: "NOPE")) {
                try await PaymentStore.post(Self.pay("NOPE", "50.00", key: "p1"), on: database.db, now: testNow)
            }
            await #expect(throws: StoreError.unknownDebtor(client: "default", debtor: "NOBODY")) {
                try await PaymentStore.spread(
                    SpreadPaymentRequest(
                        clientRef: "default", debtorRef: "NOBODY", amount: 100, on: Self.date("2026-11-01"),
                        idempotencyKey: "s"),
                    on: database.db, now: testNow)
            }
            await #expect(throws: StoreError.unknownDebt(client: "default", debt: "NOPE")) {
                try await PromiseStore.add(
                    clientRef: "default", debtRef: "NOPE", amount: 100, due: today, madeOn: today, via: .call,
                    note: nil,
                    on: database.db, now: testNow)
            }
            await #expect(throws: StoreError.unknownDebt(client: "default", debt: "NOPE")) {
                try await ArrangementStore.create(
                    CreateArrangementRequest(
                        clientRef: "default", debtRefs: ["A1", "NOPE"], today: today, amount: 10_000,
                        frequency: .monthly,
                        firstDue: today.adding(days: 30), option: .installments),
                    on: database.db, now: testNow)
            }
            await #expect(throws: StoreError.unknownArrangement(client: "default", arrangement: "ARR-999999")) {
                try await ArrangementStore.show(clientRef: "default", ref: "ARR-999999", asOf: today, on: database.db)
            }
            await #expect(
                throws: StoreError.invalid("amount: \"1.001\" has more decimals than USD allows (2 decimals)")
            ) {
                try await PaymentStore.post(Self.pay("A1", "1.001", key: "p1"), on: database.db, now: testNow)
            }
            await #expect(throws: StoreError.invalid("amount must be more than zero (it is 0)")) {
                try await PaymentStore.post(Self.pay("A1", "0", key: "p1"), on: database.db, now: testNow)
            }
            #expect(try await Self.count("ledger_entries", database) == 3)

            _ = try await PaymentStore.post(Self.pay("A1", "50.00", key: "p1"), on: database.db, now: testNow)
            await #expect(
                throws: StoreError.idempotencyConflict(
                    key: "p1", message: "A1: idempotency key \"p1\" was already used for a different entry")
            ) {
                try await PaymentStore.post(Self.pay("A1", "60.00", key: "p1"), on: database.db, now: testNow)
            }
            await #expect(throws: StoreError.self) {
                try await PaymentStore.post(
                    Self.pay("A1", "50.00", key: "p1", on: "2026-11-02"), on: database.db, now: testNow)
            }
            let spread = SpreadPaymentRequest(
                clientRef: "default", debtorRef: "0379-NEVHP", amount: 2_000, on: Self.date("2026-11-04"),
                idempotencyKey: "s1")
            _ = try await PaymentStore.spread(spread, on: database.db, now: testNow)
            var other = spread
            other.amount = 3_000
            await #expect(
                throws: StoreError.idempotencyConflict(
                    key: "s1",
                    message:
                        "the idempotency key \"s1\" was already used for a different payment to debtor \"0379-NEVHP\"")
            ) {
                try await PaymentStore.spread(other, on: database.db, now: testNow)
            }
            #expect(try await Self.count("ledger_entries", database) == 5)
        }
    }
}
