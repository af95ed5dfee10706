import FluentKit

/// When the person who recorded a contact means to get back to the debtor (`contact_events.callback_at`, an instant;
/// null for a contact without a callback, as every earlier one). A column of its own rather than a member of
/// `details`: `details` is the compliance contract's event shape, and a callback is the collector's plan, not part of
/// what happened.
struct M020AddContactCallbacks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("contact_events").field("callback_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("contact_events").deleteField("callback_at").update()
    }
}
