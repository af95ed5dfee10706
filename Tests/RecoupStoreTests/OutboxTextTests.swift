import FluentKit
import Foundation
import RecoupCore
import RecoupMail
import RecoupTestSupport
import SQLKit
import Testing

@testable import RecoupStore

/// Texts through the HTTP provider (a local process playing it), and what comes back: STOP, HELP, a reply, a failed
/// receipt.
@Suite("Delivering texts and what comes back")
struct OutboxTextTests {
    typealias Base = OutboxDeliveryTests

    static func transport(_ provider: SMSTestProvider) -> SMSTransport {
        SMSTransport(
            configuration: SMSConfiguration(
                url: "http://127.0.0.1:\(provider.port)/messages", token: provider.token, from: "+16175550199"))
    }

    @Test(
        "each text goes once as JSON with our message id; 503 defers it, 400 fails it", arguments: TestStore.available)
    func delivered(store: TestStore) async throws {
        let provider = try SMSTestProvider(failFirst: 1, reject: ["+13125550100"])
        defer { provider.stop() }
        try await withStore(store) { database in
            let seeded = try await Base.seed(database)
            let pat = try await Base.queue(
                seeded, .sms, debtor: "P1", recipient: "+16175550100", debts: ["D1", "D2"],
                body: "Alpha Dental: you owe $1,330.00. Reply STOP to stop texts.")
            let sms = Self.transport(provider)
            // The first attempt meets the provider's 503.
            let first = try await OutboxDelivery.send(transports: [sms], now: Base.now, by: "test", on: database.db)
            #expect(first.deferred == 1)
            #expect(try await Base.status(pat, database).error?.contains("503") == true)
            let lee = try await Base.queue(
                seeded, .sms, debtor: "P2", recipient: "+13125550100", debts: ["E1"], body: "Alpha Dental: $300.00.")
            let second = try await OutboxDelivery.send(
                transports: [sms], now: Base.now.addingTimeInterval(120), by: "test", on: database.db)
            #expect(second.sent == 1)
            #expect(second.failed == 1)
            let sent = try await Base.status(pat, database)
            #expect(sent.status == "sent")
            #expect(sent.ref == "SM1")
            let failed = try await Base.status(lee, database)
            #expect(failed.status == "failed")
            #expect(failed.error == #"the SMS provider answered 400: {"error": "invalid destination number"}"#)
            let received = try provider.received()
            #expect(received.count == 1)
            #expect(received.first?["to"] == "+16175550100")
            #expect(received.first?["from"] == "+16175550199")
            #expect(received.first?["messageId"] == String(pat))
            #expect(received.first?["body"] == "Alpha Dental: you owe $1,330.00. Reply STOP to stop texts.")
            #expect(received.first?["idempotencyKey"] == sent.key)
            // Sending again sends nothing.
            let third = try await OutboxDelivery.send(
                transports: [sms], now: Base.now.addingTimeInterval(7_200), by: "test", on: database.db)
            #expect(third.sent == 0)
            #expect(try provider.received().count == 1)
        }
    }

    @Test(
        "STOP opts the number out (the next text is cancelled), HELP answers, a reply is on the timeline, a failed receipt bounces",
        arguments: TestStore.available)
    func inbound(store: TestStore) async throws {
        let provider = try SMSTestProvider()
        defer { provider.stop() }
        try await withStore(store) { database in
            let seeded = try await Base.seed(database)
            let later = Base.now.addingTimeInterval(600)
            #expect(
                try await InboundMessages.text(from: "+16175550100", body: " stop ", now: Base.now, on: database.db)
                    == .optedOut(debtors: 1))
            let optOuts = try await ContactStore.events(debtorID: seeded.ids["P1"]!, on: database.db).filter {
                if case .optOut(.sms, "+16175550100") = $0.entry.event.kind { true } else { false }
            }
            #expect(optOuts.count == 1)
            let next = try await Base.queue(
                seeded, .sms, debtor: "P1", recipient: "+16175550100", debts: ["D1"], body: "Alpha Dental: $1,250.00.",
                sendAfter: later)
            let cancelled = try await OutboxDelivery.send(
                transports: [Self.transport(provider)], now: later, by: "test", on: database.db)
            #expect(cancelled.cancelled == 1)
            #expect(try await Base.status(next, database).status == "cancelled")
            #expect(try provider.received().isEmpty)

            guard
                case .help(let reply) = try await InboundMessages.text(
                    from: "(312) 555-0100", body: "HELP", now: Base.now, on: database.db)
            else {
                Issue.record("HELP was not answered")
                return
            }
            #expect(reply.contains("Reply STOP"))
            #expect(
                try await InboundMessages.text(
                    from: "+13125550100", body: "Can I pay on Friday?", now: Base.now, on: database.db)
                    == .recorded(debtors: 1))
            let inbound = try await ContactStore.events(debtorID: seeded.ids["P2"]!, on: database.db).filter {
                if case .sms(.inbound, _) = $0.entry.event.kind { true } else { false }
            }
            #expect(inbound.map(\.entry.note) == ["Can I pay on Friday?"])
            await #expect(throws: StoreError.self) {
                _ = try await InboundMessages.text(from: "not a number", body: "STOP", now: Base.now, on: database.db)
            }

            // Lee's text is sent, then its receipt says undelivered: bounced, and the number is not used again.
            let lee = try await Base.queue(
                seeded, .sms, debtor: "P2", recipient: "+13125550100", debts: ["E1"], body: "Alpha Dental: $300.00.")
            _ = try await OutboxDelivery.send(
                transports: [Self.transport(provider)], now: Base.now, by: "test", on: database.db)
            #expect(
                try await InboundMessages.receipt(
                    messageID: lee, channel: .sms, delivered: false, reason: "unknown subscriber", now: later,
                    on: database.db))
            #expect(try await Base.status(lee, database).status == "bounced")
            let profile = try await ContactStore.profile(debtorID: seeded.ids["P2"]!, sql: database.sql)
            #expect(profile.phones.isEmpty)
            #expect(
                try await InboundMessages.receipt(
                    messageID: 999_999, channel: .sms, delivered: false, reason: nil, now: later, on: database.db)
                    == false)
        }
    }
}
