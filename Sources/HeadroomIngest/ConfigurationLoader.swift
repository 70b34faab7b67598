import Foundation
import HeadroomModel
import Yams

/// Reads `headroom.yml`. The schema is documented in the README; every key is checked, an unknown
/// key gets a "did you mean" suggestion, and hostile YAML (huge files, alias bombs) is refused
/// before it costs time: files over `maximumSize` are not parsed, and no more than `maximumNodes`
/// nodes are visited, counting each expansion of an alias.
public enum ConfigurationLoader {
    public static let maximumSize = 1024 * 1024
    public static let maximumNodes = 100_000

    /// Reads the file at `url` through `ProjectFile`, with the project (its folder) as the root.
    public static func load(from url: URL, display: String) throws(HeadroomError) -> Configuration {
        var info = stat()
        guard lstat(url.path, &info) == 0 else {
            throw HeadroomError(
                .configuration, file: display,
                "cannot read the configuration file: \(String(cString: strerror(errno)))",
                remedy: "run `headroom init` to create one, or pass --config FILE")
        }
        let data = try ProjectFile.read(
            url.path, display: display, root: url.deletingLastPathComponent().path, limit: maximumSize,
            stage: .configuration)
        return try parse(data, file: display)
    }

    /// The largest number a setting may have, in size: every threshold, percentage and count
    /// fits, and whole ones convert to Int without a trap.
    public static let largestNumber = 1e15

    /// A setting's number: finite and at most `largestNumber` in size; nil otherwise.
    static func number(_ text: String) -> Double? {
        guard let number = Double(text), number.isFinite, abs(number) <= largestNumber else { return nil }
        return number
    }

    public static func parse(_ data: Data, file: String) throws(HeadroomError) -> Configuration {
        guard data.count <= maximumSize else {
            throw HeadroomError(
                .configuration, file: file,
                "the file is \(data.count) bytes; a configuration may have at most \(maximumSize)")
        }
        let text = try ProjectFile.text(data, display: file, stage: .configuration)
        guard let root = try YAMLCursor.document(text, file: file, stage: .configuration) else {
            return Configuration()
        }
        var reader = Reader(file: file)
        return try reader.configuration(root.node)
    }

    /// The keys of each mapping, for validation and suggestions.
    static let topLevelKeys = [
        "title", "baseURL", "timeZone", "currency", "week", "sources", "services", "paths", "notes", "templates",
        "onInvalidInput", "health", "quotas", "cost", "checks", "gates", "archive", "errors",
    ]

    private struct Reader {
        let file: String
        var visited = 0

        func fail(_ node: Node, _ message: String, remedy: String? = nil) -> HeadroomError {
            HeadroomError(
                .configuration, file: file, position: node.mark.map { .line($0.line, column: $0.column) }, message,
                remedy: remedy)
        }

        mutating func visit(_ node: Node) throws(HeadroomError) {
            visited += 1
            if visited > ConfigurationLoader.maximumNodes {
                throw fail(
                    node, "the configuration expands to more than \(ConfigurationLoader.maximumNodes) values",
                    remedy: "remove the aliases that multiply it (a YAML bomb?)")
            }
        }

        /// A mapping's entries, with every key checked against `allowed`.
        /// `allowed: nil` accepts any key (dimension names, for instance).
        mutating func mapping(_ node: Node, allowed: [String]?, context: String) throws(HeadroomError) -> [(
            String, Node
        )] {
            try visit(node)
            guard case .mapping(let mapping) = node else {
                throw fail(node, "\(context) must be a mapping of keys to values")
            }
            var seen: Set<String> = []
            var entries: [(String, Node)] = []
            for (keyNode, value) in mapping {
                try visit(keyNode)
                guard let key = keyNode.scalar?.string else { throw fail(keyNode, "a key must be plain text") }
                if let allowed, !allowed.contains(key) {
                    let suggestion = Suggest.closest(to: key, in: allowed)
                    throw fail(
                        keyNode,
                        "unknown key '\(key)' in \(context)"
                            + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
                        remedy: "the keys allowed here are: " + allowed.joined(separator: ", "))
                }
                guard seen.insert(key).inserted else { throw fail(keyNode, "the key '\(key)' appears twice") }
                entries.append((key, value))
            }
            return entries
        }

        /// `{name?, when: {budgetExhausted: true | newFinding: {severity} | costGrowthAbove: N | quotaAbove: N}, level?: fail | warn}`.
        mutating func gate(_ node: Node) throws(HeadroomError) -> Configuration.Gate {
            var name: String?
            var condition: Configuration.Gate.Condition?
            var warnOnly = false
            let conditions = ["budgetExhausted", "newFinding", "costGrowthAbove", "quotaAbove", "newErrorGroup"]
            for (key, value) in try mapping(node, allowed: ["name", "when", "level"], context: "a gate") {
                switch key {
                case "name": name = try string(value, "name")
                case "level":
                    let text = try string(value, "level")
                    guard ["fail", "warn"].contains(text) else { throw fail(value, "level must be fail or warn") }
                    warnOnly = text == "warn"
                default:
                    let entries = try mapping(value, allowed: conditions, context: "a gate's when")
                    guard entries.count == 1, let (kind, item) = entries.first else {
                        throw fail(value, "a gate's when holds one of " + conditions.joined(separator: ", "))
                    }
                    switch kind {
                    case "budgetExhausted":
                        guard try string(item, kind) == "true" else {
                            throw fail(item, "budgetExhausted can only be true")
                        }
                        condition = .budgetExhausted
                    case "newFinding":
                        var severity = Severity.critical
                        for (field, level) in try mapping(item, allowed: ["severity"], context: "newFinding")
                        where field == "severity" {
                            let text = try string(level, "severity")
                            guard let parsed = Severity(rawValue: text) else {
                                throw fail(
                                    level, "severity must be critical, high, medium, low or info, found '\(text)'")
                            }
                            severity = parsed
                        }
                        condition = .newFinding(severity)
                    case "newErrorGroup":
                        var kinds: [ErrorKind] = []
                        for (_, list) in try mapping(item, allowed: ["kinds"], context: "newErrorGroup") {
                            for entry in try sequence(list, "newErrorGroup.kinds") {
                                let text = try string(entry, "a kind")
                                guard let kind = ErrorKind(rawValue: text) else {
                                    throw fail(
                                        entry,
                                        "an error kind is one of "
                                            + ErrorKind.allCases.map(\.rawValue).joined(separator: ", ")
                                            + ", found '\(text)'")
                                }
                                kinds.append(kind)
                            }
                        }
                        condition = .newErrorGroup(kinds)
                    default:
                        guard let number = ConfigurationLoader.number(try string(item, kind)) else {
                            throw fail(item, "\(kind) must be a number (a percentage) up to 10^15")
                        }
                        condition = kind == "costGrowthAbove" ? .costGrowthAbove(number) : .quotaAbove(number)
                    }
                }
            }
            guard let condition else {
                throw fail(node, "a gate needs when:", remedy: "conditions: " + conditions.joined(separator: ", "))
            }
            let names: String =
                switch condition {
                case .budgetExhausted: "an error budget is exhausted"
                case .newFinding(let severity): "a new \(severity.rawValue) finding or worse"
                case .costGrowthAbove(let percent):
                    "cost grew more than \(String(format: "%g", percent))% week over week"
                case .quotaAbove(let percent): "a quota is above \(String(format: "%g", percent))%"
                case .newErrorGroup(let kinds):
                    kinds.isEmpty
                        ? "a new error group"
                        : "a new error group of kind " + kinds.map(\.rawValue).joined(separator: ", ")
                }
            return Configuration.Gate(name: name ?? names, condition: condition, warnOnly: warnOnly)
        }

        /// `checks: {folder, disable: [ids], rules: {id: {severity, threshold}}, mutes: [{rule, resource, reason, owner, expires}]}`.
        mutating func checks(_ node: Node) throws(HeadroomError) -> Configuration.CheckRules {
            var checks = Configuration.CheckRules()
            for (key, item) in try mapping(
                node, allowed: ["folder", "disable", "rules", "mutes", "acknowledgements", "aggregate", "owner"],
                context: "checks")
            {
                switch key {
                case "folder":
                    checks.folder = try string(item, "checks.folder")
                case "owner":
                    checks.owner = try string(item, "checks.owner")
                case "aggregate":
                    checks.aggregate = try sequence(item, "checks.aggregate").map { n throws(HeadroomError) in
                        try string(n, "a rule id")
                    }
                case "acknowledgements":
                    for entry in try sequence(item, "checks.acknowledgements") {
                        var fields: [String: String] = [:]
                        for (field, value) in try mapping(
                            entry, allowed: ["rule", "resource", "by", "note"], context: "an acknowledgement")
                        {
                            fields[field] = try string(value, field)
                        }
                        for field in ["rule", "resource", "by", "note"] where (fields[field] ?? "").isEmpty {
                            throw fail(entry, "an acknowledgement needs \(field): rule, resource, by and note")
                        }
                        checks.acknowledgements.append(
                            Configuration.Acknowledgement(
                                rule: fields["rule"]!, resource: fields["resource"]!, by: fields["by"]!,
                                note: fields["note"]!))
                    }
                case "disable":
                    checks.disable = try sequence(item, "checks.disable").map { n throws(HeadroomError) in
                        try string(n, "a rule id")
                    }
                case "rules":
                    for (id, rule) in try mapping(item, allowed: nil, context: "checks.rules") {
                        var override = Configuration.Override()
                        for (field, value) in try mapping(
                            rule, allowed: ["severity", "threshold"], context: "checks.rules.\(id)")
                        {
                            let text = try string(value, field)
                            if field == "severity" {
                                guard let severity = Severity(rawValue: text) else {
                                    throw fail(
                                        value, "severity must be critical, high, medium, low or info, found '\(text)'")
                                }
                                override.severity = severity
                            } else {
                                guard let number = ConfigurationLoader.number(text) else {
                                    throw fail(value, "threshold must be a number up to 10^15 in size, found '\(text)'")
                                }
                                override.threshold = number
                            }
                        }
                        checks.overrides[id] = override
                    }
                case "mutes":
                    for entry in try sequence(item, "checks.mutes") {
                        var fields: [String: String] = [:]
                        for (field, value) in try mapping(
                            entry, allowed: ["rule", "resource", "reason", "owner", "expires"], context: "a mute")
                        {
                            fields[field] = try string(value, field)
                        }
                        for field in ["rule", "resource", "reason", "owner", "expires"]
                        where (fields[field] ?? "").isEmpty {
                            throw fail(
                                entry, "a mute needs \(field): rule, resource, reason, owner and expires (a date)")
                        }
                        guard let expires = Timestamp.civilDays(fields["expires"]!) else {
                            throw fail(
                                entry,
                                "a mute's expires must be a date such as 2026-12-31, found '\(fields["expires"]!)'")
                        }
                        checks.mutes.append(
                            Configuration.Mute(
                                rule: fields["rule"]!, resource: fields["resource"]!, reason: fields["reason"]!,
                                owner: fields["owner"]!, expires: expires))
                    }
                default:
                    break
                }
            }
            return checks
        }

        /// `cost.athena: {database, table, export: focus | cur2, workgroup?, outputLocation?}`. Names
        /// as Glue and Athena allow them (letters, digits, `_`, and `-` in a database or table
        /// name), so that none can end a quoted identifier or string in the query.
        mutating func athena(_ node: Node) throws(HeadroomError) -> Configuration.AthenaTable {
            var fields: [String: (text: String, node: Node)] = [:]
            for (key, item) in try mapping(
                node, allowed: ["database", "table", "export", "workgroup", "outputLocation"], context: "cost.athena")
            {
                fields[key] = (try string(item, "cost.athena.\(key)"), item)
            }
            func name(_ key: String, pattern: String, what: String) throws(HeadroomError) -> String? {
                guard let (text, item) = fields[key] else { return nil }
                guard text.wholeMatch(of: try! Regex(pattern)) != nil else {
                    throw fail(item, "cost.athena.\(key) '\(text)' is not \(what)")
                }
                return text
            }
            let names = "a Glue name (1 to 255 letters, digits, _ or -)"
            guard let database = try name("database", pattern: "[A-Za-z0-9_-]{1,255}", what: names),
                let table = try name("table", pattern: "[A-Za-z0-9_-]{1,255}", what: names)
            else {
                throw fail(
                    node, "cost.athena needs database and table: the export's table as Athena knows it",
                    remedy: "for example: athena: {database: focus_db, table: focus_export, export: focus}")
            }
            guard let (kind, item) = fields["export"] else {
                throw fail(node, "cost.athena needs export: focus (FOCUS 1.x) or cur2 (CUR 2.0)")
            }
            guard let export = Configuration.AthenaTable.Export(rawValue: kind) else {
                throw fail(item, "cost.athena.export must be focus (FOCUS 1.x) or cur2 (CUR 2.0), not '\(kind)'")
            }
            let workgroup =
                try name("workgroup", pattern: "[A-Za-z0-9._-]{1,128}", what: "an Athena workgroup name") ?? "primary"
            let output = try name(
                "outputLocation", pattern: "s3://[a-z0-9][a-z0-9.-]{1,62}(/[A-Za-z0-9!_.*'()/=+-]*)?",
                what: "an S3 location such as s3://my-athena-results/headroom/")
            return Configuration.AthenaTable(
                database: database, table: table, export: export, workgroup: workgroup, outputLocation: output)
        }

        /// `errors: {fingerprints: [{type?, message?, function?, group}], mutes: [{group, reason, owner, expires}], owner}`.
        mutating func errors(_ node: Node) throws(HeadroomError) -> Configuration.ErrorRules {
            var rules = Configuration.ErrorRules()
            for (key, item) in try mapping(node, allowed: ["fingerprints", "mutes", "owner"], context: "errors") {
                switch key {
                case "owner":
                    rules.owner = try string(item, "errors.owner")
                case "fingerprints":
                    for entry in try sequence(item, "errors.fingerprints") {
                        var fields: [String: String] = [:]
                        for (field, value) in try mapping(
                            entry, allowed: ["type", "message", "function", "group"], context: "a fingerprint rule")
                        {
                            fields[field] = try string(value, field)
                        }
                        guard let group = fields["group"], !group.isEmpty else {
                            throw fail(entry, "a fingerprint rule needs group: the name of the group it makes")
                        }
                        guard fields["type"] != nil || fields["message"] != nil || fields["function"] != nil else {
                            throw fail(
                                entry, "a fingerprint rule needs type, message or function: what events it takes")
                        }
                        rules.fingerprints.append(
                            Configuration.Fingerprint(
                                type: fields["type"], message: fields["message"], function: fields["function"],
                                group: group, origin: "\(file)" + (entry.mark.map { ":\($0.line)" } ?? "")))
                    }
                case "mutes":
                    for entry in try sequence(item, "errors.mutes") {
                        var fields: [String: String] = [:]
                        for (field, value) in try mapping(
                            entry, allowed: ["group", "reason", "owner", "expires"], context: "an error mute")
                        {
                            fields[field] = try string(value, field)
                        }
                        for field in ["group", "reason", "owner", "expires"] where (fields[field] ?? "").isEmpty {
                            throw fail(
                                entry,
                                "an error mute needs \(field): group (its id or a glob on its title), reason, owner and expires (a date)"
                            )
                        }
                        guard let expires = Timestamp.civilDays(fields["expires"]!) else {
                            throw fail(
                                entry,
                                "a mute's expires must be a date such as 2026-12-31, found '\(fields["expires"]!)'")
                        }
                        rules.mutes.append(
                            Configuration.Mute(
                                rule: "error", resource: fields["group"]!, reason: fields["reason"]!,
                                owner: fields["owner"]!, expires: expires))
                    }
                default:
                    break
                }
            }
            return rules
        }

        mutating func string(_ node: Node, _ what: String) throws(HeadroomError) -> String {
            try visit(node)
            guard case .scalar(let scalar) = node else { throw fail(node, "\(what) must be text") }
            return scalar.string
        }

        mutating func sequence(_ node: Node, _ what: String) throws(HeadroomError) -> [Node] {
            try visit(node)
            guard case .sequence(let sequence) = node else { throw fail(node, "\(what) must be a list") }
            return Array(sequence)
        }

        mutating func configuration(_ root: Node) throws(HeadroomError) -> Configuration {
            var configuration = Configuration()
            for (key, value) in try mapping(root, allowed: ConfigurationLoader.topLevelKeys, context: "headroom.yml") {
                switch key {
                case "title":
                    configuration.title = try string(value, "title")
                case "baseURL":
                    let url = try string(value, "baseURL")
                    // Printable ASCII without the characters that end an attribute, a tag or a URL
                    // (quotes, angle brackets, spaces, `#`, `?`): the value is pasted into links.
                    let safe = url.unicodeScalars.allSatisfy {
                        (0x21...0x7E).contains($0.value) && !"\"'<>`{}|\\^#?".unicodeScalars.contains($0)
                    }
                    guard safe, let parsed = URL(string: url),
                        ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host?.isEmpty == false
                    else {
                        throw fail(
                            value,
                            "baseURL must be an http(s) URL such as https://ops.example.com/review/, "
                                + "without spaces, quotes, '<', '>', '?' or '#' (percent-encode them)")
                    }
                    configuration.baseURL = url.hasSuffix("/") ? url : url + "/"
                case "timeZone":
                    let zone = try string(value, "timeZone")
                    guard TimeZone(identifier: zone) != nil else {
                        throw fail(
                            value, "unknown time zone '\(zone)'",
                            remedy: "use an IANA name such as Europe/Berlin, America/New_York or UTC")
                    }
                    configuration.timeZone = zone
                case "currency":
                    let code = try string(value, "currency")
                    guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
                        throw fail(value, "currency must be an ISO 4217 code such as USD or EUR")
                    }
                    configuration.currency = code
                case "week":
                    let text = try string(value, "week")
                    if text == "latest" {
                        configuration.week = nil
                    } else {
                        guard let week = ISOWeek(text) else {
                            throw fail(
                                value,
                                "week must be an ISO week such as 2026-W47 (\(Instant.yearsText.dropFirst(4))), or latest"
                            )
                        }
                        configuration.week = week
                    }
                case "sources":
                    configuration.sources = []
                    for item in try sequence(value, "sources") {
                        configuration.sources.append(try source(item))
                    }
                case "services":
                    configuration.services = []
                    var names: Set<String> = []
                    for item in try sequence(value, "services") {
                        let service = try service(item)
                        guard names.insert(service.name).inserted else {
                            throw fail(item, "the service '\(service.name)' is declared twice")
                        }
                        configuration.services.append(service)
                    }
                case "paths":
                    for item in try sequence(value, "paths") {
                        let path = try path(item)
                        guard !configuration.paths.contains(where: { $0.name == path.name }) else {
                            throw fail(item, "the path '\(path.name)' is declared twice")
                        }
                        configuration.paths.append(path)
                    }
                case "notes":
                    configuration.notes = try string(value, "notes")
                case "templates":
                    configuration.templates = try string(value, "templates")
                case "health":
                    configuration.health = try health(value)
                case "cost":
                    for (key, item) in try mapping(
                        value,
                        allowed: [
                            "monthlyBudget", "spikePercent", "spikeMinimum", "lambdaPrices", "freeTier", "athena",
                        ],
                        context: "cost")
                    {
                        if key == "athena" {
                            configuration.cost.athena = try athena(item)
                            continue
                        }
                        if key == "lambdaPrices" {
                            configuration.cost.lambdaPrices = try string(item, key)
                            continue
                        }
                        if key == "freeTier" {
                            let text = try string(item, key)
                            guard ["true", "false"].contains(text) else {
                                throw fail(item, "freeTier must be true or false")
                            }
                            configuration.cost.freeTier = text == "true"
                            continue
                        }
                        guard let amount = Decimal(exactly: try string(item, key)), amount >= 0 else {
                            throw fail(item, "\(key) must be a decimal number of at least 0, such as 1500.00")
                        }
                        switch key {
                        case "monthlyBudget": configuration.cost.monthlyBudget = amount
                        case "spikePercent": configuration.cost.spikePercent = amount
                        default: configuration.cost.spikeMinimum = amount
                        }
                    }
                case "archive":
                    for (_, item) in try mapping(value, allowed: ["functionPageWeeks"], context: "archive") {
                        guard let weeks = Int(try string(item, "archive.functionPageWeeks")), weeks >= 0 else {
                            throw fail(
                                item, "archive.functionPageWeeks must be a whole number of weeks, at least 0",
                                remedy:
                                    "6 keeps the function pages of the review week and the 5 before it; 0 keeps every week's"
                            )
                        }
                        configuration.archive.functionPageWeeks = weeks
                    }
                case "checks":
                    configuration.checks = try checks(value)
                case "errors":
                    configuration.errors = try errors(value)
                case "gates":
                    configuration.gates = try sequence(value, "gates").map { node throws(HeadroomError) in
                        try gate(node)
                    }
                case "quotas":
                    var thresholds = Configuration.QuotaThresholds()
                    for (key, item) in try mapping(value, allowed: ["warning", "critical"], context: "quotas") {
                        guard let number = ConfigurationLoader.number(try string(item, key)), number > 0 else {
                            throw fail(item, "\(key) must be a percentage above 0")
                        }
                        if key == "warning" { thresholds.warning = number } else { thresholds.critical = number }
                    }
                    guard thresholds.warning <= thresholds.critical else {
                        throw fail(value, "quotas.warning must not be above quotas.critical")
                    }
                    configuration.quotas = thresholds
                case "onInvalidInput":
                    let text = try string(value, "onInvalidInput")
                    guard let policy = Configuration.InvalidInputPolicy(rawValue: text) else {
                        throw fail(value, "onInvalidInput must be fail or warn")
                    }
                    configuration.onInvalidInput = policy
                default:
                    break
                }
            }
            return configuration
        }

        mutating func source(_ node: Node) throws(HeadroomError) -> Configuration.Source {
            if case .scalar = node { return Configuration.Source(path: try string(node, "a source")) }
            var source = Configuration.Source(path: "")
            for (key, value) in try mapping(node, allowed: ["path", "format", "metric"], context: "a source") {
                if key == "path" {
                    source.path = try string(value, "path")
                } else if key == "metric" {
                    source.metric = try metric(value)
                } else {
                    let text = try string(value, "format")
                    guard let format = SourceFormat(rawValue: text) else {
                        let names = SourceFormat.allCases.map(\.rawValue)
                        throw fail(
                            value,
                            "unknown format '\(text)'"
                                + (Suggest.closest(to: text, in: names).map { "; did you mean '\($0)'?" } ?? ""),
                            remedy: "formats: " + names.joined(separator: ", "))
                    }
                    source.format = format
                }
            }
            guard !source.path.isEmpty else { throw fail(node, "a source needs a path") }
            return source
        }

        mutating func health(_ node: Node) throws(HeadroomError) -> Configuration.HealthRules {
            var rules = Configuration.HealthRules()
            let keys = ["errorRateFloor", "lowVolume", "timeoutWarning", "timeoutCritical"]
            for (key, value) in try mapping(node, allowed: keys, context: "health") {
                let text = try string(value, key)
                guard let number = ConfigurationLoader.number(text), number >= 0 else {
                    throw fail(value, "\(key) must be a number from 0 to 10^15")
                }
                switch key {
                case "errorRateFloor": rules.errorRateFloor = number
                case "lowVolume":
                    guard let whole = Int(exactly: number) else {
                        throw fail(value, "lowVolume must be a whole number")
                    }
                    rules.lowVolume = whole
                case "timeoutWarning": rules.timeoutWarning = number
                default: rules.timeoutCritical = number
                }
            }
            guard rules.timeoutWarning <= rules.timeoutCritical else {
                throw fail(node, "timeoutWarning must not be above timeoutCritical")
            }
            return rules
        }

        mutating func metric(_ node: Node) throws(HeadroomError) -> Configuration.MetricRequest {
            let keys = ["namespace", "name", "dimensions", "period", "statistics", "extendedStatistics"]
            var request = Configuration.MetricRequest(namespace: "", name: "", period: 0)
            for (key, value) in try mapping(node, allowed: keys, context: "a metric") {
                switch key {
                case "namespace": request.namespace = try string(value, "namespace")
                case "name": request.name = try string(value, "name")
                case "period":
                    guard let period = Int(try string(value, "period")), period > 0 else {
                        throw fail(value, "period must be a whole number of seconds")
                    }
                    request.period = period
                case "dimensions":
                    var dimensions: [MetricDimension] = []
                    for (name, node) in try mapping(value, allowed: nil, context: "dimensions") {
                        dimensions.append(MetricDimension(name: name, value: try string(node, name)))
                    }
                    request.dimensions = dimensions.sorted()
                case "statistics":
                    for item in try sequence(value, "statistics") {
                        request.statistics.append(try string(item, "a statistic"))
                    }
                default:
                    for item in try sequence(value, "extendedStatistics") {
                        request.extendedStatistics.append(try string(item, "an extended statistic"))
                    }
                }
            }
            guard !request.namespace.isEmpty, !request.name.isEmpty, request.period > 0 else {
                throw fail(node, "a metric needs namespace, name and period")
            }
            return request
        }

        mutating func path(_ node: Node) throws(HeadroomError) -> Configuration.CriticalPath {
            var path = Configuration.CriticalPath(name: "", steps: [])
            for (key, value) in try mapping(node, allowed: ["name", "description", "steps"], context: "a path") {
                switch key {
                case "name": path.name = try string(value, "name")
                case "description": path.description = try string(value, "description")
                default:
                    for step in try sequence(value, "steps") { path.steps.append(try string(step, "a step")) }
                }
            }
            guard !path.name.isEmpty else { throw fail(node, "a path needs a name") }
            guard !path.steps.isEmpty else {
                throw fail(node, "the path '\(path.name)' needs steps: resource names such as checkout-api")
            }
            return path
        }

        mutating func service(_ node: Node) throws(HeadroomError) -> Configuration.Service {
            var service = Configuration.Service(name: "", match: [])
            for (key, value) in try mapping(
                node, allowed: ["name", "description", "match", "tags", "owner"], context: "a service")
            {
                switch key {
                case "name": service.name = try string(value, "name")
                case "owner": service.owner = try string(value, "owner")
                case "description": service.description = try string(value, "description")
                case "tags":
                    for (tag, item) in try mapping(value, allowed: nil, context: "tags") {
                        service.tags[tag] = try string(item, tag)
                    }
                default:
                    if case .scalar = value {
                        service.match = [try string(value, "match")]
                    } else {
                        service.match = []
                        for pattern in try sequence(value, "match") {
                            service.match.append(try string(pattern, "a match pattern"))
                        }
                    }
                }
            }
            guard !service.name.isEmpty else { throw fail(node, "a service needs a name") }
            guard !service.match.isEmpty || !service.tags.isEmpty else {
                throw fail(
                    node,
                    "the service '\(service.name)' needs match: patterns such as checkout-*, or tags: such as {team: checkout}"
                )
            }
            return service
        }
    }
}
