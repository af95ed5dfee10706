import Foundation
import RecoupAPI
import RecoupCore
import RecoupStore
import Vapor

// The daily runs recorded.
extension RecoupAPIHandlers {
    /// Through the user's scope: a client's staff see the runs made for their client only.
    func listRuns(_ input: Operations.ListRuns.Input) async throws -> Operations.ListRuns.Output {
        let request = try APIContext.current()
        let limit = input.query.limit ?? 50
        guard (1...500).contains(limit) else { throw InputError("limit is \(limit); use 1 to 500") }
        var before: Int64? = nil
        if let text = APIInput.nonEmpty(input.query.before) {
            guard let value = Int64(text), value > 0 else {
                throw InputError("before is \"\(text)\"; use the next value of the previous page")
            }
            before = value
        }
        let runs = try await RunStore.runs(scope: request.scope, limit: limit + 1, before: before, on: request.db)
        let page = Array(runs.prefix(limit))
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: page.map(Components.Schemas.RunRecord.init),
                        next: Nullable(runs.count > limit ? page.last.map { String($0.id) } : nil)))))
    }
}

extension Components.Schemas.RunRecord {
    init(_ run: StoredRun) {
        self.init(
            runId: String(run.id), asOf: run.asOf.isoString, client: Nullable(run.clientRef),
            startedAt: run.startedAt,
            finishedAt: Nullable(run.finishedAt.map(ISO8601Instant.format)), startedBy: Nullable(run.startedBy),
            processed: run.summary.processed, created: run.summary.created, alreadyDone: run.summary.alreadyDone,
            skipped: run.summary.skipped, blocked: run.summary.blocked, paused: run.summary.paused,
            messages: run.summary.messages,
            counts: .init(additionalProperties: run.summary.counts.mapValues { .init(additionalProperties: $0) }))
    }
}
