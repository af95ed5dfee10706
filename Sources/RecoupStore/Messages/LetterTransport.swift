import Foundation
import RecoupCore

/// Delivers letters to the print room: each batch is a folder of `RECOUP_LETTERS_DIR` (default `letters/` beside the
/// database) holding one PDF a letter (`letter-ID.pdf`), every letter in one PDF for printing (`letters.pdf`, in the
/// order of the manifest) and `manifest.csv` (a line a letter: message, client, debtor, the window's lines, pages,
/// file, Message-ID). A letter counts as sent once its batch's three kinds of file are written; if any cannot be, the
/// batch's folder is removed and every letter in it is tried again later.
public struct LetterTransport: MessageTransport {
    public let channel = MessageChannel.letter
    /// Where the batches' folders go.
    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    public func deliver(
        _ messages: [OutgoingMessage], at now: Date, answer: (Int, DeliveryOutcome) async throws -> Void
    ) async throws {
        for (index, outcome) in write(messages, at: now).enumerated() { try await answer(index, outcome) }
    }

    /// Writes the batch's files; every letter is sent, or (when a file cannot be written) none is.
    func write(_ messages: [OutgoingMessage], at now: Date) -> [DeliveryOutcome] {
        guard let first = messages.first else { return [] }
        let stamp = ISO8601Instant.format(now).replacingOccurrences(of: ":", with: "").replacingOccurrences(
            of: "-", with: "")
        let name = "batch-\(stamp)-\(first.id)"
        let folder = directory.appendingPathComponent(name, isDirectory: true)
        let day = LocalDate(now, in: TimeZone(identifier: "UTC")!)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var combined = PDFDocument(title: "Letters \(name)")
            var manifest = "message,client,debtor,recipient,pages,file,message_id\r\n"
            for message in messages {
                var letter = Letter(
                    sender: message.senderLines, recipient: message.recipientLines,
                    date: MessageTemplates.readable(day, language: message.language), heading: message.subject,
                    body: message.body)
                if message.language == .es {
                    letter.pageWord = "Página"
                    letter.ofWord = "de"
                }
                let document = LetterLayout.document(letter, title: message.subject ?? "Letter \(message.id)")
                let file = "letter-\(message.id).pdf"
                try Data(document.bytes()).write(to: folder.appendingPathComponent(file))
                combined.pages += document.pages
                manifest +=
                    [
                        String(message.id), message.clientRef, message.recipientName,
                        message.recipientLines.joined(separator: "\n"), String(document.pages.count), file,
                        message.messageKey,
                    ].map(CSVWriter.escape).joined(separator: ",") + "\r\n"
            }
            try Data(combined.bytes()).write(to: folder.appendingPathComponent("letters.pdf"))
            try Data(manifest.utf8).write(to: folder.appendingPathComponent("manifest.csv"))
        } catch {
            try? FileManager.default.removeItem(at: folder)
            let reason = "the letters could not be written to \(folder.path): \(error.localizedDescription)"
            return messages.map { _ in .temporaryFailure(reason) }
        }
        return messages.map { .sent(reference: "\(name)/letter-\($0.id).pdf") }
    }
}
