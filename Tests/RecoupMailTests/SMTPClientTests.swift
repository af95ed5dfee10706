import Foundation
import RecoupCore
import RecoupTestSupport
import Testing

@testable import RecoupMail

/// The SMTP client against a real SMTP server started here (aiosmtpd), one per test.
@Suite("The SMTP client against a real server", .serialized)
struct SMTPClientTests {
    static func message(_ number: Int, to: String = "pat@example.com", text: String? = nil) -> MailMessage {
        MailMessage(
            from: EmailAddress("collections@example.com")!, fromName: "Alpha Dental", to: EmailAddress(to)!,
            toName: "Pat Doe", subject: "About your account \(number)", messageID: "<outbox-\(number).t@recoup>",
            date: Date(timeIntervalSince1970: 1_796_526_000),
            text: text ?? "Dear Pat,\n\nYou owe $1,330.00 to Alpha Dental.\n")
    }

    static func client(
        _ server: SMTPTestServer, _ options: String = "?starttls=never", user: String = ""
    )
        throws -> SMTPClient
    {
        SMTPClient(
            configuration: try SMTPConfiguration(
                url: "smtp://\(user)localhost:\(server.port)\(options)", from: "collections@example.com"))
    }

    @Test(
        "a batch goes over one connection, each message accepted with the server's queue id", arguments: [true, false])
    func batch(pipelining: Bool) async throws {
        var options = SMTPTestServer.Options()
        options.pipelining = pipelining
        guard let server = try SMTPTestServer.start(options) else { return }
        defer { server.stop() }
        let text = "Dear Pat,\n.A line that starts with a dot\n..and two\n\nYou owe $1,330.00 — gracias.\n"
        let outcomes = await try Self.client(server).send([
            Self.message(1, text: text), Self.message(2, to: "lee@example.com"), Self.message(3),
        ])
        #expect(
            outcomes == [
                .sent(reference: "2.0.0 Ok: queued as T1"), .sent(reference: "2.0.0 Ok: queued as T2"),
                .sent(reference: "2.0.0 Ok: queued as T3"),
            ])
        let received = try server.received()
        #expect(received.map(\.to) == [["pat@example.com"], ["lee@example.com"], ["pat@example.com"]])
        #expect(received.allSatisfy { $0.from == "collections@example.com" })
        #expect(received[0].raw.contains("Message-ID: <outbox-1.t@recoup>"))
        // Dot-stuffing undone by the server: the text arrives as written.
        #expect(decodeQuotedPrintable(received[0].raw).contains(text.replacingOccurrences(of: "\n", with: "\r\n")))
    }

    @Test(
        "STARTTLS with a throw-away certificate, then AUTH; the wrong password or an untrusted certificate sends nothing"
    )
    func startTLSAndAuth() async throws {
        var options = SMTPTestServer.Options()
        options.startTLS = true
        options.requireStartTLS = true
        options.auth = "recoup:s3cret"
        guard let server = try SMTPTestServer.start(options) else { return }
        defer { server.stop() }
        let ca = try #require(server.certificateFile)
        let good = try Self.client(server, "?starttls=required&ca=\(ca)", user: "recoup:s3cret@")
        #expect(
            await good.send([Self.message(1), Self.message(2)]).allSatisfy {
                if case .sent = $0 { true } else { false }
            })

        let wrong = await try Self.client(server, "?starttls=required&ca=\(ca)", user: "recoup:nope@").send([
            Self.message(3)
        ])
        guard case .temporaryFailure(let reason) = wrong.first else {
            Issue.record("a refused sign-in is \(wrong)")
            return
        }
        #expect(reason.contains("535"))

        // Without the CA the certificate is not trusted, and nothing goes in clear.
        let untrusted = await try Self.client(server, "?starttls=required", user: "recoup:s3cret@").send([
            Self.message(4)
        ])
        guard case .temporaryFailure(let tlsReason) = untrusted.first else {
            Issue.record("an untrusted certificate is \(untrusted)")
            return
        }
        #expect(!tlsReason.isEmpty)
        #expect(try server.received().count == 2)
    }

    @Test("starttls=required against a server without STARTTLS: every message waits, with the reason")
    func startTLSRequired() async throws {
        guard let server = try SMTPTestServer.start() else { return }
        defer { server.stop() }
        let outcomes = await try Self.client(server, "?starttls=required").send([Self.message(1), Self.message(2)])
        #expect(
            outcomes
                == Array(
                    repeating: .temporaryFailure(
                        "the mail server localhost does not offer STARTTLS, which RECOUP_SMTP_URL requires"), count: 2))
        #expect(try server.received().isEmpty)
    }

    @Test("a 4xx answer is a temporary failure for that message alone; the next goes through")
    func temporaryFailure() async throws {
        var options = SMTPTestServer.Options()
        options.temporaryFailures = 1
        guard let server = try SMTPTestServer.start(options) else { return }
        defer { server.stop() }
        let client = try Self.client(server)
        let outcomes = await client.send([Self.message(1), Self.message(2)])
        #expect(
            outcomes == [
                .temporaryFailure("the mail server answered the message with 451 4.3.0 Try again later"),
                .sent(reference: "2.0.0 Ok: queued as T1"),
            ])
        // Tried again, the first goes too.
        #expect(await client.send([Self.message(1)]) == [.sent(reference: "2.0.0 Ok: queued as T2")])
    }

    @Test("a 5xx refusal of a recipient fails that message for good; the batch goes on after RSET")
    func permanentFailure() async throws {
        var options = SMTPTestServer.Options()
        options.reject = ["gone@example.com"]
        guard let server = try SMTPTestServer.start(options) else { return }
        defer { server.stop() }
        let outcomes = await try Self.client(server).send([
            Self.message(1), Self.message(2, to: "gone@example.com"), Self.message(3),
        ])
        #expect(outcomes[0] == .sent(reference: "2.0.0 Ok: queued as T1"))
        #expect(
            outcomes[1]
                == .permanentFailure(
                    "the mail server answered RCPT TO with 550 5.1.1 <gone@example.com>: Recipient address rejected: "
                        + "User unknown"))
        #expect(outcomes[2] == .sent(reference: "2.0.0 Ok: queued as T2"))
        #expect(try server.received().map(\.to) == [["pat@example.com"], ["pat@example.com"]])
    }

    @Test("no server listening: every message waits with the reason")
    func noServer() async throws {
        let config = try SMTPConfiguration(url: "smtp://127.0.0.1:9?starttls=never", from: "c@example.com")
        let outcomes = await SMTPClient(configuration: config).send([Self.message(1)])
        guard case .temporaryFailure(let reason) = outcomes.first else {
            Issue.record("no server is \(outcomes)")
            return
        }
        #expect(reason.hasPrefix("could not connect to the mail server 127.0.0.1:9"))
    }
}
