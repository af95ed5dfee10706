import Foundation
import RecoupCore
import RecoupTestSupport
import SQLKit
import Testing

@testable import RecoupStore

@Suite("Segments from stored behaviour")
struct SegmentStoreTests {
    static let utc = TimeZone(identifier: "UTC")!
    static let today = try! LocalDate(iso: "2026-11-29")
    /// Five debtors, one debt each (two for P-1), client "default".
    static let file = """
        debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,interest,fees,paid,paid_on,phones,emails,address_state,address_postal_code,time_zones
        H-1,P-1,consumer,Hana Hardy,2026-06-01,2026-07-01,500.00,,,,,+16175550101:mobile,,MA,02118,
        H-2,P-1,consumer,Hana Hardy,2026-06-01,2026-07-01,100.00,,,,,+16175550101:mobile,,MA,02118,
        A-1,P-2,consumer,Avery Dodge,2026-06-01,2026-07-01,800.00,,,,,+16175550102:mobile,,MA,02118,
        D-1,P-3,consumer,Dana Query,2026-06-01,2026-07-01,300.00,,,,,+16175550103:mobile,,MA,02118,
        U-1,P-4,consumer,Uma Gone,2026-06-01,2026-07-01,200.00,,,,,+16175550104:mobile,,MA,02118,
        N-1,P-5,consumer,Ned Fresh,2026-06-01,2026-07-01,200.00,,,,,+16175550105:mobile,,MA,02118,

        """

    static func debtor(_ ref: String, _ database: RecoupDatabase) async throws -> Int64 {
        try await database.sql.raw("SELECT id FROM debtors WHERE ref = \(bind: ref)").first()!.decode(
            column: "id", as: Int64.self)
    }

    /// Stores an event as history (no compliance decision, no segment refresh), as the demo's stories are stored.
    static func record(
        _ json: String, type: String, debtor: String, debts: [String]?, _ database: RecoupDatabase
    ) async throws {
        var entry = try ContactEventCodec.entry(json: json)
        #expect(ContactEventCodec.typeName(entry.event.kind) == type)
        entry.event.debtIDs = debts
        _ = try await ContactStore.insert(
            entry, debtorID: try await Self.debtor(debtor, database), recordedBy: "test", now: testNow,
            sql: database.sql)
    }

    static func call(
        _ at: String, outcome: String, debtor: String, debt: String, _ database: RecoupDatabase
    ) async throws {
        try await record(
            #"{"type":"call","at":"\#(at)","direction":"outbound","outcome":"\#(outcome)","debtIds":["\#(debt)"]}"#,
            type: "call",
            debtor: debtor, debts: [debt], database)
    }

    @Test(
        "hardship, avoider, disputed, unreachable and new from what is stored; refresh stores them for list filters",
        arguments: TestStore.available)
    func segments(store: TestStore) async throws {
        try await withStore(store) { database in
            _ = try await Importer.run(
                ImportRequest(path: try TestFiles.temporary(Self.file), format: .recoup), on: database.db, now: testNow)
            // Hana: says hardship, pays part, keeps a promise.
            _ = try await AccrualStore.pause(
                clientRef: "default", debtRef: nil, debtorRef: "P-1", from: try LocalDate(iso: "2026-10-01"),
                until: nil,
                reason: "Hardship: lost job", on: database.db, now: testNow)
            _ = try await PromiseStore.add(
                clientRef: "default", debtRef: "H-1", amount: 5_000, due: try LocalDate(iso: "2026-10-15"),
                madeOn: try LocalDate(iso: "2026-10-01"), via: .call, note: nil, on: database.db, now: testNow)
            _ = try await PaymentStore.post(
                PaymentRequest(
                    clientRef: "default", debtRef: "H-1",
                    action: .pay(amount: 5_000, on: try LocalDate(iso: "2026-10-14")),
                    idempotencyKey: "h1"), on: database.db, now: testNow)
            // Avery: promises twice, pays once with a cheque that bounces, then stops answering.
            for (due, key) in [("2026-10-10", "a"), ("2026-10-24", "b")] {
                _ = try await PromiseStore.add(
                    clientRef: "default", debtRef: "A-1", amount: 20_000, due: try LocalDate(iso: due),
                    madeOn: try LocalDate(iso: "2026-10-01"), via: .call, note: key, on: database.db, now: testNow)
            }
            _ = try await PaymentStore.post(
                PaymentRequest(
                    clientRef: "default", debtRef: "A-1",
                    action: .pay(amount: 20_000, on: try LocalDate(iso: "2026-10-10")),
                    idempotencyKey: "a1"), on: database.db, now: testNow)
            _ = try await PaymentStore.post(
                PaymentRequest(
                    clientRef: "default", debtRef: "A-1",
                    action: .reverse(paymentKey: "a1", on: try LocalDate(iso: "2026-10-13"), reason: "NSF"),
                    idempotencyKey: "a1-nsf"),
                on: database.db, now: testNow)
            // Dana disputes; Uma never answers; Ned was only just reached.
            try await Self.record(
                #"{"type":"dispute","at":"2026-11-02T15:00:00Z"}"#, type: "dispute", debtor: "P-3", debts: nil, database
            )
            for (index, outcome) in ["no_answer", "not_in_service", "no_answer"].enumerated() {
                try await Self.call(
                    "2026-11-0\(index + 2)T15:00:00Z", outcome: outcome, debtor: "P-4", debt: "U-1", database)
            }
            try await Self.call("2026-11-20T15:00:00Z", outcome: "conversation", debtor: "P-5", debt: "N-1", database)

            var filter = DebtFilter(today: Self.today)
            let debts = try await DebtQueries.list(filter, scope: .all, on: database.db).items
            let decisions = try await SegmentStore.decisions(
                for: debts, asOf: Self.today, zone: Self.utc, on: database.db)
            let byRef = Dictionary(uniqueKeysWithValues: debts.map { ($0.ref, decisions[$0.id]!) })
            #expect(
                byRef.mapValues(\.segment) == [
                    "H-1": .hardship, "H-2": .hardship, "A-1": .avoider, "D-1": .disputed, "U-1": .unreachable,
                    "N-1": .new,
                ])
            #expect(
                byRef["H-1"]!.reasons == [
                    "said they are in hardship on 2026-10-01", "kept 1 of 1 promises to pay",
                    "paid 1 time, $50.00 in all, but not in full",
                ])
            #expect(byRef["H-2"]!.reasons == ["said they are in hardship on 2026-10-01"])
            #expect(
                byRef["A-1"]!.reasons == [
                    "broke 2 of 2 promises to pay (the last due 2026-10-24)", "1 payment was returned or charged back",
                ])
            #expect(
                byRef["D-1"]!.reasons == ["disputed on 2026-11-02; no verification sent since, so collection waits"])
            #expect(
                byRef["U-1"]!.reasons == ["3 attempts since 2026-11-02 reached no one (1 to a wrong or dead number)"])
            #expect(byRef["N-1"]!.reasons == ["reached on 2026-11-20; no promise, plan or payment yet"])

            // A promise or payment stores its debtor's segments as it is made: Hana's debts are filtered as hardship
            // before any refresh.
            filter.segment = .hardship
            #expect(
                try await DebtQueries.list(filter, scope: .all, on: database.db).items.map(\.ref) == ["H-1", "H-2"])
            let counts = try await SegmentStore.refresh(asOf: Self.today, zone: Self.utc, on: database.db, now: testNow)
            #expect(counts == [.hardship: 2, .avoider: 1, .disputed: 1, .unreachable: 1, .new: 1])
            #expect(
                try await DebtQueries.list(filter, scope: .all, on: database.db).items.map(\.ref) == ["H-1", "H-2"])
            filter.segment = .avoider
            #expect(try await DebtQueries.list(filter, scope: .all, on: database.db).items.map(\.ref) == ["A-1"])
            let stored = try await SegmentStore.stored(debtID: debts.first { $0.ref == "A-1" }!.id, on: database.db)
            #expect(stored?.segment == .avoider)
            #expect(stored?.reasons == byRef["A-1"]!.explanation)

            // Verification sent closes Dana's dispute; refreshing her alone moves her debt out of "disputed".
            try await Self.record(
                #"{"type":"verification_sent","at":"2026-11-10T15:00:00Z"}"#, type: "verification_sent", debtor: "P-3",
                debts: nil,
                database)
            try await SegmentStore.refresh(
                debtorIDs: [try await Self.debtor("P-3", database)], asOf: Self.today, zone: Self.utc, on: database.db,
                now: testNow)
            filter.segment = .disputed
            #expect(try await DebtQueries.list(filter, scope: .all, on: database.db).items.isEmpty)
            filter.segment = .new
            #expect(
                try await DebtQueries.list(filter, scope: .all, on: database.db).items.map(\.ref) == ["D-1", "N-1"])
            // Page by page along the segment, and with a search (walked in reference order) or a status as well.
            filter.limit = 1
            let first = try await DebtQueries.list(filter, scope: .all, on: database.db)
            #expect(first.items.map(\.ref) == ["D-1"])
            filter.after = first.next
            #expect(try await DebtQueries.list(filter, scope: .all, on: database.db).items.map(\.ref) == ["N-1"])
            filter.after = nil
            filter.limit = 50
            filter.search = "ned"
            #expect(try await DebtQueries.list(filter, scope: .all, on: database.db).items.map(\.ref) == ["N-1"])
            filter.segment = .hardship
            #expect(try await DebtQueries.list(filter, scope: .all, on: database.db).items.isEmpty)
            filter.search = "h-"
            #expect(
                try await DebtQueries.list(filter, scope: .all, on: database.db).items.map(\.ref) == ["H-1", "H-2"])
            filter.search = nil
            filter.status = "open"
            #expect(
                try await DebtQueries.list(filter, scope: .all, on: database.db).items.map(\.ref) == ["H-1", "H-2"])
            filter.status = "closed"
            #expect(try await DebtQueries.list(filter, scope: .all, on: database.db).items.isEmpty)
            filter.status = nil
            let show = try await SegmentStore.decision(
                clientRef: "default", debtRef: "U-1", asOf: Self.today, zone: Self.utc, on: database.db)
            #expect(show.segment == .unreachable)
            await #expect(throws: StoreError.self) {
                try await SegmentStore.decision(
                    clientRef: "default", debtRef: "nope", asOf: Self.today, zone: Self.utc, on: database.db)
            }
        }
    }

    @Test(
        "a business's part payment is not hardship; a plan proposed is not hardship until it is accepted",
        arguments: TestStore.available)
    func businessesAndProposals(store: TestStore) async throws {
        let file = """
            debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,interest,fees,paid,paid_on,phones,emails,address_state,address_postal_code,time_zones
            B-1,C-1,commercial,Brick Supply LLC,2026-06-01,2026-07-01,980.50,,,,,+16175550111:work,,MA,02118,
            P-1,C-2,consumer,Pia Plan,2026-06-01,2026-07-01,600.00,,,,,+16175550112:mobile,,MA,02118,

            """
        try await withStore(store) { database in
            _ = try await Importer.run(
                ImportRequest(path: try TestFiles.temporary(file), format: .recoup), on: database.db, now: testNow)
            _ = try await PaymentStore.post(
                PaymentRequest(
                    clientRef: "default", debtRef: "B-1",
                    action: .pay(amount: 20_000, on: try LocalDate(iso: "2026-11-10")), idempotencyKey: "b1"),
                on: database.db, now: testNow)
            _ = try await ArrangementStore.create(
                CreateArrangementRequest(
                    clientRef: "default", debtRefs: ["P-1"], today: try LocalDate(iso: "2026-11-20"),
                    offer: PlanOffer(amount: 10_000, frequency: .monthly, firstDue: try LocalDate(iso: "2026-12-20")),
                    option: .installments),
                on: database.db, now: testNow)
            func decision(_ ref: String) async throws -> SegmentDecision {
                try await SegmentStore.decision(
                    clientRef: "default", debtRef: ref, asOf: Self.today, zone: Self.utc, on: database.db)
            }
            #expect(
                try await decision("B-1")
                    == SegmentDecision(
                        segment: .new,
                        reasons: [
                            "paid 1 time, $200.00 in all, not in full (a business paying part is not by itself a sign of hardship)",
                            "no contact yet; no promise or plan yet",
                        ]))
            let proposed = try await decision("P-1")
            #expect(proposed.segment == .new)
            #expect(proposed.reasons.first?.hasPrefix("a plan was proposed on ") == true)
            #expect(proposed.reasons.first?.hasSuffix(", not yet accepted") == true)
            // The store keeps what it decided as the plan was made: not hardship.
            let debts = try await DebtQueries.list(DebtFilter(today: Self.today), scope: .all, on: database.db).items
            let planDebt = debts.first { $0.ref == "P-1" }!
            #expect(try await SegmentStore.stored(debtID: planDebt.id, on: database.db)?.segment == .new)
            _ = try await ArrangementStore.accept(
                clientRef: "default", ref: "ARR-000001",
                acceptance: try Acceptance(
                    by: "Pia Plan", at: Date(timeIntervalSince1970: 1_796_000_000),
                    method: .recordedCall(collector: "Sam", recording: "rec-1")),
                on: database.db, now: testNow)
            #expect(try await decision("P-1").segment == .hardship)
            #expect(try await SegmentStore.stored(debtID: planDebt.id, on: database.db)?.segment == .hardship)
        }
    }
}
