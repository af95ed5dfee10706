import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import Testing

@Suite("Arrangements, promises, interest and fees in the database")
struct ArrangementStoreTests {
    /// Two open invoices of one customer for client "default" (1,200.00 and 300.00, due 2026-10-01), and one of
    /// another customer.
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

    /// Noon UTC on `day`: the clock of a payment received that day (the scenarios post payments as time passes).
    static func noon(_ day: String) -> Date {
        Date(timeIntervalSince1970: TimeInterval(date(day).daysSinceEpoch * 86_400 + 43_200))
    }

    static func pay(
        _ debt: String, _ amount: Int64, on day: String, key: String, _ database: RecoupDatabase
    ) async throws {
        _ = try await PaymentStore.post(
            PaymentRequest(
                clientRef: "default", debtRef: debt, action: .pay(amount: .minorUnits(amount), on: date(day)),
                idempotencyKey: key),
            on: database.db, now: max(testNow, noon(day)))
    }

    static func balance(_ debt: String, _ database: RecoupDatabase) async throws -> Int64 {
        try await database.sql.raw(
            "SELECT CAST(SUM(l.total) AS BIGINT) AS t FROM ledger_entries l JOIN debts d ON d.id = l.debt_id WHERE d.ref = \(bind: debt)"
        ).first()!.decode(column: "t", as: Int64.self)
    }

    static let call = try! Acceptance(
        by: "Pat Doe", at: Date(timeIntervalSince1970: 1_796_000_000),
        method: .recordedCall(collector: "Sam", recording: "rec-42"))

    @Test(
        "an arrangement over two debts: written, accepted, matched to payments, broken after the grace days",
        arguments: TestStore.available)
    func lifecycle(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.openDebts(database)
            try await AccrualStore.setTerms(
                clientRef: "default",
                terms: ClientTerms(accrual: try AccrualTerms(annualRatePPM: 100_000), graceDays: 3),
                on: database.db)
            let created = try await ArrangementStore.create(
                CreateArrangementRequest(
                    clientRef: "default", debtRefs: ["A1", "A2"], today: Self.date("2026-11-29"),
                    offer: PlanOffer(amount: 50_000, frequency: .monthly, firstDue: Self.date("2026-12-31")),
                    option: .installments),
                on: database.db, now: testNow)
            #expect(created.ref == "ARR-000001")
            #expect(created.arrangement.state == .proposed)
            #expect(created.arrangement.installments.map(\.amount) == [50_000, 50_000, 50_000])
            #expect(created.arrangement.graceDays == 3)
            #expect(created.agreementSHA256.count == 64)
            let agreement = try await ArrangementStore.agreement(
                clientRef: "default", ref: "ARR-000001", on: database.db)
            #expect(agreement.text.contains("2027-02-28"))
            #expect(agreement.html.contains("<html"))
            #expect(agreement.sha256 == created.agreementSHA256)

            // A debt cannot be in two open arrangements; debts of two debtors cannot share one.
            await #expect(throws: StoreError.self) {
                try await ArrangementStore.create(
                    CreateArrangementRequest(
                        clientRef: "default", debtRefs: ["A2"], today: Self.date("2026-11-29"),
                        offer: PlanOffer(amount: 10_000, frequency: .monthly, firstDue: Self.date("2026-12-31")),
                        option: .installments),
                    on: database.db, now: testNow)
            }
            await #expect(throws: StoreError.self) {
                try await ArrangementStore.create(
                    CreateArrangementRequest(
                        clientRef: "default", debtRefs: ["B1", "A1"], today: Self.date("2026-11-29"),
                        offer: PlanOffer(amount: 10_000, frequency: .monthly, firstDue: Self.date("2026-12-31")),
                        option: .installments),
                    on: database.db, now: testNow)
            }

            let active = try await ArrangementStore.accept(
                clientRef: "default", ref: "ARR-000001", acceptance: Self.call, on: database.db, now: testNow)
            #expect(active.arrangement.state == .active)
            #expect(active.arrangement.acceptance == Self.call)
            await #expect(throws: StoreError.self) {
                try await ArrangementStore.accept(
                    clientRef: "default", ref: "ARR-000001", acceptance: Self.call, on: database.db, now: testNow)
            }
            // While it is kept, interest stops on its debts.
            let accrued = try await AccrualStore.accrue(
                clientRef: "default", through: Self.date("2027-01-15"), on: database.db, now: testNow)
            let interestBefore = accrued.interest
            #expect(accrued.posted == 3)

            // 600.00 early pays installment 1 and 100.00 of installment 2 (carried forward); nothing more comes.
            try await Self.pay("A1", 60_000, on: "2026-12-20", key: "p1", database)
            let shown = try await ArrangementStore.show(
                clientRef: "default", ref: "ARR-000001", asOf: Self.date("2027-02-01"), on: database.db)
            #expect(shown.match.installments.map(\.paid) == [50_000, 10_000, 0])
            #expect(shown.match.installments.map(\.standing) == [.paid, .partial, .upcoming])

            #expect(
                try await ArrangementStore.evaluate(
                    clientRef: "default", asOf: Self.date("2027-02-03"), on: database.db, now: testNow
                ).isEmpty)
            let changes = try await ArrangementStore.evaluate(
                clientRef: "default", asOf: Self.date("2027-02-04"), on: database.db, now: testNow)
            #expect(changes.count == 1)
            #expect(changes[0].state == .broken)
            #expect(changes[0].on == Self.date("2027-02-04"))
            #expect(
                changes[0].reason
                    == "Installment 2 of 3 (500.00 due 2027-01-31) had 100.00 paid by 2027-02-03, the end of its 3 grace days."
            )
            let broken = try await ArrangementStore.show(
                clientRef: "default", ref: "ARR-000001", asOf: Self.date("2027-02-04"), on: database.db)
            #expect(broken.arrangement.state == .broken)
            // Broken, the arrangement no longer holds interest back: accruing later adds interest on A1 and A2.
            let later = try await AccrualStore.accrue(
                clientRef: "default", through: Self.date("2027-03-01"), on: database.db, now: testNow)
            #expect(later.posted == 3)
            #expect(interestBefore > 0)
            await #expect(throws: StoreError.self) {
                try await ArrangementStore.cancel(
                    clientRef: "default", ref: "ARR-000001", reason: "x", on: Self.date("2027-03-01"),
                    database: database.db, now: testNow)
            }
        }
    }

    @Test(
        "a settlement completes when paid and writes off the rest; a proposed arrangement can be cancelled",
        arguments: TestStore.available)
    func settlementAndCancel(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.openDebts(database)
            try await AccrualStore.setTerms(
                clientRef: "default", terms: ClientTerms(plan: PlanTerms(settlementPercent: 60)), on: database.db)
            let settlement = try await ArrangementStore.create(
                CreateArrangementRequest(
                    clientRef: "default", debtRefs: ["B1"], today: Self.date("2026-11-29"),
                    offer: PlanOffer(amount: 10_000, frequency: .monthly, firstDue: Self.date("2026-12-15")),
                    option: .settlement),
                on: database.db, now: testNow)
            #expect(settlement.arrangement.total == 30_000)
            _ = try await ArrangementStore.accept(
                clientRef: "default", ref: settlement.ref, acceptance: Self.call, on: database.db, now: testNow)
            try await Self.pay("B1", 30_000, on: "2026-12-10", key: "s1", database)
            let changes = try await ArrangementStore.evaluate(
                clientRef: "default", asOf: Self.date("2026-12-11"), on: database.db, now: testNow)
            #expect(changes.map(\.state) == [.completed])
            #expect(try await Self.balance("B1", database) == 0)

            let proposed = try await ArrangementStore.create(
                CreateArrangementRequest(
                    clientRef: "default", debtRefs: ["A1"], today: Self.date("2026-11-29"),
                    offer: PlanOffer(amount: 10_000, frequency: .weekly, firstDue: Self.date("2026-12-01")),
                    option: .installments),
                on: database.db, now: testNow)
            let cancelled = try await ArrangementStore.cancel(
                clientRef: "default", ref: proposed.ref, reason: "debtor asked for another plan",
                on: Self.date("2026-11-30"),
                database: database.db, now: testNow)
            #expect(cancelled.arrangement.state == .cancelled)
            #expect(cancelled.arrangement.stateReason == "debtor asked for another plan")
            // Cancelled, the debt is free for a new arrangement.
            _ = try await ArrangementStore.create(
                CreateArrangementRequest(
                    clientRef: "default", debtRefs: ["A1"], today: Self.date("2026-11-30"),
                    offer: PlanOffer(amount: 20_000, frequency: .monthly, firstDue: Self.date("2026-12-30")),
                    option: .installments),
                on: database.db, now: testNow)
        }
    }

    @Test(
        "interest accrues once per day, pauses stop it, fees are charged once per step up to the cap",
        arguments: TestStore.available)
    func accrual(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.openDebts(database)
            // The memberwise initializer lets 99 grace days through; the store checks before it writes.
            await #expect(throws: StoreError.invalid("graceDays is 99; use 0 to 60")) {
                try await AccrualStore.setTerms(
                    clientRef: "default", terms: ClientTerms(graceDays: 99), on: database.db)
            }
            try await AccrualStore.setTerms(
                clientRef: "default",
                terms: ClientTerms(
                    json: Data(
                        #"{"accrual": {"annualInterestPercent": "10", "fees": [{"step": "final-notice", "flat": "30.00"}, {"step": "placement", "percentOfBalance": "10"}], "feeCap": {"amount": "50.00"}}}"#
                            .utf8)),
                on: database.db)
            // 1,200.00 at 10% from 2026-10-02 through 2026-12-31 (91 days): 29.91.
            let first = try await AccrualStore.accrue(
                clientRef: "default", through: Self.date("2026-12-31"), on: database.db, now: testNow)
            #expect(first.debts == 3)
            #expect(try await Self.balance("A1", database) == 120_000 + 2_991)
            let again = try await AccrualStore.accrue(
                clientRef: "default", through: Self.date("2026-12-31"), on: database.db, now: testNow)
            #expect(again.posted == 0)
            #expect(try await Self.balance("A1", database) == 120_000 + 2_991)

            #expect(
                try await AccrualStore.pause(
                    clientRef: "default", debtRef: "A1", debtorRef: nil, from: Self.date("2027-01-01"), until: nil,
                    reason: "hardship", on: database.db, now: testNow) == 1)
            _ = try await AccrualStore.accrue(
                clientRef: "default", through: Self.date("2027-03-31"), on: database.db, now: testNow)
            #expect(try await Self.balance("A1", database) == 120_000 + 2_991)
            #expect(try await Self.balance("A2", database) > 30_000 + 748)
            let projection = try await AccrualStore.projection(
                clientRef: "default", debtRef: "A1", from: Self.date("2027-03-31"), on: database.db)
            #expect(projection.projection.points.count == 12)
            #expect(projection.projection.growth == 0)
            let growing = try await AccrualStore.projection(
                clientRef: "default", debtRef: "A2", from: Self.date("2027-03-31"), on: database.db)
            #expect(growing.projection.growth > 0)

            let fee = try await AccrualStore.chargeFee(
                clientRef: "default", debtRef: "A2", step: "final-notice", on: Self.date("2027-04-01"),
                database: database.db, now: testNow)
            #expect(fee?.entry.amount == 3_000)
            #expect(
                try await AccrualStore.chargeFee(
                    clientRef: "default", debtRef: "A2", step: "final-notice", on: Self.date("2027-04-02"),
                    database: database.db, now: testNow) == nil)
            let capped = try await AccrualStore.chargeFee(
                clientRef: "default", debtRef: "A2", step: "placement", on: Self.date("2027-04-02"),
                database: database.db, now: testNow)
            #expect(capped?.entry.amount == 2_000)  // 10% would be more; the cap leaves 20.00
            await #expect(throws: StoreError.self) {
                try await AccrualStore.chargeFee(
                    clientRef: "default", debtRef: "A2", step: "lawsuit", on: Self.date("2027-04-02"),
                    database: database.db, now: testNow)
            }
            // Paused: no fee either.
            #expect(
                try await AccrualStore.chargeFee(
                    clientRef: "default", debtRef: "A1", step: "final-notice", on: Self.date("2027-04-02"),
                    database: database.db, now: testNow) == nil)
        }
    }

    @Test(
        "promises are pending, kept, partially kept or broken depending on the payments and the date",
        arguments: TestStore.available)
    func promises(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.openDebts(database)
            let made = try await PromiseStore.add(
                clientRef: "default", debtRef: "A1", amount: 10_000, due: Self.date("2026-12-05"),
                madeOn: Self.date("2026-11-29"),
                via: .call, note: "on the phone", on: database.db, now: testNow)
            #expect(made.outcome == .pending(paid: 0))
            _ = try await PromiseStore.add(
                clientRef: "default", debtRef: "B1", amount: 5_000, due: Self.date("2026-12-05"),
                madeOn: Self.date("2026-11-29"),
                via: .portal, note: nil, on: database.db, now: testNow)
            await #expect(throws: StoreError.self) {
                try await PromiseStore.add(
                    clientRef: "default", debtRef: "B1", amount: 5_000, due: Self.date("2026-11-01"),
                    madeOn: Self.date("2026-11-29"), via: .portal, note: nil, on: database.db, now: testNow)
            }
            // Above what is owed (B1 owes 500.00), or due years ahead: refused with the sentence, nothing stored.
            await #expect(
                throws: StoreError.invalid(
                    "A promise of $500.01 is more than the $500.00 owed; promise at most what is owed.")
            ) {
                try await PromiseStore.add(
                    clientRef: "default", debtRef: "B1", amount: 50_001, due: Self.date("2026-12-05"),
                    madeOn: Self.date("2026-11-29"), via: .portal, note: nil, on: database.db, now: testNow)
            }
            await #expect(
                throws: StoreError.invalid(
                    "A promise due 2029-11-29 is more than 90 days after the day it was made (2026-11-29); promise a "
                        + "date by 2027-02-27, or propose a plan.")
            ) {
                try await PromiseStore.add(
                    clientRef: "default", debtRef: "B1", amount: 5_000, due: Self.date("2029-11-29"),
                    madeOn: Self.date("2026-11-29"), via: .call, note: nil, on: database.db, now: testNow)
            }
            #expect(
                try await PromiseStore.list(clientRef: "default", asOf: Self.date("2026-11-29"), on: database.db).count
                    == 2)
            try await Self.pay("A1", 4_000, on: "2026-12-03", key: "q1", database)
            func outcomes(_ day: String) async throws -> [String: PromiseOutcome] {
                let list = try await PromiseStore.list(clientRef: "default", asOf: Self.date(day), on: database.db)
                return Dictionary(uniqueKeysWithValues: list.map { ($0.debtRef, $0.outcome) })
            }
            #expect(try await outcomes("2026-12-04") == ["A1": .pending(paid: 4_000), "B1": .pending(paid: 0)])
            #expect(try await outcomes("2026-12-06") == ["A1": .partiallyKept(paid: 4_000), "B1": .broken])
            try await Self.pay("A1", 6_000, on: "2026-12-05", key: "q2", database)
            #expect(try await outcomes("2026-12-06")["A1"] == .kept(paid: 10_000))
            let one = try await PromiseStore.list(
                clientRef: "default", debtRef: "B1", asOf: Self.date("2026-12-06"), on: database.db)
            #expect(one.map(\.debtRef) == ["B1"])
        }
    }

    @Test(
        "stored terms read back equal, and terms stored before they were written with JSONEncoder still read",
        arguments: TestStore.available)
    func storedTerms(store: TestStore) async throws {
        try await withStore(store) { database in
            try await Self.openDebts(database)
            let terms = ClientTerms(
                currency: .kwd,
                accrual: try AccrualTerms(
                    annualRatePPM: 85_000, interestCap: .percentOfPrincipal(250_000),
                    fees: [FeeRule(step: "final-notice", charge: .flat(25_000))], feeCap: .amount(100_000)),
                plan: PlanTerms(maxInstallments: 24, maxExtensionDays: 45), graceDays: 7,
                collectorName: #"Acme "Recovery" / Collections"#)
            try await AccrualStore.setTerms(clientRef: "default", terms: terms, on: database.db)
            #expect(try await AccrualStore.terms(clientRef: "default", on: database.db).terms == terms)
            // The text the store wrote until now (Core's hand-written writer: every member, nulls, its own order).
            let before =
                #"{"currency":"KWD","accrual":{"annualInterestPercent":"8.5","interestCap":{"percentOfPrincipal":"25"},"fees":[{"step":"final-notice","flat":"25.000"}],"feeCap":{"amount":"100.000"}},"plan":{"minInstallment":null,"maxInstallments":24,"settlementPercent":null,"maxExtensionDays":45},"graceDays":7,"collector":"Acme \"Recovery\" / Collections","contact":null}"#
            // (Since then a plan's maxMonths is written too; stored text without it still reads.)
            #expect(
                before.replacingOccurrences(
                    of: #""maxExtensionDays":45}"#, with: #""maxExtensionDays":45,"maxMonths":null}"#)
                    == terms.jsonText)
            try await database.sql.raw("UPDATE clients SET terms = \(bind: before) WHERE ref = 'default'").run()
            #expect(try await AccrualStore.terms(clientRef: "default", on: database.db).terms == terms)
            try await database.sql.raw("UPDATE clients SET terms = '{\"graceDays\": 99}' WHERE ref = 'default'").run()
            await #expect(
                throws: StoreError.invalid(
                    #"the stored terms of client "default" are unreadable: graceDays is 99; use 0 to 60"#)
            ) {
                try await AccrualStore.terms(clientRef: "default", on: database.db)
            }
        }
    }
}
