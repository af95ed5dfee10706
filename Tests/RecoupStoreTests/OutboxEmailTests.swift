import FluentKit
import Foundation
import RecoupCore
import RecoupMail
import RecoupTestSupport
import SQLKit
import Testing

@testable import RecoupStore

/// The outbox delivering email through the SMTP client to a real SMTP server started here (aiosmtpd).
@Suite("Delivering email from the outbox")
struct OutboxEmailTests {
    typealias Base = OutboxDeliveryTests
    static let publicURL = "https://recoup.example.com"

    static func email(_ server: SMTPTestServer) throws -> EmailTransport {
        EmailTransport(
            client: SMTPClient(
                configuration: try SMTPConfiguration(
                    url: "smtp://localhost:\(server.port)?starttls=never", from: "collections@alpha.example")),
            publicURL: publicURL)
    }

    static func header(_ name: String, in raw: String) -> String? {
        raw.components(separatedBy: "\r\n").first { $0.hasPrefix(name + ": ") }.map {
            String($0.dropFirst(name.count + 2))
        }
    }

    @Test(
        "each email goes once to its debtor's address with its Message-ID and opt-out headers; the opt-out link stops the next",
        arguments: TestStore.available)
    func delivered(store: TestStore) async throws {
        guard let server = try SMTPTestServer.start() else { return }
        defer { server.stop() }
        try await withStore(store) { database in
            // Set up: Pat's email about D1 and D2, Lee's about E1.
            let seeded = try await Base.seed(database)
            let pat = try await Base.queue(
                seeded, .email, debtor: "P1", recipient: "pat@example.com", debts: ["D1", "D2"])
            let lee = try await Base.queue(
                seeded, .email, debtor: "P2", recipient: "lee@example.com", debts: ["E1"],
                body: "Dear Lee Chen,\nYou owe $300.00 to Alpha Dental.")
            let transport = try Self.email(server)

            // Act: send, then send again.
            let first = try await OutboxDelivery.send(
                transports: [transport], now: Base.now, by: "test", on: database.db)
            let second = try await OutboxDelivery.send(
                transports: [transport], now: Base.now.addingTimeInterval(3_600), by: "test", on: database.db)

            // Verify: two emails, once each, as the outbox recorded them.
            #expect(first.sent == 2)
            #expect(second.sent == 0)
            let received = try server.received()
            #expect(received.map(\.to) == [["pat@example.com"], ["lee@example.com"]])
            let raw = received[0].raw
            let key = try await database.sql.raw("SELECT message_key FROM outbox_messages WHERE id = \(bind: pat)")
                .first()?.decode(column: "message_key", as: String.self)
            #expect(Self.header("Message-ID", in: raw) == key)
            #expect(Self.header("From", in: raw) == "\"Alpha Dental\" <collections@alpha.example>")
            #expect(Self.header("To", in: raw) == "\"Pat Doe\" <pat@example.com>")
            #expect(Self.header("Subject", in: raw) == "About your account")
            #expect(Self.header("List-Unsubscribe-Post", in: raw) == "List-Unsubscribe=One-Click")
            let unsubscribe = try #require(Self.header("List-Unsubscribe", in: raw))
            let token = try #require(
                unsubscribe.split(separator: ",").first?.trimmingCharacters(in: CharacterSet(charactersIn: " <>"))
                    .components(separatedBy: "/opt-out/").last)
            #expect(
                unsubscribe
                    == "<\(Self.publicURL)/opt-out/\(token)>, <mailto:collections@alpha.example?subject=opt-out%20\(token)>"
            )
            #expect(token.hasPrefix("\(pat)-"))
            let text = decodeQuotedPrintable(raw)
            #expect(text.contains("You owe $1,330.00 to Alpha Dental."))
            #expect(text.contains("\(Self.publicURL)/opt-out/\(token)"))
            let status = try await Base.status(pat, database)
            #expect(status.status == "sent")
            #expect(status.ref == "2.0.0 Ok: queued as T1")
            #expect(try await Base.status(lee, database).status == "sent")

            // The opt-out: a token for another message is refused; the real one records an opt-out once.
            let forged = "\(lee)-" + token.split(separator: "-", maxSplits: 1)[1]
            #expect(try await OptOutLinks.optOut(token: forged, via: "test", now: Base.now, on: database.db) == nil)
            let optedOut = try await OptOutLinks.optOut(
                token: token, via: "one-click unsubscribe", now: Base.now.addingTimeInterval(3_600), on: database.db)
            #expect(
                optedOut
                    == OptOutLinks.Result(channel: .email, maskedAddress: "p***@example.com", wasAlreadyOptedOut: false)
            )
            let again = try await OptOutLinks.optOut(
                token: token, via: "one-click unsubscribe", now: Base.now.addingTimeInterval(3_700), on: database.db)
            #expect(again?.wasAlreadyOptedOut == true)

            // The next email to Pat is cancelled by the compliance engine, not sent.
            let next = try await Base.queue(
                seeded, .email, debtor: "P1", recipient: "pat@example.com", debts: ["D1"],
                sendAfter: Base.now.addingTimeInterval(7_000))
            let third = try await OutboxDelivery.send(
                transports: [transport], now: Base.now.addingTimeInterval(7_200), by: "test", on: database.db)
            #expect(third.cancelled == 1)
            #expect(try await Base.status(next, database).status == "cancelled")
            #expect(try server.received().count == 2)
        }
    }

    @Test(
        "a 4xx answer defers the email to the backoff's next attempt, which sends it; a 5xx fails it with the answer",
        arguments: TestStore.available)
    func failures(store: TestStore) async throws {
        var options = SMTPTestServer.Options()
        options.temporaryFailures = 1
        options.reject = ["lee@example.com"]
        guard let server = try SMTPTestServer.start(options) else { return }
        defer { server.stop() }
        try await withStore(store) { database in
            let seeded = try await Base.seed(database)
            let pat = try await Base.queue(
                seeded, .email, debtor: "P1", recipient: "pat@example.com", debts: ["D1", "D2"])
            let lee = try await Base.queue(seeded, .email, debtor: "P2", recipient: "lee@example.com", debts: ["E1"])
            let transport = try Self.email(server)

            let first = try await OutboxDelivery.send(
                transports: [transport], now: Base.now, by: "test", on: database.db)
            #expect(first.deferred == 1)
            #expect(first.failed == 1)
            let deferred = try await Base.status(pat, database)
            #expect(deferred.status == "deferred")
            #expect(deferred.sendAfter == Base.now.addingTimeInterval(60))
            let failed = try await Base.status(lee, database)
            #expect(failed.status == "failed")
            #expect(failed.error?.contains("550 5.1.1") == true)

            let retried = try await OutboxDelivery.send(
                transports: [transport], now: Base.now.addingTimeInterval(120), by: "test", on: database.db)
            #expect(retried.sent == 1)
            #expect(try await Base.status(pat, database).status == "sent")
            #expect(try server.received().map(\.to) == [["pat@example.com"]])
        }
    }
}

/// What comes back by email: a bounce, STOP, the mailto: opt-out, a reply.
@Suite("Emails that come back")
struct InboundEmailStoreTests {
    typealias Base = OutboxDeliveryTests

    @Test(
        "a bounce marks the email bounced and the address undeliverable; STOP and the mailto: opt-out opt out; a reply is on the timeline",
        arguments: TestStore.available)
    func inbound(store: TestStore) async throws {
        guard let server = try SMTPTestServer.start() else { return }
        defer { server.stop() }
        try await withStore(store) { database in
            let seeded = try await Base.seed(database)
            let pat = try await Base.queue(
                seeded, .email, debtor: "P1", recipient: "pat@example.com", debts: ["D1", "D2"])
            let lee = try await Base.queue(seeded, .email, debtor: "P2", recipient: "lee@example.com", debts: ["E1"])
            _ = try await OutboxDelivery.send(
                transports: [try OutboxEmailTests.email(server)], now: Base.now, by: "test", on: database.db)
            let received = try server.received()
            let patKey = try #require(OutboxEmailTests.header("Message-ID", in: received[0].raw))
            let later = Base.now.addingTimeInterval(3_600)

            // Pat's email bounces.
            let bounce = try InboundEmail(
                parsing: Array(SampleEmails.bounce(messageID: patKey, recipient: "pat@example.com").utf8))
            #expect(
                try await InboundMessages.email(bounce, now: later, on: database.db)
                    == .bounced(messages: 1, addresses: 1))
            let bounced = try await Base.status(pat, database)
            #expect(bounced.status == "bounced")
            #expect(bounced.error?.contains("User unknown") == true)
            #expect(try await ContactStore.profile(debtorID: seeded.ids["P1"]!, sql: database.sql).emails.isEmpty)

            // Lee replies: first a question, then STOP.
            let leeKey = try #require(OutboxEmailTests.header("Message-ID", in: received[1].raw))
            let question = try InboundEmail(
                parsing: Array(
                    SampleEmails.reply(
                        from: "lee@example.com", messageID: leeKey, subject: "Re: About your account",
                        text: "Can I pay $100 a month?"
                    ).utf8))
            #expect(try await InboundMessages.email(question, now: later, on: database.db) == .recorded(debtors: 1))
            let notes = try await ContactStore.events(debtorID: seeded.ids["P2"]!, on: database.db).compactMap {
                stored -> String? in
                if case .email(.inbound, _) = stored.entry.event.kind { return stored.entry.note }
                return nil
            }
            #expect(notes == ["Subject: Re: About your account\n\nCan I pay $100 a month?"])
            let stop = try InboundEmail(
                parsing: Array(
                    SampleEmails.reply(
                        from: "lee@example.com", messageID: nil, subject: "Re: About your account",
                        text: "STOP\n\nsent from my phone"
                    ).utf8))
            #expect(try await InboundMessages.email(stop, now: later, on: database.db) == .optedOut(debtors: 1))
            let next = try await Base.queue(
                seeded, .email, debtor: "P2", recipient: "lee@example.com", debts: ["E1"], sendAfter: later)
            let after = try await OutboxDelivery.send(
                transports: [try OutboxEmailTests.email(server)], now: later.addingTimeInterval(60), by: "test",
                on: database.db)
            #expect(after.cancelled == 1)
            #expect(try await Base.status(next, database).status == "cancelled")
            #expect(try await Base.status(lee, database).status == "sent")

            // The mailto: opt-out names its token in the subject.
            let key = try await OptOutLinks.key(sql: database.sql)
            let mailto = try InboundEmail(
                parsing: Array(
                    SampleEmails.reply(
                        from: "pat@example.com", messageID: nil,
                        subject: "opt-out \(OptOutLinks.token(messageID: pat, key: key))", text: ""
                    ).utf8))
            #expect(try await InboundMessages.email(mailto, now: later, on: database.db) == .optedOut(debtors: 1))
        }
    }
}
