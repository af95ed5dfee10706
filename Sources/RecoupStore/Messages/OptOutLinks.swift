import Crypto
import FluentKit
import Foundation
import RecoupCore
import SQLKit

/// The one-click opt-out of an email or a text (RFC 8058; docs/messages.md, "Opting out"). Every electronic message
/// carries a token naming it, `12-Xb3…`: the message's id and an HMAC-SHA256 of it under the installation's `opt-out`
/// secret, so a token cannot be made for a message one was not sent. Using it records an opt-out of that channel for
/// the address the message went to, which the compliance engine then honours (12 CFR 1006.6(e)).
public enum OptOutLinks {
    /// The installation's signing key.
    public static func key(sql: any SQLDatabase) async throws -> SymmetricKey {
        guard
            let row = try await sql.raw("SELECT secret FROM installation_secrets WHERE name = 'opt-out'").first(),
            let bytes = hexBytes(try row.decode(column: "secret", as: String.self))
        else {
            throw StoreError.invalid("the installation has no opt-out secret; run the migrations")
        }
        return SymmetricKey(data: bytes)
    }

    /// The token of message `id`.
    public static func token(messageID id: Int64, key: SymmetricKey) -> String {
        "\(id)-\(signature(id, key: key))"
    }

    /// The message a token names, nil when it is not one of ours.
    public static func messageID(token: String, key: SymmetricKey) -> Int64? {
        let parts = token.split(separator: "-", maxSplits: 1)
        guard parts.count == 2, parts[0].count <= 18, let id = Int64(parts[0]), id > 0 else { return nil }
        let expected = Array(signature(id, key: key).utf8)
        let given = Array(parts[1].utf8)
        // Compared in constant time.
        guard expected.count == given.count else { return nil }
        return zip(expected, given).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0 ? id : nil
    }

    /// The email or text a token names, nil when the token is not one of ours.
    public static func message(token: String, on database: any Database) async throws -> OutboxMessage? {
        let sql = database as! any SQLDatabase
        guard let id = messageID(token: token, key: try await key(sql: sql)) else { return nil }
        return try await OutboxStore.messages(ids: [id], sql: sql).first.flatMap {
            $0.channel == .email || $0.channel == .sms ? $0 : nil
        }
    }

    /// What an opt-out did.
    public struct Result: Sendable, Equatable {
        /// The channel opted out of.
        public var channel: ContactChannel
        /// The address or number, masked for showing (`p***@example.com`).
        public var maskedAddress: String
        /// True when that address had already opted out (nothing new recorded).
        public var wasAlreadyOptedOut: Bool
    }

    /// Records the opt-out a token asks for, once: nil when the token is not one of ours (or its message is gone).
    /// `via` says how it came (`one-click`, `link`, `reply`), kept as the event's note.
    public static func optOut(token: String, via: String, now: Date, on database: any Database) async throws -> Result?
    {
        let sql = database as! any SQLDatabase
        guard let id = messageID(token: token, key: try await key(sql: sql)),
            let message = try await OutboxStore.messages(ids: [id], sql: sql).first,
            let address = message.recipient,
            let channel: ContactChannel = message.channel == .email ? .email : message.channel == .sms ? .sms : nil
        else { return nil }
        let masked = masked(address)
        let events = try await ContactStore.events(debtorID: message.debtorID, sql: sql)
        let already = events.contains { stored in
            if case .optOut(let optedChannel, let optedAddress) = stored.event.kind {
                return optedChannel == channel && (optedAddress == nil || optedAddress == address)
            }
            return false
        }
        if already { return Result(channel: channel, maskedAddress: masked, wasAlreadyOptedOut: true) }
        _ = try await ContactStore.record(
            ContactLogEntry(
                ContactEvent(.optOut(channel: channel, address: address), at: now),
                note: "opted out by the \(via) of message \(id)"),
            debtorID: message.debtorID, recordedBy: "opt-out", on: database, now: now)
        return Result(channel: channel, maskedAddress: masked, wasAlreadyOptedOut: false)
    }

    /// `p***@example.com`, `***0100`: enough for the person to know it is theirs.
    public static func masked(_ address: String) -> String {
        if let at = address.firstIndex(of: "@") {
            return String(address.prefix(1)) + "***" + address[at...]
        }
        return "***" + address.suffix(4)
    }

    private static func signature(_ id: Int64, key: SymmetricKey) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("opt-out:\(id)".utf8), using: key)
        return Data(mac).prefix(16).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    private static func hexBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count == 64 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else {
                return nil
            }
            bytes.append(byte)
        }
        return bytes
    }
}
