import RecoupCore

// The built-in templates' words in Spanish (US Spanish, addressing the reader as "usted"), and the two templates that
// are not built from a `Wording` in either language: the validation notice (12 CFR 1006.34, the content of model forms
// B-1 and, in Spanish, B-2) and the call scripts (what a collector says on a call, and the limited-content voicemail of
// 12 CFR 1006.2(j)).

extension Wording {
    static let spanish: [String: Wording] = [
        "reminder-before-due": Wording(
            subject: "Recordatorio de pago de {{writerName}}",
            opening: """
                Este es un recordatorio cordial de {{writerName}}: {{#single}}un pago de {{total}} a \
                {{creditorName}} {{dueVerb}} el {{firstDue}}{{/single}}{{#multiple}}usted tiene {{count}} pagos a \
                {{creditorName}}, {{total}} en total; sus fechas de vencimiento aparecen abajo{{/multiple}}. Pagar \
                antes de la fecha de vencimiento mantiene su cuenta al día.
                """,
            closing: "Si ya pagó, le damos las gracias; por favor, no tenga en cuenta este recordatorio.",
            sms: """
                Recordatorio de {{writerName}}: {{debtorName}}, el pago de {{total}} adeudado a {{creditorName}} \
                {{#single}}{{dueVerb}} el {{firstDue}}{{/single}}{{#multiple}}vence pronto{{/multiple}}.
                """),
        "reminder": Wording(
            subject: "Sobre su cuenta con {{creditorName}}",
            opening: """
                Este es un recordatorio de {{writerName}} sobre su cuenta con {{creditorName}}. Según nuestros \
                registros, hay {{total}} sin pagar; los detalles aparecen abajo. Por favor, pague este monto o, si no \
                puede pagarlo todo de una vez, comuníquese con nosotros y podremos ver juntos un plan de pagos.
                """,
            closing: "Si ya pagó, le damos las gracias; por favor, no tenga en cuenta este mensaje.",
            sms: """
                Mensaje de {{writerName}}: {{debtorName}}, el monto de {{total}} adeudado a {{creditorName}} está \
                sin pagar. Por favor, pague o comuníquese con nosotros para acordar un plan.
                """),
        "plan-offer": Wording(
            subject: "Una oferta de plan de pagos de {{writerName}}",
            opening: """
                Este es un mensaje de {{writerName}} sobre los {{total}} adeudados a {{creditorName}}. Entendemos \
                que pagarlo todo de una vez puede ser difícil, por eso queremos ofrecerle un plan de pagos: \
                {{#planTerms}}{{.}}{{/planTerms}}{{^planTerms}}pagos mensuales que se ajusten a su \
                presupuesto{{/planTerms}}.

                {{#portalLink}}
                Puede aceptar esta oferta, o proponer su propio plan, en {{.}}
                {{/portalLink}}
                {{^portalLink}}
                Para aceptar esta oferta, o proponer su propio plan, comuníquese con nosotros por los medios que \
                aparecen abajo.
                {{/portalLink}}
                """,
            closing: "Si ya pagó, le damos las gracias; por favor, no tenga en cuenta esta oferta.",
            sms: """
                Mensaje de {{writerName}}: {{debtorName}}, por los {{total}} adeudados a {{creditorName}} podemos \
                ofrecerle un plan: {{#planTerms}}{{.}}{{/planTerms}}{{^planTerms}}pagos mensuales que se ajusten a \
                su presupuesto{{/planTerms}}.{{#portalLink}} Acéptelo o proponga el suyo en {{.}}{{/portalLink}}
                """),
        "final-notice": Wording(
            subject: "Aviso final sobre su cuenta con {{creditorName}}",
            opening: """
                Este es un aviso final de {{writerName}} sobre su cuenta con {{creditorName}}. El monto adeudado, \
                {{total}}, sigue sin pagarse. Por favor, páguelo en su totalidad o comuníquese con nosotros para \
                acordar un plan de pagos a su alcance.
                """,
            closing: """
                Si usted cree que no debe este monto, o que alguna parte es incorrecta, díganoslo y lo revisaremos.
                """,
            sms: """
                Último aviso de {{writerName}}: {{debtorName}}, los {{total}} adeudados a {{creditorName}} siguen \
                sin pagarse. Por favor, pague el total o comuníquese con nosotros para acordar un plan a su alcance.
                """,
            signOff: "Atentamente,"),
    ]
}

extension Frame {
    static let spanish = Frame(
        greeting: "Estimado/a", regarding: "Asunto:", emailSignOff: "Atentamente,", letterSignOff: "Atentamente,",
        emailOptOut: """
            Para dejar de recibir correos de {{writerName}}, responda STOP{{#portalLink}} o elija cómo podemos \
            comunicarnos con usted en {{.}}{{/portalLink}}.
            """,
        smsOptOut: "Responda STOP para no recibir más mensajes.",
        itemization: """
            Monto adeudado a {{creditorName}}: {{total}}
            {{#items}}
            - {{ref}}, con vencimiento el {{due}}: {{amount}}{{#detail}} ({{.}}){{/detail}}
            {{/items}}
            """,
        pay: """
            {{#hasPay}}
            Cómo pagar o comunicarse con nosotros:
            {{#payLines}}
            - {{.}}
            {{/payLines}}
            {{/hasPay}}
            """,
        smsItem: "{{ref}} (vencimiento: {{due}}): {{amount}}{{#detail}} ({{.}}){{/detail}}")

    // MARK: Validation notice

    /// The validation notice's ways to reply: the payLines, under a heading.
    private static func reachUs(_ heading: String) -> String {
        """
        {{#hasPay}}
        \(heading)
        {{#payLines}}
        - {{.}}
        {{/payLines}}
        {{/hasPay}}
        """
    }

    /// The content of model form B-1 (12 CFR 1006.34(c), Appendix B), without the page's header: the letter layout
    /// prints the sender, the date and the addressee. Payments and credits since the itemization date are two lines
    /// here (the form has one): the message has them apart, and Mustache does not add.
    private static let englishNotice = """
        Notice for: {{debtorName}}
        Reference: {{accountRef}}

        {{#agency}}{{writerName}} is a debt collector. {{/agency}}{{^agency}}This notice is from {{writerName}}. \
        {{/agency}}We are trying to collect a debt that you owe to {{creditorName}}. We will use any information you \
        give us to help collect the debt.

        Our information shows:
        {{#originalCreditor}}
        You had an account with {{.}} with account number {{accountRef}}. The debt is now owed to {{creditorName}}.
        {{/originalCreditor}}
        {{^originalCreditor}}
        You had an account with {{creditorName}} with account number {{accountRef}}.
        {{/originalCreditor}}
        {{#itemization}}
        As of {{itemizationDate}}, you owed: {{asOfItemization}}
        Between {{itemizationDate}} and today:
        - You were charged this amount in interest: + {{interest}}
        - You were charged this amount in fees: + {{fees}}
        - You paid this amount toward the debt: – {{payments}}
        - You were credited this amount toward the debt: – {{credits}}
        Total amount of the debt now: {{now}}
        {{/itemization}}
        {{^itemization}}
        Total amount of the debt now: {{total}}
        {{/itemization}}

        How can you dispute the debt?
        - Call or write to us by {{validationEnds}}, to dispute all or part of the debt. If you do not, we will \
        assume that our information is correct.
        - If you write to us by {{validationEnds}}, we must stop collection on any amount you dispute until we send \
        you information that shows you owe the debt. You may use the form below or write to us without the form. \
        You may also include supporting documents.{{#portalLink}} We accept disputes electronically at \
        {{.}}{{/portalLink}}

        What else can you do?
        - Write to ask for the name and address of the original creditor, if different from the current creditor. \
        If you write by {{validationEnds}}, we must stop collection until we send you that information. You may use \
        the form below or write to us without the form.
        - Go to www.cfpb.gov/debt-collection to learn more about your rights under federal law. For instance, you \
        have the right to stop or limit how we contact you.
        - Contact us about your payment options.
        - Póngase en contacto con nosotros para solicitar una copia de este formulario en español.

        \(reachUs("How to reach us:"))

        {{disclosure}}
        """

    /// The response form of B-1; `sendIt` says how to return it.
    private static func englishForm(_ sendIt: String) -> String {
        """
        How do you want to respond?
        \(sendIt)
        Name: {{debtorName}}
        Reference: {{accountRef}}

        Check all that apply:
        [ ] I want to dispute the debt because I think:
            [ ] This is not my debt.
            [ ] The amount is wrong.
            [ ] Other (please describe on reverse or attach additional information).
        [ ] I want you to send me the name and address of the original creditor.
        [ ] I enclosed this amount: $____
        Include the reference number {{accountRef}} with any payment.
        """
    }

    /// Model form B-2's content, in Spanish, laid out as the English notice is.
    private static let spanishNotice = """
        Aviso para: {{debtorName}}
        Referencia: {{accountRef}}

        {{#agency}}{{writerName}} es un cobrador de deudas. {{/agency}}{{^agency}}Este aviso es de {{writerName}}. \
        {{/agency}}Estamos tratando de cobrar una deuda que usted le debe a {{creditorName}}. Usaremos cualquier \
        información que usted nos dé para ayudarnos a cobrar la deuda.

        Nuestra información indica que:
        {{#originalCreditor}}
        Usted tenía una cuenta con {{.}} con el número de cuenta {{accountRef}}. Ahora la deuda se le debe a \
        {{creditorName}}.
        {{/originalCreditor}}
        {{^originalCreditor}}
        Usted tenía una cuenta con {{creditorName}} con el número de cuenta {{accountRef}}.
        {{/originalCreditor}}
        {{#itemization}}
        Al {{itemizationDate}}, usted debía: {{asOfItemization}}
        Entre el {{itemizationDate}} y hoy:
        - Se le cobró esta cantidad en intereses: + {{interest}}
        - Se le cobró esta cantidad en cargos: + {{fees}}
        - Usted pagó esta cantidad a la deuda: – {{payments}}
        - Se le acreditó esta cantidad a la deuda: – {{credits}}
        Cantidad total de la deuda ahora: {{now}}
        {{/itemization}}
        {{^itemization}}
        Cantidad total de la deuda ahora: {{total}}
        {{/itemization}}

        ¿Cómo puede disputar la deuda?
        - Llámenos o escríbanos a más tardar el {{validationEnds}} para disputar toda la deuda o parte de ella. Si \
        no lo hace, asumiremos que nuestra información es correcta.
        - Si nos escribe a más tardar el {{validationEnds}}, debemos dejar de cobrar cualquier cantidad que usted \
        dispute hasta que le enviemos información que demuestre que usted debe la deuda. Puede usar el formulario \
        de abajo o escribirnos sin el formulario. También puede incluir documentos de respaldo.{{#portalLink}} \
        Aceptamos disputas por vía electrónica en {{.}}{{/portalLink}}

        ¿Qué más puede hacer?
        - Escríbanos para pedir el nombre y la dirección del acreedor original, si es diferente del acreedor \
        actual. Si nos escribe a más tardar el {{validationEnds}}, debemos dejar de cobrar hasta que le enviemos esa \
        información. Puede usar el formulario de abajo o escribirnos sin el formulario.
        - Visite www.cfpb.gov/debt-collection para obtener más información sobre sus derechos según la ley federal. \
        Por ejemplo, usted tiene derecho a detener o limitar la forma en que nos comunicamos con usted.
        - Comuníquese con nosotros para conocer sus opciones de pago.

        \(reachUs("Cómo comunicarse con nosotros:"))

        {{disclosure}}
        """

    private static func spanishForm(_ sendIt: String) -> String {
        """
        ¿Cómo desea responder?
        \(sendIt)
        Nombre: {{debtorName}}
        Referencia: {{accountRef}}

        Marque todas las opciones que correspondan:
        [ ] Quiero disputar la deuda porque creo que:
            [ ] Esta no es mi deuda.
            [ ] La cantidad es incorrecta.
            [ ] Otro motivo (por favor, descríbalo al reverso o adjunte información adicional).
        [ ] Quiero que me envíen el nombre y la dirección del acreedor original.
        [ ] Adjunté esta cantidad: $____
        Incluya el número de referencia {{accountRef}} con cualquier pago.
        """
    }

    // MARK: Call scripts

    /// What a collector says on a call. Lines in quotation marks are said; the others are for the collector. The
    /// caller's own name is not a message value, so the script leaves a place for it. To anyone but the debtor the
    /// collector gives a name, and the employer's only if asked (15 U.S.C. 1692b(1)).
    private static let englishCall = """
        Call script: {{writerName}}{{#agency}}, for {{creditorName}}{{/agency}}

        1. Make sure you are speaking with {{debtorName}} before you say why you are calling.
        "Hello, may I speak with {{debtorName}}?"
        If anyone else answers, give your name only (say you are with {{writerName}} only if asked), ask when \
        {{debtorName}} can be reached, and say nothing about the reason for the call.

        2. Say who you are{{#agency}} and that you are a debt collector{{/agency}}.
        "My name is {{callerName}}, and I am calling from {{writerName}}. {{disclosure}}"

        3. Say what the call is about: the creditor and the exact amount.
        "I am calling about your account with {{creditorName}}. Our records show {{total}} owed to \
        {{creditorName}}."
        The debts, to read out if asked:
        {{#items}}
        - {{ref}}, due {{due}}: {{amount}}{{#detail}} ({{.}}){{/detail}}
        {{/items}}

        4. Ask how they would like to pay, and offer a plan.
        "Would you like to pay the full amount, or would a payment plan help? We can offer \
        {{#planTerms}}{{.}}{{/planTerms}}{{^planTerms}}monthly payments that fit your budget{{/planTerms}}."
        If they say the debt is not theirs or the amount is wrong, note it, tell them we will look into it, and do \
        not ask for payment on the call.

        5. Before you end the call, say how to pay or reach us:
        {{#payLines}}
        - {{.}}
        {{/payLines}}
        "Thank you for your time."
        """

    /// A limited-content message (12 CFR 1006.2(j)): a business name, a person's name, a request to call back and a
    /// telephone number, with the optional statement that any representative can help; nothing else. The business
    /// name must not reveal debt collection: the writer's name is used, so an agency whose name does (a "Recovery"
    /// or "Collections") cannot leave this message.
    private static let englishVoicemail = """
        Hello, this is {{callerName}} calling from {{writerName}}. Please call me back at {{phone}}. If I am not \
        available, any of our representatives can help you. Thank you.
        """

    private static let spanishCall = """
        Guion de llamada: {{writerName}}{{#agency}}, por cuenta de {{creditorName}}{{/agency}}

        1. Asegúrese de hablar con {{debtorName}} antes de decir el motivo de la llamada.
        "Hola, ¿podría hablar con {{debtorName}}, por favor?"
        Si contesta otra persona, diga solo su nombre (diga que llama de {{writerName}} solo si se lo preguntan), \
        pregunte cuándo puede encontrar a {{debtorName}} y no diga nada sobre el motivo de la llamada.

        2. Diga quién es usted{{#agency}} y que es un cobrador de deudas{{/agency}}.
        "Mi nombre es {{callerName}} y le llamo de {{writerName}}. {{disclosure}}"

        3. Diga de qué se trata la llamada: el acreedor y el monto exacto.
        "Le llamo por su cuenta con {{creditorName}}. Según nuestros registros, usted tiene {{total}} adeudados a \
        {{creditorName}}."
        Las deudas, para leerlas si se las piden:
        {{#items}}
        - {{ref}}, con vencimiento el {{due}}: {{amount}}{{#detail}} ({{.}}){{/detail}}
        {{/items}}

        4. Pregunte cómo desea pagar y ofrezca un plan.
        "¿Desea pagar el monto total, o le ayudaría un plan de pagos? Podemos ofrecerle \
        {{#planTerms}}{{.}}{{/planTerms}}{{^planTerms}}pagos mensuales que se ajusten a su presupuesto{{/planTerms}}."
        Si la persona dice que la deuda no es suya o que el monto es incorrecto, anótelo, dígale que lo \
        revisaremos y no le pida un pago en esta llamada.

        5. Antes de terminar la llamada, diga cómo pagar o comunicarse con nosotros:
        {{#payLines}}
        - {{.}}
        {{/payLines}}
        "Muchas gracias por su tiempo."
        """

    private static let spanishVoicemail = """
        Hola, habla {{callerName}}, de {{writerName}}. Por favor, devuélvame la llamada al {{phone}}. Si no estoy \
        disponible, cualquiera de nuestros representantes puede atenderle. Gracias.
        """

    static let englishSpecial: [TemplateKey: TemplateSource] = [
        TemplateKey(name: "validation-notice", channel: .letter, language: .en): TemplateSource(
            body: englishNotice + "\n\n"
                + englishForm(
                    "Mail this form to us at the postal address under \"How to reach us\", or use any of the ways listed there."
                )),
        TemplateKey(name: "validation-notice", channel: .email, language: .en): TemplateSource(
            subject: "Validation notice from {{writerName}} about a debt owed to {{creditorName}}",
            body: """
                \(english.greeting) {{debtorName}},

                \(englishNotice)

                \(englishForm("Reply to this email with your answers, or print this form and mail it to us."))

                \(english.emailOptOut)

                \(english.emailSignOff)
                {{writerName}}
                """),
        TemplateKey(name: "call", channel: .call, language: .en): TemplateSource(body: englishCall),
        TemplateKey(name: "call", channel: .voicemail, language: .en): TemplateSource(body: englishVoicemail),
    ]

    private static let spanishEmailReturn =
        "Responda a este correo con sus respuestas, o imprima este formulario y envíenoslo por correo postal."

    static let spanishSpecial: [TemplateKey: TemplateSource] = [
        TemplateKey(name: "validation-notice", channel: .letter, language: .es): TemplateSource(
            body: spanishNotice + "\n\n"
                + spanishForm(
                    "Envíenos este formulario a la dirección postal de \"Cómo comunicarse con nosotros\", o use cualquiera de las formas indicadas allí."
                )),
        TemplateKey(name: "validation-notice", channel: .email, language: .es): TemplateSource(
            subject: "Aviso de validación de {{writerName}} sobre una deuda con {{creditorName}}",
            body: """
                \(spanish.greeting) {{debtorName}},

                \(spanishNotice)

                \(spanishForm(spanishEmailReturn))

                \(spanish.emailOptOut)

                \(spanish.emailSignOff)
                {{writerName}}
                """),
        TemplateKey(name: "call", channel: .call, language: .es): TemplateSource(body: spanishCall),
        TemplateKey(name: "call", channel: .voicemail, language: .es): TemplateSource(body: spanishVoicemail),
    ]
}

extension Phrases {
    static let spanish = Phrases(
        months: [
            "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
            "noviembre", "diciembre",
        ],
        dateFormat: { day, month, year in "\(day) de \(month) de \(year)" },
        dueVerb: { $0 ? "venció" : "vence" },
        disclosure: {
            $0
                ? "Esta comunicación es de un cobrador de deudas. Es un intento de cobrar una deuda y cualquier "
                    + "información obtenida se usará con ese fin."
                : "Este es un intento de cobrar una deuda."
        },
        portalLine: { "En línea, para pagar, acordar un plan o decirnos cualquier cosa: \($0)" },
        payOnline: { "Pague en línea: \($0)" },
        phone: { "Teléfono: \($0)" },
        email: { "Correo electrónico: \($0)" },
        post: { "Correo postal: \($0)" },
        website: { "Sitio web: \($0)" },
        pleaseQuote: { "Por favor, indique \($0) al pagar o escribirnos." },
        and: "y", or: " o ",
        shortPay: { "pague en \($0)" },
        shortCall: { "llame al \($0)" },
        shortEmail: { "escriba a \($0)" },
        shortWrite: { "escriba a \($0)" },
        planTerms: { count, installment, last in
            var terms = count == 1 ? "un pago de \(installment)" : "\(count) pagos mensuales de \(installment)"
            if let last { terms += ", el último de \(last)" }
            return terms
        },
        principal: { "capital \($0)" },
        interest: { "intereses \($0)" },
        fees: { "cargos \($0)" },
        lessPaid: { "menos \($0) ya pagados" })
}
