import Foundation
import HeadroomModel
import HeadroomTestSupport
import Testing

@testable import HeadroomCharts

/// The service map's layout: a golden picture, no two boxes overlapping, every call from a box's
/// right side to another's left side (or drawn back under the row), and the waterfall's bars.
@Suite struct MapChartTests {
    /// client → api → fn → {table, queue, fn2 → remote}, fn2 → fn (a loop), and a lone node.
    static func map() -> Chart {
        let names = ["client", "api", "fn", "table", "queue", "fn2", "remote", "lone"]
        let shapes: [MapNodeInput.Shape] = [
            .client, .service, .service, .resource, .resource, .service, .remote, .service,
        ]
        let nodes = names.enumerated().map { index, name in
            MapNodeInput(
                id: name, label: name, figures: "\(index * 100) req", detail: "", shape: shapes[index],
                level: index == 5 ? .critical : .ok, href: index == 2 ? "functions/fn.html" : nil)
        }
        let calls = [
            ("client", "api"), ("api", "fn"), ("fn", "table"), ("fn", "queue"), ("fn", "fn2"), ("fn2", "remote"),
            ("fn2", "fn"),
        ].map { MapEdgeInput(from: $0.0, to: $0.1, label: "\($0.0)→\($0.1)", detail: "", level: .ok) }
        return Charts.serviceMap(nodes, calls, ChartOptions(id: "map", title: "Map", width: 1080))
    }

    struct Box {
        var x: Double
        var y: Double
        var width: Double
        var height: Double
    }

    static func numbers(_ text: Substring) -> [Double] {
        text.split(whereSeparator: { !"0123456789.-".contains($0) }).compactMap { Double($0) }
    }

    static func attribute(_ name: String, in element: Substring) -> Double? {
        guard let range = element.range(of: " \(name)=\"") else { return nil }
        return Double(element[range.upperBound...].prefix { $0 != "\"" })
    }

    @Test func matchesItsGoldenPicture() throws {
        if let failure = try TestSupport.assertGolden(Self.map().svg, named: "charts/service-map.svg") {
            Issue.record(Comment(rawValue: failure))
        }
    }

    @Test func boxesDoNotOverlapAndCallsMeetTheirBoxes() throws {
        let svg = Self.map().svg
        var boxes: [Box] = []
        for line in svg.split(separator: "\n") where line.hasPrefix("<rect ") && line.contains("rx=\"8\"") {
            boxes.append(
                Box(
                    x: try #require(Self.attribute("x", in: line)), y: try #require(Self.attribute("y", in: line)),
                    width: try #require(Self.attribute("width", in: line)),
                    height: try #require(Self.attribute("height", in: line))))
        }
        for line in svg.split(separator: "\n") where line.hasPrefix("<polygon ") {
            let points = try #require(line.range(of: "points=\""))
            let values = Self.numbers(line[points.upperBound...].prefix { $0 != "\"" })
            let xs = stride(from: 0, to: values.count, by: 2).map { values[$0] }
            let ys = stride(from: 1, to: values.count, by: 2).map { values[$0] }
            boxes.append(
                Box(x: xs.min()!, y: ys.min()!, width: xs.max()! - xs.min()!, height: ys.max()! - ys.min()!))
        }
        #expect(boxes.count == 7)  // all but the client's circle
        for (i, a) in boxes.enumerated() {
            for b in boxes[(i + 1)...] {
                let apart =
                    a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y
                #expect(apart, "boxes overlap: \(a) and \(b)")
            }
        }
        // Forward calls: from the middle of a box's right side to the middle of another's left side.
        var forward = 0
        for line in svg.split(separator: "\n") where line.hasPrefix("<path d=\"M") && line.contains("marker-end") {
            let values = Self.numbers(line.dropFirst("<path d=\"M".count).prefix { $0 != "\"" })
            let (x1, y1, x2, y2) = (values[0], values[1], values[values.count - 2], values[values.count - 1])
            let starts = boxes.contains { abs($0.x + $0.width - x1) < 0.15 && abs($0.y + $0.height / 2 - y1) < 0.15 }
            let ends = boxes.contains { abs($0.x - x2) < 0.15 && abs($0.y + $0.height / 2 - y2) < 0.15 }
            if starts && ends { forward += 1 }
        }
        // client → api starts at the circle; fn2 → fn is the loop, drawn back under the row.
        #expect(forward == 5)
        #expect(svg.contains("<a href=\"functions/fn.html\">"))
        #expect(svg.contains("class=\"map-node critical\""))
    }

    @Test func theSameGraphInAnotherOrderGivesTheSamePicture() {
        let nodes = ["b", "a", "c"].map {
            MapNodeInput(id: $0, label: $0, figures: "", detail: "", shape: .service, level: .ok, href: nil)
        }
        let calls = [MapEdgeInput(from: "a", to: "b", label: "", detail: "", level: .ok)]
        let one = Charts.serviceMap(nodes, calls, ChartOptions(id: "m", title: "m"))
        let two = Charts.serviceMap(nodes.reversed(), calls, ChartOptions(id: "m", title: "m"))
        #expect(one.svg == two.svg)
    }

    @Test func aWaterfallDrawsABarPerSpanOnOneAxis() {
        let rows = [
            WaterfallRow(label: "api", depth: 0, offset: 0, duration: 1000, level: .ok, coldStart: false, detail: ""),
            WaterfallRow(label: "Init", depth: 1, offset: 0, duration: 250, level: .ok, coldStart: true, detail: ""),
            WaterfallRow(
                label: "call", depth: 1, offset: 500, duration: nil, level: .critical, coldStart: false, detail: ""),
        ]
        let chart = Charts.waterfall(rows, total: 1000, ChartOptions(id: "w", title: "w", width: 1000))
        #expect(chart.svg.components(separatedBy: "<rect ").count - 1 == 3)
        #expect(chart.svg.contains("class=\"span ok cold-start\""))
        #expect(chart.table.rows.map { $0[2] } == ["1000.0", "250.0", "—"])
        #expect(chart.summary == "3 segments over 1.00 s, with a cold start")
    }
}
