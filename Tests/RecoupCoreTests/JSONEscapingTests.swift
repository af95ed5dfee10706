import Foundation
import RecoupCore
import Testing

@Suite("JSON string escaping")
struct JSONEscapingTests {
    @Test(
        "escapes what RFC 8259 requires and reads back to the same text",
        arguments: ["plain", "say \"no\"", #"back\slash"#, "line\nbreak\r\ttab", "bell\u{07}", "café ✓ 🎉", ""])
    func roundTrip(text: String) throws {
        var output = ""
        appendJSONString(text, to: &output)
        #expect(output.hasPrefix("\"") && output.hasSuffix("\""))
        #expect(!output.dropFirst().dropLast().contains("\n"))
        let decoded = try JSONSerialization.jsonObject(with: Data("[\(output)]".utf8), options: []) as? [String]
        #expect(decoded == [text])
    }

    @Test("control characters become \\u escapes")
    func controlCharacters() {
        var output = ""
        appendJSONString("a\u{01}b", to: &output)
        #expect(output == #""a\u0001b""#)
    }
}
