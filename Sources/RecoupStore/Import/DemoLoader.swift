import FluentKit
import Foundation
import RecoupCore
import SQLKit

/// Loads the generated demo portfolio through the same batch writer as imports (so it is idempotent too).
public enum DemoLoader {
    /// What loading did.
    public struct Outcome: Sendable {
        /// New debts.
        public var imported: Int
        /// Clients in the demo.
        public var clients: Int
    }

    /// Generates and stores the demo portfolio.
    public static func load(
        accounts: Int, seed: UInt64, today: LocalDate, on database: any Database, now: Date
    )
        async throws -> Outcome
    {
        let portfolio = DemoPortfolio.generate(accounts: accounts, seed: seed, today: today)
        let outcome = try await database.transaction { transaction in
            let sql = transaction as! any SQLDatabase
            var imported = 0
            for client in portfolio.clients {
                let clientID = try await ClientQueries.ensureClient(
                    ref: client.ref, name: client.name, on: sql, now: now)
                // The demo's contact details, unless the client has some already (an admin may have changed them).
                if try await !ClientProfileStore.profile(clientRef: client.ref, sql: sql).profile.hasContactDetails {
                    try await ClientProfileStore.update(clientRef: client.ref, with: client.profile, on: transaction)
                }
                let writer = DebtBatchWriter(sql: sql, clientID: clientID, importBatchID: nil, now: now)
                var knownDebtors = Set<String>()
                var start = 0
                while start < client.debts.count {
                    let end = min(start + 1000, client.debts.count)
                    imported += try await writer.write(Array(client.debts[start..<end]), knownDebtors: &knownDebtors)
                        .imported
                    start = end
                }
            }
            return Outcome(imported: imported, clients: portfolio.clients.count)
        }
        if outcome.imported > 0 {
            try await tell(portfolio.stories(seed: seed, today: today), on: database, now: now)
            try await agency(portfolio, today: today, on: database, now: now)
        }
        try await SegmentStore.refresh(asOf: today, zone: TimeZone(identifier: "UTC")!, on: database, now: now)
        return outcome
    }

    /// Records what the demo debtors did (calls, promises, payments, a stated hardship) through the same stores
    /// the application uses.
    static func tell(_ stories: [DemoStory], on database: any Database, now: Date) async throws {
        let sql = database as! any SQLDatabase
        for story in stories {
            guard
                let debtorID = try await sql.raw(
                    """
                    SELECT p.id FROM debtors p JOIN clients c ON c.id = p.client_id \
                    WHERE c.ref = \(bind: story.clientRef) AND p.ref = \(bind: story.debtorRef)
                    """
                ).first()?.decode(column: "id", as: Int64.self)
            else { continue }
            for step in story.steps {
                switch step {
                case .call(let at, let inbound, let outcome):
                    guard let outcome = CallOutcome(rawValue: outcome) else {
                        throw StoreError.invalid("a demo call's outcome \"\(outcome)\" is not a call outcome")
                    }
                    // History as it happened: stored as it is, not checked against the rules of its day.
                    let call = ContactEvent(
                        .call(
                            direction: inbound ? .inbound : .outbound, to: nil, outcome: outcome,
                            messageLeft: outcome == .voicemail),
                        at: at, debtIDs: [story.debtRef])
                    _ = try await ContactStore.insert(
                        ContactLogEntry(call), debtorID: debtorID, recordedBy: "demo", now: now, sql: sql)
                case .promise(let amount, let due, let madeOn):
                    _ = try await PromiseStore.add(
                        clientRef: story.clientRef, debtRef: story.debtRef, amount: .minorUnits(amount), due: due,
                        madeOn: madeOn, via: .call,
                        note: "demo", on: database, now: now)
                case .payment(let amount, let on, let key, let bouncedOn):
                    _ = try await PaymentStore.post(
                        PaymentRequest(
                            clientRef: story.clientRef, debtRef: story.debtRef,
                            action: .pay(amount: .minorUnits(amount), on: on), idempotencyKey: key),
                        on: database, now: now)
                    if let bouncedOn {
                        _ = try await PaymentStore.post(
                            PaymentRequest(
                                clientRef: story.clientRef, debtRef: story.debtRef,
                                action: .reverse(
                                    paymentKey: key, on: bouncedOn, reason: "returned: insufficient funds"),
                                idempotencyKey: key + "-returned"),
                            on: database, now: now)
                    }
                case .hardship(let from):
                    _ = try await AccrualStore.pause(
                        clientRef: story.clientRef, debtRef: story.debtRef, debtorRef: nil, from: from, until: nil,
                        reason: "hardship: lost hours at work", on: database, now: now)
                }
            }
        }
    }

    /// True when the application's database holds no debts at all.
    public static func isEmpty(_ database: any Database) async throws -> Bool {
        try await isEmpty(database as! any SQLDatabase)
    }

    /// True when the database holds no debts at all.
    public static func isEmpty(_ sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("SELECT COUNT(*) AS n FROM debts").first()?.decode(column: "n", as: Int.self) == 0
    }

    /// The agency's side in the demo (docs/agency.md): Summit Fitness Clubs has a contract with the agency and placed
    /// its older accounts 75 days ago; some debtors paid the agency, two paid the club directly, one check bounced
    /// after it was remitted; last month's statement is closed and this month's money waits in trust.
    static func agency(
        _ portfolio: DemoPortfolio, today: LocalDate, on database: any Database, now: Date
    )
        async throws
    {
        guard let client = portfolio.clients.first(where: { $0.ref == "summit-fitness" }) else { return }
        let contract = try AgencyContract(
            remittance: .net, directPaymentCommission: true,
            rates: [
                RateTier(upToDaysAtPlacement: 180, rate: try CommissionRate(percent: "25")),
                RateTier(rate: try CommissionRate(percent: "33.5")),
            ], freeDemand: FreeDemand(days: 10, rate: .zero))
        _ = try await AgencyStore.save(contract, clientRef: client.ref, by: "demo", now: now, on: database)
        let placedOn = today.adding(days: -75)
        let records = client.debts.filter { $0.dueDate <= placedOn.adding(days: -30) && $0.payments.isEmpty }.prefix(40)
        let placed = try await PlacementIntake.place(
            Array(records), PlacementImportRequest(path: "-", clientRef: client.ref, placedOn: placedOn, by: "demo"),
            now: now, on: database)
        let accounts = placed.accepted
        guard accounts.count >= 12 else { return }
        func pay(_ index: Int, share: Int64, after days: Int, by receiver: PaymentReceiver = .agency) async throws {
            let amount = max(100, accounts[index].balance * share / 100)
            _ = try await PaymentStore.post(
                PaymentRequest(
                    clientRef: client.ref, debtRef: accounts[index].debtRef,
                    action: .pay(amount: .minorUnits(amount), on: placedOn.adding(days: days)),
                    idempotencyKey: "demo-agency-\(index)-\(days)", method: receiver == .agency ? "card" : nil,
                    receivedBy: receiver),
                on: database, now: now)
        }
        for index in 0..<8 { try await pay(index, share: 20 + Int64(index) * 5, after: 15 + index) }
        try await pay(8, share: 50, after: 30, by: .client)
        try await pay(9, share: 100, after: 33, by: .client)
        // Last month's statement, then a bounced check and this month's payments.
        let lastMonthEnd = today.adding(days: -today.day)
        guard lastMonthEnd > placedOn.adding(days: 40) else { return }
        _ = try await TrustStore.close(clientRef: client.ref, through: lastMonthEnd, by: "demo", now: now, on: database)
        _ = try await PaymentStore.post(
            PaymentRequest(
                clientRef: client.ref, debtRef: accounts[0].debtRef,
                action: .reverse(paymentKey: "demo-agency-0-15", on: lastMonthEnd.adding(days: 1), reason: "nsf"),
                idempotencyKey: "demo-agency-0-nsf"),
            on: database, now: now)
        for index in 10..<12 { try await pay(index, share: 30, after: lastMonthEnd.days(since: placedOn) + 1) }
    }
}
