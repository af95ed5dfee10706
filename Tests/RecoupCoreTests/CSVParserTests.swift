import RecoupCore
import Testing

// MARK: - Helpers

/// What parsing an input produced: its records, or the error it stopped with.
private enum Outcome: Equatable, CustomStringConvertible {
    case records([CSVRecord])
    case failure(CSVError)

    var description: String {
        switch self {
        case .records(let records): return "records(\(records))"
        case .failure(let error): return "failure(\(error))"
        }
    }
}

/// Parses `bytes`, feeding chunks whose sizes come from `nextChunkSize` (0-sized chunks included).
private func outcome(of bytes: [UInt8], chunkSize nextChunkSize: () -> Int) -> Outcome {
    var parser = CSVParser()
    var records: [CSVRecord] = []
    do {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let size = min(nextChunkSize(), buffer.count - offset)
                try parser.feed(UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + size)])) {
                    records.append($0)
                }
                offset += size
            }
        }
        try parser.finish { records.append($0) }
        return .records(records)
    } catch let error as CSVError {
        return .failure(error)
    } catch {
        Issue.record("unexpected error \(error)")
        return .records([])
    }
}

/// Parses `bytes` in one chunk.
private func outcome(of bytes: [UInt8]) -> Outcome {
    outcome(of: bytes, chunkSize: { bytes.count })
}

/// Parses `text` in one chunk.
private func outcome(of text: String) -> Outcome {
    outcome(of: Array(text.utf8))
}

/// Shorthand for the records of a successful parse.
private func records(_ lines: (Int, [String])...) -> Outcome {
    .records(lines.map { CSVRecord(line: $0.0, fields: $0.1) })
}

private func bytes(_ text: String) -> [UInt8] {
    Array(text.utf8)
}

/// Inputs exercising every state of the parser, each split at every position by the chunking tests.
private let tricky: [[UInt8]] = [
    bytes("a,b,c\n1,2,3\n"),
    bytes("\u{FEFF}name,city\r\n\"Smith, J\",\"He said \"\"hi\"\"\"\r\n"),
    bytes("x,\"multi\r\nline\nfield\",y\r\n\r\nnext,row"),
    bytes("é,日本,🎉\n\"ü\"\"\",ß\nabcdefghijklmnopé,xyz\nabc,é\n"),
    bytes("a\rb\r\rc\r"),
    bytes("\"\"\n,\n,,\n\"\",\"\"\n"),
    bytes("\"a long quoted field\rwith a lone CR and \"\"quotes\"\" inside\",\"\"\"\"\n"),
    bytes("\"unterminated\nabc"),
    bytes("ok\nab\"c\n"),
    bytes("\"a\"b\n"),
    bytes("\"a\"\"\"\"\n"),
    bytes("\u{FEC0}x,y\n"),  // Starts with EF BB 80: looks like a byte order mark for two bytes.
    [0xEF, 0xBB],
    [0xEF, 0xBB, 0xBF],
    [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, 0x0A],
    bytes("ok\n") + [0xC3] + bytes(",x\n"),
    bytes("ok,\"quoted \n") + [0xE2, 0x82] + bytes("\"\n"),
    bytes("a,b,\n,\n\n\n   \n"),
    bytes("12345678,123456789012345,\"12345678\"\r\n1234567,\"1234567\n90\"\r"),
]

@Suite("CSVParser and CSVWriter")
struct CSVParserTests {
    // MARK: - Fields and quotes

    @Test func simpleRecords() {
        #expect(outcome(of: "a,b,c\n1,2,3\n") == records((1, ["a", "b", "c"]), (2, ["1", "2", "3"])))
    }

    @Test func quotedFieldsMayContainCommas() {
        #expect(outcome(of: "\"Smith, J\",x,\"a,b,c\"\n") == records((1, ["Smith, J", "x", "a,b,c"])))
    }

    @Test func doubledQuotesInQuotedFieldsAreUnescaped() {
        #expect(
            outcome(of: "\"He said \"\"hi\"\"\",\"\"\"\",\"\"\"\"\"\"\"\"\n")
                == records((1, ["He said \"hi\"", "\"", "\"\"\""]))
        )
    }

    @Test func whitespaceAroundFieldsIsKept() {
        #expect(outcome(of: " a , b ,\t\n") == records((1, [" a ", " b ", "\t"])))
    }

    @Test func emptyFieldsAreKept() {
        #expect(outcome(of: "a,,c\n,\n,,\n") == records((1, ["a", "", "c"]), (2, ["", ""]), (3, ["", "", ""])))
    }

    @Test func emptyQuotedFieldIsARecordNotABlankLine() {
        #expect(outcome(of: "\"\"\n\"\",\"\"\n") == records((1, [""]), (2, ["", ""])))
    }

    @Test func trailingCommaGivesATrailingEmptyField() {
        #expect(outcome(of: "a,b,\nc,\"d\",\n") == records((1, ["a", "b", ""]), (2, ["c", "d", ""])))
    }

    @Test func lastRecordWithoutTrailingNewline() {
        #expect(outcome(of: "a,b\nc,d") == records((1, ["a", "b"]), (2, ["c", "d"])))
        #expect(outcome(of: "a,b\n\"c\"") == records((1, ["a", "b"]), (2, ["c"])))
        #expect(outcome(of: "a,b\nc,") == records((1, ["a", "b"]), (2, ["c", ""])))
    }

    @Test func recordsMayHaveDifferentFieldCounts() {
        #expect(outcome(of: "a\nb,c,d\ne,f\n") == records((1, ["a"]), (2, ["b", "c", "d"]), (3, ["e", "f"])))
    }

    @Test func nonASCIITextIsDecoded() {
        #expect(
            outcome(of: "é,日本,🎉\n\"ü\"\"\",ß\nabcdefghijklmnopé,xyz\n")
                == records((1, ["é", "日本", "🎉"]), (2, ["ü\"", "ß"]), (3, ["abcdefghijklmnopé", "xyz"]))
        )
    }

    @Test func longFieldsSpanningSeveralWords() {
        let long = String(repeating: "0123456789", count: 30)
        #expect(outcome(of: "\(long),\"\(long),\(long)\"\n") == records((1, [long, "\(long),\(long)"])))
    }

    // MARK: - Line ends and line numbers

    @Test func crlfLineEnds() {
        #expect(outcome(of: "a,b\r\nc,d\r\n") == records((1, ["a", "b"]), (2, ["c", "d"])))
        #expect(outcome(of: "\"a\"\r\n\"b\"\r\n") == records((1, ["a"]), (2, ["b"])))
    }

    @Test func loneCROutsideQuotesEndsARecord() {
        #expect(outcome(of: "a,b\rc,d\r\re") == records((1, ["a", "b"]), (2, ["c", "d"]), (4, ["e"])))
    }

    @Test func loneCRInsideQuotesIsKept() {
        #expect(outcome(of: "\"a\rb\",c\nd\n") == records((1, ["a\rb", "c"]), (3, ["d"])))
    }

    @Test func embeddedNewlinesAreKeptAndCounted() {
        let text = "id,note\n1,\"first\nsecond\"\n2,\"x\r\ny\r\nz\"\r\n3,end\n"
        #expect(
            outcome(of: text)
                == records(
                    (1, ["id", "note"]), (2, ["1", "first\nsecond"]), (4, ["2", "x\r\ny\r\nz"]), (7, ["3", "end"]))
        )
    }

    @Test func blankLinesAreSkippedButCounted() {
        #expect(outcome(of: "\n\na\n\n\nb\r\n\r\nc\n\n") == records((3, ["a"]), (6, ["b"]), (8, ["c"])))
    }

    @Test func inputsWithoutRecords() {
        #expect(outcome(of: "") == records())
        #expect(outcome(of: "\n\r\n\r\n\r") == records())
        #expect(outcome(of: "\u{FEFF}") == records())
        #expect(outcome(of: "\u{FEFF}\n\n") == records())
    }

    // MARK: - Byte order mark

    @Test func byteOrderMarkAtTheStartIsSkipped() {
        #expect(
            outcome(of: "\u{FEFF}name,city\nAda,London\n") == records((1, ["name", "city"]), (2, ["Ada", "London"])))
        #expect(outcome(of: "\u{FEFF}\"quoted\"\n") == records((1, ["quoted"])))
    }

    @Test func byteOrderMarkElsewhereIsKept() {
        #expect(outcome(of: "a\n\u{FEFF}b\n") == records((1, ["a"]), (2, ["\u{FEFF}b"])))
        #expect(outcome(of: "\u{FEFF}\u{FEFF}x\n") == records((1, ["\u{FEFF}x"])))
    }

    @Test func textThatOnlyStartsLikeAByteOrderMarkIsKept() {
        // U+FEC0 is EF BB 80: the first two bytes match the byte order mark, the third does not.
        #expect(outcome(of: "\u{FEC0}x,y\n") == records((1, ["\u{FEC0}x", "y"])))
        #expect(outcome(of: [0xEF, 0xBB]) == .failure(.invalidUTF8(line: 1, field: 1)))
        #expect(outcome(of: [0xEF, 0x2C, 0x61]) == .failure(.invalidUTF8(line: 1, field: 1)))
    }

    // MARK: - Errors

    @Test func unterminatedQuoteNamesTheLineWhereTheFieldOpens() {
        #expect(outcome(of: "a,b\nc,\"d\ne\nf") == .failure(.unterminatedQuote(line: 2)))
        #expect(outcome(of: "\"") == .failure(.unterminatedQuote(line: 1)))
        #expect(outcome(of: "\"abc\"\"") == .failure(.unterminatedQuote(line: 1)))
        #expect(throws: CSVError.unterminatedQuote(line: 3)) { try CSVParser.parse("a\n\n\"open") }
    }

    @Test func quoteInsideAnUnquotedFieldIsAnError() {
        #expect(outcome(of: "a,b\nc,d\"e\n") == .failure(.unexpectedQuote(line: 2, field: 2)))
        #expect(outcome(of: "ab\"") == .failure(.unexpectedQuote(line: 1, field: 1)))
    }

    @Test func textAfterAClosingQuoteIsAnError() {
        #expect(outcome(of: "x,\"a\"b\n") == .failure(.unexpectedQuote(line: 1, field: 2)))
        #expect(outcome(of: "\"a\" ,b\n") == .failure(.unexpectedQuote(line: 1, field: 1)))
        #expect(outcome(of: "\"a\nb\"c") == .failure(.unexpectedQuote(line: 2, field: 1)))
    }

    @Test func invalidUTF8NamesLineAndField() {
        #expect(outcome(of: bytes("a,b\n\nc,d,") + [0xFF] + bytes("\n")) == .failure(.invalidUTF8(line: 3, field: 3)))
        // A multi-line quoted field is named by the line where it starts.
        #expect(
            outcome(of: bytes("h\nx,\"line one\nbad ") + [0xC3, 0x28] + bytes("\"\n"))
                == .failure(.invalidUTF8(line: 2, field: 2))
        )
        // Invalid bytes after an escaped quote (so decoded from the carried-over buffer).
        #expect(outcome(of: bytes("\"a\"\"") + [0x80] + bytes("\"\n")) == .failure(.invalidUTF8(line: 1, field: 1)))
    }

    @Test(
        arguments: [
            [0x80], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF0, 0x80, 0x80, 0x80],
            [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xFE], [0xFF],
        ] as [[UInt8]])
    func malformedUTF8IsRejected(sequence: [UInt8]) {
        #expect(outcome(of: bytes("ok,") + sequence + bytes("\n")) == .failure(.invalidUTF8(line: 1, field: 2)))
        #expect(outcome(of: bytes("ok,\"") + sequence + bytes("\"\n")) == .failure(.invalidUTF8(line: 1, field: 2)))
    }

    @Test(
        arguments: [
            [0x7F], [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xEE, 0x80, 0x80],
            [0xEF, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF],
        ] as [[UInt8]])
    func boundaryUTF8IsAccepted(sequence: [UInt8]) {
        let expected = String(decoding: sequence, as: UTF8.self)
        #expect(outcome(of: bytes("ok,") + sequence + bytes("\n")) == records((1, ["ok", expected])))
    }

    /// Random byte strings: the parser must accept exactly those that are valid UTF-8. A string is valid exactly when
    /// decoding it (which replaces invalid sequences with U+FFFD) gives back the same bytes.
    @Test func utf8ValidationAgreesWithTheStandardLibrary() {
        var generator = SeededGenerator(seed: 7)
        let pool: [UInt8] = [
            0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xE1, 0xED, 0xEF,
            0xF0, 0xF1, 0xF4, 0xF5, 0xFF,
        ]
        let scalarRanges: [ClosedRange<UInt32>] = [
            0x41...0x7E, 0x80...0x7FF, 0x800...0xD7FF, 0xE000...0xFFFF,
            0x1_0000...0x10_FFFF,
        ]
        var acceptedCount = 0
        for _ in 0..<3000 {
            // A mix of well-formed characters and single bytes from the pool, which often break them.
            var field: [UInt8] = []
            for _ in 0..<Int.random(in: 1...5, using: &generator) {
                if Int.random(in: 0..<10, using: &generator) < 7 {
                    let range = scalarRanges[Int.random(in: 0..<scalarRanges.count, using: &generator)]
                    let scalar = Unicode.Scalar(UInt32.random(in: range, using: &generator)) ?? "?"
                    field += Array(String(Character(scalar)).utf8)
                } else {
                    field.append(pool[Int.random(in: 0..<pool.count, using: &generator)])
                }
            }
            let isValid = Array(String(decoding: field, as: UTF8.self).utf8) == field
            let result = outcome(of: bytes("x,") + field + bytes("\n"))
            if isValid {
                acceptedCount += 1
                #expect(result == records((1, ["x", String(decoding: field, as: UTF8.self)])), "\(field)")
            } else {
                #expect(result == .failure(.invalidUTF8(line: 1, field: 2)), "\(field)")
            }
        }
        // Both kinds must be common, or the test proves little.
        #expect(acceptedCount > 500)
        #expect(acceptedCount < 2500)
    }

    @Test func errorDescriptionsAreOneClearSentence() {
        #expect(
            CSVError.unterminatedQuote(line: 7).description == "line 7: a quoted field is never closed (missing \")"
        )
        #expect(CSVError.unexpectedQuote(line: 3, field: 2).description.hasPrefix("line 3, field 2: unexpected quote"))
        #expect(
            CSVError.invalidUTF8(line: 4, field: 1).description
                == "line 4, field 1: the text is not valid UTF-8 (save the file as UTF-8 and try again)"
        )
        #expect(
            CSVError.cannotRead(path: "/tmp/x.csv", reason: "no such file").description
                == "cannot read /tmp/x.csv: no such file"
        )
    }

    // MARK: - Streaming

    @Test(arguments: tricky)
    func byteAtATimeMatchesWholeInput(input: [UInt8]) {
        let whole = outcome(of: input)
        #expect(outcome(of: input, chunkSize: { 1 }) == whole)
    }

    @Test(arguments: tricky)
    func randomChunksMatchWholeInput(input: [UInt8]) {
        let whole = outcome(of: input)
        var generator = SeededGenerator(seed: UInt64(input.count))
        for _ in 0..<50 {
            #expect(outcome(of: input, chunkSize: { Int.random(in: 0...9, using: &generator) }) == whole)
        }
    }

    @Test func everySplitPointMatchesWholeInput() {
        for input in tricky {
            let whole = outcome(of: input)
            for split in 0...input.count {
                var sizes = [split, input.count - split].makeIterator()
                #expect(outcome(of: input, chunkSize: { sizes.next() ?? 0 }) == whole, "split at \(split) of \(input)")
            }
        }
    }

    @Test func recordErrorsStopParsingAndPropagate() {
        struct Stop: Error {}
        var parser = CSVParser()
        var seen: [CSVRecord] = []
        #expect(throws: Stop.self) {
            try Array("a\nb\nc\n".utf8).withUnsafeBytes { buffer in
                try parser.feed(buffer) { record in
                    seen.append(record)
                    if record.fields == ["b"] {
                        throw Stop()
                    }
                }
            }
        }
        #expect(seen == [CSVRecord(line: 1, fields: ["a"]), CSVRecord(line: 2, fields: ["b"])])
    }

    @Test func parserIsReusableAfterFinish() throws {
        var parser = CSVParser()
        var seen: [CSVRecord] = []
        for text in ["\n\"first\",x", "\u{FEFF}second\n"] {
            try Array(text.utf8).withUnsafeBytes { buffer in
                try parser.feed(buffer) { seen.append($0) }
            }
            try parser.finish { seen.append($0) }
        }
        #expect(seen == [CSVRecord(line: 2, fields: ["first", "x"]), CSVRecord(line: 1, fields: ["second"])])
    }

    @Test func manyRecordsInOneCall() throws {
        let header =
            "countryCode,customerID,PaperlessDate,invoiceNumber,InvoiceDate,DueDate,InvoiceAmount,Disputed,"
            + "SettledDate,PaperlessBill,DaysToSettle,DaysLate\n"
        let row = "391,0379-NEVHP,4/6/2013,0000611365,1/2/2013,2/1/2013,55.94,No,1/15/2013,Paper,13,0\n"
        let parsed = try CSVParser.parse(header + String(repeating: row, count: 5000))
        #expect(parsed.count == 5001)
        #expect(parsed[0].fields.count == 12)
        #expect(parsed[0].fields[11] == "DaysLate")
        #expect(
            parsed[5000]
                == CSVRecord(
                    line: 5001,
                    fields: [
                        "391", "0379-NEVHP", "4/6/2013", "0000611365", "1/2/2013", "2/1/2013", "55.94", "No",
                        "1/15/2013", "Paper", "13", "0",
                    ]
                )
        )
    }

    // MARK: - Writer

    @Test func writerQuotesOnlyWhenNeeded() {
        #expect(CSVWriter.escape("plain text") == "plain text")
        #expect(CSVWriter.escape("") == "")
        #expect(CSVWriter.escape("é 🎉") == "é 🎉")
        #expect(CSVWriter.escape("a,b") == "\"a,b\"")
        #expect(CSVWriter.escape("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVWriter.escape("two\nlines") == "\"two\nlines\"")
        #expect(CSVWriter.escape("cr\r") == "\"cr\r\"")
        #expect(CSVWriter.escape("\u{FEFF}x") == "\"\u{FEFF}x\"")
        #expect(CSVWriter.escape("x\u{FEFF}") == "x\u{FEFF}")
        #expect(CSVWriter.escape("\"\u{301}") == "\"\"\"\u{301}\"")  // A quote followed by a combining accent.
    }

    @Test func writerLinesEndWithLineFeed() {
        #expect(CSVWriter.line(["a", "b,c", ""]) == "a,\"b,c\",\n")
        #expect(CSVWriter.line([""]) == "\"\"\n")
        #expect(CSVWriter.line(["", ""]) == ",\n")
        #expect(CSVWriter.line([]) == "\n")
    }

    @Test func writerOutputParsesBackToTheSameFields() throws {
        var generator = SeededGenerator(seed: 2024)
        let pieces = ["a", "Z", "0", " ", ",", "\"", "\n", "\r", "\r\n", "é", "🎉", "\u{FEFF}", "\u{301}", "x,y"]
        var written: [[String]] = []
        for _ in 0..<500 {
            let fieldCount = Int.random(in: 1...6, using: &generator)
            written.append(
                (0..<fieldCount).map { _ in
                    (0..<Int.random(in: 0...5, using: &generator))
                        .map { _ in pieces[Int.random(in: 0..<pieces.count, using: &generator)] }
                        .joined()
                })
        }
        var text = ""
        var expected: [CSVRecord] = []
        var line = 1
        for fields in written {
            expected.append(CSVRecord(line: line, fields: fields))
            let written = CSVWriter.line(fields)
            text += written
            // Every LF, CRLF and lone CR starts a new physical line.
            let utf8 = Array(written.utf8)
            for (index, byte) in utf8.enumerated() {
                if byte == 0x0D || (byte == 0x0A && (index == 0 || utf8[index - 1] != 0x0D)) {
                    line += 1
                }
            }
        }
        #expect(try CSVParser.parse(text) == expected)
        var chunks = SeededGenerator(seed: 99)
        let chunked = outcome(of: Array(text.utf8), chunkSize: { Int.random(in: 1...64, using: &chunks) })
        #expect(chunked == .records(expected))
    }
}
