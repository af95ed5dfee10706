/// A PDF file of US Letter pages holding text and rules, in the standard Helvetica fonts with WinAnsi encoding (which
/// every PDF reader has, so nothing is embedded). Positions are PDF points (1/72 inch) from the page's lower left
/// corner. Pure: the same pages give the same bytes.
public struct PDFDocument: Sendable {
    /// US Letter, 8.5 × 11 inches.
    public static let pageWidth = 612.0
    public static let pageHeight = 792.0

    public enum Font: Sendable {
        case regular, bold

        var resource: String { self == .regular ? "F1" : "F2" }
    }

    /// One page's drawing operations, in PDF's content-stream syntax.
    public struct Page: Sendable {
        fileprivate var content: [UInt8] = []

        public init() {}

        /// Draws `text` with its baseline starting at (`x`, `y`). Characters WinAnsi cannot show print as `?`.
        public mutating func text(_ text: String, x: Double, y: Double, size: Double, font: Font = .regular) {
            append(
                "BT /\(font.resource) \(PDFDocument.number(size)) Tf \(PDFDocument.number(x)) \(PDFDocument.number(y)) Td "
                    + PDFDocument.literal(text) + " Tj ET\n")
        }

        /// Draws `text` so that it ends at `right`.
        public mutating func text(
            _ text: String, right: Double, y: Double, size: Double, font: Font = .regular
        ) {
            self.text(
                text, x: right - PDFDocument.width(of: text, size: size, font: font), y: y, size: size, font: font)
        }

        /// Draws a straight rule `width` points thick.
        public mutating func line(from start: (x: Double, y: Double), to end: (x: Double, y: Double), width: Double) {
            append("\(PDFDocument.number(width)) w \(PDFDocument.number(start.x)) \(PDFDocument.number(start.y)) m ")
            append("\(PDFDocument.number(end.x)) \(PDFDocument.number(end.y)) l S\n")
        }

        private mutating func append(_ text: String) { content.append(contentsOf: Array(text.utf8)) }
    }

    public var pages: [Page] = []
    /// The document's title (its Info dictionary), shown by readers.
    public var title: String

    public init(title: String) {
        self.title = title
    }

    /// The width of `text` set in `font` at `size`, in points.
    public static func width(of text: String, size: Double, font: Font = .regular) -> Double {
        Double(advance(of: text, font: font)) * size / 1000
    }

    /// The width of `text` in `font` in thousandths of the font's size (widths add up: the fonts are set without
    /// kerning).
    static func advance(of text: some StringProtocol, font: Font) -> Int {
        let table = font == .regular ? HelveticaMetrics.regular : HelveticaMetrics.bold
        var thousandths = 0
        for scalar in text.unicodeScalars { thousandths += Int(table[Int(printed(scalar)) - 32]) }
        return thousandths
    }

    /// `text` in WinAnsi bytes: `?` for what it cannot show, a space for a control character.
    static func winAnsi(_ text: String) -> [UInt8] { text.unicodeScalars.map(printed) }

    /// The WinAnsi byte that prints for `scalar`: `?` for what WinAnsi cannot show, a space for a control character.
    private static func printed(_ scalar: Unicode.Scalar) -> UInt8 {
        if scalar.value < 32 || scalar.value == 127 { return UInt8(ascii: " ") }
        return WinAnsi.byte(scalar) ?? UInt8(ascii: "?")
    }

    /// A number as PDF writes it: at most two decimals, no exponent.
    static func number(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = abs(hundredths)
        let fraction = magnitude % 100
        if fraction == 0 { return sign + String(magnitude / 100) }
        return sign + String(magnitude / 100) + "." + String(fraction).leftPadded(to: 2, with: "0")
    }

    /// The file: a header, numbered objects (catalog, page tree, the two fonts, the Info dictionary, then each page
    /// and its content stream), the cross-reference table of their byte offsets and the trailer.
    public func bytes() -> [UInt8] {
        var file: [UInt8] = Array("%PDF-1.4\n%".utf8) + [0xE2, 0xE3, 0xCF, 0xD3, 0x0A]
        var offsets: [Int] = []
        func object(_ body: [UInt8]) {
            offsets.append(file.count)
            file += Array("\(offsets.count) 0 obj\n".utf8) + body + Array("\nendobj\n".utf8)
        }
        func object(_ body: String) { object(Array(body.utf8)) }
        let firstPage = 6
        let kids = pages.indices.map { "\(firstPage + 2 * $0) 0 R" }.joined(separator: " ")
        object("<< /Type /Catalog /Pages 2 0 R >>")
        object("<< /Type /Pages /Kids [\(kids)] /Count \(pages.count) >>")
        object("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
        object("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
        object("<< /Title \(Self.literal(title)) /Producer (Recoup) >>")
        for (index, page) in pages.enumerated() {
            object(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> "
                    + "/Contents \(firstPage + 2 * index + 1) 0 R >>")
            object(
                Array("<< /Length \(page.content.count) >>\nstream\n".utf8) + page.content + Array("\nendstream".utf8))
        }
        let xref = file.count
        var table = "xref\n0 \(offsets.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { table += String(offset).leftPadded(to: 10, with: "0") + " 00000 n \n" }
        table += "trailer\n<< /Size \(offsets.count + 1) /Root 1 0 R /Info 5 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return file + Array(table.utf8)
    }

    /// A PDF literal string of `text` in WinAnsi bytes, escaped; octal escapes keep the file's text plain ASCII.
    static func literal(_ text: String) -> String {
        var literal = "("
        for byte in winAnsi(text) {
            switch byte {
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\\"): literal += "\\" + String(UnicodeScalar(byte))
            case 32...126: literal += String(UnicodeScalar(byte))
            default: literal += "\\" + String(byte, radix: 8).leftPadded(to: 3, with: "0")
            }
        }
        return literal + ")"
    }
}

extension String {
    /// The string with `pad` before it up to `length` characters.
    fileprivate func leftPadded(to length: Int, with pad: Character) -> String {
        count >= length ? self : String(repeating: pad, count: length - count) + self
    }
}
