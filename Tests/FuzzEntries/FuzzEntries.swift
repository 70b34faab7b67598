import Foundation
import HeadroomCharts
import HeadroomIngest
import HeadroomMarkdown
import HeadroomModel
import HeadroomStore

/// What each fuzz target does with one input, shared by the libFuzzer targets in `FuzzTesting/`
/// and by `FuzzCorpusTests`, which replays every input that once crashed
/// (`Tests/Fixtures/fuzz/<entry>/`). An input passes when the call returns: a result or a
/// `HeadroomError`/`MarkdownError` are both fine; a trap, a crash or a hang is a finding.
public enum FuzzEntry: String, CaseIterable, Sendable {
    /// The JSON parser, then every JSON adapter through format detection and, by the first byte,
    /// one forced format.
    case json
    /// headroom.yml, rules, the price table and OpenSLO, chosen by the first byte.
    case yaml
    /// FOCUS and CUR 2.0 cost exports, plain and as `.csv.gz` (the bytes taken as gzip).
    case csv
    /// Lambda log lines and Prometheus text, chosen by the first byte.
    case text
    /// Front matter, the Markdown limits and cmark-gfm.
    case markdown
    /// The HTML/SVG escaper and every chart kind, fed numbers and labels from the bytes.
    case charts
    /// The store's reader of fragments (the bytes kept for one file); what it reads is written
    /// and read again.
    case store

    public func run(_ data: Data) {
        switch self {
        case .json:
            _ = try? JSONParser.parse(data)
            let formats: [SourceFormat?] = [nil] + SourceFormat.allCases
            let forced = data.first.map { formats[Int($0) % formats.count] } ?? nil
            read(Data(data.dropFirst()), as: "input.json", forced: forced)
            read(data, as: "input.json", forced: nil)
        case .yaml:
            let text = String(decoding: data.dropFirst(), as: UTF8.self)
            switch (data.first ?? 0) % 4 {
            case 0: _ = try? ConfigurationLoader.parse(Data(data.dropFirst()), file: "headroom.yml")
            case 1: _ = try? RuleLoader.parse(text, file: "checks/rules.yml")
            case 2: _ = try? PriceTableLoader.parse(text, file: "prices.yml")
            default: read(Data(data.dropFirst()), as: "slos/input.yaml", forced: nil)
            }
        case .csv:
            read(data, as: "costs.csv", forced: nil)
            read(data, as: "costs.csv", forced: (data.first ?? 0) % 2 == 0 ? .focusCSV : .cur2CSV)
            read(data, as: "costs.csv.gz", forced: nil)
        case .text:
            let name = (data.first ?? 0) % 2 == 0 ? "function.log" : "metrics.prom"
            read(Data(data.dropFirst()), as: name, forced: nil)
        case .markdown:
            let text = String(decoding: data, as: UTF8.self)
            if let document = try? MarkdownDocument(parsing: text) {
                _ = try? Markdown.html(document.body, headingOffset: Int(data.first ?? 0) % 8)
            }
            _ = Markdown.escape(text)
        case .charts:
            charts(data)
        case .store:
            guard let dataset = try? Fragment.decode(data), let again = try? Fragment.encode(dataset) else { return }
            _ = try? Fragment.decode(again)
        }
    }

    private func read(_ data: Data, as name: String, forced: SourceFormat?) {
        let input = Sources.Input(
            path: "/fuzz/" + name, display: name, root: "/fuzz", source: .init(path: ".", format: forced))
        _ = try? Sources.read(input, data: data, policy: .fail)
    }

    /// Numbers as raw doubles (NaN, infinities, subnormals, ±2^1023 included), labels as text.
    private func charts(_ data: Data) {
        var bytes = Array(data)
        func number() -> Double {
            guard bytes.count >= 8 else { return bytes.popLast().map { Double($0) } ?? 0 }
            let bits = bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            bytes.removeFirst(8)
            return Double(bitPattern: bits)
        }
        func label() -> String {
            let length = Int(bytes.popLast() ?? 0) % 24
            let text = String(decoding: bytes.suffix(length), as: UTF8.self)
            bytes.removeLast(min(length, bytes.count))
            return text
        }
        let start = Instant(seconds: 1_795_000_000)
        var points: [Point] = []
        var values: [Double] = []
        while bytes.count >= 10, points.count < 400 {
            let step = Int64(bytes.removeFirst()) * 60 + 60
            let value = number()
            points.append(
                Point(time: Instant(seconds: (points.last?.time.seconds ?? start.seconds) + step), value: value))
            values.append(value)
        }
        let end = Instant(seconds: (points.last?.time.seconds ?? start.seconds) + 3_600)
        let title = label()
        let units: [ValueUnit] = [.count, .milliseconds, .seconds, .bytes, .percent, .currency("USD"), .ratio, .plain]
        let unit = units[Int(data.first ?? 0) % units.count]
        let options = ChartOptions(
            id: "fuzz", title: title, unit: unit, span: start..<end,
            thresholds: [Threshold(number(), label())], markers: [Marker(start, end: end, label())])
        let series = [Series(label(), points), Series(label(), points.reversed(), style: .dashed)]
        _ = SVG.escape(title)
        _ = Charts.line(series, options)
        _ = Charts.line(series, options, area: true)
        _ = Charts.stackedArea(series, options)
        _ = Charts.percentileBands(series, options)
        _ = Charts.burnRate(series[0], bands: [Band(from: number(), to: number(), label(), level: .warning)], options)
        _ = Charts.quotaTrend(usage: points, limit: number(), projectedExhaustion: end, options)
        _ = Charts.burnDown(
            remaining: points, period: nil, window: start..<end, now: points.last?.time ?? end, burnRate: number(),
            options)
        _ = Charts.sparkline(series[0], id: "s", title: title, unit: unit, zone: options.zone)
        let categories = values.prefix(20).map { _ in label() }
        _ = Charts.bars(categories: categories, [BarSeries(title, values.prefix(20).map { $0 })], options)
        _ = Charts.bars(
            categories: categories, [BarSeries(title, values.prefix(20).map { $0 })], options, stacked: true)
        _ = Charts.diverging(zip(categories, values).map { (label: $0, value: $1) }, options)
        _ = Charts.bullets(
            zip(categories, values).map { Bullet($0, value: $1, limit: number(), detail: label()) }, options)
        _ = Charts.histogram(values, markers: [(label: label(), value: number())], options)
        _ = Charts.heatmap(points, days: start..<end, options)
        // A map of fuzzed labels and calls (ids from the bytes, so some repeat or dangle), and a
        // waterfall of fuzzed offsets and durations.
        func slot(_ value: Double) -> Int {
            value.isFinite ? Int(value.magnitude.truncatingRemainder(dividingBy: 30)) : 0
        }
        let shapes: [MapNodeInput.Shape] = [.client, .service, .resource, .remote]
        let levels: [Level] = [.ok, .neutral, .warning, .critical]
        let nodes = categories.enumerated().map { index, name in
            MapNodeInput(
                id: "n\(slot(values[index]))",
                label: name, figures: label(), detail: label(), shape: shapes[index % 4], level: levels[index % 4],
                href: index % 3 == 0 ? "p.html" : nil)
        }
        let calls = values.prefix(40).enumerated().map { index, value in
            MapEdgeInput(
                from: "n\(index % 30)", to: "n\(slot(value))",
                label: label(), detail: label(), level: levels[index % 4])
        }
        _ = Charts.serviceMap(nodes, calls, options)
        _ = Charts.waterfall(
            values.prefix(60).enumerated().map { index, value in
                WaterfallRow(
                    label: label(), depth: index % 15, offset: value, duration: index % 5 == 0 ? nil : number(),
                    level: levels[index % 4], coldStart: index == 1, detail: label())
            }, total: number(), options)
    }
}
