import Foundation
import HeadroomModel
import HeadroomTestSupport
import Testing

@testable import HeadroomCharts

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Parses SVG text as XML; returns the parser's error, or nil when it is well-formed.
func xmlError(_ svg: String) -> String? {
    let parser = XMLParser(data: Data(svg.utf8))
    return parser.parse() ? nil : "\(parser.parserError.map { "\($0)" } ?? "unknown") at line \(parser.lineNumber)"
}

/// Checks what every chart must be: well-formed, small, only finite numbers, named and described.
func checkInvariants(_ chart: Chart, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(xmlError(chart.svg) == nil, "\(chart.id): \(xmlError(chart.svg) ?? "")", sourceLocation: sourceLocation)
    #expect(
        chart.svg.utf8.count < Charts.byteLimit, "\(chart.id): \(chart.svg.utf8.count) bytes",
        sourceLocation: sourceLocation)
    for bad in ["NaN", "nan", "inf", "Infinity"] {
        #expect(
            !chart.svg.contains("\"\(bad)") && !chart.svg.contains(" \(bad)"), "\(chart.id) prints \(bad)",
            sourceLocation: sourceLocation)
    }
    #expect(chart.svg.contains("role=\"img\""), sourceLocation: sourceLocation)
    #expect(chart.svg.contains("<title id=\"\(chart.id)-title\">"), sourceLocation: sourceLocation)
    #expect(chart.svg.contains("<desc id=\"\(chart.id)-desc\">"), sourceLocation: sourceLocation)
    #expect(!chart.summary.isEmpty, sourceLocation: sourceLocation)
}

/// The `d` attributes of the chart's series paths.
func seriesPaths(_ svg: String) -> [String] {
    guard let start = svg.range(of: "<g class=\"series\">"),
        let end = svg.range(of: "</g>", range: start.upperBound..<svg.endIndex)
    else { return [] }
    return svg[start.upperBound..<end.lowerBound].components(separatedBy: " d=\"").dropFirst().map {
        String($0.prefix { $0 != "\"" })
    }
}

/// The absolute points of path data, one array per subpath: `M` and `L` absolute, `l` relative,
/// numbers separated by spaces or by their minus sign.
func pathPoints(_ path: String) -> [[(x: Double, y: Double)]] {
    var runs: [[(x: Double, y: Double)]] = []
    var command: Character = "M"
    var numbers: [Double] = []
    var number = ""
    func flushNumber() {
        if !number.isEmpty { numbers.append(Double(number)!) }
        number = ""
    }
    func flushPair() {
        guard numbers.count == 2 else { return }
        let last = runs.last?.last ?? (0, 0)
        let point = command == "l" ? (x: last.x + numbers[0], y: last.y + numbers[1]) : (x: numbers[0], y: numbers[1])
        if command == "M" {
            runs.append([point])
            command = "L"
        } else {
            runs[runs.count - 1].append(point)
        }
        numbers = []
    }
    for character in path + " " {
        switch character {
        case "M", "L", "l", "Z":
            flushNumber()
            flushPair()
            command = character
        case " ":
            flushNumber()
            flushPair()
        case "-":
            flushNumber()
            flushPair()
            number = "-"
        default: number.append(character)
        }
        if numbers.count == 2 { flushPair() }
    }
    return runs
}

let utc = TimeZone(identifier: "UTC")!
let berlin = TimeZone(identifier: "Europe/Berlin")!

func hourly(_ values: [Double], from start: Int64 = 1_794_783_600) -> [Point] {
    values.enumerated().map { Point(time: Instant(seconds: start + Int64($0.offset) * 3600), value: $0.element) }
}

@Suite struct GalleryGoldenTests {
    @Test func everyKindMatchesItsGoldenSVG() throws {
        let specimens = Gallery.specimens()
        #expect(
            Set(specimens.map(\.name)) == [
                "line", "area", "stacked-area", "stacked-bars", "bars", "diverging", "sparkline", "burn-down",
                "burn-rate", "bullets", "quota-trend", "bands", "heatmap", "histogram",
            ])
        for specimen in specimens {
            checkInvariants(specimen.chart)
            if let failure = try TestSupport.assertGolden(specimen.chart.svg, named: "charts/\(specimen.name).svg") {
                Issue.record(Comment(rawValue: failure))
            }
        }
    }

    /// Values at the edge of what CloudWatch stores (±2^360), against thresholds and bins that
    /// make coordinates and bin indexes huge, draw without a trap; coordinates are held on the
    /// page.
    @Test func extremeValuesDrawWithoutATrap() throws {
        #expect(SVG.number(1e300) == "1000000000")
        #expect(SVG.number(-1e300) == "-1000000000")
        let extreme = [-0x1p360, 0x1p360, 1e-300, 0, 3]
        let start = Instant(seconds: 1_795_000_000)
        let points = extreme.enumerated().map {
            Point(time: Instant(seconds: start.seconds + Int64($0.offset) * 300), value: $0.element)
        }
        let options = ChartOptions(id: "x", title: "x", thresholds: [Threshold(1e-300, "tiny")])
        for chart in [
            Charts.histogram(extreme, options), Charts.histogram([1e-300, 2e-300, 0x1p360], options),
            Charts.line([Series("a", points)], options),
            Charts.quotaTrend(usage: points, limit: 1e-300, projectedExhaustion: nil, options),
        ] {
            #expect(xmlError(chart.svg) == nil)
        }
    }

    @Test func theSameInputGivesTheSameBytes() {
        #expect(Gallery.specimens().map(\.chart.svg) == Gallery.specimens().map(\.chart.svg))
    }
}

@Suite struct EdgeCaseTests {
    let options = ChartOptions(id: "c", title: "Edge")

    @Test func emptyInputSaysNoData() {
        for chart in [
            Charts.line([], options), Charts.line([Series("a", [])], options), Charts.stackedArea([], options),
            Charts.bars(categories: [], [], options), Charts.diverging([], options), Charts.bullets([], options),
            Charts.histogram([], options), Charts.percentileBands([], options),
        ] {
            checkInvariants(chart)
            #expect(chart.svg.contains("No data"), "\(chart.svg)")
        }
        let heat = Charts.heatmap([], days: Instant(seconds: 0)..<Instant(seconds: 86_400), options)
        checkInvariants(heat)
        // One outlined cell per hour without data, in one path, and the legend's swatch.
        #expect(heat.svg.components(separatedBy: "class=\"gap\"").count - 1 == 2)
        let gaps = heat.svg.components(separatedBy: "class=\"gap\" d=\"").dropFirst().first?.prefix { $0 != "\"" } ?? ""
        #expect(gaps.filter { $0 == "M" }.count == 24, "\(gaps)")
    }

    @Test func relativePathDataAddsUpToTheRoundedCoordinates() {
        // 10,000 steps of a third of a pixel: relative steps between rounded coordinates never drift.
        let run: [(x: Double, y: Double)] = (0..<10_000).map { step in
            let angle: Double = Double(step) / 50
            let y: Double = 100 + 40 * sin(angle) - 0.04
            return (x: Double(step) / 3, y: y)
        }
        let gap = [(x: 5000.0, y: -7.25), (x: 5001.0, y: -7.3)]
        let path = SVG.path([run, gap])
        #expect(path.hasPrefix("M0 100l0.3 0.8 0.4 0.8 0.3 0.8"), "\(path.prefix(80))")
        #expect(path.hasSuffix(" M5000-7.3l1 0"), "\(path.suffix(40))")
        let drawn = pathPoints(path)
        #expect(drawn.count == 2 && drawn[0].count == run.count && drawn[1].count == 2)
        for (point, expected) in zip(drawn[0] + drawn[1], run + gap) {
            #expect(
                abs(point.x - expected.x) <= 0.0500001 && abs(point.y - expected.y) <= 0.0500001, "\(point) \(expected)"
            )
        }
        #expect(!path.contains(" -") && !path.contains("nan"))
    }

    @Test func aSinglePointIsDrawnAsADot() {
        let chart = Charts.line([Series("one", [Point(time: Instant(seconds: 3600), value: 5)])], options)
        checkInvariants(chart)
        let paths = seriesPaths(chart.svg)
        #expect(paths.count == 1)
        #expect(paths[0].hasPrefix("M") && !paths[0].contains("L"))
        #expect(chart.svg.contains("stroke-linecap=\"round\""))
        #expect(chart.table.rows.count == 1)
    }

    @Test func allZerosKeepAVisibleAxisAndZeroLine() {
        let chart = Charts.line([Series("zeros", hourly([0, 0, 0, 0]))], options)
        checkInvariants(chart)
        #expect(chart.svg.contains("class=\"zero\""))
        let scale = LinearScale([0, 0, 0])
        #expect(scale.lower == 0 && scale.upper == 1)
    }

    @Test func negativeValuesGoBelowZero() {
        let scale = LinearScale([-3, 7])
        #expect(scale.ticks.contains(0))
        #expect(scale.lower <= -3 && scale.upper >= 7)
        let bars = Charts.bars(categories: ["a", "b"], [BarSeries("x", [-5, 10])], options)
        checkInvariants(bars)
        checkInvariants(
            Charts.diverging(
                [("down", -12.5), ("up", 3)], ChartOptions(id: "d", title: "Movers", unit: .currency("USD"))))
    }

    @Test func hugeAndTinyRangesStayFinite() {
        let huge = Charts.line([Series("huge", hourly([1e-3, 1e12, 5e11]))], options)
        checkInvariants(huge)
        #expect(huge.svg.contains(">1,000G<") || huge.svg.contains(">1.0T<") || huge.svg.contains("G<"))
        let tiny = Charts.line(
            [Series("tiny", hourly([1e9, 1e9 + 1e-4, 1e9 + 2e-4]))],
            ChartOptions(id: "t", title: "Tiny", includeZero: false))
        checkInvariants(tiny)
        let subnormal = Charts.line([Series("sub", hourly([1e-300, 2e-300]))], options)
        checkInvariants(subnormal)
    }

    @Test func gapsAreGapsNeverZeroAndNeverBridged() {
        // NaN, +Inf and a missing hour: three runs, and nothing drawn at zero.
        let points = hourly([5, 6, .nan, 7, 8, .infinity, 9, 10]) + hourly([12, 13], from: 1_794_783_600 + 10 * 3600)
        let chart = Charts.line([Series("gappy", points, period: 3600)], options)
        checkInvariants(chart)
        let path = seriesPaths(chart.svg)[0]
        #expect(path.components(separatedBy: "M").count - 1 == 4, "\(path)")
        #expect(chart.summary.contains("3 gaps"))
        // The table marks the missing hours, and the lowest value is 5, not 0.
        #expect(chart.table.rows.contains { $0[1] == "—" } == false)  // missing hours are simply absent from the rows
        #expect(chart.table.rows.count == 8)
        #expect(!chart.summary.contains("from 0 "))
    }

    @Test func aMillionPointsAreDownsampledKeepingTheSpike() {
        var values = [Double](repeating: 0, count: 1_000_000)
        for index in values.indices { values[index] = Double(index % 97) }
        values[612_345] = 50_000
        let points = values.enumerated().map { Point(time: Instant(seconds: Int64($0.offset) * 60), value: $0.element) }
        let chart = Charts.line([Series("big", points, period: 60)], options)
        checkInvariants(chart)
        let path = seriesPaths(chart.svg)[0]
        // No more than a point per two pixels of the 720-pixel chart.
        let drawn = Array(pathPoints(path).joined())
        #expect(drawn.count <= 720 / 2, "\(drawn.count) points drawn")
        // The spike is the highest point: its y is the plot's top (the smallest y drawn).
        let top = drawn.map { $0.y }.min()!
        let scale = LinearScale([0, 50_000], targetTicks: 5)
        #expect(scale.upper >= 50_000)
        #expect(top < 60, "the spike reaches near the top: \(top)")
        #expect(chart.table.rows.count == 1)  // one summary row
        #expect(chart.table.rows[0][5].hasPrefix("50,000"))
    }

    @Test func fortySeriesStayUnderTheLimit() {
        let series = (0..<40).map { index in
            Series("function-\(index)", hourly((0..<168).map { Double(($0 * (index + 3)) % 211) }), period: 3600)
        }
        let chart = Charts.line(series, options)
        checkInvariants(chart)
        #expect(seriesPaths(chart.svg).count == 40)
        #expect(chart.svg.contains("… 34 more in the table"))
        let stacked = Charts.stackedArea(series, options)
        checkInvariants(stacked)
        let bars = Charts.bars(
            categories: (0..<500).map { "day \($0)" },
            series.map { BarSeries($0.name, $0.points.map(\.value) + [Double?](repeating: nil, count: 332)) }, options,
            stacked: true)
        checkInvariants(bars)
    }

    @Test func aHostileLabelIsEscapedAndClipped() {
        let hostile = "<script>alert('x')</script>&\"\u{0}\u{7}" + String(repeating: "A", count: 100_000)
        let charts = [
            Charts.line(
                [Series(hostile, hourly([1, 2]))],
                ChartOptions(id: "h\"><x", title: hostile, markers: [Marker(Instant(seconds: 1_794_783_600), hostile)])),
            Charts.bars(categories: [hostile], [BarSeries(hostile, [1])], ChartOptions(id: "b", title: hostile)),
            Charts.diverging([(hostile, 1)], ChartOptions(id: "d", title: hostile)),
            Charts.bullets(
                [Bullet(hostile, value: 1, limit: 2, detail: hostile)], ChartOptions(id: "u", title: hostile)),
            Charts.heatmap(
                [], days: Instant(seconds: 0)..<Instant(seconds: 86_400), ChartOptions(id: "m", title: hostile)),
            Charts.sparkline(Series(hostile, hourly([1, 2])), id: "s", title: hostile, unit: .count, zone: utc),
        ]
        for chart in charts {
            checkInvariants(chart)
            #expect(!chart.svg.contains("<script"))
            #expect(!chart.svg.contains("\u{0}") && !chart.svg.contains("\u{7}"))
            #expect(chart.svg.utf8.count < 20_000)
            #expect(chart.table.rows.allSatisfy { $0.allSatisfy { $0.count <= 200 } })
        }
    }
}

@Suite struct ScaleTests {
    @Test func niceStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        #expect(LinearScale.niceStep(0.13) == 0.2)
        #expect(LinearScale.niceStep(3) == 5)
        #expect(LinearScale.niceStep(7) == 10)
        #expect(LinearScale.niceStep(1) == 1)
        #expect(LinearScale.niceStep(1700) == 2000)
        let scale = LinearScale([0, 87], targetTicks: 5)
        #expect(scale.step == 20)
        #expect(scale.ticks == [0, 20, 40, 60, 80, 100])
        let offset = LinearScale([940, 1010], includeZero: false, targetTicks: 4)
        #expect(offset.ticks.first! <= 940 && offset.ticks.last! >= 1010 && offset.ticks.first! > 0)
    }

    @Test func dayTicksFallOnLocalMidnightAcrossTheEndOfSummerTime() {
        // Berlin leaves summer time on Sunday 25 October 2026: that day has 25 hours.
        let start = Instant(seconds: 1_792_360_800)  // Mon 19 Oct 00:00 +02:00
        let scale = TimeScale(
            start: start, end: Instant(seconds: start.seconds + 7 * 86_400 + 7200), zone: berlin, targetTicks: 8)
        #expect(
            scale.ticks.map(\.label) == [
                "Mon 19 Oct", "Tue 20 Oct", "Wed 21 Oct", "Thu 22 Oct", "Fri 23 Oct", "Sat 24 Oct", "Sun 25 Oct",
                "Mon 26 Oct",
            ])
        let gaps = zip(scale.ticks, scale.ticks.dropFirst()).map { $1.time.seconds - $0.time.seconds }
        #expect(gaps == [86_400, 86_400, 86_400, 86_400, 86_400, 86_400, 90_000])
        #expect(
            TimeScale.label(Instant(seconds: 1_792_360_800 + 6 * 86_400 + 3 * 3600), zone: berlin) == "Sun 25 Oct 02:00"
        )
    }

    @Test func shortSpansGetHoursAndLongSpansGetWeeks() {
        let start = Instant(seconds: 1_794_783_600)
        let day = TimeScale(start: start, end: Instant(seconds: start.seconds + 86_400), zone: berlin)
        #expect(day.ticks.first?.label == "Mon 16 Nov")
        #expect(day.ticks.dropFirst().first?.label.hasSuffix(":00") == true)
        let weeks = TimeScale(start: start, end: Instant(seconds: start.seconds + 49 * 86_400), zone: berlin)
        #expect(weeks.ticks.first?.label == "W47 · 16 Nov")
        #expect(weeks.weekStarts.map(\.week.week) == [48, 49, 50, 51, 52, 53])
        let year = TimeScale(start: start, end: Instant(seconds: start.seconds + 300 * 86_400), zone: berlin)
        #expect(year.ticks.contains { $0.label == "Jan 2027" })
    }
}

@Suite struct UnitTests {
    @Test func valuesAreFormattedInTheirUnits() {
        #expect(ValueUnit.count.format(12_345) == "12,345")
        #expect(ValueUnit.milliseconds.format(850) == "850 ms")
        #expect(ValueUnit.milliseconds.format(5610) == "5.61 s")
        #expect(ValueUnit.milliseconds.format(12.5) == "12.5 ms")
        #expect(ValueUnit.seconds.format(32_100) == "8.9 h")
        #expect(ValueUnit.bytes.format(1_572_864) == "1.5 MB")
        #expect(ValueUnit.percent.format(0.004) == "<0.01%")
        #expect(ValueUnit.percent.format(42) == "42.00%")
        #expect(ValueUnit.currency("USD").format(1234.5) == "1,234.50 USD")
        #expect(ValueUnit.currency("EUR").format(-0.42) == "−0.42 EUR")
        #expect(ValueUnit.ratio.format(14.4) == "14.4×")
    }

    /// Evenly spaced ticks get evenly spaced labels after the unit conversion: the step is nice
    /// in hours, minutes, days or KB, not in the seconds or bytes of the data.
    @Test func tickLabelsAreEvenAfterTheUnitConversion() {
        let age = LinearScale([0, 32_104], targetTicks: 5, unit: .seconds)
        #expect(ValueUnit.seconds.ticks(age.ticks, step: age.step) == ["0", "2 h", "4 h", "6 h", "8 h", "10 h"])
        let wait = LinearScale([0, 1_030_000], targetTicks: 4, unit: .milliseconds)
        #expect(
            ValueUnit.milliseconds.ticks(wait.ticks, step: wait.step) == ["0", "5 min", "10 min", "15 min", "20 min"])
        for unit in [ValueUnit.seconds, .milliseconds, .bytes] {
            for largest in Array(stride(from: 7.0, to: 5e7, by: 7_777.7)) + [
                59, 61, 3599, 3601, 86_399, 475_262, 1_048_575,
            ] {
                for targets in 2...8 {
                    let scale = LinearScale([0, largest], targetTicks: targets, unit: unit)
                    let numbers = unit.ticks(scale.ticks, step: scale.step).map {
                        Double($0.split(separator: " ")[0].replacingOccurrences(of: ",", with: ""))!
                    }
                    let steps = zip(numbers.dropFirst(), numbers).map { $0 - $1 }
                    #expect(
                        steps.allSatisfy { abs($0 - steps[0]) < 1e-9 }, "\(unit) \(largest) \(targets): \(numbers)")
                }
            }
        }
    }

    /// A histogram's bins are labelled like ticks: one unit, evenly spaced, exact (not
    /// 50.00 s → 1.0 min → 1.2 min).
    @Test func histogramBinsShareOneUnitAndEvenSteps() {
        let durations = stride(from: 50_000.0, through: 90_000, by: 250).map { $0 }
        let labels = Charts.histogram(durations, ChartOptions(id: "h", title: "H", unit: .milliseconds)).table.rows
            .map { $0[0] }
        #expect(labels.prefix(3) == ["50 s", "52 s", "54 s"], "\(labels)")
        for unit in [ValueUnit.seconds, .milliseconds, .bytes, .count] {
            for (low, high) in [(0.0, 59.0), (50.0, 130.0), (50_000, 119_000), (100, 8000), (3000, 9000), (7, 7e6)] {
                let values = stride(from: low, through: high, by: (high - low) / 400).map { $0 }
                let bins = Charts.histogram(values, ChartOptions(id: "h", title: "H", unit: unit)).table.rows.map {
                    $0[0]
                }
                let units = Set(bins.filter { $0 != "0" }.map { $0.split(separator: " ").dropFirst().joined() })
                #expect(units.count <= 1, "\(unit) \(low)–\(high): \(bins)")
                let numbers = bins.map {
                    Double(
                        $0.split(separator: " ")[0].replacingOccurrences(of: ",", with: "")
                            .trimmingCharacters(in: CharacterSet(charactersIn: "kMG")))!
                }
                let steps = zip(numbers.dropFirst(), numbers).map { $0 - $1 }
                #expect(steps.allSatisfy { abs($0 - steps[0]) < 1e-9 }, "\(unit) \(low)–\(high): \(bins)")
            }
        }
    }

    @Test func tickLabelsShareOneUnitAndAsFewDecimalsAsTheStepNeeds() {
        #expect(ValueUnit.count.ticks([0, 500, 1000, 1500], step: 500) == ["0", "500", "1,000", "1,500"])
        #expect(ValueUnit.count.ticks([0, 5000, 10_000, 15_000], step: 5000) == ["0", "5k", "10k", "15k"])
        #expect(ValueUnit.count.ticks([0, 2_000_000, 4_000_000], step: 2_000_000) == ["0", "2M", "4M"])
        #expect(ValueUnit.milliseconds.ticks([0, 500, 1000], step: 500) == ["0", "0.5 s", "1.0 s"])
        #expect(ValueUnit.milliseconds.ticks([0, 20, 40], step: 20) == ["0", "20 ms", "40 ms"])
        #expect(ValueUnit.bytes.ticks([0, 1_048_576, 2_097_152], step: 1_048_576) == ["0", "1 MB", "2 MB"])
        #expect(ValueUnit.currency("USD").ticks([0, 0.5, 1], step: 0.5) == ["0", "0.5", "1.0"])
        #expect(ValueUnit.percent.ticks([0, 25, 50], step: 25) == ["0", "25%", "50%"])
        #expect(ValueUnit.count.ticks([-20, 0, 20], step: 20) == ["−20", "0", "20"])
    }
}

@Suite struct DownsampleTests {
    @Test func lttbKeepsTheEndsTheCountAndTheExtremes() {
        var points = (0..<10_000).map { (x: Double($0), y: Double($0 % 10)) }
        points[4321].y = 1000
        points[7777].y = -1000
        let chosen = Downsample.lttb(points, to: 200)
        #expect(chosen.count == 200)
        #expect(chosen.first == 0 && chosen.last == 9999)
        #expect(chosen.contains(4321) && chosen.contains(7777))
        #expect(zip(chosen, chosen.dropFirst()).allSatisfy { $0 < $1 })
        #expect(Downsample.lttb(Array(points.prefix(50)), to: 200) == Array(0..<50))
    }

    @Test func svgNumbersHaveBoundedPrecision() {
        #expect(SVG.number(12.345) == "12.3")
        #expect(SVG.number(-0.04) == "0")
        #expect(SVG.number(-0.06) == "-0.1")
        #expect(SVG.number(.nan) == "0")
        #expect(SVG.escape("a<b & \"c\"\u{1}") == "a&lt;b &amp; &quot;c&quot;")
    }
}
