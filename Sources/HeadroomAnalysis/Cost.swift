import Foundation
import HeadroomModel

/// The week's cost by service and its change from the week before.
public struct CostWeek: Sendable, Equatable, Codable {
    public struct Service: Sendable, Equatable, Codable {
        public var name: String
        /// nil when the service has no cost this week and the week's cost files say pages are
        /// missing (a NextPageToken left): not known, never 0.
        public var current: Decimal?
        /// nil when the week before has no cost data for any service, or it had none there and
        /// that week's files say pages are missing.
        public var previous: Decimal?
    }

    /// The metric the figures use: `EffectiveCost` (FOCUS), else `UnblendedCost`, `AmortizedCost`, `BilledCost`.
    public var metric: String
    public var currency: String
    public var total: Decimal
    public var previousTotal: Decimal?
    /// Sorted by this week's cost, largest first, then by name.
    public var services: [Service]
    /// Days of the week with cost data (of 7).
    public var days: Int
    /// Some of the week's amounts are Cost Explorer estimates.
    public var estimated: Bool
    /// The month of the report week's Sunday, e.g. `2026-11`.
    public var month: String
    /// From the 1st of that month to the report week's Sunday; from the month's monthly records
    /// when it has some (see `Analysis.costMonths`).
    public var monthToDate: Decimal
    /// monthToDate ÷ days so far (or days the monthly records cover) × days in the month: a
    /// straight-line forecast.
    public var monthForecast: Decimal
    /// Lambda's cost this week per 1 M invocations, and the week's whole cost per 1 M successful
    /// invocations (invocations − errors); nil without Lambda cost or invocations.
    public var lambdaCostPerMillionInvocations: Decimal?
    public var costPerMillionSuccessfulInvocations: Decimal?
    /// The monthly budget from headroom.yml, to hold the forecast against.
    public var monthlyBudget: Decimal?
    /// Days of the report week whose cost for a service jumped; largest change first.
    public var spikes: [Spike]
    /// Services whose cost moved most against the week before: by amount (largest change either
    /// way first), and by % among services that cost at least `spikeMinimum` the week before.
    public var moversByAmount: [Service] = []
    public var moversByPercent: [Service] = []
    /// The week's cost by every other grouping the data holds: account, region, each cost
    /// allocation tag, function (from Lambda resource ids), … sorted by dimension.
    public var breakdowns: [Breakdown] = []
    /// Every day's cost by service up to the report week's Sunday, oldest first: the trend.
    public var daily: [Day] = []

    public struct Day: Sendable, Equatable, Codable {
        /// Days since 1970-01-01 (a UTC day, as cost data count them).
        public var day: Int64
        public var service: String
        public var amount: Decimal
    }

    public struct Breakdown: Sendable, Equatable, Codable {
        /// `ACCOUNT`, `REGION`, `TAG:team`, `FUNCTION`, … as the input names it.
        public var dimension: String
        /// Largest this week first; the week before is nil when it has no data for the dimension.
        public var rows: [Service]
    }

    public struct Spike: Sendable, Equatable, Codable {
        public var service: String
        /// `2026-11-19`.
        public var day: String
        public var amount: Decimal
        /// The same weekday's average over the trailing four weeks (at least two of them).
        public var baseline: Decimal
    }
}

/// One calendar month's cost (UTC months, as the bill counts them): the monthly trend.
public struct CostMonth: Sendable, Equatable, Codable {
    /// `2026-10`.
    public var month: String
    public var amount: Decimal
    public var currency: String
    /// Where the amount comes from: `monthly` (records of a whole month, or of the month so far,
    /// such as MONTHLY Cost Explorer periods) or `daily` (the sum of the days with data).
    public var basis: Basis
    /// Days with data, or days a monthly record covers, and the days of the month.
    public var days: Int
    public var daysInMonth: Int
    public var estimated: Bool

    public enum Basis: String, Sendable, Equatable, Codable {
        case monthly
        case daily
    }
}

extension Analysis {
    static let costMetrics = ["EffectiveCost", "UnblendedCost", "AmortizedCost", "BilledCost"]

    /// Each month's cost up to the month of `through` (a day), the last twelve at most. Rules:
    /// - Records grouped by SERVICE, in `currency`, in the first of `costMetrics` they hold.
    /// - A month with records longer than a day that start on its 1st and end within it (MONTHLY
    ///   Cost Explorer periods, monthly export rows) takes those: what AWS bills. The first file
    ///   in path order counts for each service, so nothing is counted twice.
    /// - Otherwise the month is the sum of its daily records, with the number of days that have
    ///   data: a month with 12 of 30 days is shown as such, never as a whole month.
    /// - Days after `through` are not counted; a month without records is left out.
    static func costMonths(_ costs: [CostRecord], through: Int64, currency: String) -> [CostMonth] {
        let usable = costs.filter { $0.unit == currency && $0.groups["SERVICE"] != nil }
        guard let metric = costMetrics.first(where: { metric in usable.contains { $0.metric == metric } }) else {
            return []
        }
        struct Key: Hashable {
            var month: Int64
            var service: String
        }
        func monthStart(_ day: Int64) -> Int64 {
            let (_, _, dayOfMonth) = Instant.civil(fromDays: day)
            return day - (dayOfMonth - 1)
        }
        func nextMonth(_ start: Int64) -> Int64 {
            let (year, month, _) = Instant.civil(fromDays: start)
            return month == 12
                ? Instant.days(year: year + 1, month: 1, day: 1) : Instant.days(year: year, month: month + 1, day: 1)
        }
        var monthly: [Key: (amount: Decimal, source: String, end: Int64, estimated: Bool)] = [:]
        var daily: [Int64: (amount: Decimal, days: Set<Int64>, estimated: Bool)] = [:]
        var dailyOwners: [Key: String] = [:]
        for record in usable where record.metric == metric {
            let first = day(of: record.start)
            let last = day(of: Instant(seconds: record.end.seconds - 1))
            guard first <= through else { continue }
            let start = monthStart(first)
            let service = record.groups["SERVICE"]!
            if record.end.seconds - record.start.seconds <= 86_400 {
                // The first file holding a day of a service counts (as in the week's figures).
                let key = Key(month: first, service: service)
                if let owner = dailyOwners[key], owner != record.source { continue }
                dailyOwners[key] = record.source
                daily[start, default: (0, [], false)].amount += record.amount
                daily[start]!.days.insert(first)
                if record.estimated { daily[start]!.estimated = true }
            } else if first == start, last < nextMonth(start) {
                let key = Key(month: start, service: service)
                if let found = monthly[key], found.source != record.source { continue }
                monthly[key] = (
                    (monthly[key]?.amount ?? 0) + record.amount, record.source, max(monthly[key]?.end ?? 0, last),
                    record.estimated || monthly[key]?.estimated == true
                )
            }
        }
        var byMonth: [Int64: CostMonth] = [:]
        for (key, value) in monthly {
            let length = Int(nextMonth(key.month) - key.month)
            var month =
                byMonth[key.month]
                ?? CostMonth(
                    month: label(key.month), amount: 0, currency: currency, basis: .monthly, days: 0,
                    daysInMonth: length, estimated: false)
            month.amount += value.amount
            month.days = max(month.days, Int(min(value.end, through) - key.month + 1))
            month.estimated = month.estimated || value.estimated
            byMonth[key.month] = month
        }
        for (start, value) in daily where byMonth[start] == nil {
            byMonth[start] = CostMonth(
                month: label(start), amount: value.amount, currency: currency, basis: .daily, days: value.days.count,
                daysInMonth: Int(nextMonth(start) - start), estimated: value.estimated)
        }
        return byMonth.keys.sorted().suffix(12).map { byMonth[$0]! }

        func label(_ day: Int64) -> String {
            let (year, month, _) = Instant.civil(fromDays: day)
            return String(format: "%04d-%02d", year, month)
        }
    }

    /// The cost of `week` and the week before, by service. Rules:
    /// - Only records of one day or less count (a monthly record cannot be split into weeks); a
    ///   day belongs to the ISO week of its date. Cost Explorer, FOCUS and CUR days are UTC days.
    /// - One metric is used, the first of `costMetrics` present with a SERVICE group, in the
    ///   configured currency.
    /// - When two files hold the same day and service (Cost Explorer and a CUR export, say), the
    ///   first file in path order counts and the other is ignored, so nothing is counted twice.
    /// - Amounts are Decimal throughout.
    /// Spikes: a service's cost on a day of the report week against the same weekday of the four
    /// weeks before (at least two with data): a spike when it is `spikePercent` % above their
    /// average and at least `spikeMinimum` above it. Day-of-week aware, so Monday's batch runs are
    /// compared with Mondays.
    static func spikes(
        _ daily: [(day: Int64, service: String, amount: Decimal)], week: ISOWeek, rules: Configuration.CostRules
    ) -> [CostWeek.Spike] {
        var amounts: [String: [Int64: Decimal]] = [:]
        for item in daily { amounts[item.service, default: [:]][item.day] = item.amount }
        var found: [CostWeek.Spike] = []
        for (service, days) in amounts {
            for day in week.mondayDays..<(week.mondayDays + 7) {
                guard let amount = days[day] else { continue }
                let history = (1...4).compactMap { days[day - Int64($0) * 7] }
                guard history.count >= 2 else { continue }
                let baseline = history.reduce(0, +) / Decimal(history.count)
                guard amount - baseline >= rules.spikeMinimum,
                    amount >= baseline * (1 + rules.spikePercent / 100)
                else { continue }
                let (y, m, d) = Instant.civil(fromDays: day)
                found.append(
                    CostWeek.Spike(
                        service: service, day: String(format: "%04d-%02d-%02d", y, m, d), amount: amount,
                        baseline: baseline))
            }
        }
        return found.sorted {
            ($0.amount - $0.baseline, $1.service, $1.day) > ($1.amount - $1.baseline, $0.service, $0.day)
        }
    }

    /// Unit economics: Lambda's cost (services named like "Lambda") per 1 M invocations, and the
    /// week's whole cost per 1 M successful invocations, from the week's Lambda figures.
    static func withUnitCosts(_ cost: CostWeek, functions: [FunctionReport]) -> CostWeek {
        var cost = cost
        let invocations = functions.compactMap(\.current.invocations).reduce(0, +)
        let errors = functions.compactMap(\.current.errors).reduce(0, +)
        let lambda = cost.services.filter { $0.name.contains("Lambda") }.compactMap(\.current).reduce(0, +)
        let million = Decimal(1_000_000)
        // Counts are whole numbers a Double holds exactly; beyond 2^63 there is no unit cost.
        if invocations > 0, let count = Int64(exactly: invocations.rounded()),
            cost.services.contains(where: { $0.name.contains("Lambda") })
        {
            cost.lambdaCostPerMillionInvocations = lambda / Decimal(count) * million
        }
        if invocations - errors > 0, let successes = Int64(exactly: (invocations - errors).rounded()) {
            cost.costPerMillionSuccessfulInvocations = cost.total / Decimal(successes) * million
        }
        return cost
    }

    /// The five services with the largest change: by amount, or (with a minimum previous cost)
    /// by %; services without a week before, or without change, are left out.
    static func movers(_ services: [CostWeek.Service], by minimum: Decimal?) -> [CostWeek.Service] {
        func change(_ service: CostWeek.Service) -> Decimal {
            let delta = service.current! - service.previous!
            return minimum == nil ? delta.magnitude : (delta / service.previous!).magnitude
        }
        return services.filter {
            guard let previous = $0.previous, let current = $0.current, previous != current else { return false }
            return minimum.map { previous >= $0 && previous > 0 } ?? true
        }
        .sorted { (change($0), $1.name) > (change($1), $0.name) }.prefix(5).map { $0 }
    }

    /// Days since 1970-01-01 of an instant (UTC, as the bill counts days).
    static func day(of instant: Instant) -> Int64 {
        instant.seconds >= 0 ? instant.seconds / 86_400 : (instant.seconds - 86_399) / 86_400
    }

    /// The groupings of a cost record other than SERVICE that the week's cost is broken down by:
    /// Cost Explorer's LINKED_ACCOUNT and FOCUS/CUR's ACCOUNT become ACCOUNT; REGION; every
    /// `TAG:` key (untagged is "(untagged)"); and FUNCTION, the function name of a Lambda
    /// resource id (`arn:aws:lambda:…:function:NAME`).
    static func breakdownGroups(_ groups: [String: String]) -> [(String, String)] {
        var result: [(String, String)] = []
        for (key, value) in groups.sorted(by: { $0.key < $1.key }) {
            switch key {
            case "LINKED_ACCOUNT", "ACCOUNT": if !value.isEmpty { result.append(("ACCOUNT", value)) }
            case "REGION": if !value.isEmpty { result.append(("REGION", value)) }
            case "RESOURCE":
                let parts = value.split(separator: ":", omittingEmptySubsequences: false)
                if parts.count >= 7, parts[2] == "lambda", parts[5] == "function" {
                    result.append(("FUNCTION", String(parts[6])))
                }
            default:
                if key.hasPrefix("TAG:") { result.append((key, value.isEmpty ? "(untagged)" : value)) }
            }
        }
        return result
    }

    /// `incomplete`: the files whose later pages are missing; a service with no cost in a week
    /// that one of them covers is not known that week, rather than 0.
    static func costWeek(
        _ costs: [CostRecord], week: ISOWeek, currency: String, rules: Configuration.CostRules = .init(),
        incomplete: Set<String> = []
    ) -> CostWeek? {
        // Days in the currency; the SERVICE ones choose the metric and make the totals, every one
        // (a file grouped by tag only, say) feeds the breakdowns.
        let daily = costs.filter { $0.unit == currency && $0.end.seconds - $0.start.seconds <= 86_400 }
        guard
            let metric = costMetrics.first(where: { metric in
                daily.contains { $0.metric == metric && $0.groups["SERVICE"] != nil }
            })
        else {
            return nil
        }
        struct Key: Hashable {
            var day: Int64
            var value: String
        }
        // Per dimension (SERVICE, ACCOUNT, REGION, TAG:…, FUNCTION): a day and value counts from
        // the first file that holds it.
        var owners: [String: [Key: String]] = [:]
        var byDimension: [String: [Key: Decimal]] = [:]
        var estimatedDays: Set<Int64> = []
        for record in daily where record.metric == metric {
            let day = Self.day(of: record.start)
            let groups = (record.groups["SERVICE"].map { [("SERVICE", $0)] } ?? []) + breakdownGroups(record.groups)
            for (dimension, value) in groups {
                let key = Key(day: day, value: value)
                if let file = owners[dimension]?[key], file != record.source { continue }
                owners[dimension, default: [:]][key] = record.source
                byDimension[dimension, default: [:]][key, default: 0] += record.amount
                if dimension == "SERVICE" && record.estimated { estimatedDays.insert(day) }
            }
        }
        let amounts = byDimension["SERVICE"] ?? [:]
        func total(_ amounts: [Key: Decimal], _ week: ISOWeek) -> [String: Decimal] {
            let days = week.mondayDays..<(week.mondayDays + 7)
            var byValue: [String: Decimal] = [:]
            for (key, amount) in amounts where days.contains(key.day) { byValue[key.value, default: 0] += amount }
            return byValue
        }
        func cutShort(_ week: ISOWeek) -> Bool {
            let days = week.mondayDays..<(week.mondayDays + 7)
            return daily.contains { record in
                incomplete.contains(record.source) && days.contains(Self.day(of: record.start))
            }
        }
        let (currentCut, previousCut) = (cutShort(week), cutShort(week.previous))
        func rows(_ amounts: [Key: Decimal]) -> [CostWeek.Service] {
            let current = total(amounts, week)
            let previous = total(amounts, week.previous)
            return Set(current.keys).union(previous.keys).map { name in
                CostWeek.Service(
                    name: name, current: current[name] ?? (currentCut ? nil : 0),
                    previous: previous.isEmpty ? nil : previous[name] ?? (previousCut ? nil : 0))
            }.sorted { ($0.current ?? -1, $1.name) > ($1.current ?? -1, $0.name) }
        }
        let current = total(amounts, week)
        guard !current.isEmpty else { return nil }
        let previous = total(amounts, week.previous)
        let breakdowns = byDimension.keys.filter { $0 != "SERVICE" }.sorted().compactMap {
            dimension -> CostWeek.Breakdown? in
            let found = rows(byDimension[dimension]!)
            return found.contains { ($0.current ?? 0) != 0 }
                ? CostWeek.Breakdown(dimension: dimension, rows: found) : nil
        }
        let weekDays = week.mondayDays..<(week.mondayDays + 7)
        let sunday = week.mondayDays + 6
        let (year, monthNumber, dayOfMonth) = Instant.civil(fromDays: sunday)
        let monthStart = sunday - (dayOfMonth - 1)
        let nextMonth =
            monthNumber == 12
            ? Instant.days(year: year + 1, month: 1, day: 1) : Instant.days(year: year, month: monthNumber + 1, day: 1)
        let monthToDate = amounts.filter { (monthStart...sunday).contains($0.key.day) }.values.reduce(0, +)
        return CostWeek(
            metric: metric, currency: currency, total: current.values.reduce(0, +),
            previousTotal: previous.isEmpty ? nil : previous.values.reduce(0, +),
            services: rows(amounts),
            days: Set(amounts.keys.map(\.day).filter(weekDays.contains)).count,
            estimated: estimatedDays.contains(where: weekDays.contains),
            month: String(format: "%04d-%02d", year, monthNumber), monthToDate: monthToDate,
            monthForecast: monthToDate / Decimal(dayOfMonth) * Decimal(nextMonth - monthStart),
            lambdaCostPerMillionInvocations: nil, costPerMillionSuccessfulInvocations: nil,
            monthlyBudget: rules.monthlyBudget,
            spikes: spikes(
                amounts.map { (day: $0.key.day, service: $0.key.value, amount: $0.value) }, week: week, rules: rules),
            moversByAmount: movers(rows(amounts), by: nil),
            moversByPercent: movers(rows(amounts), by: rules.spikeMinimum),
            breakdowns: breakdowns,
            daily: amounts.filter { $0.key.day <= sunday }.map {
                CostWeek.Day(day: $0.key.day, service: $0.key.value, amount: $0.value)
            }.sorted { ($0.day, $0.service) < ($1.day, $1.service) })
    }
}
