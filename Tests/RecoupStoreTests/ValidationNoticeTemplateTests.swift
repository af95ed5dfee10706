import Foundation
import RecoupCore
import RecoupStore
import Testing

@Suite("Validation notice template")
struct ValidationNoticeTemplateTests {
    static func date(_ text: String) -> LocalDate { try! LocalDate(iso: text) }

    /// One debt: $1,200.00 owed on 15 March 2026, $18.50 interest and $25.00 fees since, $100.00 paid and $5.00
    /// credited since, so $1,138.50 now.
    static let item = MessageContext.Item(
        ref: "INV-7", dueOn: date("2026-04-15"), principal: 120_000, interest: 1_850, fees: 2_500, total: 113_850)

    /// A validation notice sent on `sent`, by an agency for Harbor Dental Group unless `agency` is false.
    static func context(
        sent: LocalDate = date("2026-06-01"), agency: Bool = true, originalCreditor: String? = nil,
        portalLink: String? = "https://recoup.example/portal/abc123"
    ) throws -> MessageContext {
        var context = MessageTemplateTests.context(agency: agency, items: [item], portalLink: portalLink)
        context.asOf = sent
        context.validation = MessageContext.Validation(
            itemizationDate: date("2026-03-15"), amountOnItemizationDate: 120_000, interestSince: 1_850,
            feesSince: 2_500, paymentsSince: 10_000, creditsSince: 500, period: try ValidationPeriod(sent: sent),
            originalCreditor: originalCreditor)
        return context
    }

    static func render(
        _ channel: TemplateChannel, _ language: MessageLanguage = .en, context: MessageContext
    ) throws -> RenderedMessage {
        try MessageTemplates.render("validation-notice", channel: channel, language: language, context: context)
    }

    static let cases: [(TemplateChannel, MessageLanguage, Bool)] = [TemplateChannel.letter, .email].flatMap {
        channel in
        MessageLanguage.allCases.flatMap { language in [true, false].map { (channel, language, $0) } }
    }

    @Test("the notice passes the lint on a letter and an email, in English and Spanish, by an agency or a creditor")
    func passesTheLint() throws {
        for (channel, language, agency) in Self.cases {
            let message = try Self.render(channel, language, context: try Self.context(agency: agency))
            let label = "\(channel.rawValue) \(language.rawValue) agency: \(agency)"
            #expect(message.lint.findings.isEmpty, "\(label): \(message.lint.findings)\n\(message.body)")
            #expect(message.isSendable)
            #expect((message.subject != nil) == (channel == .email), "\(label)")
            #expect(message.body.contains("$1,138.50"), "\(label)")
            #expect(message.body.contains("INV-7"), "\(label)")
            #expect(message.body.contains("Harbor Dental Group"), "\(label)")
            #expect(message.body.contains("Maria Lopez"), "\(label)")
            #expect(message.body.contains("www.cfpb.gov/debt-collection"), "\(label)")
            #expect(message.body.contains("[ ]") && !message.body.contains("☐"), "\(label)")
            #expect(!message.body.contains("{{") && !message.body.contains("\n\n\n"), "\(label)")
            #expect(message.body.contains("STOP") == (channel == .email), "\(label): the opt-out is an email's")
            if agency {
                let collector = language == .en ? "is a debt collector." : "es un cobrador de deudas."
                #expect(message.body.contains("Acme Recovery Services \(collector)"), "\(label)")
            } else {
                #expect(!message.body.contains("Acme"), "\(label)")
            }
        }
    }

    @Test("the itemization since the itemization date, as model form B-1 has it")
    func itemization() throws {
        let english = try Self.render(.letter, context: try Self.context())
        #expect(
            english.body.contains(
                """
                Our information shows:
                You had an account with Harbor Dental Group with account number INV-7.
                As of 15 March 2026, you owed: $1,200.00
                Between 15 March 2026 and today:
                - You were charged this amount in interest: + $18.50
                - You were charged this amount in fees: + $25.00
                - You paid this amount toward the debt: – $100.00
                - You were credited this amount toward the debt: – $5.00
                Total amount of the debt now: $1,138.50
                """), "\(english.body)")
        let spanish = try Self.render(.letter, .es, context: try Self.context())
        #expect(
            spanish.body.contains(
                """
                Nuestra información indica que:
                Usted tenía una cuenta con Harbor Dental Group con el número de cuenta INV-7.
                Al 15 de marzo de 2026, usted debía: $1,200.00
                Entre el 15 de marzo de 2026 y hoy:
                - Se le cobró esta cantidad en intereses: + $18.50
                - Se le cobró esta cantidad en cargos: + $25.00
                - Usted pagó esta cantidad a la deuda: – $100.00
                - Se le acreditó esta cantidad a la deuda: – $5.00
                Cantidad total de la deuda ahora: $1,138.50
                """), "\(spanish.body)")
        // An original creditor other than the creditor now is named as the account's.
        let sold = try Self.render(.email, context: try Self.context(originalCreditor: "Bank of Rockville"))
        #expect(
            sold.body.contains(
                "You had an account with Bank of Rockville with account number INV-7. The debt is now owed to Harbor "
                    + "Dental Group."), "\(sold.body)")
        let vendida = try Self.render(.email, .es, context: try Self.context(originalCreditor: "Bank of Rockville"))
        #expect(
            vendida.body.contains(
                "Usted tenía una cuenta con Bank of Rockville con el número de cuenta INV-7. Ahora la deuda se le debe a "
                    + "Harbor Dental Group."), "\(vendida.body)")
    }

    /// Five days not Saturdays, Sundays or observed federal holidays after sending, then thirty days (worked by hand).
    static let periods: [(sent: String, received: String, english: String, spanish: String)] = [
        // Mon 1 June: Tue 2, Wed 3, Thu 4, Fri 5, Mon 8 June; + 30 days.
        ("2026-06-01", "2026-06-08", "8 July 2026", "8 de julio de 2026"),
        // Wed 25 Nov: Thanksgiving Thu 26 skipped; Fri 27, Mon 30, Tue 1, Wed 2, Thu 3 Dec; + 30 days.
        ("2026-11-25", "2026-12-03", "2 January 2027", "2 de enero de 2027"),
        // Wed 23 Dec: Thu 24, Christmas Fri 25 and the weekend skipped, Mon 28, Tue 29, Wed 30, Thu 31; + 30 days.
        ("2026-12-23", "2026-12-31", "30 January 2027", "30 de enero de 2027"),
        // Mon 28 Dec: Tue 29, Wed 30, Thu 31, New Year's Day Fri 1 Jan and the weekend skipped, Mon 4, Tue 5 Jan.
        ("2026-12-28", "2027-01-05", "4 February 2027", "4 de febrero de 2027"),
        // Thu 2 July: 4 July is a Saturday, observed Fri 3; Mon 6, Tue 7, Wed 8, Thu 9, Fri 10 July; + 30 days.
        ("2026-07-02", "2026-07-10", "9 August 2026", "9 de agosto de 2026"),
    ]

    @Test("the validation period ends 30 days after the assumed receipt, past weekends and federal holidays")
    func validationPeriodEnds() throws {
        for period in Self.periods {
            let computed = try ValidationPeriod(sent: Self.date(period.sent))
            #expect(computed.assumedReceived == Self.date(period.received), "sent \(period.sent)")
            #expect(MessageTemplates.readable(computed.periodEnds) == period.english, "sent \(period.sent)")
            let context = try Self.context(sent: Self.date(period.sent))
            for channel in [TemplateChannel.letter, .email] {
                let english = try Self.render(channel, context: context)
                #expect(
                    english.body.contains(
                        "Call or write to us by \(period.english), to dispute all or part of the debt."),
                    "\(english.body)")
                #expect(english.body.contains("If you write to us by \(period.english), we must stop collection"))
                #expect(english.body.contains("If you write by \(period.english), we must stop collection until"))
                let spanish = try Self.render(channel, .es, context: context)
                #expect(
                    spanish.body.contains(
                        "Llámenos o escríbanos a más tardar el \(period.spanish) para disputar toda la deuda o parte "
                            + "de ella."), "\(spanish.body)")
                #expect(spanish.body.contains("Si nos escribe a más tardar el \(period.spanish), debemos dejar"))
            }
        }
    }

    @Test("the disputes, the rights and the response form of B-1; the Spanish option in English")
    func content() throws {
        let letter = try Self.render(.letter, context: try Self.context())
        #expect(
            letter.body.hasPrefix(
                """
                Notice for: Maria Lopez
                Reference: INV-7

                Acme Recovery Services is a debt collector. We are trying to collect a debt that you owe to Harbor \
                Dental Group. We will use any information you give us to help collect the debt.
                """), "\(letter.body)")
        for sentence in [
            "If you do not, we will assume that our information is correct.",
            "You may use the form below or write to us without the form. You may also include supporting documents. "
                + "We accept disputes electronically at https://recoup.example/portal/abc123",
            "Write to ask for the name and address of the original creditor, if different from the current creditor.",
            "Go to www.cfpb.gov/debt-collection to learn more about your rights under federal law.",
            "Contact us about your payment options.",
            "Póngase en contacto con nosotros para solicitar una copia de este formulario en español.",
            "How to reach us:\n- Online, to pay, agree a plan or tell us anything: https://recoup.example/portal/abc123",
            "- Phone: (617) 555-0142",
            CollectorDisclosure.sentence,
            """
            How do you want to respond?
            Mail this form to us at the postal address under "How to reach us", or use any of the ways listed there.
            Name: Maria Lopez
            Reference: INV-7

            Check all that apply:
            [ ] I want to dispute the debt because I think:
                [ ] This is not my debt.
                [ ] The amount is wrong.
                [ ] Other (please describe on reverse or attach additional information).
            [ ] I want you to send me the name and address of the original creditor.
            [ ] I enclosed this amount: $____
            """,
        ] {
            #expect(letter.body.contains(sentence), "\(sentence)\nin\n\(letter.body)")
        }
        // A creditor writing its own notice says who writes, and makes no claim to be a debt collector.
        let own = try Self.render(.letter, context: try Self.context(agency: false))
        #expect(
            own.body.contains(
                "This notice is from Harbor Dental Group. We are trying to collect a debt that you owe to Harbor Dental "
                    + "Group."), "\(own.body)")
        #expect(!own.body.contains("debt collector"))
        #expect(own.body.contains("This is an attempt to collect a debt."))
        // Without the portal, no electronic disputes are offered.
        let offline = try Self.render(.letter, context: try Self.context(portalLink: nil))
        #expect(!offline.body.contains("electronically"), "\(offline.body)")
        #expect(offline.isSendable, "\(offline.lint.findings)")

        let email = try Self.render(.email, context: try Self.context())
        #expect(
            email.subject == "Validation notice from Acme Recovery Services about a debt owed to Harbor Dental Group")
        #expect(email.body.hasPrefix("Dear Maria Lopez,\n\nNotice for: Maria Lopez"), "\(email.body)")
        #expect(email.body.contains("Reply to this email with your answers, or print this form and mail it to us."))
        #expect(
            email.body.hasSuffix(
                """
                To stop receiving emails from Acme Recovery Services, reply STOP or choose how we may contact you at \
                https://recoup.example/portal/abc123.

                Kind regards,
                Acme Recovery Services
                """), "\(email.body)")
    }

    @Test("the Spanish notice follows model form B-2")
    func spanish() throws {
        let letter = try Self.render(.letter, .es, context: try Self.context())
        for sentence in [
            """
            Aviso para: Maria Lopez
            Referencia: INV-7

            Acme Recovery Services es un cobrador de deudas. Estamos tratando de cobrar una deuda que usted le debe a \
            Harbor Dental Group. Usaremos cualquier información que usted nos dé para ayudarnos a cobrar la deuda.
            """,
            "¿Cómo puede disputar la deuda?", "¿Qué más puede hacer?",
            "Si no lo hace, asumiremos que nuestra información es correcta.",
            "Aceptamos disputas por vía electrónica en https://recoup.example/portal/abc123",
            "Escríbanos para pedir el nombre y la dirección del acreedor original, si es diferente del acreedor actual.",
            "Visite www.cfpb.gov/debt-collection para obtener más información sobre sus derechos según la ley federal.",
            "Comuníquese con nosotros para conocer sus opciones de pago.",
            "Cómo comunicarse con nosotros:\n- En línea, para pagar, acordar un plan o decirnos cualquier cosa: "
                + "https://recoup.example/portal/abc123",
            "- Teléfono: (617) 555-0142",
            "Esta comunicación es de un cobrador de deudas. Es un intento de cobrar una deuda y cualquier información "
                + "obtenida se usará con ese fin.",
            """
            ¿Cómo desea responder?
            Envíenos este formulario a la dirección postal de "Cómo comunicarse con nosotros", o use cualquiera de las formas indicadas allí.
            Nombre: Maria Lopez
            Referencia: INV-7

            Marque todas las opciones que correspondan:
            [ ] Quiero disputar la deuda porque creo que:
                [ ] Esta no es mi deuda.
                [ ] La cantidad es incorrecta.
                [ ] Otro motivo (por favor, descríbalo al reverso o adjunte información adicional).
            [ ] Quiero que me envíen el nombre y la dirección del acreedor original.
            [ ] Adjunté esta cantidad: $____
            """,
        ] {
            #expect(letter.body.contains(sentence), "\(sentence)\nin\n\(letter.body)")
        }
        #expect(!letter.body.contains("Póngase en contacto con nosotros para solicitar una copia"))
        let own = try Self.render(.letter, .es, context: try Self.context(agency: false))
        #expect(own.body.contains("Este aviso es de Harbor Dental Group. Estamos tratando de cobrar"), "\(own.body)")
        #expect(own.body.contains("Este es un intento de cobrar una deuda."))
        #expect(!own.body.contains("cobrador"))

        let email = try Self.render(.email, .es, context: try Self.context())
        #expect(
            email.subject == "Aviso de validación de Acme Recovery Services sobre una deuda con Harbor Dental Group")
        #expect(email.body.hasPrefix("Estimado/a Maria Lopez,\n\nAviso para: Maria Lopez"), "\(email.body)")
        #expect(
            email.body.hasSuffix(
                """
                Para dejar de recibir correos de Acme Recovery Services, responda STOP o elija cómo podemos \
                comunicarnos con usted en https://recoup.example/portal/abc123.

                Atentamente,
                Acme Recovery Services
                """), "\(email.body)")
    }

    @Test("a letter prints in WinAnsi: Latin-1 letters and the en dash, nothing a PDF font would print as ?")
    func letterCharacters() throws {
        for language in MessageLanguage.allCases {
            let letter = try Self.render(.letter, language, context: try Self.context())
            let unprintable = letter.body.unicodeScalars.filter { $0.value > 0xFF && $0 != "–" }
            #expect(unprintable.isEmpty, "\(language): \(String(String.UnicodeScalarView(unprintable)))")
        }
    }
}
