import Foundation
import RecoupCore
import RecoupTestSupport
import Testing

@Suite("recoup client profile")
struct ClientProfileCommandTests {
    @Test("sets what is given, prints the profile as JSON, clears with an empty value, refuses bad input with exit 2")
    func commandLine() async throws {
        // Setup: a client created by an import, known by its reference alone.
        let recoup = try RecoupBinary()
        let file = try recoup.write(ArrangementCommandTests.openInvoices, to: "open.csv")
        #expect(try await recoup.run(["import", "--format", "ibm-ar", "--client", "acme", file]).status == 0)
        let empty = try await recoup.run(["client", "profile", "--client", "acme"])
        #expect(empty.status == 0)
        #expect(
            empty.standardOutput
                == #"{"address":null,"client":"acme","email":null,"name":null,"paymentInstructions":null,"paymentLink":null,"phone":null,"website":null}"#
                + "\n")
        // Act: set every field.
        let set = try await recoup.run([
            "client", "profile", "--client", "acme", "--name", "Acme Roofing", "--phone", "(617) 555-0142", "--email",
            "billing@acme.example", "--website", "https://acme.example", "--address",
            #"Acme Roofing LLC\n12 Main Street\nBoston, MA 02118"#, "--payment-instructions",
            "Mail a check payable to Acme Roofing LLC.", "--payment-link", "https://pay.acme.example/invoices",
        ])
        // Verify
        #expect(set.status == 0, "\(set.standardError)")
        let expected =
            #"{"address":"Acme Roofing LLC\n12 Main Street\nBoston, MA 02118","client":"acme","email":"billing@acme.example","name":"Acme Roofing","paymentInstructions":"Mail a check payable to Acme Roofing LLC.","paymentLink":"https:\/\/pay.acme.example\/invoices","phone":"+16175550142","website":"https:\/\/acme.example"}"#
            .replacingOccurrences(of: #"\/"#, with: "/") + "\n"
        #expect(set.standardOutput == expected)
        #expect(try await recoup.run(["client", "profile", "--client", "acme"]).standardOutput == expected)
        // An empty value clears one field and keeps the rest.
        let cleared = try await recoup.run(["client", "profile", "--client", "acme", "--website", ""])
        #expect(cleared.standardOutput.contains(#""website":null"#))
        #expect(cleared.standardOutput.contains(#""name":"Acme Roofing""#))
        // Bad input: one sentence naming the field, exit 2, nothing changed.
        for (arguments, sentence) in [
            (
                ["--payment-link", "ftp://pay.acme.example"],
                #"the payment link "ftp://pay.acme.example" is not a web address starting with https:// or http://"#
            ),
            (
                ["--email", "billing at acme"],
                #"the email "billing at acme" is not an email address such as billing@example.com"#
            ),
            (
                ["--phone", "555-0142"],
                #"the phone "555-0142" is not a phone number: a US number has 10 digits (11 with the country code 1), this one has 7; a number of another country starts with + and its country code"#
            ),
        ] {
            let refused = try await recoup.run(["client", "profile", "--client", "acme"] + arguments)
            #expect(refused.status == 2)
            #expect(refused.standardError == "recoup: \(sentence)\n")
            #expect(refused.standardOutput == "")
        }
        let unknown = try await recoup.run(["client", "profile", "--client", "nobody", "--name", "X"])
        #expect(unknown.status == 2)
        #expect(unknown.standardError == "recoup: there is no client \"nobody\"\n")
        #expect(
            try await recoup.run(["client", "profile", "--client", "acme"]).standardOutput == cleared.standardOutput)
        // The agreement written next says how to pay from the profile.
        let created = try await recoup.run([
            "arrangement", "create", "--client", "acme", "--debt", "INV-1", "--today", "2026-11-29", "--amount",
            "300.00", "--frequency", "monthly", "--first-due", "2026-12-31",
        ])
        #expect(created.status == 0, "\(created.standardError)")
        let agreement = try await recoup.run(["arrangement", "agreement", "ARR-000001", "--client", "acme"])
        #expect(agreement.standardOutput.contains("and Acme Roofing (\"we\"), to whom the debts below are owed."))
        #expect(agreement.standardOutput.contains("Pay online at https://pay.acme.example/invoices."))
        #expect(agreement.standardOutput.contains("call (617) 555-0142"))
    }
}
