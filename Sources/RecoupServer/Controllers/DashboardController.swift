import RecoupCore
import RecoupStore
import SQLKit
import Vapor

/// The first page: the aging table as HTML.
struct DashboardController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: index)
    }

    struct BucketRow: Encodable {
        var label: String
        var count: Int
        var amount: String
        var share: Int  // percent of the total amount, for the bar
    }

    struct Context: Encodable {
        var title: String
        var asOf: String
        var currency: String
        var rows: [BucketRow]
        var totalCount: Int
        var totalAmount: String
        var clientRef: String?
        var message: String?
        var userEmail: String?
        var csrf: String?
    }

    @Sendable
    func index(request: Request) async throws -> View {
        var parameters: AgingParameters
        do {
            parameters = try AgingParameters(request: request)
        } catch {
            throw Abort(.badRequest, reason: "\(error)")
        }
        try parameters.limit(to: request.scope)
        let report = try await AgingQuery.report(
            asOf: parameters.asOf, clientRef: parameters.clientRef, currency: parameters.currency,
            on: request.db as! any SQLDatabase)
        let document = AgingReportDocument(report)
        let total = max(1, report.total.amount)
        let rows = report.buckets.map { bucket in
            BucketRow(
                label: Self.label(bucket.bucket), count: bucket.count,
                amount: Money.displayString(minorUnits: bucket.amount, currency: report.currency),
                share: Int((bucket.amount * 100) / total))
        }
        let context = Context(
            title: "Aging", asOf: document.asOf, currency: document.currency, rows: rows,
            totalCount: document.total.count,
            totalAmount: Money.displayString(minorUnits: report.total.amount, currency: report.currency), clientRef: parameters.clientRef,
            message: report.total.count == 0 ? "No open debts at the end of \(document.asOf)." : nil,
            userEmail: request.recoupUser?.email, csrf: request.csrfToken)
        return try await request.view.render("index", context)
    }

    static func label(_ bucket: AgingBucket) -> String {
        switch bucket {
        case .current: "Current (not past due)"
        case .days1To30: "1–30 days past due"
        case .days31To60: "31–60 days past due"
        case .days61To90: "61–90 days past due"
        case .days91Plus: "91+ days past due"
        }
    }
}
