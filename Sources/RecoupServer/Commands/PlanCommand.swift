import ArgumentParser
import Foundation
import RecoupAPI
import RecoupCore

/// `recoup plan …`: payment plans.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "Payment plans a debtor can afford, within the client's terms.",
        subcommands: [PlanProposeCommand.self])
}

/// `recoup plan propose [FILE|-]`.
struct PlanProposeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "propose",
        abstract: "Turn what a debtor can pay into installments, a settlement or an extension.",
        discussion: """
            Reads {"balance", "currency", "today", "offer": {"amount", "frequency", "firstDue"}, "terms": \
            {"minInstallment", "maxInstallments", "settlementPercent", "maxExtensionDays", "maxMonths"}} from FILE or standard \
            input and prints the options (see docs/arrangements.md). Exits 0 whether or not the offer is accepted, \
            2 when the request is invalid.
            """)

    @Argument(help: "The request file, or - for standard input.")
    var file: String = "-"

    func run() throws {
        // Read as `POST /api/v1/plans/propose` reads it: the document's type, then Core's value.
        let body = try APIRequestReader.decode(
            Components.Schemas.PlanRequest.self, from: try readInput(file), operationID: "proposePlan")
        let request = try PlanRequest(body)
        print(PlanCalculator.propose(request).jsonText(currency: request.currency))
    }
}
