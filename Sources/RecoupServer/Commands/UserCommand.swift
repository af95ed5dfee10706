import ArgumentParser
import Foundation
import RecoupCore
import RecoupStore
import Vapor

/// `recoup user add|list|password|disable|enable`.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Add, list, disable or enable the people who sign in, or set their password.",
        subcommands: [
            UserAddCommand.self, UserListCommand.self, UserPasswordCommand.self, UserDisableCommand.self,
            UserEnableCommand.self,
        ])
}

/// `recoup user add EMAIL --role admin|manager|collector|client [--client REF] --password-stdin`.
struct UserAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a user; the password is read from standard input and stored as a bcrypt hash.")

    @ArgumentParser.Argument(help: "The user's email address (their sign-in name).")
    var email: String

    @ArgumentParser.Option(
        name: .long, help: "admin, manager, collector (agency staff) or client (a creditor's staff).")
    var role: String

    @ArgumentParser.Option(name: .long, help: "For a client user: the client whose debts they see.")
    var client: String?

    @ArgumentParser.Flag(name: .customLong("password-stdin"), help: "Read the password from standard input (required).")
    var passwordStdin = false

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        guard let role = Role(rawValue: role) else {
            throw InputError("--role is \"\(role)\"; use admin, manager, collector or client")
        }
        let hash = try PasswordRules.hashFromStandardInput(passwordStdin: passwordStdin)
        let user = try await withDatabase(databaseOptions) { database in
            try await UserStore.add(
                email: email, role: role, clientRef: client, passwordHash: hash, on: database.db, now: Date())
        }
        print(UserListCommand.json(user).text)
    }
}

/// `recoup user password EMAIL --password-stdin`.
struct UserPasswordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "password",
        abstract: "Set a user's password, read from standard input; the user's signed-in sessions end.",
        discussion: """
            Also the way to set the demo administrator's password again (recoup user password admin@demo.recoup \
            --password-stdin). API tokens keep working; revoke them with recoup token revoke.
            """)

    @ArgumentParser.Argument(help: "The user's email address.")
    var email: String

    @ArgumentParser.Flag(name: .customLong("password-stdin"), help: "Read the password from standard input (required).")
    var passwordStdin = false

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let hash = try PasswordRules.hashFromStandardInput(passwordStdin: passwordStdin)
        let user = try await withDatabase(databaseOptions) { database in
            try await UserStore.setPassword(email: email, passwordHash: hash, on: database.db)
        }
        print(UserListCommand.json(user).text)
    }
}

/// `recoup user disable EMAIL`.
struct UserDisableCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable",
        abstract: "Stop a user from signing in; their sessions end and their API tokens answer 401.",
        discussion: """
            A running server that checked one of the user's tokens in the last \(Int(TokenCache.lifetime)) \
            seconds may still take it for that long. recoup user enable EMAIL undoes it.
            """)

    @OptionGroup var change: UserStateChange

    func run() async throws { try await change.set(disabled: true) }
}

/// `recoup user enable EMAIL`.
struct UserEnableCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enable", abstract: "Let a disabled user sign in and use their API tokens again.")

    @OptionGroup var change: UserStateChange

    func run() async throws { try await change.set(disabled: false) }
}

/// What `user disable` and `user enable` take and do: one user's state set through `UserStore.setDisabled`, then the
/// user printed.
struct UserStateChange: ParsableArguments {
    @ArgumentParser.Argument(help: "The user's email address.")
    var email: String

    @OptionGroup var databaseOptions: DatabaseOptions

    func set(disabled: Bool) async throws {
        let user = try await withDatabase(databaseOptions) { database in
            try await UserStore.setDisabled(disabled, email: email, on: database.db, now: Date())
        }
        print(UserListCommand.json(user).text)
    }
}

/// `recoup user list`.
struct UserListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the users.")

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let users = try await withDatabase(databaseOptions) { database in try await UserStore.all(on: database.db) }
        print(OrderedJSON.array(users.map(Self.json)).text)
    }

    /// A user as the user commands print them.
    static func json(_ user: User) -> OrderedJSON {
        .object([
            ("email", .string(user.email)), ("role", .string(user.role.rawValue)),
            ("client", user.clientRef.map { .string($0) } ?? .null), ("disabled", .bool(user.isDisabled)),
        ])
    }
}

/// `recoup token create EMAIL [--days N]`, `recoup token list [--format json|table]`, `recoup token revoke PREFIX`.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Create, list or revoke API tokens.",
        subcommands: [TokenCreateCommand.self, TokenListCommand.self, TokenRevokeCommand.self])
}

struct TokenCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract:
            "Print a new API token for a user (shown once; only its hash is stored). Use it as Authorization: Bearer TOKEN."
    )

    @ArgumentParser.Argument(help: "The user's email address.")
    var email: String

    @ArgumentParser.Option(name: .long, help: "Days until the token stops working (1–3650); without it, until revoked.")
    var days: Int?

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let now = Date()
        let expiresAt = try Self.expiry(days: days, now: now)
        let token = try await withDatabase(databaseOptions) { database in
            try await UserStore.createToken(email: email, expiresAt: expiresAt, on: database.db, now: now)
        }
        print(token.token)
    }

    /// When a token made `now` for `days` days stops working; nil (never) without `days`.
    static func expiry(days: Int?, now: Date) throws -> Date? {
        guard let days else { return nil }
        guard (1...3650).contains(days) else {
            throw InputError("--days is \(days); a token lasts from 1 to 3650 days (leave --days out for no expiry)")
        }
        return now.addingTimeInterval(TimeInterval(days) * 86_400)
    }
}

/// `recoup token list [--format json|table]`: every token's prefix, owner, dates and state, never a token or hash.
struct TokenListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the API tokens (prefix, owner, created, expires, revoked); never a token or its hash.")

    @ArgumentParser.Option(name: .long, help: "json (default) or table.")
    var format = "json"

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        guard format == "json" || format == "table" else {
            throw InputError("--format is \"\(format)\"; use json or table")
        }
        let tokens = try await withDatabase(databaseOptions) { database in try await UserStore.tokens(on: database.db) }
        print(format == "json" ? Self.json(tokens) : Self.table(tokens), terminator: "")
    }

    static func json(_ tokens: [UserStore.TokenSummary]) -> String {
        OrderedJSON.array(
            tokens.map { token in
                .object([
                    ("prefix", .string(token.prefix)), ("email", .string(token.email)),
                    ("createdAt", .string(ISO8601Instant.format(token.createdAt))),
                    ("expiresAt", token.expiresAt.map { .string(ISO8601Instant.format($0)) } ?? .null),
                    ("revoked", .bool(token.revokedAt != nil)),
                    ("revokedAt", token.revokedAt.map { .string(ISO8601Instant.format($0)) } ?? .null),
                ])
            }
        ).text + "\n"
    }

    static func table(_ tokens: [UserStore.TokenSummary]) -> String {
        let header = ["prefix", "email", "created", "expires", "revoked"]
        let rows = tokens.map { token in
            [
                token.prefix, token.email, ISO8601Instant.format(token.createdAt),
                token.expiresAt.map(ISO8601Instant.format) ?? "never",
                token.revokedAt.map(ISO8601Instant.format) ?? "no",
            ]
        }
        return CommandTable.text(header: header, rows: rows)
    }
}

struct TokenRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Revoke a token by its first 12 characters (rcp_ and 8 more).")

    @ArgumentParser.Argument(help: "The token's first 12 characters (or the whole token).")
    var prefix: String

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let count = try await withDatabase(databaseOptions) { database in
            try await UserStore.revokeToken(prefix: String(prefix.prefix(12)), on: database.db, now: Date())
        }
        print(OrderedJSON.object([("revoked", .integer(Int64(count)))]).text)
    }
}

/// What a password must be.
enum PasswordRules {
    static let minimumLength = 10

    /// The bcrypt hash of the password on standard input (one trailing line break dropped); `--password-stdin` must
    /// be given, so that a password is never typed on the command line.
    static func hashFromStandardInput(passwordStdin: Bool) throws -> String {
        guard passwordStdin else {
            throw InputError("give --password-stdin and the password on standard input (never on the command line)")
        }
        let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        let password =
            input.hasSuffix("\r\n")
            ? String(input.dropLast(2)) : input.hasSuffix("\n") ? String(input.dropLast()) : input
        try check(password)
        return try Bcrypt.hash(password)
    }

    /// Refuses a password shorter than `minimumLength` with one sentence: the rule the command line and the users
    /// page share.
    static func check(_ password: String) throws {
        guard password.count >= minimumLength else {
            throw InputError("the password needs at least \(minimumLength) characters")
        }
    }
}

/// `recoup portal link|revoke`: the debtor portal's links.
struct PortalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portal", abstract: "Create or revoke a debtor's portal link.",
        subcommands: [PortalLinkCommand.self, PortalRevokeCommand.self])
}

struct PortalLinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link", abstract: "Create a portal link for a debtor (shown once; only its hash is stored).")

    @OptionGroup var client: ClientOption

    @OptionGroup var debtor: DebtorOption

    @ArgumentParser.Option(name: .long, help: "How many days the link works (1–365).")
    var days = 30

    @ArgumentParser.Option(
        name: .customLong("public-url"),
        help: """
            The address people open Recoup at (https://recoup.example.com): the link is printed as a whole URL under \
            it. Default: RECOUP_PUBLIC_URL, else the link's path alone (/portal/TOKEN).
            """)
    var publicURL: String?

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        // Read before the link is made: a bad address makes nothing.
        let base = try PublicBaseURL.resolve(option: publicURL, environment: ProcessInfo.processInfo.environment)
        let link = try await withDatabase(databaseOptions) { database in
            try await PortalLinks.create(
                clientRef: client.ref, debtorRef: debtor.ref, days: days, on: database.db, now: Date())
        }
        let path = "/portal/\(link.token)"
        print(
            OrderedJSON.object([
                ("url", .string(base?.url(path) ?? path)),
                ("expiresOn", .string(LocalDate(link.expires, in: TimeZone(identifier: "UTC")!).isoString)),
            ]).text)
    }
}

struct PortalRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Revoke every live portal link of a debtor.")

    @OptionGroup var client: ClientOption

    @OptionGroup var debtor: DebtorOption

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let count = try await withDatabase(databaseOptions) { database in
            try await PortalLinks.revoke(clientRef: client.ref, debtorRef: debtor.ref, on: database.db, now: Date())
        }
        print(OrderedJSON.object([("revoked", .integer(Int64(count)))]).text)
    }
}
