import Foundation
import HeadroomModel

/// Pure analysis: Dataset and Configuration in, Report out. No clock, no files.
public enum Analysis {
    /// The name of the service that holds functions no `services:` pattern matches.
    public static let unassignedService = "Unassigned"

    /// - Parameter catalog: the metrics per namespace (`CatalogLoader.builtIn()`); with an empty
    ///   catalog only Lambda functions are reported.
    public static func report(
        _ dataset: Dataset, configuration: Configuration, catalog: ServiceCatalog = ServiceCatalog(namespaces: []),
        prices: LambdaPriceTable? = nil, rules: [Rule] = []
    ) -> Report {
        let zone = configuration.zone
        let weeks = weeksWithData(dataset, zone: zone)
        let week = configuration.week ?? weeks.last
        var warnings: [String] = []
        for file in dataset.sources {
            if case .invalid(let reason) = file.status { warnings.append("Skipped invalid file: \(reason)") }
        }
        guard let week else {
            return Report(
                title: configuration.title, week: nil, weeksWithData: [], services: [], paths: [], cost: nil,
                lambdaEstimate: nil, slos: [],
                quotas: [],
                sources: dataset.sources, notes: dataset.notes, warnings: warnings, baseURL: configuration.baseURL)
        }
        let current = week.interval(in: zone)
        let previous = week.previous.interval(in: zone)
        let byFunction = lambdaSeriesByFunction(dataset.series)
        let signals = catalogSignals(dataset.series, catalog: catalog, current: current, previous: previous)
        let logs = logFigures(dataset.invocations, in: current)
        let previousLogs = logFigures(dataset.invocations, in: previous)
        // The last inventory record of a function (files are read in path order, so the latest
        // week's snapshot wins); tags come from the last record that has any, since
        // list-functions does not return them.
        var inventory: [String: LambdaFunction] = [:]
        for var function in dataset.functions {
            if function.tags.isEmpty, let tags = inventory[function.name]?.tags { function.tags = tags }
            inventory[function.name] = function
        }

        var grouped: [String: [FunctionReport]] = [:]
        var usage: [LambdaUsage] = []
        // The latest configuration of each alias or version, summed per function.
        var provisionedConfigs: [String: Int] = [:]
        for config in dataset.provisionedConcurrency {
            provisionedConfigs[config.function + ":" + (config.qualifier ?? "")] =
                config.allocated ?? (config.status == "READY" ? config.requested : 0)
        }
        var provisioned: [String: Int] = [:]
        for (key, count) in provisionedConfigs {
            provisioned[String(key.split(separator: ":", omittingEmptySubsequences: false)[0]), default: 0] += count
        }
        for (name, series) in byFunction.sorted(by: { $0.key < $1.key }) {
            let service = serviceName(for: name, tags: inventory[name]?.tags ?? [:], services: configuration.services)
            let thisWeek = figures(series, in: current)
            let lastWeek = figures(series, in: previous)
            let timeout = inventory[name]?.timeoutSeconds
            usage.append(
                LambdaUsage(
                    name: name, invocations: thisWeek.invocations,
                    durationMilliseconds: sum(pick(series, metric: "Duration", stat: "Sum", in: current), in: current),
                    provisionedInvocations: sum(
                        pick(series, metric: "ProvisionedConcurrencyInvocations", stat: "Sum", in: current), in: current
                    ),
                    provisioned: provisioned[name] ?? 0, function: inventory[name]))
            let extra = signals[ResourceKey(namespace: "AWS/Lambda", name: name)]?.signals ?? []
            var status = health(thisWeek, timeoutSeconds: timeout, rules: configuration.health)
            if status.level != .noData {
                status.merge(health(extra, roles: [.loss, .backlog, .utilisation], rules: configuration.health))
                status.merge(logHealth(logs[name]))
            }
            grouped[service, default: []].append(
                FunctionReport(
                    name: name, service: service, current: thisWeek,
                    previous: lastWeek.invocations == nil ? nil : lastWeek, timeoutSeconds: timeout,
                    health: status, signals: extra, logs: logs[name], previousLogs: previousLogs[name],
                    series: chartSeries(series, current: current, previous: previous),
                    sources: Array(
                        Set(series.filter { overlaps($0, previous.lowerBound..<current.upperBound) }.map(\.source))
                            .union(inventory[name].map { [$0.source] } ?? []).union(logs[name]?.sources ?? [])
                    )
                    .sorted(),
                    warnings: Array(
                        Set(
                            series.filter { overlaps($0, current) }.flatMap { s in
                                s.warnings.map { "\(s.label): \($0)" }
                            })
                    ).sorted()))
        }
        let others = Dictionary(
            grouping: resources(signals, catalog: catalog, configuration: configuration), by: \.service)
        let declared = configuration.services.map { ($0.name, $0.description) } + [(unassignedService, nil)]
        let services: [ServiceReport] = declared.compactMap { name, description in
            let functions = grouped[name] ?? []
            let resources = others[name] ?? []
            guard !functions.isEmpty || !resources.isEmpty else { return nil }
            return ServiceReport(
                name: name, description: description, functions: functions, resources: resources,
                totals: totals(functions))
        }
        // Series read but shown nowhere: CloudWatch namespaces the catalog does not know.
        var unknown: [String: (series: Int, files: Set<String>)] = [:]
        for item in dataset.series where !item.points.isEmpty && overlaps(item, current) {
            guard let stat = item.stat, stat.namespace != "AWS/Lambda", catalog.namespace(stat.namespace) == nil else {
                continue
            }
            unknown[stat.namespace, default: (0, [])].series += 1
            unknown[stat.namespace]!.files.insert(item.source)
        }
        for (namespace, found) in unknown.sorted(by: { $0.key < $1.key }) {
            warnings.append(
                "Read but not used: \(plural(found.series, "series", "series")) of \(namespace) this week ("
                    + found.files.sorted().joined(separator: ", ")
                    + "): the catalog has no metrics for that namespace; collect only the namespaces it lists")
        }
        for function in services.flatMap(\.functions) where !function.warnings.isEmpty {
            warnings.append("\(function.name): " + plural(function.warnings.count, "data warning") + " this week")
        }
        let incomplete = Set(
            dataset.sources.filter { $0.warnings.contains { $0.contains("later pages are missing") } }.map(\.path))
        let cost = costWeek(
            dataset.costs, week: week, currency: configuration.currency, rules: configuration.cost,
            incomplete: incomplete
        ).map {
            withUnitCosts($0, functions: services.flatMap(\.functions))
        }
        var estimate: LambdaEstimate?
        if let prices {
            if prices.currency == configuration.currency {
                estimate = lambdaEstimate(
                    usage, prices: prices, freeTier: configuration.cost.freeTier, week: week,
                    weekSeconds: Int(current.upperBound.seconds - current.lowerBound.seconds), cost: cost)
            } else {
                warnings.append(
                    "No Lambda cost estimate: the price table is in \(prices.currency), the report in \(configuration.currency)"
                )
            }
        }
        var report = Report(
            title: configuration.title,
            week: ReportWeek(week: week, interval: current, timeZone: configuration.timeZone),
            weeksWithData: weeks, services: services, paths: criticalPaths(configuration.paths, services: services),
            cost: cost, lambdaEstimate: estimate,
            slos: errorBudgets(
                dataset, week: current,
                history: weeks.filter { $0 <= week }.map { (week: $0, interval: $0.interval(in: zone)) }, zone: zone
            ).sorted {
                ($0.budgetConsumedPercent ?? -1, $1.name) > ($1.budgetConsumedPercent ?? -1, $0.name)
            },
            quotas: quotaHeadroom(
                dataset, week: week, zone: zone, thresholds: configuration.quotas, catalog: catalog
            ).sorted {
                ($0.utilisation ?? -1, $1.name) > ($1.utilisation ?? -1, $0.name)
            },
            sources: dataset.sources,
            notes: dataset.notes,
            warnings: warnings, baseURL: configuration.baseURL)
        report.costMonths = costMonths(dataset.costs, through: week.mondayDays + 6, currency: configuration.currency)
        // A month with monthly records takes them for the month so far too (the rule of
        // `costMonths`), so the month has one figure on every page.
        if let cost = report.cost, let month = report.costMonths.last, month.month == cost.month,
            month.basis == .monthly, month.days > 0
        {
            report.cost!.monthToDate = month.amount
            report.cost!.monthForecast = month.amount / Decimal(month.days) * Decimal(month.daysInMonth)
        }
        report.coverage = coverage(dataset, weeks: Array(Set(weeks.filter { $0 < week } + [week])).sorted(), zone: zone)
        let critical = Set(report.paths.flatMap(\.steps).filter { $0.kind == "function" }.compactMap(\.resource))
        var reserved: [String: Int?] = [:]
        for item in dataset.reservedConcurrency { reserved[item.function] = item.reserved }
        report.findings = settle(
            evaluate(
                rules, report: report, inventory: inventory, reserved: reserved,
                accountLimit: dataset.accountSettings.last?.concurrentExecutionsLimit, criticalFunctions: critical)
                + imported(dataset.findings, week: current, isoWeek: week, checks: dataset.trustedAdvisorChecks).map {
                    finding in
                    // An imported finding on a known function belongs to the function's service.
                    var finding = finding
                    if finding.kind == "function" {
                        finding.service = report.functions.first { $0.name == finding.resource }?.service
                    }
                    return finding
                },
            configuration: configuration)
        var serviceOf: [String: String] = [:]
        for function in report.functions { serviceOf[function.name] = function.service }
        for name in Set(dataset.errors.compactMap(\.function)) where serviceOf[name] == nil {
            serviceOf[name] = serviceName(
                for: name, tags: inventory[name]?.tags ?? [:], services: configuration.services)
        }
        (report.errors, report.errorLogFunctions) = errorGroups(
            dataset, in: current, configuration: configuration, services: serviceOf)
        report.traces = traceReport(dataset, in: current, report: report)
        return report
    }

    /// The first service in configuration order with a matching pattern, or whose tags the
    /// resource all carries, else `unassignedService`.
    public static func serviceName(
        for resource: String, tags: [String: String] = [:], services: [Configuration.Service]
    ) -> String {
        services.first { service in
            service.match.contains { Glob($0).matches(resource) }
                || (!service.tags.isEmpty && service.tags.allSatisfy { tags[$0.key] == $0.value })
        }?.name ?? unassignedService
    }

    /// Every ISO week with data of any kind, oldest first: a datapoint, a dated REPORT line or a day
    /// of cost in it, or a file with records in its week folder. A week
    /// with only cost, quota or findings data is a week with data.
    public static func weeksWithData(_ dataset: Dataset, zone: TimeZone) -> [ISOWeek] {
        var first: Instant?
        var last: Instant?
        func span(_ head: Instant, _ tail: Instant) {
            first = min(first ?? head, head)
            last = max(last ?? tail, tail)
        }
        // Points are sorted, so each series contributes its first and last.
        for item in dataset.series {
            if let head = item.points.first?.time, let tail = item.points.last?.time { span(head, tail) }
        }
        let days = dataset.costs.filter { $0.end.seconds - $0.start.seconds <= 86_400 }.map(\.start)
        // Finding observations are left out: an active finding may have been updated long ago, and
        // its file's week folder says when it was collected.
        let others = dataset.invocations.compactMap(\.time) + days
        for time in others { span(time, time) }
        var present = Set<ISOWeek>()
        for row in dataset.sources where row.seriesCount + row.recordCount > 0 {
            if case .read = row.status, let folder = ISOWeek.folder(of: row.path) { present.insert(folder.week) }
        }
        guard let first, let last else { return present.sorted() }
        let index = WeekIndex(from: first, to: last, zone: zone)
        for item in dataset.series {
            // Sorted points (as every adapter leaves them): a series' points of one week follow
            // each other, so each week is found once and its points skipped by a binary search
            // (looking up every point's week was 4% of a build adding a week to twelve).
            let points = item.points
            let sorted = zip(points, points.dropFirst()).allSatisfy { $0.time < $1.time }
            var start = 0
            while start < points.count {
                guard let (week, end) = index.week(of: points[start].time) else {
                    start += 1
                    continue
                }
                present.insert(week)
                start = sorted ? points[start...].partitioningIndex { $0.time >= end } : start + 1
            }
        }
        for time in others {
            if let (week, _) = index.week(of: time) { present.insert(week) }
        }
        return present.sorted()
    }

    struct WeekIndex {
        private var weeks: [(week: ISOWeek, interval: Range<Instant>)] = []

        init(from first: Instant, to last: Instant, zone: TimeZone) {
            var week = ISOWeek.containing(first, in: zone)
            let lastWeek = ISOWeek.containing(last, in: zone)
            while week <= lastWeek {
                weeks.append((week, week.interval(in: zone)))
                week = week.next
            }
        }

        /// The week that holds `time` and the instant it ends, when `time` is within the span the
        /// index was built for.
        func week(of time: Instant) -> (week: ISOWeek, end: Instant)? {
            var low = 0
            var high = weeks.count
            while low < high {
                let middle = (low + high) / 2
                if weeks[middle].interval.upperBound <= time { low = middle + 1 } else { high = middle }
            }
            guard low < weeks.count, weeks[low].interval.contains(time) else { return nil }
            return (weeks[low].week, weeks[low].interval.upperBound)
        }
    }

    /// Lambda series per function: namespace AWS/Lambda with exactly one dimension, FunctionName.
    static func lambdaSeriesByFunction(_ series: [MetricSeries]) -> [String: [MetricSeries]] {
        var result: [String: [MetricSeries]] = [:]
        for item in series {
            guard let stat = item.stat, stat.namespace == "AWS/Lambda", stat.dimensions.count == 1,
                let function = stat.dimension("FunctionName")
            else { continue }
            result[function, default: []].append(item)
        }
        return result
    }

    /// The points of one CloudWatch metric (namespace, name, statistic and exactly these
    /// dimensions) from every file: the finest period only, one per timestamp (the first file's),
    /// oldest first, with that period; nil when no series matches.
    static func finestPoints(
        namespace: String, metric: String, stat: String, dimensions: [MetricDimension], in series: [MetricSeries]
    ) -> (points: [Point], period: Int)? {
        let matching = series.filter {
            guard let identity = $0.stat else { return false }
            return identity.namespace == namespace && identity.metricName == metric && identity.stat == stat
                && identity.dimensions == dimensions
        }
        guard let period = matching.compactMap({ $0.stat?.period }).min() else { return nil }
        var seen: Set<Instant> = []
        var points: [Point] = []
        for item in matching where item.stat?.period == period {
            for point in item.points where seen.insert(point.time).inserted { points.append(point) }
        }
        return (points.sorted { $0.time < $1.time }, period)
    }

    static func overlaps(_ series: MetricSeries, _ interval: Range<Instant>) -> Bool {
        series.points.contains { interval.contains($0.time) }
    }

    /// The one series to use for a metric and statistic: for sums, the finest period (all periods
    /// give the same total, and using one avoids counting twice); for percentiles, the series whose
    /// period is the whole interval (exact), else the finest. `finest` always takes the finest
    /// period shorter than the interval (points over time, for charts). A series split over files
    /// comes back whole.
    static func pick(
        _ series: [MetricSeries], metric: String, stat: String, in interval: Range<Instant>, finest: Bool = false
    ) -> MetricSeries? {
        let weekLength = Int(interval.upperBound.seconds - interval.lowerBound.seconds)
        let candidates = series.filter { s in
            s.stat?.metricName == metric && s.stat?.stat.lowercased() == stat.lowercased() && overlaps(s, interval)
        }
        if !finest, stat.lowercased().hasPrefix("p"),
            let whole = candidates.first(where: { $0.stat?.period == weekLength })
        {
            return whole
        }
        guard
            let finest = candidates.filter({ $0.stat!.period < weekLength }).min(by: {
                $0.stat!.period < $1.stat!.period
            })
        else { return nil }
        // The same metric split over several files (pages of one request saved apart, or weeks
        // that overlap): their points together, one per timestamp by the one rule for repeats
        // (`MetricSeries.uniquePoints`: the first file's, in path order).
        let parts = candidates.filter { $0.stat == finest.stat }
        guard parts.count > 1 else { return finest }
        var merged = finest
        let (unique, repeated) = MetricSeries.uniquePoints(parts.flatMap(\.points))
        merged.points = unique
        merged.warnings = Array(Set(parts.flatMap(\.warnings))).sorted()
        if let repeated { merged.warnings.append("across \(parts.count) files, " + repeated) }
        return merged
    }

    static func sum(_ series: MetricSeries?, in interval: Range<Instant>) -> Double? {
        guard let series else { return nil }
        let values = series.points.filter { interval.contains($0.time) }.map(\.value)
        return values.isEmpty ? nil : values.reduce(0, +)
    }

    static func maximum(_ series: MetricSeries?, in interval: Range<Instant>) -> Double? {
        series?.points.filter { interval.contains($0.time) }.map(\.value).max()
    }

    static func percentile(_ series: [MetricSeries], _ stat: String, in interval: Range<Instant>) -> WeeklyPercentile? {
        guard let chosen = pick(series, metric: "Duration", stat: stat, in: interval),
            let value = maximum(chosen, in: interval)
        else { return nil }
        let weekLength = Int(interval.upperBound.seconds - interval.lowerBound.seconds)
        return WeeklyPercentile(value: value, exact: chosen.stat?.period == weekLength)
    }

    static func figures(_ series: [MetricSeries], in interval: Range<Instant>) -> FunctionWeek {
        let invocationSeries = pick(series, metric: "Invocations", stat: "Sum", in: interval)
        let invocations = sum(invocationSeries, in: interval)
        // Lambda publishes Errors (0 included) for every period with invocations, so a missing
        // Errors datapoint is a gap and the error rate stays unknown.
        let errors = sum(pick(series, metric: "Errors", stat: "Sum", in: interval), in: interval)
        var errorRate: Double?
        if let invocations, let errors, invocations > 0 { errorRate = errors / invocations * 100 }
        return FunctionWeek(
            invocations: invocations,
            errors: errors,
            throttles: sum(pick(series, metric: "Throttles", stat: "Sum", in: interval), in: interval),
            errorRate: errorRate,
            p50: percentile(series, "p50", in: interval),
            p99: percentile(series, "p99", in: interval),
            peakConcurrency: maximum(
                pick(series, metric: "ConcurrentExecutions", stat: "Maximum", in: interval), in: interval),
            activeHours: invocationSeries?.points.filter { interval.contains($0.time) }.count ?? 0)
    }

    /// The datapoints of the week (and the invocations of the week before) from the series
    /// `pick` chooses, for charts.
    static func chartSeries(_ series: [MetricSeries], current: Range<Instant>, previous: Range<Instant>)
        -> FunctionSeries
    {
        func points(_ metric: String, _ stat: String, _ interval: Range<Instant> = current) -> [Point] {
            pick(series, metric: metric, stat: stat, in: interval, finest: true)?.points(in: interval) ?? []
        }
        return FunctionSeries(
            invocations: points("Invocations", "Sum"), previousInvocations: points("Invocations", "Sum", previous),
            errors: points("Errors", "Sum"), throttles: points("Throttles", "Sum"), p50: points("Duration", "p50"),
            p90: points("Duration", "p90"), p99: points("Duration", "p99"),
            period: pick(series, metric: "Invocations", stat: "Sum", in: current)?.stat?.period)
    }

    static func totals(_ functions: [FunctionReport]) -> ServiceReport.Totals {
        let invocations = functions.compactMap(\.current.invocations)
        let errors = functions.compactMap(\.current.errors)
        let totalInvocations = invocations.isEmpty ? nil : invocations.reduce(0, +)
        let totalErrors = errors.isEmpty ? nil : errors.reduce(0, +)
        var rate: Double?
        if let totalInvocations, let totalErrors, totalInvocations > 0 { rate = totalErrors / totalInvocations * 100 }
        return ServiceReport.Totals(invocations: totalInvocations, errors: totalErrors, errorRate: rate)
    }
}
