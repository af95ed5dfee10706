import Foundation
import SQLKit

/// A form's one-time submission id and who sent it. A use case given one records it, with what it made, in the same
/// transaction as what it made; the same form sent again (a reload after the answer, a double click, back and send)
/// finds it and makes nothing.
public struct FormSubmission: Sendable, Equatable {
    /// The id the rendered form carried: letters, digits, `-` and `_`, 16 to 64 of them.
    public var id: String
    /// Who sent it (a user's email, `portal:DEBTOR`).
    public var by: String?

    /// A submission, or nil when `id` is not one a form could carry.
    public init?(id: String, by: String?) {
        guard (16...64).contains(id.utf8.count),
            id.utf8.allSatisfy({ byte in
                (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte) || byte == 45
                    || byte == 95
            })
        else { return nil }
        self.id = id
        self.by = by
    }
}

/// What the first submission of a form made, found when it comes again.
public struct SubmissionReceipt: Sendable, Equatable {
    /// What kind of thing the form made (`contact`, `arrangement`).
    public var kind: String
    /// What it made: a contact event's id, an arrangement's reference.
    public var result: String?
    /// Who sent it first.
    public var by: String?
    /// When.
    public var at: Date
}

/// The answer of a use case run once per form: what it did, or, for a form already sent, what the first time made.
public enum OnceOnly<Value: Sendable>: Sendable {
    /// Done now.
    case done(Value)
    /// The form was sent before: nothing was made this time.
    case repeated(SubmissionReceipt)
}

/// The store's side of once-only forms (table `form_submissions`, one row per form id). A use case claims the id first
/// thing in its transaction: the claim is an insert that does nothing when the id is there already, so of two sends
/// of one form, however close, one makes something and the other waits for it and then finds its receipt. A use case
/// that ends making nothing (a contact the rules refuse) gives the id back, so the form can be sent again once
/// corrected; one that fails rolls the claim back with everything else.
enum FormSubmissions {
    /// Claims `submission` for a use case that makes a `kind`: nil when it is claimed now, the first submission's
    /// receipt when the form was sent before.
    static func claim(
        _ submission: FormSubmission, kind: String, now: Date, sql: any SQLDatabase
    ) async throws -> SubmissionReceipt? {
        let claimed = try await sql.raw(
            """
            INSERT INTO form_submissions (token, kind, submitted_by, created_at) VALUES \
            (\(bind: submission.id), \(bind: kind), \(bind: submission.by), \(bind: now)) \
            ON CONFLICT (token) DO NOTHING RETURNING id
            """
        ).first()
        if claimed != nil { return nil }
        guard
            let row = try await sql.raw(
                """
                SELECT kind, result, submitted_by, created_at FROM form_submissions \
                WHERE token = \(bind: submission.id)
                """
            ).first()
        else {
            throw StoreError.invalid("the form's submission id could not be recorded; send the form again")
        }
        return SubmissionReceipt(
            kind: try row.decode(column: "kind", as: String.self),
            result: try row.decode(column: "result", as: String?.self),
            by: try row.decode(column: "submitted_by", as: String?.self),
            at: try row.decode(column: "created_at", as: Date.self))
    }

    /// Records what the claimed submission made.
    static func complete(_ submission: FormSubmission, result: String, sql: any SQLDatabase) async throws {
        try await sql.raw(
            "UPDATE form_submissions SET result = \(bind: result) WHERE token = \(bind: submission.id)"
        ).run()
    }

    /// Gives a claimed id back: the use case made nothing, so the same form may be sent again.
    static func release(_ submission: FormSubmission, sql: any SQLDatabase) async throws {
        try await sql.raw("DELETE FROM form_submissions WHERE token = \(bind: submission.id)").run()
    }
}
