import Foundation
import PropertyBased
import Testing

@testable import RecoupCore

/// Shared values for the arrangement, promise and agreement tests.
enum ArrangementFixture {
    static func day(_ iso: String) -> LocalDate { try! LocalDate(iso: iso) }

    static func pay(_ iso: String, _ amount: Int64, _ key: String) -> ArrangementPayment {
        ArrangementPayment(on: day(iso), amount: amount, key: key)
    }

    /// 100.00 USD a month for `count` months from 2027-01-31 (Feb 28, Mar 31, Apr 30, …).
    static func monthly(_ count: Int, amount: Int64 = 10_000) -> [Installment] {
        PlanCalculator.schedule(amount * Int64(count), amount, .monthly, from: day("2027-01-31"))
    }

    /// A proposed arrangement of `count` monthly installments of 100.00 for one debt.
    static func proposed(count: Int = 3, graceDays: Int = 5) -> Arrangement {
        try! Arrangement(
            currency: .usd, debts: [ArrangementDebt(ref: "INV-1", amount: 10_000 * Int64(count))], kind: .installments,
            installments: monthly(count), graceDays: graceDays)
    }

    static let zone = try! TimeZone.named("America/New_York")

    /// A portal click at 2027-01-02T03:00:00Z, which is still 2027-01-01 in New York.
    static let portalAcceptance = try! Acceptance(
        by: "Dana Whitfield", at: Date(timeIntervalSince1970: 1_798_858_800),
        method: .portalClick(ip: "203.0.113.7", userAgent: "Mozilla/5.0"))

    static func active(count: Int = 3, graceDays: Int = 5) -> Arrangement {
        var arrangement = proposed(count: count, graceDays: graceDays)
        try! arrangement.accept(portalAcceptance, in: zone)
        return arrangement
    }

    static func arrangementError(_ body: () throws(ArrangementError) -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return error.description
        }
    }
}

@Suite("Arrangement states")
struct ArrangementStateTests {
    typealias F = ArrangementFixture

    @Test("accepting a proposed arrangement makes it active and records who, when (in the debtor's zone) and how")
    func acceptProposed() throws {
        var arrangement = F.proposed()
        #expect(arrangement.state == .proposed)
        #expect(arrangement.stateChangedOn == nil)
        try arrangement.accept(F.portalAcceptance, in: F.zone)
        #expect(arrangement.state == .active)
        #expect(arrangement.acceptance == F.portalAcceptance)
        #expect(arrangement.stateChangedOn == F.day("2027-01-01"))
        #expect(arrangement.acceptance?.method.name == "portal_click")
    }

    @Test("accepting twice is refused and says the arrangement is already active")
    func acceptTwice() {
        var arrangement = F.active()
        let message = F.arrangementError { () throws(ArrangementError) in
            try arrangement.accept(F.portalAcceptance, in: F.zone)
        }
        #expect(message == "The arrangement is active, so it cannot be accepted: only a proposed arrangement can be.")
        #expect(arrangement.state == .active)
    }

    @Test("a proposed arrangement can be cancelled with a reason")
    func cancelProposed() throws {
        var arrangement = F.proposed()
        try arrangement.cancel(reason: "  The debtor chose to pay in full instead. ", on: F.day("2027-01-05"))
        #expect(arrangement.state == .cancelled)
        #expect(arrangement.stateReason == "The debtor chose to pay in full instead.")
        #expect(arrangement.stateChangedOn == F.day("2027-01-05"))
        #expect(arrangement.acceptance == nil)
    }

    @Test("an active arrangement can be cancelled with a reason and keeps its acceptance")
    func cancelActive() throws {
        var arrangement = F.active()
        try arrangement.cancel(reason: "Replaced by a new arrangement after a change of job.", on: F.day("2027-02-10"))
        #expect(arrangement.state == .cancelled)
        #expect(arrangement.stateReason == "Replaced by a new arrangement after a change of job.")
        #expect(arrangement.acceptance == F.portalAcceptance)
        #expect(arrangement.stateChangedOn == F.day("2027-02-10"))
    }

    @Test("cancelling without a reason is refused and changes nothing")
    func cancelWithoutReason() {
        var arrangement = F.active()
        let message = F.arrangementError { () throws(ArrangementError) in
            try arrangement.cancel(reason: " \n", on: F.day("2027-02-10"))
        }
        #expect(message == "A reason is needed to cancel an arrangement.")
        #expect(arrangement.state == .active)
    }

    @Test("accepting a cancelled arrangement is refused and names the state")
    func acceptCancelled() throws {
        var arrangement = F.proposed()
        try arrangement.cancel(reason: "Withdrawn.", on: F.day("2027-01-05"))
        let message = F.arrangementError { () throws(ArrangementError) in
            try arrangement.accept(F.portalAcceptance, in: F.zone)
        }
        #expect(
            message == "The arrangement is cancelled, so it cannot be accepted: only a proposed arrangement can be.")
        #expect(arrangement.acceptance == nil)
    }

    @Test("cancelling a cancelled arrangement is refused")
    func cancelCancelled() throws {
        var arrangement = F.proposed()
        try arrangement.cancel(reason: "Withdrawn.", on: F.day("2027-01-05"))
        let message = F.arrangementError { () throws(ArrangementError) in
            try arrangement.cancel(reason: "Again.", on: F.day("2027-01-06"))
        }
        #expect(
            message
                == "The arrangement is cancelled, so it cannot be cancelled: only a proposed or active arrangement can be."
        )
        #expect(arrangement.stateReason == "Withdrawn.")
    }

    @Test("an active arrangement whose installments are all paid on time is completed on the day of the last payment")
    func activeToCompleted() {
        var arrangement = F.active()
        let payments = [
            F.pay("2027-01-30", 10_000, "p1"), F.pay("2027-02-28", 10_000, "p2"), F.pay("2027-03-29", 10_000, "p3"),
        ]
        #expect(arrangement.evaluate(payments: payments, asOf: F.day("2027-03-28")) == .active)
        #expect(arrangement.evaluate(payments: payments, asOf: F.day("2027-03-29")) == .completed)
        #expect(arrangement.state == .completed)
        #expect(arrangement.stateChangedOn == F.day("2027-03-29"))
        #expect(arrangement.stateReason == nil)
    }

    @Test("an active arrangement with an installment unpaid after its grace days is broken and says why")
    func activeToBroken() {
        var arrangement = F.active()
        let payments = [F.pay("2027-01-31", 10_000, "p1"), F.pay("2027-03-01", 2_500, "p2")]
        #expect(arrangement.evaluate(payments: payments, asOf: F.day("2027-03-06")) == .broken)
        #expect(arrangement.stateChangedOn == F.day("2027-03-06"))
        #expect(
            arrangement.stateReason
                == "Installment 2 of 3 (100.00 due 2027-02-28) had 25.00 paid by 2027-03-05, the end of its 5 grace days."
        )
    }

    @Test(
        "completed and broken arrangements are final: accepting or cancelling them is refused with their state named",
        arguments: [ArrangementState.completed, .broken])
    func finalStatesRefuseTransitions(_ final: ArrangementState) throws {
        var arrangement = F.active()
        let payments = final == .completed ? [F.pay("2027-01-31", 30_000, "all")] : []
        arrangement.evaluate(payments: payments, asOf: F.day("2027-06-30"))
        try #require(arrangement.state == final)
        let accept = F.arrangementError { () throws(ArrangementError) in
            try arrangement.accept(F.portalAcceptance, in: F.zone)
        }
        #expect(
            accept
                == "The arrangement is \(final.rawValue), so it cannot be accepted: only a proposed arrangement can be."
        )
        let cancel = F.arrangementError { () throws(ArrangementError) in
            try arrangement.cancel(reason: "Too late.", on: F.day("2027-07-01"))
        }
        #expect(
            cancel
                == "The arrangement is \(final.rawValue), so it cannot be cancelled: "
                + "only a proposed or active arrangement can be.")
        #expect(arrangement.state == final)
    }

    @Test("evaluating a proposed arrangement changes nothing, even when it would be fully paid")
    func evaluateProposed() {
        var arrangement = F.proposed()
        let before = arrangement
        #expect(
            arrangement.evaluate(payments: [F.pay("2027-01-31", 30_000, "all")], asOf: F.day("2027-02-01")) == .proposed
        )
        #expect(arrangement == before)
    }

    @Test("evaluating a cancelled, completed or broken arrangement returns its state and changes nothing")
    func evaluateFinal() throws {
        var cancelled = F.active()
        try cancelled.cancel(reason: "Withdrawn.", on: F.day("2027-01-05"))
        var completed = F.active()
        completed.evaluate(payments: [F.pay("2027-01-31", 30_000, "all")], asOf: F.day("2027-02-01"))
        var broken = F.active()
        broken.evaluate(payments: [], asOf: F.day("2027-02-06"))
        for original in [cancelled, completed, broken] {
            var copy = original
            // Payments that would complete a broken one, and nothing paid that would break a completed one.
            #expect(copy.evaluate(payments: [], asOf: F.day("2028-01-01")) == original.state)
            #expect(
                copy.evaluate(payments: [F.pay("2027-01-01", 30_000, "x")], asOf: F.day("2028-01-01")) == original.state
            )
            #expect(copy == original)
        }
        #expect(completed.state == .completed)
        #expect(broken.state == .broken)
    }

    @Test("evaluation depends only on asOf: an earlier date than the break leaves it active, a later one breaks it")
    func evaluationIsDeterministic() {
        let payments = [F.pay("2027-01-31", 10_000, "p1")]
        var early = F.active()
        #expect(early.evaluate(payments: payments, asOf: F.day("2027-03-05")) == .active)
        var late = F.active()
        #expect(late.evaluate(payments: payments, asOf: F.day("2027-09-01")) == .broken)
        var exact = F.active()
        #expect(exact.evaluate(payments: payments, asOf: F.day("2027-03-06")) == .broken)
        // Broken on the same day with the same reason, whenever it is evaluated after the break.
        #expect(late == exact)
        #expect(late.stateChangedOn == F.day("2027-03-06"))
        #expect(early.evaluate(payments: payments, asOf: F.day("2027-09-01")) == .broken)
        #expect(early == late)
    }

    @Test("an arrangement completed before a later reversal stays completed; a break before completion wins")
    func whicheverCameFirst() {
        var completed = F.active()
        let reversedLater = [F.pay("2027-01-31", 30_000, "all"), F.pay("2027-05-01", -30_000, "all-reversed")]
        #expect(completed.evaluate(payments: reversedLater, asOf: F.day("2027-06-01")) == .completed)
        #expect(completed.stateChangedOn == F.day("2027-01-31"))

        var broken = F.active()
        let paidAfterBreak = [F.pay("2027-02-20", 30_000, "late")]
        #expect(broken.evaluate(payments: paidAfterBreak, asOf: F.day("2027-06-01")) == .broken)
        #expect(broken.stateChangedOn == F.day("2027-02-06"))
    }

    @Test(
        "an invalid schedule or debt list is refused with a sentence",
        arguments: [
            (
                [ArrangementDebt(ref: "INV-1", amount: 25_000)], ArrangementFixture.monthly(3), 5,
                "The debts add up to 250.00 USD but the installments add up to 300.00 USD; they must be equal."
            ),
            (
                [ArrangementDebt(ref: "INV-1", amount: 20_000)],
                [
                    Installment(due: ArrangementFixture.day("2027-02-01"), amount: 10_000),
                    Installment(due: ArrangementFixture.day("2027-02-01"), amount: 10_000),
                ], 5,
                "Installment 2 is due 2027-02-01, not after installment 1 (2027-02-01); due dates must increase."
            ),
            (
                [ArrangementDebt(ref: "INV-1", amount: 30_000)], ArrangementFixture.monthly(3), 61,
                "Grace days must be 0 to 60, not 61."
            ),
            (
                [ArrangementDebt(ref: "INV-1", amount: 10_000)],
                [
                    Installment(due: ArrangementFixture.day("2027-02-01"), amount: 10_000),
                    Installment(due: ArrangementFixture.day("2027-03-01"), amount: 0),
                ], 5,
                "Installment 2 is 0.00 USD; every installment must be more than zero."
            ),
            ([], ArrangementFixture.monthly(3), 5, "An arrangement needs at least one debt."),
            ([ArrangementDebt(ref: "INV-1", amount: 30_000)], [], 5, "An arrangement needs at least one installment."),
            (
                [ArrangementDebt(ref: "INV-1", amount: 15_000), ArrangementDebt(ref: "INV-1", amount: 15_000)],
                ArrangementFixture.monthly(3), 5, "Debt INV-1 is listed more than once."
            ),
            (
                [ArrangementDebt(ref: "INV-1", amount: 30_000), ArrangementDebt(ref: "INV-2", amount: 0)],
                ArrangementFixture.monthly(3), 5, "Debt INV-2 has an amount of 0.00 USD; it must be more than zero."
            ),
            (
                [ArrangementDebt(ref: " ", amount: 30_000)], ArrangementFixture.monthly(3), 5,
                "Debt 1 has no reference."
            ),
        ])
    func invalidArrangements(debts: [ArrangementDebt], installments: [Installment], graceDays: Int, message: String) {
        let error = F.arrangementError { () throws(ArrangementError) in
            _ = try Arrangement(
                currency: .usd, debts: debts, kind: .installments, installments: installments, graceDays: graceDays)
        }
        #expect(error == message)
    }

    @Test("a stored arrangement is restored only with the facts its state needs")
    func restoring() throws {
        let active = F.active()
        let restored = try Arrangement(
            currency: .usd, debts: active.debts, kind: .installments, installments: active.installments, graceDays: 5,
            state: .active, acceptance: active.acceptance, stateChangedOn: active.stateChangedOn)
        #expect(restored == active)
        let missingAcceptance = F.arrangementError { () throws(ArrangementError) in
            _ = try Arrangement(
                currency: .usd, debts: active.debts, kind: .installments, installments: active.installments,
                graceDays: 5, state: .broken, stateReason: "Missed.")
        }
        #expect(missingAcceptance == "The arrangement is broken, so it must have the acceptance that made it active.")
        let missingReason = F.arrangementError { () throws(ArrangementError) in
            _ = try Arrangement(
                currency: .usd, debts: active.debts, kind: .installments, installments: active.installments,
                graceDays: 5, state: .cancelled)
        }
        #expect(missingReason == "The arrangement is cancelled, so it must say why.")
    }

    @Test("an arrangement made from a plan option keeps its kind and schedule; a settlement is shared across the debts")
    func madeFromOption() throws {
        let request = PlanRequest(
            balance: 125_000, currency: .usd, today: F.day("2026-12-01"),
            offer: PlanOffer(amount: 10_000, frequency: .monthly, firstDue: F.day("2027-01-31")),
            terms: PlanTerms(settlementPercent: 70))
        let proposal = PlanCalculator.propose(request)
        let debts = [ArrangementDebt(ref: "INV-1", amount: 100_000), ArrangementDebt(ref: "INV-2", amount: 25_000)]

        let plan = try Arrangement.make(from: proposal.options[0], debts: debts, currency: .usd, graceDays: 10)
        #expect(plan.kind == .installments)
        #expect(plan.installments == proposal.options[0].installments)
        #expect(plan.debts == debts)
        #expect(plan.total == 125_000)
        #expect(plan.state == .proposed)

        let settlement = try Arrangement.make(from: proposal.options[1], debts: debts, currency: .usd, graceDays: 10)
        #expect(settlement.kind == .settlement)
        #expect(settlement.total == 87_500)
        #expect(settlement.debts.map(\.amount) == [70_000, 17_500])

        let tooLittle = F.arrangementError { () throws(ArrangementError) in
            _ = try Arrangement.make(
                from: proposal.options[0], debts: [ArrangementDebt(ref: "INV-1", amount: 100_000)], currency: .usd,
                graceDays: 10)
        }
        #expect(
            tooLittle
                == "The debts add up to 1000.00 USD but the installments add up to 1250.00 USD; they must be equal.")
    }

    @Test(
        "an acceptance needs every piece of its evidence",
        arguments: [
            (
                " ", AcceptanceMethod.signedLetter(document: "scan-1"),
                "An acceptance must record who accepted; it is empty."
            ),
            (
                "Dana", AcceptanceMethod.portalClick(ip: "", userAgent: "Mozilla/5.0"),
                "An acceptance must record the IP address of the portal click; it is empty."
            ),
            (
                "Dana", AcceptanceMethod.portalClick(ip: "203.0.113.7", userAgent: "\t"),
                "An acceptance must record the user agent of the portal click; it is empty."
            ),
            (
                "Dana", AcceptanceMethod.recordedCall(collector: "", recording: "rec-9"),
                "An acceptance must record the collector on the recorded call; it is empty."
            ),
            (
                "Dana", AcceptanceMethod.recordedCall(collector: "Sam Ortiz", recording: " "),
                "An acceptance must record the reference of the call recording; it is empty."
            ),
            (
                "Dana", AcceptanceMethod.signedLetter(document: ""),
                "An acceptance must record the reference of the signed letter; it is empty."
            ),
        ])
    func acceptanceValidation(by: String, method: AcceptanceMethod, message: String) {
        #expect(throws: AcceptanceError.self) {
            try Acceptance(by: by, at: Date(timeIntervalSince1970: 0), method: method)
        }
        do {
            _ = try Acceptance(by: by, at: Date(timeIntervalSince1970: 0), method: method)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("acceptance methods have stable storage names and keep their evidence trimmed")
    func acceptanceMethods() throws {
        let call = try Acceptance(
            by: " Dana Whitfield ", at: Date(timeIntervalSince1970: 0),
            method: .recordedCall(collector: " Sam Ortiz", recording: "rec-2027-0113 "))
        #expect(call.by == "Dana Whitfield")
        #expect(call.method == .recordedCall(collector: "Sam Ortiz", recording: "rec-2027-0113"))
        #expect(call.method.name == "recorded_call")
        #expect(AcceptanceMethod.signedLetter(document: "scan-1").name == "signed_letter")
        #expect(AcceptanceMethod.Kind.allCases.map(\.rawValue) == ["portal_click", "recorded_call", "signed_letter"])
        #expect(
            ArrangementState.allCases.map(\.rawValue) == ["proposed", "active", "completed", "broken", "cancelled"])
    }
}

@Suite("Installment matching")
struct InstallmentMatchingTests {
    typealias F = ArrangementFixture

    func match(_ payments: [ArrangementPayment], asOf: String, count: Int = 3, graceDays: Int = 5) -> InstallmentMatch {
        InstallmentMatcher.match(
            installments: F.monthly(count), graceDays: graceDays, payments: payments, asOf: F.day(asOf))
    }

    @Test("exact payments on each due date pay each installment on time")
    func exact() {
        let result = match(
            [F.pay("2027-01-31", 10_000, "a"), F.pay("2027-02-28", 10_000, "b"), F.pay("2027-03-31", 10_000, "c")],
            asOf: "2027-04-01")
        #expect(result.installments.map(\.standing) == [.paid, .paid, .paid])
        #expect(result.installments.map(\.paidOn) == [F.day("2027-01-31"), F.day("2027-02-28"), F.day("2027-03-31")])
        #expect(result.installments.map(\.number) == [1, 2, 3])
        #expect(result.excess == 0)
        #expect(result.completedOn == F.day("2027-03-31"))
    }

    @Test("a partial payment leaves the installment partial, the rest upcoming")
    func partial() {
        let result = match([F.pay("2027-01-20", 4_000, "a")], asOf: "2027-01-25")
        #expect(result.installments.map(\.standing) == [.partial, .upcoming, .upcoming])
        #expect(result.installments.map(\.paid) == [4_000, 0, 0])
        #expect(result.installments[0].paidOn == nil)
        #expect(result.installments[0].remaining == 6_000)
    }

    @Test("nothing paid on or after the due date but within the grace days is due, not missed")
    func dueNotMissed() {
        let result = match([], asOf: "2027-02-05")
        #expect(result.installments.map(\.standing) == [.due, .upcoming, .upcoming])
        #expect(result.breach == nil)
    }

    @Test("a payment meant for installment 2 made before installment 1 is due counts to 1, then the next to 2")
    func early() {
        let result = match([F.pay("2027-01-05", 10_000, "a"), F.pay("2027-01-20", 10_000, "b")], asOf: "2027-01-25")
        #expect(result.installments.map(\.standing) == [.paid, .paid, .upcoming])
        #expect(result.installments.map(\.paidOn) == [F.day("2027-01-05"), F.day("2027-01-20"), nil])
    }

    @Test("a payment after the due date but within the grace days is paid late, and the arrangement is not broken")
    func lateWithinGrace() {
        let payments = [F.pay("2027-02-03", 10_000, "a")]
        let result = match(payments, asOf: "2027-02-10")
        #expect(result.installments[0].standing == .paidLate)
        #expect(result.installments[0].paidOn == F.day("2027-02-03"))
        #expect(result.breach == nil)
        var arrangement = F.active()
        #expect(arrangement.evaluate(payments: payments, asOf: F.day("2027-02-10")) == .active)
    }

    @Test("an overpayment carries forward across several installments")
    func overpaymentCarriedForward() {
        let result = match([F.pay("2027-01-31", 25_000, "a")], asOf: "2027-02-01", count: 4)
        #expect(result.installments.map(\.paid) == [10_000, 10_000, 5_000, 0])
        #expect(result.installments.map(\.standing) == [.paid, .paid, .partial, .upcoming])
        let later = match(
            [F.pay("2027-01-31", 25_000, "a"), F.pay("2027-03-15", 5_000, "b")], asOf: "2027-03-16", count: 4)
        #expect(later.installments.map(\.standing) == [.paid, .paid, .paid, .upcoming])
        #expect(later.installments[2].paidOn == F.day("2027-03-15"))
    }

    @Test("money beyond the last installment is the excess")
    func excess() {
        let result = match([F.pay("2027-01-31", 20_000, "a"), F.pay("2027-02-01", 15_000, "b")], asOf: "2027-02-02")
        #expect(result.installments.allSatisfy { $0.standing == .paid })
        #expect(result.excess == 5_000)
        #expect(result.counted == 35_000)
        #expect(result.completedOn == F.day("2027-02-01"))
    }

    @Test("a reversal takes money back from the latest-funded installment first")
    func reversal() {
        let payments = [
            F.pay("2027-01-31", 10_000, "a"), F.pay("2027-02-20", 15_000, "b"), F.pay("2027-02-25", -8_000, "b-back"),
        ]
        let result = match(payments, asOf: "2027-02-26")
        #expect(result.installments.map(\.paid) == [10_000, 7_000, 0])
        #expect(result.installments.map(\.standing) == [.paid, .partial, .upcoming])
        #expect(result.installments[1].paidOn == nil)
        // Taking back more than is matched empties the installments, never below zero.
        let all = match(payments + [F.pay("2027-02-26", -50_000, "chargeback")], asOf: "2027-02-27")
        #expect(all.installments.map(\.paid) == [0, 0, 0])
        #expect(all.excess == 0)
        // Money taken back from an installment past its grace days makes it missed from the next day.
        #expect(all.installments[0].standing == .missed)
        #expect(all.breach?.shortOn == F.day("2027-02-26"))
    }

    @Test("an installment paid again after a reversal is paid on the day it became fully paid again")
    func paidAgainAfterReversal() {
        let payments = [
            F.pay("2027-01-10", 10_000, "a"), F.pay("2027-01-15", -10_000, "a-back"), F.pay("2027-02-02", 10_000, "c"),
        ]
        let result = match(payments, asOf: "2027-02-03")
        #expect(result.installments[0].standing == .paidLate)
        #expect(result.installments[0].paidOn == F.day("2027-02-02"))
    }

    @Test("payments after asOf do not count, and the order they are given in does not matter")
    func orderAndCutOff() {
        let payments = [
            F.pay("2027-03-01", 10_000, "c"), F.pay("2027-01-31", 10_000, "a"), F.pay("2027-01-31", -2_000, "a-back"),
        ]
        let result = match(payments, asOf: "2027-02-01")
        #expect(result.installments.map(\.paid) == [8_000, 0, 0])
        #expect(result.counted == 8_000)
        #expect(result == match(payments.reversed(), asOf: "2027-02-01"))
    }

    @Test("the last grace day is still in time; the day after breaks the arrangement with the exact reason")
    func graceBoundary() throws {
        let payments = [
            F.pay("2027-01-31", 10_000, "p1"), F.pay("2027-02-28", 10_000, "p2"), F.pay("2027-03-31", 4_000, "p3"),
        ]
        var arrangement = F.active(count: 12)
        #expect(arrangement.evaluate(payments: payments, asOf: F.day("2027-04-05")) == .active)
        #expect(arrangement.status(payments: payments, asOf: F.day("2027-04-05")).installments[2].standing == .partial)

        #expect(arrangement.evaluate(payments: payments, asOf: F.day("2027-04-06")) == .broken)
        #expect(arrangement.stateChangedOn == F.day("2027-04-06"))
        #expect(
            arrangement.stateReason
                == "Installment 3 of 12 (100.00 due 2027-03-31) had 40.00 paid by 2027-04-05, the end of its 5 grace days."
        )
        let status = arrangement.status(payments: payments, asOf: F.day("2027-04-06"))
        #expect(status.installments[2].standing == .missed)
        #expect(status.installments[3].standing == .upcoming)
    }

    @Test("a payment on the last grace day completes the installment in time; one a day later is too late")
    func paymentOnLastGraceDay() {
        let inTime = [F.pay("2027-02-05", 10_000, "a")]
        var kept = F.active()
        #expect(kept.evaluate(payments: inTime, asOf: F.day("2027-02-20")) == .active)
        #expect(kept.status(payments: inTime, asOf: F.day("2027-02-20")).installments[0].standing == .paidLate)

        let tooLate = [F.pay("2027-02-06", 10_000, "a")]
        var missed = F.active()
        #expect(missed.evaluate(payments: tooLate, asOf: F.day("2027-02-06")) == .broken)
        #expect(
            missed.stateReason
                == "Installment 1 of 3 (100.00 due 2027-01-31) had 0.00 paid by 2027-02-05, the end of its 5 grace days."
        )
        let status = missed.status(payments: tooLate, asOf: F.day("2027-02-20")).installments[0]
        #expect(status.standing == .missed)
        #expect(status.paid == 10_000)
    }

    @Test("with no grace days an installment is missed the day after its due date")
    func noGraceDays() {
        var arrangement = F.active(graceDays: 0)
        #expect(arrangement.evaluate(payments: [], asOf: F.day("2027-01-31")) == .active)
        #expect(arrangement.evaluate(payments: [], asOf: F.day("2027-02-01")) == .broken)
        #expect(
            arrangement.stateReason
                == "Installment 1 of 3 (100.00 due 2027-01-31) had 0.00 paid by 2027-01-31, its due date, with no grace days."
        )
        var oneDay = F.active(graceDays: 1)
        oneDay.evaluate(payments: [], asOf: F.day("2027-02-02"))
        #expect(
            oneDay.stateReason
                == "Installment 1 of 3 (100.00 due 2027-01-31) had 0.00 paid by 2027-02-01, the end of its 1 grace day."
        )
    }

    @Test("a reversal after the grace days breaks the arrangement from the next day and says so")
    func reversalAfterGrace() {
        let payments = [F.pay("2027-01-31", 10_000, "a"), F.pay("2027-02-20", -10_000, "a-back")]
        var arrangement = F.active()
        #expect(arrangement.evaluate(payments: payments, asOf: F.day("2027-02-20")) == .active)
        #expect(arrangement.evaluate(payments: payments, asOf: F.day("2027-02-21")) == .broken)
        #expect(arrangement.stateChangedOn == F.day("2027-02-21"))
        #expect(
            arrangement.stateReason
                == "Installment 1 of 3 (100.00 due 2027-01-31) had 0.00 paid on 2027-02-20 after a payment was reversed; "
                + "its 5 grace days ended on 2027-02-05.")
    }

    @Test("amounts in the reason use the currency's decimals")
    func reasonCurrencyDigits() throws {
        var arrangement = try Arrangement(
            currency: .jpy, debts: [ArrangementDebt(ref: "J-1", amount: 5_000)], kind: .extension,
            installments: [Installment(due: F.day("2027-05-01"), amount: 5_000)], graceDays: 3)
        try arrangement.accept(F.portalAcceptance, in: F.zone)
        arrangement.evaluate(payments: [F.pay("2027-05-02", 1_200, "y")], asOf: F.day("2027-05-05"))
        #expect(
            arrangement.stateReason
                == "Installment 1 of 1 (5000 due 2027-05-01) had 1200 paid by 2027-05-04, the end of its 3 grace days.")
    }
}

/// A deliberately naive model of matching: allocates every payment explicitly and checks every day.
private struct ReferenceMatch {
    var paid: [Int64]
    var paidOn: [LocalDate?]
    var excess: Int64
    var missed: [Bool]
    /// The first end of day at which an installment past its grace was short, and the installment's index.
    var short: (day: LocalDate, index: Int, paid: Int64)?
    var completedOn: LocalDate?

    init(installments: [Installment], graceDays: Int, payments: [ArrangementPayment], asOf: LocalDate) {
        let sorted = payments.filter { $0.on <= asOf }.sorted { ($0.on, $0.key) < ($1.on, $1.key) }
        var funded = [Int64](repeating: 0, count: installments.count)
        var extra: Int64 = 0
        var paidOn = [LocalDate?](repeating: nil, count: installments.count)
        missed = [Bool](repeating: false, count: installments.count)
        let first = min(sorted.first?.on ?? asOf, installments.first?.due ?? asOf)
        var next = 0
        var day = first
        while day <= asOf {
            while next < sorted.count && sorted[next].on == day {
                var amount = sorted[next].amount
                if amount >= 0 {
                    for index in installments.indices where amount > 0 {
                        let take = min(amount, installments[index].amount - funded[index])
                        funded[index] += take
                        amount -= take
                        if take > 0 && funded[index] == installments[index].amount { paidOn[index] = day }
                    }
                    extra += amount
                } else {
                    var back = -amount
                    let fromExtra = min(back, extra)
                    extra -= fromExtra
                    back -= fromExtra
                    for index in installments.indices.reversed() where back > 0 {
                        let take = min(back, funded[index])
                        funded[index] -= take
                        back -= take
                        if take > 0 { paidOn[index] = nil }
                    }
                }
                next += 1
            }
            if completedOn == nil && !installments.isEmpty
                && installments.indices.allSatisfy({ funded[$0] == installments[$0].amount })
            {
                completedOn = day
            }
            if day < asOf {
                for index in installments.indices
                where installments[index].due.adding(days: graceDays) <= day
                    && funded[index] < installments[index].amount
                {
                    missed[index] = true
                    if short == nil { short = (day, index, funded[index]) }
                }
            }
            day = day.adding(days: 1)
        }
        self.paid = funded
        self.paidOn = paidOn
        self.excess = extra
    }
}

@Suite("Installment matching properties")
struct InstallmentMatchingPropertyTests {
    typealias F = ArrangementFixture

    /// (days after the previous due date, amount) per installment.
    static let scheduleGen = zip(Gen.int(in: 1...45), Gen.int64(in: 1...30_000)).array(of: 1...10)
    /// (day offset, amount, 0 = a reversal) per payment.
    static let paymentsGen = zip(Gen.int(in: 0...330), Gen.int64(in: 1...40_000), Gen.int(in: 0...7)).array(of: 0...14)

    static func build(
        _ schedule: [(Int, Int64)], _ stream: [(Int, Int64, Int)], withReversals: Bool
    ) -> ([Installment], [ArrangementPayment]) {
        let start = F.day("2027-01-01")
        var due = start
        var installments: [Installment] = []
        for (gap, amount) in schedule {
            due = due.adding(days: gap)
            installments.append(Installment(due: due, amount: amount))
        }
        let payments = stream.enumerated().map { index, step in
            let amount = withReversals && step.2 == 0 ? -step.1 / 2 : step.1
            return ArrangementPayment(on: start.adding(days: step.0), amount: amount, key: "k\(index)")
        }
        return (installments, payments)
    }

    @Test("matched money plus the excess equals what was paid, and nothing is missed before its grace days end")
    func conservation() async {
        await propertyCheck(
            count: 300, input: Self.scheduleGen, Self.paymentsGen, Gen.int(in: 0...8), Gen.int(in: 0...360)
        ) { schedule, stream, graceDays, asOfOffset in
            let (installments, payments) = Self.build(schedule, stream, withReversals: true)
            let asOf = F.day("2027-01-01").adding(days: asOfOffset)
            let result = InstallmentMatcher.match(
                installments: installments, graceDays: graceDays, payments: payments, asOf: asOf)
            let counted = payments.filter { $0.on <= asOf }.sorted { ($0.on, $0.key) < ($1.on, $1.key) }
            var running: Int64 = 0
            var neverNegative = true
            for payment in counted {
                running += payment.amount
                if running < 0 { neverNegative = false }
            }
            if neverNegative {
                #expect(result.installments.reduce(0) { $0 + $1.paid } + result.excess == running)
            }
            for status in result.installments {
                #expect(status.paid >= 0 && status.paid <= status.amount)
                if status.standing == .missed { #expect(asOf >= status.due.adding(days: graceDays + 1)) }
                if status.standing == .upcoming { #expect(status.due > asOf) }
            }
        }
    }

    @Test(
        "without reversals: completed exactly when every installment is paid in time, broken exactly when one is missed"
    )
    func completedIffAllPaid() async {
        await propertyCheck(
            count: 300, input: Self.scheduleGen, Self.paymentsGen, Gen.int(in: 0...8), Gen.int(in: 0...360)
        ) { schedule, stream, graceDays, asOfOffset in
            let (installments, payments) = Self.build(schedule, stream, withReversals: false)
            let asOf = F.day("2027-01-01").adding(days: asOfOffset)
            let total = installments.reduce(0) { $0 + $1.amount }
            var arrangement = try! Arrangement(
                currency: .usd, debts: [ArrangementDebt(ref: "D", amount: total)], kind: .installments,
                installments: installments, graceDays: graceDays)
            try! arrangement.accept(F.portalAcceptance, in: F.zone)
            let statuses = arrangement.status(payments: payments, asOf: asOf).installments
            let state = arrangement.evaluate(payments: payments, asOf: asOf)
            let allPaid = statuses.allSatisfy { $0.standing == .paid || $0.standing == .paidLate }
            #expect((state == .completed) == allPaid)
            #expect((state == .broken) == statuses.contains { $0.standing == .missed })
        }
    }

    @Test("matching agrees with a naive day-by-day model, reversals included")
    func agreesWithModel() async {
        await propertyCheck(
            count: 250, input: Self.scheduleGen, Self.paymentsGen, Gen.int(in: 0...8), Gen.int(in: 0...360)
        ) { schedule, stream, graceDays, asOfOffset in
            let (installments, payments) = Self.build(schedule, stream, withReversals: true)
            let asOf = F.day("2027-01-01").adding(days: asOfOffset)
            let result = InstallmentMatcher.match(
                installments: installments, graceDays: graceDays, payments: payments, asOf: asOf)
            let model = ReferenceMatch(installments: installments, graceDays: graceDays, payments: payments, asOf: asOf)
            #expect(result.installments.map(\.paid) == model.paid)
            #expect(result.installments.map(\.paidOn) == model.paidOn)
            #expect(result.excess == model.excess)
            #expect(result.installments.map { $0.standing == .missed } == model.missed)
            #expect(result.completedOn == model.completedOn)
            #expect(result.breach?.shortOn == model.short?.day)
            #expect(result.breach?.number == model.short.map { $0.index + 1 })
            #expect(result.breach?.paid == model.short?.paid)
        }
    }
}
