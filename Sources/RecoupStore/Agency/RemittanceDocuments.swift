import Foundation
import RecoupCore

/// A remittance statement as the client receives it: a PDF (the figures, then one line per payment) and a CSV with
/// one line per payment. Both are written from the stored statement and its lines, so downloading one again gives the
/// same bytes.
public enum RemittanceDocuments {
    /// What a line is, in words.
    static func kindWords(_ line: RemittanceLine) -> String {
        switch (line.kind, line.afterRemittance) {
        case (.received, _): "payment"
        case (.reversed, false): "reversal"
        case (.reversed, true): "reversal after remittance"
        case (.direct, _): "direct payment"
        case (.directReversed, false): "direct payment reversed"
        case (.directReversed, true): "direct payment reversed after remittance"
        }
    }

    /// The CSV: one line per payment or reversal (debtor, account, date, kind, amount, rate, commission), reversals
    /// negative, then the statement's figures as the last lines.
    public static func csv(_ statement: RemittanceStatement, lines: [RemittanceLine]) -> String {
        let money = { (units: Int64) in Money.decimalString(minorUnits: units, currency: statement.currency) }
        var text = CSVWriter.line([
            "debtor_ref", "debtor_name", "debt_ref", "date", "kind", "amount", "percent", "commission", "currency",
        ])
        for line in lines {
            let sign: Int64 = line.kind.isReversal ? -1 : 1
            text += CSVWriter.line([
                line.debtorRef, line.debtorName, line.debtRef, line.on.isoString, kindWords(line),
                money(sign * line.amount), line.rate.percentText, money(sign * line.commission),
                statement.currency.code,
            ])
        }
        return text
    }

    /// The figures as label and amount, in the order the statement shows them.
    public static func figureRows(_ statement: RemittanceStatement) -> [(label: String, amount: String)] {
        let money = { (units: Int64) in
            "\(Money.decimalString(minorUnits: units, currency: statement.currency)) \(statement.currency.code)"
        }
        let figures = statement.figures
        return [
            ("Collected by the agency", money(figures.collected)),
            ("Commission", money(figures.commission)),
            ("Paid to you directly", money(figures.directPayments)),
            ("Commission on direct payments", money(figures.commissionOnDirect)),
            ("Reversed after remittance (clawed back)", money(figures.reversalsAfterRemittance)),
            ("Commission returned", money(figures.commissionReturned)),
            ("Due to you", money(figures.dueToClient)),
            ("Due to the agency", money(figures.dueToAgency)),
        ]
    }

    /// The PDF statement from `agency` to the client.
    public static func pdf(_ statement: RemittanceStatement, lines: [RemittanceLine], agency: String) -> [UInt8] {
        let money = { (units: Int64) in Money.decimalString(minorUnits: units, currency: statement.currency) }
        let method =
            statement.method == .net
            ? "Net remittance: the agency keeps its commission and remits the rest."
            : "Gross remittance: everything collected is remitted and the commission is invoiced."
        let figures = figureRows(statement).map { "\($0.label): \($0.amount)" }.joined(separator: "\n")
        var letter = Letter(
            sender: [agency], recipient: [statement.clientName],
            date: statement.through.isoString,
            heading: "Remittance statement \(statement.id) through \(statement.through.isoString)",
            body: "\(method)\n\n\(figures)")
        letter.table = Letter.Table(
            header: ["Debtor and account", "Date", "Kind", "Amount", "Rate", "Commission"],
            rows: lines.map { line in
                let sign: Int64 = line.kind.isReversal ? -1 : 1
                return [
                    "\(line.debtorName) (\(line.debtorRef)) \(line.debtRef)", line.on.isoString, kindWords(line),
                    money(sign * line.amount), "\(line.rate.percentText)%", money(sign * line.commission),
                ]
            },
            total: [
                "Due to you \(money(statement.figures.dueToClient)) \(statement.currency.code)", "", "", "", "", "",
            ])
        // The figures first, then the lines (the table after the text).
        return LetterLayout.document(letter, title: "Remittance statement \(statement.id)").bytes()
    }
}
