import Foundation
import HeadroomModel

/// How a chart's axis labels a unit: the ticks, the scale they count in, the axis title.
extension ValueUnit {
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
            return values.map { $0 == 0 ? "0" : Format.fixed($0 / scale, places, group: true) + suffix }
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
            let (scale, name) = ValueUnit.byteScale(largest)
            return labels(scale, scale == 1 ? " B" : " " + name)
        case .percent: return labels(1, "%")
        case .currency:
            if largest >= 1_000_000 { return labels(1e6, "M") }
            if largest >= 10_000 { return labels(1e3, "k") }
            return labels(1, "")
        case .ratio: return labels(1, "×")
        case .plain: return labels(1, "")
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
        case .bytes: ValueUnit.byteScale(largest).0
        case .count, .percent, .currency, .ratio, .plain: 1
        }
    }

    /// The smallest tick step that makes sense: a whole count.
    var minimumStep: Double { self == .count ? 1 : 0 }

    /// The unit named in an axis title: "USD" for money, nil when the tick labels carry it.
    public var axisName: String? {
        if case .currency(let code) = self { return code }
        return nil
    }
}
