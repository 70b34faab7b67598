import Foundation
import HeadroomModel

/// The week's error events grouped into issues, as Sentry and Dashbird do.
public struct ErrorGroup: Sendable, Equatable, Codable {
    /// A stable id: 12 hex digits of the FNV-1a hash of the fingerprint. Pages and mutes use it.
    public var id: String
    /// `type`, normalised message and top in-app frame joined by " | ", or `rule: <group>` when
    /// a fingerprint rule of headroom.yml named the group.
    public var fingerprint: String
    public var title: String
    public var kind: ErrorKind
    public var type: String
    /// Normalised: the same for every event of the group (the first event's for a rule's group).
    public var message: String
    public var frame: String?
    /// The fingerprint rule that made the group (`headroom.yml:<line>`), if one did.
    public var rule: String?
    /// Events this week; 0 for a group resolved or not checked this week.
    public var count: Int
    /// The first and last event of the week.
    public var first: Instant?
    public var last: Instant?
    /// Sorted by events, most first, then by name.
    public var functions: [Hit]
    public var sample: ErrorSample
    /// The function the sample comes from.
    public var sampleFunction: String
    /// A CloudWatch Logs Insights query that finds the group's events in its functions' log groups.
    public var query: String
    public var sources: [String]
    /// From `Analysis.errorLifecycle`: the group against the weeks before.
    public var state: CheckFinding.State = .new
    /// Every week before this one since the group was first seen, oldest first: its events, 0
    /// in a week whose logs of its functions were collected without it, nil (not checked) in a
    /// week they were not.
    public var history: [WeekCount] = []
    /// The week the group is open since (the first week of this run of open weeks).
    public var since: ISOWeek?
    /// The week of its last events, for a group resolved or not checked this week.
    public var lastSeen: ISOWeek?
    public var owner: String?
    public var mute: Configuration.Mute?
    public var muteExpired = false

    public struct Hit: Sendable, Equatable, Codable {
        public var function: String
        public var service: String
        /// Versions named by the log streams or START lines, sorted.
        public var versions: [String]
        public var count: Int
    }

    public struct WeekCount: Sendable, Equatable, Codable {
        public var week: ISOWeek
        public var count: Int?
    }

    /// What ranks the Errors page: events × functions hit.
    public var impact: Int { count * max(1, functions.count) }
}

extension Analysis {
    /// The week's error groups, and the functions whose logs were collected in the week (the
    /// coverage a group needs to be resolved). Events count in the week their quarter hour starts
    /// in. The fingerprint is the first matching rule of `errors.fingerprints`, else the type, the
    /// normalised message, the top in-app frame and the kind. Sorted by impact, then title.
    static func errorGroups(
        _ dataset: Dataset, in interval: Range<Instant>, configuration: Configuration, services: [String: String]
    ) -> (groups: [ErrorGroup], logFunctions: [String]) {
        var logFunctions: Set<String> = []
        for file in dataset.logFiles {
            guard let function = file.function else { continue }
            let inFolder = ISOWeek.folder(of: file.source).map { $0.week.interval(in: configuration.zone) == interval }
            let overlaps = file.first.map { first in
                first < interval.upperBound && (file.last ?? first) >= interval.lowerBound
            }
            if inFolder ?? overlaps ?? false { logFunctions.insert(function) }
        }
        var environment: [String: [String]] = [:]
        for function in dataset.functions { environment[function.name] = function.environmentVariableNames }

        /// A record's events in the week.
        struct Part {
            var record: ErrorEvents
            var count: Int
            var first: Instant?
            var last: Instant?
        }
        var byKey: [String: [Part]] = [:]
        var ruleOf: [String: Configuration.Fingerprint] = [:]
        for record in dataset.errors {
            guard let function = record.function else { continue }
            let week = record.events(in: interval)
            guard week.count > 0 else { continue }
            let key: String
            if let rule = configuration.errors.fingerprints.first(where: { rule in
                (rule.type.map { Glob($0).matches(record.type) } ?? true)
                    && (rule.message.map { Glob($0).matches(record.message) } ?? true)
                    && (rule.function.map { Glob($0).matches(function) } ?? true)
            }) {
                key = "rule: " + rule.group
                ruleOf[key] = rule
            } else {
                key = [record.type, record.message, record.frame ?? "", record.kind.rawValue].joined(separator: " | ")
            }
            byKey[key, default: []].append(Part(record: record, count: week.count, first: week.first, last: week.last))
        }
        var groups: [ErrorGroup] = []
        for (key, parts) in byKey {
            // The sample: the earliest, ties broken by file and order read.
            let first = parts.enumerated().min { a, b in
                (a.element.record.sample.time?.seconds ?? .max, a.element.record.source, a.offset)
                    < (b.element.record.sample.time?.seconds ?? .max, b.element.record.source, b.offset)
            }!.element.record
            var hits: [String: (count: Int, versions: Set<String>)] = [:]
            for part in parts {
                let function = part.record.function ?? ""
                hits[function, default: (0, [])].count += part.count
                if let version = part.record.version { hits[function]!.versions.insert(version) }
            }
            let functions = hits.map { name, hit in
                ErrorGroup.Hit(
                    function: name, service: services[name] ?? unassignedService, versions: hit.versions.sorted(),
                    count: hit.count)
            }.sorted { ($1.count, $0.function) < ($0.count, $1.function) }
            let rule = ruleOf[key]
            var sample = first.sample
            let names = environment[first.function ?? ""] ?? []
            sample.message = redactEnvironment(sample.message, names: names)
            sample.stack = sample.stack.map { redactEnvironment($0, names: names) }
            // `Type: message`; the message alone when it names the type already or the type is a
            // log level's; the type alone without a message.
            let title =
                rule?.group
                ?? (first.message.isEmpty
                    ? first.type
                    : first.type == "logged error" || first.message.hasPrefix(first.type)
                        ? first.message : "\(first.type): \(first.message)")
            groups.append(
                ErrorGroup(
                    id: fnv1a(key), fingerprint: key, title: title, kind: first.kind, type: first.type,
                    message: first.message, frame: first.frame, rule: rule?.origin,
                    count: parts.reduce(0) { $0 + $1.count },
                    first: parts.compactMap(\.first).min(), last: parts.compactMap(\.last).max(),
                    functions: functions, sample: sample, sampleFunction: first.function ?? "",
                    query: insightsQuery(type: first.type, message: first.message, rule: rule),
                    sources: Array(Set(parts.map(\.record.source))).sorted()))
        }
        groups.sort { ($1.impact, $0.title, $0.id) < ($0.impact, $1.title, $1.id) }
        return (groups, logFunctions.sorted())
    }

    /// 12 hex digits of the 64-bit FNV-1a hash of the text's UTF-8.
    static func fnv1a(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String((String(repeating: "0", count: 16 - hex.count) + hex).prefix(12))
    }

    /// `NAME=value` and `"NAME": "value"` of the function's environment variables, with the value
    /// replaced: what the inventory names is configuration, never shown.
    static func redactEnvironment(_ text: String, names: [String]) -> String {
        var result = text
        for name in names where !name.isEmpty && result.contains(name) {
            for separator in ["=", "\": \"", "\":\"", ": "] {
                var searchFrom = result.startIndex
                while let range = result.range(of: name + separator, range: searchFrom..<result.endIndex) {
                    let valueStart = range.upperBound
                    var valueEnd = valueStart
                    while valueEnd < result.endIndex, !" \t\n\",;'&".contains(result[valueEnd]) {
                        valueEnd = result.index(after: valueEnd)
                    }
                    guard valueEnd > valueStart else {
                        searchFrom = valueStart
                        continue
                    }
                    result.replaceSubrange(valueStart..<valueEnd, with: "[redacted]")
                    searchFrom = result.index(valueStart, offsetBy: "[redacted]".count)
                }
            }
        }
        return result
    }

    /// A Logs Insights query for the group: events whose message holds the type and the longest
    /// constant part of the normalised message (text between placeholders), newest first.
    static func insightsQuery(type: String, message: String, rule: Configuration.Fingerprint?) -> String {
        var terms: [String] = []
        func literal(_ text: String) -> String? {
            let clean = text.filter { $0 != "\"" && $0 != "\\" && !$0.isNewline }
            return clean.count >= 3 ? clean : nil
        }
        if let rule {
            if let type = rule.type, let part = rule.type.flatMap({ constantPart($0) }) ?? literal(type) {
                terms.append(part)
            }
            if let text = rule.message, let part = constantPart(text) { terms.append(part) }
        } else {
            if type != "logged error", let part = literal(type) { terms.append(part) }
            if let part = constantPart(message) { terms.append(part) }
        }
        let filters = terms.map { "@message like \"\($0)\"" }
        return
            (["fields @timestamp, @requestId, @logStream, @message"]
            + (filters.isEmpty ? [] : ["filter " + filters.joined(separator: " and ")])
            + ["sort @timestamp desc", "limit 100"]).joined(separator: "\n| ")
    }

    /// The longest run between placeholders (`<n>`, `<value>`, `*`, …), trimmed, of 6 characters
    /// or more, without quotes or backslashes.
    static func constantPart(_ text: String) -> String? {
        var parts: [String] = []
        var current = ""
        var inPlaceholder = false
        for character in text {
            if character == "<" {
                inPlaceholder = true
                parts.append(current)
                current = ""
            } else if character == ">" && inPlaceholder {
                inPlaceholder = false
            } else if !inPlaceholder {
                if character == "*" || character == "?" || character == "\"" || character == "'" || character == "\\"
                    || character.isNewline
                {
                    parts.append(current)
                    current = ""
                } else {
                    current.append(character)
                }
            }
        }
        parts.append(current)
        let best = parts.map { $0.trimmingCharacters(in: .whitespaces) }.max { ($0.count, $1) < ($1.count, $0) }
        guard let best, best.count >= 6 else { return nil }
        return best
    }

    /// Sets each week's error groups' life cycle from the weeks before it (`reports` oldest first),
    /// as `lifecycle` does for findings: new, recurring, regressed or muted; a group open the week
    /// before and absent now is resolved only when every function it hit had its logs collected
    /// this week, else not checked (and still open for the weeks after).
    public static func errorLifecycle(_ reports: [Report], configuration: Configuration) -> [Report] {
        var seen: [String: [ErrorGroup.WeekCount]] = [:]
        var functionsOf: [String: [String]] = [:]
        var previous: [String: ErrorGroup] = [:]
        let owners = Dictionary(
            configuration.services.compactMap { service in service.owner.map { (service.name, $0) } },
            uniquingKeysWith: { a, _ in a })
        var result: [Report] = []
        for var report in reports {
            guard let week = report.week?.week else {
                result.append(report)
                continue
            }
            let sunday = week.mondayDays + 6
            var current: [String: ErrorGroup] = [:]
            report.errors = report.errors.map { group in
                var group = group
                let history = seen[group.id] ?? []
                group.history = history
                if let open = previous[group.id] {
                    group.state = .recurring
                    group.since = open.since
                } else {
                    group.state = history.contains { ($0.count ?? 0) > 0 } ? .regressed : .new
                    group.since = week
                }
                group.owner = group.functions.first.flatMap { owners[$0.service] } ?? configuration.errors.owner
                if let mute = configuration.errors.mutes.first(where: {
                    $0.resource == group.id || Glob($0.resource).matches(group.title)
                }) {
                    group.mute = mute
                    if mute.expires >= sunday { group.state = .muted } else { group.muteExpired = true }
                }
                current[group.id] = group
                return group
            }
            let collected = Set(report.errorLogFunctions)
            for (id, gone) in previous.sorted(by: { $0.key < $1.key }) where current[id] == nil {
                var missing = gone
                missing.history = seen[id] ?? []
                missing.count = 0
                missing.first = nil
                missing.last = nil
                missing.mute = nil
                missing.muteExpired = false
                missing.lastSeen = missing.history.last { ($0.count ?? 0) > 0 }?.week
                missing.functions = gone.functions.map {
                    var hit = $0
                    hit.count = 0
                    return hit
                }
                if gone.functions.allSatisfy({ collected.contains($0.function) }) {
                    missing.state = .resolved
                } else {
                    missing.state = .unchecked
                    current[id] = missing
                }
                report.errors.append(missing)
            }
            // This week in every known group's history.
            for group in report.errors { functionsOf[group.id] = group.functions.map(\.function) }
            let counts = Dictionary(report.errors.map { ($0.id, $0.count) }, uniquingKeysWith: { a, _ in a })
            for (id, functions) in functionsOf {
                let count: Int? =
                    if let count = counts[id], count > 0 { count } else if functions.allSatisfy(collected.contains) {
                        0
                    } else { nil }
                seen[id, default: []].append(.init(week: week, count: count))
            }
            report.errors.sort { a, b in
                func rank(_ state: CheckFinding.State) -> Int {
                    switch state {
                    case .new, .regressed: 0
                    case .recurring, .unchecked: 1
                    case .muted: 2
                    case .resolved: 3
                    }
                }
                return (rank(a.state), b.impact, a.title, a.id) < (rank(b.state), a.impact, b.title, b.id)
            }
            previous = current
            result.append(report)
        }
        return result
    }
}
