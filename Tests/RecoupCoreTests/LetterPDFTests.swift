import Foundation
import RecoupTestSupport
import Testing

@testable import RecoupCore

/// Letters as PDF: the file's structure, Helvetica's widths and WinAnsi's bytes, the window-envelope layout and page
/// numbers; read back by poppler's `pdftotext` and checked by `qpdf --check` where they are installed (`.ci/run`
/// installs them and sets RECOUP_TEST_REQUIRE_PDF_TOOLS, so there they must be found).
@Suite struct LetterPDFTests {
    static func letter(rows: Int = 2) -> Letter {
        var letter = Letter(
            sender: ["Bench Lending", "1 Main Street", "Boston, MA 02108"],
            recipient: ["Señor José Muñoz", "12 Calle Ñandú, Apt 4", "El Paso, TX 79901"],
            date: "5 December 2026", heading: "Re: Final notice about your account with Bench Lending",
            body: """
                Dear Señor Muñoz,

                This is a final notice from Bench Lending. The amount owed, $486.24, is still unpaid. Please pay it in \
                full, or get in touch so that we can agree a payment plan you can afford.

                How to pay or get in touch:
                - Pay online: https://pay.bench.example
                - Phone: (617) 555-0100

                This is an attempt to collect a debt.

                Yours sincerely,
                Bench Lending
                """)
        letter.table = Letter.Table(
            header: ["Account", "Due", "Principal", "Interest", "Fees", "Total"],
            rows: (0..<rows).map { ["Q\(1000 + $0)", "2026-10-28", "$400.00", "$36.24", "$50.00", "$486.24"] },
            total: ["Amount owed", "", "", "", "", "$486.24"])
        letter.tableAfter = 2
        return letter
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func theFileHasItsHeaderCrossReferencesAndTrailer() throws {
        let bytes = LetterLayout.document(Self.letter(), title: "Final notice").bytes()
        let text = Self.text(bytes)
        #expect(text.hasPrefix("%PDF-1.4\n"))
        #expect(text.hasSuffix("%%EOF\n"))
        // startxref names the byte where the table starts, and every entry the byte where its object starts.
        let startxref = try #require(text.range(of: "startxref\n", options: .backwards))
        let xrefOffset = try #require(Int(text[startxref.upperBound...].prefix { $0.isNumber }))
        #expect(Array(bytes[xrefOffset..<xrefOffset + 4]) == Array("xref".utf8))
        let table = Self.text(Array(bytes[xrefOffset...])).split(separator: "\n")
        let count = try #require(Int(table[1].split(separator: " ")[1]))
        #expect(count == 8)  // the free entry, catalog, pages, two fonts, info, one page and its content
        for number in 1..<count {
            let offset = try #require(Int(table[2 + number].prefix(10)))
            let header = Array("\(number) 0 obj\n".utf8)
            #expect(Array(bytes[offset..<offset + header.count]) == header)
        }
        #expect(text.contains("/BaseFont /Helvetica /Encoding /WinAnsiEncoding"))
        #expect(text.contains("/BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding"))
        #expect(text.contains("/Title (Final notice)"))
    }

    @Test func widthsAreHelveticasAndTextIsWinAnsi() {
        // H 722, e 556, l 222, l 222, o 556 thousandths; in bold H and e are the same, l 278 and o 611.
        #expect(abs(PDFDocument.width(of: "Hello", size: 10) - 22.78) < 0.0001)
        #expect(abs(PDFDocument.width(of: "Hello", size: 10, font: .bold) - 24.45) < 0.0001)
        #expect(
            PDFDocument.winAnsi("Ñandú €5 “así” — ok") == [
                0xD1, 0x61, 0x6E, 0x64, 0xFA, 0x20, 0x80, 0x35, 0x20, 0x93, 0x61, 0x73, 0xED, 0x94, 0x20, 0x97, 0x20,
                0x6F,
                0x6B,
            ])
        // What WinAnsi cannot show prints as a question mark; a control character as a space.
        #expect(PDFDocument.winAnsi("a😀b\tc") == [0x61, 0x3F, 0x62, 0x20, 0x63])
        #expect(PDFDocument.literal("(a\\b) ñ") == "(\\(a\\\\b\\) \\361)")
        #expect(PDFDocument.number(63) == "63")
        #expect(PDFDocument.number(-0.5) == "-0.50")
        #expect(PDFDocument.number(12.345) == "12.35")
    }

    @Test func theRecipientSitsInTheWindowAndTheDateLevelWithIt() {
        let page = Self.text(LetterLayout.document(Self.letter(), title: "t").bytes())
        // 2⅛ inches below the top of a 792-point page is 639; the first line's baseline is 10 points lower, ⅞ inch
        // (63 points) from the left, and the block's five lines at most end above 2⅛ + 1 inch.
        #expect(page.contains("/F1 10 Tf 63 629 Td (Se\\361or Jos\\351 Mu\\361oz) Tj"))
        #expect(page.contains("/F1 10 Tf 63 617 Td (12 Calle \\321and\\372, Apt 4) Tj"))
        #expect(page.contains("/F1 10 Tf 63 605 Td (El Paso, TX 79901) Tj"))
        let dateWidth = PDFDocument.width(of: "5 December 2026", size: 10.5)
        #expect(page.contains("Td (5 December 2026)"))
        #expect(page.contains("\(PDFDocument.number(558 - dateWidth)) 629 Td (5 December 2026)"))
    }

    @Test func aLongAddressStaysInsideTheWindow() {
        var letter = Self.letter()
        letter.recipient = [
            "Maximiliana Wolfeschlegelsteinhausenbergerdorff of the Very Long Name Family",
            "1 A", "2 B", "3 C", "4 D", "5 E", "6 F",
        ]
        let document = LetterLayout.document(letter, title: "t")
        let page = Self.text(document.bytes())
        let first = LetterLayout.fitted(letter.recipient[0], width: 252, size: 10)
        #expect(first.hasSuffix("…"))
        #expect(PDFDocument.width(of: first, size: 10) <= 252)
        // Five lines: the fifth holds what did not fit.
        #expect(page.contains("63 581 Td (4 D, 5 E, 6 F) Tj"))
        #expect(!page.contains("63 569 Td"))
    }

    @Test func aLongItemizationGoesOnAndEveryPageIsNumbered() {
        let document = LetterLayout.document(Self.letter(rows: 80), title: "t")
        #expect(document.pages.count == 3)
        let text = Self.text(document.bytes())
        for page in 1...3 { #expect(text.contains("(Page \(page) of 3) Tj")) }
        // The table's header is drawn again on each page it goes on to.
        #expect(text.components(separatedBy: "(Principal) Tj").count - 1 == 3)
        #expect(text.contains("(Q1079) Tj"))
        // No line is drawn below the bottom margin but the page numbers.
        for match in text.matches(of: /Tf [0-9.]+ ([0-9.]+) Td \((?!Page)/) {
            #expect(Double(match.1)! >= 72)
        }
    }

    @Test func paragraphsKeepTheirLinesAndLongLinesWrap() {
        let paragraphs = LetterLayout.paragraphs(
            of: "Yours sincerely,\nBench Lending  \n\n\n- a\n- b\nthree\n\r\nlast")
        #expect(paragraphs == [["Yours sincerely,", "Bench Lending"], ["- a", "- b", "three"], ["last"]])
        let lines = LetterLayout.wrapped(String(repeating: "word ", count: 40), width: 100, size: 10)
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { PDFDocument.width(of: $0, size: 10) <= 100 })
        // Greedy: no line could have taken the next line's first word.
        let sentence = "The amount owed, $486.24, is still unpaid. Please pay it in full, or get in touch today."
        let filled = LetterLayout.wrapped(sentence, width: 120, size: 10.5)
        #expect(filled.joined(separator: " ") == sentence)
        for (line, next) in zip(filled, filled.dropFirst()) {
            #expect(PDFDocument.width(of: line, size: 10.5) <= 120)
            #expect(PDFDocument.width(of: line + " " + next.split(separator: " ")[0], size: 10.5) > 120)
        }
        #expect(LetterLayout.wrapped(String(repeating: "x", count: 300), width: 100, size: 10).joined().count == 300)
    }

    // MARK: Read back by other programs

    static var requireTools: Bool { PDFTools.required }
    static func tool(_ name: String) -> String? { PDFTools.path(name) }
    static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        try PDFTools.run(tool, arguments)
    }

    static func written(_ document: PDFDocument) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("recoup-letter-\(UUID()).pdf")
        try Data(document.bytes()).write(to: url)
        return url
    }

    @Test func pdftotextReadsTheLetterBack() throws {
        guard let pdftotext = Self.tool("pdftotext") else {
            #expect(!Self.requireTools, "pdftotext (poppler-utils) is not installed")
            return
        }
        let url = try Self.written(LetterLayout.document(Self.letter(rows: 80), title: "Final notice"))
        defer { try? FileManager.default.removeItem(at: url) }
        let (status, text) = try Self.run(pdftotext, ["-layout", url.path, "-"])
        #expect(status == 0)
        for expected in [
            "Señor José Muñoz", "12 Calle Ñandú, Apt 4", "El Paso, TX 79901", "5 December 2026",
            "Re: Final notice about your account with Bench Lending", "The amount owed, $486.24, is still unpaid.",
            "- Pay online: https://pay.bench.example", "Amount owed", "Page 1 of 3", "Page 3 of 3",
        ] {
            #expect(text.contains(expected), "\(expected) is not in the text")
        }
        // A table row reads across, amounts flush right.
        #expect(text.contains(/Q1079\s+2026-10-28\s+\$400\.00\s+\$36\.24\s+\$50\.00\s+\$486\.24/))
    }

    @Test func qpdfFindsNothingWrong() throws {
        guard let qpdf = Self.tool("qpdf") else {
            #expect(!Self.requireTools, "qpdf is not installed")
            return
        }
        for rows in [0, 2, 80] {
            let url = try Self.written(LetterLayout.document(Self.letter(rows: rows), title: "Final (notice) \\ ñ"))
            defer { try? FileManager.default.removeItem(at: url) }
            let (status, output) = try Self.run(qpdf, ["--check", url.path])
            #expect(status == 0, "\(output)")
            #expect(output.contains("No syntax or stream encoding errors found"))
        }
    }
}
