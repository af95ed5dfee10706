import Fluent
import Foundation
import RecoupAPI
import RecoupCore
import RecoupStore
import Vapor

// The outbox: messages the daily run queued.
extension RecoupAPIHandlers {
    /// Through the user's scope: a client's staff see their client's messages only, and another client named in
    /// `client` answers 404 as a missing one.
    func listOutbox(_ input: Operations.ListOutbox.Input) async throws -> Operations.ListOutbox.Output {
        let request = try APIContext.current()
        let query = try OutboxQuery(
            status: input.query.status?.rawValue, client: APIInput.nonEmpty(input.query.client),
            limit: input.query.limit.map(String.init), after: APIInput.nonEmpty(input.query.after))
        let scope = try await query.scope(within: request.scope, on: request.db)
        let page = try await OutboxStore.list(
            status: query.status, scope: scope, limit: query.limit, after: query.after, on: request.db)
        return .ok(.init(body: .json(.init(page))))
    }
}

/// An outbox list's filters as sent on the command line or in the query string, checked: a bad value is one
/// sentence naming it (`InputError`: exit 2, or 400).
struct OutboxQuery {
    var status: OutboxStatus?
    var client: String?
    var limit = 50
    var after: Int64?

    init(status: String?, client: String?, limit: String?, after: String?) throws {
        if let status, !status.isEmpty {
            guard let value = OutboxStatus(rawValue: status) else {
                throw InputError("status is \"\(status)\"; use \(OutboxStatus.choices)")
            }
            self.status = value
        }
        self.client = client
        if let limit {
            guard let value = Int(limit), (1...OutboxStore.largestPage).contains(value) else {
                throw InputError("limit is \"\(limit)\"; use 1 to \(OutboxStore.largestPage)")
            }
            self.limit = value
        }
        if let after {
            guard let value = Int64(after), value >= 0 else {
                throw InputError("after is \"\(after)\"; use the next value of the previous page")
            }
            self.after = value
        }
    }

    /// The scope to list in: the user's, narrowed to `client` when one is named (a client outside the user's scope
    /// is unknown, as a missing one).
    func scope(within scope: ClientScope, on database: any Database) async throws -> ClientScope {
        guard let client else { return scope }
        guard scope.allows(clientRef: client) else { throw StoreError.unknownClient(client) }
        return try await ClientDirectory.scope(clientRef: client, on: database)
    }
}

extension Components.Schemas.OutboxList {
    init(_ page: OutboxPage) {
        self.init(
            messages: page.messages.map(Components.Schemas.OutboxMessage.init),
            next: Nullable(page.next.map { String($0) }))
    }
}

extension Components.Schemas.OutboxMessage {
    init(_ message: RecoupStore.OutboxMessage) {
        self.init(
            id: String(message.id), client: message.clientRef,
            debtor: .init(ref: message.debtorRef, name: message.debtorName), debts: message.debtRefs,
            channel: .init(rawValue: message.channel.rawValue) ?? .email, recipient: Nullable(message.recipient),
            subject: Nullable(message.subject), body: message.body, template: message.template,
            status: .init(rawValue: message.status.rawValue) ?? .queued,
            sendAfter: ISO8601Instant.format(message.sendAfter),
            asOf: message.asOf.isoString, step: Nullable(message.stepID),
            run: Nullable(message.runID.map { String($0) }),
            createdBy: Nullable(message.createdBy), createdAt: ISO8601Instant.format(message.createdAt),
            statusChangedAt: Nullable(message.statusChangedAt.map(ISO8601Instant.format)))
    }
}
