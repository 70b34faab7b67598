import Foundation
import HeadroomModel

/// Every kind of chart drawn from realistic, generated data: a week of hourly Lambda traffic,
/// seven weeks of daily cost, a month of error budget, quotas. The gallery page and the golden
/// tests both use these, so what a reviewer looks at is what the tests hold steady. The data
/// come from a seeded generator and integer arithmetic only, so they are the same everywhere.
public enum Gallery {
    public struct Specimen: Sendable {
        /// A file-name-safe name, e.g. `burn-down`.
        public var name: String
        public var heading: String
        public var chart: Chart
    }

    /// Monday 16 November 2026 00:00 in Europe/Berlin (23:00 UTC on the Sunday).
    static let monday = Instant(seconds: 1_794_783_600)
    static let hour: Int64 = 3600
    static let day: Int64 = 86_400

    public static func specimens() -> [Specimen] {
        let zone = TimeZone(identifier: "Europe/Berlin")!
        var random = Random(seed: 47)
        let week = monday..<Instant(seconds: monday.seconds + 7 * day)
        // Requests per hour follow the working day: quiet at night, a lunch and an evening peak.
        let profile = [
            22, 15, 11, 9, 9, 12, 22, 41, 63, 78, 84, 88, 97, 92, 86, 83, 85, 90, 99, 100, 88, 66, 45, 31,
        ]
        var invocations: [Point] = []
        var errors: [Point] = []
        var p50: [Point] = []
        var p90: [Point] = []
        var p99: [Point] = []
        for hourIndex in 0..<(7 * 24) {
            let time = Instant(seconds: monday.seconds + Int64(hourIndex) * hour)
            // The collector missed three hours on Wednesday night.
            if (50...52).contains(hourIndex) {
                invocations.append(Point(time: time, value: .nan))
                continue
            }
            let weekend = hourIndex / 24 >= 5 ? 0.7 : 1.0
            let load = Double(profile[hourIndex % 24]) * weekend
            let count = (load * 140 + random.uniform(-400, 400)).rounded()
            invocations.append(Point(time: time, value: count))
            let incident = (82...85).contains(hourIndex)
            errors.append(
                Point(time: time, value: (count * (incident ? 0.031 : 0.0012) + random.uniform(0, 4)).rounded()))
            let base = 180 + load * 1.6 + random.uniform(-10, 10)
            p50.append(Point(time: time, value: base))
            p90.append(Point(time: time, value: base * 1.9 + random.uniform(0, 60) + (incident ? 900 : 0)))
            p99.append(Point(time: time, value: base * 3.4 + random.uniform(0, 260) + (incident ? 2600 : 0)))
        }
        let incident = Marker(
            Instant(seconds: monday.seconds + 82 * hour), end: Instant(seconds: monday.seconds + 86 * hour),
            "Payment provider outage")
        var specimens: [Specimen] = []
        func add(_ name: String, _ heading: String, _ chart: Chart) {
            specimens.append(Specimen(name: name, heading: heading, chart: chart))
        }
        // Last week's invocations, shifted a week on, to compare with this week's.
        var lastWeek: [Point] = []
        for point in invocations where point.value.isFinite {
            lastWeek.append(Point(time: point.time, value: (point.value * 0.93 + random.uniform(-300, 300)).rounded()))
        }
        add(
            "line", "Line: this week's invocations per hour against last week's, with a collector gap and an incident",
            Charts.line(
                [
                    Series("W47", invocations, period: 3600),
                    Series("W46, a week earlier", lastWeek, period: 3600, style: .dashed, colour: 6),
                ],
                ChartOptions(
                    id: "gallery-line", title: "checkout-api invocations per hour, W47 against W46", zone: zone,
                    span: week, markers: [incident])))

        var concurrency: [Point] = []
        for (index, point) in invocations.enumerated() where point.value.isFinite {
            concurrency.append(Point(time: point.time, value: (point.value / 160 + Double(index % 5)).rounded()))
        }
        add(
            "area", "Area: peak concurrent executions against the reserved concurrency",
            Charts.line(
                [Series("Concurrent executions (max)", concurrency, period: 3600)],
                ChartOptions(
                    id: "gallery-area", title: "checkout-api concurrent executions", zone: zone, span: week,
                    thresholds: [Threshold(100, "Reserved concurrency 100", level: .warning)]), area: true))

        // Seven weeks of daily cost by service.
        let services = [
            "AWS Lambda", "Amazon DynamoDB", "Amazon API Gateway", "Amazon CloudWatch", "Amazon SQS", "Other",
        ]
        let daily = [38.0, 21, 12, 7.5, 2.2, 4.1]
        let start = Instant(seconds: monday.seconds - 42 * day)
        var costSeries: [Series] = []
        var thisWeek: [[Double?]] = Array(repeating: [], count: services.count)
        for (index, service) in services.enumerated() {
            var points: [Point] = []
            for dayIndex in 0..<49 {
                var amount = daily[index] * (1 + Double(dayIndex) * 0.004) + random.uniform(-1, 1) * daily[index] * 0.08
                if index == 0 && (38...40).contains(dayIndex) { amount *= 2.6 }  // a runaway batch job in W46
                if index == 1 && dayIndex >= 45 { amount *= 1.35 }
                let cents = (amount * 100).rounded() / 100
                points.append(Point(time: Instant(seconds: start.seconds + Int64(dayIndex) * day), value: cents))
                if dayIndex >= 35 { thisWeek[index].append(cents) }
            }
            costSeries.append(Series(service, points, period: 86_400))
        }
        add(
            "stacked-area", "Stacked area: cost by service per day over seven weeks",
            Charts.stackedArea(
                costSeries,
                ChartOptions(
                    id: "gallery-stacked-area", title: "Daily cost by service, W41 to W47", unit: .currency("USD"),
                    zone: zone)))
        let dayNames = (0..<14).map {
            DayLabel.day(TimeScale.floorDiv(TimeScale.local(monday, zone), 86_400) - 7 + Int64($0))
        }
        add(
            "stacked-bars", "Stacked bars: cost by service per day, last week and this week",
            Charts.bars(
                categories: dayNames,
                services.enumerated().map { BarSeries($0.element, thisWeek[$0.offset]) },
                ChartOptions(
                    id: "gallery-stacked-bars", title: "Daily cost by service, W46 and W47", unit: .currency("USD"),
                    zone: zone), stacked: true))
        add(
            "bars", "Bars: invocations per weekday, this week against last week",
            Charts.bars(
                categories: DayLabel.weekdays,
                [
                    BarSeries("W46", [212_000, 208_500, 215_300, 219_900, 231_000, 151_200, 140_800]),
                    BarSeries("W47", [220_400, 214_100, 181_600, 226_700, 240_300, 160_900, nil]),
                ],
                ChartOptions(id: "gallery-bars", title: "Invocations per weekday", zone: zone)))
        add(
            "diverging", "Diverging bars: where cost moved week over week",
            Charts.diverging(
                [
                    ("Amazon DynamoDB", 61.42), ("Amazon API Gateway", 9.87), ("Amazon CloudWatch", 3.05),
                    ("Amazon SQS", -0.62), ("AWS Lambda", -63.10),
                ],
                ChartOptions(
                    id: "gallery-diverging", title: "Cost change by service, W47 against W46", unit: .currency("USD"),
                    zone: zone)))
        add(
            "sparkline", "Sparkline: a week of invocations in a table cell",
            Charts.sparkline(
                Series("checkout-api invocations", invocations, period: 3600), id: "gallery-sparkline",
                title: "checkout-api invocations, hourly", unit: .count, zone: zone, span: week))

        // A 30-day calendar window (November), hourly budget units, an incident mid-month.
        let windowStart = Instant(seconds: monday.seconds - 15 * day)
        let windowEnd = Instant(seconds: windowStart.seconds + 30 * day)
        let now = Instant(seconds: monday.seconds + 7 * day)
        var remaining: [Point] = []
        var bad = 0.0
        // The month's budget: 0.1 % of its requests, about 8,000 an hour.
        let budget = 0.001 * 8000 * 720
        var burn: [Point] = []
        for hourIndex in 0..<Int((now.seconds - windowStart.seconds) / hour) {
            let time = Instant(seconds: windowStart.seconds + Int64(hourIndex) * hour)
            let requests = 8000.0 + random.uniform(-500, 500)
            var failed = requests * 0.0006 * random.uniform(0.5, 1.5)
            if (270...276).contains(hourIndex) { failed = requests * 0.02 }
            if hourIndex >= 15 * 24 + 82 && hourIndex <= 15 * 24 + 85 { failed = requests * 0.03 }
            bad += failed
            remaining.append(Point(time: time, value: 100 - bad / budget * 100))
            if time >= monday { burn.append(Point(time: time, value: failed / requests / 0.001)) }
        }
        let weekBurn = burn.map(\.value).reduce(0, +) / Double(burn.count)
        add(
            "burn-down",
            "Burn-down: the error budget left over a calendar month, with the even-spend line and the projection",
            Charts.burnDown(
                remaining: remaining, period: 3600, window: windowStart..<windowEnd, now: now, burnRate: weekBurn,
                ChartOptions(
                    id: "gallery-burn-down", title: "Checkout availability 99.9%: error budget left", zone: zone,
                    markers: [incident])))
        add(
            "burn-rate", "Burn rate: hourly burn with the alerting bands",
            Charts.burnRate(
                Series("Burn rate", burn, period: 3600),
                bands: [
                    Band(from: 0, to: 1, "within budget", level: .ok),
                    Band(from: 6, to: 14.4, "ticket: 6× over 6 h", level: .warning),
                    Band(from: 14.4, to: nil, "page: 14.4× over 1 h", level: .critical),
                ],
                ChartOptions(
                    id: "gallery-burn-rate", title: "Checkout availability: burn rate per hour", zone: zone, span: week)
            ))
        add(
            "bullets", "Bullet bars: quota usage against the limit, with the 80 % and 100 % marks",
            Charts.bullets(
                [
                    Bullet("Lambda concurrent executions", value: 870, limit: 1000, detail: "peak 870 of 1,000"),
                    Bullet("Unreserved concurrency", value: 640, limit: 900, detail: "peak 640 of 900"),
                    Bullet(
                        "DynamoDB orders write capacity", value: 1060, limit: 1000, detail: "peak 1,060 of 1,000 WCU"),
                    Bullet("API Gateway throttle rate", value: 2100, limit: 10_000, detail: "peak 2,100 of 10,000 rps"),
                    Bullet("CloudFormation stacks", value: 180, limit: 500, detail: "180 of 500"),
                ],
                ChartOptions(id: "gallery-bullets", title: "Quota headroom", zone: zone)))
        let peaks = [610.0, 655, 690, 742, 781, 826, 870]
        let firstWeek = Instant(seconds: monday.seconds - 6 * 7 * day)
        add(
            "quota-trend", "Quota trend: weekly peaks and the projected week the limit is reached",
            Charts.quotaTrend(
                usage: peaks.enumerated().map {
                    Point(time: Instant(seconds: firstWeek.seconds + Int64($0.offset) * 7 * day), value: $0.element)
                }, limit: 1000, projectedExhaustion: Instant(seconds: monday.seconds + 4 * 7 * day),
                ChartOptions(
                    id: "gallery-quota-trend", title: "Lambda concurrent executions: weekly peak", zone: zone,
                    span: firstWeek..<Instant(seconds: monday.seconds + 7 * day))))
        add(
            "bands", "Latency percentile bands: p50, p90 and p99 per hour",
            Charts.percentileBands(
                [
                    Series("p50", p50, period: 3600), Series("p90", p90, period: 3600),
                    Series("p99", p99, period: 3600),
                ],
                ChartOptions(
                    id: "gallery-bands", title: "checkout-api duration percentiles", unit: .milliseconds, zone: zone,
                    span: week, thresholds: [Threshold(6000, "Timeout 6 s", level: .critical)], markers: [incident])))
        add(
            "heatmap", "Heatmap: errors by hour of day and day",
            Charts.heatmap(
                errors, days: week,
                ChartOptions(id: "gallery-heatmap", title: "checkout-api errors by hour", zone: zone)))
        var durations: [Double] = []
        for index in 0..<20_000 {
            let u = random.uniform(0, 1)
            let cold = index % 37 == 0 ? random.uniform(700, 1400) : 0
            durations.append((120 + 90 * u * u * u * 8 + random.uniform(0, 40) + cold).rounded())
        }
        let sorted = durations.sorted()
        func rank(_ q: Double) -> Double { sorted[Int((q * Double(sorted.count)).rounded(.up)) - 1] }
        add(
            "histogram", "Histogram: the duration of every invocation from REPORT lines",
            Charts.histogram(
                durations, markers: [("p50", rank(0.5)), ("p90", rank(0.9)), ("p99", rank(0.99))],
                ChartOptions(
                    id: "gallery-histogram", title: "checkout-api duration distribution", unit: .milliseconds,
                    zone: zone)))
        return specimens
    }

    /// xorshift64*: deterministic everywhere.
    struct Random {
        var state: UInt64
        init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }
        mutating func next() -> UInt64 {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return state &* 0x2545_F491_4F6C_DD1D
        }
        mutating func uniform(_ low: Double, _ high: Double) -> Double {
            low + Double(next() >> 11) / Double(1 << 53) * (high - low)
        }
    }
}
