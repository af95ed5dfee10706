#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// A small, strict RFC 8259 JSON parser that produces plain Swift values.
//
// Foundation's `JSONSerialization` on Linux builds `NSDictionary`/`NSNumber` trees and spends most of its time
// bridging; this parser reads the UTF-8 bytes directly by recursive descent and only allocates for the arrays,
// objects and long strings it returns. `Data` is the only Foundation type it touches, and only as input.

/// A parsed JSON document or part of one.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    /// A number, kept as its literal text so integers of any size and decimals stay exact.
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

/// A JSON number as written in the document, e.g. `-0`, `12.5e-3`, `9223372036854775808`.
///
/// Equality is by text: `1`, `1.0` and `1e0` are different numbers here, as they are different literals.
public struct JSONNumber: Hashable, Sendable {
    /// The literal, which always matches the RFC 8259 number grammar.
    public let text: String

    /// Wraps text already known to match the number grammar.
    init(unchecked text: String) {
        self.text = text
    }

    /// The number `value`, written in decimal.
    public init(_ value: Int) {
        self.text = String(value)
    }

    /// `text` as a JSON number, or `nil` if it is not exactly a JSON number literal (no sign `+`, leading zeros,
    /// surrounding spaces, `NaN` and so on).
    public init?(_ text: String) {
        var text = text
        let valid = text.withUTF8 { utf8 in
            guard let base = utf8.baseAddress, !utf8.isEmpty else { return false }
            var parser = JSONParser(base: base, count: utf8.count)
            guard (try? parser.scanNumber()) != nil else { return false }
            return parser.index == utf8.count
        }
        guard valid else { return nil }
        self.text = text
    }

    /// The value if the literal is an integer — no fraction, no exponent — that fits in `Int`; otherwise `nil`.
    ///
    /// `12` gives 12; `12.0`, `1e2` and `9223372036854775808` give `nil`.
    public var int: Int? {
        // The grammar leaves only an optional '-' and digits once '.', 'e' and 'E' are ruled out,
        // which is exactly what `Int.init(_:)` accepts; it returns nil on overflow.
        guard !text.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") }) else {
            return nil
        }
        return Int(text)
    }

    /// The nearest `Double`, or `nil` if the magnitude is too large to be finite. Inexact for most decimals.
    public var double: Double? {
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }
}

/// A JSON object: its members in document order, with lookup by key.
///
/// Keys are unique — the parser rejects a document that repeats one. Two objects are equal when they have the same
/// keys with equal values, in any order, as RFC 8259 treats objects as unordered.
public struct JSONObject: Hashable, Sendable {
    /// The keys, shared by all the objects of a document that have the same keys in the same order.
    let keyList: JSONKeyList
    /// Values in document order; `values[i]` belongs to `keys[i]`.
    public let values: [JSONValue]

    /// Objects up to this size are searched linearly, which beats hashing for so few keys.
    static let linearScanLimit = 16

    /// Keys in document order.
    public var keys: [String] { keyList.keys }

    /// Members in document order.
    public var members: [(key: String, value: JSONValue)] {
        Array(zip(keys, values).lazy.map { (key: $0, value: $1) })
    }

    public var count: Int { values.count }
    public var isEmpty: Bool { values.isEmpty }

    init(keyList: JSONKeyList, values: [JSONValue]) {
        self.keyList = keyList
        self.values = values
    }

    /// An object with these members, in this order. Traps if a key repeats, like `Dictionary(uniqueKeysWithValues:)`.
    public init(uniqueKeysWithValues members: some Sequence<(String, JSONValue)>) {
        var keys: [String] = []
        var values: [JSONValue] = []
        for (key, value) in members {
            keys.append(key)
            values.append(value)
        }
        var index: [String: Int]?
        if keys.count > Self.linearScanLimit {
            index = Dictionary(keys.enumerated().map { ($1, $0) }) { _, _ in
                preconditionFailure("JSONObject(uniqueKeysWithValues:) was given a duplicate key")
            }
        } else {
            for position in keys.indices.dropFirst() {
                precondition(
                    !keys[..<position].contains(keys[position]),
                    "JSONObject(uniqueKeysWithValues:) was given duplicate key \"\(keys[position])\"")
            }
        }
        self.init(keyList: JSONKeyList(keys: keys, index: index), values: values)
    }

    /// The value for `key`, or `nil` if the object has no such member.
    public subscript(key: String) -> JSONValue? {
        keyList.position(of: key).map { values[$0] }
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.keyList === rhs.keyList || lhs.keys == rhs.keys { return lhs.values == rhs.values }
        let keys = lhs.keys
        for position in keys.indices {
            guard let other = rhs[keys[position]], other == lhs.values[position] else { return false }
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        // Order-independent, to agree with `==`: combine each member's own hash commutatively, as `Set` does.
        var members = 0
        let keys = self.keys
        for position in keys.indices {
            var memberHasher = Hasher()
            memberHasher.combine(keys[position])
            memberHasher.combine(values[position])
            members ^= memberHasher.finalize()
        }
        hasher.combine(keys.count)
        hasher.combine(members)
    }
}

/// The keys of an object in order, with a lookup index if there are many. Immutable, and shared by the objects of a
/// document that have the same keys in the same order, such as the records of an array; which also keeps
/// `JSONObject`, and so `JSONValue`, small.
final class JSONKeyList: Sendable {
    let keys: [String]
    /// Key → position, only for lists longer than `JSONObject.linearScanLimit`.
    let index: [String: Int]?

    static let empty = JSONKeyList(keys: [], index: nil)

    init(keys: [String], index: [String: Int]?) {
        self.keys = keys
        self.index = index
    }

    func position(of key: String) -> Int? {
        if let index { return index[key] }
        return keys.firstIndex(of: key)
    }
}

/// Why a document is not valid JSON, and where.
public struct JSONParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Zero-based byte offset into the input of the first byte that could not be accepted.
    public let offset: Int
    /// What is wrong, e.g. `unexpected character '}'` or `duplicate key "id"`.
    public let problem: String

    static let emptyProblem = "is empty"

    init(offset: Int, problem: String) {
        self.offset = offset
        self.problem = problem
    }

    /// A phrase to follow the name of what was parsed, e.g.
    /// "is not valid JSON: unexpected character '}' at byte 17", or "is empty".
    public var description: String {
        problem == Self.emptyProblem ? problem : "is not valid JSON: \(problem) at byte \(offset)"
    }
}

extension JSONValue {
    /// The deepest nesting of arrays and objects accepted; deeper documents are refused rather than risk the stack.
    public static let maximumDepth = 512

    /// Parses `data` as one JSON value (any kind, not only an object or array) with optional surrounding whitespace.
    public static func parse(_ data: Data) throws(JSONParseError) -> JSONValue {
        let result = data.withUnsafeBytes { bytes in
            Result { () throws(JSONParseError) in try parse(bytes) }
        }
        return try result.get()
    }

    /// Parses UTF-8 `bytes` as one JSON value (any kind, not only an object or array) with optional surrounding
    /// whitespace.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONParseError) -> JSONValue {
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            throw JSONParseError(offset: 0, problem: JSONParseError.emptyProblem)
        }
        var parser = JSONParser(base: base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        return try parser.parseDocument()
    }

    public var stringValue: String? {
        if case .string(let value) = self { value } else { nil }
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { value } else { nil }
    }

    public var numberValue: JSONNumber? {
        if case .number(let value) = self { value } else { nil }
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { value } else { nil }
    }

    public var objectValue: JSONObject? {
        if case .object(let value) = self { value } else { nil }
    }

    public var isNull: Bool {
        if case .null = self { true } else { false }
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(uniqueKeysWithValues: elements))
    }
}

// MARK: - Parser

/// Recursive descent over a contiguous UTF-8 buffer. `index` always points at the next unread byte.
///
/// Three things keep it fast, all scoped to one parse:
/// - Containers collect their elements on shared stacks and move them into an array of exactly the right size when
///   they close: one allocation per array, instead of a series as it grows.
/// - Member names are made into `String`s once per distinct name (`keyCache`), not once per object.
/// - Key lists are remembered by their first key (`shapes`). Objects in an array usually have the same keys in the
///   same order; when an object's keys match, byte for byte, a list seen before, it shares that list, and needs
///   neither new strings for its keys nor a duplicate check (the list is known to have none).
private struct JSONParser: ~Copyable {
    private let bytes: UnsafePointer<UInt8>
    private let count: Int
    private(set) var index = 0
    private var depth = 0
    /// Reused buffer for decoding strings that contain escapes.
    private var scratch = ByteBuffer()
    /// Elements of the arrays and values of the objects still open, innermost last.
    private var valueStack = MoveStack<JSONValue>()
    /// Keys of the objects still open, innermost last, each with its `KeyBytes`.
    private var keyStack = MoveStack<String>()
    private var keyBytesStack = MoveStack<KeyBytes>()
    private var keyCache = KeyCache()
    /// Key lists of objects closed earlier, by the fingerprint of their first key; empty until the first object.
    private var shapes: [ObjectShape?] = []
    private static let shapeSlotBits = 5
    private static let shapeSlots = 1 << shapeSlotBits

    init(base: UnsafePointer<UInt8>, count: Int) {
        self.bytes = base
        self.count = count
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        let value = try parseValue()
        skipWhitespace()
        guard index == count else {
            throw JSONParseError(offset: index, problem: "\(describe(bytes[index])) after the JSON value")
        }
        return value
    }

    // MARK: Values

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        guard index < count else { throw endOfInput() }
        switch bytes[index] {
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = index
            try scanNumber()
            return .number(JSONNumber(unchecked: makeString(from: start, to: index)))
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        default:
            throw unexpectedByte()
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let utf8 = literal.utf8Start
        for offset in 0..<literal.utf8CodeUnitCount {
            guard index < count else { throw endOfInput() }
            guard bytes[index] == utf8[offset] else { throw unexpectedByte() }
            index += 1
        }
    }

    private mutating func enterContainer() throws(JSONParseError) {
        depth += 1
        guard depth <= JSONValue.maximumDepth else {
            throw JSONParseError(offset: index, problem: "nesting deeper than \(JSONValue.maximumDepth) levels")
        }
        index += 1
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        defer { depth -= 1 }
        skipWhitespace()
        if index < count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array([])
        }
        let base = valueStack.count
        while true {
            valueStack.push(try parseValue())
            skipWhitespace()
            guard index < count else { throw endOfInput() }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "]"):
                index += 1
                return .array(valueStack.popArray(from: base))
            default:
                throw unexpectedByte()
            }
        }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        defer { depth -= 1 }
        skipWhitespace()
        if index < count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(JSONObject(keyList: .empty, values: []))
        }
        if shapes.isEmpty { shapes = Array(repeating: nil, count: Self.shapeSlots) }
        var keys = KeyCollector(base: keyStack.count)
        let valueBase = valueStack.count
        // The shape chosen by the first key. While `following`, the keys so far are its first `matched` keys and
        // have not been pushed; at the first difference they are, and keys are checked one by one from then on.
        var shape: ObjectShape?
        var shapeSlot = -1
        var following = false
        var matched = 0
        var memberCount = 0
        while true {
            skipWhitespace()
            guard index < count else { throw endOfInput() }
            guard bytes[index] == UInt8(ascii: "\"") else { throw unexpectedByte() }
            let keyOffset = index
            var key = try scanKey()
            if memberCount == 0, key.bytes.fingerprint != 0 {
                shapeSlot = Int(truncatingIfNeeded: key.bytes.fingerprint >> (64 - Self.shapeSlotBits))
                shape = shapes[shapeSlot]
                following = shape != nil
            }
            if following, matched < shape!.keys.count, keyMatches(&key, shape!, at: matched) {
                matched += 1
            } else {
                if following {
                    following = false
                    try pushShapeKeys(shape!, count: matched, to: &keys, at: keyOffset)
                }
                try addKey(keyString(&key), bytes: key.bytes, to: &keys, at: keyOffset)
            }
            memberCount += 1
            skipWhitespace()
            guard index < count else { throw endOfInput() }
            guard bytes[index] == UInt8(ascii: ":") else { throw unexpectedByte() }
            index += 1
            valueStack.push(try parseValue())
            skipWhitespace()
            guard index < count else { throw endOfInput() }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "}"):
                index += 1
                let values = valueStack.popArray(from: valueBase)
                if following {
                    if matched == shape!.keys.count {
                        return .object(JSONObject(keyList: shape!.keyList, values: values))
                    }
                    // A strict prefix of the shape: its keys are unique, and become this object's own.
                    try pushShapeKeys(shape!, count: matched, to: &keys, at: index)
                }
                let keyList = JSONKeyList(keys: keyStack.popArray(from: keys.base), index: keys.positions)
                if shapeSlot >= 0 {
                    shapes[shapeSlot] = ObjectShape(keyList: keyList, keyBytes: keyBytesStack.popArray(from: keys.base))
                } else {
                    keyBytesStack.truncate(to: keys.base)
                }
                return .object(JSONObject(keyList: keyList, values: values))
            default:
                throw unexpectedByte()
            }
        }
    }

    /// Pushes the first `count` keys of `shape`, for an object found to differ from it after that many.
    private mutating func pushShapeKeys(
        _ shape: ObjectShape, count: Int, to keys: inout KeyCollector, at keyOffset: Int
    ) throws(JSONParseError) {
        for position in 0..<count {
            try addKey(shape.keys[position], bytes: shape.keyBytes[position], to: &keys, at: keyOffset)
        }
    }

    /// Whether `key` has exactly the bytes of the `position`th key of `shape`.
    ///
    /// Bytes, not `String` equality: a canonically equivalent key spelled differently is a different spelling,
    /// which the object must keep, so it does not take the shape's.
    @inline(__always)
    private mutating func keyMatches(_ key: inout ScannedKey, _ shape: ObjectShape, at position: Int) -> Bool {
        guard key.bytes == shape.keyBytes[position] else { return false }
        if key.bytes.isExact { return true }
        if key.bytes.length > 0 {  // all ASCII, but longer than `KeyBytes` holds
            var known = shape.keys[position]
            return known.withUTF8 { utf8 in
                utf8.count == key.end - key.start && bytesEqual(utf8.baseAddress!, bytes + key.start, count: utf8.count)
            }
        }
        return keyString(&key).utf8.elementsEqual(shape.keys[position].utf8)
    }

    /// Pushes the next key of an object, after checking that it does not repeat an earlier one.
    ///
    /// Up to `JSONObject.linearScanLimit` keys, a 64-bit Bloom filter of fingerprints rules most keys out at once;
    /// the rest are compared with the earlier keys by fingerprint, then as strings. Larger objects use a dictionary,
    /// which also becomes the object's lookup index.
    @inline(__always)
    private mutating func addKey(
        _ key: String, bytes keyBytes: KeyBytes, to keys: inout KeyCollector, at keyOffset: Int
    ) throws(JSONParseError) {
        let memberCount = keyStack.count - keys.base
        let fingerprint = keyBytes.fingerprint
        if keys.positions != nil {
            // `updateValue` both records the key and reports an earlier one, in one lookup.
            if keys.positions!.updateValue(memberCount, forKey: key) != nil {
                throw duplicateKey(key, at: keyOffset)
            }
        } else {
            let bit: UInt64 = 1 << (fingerprint >> 58)
            if fingerprint == 0 || !keys.allFingerprinted || keys.bloom & bit != 0 {
                for position in keys.base..<keyStack.count {
                    let other = keyBytesStack[position].fingerprint
                    // Equal fingerprints, or a key without one, may be equal strings: compare them properly.
                    if other == fingerprint || other == 0 || fingerprint == 0, keyStack[position] == key {
                        throw duplicateKey(key, at: keyOffset)
                    }
                }
            }
            keys.bloom |= bit
            keys.allFingerprinted = keys.allFingerprinted && fingerprint != 0
            if memberCount == JSONObject.linearScanLimit {
                var positions = [String: Int](minimumCapacity: memberCount * 2)
                for position in keys.base..<keyStack.count { positions[keyStack[position]] = position - keys.base }
                positions[key] = memberCount
                keys.positions = positions
            }
        }
        keyStack.push(key)
        keyBytesStack.push(keyBytes)
    }

    // MARK: Numbers

    /// Advances past a number matching `-? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?`.
    mutating func scanNumber() throws(JSONParseError) {
        if bytes[index] == UInt8(ascii: "-") {
            index += 1
            guard index < count else { throw endOfInput() }
        }
        switch bytes[index] {
        case UInt8(ascii: "0"):
            index += 1
            if index < count, isDigit(bytes[index]) {
                throw JSONParseError(offset: index - 1, problem: "number has a leading zero")
            }
        case UInt8(ascii: "1")...UInt8(ascii: "9"):
            index += 1
            skipDigits()
        default:
            throw unexpectedByte()
        }
        if index < count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < count, isDigit(bytes[index]) else {
                throw JSONParseError(offset: index, problem: "number needs a digit after the decimal point")
            }
            skipDigits()
        }
        if index < count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < count, isDigit(bytes[index]) else {
                throw JSONParseError(offset: index, problem: "number needs a digit in its exponent")
            }
            skipDigits()
        }
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    @inline(__always)
    private mutating func skipDigits() {
        while index < count, isDigit(bytes[index]) { index += 1 }
    }

    // MARK: Strings

    /// Parses the string whose opening quote is at `index`.
    private mutating func parseString() throws(JSONParseError) -> String {
        let start = index + 1
        let end = try scanPlainString(from: start, inStringAt: index)
        guard end.isClosingQuote else { return try parseEscapedString(start: start, firstEscape: end.offset) }
        index = end.offset + 1
        return makeString(from: start, to: end.offset)
    }

    /// Reads the member name whose opening quote is at `index`, without making it a `String` unless it has escapes.
    @inline(__always)
    private mutating func scanKey() throws(JSONParseError) -> ScannedKey {
        let start = index + 1
        let end = try scanPlainString(from: start, inStringAt: index)
        guard end.isClosingQuote else {
            let decoded = try parseEscapedString(start: start, firstEscape: end.offset)
            return ScannedKey(start: start, end: index - 1, bytes: KeyBytes(), decoded: decoded)
        }
        index = end.offset + 1
        let keyBytes =
            end.isASCII ? KeyBytes(bytes + start, count: end.offset - start, readableUpTo: bytes + count) : KeyBytes()
        return ScannedKey(start: start, end: end.offset, bytes: keyBytes, decoded: nil)
    }

    /// The key as a `String`, made (or found in `keyCache`) the first time it is asked for.
    @inline(__always)
    private mutating func keyString(_ key: inout ScannedKey) -> String {
        if let decoded = key.decoded { return decoded }
        let string =
            key.bytes.length >= 0 ? internKey(key.bytes, at: key.start) : makeString(from: key.start, to: key.end)
        key.decoded = string
        return string
    }

    /// Validates string content from `start` up to the closing quote or the first backslash, whichever comes first,
    /// and says which it is and where. `quote` is where the string began, for the error if it never ends.
    @inline(__always)
    private func scanPlainString(
        from start: Int, inStringAt quote: Int
    ) throws(JSONParseError) -> (offset: Int, isClosingQuote: Bool, isASCII: Bool) {
        var position = start
        var ascii = true
        while true {
            position = skipPlainASCII(from: position)
            guard position < count else { break }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                return (position, true, ascii)
            } else if byte == UInt8(ascii: "\\") {
                return (position, false, ascii)
            } else if byte < 0x20 {
                throw controlCharacter(byte, at: position)
            } else if byte < 0x80 {
                position += 1
            } else {
                ascii = false
                position = try endOfUTF8Sequence(at: position)
            }
        }
        throw JSONParseError(offset: quote, problem: "unterminated string")
    }

    /// The offset of the first byte at or after `position` that is a quote, a backslash, a control character or not
    /// ASCII, looking at eight bytes at a time; or a position less than eight bytes from the end, to go on from there
    /// byte by byte.
    @inline(__always)
    private func skipPlainASCII(from position: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        var position = position
        while position + 8 <= count {
            let word = UInt64(littleEndian: UnsafeRawPointer(bytes + position).loadUnaligned(as: UInt64.self))
            let quotes = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
            let backslashes = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
            // A byte's high bit is set in `(x - 0x01…) & ~x` when it is zero, in `(word - 0x20…) & ~word` when it is
            // below 0x20, and in `word` when it is not ASCII. Borrows can flag bytes after a match, never before.
            let special =
                ((quotes &- ones) & ~quotes | (backslashes &- ones) & ~backslashes | (word &- ones &* 0x20) & ~word
                    | word) & highBits
            if special != 0 { return position + special.trailingZeroBitCount >> 3 }
            position += 8
        }
        return position
    }

    /// The key with these bytes, made into a `String` only the first time it is seen.
    @inline(__always)
    private mutating func internKey(_ key: KeyBytes, at start: Int) -> String {
        let slot = Int(truncatingIfNeeded: key.fingerprint >> (64 - KeyCache.slotBits))
        let cached = keyCache.string(at: slot, matching: key) { cachedStart in
            bytesEqual(bytes + start, bytes + cachedStart, count: key.length)
        }
        if let cached { return cached }
        let string = makeString(from: start, to: start + key.length)
        keyCache.store(string, at: slot, key: key, start: start)
        return string
    }

    private func bytesEqual(_ first: UnsafePointer<UInt8>, _ second: UnsafePointer<UInt8>, count length: Int) -> Bool {
        var offset = 0
        while offset + 8 <= length {
            let lhs = UnsafeRawPointer(first + offset).loadUnaligned(as: UInt64.self)
            let rhs = UnsafeRawPointer(second + offset).loadUnaligned(as: UInt64.self)
            guard lhs == rhs else { return false }
            offset += 8
        }
        while offset < length {
            guard first[offset] == second[offset] else { return false }
            offset += 1
        }
        return true
    }

    /// Decodes a string with escapes into `scratch`. Runs of plain bytes are copied whole.
    private mutating func parseEscapedString(start: Int, firstEscape: Int) throws(JSONParseError) -> String {
        scratch.removeAll()
        appendRun(from: start, to: firstEscape)
        var position = try decodeEscape(at: firstEscape, inStringAt: start - 1)
        while true {
            let end = try scanPlainString(from: position, inStringAt: start - 1)
            appendRun(from: position, to: end.offset)
            if end.isClosingQuote {
                index = end.offset + 1
                return makeString(scratch.bytes)
            }
            position = try decodeEscape(at: end.offset, inStringAt: start - 1)
        }
    }

    private mutating func appendRun(from start: Int, to end: Int) {
        if end > start {
            scratch.append(bytes + start, count: end - start)
        }
    }

    /// Decodes the escape whose backslash is at `backslash`, in the string whose opening quote is at `quote`, into
    /// `scratch`; returns the offset just past it.
    private mutating func decodeEscape(at backslash: Int, inStringAt quote: Int) throws(JSONParseError) -> Int {
        guard backslash + 1 < count else { throw JSONParseError(offset: quote, problem: "unterminated string") }
        let decoded: UInt8
        switch bytes[backslash + 1] {
        case UInt8(ascii: "\""): decoded = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): decoded = UInt8(ascii: "\\")
        case UInt8(ascii: "/"): decoded = UInt8(ascii: "/")
        case UInt8(ascii: "b"): decoded = 0x08
        case UInt8(ascii: "f"): decoded = 0x0C
        case UInt8(ascii: "n"): decoded = 0x0A
        case UInt8(ascii: "r"): decoded = 0x0D
        case UInt8(ascii: "t"): decoded = 0x09
        case UInt8(ascii: "u"): return try decodeUnicodeEscape(at: backslash, inStringAt: quote)
        case let other:
            throw JSONParseError(offset: backslash, problem: "invalid escape \\\(printable(other))")
        }
        scratch.append(decoded)
        return backslash + 2
    }

    /// Decodes `\uXXXX`, or a `\uXXXX\uXXXX` surrogate pair, at `backslash`. Lone surrogates are refused: they
    /// cannot be represented in a Swift `String` without silently changing the text.
    private mutating func decodeUnicodeEscape(at backslash: Int, inStringAt quote: Int) throws(JSONParseError) -> Int {
        let unit = try hexQuad(at: backslash, inStringAt: quote)
        var scalarValue = UInt32(unit)
        var end = backslash + 6
        switch unit {
        case 0xD800...0xDBFF:
            guard end + 1 < count, bytes[end] == UInt8(ascii: "\\"), bytes[end + 1] == UInt8(ascii: "u") else {
                throw loneSurrogate(unit, at: backslash)
            }
            let low = try hexQuad(at: end, inStringAt: quote)
            guard (0xDC00...0xDFFF).contains(low) else { throw loneSurrogate(unit, at: backslash) }
            scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            end += 6
        case 0xDC00...0xDFFF:
            throw loneSurrogate(unit, at: backslash)
        default:
            break
        }
        // Never nil: surrogates were handled above and a pair is at most U+10FFFF.
        let scalar = Unicode.Scalar(scalarValue)!
        for byte in UTF8.encode(scalar)! { scratch.append(byte) }
        return end
    }

    /// The four hex digits of the `\uXXXX` escape at `backslash`.
    private func hexQuad(at backslash: Int, inStringAt quote: Int) throws(JSONParseError) -> UInt16 {
        var value: UInt16 = 0
        for position in (backslash + 2)..<(backslash + 6) {
            guard position < count else { throw JSONParseError(offset: quote, problem: "unterminated string") }
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default:
                throw JSONParseError(offset: position, problem: "\\u escape needs four hex digits")
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    /// Checks the multi-byte UTF-8 sequence whose lead byte is at `position` (RFC 3629: no overlong forms, no
    /// surrogates, nothing above U+10FFFF) and returns the offset just past it.
    @inline(__always)
    private func endOfUTF8Sequence(at position: Int) throws(JSONParseError) -> Int {
        func continuation(_ offset: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
            position + offset < count && range.contains(bytes[position + offset])
        }
        switch bytes[position] {
        case 0xC2...0xDF:
            if continuation(1) { return position + 2 }
        case 0xE0:
            if continuation(1, 0xA0...0xBF), continuation(2) { return position + 3 }
        case 0xE1...0xEC, 0xEE...0xEF:
            if continuation(1), continuation(2) { return position + 3 }
        case 0xED:
            if continuation(1, 0x80...0x9F), continuation(2) { return position + 3 }
        case 0xF0:
            if continuation(1, 0x90...0xBF), continuation(2), continuation(3) { return position + 4 }
        case 0xF1...0xF3:
            if continuation(1), continuation(2), continuation(3) { return position + 4 }
        case 0xF4:
            if continuation(1, 0x80...0x8F), continuation(2), continuation(3) { return position + 4 }
        default:
            break
        }
        throw JSONParseError(offset: position, problem: "invalid UTF-8 byte \(hex(bytes[position]))")
    }

    /// A string from input bytes already checked to be valid UTF-8.
    @inline(__always)
    private func makeString(from start: Int, to end: Int) -> String {
        makeString(UnsafeBufferPointer(start: bytes + start, count: end - start))
    }

    /// A string from bytes already checked to be valid UTF-8, so decoding never substitutes U+FFFD.
    @inline(__always)
    private func makeString(_ source: UnsafeBufferPointer<UInt8>) -> String {
        // Strings this short are stored inline, and this initializer builds those about twice as fast.
        guard source.count <= 15 else { return String(decoding: source, as: UTF8.self) }
        return String(unsafeUninitializedCapacity: source.count) { buffer in
            _ = buffer.initialize(fromContentsOf: source)
            return source.count
        }
    }

    // MARK: Whitespace and errors

    @inline(__always)
    private mutating func skipWhitespace() {
        // Usually there is none: every byte that can start or continue a token is above 0x20.
        guard index < count, bytes[index] <= 0x20 else { return }
        while index < count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private func endOfInput() -> JSONParseError {
        JSONParseError(offset: index, problem: "unexpected end of input")
    }

    private func unexpectedByte() -> JSONParseError {
        JSONParseError(offset: index, problem: describe(bytes[index]))
    }

    private func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "unexpected character '\(printable(byte))'" : "unexpected byte \(hex(byte))"
    }

    private func controlCharacter(_ byte: UInt8, at position: Int) -> JSONParseError {
        let hexDigits = String(byte, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: 4 - hexDigits.count) + hexDigits
        return JSONParseError(offset: position, problem: "unescaped control character \(code) in string")
    }

    private func loneSurrogate(_ unit: UInt16, at position: Int) -> JSONParseError {
        let hexDigits = String(unit, radix: 16, uppercase: true)
        return JSONParseError(offset: position, problem: "lone surrogate \\u\(hexDigits) in string")
    }

    private func duplicateKey(_ key: String, at position: Int) -> JSONParseError {
        JSONParseError(offset: position, problem: "duplicate key \"\(key)\"")
    }

    private func printable(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? String(UnicodeScalar(byte)) : hex(byte)
    }

    private func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return "0x" + (digits.count == 1 ? "0" + digits : digits)
    }
}

/// The keys of an object closed earlier, offered to later objects that start with the same key.
private struct ObjectShape {
    var keyList: JSONKeyList
    var keyBytes: [KeyBytes]

    var keys: [String] { keyList.keys }
}

/// A member name as read from the input: where its content is, its bytes if it is all ASCII without escapes, and
/// its `String`, once made.
private struct ScannedKey {
    let start: Int
    let end: Int
    let bytes: KeyBytes
    var decoded: String?
}

/// Duplicate-checking state for the keys of one object being parsed, which sit on `keyStack` from `base` up.
private struct KeyCollector {
    let base: Int
    /// Bit `fingerprint >> 58` is set for each key so far.
    var bloom: UInt64 = 0
    /// Whether every key so far has a fingerprint, so that the Bloom filter can rule keys out.
    var allFingerprinted = true
    /// Key → position, once the object outgrows `JSONObject.linearScanLimit`.
    var positions: [String: Int]?

    init(base: Int) {
        self.base = base
    }
}

/// The bytes of a member name that is all ASCII without escapes, which identify names of up to 16 bytes exactly;
/// or, for other names, a blank with `length` -1.
private struct KeyBytes: Equatable {
    /// The first eight bytes, little-endian, zero-padded if shorter.
    var head: UInt64 = 0
    /// The last eight bytes, if there are at least eight; otherwise 0.
    var tail: UInt64 = 0
    var length: Int

    /// The blank for a name that is not plain ASCII.
    init() {
        self.length = -1
    }

    /// `length` bytes at `start`. Reads up to eight bytes past short keys when that stays before `limit`.
    @inline(__always)
    init(_ start: UnsafePointer<UInt8>, count length: Int, readableUpTo limit: UnsafePointer<UInt8>) {
        self.length = length
        if length >= 8 {
            head = UnsafeRawPointer(start).loadUnaligned(as: UInt64.self).littleEndian
            tail = UnsafeRawPointer(start + length - 8).loadUnaligned(as: UInt64.self).littleEndian
        } else if limit - start >= 8 {
            let word = UnsafeRawPointer(start).loadUnaligned(as: UInt64.self).littleEndian
            head = word & ((1 << (UInt64(length) * 8)) &- 1)
        } else {
            for offset in 0..<length { head |= UInt64(start[offset]) << (UInt64(offset) * 8) }
        }
    }

    /// Whether equal `KeyBytes` mean equal names.
    var isExact: Bool { length >= 0 && length <= 16 }

    /// A hash of the bytes, never 0, or 0 for a name that is not plain ASCII. Different fingerprints mean different
    /// names. (Between ASCII strings `String` equality is byte equality, but a name that is not ASCII may equal one
    /// that is, as Swift treats canonically equivalent strings as equal: "K" and the Kelvin sign U+212A, say.)
    var fingerprint: UInt64 {
        guard length >= 0 else { return 0 }
        let mixed = (head &* 0x9E37_79B9_7F4A_7C15) ^ (tail &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(length)
        return (mixed ^ mixed >> 29) | 1
    }
}

/// A stack of values that hands over its top elements as an array by moving them, with no retain/release traffic
/// and no repeated growth of the arrays it produces. Allocates at the first push.
private struct MoveStack<Element>: ~Copyable {
    /// Nil until the first push; `unsafelyUnwrapped` below is only used where `count > 0` or just after `grow()`.
    private var base: UnsafeMutablePointer<Element>?
    private var capacity = 0
    private(set) var count = 0

    init() {}

    deinit {
        if let base {
            base.deinitialize(count: count)
            base.deallocate()
        }
    }

    subscript(position: Int) -> Element {
        @inline(__always) get { base.unsafelyUnwrapped[position] }
    }

    @inline(__always)
    mutating func push(_ element: consuming Element) {
        if count == capacity { grow() }
        (base.unsafelyUnwrapped + count).initialize(to: element)
        count += 1
    }

    /// Removes the elements from `start` up, returning them in order.
    mutating func popArray(from start: Int) -> [Element] {
        // Appending moved elements one by one beats `Array(unsafeUninitializedCapacity:)`, whose allocation is not
        // specialized and looks the array's generic type metadata up at run time, on every call.
        var elements: [Element] = []
        elements.reserveCapacity(count - start)
        for position in start..<count {
            elements.append((base.unsafelyUnwrapped + position).move())
        }
        count = start
        return elements
    }

    /// Removes the elements from `start` up.
    mutating func truncate(to start: Int) {
        if count > start { (base! + start).deinitialize(count: count - start) }
        count = start
    }

    private mutating func grow() {
        let newCapacity = max(16, capacity * 2)
        let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        if let base {
            newBase.moveInitialize(from: base, count: count)
            base.deallocate()
        }
        base = newBase
        capacity = newCapacity
    }
}

/// Member names already made into strings during one parse: a direct-mapped table, indexed by fingerprint, that
/// remembers the last name seen in each slot.
private struct KeyCache: ~Copyable {
    struct Entry {
        var key: KeyBytes
        /// Where the name's bytes are in the input, to compare names longer than `KeyBytes` identifies exactly.
        var start: Int
        var string: String
    }

    static let slotBits = 6
    private static let slotCount = 1 << slotBits
    /// Allocated at the first name, so parsing a scalar or an array of numbers never pays for it.
    private var entries: UnsafeMutablePointer<Entry>?

    init() {}

    deinit {
        if let entries {
            entries.deinitialize(count: Self.slotCount)
            entries.deallocate()
        }
    }

    /// The cached string for `key` if slot `slot` holds it; `bytesEqual` compares the input at a cached start with
    /// the name being looked up, for names over 16 bytes.
    @inline(__always)
    func string(at slot: Int, matching key: KeyBytes, bytesEqual: (_ cachedStart: Int) -> Bool) -> String? {
        // Through the pointer, so that only a hit copies (and retains) the string.
        guard let entry = entries.map({ $0 + slot }), entry.pointee.key == key,
            key.isExact || bytesEqual(entry.pointee.start)
        else { return nil }
        return entry.pointee.string
    }

    @inline(__always)
    mutating func store(_ string: String, at slot: Int, key: KeyBytes, start: Int) {
        if entries == nil {
            let allocated = UnsafeMutablePointer<Entry>.allocate(capacity: Self.slotCount)
            let empty = Entry(key: KeyBytes(), start: 0, string: "")
            allocated.initialize(repeating: empty, count: Self.slotCount)
            entries = allocated
        }
        entries![slot] = Entry(key: key, start: start, string: string)
    }
}

/// A growable byte buffer for decoding escaped strings, reused for every one in a parse. Allocates when first used.
private struct ByteBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>?
    private var capacity = 0
    private var count = 0

    init() {}

    deinit {
        base?.deallocate()
    }

    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    mutating func removeAll() {
        count = 0
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1)
        base![count] = byte
        count += 1
    }

    mutating func append(_ source: UnsafePointer<UInt8>, count added: Int) {
        reserve(added)
        (base! + count).update(from: source, count: added)
        count += added
    }

    @inline(__always)
    private mutating func reserve(_ added: Int) {
        guard count + added > capacity else { return }
        let newCapacity = max(64, capacity * 2, count + added)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        if let base {
            newBase.update(from: base, count: count)
            base.deallocate()
        }
        base = newBase
        capacity = newCapacity
    }
}
