import Foundation
import RecoupCore

/// The first byte picks the import format and where the input is split into two chunks; the rest is the file.
///
/// The records must not depend on where the file is split (the importer streams it in 64 KiB chunks). The first
/// record is the header; when a layout accepts it, every later record is validated as a row, and the records that
/// pass become ledger entries and a balance, as an import does.
func fuzzCSV(_ bytes: UnsafeRawBufferPointer) {
    var reader = ByteReader(bytes)
    let control = reader.byte()
    let format: ImportFormat = control & 1 == 0 ? .recoup : .ibmAR
    let currency = moneyCurrencies[Int(control >> 1) % moneyCurrencies.count]
    let file = reader.rest()
    let split = file.isEmpty ? 0 : Int(control >> 3) * file.count / 32

    let whole = records(of: file, splitAt: nil)
    let chunked = records(of: file, splitAt: split)
    fuzzCheck(whole == chunked, "CSV records depend on the chunk boundary at \(split)")
    guard case .success(let records)? = whole, let header = records.first,
        let layout = try? format.layout(header: header.fields, defaultCurrency: currency)
    else { return }
    for record in records.dropFirst() {
        guard let debt = try? layout.record(fields: record.fields, line: record.line) else { continue }
        let ledger = Ledger(currency: debt.currency, entries: debt.ledgerEntries())
        _ = ledger.balance.total
        _ = ledger.balance(asOf: debt.dueDate)
    }
}

private enum CSVOutcome: Equatable {
    case success([CSVRecord])
    case failure(String)
}

/// The records of `file` fed as one chunk or as two split at `split`; nil for a split that is out of range.
private func records(of file: Data, splitAt split: Int?) -> CSVOutcome? {
    var parser = CSVParser()
    var records: [CSVRecord] = []
    do {
        try file.withUnsafeBytes { buffer in
            if let split, split > 0, split < buffer.count {
                try parser.feed(UnsafeRawBufferPointer(rebasing: buffer[..<split])) { records.append($0) }
                try parser.feed(UnsafeRawBufferPointer(rebasing: buffer[split...])) { records.append($0) }
            } else {
                try parser.feed(buffer) { records.append($0) }
            }
        }
        try parser.finish { records.append($0) }
    } catch {
        return .failure("\(error)")
    }
    return .success(records)
}
