/// A letter to a debtor, ready to be laid out on US Letter pages: who writes, to whom, the text, and the amount owed
/// itemized. The caller formats amounts and dates (in the letter's language); the layout only places them.
public struct Letter: Sendable, Equatable {
    /// The writer's name and address, one line each: printed at the top left (a double-window envelope's return
    /// window).
    public var sender: [String]
    /// The debtor's name and postal address, one line each: printed where a #10 window envelope's window is.
    public var recipient: [String]
    /// The date as printed ("5 December 2026").
    public var date: String
    /// A bold line before the text ("Re: Final notice about your account").
    public var heading: String?
    /// The text, paragraphs separated by blank lines; each line is kept, and wrapped when it is too long (a line that
    /// starts with "- " is a list item, indented).
    public var body: String
    /// The itemization, printed as a table after the paragraph that `tableAfter` counts (nil: after the text).
    public var table: Table?
    public var tableAfter: Int?
    /// "Page 1 of 2": the words for "Page" and "of" in the letter's language.
    public var pageWord = "Page"
    public var ofWord = "of"

    /// The amount owed itemized: a header row, rows, and a total row, each cell already formatted. The columns after
    /// the first are amounts or dates, set flush right.
    public struct Table: Sendable, Equatable {
        public var header: [String]
        public var rows: [[String]]
        public var total: [String]?

        public init(header: [String], rows: [[String]], total: [String]? = nil) {
            self.header = header
            self.rows = rows
            self.total = total
        }
    }

    public init(sender: [String], recipient: [String], date: String, heading: String? = nil, body: String) {
        self.sender = sender
        self.recipient = recipient
        self.date = date
        self.heading = heading
        self.body = body
    }
}

/// Lays a `Letter` out on pages.
///
/// Where things go, for a letter folded in three into a #10 window envelope (window 4½ × 1⅛ inches, ⅞ inch from the
/// left and ½ inch from the bottom): the sender's lines from ½ inch below the top, the recipient's block from 2⅛ inches
/// below the top and ⅞ inch from the left, at most five lines and 3½ inches wide so that it stays inside the window
/// whichever way the letter moves in the envelope; the date on the right, level with the recipient; the text from 3½
/// inches below the top. Text is 10.5 point Helvetica with 14 point leading, wrapped by Helvetica's widths; a new page
/// starts an inch above the bottom, and every page carries "Page N of M".
public enum LetterLayout {
    static let left = 63.0  // ⅞ inch
    static let right = PDFDocument.pageWidth - 54  // ¾ inch margin
    static let bodySize = 10.5
    static let leading = 14.0
    static let bottom = 72.0
    static let windowTop = PDFDocument.pageHeight - 153  // 2⅛ inches below the top
    static let windowWidth = 252.0  // 3½ inches
    static let recipientLines = 5

    /// The letter as a PDF document.
    public static func document(_ letter: Letter, title: String) -> PDFDocument {
        var pages: [PDFDocument.Page] = []
        var page = PDFDocument.Page()
        // The sender, in the return window.
        var y = PDFDocument.pageHeight - 36 - 9
        for (index, line) in letter.sender.prefix(5).enumerated() {
            page.text(line, x: left, y: y, size: 9, font: index == 0 ? .bold : .regular)
            y -= 11
        }
        // The recipient, in the address window: long lines are cut to the window's width, extra lines dropped into
        // the last one.
        var address = Array(letter.recipient.prefix(recipientLines))
        if letter.recipient.count > recipientLines {
            address[recipientLines - 1] = letter.recipient[(recipientLines - 1)...].joined(separator: ", ")
        }
        y = windowTop - 10
        for line in address {
            page.text(fitted(line, width: windowWidth, size: 10), x: left, y: y, size: 10)
            y -= 12
        }
        page.text(letter.date, right: right, y: windowTop - 10, size: bodySize)

        y = PDFDocument.pageHeight - 252  // 3½ inches
        /// Starts a new page unless `height` fits above the bottom margin; true when it did.
        @discardableResult func room(for height: Double) -> Bool {
            guard y - height < bottom else { return false }
            pages.append(page)
            page = PDFDocument.Page()
            y = PDFDocument.pageHeight - 72
            return true
        }
        if let heading = letter.heading {
            for line in wrapped(heading, width: right - left, size: bodySize, font: .bold) {
                room(for: leading)
                page.text(line, x: left, y: y, size: bodySize, font: .bold)
                y -= leading
            }
            y -= leading / 2
        }
        func drawTable(_ table: Letter.Table) {
            let size = 9.5
            let columns = max(table.header.count, 1)
            // The first column takes what the others leave; the others are as wide as their widest cell.
            let all = [table.header] + table.rows + (table.total.map { [$0] } ?? [])
            var widths = [Double](repeating: 0, count: columns)
            for row in all {
                for (column, cell) in row.prefix(columns).enumerated() {
                    widths[column] = max(widths[column], PDFDocument.width(of: cell, size: size, font: .bold))
                }
            }
            let gap = 14.0
            var rights: [Double] = []
            var edge = right
            for column in (1..<columns).reversed() {
                rights.insert(edge, at: 0)
                edge -= widths[column] + gap
            }
            let firstWidth = max(40, edge - left)
            func row(_ cells: [String], font: PDFDocument.Font) {
                for (column, cell) in cells.prefix(columns).enumerated() {
                    if column == 0 {
                        page.text(
                            fitted(cell, width: firstWidth, size: size, font: font), x: left, y: y, size: size,
                            font: font)
                    } else {
                        page.text(cell, right: rights[column - 1], y: y, size: size, font: font)
                    }
                }
                y -= 13
            }
            func header() {
                row(table.header, font: .bold)
                page.line(from: (left, y + 9), to: (right, y + 9), width: 0.5)
            }
            // The header, with at least two rows under it; again at the top of each page the table goes on to.
            room(for: 13 * 3)
            header()
            for cells in table.rows {
                if room(for: 13) { header() }
                row(cells, font: .regular)
            }
            if let total = table.total {
                if room(for: 13) { header() }
                page.line(from: (left, y + 9), to: (right, y + 9), width: 0.5)
                row(total, font: .bold)
            }
            y -= leading / 2
        }
        let paragraphs = paragraphs(of: letter.body)
        for (index, paragraph) in paragraphs.enumerated() {
            for line in paragraph {
                let indent = line.hasPrefix("- ") ? 10.0 : 0
                for (part, piece) in wrapped(line, width: right - left - indent, size: bodySize).enumerated() {
                    room(for: leading)
                    page.text(piece, x: left + indent + (part > 0 && indent > 0 ? 7 : 0), y: y, size: bodySize)
                    y -= leading
                }
            }
            y -= leading / 2
            if let table = letter.table, letter.tableAfter == index + 1 { drawTable(table) }
        }
        if let table = letter.table, letter.tableAfter.map({ $0 > paragraphs.count || $0 < 1 }) ?? true {
            drawTable(table)
        }
        pages.append(page)
        // Every page's number, once their count is known.
        var document = PDFDocument(title: title)
        for (index, var page) in pages.enumerated() {
            let footer = "\(letter.pageWord) \(index + 1) \(letter.ofWord) \(pages.count)"
            page.text(
                footer, x: (PDFDocument.pageWidth - PDFDocument.width(of: footer, size: 8)) / 2, y: 36, size: 8)
            document.pages.append(page)
        }
        return document
    }

    /// The body's paragraphs (split at blank lines), each as its lines: a rendered letter's lines are kept as they
    /// are (a sign-off, an address), and long ones are wrapped when laid out.
    static func paragraphs(of body: String) -> [[String]] {
        var paragraphs: [[String]] = []
        var current: [String] = []
        for line in body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let trimmed = line.trimmingTrailingSpaces()
            if trimmed.isEmpty {
                if !current.isEmpty { paragraphs.append(current) }
                current = []
            } else {
                current.append(trimmed)
            }
        }
        if !current.isEmpty { paragraphs.append(current) }
        return paragraphs
    }

    /// `text` broken into lines no wider than `width` at word boundaries (a word wider than a line is cut). Widths
    /// are summed word by word in the fonts' whole thousandths, so a line is measured once.
    static func wrapped(
        _ text: String, width: Double, size: Double, font: PDFDocument.Font = .regular
    ) -> [String] {
        // The widest a line may be, in thousandths of the size.
        let limit = Int((width * 1000 / size).rounded(.down))
        let space = PDFDocument.advance(of: " ", font: font)
        var lines: [String] = []
        var line = ""
        var advance = 0
        for word in text.split(separator: " ") {
            let wordAdvance = PDFDocument.advance(of: word, font: font)
            if !line.isEmpty, advance + space + wordAdvance <= limit {
                line += " " + word
                advance += space + wordAdvance
                continue
            }
            if !line.isEmpty { lines.append(line) }
            line = String(word)
            advance = wordAdvance
            while advance > limit, line.count > 1 {
                let cut = fitted(line, width: width, size: size, font: font, ellipsis: false)
                lines.append(cut)
                line = String(line.dropFirst(cut.count))
                advance = PDFDocument.advance(of: line, font: font)
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines.isEmpty ? [""] : lines
    }

    /// `text` cut to `width`, ending in "…" when cut (unless `ellipsis` is false).
    static func fitted(
        _ text: String, width: Double, size: Double, font: PDFDocument.Font = .regular, ellipsis: Bool = true
    ) -> String {
        let limit = Int((width * 1000 / size).rounded(.down))
        guard PDFDocument.advance(of: text, font: font) > limit else { return text }
        let tail = ellipsis ? PDFDocument.advance(of: "…", font: font) : 0
        var kept = ""
        var advance = 0
        for character in text {
            let next = PDFDocument.advance(of: String(character), font: font)
            if advance + next + tail > limit { break }
            kept.append(character)
            advance += next
        }
        if kept.isEmpty { kept = String(text.prefix(1)) }
        return ellipsis ? kept + "…" : kept
    }
}

extension Substring {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while let last = text.last, last == " " || last == "\t" || last == "\r" { text = text.dropLast() }
        return String(text)
    }
}
