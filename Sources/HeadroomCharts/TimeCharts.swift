import Foundation
import HeadroomModel

extension Charts {
    /// Lines over time, one per series; `area` fills under a single series.
    public static func line(_ series: [Series], _ options: ChartOptions, area: Bool = false) -> Chart {
        timeChart(series, options, mode: area ? .area : .lines, kind: area ? "area" : "line")
    }

    /// Series stacked on each other over time (cost by service per day, say). A series missing
    /// at a time adds nothing there and its layer shows a gap.
    public static func stackedArea(_ series: [Series], _ options: ChartOptions) -> Chart {
        timeChart(series, options, mode: .stacked, kind: "stacked-area")
    }

    /// Latency percentiles over time: the band from the lowest to the highest percentile, the
    /// band between the middle ones, and a line for each.
    public static func percentileBands(_ series: [Series], _ options: ChartOptions) -> Chart {
        timeChart(series, options, mode: .bands, kind: "bands")
    }

    /// A burn-rate series with its alert thresholds drawn as bands behind it.
    public static func burnRate(_ series: Series, bands: [Band], _ options: ChartOptions) -> Chart {
        var options = options
        options.unit = .ratio
        return timeChart([series], options, mode: .lines, kind: "burn-rate", bands: bands)
    }

    /// Error-budget burn-down: the budget left over the SLO window, the even-spend line from 100 %
    /// at the window's start to 0 % at its end, and the projection from now to exhaustion at the
    /// current burn (to the window's end when the budget outlasts it).
    public static func burnDown(
        remaining: [Point], period: Int?, window: Range<Instant>, now: Instant, burnRate: Double?,
        _ options: ChartOptions
    ) -> Chart {
        var options = options
        options.unit = .percent
        options.span = window
        options.thresholds.append(Threshold(0, "Budget exhausted", level: .critical))
        var series = [
            Series("Budget left", remaining, period: period, colour: 0),
            Series(
                "Even spend", [Point(time: window.lowerBound, value: 100), Point(time: window.upperBound, value: 0)],
                style: .dashed, colour: 6),
        ]
        if let last = remaining.last(where: { $0.value.isFinite }), let burnRate, burnRate > 0, last.value > 0 {
            // Budget left falls by burn × 100 % per window length.
            let length = Double(window.upperBound.seconds - window.lowerBound.seconds)
            let secondsToZero = last.value / 100 / burnRate * length
            let end = min(Double(window.upperBound.seconds), Double(now.seconds) + secondsToZero)
            let value = last.value - (end - Double(now.seconds)) / length * burnRate * 100
            if end > Double(now.seconds) {
                series.append(
                    Series(
                        "Projection at this week's burn",
                        [Point(time: now, value: last.value), Point(time: Instant(seconds: Int64(end)), value: value)],
                        style: .dotted, colour: 5))
            }
        }
        return timeChart(series, options, mode: .lines, kind: "burn-down")
    }

    /// A quota's usage over time against its limit, with the 80 % mark and the projected
    /// exhaustion drawn dashed.
    public static func quotaTrend(
        usage: [Point], limit: Double, warningFraction: Double = 0.8, projectedExhaustion: Instant?,
        _ options: ChartOptions
    ) -> Chart {
        var options = options
        options.thresholds += [
            Threshold(limit, "Limit", level: .critical),
            Threshold(
                limit * warningFraction, "\(Int((warningFraction * 100).rounded())) % of the limit", level: .warning),
        ]
        var series = [Series("Usage", usage, period: nil, colour: 0)]
        if let last = usage.last(where: { $0.value.isFinite }), let projectedExhaustion, projectedExhaustion > last.time
        {
            series.append(
                Series(
                    "Projected", [last, Point(time: projectedExhaustion, value: limit)], style: .dashed, colour: 5))
            if let span = options.span, span.upperBound < projectedExhaustion {
                options.span = span.lowerBound..<projectedExhaustion
            }
        }
        return timeChart(series, options, mode: .lines, kind: "quota-trend")
    }

    /// A word-sized line for a table cell: no axes, the last value marked.
    public static func sparkline(
        _ series: Series, id: String, title: String, unit: ValueUnit, zone: TimeZone, span: Range<Instant>? = nil,
        width: Int = 120, height: Int = 28
    ) -> Chart {
        let options = ChartOptions(
            id: id, title: title, unit: unit, zone: zone, width: width, height: height, span: span)
        let data = Prepared([series], span: span)
        let summary = data.summary(title: series.name, unit: unit, zone: zone)
        var canvas = Canvas(options, kind: "sparkline", summary: summary)
        guard let range = data.span else {
            canvas.svg.element(
                "line",
                [
                    ("x1", "2"), ("x2", SVG.number(Double(width - 2))), ("y1", SVG.number(Double(height) / 2)),
                    ("y2", SVG.number(Double(height) / 2)), ("stroke", grid), ("stroke-dasharray", "2 3"),
                ])
            return Chart(
                id: id, title: title, svg: canvas.finish(), summary: summary, table: data.table(unit: unit, zone: zone))
        }
        let scale = LinearScale(data.values, includeZero: true, targetTicks: 1)
        let time = TimeScale(start: range.lowerBound, end: range.upperBound, zone: zone)
        let plot = Plot(left: 2, right: Double(width) - 4, top: 3, bottom: Double(height) - 3, scale: scale)
        let runs = data.series[0].drawnRuns(budget: min(pointsPerSeries, width * 2), pixels: plot.right - plot.left)
        let path = SVG.path(
            runs.map { run in run.map { (time.map(Instant(seconds: $0.t), plot.left, plot.right), plot.y($0.v)) } })
        canvas.svg.element(
            "path",
            [
                ("class", "s0"), ("d", path), ("fill", "none"), ("stroke", colour(0)), ("stroke-width", "1.4"),
                ("stroke-linejoin", "round"), ("stroke-linecap", "round"),
            ])
        if let last = runs.last?.last {
            canvas.svg.element(
                "circle",
                [
                    ("class", "f0"), ("cx", SVG.number(time.map(Instant(seconds: last.t), plot.left, plot.right))),
                    ("cy", SVG.number(plot.y(last.v))), ("r", "2"), ("fill", colour(0)),
                ])
        }
        return Chart(
            id: id, title: title, svg: canvas.finish(), summary: summary, table: data.table(unit: unit, zone: zone))
    }

    enum Mode { case lines, area, stacked, bands }

    static func timeChart(
        _ input: [Series], _ options: ChartOptions, mode: Mode, kind: String, bands: [Band] = []
    ) -> Chart {
        let data = Prepared(input, span: options.span)
        let summary =
            options.summary
            ?? data.summary(title: options.title, unit: options.unit, zone: options.zone)
        let table = data.table(unit: options.unit, zone: options.zone)
        var budget = max(24, min(pointsPerSeries, 3000 / max(1, input.count)))
        // Hover columns: a week in four-hour buckets (42 tooltips), for pages of 1,000 functions.
        var columns = 48
        // Start from an estimate of the size (about 13 bytes a point, 30 a tooltip column and 14 a
        // series in it), so that most charts render once; the loop below still guarantees the limit.
        let drawn = { (budget: Int) in data.series.reduce(0) { $0 + min($1.count, budget) } }
        while budget > 24, drawn(budget) * 13 + columns * (30 + 14 * min(6, input.count)) > byteLimit - 4000 {
            budget /= 2
            columns = max(24, columns * 3 / 4)
        }
        while true {
            let svg = renderTime(
                data, options, mode: mode, kind: kind, bands: bands, summary: summary, budget: budget, columns: columns)
            if svg.utf8.count < byteLimit - 2000 || budget <= 8 {
                return Chart(id: options.id, title: options.title, svg: svg, summary: summary, table: table)
            }
            budget /= 2
            columns = max(12, columns / 2)
        }
    }

    private static func renderTime(
        _ data: Prepared, _ options: ChartOptions, mode: Mode, kind: String, bands: [Band], summary: String,
        budget: Int, columns: Int
    ) -> String {
        var canvas = Canvas(options, kind: kind, summary: summary)
        let width = Double(options.width)
        let height = Double(options.height)
        let entries = data.series.enumerated().map { index, series in
            (
                name: series.name, slot: series.colour ?? index, style: series.style,
                swatch: mode == .stacked ? Canvas.Swatch.box : .line
            )
        }
        let legendHeight = data.series.count > 1 ? canvas.legend(entries, top: 2) : 0
        guard let span = data.span else {
            canvas.noData(y: height / 2)
            return canvas.finish()
        }
        // Stacked and band layouts work on columns: aligned times (or buckets of them).
        // A column per four pixels at most: a filled layer draws each column twice (its top and bottom).
        let aligned = mode == .stacked || mode == .bands ? data.columns(max: min(budget, options.width / 4)) : []
        var values: [Double] = []
        switch mode {
        case .stacked:
            for column in aligned { values.append(column.values.compactMap { $0?.mean }.reduce(0, +)) }
        default: values = data.values
        }
        values += options.thresholds.map(\.value).filter(\.isFinite)
        if !bands.isEmpty, let highest = data.values.max() {
            let above = bands.flatMap { [$0.from, $0.to].compactMap { $0 } }.filter { $0 > highest }.min()
            if let above { values.append(above) }
        }
        var scale = LinearScale(
            values, includeZero: options.includeZero, minimumStep: options.unit.minimumStep, unit: options.unit)
        let left = Plot.leftMargin(scale, unit: options.unit)
        let top = legendHeight + 14 + (options.unit.axisName == nil ? 0 : 14)
        let bottom = height - 22
        scale = LinearScale(
            values, includeZero: options.includeZero, targetTicks: max(2, Int((bottom - top) / 40)),
            minimumStep: options.unit.minimumStep, unit: options.unit)
        let plot = Plot(left: left, right: width - 14, top: top, bottom: bottom, scale: scale)
        let time = TimeScale(
            start: span.lowerBound, end: span.upperBound, zone: options.zone,
            targetTicks: max(2, Int((plot.right - plot.left) / 90)))
        func x(_ seconds: Int64) -> Double { time.map(Instant(seconds: seconds), plot.left, plot.right) }

        // Bands behind everything.
        if !bands.isEmpty {
            canvas.svg.open("g", [("class", "bands")])
            for band in bands {
                let low = max(scale.lower, band.from)
                let high = min(scale.upper, band.to ?? scale.upper)
                guard high > low else { continue }
                canvas.svg.element(
                    "rect",
                    [
                        ("class", "band \(band.level.rawValue)"), ("x", SVG.number(plot.left)),
                        ("y", SVG.number(plot.y(high))), ("width", SVG.number(plot.right - plot.left)),
                        ("height", SVG.number(plot.y(low) - plot.y(high))), ("fill", levelColours[band.level]!),
                        ("fill-opacity", "0.08"),
                    ], content: SVG.title(band.label))
                guard plot.y(low) - plot.y(high) >= 14 else { continue }
                let text = SVG.clip(band.label, 60)
                let spot = canvas.labels.place(
                    text, x: plot.left + 4, y: plot.y(high) + 11, step: 12,
                    lines: (plot.y(high) + 11)...max(plot.y(high) + 11, plot.y(low) - 3))
                canvas.svg.element(
                    "text",
                    [
                        ("x", SVG.number(spot.x)), ("y", SVG.number(spot.y)),
                        ("fill", levelColours[band.level]!), ("class", "band-label \(band.level.rawValue)"),
                    ], content: SVG.escape(text))
            }
            canvas.svg.close("g")
        }
        plot.drawValueAxis(&canvas.svg, labels: &canvas.labels, unit: options.unit)
        // Time axis: tick labels, week boundaries, markers.
        canvas.svg.open("g", [("class", "axis time"), ("fill", muted), ("text-anchor", "middle")])
        // The tick marks as one path.
        if !time.ticks.isEmpty {
            let marks = time.ticks.map {
                "M\(SVG.number(time.map($0.time, plot.left, plot.right))) \(SVG.number(plot.bottom))v4"
            }
            canvas.svg.element("path", [("d", marks.joined()), ("stroke", muted)])
        }
        for tick in time.ticks {
            let at = time.map(tick.time, plot.left, plot.right)
            // Centred under the tick, moved inwards only as far as the chart's edge needs.
            let half = Double(tick.label.count) * 3.2
            let centre = min(max(at, half + 2), width - half - 2)
            canvas.svg.element(
                "text", [("x", SVG.number(centre)), ("y", SVG.number(plot.bottom + 16))],
                content: SVG.escape(tick.label))
        }
        canvas.svg.close("g")
        if !time.weekStarts.isEmpty {
            canvas.svg.open("g", [("class", "weeks"), ("fill", muted)])
            for start in time.weekStarts {
                let at = time.map(start.time, plot.left, plot.right)
                canvas.svg.element(
                    "line",
                    [
                        ("x1", SVG.number(at)), ("x2", SVG.number(at)), ("y1", SVG.number(plot.top)),
                        ("y2", SVG.number(plot.bottom)), ("stroke", grid), ("stroke-dasharray", "2 2"),
                    ])
                let name = "W" + DayLabel.twoDigits(start.week.week)
                canvas.svg.element(
                    "text", [("x", SVG.number(at + 3)), ("y", SVG.number(plot.top + 9)), ("font-size", "9")],
                    content: name)
                canvas.labels.reserve(name, x: at + 3, y: plot.top + 9, size: 9)
            }
            canvas.svg.close("g")
        }
        for marker in options.markers {
            guard marker.start < span.upperBound, (marker.end ?? marker.start) >= span.lowerBound else { continue }
            let from = x(max(marker.start, span.lowerBound).seconds)
            let to = marker.end.map { x(min($0, span.upperBound).seconds) }
            canvas.svg.open("g", [("class", "marker")])
            let tip = SVG.title(
                "\(marker.label) (\(TimeScale.label(marker.start, zone: options.zone))"
                    + (marker.end.map { " to " + TimeScale.label($0, zone: options.zone) } ?? "") + ")")
            if let to, to - from >= 2 {
                canvas.svg.element(
                    "rect",
                    [
                        ("x", SVG.number(from)), ("y", SVG.number(plot.top)), ("width", SVG.number(to - from)),
                        ("height", SVG.number(plot.bottom - plot.top)), ("fill", levelColours[.critical]!),
                        ("fill-opacity", "0.08"),
                    ], content: tip)
            }
            canvas.svg.element(
                "line",
                [
                    ("x1", SVG.number(from)), ("x2", SVG.number(from)), ("y1", SVG.number(plot.top)),
                    ("y2", SVG.number(plot.bottom)), ("stroke", levelColours[.critical]!), ("stroke-width", "1.2"),
                ], content: tip)
            // Below the week names; lower, or ending at its line near the right edge, where
            // another label is.
            let text = SVG.clip(marker.label, 40)
            let spot = canvas.labels.place(
                text, x: from + 3, y: plot.top + 21, size: 10, step: 12, lines: (plot.top + 21)...(plot.bottom - 4))
            canvas.svg.element(
                "text",
                [
                    ("x", SVG.number(spot.x)), ("y", SVG.number(spot.y)), ("fill", levelColours[.critical]!),
                    ("font-size", "10"),
                ] + (spot.anchor == "start" ? [] : [("text-anchor", spot.anchor)]), content: SVG.escape(text))
            canvas.svg.close("g")
        }

        // The data.
        canvas.svg.open("g", [("class", "series")])
        switch mode {
        case .lines, .area:
            for (index, series) in data.series.enumerated() {
                let slot = series.colour ?? index
                let runs = series.drawnRuns(budget: budget, pixels: plot.right - plot.left)
                let coordinates = runs.map { run in run.map { (x($0.t), plot.y($0.v)) } }
                if mode == .area {
                    for run in coordinates where run.count > 1 {
                        let base = plot.y(max(scale.lower, min(0, scale.upper)))
                        var area = SVG.path([run])
                        area +=
                            " L" + SVG.number(run.last!.0) + " " + SVG.number(base) + " L"
                            + SVG.number(run.first!.0) + " " + SVG.number(base) + " Z"
                        canvas.svg.element(
                            "path",
                            [
                                ("class", "f\(slot % palette.count) area"), ("d", area), ("fill", colour(slot)),
                                ("fill-opacity", "0.18"),
                            ])
                    }
                }
                var attributes = [
                    ("class", "s\(slot % palette.count)"), ("d", SVG.path(coordinates)), ("fill", "none"),
                    ("stroke", colour(slot)), ("stroke-width", "1.8"), ("stroke-linejoin", "round"),
                    ("stroke-linecap", "round"),
                ]
                if let dash = dash(slot, series.style) { attributes.append(("stroke-dasharray", dash)) }
                canvas.svg.element("path", attributes)
                // A point with no neighbour is a dot big enough to see.
                for run in coordinates where run.count == 1 {
                    canvas.svg.element(
                        "circle",
                        [
                            ("class", "f\(slot % palette.count)"), ("cx", SVG.number(run[0].0)),
                            ("cy", SVG.number(run[0].1)),
                            ("r", "2.5"), ("fill", colour(slot)),
                        ])
                }
            }
        case .stacked:
            var base = [Double](repeating: 0, count: aligned.count)
            for (index, series) in data.series.enumerated() {
                let slot = series.colour ?? index
                var runs: [[(Int, Double, Double)]] = [[]]
                for (position, column) in aligned.enumerated() {
                    guard let value = column.values[index]?.mean else {
                        if !runs[runs.count - 1].isEmpty { runs.append([]) }
                        continue
                    }
                    runs[runs.count - 1].append((position, base[position], base[position] + value))
                    base[position] += value
                }
                var d = ""
                for run in runs where !run.isEmpty {
                    let upper = run.map { (x(aligned[$0.0].time), plot.y($0.2)) }
                    let lower = run.reversed().map { (x(aligned[$0.0].time), plot.y($0.1)) }
                    let ring =
                        run.count == 1 ? [(upper[0].0 - 1.5, upper[0].1), (upper[0].0 + 1.5, upper[0].1)] : upper
                    let ringLower =
                        run.count == 1 ? [(lower[0].0 + 1.5, lower[0].1), (lower[0].0 - 1.5, lower[0].1)] : lower
                    d += (d.isEmpty ? "" : " ") + SVG.path([ring + ringLower]) + " Z"
                }
                canvas.svg.element(
                    "path",
                    [
                        ("class", "f\(slot % palette.count)"), ("d", d), ("fill", colour(slot)),
                        ("fill-opacity", "0.85"),
                        ("stroke", "none"),
                    ], content: SVG.title(series.name))
            }
        case .bands:
            // Fill between consecutive series (sorted low to high by the caller), then the lines.
            for index in 0..<max(0, data.series.count - 1) {
                var runs: [[(Int64, Double, Double)]] = [[]]
                for column in aligned {
                    guard let low = column.values[index]?.mean, let high = column.values[index + 1]?.mean else {
                        if !runs[runs.count - 1].isEmpty { runs.append([]) }
                        continue
                    }
                    runs[runs.count - 1].append((column.time, low, high))
                }
                var d = ""
                for run in runs where run.count > 1 {
                    let upper = run.map { (x($0.0), plot.y($0.2)) }
                    let lower = run.reversed().map { (x($0.0), plot.y($0.1)) }
                    d += (d.isEmpty ? "" : " ") + SVG.path([upper + lower]) + " Z"
                }
                let slot = data.series[index + 1].colour ?? index + 1
                canvas.svg.element(
                    "path",
                    [
                        ("class", "f\(slot % palette.count) band-fill"), ("d", d), ("fill", colour(slot)),
                        ("fill-opacity", "0.16"),
                    ])
            }
            for (index, series) in data.series.enumerated() {
                let slot = series.colour ?? index
                let runs = series.drawnRuns(budget: budget, pixels: plot.right - plot.left)
                canvas.svg.element(
                    "path",
                    [
                        ("class", "s\(slot % palette.count)"),
                        ("d", SVG.path(runs.map { run in run.map { (x($0.t), plot.y($0.v)) } })), ("fill", "none"),
                        ("stroke", colour(slot)), ("stroke-width", "1.5"), ("stroke-linejoin", "round"),
                        ("stroke-linecap", "round"),
                    ])
            }
        }
        canvas.svg.close("g")
        plot.drawThresholds(&canvas.svg, labels: &canvas.labels, options.thresholds, unit: options.unit)

        // Hover columns: the layer carries the columns' edges and their tooltips (the time, then
        // each shown series' value or range), and `assets/charts.js` shows the one under the
        // pointer. Three attributes instead of an element and a title per column: those were two
        // fifths of a function page's bytes. Fields are separated by `|` and columns by `;`,
        // which labels and values never hold and names are cleared of.
        let hover = data.columns(max: columns)
        if !hover.isEmpty {
            let shown = min(data.series.count, 6)
            let daily = data.daily(options.zone)
            var edges = SVG.number(plot.left)
            var tips = ""
            for (position, column) in hover.enumerated() {
                let to = position == hover.count - 1 ? plot.right : (x(column.time) + x(hover[position + 1].time)) / 2
                edges += " " + SVG.number(to)
                if position > 0 { tips += ";" }
                tips += data.label(column.start, zone: options.zone, daily: daily)
                if column.end > column.start {
                    // "Mon 16 Nov 00:00–03:59" within a day, "Mon 16 Nov 20:00 – Tue 17 Nov 03:59" across one.
                    let end = data.label(column.end, zone: options.zone, daily: daily)
                    let day = { (seconds: Int64) in
                        TimeScale.floorDiv(TimeScale.local(Instant(seconds: seconds), options.zone), 86_400)
                    }
                    tips += !daily && day(column.start) == day(column.end) ? "–" + end.suffix(5) : " – " + end
                }
                for index in 0..<shown {
                    guard let value = column.values[index] else {
                        tips += "|no data"
                        continue
                    }
                    // A currency's code comes from the input: a value is a field like a name.
                    tips += "|" + Self.field(options.unit.format(value.low))
                    if value.high > value.low { tips += " to " + Self.field(options.unit.format(value.high)) }
                }
            }
            let names = data.series.prefix(shown).map { Self.field(SVG.clip($0.name, 40)) }
            var attributes = [
                ("class", "hover"), ("data-edges", edges), ("data-series", names.joined(separator: "|")),
                ("data-tips", tips),
            ]
            if data.series.count > shown {
                attributes.append(("data-more", "… \(data.series.count - shown) more in the table"))
            }
            canvas.svg.open("g", attributes)
            canvas.svg.element(
                "rect",
                [
                    ("x", SVG.number(plot.left)), ("y", SVG.number(plot.top)),
                    ("width", SVG.number(plot.right - plot.left)), ("height", SVG.number(plot.bottom - plot.top)),
                    ("fill", "#000000"), ("fill-opacity", "0"),
                ])
            canvas.svg.close("g")
        }
        return canvas.finish()
    }
}

extension Charts {
    /// Text for a field of a hover layer: `|` and `;` (the layer's separators) become `/`, and
    /// tabs and line breaks spaces.
    static func field(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x7C || $0 == 0x3B || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D })
        else { return text }
        return String(
            text.unicodeScalars.map { scalar -> Character in
                switch scalar {
                case "|", ";": "/"
                case "\t", "\n", "\r": " "
                default: Character(scalar)
                }
            })
    }
}

/// Series cleaned for drawing: finite points inside the span, sorted, split into runs at gaps.
struct Prepared {
    struct Item {
        var name: String
        var style: Series.Style
        var colour: Int?
        /// Runs of consecutive points; a gap (a missing period, NaN or ±Inf) separates runs.
        var runs: [[(t: Int64, v: Double)]]
        var count: Int { runs.reduce(0) { $0 + $1.count } }
        var gaps: Int { max(0, runs.count - 1) }

        /// The first, last, lowest (the first of equals) and highest (the first of equals) points
        /// and the sum of the values, in one pass; nil without points.
        var extremes:
            (
                first: (t: Int64, v: Double), last: (t: Int64, v: Double), low: (t: Int64, v: Double),
                high: (t: Int64, v: Double), sum: Double
            )?
        {
            guard let first = runs.first?.first, let last = runs.last?.last else { return nil }
            var (low, high, sum) = (first, first, 0.0)
            for run in runs {
                for point in run {
                    if point.v < low.v { low = point }
                    if point.v > high.v { high = point }
                    sum += point.v
                }
            }
            return (first, last, low, high, sum)
        }

        /// The runs downsampled to about `budget` points in all; runs closer than a pixel are
        /// joined first when there are more runs than the budget can show.
        func drawnRuns(budget: Int, pixels: Double) -> [[(t: Int64, v: Double)]] {
            // Never more than a point per four pixels: more is hardly seen, only weighed (LTTB keeps
            // the spikes).
            let budget = Swift.min(budget, Swift.max(8, Int(pixels / 4)))
            var runs = self.runs
            if runs.count > budget / 2, let first = runs.first?.first?.t, let last = runs.last?.last?.t {
                let pixel = max(1, Double(last - first) / max(1, pixels))
                var joined: [[(t: Int64, v: Double)]] = []
                for run in runs {
                    if let previous = joined.last?.last, Double(run[0].t - previous.t) < pixel {
                        joined[joined.count - 1] += run
                    } else {
                        joined.append(run)
                    }
                }
                runs = joined
            }
            let total = runs.reduce(0) { $0 + $1.count }
            guard total > budget else { return runs }
            return runs.map { run in
                let share = max(run.count == 1 ? 1 : 2, Int(Double(budget) * Double(run.count) / Double(total)))
                let points = run.map { (x: Double($0.t), y: $0.v) }
                return Downsample.lttb(points, to: max(3, share)).map { run[$0] }
            }
        }
    }

    var series: [Item]
    var span: Range<Instant>?

    init(_ input: [Series], span requested: Range<Instant>?) {
        var first: Int64?
        var last: Int64?
        series = input.map { series in
            var points = series.points
            if !zip(points, points.dropFirst()).allSatisfy({ $0.time <= $1.time }) {
                points.sort { $0.time < $1.time }
            }
            // Sorted: only a series that reaches outside the span is filtered (a copy of it).
            if let requested, let head = points.first?.time, let tail = points.last?.time,
                head < requested.lowerBound || tail > requested.upperBound
            {
                points = points.filter { requested.contains($0.time) || $0.time == requested.upperBound }
            }
            var period = series.period.map(Int64.init)
            if period == nil {
                var smallest: Int64?
                for (a, b) in zip(points, points.dropFirst()) where b.time > a.time {
                    smallest = min(smallest ?? .max, b.time.seconds - a.time.seconds)
                }
                period = smallest
            }
            var runs: [[(t: Int64, v: Double)]] = []
            var current: [(t: Int64, v: Double)] = []
            current.reserveCapacity(points.count)
            for point in points {
                guard point.value.isFinite else {
                    if !current.isEmpty { runs.append(current) }
                    current = []
                    continue
                }
                if let previous = current.last {
                    if point.time.seconds == previous.t { continue }
                    if let period, Double(point.time.seconds - previous.t) > Double(period) * 1.5 {
                        runs.append(current)
                        current = []
                    }
                }
                current.append((point.time.seconds, point.value))
            }
            if !current.isEmpty { runs.append(current) }
            if let head = runs.first?.first?.t, let tail = runs.last?.last?.t {
                first = min(first ?? head, head)
                last = max(last ?? tail, tail)
            }
            return Item(name: series.name, style: series.style, colour: series.colour, runs: runs)
        }
        if let requested {
            span = requested
        } else if let first, let last {
            span = Instant(seconds: first)..<Instant(seconds: max(last, first + 1))
        }
    }

    /// Whether every point is at local midnight (daily data): then times are named by day alone.
    func daily(_ zone: TimeZone) -> Bool {
        series.allSatisfy { item in
            item.runs.allSatisfy { run in
                run.allSatisfy { TimeScale.local(Instant(seconds: $0.t), zone) % 86_400 == 0 }
            }
        }
    }

    /// `Tue 17 Nov 14:00`, or `Tue 17 Nov` for daily data.
    func label(_ seconds: Int64, zone: TimeZone, daily: Bool) -> String {
        daily
            ? DayLabel.day(TimeScale.floorDiv(TimeScale.local(Instant(seconds: seconds), zone), 86_400))
            : TimeScale.label(Instant(seconds: seconds), zone: zone)
    }

    var values: [Double] {
        var result: [Double] = []
        for item in series {
            for run in item.runs {
                var low = Double.infinity
                var high = -Double.infinity
                for point in run {
                    low = min(low, point.v)
                    high = max(high, point.v)
                }
                result += [low, high]
            }
        }
        return result
    }

    struct Summary {
        var low: Double
        var high: Double
        var mean: Double
    }

    struct Column {
        var time: Int64
        var start: Int64
        var end: Int64
        var values: [Summary?]
    }

    /// Bucket lengths a reader can name, in seconds: minutes, hours, days and weeks.
    static let bucketLengths: [Int64] = [
        60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 14400, 21600, 43200, 86400, 2 * 86400, 7 * 86400, 14 * 86400,
        28 * 86400,
    ]

    /// Aligned columns: one per distinct time when there are at most `max`, else buckets from the
    /// span's start of the shortest length in `bucketLengths` that needs at most `max` (a week in
    /// four-hour buckets for 48), each with every series' lowest, highest and mean value in it.
    func columns(max limit: Int) -> [Column] {
        guard let span else { return [] }
        let few = distinctTimes(atMost: limit)
        if few?.isEmpty == true { return [] }
        let distinct = few ?? []
        let exact = few != nil
        let start = span.lowerBound.seconds
        let length = Swift.max(1, span.upperBound.seconds - start)
        let fitting = Self.bucketLengths.first { (length + $0 - 1) / $0 <= Int64(limit) }
        let width = Double(fitting ?? (length + Int64(limit) - 1) / Int64(limit))
        let count = exact ? distinct.count : Int((Double(length) / width).rounded(.up))
        guard count > 0 else { return [] }
        // Flat accumulators, a slot per bucket and series (nested arrays of optional tuples were
        // copied and checked at every point).
        let seriesCount = series.count
        var low = [Double](repeating: 0, count: count * seriesCount)
        var high = low
        var sum = low
        var n = [Int](repeating: 0, count: count * seriesCount)
        var index: [Int64: Int] = [:]
        if exact { for (position, time) in distinct.enumerated() { index[time] = position } }
        for (position, item) in series.enumerated() {
            for run in item.runs {
                for point in run {
                    let bucket =
                        exact
                        ? index[point.t]! : Swift.min(count - 1, Swift.max(0, Int(Double(point.t - start) / width)))
                    let slot = bucket * seriesCount + position
                    if n[slot] == 0 {
                        (low[slot], high[slot], sum[slot], n[slot]) = (point.v, point.v, point.v, 1)
                    } else {
                        low[slot] = Swift.min(low[slot], point.v)
                        high[slot] = Swift.max(high[slot], point.v)
                        sum[slot] += point.v
                        n[slot] += 1
                    }
                }
            }
        }
        return (0..<count).map { bucket in
            let from = exact ? distinct[bucket] : start + Int64(Double(bucket) * width)
            let to = exact ? distinct[bucket] : start + Int64(Double(bucket + 1) * width) - 1
            return Column(
                time: exact ? from : (from + to) / 2, start: from, end: to,
                values: (0..<seriesCount).map { position in
                    let slot = bucket * seriesCount + position
                    return n[slot] == 0
                        ? nil : Summary(low: low[slot], high: high[slot], mean: sum[slot] / Double(n[slot]))
                })
        }
    }

    /// The distinct times of the points, sorted, when there are at most `limit` of them; the
    /// search stops at the first one over (sorting every point's time was a tenth of rendering a
    /// function page).
    func distinctTimes(atMost limit: Int) -> [Int64]? {
        var seen = Set<Int64>()
        for item in series {
            for run in item.runs {
                for point in run {
                    seen.insert(point.t)
                    if seen.count > limit { return nil }
                }
            }
        }
        return seen.sorted()
    }

    /// A sentence for `<desc>`: each series' range, peak and last value (the first five).
    func summary(title: String, unit: ValueUnit, zone: TimeZone) -> String {
        guard let span else { return "\(title): no data." }
        var parts: [String] = []
        for item in series.prefix(5) {
            guard let (_, last, low, peak, _) = item.extremes else {
                parts.append("\(SVG.clip(item.name, 60)): no data")
                continue
            }
            parts.append(
                "\(SVG.clip(item.name, 60)) from \(unit.format(low.v)) to \(unit.format(peak.v)) (highest at "
                    + "\(TimeScale.label(Instant(seconds: peak.t), zone: zone))), last \(unit.format(last.v))"
                    + (item.gaps > 0 ? ", \(item.gaps) \(item.gaps == 1 ? "gap" : "gaps")" : ""))
        }
        if series.count > 5 { parts.append("and \(series.count - 5) more series") }
        return "\(SVG.clip(title, 120)), \(TimeScale.label(span.lowerBound, zone: zone)) to "
            + "\(TimeScale.label(span.upperBound, zone: zone)): " + parts.joined(separator: "; ") + "."
    }

    /// Every value when the series share at most 60 times; else one row per series with its
    /// figures, so that the table stays readable whatever the input size.
    func table(unit: ValueUnit, zone: TimeZone) -> DataTable {
        // Every value only when there are few times: the columns are not summed otherwise.
        let columns = distinctTimes(atMost: 60) == nil ? [] : self.columns(max: 60)
        let names = series.map { SVG.clip($0.name, 200) }
        let daily = daily(zone)
        if !columns.isEmpty, columns.count <= 60, columns.allSatisfy({ $0.start == $0.end }) {
            return DataTable(
                columns: ["Time"] + names,
                rows: columns.map { column in
                    [label(column.time, zone: zone, daily: daily)]
                        + column.values.map { $0.map { unit.format($0.mean) } ?? "—" }
                })
        }
        return DataTable(
            columns: ["Series", "Points", "First", "Last", "Lowest", "Highest", "Mean", "Gaps"],
            rows: series.enumerated().map { index, item in
                guard let (first, last, low, high, sum) = item.extremes else {
                    return [names[index], "0", "—", "—", "—", "—", "—", "—"]
                }
                let mean = sum / Double(item.count)
                func at(_ point: (t: Int64, v: Double)) -> String {
                    "\(unit.format(point.v)) at \(TimeScale.label(Instant(seconds: point.t), zone: zone))"
                }
                return [
                    names[index], ValueUnit.count.format(Double(item.count)), at(first), at(last), at(low), at(high),
                    unit.format(mean), ValueUnit.count.format(Double(item.gaps)),
                ]
            })
    }
}
