package import Foundation

/// A member the document requires but allows to be null (`anyOf: [X, {type: "null"}]`): always written, as `null`
/// when there is no value. The generator would make such a member optional and leave it out when nil.
package struct Nullable<Wrapped: Codable & Hashable & Sendable>: Codable, Hashable, Sendable, ExpressibleByNilLiteral {
    package var value: Wrapped?

    package init(_ value: Wrapped?) { self.value = value }

    package init(nilLiteral: ()) { self.value = nil }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        value = container.decodeNil() ? nil : try container.decode(Wrapped.self)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value { try container.encode(value) } else { try container.encodeNil() }
    }
}

/// A decimal amount or percentage as text ("1250.00"). Always written as a string; a request may send a JSON number
/// instead, whose digits are kept as written rather than passed through a floating-point value.
package struct DecimalText: Codable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    package var text: String

    package init(_ text: String) { self.text = text }

    package init(stringLiteral text: String) { self.text = text }

    package var description: String { text }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self.text = text
        } else if let number = try? container.decode(Decimal.self) {
            self.text = number.description
        } else {
            throw DecodingError.typeMismatch(
                String.self,
                .init(codingPath: decoder.codingPath, debugDescription: "expected a decimal string such as \"12.50\""))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}

/// A request body the generated code only checks to be a JSON object, leaving the reading to the handler: the
/// compliance check's body, which Core's own reader (shared with `recoup compliance check`) reads from the raw
/// bytes at a fraction of what Foundation's decoder costs (docs/performance.md). The document still describes the
/// body in full (`ComplianceRequest`).
package struct JSONObjectBody: Codable, Hashable, Sendable {
    package init() {}

    package init(from decoder: any Decoder) throws {
        _ = try decoder.container(keyedBy: AnyKey.self)
    }

    package func encode(to encoder: any Encoder) throws {
        _ = encoder.container(keyedBy: AnyKey.self)
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
