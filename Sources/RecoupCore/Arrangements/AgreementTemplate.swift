/// A value a template fills in: text, or a list of items for a repeated section.
public enum TemplateValue: Hashable, Sendable {
    case text(String)
    /// Items for `{{#name}}…{{/name}}`; an empty list renders nothing, so a list of one works as a condition.
    case list([[String: TemplateValue]])
}

/// The names a template may use: text fields, and lists with the fields of their items.
public struct TemplateSchema: Hashable, Sendable {
    public var fields: Set<String>
    public var lists: [String: TemplateSchema]

    public init(fields: Set<String>, lists: [String: TemplateSchema] = [:]) {
        self.fields = fields
        self.lists = lists
    }
}

/// A template that cannot be used; each says what is wrong and on which line.
public enum AgreementTemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownPlaceholder(String, line: Int, known: [String])
    case unknownSection(String, line: Int, known: [String])
    case listUsedAsPlaceholder(String, line: Int)
    case unclosedSection(String, line: Int)
    case unexpectedClose(String, line: Int, open: String?)
    case unclosedTag(line: Int)
    case emptyTag(line: Int)

    public var description: String {
        switch self {
        case .unknownPlaceholder(let name, let line, let known):
            return
                "Line \(line): {{\(name)}} is not a known placeholder; "
                + "the known names are \(known.joined(separator: ", "))."
        case .unknownSection(let name, let line, let known):
            let names = known.isEmpty ? "there are none here" : "the known lists are \(known.joined(separator: ", "))"
            return "Line \(line): {{#\(name)}} is not a known list; \(names)."
        case .listUsedAsPlaceholder(let name, let line):
            return "Line \(line): \(name) is a list; repeat it with {{#\(name)}}…{{/\(name)}} instead of {{\(name)}}."
        case .unclosedSection(let name, let line):
            return "Line \(line): the section {{#\(name)}} is never closed with {{/\(name)}}."
        case .unexpectedClose(let name, let line, let open):
            let context = open.map { "the open section is \($0)" } ?? "no section is open"
            return "Line \(line): {{/\(name)}} closes a section that is not open; \(context)."
        case .unclosedTag(let line):
            return "Line \(line): a placeholder opened with {{ is not closed with }} on the same line."
        case .emptyTag(let line):
            return "Line \(line): a placeholder {{ }} has no name."
        }
    }
}

/// A small template language for agreements: `{{name}}` placeholders and `{{#list}}…{{/list}}` sections repeated
/// for each item of a list (inside, an item's fields come first, then the outer ones).
///
/// Templates are checked against a schema when parsed, so a misspelt name fails before any letter is written. A
/// section tag alone on its line takes the whole line with it, so templates can be laid out readably. HTML templates
/// escape every value (`& < > " '`); the template's own text is written as it is, with line ends made `\n`.
public struct AgreementTemplate: Hashable, Sendable {
    /// How values are written into the template.
    public enum Format: String, Sendable {
        /// Values as they are.
        case text
        /// Values HTML-escaped.
        case html
    }

    indirect enum Node: Hashable, Sendable {
        case text(String)
        case value(String)
        case section(String, [Node])
    }

    public let format: Format
    let nodes: [Node]

    /// Parses `source`, checking every name against `schema`.
    public init(_ source: String, format: Format, schema: TemplateSchema) throws(AgreementTemplateError) {
        self.format = format
        self.nodes = try AgreementTemplate.parse(source, schema: schema)
    }

    /// The template filled in with `values`; a name with no value renders as nothing.
    public func render(_ values: [String: TemplateValue]) -> String {
        var output = ""
        render(nodes, scopes: [values], into: &output)
        return output
    }

    private func render(_ nodes: [Node], scopes: [[String: TemplateValue]], into output: inout String) {
        for node in nodes {
            switch node {
            case .text(let text):
                output += text
            case .value(let name):
                guard case .text(let value) = AgreementTemplate.lookUp(name, in: scopes) else { continue }
                if format == .html { AgreementTemplate.appendEscaped(value, to: &output) } else { output += value }
            case .section(let name, let children):
                guard case .list(let items) = AgreementTemplate.lookUp(name, in: scopes) else { continue }
                for item in items { render(children, scopes: scopes + [item], into: &output) }
            }
        }
    }

    private static func lookUp(_ name: String, in scopes: [[String: TemplateValue]]) -> TemplateValue? {
        for scope in scopes.reversed() {
            if let value = scope[name] { return value }
        }
        return nil
    }

    /// Appends `value` with the five characters that matter in HTML text and attributes escaped.
    static func appendEscaped(_ value: String, to output: inout String) {
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.unicodeScalars.append(scalar)
            }
        }
    }

    // MARK: Parsing

    private enum TagKind { case value, open, close }

    private struct Tag {
        var kind: TagKind
        var name: String
        var line: Int
    }

    private static func parse(_ template: String, schema: TemplateSchema) throws(AgreementTemplateError) -> [Node] {
        // Lines end in "\n" from here on ("\r\n" is one Character in Swift and would hide line ends).
        let source = template.replacingOccurrences(of: "\r\n", with: "\n")
        // Split into texts and tags, alternating: texts[k] comes before tags[k], and one text ends the template.
        var texts: [String] = []
        var tags: [Tag] = []
        var index = source.startIndex
        var line = 1
        while let open = source.range(of: "{{", range: index..<source.endIndex) {
            let text = source[index..<open.lowerBound]
            texts.append(String(text))
            line += newlineCount(text)
            guard let close = source.range(of: "}}", range: open.upperBound..<source.endIndex) else {
                throw .unclosedTag(line: line)
            }
            let inner = source[open.upperBound..<close.lowerBound]
            guard !inner.contains("\n"), !inner.contains("{{") else { throw .unclosedTag(line: line) }
            var body = inner.trimmingCharacters(in: .whitespaces)
            var kind = TagKind.value
            if body.hasPrefix("#") {
                kind = .open
            } else if body.hasPrefix("/") {
                kind = .close
            }
            if kind != .value { body = String(body.dropFirst()).trimmingCharacters(in: .whitespaces) }
            guard !body.isEmpty else { throw .emptyTag(line: line) }
            tags.append(Tag(kind: kind, name: body, line: line))
            index = close.upperBound
        }
        texts.append(String(source[index...]))
        stripStandaloneSectionLines(&texts, tags)

        struct Frame {
            var name: String
            var line: Int
            var schema: TemplateSchema
            var nodes: [Node] = []
        }
        var stack = [Frame(name: "", line: 0, schema: schema)]
        for (position, tag) in tags.enumerated() {
            if !texts[position].isEmpty { stack[stack.count - 1].nodes.append(.text(texts[position])) }
            switch tag.kind {
            case .value:
                if stack.contains(where: { $0.schema.fields.contains(tag.name) }) {
                    stack[stack.count - 1].nodes.append(.value(tag.name))
                } else if stack.contains(where: { $0.schema.lists[tag.name] != nil }) {
                    throw .listUsedAsPlaceholder(tag.name, line: tag.line)
                } else {
                    let known = Set(stack.flatMap(\.schema.fields)).sorted()
                    throw .unknownPlaceholder(tag.name, line: tag.line, known: known)
                }
            case .open:
                guard let list = stack.reversed().lazy.compactMap({ $0.schema.lists[tag.name] }).first else {
                    let known = Set(stack.flatMap(\.schema.lists.keys)).sorted()
                    throw .unknownSection(tag.name, line: tag.line, known: known)
                }
                stack.append(Frame(name: tag.name, line: tag.line, schema: list))
            case .close:
                guard stack.count > 1, let frame = stack.last, frame.name == tag.name else {
                    throw .unexpectedClose(tag.name, line: tag.line, open: stack.count > 1 ? stack.last?.name : nil)
                }
                stack.removeLast()
                stack[stack.count - 1].nodes.append(.section(frame.name, frame.nodes))
            }
        }
        if let last = texts.last, !last.isEmpty { stack[stack.count - 1].nodes.append(.text(last)) }
        if stack.count > 1, let open = stack.last { throw .unclosedSection(open.name, line: open.line) }
        return stack[0].nodes
    }

    /// Removes the lines that hold nothing but one section tag (and blanks), as Mustache does.
    private static func stripStandaloneSectionLines(_ texts: inout [String], _ tags: [Tag]) {
        // Decided on the original texts first: neighbouring standalone tags share the text between them.
        var standalone = [Bool](repeating: false, count: tags.count)
        for (position, tag) in tags.enumerated() where tag.kind != .value {
            let before = texts[position]
            let after = texts[position + 1]
            let lineStart: Substring
            if let newline = before.lastIndex(of: "\n") {
                lineStart = before[before.index(after: newline)...]
            } else if position == 0 {
                lineStart = before[...]
            } else {
                continue
            }
            let lineEnd: Substring
            if let newline = after.firstIndex(of: "\n") {
                lineEnd = after[..<newline]
            } else if position + 1 == tags.count {
                lineEnd = after[...]
            } else {
                continue
            }
            standalone[position] = isBlank(lineStart) && isBlank(lineEnd)
        }
        for position in tags.indices where standalone[position] {
            let before = texts[position]
            if let newline = before.lastIndex(of: "\n") {
                texts[position] = String(before[...newline])
            } else {
                texts[position] = ""
            }
        }
        for position in tags.indices where standalone[position] {
            let after = texts[position + 1]
            if let newline = after.firstIndex(of: "\n") {
                texts[position + 1] = String(after[after.index(after: newline)...])
            } else {
                texts[position + 1] = ""
            }
        }
    }

    private static func isBlank(_ text: Substring) -> Bool {
        text.unicodeScalars.allSatisfy { $0 == " " || $0 == "\t" }
    }

    private static func newlineCount(_ text: Substring) -> Int {
        text.utf8.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
    }
}
