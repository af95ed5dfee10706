import Foundation
import RecoupCore
import RecoupStore
import Vapor

/// The daily runs (`/runs`) and one run's actions (`/runs/:id`), for staff; a client's staff see their client's runs.
struct RunsPage: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("runs", use: list)
        routes.get("runs", ":id", use: show)
    }

    struct RunRow: Encodable {
        var id: String
        var link: String
        var asOf: String
        var client: String
        var started: String
        var finished: String
        var processed: Int
        var created: Int
        var alreadyDone: Int
        var skipped: Int
        var blocked: Int
        var paused: Int
        var messages: Int
        /// "action: email 12, call 3 · rule: quiet-hours 2".
        var counts: [String]
    }

    struct ListContext: Encodable {
        var title = "Runs"
        var runs: [RunRow]
        var zone: String
    }

    struct ActionRow: Encodable {
        var debt: String
        var debtLink: String
        var client: String
        var step: String
        var action: String
        var status: String
        var segment: String
        var reason: String
        var message: String
    }

    struct BlockedRow: Encodable {
        var debt: String
        var debtLink: String
        var client: String
        var step: String
        var action: String
        var rules: String
        var reason: String
    }

    struct RunContext: Encodable {
        var title: String
        var run: RunRow
        var actions: [ActionRow]
        var blocked: [BlockedRow]
        var shownLimit: Int
    }

    @Sendable
    func list(request: Request) async throws -> View {
        let runs = try await RunStore.runs(scope: request.scope, limit: 100, on: request.db)
        let zone = request.application.settings.businessTimeZone
        return try await request.view.render(
            "runs", ListContext(runs: runs.map { Self.row($0, zone: zone) }, zone: zone.identifier))
    }

    @Sendable
    func show(request: Request) async throws -> View {
        guard let text = request.parameters.get("id"), let id = Int64(text), id > 0,
            let run = try await RunStore.run(id: id, scope: request.scope, on: request.db)
        else {
            throw Abort(.notFound, reason: "There is no run \(request.parameters.get("id") ?? "").")
        }
        let limit = 200
        let details = try await RunStore.details(runID: id, scope: request.scope, limit: limit, on: request.db)
        let zone = request.application.settings.businessTimeZone
        return try await request.view.render(
            "run",
            RunContext(
                title: "Run \(id) for \(TimeDisplay.date(run.asOf))", run: Self.row(run, zone: zone),
                actions: details.actions.map {
                    ActionRow(
                        debt: $0.debtRef, debtLink: "/debts/\($0.debtID)", client: $0.clientRef,
                        step: $0.step + ($0.occurrence > 0 ? " (repeat \($0.occurrence))" : ""),
                        action: $0.action.replacingOccurrences(of: "_", with: " "), status: $0.status,
                        segment: $0.segment ?? "", reason: $0.reason, message: $0.messageID.map { "#\($0)" } ?? "")
                },
                blocked: details.blocked.map {
                    BlockedRow(
                        debt: $0.debtRef, debtLink: "/debts/\($0.debtID)", client: $0.clientRef, step: $0.step,
                        action: $0.action.replacingOccurrences(of: "_", with: " "),
                        rules: $0.rules.joined(separator: ", "), reason: $0.reason)
                }, shownLimit: limit))
    }

    static func row(_ run: StoredRun, zone: TimeZone) -> RunRow {
        let display = TimeDisplay(debtorZone: zone, userZone: zone)
        return RunRow(
            id: String(run.id), link: "/runs/\(run.id)", asOf: TimeDisplay.date(run.asOf),
            client: run.clientRef ?? "all clients", started: display.instant(run.startedAt),
            finished: run.finishedAt.map(display.instant) ?? "not finished",
            processed: run.summary.processed, created: run.summary.created, alreadyDone: run.summary.alreadyDone,
            skipped: run.summary.skipped, blocked: run.summary.blocked, paused: run.summary.paused,
            messages: run.summary.messages,
            counts: run.summary.counts.sorted { $0.key < $1.key }.map { dimension, values in
                "\(Self.label(dimension)): "
                    + values.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
                    .map { "\($0.key.replacingOccurrences(of: "_", with: " ")) \($0.value)" }
                    .joined(separator: ", ")
            })
    }

    static func label(_ dimension: String) -> String {
        switch dimension {
        case "action": "By action"
        case "step": "By step"
        case "segment": "By segment"
        case "rule": "Blocked by rule"
        case "paused": "Waiting because"
        case "task": "Tasks"
        default: dimension
        }
    }
}
