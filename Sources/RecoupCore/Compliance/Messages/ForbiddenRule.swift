/// A rule that forbids some content.
struct ForbiddenRule: Sendable {
    /// How severe a match is.
    enum Severity: Sendable {
        /// Always an error.
        case error
        /// An error when the sentence presents the action as certain or imminent, otherwise a warning with the
        /// hedged sentence.
        case byCertainty(hedged: String)
    }

    /// The rule id reported in findings.
    let id: String
    /// The phrases the rule forbids.
    let phrases: PhraseSet
    /// Whether a preceding negator excuses the match.
    let negatable: Bool
    let severity: Severity
    /// The finding's sentence (for `byCertainty`, the certain case).
    let message: String
    /// The channels the rule applies to.
    let channels: Set<MessageChannel>

    /// The severity and sentence for a match, given whether its sentence is certain or imminent.
    func verdict(certain: Bool) -> (LintSeverity, String) {
        switch severity {
        case .error: (.error, message)
        case .byCertainty(let hedged): certain ? (.error, message) : (.warning, hedged)
        }
    }

    /// A rule before compilation.
    struct Definition {
        var id: String
        var patterns: [String]
        var negatable = true
        var severity = Severity.error
        var message: String
        var channels = Set(MessageChannel.allCases)
    }

    /// Compiles `definitions` (the rules of one language), in the order they run.
    static func compileAll(_ definitions: [Definition], _ vocabulary: inout Vocabulary) -> [ForbiddenRule] {
        definitions.map {
            ForbiddenRule(
                id: $0.id, phrases: PhraseSet($0.patterns, vocabulary: &vocabulary), negatable: $0.negatable,
                severity: $0.severity, message: $0.message, channels: $0.channels)
        }
    }

    /// The English rules, in the order they run.
    static let definitions: [Definition] = [
        Definition(
            id: "threat-violence",
            patterns: [
                "(kill|killing) (you|your <any>)",
                "(hurt|harm|injure|beat|shoot|stab|punch|hit|attack|smack|slap|choke|strangle) (you|your (family|kids|children|wife|husband|spouse|mother|mom|father|dad|parents|dog|pet|pets))",
                "(beat|rough) you? up",
                "break both? of? your (leg|legs|arm|arms|knee|knees|kneecaps|fingers|neck|jaw|face|nose|windows)",
                "(physical|bodily) (harm|injury|injuries|violence)", "(violence|violent)",
                "burn down? your (house|home|car|place)", "(we|i) know where you (live|work|sleep|park)",
                "watch your back",
                "(find|track|hunt) you down", "(we'll|i'll|we will|i will) find you !<any>",
                "(pay|give) you a (little|personal|friendly|surprise)? visit",
                "(show|turn) up at your (door|doorstep|house|home|job|work|workplace|office)",
                "(come|coming|go|going|stop) (to|by) your (house|home|door|doorstep)",
                "(send|sending) (someone|somebody|people|a man|men|our guys|an agent|agents|a collector|collectors) (to|over to|by|round to|around to) your (house|home|door|doorstep|work|job|office|place)",
                "expect a (personal|home|little)? visit",
                "(something|things) (bad|terrible|nasty) (will|could|might|may|is going to) happen",
                "(accident|accidents) (can|could|might|will|do) happen", "(sleep|walk) with one eye open",
            ], message: "Threatens violence or harm (FDCPA 806(1), 15 U.S.C. 1692d(1)); never say this."),

        Definition(
            id: "threat-arrest",
            patterns: [
                "(arrest|bench) (warrant|warrants)", "(warrant|warrants)", "(arrest|arrested|arresting|arrests)",
                "(go|going|goes|sent|send you|put you|end up|be) (to|in) (jail|prison)",
                "(jail|jailed|prison|imprison|imprisoned|imprisonment|incarcerate|incarcerated|incarceration)",
                "jail time",
                "behind bars", "(lock|locked) you? up", "(handcuff|handcuffs|handcuffed)",
                "police (officer|officers|department|report)?",
                "(sheriff|sheriff's) (office|department|deputies|deputy)?",
                "(deputy|deputies)", "(marshal|marshals)",
                "(officer|officers) (will be|are being|have been|has been|are|were|is)? (dispatched|sent|coming|on (their|the|his|her) way|en route)",
                "(dispatch|dispatched|dispatching|send|sent|sending) (a|an)? (officer|officers)",
                "(criminal|fraud|theft|felony|misdemeanor|misdemeanour) (charge|charges|prosecution|complaint|case|investigation|proceeding|proceedings|action|record|referral)",
                "(criminal|criminally)", "(prosecute|prosecuted|prosecution|prosecuting|prosecutor|prosecutors)",
                "(press|pressing|file|filing|bring|bringing) charges", "charged with",
                "(committed|committing|guilty of) a? (fraud|crime|theft|felony)", "(felony|felonies)",
                "(check|bank|wire|mail) fraud", "(taken into)? custody", "(deport|deported|deportation)",
                "(investigated|investigation|investigating) for (fraud|theft)", "(crime|crimes)",
                "(contact|contacting|notify|notifying|call|calling|alert|alerting|inform|informing|involve|involving) (the|local)? authorities",
                "report you to the (police|authorities|sheriff|district attorney|prosecutor)",
            ],
            message:
                "Threatens arrest, jail or criminal charges (FDCPA 807(4) and 807(7), 15 U.S.C. 1692e(4), 1692e(7)); never say this."
        ),

        Definition(
            id: "threat-seizure",
            patterns: [
                "your (wages|paycheck|salary|pay|bank account|bank accounts|account|accounts|car|vehicle|truck|house|home|property|assets|tax refund|belongings|savings) (will|can|may|could|might|shall|is going to|are going to) be (taken|frozen|seized|garnished|levied|repossessed|attached|impounded|confiscated|sold|auctioned|emptied)",
                "garnish*", "(seize|seized|seizes|seizing|seizure)", "repossess*", "(repo|repo'd|repoed|repos)",
                "(take|taking|took|tow|towing|impound|impounding|confiscate|confiscating|auction|auctioning|sell|selling) away? your (house|home|car|vehicle|truck|boat|property|belongings|furniture|possessions|assets|paycheck|wages|salary|savings|tax refund|stuff|things)",
                "(levy|levies|levied|levying)",
                "(attach|attaching) your (wages|salary|paycheck|pay|bank|account|accounts|property|assets)",
                "(lien|liens)",
                "(freeze|freezing|froze|empty|emptying|drain|draining|clean out) your bank? (account|accounts|assets|funds|savings)",
                "lose your (house|home|car|vehicle|property|wages|paycheck|savings)", "foreclos*",
                "(sheriff's|sheriffs) sale",
            ],
            severity: .byCertainty(
                hedged:
                    "Mentions seizure, garnishment or repossession (FDCPA 807(4), 15 U.S.C. 1692e(4)); say this only if the action is lawful and actually intended."
            ),
            message:
                "States seizure, garnishment or repossession as certain or imminent (FDCPA 807(4), 15 U.S.C. 1692e(4)); say this only if the action is lawful, intended and really under way."
        ),

        Definition(
            id: "threat-lawsuit",
            patterns: [
                "(sue|sued|sues|suing) you",
                "(file|filing|filed|bring|bringing|commence|commencing|initiate|initiating|start|starting|pursue|pursuing|proceed with|begin|beginning|institute|instituting) (a|an)? (lawsuit|law suit|suit|legal action|legal proceeding|legal proceedings|litigation|civil? action against you|claim against you|complaint against you)",
                "(take|taking|see|drag|dragging|haul|hauling|bring|bringing|sue) you (to|in|into) court",
                "(sue|sued|sues|suing)", "(lawsuit|lawsuits|law suit|law suits)",
                "legal (action|proceeding|proceedings|steps|measures|remedies)", "(litigate|litigation|litigating)",
                "court (action|order|date|summons|judgment|judgement|judgments|case|proceeding|proceedings|appearance|hearing)",
                "summons", "(subpoena|subpoenaed|subpoenas)", "(judgment|judgement|judgments) against you",
                "(obtain|get|seek|enter|win|obtaining|getting|seeking|entering|winning) a default? (judgment|judgement)",
                "(judgment|judgement) (will|may|can|could|might|shall) be (entered|obtained|issued|filed)",
                "default (judgment|judgement|judgments)", "court",
            ],
            severity: .byCertainty(
                hedged:
                    "Mentions a lawsuit (FDCPA 807(5), 15 U.S.C. 1692e(5)); say this only if suit is actually intended and lawful, never on a time-barred debt (12 CFR 1006.26(b))."
            ),
            message:
                "States a lawsuit as certain or imminent (FDCPA 807(5), 15 U.S.C. 1692e(5)); say this only if suit is actually intended and lawful, never on a time-barred debt (12 CFR 1006.26(b))."
        ),

        Definition(
            id: "threat-implied",
            patterns: [
                "or else", "(you'll|you will|you're going to|you are going to) (be sorry|regret)",
                "regret (it|this|ignoring|not paying)", "(get|have) you fired", "(lose|losing) your job",
                "(make|making) your life (miserable|hell|difficult|a hell|a living hell)",
                "(things|this|it) (will|is going to|could|can) get (ugly|worse|nasty|messy|very bad)",
                "stop at nothing", "do? whatever it takes",
            ], message: "Makes a veiled threat (FDCPA 806 and 807(5), 15 U.S.C. 1692d, 1692e(5)); never say this."),

        Definition(
            id: "profanity",
            patterns: [
                "fuck*", "motherfuck*", "(shit|shitty|shithead|shits|sh1t|bullshit)", "bull shit", "bitch*",
                "(bastard|bastards)",
                "(ass|asses|asshole|assholes) !.", "(jackass|dumbass)", "(damn|damned|damnit|dammit)", "goddamn*",
                "(crap|crappy)",
                "(dickhead|dickheads)", "(piss|pissed) off?", "(cunt|cunts|prick|pricks)",
                "(go to|the|in|like|bloody|from) hell", "hell (of|with|no)",
                "(deadbeat|deadbeats)", "dead (beat|beats)", "(liar|liars|loser|losers|scum|scumbag|scumbags)",
                "(idiot|idiots|idiotic|moron|morons|moronic|stupid|dumb|imbecile|imbeciles)",
                "(lowlife|lowlifes|low-life|low-lifes)", "low life", "(worthless|pathetic|thief|thieves|crook|crooks)",
                "(freeloader|freeloaders|parasite|parasites|bum|bums|trash|retard|retards|retarded)", "shut up",
                "(cheater|cheaters|welcher|welsher)",
            ], negatable: false,
            message: "Uses profane or abusive language (FDCPA 806(2), 15 U.S.C. 1692d(2)); never say this."),

        Definition(
            id: "false-government",
            patterns: [
                "this is the (irs|fbi|internal revenue service|government|treasury|department of <any>)",
                "(irs|internal revenue service) (agent|agents|officer|officers|investigator|investigators|department|official|officials)",
                "(from|with|calling from|on behalf of|representing) the (irs|internal revenue service|fbi|department of justice|department of the? treasury|treasury department|social security administration|federal government|state government|government|attorney general|attorney general's office)",
                "federal (agent|agents|officer|officers|official|officials|investigator|investigators|agency|government|authorities|bureau)",
                "government (agency|agencies|agent|agents|official|officials|department|office|authorities|investigator|investigators)",
                "state (agency|agent|agents|official|officials|authorities)",
                "law enforcement (officer|officers|agency|agencies|official|officials)?", "(fbi|doj)",
                "department of justice",
                "attorney general", "u . s . treasury",
                "(official|federal|government) (notice|summons|document|warning)",
                "report you to the (irs|internal revenue service|fbi|government|treasury)",
            ],
            message:
                "Implies government or law-enforcement involvement (FDCPA 807(1) and 807(9), 15 U.S.C. 1692e(1), 1692e(9)); never say this."
        ),

        Definition(
            id: "false-attorney",
            patterns: [
                "(attorney|attorney's|attorneys) (office|offices)", "attorneys ' (office|offices)",
                "law (office|offices|firm|department|group)",
                "legal (department|dept|division|team|counsel|representative|representatives|staff|unit)",
                "litigation (department|division|team|unit)",
                "(our|my|retained|in-house) (attorney|attorneys|lawyer|lawyers|legal counsel|counsel|legal team)",
                "the (firm's|company's) (attorney|attorneys|lawyer|lawyers)",
                "(we are|i am|we're|i'm) (a|an)? (attorney|attorneys|lawyer|lawyers|law firm|legal firm)",
                "(sent|forwarded|referred|transferred|assigned|escalated|passed|turned over|handed over) (to|over to) (a|an|our|the)? (attorney|attorneys|lawyer|lawyers|legal|law firm|litigation)",
                "attorney review", "(pre-legal|prelegal)", "legal review",
                "(attorney|attorneys|lawyer|lawyers) (will|are going to|may|shall) be? (contact|contacting|call|calling|reach|reaching|handle|handling|take over|taking over|in touch)",
            ],
            message:
                "Implies a lawyer is involved (FDCPA 807(3), 15 U.S.C. 1692e(3)); say this only if an attorney really is involved and has reviewed the account."
        ),

        Definition(
            id: "shaming",
            patterns: [
                "(tell|telling|told|call|calling|contact|contacting|notify|notifying|inform|informing|alert|alerting|email|text|write to|visit|let) (all of?)? your (employer|boss|manager|supervisor|hr|human resources|neighbor|neighbors|neighbour|neighbours|family|friends|coworkers|co-workers|colleagues|relatives|church|pastor|parents|spouse|wife|husband|kids|children|landlord|reference|references|mom|dad|mother|father|brother|sister|son|daughter|girlfriend|boyfriend|partner|roommate|friend)",
                "(everyone|everybody|people) (at|in) your <any> (will|is going to)? (know|knows|find out|hear|learn)",
                "make sure (everyone|everybody|people|your <any>) (knows|know|finds out|find out|hears|hear|learns|learn)",
                "your? (employer|boss|neighbor|neighbors|neighbours|family|friends|coworkers|co-workers|colleagues|everyone|everybody) (will|is going to|are going to) (know|find out|hear|learn|be told|be informed|be notified|be contacted)",
                "the whole <any> (will|is going to) (know|find out|hear|learn)",
                "(post|posted|posting) your? (name|debt|photo|picture|information|details) (on|online|in|to|publicly)",
                "(post|posted|posting) (it|this) (online|on (facebook|social media|twitter|instagram))",
                "(publish|published|publishing) (your|the debt|a list|this|it|them|name|names)",
                "(list|registry|database) of (deadbeat|deadbeats|bad debtors|debtors|people who (don't|do not|refuse to|won't) pay)",
                "(deadbeat|debtor|bad debtor|bad debtors) list", "wall of shame", "ashamed", "(shame|shameful|shamed)",
                "embarrass*", "humiliat*",
            ],
            message:
                "Threatens to shame the consumer or tell others about the debt (FDCPA 805(b) and 806(3), 15 U.S.C. 1692c(b), 1692d(3)); never say this."
        ),

        Definition(
            id: "postcard", patterns: ["(postcard|postcards|post-card|post-cards)", "post (card|cards)"],
            message:
                "Speaks of a postcard; a collection letter may never be sent on a postcard (FDCPA 808(7), 15 U.S.C. 1692f(7)).",
            channels: [.letter]),
    ]
}
