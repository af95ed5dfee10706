import Foundation

/// What some demo debtors have done since their debts fell due, so that the demo shows every segment
/// (docs/segments.md): calls answered and not, promises kept and broken, a stated hardship, a bounced payment.
public struct DemoStory: Sendable, Equatable {
    /// One thing that happened, in order.
    public enum Step: Sendable, Equatable {
        /// A call we made (or, inbound, one they made) and how it ended: a `CallOutcome` raw value.
        case call(at: Date, inbound: Bool, outcome: String)
        /// A promise to pay made on a call.
        case promise(amount: Int64, due: LocalDate, madeOn: LocalDate)
        /// A payment received; `bounced` when it comes back a few days later.
        case payment(amount: Int64, on: LocalDate, key: String, bouncedOn: LocalDate?)
        /// The debtor says they are in hardship: interest and fees stop from this day.
        case hardship(from: LocalDate)
    }

    public var clientRef: String
    public var debtRef: String
    public var debtorRef: String
    public var steps: [Step]
}

extension DemoPortfolio {
    /// Stories for about one open consumer debt in four past due more than three weeks, the same for the same seed:
    /// roughly equal numbers of hardship, avoidance and unreachable stories. Every date is before `today`.
    public func stories(seed: UInt64, today: LocalDate) -> [DemoStory] {
        var random = SeededGenerator(seed: seed ^ 0x5E6_0E47)
        var stories: [DemoStory] = []
        var told = Set<String>()
        for client in clients {
            for debt in client.debts where debt.debtor.kind == .consumer && !debt.isDisputed {
                let balance = debt.charged.total - debt.payments.reduce(0) { $0 + $1.amount }
                let overdue = today.days(since: debt.dueDate)
                guard balance > 1_000, overdue > 21, told.insert(client.ref + "/" + debt.debtor.ref).inserted else {
                    continue
                }
                let roll = Int.random(in: 0..<12, using: &random)
                guard roll < 3 else { continue }
                // Days after the due date, spread over the time since, at 10:00–16:00 New York time.
                let start = debt.dueDate.adding(days: Int.random(in: 3...min(14, overdue - 18), using: &random))
                func call(_ day: LocalDate, inbound: Bool = false, _ outcome: String) -> DemoStory.Step {
                    let hour = Int.random(in: 15...20, using: &random)
                    return .call(
                        at: Date(timeIntervalSince1970: TimeInterval(day.daysSinceEpoch * 86_400 + hour * 3_600)),
                        inbound: inbound, outcome: outcome)
                }
                var steps: [DemoStory.Step] = []
                let part = max(1_000, balance / 4 / 100 * 100)
                switch roll {
                case 0:  // hardship: calls in, explains, pays a little and keeps a promise
                    steps = [
                        call(start, inbound: true, "conversation"), .hardship(from: start),
                        .promise(amount: part, due: start.adding(days: 7), madeOn: start),
                        .payment(amount: part, on: start.adding(days: 6), key: "demo-\(debt.ref)-1", bouncedOn: nil),
                    ]
                case 1:  // avoider: promises twice, a payment bounces, then stops answering
                    steps = [
                        call(start, "conversation"), .promise(amount: part, due: start.adding(days: 5), madeOn: start),
                        .payment(
                            amount: part, on: start.adding(days: 5), key: "demo-\(debt.ref)-1",
                            bouncedOn: start.adding(days: 8)),
                        call(start.adding(days: 9), "conversation"),
                        .promise(amount: part, due: start.adding(days: 14), madeOn: start.adding(days: 9)),
                        call(start.adding(days: 15), "no_answer"), call(start.adding(days: 16), "voicemail"),
                        call(start.adding(days: 18), "no_answer"),
                    ]
                default:  // unreachable: nobody answers, one number is dead
                    steps = [
                        call(start, "no_answer"), call(start.adding(days: 4), "not_in_service"),
                        call(start.adding(days: 9), "no_answer"),
                    ]
                }
                stories.append(
                    DemoStory(clientRef: client.ref, debtRef: debt.ref, debtorRef: debt.debtor.ref, steps: steps))
            }
        }
        return stories
    }
}
