import Foundation
import Testing

@testable import RecoupCore

/// The forbidden-content rule ids.
private let forbiddenRules: Set<String> = [
    "threat-violence", "threat-arrest", "threat-seizure", "threat-lawsuit", "threat-implied", "profanity",
    "false-government", "false-attorney", "shaming", "postcard",
]

/// The required-content rule ids.
private let missingRules: Set<String> = [
    "missing-identity", "missing-mini-miranda", "missing-creditor", "missing-amount", "missing-reply",
    "missing-opt-out",
]

private func spanishForbidden(_ text: String, channel: MessageChannel = .letter) -> [LintFinding] {
    MessageLint.check(text, channel: channel, language: .es).findings.filter { forbiddenRules.contains($0.rule) }
}

private func spanishMissing(_ text: String, channel: MessageChannel) -> Set<String> {
    Set(MessageLint.check(text, channel: channel, language: .es).findings.map(\.rule).filter(missingRules.contains))
}

/// Compliant Spanish messages, one per channel; the email is close to Recoup's own template.
private enum Modelo {
    static let email = """
        Estimado/a Ana García:

        Este es un recordatorio de Acme Recovery sobre su cuenta con Alpha Dental. Según nuestros registros, no se ha \
        pagado $1,234.56; los detalles están abajo. Por favor, páguelo o, si no puede pagarlo de una vez, comuníquese \
        con nosotros y veremos juntos un plan de pagos.

        Cantidad adeudada a Alpha Dental: $1,234.56
        - D-1, vencida el 15 de noviembre de 2026: $1,234.56

        Cómo pagar o comunicarse con nosotros:
        - Teléfono: (617) 555-0199

        Esta comunicación es de un cobrador de deudas. Es un intento de cobrar una deuda y cualquier información \
        obtenida se usará con ese fin.

        Para dejar de recibir correos electrónicos de Acme Recovery, responda STOP.

        Atentamente,
        Acme Recovery
        """
    static let sms =
        "Acme Recovery: Esta comunicación es de un cobrador de deudas. Su cuenta con Alpha Dental tiene un saldo de $250.00. Llame al 617-555-0199. Responda STOP para dejar de recibir mensajes."
    static let letter = """
        Estimada Ana García:

        Acme Recovery es un cobrador de deudas. Estamos tratando de cobrar una deuda que usted le debe a Alpha \
        Dental. Usaremos cualquier información que nos dé para ayudar a cobrar la deuda.

        Al 1 de abril de 2026, usted debe $1,234.56.

        Llámenos al (617) 555-0199 o escríbanos a PO Box 1234, Boston, MA 02101 para disputar la deuda o acordar un \
        plan de pagos.

        Atentamente,
        Juana Pérez
        Acme Recovery
        """
    static let voicemail = "Hola, habla Juana Pérez de Acme Services. Por favor llámeme al 617-555-0199. Gracias."
}

@Suite("Spanish message lint: compliant messages")
struct SpanishCompliantMessageTests {
    @Test(
        "a compliant Spanish email, text and letter pass with no finding",
        arguments: [(Modelo.email, MessageChannel.email), (Modelo.sms, .sms), (Modelo.letter, .letter)])
    func compliantMessagesPass(text: String, channel: MessageChannel) {
        let result = MessageLint.check(text, channel: channel, language: .es)
        #expect(result.ok)
        #expect(result.findings == [])
        #expect(result.limitedContent == nil)
    }

    @Test("a Spanish voicemail with only a name, a business, a request to call and a number is limited content")
    func limitedContentVoicemail() {
        let result = MessageLint.check(Modelo.voicemail, channel: .voicemail, language: .es)
        #expect(result.limitedContent == true)
        #expect(result.findings == [])
    }

    @Test("a Spanish voicemail that speaks of the debt is a communication and says what broke it")
    func voicemailThatMentionsTheDebt() throws {
        let text =
            "Hola, habla Juana Pérez de Acme Services. Llamo por su deuda con Alpha Dental. Por favor llámeme al 617-555-0199."
        let result = MessageLint.check(text, channel: .voicemail, language: .es)
        #expect(result.limitedContent == false)
        let finding = try #require(result.findings.first { $0.rule == "not-limited-content" })
        #expect(finding.severity == .warning)
        #expect(finding.excerpt == "deuda")
        #expect(finding.message.contains("a debt"))
        #expect(result.findings.contains { $0.rule == "missing-mini-miranda" && $0.severity == .error })
    }

    @Test("compliant wording that looks like a threat stays quiet: sin embargo, fecha de corte, a su juicio")
    func lookAlikesStayQuiet() {
        let text = """
            Sin embargo, puede pagar en cuotas. Su fecha de corte es el día 5. A su juicio, ¿cuál plan le conviene? \
            La ley limita por cuánto tiempo se le puede demandar por una deuda.
            """
        #expect(spanishForbidden(text) == [])
    }

    @Test(
        "everyday template sentences that share words with a threat stay quiet",
        arguments: [
            "Si no lo encuentra, revise su carpeta de correo basura.",
            "Le habla el Departamento de Cobranzas de Acme Recovery.",
            "Le encontraremos un plan de pagos que le convenga.",
            "Si usted está representado por un abogado, díganos su nombre.",
            "Puede presentar una denuncia ante la CFPB.",
            "Llámenos para exponer su caso.",
            "Puede pagar antes de ir a su trabajo.",
            "La carta de demanda de pago está adjunta.",
        ])
    func everydaySentencesStayQuiet(text: String) {
        #expect(spanishForbidden(text) == [])
    }
}

@Suite("Spanish message lint: forbidden content")
struct SpanishForbiddenContentTests {
    @Test(
        "each forbidden rule fires on a Spanish phrase, with the phrase as the excerpt",
        arguments: [
            ("Sabemos dónde vive y dónde trabaja.", "threat-violence", "Sabemos dónde vive"),
            ("Si no paga, le vamos a romper las piernas.", "threat-violence", "romper las piernas"),
            ("Si no paga, usted irá a la cárcel.", "threat-arrest", "cárcel"),
            ("Hay una orden de arresto a su nombre.", "threat-arrest", "orden de arresto"),
            ("Usted enfrentará cargos penales.", "threat-arrest", "cargos penales"),
            ("Vamos a llamar a la policía.", "threat-arrest", "policía"),
            ("Embargaremos su sueldo este mes.", "threat-seizure", "Embargaremos"),
            ("Le vamos a quitar su casa.", "threat-seizure", "quitar su casa"),
            ("Pondremos un gravamen sobre su propiedad.", "threat-seizure", "gravamen"),
            ("Le demandaremos si no paga.", "threat-lawsuit", "demandaremos"),
            ("Tomaremos acción legal en su contra.", "threat-lawsuit", "Tomaremos acción legal"),
            ("Su caso irá al tribunal.", "threat-lawsuit", "tribunal"),
            ("Pague hoy o si no, ya verá.", "threat-implied", "o si no"),
            ("Si no paga, se arrepentirá.", "threat-implied", "se arrepentirá"),
            ("Usted es un sinvergüenza.", "profanity", "sinvergüenza"),
            ("Es usted un estafador y un ladrón.", "profanity", "estafador"),
            ("Pague ya, moroso de mierda.", "profanity", "mierda"),
            ("Este es el Departamento de Justicia.", "false-government", "Este es el Departamento de Justicia"),
            ("Un agente federal revisará su caso.", "false-government", "agente federal"),
            ("Su cuenta fue enviada a nuestro abogado.", "false-attorney", "enviada a nuestro abogado"),
            ("Nuestro departamento legal revisa su cuenta.", "false-attorney", "Nuestro departamento legal"),
            ("Este asunto está en manos de un bufete.", "false-attorney", "bufete"),
            ("Le diremos a su jefe que no paga.", "shaming", "diremos a su jefe"),
            ("Publicaremos su deuda en internet.", "shaming", "Publicaremos su deuda en internet"),
            ("Le enviaremos una tarjeta postal.", "postcard", "tarjeta postal"),
        ])
    func forbiddenPhraseFires(text: String, rule: String, excerpt: String) {
        let findings = spanishForbidden(text)
        #expect(findings.contains { $0.rule == rule && $0.excerpt == excerpt }, "\(findings)")
    }

    @Test(
        "a writer who leaves the accents out is caught by the same rule",
        arguments: [
            ("Usted ira a la carcel.", "threat-arrest", "carcel"),
            ("Podria terminar en prision.", "threat-arrest", "prision"),
            ("Vamos a llamar a la policia.", "threat-arrest", "policia"),
            ("Sabemos donde vive.", "threat-violence", "Sabemos donde vive"),
            ("Tomaremos accion legal.", "threat-lawsuit", "Tomaremos accion legal"),
            ("Si no paga, se arrepentira.", "threat-implied", "se arrepentira"),
            ("Usted es un sinverguenza.", "profanity", "sinverguenza"),
            ("Es usted un ladron.", "profanity", "ladron"),
            ("Le enviaremos una notificacion oficial.", "false-government", "notificacion oficial"),
            (
                "Su cuenta fue remitida a nuestro departamento juridico.", "false-attorney",
                "nuestro departamento juridico"
            ),
            ("Le diremos a su patron que no paga.", "shaming", "diremos a su patron"),
        ])
    func accentsAreOptional(text: String, rule: String, excerpt: String) {
        let findings = spanishForbidden(text)
        #expect(findings.contains { $0.rule == rule && $0.excerpt == excerpt }, "\(findings)")
    }

    @Test("capitals, ¿ ¡ and accents written as combining marks are read like any other Spanish text")
    func punctuationAndDecomposedAccents() {
        #expect(spanishForbidden("¡LE DEMANDAREMOS!").map(\.excerpt) == ["DEMANDAREMOS"])
        #expect(spanishForbidden("¿Quiere ir a la CÁRCEL?").map(\.excerpt) == ["CÁRCEL"])
        let decomposed = "Podría terminar en prisio\u{301}n."
        #expect(spanishForbidden(decomposed).map(\.excerpt) == ["prisio\u{301}n"])
        // ¡ opens a clause: the "no" before it does not negate the threat after it.
        #expect(spanishForbidden("Si no paga, ¡le demandaremos!").map(\.rule) == ["threat-lawsuit"])
    }

    @Test(
        "a negator within five words, in the same clause, excuses the phrase as in English",
        arguments: [
            "No le demandaremos.",
            "Nunca llamaremos a la policía.",
            "Jamás embargaremos su sueldo.",
            "Usted no irá a la cárcel por esta deuda.",
            "No somos abogados.",
            "No le diremos a su jefe nada sobre esta deuda.",
            "Tampoco publicaremos su deuda en internet.",
            "No tomaremos accion legal.",
            "Ni le demandaremos ni le quitaremos su casa.",
        ])
    func negationExcuses(text: String) {
        #expect(spanishForbidden(text) == [])
    }

    @Test(
        "a negator that is part of a condition, or cut off by a clause boundary, does not excuse the threat",
        arguments: [
            ("Si no paga, le demandaremos.", "threat-lawsuit"),
            ("Si usted no nos paga, llamaremos a la policía.", "threat-arrest"),
            ("No tendremos más opción que demandarle.", "threat-lawsuit"),
            ("No queremos problemas, pero embargaremos su sueldo.", "threat-seizure"),
            ("Pague hoy, si no, le demandaremos.", "threat-lawsuit"),
        ])
    func conditionsDoNotExcuse(text: String, rule: String) {
        #expect(spanishForbidden(text).map(\.rule) == [rule])
    }

    @Test("profanity is never excused by a negator")
    func profanityIsNotNegatable() {
        #expect(spanishForbidden("No digo que sea usted un sinvergüenza.").map(\.rule) == ["profanity"])
    }

    @Test("a postcard is only a finding in a letter")
    func postcardOnlyInLetters() {
        #expect(spanishForbidden("Le enviaremos una tarjeta postal.", channel: .letter).map(\.rule) == ["postcard"])
        #expect(spanishForbidden("Le enviaremos una tarjeta postal.", channel: .email) == [])
    }
}

@Suite("Spanish message lint: certainty")
struct SpanishCertaintyTests {
    @Test(
        "a hedged lawsuit or seizure is a warning",
        arguments: [
            ("Podríamos tomar acciones legales.", "threat-lawsuit"),
            ("Es posible que presentemos una demanda.", "threat-lawsuit"),
            ("Su caso podría ir a juicio.", "threat-lawsuit"),
            ("Podriamos embargar su salario.", "threat-seizure"),
        ])
    func hedgedIsWarning(text: String, rule: String) throws {
        let finding = try #require(spanishForbidden(text).first)
        #expect(finding.rule == rule)
        #expect(finding.severity == .warning)
        #expect(
            MessageLint.check(text, channel: .letter, language: .es).findings.allSatisfy {
                $0.rule != rule || $0.severity == .warning
            })
    }

    @Test(
        "a lawsuit or seizure stated as certain or imminent is an error",
        arguments: [
            ("Vamos a presentar una demanda.", "threat-lawsuit"),
            ("Le demandaremos.", "threat-lawsuit"),
            ("Presentaremos una demanda hoy.", "threat-lawsuit"),
            ("Iniciaremos acciones legales inmediatamente.", "threat-lawsuit"),
            ("Aviso final: podríamos iniciar acciones legales.", "threat-lawsuit"),
            ("Última oportunidad antes de una demanda.", "threat-lawsuit"),
            ("La demanda ya ha sido presentada.", "threat-lawsuit"),
            ("Su sueldo será embargado dentro de 48 horas.", "threat-seizure"),
        ])
    func certainIsError(text: String, rule: String) throws {
        let finding = try #require(spanishForbidden(text).first)
        #expect(finding.rule == rule)
        #expect(finding.severity == .error)
    }

    @Test("the certain and the hedged finding carry the English rule's English sentences")
    func messagesStayEnglish() throws {
        let english = try #require(
            MessageLint.check("We will sue you today.", channel: .letter).findings.first { $0.rule == "threat-lawsuit" }
        )
        let certain = try #require(spanishForbidden("Le demandaremos hoy.").first)
        #expect(certain.message == english.message)
        let hedged = try #require(spanishForbidden("Podríamos presentar una demanda.").first)
        #expect(hedged.severity == .warning)
        #expect(hedged.message.hasPrefix("Mentions a lawsuit"))
        #expect(hedged.excerpt == "demanda")
    }
}

@Suite("Spanish message lint: required content")
struct SpanishRequiredContentTests {
    @Test(
        "each required element that is missing is reported, and only that one",
        arguments: [
            (
                "Esta comunicación es de un cobrador de deudas. Su cuenta con Alpha Dental tiene un saldo de $250.00. Llame al 617-555-0199. Responda STOP para dejar de recibir mensajes.",
                "missing-identity"
            ),
            (
                "Acme Recovery: Su cuenta con Alpha Dental tiene un saldo de $250.00. Llame al 617-555-0199. Responda STOP para dejar de recibir mensajes.",
                "missing-mini-miranda"
            ),
            (
                "Acme Recovery: Esta comunicación es de un cobrador de deudas. Su saldo es de $250.00. Llame al 617-555-0199. Responda STOP para dejar de recibir mensajes.",
                "missing-creditor"
            ),
            (
                "Acme Recovery: Esta comunicación es de un cobrador de deudas. Su cuenta con Alpha Dental tiene un saldo pendiente. Llame al 617-555-0199. Responda STOP para dejar de recibir mensajes.",
                "missing-amount"
            ),
            (
                "Acme Recovery: Esta comunicación es de un cobrador de deudas. Su cuenta con Alpha Dental tiene un saldo de $250.00. Responda STOP para dejar de recibir mensajes.",
                "missing-reply"
            ),
            (
                "Acme Recovery: Esta comunicación es de un cobrador de deudas. Su cuenta con Alpha Dental tiene un saldo de $250.00. Llame al 617-555-0199.",
                "missing-opt-out"
            ),
        ])
    func missingElementIsReported(text: String, rule: String) {
        #expect(spanishMissing(text, channel: .sms) == [rule])
        #expect(!MessageLint.check(text, channel: .sms, language: .es).ok)
    }

    @Test("a letter needs no opt-out, an email and a text do")
    func optOutByChannel() {
        let text =
            "Acme Recovery: Esta comunicación es de un cobrador de deudas. Su cuenta con Alpha Dental tiene un saldo de $250.00. Llame al 617-555-0199."
        #expect(spanishMissing(text, channel: .letter) == [])
        #expect(spanishMissing(text, channel: .email) == ["missing-opt-out"])
    }

    @Test(
        "each Spanish way of saying an element counts",
        arguments: [
            ("Este es un mensaje de Acme Recovery.", "missing-identity"),
            ("Le escribe Juana Pérez.", "missing-identity"),
            ("Aviso final de Harbor Dental Group: su saldo sigue pendiente.", "missing-identity"),
            ("Le contactamos de parte de Acme Recovery.", "missing-identity"),
            ("Saludos cordiales,\nAcme Recovery", "missing-identity"),
            ("Es un intento de cobrar una deuda.", "missing-mini-miranda"),
            ("Somos una agencia de cobranza.", "missing-mini-miranda"),
            ("Acreedor: Alpha Dental.", "missing-creditor"),
            ("Usted le debe $80.00 a Alpha Dental.", "missing-creditor"),
            ("Le escribimos en nombre de Alpha Dental.", "missing-creditor"),
            ("Llámenos cuando pueda.", "missing-reply"),
            ("Escríbanos a pagos@acme.example.com.", "missing-reply"),
            ("Comuníquese con nosotros.", "missing-reply"),
            ("Para no recibir más mensajes, envíe ALTO.", "missing-opt-out"),
            ("Puede darse de baja en cualquier momento.", "missing-opt-out"),
            ("Para cancelar la suscripción, haga clic aquí.", "missing-opt-out"),
        ])
    func phrasingCounts(text: String, rule: String) {
        #expect(!spanishMissing(text, channel: .email).contains(rule))
        #expect(spanishMissing("Hola.", channel: .email).contains(rule))
    }

    @Test(
        "a negated disclosure, reply or opt-out does not count",
        arguments: [
            ("No somos una agencia de cobranza.", "missing-mini-miranda"),
            ("No responda a este mensaje.", "missing-reply"),
            ("No puede darse de baja.", "missing-opt-out"),
        ])
    func negatedElementDoesNotCount(text: String, rule: String) {
        #expect(spanishMissing(text, channel: .email).contains(rule))
    }

    @Test("a missing disclosure's sentence is English but suggests the Spanish wording")
    func missingSentenceSuggestsSpanish() throws {
        let result = MessageLint.check("Hola.", channel: .sms, language: .es)
        let miranda = try #require(result.findings.first { $0.rule == "missing-mini-miranda" })
        #expect(miranda.message.hasPrefix("Does not say it is from a debt collector"))
        #expect(miranda.message.contains("Esta comunicación es de un cobrador de deudas"))
        let optOut = try #require(result.findings.first { $0.rule == "missing-opt-out" })
        #expect(optOut.message.contains("responda STOP"))
        let english = try #require(
            MessageLint.check("Hello.", channel: .sms).findings.first { $0.rule == "missing-mini-miranda" })
        #expect(!english.message.contains("cobrador"))
    }
}

@Suite("Spanish message lint: the language decides")
struct MessageLanguageLintTests {
    @Test("English text checked as Spanish: English threats are still caught, English disclosures do not count")
    func englishCheckedAsSpanish() {
        let compliantEnglish =
            "ABC Recovery: This is an attempt to collect a debt by a debt collector. Your Acme Bank balance is $250.00. Call 617-555-0100. Reply STOP to opt out."
        let result = MessageLint.check(compliantEnglish, channel: .sms, language: .es)
        #expect(!result.ok)
        #expect(result.findings.contains { $0.rule == "missing-mini-miranda" })
        #expect(!result.findings.contains { forbiddenRules.contains($0.rule) })
        #expect(spanishForbidden("If you don't pay, you'll go to jail.").map(\.rule) == ["threat-arrest"])
        #expect(spanishForbidden("We will not sue you.") == [])
    }

    @Test("Spanish text checked as English does not crash, and is read as English: its Spanish is not understood")
    func spanishCheckedAsEnglish() {
        let email = MessageLint.check(Modelo.email, channel: .email, language: .en)
        #expect(!email.ok)
        #expect(email.findings.contains { $0.rule == "missing-mini-miranda" })
        let threat = "Si no paga, usted irá a la cárcel."
        #expect(MessageLint.check(threat, channel: .letter).findings.allSatisfy { $0.rule != "threat-arrest" })
        #expect(spanishForbidden(threat).map(\.rule) == ["threat-arrest"])
    }

    @Test("the default language is English")
    func defaultIsEnglish() {
        let text = "Pay now or you will be arrested."
        #expect(MessageLint.check(text, channel: .sms) == MessageLint.check(text, channel: .sms, language: .en))
        #expect(
            MessageLint.check(Modelo.sms, channel: .sms) != MessageLint.check(Modelo.sms, channel: .sms, language: .es))
    }

    @Test(
        "a language reads from its code or name in any case",
        arguments: [
            ("en", MessageLanguage.en), ("EN", .en), ("English", .en), ("es", .es), ("ES", .es), ("spanish", .es),
            ("Español", .es), ("espanol", .es),
        ])
    func languageFromCode(code: String, language: MessageLanguage) {
        #expect(MessageLanguage(code: code) == language)
    }

    @Test("an unknown language code reads as nil, and each language has an English name")
    func unknownCodeAndNames() {
        #expect(MessageLanguage(code: "fr") == nil)
        #expect(MessageLanguage(code: "") == nil)
        #expect(MessageLanguage.en.name == "English")
        #expect(MessageLanguage.es.name == "Spanish")
    }
}
