import Foundation
import RecoupCore
import RecoupTestSupport
import Testing

@Suite("Reading emails that come back")
struct InboundEmailTests {
    @Test("a delivery status notification: the failed recipient, its reason and our message it returns")
    func bounce() throws {
        let raw = SampleEmails.bounce(messageID: "<outbox-12.abc@recoup>", recipient: "Pat@Example.com")
        let email = try InboundEmail(parsing: Array(raw.utf8))
        #expect(email.isDeliveryReport)
        #expect(email.failedRecipients == ["pat@example.com"])
        #expect(
            email.failureReason == "5.1.1 smtp; 550 5.1.1 <Pat@Example.com>: Recipient address rejected: User unknown")
        #expect(email.outboxIDs == [12])
        #expect(email.from == "mailer-daemon@mail.example.net")
    }

    @Test("a reply: its sender, the message it answers, an encoded subject and quoted-printable text")
    func reply() throws {
        let raw = SampleEmails.reply(
            from: "Lee@Example.com", messageID: "<outbox-7.x@recoup>",
            subject: "=?UTF-8?B?UmU6IHN1IGN1ZW50YSDigJQgwr9wdWVkbyBwYWdhcj8=?=", text: "I can pay $50 = half.\nLee")
        let email = try InboundEmail(parsing: Array(raw.utf8))
        #expect(!email.isDeliveryReport)
        #expect(email.from == "lee@example.com")
        #expect(email.subject == "Re: su cuenta — ¿puedo pagar?")
        #expect(email.outboxIDs == [7])
        #expect(email.text == "I can pay $50 = half.\r\nLee" || email.text == "I can pay $50 = half.\nLee")
    }

    @Test("bytes without a header block are not an email")
    func notAnEmail() {
        #expect(throws: InboundEmailError.self) { _ = try InboundEmail(parsing: Array("just some words".utf8)) }
    }
}
