import HeadroomModel

/// What a week's report reads of the points outside that week and the week before it: for most
/// series only which weeks, and which files, have points at all (`weeksWithData`, `coverage`).
/// A few metrics are read point by point across every week, and stay whole: SLO indicators
/// (their windows and weekly burn-down), quota usage (weekly peaks and the projection), the
/// concurrency of the account and of functions with reserved concurrency (the unreserved pool),
/// and the catalog's consumed-against-provisioned metrics.
///
/// So a build keeps the older weeks of every other series thinned, which bounds its memory by
/// two weeks of points however long the history is; `ThinningTests` holds the rule to the
/// report: for every week, the report from thinned data equals the report from whole data.
extension Analysis {
    /// The metrics that a report reads point by point across weeks: by namespace and name with
    /// any dimensions, or with exactly the dimensions an SLI or a quota names.
    public struct WholeMetrics: Codable, Sendable, Equatable {
        var names: Set<String> = []
        var metrics: Set<String> = []

        init(names: Set<String>, metrics: Set<String>) {
            self.names = names
            self.metrics = metrics
        }

        enum CodingKeys: String, CodingKey { case names, metrics }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            names = Set(try container.decode([String].self, forKey: .names))
            metrics = Set(try container.decode([String].self, forKey: .metrics))
        }

        /// Sorted, so that the same list is the same bytes.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(names.sorted(), forKey: .names)
            try container.encode(metrics.sorted(), forKey: .metrics)
        }

        /// Whether every metric `other` keeps whole is kept whole here too.
        public func covers(_ other: WholeMetrics) -> Bool {
            names.isSuperset(of: other.names) && metrics.isSuperset(of: other.metrics)
        }

        /// Every entry, sorted, one a line: the same list gives the same text.
        public var text: String {
            (names.sorted().map { "any " + $0 } + metrics.sorted().map { "exact " + $0 }).joined(separator: "\n")
        }

        /// Whether the series is one of them (a series that is not a CloudWatch metric is not).
        public func contains(_ series: MetricSeries) -> Bool {
            guard let stat = series.stat else { return false }
            return names.contains(Self.key(stat.namespace, stat.metricName))
                || metrics.contains(Self.key(stat.namespace, stat.metricName, stat.dimensions))
        }

        static func key(_ namespace: String, _ metric: String, _ dimensions: [MetricDimension]? = nil) -> String {
            ([namespace, metric] + (dimensions ?? []).sorted().flatMap { [$0.name, $0.value] })
                .joined(separator: "\u{0}")
        }
    }

    /// The metrics `dataset` (its SLIs and quotas) and the catalog read whole across weeks.
    public static func wholeMetrics(_ dataset: Dataset, catalog: ServiceCatalog) -> WholeMetrics {
        var names: Set<String> = []
        // The account's concurrency, and that of each function with reserved concurrency, which
        // the unreserved pool subtracts.
        var metrics: Set<String> = [WholeMetrics.key("AWS/Lambda", "ConcurrentExecutions", [])]
        for item in dataset.reservedConcurrency where (item.reserved ?? 0) > 0 {
            metrics.insert(
                WholeMetrics.key(
                    "AWS/Lambda", "ConcurrentExecutions", [MetricDimension(name: "FunctionName", value: item.function)])
            )
        }
        for quota in dataset.quotas {
            if let metric = quota.usageMetric {
                metrics.insert(WholeMetrics.key(metric.namespace, metric.name, metric.dimensions))
            }
        }
        for namespace in catalog.namespaces {
            for metric in namespace.metrics {
                guard let against = metric.against else { continue }
                names.insert(WholeMetrics.key(namespace.namespace, metric.name))
                names.insert(WholeMetrics.key(namespace.namespace, against))
            }
        }
        var sources: [MetricSource] = []
        let inline = dataset.slos.compactMap { slo -> ServiceLevelIndicator? in
            if case .inline(let sli) = slo.indicator { return sli }
            return nil
        }
        for sli in dataset.slis + inline {
            switch sli.kind {
            case .ratio(let good, let bad, let total, _): sources += [good, bad, total].compactMap { $0 }
            case .rawRatio(_, let raw): sources.append(raw)
            case .threshold(let source): sources.append(source)
            }
        }
        for source in sources {
            guard let namespace = source.spec["namespace"]?.text, let metric = source.spec["metricName"]?.text
            else { continue }
            // As `matchingPoints` reads the dimensions; a list it cannot read keeps the metric whole.
            var dimensions: [MetricDimension]? = []
            if case .list(let items)? = source.spec["dimensions"] {
                for item in items {
                    guard let name = item["name"]?.text, let value = item["value"]?.text else {
                        dimensions = nil
                        break
                    }
                    dimensions?.append(MetricDimension(name: name, value: value))
                }
            }
            if let dimensions {
                metrics.insert(WholeMetrics.key(namespace, metric, dimensions))
            } else {
                names.insert(WholeMetrics.key(namespace, metric))
            }
        }
        return WholeMetrics(names: names, metrics: metrics)
    }

    /// `dataset` with each series' points outside `whole` reduced to the first and last point of
    /// each run of points in one UTC day, except the series in `keep` and any series whose points
    /// are not in time order, which stay whole. A week boundary in any time zone falls inside a
    /// UTC day, and a day's run that straddles it keeps its first point on one side and its last
    /// on the other, so each week and each file that had a point outside `whole` still has one.
    /// `removed` spans the points left out (nil when none was); `latest` is the time of the
    /// latest point of any series.
    public static func thinned(
        _ dataset: Dataset, whole: Range<Instant>, keep: WholeMetrics
    ) -> (dataset: Dataset, removed: ClosedRange<Instant>?, latest: Instant?) {
        var dataset = dataset
        var removed: ClosedRange<Instant>?
        var latest: Instant?
        for series in dataset.series {
            for point in series.points where latest.map({ point.time > $0 }) ?? true { latest = point.time }
        }
        func remove(_ time: Instant) {
            removed = removed.map { min($0.lowerBound, time)...max($0.upperBound, time) } ?? time...time
        }
        for index in dataset.series.indices where !keep.contains(dataset.series[index]) {
            let points = dataset.series[index].points
            guard zip(points, points.dropFirst()).allSatisfy({ $0.time <= $1.time }),
                points.contains(where: { !whole.contains($0.time) })
            else { continue }
            var kept: [Point] = []
            var position = 0
            while position < points.count {
                let time = points[position].time
                if whole.contains(time) {
                    kept.append(points[position])
                    position += 1
                    continue
                }
                // A run of points outside `whole` in one UTC day (points are in time order): its
                // first and last.
                let day = time.seconds >= 0 ? time.seconds / 86_400 : (time.seconds - 86_399) / 86_400
                var end = position + 1
                while end < points.count, !whole.contains(points[end].time),
                    points[end].time.seconds < (day + 1) * 86_400
                {
                    end += 1
                }
                kept.append(points[position])
                if end - position > 1 { kept.append(points[end - 1]) }
                if end - position > 2 {
                    remove(points[position + 1].time)
                    remove(points[end - 2].time)
                }
                position = end
            }
            dataset.series[index].points = kept
        }
        return (dataset, removed, latest)
    }
}
