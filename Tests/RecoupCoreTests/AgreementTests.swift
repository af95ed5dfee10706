import Foundation
import Testing

@testable import RecoupCore

@Suite("Agreements")
struct AgreementTests {
    typealias F = ArrangementFixture

    func document(
        kind: PlanOption.Kind = .installments, installments: [Installment] = ArrangementFixture.monthly(12),
        debts: [AgreementDocument.Debt] = [
            .init(ref: "INV-1001", description: "Roof repair", amount: 90_000), .init(ref: "INV-1002", amount: 30_000),
        ],
        debtorName: String = "Dana Whitfield", graceDays: Int = 5
    ) -> AgreementDocument {
        AgreementDocument(
            reference: "AGR-2027-0042", writtenOn: F.day("2027-01-10"),
            debtor: .init(name: debtorName, addressLines: ["12 Elm Street", "Springfield, IL 62701"]),
            creditorName: "Northside Builders", collectorName: "Fairway Recovery",
            contactLine: "Pay at pay.fairway.example or call 555-0100, Monday to Friday 9am–5pm.", currency: .usd,
            debts: debts, installments: installments, graceDays: graceDays, kind: kind)
    }

    @Test("the text names the parties and every debt, due date and amount, the total, the grace days and the rights")
    func textContents() {
        let text = document().render().text
        #expect(text.hasPrefix("PAYMENT ARRANGEMENT AGR-2027-0042\nWritten on 2027-01-10\n"))
        for installment in F.monthly(12) {
            #expect(text.contains("$100.00 due on \(installment.due.isoString)"))
        }
        #expect(text.contains("12. $100.00 due on 2027-12-31"))
        #expect(text.contains("Total you will pay: $1,200.00"))
        #expect(text.contains("- INV-1001 (Roof repair): $900.00\n- INV-1002: $300.00\nTotal of the debts: $1,200.00"))
        #expect(
            text.contains(
                "This agreement is between Dana Whitfield (\"you\") and Fairway Recovery (\"we\"), who collects the debts "
                    + "below on behalf of Northside Builders, to whom they are owed."))
        #expect(text.contains("Dana Whitfield\n12 Elm Street\nSpringfield, IL 62701\n\nTHE DEBTS"))
        #expect(
            text.contains(
                "You have 5 grace days: a payment made in full within 5 days after its due date still counts as on time."
            ))
        #expect(
            text.contains(
                "If a payment is not made in full within 5 days after its due date, this arrangement ends. The remaining "
                    + "balance of the debts, less what you have paid, will then be due again, and we may resume collection. "
                    + "This agreement does not add any fee, interest or other penalty because a payment was missed."))
        #expect(
            text.contains(
                "You can dispute any of these debts at any time by writing to Fairway Recovery. While we check a dispute, "
                    + "we stop collecting the disputed debt. This agreement does not take away any of your rights."))
        #expect(text.contains("ask for a new arrangement"))
        #expect(text.contains("You will pay $1,200.00 in 12 payments, each on or before its due date below."))
        #expect(!text.contains("{{"))
        #expect(!text.contains("\n\n\n"))
    }

    @Test("the HTML is a complete page with a heading, tables and no external resources")
    func htmlPage() {
        let html = document().render().html
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">\n"))
        #expect(html.hasSuffix("</body>\n</html>\n"))
        #expect(html.contains("<h1>Payment arrangement AGR-2027-0042</h1>"))
        #expect(html.contains("<tr><td>12</td><td>2027-12-31</td><td class=\"amount\">$100.00</td></tr>"))
        #expect(html.contains("<tr><td>INV-1001</td><td>Roof repair</td><td class=\"amount\">$900.00</td></tr>"))
        #expect(html.components(separatedBy: "<table>").count == 3)
        #expect(!html.contains("src="))
        #expect(!html.contains("href="))
        #expect(!html.contains("http"))
        #expect(html.contains("Dana Whitfield (&quot;you&quot;)"))
    }

    @Test("every value is escaped in HTML and written as it is in text")
    func escaping() {
        let rendered = document(debtorName: "O'Brien <b>&").render()
        #expect(rendered.html.contains("O&#39;Brien &lt;b&gt;&amp;"))
        #expect(!rendered.html.contains("O'Brien"))
        #expect(!rendered.html.contains("<b>"))
        #expect(rendered.text.contains("O'Brien <b>&"))
    }

    @Test("rendering is deterministic: the same document gives the same bytes")
    func deterministic() {
        let first = document().render()
        let second = document().render()
        #expect(Data(first.text.utf8) == Data(second.text.utf8))
        #expect(Data(first.html.utf8) == Data(second.html.utf8))
        #expect(document(graceDays: 6).render().text != first.text)
    }

    @Test("a settlement says what is forgiven once every payment is made on time, and that a missed one ends it")
    func settlement() {
        let installments = [
            Installment(due: F.day("2027-02-01"), amount: 50_000),
            Installment(due: F.day("2027-03-01"), amount: 34_000),
        ]
        let text = document(kind: .settlement, installments: installments).render().text
        #expect(
            text.contains(
                "Northside Builders agrees to settle these debts, which come to $1,200.00, for $840.00. You will pay "
                    + "$840.00 in 2 payments, each on or before its due date below. Once every payment is made on time, "
                    + "the remaining $360.00 will be forgiven and you will owe nothing more on these debts."))
        #expect(text.contains("this arrangement ends and the settlement no longer applies."))
    }

    @Test("an extension says more time is given for one payment")
    func extensionSentence() {
        let installments = [Installment(due: F.day("2027-04-30"), amount: 120_000)]
        let text = document(kind: .extension, installments: installments, graceDays: 0).render().text
        #expect(
            text.contains(
                "We have agreed to give you more time: you will pay $1,200.00 in one payment, on or before the due date below."
            ))
        #expect(text.contains("1. $1,200.00 due on 2027-04-30"))
        #expect(text.contains("There are no grace days: each payment must be made in full by its due date."))
        #expect(text.contains("If a payment is not made in full by its due date, this arrangement ends."))
    }

    @Test("a client collecting its own debts is named once as a party")
    func firstParty() {
        var document = document()
        document.collectorName = "Northside Builders"
        #expect(
            document.partiesSentence
                == "This agreement is between Dana Whitfield (\"you\") and Northside Builders (\"we\"), "
                + "to whom the debts below are owed.")
    }

    @Test("an arrangement's agreement takes its currency, schedule, grace days and kind, and says so")
    func fromArrangement() throws {
        // None of these is a default: a settlement in pounds with 7 grace days.
        let installments = [
            Installment(due: F.day("2027-02-01"), amount: 50_000),
            Installment(due: F.day("2027-03-01"), amount: 34_000),
        ]
        let arrangement = try Arrangement(
            currency: .gbp, debts: [ArrangementDebt(ref: "INV-1", amount: 84_000)], kind: .settlement,
            installments: installments, graceDays: 7)
        let agreement = AgreementDocument(
            arrangement: arrangement, reference: "AGR-1", writtenOn: F.day("2027-01-02"),
            debtor: .init(name: "Dana Whitfield", addressLines: []), creditorName: "Northside Builders",
            collectorName: "Fairway Recovery", contactLine: "Call 555-0100.",
            debts: [.init(ref: "INV-1", amount: 120_000)])
        #expect(agreement.currency == .gbp)
        #expect(agreement.kind == .settlement)
        #expect(agreement.installments == installments)
        #expect(agreement.total == 84_000)
        #expect(agreement.graceDays == 7)
        let text = agreement.render().text
        #expect(text.contains("Dana Whitfield\n\nTHE DEBTS"))
        #expect(text.contains("agrees to settle these debts, which come to £1,200.00, for £840.00."))
        #expect(text.contains("You have 7 grace days"))
    }

    @Test(
        "a custom template repeats sections, reads outer names inside them, and drops lines holding only a section tag")
    func customTemplate() throws {
        let template = try AgreementTemplate(
            agreement:
                "Dear {{debtorName}},\n  {{#installments}}\n{{number}}/{{installmentCount}} {{due}}\n  {{/installments}}\nEnd",
            format: .text)
        let text = template.render(document(installments: F.monthly(2)))
        #expect(text == "Dear Dana Whitfield,\n1/2 2027-01-31\n2/2 2027-02-28\nEnd")
        let inline = try AgreementTemplate(
            "{{#rows}}[{{cell}}]{{/rows}}", format: .html,
            schema: TemplateSchema(fields: [], lists: ["rows": TemplateSchema(fields: ["cell"])]))
        #expect(inline.render(["rows": .list([["cell": .text("a")], ["cell": .text("<b>")]])]) == "[a][&lt;b&gt;]")
        #expect(inline.render(["rows": .list([])]) == "")
    }

    @Test("line ends written as CRLF are read as line ends")
    func crlfTemplate() throws {
        let template = try AgreementTemplate(agreement: "A\r\n{{#debts}}\r\n{{ref}}\r\n{{/debts}}\r\nB", format: .text)
        #expect(template.render(document()) == "A\nINV-1001\nINV-1002\nB")
    }

    @Test(
        "a bad template is refused when parsed, saying what and where",
        arguments: [
            (
                "Hello {{debtorName}}\n{{debtr}}",
                "Line 2: {{debtr}} is not a known placeholder; the known names are acceptanceSentence, collectorName, "
                    + "contactLine, creditorName, currency, debtorAddress, debtorName, debtsTotal, disputeSentence, "
                    + "forgiven, graceDays, graceSentence, installmentCount, kind, kindSentence, missedPaymentSentence, "
                    + "newArrangementSentence, partiesSentence, reference, total, writtenOn."
            ),
            ("{{#debts}}\n{{ref}}\n", "Line 1: the section {{#debts}} is never closed with {{/debts}}."),
            (
                "{{#debts}}{{/installments}}",
                "Line 1: {{/installments}} closes a section that is not open; the open section is debts."
            ),
            ("\n{{/debts}}", "Line 2: {{/debts}} closes a section that is not open; no section is open."),
            (
                "{{#payments}}{{/payments}}",
                "Line 1: {{#payments}} is not a known list; the known lists are debtorAddressLines, debts, installments."
            ),
            (
                "{{installments}}",
                "Line 1: installments is a list; repeat it with {{#installments}}…{{/installments}} instead of {{installments}}."
            ),
            ("a\nb {{total", "Line 2: a placeholder opened with {{ is not closed with }} on the same line."),
            ("{{ }}", "Line 1: a placeholder {{ }} has no name."),
            ("{{#installments}}{{number}} of {{installmentCount}}{{/installments}}", nil),
        ] as [(String, String?)])
    func templateErrors(source: String, message: String?) {
        do {
            _ = try AgreementTemplate(agreement: source, format: .text)
            #expect(message == nil)
        } catch {
            #expect(error.description == (message ?? "no error"))
        }
    }
}
