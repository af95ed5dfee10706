import Foundation
import FuzzerEntry

/// The fuzz targets, one per family of outside input; `FUZZ_TARGET` picks the one a run exercises.
enum FuzzTarget: String, CaseIterable {
    /// `JSONValue.parse` on arbitrary bytes.
    case json
    /// `ComplianceRequest(json:)` then `ComplianceEngine.decide`; `CompliancePolicy(json:)`.
    case compliance
    /// `AccrualTerms(json:currency:)` and `ClientTerms(json:)` (Codable), each written back both ways and read again.
    case termsJSON = "terms-json"
    /// `CSVParser` fed in two chunks, the first record as the header of either import layout, then every row.
    case csv
    /// `Money.parseMinorUnits` in currencies with 0, 2 and 3 minor digits, and the decimal-string round trip.
    case money
    /// `PlanCalculator.propose` on amounts, dates and terms decoded from raw bytes.
    case plan
    /// `LocalDate(iso:)`, `LocalDate(us:)`, `ISO8601Instant.parse`, `LocalTime(parsing:)` and their round trips.
    case dates
    /// Agreement templates (`AgreementTemplate(agreement:format:)` then render) and `MessageLint.check`.
    case text

    /// The target named by the environment; the process stops at once when it names none.
    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("set FUZZ_TARGET to one of: \(names)\n".utf8))
            exit(2)
        }
        return target
    }()

    func run(_ bytes: UnsafeRawBufferPointer) {
        switch self {
        case .json: fuzzJSON(bytes)
        case .compliance: fuzzCompliance(bytes)
        case .termsJSON: fuzzTermsJSON(bytes)
        case .csv: fuzzCSV(bytes)
        case .money: fuzzMoney(bytes)
        case .plan: fuzzPlan(bytes)
        case .dates: fuzzDates(bytes)
        case .text: fuzzText(bytes)
        }
    }
}

/// libFuzzer's entry point: one input, any bytes. A finding is a trap (overflow, bounds, precondition), an
/// address-sanitizer report, a `fuzzCheck` failure, a timeout or running out of memory.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    FuzzTarget.selected.run(UnsafeRawBufferPointer(start: start, count: count))
    return 0
}

/// Stops the process (a finding libFuzzer saves) when an invariant of a round trip does not hold.
func fuzzCheck(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() {
        FileHandle.standardError.write(Data("fuzz check failed: \(message())\n".utf8))
        abort()
    }
}

/// Reads values off the front of the input: a byte, an integer biased towards the edges of `Int64`, the rest.
struct ByteReader {
    private var bytes: UnsafeRawBufferPointer.SubSequence

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes[...] }

    var isEmpty: Bool { bytes.isEmpty }

    mutating func byte() -> UInt8 {
        guard let first = bytes.first else { return 0 }
        bytes = bytes.dropFirst()
        return first
    }

    /// `count` bytes as a little-endian unsigned integer (missing bytes read as zero).
    mutating func unsigned(_ count: Int) -> UInt64 {
        var value: UInt64 = 0
        for shift in 0..<count { value |= UInt64(byte()) << (8 * UInt64(shift)) }
        return value
    }

    /// Any `Int64`; a tag byte first makes values within 65,535 of `Int64.max`, `Int64.min` and zero as likely
    /// as the rest of the range.
    mutating func int64() -> Int64 {
        switch byte() % 4 {
        case 0: return Int64(bitPattern: unsigned(8))
        case 1: return Int64.max - Int64(unsigned(2))
        case 2: return Int64.min + Int64(unsigned(2))
        default: return Int64(Int16(bitPattern: UInt16(unsigned(2))))
        }
    }

    /// The bytes not read yet.
    mutating func rest() -> Data {
        defer { bytes = bytes[bytes.endIndex...] }
        return Data(bytes)
    }
}
