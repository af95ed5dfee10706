import Foundation
import Testing

@testable import RecoupCore

@Suite("Client terms: read and written with Codable, refused naming the field")
struct ClientTermsTests {
    /// The example of docs/arrangements.md.
    static let example = """
        {"currency": "USD",
         "accrual": {"annualInterestPercent": "8", "interestCap": {"percentOfPrincipal": "25"},
                     "fees": [{"step": "final-notice", "flat": "25.00"}, {"step": "placement", "percentOfBalance": "10"}],
                     "feeCap": {"amount": "100.00"}},
         "plan": {"minInstallment": "25.00", "maxInstallments": 24, "settlementPercent": 70, "maxExtensionDays": 45,
                  "maxMonths": 30},
         "graceDays": 5, "collector": "Acme Recovery", "contact": "Call 555-0100 or pay at acme.example/pay"}
        """

    func read(_ text: String) throws(ComplianceRequestError) -> ClientTerms { try ClientTerms(json: Data(text.utf8)) }

    @Test("reads every member of the documented example")
    func example() throws {
        let terms = try read(Self.example)
        #expect(
            terms
                == ClientTerms(
                    currency: .usd,
                    accrual: try AccrualTerms(
                        annualRatePPM: 80_000, interestCap: .percentOfPrincipal(250_000),
                        fees: [
                            FeeRule(step: "final-notice", charge: .flat(2_500)),
                            FeeRule(step: "placement", charge: .percentOfBalance(100_000)),
                        ],
                        feeCap: .amount(10_000)),
                    plan: PlanTerms(
                        minInstallment: 2_500, maxInstallments: 24, settlementPercent: 70, maxExtensionDays: 45,
                        maxMonths: 30),
                    graceDays: 5, collectorName: "Acme Recovery",
                    contactLine: "Call 555-0100 or pay at acme.example/pay"))
    }

    @Test("what encodedJSON writes (members sorted, nulls written) and what jsonText writes both read back equal")
    func roundTrips() throws {
        let example = try read(Self.example)
        let yen = ClientTerms(
            currency: .jpy, accrual: try AccrualTerms(annualRatePPM: 1, feeCap: .percentOfPrincipal(1_000_000)),
            plan: PlanTerms(minInstallment: 0), graceDays: 0, collectorName: "\"Quoted\" \\ and\nnew line")
        for terms in [ClientTerms.standard, example, yen] {
            #expect(try ClientTerms(json: try terms.encodedJSON()) == terms)
            #expect(try read(terms.jsonText) == terms)
        }
        #expect(
            String(decoding: try ClientTerms.standard.encodedJSON(), as: UTF8.self)
                == #"{"accrual":{"annualInterestPercent":"0","fees":[]},"collector":null,"contact":null,"currency":"USD","#
                + #""graceDays":5,"plan":{"maxExtensionDays":null,"maxInstallments":null,"maxMonths":null,"#
                + #""minInstallment":null,"#
                + #""settlementPercent":null}}"#)
    }

    @Test("null members are absent, an empty collector or contact is none, unknown plan members are ignored")
    func absentMembers() throws {
        #expect(try read("{}") == .standard)
        #expect(
            try read(
                #"{"currency": null, "accrual": null, "plan": {"minInstallment": null, "note": 1}, "graceDays": null, "collector": "", "contact": null}"#
            ) == .standard)
        #expect(try read(#"{"plan": {"maxInstallments": 3.0}}"#).plan.maxInstallments == 3)
    }

    @Test(
        "refuses a bad member with one sentence that names it",
        arguments: [
            (#"{"graceDays": 99}"#, "graceDays is 99; use 0 to 60"),
            (#"{"graceDays": -1}"#, "graceDays is -1; use 0 to 60"),
            (#"{"graceDays": "5"}"#, "graceDays must be a whole number"),
            (#"{"graceDays": 2.5}"#, "graceDays must be a whole number"),
            (#"{"currency": "XYZ"}"#, #"currency is "XYZ", not a currency Recoup knows"#),
            (#"{"currency": 840}"#, "currency must be a string"),
            (#"{"collector": ["a"]}"#, "collector must be a string"),
            (
                #"{"colour": 1, "accrual": {}}"#,
                "colour is not a terms field; use currency, accrual, plan, graceDays, collector, contact"
            ),
            (#"{"accrual": 5}"#, "accrual must be a JSON object"),
            (#"{"accrual": {"annualInterestPercent": "150"}}"#, "accrual.annualInterestPercent is 150; an annual rate"),
            (#"{"accrual": {"rate": "5"}}"#, "accrual.rate is not a field of the terms; use annualInterestPercent"),
            (
                #"{"accrual": {"fees": [{"step": "a", "flat": "1"}, {"step": "a", "flat": "2"}]}}"#,
                #"accrual.fees[1].step repeats "a"; each step may carry one fee"#
            ),
            (
                #"{"accrual": {"fees": [{"step": "a", "flat": "1"}, {"step": "b", "percentOfBalance": "110"}]}}"#,
                "accrual.fees[1].percentOfBalance is 110; a fee is at most 100 percent of the balance"
            ),
            (#"{"accrual": {"feeCap": {"x": 1}}}"#, "accrual.feeCap.x is not a field of a cap"),
            (#"{"currency": "JPY", "accrual": {"feeCap": {"amount": "1.5"}}}"#, "accrual.feeCap.amount "),
            (#"{"plan": []}"#, "plan must be a JSON object"),
            (#"{"plan": {"maxInstallments": 0}}"#, "plan.maxInstallments is 0; it must be at least 1"),
            (#"{"plan": {"settlementPercent": 101}}"#, "plan.settlementPercent is 101; use 1 to 100"),
            (#"{"plan": {"maxExtensionDays": 3651}}"#, "plan.maxExtensionDays is 3651; use 0 to 3650"),
            (#"{"plan": {"maxMonths": 0}}"#, "plan.maxMonths is 0; use 1 to 240"),
            (#"{"plan": {"maxMonths": 241}}"#, "plan.maxMonths is 241; use 1 to 240"),
            (#"{"plan": {"minInstallment": "-1.00"}}"#, "plan.minInstallment is -1.00; it must be more than zero"),
            (#"{"plan": {"minInstallment": false}}"#, #"plan.minInstallment must be an amount such as "125.00""#),
            (#"{"plan": {"maxInstallments": "24"}}"#, "plan.maxInstallments must be a whole number"),
            ("[1]", "the terms must be a JSON object"),
            ("{", "the terms is not valid JSON"),
            ("", "the terms is empty"),
        ])
    func refused(json: String, sentence: String) {
        #expect {
            try read(json)
        } throws: { error in
            guard let error = error as? ComplianceRequestError else { return false }
            return error.description.hasPrefix(sentence) && !error.description.contains("\n")
        }
    }

    @Test("validate refuses what the memberwise initializer lets through, with the reader's sentences")
    func validate() throws {
        try ClientTerms.standard.validate()
        #expect(throws: ComplianceRequestError(field: "graceDays", problem: "is 61; use 0 to 60")) {
            try ClientTerms(graceDays: 61).validate()
        }
        #expect(throws: ComplianceRequestError(field: "plan.settlementPercent", problem: "is 0; use 1 to 100")) {
            try ClientTerms(plan: PlanTerms(settlementPercent: 0)).validate()
        }
        #expect(
            throws: ComplianceRequestError(field: "plan.minInstallment", problem: "is -0.01; it cannot be negative")
        ) {
            try ClientTerms(plan: PlanTerms(minInstallment: -1)).validate()
        }
    }
}
