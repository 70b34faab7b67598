import Foundation
import HeadroomModel

/// What the week's figures rest on: for each kind of source, whether its files covered the week
/// completely, partly, or not at all. Absence is not good news: a finding whose source did not
/// cover the week is "not checked", never "resolved".
public struct Coverage: Sendable, Equatable, Codable {
    /// The kinds of source a figure or a finding can rest on.
    public enum Kind: String, Sendable, Equatable, CaseIterable, Comparable, Codable {
        case metrics, logs, cost, quotas, inventory
        case securityHub = "security-hub"
        case trustedAdvisor = "trusted-advisor"
        case wellArchitected = "well-architected"
        case prowler

        public static func < (a: Kind, b: Kind) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }

        /// As pages name it.
        public var label: String {
            switch self {
            case .metrics: "Metrics"
            case .logs: "Lambda logs"
            case .cost: "Cost"
            case .quotas: "Quotas"
            case .inventory: "Lambda inventory"
            case .securityHub: "Security Hub"
            case .trustedAdvisor: "Trusted Advisor"
            case .wellArchitected: "Well-Architected"
            case .prowler: "Prowler"
            }
        }

        /// The source an imported finding comes from.
        public init(_ tool: Finding.Tool) {
            switch tool {
            case .securityHub: self = .securityHub
            case .trustedAdvisor: self = .trustedAdvisor
            case .wellArchitected: self = .wellArchitected
            case .prowler: self = .prowler
            }
        }
    }

    public enum Level: String, Sendable, Equatable, Codable {
        /// Files covered the week and none says it is incomplete.
        case complete
        /// Files covered the week, but one says pages or periods are missing or estimated.
        case partial
        /// No file covered the week.
        case absent
    }

    public struct Entry: Sendable, Equatable, Codable {
        public var kind: Kind
        public var level: Level
        /// The files that covered the week, relative to the project.
        public var files: [String]
        /// Why it is partial: the covering files' warnings that say so.
        public var reasons: [String]
    }

    /// Metrics by namespace (`AWS/Lambda`, `AWS/SQS`, …; CloudWatch metric math is "expressions",
    /// Prometheus series "Prometheus"): every namespace with data in any week, sorted, so that a
    /// namespace that stopped sending shows as absent while the others still cover the week.
    public struct Namespace: Sendable, Equatable, Codable {
        public var name: String
        public var level: Level
        public var files: [String]
        public var reasons: [String]
    }

    public var week: ISOWeek
    /// One entry per kind, in `Kind.allCases` order.
    public var entries: [Entry]
    public var namespaces: [Namespace] = []

    public func level(_ kind: Kind) -> Level { entries.first { $0.kind == kind }?.level ?? .absent }
    public func covers(_ kind: Kind) -> Bool { level(kind) != .absent }
}

extension Analysis {
    /// Warnings that mean a file's data is incomplete for the period it covers.
    static let incompleteMarkers = ["later pages are missing", "PartialData", "estimated"]

    /// The coverage of each of `weeks`: a file covers the weeks in which its records of a kind are
    /// dated (points, invocation times, cost periods, finding observations); a file whose records
    /// carry no date (inventory, quotas, a findings file with nothing in it) covers the ISO week
    /// folder it sits in, or, outside week folders, every week; and a findings tool's file always
    /// covers its week folder too.
    static func coverage(_ dataset: Dataset, weeks: [ISOWeek], zone: TimeZone) -> [Coverage] {
        let intervals = weeks.map { $0.interval(in: zone) }
        // The files that covered each week, by kind, and the files with records of a kind at all.
        var covering = [[Coverage.Kind: Set<String>]](repeating: [:], count: weeks.count)
        var datedFiles: [Coverage.Kind: Set<String>] = [:]
        var undated: [Coverage.Kind: Set<String>] = [:]
        func dated(_ kind: Coverage.Kind, _ file: String, _ time: Instant) {
            datedFiles[kind, default: []].insert(file)
            if let index = intervals.firstIndex(where: { $0.contains(time) }) {
                covering[index][kind, default: []].insert(file)
            }
        }
        var namespaceFiles = [[String: Set<String>]](repeating: [:], count: weeks.count)
        let namespaces = Set(dataset.series.filter { !$0.points.isEmpty }.map(namespace)).sorted()
        for series in dataset.series where !series.points.isEmpty {
            datedFiles[.metrics, default: []].insert(series.source)
            for (index, interval) in intervals.enumerated() {
                // Points are sorted: the first point at or after the week's start decides.
                var low = 0
                var high = series.points.count
                while low < high {
                    let middle = (low + high) / 2
                    if series.points[middle].time < interval.lowerBound { low = middle + 1 } else { high = middle }
                }
                if low < series.points.count, series.points[low].time < interval.upperBound {
                    covering[index][.metrics, default: []].insert(series.source)
                    namespaceFiles[index][namespace(series), default: []].insert(series.source)
                }
            }
        }
        for invocation in dataset.invocations {
            if let time = invocation.time {
                dated(.logs, invocation.source, time)
            } else {
                undated[.logs, default: []].insert(invocation.source)
            }
        }
        for cost in dataset.costs { dated(.cost, cost.source, cost.start) }
        for quota in dataset.quotas { undated[.quotas, default: []].insert(quota.source) }
        for function in dataset.functions { undated[.inventory, default: []].insert(function.source) }
        for finding in dataset.findings {
            if let time = finding.observedAt {
                dated(Coverage.Kind(finding.tool), finding.source, time)
            } else {
                undated[Coverage.Kind(finding.tool), default: []].insert(finding.source)
            }
        }
        // A findings tool's file is a snapshot of what the tool reported when it was collected: it
        // covers its week folder whatever its records' dates, even when it holds no finding.
        let tools: [SourceFormat: Coverage.Kind] = [
            .securityHubASFF: .securityHub, .trustedAdvisor: .trustedAdvisor, .wellArchitected: .wellArchitected,
            .prowlerOCSF: .prowler,
        ]
        var snapshots: [Coverage.Kind: Set<String>] = [:]
        for row in dataset.sources {
            guard case .read(let format) = row.status, let kind = tools[format] else { continue }
            snapshots[kind, default: []].insert(row.path)
            if !(datedFiles[kind]?.contains(row.path) ?? false) { undated[kind, default: []].insert(row.path) }
        }
        let warnings = Dictionary(dataset.sources.map { ($0.path, $0.warnings) }, uniquingKeysWith: { a, _ in a })
        // Covering files: absent without any, partial when one says it is incomplete (and why).
        func judge(_ files: [String]) -> (Coverage.Level, [String]) {
            let reasons = files.flatMap { file in
                (warnings[file] ?? []).filter { warning in incompleteMarkers.contains { warning.contains($0) } }
                    .map { "\(file): \($0)" }
            }
            return (files.isEmpty ? .absent : reasons.isEmpty ? .complete : .partial, reasons)
        }
        return weeks.enumerated().map { index, week in
            let entries = Coverage.Kind.allCases.map { kind -> Coverage.Entry in
                var files = covering[index][kind] ?? []
                // Undated records: the week folder they sit in, or every week outside one.
                for file in undated[kind] ?? [] where !(datedFiles[kind]?.contains(file) ?? false) {
                    if let folder = ISOWeek.folder(of: file) {
                        if folder.week == week { files.insert(file) }
                    } else {
                        files.insert(file)
                    }
                }
                for file in snapshots[kind] ?? [] where ISOWeek.folder(of: file)?.week == week { files.insert(file) }
                let sorted = files.sorted()
                let (level, reasons) = judge(sorted)
                return Coverage.Entry(kind: kind, level: level, files: sorted, reasons: reasons)
            }
            var coverage = Coverage(week: week, entries: entries)
            coverage.namespaces = namespaces.map { name in
                let files = (namespaceFiles[index][name] ?? []).sorted()
                let (level, reasons) = judge(files)
                return Coverage.Namespace(name: name, level: level, files: files, reasons: reasons)
            }
            return coverage
        }
    }
}

extension Analysis {
    /// The namespace a series' coverage is counted under.
    static func namespace(_ series: MetricSeries) -> String {
        switch series.identity {
        case .metric(let stat): stat.namespace
        case .expression: "expressions"
        case .prometheus: "Prometheus"
        }
    }
}

extension Rule.Condition {
    /// The kind of source a rule's finding rests on.
    public var source: Coverage.Kind {
        switch self {
        case .metric, .ratio, .sloBudget, .sloBurn: .metrics
        case .quota: .quotas
        case .costChange, .costSpike: .cost
        case .inventory(let predicate):
            switch predicate {
            case .durationOfTimeoutAbove, .accountConcurrencyAbove: .metrics
            case .timeouts, .memoryUsedAbove, .memoryUsedBelow, .coldStartsAbove: .logs
            default: .inventory
            }
        }
    }
}
