import Foundation
import HeadroomModel

/// A service quota with known usage: how close it is, and when it will be reached.
public struct QuotaReport: Sendable, Equatable {
    public enum Status: String, Sendable, Equatable {
        case ok, warning, critical, noData = "no data"
    }

    public enum Projection: Sendable, Equatable, CustomStringConvertible {
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

    public struct WeekPeak: Sendable, Equatable {
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
    /// - Quotas: Service Quotas with a UsageMetric (the last file that lists a quota wins), and
    ///   Lambda's account concurrency from get-account-settings when no Service Quotas record
    ///   covers it (L-B99A9384), against the account-level ConcurrentExecutions maximum.
    /// - Usage: the series that matches the usage metric (namespace, name, dimensions and the
    ///   recommended statistic, else Maximum), from every file, finest period.
    /// - Utilisation is the report week's peak ÷ the limit; the status warns at `warning` % and
    ///   is critical at `critical` % (Trusted Advisor's 80% and 100% by default).
    /// - Projection: a least-squares line through the weekly peaks (at least three weeks), extended
    ///   to the limit; beyond `quotaHorizonWeeks` weeks it says "not within".
    static func quotaHeadroom(
        _ dataset: Dataset, week: ISOWeek, zone: TimeZone, thresholds: Configuration.QuotaThresholds
    ) -> [QuotaReport] {
        var latest: [String: ServiceQuota] = [:]
        var order: [String] = []
        for quota in dataset.quotas where quota.usageMetric != nil && quota.value != nil {
            let key = quota.serviceCode + "/" + quota.quotaCode
            if latest[key] == nil { order.append(key) }
            latest[key] = quota
        }
        var quotas = order.map { latest[$0]! }
        if latest["lambda/L-B99A9384"] == nil, let settings = dataset.accountSettings.last,
            let limit = settings.concurrentExecutionsLimit
        {
            quotas.append(
                ServiceQuota(
                    serviceCode: "lambda", serviceName: "AWS Lambda", quotaCode: "L-B99A9384",
                    quotaName: "Concurrent executions", value: Double(limit), adjustable: true,
                    usageMetric: ServiceQuota.UsageMetric(
                        namespace: "AWS/Lambda", name: "ConcurrentExecutions", dimensions: [], statistic: "Maximum"),
                    source: settings.source))
        }
        return quotas.map { quota in
            let metric = quota.usageMetric!
            let limit = quota.value!
            let stat = metric.statistic ?? "Maximum"
            let points = usagePoints(metric, stat: stat, in: dataset.series)
            let usage =
                "\(metric.namespace) \(metric.name) (\(stat))"
                + (metric.dimensions.isEmpty
                    ? "" : " " + metric.dimensions.map { "\($0.name)=\($0.value)" }.joined(separator: ","))
            var report = QuotaReport(
                service: quota.serviceName ?? quota.serviceCode, code: quota.quotaCode, name: quota.quotaName,
                limit: limit,
                adjustable: quota.adjustable, peak: nil, p95: nil, utilisation: nil, status: .noData, weeklyPeaks: [],
                projection: .tooFewWeeks, source: quota.source, usage: usage)
            guard !points.isEmpty, limit > 0 else { return report }
            // Weekly peaks up to the report week.
            var peaks: [ISOWeek: Double] = [:]
            var current: [Double] = []
            let interval = week.interval(in: zone)
            let index = WeekIndex(from: points[0].time, to: max(points[0].time, interval.lowerBound), zone: zone)
            for point in points {
                guard let pointWeek = index.week(of: point.time), pointWeek <= week else { continue }
                peaks[pointWeek] = max(peaks[pointWeek] ?? -.infinity, point.value)
                if interval.contains(point.time) { current.append(point.value) }
            }
            report.weeklyPeaks = peaks.keys.sorted().map { QuotaReport.WeekPeak(week: $0, peak: peaks[$0]!) }
            guard let peak = current.max() else { return report }
            let sorted = current.sorted()
            report.peak = peak
            report.p95 = sorted[max(0, Int((0.95 * Double(sorted.count)).rounded(.up)) - 1)]
            let utilisation = peak / limit * 100
            report.utilisation = utilisation
            report.status =
                utilisation >= thresholds.critical ? .critical : utilisation >= thresholds.warning ? .warning : .ok
            report.projection = projection(report.weeklyPeaks, limit: limit, week: week)
            return report
        }
    }

    static func usagePoints(_ metric: ServiceQuota.UsageMetric, stat: String, in series: [MetricSeries]) -> [Point] {
        let matching = series.filter {
            guard let identity = $0.stat else { return false }
            return identity.namespace == metric.namespace && identity.metricName == metric.name && identity.stat == stat
                && identity.dimensions == metric.dimensions
        }
        guard let period = matching.compactMap({ $0.stat?.period }).min() else { return [] }
        var seen: Set<Instant> = []
        var points: [Point] = []
        for item in matching where item.stat?.period == period {
            for point in item.points where seen.insert(point.time).inserted { points.append(point) }
        }
        return points.sorted { $0.time < $1.time }
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
