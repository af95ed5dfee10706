import Foundation
import RecoupCore
import RecoupTestSupport
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

@Suite("recoup plan propose and POST /api/v1/plans/propose")
struct PlanCommandTests {
    static let request = """
        {"balance": "1250.00", "currency": "USD", "today": "2026-12-01",
         "offer": {"amount": "100.00", "frequency": "monthly", "firstDue": "2027-01-31"},
         "terms": {"minInstallment": "25.00", "maxInstallments": 24, "settlementPercent": 70}}
        """

    static let months = [
        "2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31", "2027-06-30", "2027-07-31", "2027-08-31",
        "2027-09-30", "2027-10-31", "2027-11-30", "2027-12-31",
    ]
    static let answer =
        #"{"accepted":true,"options":[{"kind":"installments","count":13,"total":"1250.00","installments":["#
        + months.map { #"{"due":"\#($0)","amount":"100.00"}"# }.joined(separator: ",")
        + #",{"due":"2028-01-31","amount":"50.00"}]},{"kind":"settlement","total":"875.00","installments":[{"due":"2027-01-31","amount":"875.00"}]}],"reasons":[]}"#

    @Test("the contract's example, byte for byte, from a file and from standard input")
    func contract() async throws {
        let recoup = try RecoupBinary()
        let file = try recoup.write(Self.request, to: "plan.json")
        let result = try await recoup.run(["plan", "propose", file])
        #expect(result.status == 0)
        #expect(result.standardOutput == Self.answer + "\n")
        #expect(
            try await recoup.run(["plan", "propose", "-"], input: Self.request).standardOutput == Self.answer + "\n")
    }

    @Test(
        "invalid requests exit 2 with one sentence",
        arguments: [
            ("{", "the request is not valid JSON"),
            (
                #"{"balance": "-10", "currency": "USD", "today": "2026-12-01", "offer": {"amount": "1", "frequency": "weekly", "firstDue": "2026-12-01"}}"#,
                "balance is -10; it must be more than zero"
            ),
            (
                #"{"balance": "ten", "currency": "USD", "today": "2026-12-01", "offer": {"amount": "1", "frequency": "weekly", "firstDue": "2026-12-01"}}"#,
                "balance"
            ),
            (
                #"{"balance": "10", "currency": "USD", "today": "2026-12-01", "offer": {"amount": "1", "frequency": "fortnightly", "firstDue": "2026-12-01"}}"#,
                "offer.frequency is \"fortnightly\""
            ),
            (
                #"{"balance": "10", "currency": "ABC", "today": "2026-12-01", "offer": {"amount": "1", "frequency": "weekly", "firstDue": "2026-12-01"}}"#,
                "currency is \"ABC\""
            ),
            (
                #"{"balance": "10.555", "currency": "USD", "today": "2026-12-01", "offer": {"amount": "1", "frequency": "weekly", "firstDue": "2026-12-01"}}"#,
                "more decimals than USD allows"
            ),
            // Once a trap in PlanCalculator (balance + amount - 1 overflowed): now refused at the edge.
            (
                #"{"balance": "92233720368547758.07", "currency": "USD", "today": "2026-12-01", "offer": {"amount": "92233720368547758.07", "frequency": "weekly", "firstDue": "2026-12-01"}, "terms": {"settlementPercent": 90}}"#,
                "balance \"92233720368547758.07\" is more than Recoup accepts"
            ),
            (
                #"{"balance": "100", "currency": "JPY", "today": "2026-12-01", "offer": {"amount": "9223372036854775807", "frequency": "weekly", "firstDue": "2026-12-01"}}"#,
                "offer.amount"
            ),
        ])
    func invalid(input: String, expected: String) async throws {
        let result = try await RecoupBinary().run(["plan", "propose"], input: input)
        #expect(result.status == 2)
        #expect(result.standardOutput == "")
        #expect(result.standardError.hasPrefix("recoup: "))
        #expect(result.standardError.contains(expected))
        #expect(result.standardError.split(separator: "\n").count == 1)
    }

    /// Each bad field of a plan request, refused where requests are read (the document's type, then Core's value:
    /// `PlanRequest(_:)`, shared by the API and `recoup plan propose`) in one sentence that names it.
    static let refusals: [(body: String, sentence: String)] = [
        ("not json", "the request is not valid JSON"),
        (
            #"{"balance": "-1.00", "currency": "USD", "today": "2026-12-01", "offer": {"amount": "1", "frequency": "weekly", "firstDue": "2026-12-01"}}"#,
            "balance is -1.00; it must be more than zero"
        ),
        (
            #"{"balance": "abc", "currency": "USD", "today": "2026-12-01", "offer": {"amount": "1", "frequency": "weekly", "firstDue": "2026-12-01"}}"#,
            "balance "
        ),
        (
            #"{"balance": "10.001", "currency": "USD", "today": "2026-12-01", "offer": {"amount": "1", "frequency": "weekly", "firstDue": "2026-12-01"}}"#,
            "balance "
        ),
        (
            #"{"balance": "92233720368547758.07", "currency": "USD", "today": "2026-12-01", "offer": {"amount": "1", "frequency": "weekly", "firstDue": "2026-12-01"}}"#,
            #"balance "92233720368547758.07" is more than Recoup accepts: amounts in USD are at most 99999999.99"#
        ),
        (
            #"{"balance": "10", "currency": "XXX", "today": "2026-12-01", "offer": {"amount": "1", "frequency": "weekly", "firstDue": "2026-12-01"}}"#,
            #"currency is "XXX", not a currency Recoup knows (such as USD, EUR, JPY)"#
        ),
        (
            #"{"balance": "10", "currency": "USD", "today": "2026-12-01", "offer": {"amount": "1", "frequency": "daily", "firstDue": "2026-12-01"}}"#,
            #"offer.frequency is "daily"; use one of weekly, biweekly, monthly"#
        ),
        (
            #"{"balance": "10", "currency": "USD", "today": "2026-12-01", "offer": {"amount": "0", "frequency": "weekly", "firstDue": "2026-12-01"}}"#,
            "offer.amount is 0; it must be more than zero"
        ),
        (
            #"{"balance": "10", "currency": "USD", "today": "2026-12-01", "offer": {"amount": "1", "frequency": "weekly", "firstDue": "2026-11-30"}}"#,
            "offer.firstDue is 2026-11-30, before today (2026-12-01); a plan starts today or later"
        ),
        (
            #"{"balance": "10", "currency": "USD", "today": "2026-02-30", "offer": {"amount": "1", "frequency": "weekly", "firstDue": "2026-12-01"}}"#,
            "today "
        ),
        (
            #"{"balance": "10", "currency": "USD", "today": "2026-12-01", "offer": {"amount": "1", "frequency": "weekly", "firstDue": "2026-12-01"}, "terms": {"settlementPercent": 120}}"#,
            "terms.settlementPercent is 120; use 1 to 100"
        ),
        (
            #"{"balance": "10", "currency": "USD", "today": "2026-12-01", "offer": {"amount": "1", "frequency": "weekly", "firstDue": "2026-12-01"}, "terms": {"maxInstallments": 0}}"#,
            "terms.maxInstallments is 0; it must be at least 1"
        ),
        (
            #"{"balance": "10", "currency": "USD", "today": "2026-12-01", "offer": {"amount": "1", "frequency": "weekly", "firstDue": "2026-12-01"}, "terms": {"minInstallment": "-1"}}"#,
            "terms.minInstallment is -1; it must be more than zero"
        ),
    ]

    @Test("every bad field of a plan request is refused with one sentence naming it (400 invalid_request)")
    func refusals() async throws {
        try await withApp(.sqlite) { app in
            for (body, sentence) in Self.refusals {
                try await app.api(.POST, "api/v1/plans/propose", body: ByteBuffer(string: body)) {
                    response async throws in
                    #expect(response.status == .badRequest, "\(body)")
                    let error = try response.content.decode(ErrorBody.self).error
                    #expect(error.code == "invalid_request")
                    #expect(error.message.hasPrefix(sentence), "\(error.message)")
                    #expect(!error.message.contains("\n"))
                }
            }
        }
    }

    @Test("the API answers the same, and 400 with a JSON error for a bad request")
    func api() async throws {
        try await withApp(.sqlite) { app in
            try await app.api(.POST, "api/v1/plans/propose", body: ByteBuffer(string: Self.request)) {
                response async throws in
                #expect(response.status == .ok)
                #expect(try JSONText.same(response.body.string, Self.answer))
            }
            try await app.api(
                .POST, "api/v1/plans/propose", body: ByteBuffer(string: #"{"balance": "1", "currency": "USD"}"#)
            ) { response async throws in
                #expect(response.status == .badRequest)
                #expect(try response.content.decode(ErrorBody.self).error.message == "today is missing")
            }
        }
    }
}
