import Foundation

/// What a figure measures, so that every page, chart, finding and digest prints it the same way.
public enum ValueUnit: Sendable, Equatable {
    case count
    case milliseconds
    case seconds
    case bytes
    /// Values already in percent (42 means 42 %).
    case percent
    /// An amount of money in a currency code, e.g. `USD`.
    case currency(String)
    /// A multiple, e.g. a burn rate: `2.5×`.
    case ratio
    /// A number with no unit that is known: at most three decimals.
    case plain

    /// The unit of a CloudWatch or catalog unit name: `Count`, `Milliseconds`, `Seconds`, `Bytes`,
    /// `Percent`; anything else is `plain`.
    public init(catalog unit: String?) {
        switch unit {
        case "Count": self = .count
        case "Milliseconds": self = .milliseconds
        case "Seconds": self = .seconds
        case "Bytes": self = .bytes
        case "Percent": self = .percent
        default: self = .plain
        }
    }

    /// A value exactly enough for a tooltip, a table or a sentence: `12,345`, `850 ms`, `5.61 s`,
    /// `8.9 h`, `1.5 MB`, `0.42%`, `12.34 USD`, `2.35×`, `6×`; `—` for a value that is not a number.
    public func format(_ value: Double) -> String {
        guard value.isFinite else { return Format.missing }
        switch self {
        case .count:
            return value == value.rounded() || abs(value) >= 100
                ? Format.fixed(value.rounded(), 0, group: true) : Format.fixed(value, abs(value) >= 10 ? 1 : 2)
        case .milliseconds:
            if abs(value) >= 60_000 { return Format.fixed(value / 60_000, 1, group: true) + " min" }
            if abs(value) >= 1000 { return Format.fixed(value / 1000, 2) + " s" }
            return Format.fixed(value, abs(value) >= 100 ? 0 : 1) + " ms"
        case .seconds:
            if abs(value) >= 86_400 { return Format.fixed(value / 86_400, 1, group: true) + " d" }
            if abs(value) >= 3600 { return Format.fixed(value / 3600, 1) + " h" }
            if abs(value) >= 60 { return Format.fixed(value / 60, 1) + " min" }
            return Format.fixed(value, abs(value) >= 10 ? 0 : 1) + " s"
        case .bytes:
            let (scale, name) = Self.byteScale(abs(value))
            return scale == 1
                ? Format.fixed(value.rounded(), 0, group: true) + " bytes" : Format.fixed(value / scale, 1) + " " + name
        case .percent:
            if value != 0 && abs(value) < 0.01 { return (value < 0 ? "−" : "") + "<0.01%" }
            return Format.fixed(value, abs(value) >= 100 ? 1 : 2, group: true) + "%"
        case .currency(let code):
            return Format.fixed(value, 2, group: true) + " " + code
        case .ratio:
            return Self.trimmed(Format.fixed(value, abs(value) >= 100 ? 0 : 2, group: true)) + "×"
        case .plain:
            return Self.trimmed(Format.fixed(value, abs(value) >= 1000 ? 0 : 3, group: true))
        }
    }

    /// `2.50` as `2.5`, `6.00` as `6`.
    private static func trimmed(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var text = text
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "−0" ? "0" : text
    }

    /// 1,024-based byte scales: the scale and its name for a value.
    public static func byteScale(_ value: Double) -> (Double, String) {
        if value >= 1_073_741_824 { return (1_073_741_824, "GB") }
        if value >= 1_048_576 { return (1_048_576, "MB") }
        if value >= 1024 { return (1024, "KB") }
        return (1, "bytes")
    }
}

/// The one number formatter: fixed, locale-independent, with a true minus sign, so output is the
/// same everywhere. `ValueUnit.format` prints a measured value; these print counts, shares, changes
/// and money. Money is printed from its Decimal, never through floating point.
public enum Format {
    /// What a page shows for a figure that is not known.
    public static let missing = "—"

    /// `12,345,678`; fractions rounded to whole numbers.
    public static func count(_ value: Double?) -> String {
        guard let value, value.isFinite else { return missing }
        return fixed(value.rounded(), 0, group: true)
    }

    /// `12,345,678`, with a true minus sign.
    public static func grouped(_ value: Int64) -> String {
        (value < 0 ? "−" : "") + groupDigits(String(value.magnitude))
    }

    /// `0.42%`, `<0.01%` for tiny non-zero rates, `0%` for zero.
    public static func percent(_ value: Double?) -> String {
        guard let value, value.isFinite else { return missing }
        if value == 0 { return "0%" }
        return ValueUnit.percent.format(value)
    }

    /// A signed relative change: `+12.3%`, `−4.0%`; nil without a base to compare with.
    public static func change(from old: Double?, to new: Double?) -> String? {
        guard let old, let new, old != 0, old.isFinite, new.isFinite else { return nil }
        return signedPercent((new - old) / abs(old) * 100)
    }

    /// The relative change of two Decimals, as a percentage with one decimal.
    public static func change(from old: Decimal?, to new: Decimal?) -> String? {
        guard let old, let new, old != 0 else { return nil }
        return signedPercent(NSDecimalNumber(decimal: (new - old) / abs(old) * 100).doubleValue)
    }

    /// A signed percentage with one decimal: `+12.3%`, `−4.0%`, `+28,472.2%`; `±0.0%` never
    /// carries a sign it does not have (`0.0%`).
    public static func signedPercent(_ value: Double) -> String {
        let text = fixed(abs(value), 1, group: true)
        return (text == "0.0" ? "" : value < 0 ? "−" : "+") + text + "%"
    }

    /// A change of a percentage, in percentage points: `+0.12 pp`; a change too small for two
    /// decimals gets three (`+0.004 pp`), so that it does not read as zero; no change is `0 pp`.
    public static func pointChange(from old: Double?, to new: Double?) -> String? {
        guard let old, let new, old.isFinite, new.isFinite else { return nil }
        let change = new - old
        let text = fixed(abs(change), abs(change) < 0.005 ? 3 : 2)
        if text == "0.000" { return "0 pp" }
        return (change < 0 ? "−" : "+") + text + " pp"
    }

    /// Money rounded to cents (half away from zero) from an exact Decimal: `1,234.57 USD`,
    /// `−0.42 USD`; never through floating point.
    public static func money(_ value: Decimal?, _ currency: String) -> String {
        guard var value else { return missing }
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 2, .plain)
        let negative = rounded < 0
        let parts = "\(negative ? -rounded : rounded)".split(separator: ".", omittingEmptySubsequences: false)
        var cents = parts.count > 1 ? String(parts[1]) : "00"
        while cents.count < 2 { cents += "0" }
        return (negative ? "−" : "") + groupDigits(String(parts[0])) + "." + cents + " " + currency
    }

    /// A signed money change: `+12.30 USD`, `−4.00 USD`.
    public static func moneyChange(from old: Decimal?, to new: Decimal?, _ currency: String) -> String {
        guard let old, let new else { return missing }
        let change = new - old
        return (change >= 0 ? "+" : "") + money(change, currency)
    }

    /// Milliseconds: `850 ms`, `12.5 ms`, `5.61 s`, `15.0 min`.
    public static func duration(milliseconds value: Double?) -> String {
        value.map(ValueUnit.milliseconds.format) ?? missing
    }

    /// `Wed 4 Nov 14:00` in `zone`.
    public static func localTime(_ instant: Instant, zone: TimeZone) -> String {
        DayLabel.time(wallClock: instant.seconds + Int64(zone.secondsFromGMT(for: instant.date)))
    }

    /// A value in a catalog unit (`Count`, `Milliseconds`, `Seconds`, `Bytes`, `Percent`, or
    /// another name, printed plain).
    public static func measure(_ value: Double?, unit: String?) -> String {
        value.map(ValueUnit(catalog: unit).format) ?? missing
    }

    /// `1234.5` with `places` decimals, a real minus sign, optionally grouped: `1,234.5`; no minus
    /// sign on a value that rounds to zero.
    public static func fixed(_ value: Double, _ places: Int, group: Bool = false) -> String {
        let text = decimal(abs(value), places)
        let negative = value < 0 && text.utf8.contains(where: { $0 != UInt8(ascii: "0") && $0 != UInt8(ascii: ".") })
        guard group else { return negative ? "−" + text : text }
        return (negative ? "−" : "") + groupDigits(text)
    }

    /// `%.Nf` of a non-negative value, computed with integers when that is exact and no tie is
    /// near (String(format:) costs microseconds, and charts format thousands of values). The
    /// digits are written into a small buffer, with no string built on the way.
    static func decimal(_ value: Double, _ places: Int) -> String {
        let scale = [1.0, 10, 100, 1000, 10_000, 100_000, 1_000_000][min(max(places, 0), 6)]
        let scaled = value * scale
        let fraction = scaled - scaled.rounded(.down)
        guard places <= 6, scaled < 1e15, abs(fraction - 0.5) > 1e-6 else {
            return String(format: "%.\(places)f", value)
        }
        var rest = UInt64(scaled.rounded())
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            // From the last digit backwards: at least one digit before the point.
            var at = buffer.count
            var written = 0
            repeat {
                at -= 1
                buffer[at] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                written += 1
                if written == places {
                    at -= 1
                    buffer[at] = UInt8(ascii: ".")
                }
            } while rest > 0 || written <= places
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[at...]), as: UTF8.self)
        }
    }

    /// `1234567.5` as `1,234,567.5`: commas in the digits before the point.
    private static func groupDigits(_ text: String) -> String {
        let bytes = Array(text.utf8)
        let whole = bytes.firstIndex(of: UInt8(ascii: ".")) ?? bytes.count
        guard whole > 3 else { return text }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + whole / 3)
        for (index, byte) in bytes.enumerated() {
            if index > 0, index < whole, (whole - index) % 3 == 0 { result.append(UInt8(ascii: ",")) }
            result.append(byte)
        }
        return String(decoding: result, as: UTF8.self)
    }
}
