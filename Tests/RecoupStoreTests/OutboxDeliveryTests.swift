import FluentKit
import Foundation
import RecoupCore
import RecoupTestSupport
import SQLKit
import Testing

@testable import RecoupStore

/// A mail or text service outside the machine, played here: it answers each attempt from `script` (then `sent`),
/// and remembers what it was handed.
final class ScriptedTransport: MessageTransport, @unchecked Sendable {
    let channel: MessageChannel
    private let lock = NSLock()
    private var script: [DeliveryOutcome]
    private(set) var handed: [OutgoingMessage] = []

    init(_ channel: MessageChannel, script: [DeliveryOutcome] = []) {
        self.channel = channel
        self.script = script
    }

    func deliver(
        _ messages: [OutgoingMessage], at now: Date, answer: (Int, DeliveryOutcome) async throws -> Void
    ) async throws {
        let outcomes = lock.withLock {
            handed += messages
            return messages.map { message in
                script.isEmpty ? .sent(reference: "queued as \(message.id)") : script.removeFirst()
            }
        }
        for (index, outcome) in outcomes.enumerated() { try await answer(index, outcome) }
    }
}

@Suite("Delivering the outbox")
struct OutboxDeliveryTests {
    static let file = """
        debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,interest,fees,paid,paid_on,phones,emails,address_line1,address_city,address_state,address_postal_code,time_zones
        D1,P1,consumer,Pat Doe,2026-06-01,2026-07-01,1250.00,,,,,+16175550100:mobile,pat@example.com,12 Elm Street,Boston,MA,02118,America/New_York
        D2,P1,consumer,Pat Doe,2026-06-01,2026-07-01,80.00,,,,,+16175550100:mobile,pat@example.com,12 Elm Street,Boston,MA,02118,America/New_York
        E1,P2,consumer,Lee Chen,2026-06-01,2026-07-01,300.00,,,,,+13125550100:mobile,lee@example.com,,,IL,60601,America/Chicago

        """
    /// Thursday 2026-07-16, 11:00 in Boston, 10:00 in Chicago.
    static let now = ISO8601Instant.parse("2026-07-16T15:00:00Z")!
    static let asOf = try! LocalDate(iso: "2026-07-16")

    struct Seeded {
        var database: RecoupDatabase
        var ids: [String: Int64]
    }

    static func seed(_ database: RecoupDatabase) async throws -> Seeded {
        _ = try await Importer.run(
            ImportRequest(path: try TestFiles.temporary(file), format: .recoup, clientRef: "alpha"), on: database.db,
            now: now.addingTimeInterval(-86_400))
        _ = try await ClientProfileStore.update(
            clientRef: "alpha",
            with: ClientProfileUpdate(
                name: "Alpha Dental", phone: "(617) 555-0199", address: "1 Harbor Way\nBoston, MA 02110"),
            on: database.db)
        var ids: [String: Int64] = [:]
        for row in try await database.sql.raw(
            "SELECT id, ref FROM debtors UNION ALL SELECT id, ref FROM clients UNION ALL SELECT id, ref FROM debts"
        ).all() {
            ids[try row.decode(column: "ref", as: String.self)] = try row.decode(column: "id", as: Int64.self)
        }
        return Seeded(database: database, ids: ids)
    }

    static func queue(
        _ seeded: Seeded, _ channel: MessageChannel, debtor: String, recipient: String?, debts: [String],
        body: String = "Dear Pat Doe,\nYou owe $1,330.00 to Alpha Dental.",
        sendAfter: Date = now.addingTimeInterval(-60)
    ) async throws -> Int64 {
        try await OutboxStore.insert(
            clientID: seeded.ids["alpha"]!, debtorID: seeded.ids[debtor]!, channel: channel, recipient: recipient,
            subject: channel == .email ? "About your account" : nil, body: body, template: "reminder",
            sendAfter: sendAfter, asOf: asOf, stepID: nil, runID: nil, debtIDs: debts.map { seeded.ids[$0]! },
            on: seeded.database.db, now: now.addingTimeInterval(-3_600))
    }

    static func status(
        _ id: Int64, _ database: RecoupDatabase
    ) async throws -> (
        status: String, attempts: Int, key: String?, sendAfter: Date, error: String?, ref: String?
    ) {
        let row = try #require(
            try await database.sql.raw(
                "SELECT status, attempts, message_key, send_after, last_error, delivery_ref FROM outbox_messages WHERE id = \(bind: id)"
            ).first())
        return (
            try row.decode(column: "status", as: String.self), try row.decode(column: "attempts", as: Int.self),
            try row.decode(column: "message_key", as: String?.self),
            try row.decode(column: "send_after", as: Date.self),
            try row.decode(column: "last_error", as: String?.self),
            try row.decode(column: "delivery_ref", as: String?.self)
        )
    }

    static func changes(_ id: Int64, _ database: RecoupDatabase) async throws -> [(status: String, detail: String?)] {
        try await database.sql.raw(
            "SELECT status, detail FROM outbox_changes WHERE message_id = \(bind: id) ORDER BY id"
        ).all().map {
            (try $0.decode(column: "status", as: String.self), try $0.decode(column: "detail", as: String?.self))
        }
    }

    @Test(
        "letters: one PDF each, one to print and a manifest; sent once, recorded in the history; email waits without a service",
        arguments: TestStore.available)
    func letters(store: TestStore) async throws {
        try await withStore(store) { database in
            let seeded = try await Self.seed(database)
            let pat = try await Self.queue(
                seeded, .letter, debtor: "P1", recipient: "12 Elm Street, Boston, MA, 02118, US", debts: ["D1", "D2"])
            let lee = try await Self.queue(
                seeded, .letter, debtor: "P2", recipient: "IL, 60601, US", debts: ["E1"], body: "Dear Lee Chen,\nHello."
            )
            let later = try await Self.queue(
                seeded, .letter, debtor: "P2", recipient: "IL, 60601, US", debts: ["E1"],
                sendAfter: Self.now.addingTimeInterval(3_600))
            _ = try await Self.queue(seeded, .email, debtor: "P1", recipient: "pat@example.com", debts: ["D1"])
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("letters-\(UUID())")
            defer { try? FileManager.default.removeItem(at: directory) }
            let transport = LetterTransport(directory: directory)

            let summary = try await OutboxDelivery.send(
                transports: [transport], now: Self.now, by: "test", on: database.db)
            #expect(summary.sent == 2 && summary.deferred == 0 && summary.failed == 0 && summary.cancelled == 0)
            #expect(summary.waiting == [.email: 1])

            let batches = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            #expect(batches.count == 1)
            let batch = directory.appendingPathComponent(try #require(batches.first))
            #expect(
                Set(try FileManager.default.contentsOfDirectory(atPath: batch.path))
                    == ["letter-\(pat).pdf", "letter-\(lee).pdf", "letters.pdf", "manifest.csv"])
            let manifest = try String(contentsOf: batch.appendingPathComponent("manifest.csv"), encoding: .utf8)
            let lines = manifest.components(separatedBy: "\r\n")
            #expect(lines[0] == "message,client,debtor,recipient,pages,file,message_id")
            #expect(
                lines[1].hasPrefix(
                    "\(pat),alpha,Pat Doe,\"Pat Doe\n12 Elm Street\nBoston, MA 02118\",1,letter-\(pat).pdf,<outbox-\(pat)."
                ))
            #expect(lines[2].hasPrefix("\(lee),alpha,Lee Chen,\"Lee Chen\nIL 60601\",1,letter-\(lee).pdf,"))

            let first = try await Self.status(pat, database)
            #expect(first.status == "sent" && first.attempts == 1)
            #expect(first.ref == "\(batch.lastPathComponent)/letter-\(pat).pdf")
            #expect(try await Self.changes(pat, database).map(\.status) == ["sending", "sent"])
            #expect(try await Self.status(later, database).status == "queued")

            // The letter is in Pat's history now: an outbound letter about both debts, recorded by the outbox.
            let events = try await ContactStore.events(debtorID: seeded.ids["P1"]!, sql: database.sql)
            #expect(events.count == 1)
            #expect(events.first?.entry.event.kind == .letter)
            #expect(events.first?.entry.event.debtIDs == ["D1", "D2"])
            #expect(events.first?.recordedBy == "outbox")

            // Read back as a person would read it.
            if let text = try PDFTools.text(of: batch.appendingPathComponent("letter-\(pat).pdf")) {
                for expected in [
                    "Alpha Dental", "1 Harbor Way", "Pat Doe", "12 Elm Street", "Boston, MA 02118", "16 July 2026",
                    "(617) 555-0199",
                    "You owe $1,330.00 to Alpha Dental.", "Page 1 of 1",
                ] {
                    #expect(text.contains(expected), "\(expected) is not in:\n\(text)")
                }
                let combined = try #require(try PDFTools.text(of: batch.appendingPathComponent("letters.pdf")))
                #expect(combined.contains("Pat Doe") && combined.contains("Lee Chen"))
            } else {
                #expect(!PDFTools.required, "pdftotext (poppler-utils) is not installed")
            }

            // Sending again sends nothing twice; the later letter goes when its time comes.
            let again = try await OutboxDelivery.send(
                transports: [transport], now: Self.now.addingTimeInterval(60), by: "test", on: database.db)
            #expect(again.sent == 0)
            let hourLater = try await OutboxDelivery.send(
                transports: [transport], now: Self.now.addingTimeInterval(3_601), by: "test", on: database.db)
            #expect(hourLater.sent == 1)
            #expect(try await Self.status(later, database).status == "sent")
            #expect(try await ContactStore.events(debtorID: seeded.ids["P1"]!, sql: database.sql).count == 1)
        }
    }

    @Test(
        "checked again when sent: a cease since queued cancels, a night hour defers to the morning",
        arguments: TestStore.available)
    func recheck(store: TestStore) async throws {
        try await withStore(store) { database in
            let seeded = try await Self.seed(database)
            // 04:00 in Boston and 03:00 in Chicago.
            let night = ISO8601Instant.parse("2026-07-16T08:00:00Z")!
            let pat = try await Self.queue(
                seeded, .email, debtor: "P1", recipient: "pat@example.com", debts: ["D1"],
                sendAfter: night.addingTimeInterval(-60))
            let lee = try await Self.queue(
                seeded, .email, debtor: "P2", recipient: "lee@example.com", debts: ["E1"],
                sendAfter: night.addingTimeInterval(-60))
            _ = try await ContactStore.insert(
                ContactLogEntry(ContactEvent(.cease, at: night.addingTimeInterval(-600))),
                debtorID: seeded.ids["P1"]!, recordedBy: "test", now: night, sql: database.sql)
            let email = ScriptedTransport(.email)
            let summary = try await OutboxDelivery.send(transports: [email], now: night, by: "test", on: database.db)
            #expect(summary.cancelled == 1 && summary.deferred == 1 && summary.sent == 0)
            #expect(email.handed.isEmpty)

            let cancelled = try await Self.status(pat, database)
            #expect(cancelled.status == "cancelled")
            let why = try await Self.changes(pat, database)
            #expect(why.map(\.status) == ["sending", "cancelled"])
            #expect(why.last?.detail?.contains("cease") == true, "\(why)")

            // Deferred to 08:00 in Chicago, the first instant the debtor's hours allow.
            let deferred = try await Self.status(lee, database)
            #expect(deferred.status == "deferred")
            #expect(deferred.sendAfter == ISO8601Instant.parse("2026-07-16T13:00:00Z")!, "\(deferred.sendAfter)")
            let morning = try await OutboxDelivery.send(
                transports: [email], now: deferred.sendAfter, by: "test", on: database.db)
            #expect(morning.sent == 1)
            #expect(email.handed.map(\.id) == [lee])
            #expect(try await Self.status(lee, database).attempts == 2)
        }
    }

    @Test(
        "a temporary failure is tried again after a minute with the same Message-ID; a permanent one fails with the answer; a debt paid since is not asked for",
        arguments: TestStore.available)
    func failures(store: TestStore) async throws {
        try await withStore(store) { database in
            let seeded = try await Self.seed(database)
            let pat = try await Self.queue(seeded, .email, debtor: "P1", recipient: "pat@example.com", debts: ["D1"])
            let lee = try await Self.queue(seeded, .email, debtor: "P2", recipient: "lee@example.com", debts: ["E1"])
            // Pat's D2 is paid in full after its message was queued: the message is withdrawn, not sent.
            let paid = try await Self.queue(seeded, .email, debtor: "P1", recipient: "pat@example.com", debts: ["D2"])
            #expect(
                try await PaymentStore.post(
                    PaymentRequest(
                        clientRef: "alpha", debtRef: "D2",
                        action: .pay(amount: .minorUnits(8_000), on: try LocalDate(iso: "2026-07-16")),
                        idempotencyKey: "paid-d2"),
                    on: database.db, now: Self.now
                ).posted)
            let email = ScriptedTransport(
                .email,
                script: [
                    .temporaryFailure("421 4.7.0 try again later"), .permanentFailure("550 5.1.1 no such user"),
                ])
            let first = try await OutboxDelivery.send(transports: [email], now: Self.now, by: "test", on: database.db)
            #expect(first.deferred == 1 && first.failed == 1 && first.cancelled == 1)
            #expect(try await Self.status(paid, database).status == "cancelled")
            #expect(try await Self.changes(paid, database).last?.detail == "paid since it was queued: D2")
            let retried = try await Self.status(pat, database)
            #expect(retried.status == "deferred" && retried.error == "421 4.7.0 try again later")
            #expect(retried.sendAfter == Self.now.addingTimeInterval(60))
            let failed = try await Self.status(lee, database)
            #expect(failed.status == "failed" && failed.error == "550 5.1.1 no such user")

            // Not before its time; then sent, keeping its Message-ID.
            #expect(
                try await OutboxDelivery.send(
                    transports: [email], now: Self.now.addingTimeInterval(30), by: "test", on: database.db
                ).sent == 0)
            let second = try await OutboxDelivery.send(
                transports: [email], now: Self.now.addingTimeInterval(60), by: "test", on: database.db)
            #expect(second.sent == 1)
            #expect(email.handed.map(\.id) == [pat, lee, pat])
            #expect(email.handed[0].messageKey == email.handed[2].messageKey)
            #expect(try await Self.status(pat, database).key == email.handed[0].messageKey)
            #expect(
                try await Self.changes(pat, database).map(\.status) == ["sending", "deferred", "sending", "sent"])
            #expect(try await Self.status(lee, database).status == "failed")
        }
    }

    @Test(
        "a part payment since it was queued: the message is written again with what is owed now",
        arguments: TestStore.available)
    func partPayment(store: TestStore) async throws {
        try await withStore(store) { database in
            let seeded = try await Self.seed(database)
            let both = try await Self.queue(
                seeded, .email, debtor: "P1", recipient: "pat@example.com", debts: ["D1", "D2"])
            let lee = try await Self.queue(seeded, .email, debtor: "P2", recipient: "lee@example.com", debts: ["E1"])
            #expect(
                try await PaymentStore.post(
                    PaymentRequest(
                        clientRef: "alpha", debtRef: "D1",
                        action: .pay(amount: .minorUnits(50_000), on: try LocalDate(iso: "2026-07-16")),
                        idempotencyKey: "part-d1"),
                    on: database.db, now: Self.now.addingTimeInterval(-600)
                ).posted)
            let email = ScriptedTransport(.email)
            let sent = try await OutboxDelivery.send(transports: [email], now: Self.now, by: "test", on: database.db)
            #expect(sent.sent == 2 && sent.cancelled == 0)
            #expect(Set(email.handed.map(\.id)) == [both, lee])
            // Pat's email is written again from its template with what is owed now: $750.00 and $80.00.
            let handed = try #require(email.handed.first { $0.id == both })
            #expect(handed.body.contains("$830.00"), "\(handed.body)")
            #expect(!handed.body.contains("$1,330.00"))
            #expect(handed.body.contains("D1") && handed.body.contains("D2"))
            #expect(handed.subject == "About your account with Alpha Dental")
            #expect(try await Self.status(both, database).status == "sent")
            let stored = try #require(
                try await database.sql.raw("SELECT body FROM outbox_messages WHERE id = \(bind: both)").first())
            #expect(
                try stored.decode(column: "body", as: String.self) == handed.body, "what is stored is what was sent")
            #expect(
                try await Self.changes(both, database).map(\.detail).contains(
                    "the amount owed changed since it was queued (D1): written again with what is owed now"))
        }
    }

    @Test(
        "a debt paid off since it was queued is left out of the message written again; a template that cannot render cancels",
        arguments: TestStore.available)
    func paidOffLeftOut(store: TestStore) async throws {
        try await withStore(store) { database in
            let seeded = try await Self.seed(database)
            let both = try await Self.queue(
                seeded, .email, debtor: "P1", recipient: "pat@example.com", debts: ["D1", "D2"])
            let lee = try await Self.queue(seeded, .email, debtor: "P2", recipient: "lee@example.com", debts: ["E1"])
            try await database.sql.raw("UPDATE outbox_messages SET template = 'handwritten' WHERE id = \(bind: lee)")
                .run()
            for (debt, amount, key) in [("D2", 8_000, "off-d2"), ("E1", 10_000, "part-e1")] {
                #expect(
                    try await PaymentStore.post(
                        PaymentRequest(
                            clientRef: "alpha", debtRef: debt,
                            action: .pay(amount: .minorUnits(Int64(amount)), on: try LocalDate(iso: "2026-07-16")),
                            idempotencyKey: key),
                        on: database.db, now: Self.now.addingTimeInterval(-600)
                    ).posted)
            }
            let email = ScriptedTransport(.email)
            let sent = try await OutboxDelivery.send(transports: [email], now: Self.now, by: "test", on: database.db)
            #expect(sent.sent == 1 && sent.cancelled == 1)
            let handed = try #require(email.handed.first)
            #expect(handed.id == both)
            #expect(handed.debtRefs == ["D1"])
            #expect(handed.body.contains("$1,250.00"))
            #expect(!handed.body.contains("D2"), "D2 is paid off")
            #expect(try await Self.status(lee, database).status == "cancelled")
            #expect(
                try await Self.changes(lee, database).last?.detail
                    == "the amount owed changed since it was queued (E1), and it cannot be written again (it was not "
                    + "written from a template): not sent with the old amount")
        }
    }

    @Test(
        "a final notice by email carries a PDF statement of its debts as they stand when it is sent; a reminder none",
        arguments: TestStore.available)
    func statementAttached(store: TestStore) async throws {
        try await withStore(store) { database in
            let seeded = try await Self.seed(database)
            let final = try await Self.queue(
                seeded, .email, debtor: "P1", recipient: "pat@example.com", debts: ["D1", "D2"])
            try await database.sql.raw("UPDATE outbox_messages SET template = 'final-notice' WHERE id = \(bind: final)")
                .run()
            let reminder = try await Self.queue(
                seeded, .email, debtor: "P2", recipient: "lee@example.com", debts: ["E1"])
            let email = ScriptedTransport(.email)
            let sent = try await OutboxDelivery.send(transports: [email], now: Self.now, by: "test", on: database.db)
            #expect(sent.sent == 2)
            let notice = try #require(email.handed.first { $0.id == final })
            #expect(notice.attachments.map(\.filename) == ["statement.pdf"])
            #expect(notice.attachments.first?.contentType == "application/pdf")
            let pdf = try #require(notice.attachments.first?.data)
            #expect(Array(pdf.prefix(5)) == Array("%PDF-".utf8))
            #expect(email.handed.first { $0.id == reminder }?.attachments.isEmpty == true)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("statement-\(UUID()).pdf")
            defer { try? FileManager.default.removeItem(at: file) }
            try Data(pdf).write(to: file)
            if let text = try PDFTools.text(of: file) {
                for words in [
                    "Statement of account", "Pat Doe", "12 Elm Street", "D1", "D2", "$1,250.00", "$80.00", "$1,330.00",
                ] {
                    #expect(text.contains(words), "\(words) in\n\(text)")
                }
            } else {
                #expect(!PDFTools.required, "pdftotext (poppler-utils) is not installed")
            }
        }
    }

    @Test(
        "a sender that died after taking messages: none is sent twice, the rest go once its claim runs out",
        arguments: TestStore.available)
    func senderDied(store: TestStore) async throws {
        try await withStore(store) { database in
            let seeded = try await Self.seed(database)
            let sent = try await Self.queue(seeded, .email, debtor: "P1", recipient: "pat@example.com", debts: ["D1"])
            let email = ScriptedTransport(.email)
            #expect(
                try await OutboxDelivery.send(transports: [email], now: Self.now, by: "test", on: database.db).sent == 1
            )
            // The next sender claims Lee's email and dies before recording anything.
            let lee = try await Self.queue(seeded, .email, debtor: "P2", recipient: "lee@example.com", debts: ["E1"])
            try await database.sql.raw(
                """
                UPDATE outbox_messages SET status = 'sending', attempts = 1, message_key = '<outbox-dead@recoup>', \
                claimed_until = \(bind: Self.now.addingTimeInterval(OutboxDelivery.claimFor)) WHERE id = \(bind: lee)
                """
            ).run()
            let soon = try await OutboxDelivery.send(
                transports: [email], now: Self.now.addingTimeInterval(60), by: "test", on: database.db)
            #expect(soon.sent == 0)
            let after = try await OutboxDelivery.send(
                transports: [email], now: Self.now.addingTimeInterval(OutboxDelivery.claimFor + 1), by: "test",
                on: database.db)
            #expect(after.sent == 1)
            #expect(email.handed.map(\.id) == [sent, lee])
            #expect(email.handed.last?.messageKey == "<outbox-dead@recoup>")
            #expect(try await Self.status(lee, database).attempts == 2)
        }
    }

    @Test("a letter's window lines come from the stored address, or from the recipient's parts")
    func windowLines() {
        let home = PostalAddress(
            type: .home, line1: "12 Elm Street", city: "Boston", state: "MA", postalCode: "02118", country: "US")
        #expect(
            OutboxDelivery.letterLines("12 Elm Street, Boston, MA, 02118, US", addresses: [home])
                == ["12 Elm Street", "Boston, MA 02118"])
        var abroad = home
        abroad.country = "CA"
        abroad.state = "ON"
        #expect(
            OutboxDelivery.letterLines("12 Elm Street, Boston, ON, 02118, CA", addresses: [home, abroad])
                == ["12 Elm Street", "Boston, ON 02118", "CA"])
        #expect(OutboxDelivery.letterLines("9 Oak Road, Salem", addresses: [home]) == ["9 Oak Road", "Salem"])
    }
}
