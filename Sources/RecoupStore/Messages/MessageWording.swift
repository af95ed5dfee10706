import RecoupCore

// The built-in templates' words, in English (MessageWording+Spanish.swift has them in Spanish): each template's
// subject, opening, closing and text message (`Wording`), the skeleton that places them in an email, a letter and a
// text (`Frame`), and the phrases the values are written with (`Phrases`).

/// One template's words: the email's subject, the paragraphs before and after the itemization (shared by the email
/// and the letter), and the text message.
struct Wording: Sendable {
    var subject: String
    var opening: String
    var closing: String
    var sms: String
    /// How the email ends; nil for the frame's usual closing.
    var signOff: String? = nil

    static func of(_ language: MessageLanguage) -> [String: Wording] {
        switch language {
        case .en: english
        case .es: spanish
        }
    }
}

/// Where a template's words go in an email, a letter and a text, in one language.
struct Frame: Sendable {
    /// "Dear", "Re:", the sign-offs, the opt-out sentence of an email, the itemization and the ways to pay.
    var greeting: String
    var regarding: String
    var emailSignOff: String
    var letterSignOff: String
    var emailOptOut: String
    var smsOptOut: String
    var itemization: String
    var pay: String
    var smsItem: String

    static func of(_ language: MessageLanguage) -> Frame {
        switch language {
        case .en: english
        case .es: spanish
        }
    }

    /// The validation notice and the call scripts, which are not built from a `Wording`.
    static func special(_ language: MessageLanguage) -> [TemplateKey: TemplateSource] {
        switch language {
        case .en: englishSpecial
        case .es: spanishSpecial
        }
    }

    func source(_ wording: Wording, channel: TemplateChannel) -> TemplateSource {
        switch channel {
        case .email:
            return TemplateSource(
                subject: wording.subject,
                body: """
                    \(greeting) {{debtorName}},

                    \(wording.opening)

                    \(itemization)

                    \(pay)

                    \(wording.closing)

                    {{disclosure}}

                    \(emailOptOut)

                    \(wording.signOff ?? emailSignOff)
                    {{writerName}}
                    """)
        case .letter:
            return TemplateSource(
                body: """
                    \(regarding) \(wording.subject)

                    \(greeting) {{debtorName}},

                    \(wording.opening)

                    \(itemization)

                    \(pay)

                    \(wording.closing)

                    {{disclosure}}

                    \(letterSignOff)

                    {{writerName}}
                    """)
        case .sms:
            return TemplateSource(
                body: """
                    \(wording.sms)
                    {{#items}}
                    \(smsItem)
                    {{/items}}
                    {{smsContact}}
                    {{disclosure}} \(smsOptOut)
                    """)
        case .voicemail, .call:
            return TemplateSource(body: "")
        }
    }

    static let english = Frame(
        greeting: "Dear", regarding: "Re:", emailSignOff: "Kind regards,", letterSignOff: "Yours sincerely,",
        emailOptOut: """
            To stop receiving emails from {{writerName}}, reply STOP{{#portalLink}} or choose how we may contact you \
            at {{.}}{{/portalLink}}.
            """,
        smsOptOut: "Reply STOP to stop texts.",
        itemization: """
            Amount owed to {{creditorName}}: {{total}}
            {{#items}}
            - {{ref}}, due {{due}}: {{amount}}{{#detail}} ({{.}}){{/detail}}
            {{/items}}
            """,
        pay: """
            {{#hasPay}}
            How to pay or get in touch:
            {{#payLines}}
            - {{.}}
            {{/payLines}}
            {{/hasPay}}
            """,
        smsItem: "{{ref}}, due {{due}}: {{amount}}{{#detail}} ({{.}}){{/detail}}")
}

/// The phrases the values of a message are written with, in one language.
struct Phrases: Sendable {
    var months: [String]
    /// "15 December 2026".
    var dateFormat: @Sendable (Int, String, Int) -> String
    var dueVerb: @Sendable (Bool) -> String
    var disclosure: @Sendable (Bool) -> String
    var portalLine: @Sendable (String) -> String
    var payOnline: @Sendable (String) -> String
    var phone: @Sendable (String) -> String
    var email: @Sendable (String) -> String
    var post: @Sendable (String) -> String
    var website: @Sendable (String) -> String
    var pleaseQuote: @Sendable (String) -> String
    var and: String
    var or: String
    var shortPay: @Sendable (String) -> String
    var shortCall: @Sendable (String) -> String
    var shortEmail: @Sendable (String) -> String
    var shortWrite: @Sendable (String) -> String
    /// "3 monthly payments of $100.00, the last one $34.57".
    var planTerms: @Sendable (_ count: Int, _ installment: String, _ last: String?) -> String
    var principal: @Sendable (String) -> String
    var interest: @Sendable (String) -> String
    var fees: @Sendable (String) -> String
    var lessPaid: @Sendable (String) -> String

    static func of(_ language: MessageLanguage) -> Phrases {
        switch language {
        case .en: english
        case .es: spanish
        }
    }

    func date(_ date: LocalDate) -> String { dateFormat(date.day, months[(date.month - 1) % 12], date.year) }
    func dueVerb(past: Bool) -> String { dueVerb(past) }
    func disclosure(agency: Bool) -> String { disclosure(agency) }

    /// `a`, `a and b`, `a, b and c`.
    func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " \(and) " + items[items.count - 1]
    }

    static let english = Phrases(
        months: [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ],
        dateFormat: { day, month, year in "\(day) \(month) \(year)" },
        dueVerb: { $0 ? "was" : "is" },
        disclosure: { $0 ? CollectorDisclosure.sentence : "This is an attempt to collect a debt." },
        portalLine: { "Online, to pay, agree a plan or tell us anything: \($0)" },
        payOnline: { "Pay online: \($0)" },
        phone: { "Phone: \($0)" },
        email: { "Email: \($0)" },
        post: { "Post: \($0)" },
        website: { "Website: \($0)" },
        pleaseQuote: { "Please quote \($0)." },
        and: "and", or: " or ",
        shortPay: { "pay at \($0)" },
        shortCall: { "call \($0)" },
        shortEmail: { "email \($0)" },
        shortWrite: { "write to \($0)" },
        planTerms: { count, installment, last in
            var terms = count == 1 ? "one payment of \(installment)" : "\(count) monthly payments of \(installment)"
            if let last { terms += ", the last one \(last)" }
            return terms
        },
        principal: { "principal \($0)" },
        interest: { "interest \($0)" },
        fees: { "fees \($0)" },
        lessPaid: { "less \($0) paid" })
}

extension Wording {
    static let english: [String: Wording] = [
        "reminder-before-due": Wording(
            subject: "A payment reminder from {{writerName}}",
            opening: """
                This is a friendly reminder from {{writerName}}: {{#single}}a payment of {{total}} to \
                {{creditorName}} {{dueVerb}} due on {{firstDue}}{{/single}}{{#multiple}}you have {{count}} \
                payments to {{creditorName}}, {{total}} in all; their due dates are below{{/multiple}}. Paying by \
                the due date keeps your account up to date.
                """,
            closing: "If you have already paid, thank you, and please disregard this reminder.",
            sms: """
                Reminder from {{writerName}}: {{debtorName}}, {{total}} owed to {{creditorName}} is due \
                {{#single}}on {{firstDue}}{{/single}}{{#multiple}}soon{{/multiple}}.
                """),
        "reminder": Wording(
            subject: "About your account with {{creditorName}}",
            opening: """
                This is a reminder from {{writerName}} about your account with {{creditorName}}. Our records show \
                that {{total}} has not been paid; the details are below. Please pay it, or if you cannot pay it \
                all at once, get in touch and we can look at a payment plan together.
                """,
            closing: "If you have already paid, thank you, and please disregard this message.",
            sms: """
                Message from {{writerName}}: {{debtorName}}, {{total}} owed to {{creditorName}} is unpaid. Please \
                pay, or get in touch to agree a plan.
                """),
        "plan-offer": Wording(
            subject: "A payment plan offer from {{writerName}}",
            opening: """
                This is a message from {{writerName}} about the {{total}} owed to {{creditorName}}. We understand \
                that paying it all at once may be difficult, so we would like to offer you a payment plan: \
                {{#planTerms}}{{.}}{{/planTerms}}{{^planTerms}}monthly payments that fit your budget{{/planTerms}}.

                {{#portalLink}}
                You can accept this offer, or propose a plan of your own, at {{.}}
                {{/portalLink}}
                {{^portalLink}}
                To accept this offer, or to propose a plan of your own, get in touch using the details below.
                {{/portalLink}}
                """,
            closing: "If you have already paid, thank you, and please disregard this offer.",
            sms: """
                Message from {{writerName}}: {{debtorName}}, for the {{total}} owed to {{creditorName}} we can \
                offer a plan: {{#planTerms}}{{.}}{{/planTerms}}{{^planTerms}}monthly payments that fit your \
                budget{{/planTerms}}.{{#portalLink}} Accept it or propose your own at {{.}}{{/portalLink}}
                """),
        "final-notice": Wording(
            subject: "Final notice about your account with {{creditorName}}",
            opening: """
                This is a final notice from {{writerName}} about your account with {{creditorName}}. The amount \
                owed, {{total}}, is still unpaid. Please pay it in full, or get in touch so that we can agree a \
                payment plan you can afford.
                """,
            closing: """
                If you believe you do not owe this amount, or that any part of it is wrong, tell us and we will \
                look into it.
                """,
            sms: """
                Final notice from {{writerName}}: {{debtorName}}, {{total}} owed to {{creditorName}} is still \
                unpaid. Please pay in full or get in touch to agree a plan you can afford.
                """,
            signOff: "Yours sincerely,"),
    ]
}
