import Foundation
import RecoupCore
import RecoupStore
import Vapor

/// What the client profile page (`client.leaf`) shows: the form with the stored profile (or what was sent, with what
/// is wrong with it), what the last save did, and how debtors will read it.
struct ClientProfilePage: Encodable {
    /// The form's fields as text.
    struct Fields: Encodable {
        var name = ""
        var phone = ""
        var email = ""
        var website = ""
        var address = ""
        var paymentInstructions = ""
        var paymentLink = ""
    }

    /// The form as sent: a field left out changes nothing, an empty one clears it.
    struct Form: Content {
        var name: String?
        var phone: String?
        var email: String?
        var website: String?
        var address: String?
        var paymentInstructions: String?
        var paymentLink: String?

        var update: ClientProfileUpdate {
            ClientProfileUpdate(
                name: name, phone: phone, email: email, website: website, address: address,
                paymentInstructions: paymentInstructions, paymentLink: paymentLink)
        }
    }

    var title: String
    var ref: String
    var name: String
    /// True while the client has no name of its own.
    var unnamed: Bool
    var action: String
    var fields: Fields
    var flash: Flash?
    /// The sentence that says what is wrong with the form as sent, and the field it names (`ClientProfile.Field`).
    var problem: String?
    var problemField: String?
    /// How the portal introduces the client, and the line new agreements give under "How to pay or contact us".
    var portalSentence: String
    var agreementLine: String

    init(_ request: Request, stored: StoredClientProfile) async throws {
        let terms = try await AccrualStore.terms(clientRef: stored.ref, on: request.db).terms
        let profile = stored.profile
        title = stored.displayName
        ref = stored.ref
        name = stored.displayName
        unnamed = profile.name == nil
        action = AdminPagesController.profilePath(stored.ref) + "/profile"
        fields = Fields(
            name: profile.name ?? "", phone: profile.readablePhone ?? "", email: profile.email ?? "",
            website: profile.website ?? "", address: profile.address ?? "",
            paymentInstructions: profile.paymentInstructions ?? "", paymentLink: profile.paymentLink ?? "")
        portalSentence = profile.whoIsContacting(collector: terms.collectorName)
        agreementLine =
            AgreementDocument.parties(
                profile: profile, terms: terms, storedName: stored.displayName,
                reference: "the agreement's number"
            )
            .contactLine
    }

    /// Shows the form as it was sent, with `problem`.
    mutating func entered(_ form: Form, problem: String) {
        fields = Fields(
            name: form.name ?? fields.name, phone: form.phone ?? fields.phone, email: form.email ?? fields.email,
            website: form.website ?? fields.website, address: form.address ?? fields.address,
            paymentInstructions: form.paymentInstructions ?? fields.paymentInstructions,
            paymentLink: form.paymentLink ?? fields.paymentLink)
        self.problem = problem.prefix(1).uppercased() + problem.dropFirst() + "."
        problemField =
            ClientProfile.Field.allCases.sorted { $0.label.count > $1.label.count }
            .first { problem.hasPrefix("the \($0.label) ") }?.rawValue
    }

    /// What a profile lacks for debtors, for the clients list: "complete", or what to add.
    static func lacking(_ profile: ClientProfile) -> String {
        var missing: [String] = []
        if profile.name == nil { missing.append("a name (pages show the reference)") }
        if profile.paymentInstructions == nil && profile.paymentLink == nil { missing.append("how to pay") }
        if profile.phone == nil && profile.email == nil { missing.append("a phone or email") }
        return missing.isEmpty ? "complete" : "add " + missing.joined(separator: ", ")
    }
}
