import FluentKit
import Foundation
import RecoupCore
import SQLKit

/// A client's profile with the client's reference and the name every page shows.
public struct StoredClientProfile: Sendable, Equatable {
    public var ref: String
    public var profile: ClientProfile

    public init(ref: String, profile: ClientProfile) {
        self.ref = ref
        self.profile = profile
    }

    /// The name staff pages show: the profile's name, or the reference while the client has no name of its own.
    public var displayName: String { profile.name ?? ref }
}

/// Clients' profiles: read and set (`recoup client profile`, the clients admin page), read by the portal and by new
/// agreements. The name is `clients.name`, which a client created by reference alone holds its reference in: that
/// reads as no name, and clearing the name puts the reference back.
public enum ClientProfileStore {
    /// The client's profile; `unknownClient` when there is no such client.
    public static func profile(clientRef: String, on database: any Database) async throws -> StoredClientProfile {
        try await profile(clientRef: clientRef, sql: database as! any SQLDatabase)
    }

    /// The profile, its row locked on PostgreSQL when `lock` is set (so two updates of different fields keep both).
    static func profile(clientRef: String, lock: Bool = false, sql: any SQLDatabase) async throws -> StoredClientProfile
    {
        let suffix = lock && SQLFlavor(sql) == .postgres ? " FOR UPDATE" : ""
        guard
            let row = try await sql.raw(
                "SELECT \(unsafeRaw: columns) FROM clients WHERE ref = \(bind: clientRef)\(unsafeRaw: suffix)"
            ).first()
        else { throw StoreError.unknownClient(clientRef) }
        return try read(row)
    }

    /// Every client's profile, by reference.
    public static func all(on database: any Database) async throws -> [StoredClientProfile] {
        try await (database as! any SQLDatabase).raw("SELECT \(unsafeRaw: columns) FROM clients ORDER BY ref").all()
            .map(read)
    }

    /// Checks `update` against the stored profile (`ClientProfileUpdate.applied(to:)`; `invalid` with the sentence
    /// that names the field) and stores the fields it gives; returns the profile as stored. `unknownClient` when there
    /// is no such client.
    @discardableResult
    public static func update(
        clientRef: String, with update: ClientProfileUpdate, on database: any Database
    ) async throws -> StoredClientProfile {
        try await database.transaction { transaction in
            let sql = transaction as! any SQLDatabase
            let stored = try await profile(clientRef: clientRef, lock: true, sql: sql)
            let profile: ClientProfile
            do { profile = try update.applied(to: stored.profile) } catch { throw StoreError.invalid("\(error)") }
            guard profile != stored.profile else { return stored }
            try await sql.raw(
                """
                UPDATE clients SET name = \(bind: profile.name ?? stored.ref), phone = \(bind: profile.phone), \
                email = \(bind: profile.email), website = \(bind: profile.website), \
                mailing_address = \(bind: profile.address), payment_instructions = \(bind: profile.paymentInstructions), \
                payment_link = \(bind: profile.paymentLink) WHERE ref = \(bind: clientRef)
                """
            ).run()
            return StoredClientProfile(ref: stored.ref, profile: profile)
        }
    }

    private static let columns =
        "ref, name, phone, email, website, mailing_address, payment_instructions, payment_link"

    private static func read(_ row: any SQLRow) throws -> StoredClientProfile {
        let ref = try row.decode(column: "ref", as: String.self)
        let name = try row.decode(column: "name", as: String.self)
        return StoredClientProfile(
            ref: ref,
            profile: ClientProfile(
                name: name == ref ? nil : name, phone: try row.decode(column: "phone", as: String?.self),
                email: try row.decode(column: "email", as: String?.self),
                website: try row.decode(column: "website", as: String?.self),
                address: try row.decode(column: "mailing_address", as: String?.self),
                paymentInstructions: try row.decode(column: "payment_instructions", as: String?.self),
                paymentLink: try row.decode(column: "payment_link", as: String?.self)))
    }
}
