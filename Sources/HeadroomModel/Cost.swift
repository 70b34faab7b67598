import Foundation

/// One amount of cost or usage for a period, from Cost Explorer or a cost export.
/// Amounts are `Decimal`, parsed from the exact text the tool wrote; never floating point.
public struct CostRecord: Codable, Sendable, Equatable {
    /// The half-open period [start, end).
    public var start: Instant
    public var end: Instant
    /// `UnblendedCost`, `AmortizedCost`, `UsageQuantity`, `EffectiveCost`, `BilledCost`, …
    public var metric: String
    public var amount: Decimal
    /// `USD`, or a usage unit such as `Hrs` or `N/A`.
    public var unit: String
    /// What the amount is grouped by, e.g. `["SERVICE": "AWS Lambda", "TAG:team": "checkout"]`.
    /// An untagged TAG group has the value "" (Cost Explorer writes `team$`).
    public var groups: [String: String]
    /// Cost Explorer marks periods that are not final yet.
    public var estimated: Bool
    public var source: String

    public init(
        start: Instant, end: Instant, metric: String, amount: Decimal, unit: String, groups: [String: String] = [:],
        estimated: Bool = false, source: String
    ) {
        self.start = start
        self.end = end
        self.metric = metric
        self.amount = amount
        self.unit = unit
        self.groups = groups
        self.estimated = estimated
        self.source = source
    }
}

extension Decimal {
    /// Parses a plain decimal number (`-12.3400`, `1E-7`) exactly, independent of the locale.
    /// nil when it is not a number, or when `Decimal` cannot hold it exactly (more than 38
    /// significant digits, or an exponent out of range).
    public init?(exactly text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let mantissa = trimmed.prefix { $0 != "e" && $0 != "E" }
        let significant = mantissa.filter(\.isNumber).drop { $0 == "0" }
        guard !trimmed.isEmpty, significant.count <= 38,
            trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
            let value = Decimal(string: trimmed, locale: Locale(identifier: "en_US_POSIX")),
            !value.isNaN,
            abs(Double(truncating: value as NSNumber)).isFinite
        else { return nil }
        self = value
    }
}
