import Foundation
import RecoupCore
import RecoupStore
import Vapor

/// Clients' contracts with the agency, for admins (docs/agency.md, "Pages"): `/agency/contracts` lists the clients and
/// the contract each has; `/agency/contracts/:client` shows the one in force and edits it as the JSON document of
/// `recoup agency contract` (the same reader checks it). A contract that cannot be used is the page again with the
/// sentence that says why, nothing saved; a saved one redirects to the page (post/redirect/get).
struct AgencyContractPage: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("agency", "contracts", use: list)
        routes.get("agency", "contracts", ":client", use: show)
        routes.post("agency", "contracts", ":client", use: save)
    }

    struct ClientRow: Encodable {
        var ref: String
        var name: String
        var link: String
        var contract: String
    }

    struct ListContext: Encodable {
        var title = "Contracts"
        var clients: [ClientRow]
    }

    struct RateRow: Encodable {
        var applies: String
        var percent: String
    }

    struct ContractContext: Encodable {
        var title: String
        var client: String
        var action: String
        var version: Int?
        var saved: String?
        var summary: [String]
        var rates: [RateRow]
        var document: String
        var flash: Flash?
        var problem: String?
    }

    struct Form: PageForm {
        var document: String?
    }

    /// An example for a client without a contract.
    static let example = """
        {
          "remittance": "net",
          "directPaymentCommission": true,
          "rates": [{"upToDaysAtPlacement": 180, "percent": "25"}, {"percent": "35"}],
          "freeDemand": null,
          "schedule": "monthly",
          "remitWithinDaysAfterMonth": 30,
          "holdDays": 0
        }
        """

    @Sendable
    func list(request: Request) async throws -> View {
        try request.requireRole(.admin)
        var rows: [ClientRow] = []
        for client in try await ClientProfileStore.all(on: request.db) {
            let stored = try await AgencyStore.contract(clientRef: client.ref, on: request.db)
            rows.append(
                ClientRow(
                    ref: client.ref, name: client.displayName, link: Self.path(client.ref),
                    contract: stored.map {
                        "version \($0.version): \($0.contract.remittance.rawValue), "
                            + $0.contract.rates.map { "\($0.rate.percentText)%" }.joined(separator: " / ")
                    } ?? "none"))
        }
        return try await request.view.render(
            "agency-contracts", ListContext(clients: rows.sorted { $0.ref < $1.ref }))
    }

    @Sendable
    func show(request: Request) async throws -> Response {
        let client = try Self.client(request)
        let stored = try await AgencyStore.contract(clientRef: client, on: request.db)
        return try await Flash.showingOnce(request) { flash in
            var context = Self.context(request, client: client, stored: stored)
            context.flash = flash
            return try await request.view.render("agency-contract", context).encodeResponse(for: request)
        }
    }

    @Sendable
    func save(request: Request) async throws -> Response {
        let client = try Self.client(request)
        let stored = try await AgencyStore.contract(clientRef: client, on: request.db)
        let document = request.form(Form.self).document ?? ""
        do {
            let contract = try AgencyRoles.contract(from: Data(document.utf8))
            let settings = request.application.settings
            let result = try await AgencyStore.save(
                contract, clientRef: client, by: request.recoupUser?.email, now: settings.clock(), on: request.db)
            let text =
                result.saved
                ? "Saved version \(result.contract.version) of \(client)'s contract: it prices placements from now on."
                : "Nothing changed: version \(result.contract.version) already says this."
            return Flash.redirect(request, to: Self.path(client), with: Flash(kind: .notice, text: text))
        } catch let error as UserFacingError {
            var context = Self.context(request, client: client, stored: stored)
            context.document = document
            context.problem = "\(error.message.prefix(1).uppercased())\(error.message.dropFirst()). Nothing was saved."
            return try await request.view.render("agency-contract", context).encodeResponse(
                status: error.status, for: request)
        }
    }

    /// The client the path names, in scope (404 otherwise), for an admin (403 otherwise).
    static func client(_ request: Request) throws -> String {
        let client = try request.requiredParameter("client")
        try request.requireClient(client)
        try request.requireRole(.admin)
        return client
    }

    static func path(_ ref: String) -> String { "/agency/contracts/" + AgencyPlacementsPage.component(ref) }

    static func context(_ request: Request, client: String, stored: StoredContract?) -> ContractContext {
        let zone = request.application.settings.businessTimeZone
        let display = TimeDisplay(debtorZone: zone, userZone: zone)
        guard let stored else {
            return ContractContext(
                title: "Contract of \(client)", client: client, action: path(client), version: nil, saved: nil,
                summary: [], rates: [], document: example)
        }
        let contract = stored.contract
        var summary = [
            contract.remittance == .net
                ? "Net: the agency keeps its commission and remits the rest."
                : "Gross: the agency remits everything and invoices its commission.",
            contract.directPaymentCommission
                ? "Payments made to the client directly earn commission."
                : "Payments made to the client directly earn no commission.",
            "Remitted \(contract.schedule.rawValue), within \(contract.remitWithinDaysAfterMonth) days after the month "
                + "of collection"
                + (contract.holdDays > 0 ? "; a payment is held \(contract.holdDays) days to clear." : "."),
        ]
        if let free = contract.freeDemand {
            summary.append("Free demand: \(free.rate.percentText)% on payments in the first \(free.days) days.")
        }
        return ContractContext(
            title: "Contract of \(client)", client: client, action: path(client), version: stored.version,
            saved: display.instant(stored.savedAt) + (stored.savedBy.map { " by \($0)" } ?? ""), summary: summary,
            rates: contract.rates.map { tier in
                var limits: [String] = []
                if let days = tier.upToDaysAtPlacement { limits.append("at most \(days) days past due") }
                if let balance = tier.upToBalance { limits.append("a balance of at most \(balance)") }
                return RateRow(
                    applies: limits.isEmpty ? "every other placement" : "placed " + limits.joined(separator: " and "),
                    percent: "\(tier.rate.percentText)%")
            }, document: document(stored))
    }

    /// The contract as the document an admin edits: the members `recoup agency contract` reads, one a line.
    static func document(_ stored: StoredContract) -> String {
        guard case .object(let members) = AgencyJSON.json(stored) else { return example }
        let editable: Set<String> = [
            "remittance", "directPaymentCommission", "rates", "freeDemand", "schedule", "remitWithinDaysAfterMonth",
            "holdDays",
        ]
        let lines = members.filter { editable.contains($0.0) }.map { "  \"\($0.0)\": \($0.1.text)" }
        return "{\n" + lines.joined(separator: ",\n") + "\n}"
    }
}
