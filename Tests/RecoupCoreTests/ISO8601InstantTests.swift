import Foundation
import RecoupCore
import Testing

@Suite("ISO 8601 instants")
struct ISO8601InstantTests {
    @Test(
        "instants with Z or an offset",
        arguments: [
            ("2026-04-08T16:00:00Z", 1_775_664_000.0), ("2026-04-06T23:59:59-04:00", 1_775_534_399.0),
            ("2026-04-08T16:00:00+02:00", 1_775_656_800.0), ("2026-04-08T16:00:00.250Z", 1_775_664_000.25),
            ("1970-01-01T00:00:00Z", 0), ("2024-02-29T12:00:00Z", 1_709_208_000),
        ])
    func parses(text: String, seconds: Double) throws {
        let instant = try #require(ISO8601Instant.parse(text))
        #expect(instant.timeIntervalSince1970 == seconds)
    }

    @Test(
        "anything else is refused",
        arguments: [
            "2026-04-08T16:00:00", "2026-04-08 16:00:00Z", "2026-02-30T10:00:00Z", "2026-04-08T24:00:00Z",
            "2026-04-08T16:00:00+0200", "2026-04-08T16:00Z", "yesterday", "", "2026-04-08T16:00:00.Z",
            "2026-04-08T16:00:00Zjunk",
        ])
    func refuses(text: String) {
        #expect(ISO8601Instant.parse(text) == nil)
    }

    @Test("formatting round-trips whole seconds in UTC")
    func formats() throws {
        let text = "2026-11-29T04:30:05Z"
        let instant = try #require(ISO8601Instant.parse(text))
        #expect(ISO8601Instant.format(instant) == text)
        #expect(ISO8601Instant.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
    }
}
