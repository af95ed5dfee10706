import Foundation

/// Money received toward an arrangement or a promise: a payment (positive) or a reversal of one (negative).
public struct ArrangementPayment: Hashable, Sendable {
    /// The business date the money was received (or taken back).
    public var on: LocalDate
    /// Minor units: more than zero for a payment, less than zero for a reversal.
    public var amount: Int64
    /// The payment's idempotency key; orders payments made on the same day.
    public var key: String

    /// Makes a payment; pass a reversal as a negative amount.
    public init(on: LocalDate, amount: Int64, key: String) {
        self.on = on
        self.amount = amount
        self.key = key
    }
}

/// Where one installment stands on a given date. Stored by its raw value.
public enum InstallmentStanding: String, CaseIterable, Codable, Sendable {
    /// Fully paid on or before its due date.
    case paid
    /// Fully paid after its due date, within its grace days.
    case paidLate = "paid_late"
    /// Some money paid but not all, and its grace days have not run out.
    case partial
    /// Nothing paid yet; the due date has come but the grace days have not run out.
    case due
    /// Nothing paid yet and not due yet.
    case upcoming
    /// Not fully paid at the end of its last grace day, or money taken back from it after that day.
    case missed
}

/// What one installment looks like on a given date.
public struct InstallmentStatus: Hashable, Sendable {
    /// 1 for the first installment.
    public var number: Int
    public var due: LocalDate
    /// Minor units due.
    public var amount: Int64
    /// Minor units matched to the installment, 0…amount.
    public var paid: Int64
    /// The day the installment last became fully paid; nil while it is not.
    public var paidOn: LocalDate?
    public var standing: InstallmentStanding

    /// True when every minor unit of the installment is paid.
    public var isFullyPaid: Bool { paid >= amount }
    /// Minor units still to pay.
    public var remaining: Int64 { amount - paid }
}

/// The first time an installment was found short after its grace days: the fact that breaks an arrangement.
public struct InstallmentBreach: Hashable, Sendable {
    /// 1 for the first installment.
    public var number: Int
    /// The installment's due date.
    public var due: LocalDate
    /// Minor units due.
    public var amount: Int64
    /// The last grace day: the due date plus the grace days.
    public var graceEnds: LocalDate
    /// The day at whose end the installment was short: `graceEnds`, or a later day when a reversal took money back.
    public var shortOn: LocalDate
    /// Minor units matched to the installment at the end of `shortOn`.
    public var paid: Int64
    /// The day the shortfall counts from: the day after `shortOn`.
    public var brokenOn: LocalDate { shortOn.adding(days: 1) }
}

/// Payments matched to a schedule of installments on a given date.
public struct InstallmentMatch: Hashable, Sendable {
    /// One status per installment, in schedule order.
    public var installments: [InstallmentStatus]
    /// Minor units paid beyond the last installment.
    public var excess: Int64
    /// Minor units counted: what was matched to installments plus the excess.
    public var counted: Int64
    /// The first shortfall after an installment's grace days that counts on or before the date; nil when none.
    public var breach: InstallmentBreach?
    /// The first day at whose end every installment was fully paid, on or before the date; nil when never.
    public var completedOn: LocalDate?

    /// True when every installment is fully paid on the date.
    public var isFullyPaid: Bool { installments.allSatisfy(\.isFullyPaid) }
}

/// Matches payments to installments.
///
/// Payments dated on or before `asOf` are taken in date order (then by key) and fill the installments in schedule
/// order: money beyond one installment carries forward to the next ones, so an early payment counts toward the next
/// installments due and an overpayment toward the ones after; money beyond the last installment is the excess. A
/// reversal takes money back from the latest-funded installments first (the excess, then the last funded
/// installment backwards); money is never taken below zero. The effect is that installments are always filled as a
/// prefix of the running total of payments, which is what makes one pass enough.
public enum InstallmentMatcher {
    /// The standing of every installment of `installments` (in due order, amounts above zero) on `asOf`.
    ///
    /// An installment is missed when the running total, at the end of any day from its last grace day
    /// (due + `graceDays`) up to the day before `asOf`, did not cover it: a shortfall at the end of a day counts
    /// from the next day, so a payment made on the last grace day is in time and the installment is missed from the
    /// day after. Runs in O(installments + payments) after sorting the payments.
    public static func match(
        installments: [Installment], graceDays: Int, payments: [ArrangementPayment], asOf: LocalDate
    ) -> InstallmentMatch {
        let count = installments.count
        // targets[i]: the running total that fully pays installments 0...i.
        var targets: [Int64] = []
        targets.reserveCapacity(count)
        var target: Int64 = 0
        for installment in installments {
            target = saturatingSum(target, max(0, installment.amount))
            targets.append(target)
        }
        let total = target

        var counted = payments.filter { $0.on <= asOf }
        let isOrdered = zip(counted, counted.dropFirst()).allSatisfy { ($0.on, $0.key) <= ($1.on, $1.key) }
        if !isOrdered { counted.sort { ($0.on, $0.key) < ($1.on, $1.key) } }

        // The running total after each payment; a reversal never takes it below zero.
        var totals: [Int64] = []
        totals.reserveCapacity(counted.count)
        var running: Int64 = 0
        for payment in counted {
            running = max(0, saturatingSum(running, payment.amount))
            totals.append(running)
        }

        // One pass over the days that matter (payment days and last grace days) up to asOf. For each day before asOf
        // the running total at its end is a checkpoint; each installment remembers its last grace day's checkpoint.
        var checkpoints: [Int64] = []
        var graceCheckpoint = [Int](repeating: -1, count: count)
        var breach: InstallmentBreach?
        var completedOn: LocalDate?
        var paymentIndex = 0
        var deadlineIndex = 0
        var current: Int64 = 0
        func graceEnd(_ index: Int) -> LocalDate { installments[index].due.adding(days: graceDays) }
        while true {
            var next: LocalDate?
            if paymentIndex < counted.count { next = counted[paymentIndex].on }
            if deadlineIndex < count { next = min(next ?? graceEnd(deadlineIndex), graceEnd(deadlineIndex)) }
            guard let day = next, day <= asOf else { break }
            while paymentIndex < counted.count && counted[paymentIndex].on == day {
                current = totals[paymentIndex]
                paymentIndex += 1
            }
            if completedOn == nil && count > 0 && current >= total { completedOn = day }
            guard day < asOf else { break }
            checkpoints.append(current)
            while deadlineIndex < count && graceEnd(deadlineIndex) <= day {
                graceCheckpoint[deadlineIndex] = checkpoints.count - 1
                deadlineIndex += 1
            }
            // Targets increase, so the latest installment past its grace is the hardest to cover.
            if breach == nil, deadlineIndex > 0, current < targets[deadlineIndex - 1] {
                let short = firstIndex(in: targets, above: current)
                let before = short == 0 ? 0 : targets[short - 1]
                breach = InstallmentBreach(
                    number: short + 1, due: installments[short].due, amount: installments[short].amount,
                    graceEnds: graceEnd(short), shortOn: day, paid: current - before)
            }
        }

        // lowestFrom[c]: the lowest running total from checkpoint c on (a shortfall at any of them is a miss).
        var lowestFrom = checkpoints
        if lowestFrom.count > 1 {
            for index in stride(from: lowestFrom.count - 2, through: 0, by: -1) {
                lowestFrom[index] = min(lowestFrom[index], lowestFrom[index + 1])
            }
        }
        // lowestAfter[p]: the lowest running total from payment p on; an installment became fully paid for good at
        // the first payment from which the total never again fell below its target.
        var lowestAfter = totals
        if lowestAfter.count > 1 {
            for index in stride(from: lowestAfter.count - 2, through: 0, by: -1) {
                lowestAfter[index] = min(lowestAfter[index], lowestAfter[index + 1])
            }
        }

        var statuses: [InstallmentStatus] = []
        statuses.reserveCapacity(count)
        var paymentPointer = 0
        for (index, installment) in installments.enumerated() {
            let before = index == 0 ? 0 : targets[index - 1]
            let paid = min(targets[index] - before, max(0, running - before))
            let isFullyPaid = running >= targets[index] && !totals.isEmpty
            var paidOn: LocalDate?
            if isFullyPaid {
                while lowestAfter[paymentPointer] < targets[index] { paymentPointer += 1 }
                paidOn = counted[paymentPointer].on
            }
            let checkpoint = graceCheckpoint[index]
            let standing: InstallmentStanding
            if checkpoint >= 0 && lowestFrom[checkpoint] < targets[index] {
                standing = .missed
            } else if let paidOn {
                standing = paidOn <= installment.due ? .paid : .paidLate
            } else if paid > 0 {
                standing = .partial
            } else {
                standing = installment.due > asOf ? .upcoming : .due
            }
            statuses.append(
                InstallmentStatus(
                    number: index + 1, due: installment.due, amount: installment.amount, paid: paid, paidOn: paidOn,
                    standing: standing))
        }
        return InstallmentMatch(
            installments: statuses, excess: max(0, running - total), counted: running, breach: breach,
            completedOn: completedOn)
    }

    /// The first index whose target is above `amount` (targets increase); `targets.count` when none is.
    private static func firstIndex(in targets: [Int64], above amount: Int64) -> Int {
        var low = 0
        var high = targets.count
        while low < high {
            let middle = (low + high) / 2
            if targets[middle] > amount { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// The sum, held at the Int64 limits instead of overflowing (no real schedule comes near them).
    static func saturatingSum(_ left: Int64, _ right: Int64) -> Int64 {
        let (sum, overflow) = left.addingReportingOverflow(right)
        guard overflow else { return sum }
        return right > 0 ? .max : .min
    }
}
