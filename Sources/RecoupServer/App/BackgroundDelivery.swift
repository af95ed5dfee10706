import FluentKit
import Foundation
import Logging
import RecoupCore
import RecoupStore
import Vapor

/// `recoup serve` delivering the outbox while it serves (docs/messages.md, "Delivery"): every `interval` it does what
/// `recoup outbox send` does, so that one process does everything. A round that fails is logged and the next one
/// tries again; nothing it meets stops the server.
struct BackgroundDelivery: Sendable {
    /// The environment variable that sets the interval in seconds (0 turns it off).
    static let environmentKey = "RECOUP_DELIVER_EVERY"

    let interval: Duration
    let transports: [any MessageTransport]
    /// The most messages a round takes.
    var limit = 1_000

    /// Reads `--deliver-every` or `RECOUP_DELIVER_EVERY` (seconds, default 60; 0 is never): nil when off.
    static func interval(option: String?, environment: [String: String]) throws -> Duration? {
        let source = option == nil ? environmentKey : "--deliver-every"
        guard let text = option ?? environment[environmentKey], !text.trimmingCharacters(in: .whitespaces).isEmpty
        else { return .seconds(60) }
        guard let seconds = Int(text.trimmingCharacters(in: .whitespaces)), (0...86_400).contains(seconds) else {
            throw InputError("\(source) is \"\(text)\"; give whole seconds from 0 (never) to 86400")
        }
        return seconds == 0 ? nil : .seconds(seconds)
    }

    /// Delivers until the task is cancelled, waiting `interval` before each round.
    func run(on database: any Database, logger: Logger) async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            do {
                let summary = try await OutboxDelivery.send(
                    transports: transports, limit: limit, now: Date(), by: "serve", on: database)
                if summary.sent + summary.deferred + summary.failed + summary.cancelled > 0 {
                    logger.info(
                        "outbox delivered",
                        metadata: [
                            "sent": "\(summary.sent)", "deferred": "\(summary.deferred)",
                            "failed": "\(summary.failed)", "cancelled": "\(summary.cancelled)",
                        ])
                }
            } catch {
                logger.error("outbox delivery failed; trying again next round", metadata: ["error": "\(error)"])
            }
        }
    }
}
