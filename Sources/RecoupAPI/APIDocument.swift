package import Foundation
internal import Yams

/// The OpenAPI document that describes Recoup's HTTP API, as it ships inside this module.
///
/// `openapi.yaml` beside this file is the one source: the generator plugin makes the Swift types and the server's
/// routing from it at build time, and the server serves the same file as YAML and, converted here, as JSON.
package struct APIDocument: Sendable {
    /// The document's YAML text, byte for byte as written.
    package let yaml: Data
    /// The same document as JSON: mapping keys in the order the YAML writes them, anchors expanded.
    package let json: Data

    /// Reads the bundled document and converts it; throws when it is missing or is not YAML.
    package static func load() throws -> APIDocument {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw APIDocumentError("openapi.yaml is missing from the RecoupAPI bundle")
        }
        return try APIDocument(yaml: Data(contentsOf: url))
    }

    package init(yaml: Data) throws {
        self.yaml = yaml
        guard let text = String(data: yaml, encoding: .utf8) else {
            throw APIDocumentError("the OpenAPI document is not UTF-8 text")
        }
        guard let root = try Yams.compose(yaml: text) else {
            throw APIDocumentError("the OpenAPI document is empty")
        }
        var output = ""
        try Self.writeJSON(root, indent: 0, to: &output)
        output += "\n"
        self.json = Data(output.utf8)
    }

    /// Writes a YAML node as indented JSON. Scalars keep the type the YAML resolver gives them (the same one the
    /// generator's reader uses): null, booleans, integers and floats as JSON literals, everything else as a string.
    private static func writeJSON(_ node: Node, indent: Int, to output: inout String) throws {
        let inner = String(repeating: " ", count: indent + 2)
        switch node {
        case .scalar(let scalar):
            writeScalar(scalar, tag: node.tag, to: &output)
        case .mapping(let mapping):
            if mapping.count == 0 {
                output += "{}"
                return
            }
            output += "{\n"
            for (index, pair) in mapping.enumerated() {
                guard case .scalar(let key) = pair.key else {
                    throw APIDocumentError("a mapping key in the OpenAPI document is not a plain value")
                }
                output += inner
                writeString(key.string, to: &output)
                output += ": "
                try writeJSON(pair.value, indent: indent + 2, to: &output)
                output += index == mapping.count - 1 ? "\n" : ",\n"
            }
            output += String(repeating: " ", count: indent) + "}"
        case .sequence(let sequence):
            if sequence.count == 0 {
                output += "[]"
                return
            }
            output += "[\n"
            for (index, element) in sequence.enumerated() {
                output += inner
                try writeJSON(element, indent: indent + 2, to: &output)
                output += index == sequence.count - 1 ? "\n" : ",\n"
            }
            output += String(repeating: " ", count: indent) + "]"
        case .alias:
            throw APIDocumentError("an alias in the OpenAPI document was left unresolved")
        }
    }

    private static func writeScalar(_ scalar: Node.Scalar, tag: Tag, to output: inout String) {
        let node = Node.scalar(scalar)
        switch tag.description {
        case Tag.Name.null.rawValue:
            output += "null"
        case Tag.Name.bool.rawValue:
            output += node.bool.map { $0 ? "true" : "false" } ?? "null"
        case Tag.Name.int.rawValue:
            if let value = node.int { output += String(value) } else { writeString(scalar.string, to: &output) }
        case Tag.Name.float.rawValue:
            if let value = node.float, value.isFinite {
                output += "\(value)"
            } else {
                writeString(scalar.string, to: &output)
            }
        default:
            writeString(scalar.string, to: &output)
        }
    }

    private static func writeString(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}

/// The bundled OpenAPI document could not be read.
package struct APIDocumentError: Error, CustomStringConvertible {
    package var description: String

    package init(_ description: String) { self.description = description }
}
