import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import Testing

@Suite("Posting payments exactly once")
struct PaymentStoreTests {
    /// One open invoice of 155.94 for client "default", debt "0000611365".
    static func openDebt(_ database: RecoupDatabase) async throws {
        let file = try TestFiles.temporary(
            """
            \(IBMAccountsReceivableLayout.header.joined(separator: ","))
            391,0379-NEVHP,4/6/2013,0000611365,1/2/2013,2/1/2013,155.94,No,,Paper,,

            """)
        let summary = try await Importer.run(ImportRequest(path: file, format: .ibmAR), on: database.db, now: testNow)
        #expect(summary.imported == 1)
    }

    static func pay(_ amount: Int64, key: String, on date: String = "2013-03-01") -> PaymentRequest {
        PaymentRequest(
            clientRef: "default", debtRef: "0000611365",
            action: .pay(amount: .minorUnits(amount), on: try! LocalDate(iso: date)),
            idempotencyKey: key, method: "card", reference: "auth-\(key)")
    }

    static func ledgerRows(_ database: RecoupDatabase) async throws -> Int {
        try await database.sql.raw("SELECT COUNT(*) AS n FROM ledger_entries").first()!.decode(
            column: "n", as: Int.self)
    }

    @Test(
        "a payment posts once; a retry answers with the first result; a reused key with another amount is refused",
        arguments: TestStore.available)
    func idempotent(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.openDebt(database)
            let first = try await PaymentStore.post(Self.pay(5_000, key: "p1"), on: database.db, now: testNow)
            #expect(first.posted)
            #expect(first.entry.effect.principal == -5_000)
            #expect(first.balance.total == 10_594)
            let retry = try await PaymentStore.post(Self.pay(5_000, key: "p1"), on: database.db, now: testNow)
            #expect(!retry.posted)
            #expect(retry.entry == first.entry)
            #expect(retry.balance.total == 10_594)
            #expect(try await Self.ledgerRows(database) == 2)
            await #expect(throws: StoreError.self) {
                try await PaymentStore.post(Self.pay(6_000, key: "p1"), on: database.db, now: testNow)
            }
            #expect(try await Self.ledgerRows(database) == 2)
            let method = try await database.sql.raw(
                "SELECT method, reference FROM ledger_entries WHERE idempotency_key = 'p1'"
            ).first()
            #expect(try method?.decode(column: "method", as: String.self) == "card")
            #expect(try method?.decode(column: "reference", as: String.self) == "auth-p1")
        }
    }

    @Test(
        "a reversal exactly undoes its payment, once; an overpayment becomes a credit", arguments: TestStore.available)
    func reversalAndCredit(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.openDebt(database)
            _ = try await PaymentStore.post(Self.pay(20_000, key: "big"), on: database.db, now: testNow)
            let reversal = PaymentRequest(
                clientRef: "default", debtRef: "0000611365",
                action: .reverse(paymentKey: "big", on: try LocalDate(iso: "2013-03-05"), reason: "nsf"),
                idempotencyKey: "r1")
            let undone = try await PaymentStore.post(reversal, on: database.db, now: testNow)
            #expect(undone.posted)
            #expect(undone.entry.kind == .paymentReversal)
            #expect(undone.balance.total == 15_594)
            #expect(try await PaymentStore.post(reversal, on: database.db, now: testNow).posted == false)
            var again = reversal
            again.idempotencyKey = "r2"
            await #expect(throws: StoreError.self) { try await PaymentStore.post(again, on: database.db, now: testNow) }
            let over = try await PaymentStore.post(Self.pay(20_000, key: "big-2"), on: database.db, now: testNow)
            #expect(over.balance.principal == -4_406)
        }
    }

    @Test("unknown clients and debts are clear errors that write nothing", arguments: TestStore.available)
    func unknown(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.openDebt(database)
            var request = Self.pay(100, key: "x")
            request.clientRef = "nobody"
            await #expect(throws: StoreError.unknownClient("nobody")) {
                try await PaymentStore.post(request, on: database.db, now: testNow)
            }
            request.clientRef = "default"
            request.debtRef = "nope"
            await #expect(throws: StoreError.unknownDebt(client: "default", debt: "nope")) {
                try await PaymentStore.post(request, on: database.db, now: testNow)
            }
            #expect(try await Self.ledgerRows(database) == 1)
        }
    }

    @Test(
        "concurrent retries of one payment post it once; concurrent different payments all count, exactly",
        arguments: TestStore.available)
    func concurrent(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.openDebt(database)
            let retries = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await PaymentStore.post(Self.pay(1_000, key: "same"), on: database.db, now: testNow).posted
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(retries.filter { $0 }.count == 1)
            #expect(try await Self.ledgerRows(database) == 2)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        _ = try await PaymentStore.post(Self.pay(500, key: "k\(index)"), on: database.db, now: testNow)
                    }
                }
                try await group.waitForAll()
            }
            let total = try await database.sql.raw("SELECT CAST(SUM(total) AS BIGINT) AS t FROM ledger_entries")
                .first()!
                .decode(column: "t", as: Int64.self)
            #expect(total == 15_594 - 1_000 - 8 * 500)
            #expect(try await Self.ledgerRows(database) == 10)
        }
    }
}

@Suite("Spreading a payment across a debtor's debts")
struct SpreadPaymentTests {
    /// Debtor 0379-NEVHP owes two open invoices: 100.00 due 2013-02-01 (A-OLD) and 50.00 due 2013-03-01 (B-NEW).
    static func twoDebts(_ database: RecoupDatabase) async throws {
        let file = try TestFiles.temporary(
            """
            \(IBMAccountsReceivableLayout.header.joined(separator: ","))
            391,0379-NEVHP,4/6/2013,B-NEW,1/30/2013,3/1/2013,50.00,No,,Paper,,
            391,0379-NEVHP,4/6/2013,A-OLD,1/2/2013,2/1/2013,100.00,No,,Paper,,

            """)
        #expect(
            try await Importer.run(ImportRequest(path: file, format: .ibmAR), on: database.db, now: testNow).imported
                == 2)
    }

    static func spread(_ amount: Int64, key: String = "s1", on date: String = "2013-03-10") -> SpreadPaymentRequest {
        SpreadPaymentRequest(
            clientRef: "default", debtorRef: "0379-NEVHP", amount: .minorUnits(amount), on: try! LocalDate(iso: date),
            idempotencyKey: key)
    }

    @Test(
        "oldest due first, each up to its balance; a retry answers the same; another amount with the key is refused",
        arguments: TestStore.available)
    func oldestFirst(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.twoDebts(database)
            let result = try await PaymentStore.spread(Self.spread(12_000), on: database.db, now: testNow)
            #expect(result.posted)
            #expect(result.parts.map(\.debtRef) == ["A-OLD", "B-NEW"])
            #expect(result.parts.map(\.entry.amount) == [10_000, 2_000])
            #expect(result.parts.map(\.balance.total) == [0, 3_000])
            let retry = try await PaymentStore.spread(Self.spread(12_000), on: database.db, now: testNow)
            #expect(!retry.posted)
            #expect(retry.parts.map(\.entry) == result.parts.map(\.entry))
            await #expect(throws: StoreError.self) {
                try await PaymentStore.spread(Self.spread(13_000), on: database.db, now: testNow)
            }
            let rows = try await database.sql.raw("SELECT COUNT(*) AS n FROM ledger_entries").first()!
                .decode(column: "n", as: Int.self)
            #expect(rows == 4)
        }
    }

    @Test(
        "an overpayment is a credit on the last debt paid; an unknown debtor is a clear error",
        arguments: TestStore.available)
    func overpayment(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.twoDebts(database)
            let result = try await PaymentStore.spread(Self.spread(20_000), on: database.db, now: testNow)
            #expect(result.parts.map(\.entry.amount) == [10_000, 10_000])
            #expect(result.parts.last?.balance.principal == -5_000)
            var unknown = Self.spread(100, key: "u")
            unknown.debtorRef = "nobody"
            await #expect(throws: StoreError.unknownDebtor(client: "default", debtor: "nobody")) {
                try await PaymentStore.spread(unknown, on: database.db, now: testNow)
            }
        }
    }
}
