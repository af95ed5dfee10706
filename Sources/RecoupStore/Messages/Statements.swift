import Foundation
import RecoupCore

/// The PDF statement an email's template may ask for (`TemplateSource.attachStatement`): the debts the message is
/// about as they stand when it is sent, itemized in a table — reference, due date, principal, interest, fees, what was
/// paid, what is owed — with the total, in the debtor's language, laid out as a letter (`LetterLayout`).
enum Statements {
    /// The statement of `context`'s debts, from `sender` to `recipient`.
    static func document(
        _ context: MessageContext, language: MessageLanguage, sender: [String], recipient: [String]
    ) -> PDFDocument {
        let say = Phrases.of(language)
        let money = { (units: Int64) in MessageTemplates.amount(units, context.currency) }
        let spanish = language == .es
        var rows: [[String]] = []
        for item in context.items {
            let charged = item.principal &+ item.interest &+ item.fees
            rows.append([
                item.ref, say.date(item.dueOn), money(item.principal), money(item.interest), money(item.fees),
                money(max(0, charged &- item.total)), money(item.total),
            ])
        }
        let total = context.totalOwed.map(money) ?? ""
        let heading = spanish ? "Estado de cuenta" : "Statement of account"
        let body =
            spanish
            ? """
            Cantidades adeudadas a \(context.creditorName) por \(context.debtorName) al \(say.date(context.asOf)).

            \(say.disclosure(agency: context.collectingForAnother))
            """
            : """
            Amounts owed to \(context.creditorName) by \(context.debtorName) as of \(say.date(context.asOf)).

            \(say.disclosure(agency: context.collectingForAnother))
            """
        var letter = Letter(
            sender: sender, recipient: recipient, date: say.date(context.asOf), heading: heading, body: body)
        letter.table = Letter.Table(
            header: spanish
                ? ["Referencia", "Vence", "Capital", "Intereses", "Cargos", "Pagado", "Adeudado"]
                : ["Reference", "Due", "Principal", "Interest", "Fees", "Paid", "Owed"],
            rows: rows, total: [spanish ? "Total" : "Total", "", "", "", "", "", total])
        letter.tableAfter = 1
        if spanish {
            letter.pageWord = "Página"
            letter.ofWord = "de"
        }
        return LetterLayout.document(letter, title: heading)
    }
}
