import Foundation
import Testing

@testable import RecoupCore

private func parse(_ text: String) throws(JSONParseError) -> JSONValue {
    try JSONValue.parse(Data(text.utf8))
}

private func parse(bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
    try JSONValue.parse(Data(bytes))
}

/// The error parsing `bytes` throws, or nil if it parses.
private func failure(_ bytes: [UInt8]) -> JSONParseError? {
    do {
        _ = try parse(bytes: bytes)
        return nil
    } catch {
        return error
    }
}

private func failure(_ text: String) -> JSONParseError? {
    failure(Array(text.utf8))
}

private func number(_ text: String) -> JSONValue {
    .number(JSONNumber(unchecked: text))
}

/// Equality that also requires object members in the same order (`==` on objects ignores order).
private func identical(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.array(let left), .array(let right)):
        return left.count == right.count && zip(left, right).allSatisfy { identical($0, $1) }
    case (.object(let left), .object(let right)):
        return left.keys == right.keys && zip(left.values, right.values).allSatisfy { identical($0, $1) }
    default:
        return lhs == rhs
    }
}

// MARK: - Values

@Suite("JSONValue parsing: values")
struct JSONValueParsingTests {
    @Test(
        "each kind of value parses at the top level, with or without surrounding whitespace",
        arguments: [
            ("null", JSONValue.null),
            ("true", .bool(true)),
            ("false", .bool(false)),
            ("0", number("0")),
            ("-12", number("-12")),
            (#""text""#, .string("text")),
            (#""""#, .string("")),
            ("[]", .array([])),
            ("{}", .object(JSONObject(uniqueKeysWithValues: []))),
            ("[1, \"a\", null, true]", .array([number("1"), .string("a"), .null, .bool(true)])),
            (#"{"a": 1}"#, .object(JSONObject(uniqueKeysWithValues: [("a", number("1"))]))),
        ])
    func topLevelValues(text: String, expected: JSONValue) throws {
        #expect(try parse(text) == expected)
        #expect(try parse(" \t\r\n" + text + "\n\r\t ") == expected)
    }

    @Test("nested arrays and objects keep their structure and member order")
    func nested() throws {
        let value = try parse(
            #"""
            {
              "id": "req-1",
              "amounts": [1, 2.50, -3e2],
              "debtor": {"name": "Ann", "tags": ["a", "b"], "address": {"city": "Köln", "zip": null}},
              "empty": {"list": [], "object": {}},
              "flags": [true, false, null]
            }
            """#)
        let expected: JSONValue = [
            "id": "req-1",
            "amounts": [1, number("2.50"), number("-3e2")],
            "debtor": ["name": "Ann", "tags": ["a", "b"], "address": ["city": "Köln", "zip": nil]],
            "empty": ["list": [], "object": [:]],
            "flags": [true, false, nil],
        ]
        #expect(identical(value, expected))
        let object = try #require(value.objectValue)
        #expect(object.keys == ["id", "amounts", "debtor", "empty", "flags"])
        #expect(object.count == 5)
        #expect(object["debtor"]?.objectValue?["address"]?.objectValue?["city"]?.stringValue == "Köln")
        #expect(object["debtor"]?.objectValue?["address"]?.objectValue?["zip"]?.isNull == true)
        #expect(object["amounts"]?.arrayValue?[2].numberValue?.text == "-3e2")
        #expect(object["missing"] == nil)
        #expect(object.members.map(\.key) == object.keys)
        #expect(object.members.map(\.value) == object.values)
    }

    @Test("accessors return nil (or false) for the wrong kind of value")
    func accessors() throws {
        let values: [JSONValue] = [nil, true, 1, "s", [1], ["k": 1]]
        #expect(values.map(\.isNull) == [true, false, false, false, false, false])
        #expect(values.map { $0.boolValue != nil } == [false, true, false, false, false, false])
        #expect(values.map { $0.numberValue != nil } == [false, false, true, false, false, false])
        #expect(values.map { $0.stringValue != nil } == [false, false, false, true, false, false])
        #expect(values.map { $0.arrayValue != nil } == [false, false, false, false, true, false])
        #expect(values.map { $0.objectValue != nil } == [false, false, false, false, false, true])
        #expect(try parse("false").boolValue == false)
        #expect(try parse(#""x""#).stringValue == "x")
    }

    @Test("objects larger than the linear-scan limit are indexed", arguments: [16, 17, 40, 1_000])
    func largeObjects(size: Int) throws {
        let text = "{" + (0..<size).map { #""key\#($0)": \#($0)"# }.joined(separator: ",") + "}"
        let object = try #require(try parse(text).objectValue)
        #expect(object.count == size)
        for position in 0..<size {
            #expect(object["key\(position)"]?.numberValue?.int == position)
        }
        #expect(object["key\(size)"] == nil)
        #expect(object.keys == (0..<size).map { "key\($0)" })
    }

    @Test("an array of similar objects: each keeps its own keys when shapes agree, differ, shrink or grow")
    func objectShapes() throws {
        let value = try parse(
            #"""
            [{"a":1,"b":2,"c":3},
             {"a":4,"b":5,"c":6},
             {"a":7,"b":8},
             {"a":9,"b":10,"c":11,"d":12},
             {"b":13,"a":14,"c":15},
             {"x":16},
             {},
             {"a":17,"b":18,"c":19},
             {"a":[{"n":1},{"n":2,"m":3}],"b":{"n":4}}]
            """#)
        let objects = try #require(value.arrayValue).map { try #require($0.objectValue) }
        #expect(
            objects.map(\.keys) == [
                ["a", "b", "c"], ["a", "b", "c"], ["a", "b"], ["a", "b", "c", "d"], ["b", "a", "c"], ["x"], [],
                ["a", "b", "c"], ["a", "b"],
            ])
        #expect(objects[4]["a"] == 14)
        #expect(objects[3]["d"] == 12)
        #expect(objects[8]["a"]?.arrayValue?.last?.objectValue?.keys == ["n", "m"])
        #expect(objects[8]["b"]?.objectValue?["n"] == 4)
    }

    @Test("keys that differ only in the middle are told apart", arguments: [1, 7, 8, 9, 15, 16, 17, 24, 40])
    func similarKeys(padding: Int) throws {
        let fill = String(repeating: "p", count: padding)
        let keys = (0..<20).map { "\(fill)\($0 % 10)\($0 / 10)\(fill)" }
        let text =
            "["
            + (0..<3).map { _ in "{" + keys.map { #""\#($0)":1"# }.joined(separator: ",") + "}" }
            .joined(separator: ",") + "]"
        for object in try #require(try parse(text).arrayValue) {
            #expect(object.objectValue?.keys == keys)
        }
    }

    @Test("short keys at the very end of the input are read correctly")
    func keysNearTheEnd() throws {
        for length in 0...9 {
            let key = String(repeating: "k", count: length)
            #expect(try parse(#"{"\#(key)":1}"#).objectValue?.keys == [key])
            #expect(try parse(#"{"\#(key)":1,"z":2}"#).objectValue?.keys == [key, "z"])
        }
    }

    @Test("a Data slice and a raw buffer parse the same as a whole Data")
    func inputForms() throws {
        let padded = Data("xxxxx[1, {\"a\": \"b\"}]".utf8)
        let slice = padded[padded.startIndex.advanced(by: 5)...]
        let expected: JSONValue = [1, ["a": "b"]]
        #expect(try JSONValue.parse(slice) == expected)
        let fromBuffer = try Array("[1, {\"a\": \"b\"}]".utf8).withUnsafeBytes { buffer throws(JSONParseError) in
            try JSONValue.parse(buffer)
        }
        #expect(fromBuffer == expected)
    }

    @Test("large documents: a long array, a long string, deep but allowed nesting")
    func largeDocuments() throws {
        let numbers = "[" + (0..<10_000).map(String.init).joined(separator: ",") + "]"
        #expect(try parse(numbers).arrayValue?.count == 10_000)
        #expect(try parse(numbers).arrayValue?.last?.numberValue?.int == 9_999)
        let long = String(repeating: "abcdé😀\\n", count: 10_000)
        #expect(try parse("\"\(long)\"").stringValue == String(repeating: "abcdé😀\n", count: 10_000))
        let depth = JSONValue.maximumDepth
        var value = try parse(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        for _ in 1..<depth { value = try #require(value.arrayValue?.first) }
        #expect(value == [])
        let objects = String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
        #expect(try parse(objects).objectValue?["a"] != nil)
    }
}

// MARK: - Strings

@Suite("JSONValue parsing: strings")
struct JSONStringParsingTests {
    @Test(
        "escapes decode",
        arguments: [
            (#""\u00e9""#, "é"),
            (#""\u00E9""#, "é"),
            (#""\ud83d\ude00""#, "😀"),
            (#""\uD83D\uDE00""#, "😀"),
            (#""\/""#, "/"),
            (#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{08}\u{0C}\n\r\t"),
            (#""\u0000""#, "\u{00}"),
            (#""\u001f\u007f""#, "\u{1F}\u{7F}"),
            (#""\uffff\uE000""#, "\u{FFFF}\u{E000}"),
            (#""\udbff\udfff""#, "\u{10FFFF}"),
            (#""a\nb\u0041c""#, "a\nbAc"),
            (#""café \u2713 \ud83d\ude00 end""#, "café ✓ 😀 end"),
            (#""\\\\\\""#, "\\\\\\"),
        ])
    func escapes(text: String, expected: String) throws {
        #expect(try parse(text) == .string(expected))
        #expect(try parse("[\(text)]") == .array([.string(expected)]))
        #expect(
            try parse("{\(text):\(text)}") == .object(JSONObject(uniqueKeysWithValues: [(expected, .string(expected))]))
        )
    }

    @Test(
        "raw UTF-8 of every length is accepted",
        arguments: [
            "é", "ß€", "中文", "😀", "🇩🇪", "\u{80}", "\u{7FF}", "\u{800}", "\u{D7FF}", "\u{E000}", "\u{FFFF}",
            "\u{10000}", "\u{10FFFF}", "\u{7F}",
        ])
    func rawUTF8(text: String) throws {
        #expect(try parse("\"\(text)\"") == .string(text))
        #expect(try parse("\"abcdefgh\(text)abcdefgh\"") == .string("abcdefgh\(text)abcdefgh"))
        #expect(try parse("{\"\(text)\":\"\(text)\"}").objectValue?[text] == .string(text))
    }

    @Test("a special byte at every position of the first 40 bytes is found", arguments: 0..<40)
    func specialBytePositions(position: Int) throws {
        let before = String(repeating: "a", count: position)
        let after = String(repeating: "b", count: 40 - position)
        #expect(try parse(#""\#(before)\n\#(after)""#) == .string("\(before)\n\(after)"))
        #expect(try parse(#""\#(before)é\#(after)""#) == .string("\(before)é\(after)"))
        #expect(try parse(#""\#(before)""#) == .string(before))
        #expect(failure("\"\(before)\u{01}\(after)\"")?.offset == position + 1)
        #expect(failure(Array("\"\(before)".utf8) + [0xFF] + Array("\(after)\"".utf8))?.offset == position + 1)
    }

    @Test("every raw control character is refused, escaped or not", arguments: UInt8(0)..<0x20)
    func rawControlCharacters(byte: UInt8) throws {
        let error = try #require(failure([0x22, 0x61, byte, 0x62, 0x22]))
        #expect(error.offset == 2)
        #expect(error.problem.contains("control character"))
        #expect(failure([0x22, 0x5C, 0x6E, byte, 0x22])?.offset == 3)
        let escaped = "\"\\u00" + String(byte, radix: 16).leftPadded(to: 2) + "\""
        #expect(try parse(escaped) == .string(String(UnicodeScalar(byte))))
    }

    @Test(
        "invalid escapes and lone surrogates are refused",
        arguments: [
            (#""\x""#, 1, "invalid escape \\x"),
            (#""\U0041""#, 1, "invalid escape \\U"),
            (#""\u12""#, 5, "\\u escape needs four hex digits"),
            (#""\u12G4""#, 5, "\\u escape needs four hex digits"),
            (#""\ud83d""#, 1, "lone surrogate \\uD83D"),
            (#""\ud83dx""#, 1, "lone surrogate \\uD83D"),
            (#""\ud83d\u0041""#, 1, "lone surrogate \\uD83D"),
            (#""\ud83d\ud83d""#, 1, "lone surrogate \\uD83D"),
            (#""\ude00""#, 1, "lone surrogate \\uDE00"),
            (#""a\ude00\ud83d""#, 2, "lone surrogate \\uDE00"),
            (#""\"#, 0, "unterminated string"),
            (#""\u00"#, 0, "unterminated string"),
            (#""abc\ud83d\u00"#, 0, "unterminated string"),
            (#""ab\ncd"#, 0, "unterminated string"),
            (#"["x", "ab\n\tcdefghijklmnop"#, 6, "unterminated string"),
            (#"{"ab\ncd"#, 1, "unterminated string"),
        ])
    func badEscapes(text: String, offset: Int, problem: String) throws {
        let error = try #require(failure(text))
        #expect(error.offset == offset)
        #expect(error.problem.hasPrefix(problem))
    }

    @Test(
        "invalid UTF-8 is refused at the offending byte",
        arguments: [
            [0x22, 0xFF, 0x22],  // never valid
            [0x22, 0x80, 0x22],  // lone continuation byte
            [0x22, 0xC0, 0xAF, 0x22],  // overlong "/"
            [0x22, 0xC1, 0xBF, 0x22],  // overlong
            [0x22, 0xE0, 0x80, 0xAF, 0x22],  // overlong three-byte form
            [0x22, 0xED, 0xA0, 0x80, 0x22],  // encoded surrogate U+D800
            [0x22, 0xF0, 0x80, 0x80, 0xAF, 0x22],  // overlong four-byte form
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // above U+10FFFF
            [0x22, 0xF5, 0x80, 0x80, 0x80, 0x22],
            [0x22, 0xE2, 0x82, 0x22],  // truncated "€"
            [0x22, 0xC3],  // truncated at the end of input
        ] as [[UInt8]])
    func invalidUTF8(bytes: [UInt8]) throws {
        let error = try #require(failure(bytes))
        #expect(error.offset == 1)
        #expect(error.problem == "invalid UTF-8 byte 0x" + String(bytes[1], radix: 16, uppercase: true))
        // The same inside a key, and after an escape, which takes the slower path.
        #expect(failure([0x7B] + bytes + Array(":1}".utf8))?.offset == 2)
        #expect(failure([0x22, 0x5C, 0x6E] + bytes.dropFirst())?.offset == 3)
    }
}

// MARK: - Numbers

@Suite("JSONValue parsing: numbers")
struct JSONNumberParsingTests {
    @Test(
        "numbers keep their literal text",
        arguments: [
            "0", "-0", "12.5e-3", "1E10", "1e+2", "1E-0", "-12.34", "0.0", "0e0", "10", "9007199254740993",
            "123456789012345678901234567890", "1.7976931348623157e308", "5e-324",
        ])
    func literalText(text: String) throws {
        #expect(try parse(text) == number(text))
        #expect(try parse("[\(text)]") == [number(text)])
        #expect(try parse("{\"n\":\(text)}").objectValue?["n"]?.numberValue?.text == text)
        #expect(JSONNumber(text)?.text == text)
    }

    @Test(
        "int is the exact integer, or nil",
        arguments: [
            ("12", 12), ("-12", -12), ("0", 0), ("-0", 0), ("12.0", nil), ("1e2", nil), ("1E2", nil), ("0.5", nil),
            ("9223372036854775807", Int.max), ("-9223372036854775808", Int.min), ("9223372036854775808", nil),
            ("-9223372036854775809", nil), ("123456789012345678901234567890", nil),
        ] as [(String, Int?)])
    func int(text: String, expected: Int?) throws {
        #expect(try parse(text).numberValue?.int == expected)
    }

    @Test("double is the nearest finite Double, or nil")
    func double() throws {
        #expect(JSONNumber("12.5e-3")?.double == 0.0125)
        #expect(JSONNumber("-2")?.double == -2)
        #expect(JSONNumber("1e400")?.double == nil)
        #expect(JSONNumber(42).text == "42")
        #expect(JSONNumber(-7).int == -7)
    }

    @Test(
        "malformed numbers are refused",
        arguments: [
            ("01", 0, "number has a leading zero"), ("-01", 1, "number has a leading zero"),
            ("00", 0, "number has a leading zero"), ("+1", 0, "unexpected character '+'"),
            ("1.", 2, "number needs a digit after the decimal point"),
            ("1.e3", 2, "number needs a digit after the decimal point"), (".5", 0, "unexpected character '.'"),
            ("-", 1, "unexpected end of input"), ("-a", 1, "unexpected character 'a'"),
            ("--1", 1, "unexpected character '-'"), ("1e", 2, "number needs a digit in its exponent"),
            ("1e+", 3, "number needs a digit in its exponent"), ("1E-x", 3, "number needs a digit in its exponent"),
            ("NaN", 0, "unexpected character 'N'"), ("Infinity", 0, "unexpected character 'I'"),
            ("-Infinity", 1, "unexpected character 'I'"), ("0x10", 1, "unexpected character 'x' after the JSON value"),
            ("1 2", 2, "unexpected character '2' after the JSON value"), ("[1.5.2]", 4, "unexpected character '.'"),
            ("[-]", 2, "unexpected character ']'"),
        ])
    func malformed(text: String, offset: Int, problem: String) throws {
        let error = try #require(failure(text))
        #expect(error.offset == offset)
        #expect(error.problem == problem)
        #expect(JSONNumber(text) == nil)
    }

    @Test("JSONNumber(_:) refuses text that is not exactly one number", arguments: ["", " 1", "1 ", "1,", "x", "true"])
    func numberInitializer(text: String) {
        #expect(JSONNumber(text) == nil)
    }
}

// MARK: - Errors

/// An input that must be refused, where, and why.
struct RefusedJSONInput: Sendable, CustomTestStringConvertible {
    let bytes: [UInt8]
    let offset: Int
    let problem: String
    let testDescription: String

    init(_ text: String, at offset: Int, _ problem: String) {
        self.init(Array(text.utf8), at: offset, problem, name: text.debugDescription)
    }

    init(_ bytes: [UInt8], at offset: Int, _ problem: String, name: String) {
        self.bytes = bytes
        self.offset = offset
        self.problem = problem
        self.testDescription = name
    }
}

@Suite("JSONValue parsing: errors")
struct JSONParseErrorTests {
    static let refused: [RefusedJSONInput] = [
        RefusedJSONInput("", at: 0, "is empty"),
        RefusedJSONInput("{", at: 1, "unexpected end of input"),
        RefusedJSONInput("[1,]", at: 3, "unexpected character ']'"),
        RefusedJSONInput(#"{"a":1,}"#, at: 7, "unexpected character '}'"),
        RefusedJSONInput("01", at: 0, "number has a leading zero"),
        RefusedJSONInput("+1", at: 0, "unexpected character '+'"),
        RefusedJSONInput("1.", at: 2, "number needs a digit after the decimal point"),
        RefusedJSONInput(".5", at: 0, "unexpected character '.'"),
        RefusedJSONInput("NaN", at: 0, "unexpected character 'N'"),
        RefusedJSONInput("tru", at: 3, "unexpected end of input"),
        RefusedJSONInput(#""abc"#, at: 0, "unterminated string"),
        RefusedJSONInput("\"a\tb\"", at: 2, "unescaped control character U+0009 in string"),
        RefusedJSONInput(#"{"a" 1}"#, at: 5, "unexpected character '1'"),
        RefusedJSONInput("[1] x", at: 4, "unexpected character 'x' after the JSON value"),
        RefusedJSONInput(#"{"a":1,"a":2}"#, at: 7, #"duplicate key "a""#),
        RefusedJSONInput(
            String(repeating: "[", count: 600) + String(repeating: "]", count: 600), at: 512,
            "nesting deeper than 512 levels"),
        RefusedJSONInput([0x22, 0xFF, 0x22], at: 1, "invalid UTF-8 byte 0xFF", name: "[0x22, 0xFF, 0x22]"),
        // More of the same kinds.
        RefusedJSONInput("   ", at: 3, "unexpected end of input"),
        RefusedJSONInput("[", at: 1, "unexpected end of input"),
        RefusedJSONInput("[1", at: 2, "unexpected end of input"),
        RefusedJSONInput("[1,", at: 3, "unexpected end of input"),
        RefusedJSONInput(#"{"a""#, at: 4, "unexpected end of input"),
        RefusedJSONInput(#"{"a":"#, at: 5, "unexpected end of input"),
        RefusedJSONInput(#"{"a":1"#, at: 6, "unexpected end of input"),
        RefusedJSONInput("[1 2]", at: 3, "unexpected character '2'"),
        RefusedJSONInput("[,1]", at: 1, "unexpected character ','"),
        RefusedJSONInput("[1,,2]", at: 3, "unexpected character ','"),
        RefusedJSONInput("{1:2}", at: 1, "unexpected character '1'"),
        RefusedJSONInput("{'a':2}", at: 1, "unexpected character '''"),
        RefusedJSONInput(#"{"a":}"#, at: 5, "unexpected character '}'"),
        RefusedJSONInput(#"{"a"::1}"#, at: 5, "unexpected character ':'"),
        RefusedJSONInput(#"{"a":1 "b":2}"#, at: 7, "unexpected character '\"'"),
        RefusedJSONInput("[1]]", at: 3, "unexpected character ']' after the JSON value"),
        RefusedJSONInput("{}}", at: 2, "unexpected character '}' after the JSON value"),
        RefusedJSONInput("truex", at: 4, "unexpected character 'x' after the JSON value"),
        RefusedJSONInput("True", at: 0, "unexpected character 'T'"),
        RefusedJSONInput("nul", at: 3, "unexpected end of input"),
        RefusedJSONInput("nulL", at: 3, "unexpected character 'L'"),
        RefusedJSONInput("fals", at: 4, "unexpected end of input"),
        RefusedJSONInput("\u{0C}1", at: 0, "unexpected byte 0x0C"),  // form feed is not JSON whitespace
        RefusedJSONInput("\u{A0}1", at: 0, "unexpected byte 0xC2"),  // nor is a no-break space
        RefusedJSONInput("\u{FEFF}{}", at: 0, "unexpected byte 0xEF"),  // nor a byte-order mark
        RefusedJSONInput("[1]\u{00}", at: 3, "unexpected byte 0x00 after the JSON value"),
        RefusedJSONInput(#"{"a":{"b":1,"b":2}}"#, at: 12, #"duplicate key "b""#),
        RefusedJSONInput(#"{"a":1,"\u0061":2}"#, at: 7, #"duplicate key "a""#),
        RefusedJSONInput(#"{"\u0061":1,"a":2}"#, at: 12, #"duplicate key "a""#),
        // Swift compares strings by canonical equivalence, so these spell the same key.
        RefusedJSONInput(#"{"é":1,"e\u0301":2}"#, at: 8, #"duplicate key "é""#),
        RefusedJSONInput(#"{"K":1,"\u212a":2}"#, at: 7, #"duplicate key "K""#),
        // Duplicates in later objects of an array, whose shape matches the first object's at first.
        RefusedJSONInput(#"[{"a":1,"b":2},{"a":1,"a":2}]"#, at: 22, #"duplicate key "a""#),
        RefusedJSONInput(#"[{"a":1,"b":2},{"a":1,"b":2,"a":3}]"#, at: 28, #"duplicate key "a""#),
        RefusedJSONInput(#"[{"a":1,"b":2},{"a":1,"b":2,"b":3}]"#, at: 28, #"duplicate key "b""#),
        RefusedJSONInput(
            "{" + (0..<30).map { #""k\#($0)":0,"# }.joined() + #""k3":1}"#, at: 231, #"duplicate key "k3""#),
        RefusedJSONInput(
            "{" + (0..<16).map { #""k\#($0)":0,"# }.joined() + #""k0":1}"#, at: 119, #"duplicate key "k0""#),
        RefusedJSONInput(
            String(repeating: #"{"a":"#, count: 513) + "1" + String(repeating: "}", count: 513),
            at: 512 * 5, "nesting deeper than 512 levels"),
        RefusedJSONInput(
            String(repeating: "[", count: 513) + String(repeating: "]", count: 513), at: 512,
            "nesting deeper than 512 levels"),
    ]

    @Test("invalid documents are refused with the offset and the problem", arguments: refused)
    func refusedInputs(input: RefusedJSONInput) throws {
        let error = try #require(failure(input.bytes))
        #expect(error.offset == input.offset)
        #expect(error.problem == input.problem)
    }

    @Test("descriptions read as the rest of a sentence")
    func descriptions() throws {
        #expect(failure(#"{"amount": 12,}"#)?.description == "is not valid JSON: unexpected character '}' at byte 14")
        #expect(failure("")?.description == "is empty")
        #expect(failure(#"{"a":1,"a":2}"#)?.description == #"is not valid JSON: duplicate key "a" at byte 7"#)
    }

    @Test("parse(_:) throws JSONParseError as its typed error")
    func typedThrows() {
        let error = #expect(throws: JSONParseError.self) { try JSONValue.parse(Data("[1,]".utf8)) }
        #expect(error == JSONParseError(offset: 3, problem: "unexpected character ']'"))
        let empty = Data()
        #expect(throws: JSONParseError(offset: 0, problem: "is empty")) { try JSONValue.parse(empty) }
    }
}

// MARK: - JSONObject

@Suite("JSONObject")
struct JSONObjectTests {
    @Test("equality and hashing ignore member order, as RFC 8259 objects are unordered")
    func unorderedEquality() throws {
        let first = try parse(#"{"a":1,"b":[true,{"c":null}]}"#)
        let second = try parse(#"{"b":[true,{"c":null}],"a":1}"#)
        #expect(first == second)
        #expect(first.hashValue == second.hashValue)
        #expect(!identical(first, second))
        #expect(Set([first, second]).count == 1)
        #expect(try parse(#"{"a":1}"#) != parse(#"{"a":2}"#))
        #expect(try parse(#"{"a":1}"#) != parse(#"{"b":1}"#))
        #expect(try parse(#"{"a":1}"#) != parse(#"{"a":1,"b":1}"#))
        #expect(try parse("[1,2]") != parse("[2,1]"))
        #expect(try parse("1.0") != parse("1"))
    }

    @Test("init(uniqueKeysWithValues:) and literals build the same objects as parsing", arguments: [3, 17, 50])
    func building(size: Int) throws {
        let members = (0..<size).map { ("k\($0)", JSONValue.number(JSONNumber($0))) }
        let built = JSONObject(uniqueKeysWithValues: members)
        let text = "{" + (0..<size).map { #""k\#($0)":\#($0)"# }.joined(separator: ",") + "}"
        #expect(try parse(text) == .object(built))
        #expect(built["k\(size - 1)"] == .number(JSONNumber(size - 1)))
        #expect(built["nope"] == nil)
        #expect(built.members.map(\.key) == members.map(\.0))
        #expect(!built.isEmpty)
        let literal: JSONValue = ["k0": 0, "k1": "one", "k2": [nil, false]]
        #expect(try parse(#"{"k0":0,"k1":"one","k2":[null,false]}"#) == literal)
    }
}

// MARK: - Round trips and agreement with JSONSerialization

/// SplitMix64: small, seeded, and the same on every platform.
/// SplitMix64: a seeded generator, so generated cases are the same on every run (other Core tests use it too).
struct JSONTestRandom: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// Random JSON values and a writer that spells them in randomly varied but valid ways.
private struct JSONGenerator {
    var random: JSONTestRandom

    static let pieces: [String] = [
        "a", "b", "Z", "0", " ", "id", "amount", "\"", "\\", "/", "\n", "\r", "\t", "\u{01}", "\u{1F}", "\u{7F}",
        "é", "e\u{301}", "ß", "€", "✓", "中", "😀", "🇩🇪", "K", "\u{212A}", "\u{FFFF}", "\u{10FFFF}", "\u{E000}",
        "long text that needs the heap",
    ]

    mutating func string() -> String {
        let count = Int.random(in: 0...(Bool.random(using: &random) ? 3 : 12), using: &random)
        return (0..<count).map { _ in Self.pieces.randomElement(using: &random)! }.joined()
    }

    mutating func digits(_ range: ClosedRange<Int>, leadingZeroAllowed: Bool) -> String {
        let count = Int.random(in: range, using: &random)
        return (0..<count).map { position in
            String(Int.random(in: (position == 0 && !leadingZeroAllowed ? 1 : 0)...9, using: &random))
        }.joined()
    }

    mutating func numberText() -> String {
        switch Int.random(in: 0..<4, using: &random) {
        case 0: return String(Int.random(in: Int.min...Int.max, using: &random))
        case 1: return String(Int.random(in: -1000...1000, using: &random))
        default:
            var text = Bool.random(using: &random) ? "-" : ""
            text += Bool.random(using: &random) ? "0" : digits(1...6, leadingZeroAllowed: false)
            if Bool.random(using: &random) { text += "." + digits(1...6, leadingZeroAllowed: true) }
            if Bool.random(using: &random) {
                text += ["e", "E"].randomElement(using: &random)! + ["", "+", "-"].randomElement(using: &random)!
                text += String(Int.random(in: 0...20, using: &random))
            }
            return text
        }
    }

    mutating func keys(count: Int) -> [String] {
        var keys: [String] = []
        var seen = Set<String>()
        while keys.count < count {
            let key = Bool.random(using: &random) ? string() : "k\(Int.random(in: 0...99, using: &random))"
            if seen.insert(key).inserted { keys.append(key) }
        }
        return keys
    }

    mutating func value(depth: Int) -> JSONValue {
        let kinds = depth > 0 ? 8 : 5
        switch Int.random(in: 0..<kinds, using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2: return .number(JSONNumber(unchecked: numberText()))
        case 3, 4: return .string(string())
        case 5:
            return .array((0..<Int.random(in: 0...5, using: &random)).map { _ in value(depth: depth - 1) })
        case 6:
            // Records: objects sharing key lists, with some variations, as in an array of request items.
            let shared = keys(count: Int.random(in: 1...6, using: &random))
            return .array(
                (0..<Int.random(in: 1...6, using: &random)).map { _ in
                    var keys = shared
                    switch Int.random(in: 0..<5, using: &random) {
                    case 0: keys.removeLast()
                    case 1: keys.shuffle(using: &random)
                    case 2: if !keys.contains("extra") { keys.append("extra") }
                    default: break
                    }
                    return .object(
                        JSONObject(uniqueKeysWithValues: keys.map { ($0, value(depth: depth - 2)) }))
                })
        default:
            let count =
                Int.random(in: 0...10, using: &random) == 0
                ? Int.random(in: 17...40, using: &random)
                : Int.random(in: 0...6, using: &random)
            return .object(
                JSONObject(uniqueKeysWithValues: keys(count: count).map { ($0, value(depth: depth - 1)) }))
        }
    }

    mutating func space() -> String {
        ["", "", "", " ", "\n", "\t", "\r\n  "].randomElement(using: &random)!
    }

    mutating func write(_ value: JSONValue, to output: inout String) {
        output += space()
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .number(let number): output += number.text
        case .string(let text): write(text, to: &output)
        case .array(let elements):
            output += "["
            for (position, element) in elements.enumerated() {
                if position > 0 { output += "," }
                write(element, to: &output)
            }
            output += space() + "]"
        case .object(let object):
            output += "{"
            for (position, member) in object.members.enumerated() {
                if position > 0 { output += "," }
                output += space()
                write(member.key, to: &output)
                output += space() + ":"
                write(member.value, to: &output)
            }
            output += space() + "}"
        }
        output += space()
    }

    mutating func write(_ text: String, to output: inout String) {
        func hexEscape(_ unit: UInt16, uppercase: Bool) -> String {
            "\\u" + String(unit, radix: 16, uppercase: uppercase).leftPadded(to: 4)
        }
        output += "\""
        for scalar in text.unicodeScalars {
            let uppercase = Bool.random(using: &random)
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += Bool.random(using: &random) ? "\\n" : "\\u000a"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "/": output += Bool.random(using: &random) ? "\\/" : "/"
            default:
                if scalar.value < 0x20 || Int.random(in: 0..<4, using: &random) == 0 {
                    output += UTF16.encode(scalar)!.map { hexEscape($0, uppercase: uppercase) }.joined()
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}

/// Whether Foundation's reading of a document (`JSONSerialization`) matches `value`.
private func agrees(_ value: JSONValue, _ foundation: Any) -> Bool {
    switch value {
    case .null:
        return foundation is NSNull
    case .bool(let flag):
        guard let number = foundation as? NSNumber else { return false }
        return String(cString: number.objCType) == "c" && number.boolValue == flag
    case .number(let jsonNumber):
        guard let number = foundation as? NSNumber, String(cString: number.objCType) != "c" else { return false }
        if let int = jsonNumber.int { return number.int64Value == Int64(int) }
        guard let double = jsonNumber.double else { return false }
        return abs(number.doubleValue - double) <= abs(double) * 1e-12
    case .string(let text):
        return foundation as? String == text
    case .array(let elements):
        guard let array = foundation as? [Any], array.count == elements.count else { return false }
        return zip(elements, array).allSatisfy { agrees($0, $1) }
    case .object(let object):
        guard let dictionary = foundation as? [String: Any], dictionary.count == object.count else { return false }
        return object.members.allSatisfy { member in dictionary[member.key].map { agrees(member.value, $0) } ?? false }
    }
}

@Suite("JSONValue round trips")
struct JSONRoundTripTests {
    @Test(
        "random values written with random spacing and escapes parse back identical", arguments: 0..<20 as Range<UInt64>
    )
    func roundTrip(seed: UInt64) throws {
        var generator = JSONGenerator(random: JSONTestRandom(state: seed))
        for _ in 0..<25 {
            let value = generator.value(depth: 4)
            var text = ""
            generator.write(value, to: &text)
            let parsed = try parse(text)
            #expect(identical(parsed, value), "\(text)")
        }
    }

    @Test("JSONSerialization reads the same documents the same way", arguments: 0..<10 as Range<UInt64>)
    func agreesWithFoundation(seed: UInt64) throws {
        var generator = JSONGenerator(random: JSONTestRandom(state: 1_000 + seed))
        for _ in 0..<25 {
            var text = ""
            generator.write(generator.value(depth: 4), to: &text)
            let data = Data(text.utf8)
            let foundation = try JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed)
            #expect(agrees(try JSONValue.parse(data), foundation), "\(text)")
        }
    }

    @Test(
        "hand-written documents read the same as with JSONSerialization",
        arguments: [
            #"{"batch":"2024-05-01","requests":[{"id":"r1","amount":"12.50","consent":true,"attempts":3},{"id":"r2","amount":"0.99","consent":false,"attempts":0}]}"#,
            #"[1, -0, 2.5, -1.25e-3, 1E10, 12345678901234, "\u00e9\ud83d\ude00\/", null, true, false, [], {}]"#,
            #"{"nested":{"deeper":{"deepest":[[[[{"x":"y"}]]]]}}, "text":"line\nbreak\ttab \"quoted\" back\\slash"}"#,
            #""just a string""#,
            "  42  ",
            #"{"unicode":"Grüße aus Köln — 東京 🚀","escaped":"\u0041\u00DF\u6771\uD83D\uDE80"}"#,
        ])
    func handWritten(text: String) throws {
        let data = Data(text.utf8)
        let foundation = try JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed)
        #expect(agrees(try JSONValue.parse(data), foundation))
    }
}
