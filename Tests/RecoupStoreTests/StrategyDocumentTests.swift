import Foundation
import RecoupCore
import RecoupStore
import RecoupTestSupport
import Testing

@Suite("Strategy files")
struct StrategyDocumentTests {
    /// The problems `yaml` has, as `StrategyFileError` lists them; [] when it reads.
    static func problems(_ yaml: String) -> [String] {
        do {
            _ = try StrategyDocument.parse(yaml)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    /// A file of one track with these steps (each line a step in flow style, on lines 4, 5, …; the step's `{` is at
    /// column 9).
    static func file(steps: [String], when: String? = nil) -> String {
        var text = "name: test\ntracks:\n  - steps:\n"
        for step in steps { text += "      - \(step)\n" }
        if let when { text += "    when: \(when)\n" }
        return text
    }

    @Test("the issue's example reads into exactly these values")
    func issueExample() throws {
        // Setup: the minimum every file must accept (issue 14), with the agency and templates of this repository.
        let yaml = """
            name: standard
            tracks:
              - when: {segments: [new, hardship], debtorKind: consumer}   # all keys optional
                steps:
                  - {id: before-due, day: -3, action: email, template: reminder-before-due}
                  - {id: reminder-1, day: 7, action: email, template: reminder}
                  - {id: call-1, day: 15, action: call}
                  - {id: offer, day: 20, action: offer_plan, template: plan-offer}
                  - {id: final, day: 45, action: final_notice, template: final-notice}
                  - {id: agency, day: 75, action: place_with_agency, agency: acme-collections}
                  - {id: nudge, day: 90, action: email, template: reminder, repeatEvery: 30}
            """
        // Act
        let strategy = try StrategyDocument.parse(yaml)
        // Verify
        var when = StrategyConditions()
        when.segments = [.new, .hardship]
        when.debtorKind = .consumer
        func step(
            _ id: String, _ day: Int, _ action: StrategyAction, _ build: (inout StrategyStep) -> Void = { _ in }
        )
            -> StrategyStep
        {
            var step = StrategyStep(id: id, day: day, action: action)
            build(&step)
            return step
        }
        let expected = Strategy(
            name: "standard",
            tracks: [
                StrategyTrack(
                    when: when,
                    steps: [
                        step("before-due", -3, .email) { $0.template = "reminder-before-due" },
                        step("reminder-1", 7, .email) { $0.template = "reminder" },
                        step("call-1", 15, .call),
                        step("offer", 20, .offerPlan) { $0.template = "plan-offer" },
                        step("final", 45, .finalNotice) { $0.template = "final-notice" },
                        step("agency", 75, .placeWithAgency) { $0.agency = "acme-collections" },
                        step("nudge", 90, .email) {
                            $0.template = "reminder"
                            $0.repeatEvery = 30
                        },
                    ])
            ])
        #expect(strategy == expected)
    }

    @Test("every optional key reads: description, track names, channel, note, contingency, step conditions")
    func everyKey() throws {
        let yaml = """
            name: everything
            description: >-
              Two lines of
              description.
            tracks:
              - name: big business debts
                when:
                  segments: avoider
                  debtorKind: commercial
                  balance: {atLeast: 1000, below: "25000.50"}
                  states: [open, broken]
                  minDaysSinceContact: 0
                  contactable: true
                steps:
                  - id: offer_1
                    day: +10
                    action: offer_plan
                    template: plan-offer
                    channel: sms
                    note: Offer a plan by text.
                    when: {states: [promised], minDaysSinceContact: 3, contactable: false}
                  - id: place
                    day: 3650
                    action: place_with_agency
                    agency: acme.collections_2
                    contingencyPercent: "27.5"
                  - {id: legal, day: -365, action: legal_review, repeatEvery: 1}
            """
        let strategy = try StrategyDocument.parse(yaml)
        #expect(strategy.description == "Two lines of description.")
        let track = try #require(strategy.tracks.first)
        #expect(track.name == "big business debts")
        #expect(track.when.segments == [.avoider])
        #expect(track.when.debtorKind == .commercial)
        #expect(track.when.balanceAtLeast == "1000")
        #expect(track.when.balanceBelow == "25000.50")
        #expect(track.when.states == [.open, .broken])
        #expect(track.when.minDaysSinceContact == 0)
        #expect(track.when.contactable == true)
        #expect(track.steps.map(\.id) == ["offer_1", "place", "legal"])
        let offer = track.steps[0]
        #expect(offer.day == 10)
        #expect(offer.channel == .sms)
        #expect(offer.messageChannel == .sms)
        #expect(offer.note == "Offer a plan by text.")
        #expect(offer.when.states == [.promised])
        #expect(offer.when.minDaysSinceContact == 3)
        #expect(offer.when.contactable == false)
        #expect(track.steps[1].agency == "acme.collections_2")
        #expect(track.steps[1].contingencyPercent == "27.5")
        #expect(track.steps[1].day == 3650)
        #expect(track.steps[2].day == -365)
        #expect(track.steps[2].repeatEvery == 1)
    }

    @Test("several mistakes in one file: every one, with its line and column, in the file's order")
    func severalMistakes() {
        let yaml = """
            name: broken
            tracks:
              - when: {segments: [new, hardshp], debtorKind: person}
                steps:
                  - {id: Reminder 1, day: 7, action: email}
                  - {id: call-1, day: 15.5, action: call, template: reminder}
                  - id: agency
                    day: 4000
                    action: place_with_agency
                    tempalte: x
                  - {id: call-1, day: 20, action: cal}
              - steps: []
            """
        #expect(
            Self.problems(yaml) == [
                #"line 3, column 28: segments "hardshp" is not one of hardship, avoider, new, disputed and unreachable; did you mean "hardship"?"#,
                #"line 3, column 50: debtorKind "person" is not one of consumer and commercial"#,
                #"line 5, column 9: this step (email) has no template: name the message it sends, such as reminder"#,
                #"line 5, column 14: the step id "Reminder 1" may use only lower-case letters, digits, - and _ (at most 64)"#,
                #"line 6, column 27: day is "15.5"; it must be a whole number (a day)"#,
                #"line 6, column 47: step "call-1": template is only for the steps that send a message (email, sms, letter, offer_plan and final_notice), not call"#,
                #"line 7, column 9: step "agency" (place_with_agency) has no agency: name the agency the debt is handed to"#,
                #"line 8, column 14: day is 4000; it must be from -365 to 3650"#,
                #"line 10, column 9: unknown key "tempalte" in a step; did you mean "template"?"#,
                #"line 11, column 14: the step id "call-1" is used twice in this track (first at line 6); each step needs its own id"#,
                #"line 11, column 39: action "cal" is not one of email, sms, letter, call, voicemail, offer_plan, final_notice, request_contact_details, skip_trace, place_with_agency, legal_review and wait; did you mean "call"?"#,
                #"line 12, column 12: steps is empty: give at least one step"#,
            ])
    }

    @Test("an unknown key names the closest key, or lists the keys it takes when none is close")
    func unknownKeys() {
        #expect(
            Self.problems("nme: x\ntracks: [{steps: [{id: a, day: 1, action: wait}]}]\n") == [
                #"line 1, column 1: unknown key "nme" in the strategy file; did you mean "name"?"#
            ])
        #expect(
            Self.problems(Self.file(steps: ["{id: a, day: 1, action: wait, repeat: 3}"])) == [
                #"line 4, column 39: unknown key "repeat" in a step; did you mean "repeatEvery"?"#
            ])
        #expect(
            Self.problems(Self.file(steps: ["{id: a, day: 1, action: wait}"], when: "{debtor_kind: consumer}")) == [
                #"line 5, column 12: unknown key "debtor_kind" in when (the conditions of the track); did you mean "debtorKind"?"#
            ])
        #expect(
            Self.problems(Self.file(steps: ["{id: a, day: 1, action: wait, colour: red}"])) == [
                #"line 4, column 39: unknown key "colour" in a step; it takes id, day, action, template, channel, agency, contingencyPercent, repeatEvery, when and note"#
            ])
        #expect(
            Self.problems(
                Self.file(steps: ["{id: a, day: 1, action: wait}"], when: "{balance: {atleast: \"5.00\", max: 9}}"))
                == [
                    #"line 5, column 22: unknown key "atleast" in balance; did you mean "atLeast"?"#,
                    #"line 5, column 39: unknown key "max" in balance; it takes atLeast and below"#,
                ])
    }

    @Test("a YAML syntax error is one problem at the place the YAML stops reading")
    func syntaxErrors() {
        // A tab where indentation is expected.
        #expect(
            Self.problems("name: x\ntracks:\n\t- steps: []\n") == [
                "line 3, column 1: this is not valid YAML: found character that cannot start any token (while scanning for the next token at line 3, column 1)"
            ])
        // A flow mapping that is never closed.
        let unclosed = Self.problems("name: x\ntracks:\n  - steps: [{id: a, day: 1\n  - name: y\n")
        #expect(
            unclosed == [
                "line 4, column 9: this is not valid YAML: did not find expected ',' or '}' (while parsing a flow mapping at line 3, column 13)"
            ])
        // A key given twice.
        #expect(
            Self.problems("name: x\ntracks:\n  - steps:\n      - {id: a, day: 1, day: 2, action: wait}\n") == [
                #"line 4, column 17: "day" is given more than once in this mapping; give each key once"#
            ])
        // Two documents.
        #expect(
            Self.problems("name: x\n---\nname: y\n").first?.hasPrefix("line 2, column 1: this is not valid YAML")
                == true)
    }

    @Test("the file as a whole: empty, not a mapping, no tracks, tracks without steps, too large")
    func wholeFile() {
        #expect(Self.problems("") == ["line 1, column 1: the file is empty; a strategy needs a name and tracks"])
        #expect(
            Self.problems("# only a comment\n") == [
                "line 1, column 1: the file is empty; a strategy needs a name and tracks"
            ])
        #expect(
            Self.problems("- name: x\n") == [
                "line 1, column 1: the strategy file must be a mapping of keys (name, description and tracks), not a list"
            ])
        #expect(
            Self.problems("name: x\n") == [
                "line 1, column 1: the strategy has no tracks: give a list of at least one track"
            ])
        #expect(
            Self.problems("name: x\ntracks: []\n") == ["line 2, column 9: tracks is empty: give at least one track"])
        #expect(
            Self.problems("name: x\ntracks:\n  - name: t\n") == [
                "line 3, column 5: a track has no steps: give a list of at least one step"
            ])
        #expect(
            Self.problems("name: x\ntracks: [{steps: {id: a}}]\n") == [
                "line 2, column 18: steps must be a list of steps, not a mapping"
            ])
        #expect(
            Self.problems("name: \"\"\ntracks: [{steps: [{id: a, day: 1, action: wait}]}]\n") == [
                "line 1, column 7: name is empty"
            ])
        #expect(
            Self.problems("name:\ntracks: [{steps: [{id: a, day: 1, action: wait}]}]\n") == [
                "line 1, column 6: name has no value: give one or leave name out"
            ])
        let large = "name: x\n" + String(repeating: "# padding\n", count: 100_001)
        #expect(
            Self.problems(large) == [
                "line 1, column 1: the file is 1000018 bytes; a strategy file may be at most 1000000"
            ]
        )
    }

    @Test(
        "each rule of a step, with its sentence at the value's place",
        arguments: [
            // Message steps need a template; other steps cannot have one.
            (
                "{id: a, day: 1, action: sms}",
                "line 4, column 9: step \"a\" (sms) has no template: name the message it sends, such as reminder"
            ),
            (
                "{id: a, day: 1, action: letter, template: Reminder}",
                #"line 4, column 51: the template name "Reminder" may use only lower-case letters, digits and - (at most 64)"#
            ),
            (
                "{id: a, day: 1, action: email, template: reminders}",
                #"line 4, column 50: template "reminders" is not one of final-notice, plan-offer, reminder and reminder-before-due; did you mean "reminder"?"#
            ),
            (
                "{id: validation-notice, day: 1, action: letter, template: reminder}",
                #"line 4, column 14: the step id "validation-notice" is the run's own (the validation notice it sends an agency's debts first); name the step otherwise"#
            ),
            (
                "{id: a, day: 1, action: email, template: validation-notice}",
                #"line 4, column 50: template "validation-notice" is not one of final-notice, plan-offer, reminder and reminder-before-due"#
            ),
            (
                "{id: a, day: 1, action: wait, template: reminder}",
                #"line 4, column 39: step "a": template is only for the steps that send a message (email, sms, letter, offer_plan and final_notice), not wait"#
            ),
            // A channel only on offer_plan and final_notice, and only email, sms or letter.
            (
                "{id: a, day: 1, action: email, template: reminder, channel: sms}",
                #"line 4, column 60: step "a": channel is only for offer_plan and final_notice (the other message steps are their channel), not email"#
            ),
            (
                "{id: a, day: 1, action: final_notice, template: final-notice, channel: voicemail}",
                #"line 4, column 80: channel "voicemail" is not one of email, sms and letter"#
            ),
            // Agencies.
            (
                "{id: a, day: 1, action: place_with_agency}",
                #"line 4, column 9: step "a" (place_with_agency) has no agency: name the agency the debt is handed to"#
            ),
            (
                "{id: a, day: 1, action: call, agency: acme}",
                #"line 4, column 39: step "a": agency is only for place_with_agency, not call"#
            ),
            (
                "{id: a, day: 1, action: place_with_agency, agency: Acme Inc}",
                #"line 4, column 60: the agency id "Acme Inc" may use only lower-case letters, digits, ., - and _ (at most 64)"#
            ),
            (
                "{id: a, day: 1, action: place_with_agency, agency: acme, contingencyPercent: 101}",
                #"line 4, column 86: contingencyPercent "101" is not a percent from 0 to 100 with at most two decimals, such as "25""#
            ),
            (
                "{id: a, day: 1, action: call, contingencyPercent: 25}",
                #"line 4, column 39: step "a": contingencyPercent is only for place_with_agency, not call"#
            ),
            (
                "{id: a, day: 1, action: place_with_agency, agency: acme, repeatEvery: 30}",
                #"line 4, column 66: step "a": a debt is placed with an agency once, so place_with_agency cannot repeat"#
            ),
            // Days and repetitions.
            ("{id: a, day: -366, action: wait}", "line 4, column 22: day is -366; it must be from -365 to 3650"),
            (
                "{id: a, day: 0x10, action: wait}",
                #"line 4, column 22: day is "0x10"; it must be a whole number (a day)"#
            ),
            ("{id: a, day: [1], action: wait}", "line 4, column 22: day must be a single value, not a list"),
            (
                "{id: a, day: 1, action: wait, repeatEvery: 0}",
                "line 4, column 52: repeatEvery is 0; it must be from 1 to 3650"
            ),
            (
                "{id: a, day: 99999999999999999999, action: wait}",
                "line 4, column 22: day is 99999999999999999999; it must be from -365 to 3650"
            ),
            // Ids.
            (
                "{id: a/b, day: 1, action: wait}",
                #"line 4, column 14: the step id "a/b" may use only lower-case letters, digits, - and _ (at most 64)"#
            ),
            (
                "{id: \(String(repeating: "a", count: 65)), day: 1, action: wait}",
                #"line 4, column 14: the step id "\#(String(repeating: "a", count: 65))" may use only lower-case letters, digits, - and _ (at most 64)"#
            ),
            ("{day: 1, action: wait}", "line 4, column 9: this step has no id: give a short name such as reminder-1"),
            (
                "{id: a, action: wait}",
                #"line 4, column 9: step "a" has no day: give days from the due date, such as 7 or -3"#
            ),
            (
                "{id: a, day: 1}",
                #"line 4, column 9: step "a" has no action: give one of email, sms, letter, call, voicemail, offer_plan, final_notice, request_contact_details, skip_trace, place_with_agency, legal_review and wait"#
            ),
            (
                "{id: a, day: 1, action: final-notice, template: final-notice}",
                #"line 4, column 33: action "final-notice" is not one of email, sms, letter, call, voicemail, offer_plan, final_notice, request_contact_details, skip_trace, place_with_agency, legal_review and wait; did you mean "final_notice"?"#
            ),
            (
                "just-a-word",
                #"line 4, column 9: a step must be a mapping of keys (id, day, action, template, channel, agency, contingencyPercent, repeatEvery, when and note), not the value "just-a-word""#
            ),
            // Conditions on a step.
            (
                "{id: a, day: 1, action: wait, when: {segments: []}}",
                "line 4, column 56: segments is empty: list at least one, or leave segments out"
            ),
            (
                "{id: a, day: 1, action: wait, when: {states: [open, paid]}}",
                #"line 4, column 61: states "paid" is not one of open, promised, arranged and broken"#
            ),
            (
                "{id: a, day: 1, action: wait, when: {minDaysSinceContact: -1}}",
                "line 4, column 67: minDaysSinceContact is -1; it must be from 0 to 3650"
            ),
            (
                "{id: a, day: 1, action: wait, when: {contactable: yes}}",
                #"line 4, column 59: contactable is "yes"; it must be true or false"#
            ),
            (
                "{id: a, day: 1, action: wait, when: {balance: {}}}",
                "line 4, column 55: balance needs atLeast, below or both (amounts such as \"100.00\")"
            ),
            (
                "{id: a, day: 1, action: wait, when: {balance: {atLeast: 1.001}}}",
                #"line 4, column 65: balance atLeast "1.001" is not an amount such as "100.00": "1.001" has more decimals than USD allows (2 decimals)"#
            ),
            (
                "{id: a, day: 1, action: wait, when: {balance: {atLeast: -5}}}",
                "line 4, column 65: balance atLeast is -5; an amount here is 0 or more"
            ),
            (
                "{id: a, day: 1, action: wait, when: {balance: {atLeast: 500, below: \"500.00\"}}}",
                "line 4, column 77: balance below (500.00) must be more than atLeast (500), or no balance matches"
            ),
            (
                "{id: a, day: 1, action: wait, when: [segments]}",
                "line 4, column 45: when (the conditions of the step) must be a mapping of keys (segments, debtorKind, balance, states, minDaysSinceContact and contactable), not a list"
            ),
        ])
    func stepRule(step: String, problem: String) {
        #expect(Self.problems(Self.file(steps: [step])) == [problem])
    }

    @Test("a track after one with no conditions is never used, and is refused")
    func unreachableTrack() {
        let yaml = """
            name: x
            tracks:
              - steps: [{id: a, day: 1, action: wait}]
              - when: {segments: [hardship]}
                steps: [{id: a, day: 1, action: wait}]
            """
        #expect(
            Self.problems(yaml) == [
                "line 4, column 5: this track is never used: the track at line 3 has no conditions and takes every debt; tracks are tried in order, so put the ones with conditions first"
            ])
    }

    @Test("a track whose conditions do not read is not taken for a track without conditions")
    func badConditionsAreConditions() {
        let yaml = """
            name: x
            tracks:
              - when: {segment: [hardship]}
                steps: [{id: a, day: 1, action: wait}]
              - steps: [{id: a, day: 1, action: wait}]
            """
        #expect(
            Self.problems(yaml) == [
                #"line 3, column 12: unknown key "segment" in when (the conditions of the track); did you mean "segments"?"#
            ])
    }

    @Test("limits: tracks, steps per track, aliases, problems listed")
    func limits() {
        let step = "{id: a, day: 1, action: wait}"
        let tracks = Array(repeating: "  - {when: {contactable: true}, steps: [\(step)]}", count: 51)
        #expect(
            Self.problems("name: x\ntracks:\n" + tracks.joined(separator: "\n") + "\n") == [
                "line 3, column 3: the strategy has 51 tracks; a strategy has at most 50"
            ])
        let steps = (0..<101).map { "{id: s\($0), day: 1, action: wait}" }
        #expect(
            Self.problems(Self.file(steps: steps)) == [
                "line 4, column 7: the track has 101 steps; a track has at most 100"
            ])
        // Aliases repeat what an anchor names; a few are fine, eleven are refused before the YAML is read.
        var aliased = "name: x\ntracks:\n  - steps: &s [\(step)]\n"
        for _ in 0..<10 { aliased += "  - {when: {contactable: true}, steps: *s}\n" }
        // The first track has no conditions, so the ten after it are refused, but the aliases read.
        #expect(Self.problems(aliased).count == 1)
        aliased += "  - {when: {contactable: false}, steps: *s}\n"
        #expect(
            Self.problems(aliased) == [
                "line 14, column 41: the file uses more than 10 aliases (*name); write the repeated parts out instead"
            ])
        // Aliases of aliases (each level repeating the one before ten times) are refused at once, whatever the
        // anchors are called.
        var laughs = "a: &.0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...4 {
            laughs +=
                "l\(level): &.\(level) [" + Array(repeating: "*.\(level - 1)", count: 10).joined(separator: ", ")
                + "]\n"
        }
        #expect(
            Self.problems(laughs) == [
                "line 3, column 10: the file uses more than 10 aliases (*name); write the repeated parts out instead"
            ])
        // A file with more than 100 problems lists the first 100 and says how many more.
        let bad = (0..<60).map { "{id: s\($0), day: x, action: y}" }
        let problems = Self.problems(Self.file(steps: bad))
        #expect(problems.count == 101)
        #expect(problems.last == "line 54, column 24: and 20 more problems from here on; fix the ones above first")
    }

    @Test("the built-in default reads, and is the documented strategy")
    func defaultStrategy() throws {
        let strategy = DefaultStrategy.strategy
        #expect(strategy == (try StrategyDocument.parse(DefaultStrategy.source)))
        #expect(strategy.name == "standard")
        #expect(
            strategy.tracks.map { $0.name ?? "" } == [
                "disputed", "unreachable", "no contact details", "hardship", "avoider", "business", "standard",
            ])
        // Specific tracks first; the last takes every other debt.
        #expect(strategy.tracks.last?.when.isEmpty == true)
        #expect(strategy.tracks.dropLast().allSatisfy { !$0.when.isEmpty })
        // The two tracks that find the debtor have the same steps: a request to the client, then a skip trace.
        #expect(strategy.tracks[1].steps == strategy.tracks[2].steps)
        #expect(
            strategy.tracks[1].steps.map(\.action) == [
                .requestContactDetails, .skipTrace, .finalNotice, .placeWithAgency,
            ])
        #expect(strategy.tracks[2].when.contactable == false)
        // Disputed debts only wait.
        #expect(strategy.tracks[0].steps.map(\.action) == [.wait])
        let steps = strategy.tracks.flatMap(\.steps)
        // Every step is explained, hands over to the partner agency, and names a built-in template.
        #expect(steps.allSatisfy { ($0.note ?? "").count > 20 })
        #expect(steps.filter { $0.action == .placeWithAgency }.allSatisfy { $0.agency == "partner-agency" })
        #expect(Set(steps.compactMap(\.template)).isSubset(of: MessageTemplates.builtInNames))
        // The standard track: a reminder before the due date, reminders, calls, a plan offer, a letter, a final
        // notice and hand-over.
        let standard = try #require(strategy.tracks.last)
        #expect(
            standard.steps.map(\.action) == [
                .email, .email, .call, .offerPlan, .letter, .call, .finalNotice, .placeWithAgency,
            ])
        #expect(standard.steps.first?.day == -3)
        // Hardship offers a plan sooner than the standard track and hands over later; avoiders go faster.
        func day(_ track: String, _ id: String) -> Int? {
            strategy.tracks.first { $0.name == track }?.steps.first { $0.id == id }?.day
        }
        #expect(day("hardship", "offer-plan")! < day("standard", "offer-plan")!)
        #expect(day("hardship", "agency")! > day("standard", "agency")!)
        #expect(day("avoider", "final-notice")! < day("standard", "final-notice")!)
        #expect(day("avoider", "agency")! < day("standard", "agency")!)
    }

    @Test("docs/strategies.md shows the default strategy word for word")
    func documented() throws {
        let docs = try String(
            contentsOf: TestFiles.packageRoot.appendingPathComponent("docs/strategies.md"), encoding: .utf8)
        let marker = "<!-- default-strategy -->\n```yaml\n"
        let start = try #require(docs.range(of: marker))
        let end = try #require(docs.range(of: "```\n", range: start.upperBound..<docs.endIndex))
        #expect(String(docs[start.upperBound..<end.lowerBound]) == DefaultStrategy.source)
    }
}
