import Foundation
import RecoupTestSupport
import Testing

@testable import RecoupMail

@Suite("Email messages on the wire")
struct MailMessageTests {
    static let from = EmailAddress("collections@example.com")!
    static let to = EmailAddress("pat@example.com")!
    static let date = Date(timeIntervalSince1970: 1_796_526_000)  // 2026-12-06T03:00:00Z

    @Test("quoted-printable keeps every character, escapes =, non-ASCII and spaces before a break, lines ≤ 76")
    func quotedPrintable() {
        let text =
            "Usted debe $1.330,00 — señor Núñez. a=b \nTrailing space \n"
            + String(repeating: "x", count: 200) + "\n.dot line\n"
        let encoded = MIMEText.quotedPrintable(text)
        #expect(encoded.split(separator: "\r\n", omittingEmptySubsequences: false).allSatisfy { $0.count <= 76 })
        #expect(encoded.utf8.allSatisfy { $0 < 128 })
        #expect(encoded.contains("a=3Db"))
        #expect(encoded.contains("Trailing space=20\r\n"))
        #expect(decodeQuotedPrintable(encoded) == text.replacingOccurrences(of: "\n", with: "\r\n"))
    }

    @Test("headers: an ASCII subject as it is, a Spanish one in UTF-8 encoded words of whole characters")
    func headers() throws {
        #expect(MIMEText.encodedWords("About your account", offset: 9) == "About your account")
        let spanish = "Sobre su cuenta con Clínica Dental Núñez — aviso de pago pendiente"
        let encoded = MIMEText.encodedWords(spanish, offset: 9)
        let words = encoded.components(separatedBy: "\r\n ")
        #expect(words.count > 1)
        var bytes = Data()
        for word in words {
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            #expect(word.count <= 76)
            let chunk = try #require(Data(base64Encoded: String(word.dropFirst(10).dropLast(2))))
            // Each word holds whole characters.
            #expect(String(data: chunk, encoding: .utf8) != nil)
            bytes += chunk
        }
        #expect(String(decoding: bytes, as: UTF8.self) == spanish)
        #expect(MIMEText.mailbox("Alpha \"Dental\"", Self.to) == "\"Alpha \\\"Dental\\\"\" <pat@example.com>")
        #expect(MIMEText.mailbox("José", Self.to).hasPrefix("=?UTF-8?B?"))
        #expect(MIMEText.date(Self.date) == "Sun, 06 Dec 2026 03:00:00 +0000")
    }

    @Test("text and HTML as alternatives with the extra headers; an attachment wraps them in multipart/mixed")
    func structure() throws {
        var message = MailMessage(
            from: Self.from, fromName: "Alpha Dental", to: Self.to, toName: "Pat Doe", subject: "About your account",
            messageID: "<outbox-7.abc@recoup>", date: Self.date,
            text: "Dear Pat,\n\nYou owe $1,330.00. Pay at https://pay.example.com/x.\n",
            html: MailMessage.html(fromText: "Dear Pat & co,\n\nPay at https://pay.example.com/x.", title: "Hi"),
            headers: [MailMessage.Header("List-Unsubscribe", "<https://r.example.com/opt-out/7-x>")])
        let raw = String(decoding: message.rendered(), as: UTF8.self)
        #expect(raw.contains("From: \"Alpha Dental\" <collections@example.com>\r\n"))
        #expect(raw.contains("To: \"Pat Doe\" <pat@example.com>\r\n"))
        #expect(raw.contains("Message-ID: <outbox-7.abc@recoup>\r\n"))
        #expect(raw.contains("List-Unsubscribe: <https://r.example.com/opt-out/7-x>\r\n"))
        #expect(raw.contains("Content-Type: multipart/alternative; boundary=\"=_recoup_alt_outbox7abcrecoup\""))
        #expect(raw.contains("Content-Type: text/plain; charset=utf-8"))
        #expect(raw.contains("Content-Type: text/html; charset=utf-8"))
        #expect(raw.contains("--=_recoup_alt_outbox7abcrecoup--\r\n"))
        let html = decodeQuotedPrintable(raw)
        #expect(html.contains("<p>Dear Pat &amp; co,</p>"))
        #expect(html.contains("<a href=\"https://pay.example.com/x\">https://pay.example.com/x</a>."))
        // Every line is CRLF-ended and 7-bit.
        #expect(!raw.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(raw.utf8.allSatisfy { $0 < 128 })

        message.attachments = [
            MailMessage.Attachment(
                filename: "statement.pdf", contentType: "application/pdf", data: Array(repeating: 0x25, count: 100))
        ]
        let mixed = String(decoding: message.rendered(), as: UTF8.self)
        #expect(mixed.contains("Content-Type: multipart/mixed; boundary=\"=_recoup_mixed_outbox7abcrecoup\""))
        #expect(mixed.contains("Content-Disposition: attachment; filename=\"statement.pdf\""))
        #expect(mixed.contains(Data(repeating: 0x25, count: 57).base64EncodedString()))
    }
}
