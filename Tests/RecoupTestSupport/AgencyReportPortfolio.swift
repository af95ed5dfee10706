import FluentKit
import Foundation
import RecoupCore
import RecoupStore
import SQLKit

/// A small agency portfolio built by hand for the agency reports (docs/agency-reports.md has the same figures):
///
/// - client `acme`: A1 (1,000.00, placed 2026-09-15), A2 (500.00, placed 2026-09-20), A3 (300.00, placed
///   2026-10-05, closed 2026-11-20); client `beta`: B1 (200.00, placed 2026-10-10). Each debt has its own debtor.
/// - payments: A1 100.00 on 09-10 (before placement; reversed 10-01), 200.00 on 09-25, 100.00 on 12-01; A2 50.00 on
///   10-03 direct to the client, 150.00 on 11-02 reversed 11-10; A3 60.00 on 10-20 and 40.00 on 11-25 (after its
///   close); B1 20.00 on 11-05.
/// - promises (on calls): A3 100.00 made 10-15 due 10-25; A2 150.00 and B1 50.00 made 11-01 due 11-05 and 11-03; A1
///   100.00 made 11-25 due 12-05; A3 20.00 made 12-10 due 12-20.
/// - calls: sam@agency.example: A1's debtor no answer 11-20, conversation 11-25; ana@agency.example: A2's debtor
///   conversation 11-01 (outbound), B1's debtor conversation 11-01 (inbound), A3's debtor busy 11-02.
public enum AgencyReportPortfolio {
    /// After every date of the portfolio, so no payment is "after today".
    public static let now = Date(timeIntervalSince1970: 1_798_761_600)  // 2027-01-01T00:00:00Z

    public static func day(_ text: String) -> LocalDate { try! LocalDate(iso: text) }

    public static func load(on database: any Database) async throws {
        let header =
            "debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,interest,fees,paid,paid_on,"
            + "phones,emails,address_state,address_postal_code,time_zones"
        for (client, rows) in [
            (
                "acme",
                [
                    "A1,PA1,consumer,Ann One,2026-06-01,2026-07-01,1000.00,,,,,+16175550101:mobile,,,,America/New_York",
                    "A2,PA2,consumer,Al Two,2026-06-01,2026-07-01,500.00,,,,,+16175550102:mobile,,,,America/New_York",
                    "A3,PA3,consumer,Ada Three,2026-06-01,2026-07-01,300.00,,,,,+16175550103:mobile,,,,America/New_York",
                ]
            ),
            (
                "beta",
                ["B1,PB1,consumer,Bo One,2026-06-01,2026-07-01,200.00,,,,,+16175550104:mobile,,,,America/New_York"]
            ),
        ] {
            let file = try TestFiles.temporary(([header] + rows).joined(separator: "\n") + "\n")
            _ = try await Importer.run(
                ImportRequest(path: file, format: .recoup, clientRef: client), on: database, now: now)
        }
        for client in ["acme", "beta"] {
            _ = try await AgencyStore.save(
                try AgencyContract(
                    remittance: .net, directPaymentCommission: true,
                    rates: [RateTier(rate: CommissionRate(percent: "25"))]),
                clientRef: client, by: "test", now: now, on: database)
        }
        try await place("A1", on: "2026-09-15", balance: 100_000, database)
        try await place("A2", on: "2026-09-20", balance: 50_000, database)
        try await place("A3", on: "2026-10-05", balance: 30_000, closedOn: "2026-11-20", database)
        try await place("B1", on: "2026-10-10", balance: 20_000, database)
        try await pay("acme", "A1", 10_000, on: "2026-09-10", key: "a1-pre", database)
        try await reverse("acme", "A1", payment: "a1-pre", on: "2026-10-01", key: "a1-pre-back", database)
        try await pay("acme", "A1", 20_000, on: "2026-09-25", key: "a1-1", database)
        try await pay("acme", "A1", 10_000, on: "2026-12-01", key: "a1-2", database)
        try await pay("acme", "A2", 5_000, on: "2026-10-03", key: "a2-direct", receivedBy: .client, database)
        try await pay("acme", "A2", 15_000, on: "2026-11-02", key: "a2-nsf", database)
        try await reverse("acme", "A2", payment: "a2-nsf", on: "2026-11-10", key: "a2-nsf-back", database)
        try await pay("acme", "A3", 6_000, on: "2026-10-20", key: "a3-1", database)
        try await pay("acme", "A3", 4_000, on: "2026-11-25", key: "a3-after-close", database)
        try await pay("beta", "B1", 2_000, on: "2026-11-05", key: "b1-1", database)
        for (client, debt, amount, made, due) in [
            ("acme", "A3", 10_000, "2026-10-15", "2026-10-25"), ("acme", "A2", 15_000, "2026-11-01", "2026-11-05"),
            ("beta", "B1", 5_000, "2026-11-01", "2026-11-03"), ("acme", "A1", 10_000, "2026-11-25", "2026-12-05"),
            ("acme", "A3", 2_000, "2026-12-10", "2026-12-20"),
        ] {
            _ = try await PromiseStore.add(
                clientRef: client, debtRef: debt, amount: .minorUnits(Int64(amount)), due: day(due),
                madeOn: day(made), via: .call, note: nil, on: database, now: now)
        }
        try await call("A1", .outbound, .noAnswer, at: "2026-11-20T15:00:00Z", by: "sam@agency.example", database)
        try await call("A1", .outbound, .conversation, at: "2026-11-25T15:00:00Z", by: "sam@agency.example", database)
        try await call("A2", .outbound, .conversation, at: "2026-11-01T14:00:00Z", by: "ana@agency.example", database)
        try await call("B1", .inbound, .conversation, at: "2026-11-01T16:00:00Z", by: "ana@agency.example", database)
        try await call("A3", .outbound, .busy, at: "2026-11-02T15:00:00Z", by: "ana@agency.example", database)
    }

    /// Places the debt with the agency as `recoup placement import` does: a row of `agency_placements`, under its
    /// client's latest contract (25%), so that payments to it write their trust movements.
    public static func place(
        _ debtRef: String, on placedOn: String, balance: Int64, closedOn: String? = nil, _ database: any Database
    ) async throws {
        try await (database as! any SQLDatabase).raw(
            """
            INSERT INTO agency_placements (client_id, debt_id, contract_id, placed_on, currency, balance_at_placement, \
            days_at_placement, rate, closed_on, close_reason, created_at, created_by) \
            SELECT client_id, id, (SELECT MAX(c.id) FROM agency_contracts c WHERE c.client_id = debts.client_id), \
            \(bind: day(placedOn).daysSinceEpoch), currency, \(bind: balance), 90, 25000, \
            \(bind: closedOn.map { day($0).daysSinceEpoch }), \(bind: closedOn == nil ? nil : "paid_in_full"), \
            \(bind: now), 'test' FROM debts WHERE ref = \(bind: debtRef)
            """
        ).run()
    }

    public static func pay(
        _ client: String, _ debt: String, _ amount: Int64, on date: String, key: String,
        receivedBy: PaymentReceiver = .agency, _ database: any Database
    ) async throws {
        _ = try await PaymentStore.post(
            PaymentRequest(
                clientRef: client, debtRef: debt, action: .pay(amount: .minorUnits(amount), on: day(date)),
                idempotencyKey: key, receivedBy: receivedBy),
            on: database, now: now)
    }

    public static func reverse(
        _ client: String, _ debt: String, payment: String, on date: String, key: String, _ database: any Database
    ) async throws {
        _ = try await PaymentStore.post(
            PaymentRequest(
                clientRef: client, debtRef: debt, action: .reverse(paymentKey: payment, on: day(date), reason: "nsf"),
                idempotencyKey: key),
            on: database, now: now)
    }

    /// A call about the debt's debtor, stored as the contact log stores one (bypassing the contact rules: these are
    /// facts for the reports, not contacts being made).
    public static func call(
        _ debtRef: String, _ direction: ContactDirection, _ outcome: CallOutcome, at text: String, by collector: String,
        _ database: any Database
    ) async throws {
        let at = ISO8601Instant.parse(text)!
        let entry = ContactLogEntry(
            ContactEvent(
                .call(
                    direction: direction, to: direction == .outbound ? "+16175550100" : nil, outcome: outcome,
                    messageLeft: false), at: at, debtIDs: [debtRef]))
        try await (database as! any SQLDatabase).raw(
            """
            INSERT INTO contact_events (debtor_id, type, at, debt_ids, details, recorded_by, created_at) \
            SELECT debtor_id, 'call', \(bind: at), \(bind: ContactEventCodec.debtIDsJSON([debtRef])), \
            \(bind: ContactEventCodec.json(entry)), \(bind: collector), \(bind: now) FROM debts WHERE ref = \(bind: debtRef)
            """
        ).run()
    }
}
