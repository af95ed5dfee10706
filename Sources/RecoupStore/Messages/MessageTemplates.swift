import Foundation
import Mustache
import RecoupCore

/// A message rendered from a template for one channel, with the message lint's verdict on it.
public struct RenderedMessage: Sendable, Equatable {
    /// The template's name (`reminder`) and the channel it was rendered for.
    public var template: String
    public var channel: MessageChannel
    /// The subject line: emails only.
    public var subject: String?
    /// The text: an email's body, a text message, or a whole letter.
    public var body: String
    /// `MessageLint.check` on what the debtor reads: the body, after the subject for an email.
    public var lint: LintResult

    /// True when the lint found no error: the message may be queued. Otherwise the run blocks the action with the
    /// lint's findings.
    public var isSendable: Bool { lint.ok }
}

/// Why a message could not be rendered, in one sentence.
public enum MessageTemplateError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No built-in template has this name.
    case unknownTemplate(String)
    /// The template exists, but not for this channel (a voicemail is left by a person from the work queue).
    case unsupportedChannel(template: String, channel: MessageChannel)
    /// The context names no debt.
    case noDebts
    /// The amounts add up to more than can be written.
    case totalTooLarge

    public var description: String {
        let names = MessageTemplates.builtInNames.sorted().joined(separator: ", ")
        let channels = MessageTemplates.channels.map(\.rawValue).joined(separator: ", ")
        switch self {
        case .unknownTemplate(let name):
            return "there is no message template \"\(name)\"; the templates are \(names)"
        case .unsupportedChannel(let template, let channel):
            return
                "the template \"\(template)\" has no \(channel.rawValue) version; messages are written for \(channels)"
        case .noDebts:
            return "a message needs at least one debt to be about"
        case .totalTooLarge:
            return "the amounts owed add up to more than a message can state"
        }
    }
}

/// The built-in message templates (docs/strategies.md, "Messages and the outbox"): `reminder-before-due`,
/// `reminder`, `plan-offer` and `final-notice`, each for email (a subject and a body), text message (short) and
/// letter (a whole letter), rendered with Mustache from a `MessageContext`.
///
/// Every message states the exact amount owed with each debt itemized (reference, due date, then principal,
/// interest, fees and what was paid when any of them tells more than the amount, and the debt's total), names the
/// creditor and who is writing, says how to pay or get in touch (the portal link, then the client profile's payment
/// link, phone, email and address), says it is an attempt to collect a debt (the full debt-collector disclosure,
/// `CollectorDisclosure.sentence`, when an agency writes for the client) and, for email and text messages, how to
/// opt out (12 CFR 1006.6(e)). The wording is firm and fair: no threats, no claims about what happened before.
///
/// Values are written as they are: the templates are plain text (Mustache's `TEXT` content type, so nothing is
/// HTML-escaped) and a value is never read as a template, so a name holding `<`, `&` or `{{` appears literally.
/// Amounts are written as `Money.displayString` writes them (`$1,234.56`), except that a currency whose sign the
/// message lint does not read (₹, ₩, ₪) is written with its code (`INR 1,234.56`). Dates read "15 December 2026".
///
/// A profile with no way to pay or reply gives a message with no way to reply: the lint then reports
/// `missing-reply` and the message is not sendable, which is what blocks the run's action.
public enum MessageTemplates {
    /// The names of the built-in templates (a strategy step's `template`).
    public static let builtInNames: Set<String> = ["reminder-before-due", "reminder", "plan-offer", "final-notice"]

    /// The channels every built-in template is written for.
    public static let channels: [MessageChannel] = [.email, .sms, .letter]

    /// Renders the template `name` for `channel` and lints the result.
    public static func render(
        _ name: String, channel: MessageChannel, context: MessageContext
    ) throws(MessageTemplateError) -> RenderedMessage {
        guard builtInNames.contains(name) else { throw .unknownTemplate(name) }
        guard let compiled = compiled[Key(name: name, channel: channel)] else {
            throw .unsupportedChannel(template: name, channel: channel)
        }
        let values = try Values(context)
        let body = tidy(compiled.body.render(values.dictionary))
        let subject = compiled.subject.map { tidy($0.render(values.dictionary)) }
        let linted = subject.map { $0 + "\n\n" + body } ?? body
        return RenderedMessage(
            template: name, channel: channel, subject: subject, body: body,
            lint: MessageLint.check(linted, channel: channel))
    }

    /// The template a message step renders when the strategy names none: `final_notice` → `final-notice`,
    /// `offer_plan` → `plan-offer`, `email`, `sms` and `letter` → `reminder`; nil for a step that sends no message.
    public static func defaultTemplate(for action: StrategyAction) -> String? {
        switch action {
        case .finalNotice: "final-notice"
        case .offerPlan: "plan-offer"
        case .email, .sms, .letter: "reminder"
        default: nil
        }
    }

    /// `date` as messages write it: "15 December 2026".
    public static func readable(_ date: LocalDate) -> String {
        "\(date.day) \(monthNames[(date.month - 1) % 12]) \(date.year)"
    }

    /// An amount as messages write it: `$1,234.56`, `€12.50`, `CHF 9.90`; a currency whose sign the message lint
    /// does not read as money (₹, ₩, ₪) with its code instead (`INR 1,250.00`).
    public static func amount(_ minorUnits: Int64, _ currency: Currency) -> String {
        let text = Money.displayString(minorUnits: minorUnits, currency: currency)
        guard let sign = lintUnreadSigns[currency.code] else { return text }
        return text.replacingOccurrences(of: sign, with: currency.code + " ")
    }

    // MARK: Values

    private static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    /// Currency signs `Money.displayString` writes that the lint's amount detector does not know.
    private static let lintUnreadSigns = ["INR": "₹", "KRW": "₩", "ILS": "₪"]

    /// What the templates read, worked out once per message. Only present values are set (a missing key is an
    /// empty section), and every value is a string, a number, a flag or a list of them.
    struct Values {
        var dictionary: [String: Any] = [:]

        init(_ context: MessageContext) throws(MessageTemplateError) {
            guard !context.items.isEmpty else { throw .noDebts }
            guard let total = context.totalOwed else { throw .totalTooLarge }
            let money = { (units: Int64) in MessageTemplates.amount(units, context.currency) }
            let profile = context.profile
            let firstDue = context.items.map(\.dueOn).min() ?? context.asOf

            set("debtorName", context.debtorName)
            set("writerName", context.writerName)
            set("creditorName", context.creditorName)
            set("date", readable(context.asOf))
            set("total", money(total))
            set("firstDue", readable(firstDue))
            set("dueVerb", firstDue < context.asOf ? "was" : "is")
            dictionary["count"] = context.items.count
            dictionary["single"] = context.items.count == 1
            dictionary["multiple"] = context.items.count > 1
            dictionary["items"] = context.items.map { item -> [String: Any] in
                var row: [String: Any] = ["ref": item.ref, "due": readable(item.dueOn), "amount": money(item.total)]
                if let detail = Self.detail(item, money: money) { row["detail"] = detail }
                return row
            }
            // A creditor collecting its own debts is not a debt collector, but every message still says what it is.
            set(
                "disclosure",
                context.collectingForAnother ? CollectorDisclosure.sentence : "This is an attempt to collect a debt.")

            let onlineLink = context.portalLink ?? profile.paymentLink
            set("portalLink", context.portalLink)
            var lines: [String] = []
            if let link = context.portalLink {
                lines.append("Online, to pay, agree a plan or tell us anything: \(link)")
                if let paymentLink = profile.paymentLink { lines.append("Pay online: \(paymentLink)") }
            } else if let paymentLink = profile.paymentLink {
                lines.append("Pay online: \(paymentLink)")
            }
            if let instructions = profile.paymentInstructions {
                lines.append(Self.oneLine(instructions))
            }
            if let phone = profile.readablePhone { lines.append("Phone: \(phone)") }
            if let email = profile.email { lines.append("Email: \(email)") }
            if !profile.addressLines.isEmpty { lines.append("Post: " + profile.addressLines.joined(separator: ", ")) }
            if let website = profile.website { lines.append("Website: \(website)") }
            if !lines.isEmpty {
                lines.append(
                    "Please quote "
                        + Self.list(context.items.map(\.ref)) + ".")
                dictionary["payLines"] = lines
                dictionary["hasPay"] = true
            }

            var short: [String] = []
            if let onlineLink { short.append("pay at \(onlineLink)") }
            if let phone = profile.readablePhone {
                short.append("call \(phone)")
            } else if let email = profile.email {
                short.append("email \(email)")
            } else if onlineLink == nil, !profile.addressLines.isEmpty {
                short.append("write to " + profile.addressLines.joined(separator: ", "))
            }
            if !short.isEmpty {
                let text = short.joined(separator: " or ")
                set("smsContact", text.prefix(1).uppercased() + text.dropFirst() + ".")
            }

            if !context.collectingForAnother, !profile.addressLines.isEmpty {
                dictionary["letterhead"] = profile.addressLines
            }

            if let offer = context.planOffer, offer.installments > 0 {
                let count = offer.installments
                var terms =
                    count == 1
                    ? "one payment of \(money(offer.installment))"
                    : "\(count) monthly payments of \(money(offer.installment))"
                let (before, overflow) = offer.installment.multipliedReportingOverflow(by: Int64(count - 1))
                if count > 1, !overflow {
                    let last = total - before
                    if last > 0, last != offer.installment { terms += ", the last one \(money(last))" }
                }
                set("planTerms", terms)
            }
        }

        private mutating func set(_ key: String, _ value: String?) {
            if let value { dictionary[key] = value }
        }

        /// "principal $400.00, interest $20.00, fees $15.00, less $100.00 paid": what makes up a debt's total, when
        /// it tells more than the total alone (nil when the total is the principal and nothing else).
        static func detail(_ item: MessageContext.Item, money: (Int64) -> String) -> String? {
            var parts: [String] = []
            if item.principal != 0 { parts.append("principal \(money(item.principal))") }
            if item.interest != 0 { parts.append("interest \(money(item.interest))") }
            if item.fees != 0 { parts.append("fees \(money(item.fees))") }
            let (charged, overflowCharged) = item.principal.addingReportingOverflow(item.interest)
            let (all, overflowAll) = charged.addingReportingOverflow(item.fees)
            if !overflowCharged, !overflowAll, all > item.total {
                parts.append("less \(money(all - item.total)) paid")
            }
            if parts == ["principal \(money(item.total))"] { return nil }
            return parts.isEmpty ? nil : parts.joined(separator: ", ")
        }

        /// Text on one line, ending with a full stop (or the mark it ends with).
        static func oneLine(_ text: String) -> String {
            let line = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            guard let last = line.last else { return line }
            return ".!?".contains(last) ? line : line + "."
        }

        /// `a`, `a and b`, `a, b and c`.
        static func list(_ items: [String]) -> String {
            guard items.count > 1 else { return items.first ?? "" }
            return items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
        }
    }

    /// Trailing blanks off every line, at most one empty line in a row, no empty lines at either end.
    static func tidy(_ text: String) -> String {
        var lines: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = line
            while let last = line.last, last == " " || last == "\t" || last == "\r" { line = line.dropLast() }
            if line.isEmpty, lines.last?.isEmpty ?? true { continue }
            lines.append(line)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    // MARK: Templates

    struct Key: Hashable {
        var name: String
        var channel: MessageChannel
    }

    struct Compiled {
        var subject: MustacheTemplate?
        var body: MustacheTemplate
    }

    /// Every template for every channel, parsed once.
    static let compiled: [Key: Compiled] = {
        var result: [Key: Compiled] = [:]
        for (name, wording) in Wording.all {
            for channel in channels {
                let source = wording.source(for: channel)
                result[Key(name: name, channel: channel)] = Compiled(
                    subject: source.subject.map { parse($0, name: name, channel: channel) },
                    body: parse(source.body, name: name, channel: channel))
            }
        }
        return result
    }()

    /// The Mustache source of the template `name` for `channel` (the subject first for an email), as it is
    /// rendered; nil for an unknown name or channel.
    public static func source(_ name: String, channel: MessageChannel) -> (subject: String?, body: String)? {
        guard let wording = Wording.all[name], channels.contains(channel) else { return nil }
        let source = wording.source(for: channel)
        return (source.subject, source.body)
    }

    /// Parses a built-in template as plain text: values are written as they are, never HTML-escaped.
    private static func parse(_ source: String, name: String, channel: MessageChannel) -> MustacheTemplate {
        do {
            return try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + source)
        } catch {
            preconditionFailure("MessageTemplates: the \(channel.rawValue) template \(name) does not parse: \(error)")
        }
    }

    /// One template's words: the email's subject, the paragraphs before and after the itemization (shared by the
    /// email and the letter), and the text message.
    struct Wording {
        var subject: String
        var opening: String
        var closing: String
        var sms: String
        var signOff = "Kind regards,"

        func source(for channel: MessageChannel) -> (subject: String?, body: String) {
            switch channel {
            case .email:
                return (
                    subject,
                    """
                    Dear {{debtorName}},

                    \(opening)

                    \(Self.itemization)

                    \(Self.pay)

                    \(closing)

                    {{disclosure}}

                    To stop receiving emails from {{writerName}}, reply STOP{{#portalLink}} or choose how we may contact you at {{.}}{{/portalLink}}.

                    \(signOff)
                    {{writerName}}
                    """
                )
            case .letter:
                return (
                    nil,
                    """
                    Re: \(subject)

                    Dear {{debtorName}},

                    \(opening)

                    \(Self.itemization)

                    \(Self.pay)

                    \(closing)

                    {{disclosure}}

                    Yours sincerely,

                    {{writerName}}
                    """
                )
            case .sms:
                return (
                    nil,
                    """
                    \(sms)
                    {{#items}}
                    {{ref}}, due {{due}}: {{amount}}{{#detail}} ({{.}}){{/detail}}
                    {{/items}}
                    {{smsContact}}
                    {{disclosure}} Reply STOP to stop texts.
                    """
                )
            case .voicemail:
                return (nil, "")
            }
        }

        static let itemization = """
            Amount owed to {{creditorName}}: {{total}}
            {{#items}}
            - {{ref}}, due {{due}}: {{amount}}{{#detail}} ({{.}}){{/detail}}
            {{/items}}
            """

        static let pay = """
            {{#hasPay}}
            How to pay or get in touch:
            {{#payLines}}
            - {{.}}
            {{/payLines}}
            {{/hasPay}}
            """

        static let all: [String: Wording] = [
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
}
