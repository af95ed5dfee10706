import Foundation
import Testing

@testable import RecoupCore

/// Inputs the fuzzer (`bash Benchmarks/fuzz.sh`, docs/fuzzing.md) found crashing, hanging or exhausting memory,
/// minimized; each trapped before its fix.
@Suite("Fuzz findings")
struct FuzzFindingsTests {
    /// `LocalDate(us:)` (the IBM import's dates) multiplied every digit into an `Int`, so a long enough run of
    /// digits in any part overflowed and trapped; the first is the fuzzer's minimized input.
    @Test(
        "a US date with a run of digits too long for an Int is malformed",
        arguments: [
            "9999999996999999996", "99999999999999999999/1/2013", "1/99999999999999999999/2013",
            "1/2/99999999999999999999",
        ])
    func longUSDate(text: String) {
        #expect(throws: DateError.malformed(text, expected: "M/D/YYYY")) { try LocalDate(us: text) }
    }
}
