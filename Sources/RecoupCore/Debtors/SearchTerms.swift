import Foundation

/// The words a debtor can be found by, and how a search box's text is matched against them.
///
/// Search is by word prefix, as in an address book: "smi" finds "Anna Smith" and "Smithers Ltd", "jo sm" finds
/// "John Smith", "4567" finds a phone number ending in 4567 and "617555" one starting with (+1) 617 555. Words are
/// compared without case or accents ("muller" finds "Müller"). Debt references are matched by prefix separately.
public enum SearchTerms {
    /// The terms stored for a debtor: each word of the name, and for each phone its digits, its last ten, seven and
    /// four digits (so a number is found by how people write it: with or without the country code, or by its end).
    public static func terms(name: String, phones: [String]) -> Set<String> {
        var terms = Set(words(name))
        for phone in phones {
            let digits = String(phone.filter(\.isASCIIDigit))
            guard digits.count >= 4 else { continue }
            terms.insert(digits)
            for length in [10, 7, 4] where digits.count > length { terms.insert(String(digits.suffix(length))) }
        }
        return terms
    }

    /// The lower-cased, accent-free words of `text`: runs of letters and digits (at most 64 characters each).
    public static func words(_ text: String) -> [String] {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
        return folded.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map { String($0.prefix(64)) }
    }

    /// What a search box's text looks for.
    public struct Query: Sendable, Equatable {
        /// Every one of these must begin some term of the debtor (empty: match no debtor by terms).
        public var prefixes: [String]
        /// A debt reference beginning with this (lower-cased) also matches.
        public var referencePrefix: String

        /// Reads the text typed: a number written with spaces, dashes, dots or brackets (at least three digits and
        /// no letters) is one prefix of its digits; anything else is its words.
        public init(_ text: String) {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            referencePrefix = String(trimmed.lowercased().prefix(64))
            let digits = trimmed.filter(\.isASCIIDigit)
            if digits.count >= 3, !trimmed.contains(where: \.isLetter) {
                prefixes = [String(digits.prefix(15))]
            } else {
                prefixes = Array(Set(SearchTerms.words(trimmed))).sorted().prefix(4).map { $0 }
            }
        }

        /// True when there is nothing to look for.
        public var isEmpty: Bool { referencePrefix.isEmpty }
    }

    /// The first string after every string that begins with `prefix`, for a range scan `>= prefix AND < end` over
    /// a binary-ordered index.
    public static func upperBound(ofPrefix prefix: String) -> String {
        prefix + "\u{10FFFF}"
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
