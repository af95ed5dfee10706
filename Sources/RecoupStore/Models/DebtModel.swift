import FluentKit
import Foundation
import RecoupCore

/// A debt (account). Business dates are days since 1970-01-01; see the computed `LocalDate` accessors.
public final class DebtModel: Model, @unchecked Sendable {
    public static let schema = "debts"

    @ID(custom: "id", generatedBy: .database) public var id: Int64?
    /// The creditor.
    @Parent(key: "client_id") public var client: ClientModel
    /// Who owes it.
    @Parent(key: "debtor_id") public var debtor: DebtorModel
    /// The reference, unique per client.
    @Field(key: "ref") public var ref: String
    /// The original creditor, when not the client.
    @OptionalField(key: "original_creditor") public var originalCreditor: String?
    /// ISO 4217 code.
    @Field(key: "currency") public var currencyCode: String
    /// Charge date as days since 1970-01-01.
    @Field(key: "charged_on") public var chargedOnDay: Int
    /// Due date as days since 1970-01-01.
    @Field(key: "due_on") public var dueOnDay: Int
    /// Itemization date as days since 1970-01-01.
    @OptionalField(key: "itemization_on") public var itemizationOnDay: Int?
    /// True when the source marked the debt disputed.
    @Field(key: "disputed") public var isDisputed: Bool
    /// The import batch that created it, if any.
    @OptionalField(key: "import_batch_id") public var importBatchID: Int64?
    /// When it was created (UTC).
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    /// The charge date.
    public var chargedOn: LocalDate { LocalDate(daysSinceEpoch: chargedOnDay) }
    /// The due date.
    public var dueDate: LocalDate { LocalDate(daysSinceEpoch: dueOnDay) }
    /// The itemization date.
    public var itemizationDate: LocalDate? { itemizationOnDay.map(LocalDate.init(daysSinceEpoch:)) }
    /// The currency; throws for a code Recoup does not know.
    public func currency() throws -> Currency { try Currency(code: currencyCode) }
}
