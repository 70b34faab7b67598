import Foundation
import HeadroomModel

/// The collector's side of the catalog: from `aws cloudwatch list-metrics` output (what exists in
/// the account) to `get-metric-data` requests for the catalog's metrics over one week, in the
/// `--cli-input-json` form that `CloudWatchGetMetricData` reads back beside the results.
public enum MetricQueries {
    /// GetMetricData takes at most 500 queries per request.
    public static let maximumQueries = 500

    /// One request file: `cloudwatch-lambda.query.json`, `cloudwatch-lambda-2.query.json`, …
    public struct Request: Sendable, Equatable {
        public var fileName: String
        public var json: String
        public var queries: Int
    }

    /// A metric as list-metrics lists it.
    struct Listed: Hashable, Comparable {
        var namespace: String
        var name: String
        var dimensions: [MetricDimension]

        static func < (a: Listed, b: Listed) -> Bool {
            func key(_ m: Listed) -> [String] { [m.namespace, m.name] + m.dimensions.flatMap { [$0.name, $0.value] } }
            return key(a).lexicographicallyPrecedes(key(b))
        }
    }

    /// Reads list-metrics outputs (`{"Metrics": [...]}`; pages already joined by the CLI).
    static func listed(_ files: [(data: Data, display: String)]) throws(HeadroomError) -> Set<Listed> {
        var result: Set<Listed> = []
        for file in files {
            let root = JSONCursor(try Sources.parseJSON(file.data, display: file.display), file: file.display)
            guard root.object != nil, let metrics = root["Metrics"] else {
                throw root.fail(
                    "expected the output of aws cloudwatch list-metrics (an object with \"Metrics\")",
                    remedy: "save aws cloudwatch list-metrics --namespace … --output json unchanged")
            }
            if root["NextToken"] != nil {
                throw root.fail(
                    "NextToken is set: later pages of list-metrics are missing",
                    remedy: "let the AWS CLI join the pages (no --max-items, no --no-paginate)")
            }
            for metric in try metrics.array() {
                var dimensions: [MetricDimension] = []
                for dimension in try metric["Dimensions"]?.array() ?? [] {
                    dimensions.append(
                        MetricDimension(
                            name: try dimension.require("Name").string(), value: try dimension.require("Value").string()
                        ))
                }
                result.insert(
                    Listed(
                        namespace: try metric.require("Namespace").string(),
                        name: try metric.require("MetricName").string(),
                        dimensions: dimensions.sorted()))
            }
        }
        return result
    }

    /// Whether a series with these dimensions is one the catalog reads for `metric`: the resource's
    /// dimensions, optionally split by `aggregate` ones, or none for account-wide metrics.
    static func wanted(_ names: Set<String>, _ namespace: ServiceCatalog.Namespace, _ metric: ServiceCatalog.Metric)
        -> Bool
    {
        if names.isEmpty { return metric.account }
        let resource = Set(namespace.resource)
        return names.isSuperset(of: resource) && names.isSubset(of: resource.union(namespace.aggregate))
    }

    /// The requests for the week `interval`, one namespace after another, sorted, with stable Ids.
    public static func requests(
        listMetrics files: [(data: Data, display: String)], catalog: ServiceCatalog, interval: Range<Instant>,
        period: Int = 3600
    ) throws(HeadroomError) -> [Request] {
        let listed = try listed(files)
        var requests: [Request] = []
        for namespace in catalog.namespaces {
            var queries: [Query] = []
            for metric in listed.filter({ $0.namespace == namespace.namespace }).sorted() {
                let names = Set(metric.dimensions.map(\.name))
                for wanted in namespace.metrics
                where wanted.name == metric.name && Self.wanted(names, namespace, wanted) {
                    let resource =
                        metric.dimensions.isEmpty ? "account" : metric.dimensions.map(\.value).joined(separator: "/")
                    queries.append(
                        Query(
                            Id: "", Label: "\(resource) \(wanted.label)",
                            MetricStat: .init(
                                Metric: .init(
                                    Namespace: namespace.namespace, MetricName: metric.name,
                                    Dimensions: metric.dimensions.map { .init(Name: $0.name, Value: $0.value) }),
                                Period: period, Stat: wanted.stat)))
                }
            }
            let slug = "cloudwatch-" + slug(namespace.namespace)
            for (index, start) in stride(from: 0, to: queries.count, by: maximumQueries).enumerated() {
                var chunk = Array(queries[start..<min(start + maximumQueries, queries.count)])
                for offset in chunk.indices { chunk[offset].Id = "q\(offset)" }
                let body = Body(
                    MetricDataQueries: chunk, StartTime: interval.lowerBound.description,
                    EndTime: interval.upperBound.description)
                let json = String(decoding: (try? JSONEncoder.stable.encode(body)) ?? Data(), as: UTF8.self) + "\n"
                requests.append(
                    Request(
                        fileName: slug + (index == 0 ? "" : "-\(index + 1)") + ".query.json", json: json,
                        queries: chunk.count))
            }
        }
        return requests
    }

    /// `AWS/ApiGateway` → `apigateway`, `ECS/ContainerInsights` → `ecs-containerinsights`.
    static func slug(_ namespace: String) -> String {
        let lowered = namespace.lowercased()
        let trimmed = lowered.hasPrefix("aws/") ? String(lowered.dropFirst(4)) : lowered
        return String(trimmed.map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }

    // The request's shape, keyed as the GetMetricData API spells it.
    struct Body: Encodable {
        var MetricDataQueries: [Query]
        var StartTime: String
        var EndTime: String
        var ScanBy = "TimestampAscending"
    }

    struct Query: Encodable {
        var Id: String
        var Label: String
        var MetricStat: Stat
        var ReturnData = true

        struct Stat: Encodable {
            var Metric: Metric
            var Period: Int
            var Stat: String
        }

        struct Metric: Encodable {
            var Namespace: String
            var MetricName: String
            var Dimensions: [Dimension]
        }

        struct Dimension: Encodable {
            var Name: String
            var Value: String
        }
    }
}
