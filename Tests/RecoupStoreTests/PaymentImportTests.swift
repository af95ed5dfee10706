import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import Testing

@Suite("Payment files and refunds")
struct PaymentImportTests {
    /// Three open invoices for client "default": 155.94, 100.00 and 80.00.
    static func openDebts(_ database: RecoupDatabase) async throws {
        let file = try TestFiles.temporary(
            """
            \(IBMAccountsReceivableLayout.header.joined(separator: ","))
            391,0379-NEVHP,4/6/2013,D1,1/2/2013,2/1/2013,155.94,No,,Paper,,
            391,0379-NEVHP,4/6/2013,D2,1/2/2013,2/1/2013,100.00,No,,Paper,,
            391,0379-NEVHP,4/6/2013,D3,1/2/2013,2/1/2013,80.00,No,,Paper,,

            """)
        _ = try await Importer.run(ImportRequest(path: file, format: .ibmAR), on: database.db, now: testNow)
    }

    static func balance(_ debt: String, _ database: RecoupDatabase) async throws -> Int64 {
        try await database.sql.raw(
            "SELECT CAST(SUM(l.total) AS BIGINT) AS t FROM ledger_entries l JOIN debts d ON d.id = l.debt_id WHERE d.ref = \(bind: debt)"
        ).first()!.decode(column: "t", as: Int64.self)
    }

    static func count(_ database: RecoupDatabase) async throws -> Int {
        try await database.sql.raw("SELECT COUNT(*) AS n FROM ledger_entries").first()!.decode(
            column: "n", as: Int.self)
    }

    @Test(
        "a payment file refuses by line a payment dated before its debt was charged, after today, or above the largest amount",
        arguments: TestStore.available)
    func refusedRows(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.openDebts(database)  // charged 2013-01-02
            let before = try await Self.count(database)
            let file = try TestFiles.temporary(
                """
                debt,amount,on,key
                D1,5.00,2013-01-01,early
                D1,5.00,2026-12-01,future
                D1,100000000.00,2013-03-01,huge
                D1,5.00,2013-01-02,fine

                """, name: "payments.csv")
            let summary = try await PaymentImporter.run(path: file, clientRef: "default", on: database.db, now: testNow)
            #expect(summary.posted == 1)
            #expect(summary.errors.map(\.line) == [2, 3, 4])
            #expect(summary.errors[0].message.contains("before the debt was charged (2013-01-02)"))
            #expect(summary.errors[1].message.contains("after today"))
            #expect(summary.errors[2].message.contains("at most 99999999.99"))
            #expect(try await Self.count(database) == before + 1)
        }
    }

    @Test(
        "a payment file posts every good row once, reports bad rows by line, and posts nothing the second time",
        arguments: TestStore.available)
    func importFile(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.openDebts(database)
            let before = try await Self.count(database)
            let file = try TestFiles.temporary(
                """
                debt,amount,on,key,method,reference
                D1,55.94,2013-03-01,k1,card,A1
                D1,10.00,2013-03-02,k2,ach,
                D2,100.00,2013-03-01,k3,check,C-17
                D3,1.001,2013-03-01,k4,,
                D9,5.00,2013-03-01,k5,,
                D3,5.00,2013-02-30,k6,,
                D3,0,2013-03-01,k7,,
                D1,10.00,2013-03-02,k2,ach,
                D1,11.00,2013-03-02,k2,ach,

                """, name: "payments.csv")
            let first = try await PaymentImporter.run(path: file, clientRef: "default", on: database.db, now: testNow)
            #expect(first.rows == 9)
            #expect(first.posted == 3)
            #expect(first.alreadyPosted == 1)  // line 9 repeats line 3 exactly; line 10 reuses its key
            #expect(first.rejected == 5)
            #expect(first.errors.map(\.line) == [5, 6, 7, 8, 10])
            #expect(first.errors[0].message.contains("more decimals"))
            #expect(first.errors[1].message == "the client has no debt \"D9\"")
            #expect(first.errors[4].message.contains("already used for a different entry"))
            #expect(try await Self.balance("D1", database) == 9_000)
            #expect(try await Self.balance("D2", database) == 0)
            #expect(try await Self.balance("D3", database) == 8_000)
            #expect(try await Self.count(database) == before + 3)
            let stored = try await database.sql.raw(
                "SELECT method, reference FROM ledger_entries WHERE idempotency_key = 'k3'"
            ).first()
            #expect(try stored?.decode(column: "method", as: String.self) == "check")
            #expect(try stored?.decode(column: "reference", as: String.self) == "C-17")

            let again = try await PaymentImporter.run(path: file, clientRef: "default", on: database.db, now: testNow)
            #expect(again.posted == 0)
            #expect(again.alreadyPosted == 4)
            #expect(try await Self.count(database) == before + 3)
        }
    }

    @Test(
        "a reversal row undoes its payment; a wrong header refuses the file and writes nothing",
        arguments: TestStore.available)
    func reversalsAndHeader(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.openDebts(database)
            let payments = try TestFiles.temporary(
                "key,debt,on,amount\np1,D2,2013-03-01,40.00\n", name: "p.csv")
            #expect(
                try await PaymentImporter.run(path: payments, clientRef: "default", on: database.db, now: testNow)
                    .posted == 1)
            let reversal = try TestFiles.temporary(
                "debt,amount,on,key,reverses,method\nD2,,2013-03-09,r1,p1,nsf\nD2,5.00,2013-03-09,r2,p1,nsf\n",
                name: "r.csv")
            let summary = try await PaymentImporter.run(
                path: reversal, clientRef: "default", on: database.db, now: testNow)
            #expect(summary.posted == 1)
            #expect(summary.errors.map(\.line) == [3])
            #expect(try await Self.balance("D2", database) == 10_000)

            let before = try await Self.count(database)
            let wrong = try TestFiles.temporary("debt,amount,date,key\nD1,1.00,2013-03-01,x\n", name: "w.csv")
            await #expect(
                throws: ImportFileError.wrongHeader(
                    format: "payment",
                    message: "column 3 is \"date\"; the columns are debt, amount, on, key, method, reference, "
                        + "reverses, received_by")
            ) {
                try await PaymentImporter.run(path: wrong, clientRef: "default", on: database.db, now: testNow)
            }
            await #expect(throws: StoreError.unknownClient("nobody")) {
                try await PaymentImporter.run(path: payments, clientRef: "nobody", on: database.db, now: testNow)
            }
            #expect(try await Self.count(database) == before)
        }
    }

    @Test(
        "a refund pays back part of a credit, never more than the credit, exactly once", arguments: TestStore.available)
    func refunds(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.openDebts(database)
            func post(_ action: PaymentRequest.Action, _ key: String) async throws -> PaymentResult {
                try await PaymentStore.post(
                    PaymentRequest(
                        clientRef: "default", debtRef: "D3", action: action, idempotencyKey: key, method: "ach"),
                    on: database.db, now: testNow)
            }
            let day = try LocalDate(iso: "2013-03-01")
            // No credit yet: nothing to refund.
            await #expect(throws: StoreError.self) { try await post(.refund(amount: 100, on: day), "f0") }
            _ = try await post(.pay(amount: 10_000, on: day), "over")  // 20.00 too much
            await #expect(throws: StoreError.self) { try await post(.refund(amount: 2_001, on: day), "f1") }
            let refund = try await post(.refund(amount: 1_500, on: day.adding(days: 3)), "f2")
            #expect(refund.posted)
            #expect(refund.entry.kind == .refund)
            #expect(refund.balance.total == -500)
            #expect(try await post(.refund(amount: 1_500, on: day.adding(days: 3)), "f2").posted == false)
            await #expect(throws: StoreError.self) {
                try await post(.refund(amount: 501, on: day.adding(days: 4)), "f3")
            }
            #expect(try await post(.refund(amount: 500, on: day.adding(days: 4)), "f3").balance.total == 0)
        }
    }
}
