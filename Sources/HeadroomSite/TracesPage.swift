import Foundation
import HeadroomAnalysis
import HeadroomCharts
import HeadroomModel

/// `traces.html`: the week's service map from X-Ray, the critical paths the traces take, and the
/// slowest and failing traces, each said to come from sampled traces.
struct TracesPage: PageKind {
    static let template = "pages/traces"
    static func paths(_ report: Report, links: SiteBuilder.Pages) -> [String] { ["traces.html"] }
    static func pages(_ week: WeekInput, site: SiteBuilder) throws(HeadroomError) -> [PlannedPage<TracesPageView>] {
        guard let traces = week.report.traces else {
            return [
                PlannedPage(
                    path: "traces.html", title: "Traces",
                    view: TracesPageView(
                        weekLabel: week.weekLabel, hasTraces: false, coverage: "", map: nil, nodes: [], paths: [],
                        slowest: [], failing: [], sources: []))
            ]
        }
        let pages = Set(SiteBuilder.tracePages(week.report).map(\.id))
        func row(_ trace: TraceView) -> TraceRowView {
            SiteBuilder.traceRow(
                trace, zone: week.charts.zone, href: pages.contains(trace.id) ? SiteBuilder.tracePage(trace.id) : nil)
        }
        let map = SiteBuilder.serviceMap(
            traces.nodes, traces.edges, report: week.report, links: week.links, prefix: "", id: "service-map")
        return [
            PlannedPage(
                path: "traces.html", title: "Traces",
                view: TracesPageView(
                    weekLabel: week.weekLabel, hasTraces: true, coverage: SiteBuilder.traceCoverage(traces),
                    map: map,
                    nodes: traces.nodes.map {
                        SiteBuilder.traceNodeRow($0, report: week.report, links: week.links, prefix: "")
                    },
                    paths: traces.paths.map(SiteBuilder.tracePathView), slowest: traces.slowest.map(row),
                    failing: traces.failing.map(row),
                    sources: traces.graphSources + traces.summarySources + traces.traceSources))
        ]
    }
}

/// `traces/<id>.html`: one trace of the slowest or failing ones that was read whole, as a waterfall.
struct TracePage: PageKind {
    static let template = "pages/trace"
    static func paths(_ report: Report, links: SiteBuilder.Pages) -> [String] {
        SiteBuilder.tracePages(report).map { SiteBuilder.tracePage($0.id) }
    }
    static func pages(_ week: WeekInput, site: SiteBuilder) throws(HeadroomError) -> [PlannedPage<TracePageView>] {
        SiteBuilder.tracePages(week.report).map { trace in
            let total =
                trace.duration.map { $0 * 1000 } ?? trace.spans.map { $0.offset + ($0.duration ?? 0) }.max() ?? 0
            let chart = Charts.waterfall(
                trace.spans.map { span in
                    WaterfallRow(
                        label: span.name, depth: span.depth, offset: span.offset, duration: span.duration,
                        level: span.fault ? .critical : span.error || span.throttle ? .warning : .ok,
                        coldStart: span.coldStart, detail: span.detail)
                }, total: total,
                ChartOptions(id: "trace-waterfall", title: "Trace \(trace.id)", zone: week.charts.zone, width: 1080))
            return PlannedPage(
                path: SiteBuilder.tracePage(trace.id), title: "Trace \(trace.id)",
                view: TracePageView(
                    weekLabel: week.weekLabel, row: SiteBuilder.traceRow(trace, zone: week.charts.zone, href: nil),
                    waterfall: ChartView(
                        chart,
                        caption:
                            "Every segment and subsegment from the trace's start; the cold start (Initialization) in orange, faults in red"
                    ),
                    console: trace.console,
                    consoleRegion: trace.region.map { "in \($0)" }
                        ?? "in the console's current region (no segment names a region)"))
        }
    }
}

extension SiteBuilder {
    static func tracePage(_ id: String) -> String { "traces/\(Slugs.slug(id)).html" }

    /// The traces that get a page: the slowest and failing ones read whole, each once.
    static func tracePages(_ report: Report) -> [TraceView] {
        guard let traces = report.traces else { return [] }
        var done: Set<String> = []
        return (traces.slowest + traces.failing).filter { !$0.spans.isEmpty && done.insert($0.id).inserted }
    }

    static func traceCoverage(_ traces: TraceReport) -> String {
        var parts: [String] = []
        if traces.sampled > 0 {
            parts.append(
                "X-Ray sampled " + plural(traces.sampled, "trace") + " this week: "
                    + [
                        plural(traces.faults, "fault") + " (5xx)", plural(traces.errors, "error") + " (4xx)",
                        plural(traces.throttles, "throttle"),
                    ].joined(separator: ", ") + "; " + plural(traces.traced, "trace") + " read whole")
        } else if traces.traced > 0 {
            parts.append(plural(traces.traced, "trace") + " read whole, without their summaries")
        } else {
            parts.append("No trace summaries for this week")
        }
        parts.append(
            traces.nodes.isEmpty
                ? "no service graph covers the week"
                : "the map is X-Ray's service graph of the week"
                    + (traces.graphPartial ? ", cut short (pages missing)" : ""))
        return parts.joined(separator: "; ")
            + ". These figures come from sampled requests, not from every request: they are not CloudWatch's totals."
    }

    static func seconds(_ value: Double?) -> String {
        value.map { Format.duration(milliseconds: $0 * 1000) } ?? Format.missing
    }

    static func serviceMap(
        _ nodes: [MapNode], _ edges: [MapEdge], report: Report, links: Pages, prefix: String, id: String,
        caption: String =
            "Calls left to right, from sampled traces: requests and p99 on each call; outlines by health (5xx of 5% or more is critical)"
    ) -> ChartView? {
        guard !nodes.isEmpty else { return nil }
        func level(_ health: HealthStatus.Level) -> Level {
            switch health {
            case .ok: .ok
            case .noData: .neutral
            case .warning: .warning
            case .critical: .critical
            }
        }
        func rates(_ errors: Double?, _ faults: Double?, _ throttles: Double?) -> String {
            [
                faults.map { "\(Format.percent($0)) 5xx" }, errors.map { "\(Format.percent($0)) 4xx" },
                throttles.flatMap { $0 > 0 ? "\(Format.percent($0)) throttled" : nil },
            ].compactMap { $0 }.joined(separator: ", ")
        }
        let chart = Charts.serviceMap(
            nodes.map { node in
                let shape: MapNodeInput.Shape =
                    switch node.kind {
                    case .client: .client
                    case .service: .service
                    case .resource: .resource
                    case .remote: .remote
                    }
                return MapNodeInput(
                    id: node.id, label: node.name,
                    figures: Format.count(Double(node.requests)) + " req"
                        + (node.faultPercent.map { $0 > 0 ? " · \(Format.percent($0)) 5xx" : "" } ?? ""),
                    detail: "\(node.type); " + rates(node.errorPercent, node.faultPercent, node.throttlePercent)
                        + "; p50 \(seconds(node.p50)), p99 \(seconds(node.p99))",
                    shape: shape, level: level(node.level),
                    href: nodeHref(node, report: report, links: links).map { prefix + $0 })
            },
            edges.map { edge in
                MapEdgeInput(
                    from: edge.from, to: edge.to,
                    label: Format.count(Double(edge.requests)) + " · p99 " + seconds(edge.p99),
                    detail: rates(edge.errorPercent, edge.faultPercent, edge.throttlePercent) + "; p50 "
                        + seconds(edge.p50), level: level(edge.level))
            },
            ChartOptions(
                id: id, title: "Service map from X-Ray, week \(report.week?.week.description ?? "")", width: 1080))
        return ChartView(chart, caption: caption)
    }

    /// The page of the function or resource a node stands for, relative to the week's folder.
    static func nodeHref(_ node: MapNode, report: Report, links: Pages) -> String? {
        if let function = node.function { return links.function(function) }
        if let link = node.resource,
            let resource = report.services.flatMap(\.resources).first(where: {
                $0.kind == link.kind && $0.name == link.name
            })
        {
            return links.resource(resource)
        }
        return nil
    }

    /// The part of the week's map that touches a service: its functions and resources, and the
    /// nodes that call them or that they call.
    static func serviceMap(_ service: ServiceReport, report: Report, links: Pages) -> ChartView? {
        guard let traces = report.traces else { return nil }
        let functions = Set(service.functions.map(\.name))
        let resources = Set(service.resources.map { "\($0.kind) \($0.name)" })
        let own = Set(
            traces.nodes.filter { node in
                node.function.map(functions.contains) ?? false
                    || node.resource.map { resources.contains("\($0.kind) \($0.name)") } ?? false
            }.map(\.id))
        guard !own.isEmpty else { return nil }
        let edges = traces.edges.filter { own.contains($0.from) || own.contains($0.to) }
        let kept = own.union(edges.flatMap { [$0.from, $0.to] })
        return serviceMap(
            traces.nodes.filter { kept.contains($0.id) }, edges, report: report, links: links, prefix: "../",
            id: "service-map",
            caption:
                "The service's part of X-Ray's map: its functions and resources and what calls them or what they call, from sampled traces (the whole map is on the Traces page)"
        )
    }

    static func traceNodeRow(_ node: MapNode, report: Report, links: Pages, prefix: String) -> TraceNodeRowView {
        TraceNodeRowView(
            name: node.name, href: nodeHref(node, report: report, links: links).map { prefix + $0 }, type: node.type,
            requests: Format.count(Double(node.requests)), faults: Format.percent(node.faultPercent),
            errors: Format.percent(node.errorPercent), throttles: Format.percent(node.throttlePercent),
            p50: seconds(node.p50), p99: seconds(node.p99), statusClass: statusClass(node.level))
    }

    static func tracePathView(_ path: TracePath) -> TracePathView {
        TracePathView(
            entry: path.entry,
            hops: path.hops.map {
                "\($0.name) (p50 \(Format.percent($0.shareP50)), p99 \(Format.percent($0.shareP99)))"
            }.joined(separator: " → "),
            traces: "\(Format.grouped(Int64(path.following))) of \(plural(path.traces, "trace")) read whole",
            configured: path.configured, disagreement: path.disagreement)
    }

    static func traceRow(_ trace: TraceView, zone: TimeZone, href: String?) -> TraceRowView {
        let flags = [
            trace.fault ? "fault" : nil, trace.error ? "error" : nil, trace.throttle ? "throttled" : nil,
            trace.coldStart ? "cold start" : nil,
        ].compactMap { $0 }
        return TraceRowView(
            id: trace.id, href: href, start: trace.start.map { Format.localTime($0, zone: zone) } ?? Format.missing,
            duration: seconds(trace.duration),
            request: [trace.method, trace.url].compactMap { $0 }.joined(separator: " "),
            status: trace.status.map(String.init) ?? Format.missing, entry: trace.entry ?? Format.missing,
            flags: flags.isEmpty ? "" : "(" + flags.joined(separator: ", ") + ")")
    }
}

struct TracesPageView: Codable {
    var weekLabel: String?
    var hasTraces: Bool
    var coverage: String
    var map: ChartView?
    var nodes: [TraceNodeRowView]
    var paths: [TracePathView]
    var slowest: [TraceRowView]
    var failing: [TraceRowView]
    var sources: [String]
}

struct TraceNodeRowView: Codable {
    var name: String
    var href: String?
    var type: String
    var requests: String
    var faults: String
    var errors: String
    var throttles: String
    var p50: String
    var p99: String
    var statusClass: String
}

struct TracePathView: Codable {
    var entry: String
    var hops: String
    var traces: String
    var configured: String?
    var disagreement: String?
}

struct TraceRowView: Codable {
    var id: String
    var href: String?
    var start: String
    var duration: String
    var request: String
    var status: String
    var entry: String
    var flags: String
}

struct TracePageView: Codable {
    var weekLabel: String?
    var row: TraceRowView
    var waterfall: ChartView
    var console: String
    var consoleRegion: String
}
