import Foundation
import PropertyBased
import RecoupCore
import RecoupTestSupport
import Testing

@testable import RecoupStore

/// One generated step: 0–1 an agency payment (held a few days when `pick` says so), 2 a direct payment, 3 the reversal
/// of an earlier payment, 4 a statement closed through the day; the debt (0–2), an amount, a day after placement.
private typealias Step = (kind: Int, debt: Int, amount: Int64, day: Int, pick: Int)

private let stepGen = zip(
    Gen.int(in: 0...4), Gen.int(in: 0...2), Gen.int64(in: 1...30_000), Gen.int(in: 0...119), Gen.int(in: 0...1_000))
private let sequenceGen = stepGen.array(of: 1...14)

/// The rules written again, plainly, to compare the database's statements with.
private struct Model {
    struct Payment {
        var key: String
        var debt: Int
        var direct: Bool
        var amount: Int64
        var commission: Int64
        var day: Int
        var release: Int
        var statement: Int?
        var reversal: (day: Int, statement: Int?, after: Bool)?
    }

    var method: RemittanceMethod
    var payments: [Payment] = []
    var lastClose: Int? = nil
    var statements = 0
    /// What trust must hold: agency payments less their reversals less what statements took out.
    var held: Int64 = 0

    /// 25% for A-1 and C-1, 35% for B-1 (their tiers), rounded half up.
    static func commission(_ amount: Int64, debt: Int) -> Int64 { (amount * (debt == 1 ? 35 : 25) + 50) / 100 }

    /// The figures of the statement closed through `day`: collected, commission, direct, commission on direct,
    /// reversals after remittance, commission returned, due to the client, due to the agency.
    mutating func close(through day: Int) -> [Int64] {
        statements += 1
        var figures = [Int64](repeating: 0, count: 6)
        for index in payments.indices {
            guard var reversal = payments[index].reversal, reversal.statement == nil, reversal.day <= day else {
                continue
            }
            reversal.after = payments[index].statement != nil
            reversal.statement = statements
            payments[index].reversal = reversal
        }
        for index in payments.indices where payments[index].statement == nil && payments[index].day <= day {
            let payment = payments[index]
            let reversedBy = payment.reversal.map { $0.day <= day } ?? false
            guard payment.direct || payment.release <= day || reversedBy else { continue }
            payments[index].statement = statements
        }
        for payment in payments {
            let base = payment.direct ? 2 : 0
            if payment.statement == statements {
                figures[base] += payment.amount
                figures[base + 1] += payment.commission
            }
            if let reversal = payment.reversal, reversal.statement == statements {
                if reversal.after {
                    if !payment.direct { figures[4] += payment.amount }
                    figures[5] += payment.commission
                } else {
                    figures[base] -= payment.amount
                    figures[base + 1] -= payment.commission
                }
            }
        }
        let (collected, commission, direct, onDirect, clawed, returned) = (
            figures[0], figures[1], figures[2], figures[3], figures[4], figures[5]
        )
        var toClient: Int64
        var toAgency: Int64
        switch method {
        case .net:
            let due = collected - commission - onDirect - clawed + returned
            (toClient, toAgency) = (max(due, 0), max(-due, 0))
            held -= toClient + commission + onDirect - returned
        case .gross:
            let remitted = collected - clawed
            let invoiced = commission + onDirect - returned
            toClient = max(remitted, 0) + max(-invoiced, 0)
            toAgency = max(-remitted, 0) + max(invoiced, 0)
            held -= max(remitted, 0)
        }
        _ = direct
        return figures + [toClient, toAgency]
    }
}

@Suite("The trust invariant over random sequences")
struct TrustInvariantPropertyTests {
    @Test("trust reconciles after every step, and every statement matches the rules written plainly")
    func invariant() async throws {
        // One database, a new client for each sequence (opening a database a sequence would cost most of the time).
        try await withStore(.sqlite) { database in
            await propertyCheck(count: 60, input: sequenceGen, Gen.bool) { steps, isNet in
                let client = "c" + UUID().uuidString.prefix(8).lowercased()
                try await Self.replay(steps, method: isNet ? .net : .gross, client: client, database)
            }
        }
    }

    fileprivate static func replay(
        _ steps: [Step], method: RemittanceMethod, client: String, _ database: RecoupDatabase
    ) async throws {
        _ = try await AgencyTrustTests.placed(try AgencyTrustTests.contract(method), client: client, database)
        let placedOn = AgencyTrustTests.day("2026-08-01")
        let debts = ["A-1", "B-1", "C-1"]
        var model = Model(method: method)
        for (index, step) in steps.enumerated() {
            let day = placedOn.adding(days: step.day)
            switch step.kind {
            case 0, 1, 2:
                let direct = step.kind == 2
                let hold = !direct && step.pick % 3 == 0 ? step.pick % 20 : 0
                let key = "p\(index)"
                _ = try await PaymentStore.post(
                    PaymentRequest(
                        clientRef: client, debtRef: debts[step.debt],
                        action: .pay(amount: .minorUnits(step.amount), on: day),
                        idempotencyKey: key, receivedBy: direct ? .client : .agency,
                        releaseOn: hold > 0 ? day.adding(days: hold) : nil),
                    on: database.db, now: testNow)
                model.payments.append(
                    .init(
                        key: key, debt: step.debt, direct: direct, amount: step.amount,
                        commission: Model.commission(step.amount, debt: step.debt), day: step.day,
                        release: step.day + hold))
                if !direct { model.held += step.amount }
            case 3:
                let open = model.payments.indices.filter { model.payments[$0].reversal == nil }
                guard !open.isEmpty else { continue }
                let target = open[step.pick % open.count]
                let reversalDay = max(step.day, model.payments[target].day)
                _ = try await PaymentStore.post(
                    PaymentRequest(
                        clientRef: client, debtRef: debts[model.payments[target].debt],
                        action: .reverse(
                            paymentKey: model.payments[target].key, on: placedOn.adding(days: reversalDay),
                            reason: "nsf"),
                        idempotencyKey: "r\(index)"),
                    on: database.db, now: testNow)
                model.payments[target].reversal = (reversalDay, nil, false)
                if !model.payments[target].direct { model.held -= model.payments[target].amount }
            default:
                guard model.lastClose.map({ step.day > $0 }) ?? true else { continue }
                model.lastClose = step.day
                let expected = model.close(through: step.day)
                let closed = try await TrustStore.close(
                    clientRef: client, through: day, by: nil, now: testNow, on: database.db)
                let f = closed.statement.figures
                let actual = [
                    f.collected, f.commission, f.directPayments, f.commissionOnDirect, f.reversalsAfterRemittance,
                    f.commissionReturned, f.dueToClient, f.dueToAgency,
                ]
                #expect(closed.created && actual == expected, "step \(index) of \(steps), \(method)")
            }
            let checks = try await TrustStore.check(clientRef: client, on: database.db)
            #expect(checks.allSatisfy { $0.difference == nil }, "step \(index) of \(steps): \(checks)")
            // No money moved yet: nothing to check.
            #expect(checks.map(\.held).reduce(0, +) == model.held, "step \(index) of \(steps), \(method)")
        }
    }
}
