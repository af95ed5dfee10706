import Crypto
import FluentKit
import SQLKit

/// Secrets this installation makes for itself (issue 15): `opt-out` signs the one-click opt-out links in messages
/// (docs/messages.md, "Opting out"), so a link names its message and cannot be made up for another. 32 random bytes
/// as hex, made when the migration runs.
struct M024CreateInstallationSecrets: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE TABLE installation_secrets (name TEXT PRIMARY KEY, secret TEXT NOT NULL)").run()
        let secret = SymmetricKey(size: .bits256).withUnsafeBytes { bytes in
            bytes.map { byte in String(byte, radix: 16).leftPadded(to: 2) }.joined()
        }
        try await sql.raw("INSERT INTO installation_secrets (name, secret) VALUES ('opt-out', \(bind: secret))").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP TABLE installation_secrets").run()
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
