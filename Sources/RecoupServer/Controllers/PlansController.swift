import Foundation
import RecoupCore
import Vapor

/// `POST /api/v1/plans/propose`: the same request and answer as `recoup plan propose`.
struct PlansController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped("plans").on(.POST, "propose", body: .collect(maxSize: "64kb"), use: propose)
    }

    @Sendable
    func propose(request: Request) async throws -> Response {
        guard let buffer = request.body.data, buffer.readableBytes > 0 else {
            throw UserFacingError.badRequest("the request body is empty; send the plan request as JSON")
        }
        let plan: PlanRequest
        do {
            plan = try PlanRequest(json: Data(buffer.readableBytesView))
        } catch {
            throw UserFacingError.badRequest(error.description)
        }
        let response = Response(status: .ok, body: .init(string: PlanCalculator.propose(plan).jsonText(currency: plan.currency)))
        response.headers.contentType = .json
        return response
    }
}
