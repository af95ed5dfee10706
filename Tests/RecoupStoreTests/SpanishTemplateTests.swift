import Foundation
import RecoupCore
import RecoupStore
import Testing

@Suite("Spanish message templates")
struct SpanishTemplateTests {
    static let agencyDisclosure =
        "Esta comunicación es de un cobrador de deudas. Es un intento de cobrar una deuda y cualquier información "
        + "obtenida se usará con ese fin."
    static let creditorDisclosure = "Este es un intento de cobrar una deuda."

    static func render(
        _ name: String, _ channel: MessageChannel, context: MessageContext = MessageTemplateTests.context()
    ) throws -> RenderedMessage {
        try MessageTemplates.render(name, channel: channel, language: .es, context: context)
    }

    @Test(
        "every Spanish template on every channel passes the Spanish lint with amount, debts, creditor, writer, disclosure",
        arguments: [true, false])
    func everyTemplate(agency: Bool) throws {
        for (name, channel) in MessageTemplateTests.all {
            let message = try Self.render(name, channel, context: MessageTemplateTests.context(agency: agency))
            let label = "\(name) by \(channel.rawValue)"
            #expect(message.language == .es)
            #expect(message.lint.findings.isEmpty, "\(label): \(message.lint.findings)\n\(message.body)")
            #expect(message.isSendable, "\(label)")
            #expect((message.subject != nil) == (channel == .email), "\(label)")
            #expect(message.body.contains("$1,234.57"), "\(label)")
            #expect(message.body.contains("Harbor Dental Group") && message.body.contains("Maria Lopez"), "\(label)")
            for ref in ["INV-1", "INV-2", "INV-3"] { #expect(message.body.contains(ref), "\(label): \(ref)") }
            for due in ["15 de diciembre de 2026", "15 de enero de 2027", "30 de noviembre de 2026"] {
                #expect(message.body.contains(due), "\(label): \(due)")
            }
            for english in ["December", "January", "November", "Dear", "Amount owed", "due "] {
                #expect(!message.body.contains(english), "\(label): \(english)")
            }
            #expect(message.body.contains("https://recoup.example/portal/abc123"), "\(label)")
            if agency {
                #expect(message.body.contains("Acme Recovery Services"), "\(label)")
                #expect(message.body.contains(Self.agencyDisclosure), "\(label)")
            } else {
                #expect(!message.body.contains("Acme") && !message.body.contains("cobrador"), "\(label)")
                #expect(message.body.contains(Self.creditorDisclosure), "\(label)")
            }
            let writer = agency ? "Acme Recovery Services" : "Harbor Dental Group"
            switch channel {
            case .email:
                #expect(
                    message.body.contains(
                        "Para dejar de recibir correos de \(writer), responda STOP o elija cómo podemos "
                            + "comunicarnos con usted en https://recoup.example/portal/abc123."), "\(label)")
            case .sms: #expect(message.body.hasSuffix("Responda STOP para no recibir más mensajes."), "\(label)")
            default: #expect(!message.body.contains("STOP"), "\(label)")
            }
            #expect(!message.body.contains("{{") && !message.body.contains("\n\n\n"), "\(label)")
        }
    }

    @Test("a Spanish email reads as a whole")
    func wholeEmail() throws {
        let message = try Self.render(
            "reminder-before-due", .email,
            context: MessageTemplateTests.context(items: [MessageTemplateTests.items[0]], portalLink: nil))
        #expect(message.subject == "Recordatorio de pago de Acme Recovery Services")
        #expect(
            message.body == """
                Estimado/a Maria Lopez,

                Este es un recordatorio cordial de Acme Recovery Services: un pago de $537.34 a Harbor Dental Group vence el 15 de diciembre de 2026. Pagar antes de la fecha de vencimiento mantiene su cuenta al día.

                Monto adeudado a Harbor Dental Group: $537.34
                - INV-1, con vencimiento el 15 de diciembre de 2026: $537.34 (capital $500.00, intereses $12.34, cargos $25.00)

                Cómo pagar o comunicarse con nosotros:
                - Pague en línea: https://pay.harbordental.example/invoice
                - Mail a check payable to Harbor Dental Group.
                - Teléfono: (617) 555-0142
                - Correo electrónico: billing@harbordental.example
                - Correo postal: 200 Atlantic Ave, Boston, MA 02110
                - Sitio web: https://harbordental.example
                - Por favor, indique INV-1 al pagar o escribirnos.

                Si ya pagó, le damos las gracias; por favor, no tenga en cuenta este recordatorio.

                \(Self.agencyDisclosure)

                Para dejar de recibir correos de Acme Recovery Services, responda STOP.

                Atentamente,
                Acme Recovery Services
                """)
    }

    @Test("a Spanish letter and text message, and the itemization's words")
    func letterAndText() throws {
        let letter = try Self.render("reminder", .letter, context: MessageTemplateTests.context(agency: false))
        #expect(
            letter.body.hasPrefix("Asunto: Sobre su cuenta con Harbor Dental Group\n\nEstimado/a Maria Lopez,"),
            "\(letter.body)")
        #expect(letter.body.hasSuffix("Atentamente,\n\nHarbor Dental Group"))
        #expect(
            letter.body.contains(
                "- INV-3, con vencimiento el 30 de noviembre de 2026: $297.23 (capital $300.00, intereses $7.23, "
                    + "cargos $15.00, menos $25.00 ya pagados)"), "\(letter.body)")
        #expect(letter.body.contains("- Por favor, indique INV-1, INV-2 y INV-3 al pagar o escribirnos."))

        let text = try Self.render(
            "final-notice", .sms,
            context: MessageTemplateTests.context(agency: false, items: [MessageTemplateTests.items[1]]))
        #expect(
            text.body == """
                Último aviso de Harbor Dental Group: Maria Lopez, los $400.00 adeudados a Harbor Dental Group siguen sin pagarse. Por favor, pague el total o comuníquese con nosotros para acordar un plan a su alcance.
                INV-2 (vencimiento: 15 de enero de 2027): $400.00
                Pague en https://recoup.example/portal/abc123 o llame al (617) 555-0142.
                Este es un intento de cobrar una deuda. Responda STOP para no recibir más mensajes.
                """)
    }

    @Test("a due date ahead \"vence\", one past \"venció\"")
    func dueVerb() throws {
        // The context's date is 1 December 2026.
        let ahead = try Self.render(
            "reminder-before-due", .sms, context: MessageTemplateTests.context(items: [MessageTemplateTests.items[0]]))
        #expect(ahead.body.contains("Harbor Dental Group vence el 15 de diciembre de 2026."), "\(ahead.body)")
        let past = try Self.render(
            "reminder-before-due", .email, context: MessageTemplateTests.context(items: [MessageTemplateTests.items[2]])
        )
        #expect(
            past.body.contains("un pago de $297.23 a Harbor Dental Group venció el 30 de noviembre de 2026."),
            "\(past.body)")
    }

    @Test("the plan offer in Spanish: the installments, the last one when it differs")
    func planOffer() throws {
        let offer = MessageContext.PlanOffer(installment: 10_288, installments: 12)
        for channel in MessageTemplates.channels {
            let message = try Self.render(
                "plan-offer", channel, context: MessageTemplateTests.context(planOffer: offer))
            #expect(message.body.contains("12 pagos mensuales de $102.88, el último de $102.89"), "\(message.body)")
        }
        let open = try Self.render("plan-offer", .email, context: MessageTemplateTests.context(portalLink: nil))
        #expect(open.body.contains("un plan de pagos: pagos mensuales que se ajusten a su presupuesto."))
        #expect(open.body.contains("comuníquese con nosotros por los medios que aparecen abajo."), "\(open.body)")
        let one = try Self.render(
            "plan-offer", .letter,
            context: MessageTemplateTests.context(
                items: [MessageTemplateTests.items[1]], planOffer: .init(installment: 40_000, installments: 1)))
        #expect(one.body.contains("un plan de pagos: un pago de $400.00."), "\(one.body)")
    }

    @Test("Spanish dates: day, month in lower case, year")
    func dates() {
        #expect(
            MessageTemplates.readable(MessageTemplateTests.date("2026-12-15"), language: .es)
                == "15 de diciembre de 2026")
        #expect(
            MessageTemplates.readable(MessageTemplateTests.date("2027-01-01"), language: .es) == "1 de enero de 2027")
    }
}

@Suite("Call scripts")
struct CallScriptTemplateTests {
    /// An agency whose name does not say it collects debts, as a limited-content message needs.
    static func context(agency: Bool = true, language: MessageLanguage = .en) -> MessageContext {
        var context = MessageTemplateTests.context(agency: agency)
        if agency { context.writerName = "Acme Services" }
        return context
    }

    static func render(
        _ channel: TemplateChannel, _ language: MessageLanguage, context: MessageContext
    ) throws
        -> RenderedMessage
    {
        try MessageTemplates.render("call", channel: channel, language: language, context: context)
    }

    /// The place the script leaves for the caller's name, and a name to put there as a caller would say it.
    static let callerName: [MessageLanguage: String] = [.en: "[your name]", .es: "[su nombre]"]

    @Test(
        "the voicemail is a limited-content message once the caller says their name",
        arguments: MessageLanguage.allCases)
    func voicemail(language: MessageLanguage) throws {
        for agency in [true, false] {
            let message = try Self.render(.voicemail, language, context: Self.context(agency: agency))
            let placeholder = try #require(Self.callerName[language])
            #expect(message.body.contains(placeholder), "\(message.body)")
            #expect(message.body.contains(agency ? "Acme Services" : "Harbor Dental Group"))
            #expect(message.body.contains("(617) 555-0142"))
            for revealing in ["$", "INV-", "Maria Lopez", "deud", "debt", "cobr", "collect", "https://"] {
                #expect(!message.body.contains(revealing), "\(language): \(revealing) in \(message.body)")
            }
            // Until the caller is known the script leaves a place for their name, and the lint misses a person's name
            // only; with the caller's name (callerName) it is a limited-content message.
            #expect(message.lint.limitedContent == false)
            #expect(
                message.lint.findings.first { $0.rule == "not-limited-content" }?.message.contains(
                    "it lacks a natural person's name,") == true, "\(message.lint.findings)")
            var named = Self.context(agency: agency)
            named.callerName = "Jane Smith"
            let spoken = try Self.render(.voicemail, language, context: named)
            #expect(spoken.body == message.body.replacingOccurrences(of: placeholder, with: "Jane Smith"))
            #expect(spoken.lint.limitedContent == true, "\(language): \(spoken.lint.findings)\n\(spoken.body)")
            #expect(spoken.lint.findings.isEmpty, "\(spoken.lint.findings)")
        }
    }

    @Test(
        "the call script says who calls, the disclosure, the creditor, the amount, a plan and how to reach us",
        arguments: MessageLanguage.allCases)
    func callScript(language: MessageLanguage) throws {
        for agency in [true, false] {
            let context = MessageTemplateTests.context(
                agency: agency, planOffer: MessageContext.PlanOffer(installment: 25_000, installments: 5))
            let message = try Self.render(.call, language, context: context)
            let label = "\(language.rawValue) agency: \(agency)"
            #expect(message.templateChannel == .call && message.channel == .voicemail)
            #expect(message.lint.findings.isEmpty, "\(label): \(message.lint.findings)\n\(message.body)")
            #expect(message.lint.limitedContent == nil)
            #expect(message.isSendable)
            #expect(message.body.contains("$1,234.57") && message.body.contains("Maria Lopez"), "\(label)")
            for ref in ["INV-1", "INV-2", "INV-3"] { #expect(message.body.contains(ref), "\(label)") }
            #expect(
                message.body.contains("- Phone: (617) 555-0142") || message.body.contains("- Teléfono: (617) 555-0142"))
            let disclosure =
                switch (language, agency) {
                case (.en, true): CollectorDisclosure.sentence
                case (.en, false): "This is an attempt to collect a debt."
                case (.es, true): SpanishTemplateTests.agencyDisclosure
                case (.es, false): SpanishTemplateTests.creditorDisclosure
                }
            #expect(message.body.contains(disclosure), "\(label)")
            let calling =
                language == .en
                ? "\"My name is [your name], and I am calling from \(context.writerName). \(disclosure)\""
                : "\"Mi nombre es [su nombre] y le llamo de \(context.writerName). \(disclosure)\""
            #expect(message.body.contains(calling), "\(label): \(message.body)")
            let heading =
                switch (language, agency) {
                case (.en, true): "Call script: Acme Recovery Services, for Harbor Dental Group\n"
                case (.en, false): "Call script: Harbor Dental Group\n"
                case (.es, true): "Guion de llamada: Acme Recovery Services, por cuenta de Harbor Dental Group\n"
                case (.es, false): "Guion de llamada: Harbor Dental Group\n"
                }
            #expect(message.body.hasPrefix(heading), "\(label): \(message.body)")
            // To anyone else, the collector's name, and the employer's only if asked (15 U.S.C. 1692b(1)).
            let thirdParty =
                language == .en
                ? "give your name only (say you are with \(context.writerName) only if asked)"
                : "diga solo su nombre (diga que llama de \(context.writerName) solo si se lo preguntan)"
            #expect(message.body.contains(thirdParty), "\(label)")
            let plan = language == .en ? "5 monthly payments of $250.00" : "5 pagos mensuales de $250.00"
            #expect(message.body.contains(plan), "\(label): \(message.body)")
        }
    }
}

@Suite("Built-in templates pass the template check")
struct BuiltInTemplateCheckTests {
    @Test("every built-in template, in English and Spanish, passes TemplateCheck with its samples")
    func builtInTemplatesPass() throws {
        let asOf = MessageTemplateTests.date("2026-12-01")
        let profile = MessageTemplateTests.harbor
        let samples = TemplateCheck.samples(
            creditor: "Harbor Dental Group", writer: nil, profile: profile, asOf: asOf)
        // A limited-content voicemail names a business that does not say it collects debts: checked as such an
        // agency's, and as the creditor's own.
        let voicemailSamples =
            TemplateCheck.samples(
                creditor: "Harbor Dental Group", writer: "Acme Services", profile: profile, asOf: asOf)
            + TemplateCheck.samples(
                creditor: "Harbor Dental Group", writer: "Harbor Dental Group", profile: profile, asOf: asOf)
        var checked = 0
        for language in MessageLanguage.allCases {
            for name in MessageTemplates.builtInNames.sorted() {
                for channel in MessageTemplates.channels(of: name) {
                    let source = try #require(MessageTemplates.source(name, channel: channel, language: language))
                    if channel == .voicemail || channel == .call {
                        // The script names its caller (the samples' Jane Smith).
                        #expect(source.body.contains("{{callerName}}"))
                    }
                    let key = TemplateKey(name: name, channel: channel, language: language)
                    let findings = TemplateCheck.check(
                        source, key: key, samples: channel == .voicemail ? voicemailSamples : samples)
                    let errors = findings.filter { $0.severity == .error }
                    #expect(errors.isEmpty, "\(name) \(channel.rawValue) \(language.rawValue): \(errors)")
                    checked += 1
                }
            }
        }
        #expect(checked == 2 * (4 * 3 + 2 + 2))
    }
}
