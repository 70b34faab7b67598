import Foundation
import HeadroomModel

/// A rendered chart: SVG text to inline in a page, the one-sentence summary that is also its
/// `<desc>`, and the data as a table for readers who cannot see the chart.
public struct Chart: Sendable, Equatable {
    public var id: String
    /// The accessible name: what a caption next to the chart can say.
    public var title: String
    public var svg: String
    public var summary: String
    public var table: DataTable
}

/// The chart's data as text cells; the site renders it as an HTML table next to the chart.
public struct DataTable: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[String]]
}

/// One line of a time chart. Points further apart than `period` seconds are separate runs (a gap
/// is drawn as a gap); NaN and ±Inf are gaps too.
public struct Series: Sendable {
    public enum Style: Sendable { case solid, dashed, dotted }
    public var name: String
    public var points: [Point]
    /// The data's period in seconds; nil infers it as the smallest spacing of the points.
    public var period: Int?
    public var style: Style
    /// The palette slot, when a chart wants a fixed colour (e.g. a projection in its line's colour).
    public var colour: Int?

    public init(_ name: String, _ points: [Point], period: Int? = nil, style: Style = .solid, colour: Int? = nil) {
        self.name = SVG.clip(name, 200)
        self.points = points
        self.period = period
        self.style = style
        self.colour = colour
    }
}

/// A level for thresholds, bands and bars: how the stylesheet colours it.
public enum Level: String, Sendable { case ok, neutral, warning, critical }

/// A horizontal line at a value (a limit, an objective, a threshold).
public struct Threshold: Sendable {
    public var value: Double
    public var label: String
    public var level: Level
    public init(_ value: Double, _ label: String, level: Level = .neutral) {
        self.value = value
        self.label = SVG.clip(label, 200)
        self.level = level
    }
}

/// A moment or span on a time chart: an incident from the week's notes, a deploy.
public struct Marker: Sendable {
    public var start: Instant
    public var end: Instant?
    public var label: String
    public init(_ start: Instant, end: Instant? = nil, _ label: String) {
        self.start = start
        self.end = end
        self.label = SVG.clip(label, 200)
    }
}

/// A range of values shaded behind a chart, e.g. burn rates that page.
public struct Band: Sendable {
    public var from: Double
    public var to: Double?
    public var label: String
    public var level: Level
    public init(from: Double, to: Double?, _ label: String, level: Level) {
        self.from = from
        self.to = to
        self.label = SVG.clip(label, 200)
        self.level = level
    }
}

/// What every chart needs besides its data.
public struct ChartOptions: Sendable {
    /// Unique within a page: the prefix of the chart's element ids.
    public var id: String
    /// The chart's accessible name (its `<title>`).
    public var title: String
    /// The `<desc>`; nil generates one from the data.
    public var summary: String?
    public var unit: ValueUnit
    public var zone: TimeZone
    public var width: Int
    public var height: Int
    /// The time axis; nil spans the data.
    public var span: Range<Instant>?
    public var thresholds: [Threshold]
    public var markers: [Marker]
    public var includeZero: Bool

    public init(
        id: String, title: String, summary: String? = nil, unit: ValueUnit = .count,
        zone: TimeZone = TimeZone(identifier: "UTC")!, width: Int = 720, height: Int = 240,
        span: Range<Instant>? = nil, thresholds: [Threshold] = [], markers: [Marker] = [], includeZero: Bool = true
    ) {
        // Ids end up in `id` and `aria-labelledby` (a space-separated list): letters, digits, - and _.
        let safe = String(
            id.unicodeScalars.prefix(80).map {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_")
                    ? Character($0) : "-"
            })
        self.id = safe.isEmpty ? "chart" : safe
        self.title = title
        self.summary = summary
        self.unit = unit
        self.zone = zone
        self.width = width
        self.height = height
        self.span = span
        self.thresholds = thresholds
        self.markers = markers
        self.includeZero = includeZero
    }
}

/// The charts. Each takes plain numbers and instants and returns deterministic SVG that needs
/// no script: colours come from classes the stylesheet themes (with the light palette as
/// presentation attributes, so a chart saved on its own still looks right), tooltips are SVG
/// `<title>`s, and every chart stays under `byteLimit` whatever the input size.
public enum Charts {
    /// The most a chart's SVG may weigh.
    public static let byteLimit = 50_000
    /// The most points drawn per series; fewer on a narrow chart, never more than one per two
    /// pixels of the plot (`Prepared.Item.drawnRuns`).
    public static let pointsPerSeries = 1000

    /// Okabe & Ito's colour-blind-safe palette, yellow left out (too light on white).
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000"]
    static let levelColours: [Level: String] = [
        .ok: "#1a7f37", .neutral: "#57606a", .warning: "#9a6700", .critical: "#cf222e",
    ]
    static let muted = "#57606a"
    static let grid = "#d0d7de"

    /// A value axis's grid: one path for its lines (`runs`, one subpath per tick) and one for the
    /// zero line at index `zero`, drawn over them in the axis colour.
    static func gridLines(_ svg: inout SVG, _ runs: [String], zero: Int?) {
        svg.open("g", [("class", "grid"), ("fill", "none")])
        let lines = runs.indices.filter { $0 != zero }.map { runs[$0] }.joined()
        if !lines.isEmpty { svg.element("path", [("d", lines), ("stroke", grid), ("stroke-width", "0.6")]) }
        if let zero { svg.element("path", [("class", "zero"), ("d", runs[zero]), ("stroke", muted)]) }
        svg.close("g")
    }

    static func colour(_ slot: Int) -> String { palette[slot % palette.count] }
    static func dash(_ slot: Int, _ style: Series.Style) -> String? {
        switch style {
        case .dashed: return "6 4"
        case .dotted: return "2 3"
        case .solid: return slot >= palette.count ? ["6 3", "2 2", "8 3 2 3"][(slot / palette.count - 1) % 3] : nil
        }
    }
}

/// Where a chart's free-standing labels go (thresholds, bands, incidents, markers), so that none
/// overlaps another or runs off the chart. A label's box is estimated from its characters and
/// font size, generously; a label whose box would touch one already placed moves a line at a
/// time in its direction, and one that would leave the right edge ends at its point instead.
struct LabelLayout {
    struct Box {
        var x0: Double
        var x1: Double
        var y0: Double
        var y1: Double

        func touches(_ other: Box) -> Bool {
            x0 < other.x1 + 2 && other.x0 < x1 + 2 && y0 < other.y1 + 1 && other.y0 < y1 + 1
        }
    }

    /// A placed label: its point, its anchor and the baseline.
    struct Placement {
        var x: Double
        var y: Double
        var anchor: String
    }

    let width: Double
    private(set) var boxes: [Box] = []

    init(width: Int) { self.width = Double(width) }

    /// The box of `text` drawn at (x, baseline y): 0.62 em a character is wider than the
    /// sans-serif fonts draw digits and lower-case letters.
    static func box(_ text: String, x: Double, y: Double, size: Double, anchor: String) -> Box {
        let width = Double(text.count) * size * 0.62
        let x0 = anchor == "end" ? x - width : anchor == "middle" ? x - width / 2 : x
        return Box(x0: x0, x1: x0 + width, y0: y - size * 0.95, y1: y + size * 0.3)
    }

    /// Keeps labels drawn elsewhere (tick labels, week names) free of the ones placed later.
    mutating func reserve(_ text: String, x: Double, y: Double, size: Double = 11, anchor: String = "start") {
        boxes.append(Self.box(text, x: x, y: y, size: size, anchor: anchor))
    }

    /// Where to draw `text` wanted at (x, y): there if free, else one `step` further, first in
    /// `step`'s direction, then the other way, and so on, within `lines` and at most 8 steps
    /// away; the wanted place when none is free.
    mutating func place(
        _ text: String, x: Double, y: Double, size: Double = 11, anchor wanted: String = "start", step: Double,
        lines: ClosedRange<Double>
    ) -> Placement {
        var anchor = wanted
        var x = x
        let natural = Self.box(text, x: x, y: y, size: size, anchor: anchor)
        if anchor == "start", natural.x1 > width - 2 {
            anchor = "end"
            x -= 6
        }
        var candidates: [Double] = [y]
        for index in 1...8 {
            candidates.append(y + Double(index) * step)
            candidates.append(y - Double(index) * step)
        }
        for candidate in candidates where lines.contains(candidate) {
            let box = Self.box(text, x: x, y: candidate, size: size, anchor: anchor)
            if !boxes.contains(where: box.touches) {
                boxes.append(box)
                return Placement(x: x, y: candidate, anchor: anchor)
            }
        }
        boxes.append(Self.box(text, x: x, y: y, size: size, anchor: anchor))
        return Placement(x: x, y: y, anchor: anchor)
    }
}

/// The opening of every chart: the accessible name and description, sizes, classes; and the
/// layout of its labels.
struct Canvas {
    var svg = SVG()
    var labels: LabelLayout
    let options: ChartOptions
    let kind: String

    init(_ options: ChartOptions, kind: String, summary: String, height: Int? = nil) {
        self.options = options
        self.kind = kind
        labels = LabelLayout(width: options.width)
        let id = SVG.escape(options.id)
        let h = height ?? options.height
        svg.raw(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart-\(kind)\" viewBox=\"0 0 \(options.width) \(h)\""
                + " width=\"\(options.width)\" height=\"\(h)\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\""
                + " font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif\" font-size=\"11\">\n")
        svg.raw("<title id=\"\(id)-title\">\(SVG.escape(SVG.clip(options.title, 200)))</title>\n")
        svg.raw("<desc id=\"\(id)-desc\">\(SVG.escape(SVG.clip(summary, 600)))</desc>\n")
    }

    /// "No data", centred at height `y`.
    mutating func noData(y: Double) {
        svg.element(
            "text",
            [
                ("x", SVG.number(Double(options.width) / 2)), ("y", SVG.number(y)), ("text-anchor", "middle"),
                ("fill", Charts.muted), ("class", "empty"),
            ], content: "No data")
    }

    mutating func finish() -> String {
        svg.raw("</svg>\n")
        return svg.text
    }

    /// A legend row (or rows) at the top; returns the height it takes.
    mutating func legend(_ entries: [(name: String, slot: Int, style: Series.Style, swatch: Swatch)], top: Double)
        -> Double
    {
        guard !entries.isEmpty else { return 0 }
        var x = 8.0
        var y = top + 10
        svg.open("g", [("class", "legend")])
        for entry in entries {
            let label = SVG.clip(entry.name, 40)
            let width = 22 + Double(label.count) * 6.8 + 12
            if x + width > Double(options.width) - 8 && x > 8 {
                x = 8
                y += 16
            }
            switch entry.swatch {
            case .line:
                var attributes = [
                    ("class", "s\(entry.slot % Charts.palette.count)"), ("x1", SVG.number(x)),
                    ("y1", SVG.number(y - 3.5)),
                    ("x2", SVG.number(x + 16)), ("y2", SVG.number(y - 3.5)), ("stroke", Charts.colour(entry.slot)),
                    ("stroke-width", "2"),
                ]
                if let dash = Charts.dash(entry.slot, entry.style) { attributes.append(("stroke-dasharray", dash)) }
                svg.element("line", attributes)
            case .box:
                svg.element(
                    "rect",
                    [
                        ("class", "f\(entry.slot % Charts.palette.count)"), ("x", SVG.number(x)),
                        ("y", SVG.number(y - 9)),
                        ("width", "12"), ("height", "10"), ("fill", Charts.colour(entry.slot)),
                    ])
            }
            svg.element("text", [("x", SVG.number(x + 20)), ("y", SVG.number(y))], content: SVG.escape(label))
            x += width
        }
        svg.close("g")
        return y - top + 8
    }

    enum Swatch { case line, box }
}

/// The plot area of a chart with axes: pixel bounds and the value scale.
struct Plot {
    var left: Double
    var right: Double
    var top: Double
    var bottom: Double
    var scale: LinearScale

    func y(_ value: Double) -> Double { scale.map(value, bottom, top) }

    /// The value axis: grid lines and tick labels on the left; the unit's name above when the
    /// labels do not carry it.
    static func leftMargin(_ scale: LinearScale, unit: ValueUnit) -> Double {
        let labels = unit.ticks(scale.ticks, step: scale.step)
        return 10 + Double(labels.map(\.count).max() ?? 1) * 6.2
    }

    func drawValueAxis(_ svg: inout SVG, labels placed: inout LabelLayout, unit: ValueUnit) {
        let labels = unit.ticks(scale.ticks, step: scale.step)
        Charts.gridLines(
            &svg, scale.ticks.map { "M\(SVG.number(left)) \(SVG.number(y($0)))H\(SVG.number(right))" },
            zero: scale.ticks.firstIndex(of: 0))
        svg.open("g", [("class", "axis"), ("fill", Charts.muted), ("text-anchor", "end")])
        for (tick, label) in zip(scale.ticks, labels) {
            svg.element(
                "text", [("x", SVG.number(left - 5)), ("y", SVG.number(y(tick) + 3.5))], content: SVG.escape(label))
            placed.reserve(label, x: left - 5, y: y(tick) + 3.5, anchor: "end")
        }
        if let name = unit.axisName {
            svg.element(
                "text", [("x", SVG.number(left - 5)), ("y", SVG.number(top - 10))], content: SVG.escape(name))
            placed.reserve(name, x: left - 5, y: top - 10, anchor: "end")
        }
        svg.close("g")
    }

    /// Horizontal threshold lines, each labelled at its left end, clear of the other labels.
    func drawThresholds(_ svg: inout SVG, labels: inout LabelLayout, _ thresholds: [Threshold], unit: ValueUnit) {
        for threshold in thresholds where threshold.value.isFinite {
            let at = y(threshold.value)
            guard at >= top - 0.5, at <= bottom + 0.5 else { continue }
            let colour = Charts.levelColours[threshold.level]!
            svg.open("g", [("class", "threshold \(threshold.level.rawValue)")])
            svg.element(
                "line",
                [
                    ("x1", SVG.number(left)), ("x2", SVG.number(right)), ("y1", SVG.number(at)), ("y2", SVG.number(at)),
                    ("stroke", colour), ("stroke-width", "1.2"), ("stroke-dasharray", "5 3"),
                ], content: SVG.title("\(threshold.label): \(unit.format(threshold.value))"))
            // Above its line; below it, or further off, where another label is.
            let text = SVG.clip(threshold.label, 48)
            let spot = labels.place(text, x: left + 4, y: at - 4, step: 12, lines: (top + 9)...(bottom - 2))
            svg.element(
                "text",
                [("x", SVG.number(spot.x)), ("y", SVG.number(spot.y)), ("fill", colour)]
                    + (spot.anchor == "start" ? [] : [("text-anchor", spot.anchor)]),
                content: SVG.escape(text))
            svg.close("g")
        }
    }
}
