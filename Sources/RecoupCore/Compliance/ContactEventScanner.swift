import Foundation

/// Reads a stored contact event's JSON object without building a JSON tree: the quick path of `ContactEventCodec`,
/// which reads a debtor's whole history for every decision.
///
/// The objects the codec writes, and the bodies stored before it, are flat: strings, booleans, nulls and lists of
/// strings. The scanner accepts exactly those, and only when reading them is plain: a number, a nested object, an
/// escape in a string, a repeated member, a missing or unknown value, or anything the compliance request's reader
/// would refuse makes it answer nil, and the codec reads the text with that reader instead (which gives the same
/// value, or the error that names the field). Tests check that the two agree.
struct ContactEventScanner {
    /// A member's value, as a place in the text: strings are made only for the members an event's type reads.
    enum Value {
        case null
        case bool(Bool)
        /// The string's bytes, between the quotes (no escapes in them).
        case string(Range<Int>)
        /// A list of strings: the bytes from `[` to `]`, already checked.
        case strings(Range<Int>)
    }

    /// A member: its key's bytes (between the quotes) and its value.
    struct Member {
        var key: Range<Int>
        var value: Value
    }

    /// Objects with more members than this are left to the full reader.
    static let maximumMembers = 24

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    // MARK: Events

    /// The entry `details` describes for an event of type `type`, or nil when the full reader must read it.
    static func entry(type: String, at: Date, debtIDs: [String]?, details: String) -> ContactLogEntry? {
        var text = details
        return text.withUTF8 { utf8 -> ContactLogEntry? in
            withUnsafeTemporaryAllocation(of: Member.self, capacity: maximumMembers) { storage -> ContactLogEntry? in
                var scanner = ContactEventScanner(utf8)
                guard let count = scanner.object(into: storage) else { return nil }
                let members = UnsafeBufferPointer(rebasing: storage[0..<count])
                defer { storage.baseAddress!.deinitialize(count: count) }
                return scanner.entry(type: type, at: at, debtIDs: debtIDs, members: members)
            }
        }
    }

    /// The debt references of a `debt_ids` column (a JSON array of strings; empty names none), or nil when the full
    /// reader must read it. The outer optional is the answer's; the inner one is "no debt in particular".
    static func debtIDs(_ text: String) -> [String]?? {
        var text = text
        return text.withUTF8 { utf8 -> [String]?? in
            var scanner = ContactEventScanner(utf8)
            scanner.skipSpace()
            guard case .strings(let range)? = scanner.value(), scanner.atEnd() else { return nil }
            let ids = scanner.strings(in: range)
            return .some(ids.isEmpty ? nil : ids)
        }
    }

    private func entry(
        type: String, at: Date, debtIDs: [String]?, members: UnsafeBufferPointer<Member>
    )
        -> ContactLogEntry?
    {
        // A member that is absent or null reads as absent, as in the request's reader; any other value must have the
        // member's type.
        func value(_ key: StaticString) -> Value? {
            for member in members where equals(member.key, key) {
                if case .null = member.value { return nil }
                return member.value
            }
            return nil
        }
        /// The member read by `read`: absent (`.some(nil)`), read, or nil when it is not a string `read` accepts.
        func parsed<T>(_ key: StaticString, _ read: (String) -> T?) -> T?? {
            switch value(key) {
            case nil: return .some(nil)
            case .string(let range)?:
                guard let result = read(text(range)) else { return nil }
                return .some(result)
            default: return nil
            }
        }
        func string(_ key: StaticString) -> String?? { parsed(key) { $0 } }
        func enumeration<E: RawRepresentable>(_ key: StaticString) -> E?? where E.RawValue == String {
            parsed(key, E.init(rawValue:))
        }
        func required<E: RawRepresentable>(_ key: StaticString) -> E? where E.RawValue == String {
            guard let value: E? = enumeration(key) else { return nil }
            return value
        }
        func bool(_ key: StaticString) -> Bool?? {
            switch value(key) {
            case nil: .some(nil)
            case .bool(let flag)?: .some(flag)
            default: nil
            }
        }

        let kind: ContactEvent.Kind
        switch type {
        case "call":
            guard let direction: ContactDirection? = enumeration("direction"), let to = string("to"),
                let outcome: CallOutcome = required("outcome"), let left = bool("messageLeft")
            else { return nil }
            kind = .call(direction: direction ?? .outbound, to: to, outcome: outcome, messageLeft: left ?? false)
        case "sms", "email":
            guard let direction: ContactDirection? = enumeration("direction"), let to = string("to") else { return nil }
            kind =
                type == "sms"
                ? .sms(direction: direction ?? .outbound, to: to) : .email(direction: direction ?? .outbound, to: to)
        case "consent":
            guard let until = parsed("until", ISO8601Instant.parse) else { return nil }
            kind = .consent(until: until)
        case "opt_out":
            guard let channel: ContactChannel = required("channel"), let address = string("address") else { return nil }
            kind = .optOut(channel: channel, address: address)
        case "inconvenient":
            var weekdays = Set<Int>()
            switch value("weekdays") {
            case nil: break
            case .strings(let range)?:
                for name in strings(in: range) {
                    guard let day = ContactEventCodec.weekdayNames.firstIndex(of: String(name.lowercased().prefix(3)))
                    else { return nil }
                    weekdays.insert(day + 1)
                }
            default: return nil
            }
            guard let from = parsed("from", LocalTime.init(parsing:)), let to = parsed("to", LocalTime.init(parsing:)),
                let until = parsed("until", { try? LocalDate(iso: $0) })
            else { return nil }
            kind = .inconvenient(weekdays: weekdays, from: from, to: to, until: until)
        case "inconvenient_place":
            guard let place: ContactPlace = required("place") else { return nil }
            kind = .inconvenientPlace(place)
        default:
            guard let fieldless = ContactEvent.Kind(fieldless: type) else { return nil }
            kind = fieldless
        }
        guard let purpose: ContactPurpose? = enumeration("purpose"), let note = string("note") else { return nil }
        return ContactLogEntry(ContactEvent(kind, at: at, debtIDs: debtIDs), purpose: purpose, note: note)
    }

    // MARK: Scanning

    /// Scans a whole flat object, with nothing after it but white space, into `storage`; the number of members, or
    /// nil for anything else (then no member is left initialized).
    private mutating func object(into storage: UnsafeMutableBufferPointer<Member>) -> Int? {
        var count = 0
        let scanned: Bool = {
            skipSpace()
            guard take(UInt8(ascii: "{")) else { return false }
            skipSpace()
            if take(UInt8(ascii: "}")) { return atEnd() }
            while true {
                skipSpace()
                guard let key = stringRange(), count < storage.count else { return false }
                // A repeated member is refused by the full reader: leave it to say so.
                for other in storage[0..<count] where equals(other.key, key) { return false }
                skipSpace()
                guard take(UInt8(ascii: ":")) else { return false }
                skipSpace()
                guard let value = value() else { return false }
                (storage.baseAddress! + count).initialize(to: Member(key: key, value: value))
                count += 1
                skipSpace()
                if take(UInt8(ascii: ",")) { continue }
                guard take(UInt8(ascii: "}")) else { return false }
                return atEnd()
            }
        }()
        guard scanned else {
            storage.baseAddress!.deinitialize(count: count)
            return nil
        }
        return count
    }

    private mutating func value() -> Value? {
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "\""): return stringRange().map(Value.string)
        case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
        case UInt8(ascii: "n"): return literal("null") ? .null : nil
        case UInt8(ascii: "["):
            let start = index
            index += 1
            skipSpace()
            if take(UInt8(ascii: "]")) { return .strings(start..<index) }
            while true {
                skipSpace()
                guard stringRange() != nil else { return nil }
                skipSpace()
                if take(UInt8(ascii: ",")) { continue }
                return take(UInt8(ascii: "]")) ? .strings(start..<index) : nil
            }
        default: return nil
        }
    }

    /// The bytes of a string without escapes or control characters, between its quotes; nil otherwise (the full
    /// reader decodes escapes).
    private mutating func stringRange() -> Range<Int>? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return start..<(index - 1)
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            index += 1
        }
        return nil
    }

    private func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// The strings of a list `value` already checked.
    private func strings(in range: Range<Int>) -> [String] {
        var scanner = ContactEventScanner(bytes)
        scanner.index = range.lowerBound + 1
        var items: [String] = []
        while true {
            scanner.skipSpace()
            guard let item = scanner.stringRange() else { return items }
            items.append(text(item))
            scanner.skipSpace()
            _ = scanner.take(UInt8(ascii: ","))
        }
    }

    private func equals(_ range: Range<Int>, _ key: StaticString) -> Bool {
        guard range.count == key.utf8CodeUnitCount else { return false }
        return memcmp(bytes.baseAddress! + range.lowerBound, key.utf8Start, range.count) == 0
    }

    private func equals(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
        guard a.count == b.count else { return false }
        return memcmp(bytes.baseAddress! + a.lowerBound, bytes.baseAddress! + b.lowerBound, a.count) == 0
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count, memcmp(bytes.baseAddress! + index, word.utf8Start, count) == 0 else {
            return false
        }
        index += count
        return true
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func atEnd() -> Bool {
        skipSpace()
        return index == bytes.count
    }
}
