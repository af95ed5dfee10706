import FluentKit
import Foundation
import RecoupCore

/// A debtor of one client.
public final class DebtorModel: Model, @unchecked Sendable {
    public static let schema = "debtors"

    @ID(custom: "id", generatedBy: .database) public var id: Int64?
    /// The client the debtor belongs to.
    @Parent(key: "client_id") public var client: ClientModel
    /// The client's reference for the debtor.
    @Field(key: "ref") public var ref: String
    /// `consumer` or `commercial`, as stored.
    @Field(key: "kind") public var kindName: String
    /// The debtor's name.
    @Field(key: "name") public var name: String
    /// Recorded IANA zones joined by ";", primary first.
    @Field(key: "time_zones") public var timeZoneList: String
    /// The source file's country code, if any.
    @OptionalField(key: "source_country_code") public var sourceCountryCode: String?
    /// When the debtor was created (UTC).
    @Field(key: "created_at") public var createdAt: Date
    /// The debtor's phones, emails and addresses.
    @Children(for: \.$debtor) public var contactPoints: [ContactPointModel]
    /// The debtor's debts.
    @Children(for: \.$debtor) public var debts: [DebtModel]

    public init() {}

    /// The kind as a Core value (unknown stored text reads as consumer, the stricter regime).
    public var kind: DebtorKind { DebtorKind(rawValue: kindName) ?? .consumer }

    /// The recorded time zones, primary first.
    public var timeZones: [String] { timeZoneList.split(separator: ";").map(String.init) }
}
