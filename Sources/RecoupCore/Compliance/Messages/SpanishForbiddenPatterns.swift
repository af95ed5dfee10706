/// The Spanish phrases of each forbidden-content rule. The Spanish catalog runs them together with the English
/// phrases under the same rule id, severity, negation policy, channels and finding sentence (`ForbiddenRule`), so a
/// threat written in English inside a Spanish message is caught too. Words are written with their accents; matching
/// ignores them ("prisión" matches "prision").
enum SpanishForbiddenPatterns {
    /// The Spanish rules, in the English order: each English definition with the Spanish phrases put first.
    static let definitions: [ForbiddenRule.Definition] = ForbiddenRule.definitions.map { english in
        guard let spanish = patterns[english.id] else {
            preconditionFailure("MessageLint: no Spanish patterns for \(english.id)")
        }
        var definition = english
        definition.patterns = spanish + english.patterns
        return definition
    }

    /// Spanish phrases by rule id.
    static let patterns: [String: [String]] = [
        "threat-violence": [
            "(matarle|matarlo|matarla|matarte|matarlos|mataremos)",
            "(lastimarle|lastimarlo|lastimarla|herirle|herirlo|herirla|golpearle|golpearlo|golpearla|pegarle|agredirle|agredirlo|agredirla|atacarle|atacarlo|atacarla)",
            "(lastimar|herir|golpear|agredir|atacar|hacer daño|hacerle daño) a (usted|su (familia|hijo|hija|hijos|hijas|niños|esposa|esposo|pareja|madre|padre|padres|perro|mascota|mascotas))",
            "(hacerle|haremos|le haremos|le vamos a hacer|le harán|le hará) daño", "(paliza|golpiza)",
            "(romperle|quebrarle|romper|quebrar|romperemos|quebraremos) (las|los|la|el|sus|su) (piernas|pierna|brazos|brazo|rodillas|dedos|cuello|cara|nariz|mandíbula|ventanas|huesos)",
            "(daño|daños|violencia|lesiones) (física|físico|físicos|físicas|corporal|corporales)",
            "(violencia|violento|violenta|violentos|violentas)",
            "(quemar|quemarle|quemaremos|incendiar|incendiaremos) (su|la) (casa|hogar|auto|carro|coche|negocio)",
            "sabemos (dónde|en dónde) (vive|viven|trabaja|trabajan|duerme|estaciona|estudian)",
            "(cuídese|cuide|cuida) (las|su|sus) (espalda|espaldas)",
            "(le|lo|la|te) (encontraremos|vamos a encontrar) !<any>",
            "(le|lo|la|te) (rastrearemos|cazaremos|vamos a rastrear|vamos a cazar)",
            "(iremos|vamos a ir|pasaremos|vamos a pasar|llegaremos|apareceremos|nos presentaremos|vamos a presentarnos|nos aparecemos|aparecernos|presentarnos) (a|por|hasta|en) su (casa|hogar|domicilio|puerta|trabajo|oficina|empleo)",
            "(visitarle|visitarlo|visitarla|visitaremos|una visita|hacerle una visita) (en|a) su (casa|hogar|domicilio|puerta|trabajo|oficina)",
            "(enviar|mandar|enviaremos|mandaremos|vamos a enviar|vamos a mandar) (a alguien|gente|a nuestra gente|a un cobrador|a cobradores|a nuestros hombres|a unos hombres|a un agente|agentes) (a|hasta) su (casa|hogar|domicilio|puerta|trabajo|oficina)",
            "espere (una|nuestra) visita",
            "algo (malo|terrible|feo) (le|les)? (va a|puede|podría|pasará|ocurrirá|sucederá) (pasar|pasarle|ocurrir|ocurrirle|suceder|sucederle)?",
            "(los|sus)? accidentes (pasan|ocurren|suceden|pueden pasar|pueden ocurrir)", "duerma con un ojo abierto",
        ],
        "threat-arrest": [
            "arrest*", "(orden|órdenes) de (arresto|detención|captura|aprehensión|cateo)",
            "(cárcel|prisión|presidio|calabozo|penitenciaría)", "encarcel*", "tras las rejas",
            "(detención|detenerle|detenerlo|detenerla|detendremos)",
            "(esposado|esposada|esposarle|esposarlo|esposarla)", "(policía|policías|policial|patrulla)",
            "(alguacil|alguaciles|sheriff)",
            "(cargo|cargos|acusación|acusaciones|denuncia|denuncias|proceso|procedimiento|investigación|expediente|antecedentes|querella) (penal|penales|criminal|criminales)",
            "(penal|penales|penalmente|criminal|criminales|criminalmente)",
            "(presentaremos|levantaremos|interpondremos|pondremos|vamos a presentar|vamos a poner) (una)? (denuncia|cargos|querella)",
            "(presentar|levantar|interponer|poner) (cargos|querella|una querella)",
            "(denunciarle|denunciarlo|denunciarla|denunciaremos)", "(acusarle|acusarlo|acusarla|acusaremos) de",
            "(cometido|cometiendo|cometió|culpable de) (un)? (fraude|delito|robo|crimen)",
            "fraude (bancario|de cheques|postal|electrónico)", "(delito|delitos|crimen|crímenes|felonía|felonías)",
            "(fiscalía|fiscalías)", "(el|un|al|del) fiscal", "deport*",
            "(llamar|llamaremos|avisar|avisaremos|reportar|reportarle|reportaremos|informar|informaremos) (a|a la)? (inmigración|migración)",
            "(avisar|avisaremos|notificar|notificaremos|informar|informaremos|llamar|llamaremos|contactar|contactaremos|acudir|acudiremos|recurrir|recurriremos|involucrar|involucraremos|dar parte) a las autoridades",
            "(reportarle|reportarlo|reportarla|reportaremos) (a|ante) (la policía|las autoridades)", "bajo custodia",
        ],
        "threat-seizure": [
            "su (sueldo|salario|cheque|cuenta|cuentas|cuenta bancaria|cuentas bancarias|auto|carro|coche|vehículo|camioneta|casa|hogar|propiedad|propiedades|bienes|reembolso|pertenencias|ahorros) (será|serán|puede ser|pueden ser|podría ser|podrían ser|va a ser|van a ser) (embargado|embargada|embargados|embargadas|confiscado|confiscada|confiscados|incautado|incautada|congelado|congelada|congelados|congeladas|retenido|retenida|rematado|rematada|subastado|subastada|vendido|vendida|decomisado|decomisada|reposeído|reposeída|vaciada|vaciado)",
            "embarg*", "confisca*", "incauta*", "decomis*", "reposes*", "(reposeer|reposeído|reposeída|reposeeremos)",
            "(quitar|quitarle|quitarte|quitaremos|quitarán|quitará|llevarnos|llevaremos|remolcar|remolcaremos|rematar|remataremos|subastar|subastaremos) (su|sus|la|el|los|las) (casa|hogar|auto|carro|coche|vehículo|camioneta|propiedad|propiedades|bienes|pertenencias|muebles|sueldo|salario|cheque|ahorros|reembolso|cosas)",
            "(gravamen|gravámenes)", "derecho de retención",
            "(retener|retendremos|retenerle|retención de) (su|el|del)? (sueldo|salario|cheque|nómina)",
            "(congelar|congelaremos|vaciar|vaciaremos|bloquear|bloquearemos) (su|sus) (cuenta|cuentas|fondos|ahorros)",
            "(perder|perderá|perdería|pierda) su (casa|hogar|auto|carro|coche|vehículo|propiedad|propiedades|sueldo|salario|cheque|ahorros)",
            "(ejecución|ejecuciones) (hipotecaria|hipotecarias|forzosa|de la hipoteca)",
            "(remate|subasta) (de su|judicial)",
        ],
        "threat-lawsuit": [
            "(demandarle|demandarlo|demandarla|demandarte|demandarlos|demandaremos|demandarán|demandará|demandar|demandado|demandada)",
            "(demanda|demandas)",
            "(presentar|presentaremos|interponer|interpondremos|iniciar|iniciaremos|emprender|emprenderemos|tomar|tomaremos|entablar|entablaremos|proceder con|procederemos con) (una|unas)? (acción|acciones|medidas|medida|proceso|procedimiento|procedimientos|litigio) (legal|legales|judicial|judiciales|civil|civiles|en su contra|contra usted)",
            "(acción|acciones|medida|medidas|proceso|procedimiento|procedimientos|trámite|trámites|vía|recurso|recursos) (legal|legales|judicial|judiciales|jurídico|jurídicos|jurídica|jurídicas)",
            "(tribunal|tribunales|juzgado|juzgados|corte|cortes|juicio|juicios|juez|jueza|jueces)",
            "(litigio|litigios|litigar|pleito|pleitos)", "(citación|citatorio|emplazamiento) judicial?",
            "(orden|sentencia|fallo|resolución|mandato) (judicial|del tribunal|de la corte|del juez)",
            "(sentencia|fallo) (en su contra|contra usted|en rebeldía)",
            "(obtener|obtendremos|conseguir|conseguiremos|solicitar|solicitaremos) (una)? sentencia",
            "(proceder|procederemos) (legalmente|judicialmente)",
        ],
        "threat-implied": [
            "o si no",
            "(se arrepentirá|se arrepentirán|se va a arrepentir|se van a arrepentir|lo lamentará|lo lamentarán|lo va a lamentar|lo van a lamentar)",
            "que (le|lo|la) (despidan|corran|echen)",
            "(perder|perderá|perdería|pierda) su (empleo|trabajo|puesto)",
            "hacerle la vida (imposible|miserable|difícil|un infierno)",
            "(haremos|vamos a hacer) de su vida (un infierno|una pesadilla)",
            "(las cosas|esto|la situación) (se van a poner|se va a poner|se pondrán|se pondrá|van a ponerse|va a ponerse|pueden ponerse|puede ponerse|se pueden poner|se puede poner|podrían ponerse|se podrían poner) muy? (feas|fea|peor|peores|mal|difíciles|difícil|graves|serias)",
            "no nos detendremos ante nada", "cueste lo que cueste", "lo que haga falta",
        ],
        "profanity": [
            "(sinvergüenza|sinvergüenzas)", "(estafador|estafadora|estafadores|estafadoras)",
            "(ladrón|ladrona|ladrones|ladronas)", "(mentiroso|mentirosa|mentirosos|mentirosas)", "(mierda|mierdas)",
            "(pendejo|pendeja|pendejos|pendejas|pendejada)", "(cabrón|cabrona|cabrones)", "carajo",
            "(puta|puto|putas|putos|putada)", "(joder|jodido|jodida|jódase)", "(idiota|idiotas)",
            "(estúpido|estúpida|estúpidos|estúpidas)", "(imbécil|imbéciles)", "(tonto|tonta|tontos|tontas)",
            "!(correo|correos|carpeta) basura", "(escoria|lacra)", "(parásito|parásita|parásitos)",
            "(vago|vaga|vagos|holgazán|holgazana|gorrón|gorrona|aprovechado|aprovechada)",
            "(tramposo|tramposa|tramposos)", "(maldito|maldita|malditos|malditas)", "ching*", "(pinche|pinches)",
            "(culero|culera|culeros)", "(cállese|cállate)", "cierre (la boca|el pico)",
            "(mamón|mamona|huevón|huevona|güevón|boludo|boluda|gilipollas|capullo|cretino|cretina)",
            "(desgraciado|desgraciada|desgraciados)", "(fracasado|fracasada|fracasados)", "(muerto|muertos) de hambre",
        ],
        "false-government": [
            "(este es|esta es|somos|habla|le habla|le llamamos de|llamamos de|de parte de|en nombre de|representamos a|representando a|trabajamos para) (el|la|al|del)? (irs|fbi|gobierno|gobierno federal|hacienda|departamento de (justicia|estado|tesoro|hacienda|seguridad nacional|policía)|servicio de impuestos internos|tesoro|administración del seguro social|seguro social|fiscal general|procurador general|procuraduría)",
            "(agente|agentes|oficial|oficiales|funcionario|funcionarios|investigador|investigadores|inspector|inspectores|departamento) (del|de la|de) (irs|fbi|gobierno|hacienda|servicio de impuestos internos|tesoro)",
            "(agente|agentes|oficial|oficiales|funcionario|funcionarios|investigador|investigadores|agencia|gobierno|autoridades|autoridad) (federal|federales|gubernamental|gubernamentales|estatal|estatales)",
            "(agencia|agencias|oficina|oficinas|departamento|dependencia) (del gobierno|gubernamental|gubernamentales)",
            "(fuerzas|agentes|agencia|agencias|autoridades) del orden", "departamento de justicia",
            "(fiscal|procurador) general", "(procuraduría|procuradurías)", "servicio de impuestos internos",
            "(aviso|notificación|citación|documento|advertencia|requerimiento) (oficial|federal|del gobierno|gubernamental)",
            "(reportarle|reportarlo|reportarla|denunciarle|denunciarlo|denunciarla|reportaremos|denunciaremos|informaremos) (al|a la|ante el|ante la) (irs|fbi|gobierno|hacienda|tesoro)",
        ],
        "false-attorney": [
            "(nuestro|nuestros|nuestra|nuestras|mi|mis) (abogado|abogados|abogada|abogadas|asesor legal|asesores legales|asesor jurídico|asesores jurídicos|equipo legal|equipo jurídico|departamento legal|departamento jurídico|área legal|área jurídica|bufete)",
            "(oficina|oficinas|despacho|despachos|firma) (de|del)? (abogado|abogados|abogada|abogadas|legal|legales|jurídico|jurídica)",
            "(bufete|bufetes)",
            "(departamento|división|equipo|área|unidad) (legal|jurídico|jurídica|de litigios|de litigio|de cobranza judicial|de cobro judicial)",
            "(somos|soy) (un|una|unos)? (abogado|abogados|abogada|abogadas)",
            "(enviado|enviada|enviados|remitido|remitida|referido|referida|transferido|transferida|turnado|turnada|pasado|pasada|asignado|asignada|escalado|escalada|entregado|entregada|enviaremos|remitiremos|turnaremos|pasaremos|transferiremos) (su cuenta|su caso|su expediente|su deuda)? (a|al) (un|una|nuestro|nuestros|el|los)? (abogado|abogados|abogada|abogadas|departamento legal|área legal|bufete|despacho de abogados|litigio|cobranza judicial)",
            "(el|un|los|unos|nuestro|nuestros) (abogado|abogados|abogada) (se pondrá|se pondrán|le llamará|le llamarán|le contactará|le contactarán|lo contactará|la contactará|lo contactarán|la contactarán|se comunicará|se comunicarán|va a|van a|tomará|tomarán)",
            "(revisión|revisado|revisada) (legal|jurídica|por un abogado|por nuestros abogados|de un abogado)",
            "(prelegal|pre-legal|prejurídico|prejurídica|prejudicial)",
            "(carta|mensaje|aviso|comunicación) (de|del) (un|nuestro|el)? (abogado|bufete|despacho de abogados)",
        ],
        "shaming": [
            "(decirle|decir|contarle|contar|avisarle|avisar|informarle|informar|notificarle|notificar|llamar|llamarle|contactar|contactarle|escribirle|escribir|visitar|diremos|contaremos|avisaremos|informaremos|notificaremos|llamaremos|contactaremos|escribiremos|visitaremos|hablaremos con) a? (todos|toda)? (su|sus) (jefe|jefa|jefes|empleador|empleadora|patrón|patrona|supervisor|supervisora|gerente|familia|familiares|parientes|vecino|vecina|vecinos|vecinas|amigo|amiga|amigos|amigas|compañeros|compañeras|colegas|esposa|esposo|marido|pareja|padres|madre|padre|mamá|papá|hijos|hijas|hijo|hija|hermano|hermana|hermanos|iglesia|pastor|casero|casera|arrendador|referencias|novio|novia)",
            "(su|sus) (jefe|empleador|patrón|vecinos|familia|familiares|amigos|compañeros|colegas) (se enterará|se enterarán|se va a enterar|se van a enterar|sabrá|sabrán|va a saber|van a saber|será informado|serán informados|será notificado|serán notificados|será contactado|serán contactados)",
            "(todo el mundo|todos|todo el barrio|todo el vecindario|toda la cuadra|toda su familia) (se enterará|se enterarán|se va a enterar|se van a enterar|sabrá|sabrán|va a saber|van a saber)",
            "que (todo el mundo|todos|su <any>|sus <any>) (sepa|sepan|se entere|se enteren)",
            "(publicar|publicaremos|publicado|publicada|publicando|exhibir|exhibiremos|divulgar|divulgaremos|difundir|difundiremos) (su|sus|la deuda|esta deuda|una lista|esto|el nombre|los nombres)",
            "(publicar|publicaremos|publicarlo|publicarla|subir|subiremos|subirlo) (esto|su deuda|su nombre)? (en internet|en línea|en facebook|en las redes sociales|en redes sociales|en las redes)",
            "(lista|registro|base de datos) de (morosos|deudores|malos pagadores|tramposos)",
            "(muro|lista) de la vergüenza", "(vergüenza|vergonzoso|vergonzosa)", "avergonz*", "avergüenc*", "humill*",
        ],
        "postcard": ["(tarjeta|tarjetas) (postal|postales)"],
    ]

    /// Compliant wording that looks like a forbidden phrase: "sin embargo" (however), "fecha de corte" (a statement
    /// date), "a su juicio" (in your opinion), a demand for payment, and the validation notice's own sentence on
    /// time-barred debts.
    static let safePhrases = [
        "sin embargo", "(fecha|fechas) de corte",
        "corte de (luz|agua|gas|servicio|servicios|pelo|cabello|caja|cuenta)", "a (mi|nuestro|su|tu) juicio",
        "(buen|mal) juicio", "(carta|cartas|aviso) de demanda", "(demanda|demandas) de (pago|cobro)",
        "la ley limita <any>? <any>? <any>? <any>? <any>? <any>? (demandar|demandarle|demandarlo|demandarla|demandado|demandada)",
        "(protegido|protegida|protección|protecciones) (contra|de) (acciones legales|acción legal|una demanda|demandas)",
    ]

    /// Words that make a threat certain or imminent: "vamos a", a future ("le demandaremos", "procederá"), "hoy",
    /// "inmediatamente", "dentro de 48 horas", "ya ha sido presentada", "aviso final", "última oportunidad". A hedged
    /// mention ("podríamos", "es posible que") holds none of them.
    static let certainty = [
        "(hoy|mañana|inmediatamente|ahora|enseguida|definitivamente)", "esta noche", "(ya|ahora) mismo",
        "de (inmediato|forma inmediata|manera inmediata)", "en seguida", "sin (falta|demora|más aviso|mas aviso)",
        "cuanto antes", "(vamos|voy|va|van) a", "*aremos",
        "(procederemos|emprenderemos|interpondremos|pondremos|haremos|tendremos|iremos|recurriremos|acudiremos|pediremos|exigiremos|seguiremos|venderemos|obtendremos)",
        "(será|serán|procederá|procederán|tomará|tomarán|presentará|presentarán|iniciará|iniciarán|embargará|embargarán|demandará|demandarán|comenzará|comenzarán|empezará|empezarán|recibirá|recibirán|llegará|llegarán|irá|irán|tendrá|tendrán|perderá|perderán|estará|estarán)",
        "(tenemos|tiene|tienen) la intención de", "(planeamos|pretendemos|hemos decidido|decidimos)",
        "dentro de (las|los)? (próximas|próximos)? (<number>|un|una|dos|tres|cinco|siete|diez|unas|unos|pocas|pocos) <any>? (hora|horas|día|días)",
        "en (las|los) (próximas|próximos) (<number>|dos|tres|cinco|siete|diez|pocas|pocos)? <any>? (hora|horas|día|días)",
        "antes (del|de la) (fin|final|cierre)", "a más tardar",
        "(ha|han|hemos) (sido)? (presentado|presentada|emitido|emitida|aprobado|aprobada|autorizado|autorizada|programado|programada|ordenado|ordenada|iniciado|iniciada|firmado|firmada|interpuesto|interpuesta)",
        "(fue|fueron) (presentado|presentada|presentados|presentadas|interpuesta|interpuesto|aprobada|aprobado|autorizada|autorizado|ordenado|ordenada|firmada|firmado|programada|programado)",
        "(está|están) (siendo)? (preparando|preparada|preparado|presentando|tramitando|tramitada|tramitado|programada|programado|en proceso|en trámite|en curso)",
        "se (está|están) (preparando|presentando|tramitando|iniciando)",
        "(aviso|advertencia|notificación|requerimiento|oportunidad) final",
        "(último|última) (aviso|oportunidad|advertencia|notificación|requerimiento)",
    ]
}
