import Foundation
import HeadroomModel

/// Checks a Mustache template against the shape of its view model before anything is rendered.
/// swift-mustache renders a missing key as nothing; here it is a build error with file and line.
/// Also enforced: `{{name}}` prints only text, numbers and Bools (escaped); `{{{name}}}` and
/// `{{&name}}` print only `TrustedHTML`; sections open only on Bools, optionals, lists and objects.
struct TemplateChecker {
    /// Template sources by name (relative path without `.mustache`), and the file each came from.
    let templates: [String: (text: String, file: String)]

    func check(_ name: String, against shape: Shape) throws(HeadroomError) {
        var visiting: [String] = []
        try check(name, stack: [shape], visiting: &visiting)
    }

    private func check(_ name: String, stack: [Shape], visiting: inout [String]) throws(HeadroomError) {
        guard let template = templates[name] else {
            throw HeadroomError(.render, "the template \(name).mustache does not exist")
        }
        guard !visiting.contains(name) else { return }  // recursion: already being checked
        visiting.append(name)
        defer { visiting.removeLast() }
        let tags = try Self.tags(in: template.text, file: template.file)
        var stack = stack
        var open: [(name: String, line: Int, pushed: Bool)] = []
        for tag in tags {
            func fail(_ message: String, remedy: String? = nil) -> HeadroomError {
                HeadroomError(
                    .render, file: template.file, position: .line(tag.line, column: tag.column), message, remedy: remedy
                )
            }
            switch tag.kind {
            case .comment:
                continue
            case .partial:
                guard templates[tag.name] != nil else {
                    throw fail(
                        "the partial '\(tag.name)' does not exist",
                        remedy: Suggest.closest(to: tag.name, in: templates.keys.sorted()).map {
                            "did you mean '\($0)'?"
                        })
                }
                try check(tag.name, stack: stack, visiting: &visiting)
            case .variable, .unescaped:
                let shape = try resolve(tag.name, in: stack, fail: fail)
                let printable = unwrap(shape)
                if tag.kind == .variable {
                    if printable == .html {
                        throw fail(
                            "'\(tag.name)' is TrustedHTML and would be escaped twice",
                            remedy: "print it with {{{\(tag.name)}}}")
                    }
                    guard [.text, .number, .bool].contains(printable) else {
                        throw fail(
                            "'\(tag.name)' is \(shape) and cannot be printed",
                            remedy: "open it as a section: {{#\(tag.name)}}…{{/\(tag.name)}}")
                    }
                } else if printable != .html {
                    throw fail(
                        "'\(tag.name)' is \(shape); only TrustedHTML may be printed unescaped",
                        remedy: "print it escaped with {{\(tag.name)}}")
                }
            case .section, .inverted:
                let shape = try resolve(tag.name, in: stack, fail: fail)
                var pushed: Shape?
                switch shape {
                case .bool: pushed = nil
                case .optional(let inner): pushed = inner
                case .array(let element): pushed = element
                case .object: pushed = shape
                default:
                    throw fail("'\(tag.name)' is \(shape); a section needs a Bool, an optional, a list or an object")
                }
                if tag.kind == .inverted { pushed = nil }
                if let pushed { stack.append(pushed) }
                open.append((tag.name, tag.line, pushed != nil))
            case .close:
                guard let last = open.popLast() else {
                    throw fail("{{/\(tag.name)}} closes a section that was never opened")
                }
                guard last.name == tag.name else {
                    throw fail("{{/\(tag.name)}} closes '\(last.name)', opened on line \(last.line)")
                }
                if last.pushed { stack.removeLast() }
            }
        }
        if let unclosed = open.last {
            throw HeadroomError(
                .render, file: template.file, position: .line(unclosed.line, column: nil),
                "the section '\(unclosed.name)' is never closed")
        }
    }

    private func unwrap(_ shape: Shape) -> Shape {
        if case .optional(let inner) = shape { return unwrap(inner) }
        return shape
    }

    /// Mustache name resolution: `.` is the top of the stack; `a.b` finds `a` in the nearest
    /// context that has it, then `b` inside it.
    private func resolve(
        _ name: String, in stack: [Shape], fail: (String, String?) -> HeadroomError
    ) throws(HeadroomError) -> Shape {
        if name == "." { return stack.last! }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !parts.contains(where: \.isEmpty) else { throw fail("'\(name)' is not a valid name", nil) }
        var found: Shape?
        var available: [String] = []
        for context in stack.reversed() {
            if case .object(let keys) = unwrap(context) {
                available += keys.keys
                if let shape = keys[parts[0]] {
                    if found == nil {
                        found = shape
                    } else if case .optional = found! {
                        // swift-mustache treats a nil value as a missing key and goes on to the
                        // outer context: a nil inner value would print the outer one.
                        throw fail(
                            "'\(parts[0])' is optional here and also exists in an outer context, which would "
                                + "show through when it is nil", "rename one of them")
                    } else {
                        break
                    }
                }
            }
        }
        guard var shape = found else {
            let suggestion = Suggest.closest(to: parts[0], in: Array(Set(available)).sorted())
            throw fail(
                "the view model has no key '\(parts[0])'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
                "keys available here: " + Array(Set(available)).sorted().joined(separator: ", "))
        }
        for part in parts.dropFirst() {
            guard case .object(let keys) = unwrap(shape), let next = keys[part] else {
                throw fail("'\(name)': \(shape) has no key '\(part)'", nil)
            }
            shape = next
        }
        return shape
    }

    struct Tag: Equatable {
        enum Kind { case variable, unescaped, section, inverted, close, partial, comment }
        var kind: Kind
        var name: String
        var line: Int
        var column: Int
    }

    /// The tags of a template with their positions. Set-delimiter tags, blocks, parents and
    /// pragmas are refused: the theme does not need them and the checker cannot follow them.
    static func tags(in text: String, file: String) throws(HeadroomError) -> [Tag] {
        var tags: [Tag] = []
        let characters = Array(text)
        var index = 0
        var line = 1
        var lineStart = 0
        while index < characters.count {
            if characters[index] == "\n" {
                line += 1
                lineStart = index + 1
                index += 1
                continue
            }
            guard characters[index] == "{", index + 1 < characters.count, characters[index + 1] == "{" else {
                index += 1
                continue
            }
            let tagLine = line
            let column = index - lineStart + 1
            var start = index + 2
            let triple = start < characters.count && characters[start] == "{"
            if triple { start += 1 }
            let closing: [Character] = triple ? ["}", "}", "}"] : ["}", "}"]
            var end = start
            while end + closing.count <= characters.count, Array(characters[end..<(end + closing.count)]) != closing {
                if characters[end] == "\n" {
                    line += 1
                    lineStart = end + 1
                }
                end += 1
            }
            guard end + closing.count <= characters.count else {
                throw HeadroomError(
                    .render, file: file, position: .line(tagLine, column: column), "a tag opened here is never closed")
            }
            var body = String(characters[start..<end])
            index = end + closing.count
            var kind: Tag.Kind = triple ? .unescaped : .variable
            if !triple, let sigil = body.first {
                switch sigil {
                case "#": kind = .section
                case "^": kind = .inverted
                case "/": kind = .close
                case ">": kind = .partial
                case "!": kind = .comment
                case "&": kind = .unescaped
                case "=", "$", "<", "%":
                    throw HeadroomError(
                        .render, file: file, position: .line(tagLine, column: column),
                        "the tag {{\(body)}} is not supported in Headroom templates",
                        remedy: "use variables, sections, inverted sections, partials and comments")
                default: break
                }
                if kind != .variable { body.removeFirst() }
            }
            let name = body.trimmingCharacters(in: .whitespaces)
            if kind != .comment {
                guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "._-/".contains($0) }) else {
                    throw HeadroomError(
                        .render, file: file, position: .line(tagLine, column: column),
                        "'\(name)' is not a valid name in a tag",
                        remedy: "names are letters, digits, '.', '_', '-' and '/'")
                }
            }
            tags.append(Tag(kind: kind, name: name, line: tagLine, column: column))
        }
        return tags
    }
}
