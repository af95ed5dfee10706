import Foundation
import RecoupCore
import RecoupMail
import RecoupTestSupport
import Testing

@testable import RecoupStore

/// A Spanish message is Spanish to the end: a letter's date and page numbers, an email's opt-out line.
@Suite("Messages in the debtor's language")
struct LetterLanguageTests {
    static func message(_ channel: MessageChannel, language: MessageLanguage) -> OutgoingMessage {
        var message = OutgoingMessage(
            id: 7, messageKey: "<outbox-7.test@recoup>", channel: channel, recipient: "ana@example.com",
            recipientName: "Ana García", recipientLines: ["Ana García", "12 Elm Street", "Boston, MA 02118"],
            subject: "Aviso", body: "Estimada Ana García:\n\nUsted debe $300.00 a Harbor Dental.",
            clientRef: "harbor", writerName: "Harbor Dental", senderLines: ["Harbor Dental", "1 Harbor Way"],
            debtRefs: ["D3"], optOutToken: "7-abc")
        message.language = language
        return message
    }

    @Test("a Spanish letter is dated and numbered in Spanish; an English one in English")
    func letter() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("letters-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let now = ISO8601Instant.parse("2026-12-05T15:00:00Z")!
        let outcomes = LetterTransport(directory: folder).write(
            [Self.message(.letter, language: .es)], at: now)
        guard case .sent(let reference)? = outcomes.first else {
            Issue.record("not written: \(outcomes)")
            return
        }
        if let text = try PDFTools.text(of: folder.appendingPathComponent(reference ?? "")) {
            #expect(text.contains("5 de diciembre de 2026"), "\(text)")
            #expect(text.contains("Página 1 de 1"), "\(text)")
            #expect(!text.contains("December"))
        } else {
            #expect(!PDFTools.required, "pdftotext (poppler-utils) is not installed")
        }
        let english = LetterTransport(directory: folder).write([Self.message(.letter, language: .en)], at: now)
        guard case .sent(let englishFile)? = english.first else {
            Issue.record("not written: \(english)")
            return
        }
        if let text = try PDFTools.text(of: folder.appendingPathComponent(englishFile ?? "")) {
            #expect(text.contains("5 December 2026") && text.contains("Page 1 of 1"), "\(text)")
        }
    }

    @Test("a Spanish email's opt-out line is Spanish")
    func emailOptOut() throws {
        let from = try #require(EmailAddress("collections@harbor.example"))
        let to = try #require(EmailAddress("ana@example.com"))
        let now = ISO8601Instant.parse("2026-12-05T15:00:00Z")!
        let spanish = EmailTransport.mail(
            Self.message(.email, language: .es), to: to, from: from, publicURL: "https://recoup.example", at: now)
        #expect(
            spanish.text.contains("Para no recibir más correos sobre esta cuenta: https://recoup.example/opt-out/7-abc")
        )
        let english = EmailTransport.mail(
            Self.message(.email, language: .en), to: to, from: from, publicURL: "https://recoup.example", at: now)
        #expect(english.text.contains("To get no more emails about this account: https://recoup.example/opt-out/7-abc"))
    }
}
