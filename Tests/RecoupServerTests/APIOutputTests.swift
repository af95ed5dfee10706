import Foundation
import RecoupAPI
import RecoupCore
import Testing

@testable import RecoupServer
@testable import RecoupStore

@Suite("The API's answers made from the store's values (APIOutput.swift)")
struct APIOutputTests {
    @Test("every name Core writes has a case in the document, so the mappings never fall back")
    func enumerationsMatchTheDocument() {
        typealias Schemas = Components.Schemas
        for state in ArrangementState.allCases {
            #expect(Schemas.Arrangement.StatePayload(rawValue: state.rawValue) != nil, "\(state)")
        }
        for kind in [PlanOption.Kind.installments, .settlement, .extension] {
            #expect(Schemas.Arrangement.KindPayload(rawValue: kind.rawValue) != nil, "\(kind)")
        }
        for standing in InstallmentStanding.allCases {
            #expect(
                Schemas.Arrangement.InstallmentsPayloadPayload.StandingPayload(rawValue: standing.rawValue) != nil,
                "\(standing)")
        }
        for method in AcceptanceMethod.Kind.allCases {
            #expect(Schemas.Acceptance.MethodPayload(rawValue: method.rawValue) != nil, "\(method)")
        }
        for channel in PromiseToPay.Channel.allCases {
            #expect(Schemas.Promise.ViaPayload(rawValue: channel.rawValue) != nil, "\(channel)")
        }
        for outcome in [PromiseOutcome.pending(paid: 0), .kept(paid: 1), .partiallyKept(paid: 1), .broken] {
            #expect(Schemas.Promise.OutcomePayload(rawValue: outcome.name) != nil, "\(outcome)")
        }
        for kind in [LedgerEntryKind.payment, .paymentReversal, .refund] {
            #expect(Schemas.PaymentPosted.KindPayload(rawValue: kind.rawValue) != nil, "\(kind)")
        }
        for direction in ContactDirection.allCases {
            #expect(Schemas.ContactEvent.DirectionPayload(rawValue: direction.rawValue) != nil, "\(direction)")
        }
        for outcome in CallOutcome.allCases {
            #expect(Schemas.ContactEvent.OutcomePayload(rawValue: outcome.rawValue) != nil, "\(outcome)")
        }
        for channel in ContactChannel.allCases {
            #expect(Schemas.ContactEvent.ChannelPayload(rawValue: channel.rawValue) != nil, "\(channel)")
        }
        for place in ContactPlace.allCases {
            #expect(Schemas.ContactEvent.PlacePayload(rawValue: place.rawValue) != nil, "\(place)")
        }
        for entry in Self.everyKindOfEvent {
            let name = ContactEventCodec.typeName(entry.event.kind)
            #expect(Schemas.ContactEvent._TypePayload(entry.event.kind).rawValue == name, "\(name)")
        }
    }

    /// One entry of every kind, with every member its type can have (and some without the optional ones).
    static let everyKindOfEvent: [ContactLogEntry] = {
        let at = Date(timeIntervalSince1970: 1_775_059_200)
        let nine = LocalTime(hour: 9, minute: 0)
        let noon = LocalTime(hour: 12, minute: 30)
        let kinds: [ContactEvent.Kind] = [
            .call(direction: .outbound, to: "+16175550100", outcome: .voicemail, messageLeft: true),
            .call(direction: .inbound, to: nil, outcome: .conversation, messageLeft: false),
            .sms(direction: .outbound, to: "+16175550100"), .email(direction: .inbound, to: "pat@example.com"),
            .letter, .consent(until: at.addingTimeInterval(86_400)), .consent(until: nil), .consentRevoked, .cease,
            .dispute, .verificationSent, .attorney, .attorneyWithdrawn, .bankruptcy, .bankruptcyDismissed,
            .optOut(channel: .sms, address: "+16175550100"),
            .optOut(channel: .email, address: nil),
            .inconvenient(
                weekdays: [7, 1, 3], from: nine, to: noon, until: try? LocalDate(year: 2026, month: 5, day: 1)),
            .inconvenient(weekdays: [], from: nil, to: nil, until: nil), .inconvenientPlace(.work),
        ]
        return kinds.enumerated().map { index, kind in
            ContactLogEntry(
                ContactEvent(kind, at: at, debtIDs: index % 3 == 0 ? ["D1", "D2"] : index % 3 == 1 ? nil : []),
                purpose: index % 2 == 0 ? .collection : nil, note: index % 4 == 0 ? "said \"later\"" : nil)
        }
    }()

    @Test("a logged event answers as the stored row's JSON read as the document's type did before")
    func contactEventsAsTheStoredJSONReadThem() throws {
        for entry in Self.everyKindOfEvent {
            let stored = ContactEventCodec.json(entry)
            let read = try JSONDecoder().decode(Components.Schemas.ContactEvent.self, from: Data(stored.utf8))
            #expect(Components.Schemas.ContactEvent(entry) == read, "\(stored)")
        }
    }

    @Test("a fee is not a payment: PaymentPosted refuses it, the command prints it with its kind")
    func feeIsNotAPayment() throws {
        let fee = PaymentResult(
            posted: true, currency: .usd,
            entry: LedgerEntry(
                kind: .fee, effectiveDate: try LocalDate(year: 2026, month: 11, day: 29), amount: 2_500,
                effect: ComponentAmounts(principal: 0, interest: 0, fees: 2_500), idempotencyKey: "fee:final-notice"),
            balance: ComponentAmounts(principal: 8_000, interest: 103, fees: 2_500))
        #expect(throws: APIOutputError.self) {
            try Components.Schemas.PaymentPosted(fee, client: "acme", debt: "INV-2")
        }
        let printed = try JSONValue.parse(
            Data(try CommandOutput.text(ChargedFeeOutput(fee, client: "acme", debt: "INV-2")).utf8))
        let expected = try JSONValue.parse(
            Data(
                #"""
                {"status":"posted","client":"acme","debt":"INV-2","key":"fee:final-notice","kind":"fee",
                 "amount":"25.00","effectiveOn":"2026-11-29","currency":"USD",
                 "allocation":{"fees":"25.00","interest":"0.00","principal":"0.00"},
                 "balance":{"principal":"80.00","interest":"1.03","fees":"25.00","total":"106.03"}}
                """#.utf8))
        #expect(printed == expected)
    }
}
