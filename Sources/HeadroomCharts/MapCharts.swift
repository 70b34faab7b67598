import Foundation
import HeadroomModel

/// A node of a service map: its label, the figures under it, its kind (the shape) and health.
public struct MapNodeInput: Sendable {
    public enum Shape: Sendable { case client, service, resource, remote }
    public var id: String
    public var label: String
    public var figures: String
    public var detail: String
    public var shape: Shape
    public var level: Level
    /// A page to open, relative to the page that shows the map.
    public var href: String?

    public init(
        id: String, label: String, figures: String, detail: String, shape: Shape, level: Level, href: String?
    ) {
        self.id = id
        self.label = SVG.clip(label, 200)
        self.figures = SVG.clip(figures, 200)
        self.detail = SVG.clip(detail, 400)
        self.shape = shape
        self.level = level
        self.href = href
    }
}

/// A call between two nodes of a map.
public struct MapEdgeInput: Sendable {
    public var from: String
    public var to: String
    public var label: String
    public var detail: String
    public var level: Level

    public init(from: String, to: String, label: String, detail: String, level: Level) {
        self.from = from
        self.to = to
        self.label = SVG.clip(label, 120)
        self.detail = SVG.clip(detail, 400)
        self.level = level
    }
}

/// One row of a trace's waterfall.
public struct WaterfallRow: Sendable {
    public var label: String
    public var depth: Int
    /// Milliseconds after the trace's start.
    public var offset: Double
    public var duration: Double?
    public var level: Level
    public var coldStart: Bool
    public var detail: String

    public init(
        label: String, depth: Int, offset: Double, duration: Double?, level: Level, coldStart: Bool, detail: String
    ) {
        self.label = SVG.clip(label, 120)
        self.depth = depth
        self.offset = offset
        self.duration = duration
        self.level = level
        self.coldStart = coldStart
        self.detail = SVG.clip(detail, 300)
    }
}

extension Charts {
    /// The most nodes a map lays out; the rest are listed in its table only.
    static let maxMapNodes = 100

    /// A service map laid out in layers from left to right: each node in the layer after the
    /// longest chain of calls that reaches it (calls that close a loop are drawn back), nodes in a
    /// layer ordered to cross fewer edges (a few sweeps of the barycentre heuristic, ties by
    /// label), so the same graph always gives the same picture. Shapes say the kind (a circle for
    /// clients, a rounded box for services, a hexagon for AWS resources, a dashed box for remote
    /// calls), the outline the health, and each node links to its page when it has one.
    public static func serviceMap(_ allNodes: [MapNodeInput], _ allEdges: [MapEdgeInput], _ options: ChartOptions)
        -> Chart
    {
        // Each id once (the first wins), at most `maxMapNodes`.
        var ids: Set<String> = []
        let nodes = Array(allNodes.filter { ids.insert($0.id).inserted }.prefix(maxMapNodes))
        let known = Set(nodes.map(\.id))
        let edges = allEdges.filter { known.contains($0.from) && known.contains($0.to) && $0.from != $0.to }
        let table = DataTable(
            columns: ["Node or call", "Figures"],
            rows: allNodes.map { [$0.label, $0.figures + ($0.detail.isEmpty ? "" : "; " + $0.detail)] }
                + allEdges.map { edge in
                    let from = allNodes.first { $0.id == edge.from }?.label ?? edge.from
                    let to = allNodes.first { $0.id == edge.to }?.label ?? edge.to
                    return ["\(from) → \(to)", edge.label + (edge.detail.isEmpty ? "" : "; " + edge.detail)]
                })
        let summary =
            "A map of \(plural(allNodes.count, "node")) and \(plural(allEdges.count, "call")), left to right in the direction of the calls."
        guard !nodes.isEmpty else {
            var canvas = Canvas(options, kind: "service-map", summary: summary, height: 80)
            canvas.noData(y: 40)
            return Chart(
                id: options.id, title: options.title, svg: canvas.finish(), summary: summary, table: table)
        }
        // Layers: the longest chain of calls from a node without callers; back edges of loops
        // (found depth first from the nodes in their order) do not count.
        let index = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($1.id, $0) })
        var out = Array(repeating: [Int](), count: nodes.count)
        for edge in edges { out[index[edge.from]!].append(index[edge.to]!) }
        var state = Array(repeating: 0, count: nodes.count)  // 0 new, 1 on the stack, 2 done
        var back: Set<[Int]> = []
        var order: [Int] = []
        func visit(_ node: Int, depth: Int) {
            state[node] = 1
            for next in out[node] {
                if state[next] == 1 || depth > 200 {
                    back.insert([node, next])
                } else if state[next] == 0 {
                    visit(next, depth: depth + 1)
                }
            }
            state[node] = 2
            order.append(node)
        }
        let incoming = Set(edges.map { index[$0.to]! })
        for node in nodes.indices where !incoming.contains(node) && state[node] == 0 { visit(node, depth: 0) }
        for node in nodes.indices where state[node] == 0 { visit(node, depth: 0) }
        var layer = Array(repeating: 0, count: nodes.count)
        for node in order.reversed() {
            for next in out[node] where !back.contains([node, next]) { layer[next] = max(layer[next], layer[node] + 1) }
        }
        let layers = (layer.max() ?? 0) + 1
        var rows: [[Int]] = Array(repeating: [], count: layers)
        for node in nodes.indices.sorted(by: { (nodes[$0].label, $0) < (nodes[$1].label, $1) }) {
            rows[layer[node]].append(node)
        }
        var position = Array(repeating: 0.0, count: nodes.count)
        func place() {
            for row in rows { for (slot, node) in row.enumerated() { position[node] = Double(slot) } }
        }
        place()
        var neighbours = Array(repeating: [Int](), count: nodes.count)
        for edge in edges {
            neighbours[index[edge.from]!].append(index[edge.to]!)
            neighbours[index[edge.to]!].append(index[edge.from]!)
        }
        for sweep in 0..<8 {
            let range = sweep % 2 == 0 ? Array(1..<max(1, layers)) : Array((0..<max(0, layers - 1)).reversed())
            for current in range where current < layers {
                let reference = sweep % 2 == 0 ? current - 1 : current + 1
                func centre(_ node: Int) -> Double {
                    let adjacent = neighbours[node].filter { layer[$0] == reference }
                    return adjacent.isEmpty
                        ? position[node] : adjacent.map { position[$0] }.reduce(0, +) / Double(adjacent.count)
                }
                rows[current].sort { (centre($0), nodes[$0].label, $0) < (centre($1), nodes[$1].label, $1) }
                place()
            }
        }
        // Geometry: at least 170 pixels a layer (a wide map scales down to the page).
        var options = options
        options.width = max(options.width, 20 + 170 * layers)
        let width = Double(options.width)
        let tallest = rows.map(\.count).max() ?? 1
        let boxHeight = 44.0
        let rowHeight = 70.0
        let top = 16.0
        let height = Int(top * 2 + Double(tallest) * rowHeight)
        let column = (width - 20) / Double(layers)
        let boxWidth = min(150, column * 0.6)
        let gapCharacters = Int(max(6, (column - boxWidth) / 5.6))
        func centreX(_ node: Int) -> Double { 10 + column * (Double(layer[node]) + 0.5) }
        func centreY(_ node: Int) -> Double {
            let count = Double(rows[layer[node]].count)
            let offset = (Double(tallest) - count) * rowHeight / 2
            return top + offset + (position[node] + 0.5) * rowHeight
        }
        var canvas = Canvas(options, kind: "service-map", summary: summary, height: height)
        canvas.svg.raw(
            "<defs><marker id=\"\(SVG.escape(options.id))-arrow\" viewBox=\"0 0 8 8\" refX=\"8\" refY=\"4\""
                + " markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0 0L8 4L0 8z\""
                + " fill=\"\(muted)\"/></marker></defs>\n")
        // Edges first, under the nodes.
        for edge in edges {
            let from = index[edge.from]!
            let to = index[edge.to]!
            // A client's circle is as wide as a box is high.
            let x1 = centreX(from) + (nodes[from].shape == .client ? boxHeight : boxWidth) / 2
            let y1 = centreY(from)
            let x2 = centreX(to) - (nodes[to].shape == .client ? boxHeight : boxWidth) / 2
            let y2 = centreY(to)
            let d: String
            let labelX: Double
            let labelY: Double
            if back.contains([from, to]) || layer[to] <= layer[from] {
                // Drawn under the row, back to the left.
                let below = max(y1, y2) + boxHeight / 2 + 14
                d =
                    "M\(SVG.number(centreX(from))) \(SVG.number(y1 + boxHeight / 2))C\(SVG.number(centreX(from))) \(SVG.number(below)) \(SVG.number(centreX(to))) \(SVG.number(below)) \(SVG.number(centreX(to))) \(SVG.number(y2 + boxHeight / 2))"
                labelX = (centreX(from) + centreX(to)) / 2
                labelY = below + 4
            } else {
                let bend = (x2 - x1) / 2
                d =
                    "M\(SVG.number(x1)) \(SVG.number(y1))C\(SVG.number(x1 + bend)) \(SVG.number(y1)) \(SVG.number(x2 - bend)) \(SVG.number(y2)) \(SVG.number(x2)) \(SVG.number(y2))"
                labelX = (x1 + x2) / 2
                labelY = (y1 + y2) / 2 - 4
            }
            let colour = edge.level == .ok || edge.level == .neutral ? muted : levelColours[edge.level]!
            canvas.svg.open("g", [("class", "map-edge \(edge.level.rawValue)")])
            canvas.svg.raw(SVG.title(edge.label + (edge.detail.isEmpty ? "" : "; " + edge.detail)) + "\n")
            canvas.svg.element(
                "path",
                [
                    ("d", d), ("fill", "none"), ("stroke", colour),
                    ("stroke-width", edge.level == .critical ? "2.4" : "1.4"),
                    ("marker-end", "url(#\(options.id)-arrow)"),
                ])
            canvas.svg.element(
                "text",
                [
                    ("x", SVG.number(labelX)), ("y", SVG.number(labelY)), ("text-anchor", "middle"),
                    ("font-size", "10"), ("fill", colour), ("class", "map-edge-label"),
                ], content: SVG.escape(SVG.clip(edge.label, gapCharacters)))
            canvas.svg.close("g")
        }
        // Nodes in layout order (layer, then place in it): the picture does not depend on the input's order.
        for node in rows.flatMap({ $0 }) {
            let item = nodes[node]
            let x = centreX(node)
            let y = centreY(node)
            let stroke = levelColours[item.level == .neutral ? .neutral : item.level]!
            if let href = item.href { canvas.svg.open("a", [("href", href)]) }
            canvas.svg.open("g", [("class", "map-node \(item.level.rawValue)")])
            canvas.svg.raw(
                SVG.title(item.label + ": " + item.figures + (item.detail.isEmpty ? "" : "; " + item.detail)) + "\n")
            let left = x - boxWidth / 2
            let shapeAttributes: [(String, String)] = [
                ("fill", "#ffffff"), ("stroke", stroke), ("stroke-width", item.level == .critical ? "2.5" : "1.5"),
            ]
            switch item.shape {
            case .client:
                canvas.svg.element(
                    "circle",
                    [("cx", SVG.number(x)), ("cy", SVG.number(y)), ("r", SVG.number(boxHeight / 2))] + shapeAttributes)
            case .service, .remote:
                canvas.svg.element(
                    "rect",
                    [
                        ("x", SVG.number(left)), ("y", SVG.number(y - boxHeight / 2)),
                        ("width", SVG.number(boxWidth)), ("height", SVG.number(boxHeight)), ("rx", "8"),
                    ] + shapeAttributes + (item.shape == .remote ? [("stroke-dasharray", "5 3")] : []))
            case .resource:
                let inset = 10.0
                let points = [
                    (left, y), (left + inset, y - boxHeight / 2), (left + boxWidth - inset, y - boxHeight / 2),
                    (left + boxWidth, y), (left + boxWidth - inset, y + boxHeight / 2),
                    (left + inset, y + boxHeight / 2),
                ].map { "\(SVG.number($0.0)),\(SVG.number($0.1))" }.joined(separator: " ")
                canvas.svg.element("polygon", [("points", points)] + shapeAttributes)
            }
            let characters = Int(max(6, (item.shape == .client ? boxHeight : boxWidth - 12) / 6.2))
            canvas.svg.element(
                "text",
                [
                    ("x", SVG.number(x)), ("y", SVG.number(item.shape == .client ? y + boxHeight / 2 + 12 : y - 3)),
                    ("text-anchor", "middle"), ("font-weight", "600"), ("fill", "currentColor"),
                ], content: SVG.escape(SVG.clip(item.label, item.shape == .client ? 24 : characters)))
            canvas.svg.element(
                "text",
                [
                    ("x", SVG.number(x)), ("y", SVG.number(item.shape == .client ? y + 4 : y + 12)),
                    ("text-anchor", "middle"), ("font-size", "10"), ("fill", muted),
                ],
                content: SVG.escape(
                    SVG.clip(
                        item.shape == .client ? item.figures.prefix { $0 != " " }.description : item.figures,
                        characters + 4)))
            canvas.svg.close("g")
            if item.href != nil { canvas.svg.close("a") }
        }
        return Chart(id: options.id, title: options.title, svg: canvas.finish(), summary: summary, table: table)
    }

    /// A trace as a waterfall: a row per segment and subsegment, indented by depth, its bar from
    /// its start to its end on a time axis in milliseconds; the cold start (`Initialization`)
    /// hatched, faults and errors in their colour.
    public static func waterfall(_ input: [WaterfallRow], total: Double, _ options: ChartOptions) -> Chart {
        let rows = Array(input.prefix(200))
        let table = DataTable(
            columns: ["Segment", "Start (ms)", "Duration (ms)", "Detail"],
            rows: input.map { row in
                [
                    String(repeating: "· ", count: row.depth) + row.label, Format.fixed(row.offset, 1),
                    row.duration.map { Format.fixed($0, 1) } ?? "—", row.detail,
                ]
            })
        let summary =
            "\(plural(input.count, "segment")) over \(Format.duration(milliseconds: total))"
            + (input.contains(where: \.coldStart) ? ", with a cold start" : "")
        let rowHeight = 18.0
        let top = 24.0
        let labelWidth = min(260.0, Double(options.width) * 0.38)
        let height = Int(top + Double(max(1, rows.count)) * rowHeight + 8)
        var canvas = Canvas(options, kind: "waterfall", summary: summary, height: height)
        let left = labelWidth + 8
        let right = Double(options.width) - 12
        let span = max(total, rows.map { $0.offset + ($0.duration ?? 0) }.max() ?? 0, 1)
        let scale = LinearScale([0, span], includeZero: true, targetTicks: 5)
        func x(_ ms: Double) -> Double { left + (right - left) * min(max(ms, 0), scale.upper) / scale.upper }
        for tick in scale.ticks {
            canvas.svg.element(
                "line",
                [
                    ("x1", SVG.number(x(tick))), ("x2", SVG.number(x(tick))), ("y1", SVG.number(top - 4)),
                    ("y2", SVG.number(Double(height) - 4)), ("stroke", grid),
                ])
            canvas.svg.element(
                "text",
                [("x", SVG.number(x(tick))), ("y", "12"), ("text-anchor", "middle"), ("fill", muted)],
                content: SVG.escape(Format.duration(milliseconds: tick)))
        }
        for (number, row) in rows.enumerated() {
            let y = top + Double(number) * rowHeight
            canvas.svg.open("g", [("class", "span \(row.level.rawValue)" + (row.coldStart ? " cold-start" : ""))])
            canvas.svg.raw(
                SVG.title(
                    row.label + ": " + (row.duration.map { Format.duration(milliseconds: $0) } ?? "no end")
                        + " from " + Format.duration(milliseconds: row.offset)
                        + (row.detail.isEmpty ? "" : "; " + row.detail)) + "\n")
            canvas.svg.element(
                "text",
                [
                    ("x", SVG.number(4 + Double(min(row.depth, 12)) * 10)), ("y", SVG.number(y + 12)),
                    ("fill", "currentColor"),
                ], content: SVG.escape(SVG.clip(row.label, Int((labelWidth - Double(row.depth) * 10) / 6.5))))
            let colour =
                row.coldStart
                ? palette[1] : row.level == .ok || row.level == .neutral ? palette[0] : levelColours[row.level]!
            let start = x(row.offset)
            let end = x(row.offset + (row.duration ?? 0))
            canvas.svg.element(
                "rect",
                [
                    ("x", SVG.number(start)), ("y", SVG.number(y + 3)), ("width", SVG.number(max(1.5, end - start))),
                    ("height", SVG.number(rowHeight - 6)), ("fill", colour),
                ] + (row.duration == nil ? [("fill-opacity", "0.35")] : []))
            canvas.svg.close("g")
        }
        return Chart(id: options.id, title: options.title, svg: canvas.finish(), summary: summary, table: table)
    }
}
