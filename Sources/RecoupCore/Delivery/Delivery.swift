import Foundation

/// What a delivery service answered for one message.
public enum DeliveryOutcome: Hashable, Sendable {
    /// Accepted: the mail server queued it, the text provider took it, the letter's file was written. `reference` is
    /// what the service calls it (a queue id, a file name).
    case sent(reference: String?)
    /// Not now: the service was unavailable or answered with a temporary error (SMTP 4xx, HTTP 429 or 5xx). Tried
    /// again later.
    case temporaryFailure(String)
    /// Never: the service refused it for good (SMTP 5xx, an unknown number). `answer` is the service's own words.
    case permanentFailure(String)
}

/// When a message whose delivery failed for now is tried again: a minute after the first attempt, then twice as long
/// each time (2, 4, 8 … minutes), never more than six hours apart (about 20 hours in all); after `maximumAttempts`
/// attempts it has failed for good. Pure: the caller gives `now`.
public enum DeliveryBackoff {
    /// The attempts a message gets before a temporary failure counts as final.
    public static let maximumAttempts = 12
    /// The first wait, and the longest.
    public static let firstDelay: TimeInterval = 60
    public static let longestDelay: TimeInterval = 6 * 3_600

    /// The instant of the next attempt after attempt number `attempt` (1 for the first) failed at `now`; nil when
    /// that was the last attempt.
    public static func retry(afterAttempt attempt: Int, at now: Date) -> Date? {
        guard attempt >= 1, attempt < maximumAttempts else { return nil }
        let doublings = min(attempt - 1, 20)
        let delay = min(firstDelay * Double(1 << doublings), longestDelay)
        return now.addingTimeInterval(delay)
    }
}
