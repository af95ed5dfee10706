import Testing

@testable import RecoupCore

/// A date from a literal `YYYY-MM-DD` (test data only).
private func on(_ iso: String) -> LocalDate {
    do { return try LocalDate(iso: iso) } catch { fatalError("bad test date \(iso): \(error)") }
}

/// A USD ledger with 10,000.00 principal, 500.00 interest and 300.00 fees charged on 2026-01-01.
/// A ledger owing 10,000.00 principal, 500.00 interest and 300.00 fees; without `order`, Ledger's default order.
private func chargedLedger(order: AllocationOrder? = nil) throws -> Ledger {
    var ledger = order.map { Ledger(currency: .usd, allocationOrder: $0) } ?? Ledger(currency: .usd)
    try ledger.post(.charge(amount: 1_000_000, on: on("2026-01-01"), key: "charge"))
    try ledger.post(.interest(amount: 50_000, on: on("2026-01-01"), key: "interest"))
    try ledger.post(.fee(amount: 30_000, on: on("2026-01-01"), key: "fee"))
    return ledger
}

@Suite("Ledger")
struct LedgerTests {

    // MARK: Charges, interest and fees

    @Test("a charge adds principal, interest adds interest, a fee adds fees")
    func chargeInterestFee() throws {
        var ledger = Ledger(currency: .usd)
        let charge = try ledger.post(.charge(amount: 12_500, on: on("2026-01-01"), key: "c"))
        #expect(
            charge
                == .posted(
                    LedgerEntry(
                        kind: .charge, effectiveDate: on("2026-01-01"), amount: 12_500,
                        effect: ComponentAmounts(principal: 12_500), idempotencyKey: "c")))
        let interest = try ledger.post(.interest(amount: 300, on: on("2026-02-01"), key: "i"))
        #expect(interest.entry.kind == .interest)
        #expect(interest.entry.effect == ComponentAmounts(interest: 300))
        let fee = try ledger.post(.fee(amount: 2_500, on: on("2026-02-02"), key: "f"))
        #expect(fee.entry.kind == .fee)
        #expect(fee.entry.effect == ComponentAmounts(fees: 2_500))
        #expect(fee.entry.amount == 2_500)
        #expect(ledger.balance == ComponentAmounts(principal: 12_500, interest: 300, fees: 2_500))
        #expect(ledger.balance.total == 15_300)
        #expect(ledger.entries.map(\.idempotencyKey) == ["c", "i", "f"])
        #expect(ledger.firstChargeDate == on("2026-01-01"))
    }

    static let nonPositive: [(posting: LedgerPosting, kind: LedgerEntryKind, amount: Int64)] = [
        (.charge(amount: 0, on: on("2026-01-01"), key: "k"), .charge, 0),
        (.charge(amount: -5, on: on("2026-01-01"), key: "k"), .charge, -5),
        (.interest(amount: 0, on: on("2026-01-01"), key: "k"), .interest, 0),
        (.fee(amount: -1, on: on("2026-01-01"), key: "k"), .fee, -1),
        (.payment(amount: 0, on: on("2026-01-01"), key: "k"), .payment, 0),
        (.payment(amount: -100, on: on("2026-01-01"), key: "k"), .payment, -100),
    ]

    @Test("amounts must be above zero", arguments: nonPositive)
    func nonPositiveAmounts(posting: LedgerPosting, kind: LedgerEntryKind, amount: Int64) throws {
        var ledger = try chargedLedger()
        let before = ledger
        #expect(throws: LedgerError.nonPositiveAmount(kind, amount)) { try ledger.post(posting) }
        #expect(ledger == before)
    }

    @Test("every posting needs an idempotency key")
    func emptyKey() {
        var ledger = Ledger(currency: .usd)
        #expect(throws: LedgerError.emptyIdempotencyKey) {
            try ledger.post(.charge(amount: 1, on: on("2026-01-01"), key: ""))
        }
        #expect(throws: LedgerError.emptyIdempotencyKey) { try ledger.post(.writeOff(on: on("2026-01-01"), key: "")) }
        #expect(ledger.entries.isEmpty)
    }

    // MARK: Payment allocation

    @Test("by default a payment pays fees, then interest, then principal")
    func defaultAllocation() throws {
        var ledger = try chargedLedger()
        let small = try ledger.post(.payment(amount: 20_000, on: on("2026-02-01"), key: "p1"))
        #expect(small.entry.effect == ComponentAmounts(principal: 0, interest: 0, fees: -20_000))
        let middle = try ledger.post(.payment(amount: 30_000, on: on("2026-02-02"), key: "p2"))
        #expect(middle.entry.effect == ComponentAmounts(principal: 0, interest: -20_000, fees: -10_000))
        let large = try ledger.post(.payment(amount: 100_000, on: on("2026-02-03"), key: "p3"))
        #expect(large.entry.effect == ComponentAmounts(principal: -70_000, interest: -30_000, fees: 0))
        #expect(ledger.balance == ComponentAmounts(principal: 930_000, interest: 0, fees: 0))
        #expect(large.entry.kind == .payment)
        #expect(large.entry.amount == 100_000)
    }

    static let orders: [(order: [BalanceComponent], payment: Int64, expected: ComponentAmounts)] = [
        ([.principal, .interest, .fees], 1_020_000, ComponentAmounts(principal: -1_000_000, interest: -20_000)),
        ([.interest, .principal, .fees], 60_000, ComponentAmounts(principal: -10_000, interest: -50_000)),
        ([.interest, .fees, .principal], 60_000, ComponentAmounts(interest: -50_000, fees: -10_000)),
        (
            [.fees, .principal, .interest], 1_040_000,
            ComponentAmounts(principal: -1_000_000, interest: -10_000, fees: -30_000)
        ),
        ([.principal, .fees, .interest], 500, ComponentAmounts(principal: -500)),
    ]

    @Test("a custom allocation order is followed", arguments: orders)
    func customOrder(order: [BalanceComponent], payment: Int64, expected: ComponentAmounts) throws {
        var ledger = try chargedLedger(order: AllocationOrder(order))
        let outcome = try ledger.post(.payment(amount: payment, on: on("2026-02-01"), key: "p"))
        #expect(outcome.entry.effect == expected)
        #expect(ledger.balance == ComponentAmounts(principal: 1_000_000, interest: 50_000, fees: 30_000) + expected)
    }

    @Test(
        "an allocation order must name every component once",
        arguments: [
            [BalanceComponent](), [.fees, .fees, .principal], [.fees, .interest],
            [.fees, .interest, .principal, .fees],
        ])
    func invalidOrder(components: [BalanceComponent]) {
        #expect(throws: LedgerError.invalidAllocationOrder) { try AllocationOrder(components) }
    }

    @Test("partial payments pay down the balance left by the earlier ones")
    func partialPayments() throws {
        var ledger = Ledger(currency: .usd)
        try ledger.post(.charge(amount: 10_000, on: on("2026-01-01"), key: "c"))
        try ledger.post(.fee(amount: 1_500, on: on("2026-01-01"), key: "f"))
        for (index, amount) in [Int64(1_000), 1_000, 1_000].enumerated() {
            try ledger.post(.payment(amount: amount, on: on("2026-02-0\(index + 1)"), key: "p\(index)"))
        }
        #expect(
            ledger.entries.suffix(3).map(\.effect) == [
                ComponentAmounts(fees: -1_000), ComponentAmounts(principal: -500, fees: -500),
                ComponentAmounts(principal: -1_000),
            ])
        #expect(ledger.balance == ComponentAmounts(principal: 8_500, interest: 0, fees: 0))
    }

    @Test("an overpayment pays everything and leaves a credit on principal")
    func overpayment() throws {
        var ledger = try chargedLedger()
        let outcome = try ledger.post(.payment(amount: 1_100_000, on: on("2026-02-01"), key: "p"))
        #expect(outcome.entry.effect == ComponentAmounts(principal: -1_020_000, interest: -50_000, fees: -30_000))
        #expect(outcome.entry.effect.total == -1_100_000)
        #expect(ledger.balance == ComponentAmounts(principal: -20_000, interest: 0, fees: 0))
        // A later payment against a credit still goes to principal, deepening the credit.
        let again = try ledger.post(.payment(amount: 500, on: on("2026-02-02"), key: "p2"))
        #expect(again.entry.effect == ComponentAmounts(principal: -500))
    }

    @Test("a payment is allocated against the balance on its own date, not against later entries")
    func allocationUsesBalanceOnPaymentDate() throws {
        var ledger = Ledger(currency: .usd)
        try ledger.post(.charge(amount: 10_000, on: on("2026-01-01"), key: "c"))
        try ledger.post(.fee(amount: 2_000, on: on("2026-03-01"), key: "late-fee"))
        let payment = try ledger.post(.payment(amount: 1_000, on: on("2026-02-01"), key: "p"))
        #expect(payment.entry.effect == ComponentAmounts(principal: -1_000))
        #expect(ledger.balance(asOf: on("2026-03-01")) == ComponentAmounts(principal: 9_000, fees: 2_000))
    }

    static let staticAllocations: [(balance: ComponentAmounts, payment: Int64, expected: ComponentAmounts)] = [
        (ComponentAmounts(principal: 100, interest: 20, fees: 5), 10, ComponentAmounts(interest: -5, fees: -5)),
        (
            ComponentAmounts(principal: 100, interest: 20, fees: 5), 125,
            ComponentAmounts(principal: -100, interest: -20, fees: -5)
        ),
        (
            ComponentAmounts(principal: 100, interest: 20, fees: 5), 200,
            ComponentAmounts(principal: -175, interest: -20, fees: -5)
        ),
        // A credit in one component is skipped, not paid "into".
        (ComponentAmounts(principal: -50, interest: 0, fees: 30), 40, ComponentAmounts(principal: -10, fees: -30)),
        (ComponentAmounts(principal: 10, interest: -5, fees: -5), 4, ComponentAmounts(principal: -4)),
        (ComponentAmounts.zero, 7, ComponentAmounts(principal: -7)),
    ]

    @Test("Ledger.allocate splits a payment exactly", arguments: staticAllocations)
    func staticAllocate(balance: ComponentAmounts, payment: Int64, expected: ComponentAmounts) {
        let effect = Ledger.allocate(payment: payment, against: balance, order: .feesInterestPrincipal)
        #expect(effect == expected)
        #expect(effect.total == -payment)
    }

    // MARK: Idempotency

    @Test("retrying a posting with the same key and request changes nothing")
    func idempotentRetry() throws {
        var ledger = try chargedLedger()
        let payment = LedgerPosting.payment(amount: 40_000, on: on("2026-02-01"), key: "p")
        let first = try ledger.post(payment)
        guard case .posted(let entry) = first else {
            Issue.record("first posting should be .posted, got \(first)")
            return
        }
        let afterFirst = ledger
        let second = try ledger.post(payment)
        #expect(second == .alreadyPosted(entry))
        #expect(ledger == afterFirst)
        #expect(ledger.entries.count == 4)
        // The retry keeps the first allocation even though the balance has since changed.
        #expect(second.entry.effect == ComponentAmounts(interest: -10_000, fees: -30_000))

        for retry in [
            LedgerPosting.charge(amount: 1_000_000, on: on("2026-01-01"), key: "charge"),
            .interest(amount: 50_000, on: on("2026-01-01"), key: "interest"),
            .fee(amount: 30_000, on: on("2026-01-01"), key: "fee"),
        ] {
            let outcome = try ledger.post(retry)
            guard case .alreadyPosted = outcome else {
                Issue.record("\(retry) should be already posted, got \(outcome)")
                continue
            }
        }
        #expect(ledger == afterFirst)
    }

    @Test("retrying an adjustment, a reversal or a write-off is idempotent too")
    func idempotentRetryOfOtherKinds() throws {
        var ledger = try chargedLedger()
        try ledger.post(.payment(amount: 40_000, on: on("2026-02-01"), key: "p"))
        let adjustment = LedgerPosting.adjustment(component: .interest, amount: -2_500, on: on("2026-02-02"), key: "a")
        let reversal = LedgerPosting.reversal(paymentKey: "p", on: on("2026-02-03"), key: "r")
        let writeOff = LedgerPosting.writeOff(on: on("2026-02-04"), key: "w")
        var firstEntries: [LedgerEntry] = []
        for posting in [adjustment, reversal, writeOff] { firstEntries.append(try ledger.post(posting).entry) }
        let snapshot = ledger
        for (posting, entry) in zip([adjustment, reversal, writeOff], firstEntries) {
            #expect(try ledger.post(posting) == .alreadyPosted(entry))
        }
        #expect(ledger == snapshot)
        #expect(ledger.balance == .zero)
    }

    static let conflicts: [(first: LedgerPosting, second: LedgerPosting)] = [
        (.charge(amount: 100, on: on("2026-02-01"), key: "k"), .charge(amount: 200, on: on("2026-02-01"), key: "k")),
        (.charge(amount: 100, on: on("2026-02-01"), key: "k"), .charge(amount: 100, on: on("2026-02-02"), key: "k")),
        (.charge(amount: 100, on: on("2026-02-01"), key: "k"), .fee(amount: 100, on: on("2026-02-01"), key: "k")),
        (.fee(amount: 100, on: on("2026-02-01"), key: "k"), .interest(amount: 100, on: on("2026-02-01"), key: "k")),
        (.payment(amount: 100, on: on("2026-02-01"), key: "k"), .payment(amount: 200, on: on("2026-02-01"), key: "k")),
        (.payment(amount: 100, on: on("2026-02-01"), key: "k"), .payment(amount: 100, on: on("2026-02-05"), key: "k")),
        (.payment(amount: 100, on: on("2026-02-01"), key: "k"), .charge(amount: 100, on: on("2026-02-01"), key: "k")),
        (
            .adjustment(component: .fees, amount: 100, on: on("2026-02-01"), key: "k"),
            .adjustment(component: .fees, amount: -100, on: on("2026-02-01"), key: "k")
        ),
        (
            .adjustment(component: .fees, amount: 100, on: on("2026-02-01"), key: "k"),
            .adjustment(component: .interest, amount: 100, on: on("2026-02-01"), key: "k")
        ),
        (.writeOff(on: on("2026-02-01"), key: "k"), .writeOff(on: on("2026-02-02"), key: "k")),
        (.writeOff(on: on("2026-02-01"), key: "k"), .fee(amount: 5, on: on("2026-02-01"), key: "k")),
        (
            .charge(amount: 100, on: on("2026-02-01"), key: "k"),
            .reversal(paymentKey: "base-payment", on: on("2026-02-01"), key: "k")
        ),
    ]

    @Test("reusing a key for a different request is refused and changes nothing", arguments: conflicts)
    func conflictingRetry(first: LedgerPosting, second: LedgerPosting) throws {
        var ledger = try chargedLedger()
        try ledger.post(.payment(amount: 1_000, on: on("2026-01-15"), key: "base-payment"))
        try ledger.post(first)
        let before = ledger
        #expect(throws: LedgerError.conflictingRetry(key: "k")) { try ledger.post(second) }
        #expect(ledger == before)
    }

    @Test("reversing with the same key on another date is a conflicting retry")
    func reversalRetryOnAnotherDate() throws {
        var ledger = try chargedLedger()
        try ledger.post(.payment(amount: 1_000, on: on("2026-02-01"), key: "p"))
        try ledger.post(.reversal(paymentKey: "p", on: on("2026-02-10"), key: "r"))
        let before = ledger
        #expect(throws: LedgerError.conflictingRetry(key: "r")) {
            try ledger.post(.reversal(paymentKey: "p", on: on("2026-02-11"), key: "r"))
        }
        #expect(ledger == before)
    }

    // MARK: Reversals

    @Test("a reversal undoes exactly its payment's allocation")
    func reversal() throws {
        var ledger = try chargedLedger()
        try ledger.post(.payment(amount: 10_000, on: on("2026-02-01"), key: "p0"))
        let beforePayment = ledger.balance
        let payment = try ledger.post(.payment(amount: 60_000, on: on("2026-02-05"), key: "p1")).entry
        #expect(payment.effect == ComponentAmounts(principal: 0, interest: -40_000, fees: -20_000))
        try ledger.post(.fee(amount: 700, on: on("2026-02-06"), key: "late"))
        let reversal = try ledger.post(.reversal(paymentKey: "p1", on: on("2026-02-07"), key: "r1")).entry
        #expect(reversal.kind == .paymentReversal)
        #expect(reversal.amount == 60_000)
        #expect(reversal.reversedKey == "p1")
        #expect(reversal.idempotencyKey == "r1")
        #expect(reversal.effectiveDate == on("2026-02-07"))
        #expect(reversal.effect == ComponentAmounts(principal: 0, interest: 40_000, fees: 20_000))
        #expect(ledger.balance == beforePayment + ComponentAmounts(fees: 700))
        // Before the reversal date the payment still counts.
        #expect(ledger.balance(asOf: on("2026-02-06")) == beforePayment + payment.effect + ComponentAmounts(fees: 700))
    }

    @Test("an overpayment's reversal removes the credit too")
    func reversalOfOverpayment() throws {
        var ledger = try chargedLedger()
        let before = ledger.balance
        try ledger.post(.payment(amount: 2_000_000, on: on("2026-02-01"), key: "p"))
        #expect(ledger.balance.principal == -920_000)
        try ledger.post(.reversal(paymentKey: "p", on: on("2026-02-01"), key: "r"))
        #expect(ledger.balance == before)
    }

    @Test("a payment cannot be reversed twice")
    func reverseTwice() throws {
        var ledger = try chargedLedger()
        try ledger.post(.payment(amount: 1_000, on: on("2026-02-01"), key: "p"))
        try ledger.post(.reversal(paymentKey: "p", on: on("2026-02-02"), key: "r1"))
        let before = ledger
        #expect(throws: LedgerError.alreadyReversed(key: "p")) {
            try ledger.post(.reversal(paymentKey: "p", on: on("2026-02-03"), key: "r2"))
        }
        #expect(ledger == before)
    }

    @Test("only a posted payment can be reversed", arguments: ["nope", "charge", "fee", ""])
    func unknownPayment(paymentKey: String) throws {
        var ledger = try chargedLedger()
        #expect(throws: LedgerError.unknownPayment(key: paymentKey)) {
            try ledger.post(.reversal(paymentKey: paymentKey, on: on("2026-02-03"), key: "r"))
        }
        #expect(ledger.entries.count == 3)
    }

    @Test("a reversal cannot take effect before its payment; on the same day it can")
    func reversalBeforePayment() throws {
        var ledger = try chargedLedger()
        try ledger.post(.payment(amount: 1_000, on: on("2026-02-10"), key: "p"))
        #expect(throws: LedgerError.reversalBeforePayment(key: "p")) {
            try ledger.post(.reversal(paymentKey: "p", on: on("2026-02-09"), key: "r"))
        }
        #expect(ledger.entries.count == 4)
        let outcome = try ledger.post(.reversal(paymentKey: "p", on: on("2026-02-10"), key: "r"))
        #expect(outcome.entry.kind == .paymentReversal)
        #expect(ledger.balance == ComponentAmounts(principal: 1_000_000, interest: 50_000, fees: 30_000))
    }

    // MARK: Adjustments and write-offs

    @Test(
        "an adjustment changes one component by a signed amount",
        arguments: [
            (BalanceComponent.principal, Int64(-100)), (.interest, 250), (.fees, -30_000), (.fees, 1),
        ])
    func adjustment(component: BalanceComponent, amount: Int64) throws {
        var ledger = try chargedLedger()
        let before = ledger.balance
        let entry = try ledger.post(.adjustment(component: component, amount: amount, on: on("2026-02-01"), key: "a"))
            .entry
        #expect(entry.kind == .adjustment)
        #expect(entry.amount == amount)
        var expectedEffect = ComponentAmounts.zero
        expectedEffect[component] = amount
        #expect(entry.effect == expectedEffect)
        #expect(ledger.balance[component] == before[component] + amount)
        #expect(ledger.balance.total == before.total + amount)
    }

    @Test("a zero adjustment is refused")
    func zeroAdjustment() throws {
        var ledger = try chargedLedger()
        #expect(throws: LedgerError.zeroAdjustment) {
            try ledger.post(.adjustment(component: .principal, amount: 0, on: on("2026-02-01"), key: "a"))
        }
        #expect(ledger.entries.count == 3)
    }

    @Test("a write-off removes the whole positive balance on its date")
    func writeOff() throws {
        var ledger = try chargedLedger()
        try ledger.post(.payment(amount: 70_000, on: on("2026-02-01"), key: "p"))
        #expect(ledger.balance == ComponentAmounts(principal: 1_000_000, interest: 10_000, fees: 0))
        let entry = try ledger.post(.writeOff(on: on("2026-03-01"), key: "w")).entry
        #expect(entry.kind == .writeOff)
        #expect(entry.effect == ComponentAmounts(principal: -1_000_000, interest: -10_000, fees: 0))
        #expect(entry.amount == 1_010_000)
        #expect(ledger.balance == .zero)
        #expect(throws: LedgerError.nothingToWriteOff) { try ledger.post(.writeOff(on: on("2026-03-02"), key: "w2")) }
        #expect(ledger.entries.count == 5)
    }

    @Test("a write-off leaves credits alone and refuses when only credits are left")
    func writeOffWithCredit() throws {
        var ledger = Ledger(currency: .usd)
        try ledger.post(.charge(amount: 1_000, on: on("2026-01-01"), key: "c"))
        try ledger.post(.payment(amount: 1_200, on: on("2026-01-02"), key: "p"))
        try ledger.post(.fee(amount: 50, on: on("2026-01-03"), key: "f"))
        let entry = try ledger.post(.writeOff(on: on("2026-01-04"), key: "w")).entry
        #expect(entry.effect == ComponentAmounts(fees: -50))
        #expect(ledger.balance == ComponentAmounts(principal: -200))
        #expect(throws: LedgerError.nothingToWriteOff) { try ledger.post(.writeOff(on: on("2026-01-05"), key: "w2")) }
        var empty = Ledger(currency: .usd)
        #expect(throws: LedgerError.nothingToWriteOff) { try empty.post(.writeOff(on: on("2026-01-05"), key: "w")) }
    }

    @Test("a write-off only counts the balance on its own date")
    func writeOffAsOfDate() throws {
        var ledger = Ledger(currency: .usd)
        try ledger.post(.charge(amount: 1_000, on: on("2026-01-01"), key: "c1"))
        try ledger.post(.charge(amount: 500, on: on("2026-03-01"), key: "c2"))
        let entry = try ledger.post(.writeOff(on: on("2026-02-01"), key: "w")).entry
        #expect(entry.amount == 1_000)
        #expect(ledger.balance == ComponentAmounts(principal: 500))
    }

    // MARK: Balances

    @Test("balance(asOf:) counts entries effective on or before the date and ignores later ones")
    func balanceAsOf() throws {
        var ledger = Ledger(currency: .usd)
        try ledger.post(.charge(amount: 1_000, on: on("2026-01-10"), key: "c"))
        try ledger.post(.interest(amount: 100, on: on("2026-02-10"), key: "i"))
        try ledger.post(.fee(amount: 10, on: on("2026-01-05"), key: "early-fee"))
        #expect(ledger.balance(asOf: on("2026-01-04")) == .zero)
        #expect(ledger.balance(asOf: on("2026-01-05")) == ComponentAmounts(fees: 10))
        #expect(ledger.balance(asOf: on("2026-01-10")) == ComponentAmounts(principal: 1_000, fees: 10))
        #expect(ledger.balance(asOf: on("2026-02-09")) == ComponentAmounts(principal: 1_000, fees: 10))
        #expect(ledger.balance(asOf: on("2026-02-10")) == ComponentAmounts(principal: 1_000, interest: 100, fees: 10))
        #expect(ledger.balance == ledger.balance(asOf: on("2099-01-01")))
        #expect(ledger.firstChargeDate == on("2026-01-10"))
        #expect(Ledger(currency: .usd).firstChargeDate == nil)
    }

    @Test("a ledger loaded from stored entries behaves like the one that posted them")
    func loadedLedger() throws {
        var original = try chargedLedger()
        try original.post(.payment(amount: 5_000, on: on("2026-02-01"), key: "p"))
        var loaded = Ledger(currency: .usd, entries: original.entries)
        #expect(loaded.balance == original.balance)
        #expect(
            try loaded.post(.payment(amount: 5_000, on: on("2026-02-01"), key: "p"))
                == .alreadyPosted(original.entries[3]))
        #expect(throws: LedgerError.conflictingRetry(key: "charge")) {
            try loaded.post(.charge(amount: 1, on: on("2026-01-01"), key: "charge"))
        }
    }

    @Test("component amounts add, negate, total and subscript")
    func componentAmounts() {
        var amounts = ComponentAmounts(principal: 10, interest: -3, fees: 5)
        #expect(amounts.total == 12)
        #expect(-amounts == ComponentAmounts(principal: -10, interest: 3, fees: -5))
        #expect(amounts + (-amounts) == .zero)
        amounts[.fees] = 7
        #expect(amounts.fees == 7 && amounts[.fees] == 7 && amounts[.interest] == -3 && amounts[.principal] == 10)
    }

    @Test("a refund pays back a credit: never more than the credit on its date or now, once per key")
    func refunds() throws {
        var ledger = Ledger(currency: .usd)
        try ledger.post(.charge(amount: 10_000, on: on("2026-01-01"), key: "c"))
        #expect(throws: LedgerError.refundAboveCredit(amount: 1, credit: 0)) {
            try ledger.post(.refund(amount: 1, on: on("2026-01-02"), key: "f0"))
        }
        try ledger.post(.payment(amount: 12_500, on: on("2026-02-01"), key: "p"))
        // Before the overpayment there was no credit.
        #expect(throws: LedgerError.refundAboveCredit(amount: 100, credit: 0)) {
            try ledger.post(.refund(amount: 100, on: on("2026-01-31"), key: "f1"))
        }
        #expect(throws: LedgerError.refundAboveCredit(amount: 2_501, credit: 2_500)) {
            try ledger.post(.refund(amount: 2_501, on: on("2026-02-02"), key: "f1"))
        }
        let refund = try ledger.post(.refund(amount: 2_000, on: on("2026-02-02"), key: "f1"))
        #expect(refund.entry.effect == ComponentAmounts(principal: 2_000))
        #expect(ledger.balance.total == -500)
        #expect(
            try ledger.post(.refund(amount: 2_000, on: on("2026-02-02"), key: "f1")) == .alreadyPosted(refund.entry))
        #expect(throws: LedgerError.conflictingRetry(key: "f1")) {
            try ledger.post(.refund(amount: 400, on: on("2026-02-02"), key: "f1"))
        }
        // A later charge uses the credit up: nothing is left to refund, even on an earlier date.
        try ledger.post(.charge(amount: 500, on: on("2026-03-01"), key: "c2"))
        #expect(throws: LedgerError.refundAboveCredit(amount: 500, credit: 0)) {
            try ledger.post(.refund(amount: 500, on: on("2026-02-03"), key: "f2"))
        }
        #expect(
            LedgerError.refundAboveCredit(amount: 2_501, credit: 2_500).description
                == "a refund of 2501 minor units is more than the credit of 2500 minor units")
    }

    @Test("error descriptions say what was refused")
    func errorDescriptions() {
        #expect(
            LedgerError.nonPositiveAmount(.charge, 0).description == "a charge must be above zero (got 0 minor units)")
        #expect(LedgerError.nonPositiveAmount(.paymentReversal, -1).description.hasPrefix("a payment reversal must"))
        #expect(LedgerError.conflictingRetry(key: "k1").description.contains("\"k1\""))
        #expect(LedgerError.unknownPayment(key: "p9").description.contains("\"p9\""))
        #expect(LedgerError.alreadyReversed(key: "p2").description.contains("\"p2\""))
    }
}
