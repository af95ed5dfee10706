import Foundation

/// Who a client (creditor) is to the people who read about it, and how a debtor pays it or gets in touch: the name
/// pages, the portal and agreements show instead of the client's reference, its phone, email, website and mailing
/// address, and how to pay (instructions in words, and a payment link when it has one).
///
/// Every member is optional: a client imported by reference alone has no name of its own until one is set
/// (`recoup client profile`, the clients admin page). Values are stored as checked by `ClientProfileUpdate`: the
/// phone in E.164 form, web addresses starting `https://` or `http://`, the address as lines separated by `\n`.
public struct ClientProfile: Hashable, Sendable {
    /// The name people know the client by ("Harbor Dental Group"); nil while the client has only its reference.
    public var name: String?
    /// The phone debtors call, E.164 (`+16175550100`).
    public var phone: String?
    public var email: String?
    /// The client's web site, `https://` or `http://`.
    public var website: String?
    /// The mailing address, one line each, separated by `\n`.
    public var address: String?
    /// How to pay, in the client's words ("Mail a check payable to …", "Pay by card at the front desk").
    public var paymentInstructions: String?
    /// Where a debtor can pay online, `https://` or `http://`.
    public var paymentLink: String?

    public init(
        name: String? = nil, phone: String? = nil, email: String? = nil, website: String? = nil,
        address: String? = nil, paymentInstructions: String? = nil, paymentLink: String? = nil
    ) {
        self.name = name
        self.phone = phone
        self.email = email
        self.website = website
        self.address = address
        self.paymentInstructions = paymentInstructions
        self.paymentLink = paymentLink
    }

    /// The fields of a profile, with the words people and the command line use for them.
    public enum Field: String, CaseIterable, Hashable, Sendable {
        case name, phone, email, website, address, paymentInstructions, paymentLink

        /// The field in a sentence ("the payment link").
        public var label: String {
            switch self {
            case .name: "name"
            case .phone: "phone"
            case .email: "email"
            case .website: "website"
            case .address: "mailing address"
            case .paymentInstructions: "payment instructions"
            case .paymentLink: "payment link"
            }
        }

        /// The command-line option that sets it (`--payment-link`).
        public var option: String {
            switch self {
            case .paymentInstructions: "--payment-instructions"
            case .paymentLink: "--payment-link"
            default: "--" + rawValue
            }
        }

        /// "has", or "have" for the payment instructions: the verb after `label`.
        var has: String { self == .paymentInstructions ? "have" : "has" }

        /// The most characters the field may hold.
        public var maximumLength: Int {
            switch self {
            case .name: 120
            case .phone: 40
            case .email: 254
            case .website, .paymentLink: 2_000
            case .address: 400
            case .paymentInstructions: 1_000
            }
        }
    }

    /// The address's lines.
    public var addressLines: [String] {
        (address ?? "").split(separator: "\n").map(String.init)
    }

    /// True when the profile says how to pay or to get in touch (anything beyond the name).
    public var hasContactDetails: Bool {
        [phone, email, website, address, paymentInstructions, paymentLink].contains { $0 != nil }
    }

    /// The phone as people read it: `(617) 555-0100` for a North American number, E.164 otherwise.
    public var readablePhone: String? { phone.map(Self.readable(phone:)) }

    /// `+16175550100` as `(617) 555-0100`; any other number as it is.
    public static func readable(phone: String) -> String {
        let digits = Array(phone.utf8.dropFirst(2))
        guard phone.hasPrefix("+1"), digits.count == 10, digits.allSatisfy({ (48...57).contains($0) }) else {
            return phone
        }
        let text = String(decoding: digits, as: UTF8.self)
        let area = text.prefix(3)
        let exchange = text.dropFirst(3).prefix(3)
        let line = text.suffix(4)
        return "(\(area)) \(exchange)-\(line)"
    }

    /// Who is contacting the debtor and for whom, in one sentence, never naming the client by its reference:
    /// `collector` is the agency the client's terms name (nil or the client's own name when the client collects
    /// itself).
    public func whoIsContacting(collector: String?) -> String {
        let collector = collector.flatMap { $0 == name ? nil : $0 }
        switch (collector, name) {
        case (let collector?, let name?): return "\(collector) is contacting you about money owed to \(name)."
        case (let collector?, nil): return "\(collector) is contacting you about money you owe."
        case (nil, let name?): return "\(name) is contacting you about money you owe it."
        case (nil, nil): return "We are contacting you about money you owe."
        }
    }

    /// How to pay and get in touch as one line of an agreement (its "How to pay or contact us"), quoting `reference`;
    /// nil when the profile has no contact details.
    public func agreementContactLine(reference: String) -> String? {
        guard hasContactDetails else { return nil }
        var sentences: [String] = []
        if let instructions = paymentInstructions { sentences.append(Self.sentence(instructions)) }
        if let paymentLink { sentences.append("Pay online at \(paymentLink).") }
        var ways: [String] = []
        if let readablePhone { ways.append("call \(readablePhone)") }
        if let email { ways.append("email \(email)") }
        if !addressLines.isEmpty { ways.append("write to \(addressLines.joined(separator: ", "))") }
        if !ways.isEmpty { sentences.append("To pay or ask anything, " + Self.list(ways, joiner: "or") + ".") }
        if let website { sentences.append("Website: \(website).") }
        sentences.append("Please quote \(reference).")
        return sentences.joined(separator: " ")
    }

    /// `text` on one line, ending with a full stop (or the mark it ends with).
    static func sentence(_ text: String) -> String {
        let line = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        guard let last = line.last else { return line }
        return ".!?".contains(last) ? line : line + "."
    }

    /// `a`, `a or b`, `a, b or c`.
    static func list(_ items: [String], joiner: String) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " \(joiner) " + items[items.count - 1]
    }
}

/// A field of a client's profile that cannot be stored, and why, in one sentence that names it.
public struct ClientProfileError: Error, Hashable, Sendable, CustomStringConvertible {
    public var field: ClientProfile.Field
    public var problem: String

    public init(field: ClientProfile.Field, problem: String) {
        self.field = field
        self.problem = problem
    }

    public var description: String { "the \(field.label) \(problem)" }
}

/// What to change in a client's profile, each field as someone typed it: nil leaves the field as it is, empty (or
/// blanks) clears it, anything else is checked and replaces it.
public struct ClientProfileUpdate: Hashable, Sendable {
    public var name: String?
    public var phone: String?
    public var email: String?
    public var website: String?
    public var address: String?
    public var paymentInstructions: String?
    public var paymentLink: String?

    public init(
        name: String? = nil, phone: String? = nil, email: String? = nil, website: String? = nil,
        address: String? = nil, paymentInstructions: String? = nil, paymentLink: String? = nil
    ) {
        self.name = name
        self.phone = phone
        self.email = email
        self.website = website
        self.address = address
        self.paymentInstructions = paymentInstructions
        self.paymentLink = paymentLink
    }

    /// True when it changes nothing.
    public var isEmpty: Bool {
        [name, phone, email, website, address, paymentInstructions, paymentLink].allSatisfy { $0 == nil }
    }

    /// `profile` with the given fields checked and replaced; the error names the first field that cannot be stored.
    ///
    /// The name and the email are one line; the phone is read as people write it (`Phone.normalized`) and kept in
    /// E.164; the website and the payment link must be `https://` or `http://` addresses with a host; the address
    /// keeps its non-empty lines (at most 6); the payment instructions keep their lines. Each field has a largest
    /// length (`ClientProfile.Field.maximumLength`), and none may hold control characters.
    public func applied(to profile: ClientProfile) throws(ClientProfileError) -> ClientProfile {
        var result = profile
        if let name { result.name = try Self.line(name, .name) }
        if let phone {
            result.phone = try Self.checked(phone, .phone) { text throws(ClientProfileError) in
                do throws(ContactPointError) { return try Phone.normalized(text) } catch {
                    if case .unreadablePhone(_, let reason) = error {
                        throw ClientProfileError(field: .phone, problem: "\"\(text)\" is not a phone number: \(reason)")
                    }
                    throw ClientProfileError(field: .phone, problem: "\"\(text)\" is not a phone number")
                }
            }
        }
        if let email {
            result.email = try Self.checked(email, .email) { text throws(ClientProfileError) in
                guard isPlausibleEmail(text) else {
                    throw ClientProfileError(
                        field: .email, problem: "\"\(text)\" is not an email address such as billing@example.com")
                }
                return text
            }
        }
        if let website { result.website = try Self.webAddress(website, .website) }
        if let paymentLink { result.paymentLink = try Self.webAddress(paymentLink, .paymentLink) }
        if let address {
            result.address = try Self.checked(address, .address) { text throws(ClientProfileError) in
                let lines = text.split(whereSeparator: \.isNewline).map { String($0).trimmedSpaces }.filter {
                    !$0.isEmpty
                }
                guard lines.count <= 6 else {
                    throw ClientProfileError(field: .address, problem: "has \(lines.count) lines; use at most 6")
                }
                return lines.joined(separator: "\n")
            }
        }
        if let paymentInstructions {
            result.paymentInstructions = try Self.checked(paymentInstructions, .paymentInstructions) { text in
                text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).trimmedSpaces }
                    .joined(separator: "\n")
            }
        }
        return result
    }

    /// Trims `text`; nil when nothing is left; refuses it when too long or holding control characters (other than
    /// line breaks and tabs, which only the address and the instructions may hold); then `read` makes the value.
    private static func checked(
        _ text: String, _ field: ClientProfile.Field, read: (String) throws(ClientProfileError) -> String
    ) throws(ClientProfileError) -> String? {
        let trimmed = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        guard trimmed.count <= field.maximumLength else {
            throw ClientProfileError(
                field: field, problem: "\(field.has) \(trimmed.count) characters; use at most \(field.maximumLength)")
        }
        let multiline = field == .address || field == .paymentInstructions
        for scalar in trimmed.unicodeScalars where scalar.properties.generalCategory == .control {
            if multiline && (scalar == "\n" || scalar == "\t") { continue }
            throw ClientProfileError(
                field: field,
                problem: scalar == "\n"
                    ? "must be one line"
                    : "\(field.has == "has" ? "contains" : "contain") a control character (U+\(hex(scalar)))")
        }
        return try read(trimmed)
    }

    private static func line(_ text: String, _ field: ClientProfile.Field) throws(ClientProfileError) -> String? {
        try checked(text, field) { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
    }

    private static func webAddress(
        _ text: String, _ field: ClientProfile.Field
    ) throws(ClientProfileError) -> String? {
        try checked(text, field) { text throws(ClientProfileError) in
            let refusal = ClientProfileError(
                field: field, problem: "\"\(text)\" is not a web address starting with https:// or http://")
            guard !text.contains(where: \.isWhitespace), let url = URL(string: text),
                let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
                let host = url.host, !host.isEmpty, !host.hasPrefix("."), !host.hasSuffix(".")
            else { throw refusal }
            return text
        }
    }

    private static func hex(_ scalar: Unicode.Scalar) -> String {
        let digits = String(scalar.value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
