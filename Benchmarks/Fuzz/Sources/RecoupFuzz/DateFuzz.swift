import Foundation
import RecoupCore

/// The input as a date, a US date, an instant, a time of day and a zone name; what reads must write back and read
/// again the same. Then raw bytes as a day number and a count of months and days to add.
func fuzzDates(_ bytes: UnsafeRawBufferPointer) {
    let text = String(decoding: bytes, as: UTF8.self)
    if let date = try? LocalDate(iso: text) {
        fuzzCheck((try? LocalDate(iso: date.isoString)) == date, "LocalDate(iso:) round trip of \(text)")
    }
    if let date = try? LocalDate(us: text) {
        let (year, month, day) = date.components
        let yearText = String(year)  // 1…9999, written with four digits
        let written = "\(month)/\(day)/" + String(repeating: "0", count: 4 - yearText.count) + yearText
        fuzzCheck((try? LocalDate(us: written)) == date, "LocalDate(us:) round trip of \(text) → \(written)")
    }
    if let instant = ISO8601Instant.parse(text) {
        let written = ISO8601Instant.format(instant)
        let again = ISO8601Instant.parse(written)
        let whole = Date(timeIntervalSince1970: instant.timeIntervalSince1970.rounded(.down))
        fuzzCheck(again == whole, "ISO8601Instant round trip of \(text) → \(written)")
        _ = LocalDate(instant, in: TimeZone(identifier: "America/New_York")!)
    }
    if let time = LocalTime(parsing: text) {
        fuzzCheck(LocalTime(parsing: time.description) == time, "LocalTime round trip of \(text)")
    }
    if text.utf8.count < 64, let zone = try? TimeZone.named(text) {
        _ = LocalDate(Date(timeIntervalSince1970: 1_800_000_000), in: zone)
    }

    var reader = ByteReader(bytes)
    let date = readableDate(&reader)
    let (year, month, day) = date.components
    fuzzCheck(
        (try? LocalDate(year: year, month: month, day: day)) == date, "civil round trip of \(date.daysSinceEpoch)")
    // A plan runs at most 1,040 installments (20 years weekly, 86 years monthly).
    let months = Int(Int16(bitPattern: UInt16(reader.unsigned(2))))
    let later = date.adding(months: months)
    _ = later.isoString
    _ = date.adding(days: months * 14).isoWeekday
    _ = date.endOfMonth
}
