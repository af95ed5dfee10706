import FluentKit
import Foundation

/// One append-only contact event (a call, a message, a consent, a hold). Never updated or deleted.
public final class ContactEventModel: Model, @unchecked Sendable {
    public static let schema = "contact_events"

    @ID(custom: "id", generatedBy: .database) public var id: Int64?
    /// Whose history it belongs to.
    @Parent(key: "debtor_id") public var debtor: DebtorModel
    /// The event type, as in the compliance contract (`call`, `sms`, `dispute`, …).
    @Field(key: "type") public var type: String
    /// When it happened (UTC).
    @Field(key: "at") public var at: Date
    /// The debts it is about as a JSON array of ids; nil means all of the debtor's debts.
    @OptionalField(key: "debt_ids") public var debtIDs: String?
    /// The rest of the event as a JSON object.
    @Field(key: "details") public var details: String
    /// Who recorded it.
    @OptionalField(key: "recorded_by") public var recordedBy: String?
    /// When it was recorded (UTC).
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    /// Makes an event.
    public init(debtorID: Int64, type: String, at: Date, debtIDs: String?, details: String, recordedBy: String?, createdAt: Date) {
        self.$debtor.id = debtorID
        self.type = type
        self.at = at
        self.debtIDs = debtIDs
        self.details = details
        self.recordedBy = recordedBy
        self.createdAt = createdAt
    }
}
