import Foundation
import HeadroomModel

/// A service quota with known usage: how close it is, and when it will be reached.
public struct QuotaReport: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Equatable, Codable {
        case ok, warning, critical, noData = "no data"
    }

    public enum Projection: Sendable, Equatable, CustomStringConvertible, Codable {
        /// Peak usage already at or over the limit.
        case reached
        /// The week in which the weekly-peak trend reaches the limit.
        case week(ISOWeek)
        /// Growing, but not within `horizonWeeks`.
        case notWithin(weeks: Int)
        /// Flat or falling.
        case notGrowing
        /// Fewer than three weeks of usage.
        case tooFewWeeks

        public var description: String {
            switch self {
            case .reached: "reached"
            case .week(let week): "week \(week)"
            case .notWithin(let weeks): "not within \(weeks) weeks"
            case .notGrowing: "not growing"
            case .tooFewWeeks: "needs 3 weeks of data"
            }
        }
    }

    public struct WeekPeak: Sendable, Equatable, Codable {
        public var week: ISOWeek
        public var peak: Double
    }

    public var service: String
    public var code: String
    public var name: String
    public var limit: Double
    public var adjustable: Bool?
    /// The report week's highest value, and its 95th percentile (nearest rank) of the usage datapoints.
    public var peak: Double?
    public var p95: Double?
    /// peak ÷ limit × 100.
    public var utilisation: Double?
    public var status: Status
    public var weeklyPeaks: [WeekPeak]
    public var projection: Projection
    /// The quota's file and the usage metric's description.
    public var source: String
    public var usage: String
}

extension Analysis {
    public static let quotaHorizonWeeks = 13

    /// Quota headroom. Rules:
    /// - Quotas:
    ///   - Service Quotas with a UsageMetric (the last file that lists a quota wins), and Lambda's
    ///     account concurrency from get-account-settings when no Service Quotas record covers it
    ///     (L-B99A9384), against the account-level ConcurrentExecutions maximum;
    ///   - Lambda's unreserved concurrency (get-account-settings), against the account-level
    ///     ConcurrentExecutions minus, hour by hour, the functions with reserved concurrency
    ///     (get-function-concurrency): an estimate, since the peaks of an hour need not coincide;
    ///   - DynamoDB provisioned capacity: for each catalog capacity metric with an `against`
    ///     metric, consumed units per second (the period's Sum ÷ the period) against the highest
    ///     provisioned value of the report week;
    ///   - Trusted Advisor service-limit rows (checks of category service_limits with "Limit
    ///     Amount" and "Current Usage" columns), one reading per check result, at its timestamp.
    /// - Usage: the series that matches the usage metric (namespace, name, dimensions and the
    ///   recommended statistic, else Maximum), from every file, finest period.
    /// - Utilisation is the report week's peak ÷ the limit; the status warns at `warning` % and
    ///   is critical at `critical` % (Trusted Advisor's 80% and 100% by default).
    /// - Projection: a least-squares line through the weekly peaks (at least three weeks), extended
    ///   to the limit; beyond `quotaHorizonWeeks` weeks it says "not within".
    static func quotaHeadroom(
        _ dataset: Dataset, week: ISOWeek, zone: TimeZone, thresholds: Configuration.QuotaThresholds,
        catalog: ServiceCatalog = ServiceCatalog(namespaces: [])
    ) -> [QuotaReport] {
        var latest: [String: ServiceQuota] = [:]
        var order: [String] = []
        for quota in dataset.quotas where quota.usageMetric != nil && quota.value != nil {
            let key = quota.serviceCode + "/" + quota.quotaCode
            if latest[key] == nil { order.append(key) }
            latest[key] = quota
        }
        var quotas = order.map { latest[$0]! }
        let settings = dataset.accountSettings.last
        if latest["lambda/L-B99A9384"] == nil, let settings, let limit = settings.concurrentExecutionsLimit {
            quotas.append(
                ServiceQuota(
                    serviceCode: "lambda", serviceName: "AWS Lambda", quotaCode: "L-B99A9384",
                    quotaName: "Concurrent executions", value: Double(limit), adjustable: true,
                    usageMetric: ServiceQuota.UsageMetric(
                        namespace: "AWS/Lambda", name: "ConcurrentExecutions", dimensions: [], statistic: "Maximum"),
                    source: settings.source))
        }
        var inputs: [QuotaInput] = quotas.map { quota in
            let metric = quota.usageMetric!
            let stat = metric.statistic ?? "Maximum"
            return QuotaInput(
                service: quota.serviceName ?? quota.serviceCode, code: quota.quotaCode, name: quota.quotaName,
                limit: quota.value!, adjustable: quota.adjustable, source: quota.source,
                usage: "\(metric.namespace) \(metric.name) (\(stat))"
                    + (metric.dimensions.isEmpty
                        ? "" : " " + metric.dimensions.map { "\($0.name)=\($0.value)" }.joined(separator: ",")),
                points: usagePoints(metric, stat: stat, in: dataset.series))
        }
        if let settings, let unreserved = settings.unreservedConcurrentExecutions {
            inputs.append(unreservedConcurrency(dataset, limit: unreserved, source: settings.source))
        }
        inputs += provisionedCapacity(dataset.series, catalog: catalog, week: week.interval(in: zone))
        inputs += trustedAdvisorLimits(dataset)
        return inputs.map { evaluate($0, week: week, zone: zone, thresholds: thresholds) }
    }

    /// A quota and its usage readings, before evaluation.
    struct QuotaInput {
        var service: String
        var code: String
        var name: String
        var limit: Double
        var adjustable: Bool?
        var source: String
        var usage: String
        var points: [Point]
    }

    static func evaluate(
        _ input: QuotaInput, week: ISOWeek, zone: TimeZone, thresholds: Configuration.QuotaThresholds
    ) -> QuotaReport {
        var report = QuotaReport(
            service: input.service, code: input.code, name: input.name, limit: input.limit,
            adjustable: input.adjustable, peak: nil, p95: nil, utilisation: nil, status: .noData, weeklyPeaks: [],
            projection: .tooFewWeeks, source: input.source, usage: input.usage)
        let points = input.points
        guard !points.isEmpty, input.limit > 0 else { return report }
        // Weekly peaks up to the report week.
        var peaks: [ISOWeek: Double] = [:]
        var current: [Double] = []
        let interval = week.interval(in: zone)
        let index = WeekIndex(from: points[0].time, to: max(points[0].time, interval.lowerBound), zone: zone)
        for point in points {
            guard let (pointWeek, _) = index.week(of: point.time), pointWeek <= week else { continue }
            peaks[pointWeek] = max(peaks[pointWeek] ?? -.infinity, point.value)
            if interval.contains(point.time) { current.append(point.value) }
        }
        report.weeklyPeaks = peaks.keys.sorted().map { QuotaReport.WeekPeak(week: $0, peak: peaks[$0]!) }
        guard let peak = current.max() else { return report }
        let sorted = current.sorted()
        report.peak = peak
        report.p95 = sorted[max(0, Int((0.95 * Double(sorted.count)).rounded(.up)) - 1)]
        let utilisation = peak / input.limit * 100
        report.utilisation = utilisation
        report.status =
            utilisation >= thresholds.critical ? .critical : utilisation >= thresholds.warning ? .warning : .ok
        report.projection = projection(report.weeklyPeaks, limit: input.limit, week: week)
        return report
    }

    /// The unreserved pool: account concurrency minus the reserved functions' concurrency in the
    /// same period (a function without a datapoint in a period subtracts nothing).
    static func unreservedConcurrency(_ dataset: Dataset, limit: Int, source: String) -> QuotaInput {
        var reserved: [String: Int] = [:]
        for item in dataset.reservedConcurrency { reserved[item.function] = item.reserved }
        let functions = reserved.filter { $0.value > 0 }.keys.sorted()
        let account = usagePoints(
            ServiceQuota.UsageMetric(
                namespace: "AWS/Lambda", name: "ConcurrentExecutions", dimensions: [], statistic: "Maximum"),
            stat: "Maximum", in: dataset.series)
        var used: [Instant: Double] = [:]
        for function in functions {
            let points = usagePoints(
                ServiceQuota.UsageMetric(
                    namespace: "AWS/Lambda", name: "ConcurrentExecutions",
                    dimensions: [MetricDimension(name: "FunctionName", value: function)], statistic: "Maximum"),
                stat: "Maximum", in: dataset.series)
            for point in points { used[point.time, default: 0] += point.value }
        }
        return QuotaInput(
            service: "AWS Lambda", code: "unreserved-concurrency", name: "Unreserved concurrency", limit: Double(limit),
            adjustable: true, source: source,
            usage: "AWS/Lambda ConcurrentExecutions (Maximum) of the account"
                + (functions.isEmpty
                    ? "; no function has reserved concurrency in the data"
                    : " minus that of " + functions.map { "\($0) (reserved \(reserved[$0]!))" }.joined(separator: ", ")
                        + " in the same period; an estimate"),
            points: account.map { Point(time: $0.time, value: max(0, $0.value - (used[$0.time] ?? 0))) })
    }

    /// Consumed capacity per second against provisioned capacity, per table and catalog metric.
    static func provisionedCapacity(_ series: [MetricSeries], catalog: ServiceCatalog, week: Range<Instant>)
        -> [QuotaInput]
    {
        var inputs: [QuotaInput] = []
        for namespace in catalog.namespaces {
            for metric in namespace.metrics {
                guard let against = metric.against,
                    let provisioned = namespace.metrics.first(where: { $0.name == against })
                else { continue }
                let limits = series.filter {
                    $0.stat?.namespace == namespace.namespace && $0.stat?.metricName == against
                        && $0.stat?.stat == provisioned.stat && $0.stat?.dimensions.map(\.name) == namespace.resource
                }
                for dimensions in Set(limits.map { $0.stat!.dimensions }).sorted(by: {
                    $0.lexicographicallyPrecedes($1)
                }) {
                    let limit = limits.filter { $0.stat!.dimensions == dimensions }
                        .flatMap { $0.points.filter { week.contains($0.time) }.map(\.value) }.max()
                    guard let limit, limit > 0 else { continue }
                    guard
                        let (consumed, period) = finestPoints(
                            namespace: namespace.namespace, metric: metric.name, stat: metric.stat,
                            dimensions: dimensions, in: series)
                    else { continue }
                    let source = series.filter {
                        $0.stat?.namespace == namespace.namespace && $0.stat?.metricName == metric.name
                            && $0.stat?.stat == metric.stat && $0.stat?.dimensions == dimensions
                    }.map(\.source).sorted().last
                    let name = displayName(dimensions.map(\.value))
                    inputs.append(
                        QuotaInput(
                            service: namespace.namespace, code: "\(against)/\(name)", name: "\(name): \(against)",
                            limit: limit, adjustable: true, source: source ?? "",
                            usage: "\(metric.name) (\(metric.stat)) ÷ \(period) s per period, against the highest"
                                + " \(against) (\(provisioned.stat)) of the week",
                            points: consumed.map { Point(time: $0.time, value: $0.value / Double(period)) }))
                }
            }
        }
        return inputs
    }

    /// Trusted Advisor service-limit rows, one reading per check result; the latest result sets
    /// the limit, and a result read twice (same time) counts once.
    static func trustedAdvisorLimits(_ dataset: Dataset) -> [QuotaInput] {
        var checks: [String: TrustedAdvisorCheck] = [:]
        for check in dataset.trustedAdvisorChecks where check.category == "service_limits" { checks[check.id] = check }
        var readings: [String: [(time: Instant, usage: Double?, input: QuotaInput)]] = [:]
        var order: [String] = []
        for finding in dataset.findings where finding.tool == .trustedAdvisor {
            guard let check = checks[finding.ruleId], let time = finding.observedAt else { continue }
            func column(_ name: String) -> String? {
                guard let index = check.columns.firstIndex(of: name),
                    case .text(let text) = finding.details.first(where: { $0.key == String(index) })?.value
                else { return nil }
                return text
            }
            guard let limit = column("Limit Amount").flatMap(Double.init), limit > 0 else { continue }
            // A row whose Current Usage is null (Trusted Advisor could not read it) keeps the
            // quota, with its usage not known: shown as "no data", never dropped.
            let usage = column("Current Usage").flatMap(Double.init)
            let key = "\(check.id)/\(finding.resource ?? "")"
            if readings[key] == nil { order.append(key) }
            guard !(readings[key] ?? []).contains(where: { $0.time == time }) else { continue }
            let input = QuotaInput(
                service: column("Service") ?? check.name, code: check.id,
                name: (column("Limit Name") ?? check.name) + (column("Region").map { " (\($0))" } ?? ""),
                limit: limit, adjustable: nil, source: finding.source,
                usage: "Trusted Advisor \"\(check.name)\": Current Usage at each check result", points: [])
            readings[key, default: []].append((time, usage, input))
        }
        return order.map { key in
            let sorted = readings[key]!.sorted { $0.time < $1.time }
            var input = sorted.last!.input
            input.points = sorted.compactMap { reading in reading.usage.map { Point(time: reading.time, value: $0) } }
            return input
        }
    }

    static func usagePoints(_ metric: ServiceQuota.UsageMetric, stat: String, in series: [MetricSeries]) -> [Point] {
        finestPoints(
            namespace: metric.namespace, metric: metric.name, stat: stat, dimensions: metric.dimensions, in: series)?
            .points ?? []
    }

    /// Least squares over (week index, peak); weeks are counted from the first week with data.
    static func projection(_ peaks: [QuotaReport.WeekPeak], limit: Double, week: ISOWeek) -> QuotaReport.Projection {
        guard let last = peaks.last else { return .tooFewWeeks }
        if last.peak >= limit { return .reached }
        guard peaks.count >= 3 else { return .tooFewWeeks }
        let first = peaks[0].week.mondayDays
        let xs = peaks.map { Double(($0.week.mondayDays - first) / 7) }
        let ys = peaks.map(\.peak)
        let n = Double(peaks.count)
        let meanX = xs.reduce(0, +) / n
        let meanY = ys.reduce(0, +) / n
        let sxx = zip(xs, xs).reduce(0) { $0 + ($1.0 - meanX) * ($1.1 - meanX) }
        let sxy = zip(xs, ys).reduce(0) { $0 + ($1.0 - meanX) * ($1.1 - meanY) }
        guard sxx > 0, sxy > 0 else { return .notGrowing }
        let slope = sxy / sxx
        let intercept = meanY - slope * meanX
        // The first whole week after the report week in which the line reaches the limit.
        let reportIndex = Double((week.mondayDays - first) / 7)
        let reachIndex = (limit - intercept) / slope
        let weeksAhead = max(1, Int((reachIndex - reportIndex).rounded(.up)))
        guard weeksAhead <= quotaHorizonWeeks else { return .notWithin(weeks: quotaHorizonWeeks) }
        var target = week
        for _ in 0..<weeksAhead { target = target.next }
        return .week(target)
    }
}
