import Foundation
import HeadroomModel

/// The week's traces from AWS X-Ray: the service map, the critical paths the traces take, and the
/// slowest and failing traces. Every figure comes from sampled traces and says so.
public struct TraceReport: Sendable, Equatable, Codable {
    public var nodes: [MapNode]
    public var edges: [MapEdge]
    /// The service graphs read for the week (their files), and whether one was cut short.
    public var graphSources: [String]
    public var graphPartial: Bool
    /// Trace summaries of the week: sampled traces, and those with a fault, an error or a throttle.
    public var sampled: Int
    public var faults: Int
    public var errors: Int
    public var throttles: Int
    /// Whole traces read (batch-get-traces) among the week's.
    public var traced: Int
    /// The slowest traces by duration (at most `slowestCount`), then every trace with a fault.
    public var slowest: [TraceView]
    public var failing: [TraceView]
    public var paths: [TracePath]
    public var summarySources: [String]
    public var traceSources: [String]

    public static let slowestCount = 10
}

/// A node of the map: a client, a service or an AWS resource, with its requests this week.
public struct MapNode: Sendable, Equatable, Codable {
    /// `node-<n>`, unique within the map, in the map's order.
    public var id: String
    public var name: String
    /// `client`, `AWS::Lambda::Function`, `remote`, …
    public var type: String
    public var kind: Kind
    public var requests: Int
    public var errorPercent: Double?
    public var faultPercent: Double?
    public var throttlePercent: Double?
    /// Seconds, from the response-time histogram.
    public var p50: Double?
    public var p99: Double?
    public var level: HealthStatus.Level
    /// What the node is in the catalog, for its link: `function`, or a resource's kind and name.
    public var function: String?
    public var resource: ResourceLink?

    public enum Kind: String, Sendable, Equatable, Codable {
        case client, service, resource, remote
    }

    public struct ResourceLink: Sendable, Equatable, Codable {
        public var kind: String
        public var name: String
    }
}

/// A call between two nodes.
public struct MapEdge: Sendable, Equatable, Codable {
    public var from: String
    public var to: String
    public var requests: Int
    public var errorPercent: Double?
    public var faultPercent: Double?
    public var throttlePercent: Double?
    public var p50: Double?
    public var p99: Double?
    public var level: HealthStatus.Level
}

/// One trace as a timeline.
public struct TraceView: Sendable, Equatable, Codable {
    public var id: String
    public var start: Instant?
    /// Seconds.
    public var duration: Double?
    public var entry: String?
    public var method: String?
    public var url: String?
    public var status: Int?
    public var fault: Bool
    public var error: Bool
    public var throttle: Bool
    public var coldStart: Bool
    /// The spans depth first, when the whole trace was read.
    public var spans: [SpanRow]
    /// The region its segments name (or, when they name none, that other traces of the week
    /// name), and the trace in the CloudWatch console (X-Ray traces live there).
    public var region: String?
    public var console: String
}

/// A row of a trace's waterfall.
public struct SpanRow: Sendable, Equatable, Codable {
    public var name: String
    public var depth: Int
    /// Milliseconds after the trace's start.
    public var offset: Double
    public var duration: Double?
    public var fault: Bool
    public var error: Bool
    public var throttle: Bool
    public var coldStart: Bool
    public var detail: String
}

/// The path most of an entry point's traces take, with each hop's share of the end-to-end time.
public struct TracePath: Sendable, Equatable, Codable {
    public var entry: String
    public var hops: [Hop]
    /// Traces of the entry point read whole, and how many took this path.
    public var traces: Int
    public var following: Int
    /// The hand-written critical path that starts at the same entry, and whether its steps agree.
    public var configured: String?
    public var disagreement: String?

    public struct Hop: Sendable, Equatable, Codable {
        public var name: String
        /// Nearest-rank p50 and p99 of the hop's time ÷ the trace's duration × 100.
        public var shareP50: Double
        public var shareP99: Double
    }
}

extension Analysis {
    /// The week's trace report; nil when no X-Ray data falls in the week.
    static func traceReport(_ dataset: Dataset, in interval: Range<Instant>, report: Report) -> TraceReport? {
        let graphs = dataset.serviceGraphs.filter { graph in
            guard let start = graph.start, let end = graph.end else { return false }
            return start < interval.upperBound && end > interval.lowerBound
        }
        let summaries = dataset.traceSummaries.filter { $0.start.map(interval.contains) ?? false }
        var seen: Set<String> = []
        let week = Set(summaries.map(\.id))
        let traces = dataset.traces.filter { trace in
            guard let first = trace.spans.first, first.start.isFinite else { return false }
            let start = Instant(seconds: Int64(first.start.rounded(.down)))
            return (week.contains(trace.id) || interval.contains(start)) && seen.insert(trace.id).inserted
        }
        guard !graphs.isEmpty || !summaries.isEmpty || !traces.isEmpty else { return nil }
        let (nodes, edges) = serviceMap(graphs, report: report)
        let byId = Dictionary(traces.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var uniqueSummaries: [String: TraceSummary] = [:]
        for summary in summaries where uniqueSummaries[summary.id] == nil { uniqueSummaries[summary.id] = summary }
        let all = uniqueSummaries.values.sorted { $0.id < $1.id }
        // A trace both slow and faulted is laid out once.
        var laidOut: [String: [SpanRow]] = [:]
        let weekRegion = traces.sorted { $0.id < $1.id }.lazy.compactMap(region).first
        func view(_ summary: TraceSummary) -> TraceView {
            let spans = laidOut[summary.id] ?? byId[summary.id].map(rows) ?? []
            laidOut[summary.id] = spans
            let region = byId[summary.id].flatMap(Self.region) ?? weekRegion
            return TraceView(
                id: summary.id, start: summary.start, duration: summary.duration, entry: summary.entry,
                method: summary.method, url: summary.url, status: summary.status, fault: summary.fault,
                error: summary.error, throttle: summary.throttle, coldStart: spans.contains(where: \.coldStart),
                spans: spans, region: region, console: console(trace: summary.id, region: region))
        }
        let slowest = all.filter { $0.duration != nil }.sorted {
            ($0.duration!, $1.id) > ($1.duration!, $0.id)
        }.prefix(TraceReport.slowestCount).map(view)
        let failing = all.filter(\.fault).sorted { ($0.start?.seconds ?? 0, $0.id) < ($1.start?.seconds ?? 0, $1.id) }
            .map(view)
        return TraceReport(
            nodes: nodes, edges: edges, graphSources: graphs.map(\.source).sorted(),
            graphPartial: graphs.contains(where: \.partial), sampled: all.count,
            faults: all.filter(\.fault).count, errors: all.filter(\.error).count,
            throttles: all.filter(\.throttle).count, traced: traces.count, slowest: slowest, failing: failing,
            paths: tracePaths(traces, configured: report.paths),
            summarySources: Array(Set(summaries.map(\.source))).sorted(),
            traceSources: Array(Set(traces.map(\.source))).sorted())
    }

    /// The first region a trace's spans name, depth first.
    static func region(_ trace: TraceRecord) -> String? {
        func find(_ span: Span) -> String? { span.region ?? span.children.lazy.compactMap(find).first }
        return trace.spans.lazy.compactMap(find).first
    }

    /// The trace in the CloudWatch console, in its region where one is known (the console
    /// otherwise opens in the user's last region).
    static func console(trace id: String, region: String?) -> String {
        let trace = id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-"])) ?? id
        guard let region, region.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            return "https://console.aws.amazon.com/cloudwatch/home#xray:traces/\(trace)"
        }
        return "https://\(region).console.aws.amazon.com/cloudwatch/home?region=\(region)#xray:traces/\(trace)"
    }

    /// The graphs' nodes merged by name and type (per-day graphs add up), with their edges.
    static func serviceMap(_ graphs: [ServiceGraph], report: Report) -> ([MapNode], [MapEdge]) {
        struct Key: Hashable {
            var name: String
            var type: String
        }
        var stats: [Key: RequestStats] = [:]
        var histograms: [Key: [HistogramBin]] = [:]
        var order: [Key] = []
        var edgeStats: [[Key]: RequestStats] = [:]
        var edgeHistograms: [[Key]: [HistogramBin]] = [:]
        var edgeOrder: [[Key]] = []
        for graph in graphs {
            let keys = Dictionary(
                graph.nodes.map { ($0.referenceId, Key(name: $0.name, type: $0.type ?? "")) },
                uniquingKeysWith: { a, _ in a })
            for node in graph.nodes {
                let key = keys[node.referenceId]!
                if stats[key] == nil, histograms[key] == nil { order.append(key) }
                if let node = node.stats { stats[key] = (stats[key] ?? RequestStats.zero) + node }
                histograms[key, default: []] += node.responseTimes
                for edge in node.edges {
                    guard let target = keys[edge.referenceId] else { continue }
                    let pair = [key, target]
                    if edgeStats[pair] == nil, edgeHistograms[pair] == nil { edgeOrder.append(pair) }
                    if let edge = edge.stats { edgeStats[pair] = (edgeStats[pair] ?? RequestStats.zero) + edge }
                    edgeHistograms[pair, default: []] += edge.responseTimes
                }
            }
        }
        let functions = Set(report.functions.map(\.name))
        let resources = report.services.flatMap(\.resources)
        var ids: [Key: String] = [:]
        var nodes: [MapNode] = []
        for (index, key) in order.sorted(by: { ($0.name, $0.type) < ($1.name, $1.type) }).enumerated() {
            let id = "node-\(index + 1)"
            ids[key] = id
            let figures = rates(stats[key])
            let type = key.type
            let kind: MapNode.Kind =
                type == "client"
                ? .client
                : type == "remote"
                    ? .remote
                    : [
                        "AWS::Lambda::Function", "AWS::Lambda", "AWS::ApiGateway::Stage",
                        "AWS::StepFunctions::StateMachine",
                    ]
                    .contains(type) || !type.hasPrefix("AWS::") ? .service : .resource
            var node = MapNode(
                id: id, name: key.name, type: type, kind: kind, requests: stats[key]?.total ?? 0,
                errorPercent: figures.errors, faultPercent: figures.faults, throttlePercent: figures.throttles,
                p50: percentile(histograms[key] ?? [], 0.5), p99: percentile(histograms[key] ?? [], 0.99),
                level: level(stats[key]), function: nil, resource: nil)
            if type.hasPrefix("AWS::Lambda"), functions.contains(key.name) { node.function = key.name }
            let short = String(key.name.prefix { $0 != "/" })
            let kinds: [String: String] = [
                "AWS::ApiGateway::Stage": "api", "AWS::SQS::Queue": "queue", "AWS::DynamoDB::Table": "table",
                "AWS::StepFunctions::StateMachine": "workflow",
            ]
            if let wanted = kinds[type],
                let match = resources.first(where: { $0.kind == wanted && ($0.name == key.name || $0.name == short) })
            {
                node.resource = MapNode.ResourceLink(kind: match.kind, name: match.name)
            }
            nodes.append(node)
        }
        let edges = edgeOrder.compactMap { pair -> MapEdge? in
            guard let from = ids[pair[0]], let to = ids[pair[1]] else { return nil }
            let figures = rates(edgeStats[pair])
            return MapEdge(
                from: from, to: to, requests: edgeStats[pair]?.total ?? 0, errorPercent: figures.errors,
                faultPercent: figures.faults, throttlePercent: figures.throttles,
                p50: percentile(edgeHistograms[pair] ?? [], 0.5), p99: percentile(edgeHistograms[pair] ?? [], 0.99),
                level: level(edgeStats[pair]))
        }.sorted { ($0.from, $0.to) < ($1.from, $1.to) }
        return (nodes, edges)
    }

    static func rates(_ stats: RequestStats?) -> (errors: Double?, faults: Double?, throttles: Double?) {
        guard let stats, stats.total > 0 else { return (nil, nil, nil) }
        let total = Double(stats.total)
        return (
            Double(stats.errors) / total * 100, Double(stats.faults) / total * 100,
            Double(stats.throttles) / total * 100
        )
    }

    /// Faults of 5% or more are critical; of 1% or more, or errors or throttles of 5% or more, a
    /// warning; no requests is no data.
    static func level(_ stats: RequestStats?) -> HealthStatus.Level {
        let figures = rates(stats)
        guard let faults = figures.faults else { return .noData }
        if faults >= 5 { return .critical }
        if faults >= 1 || (figures.errors ?? 0) >= 5 || (figures.throttles ?? 0) >= 5 { return .warning }
        return .ok
    }

    /// The nearest-rank percentile of a histogram (`q` in 0…1), in seconds; nil without counts.
    static func percentile(_ bins: [HistogramBin], _ q: Double) -> Double? {
        // Counts as Doubles: a hostile histogram cannot overflow them.
        var merged: [Double: Double] = [:]
        for bin in bins where bin.count > 0 { merged[bin.value, default: 0] += Double(bin.count) }
        let sorted = merged.sorted { $0.key < $1.key }
        let total = sorted.reduce(0) { $0 + $1.value }
        guard total > 0 else { return nil }
        let rank = max(1, (q * total).rounded(.up))
        var seen = 0.0
        for (value, count) in sorted {
            seen += count
            if seen >= rank { return value }
        }
        return sorted.last?.key
    }

    /// A trace's spans depth first, times in milliseconds after its first span's start. Lambda's
    /// `Initialization` subsegment marks a cold start.
    static func rows(_ trace: TraceRecord) -> [SpanRow] {
        guard let origin = trace.spans.map(\.start).min() else { return [] }
        var rows: [SpanRow] = []
        func visit(_ span: Span, depth: Int) {
            guard rows.count < 500 else { return }
            let detail =
                [
                    span.origin ?? span.namespace, span.operation, span.resource, span.status.map { "HTTP \($0)" },
                    span.cause,
                    span.inferred ? "inferred" : nil,
                ].compactMap { $0 } + span.annotations.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            rows.append(
                SpanRow(
                    name: span.name, depth: depth, offset: (span.start - origin) * 1000,
                    duration: span.end.map { ($0 - span.start) * 1000 }, fault: span.fault, error: span.error,
                    throttle: span.throttle, coldStart: span.name == "Initialization",
                    detail: detail.joined(separator: " · ")))
            for child in span.children { visit(child, depth: min(depth + 1, 12)) }
        }
        for span in trace.spans { visit(span, depth: 0) }
        return rows
    }

    /// The hops of a trace: its segments (services) and the downstream calls (`aws` and `remote`
    /// subsegments, by the table, queue or function they reach where they name one; a call whose
    /// callee sent segments of its own is the callee's hop), in the order they start, with their
    /// time in seconds; Lambda's service
    /// segment (`AWS::Lambda`) stands for the function below it and is left out.
    static func hops(_ trace: TraceRecord) -> [(name: String, seconds: Double)] {
        var found: [(name: String, start: Double, seconds: Double)] = []
        func visit(_ span: Span, segment: Bool) {
            let seconds = (span.end ?? span.start) - span.start
            if segment, span.origin != "AWS::Lambda" {
                found.append((span.name, span.start, seconds))
            } else if !segment, span.namespace == "aws" || span.namespace == "remote",
                !span.children.contains(where: { $0.origin != nil })
            {
                // A call into a service that sent segments of its own is that service's hop.
                found.append((span.resource ?? span.name, span.start, seconds))
            }
            for child in span.children { visit(child, segment: child.origin != nil) }
        }
        for span in trace.spans { visit(span, segment: true) }
        return found.sorted { ($0.start, $0.name) < ($1.start, $1.name) }.map { ($0.name, $0.seconds) }
    }

    /// A trace's entry point: its first segment, and for an HTTP request the method and route
    /// (`checkout-api/prod POST /orders/{id}`). The stage is cut from the front of the path, and
    /// a path part that is a number, a UUID or an id (8 or more letters and digits with a digit)
    /// becomes `{id}`, so that one route's requests meet.
    static func entryPoint(_ trace: TraceRecord, first: String) -> String {
        guard let root = trace.spans.first(where: { $0.name == first }), let method = root.method,
            let path = root.path
        else { return first }
        var parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        if let slash = first.firstIndex(of: "/"), parts.first == first[first.index(after: slash)...] {
            parts = parts.dropFirst()
        }
        let route = parts.map { part -> String in
            let bytes = part.utf8
            let word = bytes.allSatisfy {
                ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x2D || $0 == 0x5F
            }
            let digits = bytes.filter { $0 >= 0x30 && $0 <= 0x39 }.count
            return word && digits > 0 && (digits == bytes.count || bytes.count >= 8) ? "{id}" : String(part)
        }
        return first + " " + method + " /" + route.joined(separator: "/")
    }

    /// Per entry point (the first segment, with its HTTP method and route), the hop sequence most
    /// of its traces follow, with each hop's share of the trace's duration at p50 and p99 (nearest
    /// rank), compared with the hand-written critical path whose first step names the entry's API.
    static func tracePaths(_ traces: [TraceRecord], configured: [PathReport]) -> [TracePath] {
        var byEntry: [String: [(trace: TraceRecord, hops: [(name: String, seconds: Double)])]] = [:]
        for trace in traces {
            let hops = hops(trace)
            guard let first = hops.first?.name else { continue }
            byEntry[entryPoint(trace, first: first), default: []].append((trace, hops))
        }
        return byEntry.sorted { $0.key < $1.key }.compactMap { entry, items in
            var counts: [[String]: Int] = [:]
            for item in items { counts[item.hops.map(\.name), default: 0] += 1 }
            guard let (names, following) = counts.max(by: { ($0.value, $1.key.joined()) < ($1.value, $0.key.joined()) })
            else { return nil }
            let chosen = items.filter { $0.hops.map(\.name) == names }
            let hops = names.indices.map { index -> TracePath.Hop in
                let shares = chosen.compactMap { item -> Double? in
                    let total = item.trace.duration ?? item.hops.first.map(\.seconds) ?? 0
                    return total > 0 ? item.hops[index].seconds / total * 100 : nil
                }.sorted()
                return TracePath.Hop(
                    name: names[index], shareP50: shares.isEmpty ? 0 : nearestRank(shares, 0.5),
                    shareP99: shares.isEmpty ? 0 : nearestRank(shares, 0.99))
            }
            let api = String(entry.prefix { $0 != "/" })
            var path = TracePath(
                entry: entry, hops: hops, traces: items.count, following: following, configured: nil,
                disagreement: nil)
            if let match = configured.first(where: { $0.steps.first?.resource == api || $0.steps.first?.name == api }) {
                path.configured = match.name
                let written = match.steps.compactMap { $0.resource ?? $0.name }
                let traced = names.map { String($0.prefix { $0 != "/" }) }
                let missing = written.filter { step in !traced.contains(step) }
                let extra = traced.filter { hop in !written.contains(hop) }
                if !missing.isEmpty || !extra.isEmpty {
                    path.disagreement =
                        (missing.isEmpty ? "" : "the traces never reach " + missing.joined(separator: ", "))
                        + (missing.isEmpty || extra.isEmpty ? "" : "; ")
                        + (extra.isEmpty ? "" : "the traces also call " + extra.joined(separator: ", "))
                }
            }
            return path
        }
    }
}

extension RequestStats {
    static let zero = RequestStats(ok: 0, errors: 0, throttles: 0, faults: 0, total: 0, totalResponseTime: 0)
}
