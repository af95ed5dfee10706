import Foundation
import RecoupCore
import RecoupStore
import Vapor

/// A debt list's filter and one debt by id, read the same way for the API and the pages: every read goes through
/// the user's client scope, so another client's debt answers 404 exactly as a missing one.
enum DebtLookup {
    /// The list's query values as sent (nil or empty when not given).
    struct Query {
        var limit: String?
        var cursor: String?
        var status: String?
        var client: String?
        var bucket: String?
        var segment: String?
        var q: String?
        var before: String? = nil
        var sort: String? = nil
        var direction: String? = nil
        var debtor: String? = nil
    }

    /// The filter from the page's or the API's query string.
    static func filter(_ request: Request) throws -> DebtFilter {
        try filter(
            Query(
                limit: request.query[String.self, at: "limit"], cursor: request.query[String.self, at: "cursor"],
                status: request.query[String.self, at: "status"], client: request.query[String.self, at: "client"],
                bucket: request.query[String.self, at: "bucket"], segment: request.query[String.self, at: "segment"],
                q: request.query[String.self, at: "q"], before: request.query[String.self, at: "before"],
                sort: request.query[String.self, at: "sort"], direction: request.query[String.self, at: "dir"],
                debtor: request.query[String.self, at: "debtor"]),
            request: request)
    }

    static func filter(_ query: Query, request: Request) throws -> DebtFilter {
        // Percent-escapes that do not spell UTF-8 text decode to no value at all: refuse them rather than drop the
        // search and list everything.
        if let text = request.url.query, text.removingPercentEncoding == nil {
            throw UserFacingError.badRequest("the query string is not valid UTF-8 text once its %-escapes are decoded")
        }
        var filter = DebtFilter(today: request.application.settings.today)
        if let limit = query.limit {
            guard let value = Int(limit), (1...500).contains(value) else {
                throw UserFacingError.badRequest("limit is \"\(limit)\"; use 1 to 500")
            }
            filter.limit = value
        }
        if let cursor = query.cursor, !cursor.isEmpty {
            guard let value = Int64(cursor), value >= 0 else {
                throw UserFacingError.badRequest("cursor is \"\(cursor)\"; use the next value of the previous page")
            }
            filter.after = value
        }
        if let before = query.before, !before.isEmpty {
            guard let value = Int64(before), value >= 0 else {
                throw UserFacingError.badRequest("before is \"\(before)\"; use the previous value of the next page")
            }
            guard filter.after == nil else {
                throw UserFacingError.badRequest("cursor and before are both given; use one of them")
            }
            filter.before = value
        }
        if let sort = query.sort, !sort.isEmpty {
            guard let value = DebtSort(rawValue: sort) else {
                throw UserFacingError.badRequest("sort is \"\(sort)\"; use added, balance, days, contact or ref")
            }
            filter.sort = value
        }
        if let direction = query.direction, !direction.isEmpty {
            guard direction == "asc" || direction == "desc" else {
                throw UserFacingError.badRequest("dir is \"\(direction)\"; use asc or desc")
            }
            filter.descending = direction == "desc"
        }
        if let debtor = query.debtor, !debtor.isEmpty {
            filter.debtorRef = debtor
        }
        if let status = query.status, !status.isEmpty {
            guard status == "open" || status == "closed" else {
                throw UserFacingError.badRequest("status is \"\(status)\"; use open or closed")
            }
            filter.status = status
        }
        if let client = query.client, !client.isEmpty {
            try request.requireClient(client)
            filter.clientRef = client
        }
        if let bucket = query.bucket, !bucket.isEmpty {
            guard let value = AgingBucket(rawValue: bucket) else {
                throw UserFacingError.badRequest("bucket is \"\(bucket)\"; use current, 1-30, 31-60, 61-90 or 91+")
            }
            filter.bucket = value
        }
        if let segment = query.segment, !segment.isEmpty {
            guard let value = Segment(rawValue: segment) else {
                throw UserFacingError.badRequest(
                    "segment is \"\(segment)\"; use hardship, avoider, new, disputed or unreachable")
            }
            filter.segment = value
        }
        filter.search = query.q
        return filter
    }

    /// The debt named by the route's `:id`.
    static func debt(_ request: Request) async throws -> DebtSummary {
        try await debt(try request.requiredParameter("id"), request: request)
    }

    /// The debt with this id, if the user may see it; 404 otherwise.
    static func debt(_ key: String, request: Request) async throws -> DebtSummary {
        guard let id = Int64(key), let debt = try await DebtQueries.debt(id: id, scope: request.scope, on: request.db)
        else {
            throw UserFacingError.notFound("there is no debt \(key)")
        }
        return debt
    }
}

extension Request {
    /// The segments of `debts` today, worked out from what is stored now.
    func segments(of debts: [DebtSummary]) async throws -> [Int64: SegmentDecision] {
        let settings = application.settings
        return try await SegmentStore.decisions(
            for: debts, asOf: settings.today, zone: settings.businessTimeZone, on: db)
    }

    /// A route parameter (`:token`, `:id`); a 400 naming it when the route has none.
    func requiredParameter(_ name: String) throws -> String {
        guard let value = parameters.get(name) else { throw UserFacingError.badRequest("\(name) is missing") }
        return value
    }
}
