import Foundation
import RecoupCore
import RecoupStore
import Testing

@Suite("Message templates")
struct MessageTemplateTests {
    static let harbor = ClientProfile(
        name: "Harbor Dental Group", phone: "+16175550142", email: "billing@harbordental.example",
        website: "https://harbordental.example", address: "200 Atlantic Ave\nBoston, MA 02110",
        paymentInstructions: "Mail a check payable to Harbor Dental Group.",
        paymentLink: "https://pay.harbordental.example/invoice")

    /// Three debts totalling $1,234.57: one with interest and fees, one of principal only, one with interest, fees
    /// and a payment.
    static let items = [
        MessageContext.Item(
            ref: "INV-1", dueOn: date("2026-12-15"), principal: 50_000, interest: 1_234, fees: 2_500, total: 53_734),
        MessageContext.Item(
            ref: "INV-2", dueOn: date("2027-01-15"), principal: 40_000, interest: 0, fees: 0, total: 40_000),
        MessageContext.Item(
            ref: "INV-3", dueOn: date("2026-11-30"), principal: 30_000, interest: 723, fees: 1_500, total: 29_723),
    ]

    static func date(_ text: String) -> LocalDate { try! LocalDate(iso: text) }

    /// A context for `items`, written by an agency for Harbor Dental Group unless `agency` is false.
    static func context(
        agency: Bool = true, profile: ClientProfile = harbor, items: [MessageContext.Item] = items,
        portalLink: String? = "https://recoup.example/portal/abc123", planOffer: MessageContext.PlanOffer? = nil,
        debtorName: String = "Maria Lopez", currency: Currency = .usd
    ) -> MessageContext {
        MessageContext(
            debtorName: debtorName, currency: currency, items: items, asOf: date("2026-12-01"),
            creditorName: "Harbor Dental Group", writerName: agency ? "Acme Recovery Services" : "Harbor Dental Group",
            collectingForAnother: agency, profile: profile, portalLink: portalLink, planOffer: planOffer)
    }

    /// The four reminder templates the default strategy uses.
    static let reminders = ["final-notice", "plan-offer", "reminder", "reminder-before-due"]

    static let all: [(String, MessageChannel)] = reminders.flatMap { name in
        MessageTemplates.channels.map { (name, $0) }
    }

    @Test(
        "the built-in names are the four reminders, each for email, sms and letter, the validation notice and the call"
    )
    func names() {
        #expect(
            MessageTemplates.builtInNames == [
                "reminder-before-due", "reminder", "plan-offer", "final-notice", "validation-notice", "call",
            ])
        #expect(MessageTemplates.messageNames == MessageTemplates.builtInNames.subtracting(["call"]))
        #expect(MessageTemplates.channels == [.email, .sms, .letter])
        for name in Self.reminders { #expect(MessageTemplates.channels(of: name) == [.email, .sms, .letter]) }
        #expect(MessageTemplates.channels(of: "validation-notice") == [.letter, .email])
        #expect(MessageTemplates.channels(of: "call") == [.call, .voicemail])
        #expect(MessageTemplates.channels(of: "welcome").isEmpty)
        #expect(Self.all.count == 12)
    }

    @Test(
        "every template on every channel passes the lint, with the amount, creditor, writer, disclosure and a way to pay",
        arguments: [true, false])
    func everyTemplatePassesTheLint(agency: Bool) throws {
        for (name, channel) in Self.all {
            let message = try MessageTemplates.render(name, channel: channel, context: Self.context(agency: agency))
            let label = "\(name) by \(channel.rawValue)"
            #expect(message.isSendable, "\(label): \(message.lint.findings.map(\.rule)) in\n\(message.body)")
            #expect(message.lint.findings.isEmpty, "\(label): \(message.lint.findings)")
            #expect(message.template == name && message.channel == channel)
            #expect((message.subject != nil) == (channel == .email), "\(label): only an email has a subject")
            #expect(message.body.contains("$1,234.57"), "\(label)")
            #expect(message.body.contains("Harbor Dental Group"), "\(label)")
            #expect(message.body.contains("Maria Lopez"), "\(label)")
            for ref in ["INV-1", "INV-2", "INV-3"] { #expect(message.body.contains(ref), "\(label): \(ref)") }
            #expect(message.body.contains("https://recoup.example/portal/abc123"), "\(label): the portal link")
            // Who writes, and what they are.
            if agency {
                #expect(message.body.contains("Acme Recovery Services"), "\(label)")
                #expect(message.body.contains(CollectorDisclosure.sentence), "\(label)")
            } else {
                #expect(!message.body.contains("Acme"), "\(label)")
                #expect(!message.body.contains("debt collector"), "\(label): a creditor is not a debt collector")
                #expect(message.body.contains("This is an attempt to collect a debt."), "\(label)")
            }
            // Opt-out for electronic messages only.
            switch channel {
            case .email:
                #expect(
                    message.body.contains(
                        "To stop receiving emails from \(agency ? "Acme Recovery Services" : "Harbor Dental Group"), "
                            + "reply STOP or choose how we may contact you at https://recoup.example/portal/abc123."),
                    "\(label)")
            case .sms: #expect(message.body.hasSuffix("Reply STOP to stop texts."), "\(label)")
            default: #expect(!message.body.contains("STOP"), "\(label)")
            }
            // No threats, and no leftovers of the template.
            #expect(!message.body.contains("{{") && !message.body.contains("}}"), "\(label)")
            #expect(!message.body.contains("\n\n\n"), "\(label)")
            #expect(message.lint.findings.allSatisfy { $0.severity != .warning }, "\(label)")
        }
    }

    @Test("amounts are exact and each debt is itemized: principal, interest, fees and payments when they tell more")
    func itemization() throws {
        let message = try MessageTemplates.render("reminder", channel: MessageChannel.email, context: Self.context())
        let expected = """
            Amount owed to Harbor Dental Group: $1,234.57
            - INV-1, due 15 December 2026: $537.34 (principal $500.00, interest $12.34, fees $25.00)
            - INV-2, due 15 January 2027: $400.00
            - INV-3, due 30 November 2026: $297.23 (principal $300.00, interest $7.23, fees $15.00, less $25.00 paid)
            """
        #expect(message.body.contains(expected), "\(message.body)")
        let letter = try MessageTemplates.render(
            "final-notice", channel: MessageChannel.letter, context: Self.context())
        #expect(letter.body.contains(expected), "\(letter.body)")
        let text = try MessageTemplates.render("reminder", channel: MessageChannel.sms, context: Self.context())
        #expect(
            text.body.contains(
                "INV-3, due 30 November 2026: $297.23 (principal $300.00, interest $7.23, fees $15.00, less $25.00 paid)"
            ), "\(text.body)")
        // A yen debt has no minor digits; a rupee amount is written with its code, which the lint reads as money.
        let yen = try MessageTemplates.render(
            "reminder", channel: MessageChannel.email,
            context: Self.context(
                items: [
                    .init(
                        ref: "Y-1", dueOn: Self.date("2026-12-01"), principal: 125_000, interest: 0, fees: 0,
                        total: 125_000)
                ],
                currency: .jpy))
        #expect(yen.body.contains("Amount owed to Harbor Dental Group: ¥125,000"), "\(yen.body)")
        #expect(yen.isSendable)
        let rupees = try MessageTemplates.render(
            "reminder", channel: MessageChannel.sms, context: Self.context(currency: try Currency(code: "INR")))
        #expect(rupees.body.contains("INR 1,234.57 owed to Harbor Dental Group"), "\(rupees.body)")
        #expect(!rupees.lint.findings.contains { $0.rule == "missing-amount" })
    }

    @Test("an email reads as a whole: greeting, subject, itemization, how to pay, disclosure, opt-out, signature")
    func wholeEmail() throws {
        let message = try MessageTemplates.render(
            "reminder-before-due", channel: MessageChannel.email,
            context: Self.context(items: [Self.items[0]], portalLink: nil))
        #expect(message.subject == "A payment reminder from Acme Recovery Services")
        #expect(
            message.body == """
                Dear Maria Lopez,

                This is a friendly reminder from Acme Recovery Services: a payment of $537.34 to Harbor Dental Group is due on 15 December 2026. Paying by the due date keeps your account up to date.

                Amount owed to Harbor Dental Group: $537.34
                - INV-1, due 15 December 2026: $537.34 (principal $500.00, interest $12.34, fees $25.00)

                How to pay or get in touch:
                - Pay online: https://pay.harbordental.example/invoice
                - Mail a check payable to Harbor Dental Group.
                - Phone: (617) 555-0142
                - Email: billing@harbordental.example
                - Post: 200 Atlantic Ave, Boston, MA 02110
                - Website: https://harbordental.example
                - Please quote INV-1.

                If you have already paid, thank you, and please disregard this reminder.

                \(CollectorDisclosure.sentence)

                To stop receiving emails from Acme Recovery Services, reply STOP.

                Kind regards,
                Acme Recovery Services
                """)
        #expect(message.isSendable, "\(message.lint.findings)")
    }

    @Test("a letter opens with its subject and ends with a signature; the page around it is the letter layout's")
    func wholeLetter() throws {
        let letter = try MessageTemplates.render(
            "reminder", channel: MessageChannel.letter, context: Self.context(agency: false))
        #expect(
            letter.body.hasPrefix(
                """
                Re: About your account with Harbor Dental Group

                Dear Maria Lopez,
                """), "\(letter.body)")
        #expect(letter.body.hasSuffix("Yours sincerely,\n\nHarbor Dental Group"))
        #expect(letter.isSendable, "\(letter.lint.findings)")
        let agency = try MessageTemplates.render("reminder", channel: MessageChannel.letter, context: Self.context())
        #expect(agency.body.hasSuffix("Yours sincerely,\n\nAcme Recovery Services"), "\(agency.body)")
    }

    @Test("a text message is short: the amount, the debts, one way to pay, the disclosure and STOP")
    func textMessage() throws {
        let message = try MessageTemplates.render(
            "final-notice", channel: MessageChannel.sms, context: Self.context(agency: false, items: [Self.items[1]]))
        #expect(
            message.body == """
                Final notice from Harbor Dental Group: Maria Lopez, $400.00 owed to Harbor Dental Group is still unpaid. Please pay in full or get in touch to agree a plan you can afford.
                INV-2, due 15 January 2027: $400.00
                Pay at https://recoup.example/portal/abc123 or call (617) 555-0142.
                This is an attempt to collect a debt. Reply STOP to stop texts.
                """)
        #expect(message.isSendable, "\(message.lint.findings)")
        // With only an email address, that is the way to reply.
        let emailOnly = try MessageTemplates.render(
            "reminder", channel: MessageChannel.sms,
            context: Self.context(
                profile: ClientProfile(name: "Harbor Dental Group", email: "billing@harbordental.example"),
                portalLink: nil))
        #expect(emailOnly.body.contains("\nEmail billing@harbordental.example.\n"), "\(emailOnly.body)")
        #expect(emailOnly.isSendable, "\(emailOnly.lint.findings)")
    }

    @Test("the plan offer shows the installments offered, the last one when it differs, and where to accept it")
    func planOffer() throws {
        let offer = MessageContext.PlanOffer(installment: 10_288, installments: 12)
        for channel in MessageTemplates.channels {
            let message = try MessageTemplates.render(
                "plan-offer", channel: channel, context: Self.context(planOffer: offer))
            #expect(
                message.body.contains("12 monthly payments of $102.88, the last one $102.89"),
                "\(channel): \(message.body)")
            #expect(message.isSendable, "\(channel): \(message.lint.findings)")
        }
        let email = try MessageTemplates.render(
            "plan-offer", channel: MessageChannel.email, context: Self.context(planOffer: offer))
        #expect(
            email.body.contains(
                "You can accept this offer, or propose a plan of your own, at https://recoup.example/portal/abc123"))
        let even = try MessageTemplates.render(
            "plan-offer", channel: MessageChannel.letter,
            context: Self.context(items: [Self.items[1]], planOffer: .init(installment: 10_000, installments: 4)))
        #expect(even.body.contains("offer you a payment plan: 4 monthly payments of $100.00."), "\(even.body)")
        // Without an offer, a plan is offered in words; without the portal, through the details given.
        let open = try MessageTemplates.render(
            "plan-offer", channel: MessageChannel.email, context: Self.context(portalLink: nil))
        #expect(open.body.contains("a payment plan: monthly payments that fit your budget."), "\(open.body)")
        #expect(open.body.contains("get in touch using the details below."))
        #expect(open.isSendable, "\(open.lint.findings)")
    }

    @Test("with no way to pay or reply in the profile and no portal link, every message fails missing-reply")
    func noContactDetails() throws {
        let bare = ClientProfile(name: "Harbor Dental Group")
        for (name, channel) in Self.all {
            let message = try MessageTemplates.render(
                name, channel: channel, context: Self.context(profile: bare, portalLink: nil))
            #expect(!message.isSendable, "\(name) by \(channel.rawValue)")
            #expect(
                message.lint.findings.map(\.rule) == ["missing-reply"],
                "\(name) by \(channel.rawValue): \(message.lint.findings.map(\.rule))\n\(message.body)")
            #expect(!message.body.contains("How to pay"))
        }
        // The portal link alone is a way to reply.
        let portal = try MessageTemplates.render(
            "reminder", channel: MessageChannel.sms, context: Self.context(profile: bare))
        #expect(portal.isSendable, "\(portal.lint.findings)")
    }

    @Test("names and references are written literally: no HTML escaping, no template read from a value")
    func hostileValues() throws {
        let name = #"Ann <b>O'Neil</b> & "Bo" {{debtorName}} {{{total}}} {{#items}}x{{/items}} {{> partial}}"#
        let items = [
            MessageContext.Item(
                ref: "<script>{{ref}}</script>", dueOn: Self.date("2026-12-15"), principal: 10_000, interest: 0,
                fees: 0, total: 10_000)
        ]
        for (template, channel) in Self.all {
            let message = try MessageTemplates.render(
                template, channel: channel, context: Self.context(items: items, debtorName: name))
            #expect(message.body.contains(name), "\(template) by \(channel.rawValue):\n\(message.body)")
            #expect(message.body.contains("<script>{{ref}}</script>"))
            #expect(
                !message.body.contains("&lt;") && !message.body.contains("&amp;") && !message.body.contains("&quot;"))
            #expect(!message.body.contains("&#39;"))
        }
    }

    @Test("an unknown template, a voicemail, no debts or an overflowing total is one sentence")
    func errors() {
        #expect(throws: MessageTemplateError.unknownTemplate("welcome")) {
            try MessageTemplates.render("welcome", channel: MessageChannel.email, context: Self.context())
        }
        #expect(
            MessageTemplateError.unknownTemplate("welcome").description
                == #"there is no message template "welcome"; the templates are call, final-notice, plan-offer, reminder, reminder-before-due, validation-notice"#
        )
        #expect(throws: MessageTemplateError.unsupportedChannel(template: "reminder", channel: .voicemail)) {
            try MessageTemplates.render("reminder", channel: MessageChannel.voicemail, context: Self.context())
        }
        #expect(
            MessageTemplateError.unsupportedChannel(template: "reminder", channel: .voicemail).description
                == #"the template "reminder" has no voicemail version; it is written for email, sms, letter"#)
        #expect(throws: MessageTemplateError.noDebts) {
            try MessageTemplates.render("reminder", channel: MessageChannel.sms, context: Self.context(items: []))
        }
        let huge = MessageContext.Item(
            ref: "X", dueOn: Self.date("2026-12-01"), principal: .max, interest: 0, fees: 0, total: .max)
        #expect(throws: MessageTemplateError.totalTooLarge) {
            try MessageTemplates.render(
                "reminder", channel: MessageChannel.sms, context: Self.context(items: [huge, huge]))
        }
    }

    @Test("dates read as people write them")
    func dates() {
        #expect(MessageTemplates.readable(Self.date("2026-12-15")) == "15 December 2026")
        #expect(MessageTemplates.readable(Self.date("2027-01-01")) == "1 January 2027")
    }
}

extension MessageTemplateTests {
    @Test("a message step without a template of its own renders the one its action implies")
    func defaultTemplates() {
        #expect(MessageTemplates.defaultTemplate(for: .finalNotice) == "final-notice")
        #expect(MessageTemplates.defaultTemplate(for: .offerPlan) == "plan-offer")
        for action in [StrategyAction.email, .sms, .letter] {
            #expect(MessageTemplates.defaultTemplate(for: action) == "reminder")
        }
        for action in [StrategyAction.call, .voicemail, .wait, .placeWithAgency, .skipTrace] {
            #expect(MessageTemplates.defaultTemplate(for: action) == nil)
        }
        for action in StrategyAction.allCases {
            if let name = MessageTemplates.defaultTemplate(for: action) {
                #expect(MessageTemplates.builtInNames.contains(name))
            }
        }
    }
}
