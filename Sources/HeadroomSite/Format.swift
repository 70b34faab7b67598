import Foundation
import HeadroomModel

/// Number formatting for pages and the command line: fixed, locale-independent, so output is the
/// same everywhere.
public enum Format {
    static let missing = "—"

    /// `12,345,678`; fractions rounded to whole numbers.
    static func count(_ value: Double?) -> String {
        guard let value, value.isFinite else { return missing }
        return grouped(Int64(value.rounded()))
    }

    /// `12,345,678`, with a true minus sign.
    public static func grouped(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return value < 0 ? "−" + result : result
    }

    /// `0.42%`, `<0.01%` for tiny non-zero rates, `0%` for zero.
    static func percent(_ value: Double?) -> String {
        guard let value, value.isFinite else { return missing }
        if value == 0 { return "0%" }
        if abs(value) < 0.01 { return value > 0 ? "<0.01%" : "−<0.01%" }
        let text = String(format: "%.2f%%", abs(value))
        return value < 0 ? "−" + text : text
    }

    /// A signed change: `+12.3%`, `−4.0%`.
    static func change(from old: Double?, to new: Double?) -> String? {
        guard let old, let new, old != 0, old.isFinite, new.isFinite else { return nil }
        let change = (new - old) / old * 100
        return (change >= 0 ? "+" : "−") + String(format: "%.1f%%", abs(change))
    }

    /// A change of a percentage, in percentage points: `+0.12 pp`; a change too small for two
    /// decimals gets three (`+0.004 pp`), so that it does not read as zero.
    static func pointChange(from old: Double?, to new: Double?) -> String? {
        guard let old, let new, old.isFinite, new.isFinite else { return nil }
        let change = new - old
        let decimals = abs(change) < 0.005 && change != 0 ? 3 : 2
        return (change >= 0 ? "+" : "−") + String(format: "%.\(decimals)f pp", abs(change))
    }

    /// Money rounded to cents (half away from zero) from an exact Decimal: `1,234.57 USD`,
    /// `−0.42 USD`; never through floating point.
    static func money(_ value: Decimal?, _ currency: String) -> String {
        guard var value else { return missing }
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 2, .plain)
        let negative = rounded < 0
        let text = "\(negative ? -rounded : rounded)"
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let whole = Int64(parts[0]) ?? 0
        var cents = parts.count > 1 ? String(parts[1]) : "00"
        while cents.count < 2 { cents += "0" }
        return (negative ? "−" : "") + grouped(whole) + "." + cents + " " + currency
    }

    /// A signed money change: `+12.30 USD`.
    static func moneyChange(from old: Decimal?, to new: Decimal?, _ currency: String) -> String {
        guard let old, let new else { return missing }
        let change = new - old
        return (change >= 0 ? "+" : "") + money(change, currency)
    }

    /// The relative change of two Decimals, as a percentage with one decimal.
    static func change(from old: Decimal?, to new: Decimal?) -> String? {
        guard let old, let new, old != 0 else { return nil }
        return change(from: NSDecimalNumber(decimal: old).doubleValue, to: NSDecimalNumber(decimal: new).doubleValue)
    }

    /// `Wed 4 Nov 14:00` in `zone`.
    static func localTime(_ instant: Instant, zone: TimeZone) -> String {
        DayLabel.time(wallClock: instant.seconds + Int64(zone.secondsFromGMT(for: instant.date)))
    }

    /// Milliseconds: `850 ms`, `12.5 ms`, `5.61 s`.
    static func duration(milliseconds value: Double?) -> String {
        guard let value, value.isFinite else { return missing }
        if value >= 1000 { return String(format: "%.2f s", value / 1000) }
        if value >= 100 { return String(format: "%.0f ms", value) }
        return String(format: "%.1f ms", value)
    }

    /// A value in a catalog unit: counts grouped, durations in ms/s/min/h, bytes in KB/MB/GB (1,024),
    /// percentages; anything else with at most three decimals.
    static func measure(_ value: Double?, unit: String) -> String {
        guard let value, value.isFinite else { return missing }
        switch unit {
        case "Count": return count(value)
        case "Milliseconds": return duration(milliseconds: value)
        case "Seconds":
            if value >= 3600 { return String(format: "%.1f h", value / 3600) }
            if value >= 60 { return String(format: "%.1f min", value / 60) }
            return String(format: "%.0f s", value)
        case "Bytes":
            var scaled = value
            for unit in ["bytes", "KB", "MB", "GB"] {
                if abs(scaled) < 1024 || unit == "GB" {
                    return unit == "bytes" ? count(scaled) + " bytes" : String(format: "%.1f %@", scaled, unit)
                }
                scaled /= 1024
            }
            return count(value)
        case "Percent": return percent(value)
        default: return String(format: "%.3f", value)
        }
    }
}
