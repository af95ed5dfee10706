import ArgumentParser
import Foundation
import RecoupCore
import RecoupStore

/// `recoup client profile --client REF [--name …] [--phone …] …`: sets the fields given (an empty value clears one)
/// and prints the client's profile as JSON; with no field given, prints it.
struct ClientProfileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Show a client's name, contact details and how to pay, or set them (an empty value clears one).")

    @OptionGroup var client: ClientOption

    @Option(help: "The name debtors and staff see instead of the reference (empty: the reference again).")
    var name: String?

    @Option(help: "The phone debtors call, as people write it ((617) 555-0100, +16175550100).")
    var phone: String?

    @Option(help: "The email address debtors write to.")
    var email: String?

    @Option(help: "The client's web site, https://…")
    var website: String?

    @Option(help: "The mailing address; separate its lines with \\n or new lines.")
    var address: String?

    @Option(name: .customLong("payment-instructions"), help: "How to pay, in a few sentences.")
    var paymentInstructions: String?

    @Option(name: .customLong("payment-link"), help: "Where debtors pay online, https://…")
    var paymentLink: String?

    @OptionGroup var databaseOptions: DatabaseOptions

    /// The fields given on the command line; `\n` written in the address stands for a new line.
    var update: ClientProfileUpdate {
        ClientProfileUpdate(
            name: name, phone: phone, email: email, website: website,
            address: address?.replacingOccurrences(of: "\\n", with: "\n"), paymentInstructions: paymentInstructions,
            paymentLink: paymentLink)
    }

    func run() async throws {
        let update = update
        let stored = try await withDatabase(databaseOptions) { database in
            if update.isEmpty { return try await ClientProfileStore.profile(clientRef: client.ref, on: database.db) }
            return try await ClientProfileStore.update(clientRef: client.ref, with: update, on: database.db)
        }
        try CommandOutput.print(ClientProfileOutput(stored))
    }
}

/// What `recoup client profile` prints: the client's reference and every field of its profile, null when unset.
struct ClientProfileOutput: Encodable {
    var stored: StoredClientProfile

    init(_ stored: StoredClientProfile) { self.stored = stored }

    private enum Key: String, CodingKey {
        case client, name, phone, email, website, address, paymentInstructions, paymentLink
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        let profile = stored.profile
        try container.encode(stored.ref, forKey: .client)
        try container.encode(profile.name, forKey: .name)
        try container.encode(profile.phone, forKey: .phone)
        try container.encode(profile.email, forKey: .email)
        try container.encode(profile.website, forKey: .website)
        try container.encode(profile.address, forKey: .address)
        try container.encode(profile.paymentInstructions, forKey: .paymentInstructions)
        try container.encode(profile.paymentLink, forKey: .paymentLink)
    }
}
