import FluentKit
import Foundation
import RecoupCore
import RecoupTestSupport
import SQLKit
import Testing

@testable import RecoupStore

/// Retrying and cancelling a message by hand (the outbox page), and the page's reads: one transaction each, through
/// the client scope, kept in the message's history with who and why.
@Suite("Retrying and cancelling outbox messages")
struct OutboxActionsTests {
    typealias Seeded = OutboxDeliveryTests.Seeded

    static let now = OutboxDeliveryTests.now
    static let later = now.addingTimeInterval(3_600)

    static func scope(_ seeded: Seeded) -> ClientScope { .client(id: seeded.ids["alpha"]!, ref: "alpha") }

    static func insert(
        _ seeded: Seeded, _ channel: MessageChannel = .email, status: OutboxStatus, debts: [String] = ["D1"]
    ) async throws -> Int64 {
        try await OutboxStore.insert(
            clientID: seeded.ids["alpha"]!, debtorID: seeded.ids["P1"]!, channel: channel,
            recipient: channel == .email ? "pat@example.com" : "+16175550100",
            subject: channel == .email ? "About your account" : nil, body: "Dear Pat Doe,\nYou owe $1,330.00.",
            template: "reminder", status: status, sendAfter: now.addingTimeInterval(-60),
            asOf: OutboxDeliveryTests.asOf, debtIDs: debts.map { seeded.ids[$0]! }, on: seeded.database.db,
            now: now.addingTimeInterval(-3_600))
    }

    @Test(
        "a message the mail server refused is retried by hand: queued again, due now, with who and why; then it is sent",
        arguments: TestStore.available)
    func retryFailed(store: TestStore) async throws {
        try await withStore(store) { database in
            // Setup: an email refused for good by the service.
            let seeded = try await OutboxDeliveryTests.seed(database)
            let id = try await OutboxDeliveryTests.queue(
                seeded, .email, debtor: "P1", recipient: "pat@example.com", debts: ["D1"])
            let refusing = ScriptedTransport(.email, script: [.permanentFailure("550 5.1.1 mailbox full")])
            _ = try await OutboxDelivery.send(transports: [refusing], now: Self.now, by: "test", on: database.db)
            #expect(try await OutboxDeliveryTests.status(id, database).status == "failed")

            // Act: retried by hand an hour later.
            let result = try await OutboxStore.retry(
                id: id, by: "ana@agency.example", now: Self.later, scope: .all, on: database.db)

            // Verify: queued, due at the retry, the attempt kept, the history says who and why.
            #expect(
                try result.madeNow == OutboxStatusChange(messageID: id, from: .failed, to: .queued, at: Self.later))
            let stored = try await OutboxDeliveryTests.status(id, database)
            #expect(stored.status == "queued")
            #expect(stored.sendAfter == Self.later)
            #expect(stored.attempts == 1)
            #expect(stored.error == "550 5.1.1 mailbox full")
            let history = try await OutboxStore.history(messageID: id, scope: .all, on: database.db)
            #expect(history.map(\.status) == [.sending, .failed, .queued])
            #expect(
                history.last
                    == OutboxChange(
                        status: .queued, at: Self.later, detail: "retried by hand", changedBy: "ana@agency.example"))

            // The next delivery round takes it again and sends it.
            let working = ScriptedTransport(.email)
            let summary = try await OutboxDelivery.send(
                transports: [working], now: Self.later.addingTimeInterval(60), by: "test", on: database.db)
            #expect(summary.sent == 1)
            #expect(working.handed.map(\.id) == [id])
            #expect(try await OutboxDeliveryTests.status(id, database).status == "sent")
        }
    }

    @Test("a deferred message is retried and a queued one cancelled with the reason", arguments: TestStore.available)
    func deferredAndCancel(store: TestStore) async throws {
        try await withStore(store) { database in
            let seeded = try await OutboxDeliveryTests.seed(database)
            let deferred = try await Self.insert(seeded, status: .deferred)
            let queued = try await Self.insert(seeded, .sms, status: .queued)

            _ = try await OutboxStore.retry(
                id: deferred, by: "cal@agency.example", now: Self.later, scope: Self.scope(seeded), on: database.db)
            let cancelled = try await OutboxStore.cancel(
                id: queued, reason: "  The debtor paid at the desk.  ", by: "cal@agency.example", now: Self.later,
                scope: Self.scope(seeded), on: database.db)

            #expect(try await OutboxDeliveryTests.status(deferred, database).status == "queued")
            #expect(try cancelled.madeNow.from == .queued)
            let stored = try await OutboxDeliveryTests.status(queued, database)
            #expect(stored.status == "cancelled")
            // A cancellation leaves the send time as it was.
            #expect(stored.sendAfter == Self.now.addingTimeInterval(-60))
            #expect(
                try await OutboxStore.history(messageID: queued, scope: .all, on: database.db) == [
                    OutboxChange(
                        status: .cancelled, at: Self.later, detail: "cancelled by hand: The debtor paid at the desk.",
                        changedBy: "cal@agency.example")
                ])
            // A cancelled message is not delivered.
            let texts = ScriptedTransport(.sms)
            _ = try await OutboxDelivery.send(transports: [texts], now: Self.later, by: "test", on: database.db)
            #expect(texts.handed.isEmpty)
        }
    }

    @Test(
        "each action refuses the statuses it does not apply to, and changes nothing",
        arguments: TestStore.available)
    func refusals(store: TestStore) async throws {
        try await withStore(store) { database in
            let seeded = try await OutboxDeliveryTests.seed(database)
            var ids: [OutboxStatus: Int64] = [:]
            for status in OutboxStatus.allCases { ids[status] = try await Self.insert(seeded, status: status) }
            let refusedRetry: [OutboxStatus] = [.queued, .sending, .sent, .bounced, .cancelled]
            let refusedCancel: [OutboxStatus] = [.sending, .sent, .bounced, .cancelled]
            for status in refusedRetry {
                await #expect(throws: OutboxActionError.notAllowed(id: ids[status]!, status: status, action: .retry)) {
                    _ = try await OutboxStore.retry(
                        id: ids[status]!, by: "ana", now: Self.later, scope: .all, on: database.db)
                }
            }
            for status in refusedCancel {
                await #expect(throws: OutboxActionError.notAllowed(id: ids[status]!, status: status, action: .cancel)) {
                    _ = try await OutboxStore.cancel(
                        id: ids[status]!, reason: "no longer needed", by: "ana", now: Self.later, scope: .all,
                        on: database.db)
                }
            }
            // The sentence says what is allowed.
            #expect(
                OutboxActionError.notAllowed(id: 7, status: .sent, action: .retry).description
                    == "message 7 is sent; only a failed or deferred message can be retried")
            // A cancellation without a reason, or with a very long one, is refused.
            for reason in ["   ", String(repeating: "x", count: OutboxStore.longestReason + 1)] {
                await #expect(throws: OutboxActionError.reason(limit: OutboxStore.longestReason)) {
                    _ = try await OutboxStore.cancel(
                        id: ids[.queued]!, reason: reason, by: "ana", now: Self.later, scope: .all, on: database.db)
                }
            }
            // Nothing changed and nothing was written to the histories.
            for (status, id) in ids {
                #expect(try await OutboxDeliveryTests.status(id, database).status == status.rawValue)
            }
            #expect(
                try await database.sql.raw("SELECT COUNT(*) AS n FROM outbox_changes").first()!
                    .decode(column: "n", as: Int.self) == 0)
        }
    }

    @Test(
        "another client's message is not found (not read, not changed); the same form sent twice acts once",
        arguments: TestStore.available)
    func scopeAndOnce(store: TestStore) async throws {
        try await withStore(store) { database in
            let seeded = try await OutboxDeliveryTests.seed(database)
            let id = try await Self.insert(seeded, status: .failed)
            let other = ClientScope.client(id: seeded.ids["alpha"]! + 1_000, ref: "beta")
            await #expect(throws: OutboxActionError.notFound(id: id)) {
                _ = try await OutboxStore.retry(id: id, by: "bea", now: Self.later, scope: other, on: database.db)
            }
            await #expect(throws: OutboxActionError.notFound(id: id)) {
                _ = try await OutboxStore.cancel(
                    id: id, reason: "mine", by: "bea", now: Self.later, scope: other, on: database.db)
            }
            await #expect(throws: OutboxActionError.notFound(id: 999_999)) {
                _ = try await OutboxStore.retry(id: 999_999, by: "ana", now: Self.later, scope: .all, on: database.db)
            }
            #expect(try await OutboxStore.entry(id: id, scope: other, on: database.db) == nil)
            #expect(try await OutboxStore.entries(OutboxFilter(), scope: other, on: database.db).entries.isEmpty)
            #expect(try await OutboxDeliveryTests.status(id, database).status == "failed")

            // Once per form: the second send answers with the first's receipt and changes nothing.
            let form = try #require(FormSubmission(id: "outbox-retry-form-0001", by: "ana"))
            let first = try await OutboxStore.retry(
                id: id, by: "ana", now: Self.later, scope: Self.scope(seeded), once: form, on: database.db)
            let second = try await OutboxStore.retry(
                id: id, by: "ana", now: Self.later, scope: Self.scope(seeded), once: form, on: database.db)
            guard case .done = first, case .repeated(let receipt) = second else {
                Issue.record("expected done then repeated, got \(first) and \(second)")
                return
            }
            #expect(receipt.kind == "outbox-retry")
            #expect(receipt.result == String(id))
            #expect(try await OutboxStore.history(messageID: id, scope: .all, on: database.db).count == 1)
        }
    }

    @Test(
        "the page's list: the latest first, by status and channel, a page at a time, with attempts, errors and debts",
        arguments: TestStore.available)
    func entries(store: TestStore) async throws {
        try await withStore(store) { database in
            let seeded = try await OutboxDeliveryTests.seed(database)
            let email1 = try await Self.insert(seeded, status: .queued, debts: ["D2", "D1"])
            let text = try await Self.insert(seeded, .sms, status: .failed)
            let email2 = try await Self.insert(seeded, status: .failed, debts: [])
            let letter = try await Self.insert(seeded, .letter, status: .sent)
            try await database.sql.raw(
                "UPDATE outbox_messages SET attempts = 3, last_error = '421 try later' WHERE id = \(bind: email2)"
            ).run()

            let all = try await OutboxStore.entries(OutboxFilter(), scope: Self.scope(seeded), on: database.db)
            #expect(all.entries.map(\.message.id) == [letter, email2, text, email1])
            #expect(all.next == nil)
            let first = try #require(all.entries.first { $0.message.id == email1 })
            #expect(first.debts.map(\.ref) == ["D1", "D2"])
            #expect(first.debts.map(\.id) == [seeded.ids["D1"]!, seeded.ids["D2"]!])
            #expect(first.attempts == 0 && first.lastError == nil)
            let failed = try #require(all.entries.first { $0.message.id == email2 })
            #expect(failed.attempts == 3 && failed.lastError == "421 try later" && failed.debts.isEmpty)

            let failedOnly = try await OutboxStore.entries(
                OutboxFilter(status: .failed), scope: .all, on: database.db)
            #expect(failedOnly.entries.map(\.message.id) == [email2, text])
            let emails = try await OutboxStore.entries(
                OutboxFilter(status: .failed, channel: .email), scope: .all, on: database.db)
            #expect(emails.entries.map(\.message.id) == [email2])

            let page1 = try await OutboxStore.entries(OutboxFilter(limit: 3), scope: .all, on: database.db)
            #expect(page1.entries.map(\.message.id) == [letter, email2, text])
            #expect(page1.next == text)
            let page2 = try await OutboxStore.entries(
                OutboxFilter(limit: 3, before: page1.next), scope: .all, on: database.db)
            #expect(page2.entries.map(\.message.id) == [email1])
            #expect(page2.next == nil)
            await #expect(throws: StoreError.self) {
                _ = try await OutboxStore.entries(OutboxFilter(limit: 0), scope: .all, on: database.db)
            }
        }
    }
}
