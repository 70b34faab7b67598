import Foundation
import HeadroomModel

/// A linear value axis with "nice" ticks: steps of 1, 2 or 5 times a power of ten.
struct LinearScale {
    var lower: Double
    var upper: Double
    var step: Double
    var ticks: [Double]

    /// A domain covering `values` (finite ones only), widened to whole steps; zero is included
    /// when every value is on one side of it (`includeZero`), which is what bars and counts need.
    /// `minimumStep` keeps counts in whole steps (no 0.2 of an invocation). With a `unit`, the
    /// step is nice in the unit its tick labels print (`ValueUnit.axisScale`): hours step by 1, 2
    /// or 5 hours, never by 10,000 seconds printed as "2.8 h".
    init(
        _ values: [Double], includeZero: Bool = true, targetTicks: Int = 5, minimumStep: Double = 0,
        unit: ValueUnit? = nil
    ) {
        var low = values.min() ?? 0
        var high = values.max() ?? 1
        if includeZero {
            low = min(low, 0)
            high = max(high, 0)
        }
        if high - low <= max(abs(high), abs(low)) * 1e-12 || high == low {
            // A flat or empty series: a unit span around the value (or 0–1 for zeros).
            let pad = high == 0 ? 1 : abs(high) * 0.1
            low = includeZero && low >= 0 ? 0 : low - pad
            high += pad
        }
        // The labels' unit follows the largest tick, which may pass a unit's threshold that the
        // largest value does not: then the step is chosen again in that unit.
        var unitScale = unit?.axisScale(max(abs(low), abs(high))) ?? 1
        var (step, first, last) = (1.0, 0.0, 1.0)
        var ticks: [Double] = []
        for _ in 0..<2 {
            step = max(minimumStep, Self.niceStep((high - low) / Double(max(1, targetTicks)) / unitScale) * unitScale)
            first = (low / step).rounded(.down) * step
            last = (high / step).rounded(.up) * step
            ticks = []
            var index = 0.0
            while first + index * step <= last + step * 1e-9, ticks.count < 50 {
                let value = first + index * step
                ticks.append(abs(value) < step * 1e-9 ? 0 : value)
                index += 1
            }
            let labels = unit?.axisScale(ticks.map(abs).max() ?? 0) ?? 1
            if labels == unitScale { break }
            unitScale = labels
        }
        self.lower = first
        self.upper = max(last, first + step)
        self.step = step
        self.ticks = ticks
    }

    /// 1, 2 or 5 × 10ⁿ, the smallest at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        for factor in [1.0, 2, 5, 10] where factor * magnitude >= raw * (1 - 1e-9) { return factor * magnitude }
        return 10 * magnitude
    }

    /// The position of `value` between `from` (at lower) and `to` (at upper).
    func map(_ value: Double, _ from: Double, _ to: Double) -> Double {
        from + (value - lower) / (upper - lower) * (to - from)
    }
}

/// A time axis: ticks on whole local hours, days, ISO weeks or months in a time zone.
struct TimeScale {
    var start: Instant
    var end: Instant
    var ticks: [(time: Instant, label: String)]
    /// Monday 00:00 local inside the span, for week-boundary lines.
    var weekStarts: [(time: Instant, week: ISOWeek)]

    init(start: Instant, end: Instant, zone: TimeZone, targetTicks: Int = 7) {
        self.start = start
        self.end = max(end, Instant(seconds: start.seconds + 1))
        let span = Double(self.end.seconds - start.seconds)
        let hour = 3600.0
        let day = 86_400.0
        let localStart = Self.local(start, zone)
        let localEnd = Self.local(self.end, zone)
        let firstDay = Self.floorDiv(localStart, 86_400)
        let lastDay = Self.floorDiv(localEnd, 86_400)
        var ticks: [(Instant, String)] = []
        let hourSteps: [Int64] = [1, 2, 3, 6, 12]
        if let hours = hourSteps.first(where: { span / (Double($0) * hour) <= Double(targetTicks) }) {
            // Hours, with the day named at midnight.
            for civilDay in firstDay...lastDay {
                for h in stride(from: Int64(0), to: 24, by: Int(hours)) {
                    let instant = Self.instant(local: civilDay * 86_400 + h * 3600, zone)
                    guard instant >= start, instant < self.end else { continue }
                    ticks.append((instant, h == 0 ? DayLabel.day(civilDay) : DayLabel.twoDigits(Int(h)) + ":00"))
                }
            }
        } else if span / day <= Double(targetTicks) * 2 {
            let every: Int64 = span / day <= Double(targetTicks) ? 1 : 2
            for civilDay in firstDay...lastDay where (civilDay - firstDay) % every == 0 {
                let instant = Self.instant(local: civilDay * 86_400, zone)
                guard instant >= start, instant < self.end else { continue }
                ticks.append((instant, DayLabel.day(civilDay)))
            }
        } else if span / (7 * day) <= Double(targetTicks) * 3 {
            let weeks = Int64((span / (7 * day) / Double(targetTicks)).rounded(.up))
            var monday = firstDay - ((firstDay % 7 + 7 + 3) % 7)
            var count: Int64 = 0
            while monday <= lastDay {
                let instant = Self.instant(local: monday * 86_400, zone)
                if instant >= start, instant < self.end, count % max(1, weeks) == 0 {
                    let week = ISOWeek.containing(civilDays: monday)
                    ticks.append(
                        (instant, "W\(DayLabel.twoDigits(week.week)) · " + DayLabel.day(monday, weekday: false)))
                }
                monday += 7
                count += 1
            }
        } else {
            var (year, month, _) = Instant.civil(fromDays: firstDay)
            let months = Int64((span / (30.44 * day) / Double(targetTicks)).rounded(.up))
            var count: Int64 = 0
            while true {
                let days = Instant.days(year: year, month: month, day: 1)
                if days > lastDay { break }
                let instant = Self.instant(local: days * 86_400, zone)
                if instant >= start, count % max(1, months) == 0 {
                    ticks.append((instant, "\(DayLabel.months[Int(month) - 1]) \(year)"))
                }
                count += 1
                month += 1
                if month > 12 {
                    month = 1
                    year += 1
                }
            }
        }
        self.ticks = ticks
        var weekStarts: [(Instant, ISOWeek)] = []
        if span <= 200 * day {
            var monday = firstDay - ((firstDay % 7 + 7 + 3) % 7)
            while monday <= lastDay {
                let instant = Self.instant(local: monday * 86_400, zone)
                if instant > start, instant < self.end {
                    weekStarts.append((instant, ISOWeek.containing(civilDays: monday)))
                }
                monday += 7
            }
        }
        self.weekStarts = weekStarts
    }

    func map(_ time: Instant, _ from: Double, _ to: Double) -> Double {
        from + Double(time.seconds - start.seconds) / Double(end.seconds - start.seconds) * (to - from)
    }

    /// `Tue 17 Nov 14:00` in the zone, for tooltips and tables.
    static func label(_ time: Instant, zone: TimeZone) -> String {
        DayLabel.time(wallClock: local(time, zone))
    }

    /// Seconds since 1970 on the zone's wall clock.
    static func local(_ time: Instant, _ zone: TimeZone) -> Int64 {
        time.seconds + Int64(ZoneOffsets.shared.offset(zone, at: time.seconds))
    }

    /// The instant at which the zone's wall clock shows `local` (the later offset across a change).
    static func instant(local: Int64, _ zone: TimeZone) -> Instant {
        let guess = local - Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local))))
        return Instant(
            seconds: local - Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(guess)))))
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : (a - b + 1) / b }
}

/// A zone's offset from UTC per quarter hour, looked up once: `TimeZone.secondsFromGMT` costs
/// microseconds, and charts ask for every point and every tooltip. Offsets change only on
/// quarter-hour boundaries in every zone in use today.
final class ZoneOffsets: @unchecked Sendable {
    static let shared = ZoneOffsets()
    private let lock = NSLock()
    private var cache: [String: [Int64: Int]] = [:]

    func offset(_ zone: TimeZone, at seconds: Int64) -> Int {
        let key = TimeScale.floorDiv(seconds, 900)
        lock.lock()
        defer { lock.unlock() }
        if let hit = cache[zone.identifier]?[key] { return hit }
        let value = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(key * 900)))
        cache[zone.identifier, default: [:]][key] = value
        return value
    }
}

/// A zone's wall clock for many instants in a row (the points of a chart): `ZoneOffsets` is asked
/// again only when an instant leaves the quarter hours that share the last answer's offset, up to
/// the zone's next transition. It gives what `TimeScale.local` gives, without a lock and a
/// dictionary lookup per point.
struct LocalClock {
    let zone: TimeZone
    private var span: Range<Int64> = 0..<0
    private var offset: Int64 = 0

    init(_ zone: TimeZone) { self.zone = zone }

    mutating func local(_ time: Instant) -> Int64 {
        let seconds = time.seconds
        if !span.contains(seconds) {
            offset = Int64(ZoneOffsets.shared.offset(zone, at: seconds))
            let start = TimeScale.floorDiv(seconds, 900) * 900
            // The quarter hours whose start is before the next transition share this offset.
            var end = Int64.max
            let from = Date(timeIntervalSince1970: TimeInterval(start))
            if let next = zone.nextDaylightSavingTimeTransition(after: from) {
                let transition = Int64(min(max(next.timeIntervalSince1970.rounded(.up), -1e15), 1e15))
                end = (TimeScale.floorDiv(transition - 1, 900) + 1) * 900
            }
            span = start..<max(end, start + 900)
        }
        return seconds + offset
    }
}
