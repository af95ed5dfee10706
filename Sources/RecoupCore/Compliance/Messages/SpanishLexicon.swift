/// Word lists of the Spanish catalog. Each adds to the English list rather than replacing it: a Spanish message often
/// names an English business ("Acme Recovery LLC") or mixes in English words. Words are written with their accents;
/// the catalog keys them without (`Vocabulary.folded`).
enum SpanishLexicon {
    /// Capitalised words that are not names of people or businesses.
    static let commonCapitals =
        Lexicon.commonCapitals + [
            "El", "La", "Los", "Las", "Lo", "Un", "Una", "Unos", "Unas", "Este", "Esta", "Estos", "Estas", "Ese", "Esa",
            "Eso", "Esto", "Su", "Sus", "Usted", "Ustedes", "Ud", "Uds", "Nosotros", "Nuestro", "Nuestra", "Nuestros",
            "Nuestras", "Yo", "Mi", "Mis", "Le", "Les", "Nos", "Se", "Te", "Tu", "Él", "Ella", "Ellos", "Ellas", "Por",
            "Para", "De", "Del", "Al", "En", "Con", "Sin", "Sobre", "Desde", "Hasta", "Entre", "Según", "Y", "O",
            "Pero",
            "Si", "Sí", "Ni", "Que", "Qué", "Como", "Cómo", "Cuando", "Cuándo", "Donde", "Dónde", "Quien", "Quién",
            "Porque", "Hola", "Buenos", "Buenas", "Estimado", "Estimada", "Estimados", "Estimadas", "Querido",
            "Querida",
            "Señor", "Señora", "Señorita", "Sr", "Sra", "Srta", "Don", "Doña", "Dra", "Lic", "Ing", "Atentamente",
            "Cordialmente", "Saludos", "Sinceramente", "Respetuosamente", "Gracias", "Muchas", "Favor", "Importante",
            "Urgente", "Aviso", "Nota", "Recordatorio", "Atención", "Saldo", "Cantidad", "Monto", "Importe", "Cuenta",
            "Pago", "Pagos", "Vencido", "Vencida", "Último", "Última", "Responda", "Llame", "Llámenos", "Escríbanos",
            "Comuníquese", "Envíe", "Visite", "Pague", "Páguelo", "Teléfono", "Correo", "Dirección", "Es", "Hay", "Ya",
            "Aquí", "Hoy", "Mañana", "Ahora", "Cliente", "Consumidor", "Deudor", "Acreedor", "Asunto", "Fecha", "Tiene",
            "Puede", "Después", "Antes", "También", "Solo", "Sólo", "Muy", "Más", "Todo", "Todos", "Cualquier", "Cada",
            "Ningún", "Nunca", "Jamás", "Tampoco", "Habla", "Soy", "Somos", "ALTO", "BAJA", "Detalles", "Estado",
        ]
    /// Days, months and times of day.
    static let calendarWords =
        Lexicon.calendarWords + [
            "Lunes", "Martes", "Miércoles", "Jueves", "Viernes", "Sábado", "Domingo", "Lun", "Mié", "Jue", "Vie", "Sáb",
            "Dom", "Enero", "Febrero", "Marzo", "Abril", "Mayo", "Junio", "Julio", "Agosto", "Septiembre", "Setiembre",
            "Octubre", "Noviembre", "Diciembre", "Ene", "Abr", "Ago", "Dic", "Mediodía", "Medianoche",
        ]
    /// Words that end a business name.
    static let businessSuffixes =
        Lexicon.businessSuffixes + [
            "Servicios", "Grupo", "Asociados", "Compañía", "Cía", "SA", "SRL", "SAS", "Recuperaciones", "Recuperación",
            "Financiera", "Soluciones", "Socios", "Agencia", "Cobranzas", "Cobranza", "Cobros", "Banco", "Empresas",
            "Créditos", "Crédito", "Consultores", "Internacional",
        ]
    /// Words that head the first line of a message without naming the sender.
    static let headerWords =
        Lexicon.headerWords + [
            "Asunto", "Fecha", "Recordatorio", "Aviso", "Nota", "Saldo", "Cantidad", "Monto", "Importe", "Cuenta",
            "Acreedor", "Actual", "Referencia", "Alerta", "Advertencia", "Atención", "Mensaje", "Pago", "Importante",
            "Urgente", "Estimado", "Estimada", "Hola", "Querido", "Querida", "Vencimiento",
        ]
    /// Abbreviations whose full stop does not end a sentence.
    static let abbreviations =
        Lexicon.abbreviations + [
            "sra", "srta", "sres", "dra", "lic", "ing", "ud", "uds", "av", "avda", "núm", "pág", "tel", "cía", "depto",
            "dpto", "ej",
        ]
    /// Currency words written after an amount.
    static let currencyWords = Detectors.currencyWords + ["dólar", "dólares", "peso", "pesos"]

    /// Punctuation that ends a clause for negation: the English marks, and the opening ¿ and ¡.
    static let clauseMarks: Set<String> = Lexicon.clauseMarks.union(["¿", "¡"])

    /// Words that negate (besides the English ones).
    static let negators = folded([
        "no", "nunca", "jamás", "tampoco", "ni", "sin", "nadie", "ningún", "ninguna", "ninguno", "nada",
    ])

    /// Words after which the words before a phrase no longer negate it: "pero", "sino", "o", "sin embargo", "no
    /// obstante", "de lo contrario", "a menos que", and "que" ("no tenemos más opción que demandarle").
    static let clauseBoundaries = Lexicon.clauseBoundaries.union(
        folded([
            "pero", "sino", "o", "u", "aunque", "embargo", "obstante", "contrario", "salvo", "excepto", "menos",
            "mientras", "que",
        ]))

    /// Verbs that, right after a negator (past any pronoun), make the negation part of a condition: "si usted no
    /// nos paga, …", "no recibimos su pago…".
    static let conditionVerbs = Lexicon.conditionVerbs.union(
        folded([
            "paga", "pague", "pagan", "paguen", "pagar", "pagó", "pagamos", "responde", "responda", "responden",
            "respondan", "responder", "contesta", "conteste", "contestan", "contesten", "llama", "llame", "llaman",
            "llamen", "comunica", "comunique", "comunican", "comuniquen", "contacta", "contacte", "recibimos", "recibe",
            "reciba", "recibamos", "actúa", "actúe", "arregla", "arregle", "resuelve", "resuelva", "liquida", "liquide",
            "salda", "salde", "hace", "haga", "cumple", "cumpla", "coopera", "coopere", "acepta", "acepte", "deja",
            "deje", "cubre", "cubra", "abona", "abone", "regulariza", "regularice", "sabemos", "tenemos", "pone",
            "ponga", "obliga", "obligue",
        ]))

    /// Pronouns that may stand between a negator and its verb: "no nos paga", "no le llama".
    static let clitics = folded(["me", "te", "se", "nos", "le", "les", "lo", "la", "los", "las"])

    /// "si": a negator right after it is a condition ("si no paga").
    static let conditionals: Set<String> = ["si"]
    /// Subjects that may stand between "si" and the negator: "si usted no paga".
    static let subjects = folded(["usted", "ustedes", "ud", "uds", "él", "ella"])

    /// True for a Spanish or English negator.
    static func isNegator(_ word: String) -> Bool {
        negators.contains(word) || Lexicon.isNegator(word)
    }

    private static func folded(_ words: [String]) -> Set<String> { Set(words.map(Vocabulary.folded)) }
}
