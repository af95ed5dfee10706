import Foundation

/// An email that came back to us (RFC 5322 with MIME), read for what Recoup needs: who sent it, what it answers, the
/// words of its text, and, for a delivery status notification (RFC 3464), which recipients failed and which of our
/// messages it returns. Only what is needed is read; anything else in the message is ignored.
public struct InboundEmail: Sendable, Equatable {
    /// The sender's address (`From`), lower-cased.
    public var from: String?
    public var subject: String
    /// Every Message-ID it names in `In-Reply-To` and `References`, and, for a report, in the returned message's
    /// headers: our own are `<outbox-ID.token@recoup>`.
    public var mentionedMessageIDs: [String]
    /// True for `multipart/report; report-type=delivery-status`.
    public var isDeliveryReport: Bool
    /// For a report: the recipients whose `Action` is `failed`, lower-cased.
    public var failedRecipients: [String]
    /// For a report: the status and diagnostic of the first failed recipient (`5.1.1 … User unknown`).
    public var failureReason: String?
    /// The first text/plain part, decoded (empty when there is none).
    public var text: String

    /// The outbox ids named by our Message-IDs among `mentionedMessageIDs`, in order, without repeats.
    public var outboxIDs: [Int64] {
        var seen = Set<Int64>()
        return mentionedMessageIDs.compactMap { id -> Int64? in
            guard let range = id.range(of: "<outbox-") else { return nil }
            let digits = id[range.upperBound...].prefix { $0.isNumber }
            guard let value = Int64(digits), seen.insert(value).inserted else { return nil }
            return value
        }
    }

    /// Reads `bytes`; throws when they are not an email at all (no header block).
    public init(parsing bytes: [UInt8]) throws(InboundEmailError) {
        let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        let (headers, body) = Self.split(text)
        guard !headers.isEmpty else { throw InboundEmailError("the body is not an email: it has no header lines") }
        from = Self.header("From", in: headers).flatMap(Self.address)
        subject = Self.header("Subject", in: headers).map(Self.decodeWords) ?? ""
        mentionedMessageIDs =
            Self.messageIDs(Self.header("In-Reply-To", in: headers))
            + Self.messageIDs(Self.header("References", in: headers))
        isDeliveryReport = false
        failedRecipients = []
        failureReason = nil
        self.text = ""
        let type = Self.header("Content-Type", in: headers) ?? "text/plain"
        read(part: headers, body: body, type: type, depth: 0)
    }

    private mutating func read(part headers: [(String, String)], body: String, type: String, depth: Int) {
        let lower = type.lowercased()
        guard depth < 5 else { return }
        if lower.hasPrefix("multipart/") {
            if lower.hasPrefix("multipart/report") && lower.contains("delivery-status") { isDeliveryReport = true }
            guard let boundary = Self.parameter("boundary", in: type) else { return }
            for piece in body.components(separatedBy: "\n--\(boundary)").dropFirst() {
                if piece.hasPrefix("--") { break }
                let content = piece.drop { $0 != "\n" }.dropFirst()
                let (partHeaders, partBody) = Self.split(String(content))
                let partType = Self.header("Content-Type", in: partHeaders) ?? "text/plain"
                read(part: partHeaders, body: partBody, type: partType, depth: depth + 1)
            }
        } else if lower.hasPrefix("message/delivery-status") {
            // Per-recipient blocks after the per-message one, each "Name: value" lines.
            for block in body.components(separatedBy: "\n\n") {
                let (fields, _) = Self.split(block + "\n\n")
                guard Self.header("Action", in: fields)?.lowercased().hasPrefix("failed") == true,
                    let recipient = Self.header("Final-Recipient", in: fields)
                        ?? Self.header("Original-Recipient", in: fields)
                else { continue }
                let address = recipient.split(separator: ";").last.map {
                    String($0).trimmingCharacters(in: .whitespaces)
                }
                if let address, let clean = Self.address(address) { failedRecipients.append(clean) }
                if failureReason == nil {
                    failureReason = [Self.header("Status", in: fields), Self.header("Diagnostic-Code", in: fields)]
                        .compactMap { $0 }.joined(separator: " ")
                }
            }
        } else if lower.hasPrefix("message/rfc822") || lower.hasPrefix("text/rfc822-headers") {
            let (returned, _) = Self.split(body)
            mentionedMessageIDs += Self.messageIDs(Self.header("Message-ID", in: returned))
        } else if lower.hasPrefix("text/plain") && text.isEmpty {
            let encoding = Self.header("Content-Transfer-Encoding", in: headers)?.lowercased() ?? "7bit"
            text = Self.decode(body, encoding: encoding).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// The header block (unfolded `(name, value)` pairs) and the body after the first blank line.
    static func split(_ text: String) -> ([(String, String)], String) {
        let end = text.range(of: "\n\n")
        let block = end.map { String(text[..<$0.lowerBound]) } ?? text
        let body = end.map { String(text[$0.upperBound...]) } ?? ""
        var headers: [(String, String)] = []
        for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
            if let first = line.first, first == " " || first == "\t", !headers.isEmpty {
                headers[headers.count - 1].1 += " " + line.trimmingCharacters(in: .whitespaces)
            } else if let colon = line.firstIndex(of: ":") {
                let name = String(line[..<colon])
                guard !name.isEmpty, !name.contains(" ") else { continue }
                headers.append((name, line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
        }
        return (headers, body)
    }

    static func header(_ name: String, in headers: [(String, String)]) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }

    static func parameter(_ name: String, in value: String) -> String? {
        for item in value.split(separator: ";").dropFirst() {
            let pair = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == name {
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    static func messageIDs(_ value: String?) -> [String] {
        guard let value else { return [] }
        var ids: [String] = []
        var rest = Substring(value)
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            ids.append(String(rest[open...close]))
            rest = rest[rest.index(after: close)...]
        }
        return ids
    }

    /// `"Pat" <Pat@Example.com>`, `pat@example.com (Pat)` or `pat@example.com` → `pat@example.com`.
    static func address(_ value: String) -> String? {
        // A comment in parentheses is not part of the address.
        var candidate = value.replacingOccurrences(of: #"\([^)]*\)"#, with: "", options: .regularExpression)
        if let open = value.lastIndex(of: "<"), let close = value.lastIndex(of: ">"), open < close {
            candidate = String(value[value.index(after: open)..<close])
        }
        candidate = candidate.trimmingCharacters(in: .whitespaces).lowercased()
        return candidate.contains("@") && !candidate.contains(" ") ? candidate : nil
    }

    /// Quoted-printable text decoded (soft line breaks joined, `=XX` read as bytes of UTF-8), as a mail program shows it.
    public static func decodeQuotedPrintable(_ text: String) -> String { decode(text, encoding: "quoted-printable") }

    static func decode(_ body: String, encoding: String) -> String {
        switch encoding {
        case "base64":
            let data = Data(base64Encoded: body.filter { !$0.isWhitespace }) ?? Data()
            return String(decoding: data, as: UTF8.self)
        case "quoted-printable":
            var bytes: [UInt8] = []
            let source = Array(
                body.replacingOccurrences(of: "=\r\n", with: "").replacingOccurrences(of: "=\n", with: "").utf8)
            var index = 0
            while index < source.count {
                if source[index] == UInt8(ascii: "="), index + 2 < source.count,
                    let byte = UInt8(String(decoding: source[index + 1...index + 2], as: UTF8.self), radix: 16)
                {
                    bytes.append(byte)
                    index += 3
                } else {
                    bytes.append(source[index])
                    index += 1
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        default:
            return body
        }
    }

    /// RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`) decoded; other text as it is.
    static func decodeWords(_ value: String) -> String {
        var output = ""
        var rest = Substring(value)
        while let start = rest.range(of: "=?") {
            let after = rest[start.upperBound...]
            let parts = after.split(separator: "?", maxSplits: 3, omittingEmptySubsequences: false)
            guard parts.count == 4, parts[3].hasPrefix("="), parts[0].lowercased().hasPrefix("utf-8") else {
                output += rest[..<start.upperBound]
                rest = after
                continue
            }
            let between = rest[..<start.lowerBound]
            if !between.allSatisfy(\.isWhitespace) || output.isEmpty { output += between }
            let payload = String(parts[2])
            if parts[1].uppercased() == "B" {
                output += String(decoding: Data(base64Encoded: payload) ?? Data(), as: UTF8.self)
            } else {
                output += decode(payload.replacingOccurrences(of: "_", with: " "), encoding: "quoted-printable")
            }
            rest = parts[3].dropFirst()
        }
        return output + rest
    }
}

/// Bytes that are not an email, in one sentence.
public struct InboundEmailError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
