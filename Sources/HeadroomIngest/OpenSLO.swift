import Foundation
import HeadroomModel
import Yams

/// OpenSLO v1 documents (`apiVersion: openslo/v1`): SLO, SLI and Service are read; DataSource,
/// AlertPolicy, AlertCondition and AlertNotificationTarget are recognised and counted. A file may
/// hold one document, a `---` stream, or a YAML list of documents. Rules:
/// - `openslo/v1alpha` is refused with the way to convert it; any other version is refused.
/// - An SLO has exactly one of `indicator` and `indicatorRef`, one `timeWindow` entry (duration
///   shorthand such as 28d, 4w or 1M; `calendar` with startTime and timeZone when not rolling),
///   `budgetingMethod` Occurrences, Timeslices or RatioTimeslices, and at least one objective.
/// - An objective has exactly one of `target` in [0, 1) and `targetPercent` in [0, 100); Timeslices
///   needs `timeSliceTarget` and `timeSliceWindow`, RatioTimeslices `timeSliceWindow` (a duration,
///   or a bare number of minutes).
/// - An SLI has exactly one of `ratioMetric` (total with good or bad, or rawType with raw) and
///   `thresholdMetric`; each has a `metricSource` with a `type`; its `spec` is kept as written.
enum OpenSLO {
    static let otherKinds: Set<String> = ["DataSource", "AlertPolicy", "AlertCondition", "AlertNotificationTarget"]

    /// Whether a YAML text holds OpenSLO documents (cheap check before the real read).
    static func matches(_ text: String) -> Bool {
        text.contains("apiVersion: openslo/") || text.contains("apiVersion: \"openslo/")
            || text.contains("apiVersion: 'openslo/")
    }

    static func read(_ text: String, _ input: InputFile) throws(HeadroomError) -> (Dataset, [String]) {
        var documents: [YAMLCursor] = []
        do {
            var stream = try Yams.compose_all(yaml: text)
            while let node = stream.next() {
                let cursor = YAMLCursor(node: node, file: input.display)
                if case .sequence = node {
                    documents += try cursor.sequence("a list of documents")
                } else {
                    documents.append(cursor)
                }
            }
            // The stream stops at the first broken document and keeps the error.
            if let error = stream.error { throw error }
        } catch let error as HeadroomError {
            throw error
        } catch let error as YamlError {
            throw YAMLCursor.error(error, file: input.display, stage: .ingest)
        } catch {
            throw HeadroomError(.ingest, file: input.display, "invalid YAML", underlying: error)
        }
        var dataset = Dataset()
        var others = 0
        for document in documents {
            let version = try document.require("apiVersion", in: "an OpenSLO document")
            let versionText = try version.string("apiVersion")
            if versionText == "openslo/v1alpha" {
                throw version.fail(
                    "openslo/v1alpha is the old draft format",
                    remedy: "convert it to openslo/v1: timeWindows → timeWindow (duration such as 28d), "
                        + "objectives[].ratioMetrics → spec.indicator with ratioMetric {good, total} and metricSource")
            }
            guard versionText == "openslo/v1" else {
                throw version.fail("unknown apiVersion \(versionText)", remedy: "use apiVersion: openslo/v1")
            }
            let kindCursor = try document.require("kind", in: "an OpenSLO document")
            let kind = try kindCursor.string("kind")
            switch kind {
            case "SLO": dataset.slos.append(try slo(document, input))
            case "SLI": dataset.slis.append(try indicator(document, input))
            case "Service":
                let (name, displayName) = try metadata(document)
                dataset.sloServices.append(
                    SLOService(
                        name: name, displayName: displayName,
                        description: try document["spec"]?["description"]?.string("description"), source: input.display)
                )
            default:
                guard otherKinds.contains(kind) else {
                    let kinds = ["SLO", "SLI", "Service"] + otherKinds.sorted()
                    throw kindCursor.fail(
                        "unknown kind \(kind)"
                            + (Suggest.closest(to: kind, in: kinds).map { "; did you mean \($0)?" } ?? ""))
                }
                others += 1
            }
        }
        var warnings: [String] = []
        if documents.isEmpty { warnings.append("no OpenSLO documents in the file") }
        if others > 0 {
            warnings.append(plural(others, "document") + " of other kinds (DataSource, alerting) not used yet")
        }
        return (dataset, warnings)
    }

    static func metadata(_ document: YAMLCursor) throws(HeadroomError) -> (String, String?) {
        let metadata = try document.require("metadata", in: "an OpenSLO document")
        let name = try metadata.require("name", in: "metadata").string("metadata.name")
        guard !name.isEmpty else { throw metadata.fail("metadata.name must not be empty") }
        return (name, try metadata["displayName"]?.string("metadata.displayName"))
    }

    static func slo(_ document: YAMLCursor, _ input: InputFile) throws(HeadroomError) -> ServiceLevelObjective {
        let (name, displayName) = try metadata(document)
        let spec = try document.require("spec", in: "an SLO")
        let indicator: ServiceLevelObjective.Indicator
        switch (spec["indicator"], spec["indicatorRef"]) {
        case (let inline?, nil): indicator = .inline(try self.indicator(inline, input))
        case (nil, let reference?): indicator = .reference(try reference.string("indicatorRef"))
        case (.some, .some): throw spec.fail("an SLO has either indicator or indicatorRef, not both")
        case (nil, nil): throw spec.fail("an SLO needs indicator or indicatorRef")
        }
        let windowList = try spec.require("timeWindow", in: "an SLO")
        let windows = try windowList.sequence("timeWindow")
        guard windows.count == 1, let windowCursor = windows.first else {
            throw windowList.fail("timeWindow must hold exactly one window")
        }
        let window = try self.window(windowCursor)
        let methodCursor = try spec.require("budgetingMethod", in: "an SLO")
        let methodText = try methodCursor.string("budgetingMethod")
        guard let budgeting = BudgetingMethod(rawValue: methodText) else {
            throw methodCursor.fail(
                "budgetingMethod must be Occurrences, Timeslices or RatioTimeslices, not \(methodText)")
        }
        let objectiveCursors = try spec.require("objectives", in: "an SLO").sequence("objectives")
        guard !objectiveCursors.isEmpty else { throw spec.fail("an SLO needs at least one objective") }
        var objectives: [SLOObjective] = []
        for cursor in objectiveCursors { objectives.append(try objective(cursor, budgeting: budgeting)) }
        return ServiceLevelObjective(
            name: name, displayName: displayName, description: try spec["description"]?.string("description"),
            service: try spec["service"]?.string("service"), indicator: indicator, window: window, budgeting: budgeting,
            objectives: objectives, source: input.display, line: document.line)
    }

    /// `28d`, `4w`, `1M`: a count and a unit.
    static func duration(_ cursor: YAMLCursor, _ what: String) throws(HeadroomError) -> (Int, SLOWindow.Unit) {
        let text = try cursor.string(what)
        guard let unitCharacter = text.last, let unit = SLOWindow.Unit(rawValue: String(unitCharacter)),
            let count = Int(text.dropLast()), count > 0
        else {
            throw cursor.fail("\(what) must be a duration such as 5m, 1h, 28d, 4w, 1M, 1Q or 1Y, not \"\(text)\"")
        }
        guard count <= unit.maximumCount else {
            throw cursor.fail(
                "\(what) \(text) is longer than a year; the longest is \(unit.maximumCount)\(unit.rawValue)",
                remedy: "Headroom keeps a year of history, so a window of up to 1Y (366d) can be judged")
        }
        return (count, unit)
    }

    static func window(_ cursor: YAMLCursor) throws(HeadroomError) -> SLOWindow {
        let (count, unit) = try duration(try cursor.require("duration", in: "a time window"), "duration")
        let isRolling = try cursor["isRolling"]?.bool("isRolling") ?? false
        var window = SLOWindow(count: count, unit: unit, isRolling: isRolling)
        if let calendar = cursor["calendar"] {
            let start = try calendar.require("startTime", in: "calendar")
            let startText = try start.string("calendar.startTime")
            guard Timestamp.parse(startText.replacingOccurrences(of: " ", with: "T") + "Z") != nil else {
                throw start.fail("calendar.startTime must look like 2026-11-01 00:00:00")
            }
            let zone = try calendar.require("timeZone", in: "calendar")
            let zoneText = try zone.string("calendar.timeZone")
            guard TimeZone(identifier: zoneText) != nil else { throw zone.fail("unknown time zone \(zoneText)") }
            window.calendarStart = startText
            window.timeZone = zoneText
        } else if !isRolling {
            throw cursor.fail("a calendar window (isRolling: false) needs calendar: {startTime, timeZone}")
        }
        return window
    }

    static func objective(_ cursor: YAMLCursor, budgeting: BudgetingMethod) throws(HeadroomError) -> SLOObjective {
        let target: Double
        switch (cursor["target"], cursor["targetPercent"]) {
        case (let value?, nil):
            target = try value.number("target")
            guard target >= 0, target < 1 else { throw value.fail("target must be at least 0 and below 1") }
        case (nil, let value?):
            let percent = try value.number("targetPercent")
            guard percent >= 0, percent < 100 else {
                throw value.fail("targetPercent must be at least 0 and below 100")
            }
            target = percent / 100
        case (.some, .some): throw cursor.fail("an objective has either target or targetPercent, not both")
        case (nil, nil): throw cursor.fail("an objective needs target or targetPercent")
        }
        var objective = SLOObjective(
            displayName: try cursor["displayName"]?.string("displayName"), op: try cursor["op"]?.string("op"),
            value: try cursor["value"]?.number("value"), target: target)
        if let op = objective.op, !["lt", "lte", "gt", "gte"].contains(op) {
            throw cursor["op"]!.fail("op must be lt, lte, gt or gte")
        }
        if let sliceTarget = cursor["timeSliceTarget"] {
            let value = try sliceTarget.number("timeSliceTarget")
            guard value > 0, value <= 1 else { throw sliceTarget.fail("timeSliceTarget must be above 0 and at most 1") }
            objective.timeSliceTarget = value
        }
        if let slice = cursor["timeSliceWindow"] {
            if case .scalar(let scalar) = slice.node, scalar.style == .plain, let minutes = Int(scalar.string),
                minutes > 0, minutes <= SLOWindow.Unit.minute.maximumCount
            {
                objective.timeSliceWindowSeconds = minutes * 60
            } else {
                let (count, unit) = try duration(slice, "timeSliceWindow")
                guard let seconds = SLOWindow(count: count, unit: unit, isRolling: true).fixedSeconds else {
                    throw slice.fail("timeSliceWindow must be minutes, hours, days or weeks")
                }
                objective.timeSliceWindowSeconds = seconds
            }
        }
        switch budgeting {
        case .timeslices:
            guard objective.timeSliceTarget != nil, objective.timeSliceWindowSeconds != nil else {
                throw cursor.fail("Timeslices budgeting needs timeSliceTarget and timeSliceWindow on each objective")
            }
        case .ratioTimeslices:
            guard objective.timeSliceWindowSeconds != nil else {
                throw cursor.fail("RatioTimeslices budgeting needs timeSliceWindow on each objective")
            }
        case .occurrences:
            break
        }
        return objective
    }

    /// An SLI document, or an SLO's inline `indicator` (same metadata and spec).
    static func indicator(_ document: YAMLCursor, _ input: InputFile) throws(HeadroomError) -> ServiceLevelIndicator {
        let (name, displayName) = try metadata(document)
        let spec = try document.require("spec", in: "an SLI")
        let kind: ServiceLevelIndicator.Kind
        switch (spec["ratioMetric"], spec["thresholdMetric"]) {
        case (let ratio?, nil):
            if let raw = ratio["raw"] {
                let rawType = try ratio.require("rawType", in: "a raw ratioMetric").string("rawType")
                guard ["success", "failure"].contains(rawType) else {
                    throw ratio.fail("rawType must be success or failure")
                }
                kind = .rawRatio(rawType: rawType, raw: try metricSource(raw))
            } else {
                let good = try ratio["good"].map { cursor throws(HeadroomError) in try metricSource(cursor) }
                let bad = try ratio["bad"].map { cursor throws(HeadroomError) in try metricSource(cursor) }
                guard (good == nil) != (bad == nil) else {
                    throw ratio.fail("a ratioMetric has either good or bad, with total")
                }
                kind = .ratio(
                    good: good, bad: bad, total: try metricSource(try ratio.require("total", in: "a ratioMetric")),
                    counter: try ratio["counter"]?.bool("counter"))
            }
        case (nil, let threshold?):
            kind = .threshold(try metricSource(threshold))
        case (.some, .some): throw spec.fail("an SLI has either ratioMetric or thresholdMetric, not both")
        case (nil, nil): throw spec.fail("an SLI needs ratioMetric or thresholdMetric")
        }
        return ServiceLevelIndicator(
            name: name, displayName: displayName, kind: kind, source: input.display, line: document.line)
    }

    static func metricSource(_ cursor: YAMLCursor) throws(HeadroomError) -> MetricSource {
        let source = try cursor.require("metricSource", in: "a metric")
        var budget = 10_000
        return MetricSource(
            type: try source.require("type", in: "metricSource").string("metricSource.type"),
            ref: try source["metricSourceRef"]?.string("metricSourceRef"),
            spec: try source["spec"]?.value(budget: &budget) ?? .null)
    }
}
