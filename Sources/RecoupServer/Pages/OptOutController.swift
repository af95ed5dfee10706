import Foundation
import RecoupCore
import RecoupStore
import Vapor

/// The opt-out link every email and text carries (docs/messages.md, "Opting out"): `GET /opt-out/:token` asks the
/// person to confirm with one button (a link checker that opens the link opts no one out), and `POST
/// /opt-out/:token` records the opt-out, which is also what a mail program's one-click unsubscribe sends (RFC 8058,
/// body `List-Unsubscribe=One-Click`). No sign-in: the signed token is the key, and it names only its own message.
struct OptOutController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let optOut = routes.grouped("opt-out", ":token")
        optOut.get(use: show)
        optOut.post(use: record)
    }

    struct Context: Encodable {
        var title: String
        var token: String
        var address: String?
        var channel: String?
        var done: Bool
        var already: Bool
    }

    @Sendable func show(request: Request) async throws -> View {
        let token = try request.parameters.require("token")
        guard let message = try await OptOutLinks.message(token: token, on: request.db),
            let address = message.recipient
        else { throw Abort(.notFound, reason: "This opt-out link is not one Recoup made; check that it is whole") }
        let channel = message.channel == MessageChannel.sms ? "text messages" : "emails"
        return try await request.view.render(
            "opt-out",
            Context(
                title: "Stop \(channel)", token: token, address: OptOutLinks.masked(address), channel: channel,
                done: false, already: false))
    }

    @Sendable func record(request: Request) async throws -> View {
        let token = try request.parameters.require("token")
        let oneClick = (try? request.content.get(String.self, at: "List-Unsubscribe")) == "One-Click"
        guard
            let result = try await OptOutLinks.optOut(
                token: token, via: oneClick ? "one-click unsubscribe" : "opt-out page",
                now: request.application.settings.clock(), on: request.db)
        else { throw Abort(.notFound, reason: "This opt-out link is not one Recoup made; check that it is whole") }
        let channel = result.channel == .sms ? "text messages" : "emails"
        return try await request.view.render(
            "opt-out",
            Context(
                title: "No more \(channel)", token: token, address: result.maskedAddress, channel: channel, done: true,
                already: result.wasAlreadyOptedOut))
    }
}
