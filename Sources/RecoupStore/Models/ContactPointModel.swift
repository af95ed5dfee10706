import FluentKit
import Foundation

/// A debtor's phone, email address or postal address.
public final class ContactPointModel: Model, @unchecked Sendable {
    public static let schema = "contact_points"

    @ID(custom: "id", generatedBy: .database) public var id: Int64?
    /// Whose contact point it is.
    @Parent(key: "debtor_id") public var debtor: DebtorModel
    /// `phone`, `email` or `address`.
    @Field(key: "kind") public var kind: String
    /// The number, the email address, or the address's first line.
    @Field(key: "value") public var value: String
    /// `mobile`, `home`, `work` or `other`.
    @Field(key: "type") public var type: String
    /// City (addresses).
    @OptionalField(key: "city") public var city: String?
    /// State code (addresses).
    @OptionalField(key: "state") public var state: String?
    /// Postal code (addresses).
    @OptionalField(key: "postal_code") public var postalCode: String?
    /// Country code (addresses).
    @OptionalField(key: "country") public var country: String?
    /// When it was recorded (UTC).
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}
