// A streaming, byte-level RFC 4180 CSV parser and a matching writer. Pure: no I/O.
//
// Accepted dialect (a superset of RFC 4180):
// - fields are separated by `,`; records end at LF, CRLF or a lone CR;
// - a field that starts with `"` is quoted: it may contain `,`, CR, LF and `""` (one escaped quote);
//   after its closing quote only `,` or a line end may follow;
// - an unquoted field must not contain `"`;
// - a UTF-8 byte order mark at the very start of the input is skipped;
// - empty lines are skipped, but still counted in line numbers;
// - fields are decoded as UTF-8; invalid UTF-8 is an error.
//
// Line numbers are 1-based physical lines. LF, CRLF and a lone CR each count as one line break,
// inside quoted fields as well as between records.

/// One record of a CSV file: its 1-based physical line number (where the record starts) and its fields.
public struct CSVRecord: Sendable, Equatable {
    /// The 1-based physical line on which the record starts.
    public var line: Int
    /// The record's fields, without surrounding quotes and with every `""` inside quotes turned into `"`.
    public var fields: [String]

    /// Creates a record that starts on `line` and holds `fields`.
    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}

/// An error met while reading or parsing CSV text.
public enum CSVError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input ends inside a quoted field; `line` is where that field's opening quote is.
    case unterminatedQuote(line: Int)
    /// A quote inside an unquoted field, or text after a closing quote; `field` is 1-based within the record.
    case unexpectedQuote(line: Int, field: Int)
    /// A field is not valid UTF-8; `line` is where the field starts and `field` is 1-based within the record.
    case invalidUTF8(line: Int, field: Int)
    /// The file at `path` could not be opened or read, for the human-readable `reason`.
    case cannotRead(path: String, reason: String)

    /// One sentence (without a final period) describing the error for the person who supplied the file,
    /// such as `line 7: a quoted field is never closed (missing ")`.
    public var description: String {
        switch self {
        case .unterminatedQuote(let line):
            return "line \(line): a quoted field is never closed (missing \")"
        case .unexpectedQuote(let line, let field):
            return "line \(line), field \(field): unexpected quote (\"); a quote may only surround a whole field, "
                + "and a quote inside a quoted field must be doubled (\"\")"
        case .invalidUTF8(let line, let field):
            return "line \(line), field \(field): the text is not valid UTF-8 (save the file as UTF-8 and try again)"
        case .cannotRead(let path, let reason):
            return "cannot read \(path): \(reason)"
        }
    }
}

/// An incremental CSV parser: feed it chunks of bytes split anywhere, then call `finish`.
///
/// After `finish` the parser is back in its initial state and can parse a new input.
/// After it throws (or `onRecord` throws), its state is unspecified: use a new parser.
public struct CSVParser: Sendable {
    private enum State: Sendable {
        /// At the start of a field (the start of a record, or just after a comma).
        case fieldStart
        /// Inside an unquoted field; bytes carried over from earlier chunks are in `pending`.
        case unquoted
        /// Inside a quoted field; content carried over from earlier chunks or unescaped so far is in `pending`.
        case quoted
        /// Just after a quote inside a quoted field, at the end of a chunk: an escaped quote or the closing quote.
        case quoteInQuoted
        /// Just after the closing quote of a quoted field, whose value is already in `fields`.
        case afterQuotedField
    }

    private enum Byte {
        static let comma: UInt8 = 0x2C
        static let quote: UInt8 = 0x22
        static let lineFeed: UInt8 = 0x0A
        static let carriageReturn: UInt8 = 0x0D
    }

    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    private var state = State.fieldStart
    /// Whether the current record has begun (so a line end emits it instead of being a blank line).
    private var recordStarted = false
    private var fields: [String] = []
    private var previousFieldCount = 0
    /// Bytes of the current field that could not be decoded straight from an input chunk.
    private var pending: [UInt8] = []
    /// The current physical line.
    private var line = 1
    private var recordLine = 1
    private var quotedFieldLine = 1
    private var lastByteOfPreviousChunk: UInt8 = 0
    private var byteOrderMarkBytesMatched = 0
    private var startOfInputResolved = false

    /// Creates a parser positioned at the start of an input.
    public init() {}

    /// Feeds the next chunk of bytes; calls `onRecord` for every complete record in it.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, onRecord: (CSVRecord) throws -> Void) throws {
        try bytes.withMemoryRebound(to: UInt8.self) { buffer in
            try feedBytes(buffer, onRecord: onRecord)
        }
    }

    /// Ends the input: emits a final record without trailing newline; throws unterminatedQuote if inside quotes.
    public mutating func finish(onRecord: (CSVRecord) throws -> Void) throws {
        if !startOfInputResolved {
            startOfInputResolved = true
            try replayByteOrderMarkPrefix(onRecord: onRecord)
        }
        switch state {
        case .fieldStart:
            if recordStarted {
                fields.append("")
                try emitRecord(onRecord)
            }
        case .unquoted:
            try appendField(UnsafeBufferPointer(start: nil, count: 0), isASCII: true, fieldLine: line)
            try emitRecord(onRecord)
        case .quoted:
            throw CSVError.unterminatedQuote(line: quotedFieldLine)
        case .quoteInQuoted:
            try appendField(UnsafeBufferPointer(start: nil, count: 0), isASCII: true, fieldLine: quotedFieldLine)
            try emitRecord(onRecord)
        case .afterQuotedField:
            try emitRecord(onRecord)
        }
        self = CSVParser()
    }

    /// Convenience for tests and small inputs.
    public static func parse(_ text: String) throws -> [CSVRecord] {
        var text = text
        var parser = CSVParser()
        var records: [CSVRecord] = []
        try text.withUTF8 { buffer in
            try parser.feed(UnsafeRawBufferPointer(buffer)) { records.append($0) }
        }
        try parser.finish { records.append($0) }
        return records
    }

    // MARK: - Scanning

    private mutating func feedBytes(_ bytes: UnsafeBufferPointer<UInt8>, onRecord: (CSVRecord) throws -> Void) throws {
        var start = 0
        if !startOfInputResolved {
            while start < bytes.count, byteOrderMarkBytesMatched < Self.byteOrderMark.count,
                bytes[start] == Self.byteOrderMark[byteOrderMarkBytesMatched]
            {
                byteOrderMarkBytesMatched += 1
                start += 1
            }
            if byteOrderMarkBytesMatched == Self.byteOrderMark.count {
                startOfInputResolved = true
            } else if start == bytes.count {
                return  // Everything so far could still be the start of a byte order mark.
            } else {
                startOfInputResolved = true
                try replayByteOrderMarkPrefix(onRecord: onRecord)
            }
        }
        try process(bytes, from: start, onRecord: onRecord)
    }

    /// Parses the first bytes of the input that looked like the start of a byte order mark but were not one.
    private mutating func replayByteOrderMarkPrefix(onRecord: (CSVRecord) throws -> Void) throws {
        let matched = byteOrderMarkBytesMatched
        guard matched > 0, matched < Self.byteOrderMark.count else { return }
        try Self.byteOrderMark.withUnsafeBufferPointer { buffer in
            try process(UnsafeBufferPointer(rebasing: buffer[0..<matched]), from: 0, onRecord: onRecord)
        }
    }

    private mutating func process(
        _ bytes: UnsafeBufferPointer<UInt8>,
        from start: Int,
        onRecord: (CSVRecord) throws -> Void
    ) throws {
        let count = bytes.count
        guard start < count else { return }
        var index = start
        while index < count {
            switch state {
            case .fieldStart:
                let byte = bytes[index]
                if byte == Byte.quote {
                    startRecordIfNeeded()
                    quotedFieldLine = line
                    state = .quoted
                    index += 1
                } else if byte == Byte.comma {
                    startRecordIfNeeded()
                    fields.append("")
                    index += 1
                } else if byte == Byte.lineFeed || byte == Byte.carriageReturn {
                    if recordStarted {
                        fields.append("")
                        try emitRecord(onRecord)
                    }
                    countLineBreak(byte, at: index, in: bytes)
                    index += 1
                } else {
                    startRecordIfNeeded()
                    state = .unquoted
                    fallthrough
                }

            case .unquoted:
                // Unquoted fields are the common case: parse them back to back without returning to the switch.
                unquotedFields: while true {
                    var combinedBits: UInt64 = 0
                    let end = Self.findUnquotedFieldEnd(in: bytes, from: index, combinedBits: &combinedBits)
                    if end == count {
                        pending.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<end]))
                        index = end
                        break unquotedFields
                    }
                    let terminator = bytes[end]
                    if terminator == Byte.quote {
                        throw CSVError.unexpectedQuote(line: line, field: fields.count + 1)
                    }
                    try appendField(
                        UnsafeBufferPointer(rebasing: bytes[index..<end]),
                        isASCII: combinedBits & Self.highBits == 0,
                        fieldLine: line
                    )
                    state = .fieldStart
                    index = end + 1
                    if terminator != Byte.comma {
                        try emitRecord(onRecord)
                        countLineBreak(terminator, at: end, in: bytes)
                    }
                    guard index < count, !Self.isSpecial(bytes[index]) else { break unquotedFields }
                    startRecordIfNeeded()
                    state = .unquoted
                }

            case .quoted:
                var combinedBits: UInt64 = 0
                var end = index
                while true {
                    end = Self.findQuotedFieldEnd(in: bytes, from: end, combinedBits: &combinedBits)
                    guard end < count, bytes[end] != Byte.quote else { break }
                    countLineBreak(bytes[end], at: end, in: bytes)
                    end += 1
                }
                if end == count {
                    pending.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<end]))
                    index = end
                    break
                }
                let next = end + 1
                if next < count && bytes[next] != Byte.quote {
                    try appendField(
                        UnsafeBufferPointer(rebasing: bytes[index..<end]),
                        isASCII: combinedBits & Self.highBits == 0,
                        fieldLine: quotedFieldLine
                    )
                    state = .afterQuotedField
                    index = next
                } else {
                    pending.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<end]))
                    if next < count {
                        pending.append(Byte.quote)
                        index = next + 1
                    } else {
                        state = .quoteInQuoted
                        index = next
                    }
                }

            case .quoteInQuoted:
                if bytes[index] == Byte.quote {
                    pending.append(Byte.quote)
                    state = .quoted
                    index += 1
                } else {
                    try appendField(
                        UnsafeBufferPointer(start: nil, count: 0), isASCII: true, fieldLine: quotedFieldLine)
                    state = .afterQuotedField
                }

            case .afterQuotedField:
                let byte = bytes[index]
                if byte == Byte.comma {
                    state = .fieldStart
                    index += 1
                } else if byte == Byte.lineFeed || byte == Byte.carriageReturn {
                    try emitRecord(onRecord)
                    countLineBreak(byte, at: index, in: bytes)
                    state = .fieldStart
                    index += 1
                } else {
                    throw CSVError.unexpectedQuote(line: line, field: fields.count)
                }
            }
        }
        lastByteOfPreviousChunk = bytes[count - 1]
    }

    // MARK: - Finding special bytes, eight at a time

    private static let lowBits: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Marks with its high bit each byte of `word` that equals `byte`. Bytes above the lowest marked one
    /// may be marked wrongly, so only the lowest mark is reliable.
    @inline(__always)
    private static func bytes(equalTo byte: UInt8, in word: UInt64) -> UInt64 {
        let difference = word ^ (lowBits &* UInt64(byte))
        return (difference &- lowBits) & ~difference & highBits
    }

    /// Returns the index of the first `,`, `"`, LF or CR in `bytes` at or after `start`, or `bytes.count` if none;
    /// ORs every byte before that index into the lanes of `combinedBits`.
    @inline(__always)
    private static func findUnquotedFieldEnd(
        in bytes: UnsafeBufferPointer<UInt8>, from start: Int, combinedBits: inout UInt64
    ) -> Int {
        let count = bytes.count
        var index = start
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while index + 8 <= count {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let marks =
                    Self.bytes(equalTo: Byte.comma, in: word) | Self.bytes(equalTo: Byte.quote, in: word)
                    | Self.bytes(equalTo: Byte.lineFeed, in: word) | Self.bytes(equalTo: Byte.carriageReturn, in: word)
                if marks != 0 {
                    let offset = marks.trailingZeroBitCount &>> 3
                    combinedBits |= word & ~(UInt64.max &<< UInt64(offset &* 8))
                    return index + offset
                }
                combinedBits |= word
                index += 8
            }
        }
        while index < count {
            let byte = bytes[index]
            if byte == Byte.comma || byte == Byte.quote || byte == Byte.lineFeed || byte == Byte.carriageReturn {
                return index
            }
            combinedBits |= UInt64(byte)
            index += 1
        }
        return index
    }

    /// Returns the index of the first `"`, LF or CR in `bytes` at or after `start`, or `bytes.count` if none;
    /// ORs every byte before that index into the lanes of `combinedBits`.
    @inline(__always)
    private static func findQuotedFieldEnd(
        in bytes: UnsafeBufferPointer<UInt8>, from start: Int, combinedBits: inout UInt64
    ) -> Int {
        let count = bytes.count
        var index = start
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while index + 8 <= count {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let marks =
                    Self.bytes(equalTo: Byte.quote, in: word) | Self.bytes(equalTo: Byte.lineFeed, in: word)
                    | Self.bytes(equalTo: Byte.carriageReturn, in: word)
                if marks != 0 {
                    let offset = marks.trailingZeroBitCount &>> 3
                    combinedBits |= word & ~(UInt64.max &<< UInt64(offset &* 8))
                    return index + offset
                }
                combinedBits |= word
                index += 8
            }
        }
        while index < count {
            let byte = bytes[index]
            if byte == Byte.quote || byte == Byte.lineFeed || byte == Byte.carriageReturn {
                return index
            }
            combinedBits |= UInt64(byte)
            index += 1
        }
        return index
    }

    /// Whether `byte` is `,`, `"`, LF or CR.
    @inline(__always)
    private static func isSpecial(_ byte: UInt8) -> Bool {
        byte <= Byte.comma
            && (byte == Byte.comma || byte == Byte.quote || byte == Byte.lineFeed || byte == Byte.carriageReturn)
    }

    /// Counts a line break at a CR, or at an LF unless it completes a CRLF.
    @inline(__always)
    private mutating func countLineBreak(_ byte: UInt8, at index: Int, in bytes: UnsafeBufferPointer<UInt8>) {
        if byte == Byte.lineFeed {
            let previous = index > 0 ? bytes[index - 1] : lastByteOfPreviousChunk
            if previous == Byte.carriageReturn {
                return
            }
        }
        line += 1
    }

    @inline(__always)
    private mutating func startRecordIfNeeded() {
        if !recordStarted {
            recordStarted = true
            recordLine = line
        }
    }

    /// Decodes a field from `pending` followed by `bytes`, and appends it to `fields`.
    ///
    /// `isASCII` tells whether `bytes` (not `pending`) is known to hold only ASCII, so needs no validation.
    @inline(__always)
    private mutating func appendField(_ bytes: UnsafeBufferPointer<UInt8>, isASCII: Bool, fieldLine: Int) throws {
        let value: String
        if pending.isEmpty {
            guard isASCII || Self.isValidUTF8(bytes) else {
                throw CSVError.invalidUTF8(line: fieldLine, field: fields.count + 1)
            }
            value = Self.makeString(bytes)
        } else {
            pending.append(contentsOf: bytes)
            let fieldNumber = fields.count + 1
            value = try pending.withUnsafeBufferPointer { buffer in
                try Self.decode(buffer, line: fieldLine, field: fieldNumber)
            }
            pending.removeAll(keepingCapacity: true)
        }
        fields.append(value)
    }

    private mutating func emitRecord(_ onRecord: (CSVRecord) throws -> Void) throws {
        let record = CSVRecord(line: recordLine, fields: fields)
        previousFieldCount = fields.count
        fields = []
        fields.reserveCapacity(previousFieldCount)
        recordStarted = false
        try onRecord(record)
    }

    // MARK: - UTF-8

    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, line: Int, field: Int) throws -> String {
        guard isValidUTF8(bytes) else {
            throw CSVError.invalidUTF8(line: line, field: field)
        }
        return makeString(bytes)
    }

    /// Makes a string from bytes already known to be valid UTF-8.
    ///
    /// `String(unsafeUninitializedCapacity:initializingUTF8With:)` copies a short string with one `memcpy`; measured
    /// about 28% fewer instructions per field than `String(decoding:as:)`, which packs short strings byte by byte.
    @inline(__always)
    private static func makeString(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return "" }
        return String(unsafeUninitializedCapacity: bytes.count) { destination in
            guard let target = destination.baseAddress else { return 0 }
            target.update(from: source, count: bytes.count)
            return bytes.count
        }
    }

    /// Whether `bytes` is well-formed UTF-8 (Unicode Standard, table 3-7: no overlong forms, surrogates
    /// or code points above U+10FFFF).
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var index = 0
        let raw = UnsafeRawPointer(base)
        while index + 8 <= count {
            if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 {
                break
            }
            index += 8
        }
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var lowest: UInt8 = 0x80
            var highest: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF:
                length = 2
            case 0xE0:
                length = 3
                lowest = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF:
                length = 3
            case 0xED:
                length = 3
                highest = 0x9F
            case 0xF0:
                length = 4
                lowest = 0x90
            case 0xF1...0xF3:
                length = 4
            case 0xF4:
                length = 4
                highest = 0x8F
            default:
                return false
            }
            guard index + length <= count else { return false }
            let second = bytes[index + 1]
            guard second >= lowest && second <= highest else { return false }
            var offset = 2
            while offset < length {
                guard bytes[index + offset] & 0xC0 == 0x80 else { return false }
                offset += 1
            }
            index += length
        }
        return true
    }
}

/// Writes fields in the dialect `CSVParser` reads.
public enum CSVWriter {
    /// Returns `field` as it must appear in a CSV line: unchanged, or surrounded by quotes with every `"` doubled
    /// when it contains `,`, `"`, CR or LF, or starts with U+FEFF (which a reader could take for a byte order mark).
    public static func escape(_ field: String) -> String {
        var needsQuotes = field.unicodeScalars.first == "\u{FEFF}"
        if !needsQuotes {
            for byte in field.utf8 where byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D {
                needsQuotes = true
                break
            }
        }
        guard needsQuotes else { return field }
        var escaped = "\""
        escaped.reserveCapacity(field.utf8.count + 2)
        for scalar in field.unicodeScalars {
            if scalar == "\"" {
                escaped.append("\"\"")
            } else {
                escaped.unicodeScalars.append(scalar)
            }
        }
        escaped.append("\"")
        return escaped
    }

    /// Returns one CSV line for `fields`, joined by `,` and ending with a single LF ("\n").
    ///
    /// A record with one empty field is written as `""` so that it is not read back as a skipped blank line;
    /// an empty array gives just "\n", which a reader skips.
    public static func line(_ fields: [String]) -> String {
        if fields.count == 1 && fields[0].isEmpty {
            return "\"\"\n"
        }
        var result = fields.map(escape).joined(separator: ",")
        result.append("\n")
        return result
    }
}
