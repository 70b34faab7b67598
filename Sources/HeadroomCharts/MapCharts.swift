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

    /// The layers of a map and the order of the nodes in each. A node goes in the layer after
    /// the longest chain of calls that reaches it; calls that close a loop (found depth first from
    /// the nodes without callers, in label order) are `back` and do not count. The layers are
    /// then ordered to cross as few calls between neighbouring layers as possible: exactly, by
    /// trying every order, when there are at most 20,000 orders; otherwise by barycentre sweeps
    /// and sifting from several starts. Ties go by label, and the shuffles are seeded, so the same
    /// graph always gives the same layout.
    static func mapLayout(labels: [String], links: [(Int, Int)], exactUpTo: Double = 20_000) -> (
        layer: [Int], rows: [[Int]], back: Set<[Int]>
    ) {
        let count = labels.count
        var out = Array(repeating: [Int](), count: count)
        // Everything in label order (ties by position), so the input's order changes nothing.
        let byLabel = (0..<count).sorted { (labels[$0], $0) < (labels[$1], $1) }
        var rank = Array(repeating: 0, count: count)
        for (place, node) in byLabel.enumerated() { rank[node] = place }
        for (from, to) in links where from != to { out[from].append(to) }
        for node in 0..<count { out[node].sort { rank[$0] < rank[$1] } }
        var state = Array(repeating: 0, count: count)  // 0 new, 1 on the stack, 2 done
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
        let incoming = Set(links.map(\.1))
        for node in byLabel where !incoming.contains(node) && state[node] == 0 { visit(node, depth: 0) }
        for node in byLabel where state[node] == 0 { visit(node, depth: 0) }
        var layer = Array(repeating: 0, count: count)
        for node in order.reversed() {
            for next in out[node] where !back.contains([node, next]) { layer[next] = max(layer[next], layer[node] + 1) }
        }
        let layers = (layer.max() ?? 0) + 1
        var rows: [[Int]] = Array(repeating: [], count: layers)
        for node in (0..<count).sorted(by: { (labels[$0], $0) < (labels[$1], $1) }) { rows[layer[node]].append(node) }
        // The calls between neighbouring layers, both ways, for the barycentres and crossings.
        var neighbours = Array(repeating: [Int](), count: count)
        for (from, to) in links where from != to && abs(layer[from] - layer[to]) == 1 {
            neighbours[from].append(to)
            neighbours[to].append(from)
        }
        func crossings(_ rows: [[Int]], only: Int? = nil) -> Int {
            mapCrossings(rows: rows, layer: layer, neighbours: neighbours, only: only)
        }
        // Small graphs: every order of every layer, the first with the fewest crossings.
        let orders = rows.reduce(1.0) { product, row in
            product * (1...max(1, row.count)).reduce(1.0) { $0 * Double($1) }
        }
        if orders <= exactUpTo {
            var best = (rows: rows, crossings: crossings(rows))
            func search(_ chosen: [[Int]]) {
                guard best.crossings > 0 else { return }
                guard chosen.count < rows.count else {
                    let found = crossings(chosen)
                    if found < best.crossings { best = (chosen, found) }
                    return
                }
                for order in permutations(rows[chosen.count]) { search(chosen + [order]) }
            }
            search([])
            return (layer, best.rows, back)
        }
        // Larger ones: barycentre sweeps keeping the best order seen, then sifting (each node moved
        // to the place in its layer with the fewest crossings) until nothing improves, from the
        // label order and, for up to 60 nodes, from six seeded shuffles of it; the best wins.
        func improve(_ start: [[Int]]) -> (rows: [[Int]], crossings: Int) {
            var rows = start
            var position = Array(repeating: 0, count: count)
            func place() { for row in rows { for (slot, node) in row.enumerated() { position[node] = slot } } }
            place()
            var best = (rows: rows, crossings: crossings(rows))
            for sweep in 0..<8 where best.crossings > 0 {
                let range = sweep % 2 == 0 ? Array(1..<max(1, layers)) : Array((0..<max(0, layers - 1)).reversed())
                for current in range where current < layers {
                    let reference = sweep % 2 == 0 ? current - 1 : current + 1
                    func centre(_ node: Int) -> Double {
                        let adjacent = neighbours[node].filter { layer[$0] == reference }
                        return adjacent.isEmpty
                            ? Double(position[node])
                            : Double(adjacent.map { position[$0] }.reduce(0, +)) / Double(adjacent.count)
                    }
                    rows[current].sort { (centre($0), labels[$0], $0) < (centre($1), labels[$1], $1) }
                    place()
                }
                let found = crossings(rows)
                if found < best.crossings { best = (rows, found) }
            }
            rows = best.rows
            var improved = best.crossings > 0
            var rounds = 0
            while improved && rounds < 20 {
                improved = false
                rounds += 1
                for current in 0..<layers where rows[current].count > 1 {
                    for node in rows[current] {
                        let before = crossings(rows, only: current)
                        var others = rows[current]
                        others.removeAll { $0 == node }
                        var fewest = (slot: rows[current].firstIndex(of: node)!, crossings: before)
                        for slot in 0...others.count {
                            var trial = rows
                            trial[current] = others
                            trial[current].insert(node, at: slot)
                            let found = crossings(trial, only: current)
                            if found < fewest.crossings { fewest = (slot, found) }
                        }
                        if fewest.crossings < before {
                            others.insert(node, at: fewest.slot)
                            rows[current] = others
                            improved = true
                        }
                    }
                }
            }
            return (rows, crossings(rows))
        }
        var best = improve(rows)
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<(count <= 60 ? 6 : 0) where best.crossings > 0 {
            let shuffled = rows.map { row -> [Int] in
                var row = row
                for i in stride(from: row.count - 1, to: 0, by: -1) {
                    seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    row.swapAt(i, Int((seed >> 33) % UInt64(i + 1)))
                }
                return row
            }
            let found = improve(shuffled)
            if found.crossings < best.crossings { best = found }
        }
        rows = best.rows
        return (layer, rows, back)
    }

    /// Every order of the items, the given one first.
    static func permutations(_ items: [Int]) -> [[Int]] {
        guard items.count > 1 else { return [items] }
        return items.indices.flatMap { i in
            permutations(Array(items[..<i] + items[(i + 1)...])).map { [items[i]] + $0 }
        }
    }

    /// How many pairs of calls between neighbouring layers cross, in all layers or in the two
    /// gaps either side of layer `only`.
    static func mapCrossings(rows: [[Int]], layer: [Int], neighbours: [[Int]], only: Int? = nil) -> Int {
        var position: [Int: Int] = [:]
        for row in rows { for (slot, node) in row.enumerated() { position[node] = slot } }
        var total = 0
        for left in 0..<max(0, rows.count - 1) {
            if let only, left != only, left + 1 != only { continue }
            // The calls between `left` and `left + 1` as (slot on the left, slot on the right).
            var pairs: [(Int, Int)] = []
            for node in rows[left] {
                for other in neighbours[node] where layer[other] == left + 1 {
                    pairs.append((position[node]!, position[other]!))
                }
            }
            for i in pairs.indices {
                for j in pairs.indices where j > i {
                    let (a, b) = (pairs[i], pairs[j])
                    if (a.0 < b.0 && a.1 > b.1) || (a.0 > b.0 && a.1 < b.1) { total += 1 }
                }
            }
        }
        return total
    }

    /// A service map laid out in layers from left to right (`mapLayout`): a call that closes a
    /// loop runs back along a lane of its own under every box, so the same graph always gives
    /// the same picture and no call is drawn through a box. Shapes say the kind (a circle for
    /// clients, a rounded box for services, a hexagon for AWS resources, a dashed box for remote
    /// calls), the outline the health, and each node links to its page when it has one.
    public static func serviceMap(_ allNodes: [MapNodeInput], _ allEdges: [MapEdgeInput], _ options: ChartOptions)
        -> Chart
    {
        // Each id once (the first wins), at most `maxMapNodes`.
        var ids: Set<String> = []
        let nodes = Array(allNodes.filter { ids.insert($0.id).inserted }.prefix(maxMapNodes))
        let known = Set(nodes.map(\.id))
        // Calls in the order of their ends' labels: lanes and drawing do not depend on the input's order.
        let labelOf = Dictionary(nodes.map { ($0.id, $0.label) }, uniquingKeysWith: { a, _ in a })
        let edges = allEdges.filter { known.contains($0.from) && known.contains($0.to) && $0.from != $0.to }
            .sorted {
                (labelOf[$0.from]!, labelOf[$0.to]!, $0.from, $0.to) < (
                    labelOf[$1.from]!, labelOf[$1.to]!, $1.from, $1.to
                )
            }
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
        let index = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($1.id, $0) })
        let links = edges.map { (index[$0.from]!, index[$0.to]!) }
        let (layer, rows, back) = mapLayout(labels: nodes.map(\.label), links: links)
        let layers = rows.count
        var position = Array(repeating: 0.0, count: nodes.count)
        for row in rows { for (slot, node) in row.enumerated() { position[node] = Double(slot) } }
        // Geometry: at least 170 pixels a layer (a wide map scales down to the page).
        var options = options
        options.width = max(options.width, 20 + 170 * layers)
        let width = Double(options.width)
        let tallest = rows.map(\.count).max() ?? 1
        let boxHeight = 44.0
        let rowHeight = 70.0
        let top = 16.0
        let column = (width - 20) / Double(layers)
        let boxWidth = min(150, column * 0.6)
        func centreX(_ node: Int) -> Double { 10 + column * (Double(layer[node]) + 0.5) }
        func centreY(_ node: Int) -> Double {
            let count = Double(rows[layer[node]].count)
            let offset = (Double(tallest) - count) * rowHeight / 2
            return top + offset + (position[node] + 0.5) * rowHeight
        }
        // A call's curve from the caller's right side to the callee's left side.
        func ends(_ from: Int, _ to: Int) -> (x1: Double, y1: Double, x2: Double, y2: Double) {
            // A client's circle is as wide as a box is high.
            (
                centreX(from) + (nodes[from].shape == .client ? boxHeight : boxWidth) / 2, centreY(from),
                centreX(to) - (nodes[to].shape == .client ? boxHeight : boxWidth) / 2, centreY(to)
            )
        }
        // Whether a curve that skips layers would pass through a box of a layer between.
        func throughABox(_ from: Int, _ to: Int) -> Bool {
            let (x1, y1, x2, y2) = ends(from, to)
            let between = rows[(layer[from] + 1)..<layer[to]].joined()
            return (1..<40).contains { step in
                let t = Double(step) / 40
                let u = 1 - t
                // The curve's control points are (x1 + bend, y1) and (x2 - bend, y2).
                let bend = (x2 - x1) / 2
                let x = u * u * u * x1 + 3 * u * u * t * (x1 + bend) + 3 * u * t * t * (x2 - bend) + t * t * t * x2
                let y = u * u * u * y1 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t * t * t * y2
                return between.contains { node in
                    abs(x - centreX(node)) <= boxWidth / 2 + 2 && abs(y - centreY(node)) <= boxHeight / 2 + 2
                }
            }
        }
        // Calls that close a loop, and calls whose curve would cross a box, run along lanes of
        // their own under every box.
        let laned = edges.map { edge in
            let (from, to) = (index[edge.from]!, index[edge.to]!)
            return back.contains([from, to]) || layer[to] <= layer[from]
                || (layer[to] > layer[from] + 1 && throughABox(from, to))
        }
        let laneGap = 14.0
        let boxesBottom = top + Double(tallest) * rowHeight
        let lanes = laned.filter { $0 }.count
        let height = Int(boxesBottom + Double(lanes) * laneGap + (lanes > 0 ? 8 : 0) + top)
        let gapCharacters = Int(max(6, (column - boxWidth) / 5.6))
        var canvas = Canvas(options, kind: "service-map", summary: summary, height: height)
        canvas.svg.raw(
            "<defs><marker id=\"\(SVG.escape(options.id))-arrow\" viewBox=\"0 0 8 8\" refX=\"8\" refY=\"4\""
                + " markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0 0L8 4L0 8z\""
                + " fill=\"\(muted)\"/></marker></defs>\n")
        // Edges first, under the nodes.
        var lane = 0
        for (edge, onALane) in zip(edges, laned) {
            let from = index[edge.from]!
            let to = index[edge.to]!
            let (x1, y1, x2, y2) = ends(from, to)
            let d: String
            let labelX: Double
            let labelY: Double
            if onALane {
                // Out of the caller's right side into the gap after its layer, down to a lane of
                // its own under every box, along to the gap before the callee's layer, and up into
                // the callee's left side: it crosses no box.
                lane += 1
                let below = boxesBottom + Double(lane) * laneGap
                let shift = min(Double(lane - 1) * 3, (column - boxWidth) / 4)
                let right = centreX(from) + column / 2 - shift
                let left = centreX(to) - column / 2 + shift
                // A quarter of a box below the middle of each side, clear of the curves that
                // meet the middle.
                let (low1, low2) = (y1 + boxHeight / 4, y2 + boxHeight / 4)
                d =
                    "M\(SVG.number(x1)) \(SVG.number(low1))H\(SVG.number(right))V\(SVG.number(below))H\(SVG.number(left))V\(SVG.number(low2))H\(SVG.number(x2))"
                labelX = (left + right) / 2
                labelY = below - 3
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
