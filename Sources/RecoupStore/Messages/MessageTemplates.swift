import Foundation
import Mustache
import RecoupCore

/// A message rendered from a template for one channel, with the message lint's verdict on it.
public struct RenderedMessage: Sendable, Equatable {
    /// The template's name (`reminder`) and the channel it was rendered for.
    public var template: String
    /// The channel the lint checked it as: a call script is checked as a spoken message, like a voicemail.
    public var channel: MessageChannel
    /// The template's own channel (`call` for a call script).
    public var templateChannel: TemplateChannel
    /// The language it is written in.
    public var language: MessageLanguage
    /// The subject line: emails only.
    public var subject: String?
    /// The text: an email's body, a text message, or a whole letter.
    public var body: String
    /// `MessageLint.check` on what the debtor reads: the body, after the subject for an email.
    public var lint: LintResult
    /// True when the email goes with a PDF statement of its debts (`TemplateSource.attachStatement`).
    public var attachStatement = false

    /// True when the lint found no error: the message may be queued. Otherwise the run blocks the action with the
    /// lint's findings.
    public var isSendable: Bool { lint.ok }
}

/// Where a template is written for: the four ways a message goes out, and the script a collector reads on a call.
public enum TemplateChannel: String, CaseIterable, Codable, Sendable, Hashable {
    case email, sms, letter, voicemail, call

    public init(_ channel: MessageChannel) {
        switch channel {
        case .email: self = .email
        case .sms: self = .sms
        case .letter: self = .letter
        case .voicemail: self = .voicemail
        }
    }

    /// The channel the message lint checks it as (a call script is spoken, as a voicemail is).
    public var lintChannel: MessageChannel {
        switch self {
        case .email: .email
        case .sms: .sms
        case .letter: .letter
        case .voicemail, .call: .voicemail
        }
    }

    /// True for a channel that has a subject line.
    public var hasSubject: Bool { self == .email }
}

/// Why a message could not be rendered, in one sentence.
public enum MessageTemplateError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No built-in template has this name.
    case unknownTemplate(String)
    /// The template exists, but not for this channel.
    case unsupportedChannel(template: String, channel: TemplateChannel)
    /// The context names no debt.
    case noDebts
    /// The amounts add up to more than can be written.
    case totalTooLarge

    public var description: String {
        let names = MessageTemplates.builtInNames.sorted().joined(separator: ", ")
        switch self {
        case .unknownTemplate(let name):
            return "there is no message template \"\(name)\"; the templates are \(names)"
        case .unsupportedChannel(let template, let channel):
            let channels = MessageTemplates.channels(of: template).map(\.rawValue).joined(separator: ", ")
            return "the template \"\(template)\" has no \(channel.rawValue) version; it is written for \(channels)"
        case .noDebts:
            return "a message needs at least one debt to be about"
        case .totalTooLarge:
            return "the amounts owed add up to more than a message can state"
        }
    }
}

/// The message templates (docs/messages.md, "Templates"): the built-in `reminder-before-due`, `reminder`,
/// `plan-offer` and `final-notice`, each for email (a subject and a body), text message (short) and letter (a whole
/// letter); `validation-notice` for a letter and an email; `call` for a call script and a voicemail; all in English
/// and Spanish, rendered with Mustache from a `MessageContext`. A client, or the installation, may replace any of
/// them with its own wording (`TemplateBook`), which the message lint checks before it is saved.
///
/// Every built-in message states the exact amount owed with each debt itemized (reference, due date, then principal,
/// interest, fees and what was paid when any of them tells more than the amount, and the debt's total), names the
/// creditor and who is writing, says how to pay or get in touch (the portal link, then the client profile's payment
/// link, phone, email and address), says it is an attempt to collect a debt (the full debt-collector disclosure,
/// `CollectorDisclosure.sentence`, when an agency writes for the client) and, for email and text messages, how to
/// opt out (12 CFR 1006.6(e)). The wording is firm and fair: no threats, no claims about what happened before.
///
/// Values are written as they are: the templates are plain text (Mustache's `TEXT` content type, so nothing is
/// HTML-escaped) and a value is never read as a template, so a name holding `<`, `&` or `{{` appears literally.
/// Amounts are written as `Money.displayString` writes them (`$1,234.56`), except that a currency whose sign the
/// message lint does not read (₹, ₩, ₪) is written with its code (`INR 1,234.56`). Dates read "15 December 2026"
/// ("15 de diciembre de 2026").
///
/// A profile with no way to pay or reply gives a message with no way to reply: the lint then reports
/// `missing-reply` and the message is not sendable, which is what blocks the run's action.
public enum MessageTemplates {
    /// The names of the built-in templates (a strategy step's `template`).
    public static let builtInNames: Set<String> = [
        "reminder-before-due", "reminder", "plan-offer", "final-notice", "validation-notice", "call",
    ]

    /// The names a strategy's message step may render: all but the call script.
    public static let messageNames: Set<String> = builtInNames.subtracting(["call"])

    /// The channels every reminder template is written for.
    public static let channels: [MessageChannel] = [.email, .sms, .letter]

    /// The channels the template `name` is written for (empty for an unknown name).
    public static func channels(of name: String) -> [TemplateChannel] {
        switch name {
        case "validation-notice": [.letter, .email]
        case "call": [.call, .voicemail]
        case _ where builtInNames.contains(name): [.email, .sms, .letter]
        default: []
        }
    }

    /// Renders the template `name` for `channel` in `language` (the client's own wording when `book` holds one for
    /// `client`, else the built-in) and lints the result.
    public static func render(
        _ name: String, channel: MessageChannel, language: MessageLanguage = .en, context: MessageContext,
        book: TemplateBook = .builtIn, client: Int64? = nil
    ) throws(MessageTemplateError) -> RenderedMessage {
        try render(
            name, channel: TemplateChannel(channel), language: language, context: context, book: book, client: client)
    }

    /// Renders the template `name` for a template channel (a call script too).
    public static func render(
        _ name: String, channel: TemplateChannel, language: MessageLanguage = .en, context: MessageContext,
        book: TemplateBook = .builtIn, client: Int64? = nil
    ) throws(MessageTemplateError) -> RenderedMessage {
        guard builtInNames.contains(name) else { throw .unknownTemplate(name) }
        guard let compiled = book.compiled(name, channel: channel, language: language, client: client) else {
            throw .unsupportedChannel(template: name, channel: channel)
        }
        return try render(compiled, name: name, channel: channel, language: language, context: context)
    }

    /// Renders compiled wording (a template being written, before it is saved, too).
    static func render(
        _ compiled: CompiledTemplate, name: String, channel: TemplateChannel, language: MessageLanguage,
        context: MessageContext
    ) throws(MessageTemplateError) -> RenderedMessage {
        let values = try Values(context, language: language)
        let body = tidy(compiled.body.render(values.dictionary))
        let subject = compiled.subject.map { tidy($0.render(values.dictionary)) }
        let linted = subject.map { $0 + "\n\n" + body } ?? body
        var lint = MessageLint.check(linted, channel: channel.lintChannel, language: language)
        if channel == .call {
            // A call script is a conversation, not a message left behind: whether it would do as a limited-content
            // voicemail, and a way to reply, do not apply.
            lint = LintResult(
                limitedContent: nil,
                findings: lint.findings.filter { $0.rule != "not-limited-content" && $0.rule != "missing-reply" })
        }
        return RenderedMessage(
            template: name, channel: channel.lintChannel, templateChannel: channel, language: language,
            subject: subject, body: body, lint: lint, attachStatement: compiled.attachStatement && channel == .email)
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

    /// `date` as messages write it: "15 December 2026" ("15 de diciembre de 2026").
    public static func readable(_ date: LocalDate, language: MessageLanguage = .en) -> String {
        Phrases.of(language).date(date)
    }

    /// An amount as messages write it: `$1,234.56`, `€12.50`, `CHF 9.90`; a currency whose sign the message lint
    /// does not read as money (₹, ₩, ₪) with its code instead (`INR 1,250.00`).
    public static func amount(_ minorUnits: Int64, _ currency: Currency) -> String {
        let text = Money.displayString(minorUnits: minorUnits, currency: currency)
        guard let sign = lintUnreadSigns[currency.code] else { return text }
        return text.replacingOccurrences(of: sign, with: currency.code + " ")
    }

    /// Currency signs `Money.displayString` writes that the lint's amount detector does not know.
    private static let lintUnreadSigns = ["INR": "₹", "KRW": "₩", "ILS": "₪"]

    // MARK: Values

    /// What the templates read, worked out once per message. Only present values are set (a missing key is an
    /// empty section), and every value is a string, a number, a flag or a list of them.
    struct Values {
        var dictionary: [String: Any] = [:]

        init(_ context: MessageContext, language: MessageLanguage) throws(MessageTemplateError) {
            guard !context.items.isEmpty else { throw .noDebts }
            guard let total = context.totalOwed else { throw .totalTooLarge }
            let say = Phrases.of(language)
            let money = { (units: Int64) in MessageTemplates.amount(units, context.currency) }
            let profile = context.profile
            let firstDue = context.items.map(\.dueOn).min() ?? context.asOf

            set("debtorName", context.debtorName)
            // A script names its caller; until the collector is known, a place for their name.
            set("callerName", context.callerName ?? (language == .es ? "[su nombre]" : "[your name]"))
            set("writerName", context.writerName)
            set("creditorName", context.creditorName)
            set("date", say.date(context.asOf))
            set("total", money(total))
            set("firstDue", say.date(firstDue))
            set("dueVerb", say.dueVerb(past: firstDue < context.asOf))
            dictionary["count"] = context.items.count
            dictionary["single"] = context.items.count == 1
            dictionary["multiple"] = context.items.count > 1
            dictionary["agency"] = context.collectingForAnother
            dictionary["items"] = context.items.map { item -> [String: Any] in
                var row: [String: Any] = ["ref": item.ref, "due": say.date(item.dueOn), "amount": money(item.total)]
                if let detail = Self.detail(item, money: money, say: say) { row["detail"] = detail }
                return row
            }
            // A creditor collecting its own debts is not a debt collector, but every message still says what it is.
            set("disclosure", say.disclosure(agency: context.collectingForAnother))

            let onlineLink = context.portalLink ?? profile.paymentLink
            set("portalLink", context.portalLink)
            set("paymentLink", profile.paymentLink)
            set("phone", profile.readablePhone)
            set("email", profile.email)
            var lines: [String] = []
            if let link = context.portalLink {
                lines.append(say.portalLine(link))
                if let paymentLink = profile.paymentLink { lines.append(say.payOnline(paymentLink)) }
            } else if let paymentLink = profile.paymentLink {
                lines.append(say.payOnline(paymentLink))
            }
            if let instructions = profile.paymentInstructions {
                lines.append(Self.oneLine(instructions))
            }
            if let phone = profile.readablePhone { lines.append(say.phone(phone)) }
            if let email = profile.email { lines.append(say.email(email)) }
            if !profile.addressLines.isEmpty { lines.append(say.post(profile.addressLines.joined(separator: ", "))) }
            if let website = profile.website { lines.append(say.website(website)) }
            if !lines.isEmpty {
                lines.append(say.pleaseQuote(say.list(context.items.map(\.ref))))
                dictionary["payLines"] = lines
                dictionary["hasPay"] = true
            }

            var short: [String] = []
            if let onlineLink { short.append(say.shortPay(onlineLink)) }
            if let phone = profile.readablePhone {
                short.append(say.shortCall(phone))
            } else if let email = profile.email {
                short.append(say.shortEmail(email))
            } else if onlineLink == nil, !profile.addressLines.isEmpty {
                short.append(say.shortWrite(profile.addressLines.joined(separator: ", ")))
            }
            if !short.isEmpty {
                let text = short.joined(separator: say.or)
                set("smsContact", text.prefix(1).uppercased() + text.dropFirst() + ".")
            }

            if !context.collectingForAnother, !profile.addressLines.isEmpty {
                dictionary["letterhead"] = profile.addressLines
            }

            if let offer = context.planOffer, offer.installments > 0 {
                let count = offer.installments
                var last: String? = nil
                let (before, overflow) = offer.installment.multipliedReportingOverflow(by: Int64(count - 1))
                if count > 1, !overflow {
                    let remainder = total - before
                    if remainder > 0, remainder != offer.installment { last = money(remainder) }
                }
                set("planTerms", say.planTerms(count, money(offer.installment), last))
            }

            if let notice = context.validation {
                set("itemizationDate", say.date(notice.itemizationDate))
                set("validationEnds", say.date(notice.period.periodEnds))
                set("validationSent", say.date(notice.period.sent))
                let item = context.items[0]
                dictionary["itemization"] = [
                    "asOfItemization": money(notice.amountOnItemizationDate),
                    "interest": money(notice.interestSince), "fees": money(notice.feesSince),
                    "payments": money(notice.paymentsSince), "credits": money(notice.creditsSince),
                    "now": money(item.total),
                ]
                set("originalCreditor", notice.originalCreditor)
                set("accountRef", item.ref)
            }
        }

        private mutating func set(_ key: String, _ value: String?) {
            if let value { dictionary[key] = value }
        }

        /// "principal $400.00, interest $20.00, fees $15.00, less $100.00 paid": what makes up a debt's total, when
        /// it tells more than the total alone (nil when the total is the principal and nothing else).
        static func detail(_ item: MessageContext.Item, money: (Int64) -> String, say: Phrases) -> String? {
            var parts: [String] = []
            if item.principal != 0 { parts.append(say.principal(money(item.principal))) }
            if item.interest != 0 { parts.append(say.interest(money(item.interest))) }
            if item.fees != 0 { parts.append(say.fees(money(item.fees))) }
            let (charged, overflowCharged) = item.principal.addingReportingOverflow(item.interest)
            let (all, overflowAll) = charged.addingReportingOverflow(item.fees)
            if !overflowCharged, !overflowAll, all > item.total {
                parts.append(say.lessPaid(money(all - item.total)))
            }
            if parts == [say.principal(money(item.total))] { return nil }
            return parts.isEmpty ? nil : parts.joined(separator: ", ")
        }

        /// Text on one line, ending with a full stop (or the mark it ends with).
        static func oneLine(_ text: String) -> String {
            let line = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            guard let last = line.last else { return line }
            return ".!?".contains(last) ? line : line + "."
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

    // MARK: Sources

    /// The Mustache source of the built-in template `name` for `channel` in `language` (the subject first for an
    /// email), as it is rendered; nil for an unknown name or channel.
    public static func source(
        _ name: String, channel: TemplateChannel, language: MessageLanguage = .en
    ) -> TemplateSource? {
        builtInSources[TemplateKey(name: name, channel: channel, language: language)]
    }

    /// Every built-in template's source.
    static let builtInSources: [TemplateKey: TemplateSource] = {
        var result: [TemplateKey: TemplateSource] = [:]
        for language in MessageLanguage.allCases {
            let frame = Frame.of(language)
            for (name, wording) in Wording.of(language) {
                for channel in channels(of: name) {
                    var source = frame.source(wording, channel: channel)
                    // A final notice by email carries the statement of what is owed.
                    source.attachStatement = name == "final-notice" && channel == .email
                    result[TemplateKey(name: name, channel: channel, language: language)] = source
                }
            }
            for (key, source) in Frame.special(language) { result[key] = source }
        }
        return result
    }()
}

/// A template's identity: its name, channel and language.
public struct TemplateKey: Hashable, Sendable {
    public var name: String
    public var channel: TemplateChannel
    public var language: MessageLanguage

    public init(name: String, channel: TemplateChannel, language: MessageLanguage) {
        self.name = name
        self.channel = channel
        self.language = language
    }
}

/// A template's Mustache source: the subject (emails only) and the body; an email template may ask for a PDF
/// statement of the debts to go with it.
public struct TemplateSource: Hashable, Sendable {
    public var subject: String?
    public var body: String
    /// True when the email carries `statement.pdf`: the debts itemized as they stand when it is sent.
    public var attachStatement: Bool

    public init(subject: String? = nil, body: String, attachStatement: Bool = false) {
        self.subject = subject
        self.body = body
        self.attachStatement = attachStatement
    }
}

/// A template parsed, ready to render.
struct CompiledTemplate: @unchecked Sendable {
    var subject: MustacheTemplate?
    var body: MustacheTemplate
    var attachStatement: Bool

    /// Parses `source` as plain text: values are written as they are, never HTML-escaped.
    init(_ source: TemplateSource) throws {
        subject = try source.subject.map { try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + $0) }
        body = try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + source.body)
        attachStatement = source.attachStatement
    }
}
