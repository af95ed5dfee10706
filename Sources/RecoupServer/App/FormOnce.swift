import Foundation
import RecoupStore
import Vapor

/// Once-only forms. Every rendered form that makes something carries a fresh one-time id in the hidden field
/// `submission`; its POST hands the id to the store's use case (`FormSubmission`), which records it with what it made
/// in the same transaction. The same form sent again — a reload, a double click, back and send — is answered with the
/// first answer's redirect and makes nothing. With post/redirect/get (`Flash`), a reload of the answer is a GET.
enum FormOnce {
    /// The hidden field's name.
    static let field = "submission"

    /// A fresh id: 128 random bits written base64url, 22 characters.
    static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The id the POSTed form carries, as a submission by `by`; a form without one (a page from before ids, or not
    /// from Recoup) is refused with a sentence that says to reload.
    static func submission(_ request: Request, by: String?) throws -> FormSubmission {
        let id = try? request.content.get(String.self, at: field)
        guard let id, let submission = FormSubmission(id: id, by: by) else {
            throw UserFacingError.badRequest(
                "the form has no one-time id (it may come from an old page); reload the page and send it again",
                code: "invalid_form")
        }
        return submission
    }

    /// How the answer to a form sent again begins: "This form was already sent (when, by whom)", the time in `zone`.
    static func alreadySent(_ receipt: SubmissionReceipt, zone: TimeZone) -> String {
        "This form was already sent (\(TimeDisplay(debtorZone: zone, userZone: zone).instant(receipt.at))"
            + (receipt.by.map { " by \($0)" } ?? "") + ")"
    }
}
