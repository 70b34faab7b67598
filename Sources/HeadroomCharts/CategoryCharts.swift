import Foundation
import HeadroomModel

/// One series of a bar chart: a value per category, nil where there is none (never drawn as 0).
public struct BarSeries: Sendable {
    public var name: String
    public var values: [Double?]
    public var colour: Int?
    public init(_ name: String, _ values: [Double?], colour: Int? = nil) {
        self.name = SVG.clip(name, 200)
        self.values = values
        self.colour = colour
    }
}

/// One row of a bullet chart: usage against a limit.
public struct Bullet: Sendable {
    public var label: String
    public var value: Double
    public var limit: Double
    /// Shown in the tooltip and the table, e.g. "peak 870 of 1,000 concurrent executions".
    public var detail: String
    public init(_ label: String, value: Double, limit: Double, detail: String) {
        self.label = SVG.clip(label, 200)
        self.value = value
        self.limit = limit
        self.detail = SVG.clip(detail, 200)
    }
}

extension Charts {
    /// The most categories a bar chart draws; neighbours are summed beyond that.
    static let maxCategories = 200
    /// The most bars a chart draws (categories × series), and the most series: beyond that the
    /// smallest series are summed into "Other".
    static let maxBars = 320
    static let maxBarSeries = 7

    /// Vertical bars per category, grouped side by side or stacked.
    public static func bars(
        categories input: [String], _ series: [BarSeries], _ options: ChartOptions, stacked: Bool = false
    ) -> Chart {
        barChart(categories: input, series, options, stacked: stacked, kind: stacked ? "stacked-bars" : "bars")
    }

    /// Bars, with `overlay` drawing on top in the plot's geometry (the width of one category's band).
    static func barChart(
        categories input: [String], _ series: [BarSeries], _ options: ChartOptions, stacked: Bool, kind: String,
        overlay: (inout SVG, inout LabelLayout, Plot, _ band: Double) -> Void = { _, _, _, _ in }
    ) -> Chart {
        let (categories, series) = merged(input, series)
        let table = DataTable(
            columns: ["Category"] + series.map { SVG.clip($0.name, 200) }
                + (stacked && series.count > 1 ? ["Total"] : []),
            rows: categories.enumerated().map { index, category in
                let values = series.map { $0.values[index] }
                let present = values.compactMap { $0 }
                return [SVG.clip(category, 200)] + values.map { $0.map(options.unit.format) ?? "—" }
                    + (stacked && series.count > 1
                        ? [present.isEmpty ? "—" : options.unit.format(present.reduce(0, +))] : [])
            })
        let summary = options.summary ?? barSummary(categories, series, options, stacked: stacked)
        var canvas = Canvas(options, kind: kind, summary: summary)
        let width = Double(options.width)
        let height = Double(options.height)
        let legendHeight =
            series.count > 1
            ? canvas.legend(
                series.enumerated().map { ($0.element.name, $0.element.colour ?? $0.offset, .solid, .box) }, top: 2) : 0
        var values: [Double] = options.thresholds.map(\.value)
        for index in categories.indices {
            let present = series.compactMap { $0.values[index] }.filter(\.isFinite)
            if stacked {
                values.append(present.filter { $0 > 0 }.reduce(0, +))
                values.append(present.filter { $0 < 0 }.reduce(0, +))
            } else {
                values += present
            }
        }
        guard !categories.isEmpty, !values.isEmpty else {
            canvas.noData(y: height / 2)
            return Chart(id: options.id, title: options.title, svg: canvas.finish(), summary: summary, table: table)
        }
        let top = legendHeight + 14 + (options.unit.axisName == nil ? 0 : 14)
        let bottom = height - 22
        var scale = LinearScale(
            values, includeZero: true, targetTicks: max(2, Int((bottom - top) / 40)),
            minimumStep: options.unit.minimumStep, unit: options.unit)
        let plot = Plot(
            left: Plot.leftMargin(scale, unit: options.unit), right: width - 14, top: top, bottom: bottom, scale: scale)
        scale = plot.scale
        plot.drawValueAxis(&canvas.svg, labels: &canvas.labels, unit: options.unit)
        let band = (plot.right - plot.left) / Double(categories.count)
        let inner = band * (categories.count > 40 ? 0.9 : 0.72)
        let barWidth = stacked ? inner : inner / Double(max(1, series.count))
        // Category labels, thinned so that they do not overlap.
        let longest = Double(categories.map { min($0.count, 24) }.max() ?? 1) * 6.2 + 8
        let every = max(1, Int((longest / band).rounded(.up)))
        canvas.svg.open("g", [("class", "axis"), ("fill", muted), ("text-anchor", "middle")])
        for (index, category) in categories.enumerated() where index % every == 0 {
            canvas.svg.element(
                "text",
                [("x", SVG.number(plot.left + band * (Double(index) + 0.5))), ("y", SVG.number(plot.bottom + 15))],
                content: SVG.escape(SVG.clip(category, 24)))
        }
        canvas.svg.close("g")
        canvas.svg.open("g", [("class", "series")])
        for (index, category) in categories.enumerated() {
            var positive = 0.0
            var negative = 0.0
            for (position, item) in series.enumerated() {
                guard let value = item.values[index], value.isFinite else { continue }
                let slot = item.colour ?? position
                let from: Double
                let to: Double
                if stacked {
                    from = value >= 0 ? positive : negative
                    to = from + value
                    if value >= 0 { positive = to } else { negative = to }
                } else {
                    from = 0
                    to = value
                }
                let x =
                    plot.left + band * Double(index) + (band - inner) / 2 + (stacked ? 0 : barWidth * Double(position))
                let y1 = plot.y(max(from, to))
                let y2 = plot.y(min(from, to))
                canvas.svg.element(
                    "rect",
                    [
                        ("class", "f\(slot % palette.count)"), ("x", SVG.number(x)), ("y", SVG.number(y1)),
                        ("width", SVG.number(max(0.5, barWidth - (barWidth > 4 ? 1 : 0)))),
                        ("height", SVG.number(max(value == 0 ? 0 : 0.5, y2 - y1))), ("fill", colour(slot)),
                    ],
                    content: SVG.title(
                        "\(SVG.clip(category, 60))\(series.count > 1 ? " · " + SVG.clip(item.name, 60) : ""): "
                            + options.unit.format(value)))
            }
        }
        canvas.svg.close("g")
        plot.drawThresholds(&canvas.svg, labels: &canvas.labels, options.thresholds, unit: options.unit)
        overlay(&canvas.svg, &canvas.labels, plot, band)
        return Chart(id: options.id, title: options.title, svg: canvas.finish(), summary: summary, table: table)
    }

    /// Horizontal bars around zero, e.g. week-over-week cost movers: increases to the right in
    /// one colour, decreases to the left in another, each labelled with its value.
    public static func diverging(_ items: [(label: String, value: Double)], _ options: ChartOptions) -> Chart {
        let items = items.filter { $0.value.isFinite }.prefix(60).map {
            (label: SVG.clip($0.label, 200), value: $0.value)
        }
        let table = DataTable(
            columns: ["Item", "Change"],
            rows: items.map { [SVG.clip($0.label, 200), signed($0.value, options.unit)] })
        let summary =
            options.summary
            ?? listSummary(options.title, items.map { "\(SVG.clip($0.label, 60)) \(signed($0.value, options.unit))" })
        let rowHeight = 22.0
        let height = max(60, Int(Double(items.count) * rowHeight + 34))
        var canvas = Canvas(options, kind: "diverging", summary: summary, height: height)
        let width = Double(options.width)
        guard !items.isEmpty else {
            canvas.noData(y: 30)
            return Chart(id: options.id, title: options.title, svg: canvas.finish(), summary: summary, table: table)
        }
        let labelWidth = min(220, Double(items.map { min($0.label.count, 34) }.max() ?? 1) * 6.2 + 12)
        let valueRoom = 86.0
        let scale = LinearScale(items.map(\.value), includeZero: true, targetTicks: 4, unit: options.unit)
        let left = labelWidth + valueRoom
        let right = width - valueRoom
        func x(_ value: Double) -> Double { scale.map(value, left, right) }
        let top = 8.0
        let bottom = top + Double(items.count) * rowHeight
        let labels = options.unit.ticks(scale.ticks, step: scale.step)
        Charts.gridLines(
            &canvas.svg, scale.ticks.map { "M\(SVG.number(x($0))) \(SVG.number(top))V\(SVG.number(bottom))" },
            zero: scale.ticks.firstIndex(of: 0))
        canvas.svg.open("g", [("class", "axis"), ("fill", muted), ("text-anchor", "middle")])
        for (tick, label) in zip(scale.ticks, labels) {
            canvas.svg.element(
                "text", [("x", SVG.number(x(tick))), ("y", SVG.number(bottom + 14))], content: SVG.escape(label))
        }
        canvas.svg.close("g")
        canvas.svg.open("g", [("class", "series")])
        for (index, item) in items.enumerated() {
            let y = top + Double(index) * rowHeight
            let from = x(min(0, item.value))
            let to = x(max(0, item.value))
            let up = item.value > 0
            let text = signed(item.value, options.unit)
            canvas.svg.element(
                "text",
                [
                    ("x", SVG.number(labelWidth - 6)), ("y", SVG.number(y + 15)), ("text-anchor", "end"),
                    ("class", "label"),
                ],
                content: SVG.escape(SVG.clip(item.label, 34)))
            canvas.svg.element(
                "rect",
                [
                    ("class", up ? "up" : "down"), ("x", SVG.number(from)), ("y", SVG.number(y + 4)),
                    ("width", SVG.number(max(item.value == 0 ? 0 : 1, to - from))),
                    ("height", SVG.number(rowHeight - 8)),
                    ("fill", up ? palette[5] : palette[0]),
                ], content: SVG.title("\(SVG.clip(item.label, 120)): \(text)"))
            canvas.svg.element(
                "text",
                [
                    ("x", SVG.number(up ? to + 4 : from - 4)), ("y", SVG.number(y + 15)),
                    ("text-anchor", up ? "start" : "end"), ("class", "value"),
                ], content: SVG.escape(text))
        }
        canvas.svg.close("g")
        return Chart(id: options.id, title: options.title, svg: canvas.finish(), summary: summary, table: table)
    }

    /// Bullet bars: each row's usage as a % of its limit, with marks at `warningFraction` and
    /// 100 %, coloured by how close it is.
    public static func bullets(_ items: [Bullet], warningFraction: Double = 0.8, _ options: ChartOptions) -> Chart {
        let items = Array(items.filter { $0.value.isFinite && $0.limit.isFinite && $0.limit > 0 }.prefix(60))
        func share(_ item: Bullet) -> Double { item.value / item.limit * 100 }
        let table = DataTable(
            columns: ["Quota", "Used", "Usage", "Limit"],
            rows: items.map {
                [
                    SVG.clip($0.label, 200), ValueUnit.percent.format(share($0)), $0.detail,
                    options.unit.format($0.limit),
                ]
            })
        let summary =
            options.summary
            ?? listSummary(
                options.title,
                items.map { "\(SVG.clip($0.label, 60)) at \(ValueUnit.percent.format(share($0))) of its limit" })
        let rowHeight = 26.0
        let height = max(60, Int(Double(items.count) * rowHeight + 34))
        var canvas = Canvas(options, kind: "bullets", summary: summary, height: height)
        let width = Double(options.width)
        guard !items.isEmpty else {
            canvas.noData(y: 30)
            return Chart(id: options.id, title: options.title, svg: canvas.finish(), summary: summary, table: table)
        }
        let labelWidth = min(260, Double(items.map { min($0.label.count, 40) }.max() ?? 1) * 6.2 + 12)
        let scale = LinearScale(items.map(share) + [100], includeZero: true, targetTicks: 5)
        let left = labelWidth
        let right = width - 60
        func x(_ value: Double) -> Double { scale.map(min(value, scale.upper), left, right) }
        let top = 8.0
        let bottom = top + Double(items.count) * rowHeight
        canvas.svg.open("g", [("class", "axis"), ("fill", muted), ("text-anchor", "middle")])
        for (tick, label) in zip(scale.ticks, ValueUnit.percent.ticks(scale.ticks, step: scale.step)) {
            canvas.svg.element(
                "text", [("x", SVG.number(x(tick))), ("y", SVG.number(bottom + 14))], content: SVG.escape(label))
        }
        canvas.svg.close("g")
        for (index, item) in items.enumerated() {
            let y = top + Double(index) * rowHeight
            let used = share(item)
            let level: Level = used >= 100 ? .critical : used >= warningFraction * 100 ? .warning : .ok
            canvas.svg.open("g", [("class", "bullet \(level.rawValue)")])
            canvas.svg.element(
                "text",
                [
                    ("x", SVG.number(labelWidth - 8)), ("y", SVG.number(y + 16)), ("text-anchor", "end"),
                    ("class", "label"),
                ],
                content: SVG.escape(SVG.clip(item.label, 40)))
            // The track: up to the warning mark, to the limit, beyond it.
            let zones: [(Double, Double, String)] = [
                (0, warningFraction * 100, "track"), (warningFraction * 100, 100, "track-warning"),
                (100, scale.upper, "track-critical"),
            ]
            for (from, to, name) in zones where to > from {
                canvas.svg.element(
                    "rect",
                    [
                        ("class", name), ("x", SVG.number(x(from))), ("y", SVG.number(y + 3)),
                        ("width", SVG.number(x(to) - x(from))), ("height", SVG.number(rowHeight - 6)),
                        (
                            "fill",
                            name == "track" ? grid : levelColours[name == "track-warning" ? .warning : .critical]!
                        ),
                        ("fill-opacity", name == "track" ? "0.35" : "0.15"),
                    ])
            }
            canvas.svg.element(
                "rect",
                [
                    ("class", "bar"), ("x", SVG.number(x(0))), ("y", SVG.number(y + 8)),
                    ("width", SVG.number(max(used > 0 ? 1 : 0, x(used) - x(0)))),
                    ("height", SVG.number(rowHeight - 16)),
                    ("fill", levelColours[level]!),
                ],
                content: SVG.title("\(SVG.clip(item.label, 120)): \(ValueUnit.percent.format(used)) (\(item.detail))"))
            for mark in [warningFraction * 100, 100] {
                canvas.svg.element(
                    "line",
                    [
                        ("class", "mark"), ("x1", SVG.number(x(mark))), ("x2", SVG.number(x(mark))),
                        ("y1", SVG.number(y + 2)), ("y2", SVG.number(y + rowHeight - 2)), ("stroke", Charts.muted),
                        ("stroke-width", mark == 100 ? "2" : "1"),
                    ])
            }
            canvas.svg.element(
                "text", [("x", SVG.number(right + 6)), ("y", SVG.number(y + 16)), ("class", "value")],
                content: SVG.escape(ValueUnit.percent.format(used)))
            canvas.svg.close("g")
        }
        return Chart(id: options.id, title: options.title, svg: canvas.finish(), summary: summary, table: table)
    }

    /// The distribution of `values` in bins of a nice width; values above the 99.5th percentile
    /// go into one last "≥" bin when they would otherwise squeeze the rest. `markers` draws
    /// vertical lines (p50, p99, …) at values.
    public static func histogram(
        _ values: [Double], markers: [(label: String, value: Double)] = [], _ options: ChartOptions
    ) -> Chart {
        let finite = values.filter(\.isFinite).sorted()
        guard let low = finite.first, let high = finite.last else {
            return barChart(categories: [], [], options, stacked: false, kind: "histogram")
        }
        let cutoff = finite[min(finite.count - 1, Int(Double(finite.count) * 0.995))]
        let overflow = high > cutoff * 3 && cutoff > low
        let top = overflow ? cutoff : high
        // The bin width is nice in the unit the labels count in (2 s, 0.5 min), so that every
        // bin's label is exact and all of them share one unit: 50 s, 60 s, … rather than
        // 50.00 s, 1.0 min, ….
        // The last edge can cross into a larger unit than `top` (119 s of bins ending at 2 min):
        // then the bins are chosen again in that unit.
        var scale = options.unit.axisScale(max(abs(low), abs(top)))
        var step = 0.0
        var start = 0.0
        var count = 0
        for _ in 0..<2 {
            step = LinearScale.niceStep(max((top - low) / 30 / scale, abs(top / scale) * 1e-9, 1e-9)) * scale
            start = (low / step).rounded(.down) * step
            count = max(1, Int(min(199, ((top - start) / step).rounded(.down))) + 1)
            let largest = max(abs(start), abs(start + Double(count) * step))
            guard options.unit.axisScale(largest) != scale else { break }
            scale = options.unit.axisScale(largest)
        }
        var counts = [Double](repeating: 0, count: count + (overflow ? 1 : 0))
        for value in finite {
            let bin = min(Double(count - 1), max(0, ((value - start) / step).rounded(.down)))
            counts[value > top && overflow ? count : Int(bin)] += 1
        }
        let edges = (0...count).map { start + Double($0) * step }
        var categories = options.unit.ticks(edges, step: step)
        let last = categories.removeLast()
        if overflow { categories.append("≥ " + last) }
        var options = options
        options.summary =
            options.summary
            ?? "\(SVG.clip(options.title, 120)): \(ValueUnit.count.format(Double(finite.count))) values from "
            + "\(options.unit.format(low)) to \(options.unit.format(high)) in bins of \(options.unit.format(step))"
            + markers.map { ", \($0.label) \(options.unit.format($0.value))" }.joined() + "."
        let unit = options.unit
        options.unit = .count
        var chart = barChart(
            categories: categories, [BarSeries("Values", counts.map { $0 })], options, stacked: false,
            kind: "histogram"
        ) { svg, labels, plot, band in
            // Marker lines at values, on the bins' scale.
            guard !markers.isEmpty else { return }
            svg.open("g", [("class", "markers"), ("fill", muted)])
            for (index, marker) in markers.enumerated() where marker.value.isFinite {
                let x = plot.left + band * min(Double(counts.count), max(0, (marker.value - start) / step))
                svg.element(
                    "line",
                    [
                        ("x1", SVG.number(x)), ("x2", SVG.number(x)), ("y1", SVG.number(plot.top)),
                        ("y2", SVG.number(plot.bottom)), ("stroke", muted), ("stroke-dasharray", "4 3"),
                    ], content: SVG.title("\(marker.label): \(unit.format(marker.value))"))
                let right = x > Double(options.width) * 0.7
                let text = SVG.clip("\(marker.label) \(unit.format(marker.value))", 40)
                let spot = labels.place(
                    text, x: right ? x - 3 : x + 3, y: 24 + Double(index % 3) * 13, anchor: right ? "end" : "start",
                    step: 13, lines: 12...(plot.bottom - 4))
                svg.element(
                    "text",
                    [("x", SVG.number(spot.x)), ("y", SVG.number(spot.y)), ("text-anchor", spot.anchor)],
                    content: SVG.escape(text))
            }
            svg.close("g")
        }
        chart.table.columns = ["From", "Count"]
        return chart
    }

    /// Hour of day × day: each cell is the sum of the points in that local hour, shaded from
    /// light (0) to full (the highest cell); hours without data are outlined, never shaded as 0.
    public static func heatmap(_ points: [Point], days: Range<Instant>, _ options: ChartOptions) -> Chart {
        let zone = options.zone
        let firstDay = TimeScale.floorDiv(TimeScale.local(days.lowerBound, zone), 86_400)
        let lastDay = max(
            firstDay, TimeScale.floorDiv(TimeScale.local(Instant(seconds: days.upperBound.seconds - 1), zone), 86_400))
        let dayCount = Int(min(62, lastDay - firstDay + 1))
        let shownFirst = lastDay - Int64(dayCount) + 1
        var cells = [[Double?]](repeating: [Double?](repeating: nil, count: 24), count: dayCount)
        var clock = LocalClock(zone)
        for point in points where point.value.isFinite && days.contains(point.time) {
            let local = clock.local(point.time)
            let day = Int(TimeScale.floorDiv(local, 86_400) - shownFirst)
            guard day >= 0, day < dayCount else { continue }
            let hour = Int((local - TimeScale.floorDiv(local, 86_400) * 86_400) / 3600)
            cells[day][hour] = (cells[day][hour] ?? 0) + point.value
        }
        let highest = cells.joined().compactMap { $0 }.max() ?? 0
        let dayNames = (0..<dayCount).map { DayLabel.day(shownFirst + Int64($0)) }
        let table = DataTable(
            columns: ["Day"] + (0..<24).map { DayLabel.twoDigits($0) },
            rows: cells.enumerated().map { index, row in
                [dayNames[index]] + row.map { $0.map(options.unit.format) ?? "—" }
            })
        var busiest: (day: Int, hour: Int, value: Double)?
        for (day, row) in cells.enumerated() {
            for (hour, value) in row.enumerated() {
                if let value, value > (busiest?.value ?? 0) { busiest = (day, hour, value) }
            }
        }
        let total = cells.joined().compactMap { $0 }.reduce(0, +)
        let gaps = cells.joined().filter { $0 == nil }.count
        let summary =
            options.summary
            ?? "\(SVG.clip(options.title, 120)): \(options.unit.format(total)) in all"
            + (busiest.map {
                ", most on \(dayNames[$0.day]) at \(DayLabel.twoDigits($0.hour) + ":00") (\(options.unit.format($0.value)))"
            } ?? "") + (gaps > 0 ? "; \(gaps) hours without data" : "") + "."
        let cellHeight = 18.0
        let labelWidth = 82.0
        let height = Int(Double(dayCount) * cellHeight + 58)
        var canvas = Canvas(options, kind: "heatmap", summary: summary, height: height)
        let width = Double(options.width)
        let cellWidth = (width - labelWidth - 12) / 24
        let top = 20.0
        canvas.svg.open("g", [("class", "axis"), ("fill", muted)])
        for hour in stride(from: 0, to: 24, by: 3) {
            canvas.svg.element(
                "text", [("x", SVG.number(labelWidth + cellWidth * Double(hour) + 2)), ("y", "14")],
                content: DayLabel.twoDigits(hour) + ":00")
        }
        for (index, name) in dayNames.enumerated() {
            canvas.svg.element(
                "text",
                [
                    ("x", SVG.number(labelWidth - 6)), ("y", SVG.number(top + Double(index) * cellHeight + 12.5)),
                    ("text-anchor", "end"),
                ],
                content: SVG.escape(name))
        }
        canvas.svg.close("g")
        // One path per shade, and one for the hours without data: each cell's value is in the table
        // behind the chart, so cells carry no tooltip of their own (168 of them weighed 20 KB).
        var shades: [String: String] = [:]
        var gapCells = ""
        // A cell's corner is its hour's x and its day's y; the rest of its outline is the same
        // for every cell, so each number is written once.
        let xs = (0..<24).map { labelWidth + cellWidth * Double($0) }
        let (cellX, gapX) = (xs.map { "M" + SVG.number($0) + " " }, xs.map { "M" + SVG.number($0 + 0.5) + " " })
        let ys = (0..<dayCount).map { top + Double($0) * cellHeight }
        let (cellY, gapY) = (ys.map(SVG.number), ys.map { SVG.number($0 + 0.5) })
        let cellRest = "h\(SVG.number(cellWidth - 1))v\(SVG.number(cellHeight - 1))h\(SVG.number(1 - cellWidth))z"
        let gapRest = "h\(SVG.number(cellWidth - 2))v\(SVG.number(cellHeight - 2))h\(SVG.number(2 - cellWidth))z"
        var shadeNames: [Double: String] = [:]
        for (day, row) in cells.enumerated() {
            for (hour, value) in row.enumerated() {
                guard let value else {
                    gapCells += gapX[hour] + gapY[day] + gapRest
                    continue
                }
                // Sixteen shades above the lightest: finer steps cannot be told apart, only weighed.
                let step = highest > 0 ? (16 * value / highest).rounded(.up) / 16 : 0
                let shade = shadeNames[step] ?? Format.fixed(0.06 + 0.94 * step, 2)
                shadeNames[step] = shade
                shades[shade, default: ""] += cellX[hour] + cellY[day] + cellRest
            }
        }
        canvas.svg.open("g", [("class", "cells f0"), ("fill", colour(0))])
        for (shade, cellsPath) in shades.sorted(by: { $0.key < $1.key }) {
            canvas.svg.element("path", [("d", cellsPath), ("fill-opacity", shade)])
        }
        if !gapCells.isEmpty {
            canvas.svg.element(
                "path",
                [
                    ("class", "gap"), ("d", gapCells), ("fill", "none"), ("stroke", grid),
                    ("stroke-dasharray", "2 2"),
                ], content: SVG.title("No data in these hours"))
        }
        canvas.svg.close("g")
        // The scale: five steps from 0 to the highest cell, and the "no data" swatch.
        let legendY = top + Double(dayCount) * cellHeight + 10
        canvas.svg.open("g", [("class", "legend")])
        // Whole counts only, and no repeated steps when the highest cell is small.
        var steps: [Double] = []
        for step in 0..<5 {
            var value = highest * Double(step) / 4
            if options.unit == .count { value = value.rounded() }
            if steps.last != value { steps.append(value) }
        }
        for (step, value) in steps.enumerated() {
            let x = labelWidth + Double(step) * 70
            canvas.svg.element(
                "rect",
                [
                    ("class", "f0"), ("x", SVG.number(x)), ("y", SVG.number(legendY)), ("width", "14"),
                    ("height", "12"),
                    ("fill", colour(0)),
                    ("fill-opacity", Format.fixed(highest > 0 ? 0.06 + 0.94 * value / highest : 0.06, 2)),
                ])
            canvas.svg.element(
                "text", [("x", SVG.number(x + 18)), ("y", SVG.number(legendY + 10))],
                content: SVG.escape(options.unit.format(value)))
        }
        canvas.svg.element(
            "rect",
            [
                ("class", "gap"), ("x", SVG.number(labelWidth + 360)), ("y", SVG.number(legendY)), ("width", "14"),
                ("height", "12"), ("fill", "none"), ("stroke", grid), ("stroke-dasharray", "2 2"),
            ])
        canvas.svg.element(
            "text", [("x", SVG.number(labelWidth + 378)), ("y", SVG.number(legendY + 10))], content: "no data")
        canvas.svg.close("g")
        return Chart(id: options.id, title: options.title, svg: canvas.finish(), summary: summary, table: table)
    }

    /// "Title: the first five parts, and N more." or "Title: no data."
    static func listSummary(_ title: String, _ parts: [String]) -> String {
        guard !parts.isEmpty else { return "\(SVG.clip(title, 120)): no data." }
        return "\(SVG.clip(title, 120)): " + parts.prefix(5).joined(separator: ", ")
            + (parts.count > 5 ? ", and \(parts.count - 5) more" : "") + "."
    }

    static func signed(_ value: Double, _ unit: ValueUnit) -> String {
        (value > 0 ? "+" : "") + unit.format(value)
    }

    /// At most `maxBarSeries` series (the rest, smallest total first, summed into "Other") and
    /// at most `maxBars` bars: beyond that, neighbouring categories are summed ("a – b").
    private static func merged(_ categories: [String], _ input: [BarSeries]) -> ([String], [BarSeries]) {
        var series = input.map { item in
            var item = item
            item.values = (0..<categories.count).map { $0 < item.values.count ? item.values[$0] : nil }
            return item
        }
        if series.count > maxBarSeries {
            func total(_ item: BarSeries) -> Double { item.values.compactMap { $0 }.filter(\.isFinite).reduce(0, +) }
            let kept = series.enumerated().sorted { (total($0.element), $1.offset) > (total($1.element), $0.offset) }
                .prefix(maxBarSeries - 1).map(\.offset).sorted()
            let rest = series.indices.filter { !kept.contains($0) }
            let other = BarSeries(
                "Other (\(rest.count) series)",
                categories.indices.map { index in
                    let present = rest.compactMap { series[$0].values[index] }.filter(\.isFinite)
                    return present.isEmpty ? nil : present.reduce(0, +)
                }, colour: maxBarSeries - 1)
            series = kept.map { series[$0] } + [other]
        }
        let limit = min(maxCategories, max(20, maxBars / max(1, series.count)))
        guard categories.count > limit else { return (categories, series) }
        let size = Int((Double(categories.count) / Double(limit)).rounded(.up))
        let groups = stride(from: 0, to: categories.count, by: size).map { $0..<min(categories.count, $0 + size) }
        return (
            groups.map {
                "\(SVG.clip(categories[$0.lowerBound], 20)) – \(SVG.clip(categories[$0.upperBound - 1], 20))"
            },
            series.map { item in
                BarSeries(
                    item.name,
                    groups.map { group in
                        let present = group.compactMap { item.values[$0] }.filter(\.isFinite)
                        return present.isEmpty ? nil : present.reduce(0, +)
                    }, colour: item.colour)
            }
        )
    }

    private static func barSummary(
        _ categories: [String], _ series: [BarSeries], _ options: ChartOptions, stacked: Bool
    )
        -> String
    {
        guard !categories.isEmpty else { return "\(options.title): no data." }
        var totals: [(String, Double)] = []
        for (index, category) in categories.enumerated() {
            let present = series.compactMap { $0.values[index] }.filter(\.isFinite)
            if !present.isEmpty { totals.append((category, stacked ? present.reduce(0, +) : present.max()!)) }
        }
        guard let highest = totals.max(by: { $0.1 < $1.1 }), let lowest = totals.min(by: { $0.1 < $1.1 }) else {
            return "\(options.title): no data."
        }
        return
            "\(SVG.clip(options.title, 120)): \(categories.count) \(categories.count == 1 ? "category" : "categories")"
            + (series.count > 1 ? " × \(series.count) series" : "")
            + "; highest \(SVG.clip(highest.0, 40)) (\(options.unit.format(highest.1))), lowest "
            + "\(SVG.clip(lowest.0, 40)) (\(options.unit.format(lowest.1)))."
    }
}
