import Foundation
import RecoupAPI
import RecoupCore
import RecoupStore

// Debts placed with collection agencies.
extension RecoupAPIHandlers {
    /// Through the user's scope: a client's staff see their client's placements only, and another client named in
    /// `client` answers 404 as a missing one.
    func listPlacements(_ input: Operations.ListPlacements.Input) async throws -> Operations.ListPlacements.Output {
        let request = try APIContext.current()
        let client = try APIInput.nonEmpty(input.query.client).map { try APIInput.client($0, request) }
        let placements = try await PlacementStore.list(
            scope: request.scope, clientRef: client, agency: APIInput.nonEmpty(input.query.agency),
            inForceOnly: input.query.inForce ?? false, on: request.db)
        return .ok(.init(body: .json(placements.map(Components.Schemas.Placement.init))))
    }
}

extension Components.Schemas.Placement {
    init(_ placement: Placement) {
        self.init(
            id: Int(placement.id), client: placement.clientRef, debt: placement.debtRef, debtor: placement.debtorRef,
            agency: placement.agency, placedOn: placement.placedOn.isoString,
            balanceAtPlacement: APIMoney(placement.currency)(placement.balanceAtPlacement),
            currency: placement.currency.code, contingencyPercent: Nullable(placement.contingencyPercent),
            inForce: placement.isInForce, recalledOn: Nullable(placement.recalledOn?.isoString),
            recallReason: Nullable(placement.recallReason), createdBy: Nullable(placement.createdBy),
            createdAt: ISO8601Instant.format(placement.createdAt))
    }
}
