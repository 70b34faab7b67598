import Yams

/// A value in YAML front matter. Scalars stay text; callers decide what a value must be.
public indirect enum FrontMatterValue: Sendable, Equatable {
    case text(String)
    case list([FrontMatterValue])
    case map([FrontMatterEntry])
    case null

    public var text: String? {
        if case .text(let text) = self { return text }
        return nil
    }

    public subscript(key: String) -> FrontMatterValue? {
        if case .map(let entries) = self { return entries.first { $0.key == key }?.value }
        return nil
    }
}

public struct FrontMatterEntry: Sendable, Equatable {
    public var key: String
    public var value: FrontMatterValue
    /// 1-based line in the whole document.
    public var line: Int
}

/// A Markdown document with its front matter split off.
public struct MarkdownDocument: Sendable, Equatable {
    /// nil when the document has no front matter.
    public var frontMatter: FrontMatterValue?
    public var body: String
    /// The document line on which `body` starts, for error messages.
    public var bodyLine: Int

    /// Splits `---`-fenced YAML front matter from the start of `text` and parses it.
    public init(parsing text: String) throws(MarkdownError) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, first.trimmingTrailingSpace == "---" else {
            self.frontMatter = nil
            self.body = text
            self.bodyLine = 1
            return
        }
        guard
            let end = lines.dropFirst().firstIndex(where: {
                $0.trimmingTrailingSpace == "---" || $0.trimmingTrailingSpace == "..."
            })
        else {
            throw MarkdownError(line: 1, message: "the front matter starting here is never closed with ---")
        }
        let yaml = lines[1..<end].joined(separator: "\n")
        guard yaml.utf8.count <= 64 * 1024 else {
            throw MarkdownError(line: 2, message: "the front matter is over 64 KiB")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
                .composer(_, let problem, let mark, _):
                throw MarkdownError(line: mark.line + 1, message: "invalid front matter: \(problem)")
            case .duplicatedKeysInMapping(let duplicates, let context):
                throw MarkdownError(
                    line: context.mark.line + 1,
                    message: "the key '\(duplicates.joined(separator: "', '"))' appears twice in the front matter")
            default:
                throw MarkdownError(line: 2, message: "invalid front matter: \(error)")
            }
        } catch {
            throw MarkdownError(line: 2, message: "invalid front matter: \(error)")
        }
        var budget = 10_000
        self.frontMatter =
            try node.map { node throws(MarkdownError) in try Self.convert(node, budget: &budget) } ?? .map([])
        guard case .map = frontMatter! else {
            throw MarkdownError(line: 2, message: "front matter must be a mapping of keys to values")
        }
        self.body = lines[(end + 1)...].joined(separator: "\n")
        self.bodyLine = end + 2
    }

    private static func convert(_ node: Node, budget: inout Int) throws(MarkdownError) -> FrontMatterValue {
        budget -= 1
        let line = (node.mark?.line ?? 0) + 1
        guard budget >= 0 else {
            throw MarkdownError(line: line, message: "the front matter expands to too many values")
        }
        switch node {
        case .scalar(let scalar):
            return scalar.string.isEmpty && scalar.style == .plain ? .null : .text(scalar.string)
        case .sequence(let sequence):
            var items: [FrontMatterValue] = []
            for item in sequence { items.append(try convert(item, budget: &budget)) }
            return .list(items)
        case .mapping(let mapping):
            var entries: [FrontMatterEntry] = []
            for (key, value) in mapping {
                guard let name = key.scalar?.string else {
                    throw MarkdownError(line: line, message: "front-matter keys must be plain text")
                }
                guard !entries.contains(where: { $0.key == name }) else {
                    throw MarkdownError(line: (key.mark?.line ?? 0) + 1, message: "the key '\(name)' appears twice")
                }
                entries.append(
                    FrontMatterEntry(
                        key: name, value: try convert(value, budget: &budget), line: (key.mark?.line ?? 0) + 1))
            }
            return .map(entries)
        case .alias:
            throw MarkdownError(line: line, message: "aliases are not allowed in front matter")
        }
    }
}

extension Substring {
    fileprivate var trimmingTrailingSpace: Substring {
        var result = self
        while let last = result.last, last == " " || last == "\t" || last == "\r" { result = result.dropLast() }
        return result
    }
}
