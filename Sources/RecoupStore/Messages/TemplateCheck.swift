import Foundation
import RecoupCore

/// What is checked before a template is saved (docs/messages.md, "Templates"): that it parses, names only the
/// variables a message has, has a subject exactly when it is an email, and that what it renders passes the message
/// lint — no forbidden content (threats, false urgency, misleading terms) and nothing required missing (who writes,
/// the debt-collector disclosure for an agency client, the creditor, the amount, how to reply, and how to opt out of
/// an email or a text). It is rendered for sample debtors (one debt, then three; with and without a portal link) in
/// the client's own name and terms, so a finding names what a real message would lack.
public enum TemplateCheck {
    /// The variables a template may name, with what each holds (docs/messages.md lists them).
    public static let variables: [(name: String, meaning: String)] = [
        ("debtorName", "the debtor's name"),
        ("callerName", "the collector who calls or leaves the message (call scripts); \"[your name]\" until known"),
        ("writerName", "who is writing: the agency the client's terms name, or the client"),
        ("creditorName", "the creditor: the client's name"),
        ("date", "the day the message is written for"),
        ("total", "the exact amount owed on the debts the message is about, as $1,234.56"),
        ("firstDue", "the earliest due date"),
        ("dueVerb", "\"is\" or \"was\" (\"vence\"/\"venció\"), as the first due date is ahead or past"),
        ("count", "how many debts"),
        ("single", "a section shown when the message is about one debt"),
        ("multiple", "a section shown when it is about more than one"),
        ("agency", "a section shown when an agency writes for the client"),
        ("items", "the debts, each with ref, due, amount and detail (principal, interest, fees, what was paid)"),
        ("disclosure", "the debt-collector disclosure (an agency) or \"This is an attempt to collect a debt.\""),
        ("portalLink", "the debtor's own portal address, when the server's public address is known"),
        ("paymentLink", "the client's payment link"),
        ("phone", "the client's phone number"),
        ("email", "the client's email address"),
        ("hasPay", "a section shown when there is any way to pay or reply"),
        ("payLines", "the ways to pay or get in touch, a line each"),
        ("smsContact", "the shortest way to pay or reply, as one sentence"),
        ("letterhead", "the client's address lines, when the client writes its own letters"),
        ("planTerms", "the plan offered (plan-offer): \"3 monthly payments of $100.00\""),
        ("itemizationDate", "validation notice: the itemization date"),
        ("itemization", "validation notice: asOfItemization, interest, fees, payments, credits and now"),
        ("validationEnds", "validation notice: the last day of the validation period"),
        ("validationSent", "validation notice: the day it is sent"),
        ("originalCreditor", "validation notice: the original creditor, when another"),
        ("accountRef", "validation notice: the debt's reference"),
    ]

    /// The names inside `items` and `itemization` sections.
    static let innerNames: Set<String> = [
        "ref", "due", "amount", "detail", "asOfItemization", "interest", "fees", "payments", "credits", "now",
    ]

    static let knownNames = Set(variables.map(\.name)).union(innerNames)

    /// The findings on `source` as the template `key` of `client` (nil: the installation's, checked as an agency's
    /// and as a creditor's own). Saving is refused when any finding is an error.
    public static func check(
        _ source: TemplateSource, key: TemplateKey, samples: [MessageContext]
    ) -> [LintFinding] {
        var findings: [LintFinding] = []
        if key.channel.hasSubject, (source.subject ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            findings.append(
                LintFinding(
                    rule: "template-subject", severity: .error, excerpt: nil,
                    message: "An email template needs a subject line."))
        } else if !key.channel.hasSubject, source.subject != nil {
            findings.append(
                LintFinding(
                    rule: "template-subject", severity: .error, excerpt: source.subject,
                    message: "Only an email has a subject line; a \(key.channel.rawValue) template has a body only."))
        }
        if source.attachStatement, key.channel != .email {
            findings.append(
                LintFinding(
                    rule: "template-attach", severity: .error, excerpt: nil,
                    message: "Only an email can carry a statement; a \(key.channel.rawValue) template cannot."))
        }
        if source.body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            findings.append(
                LintFinding(
                    rule: "template-empty", severity: .error, excerpt: nil, message: "The template has no text."))
            return findings
        }
        for (part, text) in [("subject", source.subject), ("body", source.body)] {
            guard let text else { continue }
            for name in Self.names(in: text) where !knownNames.contains(name) {
                let known = variables.map(\.name).joined(separator: ", ")
                findings.append(
                    LintFinding(
                        rule: "template-variable", severity: .error, excerpt: "{{\(name)}}",
                        message: "The \(part) names {{\(name)}}, which no message has; the variables are \(known)."))
            }
        }
        let compiled: CompiledTemplate
        do {
            compiled = try CompiledTemplate(source)
        } catch {
            findings.append(
                LintFinding(
                    rule: "template-syntax", severity: .error, excerpt: nil,
                    message: "The template does not read as a Mustache template: \(error)."))
            return findings
        }
        var seen = Set<LintFinding>()
        for sample in samples {
            guard
                let rendered = try? MessageTemplates.render(
                    compiled, name: key.name, channel: key.channel, language: key.language, context: sample)
            else { continue }
            for finding in rendered.lint.findings where seen.insert(finding).inserted {
                findings.append(finding)
            }
        }
        return findings
    }

    /// Every variable name a Mustache template names: `{{name}}`, `{{{name}}}`, `{{&name}}` and the section tags
    /// `{{#name}}`, `{{^name}}`, `{{/name}}` (not `{{.}}`, comments or partials).
    static func names(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            rest = rest[open.upperBound...]
            guard let close = rest.range(of: "}}") else { break }
            var tag = rest[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            rest = rest[close.upperBound...]
            if tag.hasPrefix("{") {
                tag.removeFirst()
                if rest.hasPrefix("}") { rest = rest.dropFirst() }
            }
            guard let first = tag.first else { continue }
            if "!>%=".contains(first) { continue }
            if "#^/&".contains(first) { tag = String(tag.dropFirst()).trimmingCharacters(in: .whitespaces) }
            if tag == "." || tag.isEmpty { continue }
            let name = tag.split(separator: ".").first.map(String.init) ?? tag
            if !names.contains(name) { names.append(name) }
        }
        return names
    }

    /// Sample debtors for checking a template before it is saved: in `client`'s name and terms (or, for the
    /// installation's templates, both as an agency writing for a client and as a client writing for itself).
    public static func samples(
        creditor: String, writer: String?, profile: ClientProfile, currency: Currency = .usd, asOf: LocalDate
    ) -> [MessageContext] {
        // An agency's name that does not say it collects debts, as a limited-content voicemail needs.
        let writers = writer.map { [$0] } ?? ["Acme Services", creditor]
        let one = [
            MessageContext.Item(
                ref: "INV-1001", dueOn: asOf.adding(days: -30), principal: 120_000, interest: 1_850, fees: 2_500,
                total: 124_350)
        ]
        let three =
            one + [
                MessageContext.Item(
                    ref: "INV-1002", dueOn: asOf.adding(days: -20), principal: 40_000, interest: 0, fees: 0,
                    total: 40_000),
                MessageContext.Item(
                    ref: "INV-1003", dueOn: asOf.adding(days: -10), principal: 30_000, interest: 720, fees: 0,
                    total: 20_720),
            ]
        var contexts: [MessageContext] = []
        for writerName in writers {
            for (items, link) in [(one, "https://recoup.example/portal/sample"), (three, nil)] {
                var context = MessageContext(
                    debtorName: "Maria Lopez", currency: currency, items: items, asOf: asOf, creditorName: creditor,
                    writerName: writerName, collectingForAnother: writerName != creditor, profile: profile,
                    portalLink: link, planOffer: MessageContext.PlanOffer(installment: 25_000, installments: 5))
                context.callerName = "Jane Smith"
                if items.count == 1, let period = try? ValidationPeriod(sent: asOf) {
                    context.validation = MessageContext.Validation(
                        itemizationDate: asOf.adding(days: -60), amountOnItemizationDate: 120_000,
                        interestSince: 1_850, feesSince: 2_500, paymentsSince: 0, creditsSince: 0, period: period)
                }
                contexts.append(context)
            }
        }
        return contexts
    }
}
