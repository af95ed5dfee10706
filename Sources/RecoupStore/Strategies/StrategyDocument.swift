import Foundation
import RecoupCore
import Yams

/// One thing wrong in a strategy file, and where: a line and a column counted from 1 (columns in characters).
public struct StrategyFileProblem: Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    /// What is wrong, in one sentence.
    public var message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    /// `line L, column C: sentence`.
    public var description: String { "line \(line), column \(column): \(message)" }
}

/// Everything wrong with a strategy file, found in one reading, in the file's order: one line per problem.
public struct StrategyFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [StrategyFileProblem]

    public init(problems: [StrategyFileProblem]) { self.problems = problems }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// Reads strategy files (YAML, docs/strategies.md) into Core's `Strategy`, checking every rule and reporting every
/// problem with its line and column in one pass, so a person fixes a file in one go.
public enum StrategyDocument {
    /// The largest file read, in bytes.
    public static let maximumBytes = 1_000_000
    /// The most tracks a strategy has, and steps a track has: the run looks through a debt's track every day.
    public static let maximumTracks = 50
    public static let maximumStepsPerTrack = 100
    /// The days a step may fall on, counted from the due date: a year before it to ten years after.
    public static let days = -365...3650
    /// The longest `repeatEvery` and `minDaysSinceContact`, in days.
    public static let maximumDays = 3650
    /// The most aliases (`*name`) a file may use. Each alias repeats what its anchor names; the YAML reader compares
    /// mapping keys whole, so a few aliases of aliases could make it compare billions of values.
    public static let maximumAliases = 10
    /// The most problems listed; a file with more says how many more there are after the last one listed.
    static let maximumProblems = 100

    /// The strategy the file describes; `StrategyFileError` with every problem found when it breaks a rule.
    public static func parse(_ yaml: String) throws(StrategyFileError) -> Strategy {
        guard yaml.utf8.count <= maximumBytes else {
            throw StrategyFileError(problems: [
                StrategyFileProblem(
                    line: 1, column: 1,
                    message: "the file is \(yaml.utf8.count) bytes; a strategy file may be at most \(maximumBytes)")
            ])
        }
        if let problem = AliasCount.firstBeyond(maximumAliases, in: yaml) {
            throw StrategyFileError(problems: [problem])
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw StrategyFileError(problems: [syntaxProblem(error, in: yaml)])
        }
        var reader = Reader()
        let strategy = reader.strategy(root)
        guard let strategy, reader.problems.isEmpty else { throw StrategyFileError(problems: reader.listed()) }
        return strategy
    }

    /// The step ids a file may use: lower-case letters, digits, `-` and `_`, at most 64.
    public static func isValidStepID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 64
            && id.utf8.allSatisfy { isLowercaseLetterOrDigit($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    }

    /// The template names a file may use: lower-case letters, digits and `-`, at most 64.
    public static func isValidTemplateName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64
            && name.utf8.allSatisfy { isLowercaseLetterOrDigit($0) || $0 == UInt8(ascii: "-") }
    }

    /// The agency ids a file may use: a lower-case letter or digit, then letters, digits, `.`, `-` and `_`, at most 64.
    public static func isValidAgencyID(_ id: String) -> Bool {
        guard let first = id.utf8.first, isLowercaseLetterOrDigit(first), id.utf8.count <= 64 else { return false }
        return id.utf8.allSatisfy {
            isLowercaseLetterOrDigit($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")
                || $0 == UInt8(ascii: ".")
        }
    }

    private static func isLowercaseLetterOrDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// The template names a message step may name: the reminders (the run sends the validation notice itself).
    static var knownTemplates: Set<String> { MessageTemplates.messageNames.subtracting(["validation-notice"]) }

    /// Where the YAML itself does not read, and why.
    static func syntaxProblem(_ error: any Error, in yaml: String) -> StrategyFileProblem {
        guard let error = error as? YamlError else {
            return StrategyFileProblem(line: 1, column: 1, message: "the file does not read as YAML: \(error)")
        }
        func sentence(_ problem: String, _ context: YamlError.Context?) -> String {
            // libyaml stops at 1000 levels of nesting (its yaml_set_max_nest_level).
            if problem.hasPrefix("Maximum nesting level") { return "the YAML nests more than 1000 levels deep" }
            let context = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
            return "this is not valid YAML: \(problem)\(context)"
        }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            return StrategyFileProblem(line: mark.line, column: mark.column, message: sentence(problem, context))
        case .reader(let problem, let offset, _, _):
            let (line, column) = position(ofCharacter: offset ?? 0, in: yaml)
            return StrategyFileProblem(
                line: line, column: column, message: "the file cannot be read as UTF-8 text: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let names = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            return StrategyFileProblem(
                line: context.mark.line, column: context.mark.column,
                message: "\(names) is given more than once in this mapping; give each key once")
        default:
            return StrategyFileProblem(line: 1, column: 1, message: "the file does not read as YAML: \(error)")
        }
    }

    /// The line and column (from 1) of the character at `offset`.
    private static func position(ofCharacter offset: Int, in text: String) -> (Int, Int) {
        var line = 1
        var column = 1
        for character in text.prefix(offset) {
            if character.isNewline {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }
}

/// Counts aliases (`*name`) before the YAML is read: a `*` that starts a token (at the start of a line, after a
/// blank or a flow indicator) followed by an anchor's name; a plain value cannot start with `*`, so none is missed.
/// A `*` in quoted text may be counted too; that only matters past the limit.
enum AliasCount {
    static func firstBeyond(_ limit: Int, in yaml: String) -> StrategyFileProblem? {
        var count = 0
        var line = 1
        var column = 0
        var previous: Unicode.Scalar = "\n"
        var inComment = false
        var pendingStar: (line: Int, column: Int)? = nil
        for scalar in yaml.unicodeScalars {
            column += 1
            defer { previous = scalar }
            if let star = pendingStar {
                pendingStar = nil
                // An anchor's name is any run of characters but blanks and flow indicators.
                if !scalar.properties.isWhitespace && !",[]{}".unicodeScalars.contains(scalar) {
                    count += 1
                    if count > limit {
                        return StrategyFileProblem(
                            line: star.line, column: star.column,
                            message:
                                "the file uses more than \(limit) aliases (*name); write the repeated parts out instead"
                        )
                    }
                }
            }
            if scalar == "\n" {
                line += 1
                column = 0
                inComment = false
                continue
            }
            if inComment { continue }
            let startsToken =
                previous == "\n" || previous == " " || previous == "\t" || previous == "["
                || previous == "{" || previous == ","
            if scalar == "#" && startsToken {
                inComment = true
            } else if scalar == "*" && startsToken {
                pendingStar = (line, column)
            }
        }
        return nil
    }
}

/// Walks the composed YAML, collecting problems; returns the values it could read.
private struct Reader {
    var problems: [StrategyFileProblem] = []

    static let strategyKeys = ["name", "description", "tracks"]
    static let trackKeys = ["name", "when", "steps"]
    static let stepKeys = [
        "id", "day", "action", "template", "channel", "agency", "contingencyPercent", "repeatEvery", "when", "note",
    ]
    static let conditionKeys = ["segments", "debtorKind", "balance", "states", "minDaysSinceContact", "contactable"]
    static let balanceKeys = ["atLeast", "below"]
    static let messageChannels: [MessageChannel] = [.email, .sms, .letter]
    /// Lists longer than this are not a strategy's (five segments, four states).
    static let maximumListLength = 10

    /// The problems in the file's order, at most `maximumProblems` of them and a last one saying how many more.
    func listed() -> [StrategyFileProblem] {
        let sorted = problems.enumerated().sorted {
            ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset)
        }.map(\.element)
        let limit = StrategyDocument.maximumProblems
        guard sorted.count > limit else { return sorted }
        let next = sorted[limit]
        return Array(sorted.prefix(limit)) + [
            StrategyFileProblem(
                line: next.line, column: next.column,
                message: "and \(sorted.count - limit) more problems from here on; fix the ones above first")
        ]
    }

    mutating func report(_ mark: Mark?, _ message: String) {
        problems.append(StrategyFileProblem(line: mark?.line ?? 1, column: mark?.column ?? 1, message: message))
    }

    // MARK: The file, its tracks and steps

    mutating func strategy(_ root: Node?) -> Strategy? {
        guard let root else {
            report(nil, "the file is empty; a strategy needs a name and tracks")
            return nil
        }
        guard let fields = mapping(root, what: "the strategy file", allowed: Self.strategyKeys) else { return nil }
        let name = requiredText(fields, "name", what: "the strategy", line: true)
        let description = optionalText(fields, "description", line: false)
        var tracks: [StrategyTrack] = []
        var trackMarks: [Mark?] = []
        if let list = requiredList(fields, "tracks", what: "the strategy", noun: "track") {
            if list.count > StrategyDocument.maximumTracks {
                report(
                    list.mark,
                    "the strategy has \(list.count) tracks; a strategy has at most \(StrategyDocument.maximumTracks)")
            }
            var takesEveryDebt: [Bool] = []
            for node in list.prefix(StrategyDocument.maximumTracks) {
                if let (track, conditionsRead) = track(node) {
                    tracks.append(track)
                    trackMarks.append(node.mark)
                    // Conditions that did not read are not "no conditions".
                    takesEveryDebt.append(track.when.isEmpty && conditionsRead)
                }
            }
            // A track with no conditions matches every debt: any track after it is never used.
            if let open = takesEveryDebt.firstIndex(of: true), open + 1 < tracks.count {
                let at = trackMarks[open].map { "line \($0.line)" } ?? "before it"
                report(
                    trackMarks[open + 1],
                    "this track is never used: the track at \(at) has no conditions and takes every debt; tracks are tried in order, so put the ones with conditions first"
                )
            }
        }
        guard let name, problems.isEmpty else { return nil }
        return Strategy(name: name, description: description, tracks: tracks)
    }

    /// The track, and whether its conditions read without a problem.
    mutating func track(_ node: Node) -> (StrategyTrack, Bool)? {
        guard let fields = mapping(node, what: "a track", allowed: Self.trackKeys) else { return nil }
        let name = optionalText(fields, "name", line: true)
        let before = problems.count
        let when = fields["when"].flatMap { conditions($0.value, owner: "the track") } ?? StrategyConditions()
        let conditionsRead = problems.count == before
        guard let list = requiredList(fields, "steps", what: "a track", noun: "step") else { return nil }
        if list.count > StrategyDocument.maximumStepsPerTrack {
            report(
                list.mark,
                "the track has \(list.count) steps; a track has at most \(StrategyDocument.maximumStepsPerTrack)")
        }
        var steps: [StrategyStep] = []
        var firstMarks: [String: Mark?] = [:]
        for node in list.prefix(StrategyDocument.maximumStepsPerTrack) {
            let (step, id, idMark) = step(node)
            guard let id else { continue }
            if let first = firstMarks[id] {
                let at = first.map { " (first at line \($0.line))" } ?? ""
                report(idMark, "the step id \"\(id)\" is used twice in this track\(at); each step needs its own id")
                continue
            }
            firstMarks[id] = idMark
            if let step { steps.append(step) }
        }
        return (StrategyTrack(name: name, when: when, steps: steps), conditionsRead)
    }

    /// The step (nil when it has a problem), its id when that reads, and where the id is written.
    mutating func step(_ node: Node) -> (step: StrategyStep?, id: String?, idMark: Mark?) {
        guard let fields = mapping(node, what: "a step", allowed: Self.stepKeys) else { return (nil, nil, nil) }
        var id: String? = nil
        if let entry = fields["id"] ?? missing(fields, "id", what: "this step", hint: "a short name such as reminder-1")
        {
            if let text = scalarText(entry, key: "id") {
                if text == "validation-notice" {
                    report(
                        entry.value.mark,
                        "the step id \"validation-notice\" is the run's own (the validation notice it sends an agency's "
                            + "debts first); name the step otherwise")
                } else if StrategyDocument.isValidStepID(text) {
                    id = text
                } else {
                    report(
                        entry.value.mark,
                        "the step id \"\(text)\" may use only lower-case letters, digits, - and _ (at most 64)")
                }
            }
        }
        let label = id.map { "step \"\($0)\"" } ?? "this step"
        let day: Int? =
            (fields["day"] ?? missing(fields, "day", what: label, hint: "days from the due date, such as 7 or -3"))
            .flatMap { integer($0, key: "day", range: StrategyDocument.days, unit: "a day") }
        var action: StrategyAction? = nil
        if let entry = fields["action"] ?? missing(fields, "action", what: label, hint: Self.actionList) {
            action = choice(entry, key: "action", cases: StrategyAction.allCases, name: \.rawValue)
        }
        var template: String? = nil
        if let entry = fields["template"], let text = scalarText(entry, key: "template") {
            if !StrategyDocument.isValidTemplateName(text) {
                report(
                    entry.value.mark,
                    "the template name \"\(text)\" may use only lower-case letters, digits and - (at most 64)")
            } else if !StrategyDocument.knownTemplates.contains(text) {
                report(
                    entry.value.mark,
                    unknownValue(text, what: "template", among: StrategyDocument.knownTemplates.sorted()))
            } else {
                template = text
            }
        }
        let channel = fields["channel"].flatMap {
            choice($0, key: "channel", cases: Self.messageChannels, name: \.rawValue)
        }
        var agency: String? = nil
        if let entry = fields["agency"], let text = scalarText(entry, key: "agency") {
            if StrategyDocument.isValidAgencyID(text) {
                agency = text
            } else {
                report(
                    entry.value.mark,
                    "the agency id \"\(text)\" may use only lower-case letters, digits, ., - and _ (at most 64)")
            }
        }
        let percent = fields["contingencyPercent"].flatMap { contingencyPercent($0) }
        let repeatEvery = fields["repeatEvery"].flatMap {
            integer($0, key: "repeatEvery", range: 1...StrategyDocument.maximumDays, unit: "a number of days")
        }
        let when = fields["when"].flatMap { conditions($0.value, owner: "the step") } ?? StrategyConditions()
        let note = optionalText(fields, "note", line: false)
        if let action {
            checkFits(action, label: label, fields: fields, mark: fields.mark)
        }
        let idMark = fields["id"]?.value.mark
        guard let id, let day, let action else { return (nil, id, idMark) }
        var step = StrategyStep(id: id, day: day, action: action)
        step.template = template
        step.channel = channel
        step.agency = agency
        step.contingencyPercent = percent
        step.repeatEvery = repeatEvery
        step.when = when
        step.note = note
        return (step, id, idMark)
    }

    /// The keys an action needs and the keys it cannot have.
    mutating func checkFits(_ action: StrategyAction, label: String, fields: Fields, mark: Mark?) {
        let messages = StrategyAction.allCases.filter(\.sendsMessage).map(\.rawValue)
        if action.sendsMessage {
            if fields["template"] == nil && !fields.suggested.contains("template") {
                report(
                    mark, "\(label) (\(action.rawValue)) has no template: name the message it sends, such as reminder")
            }
        } else if let entry = fields["template"] {
            report(
                entry.key.mark,
                "\(label): template is only for the steps that send a message (\(Self.list(messages))), not \(action.rawValue)"
            )
        }
        if let entry = fields["channel"], action != .offerPlan && action != .finalNotice {
            report(
                entry.key.mark,
                "\(label): channel is only for offer_plan and final_notice (the other message steps are their channel), not \(action.rawValue)"
            )
        }
        if action == .placeWithAgency {
            if fields["agency"] == nil && !fields.suggested.contains("agency") {
                report(mark, "\(label) (place_with_agency) has no agency: name the agency the debt is handed to")
            }
            if let entry = fields["repeatEvery"] {
                report(
                    entry.key.mark, "\(label): a debt is placed with an agency once, so place_with_agency cannot repeat"
                )
            }
        } else {
            for key in ["agency", "contingencyPercent"] {
                if let entry = fields[key] {
                    report(entry.key.mark, "\(label): \(key) is only for place_with_agency, not \(action.rawValue)")
                }
            }
        }
    }

    // MARK: Conditions

    mutating func conditions(_ node: Node, owner: String) -> StrategyConditions? {
        guard let fields = mapping(node, what: "when (the conditions of \(owner))", allowed: Self.conditionKeys)
        else { return nil }
        var conditions = StrategyConditions()
        if let entry = fields["segments"] {
            conditions.segments = names(entry, key: "segments", cases: Segment.allCases, name: \.rawValue)
                .map(Set.init)
        }
        if let entry = fields["debtorKind"] {
            conditions.debtorKind = choice(
                entry, key: "debtorKind", cases: DebtorKind.allCases, name: \.rawValue)
        }
        if let entry = fields["states"] {
            conditions.states = names(
                entry, key: "states", cases: StrategyDebtState.allCases, name: \.rawValue
            ).map(Set.init)
        }
        if let entry = fields["minDaysSinceContact"] {
            conditions.minDaysSinceContact = integer(
                entry, key: "minDaysSinceContact", range: 0...StrategyDocument.maximumDays, unit: "a number of days")
        }
        if let entry = fields["contactable"] {
            conditions.contactable = boolean(entry, key: "contactable")
        }
        if let entry = fields["balance"] {
            (conditions.balanceAtLeast, conditions.balanceBelow) = balance(entry.value)
        }
        return conditions
    }

    /// `balance: {atLeast: "100.00", below: "5000.00"}`: decimal amounts in the debt's currency.
    mutating func balance(_ node: Node) -> (String?, String?) {
        guard let fields = mapping(node, what: "balance", allowed: Self.balanceKeys) else { return (nil, nil) }
        guard fields["atLeast"] != nil || fields["below"] != nil else {
            if fields.unknownKeys == 0 {
                report(fields.mark, "balance needs atLeast, below or both (amounts such as \"100.00\")")
            }
            return (nil, nil)
        }
        var limits: [String: (text: String, minorUnits: Int64)] = [:]
        for key in Self.balanceKeys {
            guard let entry = fields[key], let text = scalarText(entry, key: key) else { continue }
            do {
                let minorUnits = try Money.parseMinorUnits(text, currency: .usd)
                if minorUnits < 0 {
                    report(entry.value.mark, "balance \(key) is \(text); an amount here is 0 or more")
                } else {
                    limits[key] = (text, minorUnits)
                }
            } catch {
                report(entry.value.mark, "balance \(key) \"\(text)\" is not an amount such as \"100.00\": \(error)")
            }
        }
        if let low = limits["atLeast"], let high = limits["below"], low.minorUnits >= high.minorUnits {
            report(
                fields["below"]?.value.mark,
                "balance below (\(high.text)) must be more than atLeast (\(low.text)), or no balance matches")
            return (nil, nil)
        }
        return (limits["atLeast"]?.text, limits["below"]?.text)
    }

    mutating func contingencyPercent(_ entry: Fields.Entry) -> String? {
        guard let text = scalarText(entry, key: "contingencyPercent") else { return nil }
        guard let hundredths = try? Money.parseMinorUnits(text, currency: .usd), (0...10_000).contains(hundredths)
        else {
            report(
                entry.value.mark,
                "contingencyPercent \"\(text)\" is not a percent from 0 to 100 with at most two decimals, such as \"25\""
            )
            return nil
        }
        return text
    }

    // MARK: Values

    /// A mapping's entries by key, and where the mapping starts.
    struct Fields {
        struct Entry {
            var key: Node
            var value: Node
        }
        var entries: [String: Entry] = [:]
        var mark: Mark?
        /// How many keys were not allowed, and the allowed keys suggested for them: a key suggested for a typo is
        /// not reported missing as well.
        var unknownKeys = 0
        var suggested: Set<String> = []

        subscript(key: String) -> Entry? { entries[key] }
    }

    /// The node as a mapping whose keys are all `allowed`; each other key is a problem (with the closest allowed
    /// key when one is close). Nil when the node is not a mapping.
    mutating func mapping(_ node: Node, what: String, allowed: [String]) -> Fields? {
        guard case .mapping(let mapping) = node else {
            report(node.mark, "\(what) must be a mapping of keys (\(Self.list(allowed))), not \(Self.kind(of: node))")
            return nil
        }
        var fields = Fields(mark: mapping.mark)
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                report(key.mark, "a key in \(what) must be a word, not \(Self.kind(of: key))")
                continue
            }
            let name = scalar.string
            guard allowed.contains(name) else {
                var sentence = "unknown key \"\(name)\" in \(what)"
                fields.unknownKeys += 1
                if let close = Suggestion.closest(to: name, among: allowed) {
                    fields.suggested.insert(close)
                    sentence += "; did you mean \"\(close)\"?"
                } else {
                    sentence += "; it takes \(Self.list(allowed))"
                }
                report(key.mark, sentence)
                continue
            }
            fields.entries[name] = Fields.Entry(key: key, value: value)
        }
        return fields
    }

    /// Reports a required key that is missing, at the start of its mapping; always nil.
    mutating func missing(_ fields: Fields, _ key: String, what: String, hint: String) -> Fields.Entry? {
        if !fields.suggested.contains(key) { report(fields.mark, "\(what) has no \(key): give \(hint)") }
        return nil
    }

    /// A scalar's text; a list, a mapping or no value is a problem.
    mutating func scalarText(_ entry: Fields.Entry, key: String) -> String? {
        guard case .scalar(let scalar) = entry.value else {
            report(entry.value.mark, "\(key) must be a single value, not \(Self.kind(of: entry.value))")
            return nil
        }
        if Self.isNull(scalar) {
            report(entry.value.mark, "\(key) has no value: give one or leave \(key) out")
            return nil
        }
        return scalar.string
    }

    mutating func requiredText(_ fields: Fields, _ key: String, what: String, line: Bool) -> String? {
        guard let entry = fields[key] else {
            if !fields.suggested.contains(key) { report(fields.mark, "\(what) has no \(key)") }
            return nil
        }
        return text(entry, key: key, line: line)
    }

    mutating func optionalText(_ fields: Fields, _ key: String, line: Bool) -> String? {
        fields[key].flatMap { text($0, key: key, line: line) }
    }

    /// Text: a name (`line`: one line of at most 100 characters) or a description or note (at most 2,000).
    mutating func text(_ entry: Fields.Entry, key: String, line: Bool) -> String? {
        guard let text = scalarText(entry, key: key) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            report(entry.value.mark, "\(key) is empty")
            return nil
        }
        if line && (trimmed.contains(where: \.isNewline) || trimmed.count > 100) {
            report(entry.value.mark, "\(key) must be one line of at most 100 characters")
            return nil
        }
        if !line && trimmed.count > 2_000 {
            report(entry.value.mark, "\(key) is \(trimmed.count) characters long; at most 2000")
            return nil
        }
        return trimmed
    }

    mutating func requiredList(_ fields: Fields, _ key: String, what: String, noun: String) -> ListNodes? {
        guard let entry = fields[key] else {
            if !fields.suggested.contains(key) {
                report(fields.mark, "\(what) has no \(key): give a list of at least one \(noun)")
            }
            return nil
        }
        guard case .sequence(let sequence) = entry.value else {
            report(entry.value.mark, "\(key) must be a list of \(noun)s, not \(Self.kind(of: entry.value))")
            return nil
        }
        guard !sequence.isEmpty else {
            report(entry.value.mark, "\(key) is empty: give at least one \(noun)")
            return nil
        }
        return ListNodes(nodes: Array(sequence), mark: entry.value.mark)
    }

    struct ListNodes: Sequence {
        var nodes: [Node]
        var mark: Mark?
        var count: Int { nodes.count }
        func makeIterator() -> IndexingIterator<[Node]> { nodes.makeIterator() }
    }

    /// A whole number in `range`.
    mutating func integer(_ entry: Fields.Entry, key: String, range: ClosedRange<Int>, unit: String) -> Int? {
        guard let text = scalarText(entry, key: key) else { return nil }
        var digits = Substring(text)
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (48...57).contains($0) }) else {
            report(entry.value.mark, "\(key) is \"\(text)\"; it must be a whole number (\(unit))")
            return nil
        }
        guard let value = Int(text.hasPrefix("+") ? String(text.dropFirst()) : text), range.contains(value) else {
            report(
                entry.value.mark,
                "\(key) is \(text); it must be from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return value
    }

    /// `true` or `false`.
    mutating func boolean(_ entry: Fields.Entry, key: String) -> Bool? {
        guard let text = scalarText(entry, key: key) else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default:
            report(entry.value.mark, "\(key) is \"\(text)\"; it must be true or false")
            return nil
        }
    }

    /// One of the named `cases`.
    mutating func choice<Value>(
        _ entry: Fields.Entry, key: String, cases: [Value], name: (Value) -> String
    ) -> Value? {
        guard let text = scalarText(entry, key: key) else { return nil }
        return named(text, mark: entry.value.mark, key: key, cases: cases, name: name)
    }

    /// A list of the named `cases` (or one name alone), at least one.
    mutating func names<Value>(
        _ entry: Fields.Entry, key: String, cases: [Value], name: (Value) -> String
    ) -> [Value]? {
        switch entry.value {
        case .scalar:
            return choice(entry, key: key, cases: cases, name: name).map { [$0] }
        case .sequence(let sequence):
            guard !sequence.isEmpty else {
                report(entry.value.mark, "\(key) is empty: list at least one, or leave \(key) out")
                return nil
            }
            if sequence.count > Self.maximumListLength {
                report(entry.value.mark, "\(key) lists \(sequence.count) values; there are only \(cases.count)")
                return nil
            }
            var values: [Value] = []
            var complete = true
            for item in sequence {
                guard case .scalar(let scalar) = item, !Self.isNull(scalar) else {
                    report(item.mark, "each of \(key) must be a single name, not \(Self.kind(of: item))")
                    complete = false
                    continue
                }
                if let value = named(scalar.string, mark: item.mark, key: key, cases: cases, name: name) {
                    values.append(value)
                } else {
                    complete = false
                }
            }
            return complete ? values : nil
        default:
            report(entry.value.mark, "\(key) must be a list of names, not \(Self.kind(of: entry.value))")
            return nil
        }
    }

    mutating func named<Value>(
        _ text: String, mark: Mark?, key: String, cases: [Value], name: (Value) -> String
    ) -> Value? {
        if let value = cases.first(where: { name($0) == text }) { return value }
        report(mark, unknownValue(text, what: key, among: cases.map(name)))
        return nil
    }

    func unknownValue(_ text: String, what: String, among names: [String]) -> String {
        if let close = Suggestion.closest(to: text, among: names) {
            return "\(what) \"\(text)\" is not one of \(Self.list(names)); did you mean \"\(close)\"?"
        }
        return "\(what) \"\(text)\" is not one of \(Self.list(names))"
    }

    static var actionList: String { "one of \(list(StrategyAction.allCases.map(\.rawValue)))" }

    /// `a, b and c`.
    static func list(_ names: [String]) -> String {
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " and " + names[names.count - 1]
    }

    static func kind(of node: Node) -> String {
        switch node {
        case .scalar(let scalar): isNull(scalar) ? "no value" : "the value \"\(scalar.string)\""
        case .sequence: "a list"
        case .mapping: "a mapping"
        case .alias: "an alias"
        }
    }

    /// A plain `~`, `null` or nothing at all.
    static func isNull(_ scalar: Node.Scalar) -> Bool {
        scalar.style != .singleQuoted && scalar.style != .doubleQuoted
            && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }
}

/// The closest of a few names to a mistyped one, for "did you mean": the same once case, `-`, `_` and spaces are
/// ignored, one edit away for a short name, two for a longer one, or the start of a longer name.
enum Suggestion {
    static func closest(to text: String, among names: [String]) -> String? {
        let typed = normalized(text)
        guard !typed.isEmpty else { return nil }
        var best: (name: String, distance: Int)? = nil
        for name in names {
            let candidate = normalized(name)
            var distance = editDistance(typed, candidate)
            if distance > 0, typed.count >= 3, candidate.starts(with: typed) || typed.starts(with: candidate) {
                distance = 1
            }
            let allowed = typed.count >= 5 ? 2 : 1
            if distance <= allowed, distance < (best?.distance ?? .max) { best = (name, distance) }
        }
        return best?.name
    }

    static func normalized(_ text: String) -> [Character] {
        Array(text.lowercased().filter { $0 != "-" && $0 != "_" && $0 != " " })
    }

    /// Levenshtein distance, counting a swap of two neighbours as one edit.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        guard a.count <= 64, b.count <= 64 else { return max(a.count, b.count) }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [Int](repeating: 0, count: b.count + 1)
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previousPrevious[j - 2] + 1)
                }
            }
            previousPrevious = previous
            previous = current
        }
        return previous[b.count]
    }
}
