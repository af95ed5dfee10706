import Foundation
import RecoupCore
import Testing

@Suite("Demo stories")
struct DemoStoriesTests {
    @Test("the same seed tells the same stories; every step is before today and on an open consumer debt past due")
    func stories() throws {
        let today = try LocalDate(iso: "2026-11-29")
        let portfolio = DemoPortfolio.generate(accounts: 400, seed: 2026, today: today)
        let stories = portfolio.stories(seed: 2026, today: today)
        #expect(stories == portfolio.stories(seed: 2026, today: today))
        #expect(stories.count >= 20)
        let debts = Dictionary(
            uniqueKeysWithValues: portfolio.clients.flatMap { client in
                client.debts.map { (client.ref + "/" + $0.ref, $0) }
            })
        var kinds = Set<Int>()
        for story in stories {
            let debt = try #require(debts[story.clientRef + "/" + story.debtRef])
            #expect(debt.debtor.kind == .consumer && !debt.isDisputed && debt.debtor.ref == story.debtorRef)
            let open = debt.charged.total - debt.payments.reduce(0) { $0 + $1.amount }
            for step in story.steps {
                switch step {
                case .call(let at, _, _):
                    #expect(LocalDate(at, in: TimeZone(identifier: "UTC")!) < today)
                    #expect(LocalDate(at, in: TimeZone(identifier: "UTC")!) > debt.dueDate)
                case .promise(let amount, let due, let madeOn):
                    #expect(amount <= open && madeOn <= due && due < today)
                case .payment(let amount, let on, _, let bounced):
                    #expect(amount <= open && on < today && (bounced.map { $0 > on && $0 < today } ?? true))
                case .hardship(let from):
                    #expect(from < today)
                }
            }
            kinds.insert(story.steps.count)
        }
        #expect(kinds == [4, 8, 3])  // hardship, avoider and unreachable stories all appear
    }
}
