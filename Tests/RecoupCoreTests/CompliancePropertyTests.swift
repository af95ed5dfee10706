import Foundation
import PropertyBased
import Testing

@testable import RecoupCore

/// One generated history step: day (0–9 from 2026-03-01, across the spring DST change), minute of the day, what
/// happened (an index into `kinds`), which debt (0 = D1, 1 = D2, 2 = every debt), and which number.
private let eventGen = zip(
    Gen.int(in: 0...9), Gen.int(in: 0..<1440), Gen.int(in: 0..<22), Gen.int(in: 0...2), Gen.int(in: 0...2))
private let historyGen = eventGen.array(of: 0...50)
/// The proposal: minute on day 9, action index, purpose index, Massachusetts or not, commercial or not.
private let proposalGen = zip(Gen.int(in: 0..<1440), Gen.int(in: 0..<5), Gen.int(in: 0..<5), Gen.bool, Gen.bool)

private let numbers = ["+16175550100", "+16175550199", "+16175550177"]
private let base = try! LocalDate(iso: "2026-03-01")
private let newYork = TimeZone(identifier: "America/New_York")!

/// The instant of local minute `minute` on day `day` after the base date, New York time.
private func instant(day: Int, minute: Int) -> Date {
    let wall = base.adding(days: day).daysSinceEpoch * 86_400 + minute * 60
    var utc = wall - newYork.secondsFromGMT(for: Date(timeIntervalSince1970: Double(wall)))
    utc = wall - newYork.secondsFromGMT(for: Date(timeIntervalSince1970: Double(utc)))
    return Date(timeIntervalSince1970: Double(utc))
}

private func kind(_ index: Int, number: String) -> ContactEvent.Kind {
    let outcomes = CallOutcome.allCases
    switch index {
    case 0..<7: return .call(direction: .outbound, to: number, outcome: outcomes[index], messageLeft: false)
    case 7: return .call(direction: .outbound, to: number, outcome: .voicemail, messageLeft: true)
    case 8: return .call(direction: .inbound, to: nil, outcome: .conversation, messageLeft: false)
    case 9: return .sms(direction: .outbound, to: number)
    case 10: return .email(direction: .outbound, to: "pat@example.com")
    case 11: return .consent(until: nil)
    case 12: return .consentRevoked
    case 13:
        return .inconvenient(
            weekdays: [3], from: LocalTime(parsing: "18:00"), to: LocalTime(parsing: "20:00"), until: nil)
    case 14: return .sms(direction: .inbound, to: nil)
    case 15: return .call(direction: .outbound, to: number, outcome: .noAnswer, messageLeft: false)
    case 16: return .call(direction: .outbound, to: number, outcome: .conversation, messageLeft: false)
    case 17: return .email(direction: .inbound, to: nil)
    case 18: return .optOut(channel: .email, address: "pat@example.com")
    case 19: return .dispute
    case 20: return .verificationSent
    default: return .letter
    }
}

private func history(_ steps: [(Int, Int, Int, Int, Int)]) -> [ContactEvent] {
    steps.map { day, minute, kindIndex, debt, number in
        ContactEvent(
            kind(kindIndex, number: numbers[number]), at: instant(day: day, minute: minute),
            debtIDs: debt == 2 ? nil : debt == 0 ? ["D1"] : ["D2", "D1"])
    }
}

private func request(_ proposal: (Int, Int, Int, Bool, Bool), _ events: [ContactEvent]) -> ComplianceRequest {
    let (minute, actionIndex, purposeIndex, massachusetts, commercial) = proposal
    let action = ContactAction.allCases[actionIndex]
    let debtor = DebtorContactProfile(
        kind: commercial ? .commercial : .consumer, timeZones: ["America/New_York"],
        phones: [try! Phone(number: numbers[0], type: .mobile), try! Phone(number: numbers[1], type: .work)],
        emails: ["pat@example.com"],
        addresses: [PostalAddress(type: .home, state: massachusetts ? "MA" : "NY", postalCode: nil, country: "US")])
    return ComplianceRequest(
        at: instant(day: 9, minute: minute), action: action, debtID: "D1",
        to: action == .email ? "pat@example.com" : action == .letter ? nil : numbers[0],
        purpose: ContactPurpose.allCases[purposeIndex], debtor: debtor, events: events)
}

@Suite("Compliance engine properties")
struct CompliancePropertyTests {
    @Test("adding a counted call (before the moment checked) never makes a decision less restrictive")
    func countedCallNeverLoosens() async {
        var blocked = 0
        await propertyCheck(count: 400, input: historyGen, proposalGen, eventGen) { steps, proposal, extra in
            let events = history(steps)
            let before = ComplianceEngine.decide(request(proposal, events))
            let (day, minute, _, debt, number) = extra
            let call = history([(day, minute, 15, debt, number)])[0]
            let proposed = request(proposal, events)
            guard call.at <= proposed.at else { return }
            let after = ComplianceEngine.decide(request(proposal, events + [call]))
            #expect(after.verdict >= before.verdict, "\(before.findings) then \(after.findings)")
            if before.verdict == .block { blocked += 1 }
        }
        #expect(blocked > 20, "the generated histories should often block")
    }

    @Test("nextAllowedAt is allowed when checked, and the second before it is not")
    func nextAllowedIsAllowedAndEarliest() async {
        var searched = 0
        await propertyCheck(count: 400, input: historyGen, proposalGen) { steps, proposal in
            // Only events up to the moment checked: moving the moment later must not reveal new ones.
            let atFirst = request(proposal, []).at
            let proposed = request(proposal, history(steps).filter { $0.at <= atFirst })
            let decision = ComplianceEngine.decide(proposed)
            guard let next = decision.nextAllowedAt else {
                #expect(decision.verdict != .allow)
                return
            }
            var later = proposed
            later.at = next
            #expect(ComplianceEngine.decide(later).verdict == .allow, "at \(ISO8601Instant.format(next))")
            if next > proposed.at {
                searched += 1
                var earlier = proposed
                earlier.at = next.addingTimeInterval(-1)
                #expect(ComplianceEngine.decide(earlier).verdict != .allow, "at \(ISO8601Instant.format(next)) - 1 s")
            } else {
                #expect(decision.verdict == .allow)
            }
        }
        #expect(searched > 20)
    }

    @Test("the order of the history does not matter")
    func orderIndependent() async {
        await propertyCheck(count: 200, input: historyGen, proposalGen) { steps, proposal in
            let events = history(steps)
            #expect(
                ComplianceEngine.decide(request(proposal, events))
                    == ComplianceEngine.decide(request(proposal, events.reversed())))
        }
    }
}
