import Foundation

/// A UTC instant in whole seconds since 1970-01-01T00:00:00Z.
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var seconds: Int64
    public init(seconds: Int64) { self.seconds = seconds }
    public static func < (a: Instant, b: Instant) -> Bool { a.seconds < b.seconds }

    public var date: Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }

    /// The years Headroom reads a time or a week in: from the Unix epoch to 2199. The bound keeps
    /// every date range and loop finite; a time or week outside it is refused where it is read,
    /// as not a time.
    public static let years: ClosedRange<Int64> = 1970...2199
    /// "the years 1970 to 2199", for messages.
    public static let yearsText = "the years \(years.lowerBound) to \(years.upperBound)"
    /// 1970-01-01T00:00:00Z up to, not including, 2200-01-01T00:00:00Z.
    public static let readable: Range<Instant> =
        Instant(
            seconds: days(year: years.lowerBound, month: 1, day: 1) * 86_400)..<Instant(
            seconds: days(year: years.upperBound + 1, month: 1, day: 1) * 86_400)

    /// `2026-11-16T00:00:00Z`, computed without a date formatter.
    public var description: String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (y, m, d) = Instant.civil(fromDays: days)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, secondOfDay / 3600, secondOfDay / 60 % 60,
            secondOfDay % 60)
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The inverse of `days(year:month:day:)`.
    public static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

/// Day and time labels for pages and charts, in English, without a date formatter.
public enum DayLabel {
    public static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    public static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Tue 17 Nov` for days since 1970; `17 Nov` without the weekday, `17 Nov 2026` with the year.
    public static func day(_ civilDays: Int64, weekday: Bool = true, year: Bool = false) -> String {
        let (y, month, day) = Instant.civil(fromDays: civilDays)
        return (weekday ? weekdays[Int((civilDays % 7 + 7 + 3) % 7)] + " " : "") + "\(day) \(months[Int(month) - 1])"
            + (year ? " \(y)" : "")
    }

    /// `Tue 17 Nov 14:05` for seconds since 1970 on a zone's wall clock.
    public static func time(wallClock local: Int64) -> String {
        let civilDays = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let minutes = (local - civilDays * 86_400) / 60
        return day(civilDays) + " " + twoDigits(Int(minutes / 60)) + ":" + twoDigits(Int(minutes % 60))
    }

    /// `07`.
    public static func twoDigits(_ value: Int) -> String { (0..<10).contains(value) ? "0\(value)" : "\(value)" }
}

/// An ISO 8601 week such as `2026-W47`. Weeks start on Monday at midnight in the configured zone.
public struct ISOWeek: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var year: Int
    public var week: Int

    public init(year: Int, week: Int) {
        self.year = year
        self.week = week
    }

    /// Parses `2026-W47`; returns nil for anything else, for a week the year does not have, or for
    /// a year outside `Instant.years`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), parts[1].first == "W",
            parts[1].count == 3, let week = Int(parts[1].dropFirst()), week >= 1,
            Instant.years.contains(Int64(year)), week <= ISOWeek.weeks(inYear: year)
        else { return nil }
        self.init(year: year, week: week)
    }

    public static func < (a: ISOWeek, b: ISOWeek) -> Bool { (a.year, a.week) < (b.year, b.week) }

    /// The ISO week folder a file sits in, and that folder's path, if any:
    /// `snapshots/2026-W47/x.json` → (2026-W47, `snapshots/2026-W47`). The innermost such folder
    /// counts.
    public static func folder(of path: String) -> (week: ISOWeek, folder: String)? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        guard let index = parts.lastIndex(where: { ISOWeek(String($0)) != nil }),
            let week = ISOWeek(String(parts[index]))
        else { return nil }
        return (week, parts[...index].joined(separator: "/"))
    }

    public var description: String { String(format: "%04d-W%02d", year, week) }

    /// 52 or 53.
    public static func weeks(inYear year: Int) -> Int {
        // A year has 53 ISO weeks when 1 January is a Thursday, or a Wednesday in a leap year.
        let jan1 = Instant.days(year: Int64(year), month: 1, day: 1)
        let weekday = Int((jan1 % 7 + 7 + 3) % 7)  // 0 = Monday
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        return weekday == 3 || (weekday == 2 && leap) ? 53 : 52
    }

    /// The days-since-epoch of this week's Monday (a civil date, independent of any zone).
    public var mondayDays: Int64 {
        let jan4 = Instant.days(year: Int64(year), month: 1, day: 4)
        let weekday = (jan4 % 7 + 7 + 3) % 7  // 0 = Monday
        return jan4 - weekday + Int64(week - 1) * 7
    }

    public var next: ISOWeek { ISOWeek.containing(civilDays: mondayDays + 7) }
    public var previous: ISOWeek { ISOWeek.containing(civilDays: mondayDays - 7) }

    /// The ISO week of a civil date given as days since 1970-01-01.
    public static func containing(civilDays days: Int64) -> ISOWeek {
        let weekday = (days % 7 + 7 + 3) % 7
        let thursday = days - weekday + 3
        let (y, _, _) = Instant.civil(fromDays: thursday)
        let jan1 = Instant.days(year: y, month: 1, day: 1)
        return ISOWeek(year: Int(y), week: Int((thursday - jan1) / 7) + 1)
    }

    /// The week that contains `instant` in `zone`.
    public static func containing(_ instant: Instant, in zone: TimeZone) -> ISOWeek {
        let local = instant.seconds + Int64(zone.secondsFromGMT(for: instant.date))
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        return containing(civilDays: days)
    }

    /// The half-open interval [Monday 00:00, next Monday 00:00) in `zone`, as UTC instants.
    public func interval(in zone: TimeZone) -> Range<Instant> {
        Instant(localMidnight: mondayDays, in: zone)..<Instant(localMidnight: mondayDays + 7, in: zone)
    }
}

extension Instant {
    /// The instant of local midnight at the start of a civil day in `zone`.
    public init(localMidnight days: Int64, in zone: TimeZone) {
        let naive = days * 86_400
        // The offset at the naive instant can differ from the offset at the real one across a
        // transition; one correction step settles it for every real zone.
        var offset = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(naive))))
        let corrected = Int64(
            zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(naive - offset))))
        if corrected != offset { offset = corrected }
        self.init(seconds: naive - offset)
    }
}

/// Stored as the whole seconds.
extension Instant: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(seconds: try decoder.singleValueContainer().decode(Int64.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(seconds)
    }
}

/// Stored as `2026-W47`.
extension ISOWeek: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let week = ISOWeek(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO week: \(text)")
        }
        self = week
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
