import Foundation
import HeadroomAnalysis
import HeadroomCharts
import HeadroomModel

/// `errors.html`: the week's error groups by state, ranked by impact, each with its weekly
/// occurrences; at most `errorRows` groups a state, each of those with its page. The rest are
/// counted there and listed in report.json, so a week of countless distinct errors stays a
/// bounded site.
struct ErrorsPage: PageKind {
    static let template = "pages/errors"
    static func paths(_ report: Report, links: SiteBuilder.Pages) -> [String] { ["errors.html"] }
    static func pages(_ week: WeekInput, site: SiteBuilder) throws(HeadroomError) -> [PlannedPage<ErrorsPageView>] {
        let report = week.report
        let states = SiteBuilder.errorStates.compactMap { state -> ErrorStateView? in
            let groups = report.errors.filter { $0.state == state }
            guard !groups.isEmpty else { return nil }
            let shown = groups.prefix(SiteBuilder.errorRows)
            return ErrorStateView(
                title: SiteBuilder.errorStateTitles[state] ?? state.rawValue, anchor: state.rawValue,
                count: Format.grouped(Int64(groups.count)),
                groups: shown.map { SiteBuilder.errorRow($0, week: week, prefix: "") },
                cut: groups.count > shown.count
                    ? "The first \(SiteBuilder.errorRows) of \(Format.grouped(Int64(groups.count))) groups by impact,"
                        + " each with its page; report.json lists every group." : nil)
        }
        let collected = report.errorLogFunctions.count
        let open = report.errors.filter { $0.state != .resolved }
        let events = open.reduce(0) { $0 + $1.count }
        let coverage: String
        if collected == 0 {
            coverage =
                "No function's logs were read\(week.weekLabel.map { " for week \($0)" } ?? ""): no error group can be resolved, and none is counted."
        } else {
            coverage =
                "Logs of " + plural(collected, "function") + " were read for this week: "
                + plural(events, "error event") + " in " + plural(report.errors.filter { $0.count > 0 }.count, "group")
                + ". A group is resolved only when the logs of every function it hit were read."
        }
        let kinds = ErrorKind.allCases.compactMap { kind -> String? in
            let count = open.filter { $0.kind == kind && $0.count > 0 }.count
            return count == 0 ? nil : "\(kind.rawValue) \(Format.grouped(Int64(count)))"
        }
        return [
            PlannedPage(
                path: "errors.html", title: "Errors",
                view: ErrorsPageView(
                    weekLabel: week.weekLabel, coverage: coverage, hasGroups: !states.isEmpty, states: states,
                    kinds: kinds.isEmpty ? nil : kinds.joined(separator: " · ")))
        ]
    }
}

/// `errors/<id>.html`: one error group with its functions, sample, query and history; for the
/// groups the Errors page lists (`pagedErrorGroups`).
struct ErrorGroupPage: PageKind {
    static let template = "pages/error"
    static func paths(_ report: Report, links: SiteBuilder.Pages) -> [String] {
        SiteBuilder.pagedErrorGroups(report).map { SiteBuilder.errorPage($0.id) }
    }
    static func pages(_ week: WeekInput, site: SiteBuilder) throws(HeadroomError) -> [PlannedPage<ErrorGroupPageView>] {
        SiteBuilder.pagedErrorGroups(week.report).map { group in
            PlannedPage(
                path: SiteBuilder.errorPage(group.id), title: group.title,
                view: SiteBuilder.errorGroupView(group, week: week))
        }
    }
}

extension SiteBuilder {
    /// The order of the Errors page's sections.
    static let errorStates: [CheckFinding.State] = [.new, .regressed, .recurring, .unchecked, .muted, .resolved]

    static let errorStateTitles: [CheckFinding.State: String] = [
        .new: "New this week", .regressed: "Back after they were resolved", .recurring: "Still happening",
        .unchecked: "Not checked this week", .muted: "Muted", .resolved: "Resolved this week",
    ]

    /// The most groups a state lists on the Errors page.
    static let errorRows = 50

    static func errorPage(_ id: String) -> String { "errors/\(id).html" }

    /// The groups with a page: the first `errorRows` of each state, as the Errors page lists them.
    static func pagedErrorGroups(_ report: Report) -> [ErrorGroup] {
        errorStates.flatMap { state in report.errors.filter { $0.state == state }.prefix(errorRows) }
    }

    /// Where each group is shown, by id, from the week's root: its page, or for a group without
    /// one, its state's section of the Errors page.
    static func errorLinks(_ report: Report) -> [String: String] {
        let paged = Set(pagedErrorGroups(report).map(\.id))
        return Dictionary(
            report.errors.map {
                ($0.id, paged.contains($0.id) ? errorPage($0.id) : "errors.html#\($0.state.rawValue)")
            },
            uniquingKeysWith: { first, _ in first })
    }

    /// The most groups a function's page lists.
    static let functionErrorRows = 25

    /// `Tue 17 Nov 09:00` in the report's zone, or —.
    static func errorTime(_ instant: Instant?, zone: TimeZone) -> String {
        instant.map { Format.localTime($0, zone: zone) } ?? Format.missing
    }

    /// The weekly events of a group: its history and this week; a week not checked is a gap.
    static func errorWeeks(_ group: ErrorGroup, week: ISOWeek) -> [(week: ISOWeek, count: Int?)] {
        group.history.map { ($0.week, $0.count) } + [(week, group.state == .unchecked ? nil : group.count)]
    }

    static func errorSparkline(_ group: ErrorGroup, week: WeekInput, id: String) -> TrustedHTML? {
        guard let current = week.report.week else { return nil }
        let zone = week.charts.zone
        let points = errorWeeks(group, week: current.week).compactMap { item in
            item.count.map { Point(time: item.week.interval(in: zone).lowerBound, value: Double($0)) }
        }
        guard points.count > 1 else { return nil }
        let chart = Charts.sparkline(
            Series("Events", points, period: 7 * 86_400), id: id, title: "\(group.title): events per week",
            unit: .count, zone: zone)
        return TrustedHTML(trusted: chart.svg)
    }

    static func stateText(_ group: ErrorGroup) -> String {
        switch group.state {
        case .new: "new in \(group.since.map { "\($0)" } ?? "this week")"
        case .recurring: "open since \(group.since.map { "\($0)" } ?? "an earlier week")"
        case .regressed:
            "back this week; last resolved after \(group.history.last { ($0.count ?? 0) > 0 }?.week.description ?? "an earlier week")"
        case .resolved: "resolved: none this week, last seen \(group.lastSeen.map { "\($0)" } ?? "before")"
        case .unchecked:
            "not checked: the logs of \(group.functions.map(\.function).joined(separator: ", ")) were not read this week"
        case .muted: "muted until \(group.mute.map { DayLabel.day($0.expires, year: true) } ?? "")"
        }
    }

    static func errorRow(_ group: ErrorGroup, week: WeekInput, prefix: String) -> ErrorRowView {
        let names = group.functions.prefix(3).map(\.function)
        let more = group.functions.count - names.count
        return ErrorRowView(
            title: group.title, href: prefix + errorPage(group.id), kind: group.kind.rawValue,
            state: group.state.rawValue, stateText: stateText(group),
            count: group.state == .unchecked ? Format.missing : Format.grouped(Int64(group.count)),
            functions: names.joined(separator: ", ") + (more > 0 ? " and \(Format.grouped(Int64(more))) more" : ""),
            last: errorTime(group.last, zone: week.charts.zone), owner: group.owner,
            chart: errorSparkline(group, week: week, id: "errors-\(group.id)"))
    }

    static func errorGroupView(_ group: ErrorGroup, week: WeekInput) -> ErrorGroupPageView {
        let zone = week.charts.zone
        let report = week.report
        let known = Set(report.functions.map(\.name))
        let weeks = report.week.map { errorWeeks(group, week: $0.week) } ?? []
        var chart: ChartView?
        if weeks.count > 1 {
            let bars = Charts.bars(
                categories: weeks.map { $0.week.description },
                [BarSeries("Events", weeks.map { $0.count.map(Double.init) })],
                ChartOptions(
                    id: "error-weeks", title: "Events per week", unit: .count, zone: zone,
                    width: ChartPlan.halfColumn, height: 200))
            chart = ChartView(bars, caption: "Events per week; a week whose logs were not read is a gap, not 0")
        }
        return ErrorGroupPageView(
            weekLabel: week.weekLabel, title: group.title, id: group.id, kind: group.kind.rawValue,
            state: group.state.rawValue, stateText: stateText(group),
            count: group.state == .unchecked ? Format.missing : Format.grouped(Int64(group.count)),
            first: errorTime(group.first, zone: zone), last: errorTime(group.last, zone: zone),
            type: group.type, message: group.message, frame: group.frame, rule: group.rule,
            fingerprint: group.fingerprint, owner: group.owner,
            mute: group.mute.map { "\($0.reason) (\($0.owner), until \(DayLabel.day($0.expires, year: true)))" },
            muteExpired: group.muteExpired,
            functions: group.functions.map { hit in
                ErrorHitView(
                    function: hit.function,
                    href: known.contains(hit.function) ? "../" + week.links.function(hit.function) : nil,
                    service: hit.service,
                    versions: hit.versions.isEmpty ? Format.missing : hit.versions.joined(separator: ", "),
                    count: Format.grouped(Int64(hit.count)))
            },
            sampleFunction: group.sampleFunction, sampleRequest: group.sample.requestId,
            sampleTime: errorTime(group.sample.time, zone: zone), sampleMessage: group.sample.message,
            sampleStack: group.sample.stack.isEmpty ? nil : group.sample.stack.joined(separator: "\n"),
            query: group.query,
            logGroups: group.functions.map { "/aws/lambda/\($0.function)" }.joined(separator: ", "),
            history: weeks.reversed().map { item in
                ErrorWeekView(
                    week: item.week.description,
                    count: item.count.map { Format.grouped(Int64($0)) } ?? "not checked")
            },
            chart: chart, sources: group.sources)
    }

    /// The groups that hit a function, for its page (one folder below the week's root): at most
    /// `functionErrorRows`, and how many more there are.
    static func errorGroups(on function: String, _ report: Report, pages: Pages) -> (
        groups: [PageErrorView], more: Int
    ) {
        let hitting = report.errors.filter { group in
            group.state != .resolved && group.functions.contains { $0.function == function }
        }
        let shown = hitting.prefix(functionErrorRows).map { group in
            PageErrorView(
                title: group.title, href: "../" + pages.errorGroup(group.id), kind: group.kind.rawValue,
                state: group.state.rawValue,
                count: Format.grouped(Int64(group.functions.first { $0.function == function }?.count ?? 0)))
        }
        return (Array(shown), hitting.count - shown.count)
    }
}

struct ErrorsPageView: Codable {
    var weekLabel: String?
    /// Whose logs were read, and what a resolved group rests on.
    var coverage: String
    var hasGroups: Bool
    var states: [ErrorStateView]
    /// Open groups by kind: `timeout 2 · permission 1`.
    var kinds: String?
}

struct ErrorStateView: Codable {
    var title: String
    var anchor: String
    var count: String
    var groups: [ErrorRowView]
    var cut: String?
}

struct ErrorRowView: Codable {
    var title: String
    var href: String
    var kind: String
    var state: String
    var stateText: String
    var count: String
    var functions: String
    var last: String
    var owner: String?
    var chart: TrustedHTML?
}

struct ErrorGroupPageView: Codable {
    var weekLabel: String?
    var title: String
    var id: String
    var kind: String
    var state: String
    var stateText: String
    var count: String
    var first: String
    var last: String
    var type: String
    var message: String
    var frame: String?
    var rule: String?
    var fingerprint: String
    var owner: String?
    var mute: String?
    var muteExpired: Bool
    var functions: [ErrorHitView]
    var sampleFunction: String
    var sampleRequest: String?
    var sampleTime: String
    var sampleMessage: String
    var sampleStack: String?
    var query: String
    var logGroups: String
    var history: [ErrorWeekView]
    var chart: ChartView?
    var sources: [String]
}

struct ErrorHitView: Codable {
    var function: String
    var href: String?
    var service: String
    var versions: String
    var count: String
}

struct ErrorWeekView: Codable {
    var week: String
    var count: String
}

/// A group on a function's page.
struct PageErrorView: Codable {
    var title: String
    var href: String
    var kind: String
    var state: String
    var count: String
}
