import Foundation
import HeadroomModel
import Testing

@testable import HeadroomCharts

/// A time chart's hover layer (the data `assets/charts.js` shows), the escaping of chart text,
/// and the wall clock charts read times on.
@Suite struct HoverTests {
    /// An attribute of the first element that has `marker` among its attributes, unescaped.
    func attribute(_ name: String, in svg: String, after marker: String) -> String? {
        guard let start = svg.range(of: marker),
            let open = svg.range(of: " \(name)=\"", range: start.lowerBound..<svg.endIndex),
            let close = svg.range(of: "\"", range: open.upperBound..<svg.endIndex)
        else { return nil }
        return String(svg[open.upperBound..<close.lowerBound])
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    @Test func eachColumnCarriesItsTimeAndEverySeriesRange() throws {
        // A week of hourly values from Monday 16 Nov 2026 00:00 UTC; the second series has a
        // gap on Tuesday from 00:00 to 07:59 and a name made to break the layer's fields.
        let start: Int64 = 1_794_787_200
        let first = (0..<168).map { Double(($0 * 37) % 101) }
        let second = (0..<168).map { Double(1_000 + ($0 * 53) % 997) }
        let gap = 24..<32
        let points = { (values: [Double], skip: Range<Int>) in
            values.indices.filter { !skip.contains($0) }.map {
                Point(time: Instant(seconds: start + Int64($0) * 3600), value: values[$0])
            }
        }
        let name = "a|b;c\td\ne <x> & \"q\""
        var options = ChartOptions(id: "hover", title: "Hover", unit: .count, zone: utc)
        options.span = Instant(seconds: start)..<Instant(seconds: start + 7 * 86_400)
        let chart = Charts.line(
            [Series("first", points(first, 0..<0), period: 3600), Series(name, points(second, gap), period: 3600)],
            options)
        #expect(xmlError(chart.svg) == nil)
        let edges = try #require(attribute("data-edges", in: chart.svg, after: "class=\"hover\"")).split(separator: " ")
            .map { Double($0)! }
        let tips = try #require(attribute("data-tips", in: chart.svg, after: "class=\"hover\"")).split(
            separator: ";", omittingEmptySubsequences: false
        ).map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
        let series = try #require(attribute("data-series", in: chart.svg, after: "class=\"hover\""))
        // Four-hour columns: 42 for the week, their edges rising across the plot.
        #expect(tips.count == 42)
        #expect(edges.count == 43)
        #expect(zip(edges, edges.dropFirst()).allSatisfy { $0 < $1 })
        #expect(series == "first|a/b/c d e <x> & \"q\"")
        #expect(attribute("data-more", in: chart.svg, after: "class=\"hover\"") == nil)
        // Each column, worked out again from the values: its time, then each series' lowest and
        // highest (or "no data").
        for (column, fields) in tips.enumerated() {
            #expect(fields.count == 3)
            let hours = column * 4..<column * 4 + 4
            let day = DayLabel.day(Int64(start / 86_400) + Int64(column / 6))
            let from = DayLabel.twoDigits(hours.lowerBound % 24)
            let to = DayLabel.twoDigits(hours.upperBound % 24 == 0 ? 23 : hours.upperBound % 24 - 1)
            #expect(fields[0] == "\(day) \(from):00–\(to):59")
            for (index, values) in [first, second].enumerated() {
                let inside = hours.filter { index == 0 || !gap.contains($0) }.map { values[$0] }
                guard let low = inside.min(), let high = inside.max() else {
                    #expect(fields[index + 1] == "no data")
                    continue
                }
                let expected =
                    low == high
                    ? Format.fixed(low, 0, group: true)
                    : "\(Format.fixed(low, 0, group: true)) to \(Format.fixed(high, 0, group: true))"
                #expect(fields[index + 1] == expected, "column \(column), series \(index)")
            }
        }
        #expect(tips[6][2] == "no data" && tips[7][2] == "no data" && tips[8][2] != "no data")
        // One layer, no element or title per column: the chart's own title is the only one.
        #expect(chart.svg.components(separatedBy: "<title").count == 2)
        #expect(chart.svg.components(separatedBy: "<rect").count == 2)
    }

    @Test func moreSeriesThanShownAreNamedInTheTable() throws {
        let points = (0..<24).map { Point(time: Instant(seconds: 1_794_787_200 + Int64($0) * 3600), value: Double($0)) }
        let chart = Charts.line(
            (0..<8).map { Series("s\($0)", points, period: 3600) },
            ChartOptions(id: "many", title: "Many", unit: .count, zone: utc))
        #expect(attribute("data-more", in: chart.svg, after: "class=\"hover\"") == "… 2 more in the table")
        let tips = try #require(attribute("data-tips", in: chart.svg, after: "class=\"hover\""))
        #expect(tips.split(separator: ";").allSatisfy { $0.split(separator: "|").count == 7 })
    }

    @Test func aCurrencyFromTheInputCannotSplitAField() throws {
        // A cost's unit comes from the input: its code is cleared of the layer's separators.
        let points = (0..<24).map { Point(time: Instant(seconds: 1_794_787_200 + Int64($0) * 3600), value: 2.5) }
        let chart = Charts.line(
            [Series("cost", points, period: 3600)],
            ChartOptions(id: "cost", title: "Cost", unit: .currency("U|S;D"), zone: utc))
        let tips = try #require(attribute("data-tips", in: chart.svg, after: "class=\"hover\""))
        let columns = tips.split(separator: ";").map { $0.split(separator: "|") }
        #expect(columns.count == 24)
        #expect(columns.allSatisfy { $0.count == 2 && $0[1] == "2.50 U/S/D" })
    }

    @Test func escapingKeepsTextAndDropsWhatXMLForbids() {
        // Letters beyond ASCII, tabs and newlines stay; C1 controls and the non-characters
        // U+FFFE and U+FFFF go; markup is escaped.
        #expect(SVG.escape("µs – é\tx\ny ·") == "µs – é\tx\ny ·")
        #expect(SVG.escape("a\u{85}b\u{9F}c\u{FFFE}d\u{FFFF}e\u{FFFD}") == "abcde\u{FFFD}")
        #expect(SVG.escape("Ω<\u{7F}>") == "Ω&lt;&gt;")
        #expect(SVG.escape("\u{A0}\u{C0}\u{EFBF}") == "\u{A0}\u{C0}\u{EFBF}")
    }

    @Test func theWallClockAgreesWithTheZoneAcrossTransitions() {
        // Five minutes apart through 2026 and back again out of order, in zones with summer time
        // (Berlin, New York, Lord Howe's half hour), without (Kathmandu's quarter hour) and UTC.
        let zones = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu"]
        let start: Int64 = 1_767_225_600
        for identifier in zones {
            let zone = TimeZone(identifier: identifier)!
            var clock = LocalClock(zone)
            var times = Array(stride(from: start, to: start + 366 * 86_400, by: 300))
            times += times.reversed().prefix(5_000) + [start - 1, start + 1_000_000_007]
            var differences = 0
            for time in times where clock.local(Instant(seconds: time)) != TimeScale.local(Instant(seconds: time), zone)
            {
                differences += 1
            }
            #expect(differences == 0, "\(identifier)")
        }
    }
}
