import Foundation
import RecoupAPI
import RecoupCore
import RecoupStore
import RecoupTestSupport
import Testing
import Vapor
import VaporTesting

@testable import RecoupServer

@Suite("Client terms and projections between the API's types and Core's values")
struct ClientTermsAPITests {
    static let example = """
        {"currency": "USD",
         "accrual": {"annualInterestPercent": "8", "interestCap": {"percentOfPrincipal": "25"},
                     "fees": [{"step": "final-notice", "flat": "25.00"}, {"step": "placement", "percentOfBalance": "10"}],
                     "feeCap": {"amount": "100.00"}},
         "plan": {"minInstallment": "25.00", "maxInstallments": 24, "settlementPercent": 70, "maxExtensionDays": 45,
                  "maxMonths": 30},
         "graceDays": 5, "collector": "Acme Recovery", "contact": "Call 555-0100 or pay at acme.example/pay"}
        """

    static func terms() throws -> [ClientTerms] {
        [
            .standard, try ClientTerms(json: Data(example.utf8)),
            ClientTerms(
                currency: .kwd,
                accrual: try AccrualTerms(annualRatePPM: 1, interestCap: .amount(0), feeCap: .percentOfPrincipal(5)),
                plan: PlanTerms(minInstallment: 1_250, maxExtensionDays: 0), graceDays: 0, contactLine: "a/b \"c\""),
        ]
    }

    @Test("the answer made field by field is what reading Core's JSON text as the document's type made before")
    func answers() throws {
        for terms in try Self.terms() {
            let before = try JSONDecoder().decode(Components.Schemas.ClientTerms.self, from: Data(terms.jsonText.utf8))
            #expect(Components.Schemas.ClientTerms(terms) == before)
        }
        let day = try LocalDate(iso: "2026-12-01")
        for currency in [Currency.usd, .kwd] {
            var ledger = Ledger(currency: currency)
            try ledger.post(.charge(amount: 100_000, on: day, key: "charge"))
            for months in [0, 3] {
                let projection = BalanceProjection(
                    ledger: ledger, terms: try AccrualTerms(annualRatePPM: 120_000), pauses: [], accruesAfter: day,
                    from: day, months: months)
                let before = try JSONDecoder().decode(
                    Components.Schemas.Projection.self, from: Data(projection.jsonText(currency: currency).utf8))
                #expect(Components.Schemas.Projection(projection, currency: currency) == before)
            }
        }
    }

    @Test("a body read as the document's type becomes the same value as the same text read as a terms file")
    func requests() throws {
        for terms in try Self.terms() {
            for text in [Self.example, terms.jsonText, String(decoding: try terms.encodedJSON(), as: UTF8.self)] {
                let body = try JSONDecoder().decode(Components.Schemas.ClientTerms.self, from: Data(text.utf8))
                #expect(try ClientTerms(body) == ClientTerms(json: Data(text.utf8)))
            }
        }
    }

    @Test(
        "PUT answers the stored terms, and refuses a bad value with the sentence a terms file gets",
        arguments: TestStore.available)
    func put(store: TestStore) async throws {
        try await withApp(store) { app in
            _ = try await AccessTests.twoClients(app)
            try await app.api(.PUT, "api/v1/clients/alpha/terms", body: ByteBuffer(string: Self.example)) {
                response async throws in
                #expect(response.status == .ok)
                #expect(
                    try JSONText.same(response.body.string, try ClientTerms(json: Data(Self.example.utf8)).jsonText))
            }
            try await app.api(.GET, "api/v1/clients/alpha/terms") { response async throws in
                #expect(
                    try JSONText.same(response.body.string, try ClientTerms(json: Data(Self.example.utf8)).jsonText))
            }
            // Beta has no terms: the standard ones, members without a value left out.
            try await app.api(.GET, "api/v1/clients/beta/terms") { response async throws in
                #expect(
                    try JSONText.same(
                        response.body.string,
                        #"{"currency":"USD","accrual":{"annualInterestPercent":"0","fees":[]},"plan":{},"graceDays":5}"#
                    ))
            }
            let refusals = [
                (#"{"graceDays": 99}"#, "graceDays is 99; use 0 to 60"),
                (#"{"currency": "XYZ"}"#, #"currency is "XYZ", not a currency Recoup knows"#),
                (
                    #"{"accrual": {"annualInterestPercent": "150"}}"#,
                    "accrual.annualInterestPercent is 150; an annual rate above 100 percent is refused"
                ),
                (
                    #"{"accrual": {"fees": [{"step": "a", "flat": "1"}, {"step": "a", "flat": "2"}]}}"#,
                    #"accrual.fees[1].step repeats "a"; each step may carry one fee"#
                ),
                (
                    #"{"accrual": {"fees": [{"step": "Final", "flat": "1"}]}}"#,
                    #"accrual.fees[0].step is "Final"; a step name uses lowercase letters"#
                ),
                (#"{"accrual": {"feeCap": {"amount": "5.001"}}}"#, "accrual.feeCap.amount "),
                (#"{"plan": {"maxInstallments": 0}}"#, "plan.maxInstallments is 0; it must be at least 1"),
                (#"{"plan": {"minInstallment": "-1"}}"#, "plan.minInstallment is -1; it must be more than zero"),
            ]
            for (body, sentence) in refusals {
                try await app.api(.PUT, "api/v1/clients/alpha/terms", body: ByteBuffer(string: body)) {
                    response async throws in
                    #expect(response.status == .badRequest, "\(body)")
                    let error = try response.content.decode(ErrorBody.self).error
                    #expect(error.code == "invalid_request")
                    #expect(error.message.hasPrefix(sentence), "\(error.message)")
                    // The same body as a terms file: the same sentence.
                    #expect {
                        try ClientTerms(json: Data(body.utf8))
                    } throws: { fileError in
                        (fileError as? ComplianceRequestError)?.description == error.message
                    }
                }
            }
            // Nothing refused was stored.
            let stored = try await AccrualStore.terms(clientRef: "alpha", on: app.db).terms
            #expect(stored == (try ClientTerms(json: Data(Self.example.utf8))))
        }
    }
}
