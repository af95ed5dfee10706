import Foundation
import Testing

@testable import RecoupCore

@Suite("Client profiles")
struct ClientProfileTests {
    static let harbor = ClientProfile(
        name: "Harbor Dental Group", phone: "+16175550142", email: "billing@harbordental.example",
        website: "https://harbordental.example", address: "Harbor Dental Group\n200 Atlantic Ave\nBoston, MA 02110",
        paymentInstructions: "Pay by card at the front desk, or mail a check payable to Harbor Dental Group",
        paymentLink: "https://pay.harbordental.example/invoice")

    @Test("an update reads each field as people type it and keeps what it does not name")
    func update() throws {
        // Setup: a profile with a name and an email.
        let before = ClientProfile(name: "Old Name", email: "old@example.com")
        // Act
        let after = try ClientProfileUpdate(
            name: "  Harbor   Dental Group ", phone: "(617) 555-0142", website: " https://harbordental.example ",
            address: "Harbor Dental Group\r\n\n  200 Atlantic Ave  \nBoston, MA 02110\n",
            paymentInstructions: "Mail a check.\n  Or call us. ", paymentLink: "HTTPS://pay.example/x?y=1"
        ).applied(to: before)
        // Verify
        #expect(after.name == "Harbor Dental Group")
        #expect(after.phone == "+16175550142")
        #expect(after.email == "old@example.com")
        #expect(after.website == "https://harbordental.example")
        #expect(after.addressLines == ["Harbor Dental Group", "200 Atlantic Ave", "Boston, MA 02110"])
        #expect(after.paymentInstructions == "Mail a check.\nOr call us.")
        #expect(after.paymentLink == "HTTPS://pay.example/x?y=1")
    }

    @Test("an empty value clears a field; an empty update changes nothing")
    func clearing() throws {
        let cleared = try ClientProfileUpdate(name: "", phone: "  ", paymentLink: "").applied(to: Self.harbor)
        #expect(cleared.name == nil)
        #expect(cleared.phone == nil)
        #expect(cleared.paymentLink == nil)
        #expect(cleared.email == Self.harbor.email)
        #expect(ClientProfileUpdate().isEmpty)
        #expect(!ClientProfileUpdate(email: "").isEmpty)
        #expect(try ClientProfileUpdate().applied(to: Self.harbor) == Self.harbor)
    }

    @Test(
        "bad input is one sentence that names the field",
        arguments: [
            (
                ClientProfileUpdate(phone: "555-0100"),
                "the phone \"555-0100\" is not a phone number: a US number has 10 digits (11 with the country code 1), "
                    + "this one has 7; a number of another country starts with + and its country code"
            ),
            (
                ClientProfileUpdate(phone: "call us"),
                "the phone \"call us\" is not a phone number: it has letters; write the digits, such as +12125550123 "
                    + "or (212) 555-0123"
            ),
            (
                ClientProfileUpdate(email: "billing at harbor"),
                "the email \"billing at harbor\" is not an email address such as billing@example.com"
            ),
            (
                ClientProfileUpdate(website: "harbordental.example"),
                "the website \"harbordental.example\" is not a web address starting with https:// or http://"
            ),
            (
                ClientProfileUpdate(paymentLink: "javascript:alert(1)"),
                "the payment link \"javascript:alert(1)\" is not a web address starting with https:// or http://"
            ),
            (
                ClientProfileUpdate(paymentLink: "https://"),
                "the payment link \"https://\" is not a web address starting with https:// or http://"
            ),
            (ClientProfileUpdate(name: "Harbor\nDental"), "the name must be one line"),
            (ClientProfileUpdate(name: "Harbor\u{7}"), "the name contains a control character (U+0007)"),
            (
                ClientProfileUpdate(name: String(repeating: "a", count: 121)),
                "the name has 121 characters; use at most 120"
            ),
            (ClientProfileUpdate(address: "1\n2\n3\n4\n5\n6\n7"), "the mailing address has 7 lines; use at most 6"),
            (
                ClientProfileUpdate(paymentInstructions: String(repeating: "x", count: 1_001)),
                "the payment instructions have 1001 characters; use at most 1000"
            ),
        ])
    func refusals(update: ClientProfileUpdate, sentence: String) {
        #expect(throws: ClientProfileError.self) { try update.applied(to: Self.harbor) }
        do {
            _ = try update.applied(to: Self.harbor)
        } catch {
            #expect(error.description == sentence)
        }
    }

    @Test("a North American phone reads as (617) 555-0142; others stay E.164")
    func readablePhone() {
        #expect(ClientProfile.readable(phone: "+16175550142") == "(617) 555-0142")
        #expect(ClientProfile.readable(phone: "+442079460018") == "+442079460018")
        #expect(ClientProfile().readablePhone == nil)
    }

    @Test("who is contacting: the collector, the client's name, never its reference")
    func whoIsContacting() {
        #expect(
            Self.harbor.whoIsContacting(collector: nil)
                == "Harbor Dental Group is contacting you about money you owe it.")
        #expect(
            Self.harbor.whoIsContacting(collector: "Harbor Dental Group")
                == "Harbor Dental Group is contacting you about money you owe it.")
        #expect(
            Self.harbor.whoIsContacting(collector: "Fairway Recovery")
                == "Fairway Recovery is contacting you about money owed to Harbor Dental Group.")
        #expect(
            ClientProfile().whoIsContacting(collector: "Fairway Recovery")
                == "Fairway Recovery is contacting you about money you owe.")
        #expect(ClientProfile().whoIsContacting(collector: nil) == "We are contacting you about money you owe.")
    }

    @Test("the agreement's contact line comes from the profile, then the terms, then a sentence naming the collector")
    func agreementParties() {
        let terms = ClientTerms(collectorName: "Fairway Recovery", contactLine: "Call 555-0100.")
        let fromProfile = AgreementDocument.parties(
            profile: Self.harbor, terms: terms, storedName: "harbor-dental", reference: "ARR-000007")
        #expect(fromProfile.creditorName == "Harbor Dental Group")
        #expect(fromProfile.collectorName == "Fairway Recovery")
        #expect(
            fromProfile.contactLine
                == "Pay by card at the front desk, or mail a check payable to Harbor Dental Group. Pay online at "
                + "https://pay.harbordental.example/invoice. To pay or ask anything, call (617) 555-0142, email "
                + "billing@harbordental.example or write to Harbor Dental Group, 200 Atlantic Ave, Boston, MA 02110. "
                + "Website: https://harbordental.example. Please quote ARR-000007.")
        let nameOnly = AgreementDocument.parties(
            profile: ClientProfile(name: "Harbor Dental Group"), terms: terms, storedName: "harbor-dental",
            reference: "ARR-000007")
        #expect(nameOnly.contactLine == "Call 555-0100.")
        let nothing = AgreementDocument.parties(
            profile: ClientProfile(), terms: .standard, storedName: "Acme Roofing", reference: "ARR-000001")
        #expect(nothing.creditorName == "Acme Roofing")
        #expect(nothing.collectorName == "Acme Roofing")
        #expect(
            nothing.contactLine
                == "To pay or to ask anything about this agreement, contact Acme Roofing and quote ARR-000001.")
        let phoneOnly = ClientProfile(phone: "+16175550142").agreementContactLine(reference: "ARR-000002")
        #expect(phoneOnly == "To pay or ask anything, call (617) 555-0142. Please quote ARR-000002.")
    }

    @Test("the agreement renders the profile's line under How to pay or contact us")
    func renderedAgreement() {
        let parties = AgreementDocument.parties(
            profile: Self.harbor, terms: .standard, storedName: "harbor-dental", reference: "ARR-000003")
        let document = AgreementDocument(
            reference: "ARR-000003", writtenOn: ArrangementFixture.day("2027-01-10"),
            debtor: .init(name: "Dana Whitfield", addressLines: []), creditorName: parties.creditorName,
            collectorName: parties.collectorName, contactLine: parties.contactLine, currency: .usd,
            debts: [.init(ref: "INV-1", amount: 10_000)], installments: ArrangementFixture.monthly(1), graceDays: 5,
            kind: .installments)
        let text = document.render().text
        #expect(text.contains("HOW TO PAY OR CONTACT US\nPay by card at the front desk"))
        #expect(text.contains("and Harbor Dental Group (\"we\"), to whom the debts below are owed."))
        #expect(!text.contains("harbor-dental"))
    }
}
