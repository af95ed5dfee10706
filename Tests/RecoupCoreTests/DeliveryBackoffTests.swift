import Foundation
import Testing

@testable import RecoupCore

@Suite("Delivery backoff")
struct DeliveryBackoffTests {
    let now = Date(timeIntervalSince1970: 1_796_000_000)

    @Test("a minute, then twice as long each time, at most six hours, and none after the last attempt")
    func schedule() {
        let waits = (1...DeliveryBackoff.maximumAttempts).map { attempt in
            DeliveryBackoff.retry(afterAttempt: attempt, at: now).map { $0.timeIntervalSince(now).rounded() }
        }
        #expect(waits.prefix(5) == [60, 120, 240, 480, 960])
        #expect(waits[8] == 15_360)  // 256 minutes
        #expect(waits[9] == 21_600 && waits[10] == 21_600)
        #expect(waits.dropLast().allSatisfy { $0 != nil && $0! <= 6 * 3_600 })
        #expect(waits.last! == nil)
        #expect(DeliveryBackoff.retry(afterAttempt: 0, at: now) == nil)
        #expect(DeliveryBackoff.retry(afterAttempt: 1_000, at: now) == nil)
    }
}
