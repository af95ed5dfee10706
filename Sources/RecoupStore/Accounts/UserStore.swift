import Crypto
import FluentKit
import Foundation
import RecoupCore
import SQLKit

/// What a user may do.
public enum Role: String, CaseIterable, Codable, Sendable {
    /// Everything, including users and clients.
    case admin
    /// Agency staff who run the portfolio: every client's debts, terms and reports.
    case manager
    /// Agency staff who work debts: every client's debts.
    case collector
    /// A creditor's staff: only their own client's debts.
    case client
}

/// Whose debts a request may see. Every query a user triggers takes one; a client user's scope is their client.
public enum ClientScope: Sendable, Equatable {
    /// Agency staff: every client.
    case all
    /// A client's staff: this client only.
    case client(id: Int64, ref: String)

    /// True when the scope includes the client with this reference.
    public func allows(clientRef: String) -> Bool {
        switch self {
        case .all: true
        case .client(_, let ref): ref == clientRef
        }
    }

    /// The client id a query must be limited to, or nil for every client.
    public var clientID: Int64? {
        switch self {
        case .all: nil
        case .client(let id, _): id
        }
    }
}

/// A signed-in user.
public struct User: Sendable, Equatable {
    public var id: Int64
    public var email: String
    public var role: Role
    public var clientID: Int64?
    public var clientRef: String?
    /// True when an administrator disabled the user (`recoup user disable`): they cannot sign in and their API
    /// tokens are refused until they are enabled again.
    public var isDisabled = false

    /// What this user may see.
    public var scope: ClientScope {
        if role == .client, let clientID, let clientRef { return .client(id: clientID, ref: clientRef) }
        return .all
    }
}

/// Users, API tokens and sessions. Secrets (tokens, session ids, portal links) are random, shown once, and stored
/// only as SHA-256 hashes; passwords are stored as the bcrypt hashes the caller computes.
public enum UserStore {
    /// Adds a user. A `client` user needs its client; other roles must not name one.
    public static func add(
        email: String, role: Role, clientRef: String?, passwordHash: String, on database: any Database, now: Date
    ) async throws -> User {
        try await insert(
            email: email, role: role, clientRef: clientRef, passwordHash: passwordHash, now: now,
            sql: database as! any SQLDatabase)
    }

    /// `add(email:role:clientRef:passwordHash:on:now:)` for a form (`submission`, the users page's): the form's id is
    /// claimed in the same transaction, so the same form sent again adds no one and answers `.repeated`; a user the
    /// store refuses rolls the claim back, so the corrected form can be sent with the same id.
    public static func add(
        email: String, role: Role, clientRef: String?, passwordHash: String, once submission: FormSubmission,
        on database: any Database, now: Date
    ) async throws -> OnceOnly<User> {
        try await PaymentStore.serializedTransaction(database) { sql in
            if let earlier = try await FormSubmissions.claim(submission, kind: "user-add", now: now, sql: sql) {
                return .repeated(earlier)
            }
            let user = try await insert(
                email: email, role: role, clientRef: clientRef, passwordHash: passwordHash, now: now, sql: sql)
            try await FormSubmissions.complete(submission, result: user.email, sql: sql)
            return .done(user)
        }
    }

    private static func insert(
        email: String, role: Role, clientRef: String?, passwordHash: String, now: Date, sql: any SQLDatabase
    ) async throws -> User {
        let email = email.trimmedSpaces.lowercased()
        guard email.contains("@"), !email.hasPrefix("@"), !email.hasSuffix("@") else {
            throw StoreError.invalid("\"\(email)\" is not an email address")
        }
        var clientID: Int64? = nil
        switch (role, clientRef) {
        case (.client, nil):
            throw StoreError.invalid("a client user needs --client REF: the client whose debts they see")
        case (.client, let ref?):
            guard let id = try await ClientQueries.clientID(ref: ref, on: sql) else {
                throw StoreError.unknownClient(ref)
            }
            clientID = id
        case (_, .some):
            throw StoreError.invalid("only a client user belongs to a client; \(role.rawValue) sees every client")
        case (_, nil): break
        }
        if try await user(email: email, on: sql) != nil {
            throw StoreError.invalid("there is already a user \(email)")
        }
        try await sql.raw(
            """
            INSERT INTO users (email, role, client_id, password_hash, created_at) VALUES \
            (\(bind: email), \(bind: role.rawValue), \(bind: clientID), \(bind: passwordHash), \(bind: now))
            """
        ).run()
        return try await user(email: email, on: sql)!.user
    }

    /// The user with this email and their password hash.
    public static func user(
        email: String, on database: any Database
    ) async throws -> (user: User, passwordHash: String)? {
        try await user(email: email.trimmedSpaces.lowercased(), on: database as! any SQLDatabase)
    }

    static func user(email: String, on sql: any SQLDatabase) async throws -> (user: User, passwordHash: String)? {
        guard
            let row = try await sql.raw(
                """
                SELECT u.id, u.email, u.role, u.client_id, u.disabled_at, u.password_hash, c.ref AS client_ref \
                FROM users u LEFT JOIN clients c ON c.id = u.client_id WHERE u.email = \(bind: email)
                """
            ).first()
        else { return nil }
        return (try user(from: row), try row.decode(column: "password_hash", as: String.self))
    }

    /// Every user, by email.
    public static func all(on database: any Database) async throws -> [User] {
        let sql = database as! any SQLDatabase
        return try await sql.raw(
            """
            SELECT u.id, u.email, u.role, u.client_id, u.disabled_at, c.ref AS client_ref FROM users u \
            LEFT JOIN clients c ON c.id = u.client_id ORDER BY u.email
            """
        ).all().map(user(from:))
    }

    private static func user(from row: any SQLRow) throws -> User {
        User(
            id: try row.decode(column: "id", as: Int64.self), email: try row.decode(column: "email", as: String.self),
            role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .collector,
            clientID: try row.decode(column: "client_id", as: Int64?.self),
            clientRef: try row.decode(column: "client_ref", as: String?.self),
            isDisabled: try row.decode(column: "disabled_at", as: Date?.self) != nil)
    }

    // MARK: Passwords and disabling

    /// Sets a user's password (the bcrypt hash the caller computed) and ends their sessions, so every browser signed
    /// in with the old password must sign in again. API tokens are kept. One transaction.
    public static func setPassword(
        email: String, passwordHash: String, on database: any Database
    ) async throws -> User {
        try await PaymentStore.serializedTransaction(database) { sql in
            try await updatePassword(email: email, passwordHash: passwordHash, sql: sql)
        }
    }

    /// `setPassword(email:passwordHash:on:)` for a form (`submission`, the users page's): the form's id is claimed in
    /// the same transaction, so the same form sent again sets nothing and answers `.repeated`.
    public static func setPassword(
        email: String, passwordHash: String, once submission: FormSubmission, on database: any Database, now: Date
    ) async throws -> OnceOnly<User> {
        try await PaymentStore.serializedTransaction(database) { sql in
            if let earlier = try await FormSubmissions.claim(submission, kind: "user-password", now: now, sql: sql) {
                return .repeated(earlier)
            }
            let user = try await updatePassword(email: email, passwordHash: passwordHash, sql: sql)
            try await FormSubmissions.complete(submission, result: user.email, sql: sql)
            return .done(user)
        }
    }

    /// Disables a user (`isDisabled`) at `now` and ends their sessions, or enables them again. Disabling a disabled
    /// user, or enabling an enabled one, changes nothing. One transaction.
    public static func setDisabled(
        _ disabled: Bool, email: String, on database: any Database, now: Date
    ) async throws -> User {
        try await PaymentStore.serializedTransaction(database) { sql in
            try await updateDisabled(disabled, email: email, now: now, sql: sql)
        }
    }

    /// `setDisabled(_:email:on:now:)` for a form (`submission`, the users page's): the form's id is claimed in the
    /// same transaction, so the same form sent again (after the user was enabled in between, say) changes nothing and
    /// answers `.repeated`.
    public static func setDisabled(
        _ disabled: Bool, email: String, once submission: FormSubmission, on database: any Database, now: Date
    ) async throws -> OnceOnly<User> {
        try await PaymentStore.serializedTransaction(database) { sql in
            let kind = disabled ? "user-disable" : "user-enable"
            if let earlier = try await FormSubmissions.claim(submission, kind: kind, now: now, sql: sql) {
                return .repeated(earlier)
            }
            let user = try await updateDisabled(disabled, email: email, now: now, sql: sql)
            try await FormSubmissions.complete(submission, result: user.email, sql: sql)
            return .done(user)
        }
    }

    private static func updatePassword(email: String, passwordHash: String, sql: any SQLDatabase) async throws -> User {
        let user = try await existingUser(email: email, on: sql)
        try await sql.raw("UPDATE users SET password_hash = \(bind: passwordHash) WHERE id = \(bind: user.id)").run()
        try await sql.raw("DELETE FROM sessions WHERE user_id = \(bind: user.id)").run()
        return user
    }

    private static func updateDisabled(
        _ disabled: Bool, email: String, now: Date, sql: any SQLDatabase
    ) async throws -> User {
        var user = try await existingUser(email: email, on: sql)
        if disabled {
            try await sql.raw(
                "UPDATE users SET disabled_at = \(bind: now) WHERE id = \(bind: user.id) AND disabled_at IS NULL"
            ).run()
            try await sql.raw("DELETE FROM sessions WHERE user_id = \(bind: user.id)").run()
        } else {
            try await sql.raw("UPDATE users SET disabled_at = NULL WHERE id = \(bind: user.id)").run()
        }
        user.isDisabled = disabled
        return user
    }

    private static func existingUser(email: String, on sql: any SQLDatabase) async throws -> User {
        guard let found = try await user(email: email.trimmedSpaces.lowercased(), on: sql)?.user else {
            throw StoreError.invalid("there is no user \(email) (recoup user list shows them)")
        }
        return found
    }

    // MARK: API tokens

    /// Creates an API token for the user and returns it; only its hash is kept, so it cannot be shown again. Without
    /// `expiresAt` the token works until it is revoked.
    public static func createToken(
        email: String, expiresAt: Date? = nil, on database: any Database, now: Date
    )
        async throws -> (token: String, prefix: String)
    {
        let sql = database as! any SQLDatabase
        guard let user = try await user(email: email.trimmedSpaces.lowercased(), on: sql)?.user else {
            throw StoreError.invalid("there is no user \(email)")
        }
        let token = "rcp_" + randomSecret()
        let prefix = String(token.prefix(12))
        try await sql.raw(
            """
            INSERT INTO api_tokens (user_id, token_hash, prefix, created_at, expires_at) VALUES \
            (\(bind: user.id), \(bind: sha256Hex(token)), \(bind: prefix), \(bind: now), \(bind: expiresAt))
            """
        ).run()
        return (token, prefix)
    }

    /// What a bearer token proves.
    public enum TokenCheck: Sendable, Equatable {
        /// A live token of this user, working until `expiresAt` (nil: until revoked).
        case valid(User, expiresAt: Date?)
        /// A token that was valid until its expiry, which has passed.
        case expired
        /// A live token of a user who is disabled.
        case disabled
        /// An unknown or revoked token.
        case unknown
    }

    /// The user a bearer token belongs to, unless it is unknown, revoked or expired at `now`.
    public static func authenticate(token: String, on database: any Database, now: Date) async throws -> TokenCheck {
        let sql = database as! any SQLDatabase
        guard
            let row = try await sql.raw(
                """
                SELECT u.id, u.email, u.role, u.client_id, u.disabled_at, c.ref AS client_ref, t.expires_at \
                FROM api_tokens t \
                JOIN users u ON u.id = t.user_id LEFT JOIN clients c ON c.id = u.client_id \
                WHERE t.token_hash = \(bind: sha256Hex(token)) AND t.revoked_at IS NULL
                """
            ).first()
        else { return .unknown }
        let expiresAt = try row.decode(column: "expires_at", as: Date?.self)
        if let expiresAt, now >= expiresAt { return .expired }
        let user = try user(from: row)
        if user.isDisabled { return .disabled }
        return .valid(user, expiresAt: expiresAt)
    }

    /// An API token as it may be shown: never the token or its hash.
    public struct TokenSummary: Sendable, Equatable {
        /// The first 12 characters (`rcp_` and 8 more), which `revokeToken(prefix:)` takes.
        public var prefix: String
        /// The owner's email.
        public var email: String
        public var createdAt: Date
        /// When it stops working; nil when it works until revoked.
        public var expiresAt: Date?
        /// When it was revoked, if it was.
        public var revokedAt: Date?
    }

    /// Every API token, oldest first.
    public static func tokens(on database: any Database) async throws -> [TokenSummary] {
        let sql = database as! any SQLDatabase
        return try await sql.raw(
            """
            SELECT t.prefix, u.email, t.created_at, t.expires_at, t.revoked_at FROM api_tokens t \
            JOIN users u ON u.id = t.user_id ORDER BY t.id
            """
        ).all().map { row in
            TokenSummary(
                prefix: try row.decode(column: "prefix", as: String.self),
                email: try row.decode(column: "email", as: String.self),
                createdAt: try row.decode(column: "created_at", as: Date.self),
                expiresAt: try row.decode(column: "expires_at", as: Date?.self),
                revokedAt: try row.decode(column: "revoked_at", as: Date?.self))
        }
    }

    /// Revokes a token by the prefix shown when it was created (`rcp_` and 8 more characters). Returns how many.
    public static func revokeToken(prefix: String, on database: any Database, now: Date) async throws -> Int {
        let sql = database as! any SQLDatabase
        let count =
            try await sql.raw(
                "SELECT COUNT(*) AS n FROM api_tokens WHERE prefix = \(bind: prefix) AND revoked_at IS NULL"
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        guard count > 0 else { throw StoreError.invalid("there is no active token starting \(prefix)") }
        try await sql.raw(
            "UPDATE api_tokens SET revoked_at = \(bind: now) WHERE prefix = \(bind: prefix) AND revoked_at IS NULL"
        ).run()
        return count
    }

    // MARK: Sessions

    /// Starts a login session; returns the cookie value and the session's CSRF token.
    public static func createSession(
        userID: Int64, on database: any Database, now: Date, lifetime: TimeInterval
    )
        async throws -> (token: String, csrf: String)
    {
        let sql = database as! any SQLDatabase
        let token = randomSecret()
        let csrf = randomSecret()
        try await sql.raw(
            """
            INSERT INTO sessions (user_id, token_hash, csrf_token, created_at, expires_at) VALUES \
            (\(bind: userID), \(bind: sha256Hex(token)), \(bind: csrf), \(bind: now), \(bind: now.addingTimeInterval(lifetime)))
            """
        ).run()
        return (token, csrf)
    }

    /// The user and CSRF token of a live session; nil for an expired one or a disabled user's.
    public static func session(
        token: String, on database: any Database, now: Date
    ) async throws
        -> (user: User, csrf: String)?
    {
        let sql = database as! any SQLDatabase
        guard
            let row = try await sql.raw(
                """
                SELECT u.id, u.email, u.role, u.client_id, u.disabled_at, c.ref AS client_ref, s.csrf_token, \
                s.expires_at FROM sessions s \
                JOIN users u ON u.id = s.user_id LEFT JOIN clients c ON c.id = u.client_id \
                WHERE s.token_hash = \(bind: sha256Hex(token))
                """
            ).first(),
            try row.decode(column: "expires_at", as: Date.self) > now
        else { return nil }
        let user = try user(from: row)
        guard !user.isDisabled else { return nil }
        return (user, try row.decode(column: "csrf_token", as: String.self))
    }

    /// Ends a session.
    public static func deleteSession(token: String, on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("DELETE FROM sessions WHERE token_hash = \(bind: sha256Hex(token))").run()
    }

    // MARK: Secrets

    /// 32 random bytes as 64 hex digits.
    public static func randomSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let value = generator.next() as UInt64
            let hex = String(value, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    /// The SHA-256 of a secret as 64 hex digits: what is stored instead of the secret.
    public static func sha256Hex(_ text: String) -> String {
        hex(SHA256.hash(data: Data(text.utf8)))
    }

    /// Lowercase hex digits of bytes (String(format:) costs microseconds a byte).
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var output: [UInt8] = []
        output.reserveCapacity(64)
        for byte in bytes {
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: output, as: UTF8.self)
    }
}
