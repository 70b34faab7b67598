import HeadroomModel
import Yams

/// A YAML node with its file, so that every problem names file, line and column.
struct YAMLCursor {
    let node: Node
    let file: String

    func fail(_ message: String, remedy: String? = nil) -> HeadroomError {
        HeadroomError(
            .ingest, file: file, position: node.mark.map { .line($0.line, column: $0.column) }, message, remedy: remedy)
    }

    var line: Int? { node.mark?.line }

    /// Parses a whole YAML document; nil for an empty one. Syntax errors name the file and position.
    static func document(_ text: String, file: String, stage: HeadroomError.Stage) throws(HeadroomError) -> YAMLCursor?
    {
        do {
            return try Yams.compose(yaml: text).map { YAMLCursor(node: $0, file: file) }
        } catch let error as YamlError {
            throw YAMLCursor.error(error, file: file, stage: stage)
        } catch {
            throw HeadroomError(stage, file: file, "invalid YAML", underlying: error)
        }
    }

    /// A Yams error as a HeadroomError with the file, line and column.
    static func error(_ error: YamlError, file: String, stage: HeadroomError.Stage) -> HeadroomError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return HeadroomError(
                stage, file: file, position: .line(mark.line, column: mark.column), "invalid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return HeadroomError(
                stage, file: file, position: .line(context.mark.line, column: context.mark.column),
                "the key '\(duplicates.joined(separator: "', '"))' appears twice in one mapping")
        default:
            return HeadroomError(stage, file: file, "invalid YAML: \(error)")
        }
    }

    /// The most mappings one mapping may merge in (`<<:`), counting merges within merges: a chain
    /// of anchors that each merge the previous one nine times would otherwise expand to billions.
    static let maximumMerges = 1_000

    /// The entries of a mapping in document order, with YAML merge keys (`<<: *anchor`) applied:
    /// explicit keys win over merged ones, and earlier merged mappings over later ones.
    func mapping(_ what: String) throws(HeadroomError) -> [(key: String, value: YAMLCursor)] {
        var merges = 0
        return try mapping(what, merges: &merges)
    }

    private func mapping(_ what: String, merges: inout Int) throws(HeadroomError) -> [(
        key: String, value: YAMLCursor
    )] {
        guard case .mapping(let mapping) = node else { throw fail("\(what) must be a mapping") }
        var entries: [(key: String, value: YAMLCursor)] = []
        var merged: [(key: String, value: YAMLCursor)] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                throw YAMLCursor(node: keyNode, file: file).fail("a key must be plain text")
            }
            if scalar.string == "<<" && scalar.style == .plain {
                let sources: [Node] = if case .sequence(let list) = value { Array(list) } else { [value] }
                for source in sources {
                    merges += 1
                    guard merges <= Self.maximumMerges else {
                        throw YAMLCursor(node: keyNode, file: file).fail(
                            "merge keys (<<) bring in more than \(Self.maximumMerges) mappings, merges within merges "
                                + "counted", remedy: "write the values out, or merge fewer anchors")
                    }
                    merged += try YAMLCursor(node: source, file: file).mapping("a merged value", merges: &merges)
                }
                continue
            }
            entries.append((scalar.string, YAMLCursor(node: value, file: file)))
        }
        var keys = Set(entries.map(\.key))
        for entry in merged where keys.insert(entry.key).inserted { entries.append(entry) }
        return entries
    }

    subscript(key: String) -> YAMLCursor? {
        guard case .mapping = node, let entries = try? mapping("") else { return nil }
        guard let value = entries.first(where: { $0.key == key })?.value else { return nil }
        if case .scalar(let scalar) = value.node, scalar.style == .plain,
            ["", "~", "null", "Null", "NULL"].contains(scalar.string)
        {
            return nil
        }
        return value
    }

    /// A list of text values.
    func strings(_ what: String) throws(HeadroomError) -> [String] {
        var result: [String] = []
        for item in try sequence(what) { result.append(try item.string(what)) }
        return result
    }

    /// Fails on the first key of the mapping that is not `allowed`, suggesting the closest.
    func checkKeys(_ allowed: [String], in what: String) throws(HeadroomError) {
        for (key, value) in try mapping(what) where !allowed.contains(key) {
            throw value.fail(
                "unknown key '\(key)' in \(what)"
                    + (Suggest.closest(to: key, in: allowed).map { "; did you mean '\($0)'?" } ?? ""))
        }
    }

    func require(_ key: String, in what: String) throws(HeadroomError) -> YAMLCursor {
        guard let value = self[key] else { throw fail("\(what) needs \(key)") }
        return value
    }

    func sequence(_ what: String) throws(HeadroomError) -> [YAMLCursor] {
        guard case .sequence(let sequence) = node else { throw fail("\(what) must be a list") }
        return sequence.map { YAMLCursor(node: $0, file: file) }
    }

    func string(_ what: String) throws(HeadroomError) -> String {
        guard case .scalar(let scalar) = node else { throw fail("\(what) must be text") }
        return scalar.string
    }

    /// A number written as a number: quoted text is refused.
    func number(_ what: String) throws(HeadroomError) -> Double {
        guard case .scalar(let scalar) = node, scalar.style == .plain, let value = Double(scalar.string), value.isFinite
        else { throw fail("\(what) must be a number") }
        return value
    }

    /// `true` or `false`, unquoted.
    func bool(_ what: String) throws(HeadroomError) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain, ["true", "false"].contains(scalar.string) else {
            throw fail("\(what) must be true or false")
        }
        return scalar.string == "true"
    }

    static let maximumDepth = 32

    /// The node as a free-form value; plain scalars that look like numbers, booleans or null are
    /// typed. At most `maximumDepth` levels deep: the history store reads values back only so deep.
    func value(budget: inout Int, depth: Int = 0) throws(HeadroomError) -> DataValue {
        budget -= 1
        guard budget >= 0 else { throw fail("the document expands to too many values") }
        guard depth < Self.maximumDepth else { throw fail("a value nested more than \(Self.maximumDepth) levels deep") }
        switch node {
        case .scalar(let scalar):
            guard scalar.style == .plain else { return .text(scalar.string) }
            switch scalar.string {
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "", "~", "null", "Null", "NULL": return .null
            default:
                if let number = Double(scalar.string), number.isFinite { return .number(number) }
                return .text(scalar.string)
            }
        case .sequence(let sequence):
            var items: [DataValue] = []
            for item in sequence {
                items.append(try YAMLCursor(node: item, file: file).value(budget: &budget, depth: depth + 1))
            }
            return .list(items)
        case .mapping:
            var entries: [DataEntry] = []
            for (key, value) in try mapping("a value") {
                entries.append(DataEntry(key: key, value: try value.value(budget: &budget, depth: depth + 1)))
            }
            return .map(entries)
        case .alias:
            throw fail("an unresolved alias")
        }
    }
}
