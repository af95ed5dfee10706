import RecoupCore

/// What an import did: the JSON summary `recoup import` prints.
public struct ImportSummary: Sendable, Equatable {
    /// New debts created.
    public var imported = 0
    /// Rows whose debt was already stored exactly as the row says.
    public var unchanged = 0
    /// Rows whose debt was stored but gained something new (a later settlement).
    public var updated = 0
    /// Rows refused, with their reasons in `errors`.
    public var rejected = 0
    /// The refused rows by line (at most `ImportSummary.errorLimit` are kept).
    public var errors: [ImportRowError] = []
    /// True when there were more errors than `errors` keeps.
    public var errorsTruncated = false
    /// What imported rows said that could not be read and was left out (an unreadable phone), by line (at most
    /// `ImportSummary.errorLimit` are kept).
    public var warnings: [ImportRowWarning] = []
    /// True when there were more warnings than `warnings` keeps.
    public var warningsTruncated = false
    /// The number of data rows read.
    public var rows = 0

    /// How many row errors a summary keeps.
    public static let errorLimit = 1000

    /// Makes an empty summary.
    public init() {}

    mutating func reject(_ error: ImportRowError) {
        rejected += 1
        if errors.count < Self.errorLimit { errors.append(error) } else { errorsTruncated = true }
    }

    mutating func warn(_ rowWarnings: [ImportRowWarning]) {
        for warning in rowWarnings {
            if warnings.count < Self.errorLimit { warnings.append(warning) } else { warningsTruncated = true }
        }
    }
}
