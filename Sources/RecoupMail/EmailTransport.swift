import Foundation
import RecoupCore
import RecoupStore

/// The outbox's email service (docs/messages.md, "Email"): every message of a batch over one SMTP connection, each
/// as text and HTML, from `RECOUP_MAIL_FROM` in the name of whoever the template says is writing, with its one
/// Message-ID and the opt-out headers of RFC 8058.
public struct EmailTransport: MessageTransport {
    public let channel = MessageChannel.email
    public let client: SMTPClient
    /// Where the one-click opt-out is reached (`RECOUP_PUBLIC_URL`); without it only the mailto: opt-out is offered.
    public let publicURL: String?

    public init(client: SMTPClient, publicURL: String?) {
        self.client = client
        self.publicURL = publicURL
    }

    public func deliver(
        _ messages: [OutgoingMessage], at now: Date, answer: (Int, DeliveryOutcome) async throws -> Void
    ) async throws {
        var sendable: [(index: Int, to: EmailAddress)] = []
        for (index, message) in messages.enumerated() {
            if let to = EmailAddress(message.recipient) {
                sendable.append((index, to))
            } else {
                try await answer(
                    index, .permanentFailure("\"\(OptOutLinks.masked(message.recipient))\" is not an email address"))
            }
        }
        let from = client.configuration.from
        try await client.send(
            count: sendable.count,
            message: { position in
                let (index, to) = sendable[position]
                return Self.mail(messages[index], to: to, from: from, publicURL: publicURL, at: now)
            },
            answer: { position, outcome in try await answer(sendable[position].index, outcome) })
    }

    /// The email of an outbox message.
    public static func mail(
        _ message: OutgoingMessage, to: EmailAddress, from: EmailAddress, publicURL: String?, at now: Date
    ) -> MailMessage {
        let subject = message.subject ?? "A message from \(message.writerName)"
        var headers: [MailMessage.Header] = [MailMessage.Header("Auto-Submitted", "auto-generated")]
        var text = message.body
        if let token = message.optOutToken {
            // The opt-out is in the text too, where the person sees it.
            if let publicURL {
                if !text.hasSuffix("\n") { text += "\n" }
                let line =
                    message.language == .es
                    ? "Para no recibir más correos sobre esta cuenta" : "To get no more emails about this account"
                text += "\n\(line): \(publicURL)/opt-out/\(token)\n"
            }
            var targets: [String] = []
            if let publicURL { targets.append("<\(publicURL)/opt-out/\(token)>") }
            targets.append("<mailto:\(from)?subject=opt-out%20\(token)>")
            headers.append(MailMessage.Header("List-Unsubscribe", targets.joined(separator: ", ")))
            if publicURL != nil {
                headers.append(MailMessage.Header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
            }
        }
        return MailMessage(
            from: from, fromName: message.writerName, to: to, toName: message.recipientName, subject: subject,
            messageID: message.messageKey, date: now, text: text,
            html: MailMessage.html(fromText: text, title: subject), headers: headers,
            attachments: message.attachments.map {
                MailMessage.Attachment(filename: $0.filename, contentType: $0.contentType, data: $0.data)
            })
    }
}
