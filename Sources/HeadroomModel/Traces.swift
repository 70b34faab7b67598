/// Requests through a node or an edge of an X-Ray service graph, as `SummaryStatistics` counts them.
public struct RequestStats: Codable, Sendable, Equatable {
    public var ok: Int
    /// 4xx other than throttling.
    public var errors: Int
    /// 429.
    public var throttles: Int
    /// 5xx.
    public var faults: Int
    public var total: Int
    /// Seconds, summed over the requests.
    public var totalResponseTime: Double

    public init(ok: Int, errors: Int, throttles: Int, faults: Int, total: Int, totalResponseTime: Double) {
        self.ok = ok
        self.errors = errors
        self.throttles = throttles
        self.faults = faults
        self.total = total
        self.totalResponseTime = totalResponseTime
    }

    /// Counts add up, held at `Int.max` (hostile graphs can hold counts up to 2^53 each).
    public static func + (a: RequestStats, b: RequestStats) -> RequestStats {
        func sum(_ x: Int, _ y: Int) -> Int {
            let (value, overflow) = x.addingReportingOverflow(y)
            return overflow ? .max : value
        }
        return RequestStats(
            ok: sum(a.ok, b.ok), errors: sum(a.errors, b.errors), throttles: sum(a.throttles, b.throttles),
            faults: sum(a.faults, b.faults), total: sum(a.total, b.total),
            totalResponseTime: a.totalResponseTime + b.totalResponseTime)
    }
}

/// One bin of an X-Ray histogram: `count` requests that took `value` seconds.
public struct HistogramBin: Codable, Sendable, Equatable {
    public var value: Double
    public var count: Int
    public init(value: Double, count: Int) {
        self.value = value
        self.count = count
    }
}

/// `aws xray get-service-graph` for a time range: the services and resources that served requests,
/// and the calls between them.
public struct ServiceGraph: Codable, Sendable, Equatable {
    public var start: Instant?
    public var end: Instant?
    public var nodes: [Node]
    /// A `NextToken` was left: later pages are missing.
    public var partial: Bool
    public var source: String

    public struct Node: Codable, Sendable, Equatable {
        public var referenceId: Int
        public var name: String
        /// `client`, `AWS::Lambda::Function`, `AWS::DynamoDB::Table`, `remote`, …
        public var type: String?
        public var accountId: String?
        public var root: Bool
        public var stats: RequestStats?
        public var responseTimes: [HistogramBin]
        public var edges: [Edge]

        public init(
            referenceId: Int, name: String, type: String?, accountId: String?, root: Bool, stats: RequestStats?,
            responseTimes: [HistogramBin], edges: [Edge]
        ) {
            self.referenceId = referenceId
            self.name = name
            self.type = type
            self.accountId = accountId
            self.root = root
            self.stats = stats
            self.responseTimes = responseTimes
            self.edges = edges
        }
    }

    /// A call from the node that lists it to the node `referenceId`.
    public struct Edge: Codable, Sendable, Equatable {
        public var referenceId: Int
        public var stats: RequestStats?
        public var responseTimes: [HistogramBin]
        public init(referenceId: Int, stats: RequestStats?, responseTimes: [HistogramBin]) {
            self.referenceId = referenceId
            self.stats = stats
            self.responseTimes = responseTimes
        }
    }

    public init(start: Instant?, end: Instant?, nodes: [Node], partial: Bool, source: String) {
        self.start = start
        self.end = end
        self.nodes = nodes
        self.partial = partial
        self.source = source
    }
}

/// One trace of `aws xray get-trace-summaries`.
public struct TraceSummary: Codable, Sendable, Equatable {
    public var id: String
    public var start: Instant?
    /// Seconds.
    public var duration: Double?
    public var fault: Bool
    public var error: Bool
    public var throttle: Bool
    public var partial: Bool
    public var method: String?
    public var url: String?
    public var status: Int?
    /// The entry point's name (`checkout-api/prod`).
    public var entry: String?
    public var services: [String]
    public var source: String

    public init(
        id: String, start: Instant?, duration: Double?, fault: Bool, error: Bool, throttle: Bool, partial: Bool,
        method: String?, url: String?, status: Int?, entry: String?, services: [String], source: String
    ) {
        self.id = id
        self.start = start
        self.duration = duration
        self.fault = fault
        self.error = error
        self.throttle = throttle
        self.partial = partial
        self.method = method
        self.url = url
        self.status = status
        self.entry = entry
        self.services = services
        self.source = source
    }
}

/// One trace of `aws xray batch-get-traces`: its segments, each a tree of subsegments.
public struct TraceRecord: Codable, Sendable, Equatable {
    public var id: String
    /// Seconds.
    public var duration: Double?
    public var limitExceeded: Bool
    /// Every segment document, its subsegments nested, in the order of their start.
    public var spans: [Span]
    public var source: String

    public init(id: String, duration: Double?, limitExceeded: Bool, spans: [Span], source: String) {
        self.id = id
        self.duration = duration
        self.limitExceeded = limitExceeded
        self.spans = spans
        self.source = source
    }
}

/// A segment or subsegment. Annotation values are kept as text; metadata is never read.
public struct Span: Codable, Sendable, Equatable {
    public var id: String
    public var parentId: String?
    public var name: String
    /// Epoch seconds, with their fraction.
    public var start: Double
    public var end: Double?
    /// `AWS::Lambda::Function`, … (segments only).
    public var origin: String?
    /// `aws` or `remote` for a call downstream (subsegments only).
    public var namespace: String?
    public var error: Bool
    public var fault: Bool
    public var throttle: Bool
    public var status: Int?
    public var operation: String?
    /// The resource a call reached: `aws.table_name`, the queue of `aws.queue_url`, `aws.function_name`.
    public var resource: String?
    /// The first exception's type and message, from `cause`.
    public var cause: String?
    /// Made by X-Ray from a subsegment (a downstream service that sent no segment of its own).
    public var inferred: Bool
    public var annotations: [String: String]
    public var children: [Span]
    /// The request's method and URL path (no host, query or fragment), from `http.request`.
    public var method: String?
    public var path: String?
    /// The region of `aws.region` or of `resource_arn`.
    public var region: String?

    public init(
        id: String, parentId: String?, name: String, start: Double, end: Double?, origin: String?,
        namespace: String?, error: Bool, fault: Bool, throttle: Bool, status: Int?, operation: String?,
        resource: String? = nil, cause: String?, inferred: Bool, annotations: [String: String], children: [Span],
        method: String? = nil, path: String? = nil, region: String? = nil
    ) {
        self.method = method
        self.path = path
        self.region = region
        self.id = id
        self.parentId = parentId
        self.name = name
        self.start = start
        self.end = end
        self.origin = origin
        self.namespace = namespace
        self.error = error
        self.fault = fault
        self.throttle = throttle
        self.status = status
        self.operation = operation
        self.resource = resource
        self.cause = cause
        self.inferred = inferred
        self.annotations = annotations
        self.children = children
    }
}
