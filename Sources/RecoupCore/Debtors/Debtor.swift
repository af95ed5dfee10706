/// Whether a debtor is a person (consumer debt, Regulation F applies) or a business.
public enum DebtorKind: String, CaseIterable, Codable, Sendable {
    case consumer, commercial
}

/// What kind of line a phone number is; `init?(name:)` reads the names people use (`cell`, `landline`, `office`).
public enum PhoneType: String, CaseIterable, Codable, Sendable {
    case mobile, home, work, other
}

/// A phone number in E.164 form (`+16175550100`) with its type.
public struct Phone: Hashable, Codable, Sendable {
    /// The number, `+` and 8 to 15 digits.
    public var number: String
    /// The line's type.
    public var type: PhoneType

    /// Makes a phone; throws unless `number` is E.164.
    public init(number: String, type: PhoneType) throws(ContactPointError) {
        guard Phone.isE164(number) else { throw .invalidPhone(number) }
        self.number = number
        self.type = type
    }

    /// True for `+` followed by 8 to 15 digits, the first not zero.
    public static func isE164(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 9, bytes.count <= 16, bytes[0] == UInt8(ascii: "+"), bytes[1] != UInt8(ascii: "0") else {
            return false
        }
        return bytes.dropFirst().allSatisfy { $0 >= 48 && $0 <= 57 }
    }
}

/// What kind of place a postal address is.
public enum AddressType: String, CaseIterable, Codable, Sendable {
    case home, work, other
}

/// A postal address; state and postal code matter for time zones and state rules.
public struct PostalAddress: Hashable, Codable, Sendable {
    /// Home, work or other.
    public var type: AddressType
    /// Street and number.
    public var line1: String?
    /// City.
    public var city: String?
    /// State or province code (`MA`).
    public var state: String?
    /// Postal code (`02118`).
    public var postalCode: String?
    /// ISO 3166 alpha-2 country code (`US`).
    public var country: String

    /// Makes an address.
    public init(
        type: AddressType, line1: String? = nil, city: String? = nil, state: String? = nil, postalCode: String? = nil,
        country: String = "US"
    ) {
        self.type = type
        self.line1 = line1
        self.city = city
        self.state = state
        self.postalCode = postalCode
        self.country = country
    }
}

/// Why a contact point was refused.
public enum ContactPointError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidPhone(String)
    /// A number as written that cannot be read as a phone number, and why (`Phone.normalized(_:defaultCountry:)`).
    case unreadablePhone(String, reason: String)
    case invalidPhoneType(String)
    case invalidEmail(String)

    public var description: String {
        switch self {
        case .invalidPhone(let text): return "\"\(text)\" is not a phone number in E.164 form such as +16175550100"
        case .unreadablePhone(let text, let reason): return "\"\(text)\" is not a phone number: \(reason)"
        case .invalidPhoneType(let text):
            return "\"\(text)\" is not a phone type (use mobile, home, work or other, or \(PhoneType.commonNames))"
        case .invalidEmail(let text): return "\"\(text)\" is not an email address"
        }
    }
}

/// Checks the shape of an email address: one `@`, something before it, a dot in the domain, no blanks.
public func isPlausibleEmail(_ text: String) -> Bool {
    let parts = text.split(separator: "@", omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
        !parts[1].hasSuffix(".")
    else { return false }
    return !text.contains(where: { $0.isWhitespace })
}
