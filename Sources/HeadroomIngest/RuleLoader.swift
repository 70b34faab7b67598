import Foundation
import HeadroomModel

/// Reads well-architected rules: a YAML list of rules, or one rule, per file. The built-in pack is
/// `builtin/checks.yml`, compiled into the binary; a project adds its own in `checks/`. Every key
/// and value is checked, and a problem names the file, line and column.
public enum RuleLoader {
    /// The rules that ship with Headroom.
    public static func builtIn() throws(HeadroomError) -> [Rule] {
        try parse(EmbeddedData.files["checks.yml"] ?? "", file: "(built-in) checks.yml")
    }

    /// Every `*.yml` and `*.yaml` file of `folder`, in name order; none when the folder is missing.
    /// Each is read through `ProjectFile`, inside `root` (the project).
    public static func read(folder: URL, display: String, root: URL) throws(HeadroomError) -> [Rule] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        var rules: [Rule] = []
        for name in names.sorted() where (name.hasSuffix(".yml") || name.hasSuffix(".yaml")) && !name.hasPrefix(".") {
            let path = "\(display)/\(name)"
            let data = try ProjectFile.read(
                folder.appending(path: name).path, display: path, root: root.path,
                limit: ConfigurationLoader.maximumSize, stage: .configuration)
            rules += try parse(try ProjectFile.text(data, display: path, stage: .configuration), file: path)
        }
        return rules
    }

    public static func parse(_ text: String, file: String) throws(HeadroomError) -> [Rule] {
        guard let document = try YAMLCursor.document(text, file: file, stage: .ingest) else { return [] }
        let items: [YAMLCursor] =
            if case .sequence = document.node { try document.sequence("the rules") } else { [document] }
        var rules: [Rule] = []
        for item in items {
            let rule = try self.rule(item)
            if rules.contains(where: { $0.id == rule.id }) { throw item.fail("the rule \(rule.id) appears twice") }
            rules.append(rule)
        }
        return rules
    }

    static let keys = [
        "id", "title", "pillar", "severity", "scope", "when", "match", "rationale", "remediation", "references",
    ]

    static func rule(_ item: YAMLCursor) throws(HeadroomError) -> Rule {
        try item.checkKeys(keys, in: "a rule")
        let id = try item.require("id", in: "a rule").string("id")
        guard !id.isEmpty,
            id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") })
        else { throw item.fail("a rule's id must be letters, digits, '-', '_' or '.', found '\(id)'") }
        let what = "rule \(id)"
        func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) throws(HeadroomError) -> T
        where T.RawValue == String {
            let cursor = try item.require(key, in: what)
            let text = try cursor.string(key)
            guard let value = T(rawValue: text) else {
                let names = T.allCases.map(\.rawValue)
                throw cursor.fail(
                    "\(key) '\(text)' is not one of " + names.joined(separator: ", ")
                        + (Suggest.closest(to: text, in: names).map { "; did you mean '\($0)'?" } ?? ""))
            }
            return value
        }
        let scope = try choice("scope", Rule.Scope.self)
        let condition = try self.condition(try item.require("when", in: what), scope: scope, what: what)
        var references: [String] = []
        if let list = item["references"] {
            for reference in try list.sequence("references") {
                let url = try reference.string("a reference")
                guard url.hasPrefix("https://") || url.hasPrefix("http://") else {
                    throw reference.fail("a reference must be an http(s) link, found '\(url)'")
                }
                references.append(url)
            }
        }
        return Rule(
            id: id, title: try item.require("title", in: what).string("title"),
            pillar: try choice("pillar", Pillar.self),
            severity: try choice("severity", Severity.self), scope: scope, condition: condition,
            match: try item["match"].map { c throws(HeadroomError) in try c.strings("match") } ?? [],
            rationale: try item["rationale"]?.string("rationale") ?? "",
            remediation: try item["remediation"]?.string("remediation") ?? "", references: references,
            source: item.file + (item.line.map { ":\($0)" } ?? ""))
    }

    /// `when:` holds exactly one condition of the vocabulary.
    static func condition(_ cursor: YAMLCursor, scope: Rule.Scope, what: String) throws(HeadroomError) -> Rule.Condition
    {
        let entries = try cursor.mapping("when")
        guard entries.count == 1, let (kind, value) = entries.first else {
            throw cursor.fail(
                "when must hold exactly one condition", remedy: "conditions: " + conditions.joined(separator: ", "))
        }
        func compare(_ what: String) throws(HeadroomError) -> (Rule.Comparison, Double) {
            let above = value["above"], below = value["below"]
            guard (above == nil) != (below == nil) else { throw value.fail("\(what) needs either above or below") }
            return above != nil ? (.above, try above!.number("above")) : (.below, try below!.number("below"))
        }
        func flag() throws(HeadroomError) {
            guard try value.bool(kind) else { throw value.fail("\(kind) can only be true") }
        }
        func percent() throws(HeadroomError) -> Double { try value.number(kind) }
        func require(_ scopes: [Rule.Scope]) throws(HeadroomError) {
            guard scopes.contains(scope) else {
                throw cursor.fail(
                    "\(kind) applies to scope " + scopes.map(\.rawValue).joined(separator: " or ")
                        + ", not \(scope.rawValue)")
            }
        }
        let resources = Rule.Scope.allCases.filter { $0 != .account }
        switch kind {
        case "metric":
            try require(resources)
            try value.checkKeys(["name", "statistic", "above", "below"], in: "metric")
            let (comparison, threshold) = try compare("metric")
            return .metric(
                name: try value.require("name", in: "metric").string("name"),
                statistic: try value["statistic"]?.string("statistic"), comparison, threshold)
        case "ratio":
            try require(resources)
            try value.checkKeys(["of", "to", "above", "below", "minimumVolume"], in: "ratio")
            let (comparison, threshold) = try compare("ratio")
            return .ratio(
                of: try value.require("of", in: "ratio").string("of"),
                to: try value.require("to", in: "ratio").string("to"),
                comparison, threshold, minimumVolume: try value["minimumVolume"]?.number("minimumVolume") ?? 0)
        case "quotaUsed":
            try require([.account])
            try value.checkKeys(["above", "below"], in: kind)
            let (comparison, threshold) = try compare(kind)
            return .quota(comparison, threshold)
        case "sloBudgetLeft", "sloBurnRate":
            try require([.account])
            try value.checkKeys(["above", "below"], in: kind)
            let (comparison, threshold) = try compare(kind)
            return kind == "sloBudgetLeft" ? .sloBudget(comparison, threshold) : .sloBurn(comparison, threshold)
        case "costChange":
            try require([.account])
            try value.checkKeys(["above", "below"], in: kind)
            let (comparison, threshold) = try compare(kind)
            return .costChange(comparison, threshold)
        case "costSpike":
            try require([.account])
            try flag()
            return .costSpike
        case "accountConcurrencyAbove":
            try require([.account])
            return .inventory(.accountConcurrencyAbove(percent: try percent()))
        case "deprecatedRuntime":
            try require([.function])
            var table: [String: RuntimeSupport] = [:]
            for (runtime, entry) in try value.mapping(kind) {
                func day(_ cursor: YAMLCursor, _ what: String) throws(HeadroomError) -> Int64 {
                    let text = try cursor.string("a date")
                    guard let days = Timestamp.civilDays(text) else {
                        throw cursor.fail(
                            "the \(what) of \(runtime) must be a date such as 2026-06-30, found '\(text)'")
                    }
                    return days
                }
                // A date alone is the deprecation date; a mapping adds the dates AWS blocks
                // creating and updating functions.
                guard case .mapping = entry.node else {
                    table[runtime] = RuntimeSupport(deprecated: try day(entry, "end of support"))
                    continue
                }
                for (key, _) in try entry.mapping(runtime)
                where !["deprecated", "blockCreate", "blockUpdate"].contains(key) {
                    throw entry.fail("unknown key '\(key)' for \(runtime); use deprecated, blockCreate and blockUpdate")
                }
                guard let deprecated = entry["deprecated"] else {
                    throw entry.fail("\(runtime) needs deprecated: its end-of-support date")
                }
                table[runtime] = RuntimeSupport(
                    deprecated: try day(deprecated, "end of support"),
                    blockCreate: try entry["blockCreate"].map { (cursor) throws(HeadroomError) in
                        try day(cursor, "create block")
                    },
                    blockUpdate: try entry["blockUpdate"].map { (cursor) throws(HeadroomError) in
                        try day(cursor, "update block")
                    })
            }
            return .inventory(.deprecatedRuntime(table))
        case "noDeadLetter", "tracingOff", "timeouts", "noReservedConcurrency", "x86", "textLogs",
            "secretLikeEnvironment":
            try require([.function])
            try flag()
            let predicates: [String: Rule.InventoryPredicate] = [
                "noDeadLetter": .noDeadLetter, "tracingOff": .tracingOff, "timeouts": .timeouts,
                "noReservedConcurrency": .noReservedConcurrency, "x86": .x86, "textLogs": .textLogs,
                "secretLikeEnvironment": .secretLikeEnvironment,
            ]
            return .inventory(predicates[kind]!)
        case "timeoutAbove":
            try require([.function])
            let seconds = try value.number(kind)
            guard seconds >= 0, let whole = Int(exactly: seconds.rounded(.down)) else {
                throw value.fail("\(kind) must be a number of seconds, at least 0")
            }
            return .inventory(.timeoutAbove(seconds: whole))
        case "durationOfTimeoutAbove":
            try require([.function])
            return .inventory(.durationOfTimeoutAbove(percent: try percent()))
        case "memoryUsedAbove":
            try require([.function])
            return .inventory(.memoryUsedAbove(percent: try percent()))
        case "memoryUsedBelow":
            try require([.function])
            return .inventory(.memoryUsedBelow(percent: try percent()))
        case "coldStartsAbove":
            try require([.function])
            return .inventory(.coldStartsAbove(percent: try percent()))
        default:
            throw YAMLCursor(node: cursor.node, file: cursor.file).fail(
                "unknown condition '\(kind)' in \(what)"
                    + (Suggest.closest(to: kind, in: conditions).map { "; did you mean '\($0)'?" } ?? ""),
                remedy: "conditions: " + conditions.joined(separator: ", "))
        }
    }

    static let conditions = [
        "metric", "ratio", "quotaUsed", "sloBudgetLeft", "sloBurnRate", "costChange", "costSpike",
        "accountConcurrencyAbove", "deprecatedRuntime", "noDeadLetter", "tracingOff", "timeouts",
        "noReservedConcurrency", "x86", "textLogs", "secretLikeEnvironment", "timeoutAbove", "durationOfTimeoutAbove",
        "memoryUsedAbove",
        "memoryUsedBelow", "coldStartsAbove",
    ]
}
