import Testing

@testable import RecoupCore

@Suite("Promises to pay")
struct PromiseTests {
    typealias F = ArrangementFixture

    /// 150.00 promised on a call on 2027-03-01 for 2027-03-10.
    let promise = try! PromiseToPay(amount: 15_000, due: F.day("2027-03-10"), madeOn: F.day("2027-03-01"), via: .call)

    @Test("before the due date and not yet paid in full, a promise is pending with what was paid so far")
    func pending() {
        #expect(promise.evaluate(payments: [], asOf: F.day("2027-03-05")) == .pending(paid: 0))
        let outcome = promise.evaluate(payments: [F.pay("2027-03-04", 5_000, "a")], asOf: F.day("2027-03-10"))
        #expect(outcome == .pending(paid: 5_000))
        #expect(outcome.name == "pending")
    }

    @Test("paid in full by the due date, a promise is kept, and that can be decided before the due date")
    func keptEarly() {
        let payments = [F.pay("2027-03-02", 10_000, "a"), F.pay("2027-03-03", 6_000, "b")]
        let outcome = promise.evaluate(payments: payments, asOf: F.day("2027-03-03"))
        #expect(outcome == .kept(paid: 16_000))
        #expect(outcome.name == "kept")
        #expect(promise.evaluate(payments: payments, asOf: F.day("2027-04-30")) == .kept(paid: 16_000))
    }

    @Test("after the due date with part paid, a promise is partially kept")
    func partiallyKept() {
        let outcome = promise.evaluate(payments: [F.pay("2027-03-10", 7_500, "a")], asOf: F.day("2027-03-11"))
        #expect(outcome == .partiallyKept(paid: 7_500))
        #expect(outcome.name == "partially_kept")
        #expect(outcome.paid == 7_500)
    }

    @Test("after the due date with nothing paid, a promise is broken")
    func broken() {
        let outcome = promise.evaluate(payments: [], asOf: F.day("2027-03-11"))
        #expect(outcome == .broken)
        #expect(outcome.name == "broken")
        #expect(outcome.paid == 0)
        // Still pending on the due date itself.
        #expect(promise.evaluate(payments: [], asOf: F.day("2027-03-10")) == .pending(paid: 0))
    }

    @Test("a payment on the due date counts; one the day after or before the promise was made does not")
    func boundaries() {
        #expect(
            promise.evaluate(payments: [F.pay("2027-03-10", 15_000, "a")], asOf: F.day("2027-03-20"))
                == .kept(paid: 15_000))
        #expect(promise.evaluate(payments: [F.pay("2027-03-11", 15_000, "a")], asOf: F.day("2027-03-20")) == .broken)
        #expect(promise.evaluate(payments: [F.pay("2027-02-28", 15_000, "a")], asOf: F.day("2027-03-20")) == .broken)
        #expect(
            promise.evaluate(payments: [F.pay("2027-03-01", 15_000, "a")], asOf: F.day("2027-03-20"))
                == .kept(paid: 15_000))
    }

    @Test("payments after asOf are not counted yet, and a reversal in the window counts against the promise")
    func asOfAndReversals() {
        let payments = [F.pay("2027-03-05", 15_000, "a"), F.pay("2027-03-08", -15_000, "a-back")]
        #expect(promise.evaluate(payments: payments, asOf: F.day("2027-03-04")) == .pending(paid: 0))
        #expect(promise.evaluate(payments: payments, asOf: F.day("2027-03-06")) == .kept(paid: 15_000))
        #expect(promise.evaluate(payments: payments, asOf: F.day("2027-03-12")) == .broken)
    }

    @Test("a promise must be for more than zero and not due before it was made")
    func validation() throws {
        #expect(throws: PromiseError.amountNotPositive(0)) {
            try PromiseToPay(amount: 0, due: F.day("2027-03-10"), madeOn: F.day("2027-03-01"), via: .portal)
        }
        #expect(throws: PromiseError.dueBeforeMade(due: F.day("2027-02-28"), madeOn: F.day("2027-03-01"))) {
            try PromiseToPay(amount: 100, due: F.day("2027-02-28"), madeOn: F.day("2027-03-01"), via: .portal)
        }
        #expect(
            PromiseError.dueBeforeMade(due: F.day("2027-02-28"), madeOn: F.day("2027-03-01")).description
                == "A promise cannot be due (2027-02-28) before the day it was made (2027-03-01).")
        let sameDay = try PromiseToPay(amount: 100, due: F.day("2027-03-01"), madeOn: F.day("2027-03-01"), via: .portal)
        #expect(sameDay.via.rawValue == "portal")
    }

    @Test("a new promise above what is owed, or due more than 90 days after it was made, is refused with a sentence")
    func checkedAgainstTheDebt() throws {
        let made = F.day("2026-11-29")
        func check(_ amount: Int64, _ due: String, balance: Int64 = 98_050) throws {
            try PromiseToPay.check(amount: amount, due: F.day(due), madeOn: made, balance: balance, currency: .usd)
        }
        try check(98_050, "2026-12-05")  // the whole balance
        try check(100, "2027-02-27")  // exactly 90 days ahead
        #expect(throws: PromiseError.aboveBalance(amount: "$1,200.00", balance: "$980.50")) {
            try check(120_000, "2026-12-05")
        }
        #expect(
            PromiseError.aboveBalance(amount: "$1,200.00", balance: "$980.50").description
                == "A promise of $1,200.00 is more than the $980.50 owed; promise at most what is owed.")
        #expect(throws: PromiseError.aboveBalance(amount: "$0.01", balance: "$0.00")) {
            try check(1, "2026-12-05", balance: 0)
        }
        let far = PromiseError.dueTooFar(due: F.day("2029-11-29"), madeOn: made, latest: F.day("2027-02-27"))
        #expect(throws: far) { try check(100, "2029-11-29") }
        #expect(throws: PromiseError.self) { try check(100, "2027-02-28") }
        #expect(
            far.description
                == "A promise due 2029-11-29 is more than 90 days after the day it was made (2026-11-29); promise a "
                + "date by 2027-02-27, or propose a plan.")
        // What init refuses, check refuses too.
        #expect(throws: PromiseError.amountNotPositive(0)) { try check(0, "2026-12-05") }
    }
}
