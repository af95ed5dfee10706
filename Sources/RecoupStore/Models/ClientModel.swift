import FluentKit
import Foundation

/// A client: the creditor business whose debts are collected.
public final class ClientModel: Model, @unchecked Sendable {
    public static let schema = "clients"

    @ID(custom: "id", generatedBy: .database) public var id: Int64?
    /// The client's unique reference (`harbor-dental`).
    @Field(key: "ref") public var ref: String
    /// The client's display name.
    @Field(key: "name") public var name: String
    /// When the client was created (UTC).
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    /// Makes a client.
    public init(ref: String, name: String, createdAt: Date) {
        self.ref = ref
        self.name = name
        self.createdAt = createdAt
    }
}
