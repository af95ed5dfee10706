import ArgumentParser
import Foundation
import RecoupCore

/// `recoup compliance …`: the contact rules, the message checks and the validation period, with no database.
struct ComplianceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compliance", abstract: "Check contacts and messages against the contact rules.",
        subcommands: [ComplianceCheckCommand.self, ComplianceLintCommand.self, ValidationPeriodCommand.self])
}

/// `recoup compliance check [FILE|-] [--policy FILE]`.
struct ComplianceCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Decide whether one proposed contact may be made, given the debtor's history.",
        discussion: """
            Reads a request (JSON, see docs/compliance.md) from FILE or standard input and prints the decision: \
            allow, review or block, every rule that fired with its citation and reason, and nextAllowedAt. \
            Exits 0 whatever the decision, 2 when the request is invalid.
            """)

    @Argument(help: "The request file, or - for standard input.")
    var file: String = "-"

    @ArgumentParser.Option(name: .long, help: "A client's policy (JSON) to apply instead of the standard rules.")
    var policy: String?

    func run() throws {
        let data = try readInput(file)
        let request: ComplianceRequest
        do {
            request = try ComplianceRequest(json: data)
        } catch {
            throw InputError(error.description)
        }
        var chosen = CompliancePolicy.standard
        if let policy {
            do {
                chosen = try CompliancePolicy(json: try readInput(policy))
            } catch let error as ComplianceRequestError {
                throw InputError("the policy file \(policy): \(error.description)")
            }
        }
        print(ComplianceEngine.decide(request, policy: request.policy ?? chosen).jsonText)
    }
}

/// `recoup compliance lint [FILE|-] --channel voicemail|sms|email|letter [--language en|es]`.
struct ComplianceLintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check a message's text for forbidden and missing content.",
        discussion: """
            Reads the message text from FILE or standard input. Prints {"ok", "limitedContent", "findings"}; \
            limitedContent says whether a voicemail is a limited-content message (null for other channels). \
            --language es checks a Spanish message (the findings' sentences stay in English). \
            Exits 0 whatever the findings.
            """)

    @Argument(help: "The message file, or - for standard input.")
    var file: String = "-"

    @ArgumentParser.Option(name: .long, help: "voicemail, sms, email or letter.")
    var channel: MessageChannel

    @ArgumentParser.Option(name: .long, help: "The message's language: en (the default) or es.")
    var language: String = MessageLanguage.en.rawValue

    func run() throws {
        guard let messageLanguage = MessageLanguage(code: language) else {
            throw InputError("--language is \"\(language)\"; use en or es")
        }
        let data = try readInput(file)
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError("\(file == "-" ? "standard input" : file) is not UTF-8 text")
        }
        print(MessageLint.check(text, channel: channel, language: messageLanguage).jsonText)
    }
}

extension MessageChannel: ExpressibleByArgument {}

/// `recoup compliance validation-period --sent DATE`.
struct ValidationPeriodCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validation-period",
        abstract: "When a validation notice sent on DATE is assumed received, and when its validation period ends.",
        discussion: """
            Receipt is assumed 5 days after sending, not counting Saturdays, Sundays and US federal holidays \
            (12 CFR 1006.34(b)(5)); the period ends 30 days after receipt.
            """)

    @ArgumentParser.Option(name: .long, help: .date("The date the notice was sent, YYYY-MM-DD."))
    var sent: LocalDate

    func run() throws {
        print(try ValidationPeriod(sent: sent).jsonText)
    }
}

/// The bytes of FILE, or of standard input for `-`; a missing or unreadable file is the user's to fix.
func readInput(_ file: String) throws -> Data {
    if file == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
    guard let data = FileManager.default.contents(atPath: file) else {
        throw InputError("cannot read \(file): no such file, or it is not readable")
    }
    return data
}
