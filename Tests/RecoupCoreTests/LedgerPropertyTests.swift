import PropertyBased
import Testing

@testable import RecoupCore

/// 2026-01-01; generated postings fall on this day plus 0…60 days.
private let baseDate = LocalDate(daysSinceEpoch: 20_454)
private let lastDay = 61

/// One generated step: what to post (0…8), an amount, a day offset, and a number used to pick among choices.
private typealias Step = (kind: Int, amount: Int64, day: Int, pick: Int)

private let stepGen = zip(Gen.int(in: 0...8), Gen.int64(in: 1...100_000), Gen.int(in: 0...60), Gen.int(in: 0...1_000))
private let historyGen = stepGen.array(of: 0...40)

private let componentsGen = zip(
    Gen.int64(in: -1_000_000...1_000_000), Gen.int64(in: -1_000_000...1_000_000), Gen.int64(in: -1_000_000...1_000_000)
).map { ComponentAmounts(principal: $0.0, interest: $0.1, fees: $0.2) }

/// Random postings applied to a ledger, remembering which were accepted, for invariants to check.
private struct Replay {
    var ledger: Ledger
    var accepted: [LedgerPosting] = []
    var refused = 0
    var retries = 0
    var nextKey = 0

    init(order: AllocationOrder = .feesInterestPrincipal) {
        ledger = Ledger(currency: .usd, allocationOrder: order)
    }

    /// The posting a step stands for: a new one, or (kind 7) an exact retry of one already accepted.
    mutating func posting(for step: Step) -> (posting: LedgerPosting, isRetry: Bool) {
        let date = baseDate.adding(days: step.day)
        if step.kind == 7, !accepted.isEmpty { return (accepted[step.pick % accepted.count], true) }
        nextKey += 1
        let key = "k\(nextKey)"
        switch step.kind {
        case 0: return (.charge(amount: step.amount, on: date, key: key), false)
        case 1: return (.interest(amount: step.amount, on: date, key: key), false)
        case 2: return (.fee(amount: step.amount, on: date, key: key), false)
        case 3: return (.payment(amount: step.amount, on: date, key: key), false)
        case 4:
            let payments = ledger.entries.filter { $0.kind == .payment }.map(\.idempotencyKey)
            let target = payments.isEmpty ? "no-such-payment" : payments[step.pick % payments.count]
            return (.reversal(paymentKey: target, on: date, key: key), false)
        case 5:
            let component = BalanceComponent.allCases[step.pick % 3]
            return (.adjustment(component: component, amount: step.amount - 50_000, on: date, key: key), false)
        case 8: return (.refund(amount: step.amount % 3_000 + 1, on: date, key: key), false)
        default: return (.writeOff(on: date, key: key), false)
        }
    }

    /// Applies one step and checks what must hold for that single posting.
    mutating func apply(_ step: Step) {
        let (posting, isRetry) = posting(for: step)
        let before = ledger
        do {
            let outcome = try ledger.post(posting)
            switch outcome {
            case .posted(let entry):
                #expect(!isRetry, "a retry of \(posting) was posted again")
                #expect(ledger.entries == before.entries + [entry])
                accepted.append(posting)
                checkNewEntry(entry, posting: posting, ledgerBefore: before)
            case .alreadyPosted(let entry):
                #expect(isRetry, "a new posting \(posting) was reported as already posted")
                #expect(ledger == before)
                #expect(before.entries.contains(entry))
                retries += 1
            }
        } catch {
            #expect(!isRetry, "retrying \(posting) threw \(error)")
            #expect(ledger == before, "a refused posting changed the ledger")
            refused += 1
        }
    }

    /// Checks the entry a new posting made against an independent reading of the posting.
    func checkNewEntry(_ entry: LedgerEntry, posting: LedgerPosting, ledgerBefore: Ledger) {
        switch posting {
        case .charge(let amount, let date, let key):
            #expect(
                entry
                    == LedgerEntry(
                        kind: .charge, effectiveDate: date, amount: amount, effect: .init(principal: amount),
                        idempotencyKey: key))
        case .interest(let amount, let date, let key):
            #expect(
                entry
                    == LedgerEntry(
                        kind: .interest, effectiveDate: date, amount: amount, effect: .init(interest: amount),
                        idempotencyKey: key))
        case .fee(let amount, let date, let key):
            #expect(
                entry
                    == LedgerEntry(
                        kind: .fee, effectiveDate: date, amount: amount, effect: .init(fees: amount),
                        idempotencyKey: key))
        case .payment(let amount, let date, _):
            #expect(entry.effectiveDate == date && entry.amount == amount)
            #expect(entry.effect.total == -amount)
            #expect(entry.effect.principal <= 0 && entry.effect.interest <= 0 && entry.effect.fees <= 0)
        case .reversal(let paymentKey, let date, _):
            let payment = ledgerBefore.entries.first { $0.idempotencyKey == paymentKey }
            #expect(payment?.kind == .payment)
            #expect(entry.effect == -(payment?.effect ?? .zero))
            #expect(entry.amount == payment?.amount && entry.reversedKey == paymentKey && entry.effectiveDate == date)
            #expect(date >= payment?.effectiveDate ?? date)
        case .adjustment(let component, let amount, _, _):
            var effect = ComponentAmounts.zero
            effect[component] = amount
            #expect(entry.effect == effect && entry.amount == amount)
        case .refund(let amount, let date, let key):
            #expect(
                entry
                    == LedgerEntry(
                        kind: .refund, effectiveDate: date, amount: amount, effect: .init(principal: amount),
                        idempotencyKey: key))
            #expect(
                -ledgerBefore.balance(asOf: date).total >= amount && -ledgerBefore.balance.total >= amount,
                "a refund never exceeds the credit")
        case .writeOff(let date, _):
            let open = ledgerBefore.balance(asOf: date)
            #expect(entry.amount > 0 && entry.amount == -entry.effect.total)
            let after = ledger.balance(asOf: date)
            for component in BalanceComponent.allCases {
                #expect(after[component] == min(0, open[component]), "\(component) after write-off")
            }
        }
    }
}

@Suite("Ledger properties")
struct LedgerPropertyTests {

    @Test("allocation never creates or loses a minor unit, for any balance and any order")
    func allocationConservesMoney() async {
        await propertyCheck(
            count: 500, input: componentsGen, Gen.int64(in: 1...5_000_000), Gen.shuffled(BalanceComponent.allCases)
        ) { balance, payment, components in
            let order = try AllocationOrder(components)
            let effect = Ledger.allocate(payment: payment, against: balance, order: order)
            #expect(effect.total == -payment)
            for component in BalanceComponent.allCases {
                #expect(effect[component] <= 0, "a payment never increases \(component)")
                if component != .principal {
                    #expect(-effect[component] <= max(0, balance[component]), "\(component) is never overpaid")
                }
            }
            // Components are paid strictly in order: a component only gets money once the earlier ones are cleared.
            for (position, component) in order.components.enumerated() where effect[component] != 0 {
                for earlier in order.components[..<position] {
                    // (Principal can take more than its balance: an overpayment's leftover lands there.)
                    #expect(
                        -effect[earlier] >= max(0, balance[earlier]), "\(earlier) must be cleared before \(component)")
                }
            }
            let owed = BalanceComponent.allCases.reduce(Int64(0)) { $0 + max(0, balance[$1]) }
            let paidDown = BalanceComponent.allCases.reduce(Int64(0)) { $0 + min(-effect[$1], max(0, balance[$1])) }
            #expect(paidDown == min(payment, owed), "the payment pays as much of what is owed as it can")
        }
    }

    @Test("balance(asOf:) equals the sum of the effects of entries effective on or before the date, for every date")
    func balanceAsOfIsSumOfEffects() async {
        // What the generated histories exercised, to check below that they cover every kind of entry.
        var kindsPosted = Set<LedgerEntryKind>()
        var retries = 0
        var refusals = 0
        await propertyCheck(count: 200, input: historyGen) { steps in
            var replay = Replay()
            for step in steps { replay.apply(step) }
            let ledger = replay.ledger
            kindsPosted.formUnion(ledger.entries.map(\.kind))
            retries += replay.retries
            refusals += replay.refused
            #expect(ledger.entries.count == replay.accepted.count)
            for offset in -1...(lastDay + 1) {
                let date = baseDate.adding(days: offset)
                var expected = ComponentAmounts.zero
                for entry in ledger.entries where entry.effectiveDate <= date {
                    expected.principal += entry.effect.principal
                    expected.interest += entry.effect.interest
                    expected.fees += entry.effect.fees
                }
                #expect(ledger.balance(asOf: date) == expected, "as of \(date)")
            }
            #expect(ledger.balance(asOf: baseDate.adding(days: -1)) == .zero)
            #expect(ledger.balance == ledger.balance(asOf: baseDate.adding(days: lastDay)))

            // The total also follows from the entries' face amounts alone, without looking at allocations.
            var total: Int64 = 0
            for entry in ledger.entries {
                switch entry.kind {
                case .charge, .interest, .fee, .paymentReversal, .adjustment, .refund: total += entry.amount
                case .payment, .writeOff: total -= entry.amount
                }
            }
            #expect(ledger.balance.total == total)
        }
        // Over 200 random histories every kind of entry is posted, and retries and refusals both happen.
        #expect(kindsPosted == Set(LedgerEntryKind.allCases))
        #expect(retries > 0)
        #expect(refusals > 0)
    }

    @Test("reversing a payment restores the exact balance components from before it, after any history")
    func reversalRestoresBalance() async {
        await propertyCheck(
            count: 200, input: historyGen, Gen.int64(in: 1...500_000), Gen.int(in: 0...60),
            Gen.shuffled(BalanceComponent.allCases)
        ) { steps, amount, day, components in
            var replay = Replay(order: try AllocationOrder(components))
            for step in steps { replay.apply(step) }
            var ledger = replay.ledger
            let before = ledger.balance
            let beforeByDate = (0...(lastDay + 1)).map { ledger.balance(asOf: baseDate.adding(days: $0)) }
            let paymentDate = baseDate.adding(days: day)
            let payment = try ledger.post(.payment(amount: amount, on: paymentDate, key: "the-payment")).entry
            #expect(ledger.balance != before)
            let reversalDate = baseDate.adding(days: lastDay)
            let reversal = try ledger.post(.reversal(paymentKey: "the-payment", on: reversalDate, key: "the-reversal"))
                .entry
            #expect(reversal.effect == -payment.effect)
            #expect(ledger.balance == before)
            #expect(ledger.balance(asOf: reversalDate) == beforeByDate[lastDay])
            #expect(ledger.balance(asOf: reversalDate.adding(days: 1)) == beforeByDate[lastDay + 1])
            // The day before the reversal (on or after the payment's day 0…60) the payment still counts in full.
            #expect(ledger.balance(asOf: reversalDate.adding(days: -1)) == beforeByDate[lastDay - 1] + payment.effect)
        }
    }

    @Test("a reversal after later postings restores the pre-payment components plus only those later postings")
    func reversalWithLaterPostings() async {
        await propertyCheck(
            count: 200, input: historyGen, Gen.int64(in: 1...500_000), Gen.int(in: 0...60), historyGen
        ) { history, amount, day, later in
            var replay = Replay()
            for step in history { replay.apply(step) }
            let before = replay.ledger.balance
            try replay.ledger.post(.payment(amount: amount, on: baseDate.adding(days: day), key: "the-payment"))
            let entriesBefore = replay.ledger.entries.count
            // Later steps never reverse "the-payment" themselves: reversals only pick among generated payments.
            for step in later where step.0 != 4 { replay.apply(step) }
            let laterEffects = replay.ledger.entries[entriesBefore...].reduce(ComponentAmounts.zero) { $0 + $1.effect }
            try replay.ledger.post(
                .reversal(paymentKey: "the-payment", on: baseDate.adding(days: lastDay), key: "the-reversal"))
            #expect(replay.ledger.balance == before + laterEffects)
        }
    }
}
