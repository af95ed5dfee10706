extension Ledger {
    /// The principal charged on or before `date`: the sum of `.charge` entries (what percentage caps are of).
    func principalCharged(through date: LocalDate) -> Int64 {
        entries.reduce(0) { $1.kind == .charge && $1.effectiveDate <= date ? $0 + $1.amount : $0 }
    }

    /// The interest accrued so far: the sum of every `.interest` entry, whatever its date.
    var interestAccrued: Int64 {
        entries.reduce(0) { $1.kind == .interest ? $0 + $1.amount : $0 }
    }

    /// The fees charged so far: the sum of every `.fee` entry, whatever its date.
    var feesCharged: Int64 {
        entries.reduce(0) { $1.kind == .fee ? $0 + $1.amount : $0 }
    }

    /// True when an entry was posted with `key`.
    func hasEntry(key: String) -> Bool {
        entries.contains { $0.idempotencyKey == key }
    }
}
