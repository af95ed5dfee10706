import FluentKit
import Foundation

/// One import run and what came of it.
public final class ImportBatchModel: Model, @unchecked Sendable {
    public static let schema = "import_batches"

    @ID(custom: "id", generatedBy: .database) public var id: Int64?
    /// The client the debts went to.
    @Parent(key: "client_id") public var client: ClientModel
    /// The layout (`ibm-ar`, `recoup`).
    @Field(key: "format") public var format: String
    /// The file as given on the command line.
    @Field(key: "file_name") public var fileName: String
    /// New debts.
    @Field(key: "imported") public var imported: Int64
    /// Rows already stored as they were.
    @Field(key: "unchanged") public var unchanged: Int64
    /// Known debts that gained a payment.
    @Field(key: "updated") public var updated: Int64
    /// Refused rows.
    @Field(key: "rejected") public var rejected: Int64
    /// When it started (UTC).
    @Field(key: "started_at") public var startedAt: Date
    /// When it finished (UTC).
    @Field(key: "finished_at") public var finishedAt: Date

    public init() {}
}
