import Foundation
import RecoupAPI
import RecoupCore
import RecoupStore
import RecoupTestSupport
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

@Suite("recoup payment post|reverse and POST /api/v1/payments")
struct PaymentCommandTests {
    static let openInvoice =
        IBMAccountsReceivableLayout.header.joined(separator: ",")
        + "\n391,0379-NEVHP,4/6/2013,0000611365,1/2/2013,2/1/2013,155.94,No,,Paper,,\n"

    /// A command's JSON answer as a value: members compare by name, in any order.
    static func json(_ text: String) throws -> JSONValue { try JSONValue.parse(Data(text.utf8)) }

    @Test("post, retry, conflicting retry, reverse, bad input: the real binary")
    func commandLine() async throws {
        let recoup = try RecoupBinary()
        let file = try recoup.write(Self.openInvoice, to: "open.csv")
        #expect(try await recoup.run(["import", "--format", "ibm-ar", "--client", "acme", file]).status == 0)
        let arguments = [
            "payment", "post", "--client", "acme", "--debt", "0000611365", "--amount", "55.94", "--on",
            "2013-03-01", "--key", "pay-1", "--method", "card",
        ]
        let first = try await recoup.run(arguments)
        #expect(first.status == 0)
        // One line of JSON with exactly these members and values (in the API's sorted order).
        #expect(first.standardOutput.hasSuffix("}\n") && !first.standardOutput.dropLast().contains("\n"))
        #expect(
            try Self.json(first.standardOutput)
                == Self.json(
                    #"{"status":"posted","client":"acme","debt":"0000611365","key":"pay-1","kind":"payment","amount":"55.94","effectiveOn":"2013-03-01","currency":"USD","allocation":{"fees":"0.00","interest":"0.00","principal":"55.94"},"balance":{"principal":"100.00","interest":"0.00","fees":"0.00","total":"100.00"}}"#
                ))
        let retry = try await recoup.run(arguments)
        #expect(try Self.json(retry.standardOutput).objectValue?["status"] == .string("already_posted"))
        #expect(retry.standardOutput.contains(#""total":"100.00""#))
        var changed = arguments
        changed[7] = "60.00"
        let conflict = try await recoup.run(changed)
        #expect(conflict.status == 2)
        #expect(conflict.standardError.contains(#"idempotency key "pay-1" was already used for a different entry"#))
        let reversal = try await recoup.run(
            [
                "payment", "reverse", "--client", "acme", "--debt", "0000611365", "--payment-key", "pay-1", "--on",
                "2013-03-10", "--key", "rev-1", "--reason", "nsf",
            ])
        #expect(reversal.status == 0)
        #expect(reversal.standardOutput.contains(#""kind":"payment_reversal""#))
        #expect(reversal.standardOutput.contains(#""total":"155.94""#))
        for (bad, message) in [
            (["--amount", "1.001"], "more decimals than USD allows"), (["--amount", "0"], "must be more than zero"),
            (["--on", "2013-02-30"], "February 2013 has 28 days"),
        ] {
            var input = arguments
            input[7] = bad[0] == "--amount" ? bad[1] : input[7]
            input[9] = bad[0] == "--on" ? bad[1] : input[9]
            input[11] = "other"
            let result = try await recoup.run(input)
            #expect(result.status == 2, "\(bad)")
            #expect(result.standardError.contains(message), "\(result.standardError)")
        }
        let spread = try await recoup.run(
            [
                "payment", "post", "--client", "acme", "--debtor", "0379-NEVHP", "--amount", "20.00", "--on",
                "2013-03-11",
                "--key", "spread-1",
            ])
        #expect(spread.status == 0)
        let spreadAnswer = try #require(try Self.json(spread.standardOutput).objectValue)
        let expected = [("status", "posted"), ("client", "acme"), ("debtor", "0379-NEVHP"), ("amount", "20.00")]
        for (member, value) in expected {
            #expect(spreadAnswer[member] == .string(value), "\(member)")
        }
        let part = try #require(spreadAnswer["parts"]?.arrayValue?.first?.objectValue)
        for (member, value) in [("debt", "0000611365"), ("key", "spread-1#0000611365"), ("amount", "20.00")] {
            #expect(part[member] == .string(value), "\(member)")
        }
        let neither = try await recoup.run([
            "payment", "post", "--client", "acme", "--amount", "1", "--on", "2013-03-01", "--key", "n",
        ])
        #expect(neither.status == 2)
        #expect(neither.standardError.contains("give either --debt or --debtor"))
        let unknown = try await recoup.run([
            "payment", "post", "--client", "nobody", "--debt", "x", "--amount", "1", "--on",
            "2013-03-01", "--key", "k",
        ])
        #expect(unknown.status == 2)
        #expect(unknown.standardError == "recoup: there is no client \"nobody\"\n")
    }

    @Test(
        "refund and import through the real binary: a credit paid back, a payment file posted once, a wrong header refused"
    )
    func refundAndImport() async throws {
        let recoup = try RecoupBinary()
        let file = try recoup.write(Self.openInvoice, to: "open.csv")
        #expect(try await recoup.run(["import", "--format", "ibm-ar", "--client", "acme", file]).status == 0)
        let payments = try recoup.write(
            "debt,amount,on,key,method\n0000611365,100.00,2013-03-01,a,card\n0000611365,80.00,2013-03-02,b,card\n"
                + "0000611365,x,2013-03-02,c,card\n",
            to: "payments.csv")
        let imported = try await recoup.run(["payment", "import", payments, "--client", "acme"])
        // A rejected row: the summary is printed and the good rows posted, the status says not every row went in.
        #expect(imported.status == 3)
        #expect(
            imported.standardError
                == "recoup: 1 of 3 rows was rejected; the others were posted (see \"errors\" in the summary)\n")
        #expect(
            imported.standardOutput.hasPrefix(
                #"{"rows":3,"posted":2,"alreadyPosted":0,"rejected":1,"errors":[{"line":4,"message":"amount: \"x\" is not an amount"#
            ))
        let again = try await recoup.run(["payment", "import", payments, "--client", "acme"])
        #expect(again.standardOutput.hasPrefix(#"{"rows":3,"posted":0,"alreadyPosted":2,"rejected":1,"#))
        let refund = try await recoup.run(
            [
                "payment", "refund", "--client", "acme", "--debt", "0000611365", "--amount", "24.06", "--on",
                "2013-03-05",
                "--key", "ref-1", "--method", "ach",
            ])
        #expect(refund.status == 0, "\(refund.standardError)")
        #expect(refund.standardOutput.contains(#""kind":"refund""#))
        #expect(refund.standardOutput.contains(#""amount":"24.06""#))
        #expect(refund.standardOutput.contains(#""total":"0.00""#))
        let tooMuch = try await recoup.run(
            [
                "payment", "refund", "--client", "acme", "--debt", "0000611365", "--amount", "0.01", "--on",
                "2013-03-06",
                "--key", "ref-2",
            ])
        #expect(tooMuch.status == 2)
        #expect(tooMuch.standardError.contains("there is no credit to refund"))
        let wrong = try recoup.write("debt,amount,when,key\n0000611365,1.00,2013-03-01,z\n", to: "wrong.csv")
        let refused = try await recoup.run(["payment", "import", wrong, "--client", "acme"])
        #expect(refused.status == 2)
        #expect(refused.standardError.contains(#"column 3 is "when""#))
    }

    @Test(
        "the API posts with 201, answers a retry with 200 and the same body, refuses nonsense with 4xx",
        arguments: TestStore.available)
    func api(store: TestStore) async throws {
        try await withApp(store) { app in
            let file = try TestFiles.temporary(Self.openInvoice)
            _ = try await Importer.run(
                ImportRequest(path: file, format: .ibmAR, clientRef: "acme"), on: app.db, now: testNow)
            let body =
                #"{"client": "acme", "debt": "0000611365", "amount": "55.94", "on": "2013-03-01", "key": "web-1"}"#
            var firstBody = ""
            try await app.api(.POST, "api/v1/payments", body: ByteBuffer(string: body)) { response async throws in
                #expect(response.status == .created)
                firstBody = response.body.string
                #expect(firstBody.contains(#""status":"posted""#))
            }
            try await app.api(.POST, "api/v1/payments", body: ByteBuffer(string: body)) { response async throws in
                #expect(response.status == .ok)
                #expect(
                    response.body.string == firstBody.replacingOccurrences(of: "\"posted\"", with: "\"already_posted\"")
                )
            }
            // `recoup payment post` with the same request prints what the API answered, byte for byte.
            let retried = try await PaymentStore.post(
                PaymentRequest(
                    clientRef: "acme", debtRef: "0000611365",
                    action: .pay(amount: .text("55.94", field: "amount"), on: try LocalDate(iso: "2013-03-01")),
                    idempotencyKey: "web-1"),
                on: app.db, now: testNow)
            #expect(
                try CommandOutput.text(Components.Schemas.PaymentPosted(retried, client: "acme", debt: "0000611365"))
                    == firstBody.replacingOccurrences(of: "\"posted\"", with: "\"already_posted\""))
            try await app.api(.POST, "api/v1/payments", body: ByteBuffer(string: "nonsense")) { response async throws in
                #expect(response.status == .badRequest)
            }
            try await app.api(
                .POST, "api/v1/payments",
                body: ByteBuffer(
                    string: #"{"client": "zzz", "debt": "1", "amount": "1", "on": "2013-03-01", "key": "k"}"#)
            ) { response async throws in
                #expect(response.status == .notFound)
            }
        }
    }
}
