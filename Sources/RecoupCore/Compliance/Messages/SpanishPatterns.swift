/// The Spanish catalog's word lists and patterns. Forbidden content is matched in Spanish and in English (a threat
/// in English inside a Spanish message is still a threat); required content must be in Spanish, the language the
/// consumer reads, so an English disclosure does not satisfy a Spanish check. Amounts, telephone numbers, email
/// addresses and links come from the same language-neutral detectors as in English.
extension Catalog.Source {
    /// The Spanish patterns.
    static let spanish = Catalog.Source(
        language: .es,
        commonCapitals: SpanishLexicon.commonCapitals, calendarWords: SpanishLexicon.calendarWords,
        businessSuffixes: SpanishLexicon.businessSuffixes, headerWords: SpanishLexicon.headerWords,
        abbreviations: SpanishLexicon.abbreviations, currencyWords: SpanishLexicon.currencyWords,
        forbidden: SpanishForbiddenPatterns.definitions,
        safePhrases: SpanishForbiddenPatterns.safePhrases + englishSafePhrases,
        certainty: SpanishForbiddenPatterns.certainty + englishCertainty,
        identity: SpanishRequiredPatterns.identity, signature: SpanishRequiredPatterns.signature,
        miniMiranda: SpanishRequiredPatterns.miniMiranda, creditor: SpanishRequiredPatterns.creditor,
        reply: SpanishRequiredPatterns.reply, optOut: SpanishRequiredPatterns.optOut,
        limitedBusiness: SpanishRequiredPatterns.limitedBusiness, limitedPerson: SpanishRequiredPatterns.limitedPerson,
        limitedReplyRequest: SpanishRequiredPatterns.limitedReplyRequest,
        breakers: SpanishRequiredPatterns.breakers)
}

/// The Spanish required-content and limited-content patterns (see `RequiredElement` and `LimitedContent` for the
/// English ones they mirror).
enum SpanishRequiredPatterns {
    /// Who is writing: "Este es un mensaje de Acme", "Le escribe Jane Smith", "de parte de Acme", "Acme Recovery es
    /// una agencia de cobranza", and a text that opens with its sender: "Acme Recovery: …".
    static let identity = [
        "(este es|esta es|soy|somos|le habla|habla|le escribe|le escriben|les escribe|mi nombre es|me llamo|aquí en) ,? <name>",
        "(mensaje|mensajes|llamada|llamadas|carta|cartas|correo|correos|correo electrónico|correos electrónicos|email|e-mail|texto|textos|aviso|nota|recordatorio|comunicación|notificación|actualización|comunicado) (final|importante|urgente|amistoso|cordial|breve)? (de|del) :? (la|el)? <business>",
        "(llamando|escribiendo|escribimos|llamamos|le llamamos|le escribimos|nos comunicamos|me comunico|le contactamos) (de|desde) :? (la|el)? <business>",
        "de parte de :? (la|el)? <business>",
        "<name> (y|de|&|and|<name>)* (es|son) (un|una) (cobrador|cobradora|agencia|empresa|compañía) de (deuda|deudas|cobranza|cobranzas|cobro|cobros)",
        "<name> (y|de|&|and|<name>)* (está|están) (intentando|tratando de) cobrar",
        "<name> (y|de|&|and|<name>)* (está|están) cobrando",
        "<opener> (y|&|and|<name>)* :",
        "<linedash> <name>",
    ]

    /// A signature after a closing: "Atentamente,\nAcme Recovery".
    static let signature = [
        "(atentamente|cordialmente|saludos|saludos cordiales|un saludo|un cordial saludo|gracias|muchas gracias|sinceramente|respetuosamente|le saluda atentamente) ,? <linename>"
    ]

    /// "Esta comunicación es de un cobrador de deudas", "Es un intento de cobrar una deuda", "agencia de cobranza".
    static let miniMiranda = [
        "(intento|intentando|intenta|intentamos|tratando|trata|tratamos|procurando) de cobrar (una|la|esta|su|sus)? (deuda|deudas)",
        "(cobrador|cobradores|cobradora|cobradoras) de (deuda|deudas)",
        "(agencia|agencias|empresa|empresas|compañía|compañías) de (cobranza|cobranzas|cobro|cobros|cobro de deudas|recuperación de deudas)",
        "cobrando (una|la|esta|su) deuda",
    ]

    /// "Acreedor: Alpha Dental", "adeudado a Alpha Dental", "usted le debe $80 a Acme", "su cuenta con Alpha Dental",
    /// "en nombre de Alpha Dental", "comprada a Acme Bank".
    static let creditor = [
        "(acreedor|acreedora) (original|actual)? (: | - | – | — | es | era | ,)? (el|la)? <name>",
        "(adeudado|adeudada|adeudados|adeudadas|debido|debida|debe|deben|adeuda|adeudan|debía|debían) (($|€|£) <number> (, <number>)* (. <number>)?)? a :? (el|la)? <name>",
        "(pagadero|pagadera|pertenece|perteneciente) a :? (el|la)? <name>", "en nombre (de|del) :? (la|el)? <name>",
        "(cuenta|cuentas|deuda|saldo|préstamo|factura|tarjeta|contrato|acuerdo|obligación|compra|plan|crédito|financiamiento|servicio) (con|en|original con|originalmente con|abierta con|emitida por|emitido por|otorgado por|otorgada por|de) :? (el|la)? <business>",
        "(comprada|comprado|adquirida|adquirido|cedida|cedido|transferida|transferido|vendida|vendido|asignada|asignado|referida|referido) ((a|por) nosotros)? (por|de|a) :? (el|la)? <name>",
    ]

    /// Ways to reply besides a telephone number, email address or link: "llámenos", "escríbanos", "comuníquese con
    /// nosotros", "responda a este mensaje", a PO box or a street address. "Responda STOP" is an opt-out, not a reply.
    static let reply = [
        "(llámenos|llámeme|escríbanos|escríbame|contáctenos|contácteme|visítenos|envíenos|mándenos|llamarnos|llamarme|escribirnos|contactarnos|contactarme)",
        "(comuníquese|comunicarse|comunicándose|póngase en contacto|ponerse en contacto)",
        "(llame|llamar|escriba|escribir|marque|hable) (a|al|con)? (nosotros|nuestra oficina|nuestro equipo|nuestro número|número gratuito|línea gratuita)",
        "(llame|llamar) (hoy|ahora|gratis|sin costo|de vuelta)",
        "(responda|responder|conteste|contestar|respóndanos|contéstenos|respóndame) !(stop|alto|baja|\"|«|cancelar)",
        "(devuelva|devolver|devuélvanos|devuélvame) (mi|nuestra|la|esta) llamada",
        "(po|p . o .?|p o) box <number>", "(apartado|casilla) postal? <number>",
        "<number> <name> <name>? <name>? <name>? (street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|parkway|pkwy|highway|hwy|suite|ste|square|sq|plaza|terrace|circle)",
        "(calle|avenida|avda|av|bulevar|paseo|carretera|camino) .? <name>+ ,? (<number>|#|núm|no)",
    ]

    /// "Responda STOP", "envíe ALTO", "para dejar de recibir", "para no recibir más", "darse de baja", "cancelar la
    /// suscripción".
    static let optOut = [
        "(responda|responder|conteste|contestar|envíe|enviar|escriba|escribir|mande|mandar|textee) (con|la palabra|con la palabra)? (\"|«)? (stop|alto|baja|cancelar)",
        "(stop|alto|baja) (\"|»)? para (dejar|no|cancelar|darse|salir|anular)", "(dejar|deje) de recibir",
        "no recibir (más|mas)", "(darse|dar|darle|dese|darme) de baja",
        "(cancelar|anular|cancele|anule) (la|su|sus)? (suscripción|suscripciones)",
        "(desuscribirse|desuscribir|desuscríbase)",
    ]

    /// "de Acme", "con Acme Services", "Harbor Asociados".
    static let limitedBusiness = [
        "(de|con|desde|en|aquí en) (la|el)? <business>", "<name> (<name>|&|y|and)* <suffix>",
    ]

    /// "Habla Juana Pérez", "mi nombre es Juana", "pregunte por Tomás", "- Juana".
    static let limitedPerson = [
        "(este es|esta es|habla|le habla|soy|mi nombre es|me llamo|pregunte por|preguntar por|hable con|hablar con|llame a|comuníquese con|comunicarse con|busque a) ,? <person> (<initial> .?)? <person>? !<suffix>",
        "<linedash> <person>",
    ]

    /// "Por favor llámeme", "devuelva mi llamada", "comuníquese conmigo", "me puede llamar al".
    static let limitedReplyRequest = [
        "(llámeme|llámenos|llamarme|llamarnos|devuélvame|devuélvanos|contácteme|contáctenos|comuníquese|comunicarse|respóndame|respóndanos|responda|responder|conteste|escríbame|escríbanos)",
        "(llame|llamar) (a|al|de vuelta|lo antes posible|hoy|cuando pueda)",
        "(devuelva|devolver) (mi|nuestra|la|esta) llamada", "por favor (llame|llamar|comuníquese)",
        "(me|nos) (puede|pueden|podría|podrían) (llamar|contactar|devolver)", "favor de (llamar|comunicarse)",
    ]

    /// Content a limited-content message may not hold: the Spanish words for each English breaker (same
    /// descriptions, which the finding quotes), then the English words.
    static let breakers: [(description: String, patterns: [String])] = LimitedContent.breakerPatterns.map {
        ($0.description, (spanishBreakers[$0.description] ?? []) + $0.patterns)
    }

    private static let spanishBreakers: [String: [String]] = [
        "a debt": [
            "(deuda|deudas|adeuda|adeudado|adeudada|adeudo|adeudos|vencido|vencida|vencidos|vencidas|atrasado|atrasada|atrasados|atraso|atrasos|moroso|morosa|morosidad|impago|impagado|impagada|pendiente|pendientes|incumplimiento)",
            "en mora", "(nos|le|me) (debe|deben)",
        ],
        "an account": [
            "!(en|darse) (cuenta|cuentas)",
            "(número|núm|no) de? (referencia|cuenta|caso|expediente|factura|préstamo|póliza|reclamo|reclamación)",
            "(referencia|expediente|caso|folio) .? (número|núm|no|#)",
        ],
        "a balance": ["(saldo|saldos)"],
        LimitedContent.amountBreaker: ["(cantidad|cantidades|monto|montos|importe|importes)"],
        "debt collection": ["cobr*", "(recuperación|recuperaciones)"],
        "a payment": [
            "(pago|pagos|pagar|pagado|pagada|pagó|pague|paguen|páguelo|pagarlo|pagadero|liquidar|liquidación|abono|abonos|cuota|cuotas|mensualidad|mensualidades|factura|facturas|facturación|cargo|cargos|comisión|comisiones|interés|intereses|reembolso)"
        ],
        LimitedContent.creditorBreaker: [
            "(acreedor|acreedores|crédito|créditos|prestamista|prestamistas|préstamo|préstamos|hipoteca|hipotecas|financiamiento|financiación)",
            "tarjeta de (débito|crédito)",
        ],
        "a legal matter": [
            "(legal|legales|demanda|demandas|demandar|abogado|abogados|abogada|tribunal|tribunales|corte|juicio|juez|sentencia|litigio|policía|alguacil|judicial|jurídico|jurídica)",
            "embarg*", "arrest*",
        ],
        "what the call is about": [
            "(asunto|tema|cuestión|caso) (importante|urgente|personal|privado|confidencial|financiero|de negocios|delicado|serio|pendiente)",
            "(urgente|urgentemente|importante|confidencial|plazo|vencimiento|vence|expira*)",
            "(respecto|referente|relacionado|relación|acerca|referencia) (a|al|de|del|con)",
            "sobre (su|sus|el|la|los|las|un|una|este|esta)", "aviso final", "atención inmediata",
        ],
    ]
}
