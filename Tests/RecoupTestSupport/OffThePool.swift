import Foundation

/// Runs blocking work (waiting for a child process, reading its pipes) on a thread of its own and awaits it, so the
/// waiting test holds none of the few threads the cooperative pool has: on a two-core machine two tests blocked in
/// `waitUntilExit` would otherwise stall every other test's tasks, the live servers' handlers among them.
public func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        thread.start()
    }
}
