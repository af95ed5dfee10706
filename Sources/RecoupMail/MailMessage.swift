import Foundation

/// One email as it goes on the wire (RFC 5322 with MIME): a plain-text part and an HTML part as alternatives, and any
/// attachments, every part in 7-bit transfer encodings (quoted-printable or base64) so that any server carries it,
/// and headers with non-ASCII text as RFC 2047 encoded words.
public struct MailMessage: Sendable, Equatable {
    public var from: EmailAddress
    public var fromName: String
    public var to: EmailAddress
    public var toName: String
    public var subject: String
    /// `<outbox-12.ab34@recoup>`: the same through every attempt.
    public var messageID: String
    public var date: Date
    public var text: String
    public var html: String?
    /// Further headers in order (`List-Unsubscribe`, `Auto-Submitted`), their values ASCII.
    public var headers: [Header]
    public var attachments: [Attachment]

    /// A header line's name and value.
    public struct Header: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// A file sent along (a PDF statement).
    public struct Attachment: Sendable, Equatable {
        public var filename: String
        public var contentType: String
        public var data: [UInt8]
        public init(filename: String, contentType: String, data: [UInt8]) {
            self.filename = filename
            self.contentType = contentType
            self.data = data
        }
    }

    public init(
        from: EmailAddress, fromName: String, to: EmailAddress, toName: String, subject: String, messageID: String,
        date: Date, text: String, html: String? = nil, headers: [Header] = [], attachments: [Attachment] = []
    ) {
        self.from = from
        self.fromName = fromName
        self.to = to
        self.toName = toName
        self.subject = subject
        self.messageID = messageID
        self.date = date
        self.text = text
        self.html = html
        self.headers = headers
        self.attachments = attachments
    }

    /// The message's bytes, lines ending in CRLF (before SMTP's dot-stuffing, which the client does).
    public func rendered() -> [UInt8] {
        var out = ""
        func header(_ name: String, _ value: String) { out += "\(name): \(value)\r\n" }
        header("From", MIMEText.mailbox(fromName, from))
        header("To", MIMEText.mailbox(toName, to))
        header("Subject", MIMEText.encodedWords(subject, offset: "Subject: ".count))
        header("Date", MIMEText.date(date))
        header("Message-ID", messageID)
        header("MIME-Version", "1.0")
        for extra in headers { header(extra.name, extra.value) }
        let token = messageID.filter { $0.isLetter || $0.isNumber }
        // The content: the text alone, or the text and the HTML as alternatives.
        var contentHeaders =
            "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n"
        var content = MIMEText.quotedPrintable(text)
        if let html {
            let boundary = "=_recoup_alt_\(token)"
            let parts = [
                MIMEText.part(
                    contentType: "text/plain; charset=utf-8", encoding: "quoted-printable",
                    body: MIMEText.quotedPrintable(text)),
                MIMEText.part(
                    contentType: "text/html; charset=utf-8", encoding: "quoted-printable",
                    body: MIMEText.quotedPrintable(html)),
            ]
            contentHeaders = "Content-Type: multipart/alternative; boundary=\"\(boundary)\"\r\n"
            content = MIMEText.multipart(parts, boundary: boundary)
        }
        // Attachments wrap the content in multipart/mixed, the content first.
        if !attachments.isEmpty {
            let boundary = "=_recoup_mixed_\(token)"
            let files = attachments.map { file in
                let name = file.filename.filter { $0.isASCII && $0 != "\"" && $0 != "\\" && !$0.isNewline }
                return "Content-Type: \(file.contentType); name=\"\(name)\"\r\n"
                    + "Content-Transfer-Encoding: base64\r\n"
                    + "Content-Disposition: attachment; filename=\"\(name)\"\r\n\r\n"
                    + MIMEText.base64Lines(file.data)
            }
            content = MIMEText.multipart([contentHeaders + "\r\n" + content] + files, boundary: boundary)
            contentHeaders = "Content-Type: multipart/mixed; boundary=\"\(boundary)\"\r\n"
        }
        return Array((out + contentHeaders + "\r\n" + content).utf8)
    }

    /// An HTML version of a plain-text message: paragraphs at blank lines, line breaks kept, links made clickable.
    public static func html(fromText text: String, title: String) -> String {
        func escape(_ s: Substring) -> String {
            var out = ""
            for c in s {
                switch c {
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                case "\"": out += "&quot;"
                default: out.append(c)
                }
            }
            return out
        }
        func linked(_ line: Substring) -> String {
            line.split(separator: " ", omittingEmptySubsequences: false).map { word in
                if word.hasPrefix("https://") || word.hasPrefix("http://") {
                    let trimmed = word.hasSuffix(".") ? word.dropLast() : word
                    let rest = word.hasSuffix(".") ? "." : ""
                    return "<a href=\"\(escape(trimmed))\">\(escape(trimmed))</a>\(rest)"
                }
                return escape(word)
            }.joined(separator: " ")
        }
        let paragraphs = text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n")
            .map { $0.trimmingCharacters(in: .newlines) }.filter { !$0.isEmpty }
        let body = paragraphs.map { paragraph in
            "<p>"
                + paragraph.split(separator: "\n", omittingEmptySubsequences: false).map(linked)
                .joined(separator: "<br>\n") + "</p>"
        }.joined(separator: "\n")
        return """
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>\(escape(Substring(title)))</title></head>
            <body style="font-family: Helvetica, Arial, sans-serif; font-size: 16px; line-height: 1.5; \
            max-width: 40em">
            \(body)
            </body></html>

            """
    }
}

/// The encodings a message is written in.
enum MIMEText {
    /// A MIME part: its headers, a blank line, its body.
    static func part(contentType: String, encoding: String, body: String) -> String {
        "Content-Type: \(contentType)\r\nContent-Transfer-Encoding: \(encoding)\r\n\r\n\(body)"
    }

    static func multipart(_ parts: [String], boundary: String) -> String {
        var out = "This is a message in MIME format.\r\n"
        for part in parts {
            out += "\r\n--\(boundary)\r\n" + part
            if !part.hasSuffix("\r\n") { out += "\r\n" }
        }
        return out + "\r\n--\(boundary)--\r\n"
    }

    /// `"Name" <local@domain>`, the name in encoded words when it is not plain ASCII.
    static func mailbox(_ name: String, _ address: EmailAddress) -> String {
        let name = name.filter { !$0.isNewline }.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { return "<\(address)>" }
        if name.allSatisfy({ $0.isASCII && !$0.isNewline && $0 != "\u{7f}" && ($0.asciiValue ?? 0) >= 32 }) {
            let quoted = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "\"\(quoted)\" <\(address)>"
        }
        return encodedWords(name, offset: 6) + " <\(address)>"
    }

    /// A header value: as it is when it is printable ASCII, else RFC 2047 base64 encoded words of whole characters,
    /// folded so that no line passes 76 characters.
    static func encodedWords(_ text: String, offset: Int) -> String {
        let flat = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if flat.utf8.allSatisfy({ $0 >= 32 && $0 < 127 }) && flat.utf8.count + offset <= 900 { return flat }
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in flat {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45 {
                words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    /// Quoted-printable (RFC 2045) of UTF-8 text: line breaks become CRLF, lines are at most 76 characters with soft
    /// breaks, and `=`, control bytes, bytes above 126 and spaces before a break are escaped.
    static func quotedPrintable(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(
            separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            var column = 0
            let bytes = Array(line.utf8)
            for (position, byte) in bytes.enumerated() {
                let isLast = position == bytes.count - 1
                let literal =
                    (byte >= 33 && byte <= 126 && byte != 61) || ((byte == 32 || byte == 9) && !isLast)
                let width = literal ? 1 : 3
                // Leave room for a soft break's "=".
                if column + width > 75 {
                    out += Array("=\r\n".utf8)
                    column = 0
                }
                if literal {
                    out.append(byte)
                } else {
                    out += [61, hex[Int(byte >> 4)], hex[Int(byte & 15)]]
                }
                column += width
            }
            if index < lines.count - 1 { out += [13, 10] }
        }
        if out.last != 10 { out += [13, 10] }
        return String(decoding: out, as: UTF8.self)
    }

    /// Base64 in lines of 76 characters, each ending in CRLF.
    static func base64Lines(_ data: [UInt8]) -> String {
        let text = Array(Data(data).base64EncodedString().utf8)
        var out = ""
        for start in stride(from: 0, to: text.count, by: 76) {
            out += String(decoding: text[start..<min(text.count, start + 76)], as: UTF8.self) + "\r\n"
        }
        return out
    }

    /// RFC 5322's date: `Sun, 06 Dec 2026 03:15:00 +0000`.
    static func date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int?) -> String { let n = n ?? 0; return n < 10 ? "0\(n)" : "\(n)" }
        return "\(days[(parts.weekday ?? 1) - 1]), \(two(parts.day)) \(months[(parts.month ?? 1) - 1]) "
            + "\(parts.year ?? 1970) \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }
}
