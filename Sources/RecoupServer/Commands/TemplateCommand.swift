import ArgumentParser
import Foundation
import RecoupCore
import RecoupStore

/// `recoup template list|show|set|reset|preview`: message templates per client, channel and language
/// (docs/messages.md, "Templates").
struct TemplateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "List, show, save, reset and preview message templates per client, channel and language.",
        subcommands: [
            TemplateListCommand.self, TemplateShowCommand.self, TemplateSetCommand.self, TemplateResetCommand.self,
            TemplatePreviewCommand.self,
        ])
}

extension TemplateChannel: ExpressibleByArgument {}

extension MessageLanguage: ExpressibleByArgument {
    public init?(argument: String) { self.init(code: argument) }
}

/// `--client REF`, optional: a client's own templates rather than the installation's.
struct TemplateScopeOption: ParsableArguments {
    @Option(
        name: .customLong("client"),
        help: ArgumentHelp(
            "The client whose templates these are (default: the installation's, which every client without its own uses).",
            valueName: "client"))
    var ref: String?
}

/// NAME --channel C --language L: one template.
struct TemplateKeyOptions: ParsableArguments {
    @Argument(
        help: "The template's name: reminder-before-due, reminder, plan-offer, final-notice, validation-notice or call."
    )
    var name: String

    @Option(name: .long, help: "email, sms, letter, voicemail or call.")
    var channel: TemplateChannel

    @Option(name: .long, help: "en (default) or es.")
    var language: MessageLanguage = .en

    var key: TemplateKey { TemplateKey(name: name, channel: channel, language: language) }
}

/// `recoup template list [--client REF] [--format json|table]`.
struct TemplateListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract:
            "List every template, channel and language, and whose wording is in force: built-in, the installation's or the client's."
    )

    @OptionGroup var scope: TemplateScopeOption

    @Option(name: .long, help: "json (default) or table.")
    var format = "json"

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        guard format == "json" || format == "table" else {
            throw InputError("--format is \"\(format)\"; use json or table")
        }
        let templates = try await withDatabase(databaseOptions) { database in
            try await TemplateStore.list(clientRef: scope.ref, on: database.db)
        }
        if format == "json" {
            print(OrderedJSON.array(templates.map(TemplateFiles.json)).text)
        } else {
            print(TemplateFiles.table(templates), terminator: "")
        }
    }
}

/// `recoup template show NAME --channel C [--language L] [--client REF]`: the template file, ready to edit and set.
struct TemplateShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a template as a file to edit and save with `recoup template set`.")

    @OptionGroup var template: TemplateKeyOptions
    @OptionGroup var scope: TemplateScopeOption
    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let shown = try await withDatabase(databaseOptions) { database in
            try await TemplateStore.show(template.key, clientRef: scope.ref, on: database.db)
        }
        print(TemplateFiles.text(shown.key, source: shown.source, clientRef: scope.ref), terminator: "")
    }
}

/// `recoup template set FILE [--client REF]`: checks the template and saves it as the next version.
struct TemplateSetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Check a template file with the message lint and save it as the next version.",
        discussion: """
            The file starts with header lines (template, channel, language, subject for an email; client optional), \
            then an empty line, then the body (Mustache). Prints {"saved": true, …} with the version ("saved": false \
            when the wording is the same as what stands: nothing is stored). A template the \
            check refuses is not saved: it prints {"saved": false, "findings": […]} and exits 2.
            """)

    @Argument(help: "The template file (as `recoup template show` prints it).")
    var file: String

    @OptionGroup var scope: TemplateScopeOption
    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let parsed = try TemplateFiles.parse(try TemplateFiles.read(file), path: file)
        if let named = parsed.clientRef, let given = scope.ref, named != given {
            throw InputError("the file \(file) is client \"\(named)\"'s template, but --client says \"\(given)\"")
        }
        let clientRef = scope.ref ?? parsed.clientRef
        do {
            let (before, saved) = try await withDatabase(databaseOptions) { database in
                let before = try await TemplateStore.show(parsed.key, clientRef: clientRef, on: database.db)
                let saved = try await TemplateStore.save(
                    parsed.key, source: parsed.source, clientRef: clientRef, by: nil, now: Date(), on: database.db)
                return (before, saved)
            }
            // Wording the same as what stands stores nothing: "saved" says whether a version was stored.
            print(OrderedJSON.object([("saved", .bool(saved != before))] + TemplateFiles.fields(saved)).text)
        } catch let refused as TemplateRefused {
            print(
                OrderedJSON.object([
                    ("saved", .bool(false)), ("findings", .array(refused.findings.map(TemplateFiles.json))),
                ]).text)
            FileHandle.standardError.write(Data("recoup: \(refused)\n".utf8))
            Foundation.exit(2)
        }
    }
}

/// `recoup template reset NAME --channel C [--language L] [--client REF]`: the wording before the own one stands again.
struct TemplateResetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract:
            "Put back the wording that stood before a client's (or the installation's) own: the installation's or the built-in one."
    )

    @OptionGroup var template: TemplateKeyOptions
    @OptionGroup var scope: TemplateScopeOption
    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let shown = try await withDatabase(databaseOptions) { database in
            try await TemplateStore.reset(template.key, clientRef: scope.ref, by: nil, now: Date(), on: database.db)
        }
        print(OrderedJSON.object(TemplateFiles.fields(shown)).text)
    }
}

/// `recoup template preview --client REF --debt REF [--template NAME] [--channel C] [--language L] [--file FILE]`.
struct TemplatePreviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Render a template for one debt as the run would write it, with the message lint's findings.",
        discussion: """
            Without --file, the wording in force for the client; with --file, a template file not yet saved (its \
            header names the template, channel and language). Prints the message (the subject first for an email) \
            and then the findings, or with --format json {"subject", "body", "lint"}.
            """)

    @OptionGroup var client: ClientOption
    @OptionGroup var debt: DebtOption

    @Option(name: .long, help: "The template's name (default: reminder).")
    var template: String?

    @Option(name: .long, help: "email (default), sms, letter, voicemail or call.")
    var channel: TemplateChannel?

    @Option(name: .long, help: "en (default) or es.")
    var language: MessageLanguage?

    @Option(name: .long, help: "A template file to preview before it is saved.")
    var file: String?

    @Option(name: .customLong("as-of"), help: .date("The day the message is written for (default: today, UTC)."))
    var asOf: LocalDate?

    @Option(name: .long, help: "text (default) or json.")
    var format = "text"

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        guard format == "json" || format == "text" else {
            throw InputError("--format is \"\(format)\"; use text or json")
        }
        var key = TemplateKey(name: template ?? "reminder", channel: channel ?? .email, language: language ?? .en)
        var source: TemplateSource? = nil
        if let file {
            let parsed = try TemplateFiles.parse(try TemplateFiles.read(file), path: file)
            if let template, template != parsed.key.name {
                throw InputError("the file \(file) is the template \(parsed.key.name), but --template says \(template)")
            }
            key = TemplateKey(
                name: parsed.key.name, channel: channel ?? parsed.key.channel, language: language ?? parsed.key.language
            )
            source = parsed.source
        }
        let day = asOf ?? LocalDate(Date(), in: TimeZone(identifier: "UTC")!)
        let rendered = try await withDatabase(databaseOptions) { database in
            try await TemplateStore.preview(
                key, source: source, clientRef: client.ref, debtRef: debt.ref, asOf: day, publicURL: nil,
                on: database.db)
        }
        if format == "json" {
            print(
                OrderedJSON.object([
                    ("template", .string(rendered.template)), ("channel", .string(rendered.templateChannel.rawValue)),
                    ("language", .string(rendered.language.rawValue)),
                    ("subject", rendered.subject.map { .string($0) } ?? .null), ("body", .string(rendered.body)),
                    ("lint", .raw(rendered.lint.jsonText)),
                ]).text)
            return
        }
        var text = ""
        if let subject = rendered.subject { text += "Subject: \(subject)\n\n" }
        text += rendered.body + "\n"
        if !rendered.lint.findings.isEmpty {
            text += "\n-- the message lint:\n"
            for finding in rendered.lint.findings {
                text += "\(finding.severity.rawValue) \(finding.rule): \(finding.message)"
                text += finding.excerpt.map { " (\"\($0)\")" } ?? ""
                text += "\n"
            }
        }
        print(text, terminator: "")
    }
}

/// Template files and how the template commands print templates.
enum TemplateFiles {
    static let maximumBytes = 64 * 1024

    /// A template file as `show` prints it and `set` reads it: header lines, an empty line, the body.
    static func text(_ key: TemplateKey, source: TemplateSource, clientRef: String?) -> String {
        var lines = ["template: \(key.name)", "channel: \(key.channel.rawValue)", "language: \(key.language.rawValue)"]
        if let clientRef { lines.append("client: \(clientRef)") }
        if let subject = source.subject { lines.append("subject: \(subject)") }
        if source.attachStatement { lines.append("attach: statement") }
        return lines.joined(separator: "\n") + "\n\n" + source.body + (source.body.hasSuffix("\n") ? "" : "\n")
    }

    struct Parsed {
        var key: TemplateKey
        var source: TemplateSource
        var clientRef: String?
    }

    /// Reads a template file; one sentence naming the line for anything wrong.
    static func parse(_ text: String, path: String) throws -> Parsed {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n")
        var lines = normalized.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var headers: [String: String] = [:]
        var lineNumber = 0
        while !lines.isEmpty {
            let line = lines.removeFirst()
            lineNumber += 1
            if line.trimmingCharacters(in: .whitespaces).isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else {
                throw InputError(
                    "\(path), line \(lineNumber): \"\(line.prefix(60))\" is not a header (name: value); the headers end at the first empty line"
                )
            }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard ["template", "channel", "language", "subject", "client", "attach"].contains(name) else {
                throw InputError(
                    "\(path), line \(lineNumber): there is no header \"\(name)\"; the headers are template, channel, language, subject, client and attach"
                )
            }
            if name == "attach", value != "statement", value != "none" {
                throw InputError(
                    "\(path), line \(lineNumber): attach is \"\(value)\"; an email may attach \"statement\" (or \"none\")"
                )
            }
            guard headers[name] == nil else { throw InputError("\(path), line \(lineNumber): \(name) is given twice") }
            headers[name] = value
        }
        guard let name = headers["template"], !name.isEmpty else {
            throw InputError("\(path) has no \"template:\" header naming the template")
        }
        guard let channelText = headers["channel"] else {
            throw InputError("\(path) has no \"channel:\" header (email, sms, letter, voicemail or call)")
        }
        guard let channel = TemplateChannel(rawValue: channelText) else {
            throw InputError(
                "\(path): the channel \"\(channelText)\" is not one of email, sms, letter, voicemail and call")
        }
        let language: MessageLanguage
        if let code = headers["language"] {
            guard let read = MessageLanguage(code: code) else {
                throw InputError("\(path): the language \"\(code)\" is not en or es")
            }
            language = read
        } else {
            language = .en
        }
        let body = lines.joined(separator: "\n")
        return Parsed(
            key: TemplateKey(name: name, channel: channel, language: language),
            source: TemplateSource(
                subject: headers["subject"], body: body.hasSuffix("\n") ? String(body.dropLast()) : body,
                attachStatement: headers["attach"] == "statement"),
            clientRef: headers["client"].flatMap { $0.isEmpty ? nil : $0 })
    }

    /// The file's text; one sentence when it cannot be read, is too large or is not UTF-8 text.
    static func read(_ path: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw InputError("cannot read the template file \(path): there is no such file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError("cannot read the template file \(path)")
        }
        guard data.count <= maximumBytes else {
            throw InputError(
                "the template file \(path) is \(data.count) bytes; a template may be at most \(maximumBytes)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError("the template file \(path) is not UTF-8 text")
        }
        return text
    }

    static func fields(_ shown: TemplateShown) -> [(String, OrderedJSON)] {
        [
            ("template", .string(shown.key.name)), ("channel", .string(shown.key.channel.rawValue)),
            ("language", .string(shown.key.language.rawValue)), ("origin", .string(shown.origin.rawValue)),
            ("client", shown.clientRef.map { .string($0) } ?? .null), ("version", .integer(Int64(shown.version))),
            ("savedAt", shown.savedAt.map { .string(ISO8601Instant.format($0)) } ?? .null),
            ("savedBy", shown.savedBy.map { .string($0) } ?? .null),
        ]
    }

    static func json(_ shown: TemplateShown) -> OrderedJSON { .object(fields(shown)) }

    static func json(_ finding: LintFinding) -> OrderedJSON {
        .object([
            ("rule", .string(finding.rule)), ("severity", .string(finding.severity.rawValue)),
            ("excerpt", finding.excerpt.map { .string($0) } ?? .null), ("message", .string(finding.message)),
        ])
    }

    static func table(_ templates: [TemplateShown]) -> String {
        let header = ["template", "channel", "language", "origin", "version", "saved"]
        let rows = templates.map {
            [
                $0.key.name, $0.key.channel.rawValue, $0.key.language.rawValue,
                $0.origin == .client ? "client \($0.clientRef ?? "")" : $0.origin.rawValue, String($0.version),
                $0.savedAt.map(ISO8601Instant.format) ?? "",
            ]
        }
        return CommandTable.text(header: header, rows: rows)
    }
}
