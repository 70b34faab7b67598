import Foundation
import HeadroomModel

/// Prometheus, Thanos and Mimir data.
///
/// The HTTP API (`/api/v1/query_range` and `/api/v1/query` response bodies): `matrix`, `vector`
/// and `scalar` results become series named by their labels; values are strings, and `NaN`,
/// `+Inf` and `-Inf` become gaps with a warning. An `error` body is read as a failed query: a
/// warning and no series. `warnings` and `infos` are kept as warnings; native histograms are
/// skipped with a warning. A raw counter (`*_total`) that goes down was reset: the values are kept
/// as read and the resets counted in a warning.
///
/// The text exposition format 0.0.4 and OpenMetrics 1.0: each sample becomes a series; a sample
/// without a timestamp has no time and is counted, not plotted. Checked as Prometheus checks them:
/// every line ends with a newline, no trailing space after a value or timestamp, label values
/// closed, values numeric, histograms with a `+Inf` bucket and non-decreasing cumulative
/// counts, and OpenMetrics ending with `# EOF`.
enum Prometheus {
    // MARK: HTTP API

    static func matchesQuery(keys: Set<String>) -> Bool {
        keys.contains("status") && (keys.contains("data") || keys.contains("errorType"))
    }

    static func readQuery(_ json: JSONValue, _ input: InputFile) throws(HeadroomError) -> (Dataset, [String]) {
        let root = JSONCursor(json, file: input.display)
        let statusCursor = try root.require("status")
        let status = try statusCursor.string()
        var warnings: [String] = []
        for key in ["warnings", "infos"] {
            for item in try root[key]?.array() ?? [] { warnings.append(try item.string()) }
        }
        if status == "error" {
            let type = try root["errorType"]?.string() ?? "error"
            let message = try root["error"]?.string() ?? ""
            return (Dataset(), ["the query failed: \(type): \(message)"] + warnings)
        }
        guard status == "success" else { throw statusCursor.fail("status must be success or error, not \"\(status)\"") }
        let data = try root.require("data")
        let typeCursor = try data.require("resultType")
        let resultType = try typeCursor.string()
        let result = try data.require("result")
        var series: [MetricSeries] = []
        var nonFinite = 0
        var undated = 0
        var histograms = 0
        var resets = 0
        func sample(_ pair: JSONCursor) throws(HeadroomError) -> Point? {
            let items = try pair.array()
            guard items.count == 2 else {
                throw pair.fail("a sample is [time, \"value\"], found \(items.count) elements")
            }
            // A time outside the years Headroom reads is a dropped sample, said in a warning.
            guard let time = Timestamp.epoch(try items[0].number()) else {
                undated += 1
                return nil
            }
            let text = try items[1].string()
            guard let value = Double(text.replacingOccurrences(of: "Inf", with: "inf")) else {
                throw items[1].fail("a sample value must be a number as text, found \"\(text)\"")
            }
            guard Point.isStorable(value) else {
                nonFinite += 1
                return nil
            }
            return Point(time: time, value: value)
        }
        switch resultType {
        case "matrix", "vector":
            for item in try result.array() {
                guard item.object != nil else {
                    throw item.fail("expected a series object, found \(item.value.typeName)")
                }
                var labels: [MetricDimension] = []
                for (name, value) in try item.require("metric").members() {
                    labels.append(MetricDimension(name: name, value: try value.string()))
                }
                var points: [Point] = []
                if resultType == "matrix" {
                    if item["histograms"] != nil { histograms += 1 }
                    guard
                        let values = item["values"]
                            ?? (item["histograms"] == nil ? nil : JSONCursor(.array([]), file: input.display))
                    else {
                        throw item.fail("a matrix series needs values")
                    }
                    for pair in try values.array() { if let point = try sample(pair) { points.append(point) } }
                } else {
                    if let point = try sample(try item.require("value")) { points.append(point) }
                }
                series.append(
                    MetricSeries(
                        identity: .prometheus(labels: labels), label: label(labels), points: points,
                        source: input.display))
            }
        case "scalar":
            if let point = try sample(result) {
                series.append(
                    MetricSeries(
                        identity: .prometheus(labels: []), label: "scalar", points: [point], source: input.display))
            }
        case "string":
            warnings.append("a string result holds no numbers")
        default:
            throw typeCursor.fail("unknown resultType \"\(resultType)\"; expected matrix, vector, scalar or string")
        }
        // A label set returned twice (result entries repeated) is one series.
        series = MetricSeries.merged(series)
        // A counter (`*_total`) that goes down was reset (a restart): kept as read, and said.
        for counter in series {
            guard case .prometheus(let labels) = counter.identity,
                labels.first(where: { $0.name == "__name__" })?.value.hasSuffix("_total") == true
            else { continue }
            resets += zip(counter.points, counter.points.dropFirst()).filter { $1.value < $0.value }.count
        }
        if nonFinite > 0 { warnings.append(Point.unstorable(nonFinite)) }
        if undated > 0 {
            warnings.append(
                plural(undated, "sample") + " dated outside \(Instant.yearsText) (Headroom's range) dropped")
        }
        if histograms > 0 { warnings.append(plural(histograms, "native histogram series") + " skipped") }
        if resets > 0 {
            warnings.append(
                plural(resets, "counter reset") + ": values are kept as read; use increase() or rate() for totals")
        }
        return (Dataset(series: series), warnings)
    }

    static func label(_ labels: [MetricDimension]) -> String {
        let name = labels.first { $0.name == "__name__" }?.value ?? ""
        let rest = labels.filter { $0.name != "__name__" }.map { "\($0.name)=\"\($0.value)\"" }
        return rest.isEmpty ? (name.isEmpty ? "{}" : name) : "\(name){\(rest.joined(separator: ","))}"
    }

    // MARK: Exposition formats

    /// Text with `# TYPE`/`# HELP` lines or OpenMetrics' `# EOF`.
    static func matchesText(_ text: String) -> Bool {
        text.hasPrefix("# HELP ") || text.hasPrefix("# TYPE ") || text.contains("\n# TYPE ")
            || text.contains("\n# HELP ")
            || text.hasSuffix("# EOF\n") || text.hasSuffix("# EOF")
    }

    static func readText(_ text: String, _ input: InputFile) throws(HeadroomError) -> (Dataset, [String]) {
        func fail(_ line: Int, _ message: String) -> HeadroomError {
            HeadroomError(.ingest, file: input.display, position: .line(line, column: nil), message)
        }
        let openMetrics = text.contains("\n# EOF") || text.hasPrefix("# EOF") || text.contains("\n# UNIT ")
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.last == "" else { throw fail(lines.count, "the last line has no newline at its end") }
        lines.removeLast()
        if openMetrics {
            guard lines.last == "# EOF" else { throw fail(lines.count, "OpenMetrics text must end with # EOF") }
            lines.removeLast()
        }
        var types: [String: String] = [:]
        var series: [MetricSeries] = []
        var timeless = 0
        var nonFinite = 0
        // Histogram buckets per label set (without le), to check them.
        var buckets: [String: [(le: Double, count: Double, line: Int)]] = [:]
        for (offset, line) in lines.enumerated() {
            let number = offset + 1
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: true)
                if parts.count >= 4, parts[1] == "TYPE" { types[String(parts[2])] = String(parts[3]) }
                continue
            }
            let sample = try parseSample(line, line: number, openMetrics: openMetrics, fail: fail)
            if sample.name.hasSuffix("_bucket"), let le = sample.labels.first(where: { $0.name == "le" }) {
                let family = String(sample.name.dropLast(7))
                if ["histogram", "gaugehistogram"].contains(types[family] ?? "") {
                    guard let bound = Double(le.value.replacingOccurrences(of: "Inf", with: "inf")) else {
                        throw fail(number, "le=\"\(le.value)\" is not a number")
                    }
                    let key = family + label(sample.labels.filter { $0.name != "le" })
                    buckets[key, default: []].append((bound, sample.value, number))
                }
            }
            let labels = ([MetricDimension(name: "__name__", value: sample.name)] + sample.labels).sorted()
            var points: [Point] = []
            if let time = sample.time {
                if Point.isStorable(sample.value) {
                    points.append(Point(time: time, value: sample.value))
                } else {
                    nonFinite += 1
                }
            } else {
                timeless += 1
            }
            series.append(
                MetricSeries(
                    identity: .prometheus(labels: labels), label: label(labels), points: points, source: input.display))
        }
        for (key, list) in buckets.sorted(by: { $0.key < $1.key }) {
            guard list.contains(where: { $0.le == .infinity }) else {
                throw fail(list[0].line, "the histogram \(key) has no le=\"+Inf\" bucket")
            }
            for (previous, next) in zip(list, list.dropFirst())
            where next.le < previous.le || next.count < previous.count {
                throw fail(next.line, "the histogram \(key) has buckets out of order or not cumulative")
            }
        }
        // One series per label set, whatever the number of lines (scrapes appended one after
        // another, OpenMetrics samples with timestamps).
        series = MetricSeries.merged(series)
        var warnings: [String] = []
        if timeless > 0 {
            warnings.append(plural(timeless, "sample") + " without a timestamp: no time to place them at")
        }
        if nonFinite > 0 { warnings.append(Point.unstorable(nonFinite)) }
        return (Dataset(series: series), warnings)
    }

    struct Sample {
        var name: String
        var labels: [MetricDimension]
        var value: Double
        var time: Instant?
    }

    static func parseSample(
        _ line: String, line number: Int, openMetrics: Bool, fail: (Int, String) -> HeadroomError
    ) throws(HeadroomError) -> Sample {
        var characters = Substring(line)
        func isNameCharacter(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "_" || c == ":") }
        let name = String(characters.prefix(while: isNameCharacter))
        guard let first = name.first, !first.isNumber else {
            throw fail(number, "a sample line must start with a metric name")
        }
        characters = characters.dropFirst(name.count)
        var labels: [MetricDimension] = []
        if characters.first == "{" {
            characters = characters.dropFirst()
            while true {
                characters = characters.drop { $0 == " " }
                if characters.first == "}" {
                    characters = characters.dropFirst()
                    break
                }
                let labelName = String(characters.prefix(while: isNameCharacter))
                guard !labelName.isEmpty else { throw fail(number, "a label name is missing") }
                characters = characters.dropFirst(labelName.count).drop { $0 == " " }
                guard characters.first == "=" else { throw fail(number, "expected = after the label \(labelName)") }
                characters = characters.dropFirst().drop { $0 == " " }
                guard characters.first == "\"" else { throw fail(number, "a label value must be quoted") }
                characters = characters.dropFirst()
                var value = ""
                var closed = false
                while let c = characters.first {
                    characters = characters.dropFirst()
                    if c == "\\" {
                        guard let escaped = characters.first else { break }
                        characters = characters.dropFirst()
                        value.append(escaped == "n" ? "\n" : escaped)
                    } else if c == "\"" {
                        closed = true
                        break
                    } else {
                        value.append(c)
                    }
                }
                guard closed else { throw fail(number, "the value of the label \(labelName) is never closed") }
                labels.append(MetricDimension(name: labelName, value: value))
                characters = characters.drop { $0 == " " }
                if characters.first == "," { characters = characters.dropFirst() }
            }
        }
        // Exemplars (OpenMetrics) follow " # ".
        if let exemplar = characters.range(of: " # ") { characters = characters[..<exemplar.lowerBound] }
        guard characters.first == " " else { throw fail(number, "expected a space before the value") }
        guard characters.last != " ", characters.last != "\t" else {
            throw fail(number, "white space after the value; Prometheus rejects it")
        }
        let fields = characters.split(separator: " ", omittingEmptySubsequences: true)
        guard (1...2).contains(fields.count) else { throw fail(number, "expected a value and an optional timestamp") }
        guard let value = Double(fields[0].replacingOccurrences(of: "Inf", with: "inf")), !fields[0].contains(",")
        else {
            throw fail(number, "\"\(fields[0])\" is not a number")
        }
        var time: Instant?
        if fields.count == 2 {
            // Text 0.0.4 counts milliseconds; OpenMetrics seconds.
            guard let stamp = Double(fields[1]), let instant = Timestamp.epoch(openMetrics ? stamp : stamp / 1000)
            else {
                throw fail(number, "\"\(fields[1])\" is not a timestamp in \(Instant.yearsText)")
            }
            time = instant
        }
        return Sample(name: name, labels: labels.sorted(), value: value, time: time)
    }
}
