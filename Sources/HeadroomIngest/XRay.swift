import Foundation
import HeadroomModel

/// AWS X-Ray, as the AWS CLI prints it:
///
/// - `aws xray get-service-graph`: `Services`, each with `ReferenceId`, `Name`, `Type`, `Root`,
///   `SummaryStatistics`, `ResponseTimeHistogram` and `Edges` to other services' `ReferenceId`s.
/// - `aws xray get-trace-summaries`: `TraceSummaries` with `Id`, `StartTime`, `Duration`,
///   `HasFault`/`HasError`/`HasThrottle`, `Http` and `EntryPoint`.
/// - `aws xray batch-get-traces`: `Traces`, each with its `Segments`, whose `Document` is a segment
///   document as a JSON string inside the JSON; subsegments nest in it, and a segment with a
///   `parent_id` hangs under the subsegment that called it.
///
/// Times are epoch seconds (CLI v1, and segment documents) or ISO 8601 (CLI v2). A `NextToken`
/// left in the output means later pages are missing: the graph is marked partial and the file says
/// so. Annotations are read as text; metadata is never read.
enum XRay {
    static func serviceGraph(_ json: JSONValue, _ input: InputFile) throws(HeadroomError) -> (Dataset, [String]) {
        let root = JSONCursor(json, file: input.display)
        var nodes: [ServiceGraph.Node] = []
        for service in try root.require("Services").array() {
            var edges: [ServiceGraph.Edge] = []
            for edge in try service["Edges"]?.array() ?? [] {
                edges.append(
                    ServiceGraph.Edge(
                        referenceId: try edge.require("ReferenceId").int(),
                        stats: try edge["SummaryStatistics"].map { cursor throws(HeadroomError) in try stats(cursor) },
                        responseTimes: try histogram(edge["ResponseTimeHistogram"])))
            }
            nodes.append(
                ServiceGraph.Node(
                    referenceId: try service.require("ReferenceId").int(), name: try service.require("Name").string(),
                    type: try service["Type"]?.string(), accountId: try service["AccountId"]?.string(),
                    root: try service["Root"]?.bool() ?? false,
                    stats: try service["SummaryStatistics"].map { cursor throws(HeadroomError) in try stats(cursor) },
                    responseTimes: try histogram(service["ResponseTimeHistogram"]), edges: edges))
        }
        let ids = Set(nodes.map(\.referenceId))
        var warnings: [String] = []
        let dangling = nodes.flatMap(\.edges).filter { !ids.contains($0.referenceId) }.count
        if dangling > 0 {
            warnings.append(plural(dangling, "edge") + " to a service the graph does not list: left out")
            for index in nodes.indices { nodes[index].edges.removeAll { !ids.contains($0.referenceId) } }
        }
        let partial = root["NextToken"] != nil
        if partial { warnings.append("NextToken is set: later pages of the graph are missing, so it is partial") }
        let graph = ServiceGraph(
            start: try root["StartTime"]?.instant(), end: try root["EndTime"]?.instant(), nodes: nodes,
            partial: partial, source: input.display)
        return (Dataset(serviceGraphs: [graph]), warnings)
    }

    static func stats(_ cursor: JSONCursor) throws(HeadroomError) -> RequestStats {
        let errors = cursor["ErrorStatistics"]
        let faults = cursor["FaultStatistics"]
        let throttles = try errors?["ThrottleCount"]?.count() ?? 0
        let allErrors = try errors?["TotalCount"]?.count() ?? 0
        let otherErrors = try errors?["OtherCount"]?.count()
        return RequestStats(
            ok: try cursor["OkCount"]?.count() ?? 0,
            errors: otherErrors ?? max(0, allErrors - throttles),
            throttles: throttles,
            faults: try faults?["TotalCount"]?.count() ?? 0,
            total: try cursor["TotalCount"]?.count() ?? 0,
            totalResponseTime: try cursor["TotalResponseTime"]?.number() ?? 0)
    }

    static func histogram(_ cursor: JSONCursor?) throws(HeadroomError) -> [HistogramBin] {
        guard let cursor else { return [] }
        return try cursor.array().map { bin throws(HeadroomError) in
            let value = try bin.require("Value").number()
            guard value.isFinite, value >= 0 else { throw bin.fail("a histogram value must be seconds, at least 0") }
            return HistogramBin(value: value, count: try bin.require("Count").count())
        }
    }

    static func traceSummaries(_ json: JSONValue, _ input: InputFile) throws(HeadroomError) -> (Dataset, [String]) {
        let root = JSONCursor(json, file: input.display)
        var summaries: [TraceSummary] = []
        for item in try root.require("TraceSummaries").array() {
            let http = item["Http"]
            var services: [String] = []
            for service in try item["ServiceIds"]?.array() ?? [] {
                if let name = try service["Name"]?.string() { services.append(name) }
            }
            summaries.append(
                TraceSummary(
                    id: try item.require("Id").string(), start: try item["StartTime"]?.instant(),
                    duration: try item["Duration"]?.number(), fault: try item["HasFault"]?.bool() ?? false,
                    error: try item["HasError"]?.bool() ?? false, throttle: try item["HasThrottle"]?.bool() ?? false,
                    partial: try item["IsPartial"]?.bool() ?? false, method: try http?["HttpMethod"]?.string(),
                    url: (try http?["HttpURL"]?.string()).map(withoutQuery), status: try http?["HttpStatus"]?.int(),
                    entry: try item["EntryPoint"]?["Name"]?.string(),
                    services: services, source: input.display))
        }
        var warnings: [String] = []
        if root["NextToken"] != nil {
            warnings.append("NextToken is set: later pages of trace summaries are missing")
        }
        let undated = summaries.filter { $0.start == nil }.count
        if undated > 0 {
            warnings.append(
                plural(undated, "trace summary", "trace summaries") + " without a StartTime: counted in no week")
        }
        return (Dataset(traceSummaries: summaries), warnings)
    }

    static func traces(_ json: JSONValue, _ input: InputFile) throws(HeadroomError) -> (Dataset, [String]) {
        let root = JSONCursor(json, file: input.display)
        var records: [TraceRecord] = []
        var warnings: [String] = []
        for trace in try root.require("Traces").array() {
            var spans: [Span] = []
            for segment in try trace.require("Segments").array() {
                let document = try segment.require("Document")
                let text = try document.string()
                let parsed: JSONValue
                do {
                    parsed = try JSONParser.parse(Data(text.utf8))
                } catch {
                    throw document.fail(
                        "a segment document that is not JSON: \(error.message) at character \(error.column)")
                }
                spans.append(try span(JSONCursor(parsed, path: document.path, file: input.display), depth: 0))
            }
            records.append(
                TraceRecord(
                    id: try trace.require("Id").string(), duration: try trace["Duration"]?.number(),
                    limitExceeded: try trace["LimitExceeded"]?.bool() ?? false, spans: nest(spans),
                    source: input.display))
        }
        let unprocessed = try root["UnprocessedTraceIds"]?.array().count ?? 0
        if unprocessed > 0 { warnings.append(plural(unprocessed, "trace id") + " unprocessed by X-Ray: not read") }
        if root["NextToken"] != nil { warnings.append("NextToken is set: later pages of traces are missing") }
        let cut = records.filter(\.limitExceeded).count
        if cut > 0 { warnings.append(plural(cut, "trace") + " over X-Ray's size limit: their segments are incomplete") }
        return (Dataset(traces: records), warnings)
    }

    /// A URL without its query and fragment: a query may hold a token, and pages show URLs.
    static func withoutQuery(_ url: String) -> String { String(url.prefix { $0 != "?" && $0 != "#" }) }

    /// A segment document or subsegment; subsegments nest at most 64 deep.
    static func span(_ cursor: JSONCursor, depth: Int) throws(HeadroomError) -> Span {
        guard depth < 64 else { throw cursor.fail("subsegments nest more than 64 deep") }
        let start = try cursor.require("start_time").number()
        let end = try cursor["end_time"]?.number()
        guard start.isFinite, Timestamp.epoch(start) != nil, end.map({ $0.isFinite && $0 >= start }) ?? true else {
            throw cursor.fail("start_time and end_time must be epoch seconds, the end not before the start")
        }
        var annotations: [String: String] = [:]
        for (key, value) in try cursor["annotations"]?.members() ?? [] {
            switch value.value {
            case .string(let text): annotations[key] = text
            case .number(let number) where number.isFinite:
                annotations[key] = Format.fixed(number, number == number.rounded() ? 0 : 3)
            case .bool(let flag): annotations[key] = flag ? "true" : "false"
            default: continue
            }
        }
        var cause: String?
        if let exceptions = try cursor["cause"]?["exceptions"]?.array(), let first = exceptions.first {
            let type = try first["type"]?.string()
            let message = try first["message"]?.string()
            cause = [type, message].compactMap { $0 }.joined(separator: ": ")
        }
        let http = cursor["http"]
        let aws = cursor["aws"]
        let table = try aws?["table_name"]?.string()
        let function = try aws?["function_name"]?.string()
        var resource = table ?? function
        if resource == nil, let queue = try aws?["queue_url"]?.string() {
            resource = queue.split(separator: "/").last.map(String.init)
        }
        // The path of the request's URL: no scheme, host, query or fragment.
        var path: String?
        if let url = try http?["request"]?["url"]?.string() {
            var rest = Substring(withoutQuery(url))
            if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...].drop { $0 != "/" } }
            path = String(rest)
        }
        var region = try aws?["region"]?.string()
        if region == nil, let arn = try cursor["resource_arn"]?.string() {
            let fields = arn.split(separator: ":", omittingEmptySubsequences: false)
            if fields.count > 3, fields[0] == "arn", !fields[3].isEmpty { region = String(fields[3]) }
        }
        return Span(
            id: try cursor.require("id").string(), parentId: try cursor["parent_id"]?.string(),
            name: try cursor.require("name").string(), start: start, end: end, origin: try cursor["origin"]?.string(),
            namespace: try cursor["namespace"]?.string(), error: try cursor["error"]?.bool() ?? false,
            fault: try cursor["fault"]?.bool() ?? false, throttle: try cursor["throttle"]?.bool() ?? false,
            status: try http?["response"]?["status"]?.int(), operation: try aws?["operation"]?.string(),
            resource: resource, cause: cause, inferred: try cursor["inferred"]?.bool() ?? false,
            annotations: annotations,
            children: try (cursor["subsegments"]?.array() ?? []).map { child throws(HeadroomError) in
                try span(child, depth: depth + 1)
            }.sorted { ($0.start, $0.id) < ($1.start, $1.id) },
            method: try http?["request"]?["method"]?.string(), path: path, region: region)
    }

    /// The segments as one forest: a segment whose `parent_id` names a subsegment of another hangs
    /// under it; the rest are roots, in the order of their start.
    static func nest(_ segments: [Span]) -> [Span] {
        var byParent: [String: [Span]] = [:]
        var ids: Set<String> = []
        func collect(_ span: Span) {
            ids.insert(span.id)
            span.children.forEach(collect)
        }
        segments.forEach(collect)
        var roots: [Span] = []
        for segment in segments {
            if let parent = segment.parentId, ids.contains(parent), parent != segment.id {
                byParent[parent, default: []].append(segment)
            } else {
                roots.append(segment)
            }
        }
        var placed: Set<String> = []
        func attach(_ span: Span, depth: Int) -> Span {
            var span = span
            guard depth < 64, placed.insert(span.id).inserted else { return span }
            span.children = (span.children + (byParent[span.id] ?? [])).map { attach($0, depth: depth + 1) }
                .sorted { ($0.start, $0.id) < ($1.start, $1.id) }
            return span
        }
        var forest = roots.sorted { ($0.start, $0.id) < ($1.start, $1.id) }.map { attach($0, depth: 0) }
        // Segments that name each other as parents (a loop) are roots rather than lost.
        for segment in segments where !placed.contains(segment.id) { forest.append(attach(segment, depth: 0)) }
        return forest
    }
}
