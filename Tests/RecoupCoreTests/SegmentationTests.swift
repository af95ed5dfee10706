import Foundation
import PropertyBased
import RecoupCore
import Testing

@Suite("Segmentation")
struct SegmentationTests {
    static let usd = try! Currency(code: "USD")
    static let utc = TimeZone(identifier: "UTC")!
    static func day(_ text: String) -> LocalDate { try! LocalDate(iso: text) }
    static func at(_ text: String) -> Date { ISO8601Instant.parse(text)! }

    static func facts(_ build: (inout SegmentFacts) -> Void) -> SegmentFacts {
        var facts = SegmentFacts(currency: usd)
        facts.balance = 50_000
        build(&facts)
        return facts
    }

    static func decide(_ facts: SegmentFacts) -> SegmentDecision { Segmentation.decide(facts, zone: utc) }

    @Test("nothing known yet is new, and says so")
    func new() {
        let decision = Self.decide(Self.facts { _ in })
        #expect(
            decision == SegmentDecision(segment: .new, reasons: ["no contact yet; no promise, plan or payment yet"]))
        let reached = Self.decide(
            Self.facts {
                $0.contacts = [.init(at: Self.at("2026-11-02T15:00:00Z"), inbound: false, reached: true)]
            })
        #expect(reached.segment == .new)
        #expect(reached.reasons == ["reached on 2026-11-02; no promise, plan or payment yet"])
    }

    @Test("an open dispute wins over everything; a verification sent closes it; the client's flag also counts")
    func disputed() {
        var facts = Self.facts {
            $0.hardshipStatedOn = Self.day("2026-10-01")
            $0.openDisputeSince = Self.at("2026-11-03T23:30:00Z")
        }
        #expect(Self.decide(facts).segment == .disputed)
        #expect(
            Self.decide(facts).reasons == ["disputed on 2026-11-03; no verification sent since, so collection waits"])
        #expect(
            Segmentation.decide(facts, zone: TimeZone(identifier: "Asia/Tokyo")!).reasons[0].hasPrefix(
                "disputed on 2026-11-04"))
        facts.openDisputeSince = nil
        #expect(Self.decide(facts).segment == .hardship)
        facts.markedDisputed = true
        #expect(
            Self.decide(facts)
                == SegmentDecision(
                    segment: .disputed,
                    reasons: [
                        "the client's file marks this debt disputed; no verification sent since, so collection waits"
                    ]
                ))
        // Verification sent after the file's mark answers it: the debt is segmented by what the debtor did, and says so.
        facts.fileDisputeVerifiedAt = Self.at("2026-11-05T10:00:00Z")
        #expect(
            Self.decide(facts)
                == SegmentDecision(
                    segment: .hardship,
                    reasons: [
                        "said they are in hardship on 2026-10-01",
                        "the client's file marked this debt disputed; verification was sent on 2026-11-05",
                    ]))
    }

    @Test("a debt with nothing owed reads its ledger: paid in full, never \"no payment yet\"")
    func paidInFull() {
        let paid = Self.facts {
            $0.balance = 0
            $0.payments = [
                .init(on: Self.day("2026-10-01"), amount: 20_000, reversed: false),
                .init(on: Self.day("2026-11-23"), amount: 53_208, reversed: false),
            ]
        }
        #expect(
            Self.decide(paid)
                == SegmentDecision(
                    segment: .new,
                    reasons: [
                        "paid in full: $732.08 in 2 payments, the last on 2026-11-23; nothing is owed",
                        "no contact yet; no promise or plan",
                    ]))
        // A part payment weighs as before; a reversed payment is not a payment.
        var part = paid
        part.balance = 10_000
        #expect(Self.decide(part).reasons == ["paid 2 times, $732.08 in all, but not in full"])
        var returned = paid
        returned.payments = [.init(on: Self.day("2026-11-23"), amount: 73_208, reversed: true)]
        #expect(Self.decide(returned).reasons.allSatisfy { !$0.hasPrefix("paid in full") })
        // Signs either way keep their order; the paid-in-full fact comes after them.
        var promised = paid
        promised.promises = [(Self.day("2026-10-01"), .kept(paid: 20_000))]
        #expect(
            Self.decide(promised).reasons == [
                "kept 1 of 1 promises to pay",
                "paid in full: $732.08 in 2 payments, the last on 2026-11-23; nothing is owed",
            ])
    }

    @Test("hardship: said so, partial payments, kept promises and an active plan, strongest reason first")
    func hardship() {
        let decision = Self.decide(
            Self.facts {
                $0.hardshipStatedOn = Self.day("2026-09-15")
                $0.arrangements = [(.active, Self.day("2026-09-20"))]
                $0.promises = [(Self.day("2026-10-01"), .kept(paid: 5_000)), (Self.day("2026-10-15"), .broken)]
                $0.payments = [.init(on: Self.day("2026-10-01"), amount: 5_000, reversed: false)]
            })
        #expect(decision.segment == .hardship)
        #expect(
            decision.reasons == [
                "said they are in hardship on 2026-09-15",
                "keeping to an arrangement accepted by 2026-09-20",
                "kept 1 of 2 promises to pay",
                "paid 1 time, $50.00 in all, but not in full",
                "but broke 1 of 2 promises to pay (the last due 2026-10-15)",
            ])
    }

    @Test("avoider: broken promises and plans, returned payments, and dodging after being reached")
    func avoider() {
        let decision = Self.decide(
            Self.facts {
                $0.promises = [(Self.day("2026-10-01"), .broken), (Self.day("2026-10-20"), .broken)]
                $0.arrangements = [(.broken, Self.day("2026-11-05"))]
                $0.payments = [.init(on: Self.day("2026-09-01"), amount: 10_000, reversed: true)]
                $0.contacts = [
                    .init(at: Self.at("2026-09-30T15:00:00Z"), inbound: false, reached: true),
                    .init(at: Self.at("2026-10-05T15:00:00Z"), inbound: false, reached: false),
                    .init(at: Self.at("2026-10-12T15:00:00Z"), inbound: false, reached: false),
                    .init(at: Self.at("2026-10-19T15:00:00Z"), inbound: false, reached: false),
                ]
            })
        #expect(decision.segment == .avoider)
        #expect(
            decision.reasons == [
                "broke an arrangement on 2026-11-05",
                "broke 2 of 2 promises to pay (the last due 2026-10-20)",
                "1 payment was returned or charged back",
                "reached on 2026-09-30, then 3 attempts unanswered and nothing paid since",
            ])
    }

    @Test("a payment after being reached is not dodging; two unanswered attempts are not enough")
    func dodgingNeedsThree() {
        var facts = Self.facts {
            $0.contacts = [
                .init(at: Self.at("2026-09-30T15:00:00Z"), inbound: false, reached: true),
                .init(at: Self.at("2026-10-05T15:00:00Z"), inbound: false, reached: false),
                .init(at: Self.at("2026-10-12T15:00:00Z"), inbound: false, reached: false),
            ]
        }
        #expect(Self.decide(facts).segment == .new)
        facts.contacts.append(.init(at: Self.at("2026-10-19T15:00:00Z"), inbound: false, reached: false))
        #expect(Self.decide(facts).segment == .avoider)
        facts.payments = [.init(on: Self.day("2026-09-30"), amount: 1_000, reversed: false)]
        #expect(Self.decide(facts).segment == .hardship)
    }

    @Test("a tie goes to hardship: the benefit of the doubt")
    func tie() {
        let decision = Self.decide(
            Self.facts {
                $0.promises = [(Self.day("2026-10-01"), .partiallyKept(paid: 100)), (Self.day("2026-10-20"), .broken)]
            })
        #expect(decision.segment == .hardship)
        #expect(
            decision.reasons == [
                "kept 1 of 2 promises to pay", "but broke 1 of 2 promises to pay (the last due 2026-10-20)",
            ])
    }

    @Test("unreachable after three failed attempts with nobody reached; wrong numbers are counted")
    func unreachable() {
        var facts = Self.facts {
            $0.contacts = [
                .init(at: Self.at("2026-10-01T15:00:00Z"), inbound: false, reached: false),
                .init(at: Self.at("2026-10-08T15:00:00Z"), inbound: false, reached: false, wrongNumber: true),
            ]
        }
        #expect(Self.decide(facts).segment == .new)
        #expect(Self.decide(facts).reasons == ["2 attempts so far; no promise, plan or payment yet"])
        facts.contacts.append(.init(at: Self.at("2026-10-15T15:00:00Z"), inbound: false, reached: false))
        #expect(
            Self.decide(facts)
                == SegmentDecision(
                    segment: .unreachable,
                    reasons: ["3 attempts since 2026-10-01 reached no one (1 to a wrong or dead number)"]))
        facts.contacts.append(.init(at: Self.at("2026-10-20T15:00:00Z"), inbound: true, reached: true))
        #expect(Self.decide(facts).segment == .hardship)
        #expect(Self.decide(facts).reasons == ["got in touch themselves 1 time"])
    }

    @Test(
        "a paid-off debt's payments are not a sign of hardship; pending promises and cancelled plans count for nothing")
    func neutral() {
        let facts = Self.facts {
            $0.balance = 0
            $0.payments = [.init(on: Self.day("2026-10-01"), amount: 50_000, reversed: false)]
            $0.promises = [(Self.day("2026-12-01"), .pending(paid: 0))]
            $0.arrangements = [(.cancelled, Self.day("2026-10-01"))]
        }
        #expect(Self.decide(facts).segment == .new)
    }

    @Test("every decision gives at least one reason, is the same for the same facts, and an open dispute always wins")
    func properties() async {
        await propertyCheck(input: Gen.int(in: 0...4).array(of: 7)) { counts in
            var facts = SegmentFacts(currency: Self.usd)
            facts.balance = Int64(counts[0]) * 1_000
            facts.promises =
                (0..<counts[1]).map { (Self.day("2026-10-01").adding(days: $0), .broken) }
                + (0..<counts[2]).map { (Self.day("2026-10-01").adding(days: $0), .kept(paid: 100)) }
            facts.payments = (0..<counts[3]).map {
                .init(on: Self.day("2026-09-01"), amount: 100, reversed: $0 % 2 == 0)
            }
            facts.contacts = (0..<counts[4]).map {
                .init(
                    at: Self.at("2026-10-01T15:00:00Z").addingTimeInterval(Double($0) * 86_400), inbound: false,
                    reached: $0 == counts[5])
            }
            if counts[6] == 4 { facts.hardshipStatedOn = Self.day("2026-09-01") }
            let decision = Self.decide(facts)
            #expect(!decision.reasons.isEmpty)
            #expect(decision == Self.decide(facts))
            if counts[6] == 4 { #expect(decision.segment == .hardship || decision.segment == .avoider) }
            facts.openDisputeSince = Self.at("2026-11-01T00:00:00Z")
            #expect(Self.decide(facts).segment == .disputed)
        }
    }
}

@Suite("Segmentation: businesses and proposals")
struct SegmentationSignalTests {
    typealias S = SegmentationTests
    static let reached = SegmentFacts.Contact(at: S.at("2026-11-02T15:00:00Z"), inbound: false, reached: true)
    static let partPayment = SegmentFacts.Payment(on: S.day("2026-11-10"), amount: 20_000, reversed: false)

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var kind: DebtorKind
        var payments: [SegmentFacts.Payment] = []
        var arrangements: [ArrangementState] = []
        var inbound = false
        var stated = false
        var segment: Segment
        var reasons: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "a business that paid $200 of $980.50 is not in hardship: it is managing its cash",
            kind: .commercial, payments: [partPayment], segment: .new,
            reasons: [
                "paid 1 time, $200.00 in all, not in full (a business paying part is not by itself a sign of hardship)",
                "reached on 2026-11-02; no promise or plan yet",
            ]),
        Case(
            name: "a consumer who paid part is in hardship", kind: .consumer, payments: [partPayment],
            segment: .hardship, reasons: ["paid 1 time, $200.00 in all, but not in full"]),
        Case(
            name: "a business calling in is not a sign either", kind: .commercial, inbound: true, segment: .new,
            reasons: ["got in touch themselves 1 time", "reached on 2026-11-03; no promise, plan or payment yet"]),
        Case(
            name: "a business that says it is in hardship is", kind: .commercial, payments: [partPayment],
            stated: true, segment: .hardship,
            reasons: [
                "said they are in hardship on 2026-11-01",
                "paid 1 time, $200.00 in all, not in full (a business paying part is not by itself a sign of hardship)",
            ]),
        Case(
            name: "a business keeping to an accepted plan is", kind: .commercial, payments: [partPayment],
            arrangements: [.active], segment: .hardship,
            reasons: [
                "keeping to an arrangement accepted by 2026-11-05",
                "paid 1 time, $200.00 in all, not in full (a business paying part is not by itself a sign of hardship)",
            ]),
        Case(
            name: "a consumer with a plan proposed only is not in hardship", kind: .consumer,
            arrangements: [.proposed], segment: .new,
            reasons: [
                "a plan was proposed on 2026-11-05, not yet accepted",
                "reached on 2026-11-02; no promise, accepted plan or payment yet",
            ]),
        Case(
            name: "a consumer with an accepted plan is in hardship", kind: .consumer, arrangements: [.active],
            segment: .hardship, reasons: ["keeping to an arrangement accepted by 2026-11-05"]),
        Case(
            name: "a proposal does not outweigh a broken plan", kind: .consumer, arrangements: [.broken, .proposed],
            segment: .avoider,
            reasons: ["broke an arrangement on 2026-11-05", "a plan was proposed on 2026-11-05, not yet accepted"]),
    ]

    @Test("which signals count for a business and for a plan not yet accepted", arguments: cases)
    func signals(_ test: Case) {
        let facts = S.facts {
            $0.debtorKind = test.kind
            $0.balance = 78_050
            $0.contacts = [Self.reached]
            if test.inbound {
                $0.contacts.append(.init(at: S.at("2026-11-03T15:00:00Z"), inbound: true, reached: true))
            }
            $0.payments = test.payments
            $0.arrangements = test.arrangements.map { ($0, S.day("2026-11-05")) }
            if test.stated { $0.hardshipStatedOn = S.day("2026-11-01") }
        }
        #expect(S.decide(facts) == SegmentDecision(segment: test.segment, reasons: test.reasons))
    }
}
