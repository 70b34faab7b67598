import Foundation

/// What a chart's values measure, for axis labels, tooltips and tables.
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

    /// A value exactly enough for a tooltip or a table: `12,345`, `850 ms`, `5.61 s`, `1.5 MB`,
    /// `0.42%`, `12.34 USD`, `2.35×`.
    public func format(_ value: Double) -> String {
        guard value.isFinite else { return "—" }
        switch self {
        case .count:
            return value == value.rounded() || abs(value) >= 100
                ? Self.grouped(value.rounded()) : Self.fixed(value, abs(value) >= 10 ? 1 : 2)
        case .milliseconds:
            if abs(value) >= 60_000 { return Self.fixed(value / 60_000, 1) + " min" }
            if abs(value) >= 1000 { return Self.fixed(value / 1000, 2) + " s" }
            return Self.fixed(value, abs(value) >= 100 ? 0 : 1) + " ms"
        case .seconds:
            if abs(value) >= 86_400 { return Self.fixed(value / 86_400, 1) + " d" }
            if abs(value) >= 3600 { return Self.fixed(value / 3600, 1) + " h" }
            if abs(value) >= 60 { return Self.fixed(value / 60, 1) + " min" }
            return Self.fixed(value, abs(value) >= 10 ? 0 : 1) + " s"
        case .bytes:
            let (scale, name) = Self.byteScale(abs(value))
            return scale == 1 ? Self.grouped(value.rounded()) + " bytes" : Self.fixed(value / scale, 1) + " " + name
        case .percent:
            if value != 0 && abs(value) < 0.01 { return (value < 0 ? "−" : "") + "<0.01%" }
            return Self.fixed(value, abs(value) >= 100 ? 1 : 2) + "%"
        case .currency(let code):
            return Self.grouped(value, decimals: 2) + " " + code
        case .ratio:
            return Self.fixed(value, abs(value) >= 100 ? 0 : 2) + "×"
        }
    }

    /// Axis tick labels for ticks `step` apart: as short as the step allows, one unit for all
    /// ticks (`0`, `500 ms`, `1 s` becomes `0 s`, `0.5 s`, `1 s`), counts as `1.5k` and `2M`.
    public func ticks(_ values: [Double], step: Double) -> [String] {
        let largest = values.map(abs).max() ?? 0
        func decimals(_ scaledStep: Double) -> Int {
            guard scaledStep > 0, scaledStep.isFinite else { return 0 }
            return max(0, min(6, Int((-log10(scaledStep)).rounded(.up) + 0.0001)))
        }
        func labels(_ scale: Double, _ suffix: String) -> [String] {
            let places = decimals(step / scale)
            return values.map { $0 == 0 ? "0" : Self.fixed($0 / scale, places, group: true) + suffix }
        }
        switch self {
        case .count:
            if largest >= 1_000_000_000 { return labels(1e9, "G") }
            if largest >= 1_000_000 { return labels(1e6, "M") }
            if largest >= 10_000 { return labels(1e3, "k") }
            return labels(1, "")
        case .milliseconds:
            let scale = axisScale(largest)
            return labels(scale, scale == 60_000 ? " min" : scale == 1000 ? " s" : " ms")
        case .seconds:
            let scale = axisScale(largest)
            return labels(scale, scale == 86_400 ? " d" : scale == 3600 ? " h" : scale == 60 ? " min" : " s")
        case .bytes:
            let (scale, name) = Self.byteScale(largest)
            return labels(scale, scale == 1 ? " B" : " " + name)
        case .percent: return labels(1, "%")
        case .currency:
            if largest >= 1_000_000 { return labels(1e6, "M") }
            if largest >= 10_000 { return labels(1e3, "k") }
            return labels(1, "")
        case .ratio: return labels(1, "×")
        }
    }

    /// What the tick labels of an axis up to `largest` count in, as a multiple of the values'
    /// unit: minutes, hours or days of seconds from two of them (an axis to 60 s reads 0, 20 s,
    /// 40 s, 60 s), KB or MB of bytes. `LinearScale` chooses its step
    /// in it, so that the labels of evenly spaced ticks are even. 1 where the labels scale by
    /// powers of ten (k, M), which keeps a nice step nice.
    func axisScale(_ largest: Double) -> Double {
        switch self {
        case .milliseconds: largest >= 120_000 ? 60_000 : largest >= 1000 ? 1000 : 1
        case .seconds: largest >= 172_800 ? 86_400 : largest >= 7200 ? 3600 : largest >= 120 ? 60 : 1
        case .bytes: Self.byteScale(largest).0
        case .count, .percent, .currency, .ratio: 1
        }
    }

    /// The smallest tick step that makes sense: a whole count.
    var minimumStep: Double { self == .count ? 1 : 0 }

    /// The unit named in an axis title: "USD" for money, nil when the tick labels carry it.
    public var axisName: String? {
        if case .currency(let code) = self { return code }
        return nil
    }

    private static func byteScale(_ value: Double) -> (Double, String) {
        if value >= 1_073_741_824 { return (1_073_741_824, "GB") }
        if value >= 1_048_576 { return (1_048_576, "MB") }
        if value >= 1024 { return (1024, "KB") }
        return (1, "bytes")
    }

    /// `1234.5` with `places` decimals, a real minus sign, optionally grouped: `1,234.5`.
    static func fixed(_ value: Double, _ places: Int, group: Bool = false) -> String {
        let text = decimal(abs(value), places)
        let negative = value < 0 && text.contains(where: { $0 != "0" && $0 != "." })
        guard group else { return (negative ? "−" : "") + text }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return (negative ? "−" : "") + groupDigits(String(parts[0])) + (parts.count > 1 ? "." + parts[1] : "")
    }

    /// `%.Nf` of a non-negative value, computed with integers when that is exact and no tie is
    /// near (String(format:) costs microseconds, and charts format thousands of values).
    static func decimal(_ value: Double, _ places: Int) -> String {
        let scale = [1.0, 10, 100, 1000, 10_000, 100_000, 1_000_000][min(places, 6)]
        let scaled = value * scale
        let fraction = scaled - scaled.rounded(.down)
        guard places <= 6, scaled < 1e15, abs(fraction - 0.5) > 1e-6 else {
            return String(format: "%.\(places)f", value)
        }
        let digits = String(Int64(scaled.rounded()))
        guard places > 0 else { return digits }
        let padded = String(repeating: "0", count: max(0, places + 1 - digits.count)) + digits
        return padded.dropLast(places) + "." + padded.suffix(places)
    }

    static func grouped(_ value: Double, decimals: Int = 0) -> String { fixed(value, decimals, group: true) }

    private static func groupDigits(_ digits: String) -> String {
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return result
    }
}
